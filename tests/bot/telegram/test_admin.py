"""Admins in Telegram: /stats, /reload, and a hot reload during a stream of questions."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml

from bot.answering import Pipeline
from bot.assemble import build_application
from bot.config import AdminSettings, KnowledgeBaseSettings, Settings
from bot.telegram.app import polling
from bot.telegram.context import services_of
from bot.testing.fake_bot_api import DEFAULT_TOKEN, FakeBotApi
from knowledge_base.index import current_build
from tests.support.knowledge_base import copy_knowledge_base
from tests.support.talk import WAIT, Talk

ADMIN = 4242
CITIZEN = 4343


@pytest.fixture
def entries_copy(base_settings: Settings, tmp_path: Path) -> Path:
    return copy_knowledge_base(base_settings.entries_dir, tmp_path / "kb")


@pytest.fixture
async def admin_bot(
    fake_api: FakeBotApi, pipeline: Pipeline, bot_settings: Settings, entries_copy: Path
) -> AsyncIterator:
    settings = dataclasses.replace(
        bot_settings,
        admins=AdminSettings(ids=(ADMIN,)),
        knowledge_base=KnowledgeBaseSettings(entries_dir=str(entries_copy)),
    )
    served = pipeline.kb
    fake_api.reset()
    app = build_application(settings, pipeline, DEFAULT_TOKEN)
    async with polling(app, poll_timeout=1.0):
        yield app
    pipeline.reload(served)  # the session's pipeline is shared with other tests


async def test_stats_are_for_admins_only(admin_bot, fake_api: FakeBotApi, pipeline: Pipeline):
    citizen = Talk(fake_api, CITIZEN, "en")
    await citizen.send("what is circular migration?")
    [refused] = await citizen.send("/stats")
    assert "messages from" not in refused["text"]

    admin = Talk(fake_api, ADMIN, "en")
    [stats] = await admin.send("/stats")
    assert "messages from" in stats["text"]
    assert "answer: 1" in stats["text"]
    assert f"Index: {len(services_of(admin_bot).pipeline.kb.entries)} entries" in stats["text"]


async def test_reload_during_a_stream_of_questions_loses_nothing(
    admin_bot, fake_api: FakeBotApi, pipeline: Pipeline, entries_copy: Path
):
    remittances = entries_copy / "remittances.yml"
    entry = yaml.safe_load(remittances.read_text(encoding="utf-8"))
    entry["en"]["answer"] = "Compare providers before sending money home. " + entry["en"]["answer"]
    remittances.write_text(yaml.safe_dump(entry, allow_unicode=True), encoding="utf-8")
    before = pipeline.kb.build_dir

    admin = Talk(fake_api, ADMIN, "en")
    citizens = [Talk(fake_api, 5000 + n, "en") for n in range(4)]
    questions = ["how do I check an agency", "what is circular migration", "send money home"]

    async def ask_all(talk: Talk) -> list[dict]:
        replies = []
        for question in questions:
            replies += await talk.send(question)
        return replies

    stream = [asyncio.create_task(ask_all(talk)) for talk in citizens]
    admin.api.user_sends(ADMIN, "/reload", language_code="en")
    answered = await asyncio.gather(*stream)
    done = await fake_api.async_wait_for(
        lambda: any("Reloaded" in (m.get("text") or "") for m in admin.received()), 300
    )
    assert done
    assert all(len(replies) == len(questions) for replies in answered)
    assert not [c for c in fake_api.sent() if not c.ok and c.method != "getUpdates"]
    assert pipeline.kb.build_dir != before
    [reply] = await citizens[0].send("cheapest way to send money home")
    assert "Compare providers before sending money home." in reply["text"]


async def test_a_failed_reload_keeps_the_served_index(
    admin_bot, fake_api: FakeBotApi, pipeline: Pipeline, entries_copy: Path
):
    broken = entries_copy / "fake-job-offers.yml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("category:", "kategory:"), "utf-8")
    served = pipeline.kb
    admin = Talk(fake_api, ADMIN, "en")
    admin.api.user_sends(ADMIN, "/reload", language_code="en")
    await fake_api.async_wait_for(
        lambda: any("failed" in (m.get("text") or "") for m in admin.received()), WAIT
    )
    failure = admin.received()[-1]["text"]
    assert "fake-job-offers.yml: kategory: unknown field" in failure
    assert pipeline.kb is served


async def test_an_index_built_outside_the_bot_is_picked_up_by_the_watcher(
    admin_bot, fake_api: FakeBotApi, pipeline: Pipeline, entries_copy: Path, monkeypatch
):
    """docs/admin.md step 5: `migbot kb build` while the bot runs puts the entries in service."""
    from bot.cli import main
    from bot.telegram.handlers import admin

    remittances = entries_copy / "remittances.yml"
    entry = yaml.safe_load(remittances.read_text(encoding="utf-8"))
    entry["en"]["answer"] = "Compare three providers first. " + entry["en"]["answer"]
    remittances.write_text(yaml.safe_dump(entry, allow_unicode=True), encoding="utf-8")
    settings = services_of(admin_bot).settings
    monkeypatch.setenv("MIGBOT_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("MIGBOT_KNOWLEDGE_BASE__ENTRIES_DIR", str(entries_copy))
    served = pipeline.kb.build_dir
    assert await asyncio.to_thread(main, ["kb", "build"]) == 0  # another process, in effect
    assert pipeline.kb.build_dir == served  # nothing changes until the watcher runs

    [job] = [j for j in admin_bot.job_queue.jobs() if j.callback is admin.watch_index]
    await job.run(admin_bot)  # what the job queue does every WATCH_INTERVAL_SECONDS
    built = current_build(settings.index_dir)
    assert built is not None and built != served
    assert pipeline.kb.build_dir == built
    [reply] = await Talk(fake_api, CITIZEN, "en").send("cheapest way to send money home")
    assert "Compare three providers first." in reply["text"]
    kb = pipeline.kb
    await job.run(admin_bot)  # the same build again: nothing to do
    assert pipeline.kb is kb
