"""`migbot eval`'s arithmetic on small hand-made sets whose figures are known by hand.

The `answer` callable is a table text -> Reply: no model, no index, so every
figure below can be checked with pencil and paper.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answering import Action, Reply
from bot.answering.evaluation import (
    QuestionFileError,
    evaluate,
    format_sweep,
    format_table,
    read_questions,
)


def reply(action: Action, entry_id: str | None, candidates: list[str], lang: str = "en") -> Reply:
    return Reply(lang, action, None, entry_id, 0.5, "text", candidates=candidates)


# (question, the reply the fake pipeline gives it)
SET = [
    # en, in scope: right at 1 (and at 3)
    ({"text": "q1", "lang": "en", "entry_id": "a"}, reply(Action.ANSWER, "a", ["a", "b", "c"])),
    # en, in scope: a wrong answer (a false answer), the right one second in the list
    ({"text": "q2", "lang": "en", "entry_id": "b"}, reply(Action.ANSWER, "c", ["c", "b", "d"])),
    # en, in scope: answered with an entry listed under "also"
    (
        {"text": "q3", "lang": "en", "entry_id": "d", "also": ["e"]},
        reply(Action.ANSWER, "e", ["e", "x", "y"]),
    ),
    # en, in scope: not answered (fallback); the right entry only fourth: not at 3
    (
        {"text": "q4", "lang": "en", "entry_id": "f"},
        reply(Action.FALLBACK, None, ["x", "y", "z", "f"]),
    ),
    # en, out of scope: rejected
    ({"text": "q5", "lang": "en", "entry_id": None}, reply(Action.FALLBACK, None, ["a"])),
    # en, out of scope: answered anyway (a false answer)
    ({"text": "q6", "lang": "en", "entry_id": None}, reply(Action.ANSWER, "a", ["a"])),
    # ka, urgent entry, action urgent: right, and caught as urgent
    ({"text": "q7", "lang": "ka", "entry_id": "u"}, reply(Action.URGENT, "u", ["u"], "ka")),
    # ka, urgent entry answered as a plain answer: right at 1, but not caught as urgent
    ({"text": "q8", "lang": "ka", "entry_id": "u"}, reply(Action.ANSWER, "u", ["u"], "ka")),
    # ka, a handoff naming an entry is not an answer: not right, not a false answer
    ({"text": "q9", "lang": "ka", "entry_id": "a"}, reply(Action.HANDOFF, "a", ["a"], "ka")),
    # ka-latn, out of scope, small talk: rejected
    ({"text": "q10", "lang": "ka-latn", "entry_id": None}, reply(Action.SMALLTALK, None, [])),
]
QUESTIONS = [question for question, _ in SET]
REPLIES = {question["text"]: answer for question, answer in SET}


def fake_answer(text: str) -> Reply:
    return REPLIES[text]


@pytest.fixture(scope="module")
def result() -> dict:
    return evaluate(QUESTIONS, fake_answer, urgent_entries={"u"})


def test_the_english_figures(result):
    assert result["groups"]["en"] == {
        "questions": 6,
        "accuracy@1": 0.5,  # q1, q3 of q1-q4
        "recall@3": 0.75,  # q1, q2, q3
        "oos_rejection": 0.5,  # q5 of q5, q6
        "false_answer_rate": 0.333,  # q2, q6 of six
        "urgent_recall": None,  # no urgent question in English
    }


def test_the_georgian_figures(result):
    assert result["groups"]["ka"] == {
        "questions": 3,
        "accuracy@1": 0.667,  # q7, q8; q9 was handed off
        "recall@3": 1.0,
        "oos_rejection": None,  # no out-of-scope question
        "false_answer_rate": 0.0,
        "urgent_recall": 0.5,  # q7 of q7, q8
    }


def test_the_latin_georgian_group_and_all(result):
    assert result["groups"]["ka-latn"] == {
        "questions": 1,
        "accuracy@1": None,
        "recall@3": None,
        "oos_rejection": 1.0,
        "false_answer_rate": 0.0,
        "urgent_recall": None,
    }
    assert result["groups"]["all"] == {
        "questions": 10,
        "accuracy@1": 0.571,  # 4 of 7 in scope
        "recall@3": 0.857,  # 6 of 7
        "oos_rejection": 0.667,  # 2 of 3
        "false_answer_rate": 0.2,  # 2 of 10
        "urgent_recall": 0.5,
    }


def test_groups_absent_from_the_set_are_left_out():
    only_english = evaluate(QUESTIONS[:2], fake_answer)
    assert list(only_english["groups"]) == ["en", "all"]


def test_urgent_recall_needs_the_urgent_entries(result):
    assert evaluate(QUESTIONS, fake_answer)["groups"]["all"]["urgent_recall"] is None


def test_the_misses_are_the_wrong_and_unanswered_questions(result):
    misses = {miss["text"]: miss for miss in result["misses"]}
    assert set(misses) == {"q2", "q4", "q6", "q9"}
    assert misses["q2"] == {
        "text": "q2",
        "lang": "en",
        "expected": "b",
        "got": "c",
        "action": Action.ANSWER,
        "score": 0.5,
        "candidates": ["c", "b", "d"],
    }
    assert misses["q6"]["expected"] is None


def test_latency_is_measured_per_question(result):
    latency = result["latency_ms"]
    assert 0 <= latency["p50"] <= latency["p95"]
    assert evaluate([], fake_answer)["latency_ms"] == {"p50": None, "p95": None}


def test_format_table(result):
    lines = format_table(result).splitlines()
    assert lines[0] == (
        "| group | questions | accuracy@1 | recall@3 | oos_rejection | false_answer_rate |"
    )
    assert lines[1] == "|---|---|---|---|---|---|"
    assert lines[2] == "| en | 6 | 0.5 | 0.75 | 0.5 | 0.333 |"
    assert lines[3] == "| ka | 3 | 0.667 | 1.0 | - | 0.0 |"
    assert lines[4] == "| ka-latn | 1 | - | - | 1.0 | 0.0 |"
    assert lines[5] == "| all | 10 | 0.571 | 0.857 | 0.667 | 0.2 |"
    assert lines[6] == ""
    assert lines[7].startswith("latency per question: p50 ")


def test_format_sweep(result):
    english_only = evaluate(QUESTIONS[:6], fake_answer)
    table = format_sweep([(0.1, result), (0.3, english_only)])
    assert table.splitlines() == [
        "| threshold | acc@1 en | acc@1 ka | acc@1 ka-latn | oos rejection | false answers |",
        "|---|---|---|---|---|---|",
        "| 0.1 | 0.5 | 0.667 | None | 0.667 | 0.2 |",
        "| 0.3 | 0.5 | None | None | 0.5 | 0.333 |",
    ]


def test_read_questions_in_order_skipping_blank_lines(tmp_path: Path):
    path = tmp_path / "set.jsonl"
    lines = [json.dumps(q) for q in QUESTIONS[:3]]
    path.write_text(lines[0] + "\n\n" + "\n".join(lines[1:]) + "\n", encoding="utf-8")
    assert read_questions(path) == QUESTIONS[:3]


def test_read_questions_names_the_bad_line(tmp_path: Path):
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps(QUESTIONS[0]) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(QuestionFileError, match=r"set\.jsonl:2: not JSON"):
        read_questions(path)
    path.write_text('{"text": "q", "lang": "en"}\n', encoding="utf-8")
    with pytest.raises(QuestionFileError, match=r"set\.jsonl:1: needs text, lang and entry_id"):
        read_questions(path)
    path.write_text('["q", "en", null]\n', encoding="utf-8")
    with pytest.raises(QuestionFileError, match=r":1: needs"):
        read_questions(path)


def test_read_questions_of_a_missing_file(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        read_questions(tmp_path / "absent.jsonl")
