"""`migbot eval`: how well the whole pipeline answers a labelled question set.

Each line of the file: {"text", "lang": en|ka|ka-latn, "entry_id": id or null,
"also": [other acceptable ids]}. A null entry_id is an out-of-scope question.

- accuracy@1: in-scope questions answered (action answer or urgent) with a right entry
- recall@3: in-scope questions whose right entry is among retrieval's top three
- oos rejection: out-of-scope questions that were not answered from the KB
- false answers: questions answered with a wrong entry, in- or out-of-scope,
  over all questions of that language
- urgent recall: questions whose expected entry is a danger topic (`urgent: true`
  in its entry file) that got the action urgent; None unless `evaluate` is given
  the urgent entries, or when the group has no such question
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.answering.pipeline import Reply
from bot.answering.router import Action

ANSWERING = {Action.ANSWER, Action.URGENT}
GROUPS = ("en", "ka", "ka-latn")


@dataclass
class Tally:
    in_scope: int = 0
    correct_at_1: int = 0
    correct_at_3: int = 0
    out_of_scope: int = 0
    rejected: int = 0
    false_answers: int = 0
    urgent: int = 0
    urgent_caught: int = 0
    misses: list[dict] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.in_scope + self.out_of_scope

    def row(self) -> dict:
        return {
            "questions": self.total,
            "accuracy@1": _ratio(self.correct_at_1, self.in_scope),
            "recall@3": _ratio(self.correct_at_3, self.in_scope),
            "oos_rejection": _ratio(self.rejected, self.out_of_scope),
            "false_answer_rate": _ratio(self.false_answers, self.total),
            "urgent_recall": _ratio(self.urgent_caught, self.urgent),
        }


class QuestionFileError(ValueError):
    """A question set that cannot be read; the message names the file and line."""


def read_questions(path: Path) -> list[dict]:
    """The labelled questions of a JSONL file, in order.

    Raises:
        FileNotFoundError: no such file.
        QuestionFileError: a line is not JSON or lacks text, lang or entry_id.
    """
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise QuestionFileError(f"{path}:{number}: not JSON ({error.msg})") from None
        if not isinstance(item, dict) or not {"text", "lang", "entry_id"} <= set(item):
            raise QuestionFileError(f"{path}:{number}: needs text, lang and entry_id")
        questions.append(item)
    return questions


def evaluate(
    questions: Iterable[dict],
    answer: Callable[[str], Reply],
    urgent_entries: Collection[str] = (),
) -> dict:
    """Score `answer` on labelled questions.

    Args:
        questions: dicts as `read_questions` returns them.
        answer: text -> Reply (`Pipeline.answer`).
        urgent_entries: ids of the danger entries; questions expecting one of them
            count towards urgent_recall.

    Returns:
        {"groups": {group: {"questions", "accuracy@1", "recall@3", "oos_rejection",
        "false_answer_rate", "urgent_recall"}} for en, ka, ka-latn (those present) and
        all, ratios 0..1 rounded to 3 places or None when the group has nothing to
        count; "misses": [...]; "latency_ms": {"p50", "p95"}}.
    """
    tallies = {group: Tally() for group in (*GROUPS, "all")}
    latencies = []
    for item in questions:
        started = time.perf_counter()
        reply = answer(item["text"])
        latencies.append(time.perf_counter() - started)
        for group in (item["lang"], "all"):
            score(tallies.setdefault(group, Tally()), item, reply, urgent_entries)
    latencies.sort()
    return {
        "groups": {name: t.row() for name, t in tallies.items() if t.total},
        "misses": tallies["all"].misses,
        "latency_ms": {
            "p50": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
            "p95": round(1000 * latencies[int(len(latencies) * 0.95)], 1) if latencies else None,
        },
    }


def score(tally: Tally, item: dict, reply: Reply, urgent_entries: Collection[str] = ()) -> None:
    """Add one question and the reply it got to `tally` (the rules in the module's docstring)."""
    expected = item["entry_id"]
    answered = reply.action in ANSWERING and reply.entry_id is not None
    if expected is None:
        tally.out_of_scope += 1
        if answered:
            tally.false_answers += 1
            tally.misses.append(_miss(item, reply))
        else:
            tally.rejected += 1
        return
    right = {expected, *item.get("also", [])}
    tally.in_scope += 1
    if answered and reply.entry_id in right:
        tally.correct_at_1 += 1
    else:
        tally.misses.append(_miss(item, reply))
        if answered:
            tally.false_answers += 1
    if right & set(reply.candidates[:3]):
        tally.correct_at_3 += 1
    if expected in urgent_entries:
        tally.urgent += 1
        if reply.action == Action.URGENT:
            tally.urgent_caught += 1


SWEEP_GROUPS = ("en", "ka", "ka-latn")


def format_sweep(rows: list[tuple[float, dict]]) -> str:
    """`migbot eval --thresholds`: one Markdown row per (answer threshold, evaluate result)."""
    lines = [
        "| threshold | acc@1 en | acc@1 ka | acc@1 ka-latn | oos rejection | false answers |",
        "|---|---|---|---|---|---|",
    ]
    for value, result in rows:
        groups = result["groups"]
        cells = [groups.get(g, {}).get("accuracy@1") for g in SWEEP_GROUPS]
        cells += [groups["all"]["oos_rejection"], groups["all"]["false_answer_rate"]]
        lines.append(f"| {value} | " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


def format_table(result: dict) -> str:
    """The result of `evaluate` as a Markdown table with the latency line under it."""
    columns = ["questions", "accuracy@1", "recall@3", "oos_rejection", "false_answer_rate"]
    lines = [
        "| group | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for name, row in result["groups"].items():
        cells = [_cell(row[c]) for c in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    latency = result["latency_ms"]
    lines.append("")
    lines.append(f"latency per question: p50 {latency['p50']} ms, p95 {latency['p95']} ms")
    return "\n".join(lines)


def _miss(item: dict, reply: Reply) -> dict:
    return {
        "text": item["text"],
        "lang": item["lang"],
        "expected": item["entry_id"],
        "got": reply.entry_id,
        "action": reply.action,
        "score": round(reply.score, 3),
        "candidates": reply.candidates,
    }


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _cell(value: object) -> str:
    return "-" if value is None else str(value)
