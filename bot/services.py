"""Putting the parts together from the settings: model, index, Rasa, pipeline."""

from __future__ import annotations

import sys
from functools import lru_cache

from bot import router
from bot.config import Settings, rasa_config, resolve
from bot.pipeline import Pipeline
from knowledge_base.embedder import Embedder, encoder_identity
from knowledge_base.entries import entries_fingerprint, load_entries, load_out_of_scope
from knowledge_base.index import build_index, current_build, read_manifest
from knowledge_base.search import KnowledgeBase
from nlu.rasa_client import RasaClient
from nlu.rasa_server import ensure_server


def say_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@lru_cache(maxsize=4)
def _embedder(
    model: str, cache_dir: str, query_prefix: str, passage_prefix: str, backend: str, threads: int
) -> Embedder:
    from pathlib import Path

    return Embedder(model, Path(cache_dir), query_prefix, passage_prefix, backend, threads)


def embedder_for(settings: Settings) -> Embedder:
    e = settings.embedding
    return _embedder(
        e.model,
        str(settings.model_cache_dir),
        e.query_prefix,
        e.passage_prefix,
        e.backend,
        e.threads,
    )


def index_is_current(settings: Settings) -> bool:
    build = current_build(settings.index_dir)
    if build is None:
        return False
    manifest = read_manifest(build)
    encoder = encoder_identity(settings.embedding.model, settings.embedding.backend)
    same_entries = manifest["fingerprint"] == entries_fingerprint(settings.entries_dir)
    return same_entries and manifest["model"] == encoder


def build_knowledge_base(settings: Settings, progress: bool = True) -> KnowledgeBase:
    """Validate the entries and build a new index; the old one stays if this fails."""
    entries = load_entries(settings.entries_dir)
    embedder = embedder_for(settings)
    bar = None
    if progress:
        from tqdm import tqdm

        total = sum(2 + len(t.phrasings) for e in entries for t in e.texts.values())
        bar = tqdm(total=total, desc="Embedding", unit="passage", file=sys.stderr)
    try:
        build_index(
            entries,
            embedder,
            settings.index_dir,
            entries_fingerprint(settings.entries_dir),
            progress=bar.update if bar else None,
            out_of_scope=load_out_of_scope(settings.entries_dir),
        )
    finally:
        if bar:
            bar.close()
    return KnowledgeBase.open(settings.index_dir, embedder, settings.retrieval.rrf_k)


def open_knowledge_base(settings: Settings) -> KnowledgeBase:
    """The served index, built first when missing or older than the entries."""
    if not index_is_current(settings):
        say_progress("migbot: the index is missing or out of date; building it now")
        return build_knowledge_base(settings, progress=sys.stderr.isatty())
    return KnowledgeBase.open(settings.index_dir, embedder_for(settings), settings.retrieval.rrf_k)


def thresholds_for(settings: Settings) -> router.Thresholds:
    return router.Thresholds(
        answer=settings.retrieval.answer_threshold,
        suggest=settings.retrieval.suggest_threshold,
        intent=settings.rasa.intent_threshold,
        unanswered_before_handoff=settings.counsellors.unanswered_before_handoff,
    )


def rasa_client_for(settings: Settings, start: bool = True) -> RasaClient | None:
    """The configured Rasa server, or our own one, started if none is running."""
    url = settings.rasa.url or ensure_server(
        port=settings.rasa.port,
        venv=resolve(settings.rasa.venv),
        model_dir=resolve(settings.rasa.model_dir),
        work_dir=settings.data_dir / "rasa",
        rasa_config=rasa_config(),
        start=start,
        log=say_progress,
    )
    return RasaClient(url, settings.rasa.timeout_seconds) if url else None


def build_pipeline(settings: Settings, with_rasa: bool = True) -> Pipeline:
    kb = open_knowledge_base(settings)
    rasa = rasa_client_for(settings) if with_rasa else None
    return Pipeline(kb, rasa, thresholds_for(settings), settings.retrieval.top_k)
