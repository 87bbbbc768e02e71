"""Fit the retrieval confidence's calibration (knowledge_base/calibration.json).

    MIGBOT_DATA_DIR=$PWD/var .venv/bin/python bench/calibrate.py \\
        bench/dev_questions.jsonl bench/neardomain_dev.jsonl > knowledge_base/calibration.json

For each question of the tuning sets (never a report set: bench/README.md),
the top hit's evidence (classifier probability, out-of-scope probability,
first by dense / classifier / lexical ranking) and whether it is a right entry
(`entry_id` or `also`; out-of-scope questions are never right) go into a
logistic regression (scikit-learn, C=1). Its probability is the `score` the
router compares with `retrieval.answer_threshold` (knowledge_base.search.Calibration).
Re-run after the entries, the negatives or the encoder change; then choose the
threshold with `migbot eval FILE --thresholds ...` on the same tuning sets.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from bot.answering.evaluation import read_questions
from bot.assemble import embedder_for
from bot.config import load_settings
from knowledge_base.search import KnowledgeBase
from nlu.georgian import understand


def logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return float(np.log(p / (1 - p)))


def main(files: list[str]) -> None:
    settings = load_settings()
    kb = KnowledgeBase.open(settings.index_dir, embedder_for(settings), settings.retrieval.rrf_k)
    features, labels = [], []
    for name in files:
        for item in read_questions(Path(name)):
            top = kb.search(understand(item["text"]).text)[0]
            right = {item["entry_id"], *item.get("also", [])} if item["entry_id"] else set()
            ranks = (top.dense_rank, top.class_rank, top.lexical_rank)
            features.append(
                [logit(top.probability), logit(top.out_of_scope)]
                + [1.0 if r == 1 else 0.0 for r in ranks]
            )
            labels.append(int(top.entry_id in right))
    model = LogisticRegression(C=1.0, max_iter=1000).fit(np.array(features), labels)
    result = {
        "features": [
            "logit_probability",
            "logit_out_of_scope",
            "dense_first",
            "class_first",
            "lexical_first",
        ],
        "coef": [round(float(c), 4) for c in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 4),
        "fitted_on": files,
        "questions": len(labels),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
