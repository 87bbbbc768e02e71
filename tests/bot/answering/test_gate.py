"""`migbot gate`'s floors: reading them, and holding hand-made figures against them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answering import Action, Reply
from bot.answering.gate import (
    Broken,
    FloorsFileError,
    broken_floors,
    format_report,
    read_floors,
    run_gate,
)
from bot.config import PROJECT_ROOT


def result(**groups: dict) -> dict:
    return {"groups": groups, "misses": [], "latency_ms": {"p50": 1.0, "p95": 2.0}}


FIGURES = result(
    en={"accuracy@1": 0.9, "oos_rejection": 1.0, "false_answer_rate": 0.05, "urgent_recall": None},
    ka={"accuracy@1": 0.8, "oos_rejection": 0.9, "false_answer_rate": 0.08, "urgent_recall": 1.0},
)


def test_figures_at_or_above_every_minimum_and_under_every_maximum_pass():
    floors = {
        "en": {"accuracy@1": 0.9, "oos_rejection": 0.95, "false_answer_rate": 0.05},
        "ka": {"accuracy@1": 0.75, "urgent_recall": 1.0, "false_answer_rate": 0.1},
    }
    assert broken_floors("dev", floors, FIGURES) == []


def test_each_broken_floor_is_named():
    floors = {
        "en": {"accuracy@1": 0.91, "false_answer_rate": 0.04},
        "ka": {"accuracy@1": 0.8, "oos_rejection": 0.95, "urgent_recall": 0.9},
    }
    assert broken_floors("dev", floors, FIGURES) == [
        Broken("dev", "en", "accuracy@1", 0.9, 0.91),
        Broken("dev", "en", "false_answer_rate", 0.05, 0.04),
        Broken("dev", "ka", "oos_rejection", 0.9, 0.95),
    ]
    assert str(Broken("dev", "en", "accuracy@1", 0.9, 0.91)) == (
        "dev en accuracy@1 0.9 below the floor 0.91"
    )
    assert str(Broken("dev", "en", "false_answer_rate", 0.05, 0.04)) == (
        "dev en false_answer_rate 0.05 above the maximum 0.04"
    )


def test_a_missing_figure_breaks_its_floor():
    floors = {"en": {"urgent_recall": 0.5}, "ka-latn": {"accuracy@1": 0.5}}
    broken = broken_floors("dev", floors, FIGURES)
    assert broken == [
        Broken("dev", "en", "urgent_recall", None, 0.5),
        Broken("dev", "ka-latn", "accuracy@1", None, 0.5),
    ]
    assert "no figure" in str(broken[0])


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "floors.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_read_floors(tmp_path: Path):
    path = write(
        tmp_path,
        "sets:\n  bench/x.jsonl:\n    all: {accuracy@1: 0.8, false_answer_rate: 0}\n"
        "    ka: {urgent_recall: 1}\n",
    )
    assert read_floors(path) == {
        "bench/x.jsonl": {
            "all": {"accuracy@1": 0.8, "false_answer_rate": 0.0},
            "ka": {"urgent_recall": 1.0},
        }
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nothing: here\n", "needs a 'sets:' mapping"),
        ("sets:\n  x.jsonl: 3\n", "x.jsonl: needs a mapping of groups"),
        ("sets:\n  x.jsonl:\n    fr: {accuracy@1: 0.5}\n", "unknown group 'fr'"),
        ("sets:\n  x.jsonl:\n    en: {accuracy: 0.5}\n", "unknown figure 'accuracy'"),
        ("sets:\n  x.jsonl:\n    en: {accuracy@1: high}\n", "en accuracy@1: not a number"),
        ("sets:\n  x.jsonl:\n    en: {accuracy@1: 85}\n", "not from 0 to 1"),
    ],
)
def test_read_floors_names_the_problem(tmp_path: Path, text: str, message: str):
    with pytest.raises(FloorsFileError, match=message):
        read_floors(write(tmp_path, text))


def test_the_projects_floors_file_reads_and_names_existing_sets():
    floors = read_floors(PROJECT_ROOT / "bench" / "quality_floors.yml")
    assert {"bench/dev_questions.jsonl", "bench/heldout_questions.jsonl"} <= set(floors)
    for name in floors:
        assert (PROJECT_ROOT / name).exists()


def test_run_gate_on_a_hand_made_set(tmp_path: Path):
    questions = [
        {"text": "visa", "lang": "en", "entry_id": "visa"},
        {"text": "danger", "lang": "en", "entry_id": "trafficking"},
        {"text": "weather", "lang": "en", "entry_id": None},
    ]
    (tmp_path / "set.jsonl").write_text("\n".join(json.dumps(q) for q in questions))
    replies = {
        "visa": Reply("en", Action.ANSWER, None, "visa", 0.9, "", candidates=["visa"]),
        # the right entry, but as a plain answer: urgent recall 0
        "danger": Reply("en", Action.ANSWER, None, "trafficking", 0.9, "", candidates=[]),
        "weather": Reply("en", Action.FALLBACK, None, None, 0.1, "", candidates=[]),
    }
    floors = {"set.jsonl": {"en": {"accuracy@1": 1.0, "urgent_recall": 1.0}}}
    [outcome] = run_gate(floors, replies.__getitem__, {"trafficking"}, tmp_path)
    assert outcome.broken == [Broken("set.jsonl", "en", "urgent_recall", 0.0, 1.0)]
    report = format_report([outcome], floors)
    assert "| en | 1.0 (≥ 1.0) | 0.5 | 1.0 | 0.0 (≥ 1.0) | 0.0 |" in report
    assert report.endswith(
        "gate: 1 floor(s) broken\n  set.jsonl en urgent_recall 0.0 below the floor 1.0"
    )
