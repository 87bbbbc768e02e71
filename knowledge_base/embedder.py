"""The sentence encoder: one model, loaded once, with e5's prefixes.

Two ways to run it (`embedding.backend` in config.yml): "torch", through
sentence-transformers, and "onnx-int8" (or "onnx", fp32), through ONNX
Runtime (knowledge_base/onnx_encoder.py), which the bot uses because it
answers with 60% of the CPU. An index remembers which one built it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge_base.model_build import ensure_model
from knowledge_base.onnx_encoder import (
    FP32_FILE,
    INT8_FILE,
    OnnxEncoder,
    effective_backend,
    ensure_onnx_files,
)


def encoder_identity(model: str, backend: str) -> str:
    """What an index records as its encoder: vectors of two backends differ slightly."""
    backend = effective_backend(backend)
    if backend == "torch":
        return model
    return f"{model} [onnx/{INT8_FILE if backend == 'onnx-int8' else FP32_FILE}]"


class Embedder:
    """Encodes queries and passages into unit vectors (cosine = inner product).

    Args:
        model: a Hugging Face name or a local folder (knowledge_base.model_build).
        cache_dir: where converted models are kept.
        backend: "torch", "onnx" or "onnx-int8" (knowledge_base.onnx_encoder).
        threads: CPU threads of one encoding; 0 = all cores.
    """

    def __init__(
        self,
        model: str,
        cache_dir: Path,
        query_prefix: str = "query: ",
        passage_prefix: str = "passage: ",
        backend: str = "torch",
        threads: int = 0,
    ):
        threads = threads or os.cpu_count() or 1
        self.backend = effective_backend(backend)
        self.model_name = encoder_identity(model, backend)
        self.model_path = ensure_model(model, cache_dir)
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        if self.backend == "torch":
            self._torch_model = _load_sentence_transformer(self.model_path, threads)
            self.dimension = int(self._torch_model.get_embedding_dimension())
        else:
            if not Path(self.model_path).is_dir():
                raise ValueError(
                    f"embedding backend {backend} needs a local model folder, not {model!r}"
                )
            onnx_file = ensure_onnx_files(
                self.model_path, self.backend == "onnx-int8", Path(self.model_path)
            )
            self._onnx = OnnxEncoder(self.model_path, onnx_file, threads)
            self.dimension = self._onnx.dimension

    def encode_queries(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Questions, with the query prefix: (len(texts), dimension) float32, L2-normalised."""
        return self.encode([self.query_prefix + t for t in texts], batch_size)

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Entry texts, with the passage prefix: (len(texts), dimension) float32, L2-normalised."""
        return self.encode([self.passage_prefix + t for t in texts], batch_size)

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Texts as they are, without a prefix: (len(texts), dimension) float32, L2-normalised."""
        if self.backend == "torch":
            vectors = self._torch_model.encode(
                texts,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        else:
            vectors = self._onnx.encode(texts)
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _load_sentence_transformer(model_path: str, threads: int):
    # Imported here: torch takes seconds to import and commands such as
    # `migbot kb validate` never need it.
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    return SentenceTransformer(model_path, device="cpu")
