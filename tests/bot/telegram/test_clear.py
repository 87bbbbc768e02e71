"""/clear, "leave no trace": the real Application on the fake Bot API.

The fake enforces Telegram's rules for deleting (48 hours, a private chat's
both sides, ids of another chat not found, a whole deleteMessages call
refused for one message it may not delete), so what is asserted here is what
Telegram would do.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import AsyncIterator

import pytest
from telegram.ext import Application

from bot.answering import Pipeline
from bot.assemble import build_application
from bot.config import Settings
from bot.store import DELETE_WINDOW_SECONDS
from bot.telegram.app import polling
from bot.testing.fake_bot_api import DEFAULT_TOKEN, FakeBotApi
from bot.texts import say
from tests.support.desk import GROUP, Group, cs, desk_settings, settled, tickets
from tests.support.talk import WAIT, Talk, buttons, store_of

CONFIRMATION_SECONDS = 0.5
DANGER = "my boss took my passport and locks me in"


def quick(settings: Settings) -> Settings:
    privacy = dataclasses.replace(settings.privacy, clear_confirmation_seconds=CONFIRMATION_SECONDS)
    return dataclasses.replace(settings, privacy=privacy)


@pytest.fixture
async def bot(fake_api: FakeBotApi, pipeline: Pipeline, bot_settings: Settings) -> AsyncIterator:
    fake_api.reset()
    app = build_application(quick(bot_settings), pipeline, DEFAULT_TOKEN)
    async with polling(app, poll_timeout=1.0):
        yield app


@pytest.fixture
async def desk(fake_api: FakeBotApi, pipeline: Pipeline, bot_settings: Settings) -> AsyncIterator:
    fake_api.reset()
    app = build_application(quick(desk_settings(bot_settings)), pipeline, DEFAULT_TOKEN)
    async with polling(app, poll_timeout=1.0):
        yield app


def kept_ids(app: Application, user: int) -> list[int]:
    store = store_of(app)
    key = store.user_key(user)
    with store.database.reading() as db:
        rows = db.execute(
            "select message_id from chat_messages where user_key = ? order by message_id", [key]
        ).fetchall()
    return [row[0] for row in rows]


def first_purge_done(app: Application) -> bool:
    """The retention purge (bot.telegram.app, first run 1 s after start, then hourly)
    has run once: a message backdated after it stays until a test purges."""
    [job] = app.job_queue.get_jobs_by_name("purge")
    return job.next_t is not None and job.next_t.timestamp() > time.time() + 60


def backdate_in_store(app: Application, user: int, message_id: int, sent_at: float) -> None:
    store = store_of(app)
    with store.database.transaction() as db:
        db.execute(
            "update chat_messages set sent_at = ? where user_key = ? and message_id = ?",
            [sent_at, store.user_key(user), message_id],
        )


def tried(api: FakeBotApi, user: int) -> list[int]:
    """Every id the bot asked Telegram to delete in the user's chat."""
    ids: list[int] = []
    for call in api.sent(user):
        if call.method == "deleteMessages":
            ids += [int(i) for i in call.params["message_ids"]]
        elif call.method == "deleteMessage":
            ids.append(int(call.params["message_id"]))
    return ids


async def clear(citizen: Talk, via: dict | None = None) -> dict:
    """/clear (or the 🧹 button on `via`), "yes"; returns the confirmation once it is gone."""
    if via is None:
        [offer] = await citizen.send("/clear")
    else:
        [offer] = await citizen.press(via, "clear:ask")
    assert offer["text"] == say("clear_offer", citizen.language_code)
    [confirmation] = await citizen.press(offer, "clear:yes")
    api, user, mid = citizen.api, citizen.user, confirmation["message_id"]
    # The call is recorded once answered, just after the message went.
    await api.async_wait_for(
        lambda: api.message(user, mid) is None and mid in tried(api, user), WAIT
    )
    return confirmation


