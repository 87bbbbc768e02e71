"""Urgent recall and false alarms of the whole pipeline on a set labelled urgent or not.

    .venv/bin/python -m bench.danger_eval bench/danger_dev.jsonl [--no-rasa] [--misses]

Each line of the set: {"text": ..., "lang": "en" | "ka" | "ka-latn", "urgent": true | false}.
A message counts as urgent when the pipeline's action is `urgent` (the emergency
guidance and a counsellor at once: bot/answering/router.py), whatever raised it
(a danger signal, Rasa's urgent intent, a sure answer from a danger topic).
Prints per language: urgent recall (urgent messages that got the urgent action)
and the false-alarm rate (other messages that got it).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from bot.answering import Reply
from bot.answering.evaluation import GROUPS


def read_labelled(path: Path) -> list[dict]:
    """The set's lines as dicts; raises ValueError naming the line when one is malformed."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        if item.get("lang") not in GROUPS or not isinstance(item.get("urgent"), bool):
            raise ValueError(f"{path}:{number}: needs lang ({', '.join(GROUPS)}) and urgent (bool)")
        items.append(item)
    return items


def evaluate(items: list[dict], answer: Callable[[str], Reply]) -> dict:
    """{group: {"urgent", "caught", "recall", "others", "alarms", "false_alarm_rate"}}
    for en, ka, ka-latn and all, plus "misses": the lines the pipeline got wrong."""
    counts = {
        group: {"urgent": 0, "caught": 0, "others": 0, "alarms": 0} for group in (*GROUPS, "all")
    }
    misses = []
    for item in items:
        reply = answer(item["text"])
        alarm = reply.action == "urgent"
        for group in (item["lang"], "all"):
            tally = counts[group]
            if item["urgent"]:
                tally["urgent"] += 1
                tally["caught"] += alarm
            else:
                tally["others"] += 1
                tally["alarms"] += alarm
        if alarm != item["urgent"]:
            misses.append({**item, "action": str(reply.action), "entry_id": reply.entry_id})
    result: dict = {}
    for group, tally in counts.items():
        recall = tally["caught"] / tally["urgent"] if tally["urgent"] else None
        alarms = tally["alarms"] / tally["others"] if tally["others"] else None
        result[group] = {
            **tally,
            "recall": None if recall is None else round(recall, 3),
            "false_alarm_rate": None if alarms is None else round(alarms, 3),
        }
    result["misses"] = misses
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--no-rasa", action="store_true", help="without the Rasa NLU server")
    parser.add_argument("--misses", action="store_true", help="list the lines got wrong")
    args = parser.parse_args()

    from bot.assemble import build_pipeline
    from bot.config import load_settings

    pipeline = build_pipeline(load_settings(), with_rasa=not args.no_rasa)
    result = evaluate(read_labelled(args.file), pipeline.answer)
    print("| group | urgent recall | false alarms |")
    print("|---|---|---|")
    for group in (*GROUPS, "all"):
        row = result[group]
        print(
            f"| {group} | {row['recall']} ({row['caught']}/{row['urgent']}) "
            f"| {row['false_alarm_rate']} ({row['alarms']}/{row['others']}) |"
        )
    if args.misses:
        for miss in result["misses"]:
            print(json.dumps(miss, ensure_ascii=False))


if __name__ == "__main__":
    main()
