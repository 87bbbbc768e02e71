"""Failures Telegram really produces, each a scenario on the fake Bot API (issue 13).

Public bug reports from teams running support and handoff bots, replayed as
updates and answers: a stale button press, an anonymous administrator, a
citizen who blocks the bot, a deleted or closed topic, an unusable group,
rate limits, edits, albums, long lists and double taps.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram.ext import Application

from bot.answering import Pipeline
from bot.assemble import build_application
from bot.config import Settings
from bot.telegram.app import polling
from bot.testing.fake_bot_api import DEFAULT_TOKEN, FakeBotApi
from bot.texts import say
from tests.bot.telegram.test_handoff_flows import (  # noqa: F401 (some used later)
    GROUP,
    NINO,
    Group,
    copies,
    cs,
    outbox,
    desk_settings,
    open_ticket,
    settled,
    tickets,
)
from tests.support.talk import WAIT, Talk


@pytest.fixture
def settings(bot_settings: Settings) -> Settings:
    return desk_settings(bot_settings)


@pytest.fixture
async def desk(fake_api: FakeBotApi, pipeline: Pipeline, settings: Settings) -> AsyncIterator:
    fake_api.reset()
    app = build_application(settings, pipeline, DEFAULT_TOKEN)
    async with polling(app, poll_timeout=1.0):
        yield app


# --------------------------------------------------------------------------- 4. stale buttons


async def test_buttons_pressed_while_the_bot_was_down_still_act(
    fake_api: FakeBotApi, desk: Application
) -> None:
    """answerCallbackQuery answers 400 "query is too old": the action happens anyway."""
    citizen, group = Talk(fake_api, 3401), Group(fake_api)
    [welcome] = await citizen.send("/start")
    before = len(citizen.received())
    fake_api.user_presses(3401, welcome, "lang:en", too_old=True)
    [chosen] = await citizen.wait(1, before)
    assert chosen["text"].startswith(say("language_set", "en"))

    before = len(citizen.received())
    fake_api.user_presses(3401, chosen, "human", too_old=True)
    handoff, _ = await citizen.wait(2, before)
    assert handoff["text"] == say("handoff", "en")
    [ticket] = tickets(desk)
    thread = await group.topic(ticket["id"])

    [confirm] = await citizen.send("/forget")
    fake_api.user_presses(3401, confirm, "forget:yes", too_old=True)
    await fake_api.async_wait_for(  # deleted, or at least closed
        lambda: fake_api.topics(GROUP).get(thread, {"closed": True})["closed"], WAIT
    )
    assert tickets(desk) == []
    await fake_api.async_wait_for(
        lambda: fake_api.message(3401, confirm["message_id"])["text"] == say("forgotten", "en"),
        WAIT,
    )
    too_old = [c for c in fake_api.sent(3401, "answerCallbackQuery") if not c.ok]
    assert len(too_old) == 3 and all("too old" in c.description for c in too_old)
    assert say("error", "en") not in [m.get("text") for m in citizen.received()]


# --------------------------------------------------------------------------- 3. anonymous admin


async def test_an_anonymous_administrator_is_relayed_as_the_group(
    fake_api: FakeBotApi, desk: Application
) -> None:
    """from: GroupAnonymousBot (is_bot), sender_chat: the group: relayed, not dropped."""
    citizen, group = Talk(fake_api, 3301, "en"), Group(fake_api)
    _, thread = await open_ticket(citizen, group, desk)
    await settled(fake_api, desk)
    before = len(citizen.received())
    reply = fake_api.group_member_sends(
        GROUP, NINO, "Hello from the team", message_thread_id=thread, anonymous=True
    )
    assert reply["from"]["is_bot"] and reply["sender_chat"]["id"] == GROUP
    joined, copied = await citizen.wait(2, before)
    assert joined["text"] == say("relay_joined", "en")
    assert copied["text"] == "Hello from the team"
    [claimed] = tickets(desk)
    assert claimed["status"] == "claimed" and claimed["counsellor_id"] == GROUP
    # /close as the group closes the ticket too.
    before = len(citizen.received())
    fake_api.group_member_sends(GROUP, NINO, "/close", message_thread_id=thread, anonymous=True)
    [closing] = await citizen.wait(1, before)
    assert closing["text"].startswith(say("relay_closed", "en"))


# --------------------------------------------------------------------------- 8. blocked


async def test_a_citizen_who_blocks_the_bot_closes_the_ticket_as_citizen_left(
    fake_api: FakeBotApi, desk: Application
) -> None:
    """my_chat_member (member -> kicked): closed with a note, gone from /queue, no sends."""
    citizen, group = Talk(fake_api, 3801, "en"), Group(fake_api)
    _, thread = await open_ticket(citizen, group, desk)
    await settled(fake_api, desk)
    fake_api.user_blocks_bot(3801)
    await fake_api.async_wait_for(
        lambda: cs("cs_citizen_left") in [m.get("text") for m in group.in_topic(thread)], WAIT
    )
    [closed] = tickets(desk)
    assert (closed["status"], closed["closed_by"]) == ("closed", "citizen_left")
    await fake_api.async_wait_for(lambda: fake_api.topics(GROUP)[thread]["closed"], WAIT)
    before_general = len(group.in_general())
    group.says(None, "/queue")
    listing = await fake_api.async_wait_for(
        lambda: len(group.in_general()) > before_general and group.in_general()[-1], WAIT
    )
    assert listing["text"] == cs("cs_queue_empty")
    await settled(fake_api, desk)
    assert [c for c in fake_api.sent(3801) if not c.ok] == []  # nothing tried after the block
