"""The sentence encoder: one SentenceTransformer, loaded once, with e5's prefixes."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge_base.model_build import ensure_model


class Embedder:
    """Encodes queries and passages into unit vectors (cosine = inner product)."""

    def __init__(
        self,
        model: str,
        cache_dir: Path,
        query_prefix: str = "query: ",
        passage_prefix: str = "passage: ",
    ):
        # Imported here: torch takes seconds to import and commands such as
        # `migbot kb validate` never need it.
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(int(os.environ.get("MIGBOT_TORCH_THREADS", os.cpu_count() or 1)))
        self.model_name = model
        self.model_path = ensure_model(model, cache_dir)
        self.model = SentenceTransformer(self.model_path, device="cpu")
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    def encode_queries(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        return self._encode([self.query_prefix + t for t in texts], batch_size)

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        return self._encode([self.passage_prefix + t for t in texts], batch_size)

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        vectors = self.model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)
