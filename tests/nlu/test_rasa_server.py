"""nlu/rasa_server.py's care with servers: which one it stops, and which model it serves."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from bot.config import Settings, resolve
from nlu.rasa_server import (
    ensure_server,
    run_rasa,
    served_model,
    start_server,
    stop_server,
    wait_until_up,
)
from tests.support.rasa import free_port


def test_stop_server_leaves_a_process_that_is_not_our_rasa_alone(tmp_path: Path) -> None:
    # A stale pid file whose number now belongs to another process group leader.
    sleeper = subprocess.Popen(["sleep", "60"], start_new_session=True)
    (tmp_path / "rasa.pid").write_text(str(sleeper.pid))
    try:
        assert stop_server(tmp_path) is False
        assert sleeper.poll() is None  # not signalled
        assert not (tmp_path / "rasa.pid").exists()  # the stale file is gone
    finally:
        sleeper.kill()
        sleeper.wait()


def test_stop_server_with_a_pid_that_is_gone_or_garbage(tmp_path: Path) -> None:
    finished = subprocess.Popen(["true"])
    finished.wait()
    (tmp_path / "rasa.pid").write_text(str(finished.pid))
    assert stop_server(tmp_path) is False
    (tmp_path / "rasa.pid").write_text("not a number")
    assert stop_server(tmp_path) is False
    assert stop_server(tmp_path) is False  # no pid file at all


def test_run_rasa_creates_its_work_dir(base_settings: Settings, tmp_path: Path) -> None:
    work_dir = tmp_path / "fresh" / "rasa"
    run_rasa(resolve(base_settings.rasa.venv), ["--version"], work_dir, "version.log")
    assert "Rasa Version" in (work_dir / "version.log").read_text()


def test_a_server_serving_an_older_model_is_named_or_restarted(
    base_settings: Settings, rasa_model: Path, tmp_path: Path
) -> None:
    venv, config = resolve(base_settings.rasa.venv), base_settings.rasa_config
    model_dir = tmp_path / "models"
    model_dir.mkdir()
    newest = model_dir / rasa_model.name  # the model of the current data and pipeline
    shutil.copy(rasa_model, newest)
    older = tmp_path / "older" / "nlu-0000000000000000.tar.gz"
    older.parent.mkdir()
    shutil.copy(rasa_model, older)
    work_dir = tmp_path / "rasa"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_server(venv, older, port, work_dir)
    messages: list[str] = []
    try:
        assert wait_until_up(url, process, 240)
        assert served_model(url) == older.name

        # Not ours to restart (another work dir) or not allowed to start: used, and named.
        elsewhere = tmp_path / "elsewhere"
        assert ensure_server(port, venv, model_dir, elsewhere, config, log=messages.append) == url
        assert "warning" in messages[-1]
        assert older.name in messages[-1] and newest.name in messages[-1]
        assert ensure_server(port, venv, model_dir, work_dir, config, False, messages.append) == url
        assert served_model(url) == older.name

        # Ours: stopped and started again with the newest model.
        assert ensure_server(port, venv, model_dir, work_dir, config, log=messages.append) == url
        assert "restarting" in messages[-2]
        assert process.wait(timeout=30) is not None  # the old server is gone
        assert served_model(url) == newest.name
        # Now current: reused as it is, nothing said.
        said = len(messages)
        assert ensure_server(port, venv, model_dir, work_dir, config, log=messages.append) == url
        assert len(messages) == said
    finally:
        stop_server(work_dir)
        process.wait(timeout=30)
