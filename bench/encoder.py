"""CPU cost and fidelity of the encoder's backends, one question at a time.

    .venv/bin/python -m bench.encoder [--threads 1] [--rounds 3]

For torch (sentence-transformers), fp32 ONNX and the bot's mostly-int8 ONNX:
CPU milliseconds per development question (process CPU time, so threads and
a busy machine count as they cost), wall p50, and the cosine of each vector
to torch's. Accuracy of each backend: `migbot eval` with
MIGBOT_EMBEDDING__BACKEND set and a data dir of its own (docs/performance.md).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from bot.answering.evaluation import read_questions
from bot.config import PROJECT_ROOT, load_settings
from knowledge_base.embedder import Embedder

BACKENDS = ("torch", "onnx", "onnx-int8")


def questions() -> list[str]:
    return [q["text"] for q in read_questions(PROJECT_ROOT / "bench" / "dev_questions.jsonl")]


def measure(embedder: Embedder, texts: list[str], rounds: int) -> tuple[float, float, np.ndarray]:
    embedder.encode_queries(texts[:10])  # warm-up
    walls, cpu = [], 0.0
    for _ in range(rounds):
        started_cpu = time.process_time()
        for text in texts:
            began = time.perf_counter()
            embedder.encode_queries([text])
            walls.append(time.perf_counter() - began)
        cpu += time.process_time() - started_cpu
    vectors = embedder.encode_queries(texts)
    return cpu / rounds / len(texts) * 1000, statistics.median(walls) * 1000, vectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    settings = load_settings()
    e = settings.embedding
    texts = questions()
    print(f"{len(texts)} questions, one at a time, {args.threads} thread(s)\n")
    print("| backend | CPU ms/question | wall p50 ms | cosine to torch: mean | min |")
    print("|---|---:|---:|---:|---:|")
    reference = None
    for backend in BACKENDS:
        embedder = Embedder(
            e.model, settings.model_cache_dir, e.query_prefix, e.passage_prefix,
            backend, args.threads,
        )  # fmt: skip
        cpu, wall, vectors = measure(embedder, texts, args.rounds)
        reference = vectors if reference is None else reference
        cosine = (vectors * reference).sum(axis=1)
        print(
            f"| {embedder.backend} | {cpu:.2f} | {wall:.2f} "
            f"| {cosine.mean():.4f} | {cosine.min():.4f} |"
        )


if __name__ == "__main__":
    main()