async def test_clear_deletes_both_sides_of_the_chat_within_the_window_only(
    fake_api: FakeBotApi, bot: Application
) -> None:
    user = 3101
    citizen = Talk(fake_api, user, "en")
    await citizen.choose_language("en")
    await citizen.send("can I work in Poland without a visa", expect=1)
    # The first message is 49 hours old, for Telegram and for the bot: not to be tried.
    old = fake_api.messages(user)[0]
    assert old["from"]["id"] == user
    past = time.time() - DELETE_WINDOW_SECONDS - 3600
    fake_api.set_message_date(user, old["message_id"], int(past))
    # On a busy machine the first retention purge can come after this backdating
    # and take the id: wait for it first.
    await fake_api.async_wait_for(lambda: first_purge_done(bot), WAIT)
    backdate_in_store(bot, user, old["message_id"], past)
    # Ids the bot recorded that Telegram no longer has (150: two batches) are skipped.
    gone = list(range(10_001, 10_151))
    store = store_of(bot)
    store.chat_messages.record(store.user_key(user), gone, time.time())

    confirmation = await clear(citizen)

    assert confirmation["text"] == say("clear_done", "en").format(
        seconds=round(CONFIRMATION_SECONDS)
    )
    # Everything is gone but the message too old for any bot to delete.
    assert [m["message_id"] for m in fake_api.messages(user)] == [old["message_id"]]
    assert old["message_id"] not in tried(fake_api, user)
    *batches, job = fake_api.sent(user, "deleteMessages")
    assert all(c.ok and 1 <= len(c.params["message_ids"]) <= 100 for c in batches)
    assert len(batches) == 2  # the chat's ~10 ids and the 150 skipped ones, 100 at a time
    assert job.ok and job.params["message_ids"] == [confirmation["message_id"]]
    assert fake_api.sent(user, "deleteMessage") == []  # nothing refused, no one-by-one
    # The bot keeps only the id it could not delete, until the purge (it forgets the
    # deleted ones once Telegram's answer is in, just after the fake recorded the call).
    await fake_api.async_wait_for(lambda: kept_ids(bot, user) == [old["message_id"]], WAIT)
    assert store.purge(30).chat_message_ids == 1
    assert kept_ids(bot, user) == []


async def test_a_message_telegram_will_not_delete_does_not_stop_the_rest(
    fake_api: FakeBotApi, bot: Application
) -> None:
    user = 3102
    citizen = Talk(fake_api, user, "en")
    await citizen.choose_language("en")
    await citizen.send("can I work in Poland without a visa", expect=1)
    # Telegram says this one is older than 48 hours; the bot believes it is not.
    stuck = fake_api.messages(user)[1]
    fake_api.set_message_date(user, stuck["message_id"], int(time.time()) - 49 * 3600)

    confirmation = await clear(citizen)

    refused = [c for c in fake_api.sent(user, "deleteMessages") if not c.ok]
    assert refused and "can't be deleted for everyone" in (refused[0].description or "")
    assert [m["message_id"] for m in fake_api.messages(user)] == [stuck["message_id"]]
    left = say("clear_left", "en").format(left=1)
    assert confirmation["text"].endswith(left)
    # Tried once; it will not get any younger.
    await fake_api.async_wait_for(lambda: kept_ids(bot, user) == [], WAIT)


async def test_no_keeps_the_chat(fake_api: FakeBotApi, bot: Application) -> None:
    user = 3103
    citizen = Talk(fake_api, user, "en")
    await citizen.choose_language("en")
    [offer] = await citizen.send("/clear")
    before = fake_api.messages(user)
    answered = await citizen.press_for_edit(offer, "clear:no")
    assert answered["text"] == say("clear_cancelled", "en")
    assert fake_api.messages(user) == [answered if m["message_id"] == offer["message_id"] else m
                                       for m in before]  # fmt: skip
    assert tried(fake_api, user) == []


async def test_after_an_urgent_message_the_chat_goes_and_the_ticket_stays(
    fake_api: FakeBotApi, desk: Application
) -> None:
    user = 3104
    citizen, group = Talk(fake_api, user, "en"), Group(fake_api)
    urgent, _notice = await citizen.send(DANGER, expect=2)
    assert say("btn_clear", "en") in buttons(urgent)
    [ticket] = tickets(desk)
    thread = await group.topic(ticket["id"])
    await settled(fake_api, desk)
    before = len(citizen.received())
    group.says(thread, "We are here. Are you safe?")
    await citizen.wait(1, before)  # the counsellor's message, copied to the citizen
    await settled(fake_api, desk)
    in_topic = len(group.in_topic(thread))

    await clear(citizen, via=urgent)

    assert fake_api.messages(user) == []  # the bot's, the citizen's, the counsellor's copy
    [still] = tickets(desk)
    assert still["id"] == ticket["id"] and still["status"] in ("waiting", "claimed")
    note = await fake_api.async_wait_for(
        lambda: [m for m in group.in_topic(thread) if m.get("text") == cs("cs_citizen_cleared")],
        WAIT,
    )
    assert len(note) == 1
    # The topic keeps everything: the counsellors decide what to delete there.
    assert len(group.in_topic(thread)) == in_topic + 1
    assert not [c for c in fake_api.sent(GROUP) if c.method.startswith("delete")]
    # The conversation goes on: the next message still reaches the counsellors.
    fake_api.user_sends(user, "yes, I am safe now", language_code="en")
    await group.topic_has(thread, in_topic + 2)
