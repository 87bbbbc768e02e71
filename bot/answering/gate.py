"""`migbot gate`: the question sets scored by `evaluate`, held against recorded floors.

The floors file (bench/quality_floors.yml) names, per question set and per group
(en, ka, ka-latn, all), the figures the pipeline must keep:

    sets:
      bench/dev_questions.jsonl:
        all: {accuracy@1: 0.85, oos_rejection: 0.9, urgent_recall: 1.0,
              false_answer_rate: 0.07}

accuracy@1, recall@3, oos_rejection and urgent_recall are minima;
false_answer_rate is a maximum (MAXIMA). The figures are `evaluate`'s
(bot/answering/evaluation.py); the floors are set a little under the figures
measured on main, with the command in docs/quality.md.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.answering.evaluation import GROUPS, evaluate, read_questions
from bot.answering.pipeline import Reply

MINIMA = ("accuracy@1", "recall@3", "oos_rejection", "urgent_recall")
MAXIMA = ("false_answer_rate",)


class FloorsFileError(ValueError):
    """A floors file that cannot be used; the message names the file and the place."""


@dataclass(frozen=True)
class Broken:
    """One floor a result does not keep: `figure` is None when there was nothing to measure."""

    question_set: str
    group: str
    metric: str
    figure: float | None
    floor: float

    def __str__(self) -> str:
        if self.figure is None:
            return (
                f"{self.question_set} {self.group} {self.metric}: no figure "
                f"(the set has no such question), floor {self.floor}"
            )
        relation = "above the maximum" if self.metric in MAXIMA else "below the floor"
        return (
            f"{self.question_set} {self.group} {self.metric} {self.figure} {relation} {self.floor}"
        )


def read_floors(path: Path) -> dict[str, dict[str, dict[str, float]]]:
    """The floors of a YAML file: {question set path: {group: {metric: number}}}.

    Raises:
        FileNotFoundError: no such file.
        FloorsFileError: not the layout of the module's docstring (an unknown
            group or metric, a value that is not a number from 0 to 1).
    """
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    sets = raw.get("sets") if isinstance(raw, dict) else None
    if not isinstance(sets, dict) or not sets:
        raise FloorsFileError(f"{path}: needs a 'sets:' mapping of question files")
    floors: dict[str, dict[str, dict[str, float]]] = {}
    for name, groups in sets.items():
        if not isinstance(groups, dict):
            raise FloorsFileError(f"{path}: {name}: needs a mapping of groups")
        floors[name] = {}
        for group, metrics in groups.items():
            if group not in (*GROUPS, "all"):
                raise FloorsFileError(f"{path}: {name}: unknown group {group!r}")
            if not isinstance(metrics, dict):
                raise FloorsFileError(f"{path}: {name} {group}: needs a mapping of figures")
            floors[name][group] = {}
            for metric, value in metrics.items():
                if metric not in (*MINIMA, *MAXIMA):
                    raise FloorsFileError(f"{path}: {name} {group}: unknown figure {metric!r}")
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise FloorsFileError(f"{path}: {name} {group} {metric}: not a number")
                if not 0 <= value <= 1:
                    raise FloorsFileError(f"{path}: {name} {group} {metric}: not from 0 to 1")
                floors[name][group][metric] = float(value)
    return floors


def broken_floors(
    question_set: str, floors: dict[str, dict[str, float]], result: dict
) -> list[Broken]:
    """The floors of one set that `result` (evaluate's) breaks, in the floors' order.

    A minimum is broken by a lower figure, a maximum by a higher one, and either by
    a missing figure (a group absent from the set, or a ratio with nothing to count).
    """
    broken = []
    for group, metrics in floors.items():
        row = result["groups"].get(group, {})
        for metric, floor in metrics.items():
            figure = row.get(metric)
            if figure is None:
                broken.append(Broken(question_set, group, metric, None, floor))
            elif (figure > floor) if metric in MAXIMA else (figure < floor):
                broken.append(Broken(question_set, group, metric, figure, floor))
    return broken


@dataclass
class SetResult:
    """One question set's `evaluate` result and the floors it broke."""

    question_set: str
    result: dict
    broken: list[Broken]


def run_gate(
    floors: dict[str, dict[str, dict[str, float]]],
    answer: Callable[[str], Reply],
    urgent_entries: Collection[str],
    root: Path,
) -> list[SetResult]:
    """Score `answer` on every set of `floors` (paths relative to `root`).

    Args:
        floors: as `read_floors` returns them.
        answer: text -> Reply (`Pipeline.answer`).
        urgent_entries: the ids of the knowledge base's danger entries.
        root: the folder the set paths are relative to (the project).

    Raises:
        FileNotFoundError, QuestionFileError: a question set cannot be read.
    """
    outcomes = []
    for name, set_floors in floors.items():
        result = evaluate(read_questions(root / name), answer, urgent_entries)
        outcomes.append(SetResult(name, result, broken_floors(name, set_floors, result)))
    return outcomes


def format_report(outcomes: list[SetResult], floors: dict) -> str:
    """Per set: a Markdown table of figure (floor) per group, then the verdict lines."""
    lines = []
    columns = [*MINIMA, *MAXIMA]
    for outcome in outcomes:
        lines.append(f"{outcome.question_set}\n")
        lines.append("| group | " + " | ".join(columns) + " |")
        lines.append("|---|" + "---|" * len(columns))
        for group, row in outcome.result["groups"].items():
            cells = []
            for metric in columns:
                floor = floors[outcome.question_set].get(group, {}).get(metric)
                value = "-" if row.get(metric) is None else str(row[metric])
                if floor is not None:
                    value += f" ({'≤' if metric in MAXIMA else '≥'} {floor})"
                cells.append(value)
            lines.append(f"| {group} | " + " | ".join(cells) + " |")
        lines.append("")
    broken = [b for outcome in outcomes for b in outcome.broken]
    if broken:
        lines.append(f"gate: {len(broken)} floor(s) broken")
        lines.extend(f"  {b}" for b in broken)
    else:
        lines.append("gate: every floor kept")
    return "\n".join(lines)
