"""The real Rasa HTTP server with the trained model, and life without it."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.answering import Pipeline
from bot.assemble import thresholds_for
from bot.config import PROJECT_ROOT, Settings, resolve
from nlu.rasa_client import RasaClient
from nlu.rasa_server import start_server, stop_server, wait_until_up
from tests.support.rasa import free_port


@pytest.fixture
def rasa_pipeline(pipeline: Pipeline, base_settings: Settings, rasa_server: dict) -> Pipeline:
    client = RasaClient(rasa_server["url"], timeout_seconds=5.0)
    return Pipeline(pipeline.kb, client, thresholds_for(base_settings))


@pytest.mark.parametrize(
    ("text", "intent", "action"),
    [
        ("გამარჯობა", "greet", "smalltalk"),
        ("hi there", "greet", "smalltalk"),
        ("didi madloba", "thanks", "smalltalk"),
        ("ადამიანთან მინდა ლაპარაკი, ბოტთან არა", "ask_human", "handoff"),
        ("can I speak to a real person please", "ask_human", "handoff"),
        ("mcemen da ar mishveben sakhlidan", "urgent", "urgent"),
        # A question the knowledge base answers surely: Rasa's kb_question lets retrieval
        # answer. ("how do I get a work permit for Poland" is scored 0.38 by the
        # calibrated confidence and gets "not sure" since issue 12: docs/quality.md.)
        ("how do I check that a recruitment agency is licensed", "kb_question", "answer"),
    ],
)
def test_intents_decide_the_action(rasa_pipeline: Pipeline, text: str, intent: str, action: str):
    reply = rasa_pipeline.answer(text)
    assert (reply.intent, reply.action) == (intent, action), reply


def test_entities_are_mapped_to_one_canonical_value(rasa_pipeline: Pipeline):
    for text in ("პოლონეთში შემდუღებლად მუშაობა მინდა", "welder jobs in Poland"):
        reply = rasa_pipeline.answer(text)
        assert reply.entities.get("country") == "poland", reply.entities


def test_when_rasa_stops_mid_run_everything_degrades_to_retrieval(
    pipeline: Pipeline, base_settings: Settings, rasa_model: Path, tmp_path: Path, caplog
):
    work_dir = tmp_path / "rasa"
    work_dir.mkdir()
    port = free_port()
    process = start_server(resolve(".venv-rasa"), rasa_model, port, work_dir)
    url = f"http://127.0.0.1:{port}"
    assert wait_until_up(url, process, 240)
    degraded = Pipeline(pipeline.kb, RasaClient(url, 2.0), thresholds_for(base_settings))
    assert degraded.answer("what is circular migration").intent == "kb_question"

    stop_server(work_dir)
    process.wait(timeout=30)
    with caplog.at_level(logging.WARNING, logger="nlu.rasa_client"):
        reply = degraded.answer("what is circular migration")
        urgent = degraded.answer("they took my passport and lock me in at night")
    assert (reply.intent, reply.action, reply.entry_id) == (None, "answer", "circular-migration")
    assert urgent.action == "urgent"  # danger does not rest on Rasa
    assert "Rasa NLU unavailable" in caplog.text


def test_ask_starts_a_rasa_server_when_none_is_running(
    base_settings: Settings, pipeline: Pipeline, rasa_model: Path
):
    port = free_port()
    env = {
        **os.environ,
        "MIGBOT_DATA_DIR": str(base_settings.data_dir),
        "MIGBOT_RASA__PORT": str(port),
    }
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bot.cli", "ask", "--json", "gamarjoba"],
            capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, check=False, timeout=400,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert f"starting the Rasa NLU server on http://127.0.0.1:{port}" in result.stderr
        reply = json.loads(result.stdout)
        assert (reply["intent"], reply["action"], reply["lang"]) == ("greet", "smalltalk", "ka")
    finally:
        stop_server(base_settings.data_dir / "rasa")


def test_held_out_nlu_set_exists_and_differs_from_training():
    import yaml

    def examples(path: Path) -> set[str]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        lines = set()
        for block in data.get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                lines.add(line.lstrip("- ").strip().lower())
        return lines - {""}

    training = examples(PROJECT_ROOT / "nlu" / "data" / "nlu.yml")
    held_out = examples(PROJECT_ROOT / "nlu" / "data_test" / "nlu_test.yml")
    assert len(held_out) >= 150
    assert not held_out & training
