"""`migbot nlu test`: Rasa's own evaluation, summarised.

Runs `rasa test nlu` on the held-out set (nlu/data_test/) and, with
--folds, Rasa's cross-validation on the training data; prints per-intent
precision, recall and F1, the macro averages and the confusions.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from nlu.rasa_server import TEST_DATA, TRAINING_DATA, run_rasa, train, write_rasa_config


def run_tests(
    venv: Path, rasa_config: dict, model_dir: Path, work_dir: Path, folds: int = 0
) -> int:
    model = train(venv, rasa_config, model_dir, work_dir, log=print)
    held_out = work_dir / "results-held-out"
    run_rasa(
        venv,
        ["test", "nlu", "--nlu", str(TEST_DATA), "--model", str(model), "--out", str(held_out)],
        work_dir,
        "rasa-test.log",
    )
    print(f"## Held-out set ({TEST_DATA.name})\n")
    print(summarise(held_out))
    if folds:
        cross = work_dir / "results-cross-validation"
        config_file = write_rasa_config(rasa_config, work_dir)
        run_rasa(
            venv,
            ["test", "nlu", "--nlu", str(TRAINING_DATA), "--config", str(config_file),
             "--cross-validation", "--folds", str(folds), "--out", str(cross)],
            work_dir,
            "rasa-test.log",
        )  # fmt: skip
        print(f"\n## Cross-validation ({folds} folds, training data)\n")
        print(summarise(cross))
    return 0


def summarise(results: Path) -> str:
    report = json.loads((results / "intent_report.json").read_text(encoding="utf-8"))
    lines = ["| intent | precision | recall | f1 | support |", "|---|---|---|---|---|"]
    for name, row in sorted(report.items()):
        if not isinstance(row, dict) or "support" not in row or name.endswith("avg"):
            continue
        lines.append(
            f"| {name} | {row['precision']:.3f} | {row['recall']:.3f} | "
            f"{row['f1-score']:.3f} | {row['support']} |"
        )
    macro = report.get("macro avg", {})
    lines.append(
        f"\nmacro F1 {macro.get('f1-score', 0):.3f}, accuracy {report.get('accuracy', 0):.3f}"
    )
    errors_file = results / "intent_errors.json"
    if errors_file.exists():
        errors = json.loads(errors_file.read_text(encoding="utf-8"))
        confusions = Counter((e["intent"], e["intent_prediction"]["name"]) for e in errors)
        if confusions:
            lines.append("\nconfusions (true -> predicted: count):")
            lines += [f"- {true} -> {pred}: {n}" for (true, pred), n in confusions.most_common()]
    return "\n".join(lines)
