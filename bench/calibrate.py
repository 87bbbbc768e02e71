"""Fit the retrieval confidence's calibration (knowledge_base/calibration.json).

    MIGBOT_DATA_DIR=$PWD/var .venv/bin/python bench/calibrate.py bench/dev_questions.jsonl \\
        bench/dev_new_entries.jsonl bench/neardomain_dev.jsonl > knowledge_base/calibration.json

Examples, all from tuning data (never a report set: bench/README.md):

- each question of the given tuning sets: the top hit's evidence and whether it
  is a right entry (`entry_id` or `also`; out-of-scope questions never are);
- each question of out_of_scope.yml and near_misses.yml, held out in turn: the
  classifiers are re-trained without its fold (5 folds), so its evidence is what an
  unseen question of the kind would get; never right. The 38 near-domain tuning
  questions alone under-stated how often near-domain questions get answered.

Evidence (knowledge_base.search.Calibration.features): logit of the classifiers'
probability for the entry, logit of its out-of-scope probability, first by the
dense / classifier / lexical ranking, the entry's coverage of the question's
words. A logistic regression (scikit-learn, C=1) maps it to the `score` the
router compares with `retrieval.answer_threshold`.
Re-run after the entries, the negatives, the fusion or the encoder change; then
choose the threshold with `migbot eval FILE --thresholds ...` on the tuning sets.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from bot.answering import Pipeline, Thresholds
from bot.answering.evaluation import read_questions
from bot.assemble import embedder_for, fusion_for
from bot.config import load_settings
from knowledge_base.entries import load_out_of_scope
from knowledge_base.index import Passage, train_char_classifier, train_classifier
from knowledge_base.search import Calibration, CharClassifier, Hit, KnowledgeBase
from nlu.georgian import understand
from nlu.pleasantries import without_pleasantries

FOLDS = 5


def evidence(top: Hit) -> list[float]:
    ranks = (top.dense_rank, top.class_rank, top.lexical_rank)
    return Calibration.features(top.probability, top.out_of_scope, ranks, top.coverage)


def first_by_fusion(kb: KnowledgeBase, text: str) -> Hit:
    """The first hit by fused rank of the question as the pipeline searches it."""
    return max(kb.search(without_pleasantries(text)), key=lambda hit: hit.fused)


def tuning_examples(kb: KnowledgeBase, files: list[str]) -> tuple[list, list]:
    features, labels = [], []
    for name in files:
        for item in read_questions(Path(name)):
            top = first_by_fusion(kb, understand(item["text"]).text)
            right = {item["entry_id"], *item.get("also", [])} if item["entry_id"] else set()
            features.append(evidence(top))
            labels.append(int(top.entry_id in right))
    return features, labels


def held_out_negatives(kb: KnowledgeBase, negatives: list[str]) -> list[list[float]]:
    """The evidence of each negative question, the classifiers trained without its fold."""
    passages = [
        Passage(row["entry_id"], row["lang"], row["kind"], row["text"])
        for row in kb.db.execute("select entry_id, lang, kind, text from passages order by id")
    ]
    vectors = kb.vectors.reconstruct_n(0, kb.vectors.ntotal)
    texts = [understand(q).text for q in negatives]
    negative_vectors = kb.embedder.encode_queries(texts)
    fold = np.random.default_rng(0).integers(0, FOLDS, len(texts))
    full, features = (kb.classifier, kb.char_classifier), []
    try:
        for k in range(FOLDS):
            kb.classifier = train_classifier(passages, vectors, negative_vectors[fold != k])
            if full[1] is not None:
                kept = [t for t, f in zip(texts, fold, strict=True) if f != k]
                kb.char_classifier = CharClassifier.from_arrays(
                    train_char_classifier(passages, kept)
                )
            features += [evidence(first_by_fusion(kb, texts[i])) for i in np.flatnonzero(fold == k)]
    finally:
        kb.classifier, kb.char_classifier = full
    return features


def main(files: list[str]) -> None:
    settings = load_settings()
    # Without the calibration in use: its evidence is what is being fitted.
    kb = KnowledgeBase.open(settings.index_dir, embedder_for(settings), fusion_for(settings))
    Pipeline(kb, None, Thresholds())  # the transliterator learns the index's words, as in the bot
    features, labels = tuning_examples(kb, files)
    negatives = held_out_negatives(kb, load_out_of_scope(settings.entries_dir))
    features += negatives
    labels += [0] * len(negatives)
    model = LogisticRegression(C=1.0, max_iter=1000).fit(np.array(features), labels)
    result = {
        "features": [
            "logit_probability",
            "logit_out_of_scope",
            "dense_first",
            "class_first",
            "lexical_first",
            "coverage",
        ],
        "coef": [round(float(c), 4) for c in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 4),
        "fitted_on": [*files, "out_of_scope.yml + near_misses.yml (held out in 5 folds)"],
        "questions": len(labels),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
