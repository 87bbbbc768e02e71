"""The composition root: settings -> model, index, Rasa, pipeline, store, the Telegram bot.

The only module, with the CLI, that knows how the rooms fit together; each
room takes what it needs as parameters (bot.config reads the settings).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import asdict
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bot.answering import Pipeline, Thresholds
from bot.config import Settings, resolve
from bot.handoff import Handoff
from bot.store import Store, load_pseudonym_key
from knowledge_base.embedder import Embedder
from knowledge_base.entries import (
    Entry,
    entries_fingerprint,
    load_entries,
    load_near_misses,
    load_out_of_scope,
)
from knowledge_base.index import INDEX_FORMAT, build_index, current_build, read_manifest
from knowledge_base.model_build import ensure_model
from knowledge_base.onnx_encoder import effective_backend
from knowledge_base.search import Calibration, Fusion, KnowledgeBase, latin_terms
from knowledge_base.tuning import (
    TuningData,
    TuningRecipe,
    is_tuned,
    tune_encoder,
    tuned_folder,
)
from nlu.georgian import default_transliterator, understand
from nlu.rasa_client import RasaClient
from nlu.rasa_server import ensure_server

if TYPE_CHECKING:
    from telegram.ext import Application


def say_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@lru_cache(maxsize=4)
def _embedder(
    model: str, cache_dir: str, query_prefix: str, passage_prefix: str, backend: str, threads: int
) -> Embedder:
    return Embedder(model, Path(cache_dir), query_prefix, passage_prefix, backend, threads)


CALIBRATION_FILE = "calibration.json"


def embedder_for(settings: Settings, model: str | None = None) -> Embedder:
    """The encoder of the served index (the folder its manifest names, e.g. the
    encoder tuned on the entries), or `model`, or with no index the configured
    model; one per process for the same settings."""
    e = settings.embedding
    if model is None:
        build = current_build(settings.index_dir)
        manifest = read_manifest(build) if build else {}
        model = manifest.get("encoder_path") or e.model
    return _embedder(
        model,
        str(settings.model_cache_dir),
        e.query_prefix,
        e.passage_prefix,
        e.backend,
        e.threads,
    )


def tuning_recipe_for(settings: Settings) -> TuningRecipe:
    """The encoder's fine-tuning of these settings (steps 0: none)."""
    return TuningRecipe(steps=settings.embedding.tune_steps)


def encoder_source_for(settings: Settings) -> dict:
    """How these settings choose the encoder, as an index's manifest records it
    (`build_index`'s encoder_source): an index built otherwise is not current."""
    e = settings.embedding
    recipe = tuning_recipe_for(settings)
    return {
        "model": e.model,
        "backend": effective_backend(e.backend),
        "tuning": asdict(recipe) if recipe.steps else None,
    }


def tuned_encoder_for(
    settings: Settings,
    entries: list[Entry],
    prepare: Callable[[str], str],
    out_of_scope: list[str],
    progress: bool = True,
) -> str:
    """The model a new index is built with: the configured one, or with
    `embedding.tune_steps` that model fine-tuned on the entries' questions and
    phrasings as searched (`prepare`), the `out_of_scope` questions (as
    `load_out_of_scope` gives them) and the near misses (knowledge_base/tuning.py).
    A tuned encoder is kept in cache_dir under a hash of what it learned from
    and reused while that is unchanged; tuning takes minutes (config.yml)."""
    recipe = tuning_recipe_for(settings)
    e = settings.embedding
    if not recipe.steps:
        return e.model
    base = ensure_model(e.model, settings.model_cache_dir)
    data = TuningData(
        examples={
            entry.id: [prepare(q) for t in entry.texts.values() for q in (t.question, *t.phrasings)]
            for entry in entries
        },
        negatives=[prepare(q) for q in out_of_scope] if recipe.negatives else [],
        near_misses={
            entry_id: [prepare(q) for q in questions]
            for entry_id, questions in load_near_misses(settings.entries_dir).items()
        }
        if recipe.negatives
        else {},
    )
    fingerprint = data.fingerprint(e.model, recipe, e.query_prefix)
    folder = tuned_folder(settings.model_cache_dir, fingerprint)
    if is_tuned(folder):
        return str(folder)
    say_progress(f"migbot: fine-tuning the encoder on the entries ({recipe.steps} steps, minutes)")
    bar = _progress_bar(recipe.steps, "Tuning", "step") if progress else None
    try:
        tune_encoder(base, data, folder, recipe, e.query_prefix, bar.update if bar else None)
    finally:
        if bar:
            bar.close()
    return str(folder)


def _progress_bar(total: int, desc: str, unit: str):
    """A tqdm bar on stderr."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr)


def calibration_for(settings: Settings) -> Calibration | None:
    """The retrieval confidence's calibration beside the entries (knowledge_base/
    calibration.json, written by bench/calibrate.py); None: the classifier's probability."""
    return Calibration.load(settings.entries_dir.parent / CALIBRATION_FILE)


def fusion_for(settings: Settings) -> Fusion:
    """The weighted reciprocal rank fusion of these settings."""
    r = settings.retrieval
    return Fusion(r.rrf_k, r.dense_weight, r.classifier_weight, r.lexical_weight)


def index_for(settings: Settings) -> KnowledgeBase:
    """The served index as it is now (no build); raises IndexMissing if there is none."""
    return KnowledgeBase.open(
        settings.index_dir, embedder_for(settings), fusion_for(settings), calibration_for(settings)
    )


