"""Query latency, index build time and peak memory of the retrieval pipeline.

    .venv/bin/python -m bench.latency                 # the real KB, retrieval only
    .venv/bin/python -m bench.latency --rasa          # the whole ask path, NLU included
    .venv/bin/python -m bench.latency --synthetic 10000   # build time of a 10,000-entry KB

Prints a markdown table; docs/performance.md records the figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from bot.config import PROJECT_ROOT, Settings, load_settings

DEV_SET = PROJECT_ROOT / "bench" / "dev_questions.jsonl"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_queries(settings: Settings, with_rasa: bool, rounds: int) -> dict:
    from bot.answering.evaluation import read_questions
    from bot.assemble import build_pipeline

    pipeline = build_pipeline(settings, with_rasa=with_rasa)
    questions = [q["text"] for q in read_questions(DEV_SET)]
    pipeline.answer(questions[0])  # warm-up: first call pays lazy initialisation
    timings = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            pipeline.answer(question)
            timings.append(1000 * (time.perf_counter() - started))
    return {
        "what": "ask path, NLU + retrieval" if with_rasa else "ask path, retrieval only",
        "questions": len(timings),
        "p50_ms": round(percentile(timings, 0.5), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "mean_ms": round(statistics.fmean(timings), 1),
        "peak_rss_mb": round(peak_memory_mb()),
    }


def measure_build(settings: Settings) -> dict:
    from bot.assemble import build_knowledge_base

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        kb = build_knowledge_base(dataclasses.replace(settings, data_dir=Path(tmp)), progress=False)
        seconds = time.perf_counter() - started
    return {
        "what": "index build, the knowledge base",
        "entries": kb.manifest["entries"],
        "passages": kb.manifest["passages"],
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak_memory_mb()),
    }


def synthetic_entries(count: int, seed: int = 7) -> list:
    """Entries made by recombining real ones: realistic lengths, distinct texts."""
    from knowledge_base.entries import Entry, Text, load_entries

    real = load_entries(PROJECT_ROOT / "knowledge_base" / "entries")
    rng = random.Random(seed)
    made = []
    for number in range(count):
        base, other = rng.sample(real, 2)
        texts = {}
        for lang in ("ka", "en"):
            question = f"{rng.choice(base.texts[lang].phrasings)} {other.texts[lang].question}"
            # The answer's first paragraph: the real answers' full length
            # would make this a benchmark of the encoder on long texts.
            first_paragraph = base.texts[lang].answer.split("\n")[0]
            texts[lang] = Text(
                question=f"{question} ({number})", phrasings=(), answer=first_paragraph
            )
        made.append(
            Entry(
                id=f"synthetic-{number}", category=base.category, urgent=False,
                reviewed=dt.date.today(), review_by=base.review_by, sources=base.sources,
                texts=texts,
            )
        )  # fmt: skip
    return made


def measure_synthetic_build(settings: Settings, count: int) -> dict:
    from bot.assemble import embedder_for
    from knowledge_base.index import build_index

    entries = synthetic_entries(count)
    embedder = embedder_for(settings)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        build_index(entries, embedder, Path(tmp), "synthetic")
        seconds = time.perf_counter() - started
    return {
        "what": f"index build, synthetic {count}-entry KB",
        "entries": count,
        "passages": 4 * count,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak_memory_mb()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rasa", action="store_true", help="include the Rasa NLU server")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the dev questions")
    parser.add_argument("--synthetic", type=int, default=0, help="also build an N-entry KB")
    args = parser.parse_args()
    settings = load_settings()
    rows = [measure_build(settings), measure_queries(settings, args.rasa, args.rounds)]
    if args.synthetic:
        rows.append(measure_synthetic_build(settings, args.synthetic))
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
