"""Follow-up questions: a short message read with the topic answered just before.

    .venv/bin/python -m bench.followup_eval bench/followups_dev.jsonl [--no-context] [--misses]

Each line of the set is a two-message conversation:
{"first": ..., "followup": ..., "lang": "en" | "ka" | "ka-latn", "first_entry": id,
 "expected": id or null, "standalone": bool}. `expected` is the entry whose answer
answers the follow-up in the context of the first question (null: none does).

The first question is put to the pipeline alone; its answered entry (if any) is
the follow-up's `previous_entry`, as in the Telegram bot and `migbot chat`. With
--no-context the follow-up is answered alone (the bot before follow-ups). Retrieval
and danger signals only (no Rasa), so figures are reproducible without the server.

Per language: follow-ups answered with the expected entry (`right`), with another
entry (`wrong`: a false answer), not answered when an entry was expected
(`missed`), and rightly not answered when none was (`declined`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from bot.answering import Action, Pipeline


def read_pairs(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def evaluate(pipeline: Pipeline, pairs: list[dict], context: bool = True) -> dict:
    """Counts per language and kind ("all" as well), and the misses.

    Returns:
        {"counts": {lang: Counter(right, wrong, missed, declined, first_missed)},
         "misses": [dict, ...]}
    """
    counts: dict[str, Counter] = {}
    misses = []
    for pair in pairs:
        first = pipeline.answer(pair["first"])
        previous = first.entry_id if first.action == Action.ANSWER else None
        reply = pipeline.answer(
            pair["followup"], lang_hint=first.lang, previous_entry=previous if context else None
        )
        answered = reply.entry_id if reply.action in (Action.ANSWER, Action.URGENT) else None
        expected = pair["expected"]
        if answered is None:
            outcome = "declined" if expected is None else "missed"
        else:
            outcome = "right" if answered == expected else "wrong"
        for group in (pair["lang"], "all"):
            row = counts.setdefault(group, Counter())
            row[outcome] += 1
            row["first_missed"] += previous != pair["first_entry"]
        if outcome in ("wrong", "missed"):
            misses.append({**pair, "got": answered, "action": str(reply.action),
                           "score": round(reply.score, 3)})  # fmt: skip
    return {"counts": counts, "misses": misses}


def table(result: dict) -> str:
    lines = [
        "| group | pairs | right | wrong (false answers) | missed | declined rightly |",
        "|---|---|---|---|---|---|",
    ]
    for group, row in result["counts"].items():
        total = sum(row[k] for k in ("right", "wrong", "missed", "declined"))
        lines.append(
            f"| {group} | {total} | {row['right']} | {row['wrong']} | {row['missed']} "
            f"| {row['declined']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from bot.assemble import build_pipeline
    from bot.config import load_settings

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--no-context", action="store_true", help="answer follow-ups alone")
    parser.add_argument("--misses", action="store_true", help="print wrong and missed pairs")
    args = parser.parse_args(argv)
    pipeline = build_pipeline(load_settings(), with_rasa=False)
    result = evaluate(pipeline, read_pairs(args.path), context=not args.no_context)
    print(table(result))
    if args.misses:
        for miss in result["misses"]:
            print(json.dumps(miss, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
