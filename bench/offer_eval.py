"""Precision and recall per warning sign of the job-offer check on a labelled advert set.

    .venv/bin/python -m bench.offer_eval bench/offer_adverts.jsonl [--misses]

Each line of the set: {"text": ..., "lang": "ka" | "ka-latn" | "en", "flags": [codes]}.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nlu.offer_signs import SIGN_CODES, detect_offer_signs


def read_adverts(path: Path) -> list[dict]:
    adverts = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            advert = json.loads(line)
            unknown = set(advert["flags"]) - set(SIGN_CODES)
            if unknown:
                raise ValueError(f"{path}:{number}: unknown sign(s) {sorted(unknown)}")
            adverts.append(advert)
    return adverts


def evaluate(adverts: list[dict]) -> dict:
    """Per sign: tp, fp, fn, precision, recall (None when undefined); plus the misses."""
    counts = {code: {"tp": 0, "fp": 0, "fn": 0} for code in SIGN_CODES}
    misses = []
    exact = 0
    for advert in adverts:
        gold = set(advert["flags"])
        found = set(detect_offer_signs(advert["text"]).flags)
        exact += gold == found
        for code in SIGN_CODES:
            if code in found and code in gold:
                counts[code]["tp"] += 1
            elif code in found:
                counts[code]["fp"] += 1
            elif code in gold:
                counts[code]["fn"] += 1
        if gold != found:
            misses.append(
                {
                    "lang": advert["lang"],
                    "missed": sorted(gold - found),
                    "extra": sorted(found - gold),
                    "text": advert["text"],
                }
            )
    for row in counts.values():
        row["precision"] = _ratio(row["tp"], row["tp"] + row["fp"])
        row["recall"] = _ratio(row["tp"], row["tp"] + row["fn"])
    total = {k: sum(row[k] for row in counts.values()) for k in ("tp", "fp", "fn")}
    total["precision"] = _ratio(total["tp"], total["tp"] + total["fp"])
    total["recall"] = _ratio(total["tp"], total["tp"] + total["fn"])
    return {
        "adverts": len(adverts),
        "exact": exact,
        "signs": counts,
        "all": total,
        "misses": misses,
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def format_table(result: dict) -> str:
    lines = ["| sign | in set | precision | recall |", "|---|---|---|---|"]
    rows = [*result["signs"].items(), ("all signs", result["all"])]
    for code, row in rows:
        cells = [str(row["tp"] + row["fn"]), _cell(row["precision"]), _cell(row["recall"])]
        lines.append(f"| {code} | " + " | ".join(cells) + " |")
    lines.append(
        f"\n{result['adverts']} adverts, {result['exact']} with exactly the labelled signs."
    )
    return "\n".join(lines)


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, nargs="+")
    parser.add_argument("--misses", action="store_true", help="list the adverts not matched")
    args = parser.parse_args(argv)
    adverts = [a for path in args.file for a in read_adverts(path)]
    result = evaluate(adverts)
    print(format_table(result))
    if args.misses:
        for miss in result["misses"]:
            print(json.dumps(miss, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