def index_is_current(settings: Settings) -> bool:
    """True if the served index was built from today's entries with today's
    encoder, in today's index format."""
    build = current_build(settings.index_dir)
    if build is None:
        return False
    manifest = read_manifest(build)
    same_entries = manifest["fingerprint"] == entries_fingerprint(settings.entries_dir)
    same_format = manifest.get("format") == INDEX_FORMAT
    source = encoder_source_for(settings)
    same_encoder = manifest.get("encoder_source") == source
    # A tuned encoder lives in cache_dir, which can be cleared; a configured
    # model may be a Hub name rather than a folder.
    tuned_there = source["tuning"] is None or is_tuned(Path(manifest.get("encoder_path") or ""))
    return same_entries and same_format and same_encoder and tuned_there


def prepare_as_query(entries: list[Entry]) -> Callable[[str], str]:
    """What a question goes through before search (nlu's understanding: NFC,
    Mtavruli folded, Latin- or Cyrillic-typed Georgian in Mkhedruli), for the
    index's questions and phrasings. The transliterator first learns the
    entries' Georgian words and the terms their Georgian answers write in Latin
    letters, as the pipeline does from the index it serves.
    Memoised: a build prepares every question and negative twice, for the
    tuning's fingerprint and for the index (about 1.4 s each time, 77 entries)."""
    transliterator = default_transliterator()
    transliterator.add_vocabulary(
        piece
        for entry in entries
        for text in entry.texts.values()
        for piece in (text.question, *text.phrasings, text.answer)
    )
    # and the terms its Georgian answers write in Latin letters, as the pipeline
    # learns them from the index (KnowledgeBase.latin_terms)
    transliterator.add_terms(latin_terms(entry.texts["ka"].answer for entry in entries))

    @cache
    def prepare(text: str) -> str:
        return understand(text).text

    return prepare


def build_knowledge_base(settings: Settings, progress: bool = True) -> KnowledgeBase:
    """Validate the entries and build a new index; the old one stays if this fails."""
    entries = load_entries(settings.entries_dir)
    prepare = prepare_as_query(entries)
    out_of_scope = load_out_of_scope(settings.entries_dir)
    tuned = tuned_encoder_for(settings, entries, prepare, out_of_scope, progress)
    embedder = embedder_for(settings, tuned)
    bar = None
    if progress:
        total = sum(2 + len(t.phrasings) for e in entries for t in e.texts.values())
        bar = _progress_bar(total, "Embedding", "passage")
    try:
        build_index(
            entries,
            embedder,
            settings.index_dir,
            entries_fingerprint(settings.entries_dir),
            progress=bar.update if bar else None,
            out_of_scope=out_of_scope,
            prepare=prepare,
            encoder_source=encoder_source_for(settings),
        )
    finally:
        if bar:
            bar.close()
    return index_for(settings)


def open_knowledge_base(settings: Settings) -> KnowledgeBase:
    """The served index, built first when missing or older than the entries."""
    if not index_is_current(settings):
        say_progress("migbot: the index is missing or out of date; building it now")
        return build_knowledge_base(settings, progress=sys.stderr.isatty())
    return index_for(settings)


def thresholds_for(settings: Settings) -> Thresholds:
    """The router's thresholds of these settings."""
    return Thresholds.from_settings(settings)


def rasa_client_for(settings: Settings, start: bool = True) -> RasaClient | None:
    """The configured Rasa server, or our own one, started if none is running."""
    url = settings.rasa.url or ensure_server(
        port=settings.rasa.port,
        venv=resolve(settings.rasa.venv),
        model_dir=resolve(settings.rasa.model_dir),
        work_dir=settings.data_dir / "rasa",
        rasa_config=settings.rasa_config,
        start=start,
        log=say_progress,
    )
    return RasaClient(url, settings.rasa.timeout_seconds) if url else None


def build_pipeline(settings: Settings, with_rasa: bool = True) -> Pipeline:
    """The answering pipeline: the index (built if out of date) and, with_rasa, Rasa."""
    kb = open_knowledge_base(settings)
    rasa = rasa_client_for(settings) if with_rasa else None
    return Pipeline(kb, rasa, thresholds_for(settings), settings.retrieval.top_k)


def open_store(settings: Settings) -> Store:
    """The conversation database (created or upgraded) with the configured pseudonym key."""
    key = load_pseudonym_key(settings.data_dir, settings.secrets.pseudonym_key)
    return Store.open(settings.database_path, key)


def build_application(
    settings: Settings,
    pipeline: Pipeline,
    token: str,
    store: Store | None = None,
    clock: Callable[[], dt.datetime] | None = None,
) -> Application:
    """The Telegram bot (PTB Application) on this pipeline and store, handlers added.

    clock: the handoff desk's current time (aware), for office hours; the wall clock
    by default, injected by tests.
    """
    from bot.telegram.app import build_application as telegram_application

    store = store or open_store(settings)
    return telegram_application(
        settings,
        pipeline,
        store,
        Handoff(store, settings.counsellors, clock)
        if clock
        else Handoff(store, settings.counsellors),
        token,
        build_index=lambda: build_knowledge_base(settings, progress=False),
        open_index=lambda: index_for(settings),
    )


def run_telegram(settings: Settings) -> int:
    """`migbot run` with a token: the Telegram bot until Ctrl-C; returns the exit status."""
    from bot.telegram.app import run_application, webhook_problem

    problem = webhook_problem(settings)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    token = settings.secrets.telegram_token
    app = build_application(settings, build_pipeline(settings, with_rasa=True), token)
    return run_application(app, settings, token)
