"""The entry classifiers on the entries' own phrasings held out in folds.

    MIGBOT_DATA_DIR=$PWD/var .venv/bin/python -m bench.classifier_folds

Each phrasing (never an entry's `question`) is held out in one of 5 folds; both
classifiers are re-trained without the fold, as `migbot kb build` trains them
(`knowledge_base.index.train_classifier`, `train_char_classifier`, with the
out-of-scope negatives), and the fold's phrasings are classified. Prints
accuracy@1 per script (en, ka, ka-latn: a Georgian phrasing the entry writes in
Latin letters) for the e5 classifier alone, the character n-gram classifier
alone, and their mean, as search uses it (`KnowledgeBase.class_probabilities`).
Tuning data only: no question of a report set is read (bench/README.md).
"""

from __future__ import annotations

import sys
from collections import defaultdict

import numpy as np

from bot.assemble import index_for
from bot.config import load_settings
from knowledge_base.entries import load_out_of_scope
from knowledge_base.index import OUT_OF_SCOPE, Passage, train_char_classifier, train_classifier
from knowledge_base.search import CharClassifier
from nlu.georgian import understand

FOLDS = 5


def main() -> None:
    settings = load_settings()
    kb = index_for(settings)
    rows = list(
        kb.db.execute("select id, entry_id, lang, kind, text, written from passages order by id")
    )
    passages = [Passage(r["entry_id"], r["lang"], r["kind"], r["text"]) for r in rows]
    vectors = kb.vectors.reconstruct_n(0, kb.vectors.ntotal)
    negatives = [understand(q).text for q in load_out_of_scope(settings.entries_dir)]
    negative_vectors = kb.embedder.encode_queries(negatives)
    fold = np.random.default_rng(1).integers(0, FOLDS, len(rows))
    right: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for k in range(FOLDS):
        held = [i for i, r in enumerate(rows) if r["kind"] == "phrasing" and fold[i] == k]
        kept_rows = sorted(set(range(len(rows))) - set(held))
        kept = [passages[i] for i in kept_rows]
        kept_vectors = vectors[kept_rows]
        kb.classifier = train_classifier(kept, kept_vectors, negative_vectors)
        char = CharClassifier.from_arrays(train_char_classifier(kept, negatives))
        for i in held:
            row, query = rows[i], vectors[i][None, :]
            script = "ka-latn" if row["lang"] == "ka" and row["written"] else row["lang"]
            kb.char_classifier = None
            e5 = kb.class_probabilities(query, row["text"])
            kb.char_classifier = char
            mean = kb.class_probabilities(query, row["text"])
            for name, probabilities in (
                ("e5", e5),
                ("character n-grams", char.probabilities(row["text"])),
                ("mean (as served)", mean),
            ):
                probabilities.pop(OUT_OF_SCOPE, None)
                first = max(probabilities, key=probabilities.get)
                right[name][script].append(first == row["entry_id"])
        print(f"fold {k + 1} of {FOLDS} done", file=sys.stderr)
    scripts = ("en", "ka", "ka-latn")
    counts = " | ".join(f"{s} ({len(right['e5'][s])})" for s in scripts)
    print(f"| classifier | {counts} |")
    print("|---|" + "---|" * len(scripts))
    for name, by_script in right.items():
        cells = " | ".join(f"{np.mean(by_script[s]):.3f}" for s in scripts)
        print(f"| {name} | {cells} |")


if __name__ == "__main__":
    main()
