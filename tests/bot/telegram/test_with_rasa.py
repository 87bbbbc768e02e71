"""The production configuration end to end: the real Application and pipeline WITH the
real Rasa NLU server (the session's `rasa_server`), on the fake Bot API.

The other Telegram tests run without Rasa, so the intent-driven actions (ask_human,
greet, switch_language) are only reached here. Each phrasing is checked to get a
different action without Rasa, so the test proves the intent did it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest

from bot.answering import Pipeline
from bot.assemble import build_application, thresholds_for
from bot.config import CounsellorSettings, OfficeHours, Settings
from bot.telegram.app import polling
from bot.testing.fake_bot_api import DEFAULT_GROUP_ID, DEFAULT_TOKEN, FakeBotApi
from bot.texts import say
from nlu.keywords import HUMAN_WORDS
from nlu.rasa_client import RasaClient
from nlu.rasa_server import stop_server
from tests.support.rasa import restart_rasa_server
from tests.support.talk import WAIT, Talk, rows

ALWAYS_OPEN = OfficeHours(days=(1, 2, 3, 4, 5, 6, 7), start="00:00", end="24:00")
SOMEBODY_REAL = "can I speak with somebody real please"


@pytest.fixture
def rasa_pipeline(pipeline: Pipeline, base_settings: Settings, rasa_server: dict) -> Pipeline:
    return Pipeline(pipeline.kb, RasaClient(rasa_server["url"], 5.0), thresholds_for(base_settings))


@pytest.fixture
async def rasa_bot(
    fake_api: FakeBotApi, rasa_pipeline: Pipeline, bot_settings: Settings
) -> AsyncIterator:
    counsellors = CounsellorSettings(chat_id=DEFAULT_GROUP_ID, office_hours=ALWAYS_OPEN)
    settings = dataclasses.replace(bot_settings, counsellors=counsellors)
    fake_api.reset()
    app = build_application(settings, rasa_pipeline, DEFAULT_TOKEN)
    async with polling(app, poll_timeout=1.0):
        yield app


async def test_asking_for_a_person_in_other_words_hands_off(
    rasa_bot, fake_api: FakeBotApi, pipeline: Pipeline
) -> None:
    assert not set(SOMEBODY_REAL.split()) & HUMAN_WORDS  # not the keyword rule
    assert pipeline.answer(SOMEBODY_REAL).action != "handoff"  # not without Rasa
    citizen = Talk(fake_api, 6001, "en")
    reply, *_ = await citizen.send(SOMEBODY_REAL)
    assert reply["text"].startswith(say("handoff", "en"))
    # The reply goes out before the ticket is written (the relay retries the rest).
    [ticket] = await fake_api.async_wait_for(lambda: rows(rasa_bot, "tickets"), WAIT)
    assert ticket["reason"] == "asked"
    await fake_api.async_wait_for(  # the ticket's topic for the counsellors (via the outbox)
        lambda: any(
            f"#{ticket['id']} " in topic["name"]
            for topic in fake_api.topics(DEFAULT_GROUP_ID).values()
        ),
        WAIT,
    )


async def test_a_greeting_is_answered_as_one(rasa_bot, fake_api: FakeBotApi, pipeline: Pipeline):
    # a bare greeting is known without Rasa too (nlu.pleasantries); one with more words
    # ("gamarjoba, rogor xar?") is Rasa's to read
    assert pipeline.answer("gamarjoba").reply == say("greet", "ka")
    [reply] = await Talk(fake_api, 6002, "ka").send("gamarjoba")
    assert reply["text"] == say("greet", "ka")


async def test_asking_for_english_switches_the_language(rasa_bot, fake_api: FakeBotApi):
    citizen = Talk(fake_api, 6003, "ka")
    [reply] = await citizen.send("write to me in English")
    assert reply["text"] == say("language_set", "en")
    # A message without letters is answered in the language chosen, not the client's.
    [empty] = await citizen.send("???")
    assert empty["text"] == say("empty", "en")


async def test_a_rasa_outage_mid_conversation_falls_back_to_retrieval(
    rasa_bot, fake_api: FakeBotApi, rasa_server: dict
) -> None:
    citizen = Talk(fake_api, 6004, "en")
    [greeting] = await citizen.send("hi there")
    assert greeting["text"] == say("greet", "en")
    stop_server(rasa_server["work_dir"])
    try:
        rasa_server["process"].wait(timeout=30)
        [answer] = await citizen.send("what is circular migration?")
        assert "circular" in answer["text"].lower()
        urgent, *_ = await citizen.send("they took my passport and lock me in")
        assert "112" in urgent["text"]  # danger does not rest on Rasa
        assert citizen.failed_calls() == []
    finally:
        restart_rasa_server(rasa_server)
