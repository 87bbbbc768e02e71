"""The int8 ONNX encoder the bot runs must stay faithful to the model it was exported from."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bot.config import Settings
from knowledge_base.embedder import Embedder, encoder_identity
from knowledge_base.onnx_encoder import effective_backend, has_vnni

GEORGIAN = [
    "როგორ ვიმუშაო პოლონეთში ლეგალურად?",
    "რა ხდება, თუ ვიზის ვადას გადავაცილებ?",
    "დამსაქმებელმა პასპორტი წამართვა და ხელფასს არ მიხდის.",
    "სამუშაო ხელშეკრულება უნდა იყოს წერილობითი.",
    "ბაღში ბევრი წითელი ყვავილებია.",
]
ENGLISH = [
    "How can I work legally in Poland?",
    "What happens if I overstay my visa?",
    "My employer took my passport and does not pay my wages.",
    "The employment contract must be in writing.",
    "There are many red flowers in the garden.",
]


@pytest.fixture(scope="module")
def encoders(base_settings: Settings) -> dict[str, Embedder]:
    e = base_settings.embedding
    return {
        backend: Embedder(
            e.model, base_settings.model_cache_dir, e.query_prefix, e.passage_prefix, backend, 1
        )
        for backend in ("torch", "onnx", "onnx-int8")
    }


def test_fp32_onnx_is_the_torch_model(encoders: dict[str, Embedder]) -> None:
    texts = GEORGIAN + ENGLISH
    torch_vectors = encoders["torch"].encode_queries(texts)
    onnx_vectors = encoders["onnx"].encode_queries(texts)
    assert (torch_vectors * onnx_vectors).sum(axis=1).min() > 0.9999


def test_int8_vectors_stay_close_to_torch(encoders: dict[str, Embedder]) -> None:
    texts = GEORGIAN + ENGLISH
    torch_vectors = encoders["torch"].encode_passages(texts)
    int8_vectors = encoders["onnx-int8"].encode_passages(texts)
    assert (torch_vectors * int8_vectors).sum(axis=1).min() > 0.99


def test_int8_still_matches_georgian_to_its_translation(encoders: dict[str, Embedder]) -> None:
    int8 = encoders["onnx-int8"]
    similarity = int8.encode_queries(GEORGIAN) @ int8.encode_queries(ENGLISH).T
    assert list(similarity.argmax(axis=1)) == list(range(len(GEORGIAN)))


def test_a_vector_does_not_depend_on_the_other_texts_encoded_with_it(
    encoders: dict[str, Embedder],
) -> None:
    int8 = encoders["onnx-int8"]
    alone = int8.encode_queries([GEORGIAN[0]])[0]
    among_others = int8.encode_queries([ENGLISH[2], GEORGIAN[0], "ok"])[1]
    assert np.array_equal(alone, among_others)


def test_unit_vectors_for_empty_emoji_and_very_long_texts(encoders: dict[str, Embedder]) -> None:
    vectors = encoders["onnx-int8"].encode_queries(["", "🙂🙂", "პოლონეთი " * 2000])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_an_index_of_another_backend_is_not_current(base_settings: Settings, pipeline) -> None:
    from bot.assemble import index_is_current

    model = base_settings.embedding.model
    assert encoder_identity(model, "torch") == model
    assert encoder_identity(model, "onnx") != encoder_identity(model, "torch")
    assert index_is_current(base_settings)  # the session's pipeline built it
    other = "torch" if base_settings.embedding.backend != "torch" else "onnx"
    switched = dataclasses.replace(
        base_settings, embedding=dataclasses.replace(base_settings.embedding, backend=other)
    )
    assert not index_is_current(switched)


def test_int8_needs_vnni_and_falls_back_to_fp32() -> None:
    # Both branches, whatever this machine's CPU.
    assert effective_backend("onnx-int8", vnni=True) == "onnx-int8"
    assert effective_backend("onnx-int8", vnni=False) == "onnx"
    assert effective_backend("onnx", vnni=True) == "onnx"
    assert effective_backend("torch", vnni=False) == "torch"
    assert has_vnni("flags\t\t: fpu sse avx2 avx512f avx512_vnni\n")
    assert has_vnni("flags\t\t: fpu sse avx2 avx_vnni\n")
    assert not has_vnni("flags\t\t: fpu sse avx2 avx512f\n")
    with pytest.raises(ValueError, match="backend"):
        effective_backend("tensorflow")
