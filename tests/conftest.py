"""Shared fixtures: the real pipeline (built once per session) and the fake Bot API.

The pipeline's data_dir is pytest's cache folder, so the index (about a
minute to build) is reused between sessions and rebuilt only when the
entries or the model change; each bot test gets its own tmp data_dir for
its database.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `pytest tests/x.py` from elsewhere still finds the packages
    sys.path.insert(0, str(ROOT))

from bot.answering import Pipeline  # noqa: E402
from bot.config import Settings, load_settings  # noqa: E402
from bot.testing.fake_bot_api import DEFAULT_TOKEN, FakeBotApi  # noqa: E402
from tests.support.rasa import free_port  # noqa: E402


@pytest.fixture(scope="session")
def base_settings(
    pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    """The project's config.yml, environment ignored, data in pytest's cache."""
    settings = load_settings(environ={})
    cache = getattr(pytestconfig, "cache", None)  # absent with -p no:cacheprovider
    data_dir = Path(cache.mkdir("migbot-data")) if cache else tmp_path_factory.mktemp("data")
    return dataclasses.replace(settings, data_dir=data_dir)


@pytest.fixture(scope="session")
def pipeline(base_settings: Settings) -> Pipeline:
    from bot.assemble import build_pipeline

    return build_pipeline(base_settings, with_rasa=False)


@pytest.fixture(scope="session")
def fake_api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def bot_settings(base_settings: Settings, fake_api: FakeBotApi, tmp_path: Path) -> Settings:
    """Settings for one bot under test: its own database, the fake server's URL."""
    telegram = dataclasses.replace(base_settings.telegram, api_url=fake_api.url)
    return dataclasses.replace(base_settings, data_dir=tmp_path, telegram=telegram)


@pytest.fixture
async def running_bot(
    fake_api: FakeBotApi, pipeline: Pipeline, bot_settings: Settings
) -> AsyncIterator:
    """The real Application, polling the fake server, on the test's event loop."""
    from bot.assemble import build_application
    from bot.telegram.app import polling

    fake_api.reset()
    app = build_application(bot_settings, pipeline, DEFAULT_TOKEN)
    async with polling(app, poll_timeout=1.0):
        yield app


@pytest.fixture(scope="session")
def rasa_model(base_settings: Settings) -> Path:
    """The NLU model of the current training data (trained, minutes, only when it changed)."""
    from bot.config import resolve
    from nlu.rasa_server import train

    return train(
        resolve(base_settings.rasa.venv),
        base_settings.rasa_config,
        resolve(base_settings.rasa.model_dir),
        base_settings.data_dir / "rasa",
        log=print,
    )


@pytest.fixture(scope="session")
def rasa_server(rasa_model: Path, base_settings: Settings, tmp_path_factory) -> Iterator[dict]:
    """One real `rasa run` for the whole session, on a free port, stopped at the end.

    Yields {"url", "port", "work_dir", "process", "model"}. A test that stops it
    (an outage) starts it again with tests.support.rasa.restart_rasa_server.
    """
    from bot.config import resolve
    from nlu.rasa_server import start_server, stop_server, wait_until_up

    work_dir = tmp_path_factory.mktemp("rasa-session")
    port = free_port()
    venv = resolve(base_settings.rasa.venv)
    process = start_server(venv, rasa_model, port, work_dir)
    url = f"http://127.0.0.1:{port}"
    assert wait_until_up(url, process, 240), (work_dir / "rasa.log").read_text()[-2000:]
    server = {"url": url, "port": port, "work_dir": work_dir, "process": process}
    server["model"] = rasa_model
    server["venv"] = venv
    yield server
    stop_server(work_dir)
    server["process"].wait(timeout=30)
