"""The built index: passages prepared as queries are, and its format."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

from bot.answering import Pipeline
from bot.assemble import index_is_current
from bot.config import Settings
from knowledge_base.index import INDEX_FORMAT, MANIFEST, current_build, make_current


def test_latin_typed_phrasings_are_indexed_in_mkhedruli_as_queries_are_searched(
    pipeline: Pipeline,
):
    # airport-exit-checks.yml has the phrasing "aeroportshi ar gamishves evropashi".
    rows = pipeline.kb.db.execute(
        "select text, kind from passages where entry_id = 'airport-exit-checks' and lang = 'ka'"
    ).fetchall()
    questions = [row["text"] for row in rows if row["kind"] != "answer"]
    assert "აეროპორტში არ გამიშვეს ევროპაში" in questions
    assert not [text for text in questions if "aeroportshi" in text.lower()]
    # Answers are stored as written.
    answer = next(row["text"] for row in rows if row["kind"] == "answer")
    assert answer == pipeline.kb.entry("airport-exit-checks").answer["ka"]


def serve_a_copy(base_settings: Settings, tmp_path: Path) -> tuple[Settings, Path]:
    """The session's served index copied under tmp_path and made current there:
    (settings with that data_dir, the copy's build folder)."""
    served = current_build(base_settings.index_dir)
    settings = dataclasses.replace(base_settings, data_dir=tmp_path)
    copy = settings.index_dir / "builds" / served.name
    shutil.copytree(served, copy)
    make_current(settings.index_dir, copy)
    return settings, copy


def test_an_index_of_another_format_is_rebuilt(
    base_settings: Settings, pipeline: Pipeline, tmp_path: Path
):
    settings, copy = serve_a_copy(base_settings, tmp_path)
    assert index_is_current(settings)
    manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["format"] = INDEX_FORMAT - 1
    (copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert not index_is_current(settings)
    del manifest["format"]  # indexes built before the format existed
    (copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert not index_is_current(settings)


def test_the_served_index_is_searched_with_the_encoder_tuned_on_the_entries(
    base_settings: Settings, pipeline: Pipeline
):
    from bot.assemble import embedder_for

    manifest = json.loads((current_build(base_settings.index_dir) / MANIFEST).read_text())
    assert manifest["encoder_source"]["tuning"]["steps"] == base_settings.embedding.tune_steps
    tuned = Path(manifest["encoder_path"])
    assert tuned.name.startswith("tuned-e5-") and (tuned / "migbot_tuning.json").is_file()
    assert embedder_for(base_settings).model_path == str(tuned)
    untuned = dataclasses.replace(
        base_settings, embedding=dataclasses.replace(base_settings.embedding, tune_steps=0)
    )
    assert not index_is_current(untuned)


def test_an_index_needs_its_tuned_encoder_but_not_a_folder_for_an_untuned_one(
    base_settings: Settings, pipeline: Pipeline, tmp_path: Path
):
    from bot.assemble import encoder_source_for

    settings, copy = serve_a_copy(base_settings, tmp_path)
    manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["encoder_path"] = str(tmp_path / "cleared-cache" / "tuned-e5-0")
    (copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert not index_is_current(settings)  # the tuned encoder is gone: rebuild
    hub = dataclasses.replace(
        settings,
        embedding=dataclasses.replace(
            settings.embedding, model="someone/some-model", backend="torch", tune_steps=0
        ),
    )
    manifest["encoder_path"] = "someone/some-model"  # a Hub name, as Embedder keeps it
    manifest["encoder_source"] = encoder_source_for(hub)
    (copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert index_is_current(hub)
