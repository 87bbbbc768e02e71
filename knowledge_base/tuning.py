"""Fine-tuning the encoder on the entries' own questions (contrastive learning).

multilingual-e5-small places two phrasings of one entry close when they share
a language and words; a Georgian question in other verb forms, or an English
one in other words, may sit nearer a neighbouring entry. A short contrastive
fine-tuning on the entries' questions and phrasings (each entry's examples
drawn together, the others', the out-of-scope questions' and the entry's own
near misses pushed apart) moved the development sets' accuracy@1 without a
threshold from 0.90 / 0.95 / 0.97 to 0.97 / 0.97 / 0.97 (English, Georgian
script, Latin-typed Georgian; new entries 0.93 / 0.89 / 0.91 to 0.93 / 0.98 /
0.98; docs/quality.md, "the encoder fine-tuned on the entries").

The loss is sentence-transformers' `MultipleNegativesRankingLoss` (InfoNCE with
in-batch negatives, both directions); the batches are drawn here, because each
must hold one pair per entry: two phrasings of the same entry in one batch
would be taught apart. The result is a sentence-transformers folder, loaded
like any other model (`knowledge_base.embedder.Embedder`).
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

# Raised when the way examples are drawn or trained changes: a tuned folder of
# another version is not reused.
TUNING_VERSION = 1
RECIPE_FILE = "migbot_tuning.json"


@dataclass(frozen=True)
class TuningRecipe:
    """How the encoder is fine-tuned. The values are those measured in
    docs/quality.md ("the encoder fine-tuned on the entries"); about 10 minutes
    on 2 cores for 200 steps.

    Attributes:
        steps: optimizer steps; 0 means no tuning (the base encoder as is).
        batch: entries per step, one (anchor, positive) pair each.
        negatives: out-of-scope questions per step, half of them near misses
            of the batch's entries where it has any; 0: none. The calibration
            (bench/calibrate.py) learns what an unseen out-of-scope question
            looks like from those questions held out in folds, which the
            encoder has then seen; without them (0) the second near-domain
            development set had more false answers, not fewer (docs/quality.md).
        learning_rate: AdamW's peak rate, after a warm-up of a tenth of the
            steps, then falling linearly to 0.
        scale: the loss's inverse temperature (20 = 1 / 0.05).
        seed: of the example draws and torch.
        threads: torch's CPU threads, fixed so that a build gives the same
            weights whatever the machine's core count.
        max_tokens: questions are cut to this many tokens while training.
    """

    steps: int = 200
    batch: int = 32
    negatives: int = 32
    learning_rate: float = 2e-5
    scale: float = 20.0
    seed: int = 0
    threads: int = 2
    max_tokens: int = 64


@dataclass(frozen=True)
class TuningData:
    """What the encoder learns from, as the searcher sees it (prepared).

    Attributes:
        examples: {entry id: its questions and phrasings, at least one}.
        negatives: questions that no entry answers.
        near_misses: {entry id: questions from its neighbourhood that it does
            not answer}; drawn as negatives beside that entry.
    """

    examples: Mapping[str, Sequence[str]]
    negatives: Sequence[str]
    near_misses: Mapping[str, Sequence[str]]

    def fingerprint(self, base: str, recipe: TuningRecipe, query_prefix: str) -> str:
        """A hex digest of everything the tuned weights depend on: the base
        model's identity, the recipe, the prefix and the texts."""
        digest = hashlib.sha256()
        payload = {
            "version": TUNING_VERSION,
            "base": base,
            "recipe": asdict(recipe),
            "prefix": query_prefix,
            "examples": {k: sorted(set(v)) for k, v in sorted(self.examples.items())},
            "negatives": sorted(set(self.negatives)),
            "near_misses": {k: sorted(set(v)) for k, v in sorted(self.near_misses.items())},
        }
        digest.update(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode())
        return digest.hexdigest()


def tuned_folder(cache_dir: Path, fingerprint: str) -> Path:
    """Where the encoder tuned on data of this fingerprint is kept."""
    return Path(cache_dir).expanduser() / f"tuned-e5-{fingerprint[:16]}"


def is_tuned(folder: Path) -> bool:
    """True if `folder` holds a complete tuned encoder (its recipe file is written last)."""
    return (folder / RECIPE_FILE).is_file()


