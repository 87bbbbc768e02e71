"""The entry classifiers on the entries' own phrasings held out in folds.

    MIGBOT_DATA_DIR=$PWD/var .venv/bin/python -m bench.classifier_folds

Each phrasing (never an entry's `question`) is held out in one of 5 folds; both
classifiers are re-trained without the fold, as `migbot kb build` trains them
(`knowledge_base.index.train_classifier`, `train_char_classifier`, with the
out-of-scope negatives), and the fold's phrasings are classified. Prints, per
script (en, ka, ka-latn: a Georgian phrasing the entry writes in Latin letters),
accuracy@1 of the first entry and the mean log loss of the right entry's
probability, for the e5 classifier alone (share 0), the character n-gram
classifier alone (share 1), shares in between, and the probabilities as search
computes them (`KnowledgeBase.class_probabilities`). Tuning data only: no
question of a report set is read (bench/README.md).
"""

from __future__ import annotations

import sys

import numpy as np

from bot.assemble import index_for
from bot.config import load_settings
from knowledge_base.entries import load_out_of_scope
from knowledge_base.index import OUT_OF_SCOPE, Passage, train_char_classifier, train_classifier
from knowledge_base.search import CharClassifier
from nlu.georgian import understand

FOLDS = 5
SHARES = (0.0, 0.2, 0.3, 0.5, 0.7, 1.0)
SCRIPTS = ("en", "ka", "ka-latn")


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
    # Per held-out phrasing: script, right entry, e5, n-gram and served probabilities.
    results = []
    for k in range(FOLDS):
        held = [i for i, r in enumerate(rows) if r["kind"] == "phrasing" and fold[i] == k]
        kept_rows = sorted(set(range(len(rows))) - set(held))
        kb.classifier = train_classifier(
            [passages[i] for i in kept_rows], vectors[kept_rows], negative_vectors
        )
        char = CharClassifier.from_arrays(
            train_char_classifier([passages[i] for i in kept_rows], negatives)
        )
        for i in held:
            row, query = rows[i], vectors[i][None, :]
            kb.char_classifier = None
            e5 = kb.class_probabilities(query, row["text"])
            kb.char_classifier = char
            served = kb.class_probabilities(query, row["text"])
            script = "ka-latn" if row["lang"] == "ka" and row["written"] else row["lang"]
            results.append((script, row["entry_id"], e5, char.probabilities(row["text"]), served))
        print(f"fold {k + 1} of {FOLDS} done", file=sys.stderr)
    counts = " | ".join(f"{s} ({sum(r[0] == s for r in results)})" for s in SCRIPTS)
    print(f"| n-gram classifier's share | {counts} |")
    print("|---|" + "---|" * len(SCRIPTS))
    for share in (*SHARES, "as served"):
        cells = []
        for script in SCRIPTS:
            right, losses = [], []
            for s, entry_id, e5, char_p, served in results:
                if s != script:
                    continue
                if share == "as served":
                    p = dict(served)
                else:
                    p = {c: (1 - share) * e5[c] + share * char_p[c] for c in e5}
                losses.append(-np.log(max(p[entry_id], 1e-6)))
                p.pop(OUT_OF_SCOPE, None)
                right.append(max(p, key=p.get) == entry_id)
            cells.append(f"{np.mean(right):.3f} / {np.mean(losses):.3f}")
        print(f"| {share} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
