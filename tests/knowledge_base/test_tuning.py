"""The encoder fine-tuned on the entries (knowledge_base/tuning.py)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from bot.config import Settings
from knowledge_base.model_build import ensure_model
from knowledge_base.tuning import (
    RECIPE_FILE,
    TuningData,
    TuningRecipe,
    is_tuned,
    tune_encoder,
    tuned_folder,
)

DATA = TuningData(
    examples={
        "work-permit": ["how do I get a work permit", "სამუშაო ნებართვა როგორ ავიღო"],
        "overstay": ["what if I stay past 90 days", "ვიზის ვადა გამივიდა რა ვქნა"],
        "fake-offer": ["is this job offer real", "ეს ვაკანსია ნამდვილია?"],
    },
    negatives=["weather in Batumi tomorrow", "how to renew a driving licence"],
    near_misses={"work-permit": ["work permit for Australia"]},
)


def test_the_fingerprint_follows_the_data_and_the_recipe_not_their_order():
    base = DATA.fingerprint("e5", TuningRecipe(), "query: ")
    shuffled = TuningData(
        examples={k: list(reversed(v)) for k, v in reversed(DATA.examples.items())},
        negatives=[*reversed(DATA.negatives), DATA.negatives[0]],
        near_misses=DATA.near_misses,
    )
    assert shuffled.fingerprint("e5", TuningRecipe(), "query: ") == base
    changed = dataclasses.replace(
        DATA, examples={**DATA.examples, "overstay": ["what if I overstay my visa"]}
    )
    assert changed.fingerprint("e5", TuningRecipe(), "query: ") != base
    assert DATA.fingerprint("e5", TuningRecipe(steps=100), "query: ") != base
    assert DATA.fingerprint("other", TuningRecipe(), "query: ") != base
    assert tuned_folder(Path("/c"), base) == Path("/c") / f"tuned-e5-{base[:16]}"


def test_tuning_writes_a_loadable_encoder_that_differs_from_the_base(
    base_settings: Settings, tmp_path: Path
):
    from sentence_transformers import SentenceTransformer

    base = ensure_model(base_settings.embedding.model, base_settings.model_cache_dir)
    out = tmp_path / "tuned"
    steps: list[int] = []
    recipe = TuningRecipe(steps=3, batch=3, negatives=2, learning_rate=1e-4)
    assert tune_encoder(base, DATA, out, recipe, progress=steps.append) == out
    assert is_tuned(out) and (out / RECIPE_FILE).is_file() and len(steps) == 3
    texts = ["query: how do I get a work permit", "query: ვიზის ვადა გამივიდა"]
    before = SentenceTransformer(base, device="cpu").encode(texts, normalize_embeddings=True)
    after = SentenceTransformer(str(out), device="cpu").encode(texts, normalize_embeddings=True)
    assert after.shape == before.shape == (2, 384)
    assert np.allclose(np.linalg.norm(after, axis=1), 1.0, atol=1e-4)
    assert not np.allclose(after, before, atol=1e-4)
    # A tuned folder is kept as it is: no second training.
    stamp = (out / RECIPE_FILE).stat().st_mtime_ns
    tune_encoder(base, DATA, out, recipe)
    assert (out / RECIPE_FILE).stat().st_mtime_ns == stamp


def test_tuning_needs_two_entries_with_two_examples(tmp_path: Path):
    one = TuningData(examples={"a": ["x", "y"], "b": ["z"]}, negatives=[], near_misses={})
    with pytest.raises(ValueError, match="two or more entries"):
        tune_encoder("unused", one, tmp_path / "out")
    assert not is_tuned(tmp_path / "out")
