"""Fixtures of the Telegram tests with a counsellors' desk (tests/support/desk.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.answering import Pipeline
from bot.assemble import build_application
from bot.config import Settings
from bot.telegram.app import polling
from bot.testing.fake_bot_api import DEFAULT_TOKEN, FakeBotApi
from tests.support.desk import desk_settings


@pytest.fixture
def settings(bot_settings: Settings) -> Settings:
    """The test's settings with the fake's forum group as the counsellors' desk."""
    return desk_settings(bot_settings)


@pytest.fixture
async def desk(fake_api: FakeBotApi, pipeline: Pipeline, settings: Settings) -> AsyncIterator:
    """The real Application with a counsellors' desk, polling the fake server."""
    fake_api.reset()
    app = build_application(settings, pipeline, DEFAULT_TOKEN)
    async with polling(app, poll_timeout=1.0):
        yield app