def tune_encoder(
    base_model: str,
    data: TuningData,
    out: Path,
    recipe: TuningRecipe = TuningRecipe(),
    query_prefix: str = "query: ",
    progress: Callable[[int], None] | None = None,
) -> Path:
    """Fine-tune `base_model` (a sentence-transformers folder) on `data`; write it to `out`.

    Each step draws `recipe.batch` entries without repeats and two of each
    one's examples (anchor, positive), plus `recipe.negatives` questions no
    entry answers; the loss ranks each anchor's positive above every other
    candidate and each positive's anchor above the other anchors. The token
    embeddings stay frozen (250,000 rows of which the examples use a few
    thousand). Written atomically (a temporary folder, then a rename); the
    recipe file `RECIPE_FILE` last. Idempotent: an existing tuned `out` is kept.

    Args:
        base_model: a local sentence-transformers folder (mean pooling).
        data: entries with two or more examples take part; others are skipped.
        out: the folder to write.
        recipe: the training settings.
        query_prefix: put before every text, as the encoder's queries get it.
        progress: called with 1 after each step.

    Returns:
        `out`.

    Raises:
        ValueError: fewer than two entries with two examples each.
    """
    out = Path(out)
    if is_tuned(out):
        return out
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    groups = {k: sorted(set(v)) for k, v in sorted(data.examples.items()) if len(set(v)) >= 2}
    if len(groups) < 2:
        raise ValueError("tuning needs two or more entries with two or more examples each")
    negatives = sorted(set(data.negatives))
    near = {k: sorted(set(v)) for k, v in data.near_misses.items() if v}
    batch = min(recipe.batch, len(groups))
    rng = random.Random(recipe.seed)
    torch.manual_seed(recipe.seed)
    threads = torch.get_num_threads()
    torch.set_num_threads(recipe.threads)
    try:
        model = SentenceTransformer(base_model, device="cpu")
        model.max_seq_length = recipe.max_tokens
        for parameter in model[0].auto_model.embeddings.parameters():
            parameter.requires_grad = False
        loss = MultipleNegativesRankingLoss(
            model,
            scale=recipe.scale,
            directions=("query_to_doc", "doc_to_query"),
            partition_mode="per_direction",
        )
        trained = [p for p in model.parameters() if p.requires_grad]
        optimizer = torch.optim.AdamW(trained, lr=recipe.learning_rate, weight_decay=0.01)
        warmup = max(1, recipe.steps // 10)
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimizer,
            lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (recipe.steps - s) / recipe.steps),
        )
        ids = list(groups)
        model.train()
        for _ in range(recipe.steps):
            columns = _draw(rng, ids, groups, negatives, near, batch, recipe.negatives)
            features = [model.preprocess([query_prefix + t for t in c]) for c in columns]
            value = loss(features, torch.empty(0))
            optimizer.zero_grad()
            value.backward()
            optimizer.step()
            schedule.step()
            if progress:
                progress(1)
        model.eval()
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f".{out.name}.", dir=out.parent) as tmp:
            work = Path(tmp) / "model"
            model.save(str(work))
            recipe_record = {"version": TUNING_VERSION, "base": base_model, **asdict(recipe)}
            (work / RECIPE_FILE).write_text(json.dumps(recipe_record, indent=2), encoding="utf-8")
            if out.exists():  # a half-written folder of an interrupted build
                shutil.rmtree(out)
            work.rename(out)
    finally:
        torch.set_num_threads(threads)
    return out


def _draw(
    rng: random.Random,
    ids: list[str],
    groups: dict[str, list[str]],
    negatives: list[str],
    near: dict[str, list[str]],
    batch: int,
    count: int,
) -> list[list[str]]:
    """One step's columns: anchors, positives and, if there are negatives, a
    column of `count` of them: for the first half of the chosen entries one of
    the entry's near misses (any negative when it has none), then any."""
    chosen = rng.sample(ids, batch)
    pairs = [rng.sample(groups[entry_id], 2) for entry_id in chosen]
    columns = [[a for a, _ in pairs], [p for _, p in pairs]]
    if negatives and count:
        drawn = [rng.choice(near.get(e) or negatives) for e in chosen[: count // 2]]
        columns.append(drawn + rng.sample(negatives, min(len(negatives), count - len(drawn))))
    return columns
