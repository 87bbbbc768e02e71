"""Handoff to counsellors end to end: the real Application and pipeline on the fake Bot API.

The counsellors' group is the fake server's forum supergroup (DEFAULT_GROUP_ID);
counsellors are group members who write in the tickets' topics and press the
card's buttons. Assertions are on what the fake server recorded and on the
bot's SQLite tables.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from zoneinfo import ZoneInfo

import pytest
from telegram import ChatMemberAdministrator, ChatMemberMember, ChatMemberOwner, User
from telegram.ext import Application

from bot.answering import Pipeline
from bot.assemble import build_application
from bot.config import OfficeHours, Settings
from bot.store import OutboxOp
from bot.telegram.app import polling
from bot.telegram.context import services_of
from bot.telegram.logs import QUIET_LOGGERS, install_log_filters
from bot.telegram.relay import missing_rights
from bot.testing.fake_bot_api import DEFAULT_TOKEN, FakeBotApi
from bot.texts import say
from knowledge_base.validation import begins_with_emergency_guidance
from tests.support.desk import (
    GIORGI,
    GROUP,
    NINO,
    ON_DUTY,
    Group,
    copies,
    cs,
    desk_settings,
    open_ticket,
    outbox,
    settled,
    tickets,
)
from tests.support.talk import (
    WAIT,
    Talk,
    assert_emergency_first,
    buttons,
    rows,
)

# --------------------------------------------------------------------------- full flows


async def test_georgian_citizen_asks_for_a_person_and_talks_to_a_counsellor(
    fake_api: FakeBotApi, desk: Application
) -> None:
    citizen, group = Talk(fake_api, 2001), Group(fake_api)
    [answer] = await citizen.send("როგორ ვიმუშაო პოლონეთში კანონიერად?")
    handoff, notice = await citizen.send("კონსულტანტი", expect=2)
    assert handoff["text"] == say("handoff", "ka")
    assert say("handoff_queue", "ka").format(position=1) in notice["text"]
    assert say("relay_end_hint", "ka") in notice["text"]

    [ticket] = tickets(desk)
    assert (ticket["status"], ticket["lang"], ticket["reason"]) == ("waiting", "ka", "asked")
    assert ticket["chat_id"] == 2001 and ticket["user_key"] != "2001"
    thread = await group.topic(ticket["id"])
    card = await group.card(thread)
    assert f"#{ticket['id']}" in card["text"] and cs("cs_lang_ka") in card["text"]
    assert "როგორ ვიმუშაო პოლონეთში კანონიერად?" in card["text"]  # the recent conversation
    assert cs("cs_urgent") not in card["text"]
    assert set(buttons(card).values()) == {f"tk:claim:{ticket['id']}", f"tk:close:{ticket['id']}"}

    # Everything the citizen sends now goes to the topic, not to the pipeline.
    sent = [fake_api.user_sends(2001, "გამარჯობა, სამუშაო მინდა პოლონეთში")]
    for kind in ("photo", "document", "voice", "location"):
        sent.append(fake_api.user_sends(2001, "", kind=kind))
    await group.topic_has(thread, 1 + len(sent))
    for message in sent:
        [call] = copies(fake_api, GROUP, message["message_id"])
        assert call.params["message_thread_id"] == thread
    relayed = group.in_topic(thread)[-len(sent) :]
    assert [next(k for k in ("text", "photo", "document", "voice", "location") if k in m)
            for m in relayed] == ["text", "photo", "document", "voice", "location"]  # fmt: skip
    assert len(citizen.received()) == 3  # no pipeline answers meanwhile

    # The counsellor answers in the topic: the citizen gets it from the bot.
    before = len(citizen.received())
    reply = group.says(thread, "გამარჯობა! მე ნინო ვარ, კონსულტანტი. რით დაგეხმაროთ?")
    joined, copied = await citizen.wait(2, before)
    assert joined["text"] == say("relay_joined", "ka")
    assert copied["text"] == reply["text"]
    assert copied["from"]["is_bot"] and "forward_origin" not in copied
    [claimed] = tickets(desk)
    assert (claimed["status"], claimed["counsellor_id"]) == ("claimed", NINO)

    # /close in the topic: the citizen is back with the bot and asked for a rating.
    before = len(citizen.received())
    group.says(thread, "/close")
    [closing] = await citizen.wait(1, before)
    assert closing["text"].startswith(say("relay_closed", "ka"))
    assert say("relay_rate", "ka") in closing["text"]
    assert list(buttons(closing)) == ["1", "2", "3", "4", "5"]
    await fake_api.async_wait_for(lambda: fake_api.topics(GROUP)[thread]["closed"], WAIT)

    await citizen.press(closing, f"rate:{ticket['id']}:5", expect=0)
    await fake_api.async_wait_for(lambda: tickets(desk)[0]["rating"] == 5, WAIT)
    await fake_api.async_wait_for(
        lambda: not buttons(fake_api.message(2001, closing["message_id"])), WAIT
    )
    [after] = await citizen.send("როგორ ვიმუშაო პოლონეთში კანონიერად?")
    assert after["text"] == answer["text"]  # the pipeline answers again
    await settled(fake_api, desk)
    assert {r["status"] for r in outbox(desk)} == {"sent"}
    assert [c for c in fake_api.sent() if not c.ok] == []


async def test_english_two_unanswered_questions_open_a_ticket(
    fake_api: FakeBotApi, desk: Application
) -> None:
    citizen, group = Talk(fake_api, 2002, "en"), Group(fake_api)
    [first] = await citizen.send("What is the capital of Peru?")
    assert say("offer_counsellor", "en") in first["text"]
    handoff, notice = await citizen.send("Recommend a good recipe for khachapuri", expect=2)
    assert handoff["text"] == say("handoff", "en")
    assert say("handoff_queue", "en").format(position=1) in notice["text"]
    [ticket] = tickets(desk)
    assert (ticket["reason"], ticket["lang"]) == ("unanswered", "en")
    card = await group.card(await group.topic(ticket["id"]))
    assert "What is the capital of Peru?" in card["text"]
    assert "Recommend a good recipe for khachapuri" in card["text"]
    assert cs("cs_did_fallback") in card["text"] and cs("cs_reason_unanswered") in card["text"]

    # The Claim button, then the citizen ends the conversation with /end.
    before = len(citizen.received())
    group.press(card, f"tk:claim:{ticket['id']}", counsellor=GIORGI)
    [joined] = await citizen.wait(1, before)
    assert joined["text"] == say("relay_joined", "en")
    [ended] = await citizen.send("/end")
    assert ended["text"].startswith(say("relay_ended", "en"))
    [closed] = tickets(desk)
    assert (closed["status"], closed["closed_by"], closed["counsellor_id"]) == (
        "closed", "citizen", GIORGI,
    )  # fmt: skip
    thread = await group.topic(ticket["id"])
    await fake_api.async_wait_for(lambda: fake_api.topics(GROUP)[thread]["closed"], WAIT)
    notes = [m.get("text", "") for m in group.in_topic(thread)]
    assert cs("cs_citizen_ended") in notes
    [no_ticket] = await citizen.send("/end")
    assert no_ticket["text"] == say("relay_no_ticket", "en")


async def test_a_rating_after_an_urgent_ticket_keeps_the_delete_chat_button(
    fake_api: FakeBotApi, desk: Application
) -> None:
    citizen, group = Talk(fake_api, 2036, "en"), Group(fake_api)
    await citizen.send("my boss locked us in the container and took our passports", expect=0)
    [ticket] = await fake_api.async_wait_for(lambda: tickets(desk), WAIT)
    thread = await group.topic(ticket["id"])
    card = await group.card(thread)
    before = len(citizen.received())
    group.press(card, f"tk:claim:{ticket['id']}")
    await citizen.wait(1, before)
    before = len(citizen.received())
    group.press(card, f"tk:close:{ticket['id']}")
    [closing] = await citizen.wait(1, before)
    assert set(buttons(closing).values()) >= {f"rate:{ticket['id']}:5", "clear:ask"}
    fake_api.user_presses(2036, closing, f"rate:{ticket['id']}:5")
    await fake_api.async_wait_for(
        lambda: (
            list(buttons(fake_api.message(2036, closing["message_id"])).values()) == ["clear:ask"]
        ),
        WAIT,
    )


async def test_asking_again_for_a_counsellor_gets_one_clear_answer(
    fake_api: FakeBotApi, desk: Application
) -> None:
    citizen, group = Talk(fake_api, 2035, "en"), Group(fake_api)
    await open_ticket(citizen, group, desk)
    [again] = await citizen.send("/counsellor")
    assert again["text"].startswith(say("handoff_already", "en").split("{")[0])


async def test_a_request_withdrawn_before_anyone_took_it_asks_for_no_rating(
    fake_api: FakeBotApi, desk: Application
) -> None:
    citizen, group = Talk(fake_api, 2034, "en"), Group(fake_api)
    _, thread = await open_ticket(citizen, group, desk)
    [ended] = await citizen.send("/end")
    assert ended["text"] == say("relay_withdrawn", "en")
    assert say("relay_rate", "en") not in ended["text"] and not buttons(ended)
    await fake_api.async_wait_for(lambda: fake_api.topics(GROUP)[thread]["closed"], WAIT)


async def test_urgent_message_alerts_on_duty_and_keeps_emergency_guidance(
    fake_api: FakeBotApi, desk: Application
) -> None:
    citizen, group = Talk(fake_api, 2003, "en"), Group(fake_api)
    urgent, notice = await citizen.send("my boss took my passport and locks me in", expect=2)
    assert_emergency_first(urgent["text"], "en")  # the emergency advice first
    assert say("handoff_queue", "en").format(position=1) in notice["text"]
    [ticket] = tickets(desk)
    assert ticket["urgent"] == 1 and ticket["reason"] == "urgent"
    thread = await group.topic(ticket["id"])
    assert fake_api.topics(GROUP)[thread]["name"].startswith("🚨")
    card = await group.card(thread)
    assert card["text"].startswith(cs("cs_urgent"))
    [alert] = await fake_api.async_wait_for(lambda: group.in_general(), WAIT)
    mentioned = {e["url"] for e in alert.get("entities", []) if e["type"] == "text_link"}
    assert {f"tg://user?id={uid}" for uid in ON_DUTY} <= mentioned
    assert f"https://t.me/c/1000000001/{thread}" in mentioned

    # Still in danger while the ticket is open: guidance again, and the message is relayed.
    before = len(citizen.received())
    message = fake_api.user_sends(2003, "they beat me and I cannot leave", language_code="en")
    [again] = await citizen.wait(1, before)
    assert_emergency_first(again["text"], "en")
    await fake_api.async_wait_for(lambda: copies(fake_api, GROUP, message["message_id"]), WAIT)
    assert len(tickets(desk)) == 1 and len(group.in_general()) == 1  # no second alert


async def test_an_urgent_message_upgrades_an_open_ticket(
    fake_api: FakeBotApi, desk: Application
) -> None:
    citizen, group = Talk(fake_api, 2004), Group(fake_api)
    await citizen.send("konsultanti", expect=2)
    [ticket] = tickets(desk)
    thread = await group.topic(ticket["id"])
    assert not fake_api.topics(GROUP)[thread]["name"].startswith("🚨")
    [guidance] = await citizen.send("pasporti wamartves da mcemen", expect=1)
    assert_emergency_first(guidance["text"], "ka")
    await fake_api.async_wait_for(
        lambda: fake_api.topics(GROUP)[thread]["name"].startswith("🚨"), WAIT
    )
    [upgraded] = tickets(desk)
    assert (upgraded["id"], upgraded["urgent"], upgraded["reason"]) == (ticket["id"], 1, "urgent")
    await fake_api.async_wait_for(lambda: group.in_general(), WAIT)
    assert cs("cs_upgraded") in [m.get("text") for m in group.in_topic(thread)]


async def test_two_tickets_at_once_and_the_queue(fake_api: FakeBotApi, desk: Application) -> None:
    ana, ben, group = Talk(fake_api, 2005), Talk(fake_api, 2006, "en"), Group(fake_api)
    await ana.send("კონსულტანტი", expect=2)
    _, notice = await ben.send("my employer keeps my passport and I am locked in", expect=2)
    assert say("handoff_queue", "en").format(position=1) in notice["text"]  # urgent goes first
    first, second = sorted(tickets(desk), key=lambda t: t["id"])
    ana_thread, ben_thread = await group.topic(first["id"]), await group.topic(second["id"])
    assert ana_thread != ben_thread
    await settled(fake_api, desk)  # the urgent alert is in General before /queue's listing

    await fake_api.async_wait_for(lambda: group.in_general(), WAIT)  # the urgent alert first
    before_general = len(group.in_general())
    group.says(None, "/queue")
    listing = await fake_api.async_wait_for(
        lambda: len(group.in_general()) > before_general and group.in_general()[-1], WAIT
    )
    lines = listing["text"].splitlines()
    assert lines[0] == cs("cs_queue_title").format(count=2)
    assert lines[1].startswith(f"🚨 #{second['id']}") and lines[2].startswith(f"#{first['id']}")

    ana_before, ben_before = len(ana.received()), len(ben.received())
    group.says(ana_thread, "ანა, გისმენთ", counsellor=NINO)
    group.says(ben_thread, "Ben, I am here", counsellor=GIORGI)
    ana_got = await ana.wait(2, ana_before)
    ben_got = await ben.wait(2, ben_before)
    assert ana_got[1]["text"] == "ანა, გისმენთ" and ben_got[1]["text"] == "Ben, I am here"
    await settled(fake_api, desk)
    assert len(ana.received()) == ana_before + 2 and len(ben.received()) == ben_before + 2


async def test_the_close_button_and_a_rating_given_once(
    fake_api: FakeBotApi, desk: Application
) -> None:
    citizen, group = Talk(fake_api, 2007, "en"), Group(fake_api)
    ticket, thread = await open_ticket(citizen, group, desk)
    card = await group.card(thread)
    before = len(citizen.received())
    group.press(card, f"tk:claim:{ticket['id']}")  # a rating only after a counsellor took it
    await citizen.wait(1, before)
    before = len(citizen.received())
    group.press(card, f"tk:close:{ticket['id']}")
    [closing] = await citizen.wait(1, before)
    assert say("relay_rate", "en") in closing["text"]
    await fake_api.async_wait_for(
        lambda: not buttons(fake_api.message(GROUP, card["message_id"])), WAIT
    )
    assert cs("cs_status_closed") in fake_api.message(GROUP, card["message_id"])["text"]
    # A double tap: two votes before the bot removes the stars. Each press is answered
    # (the answers prove both were handled before we look); one is counted, once.
    answered = len(fake_api.sent(2007, "answerCallbackQuery"))
    presses = {
        rating: fake_api.user_presses(2007, closing, f"rate:{ticket['id']}:{rating}")["id"]
        for rating in (2, 5)
    }
    answers = await fake_api.async_wait_for(
        lambda: (
            calls
            if len(calls := fake_api.sent(2007, "answerCallbackQuery")[answered:]) >= 2
            else None
        ),
        WAIT,
    )
    notices = {c.params["callback_query_id"]: c.params.get("text") for c in answers}
    thanks = say("feedback_thanks", "en")
    thanked = [r for r, query in presses.items() if notices[query] == thanks]
    refused = [r for r, query in presses.items() if notices[query] != thanks]
    assert len(thanked) == 1 and len(refused) == 1, notices
    expired = (say("button_expired", "en"), say("button_expired", "ka"))
    assert notices[presses[refused[0]]] in expired
    await settled(fake_api, desk)
    assert tickets(desk)[0]["rating"] == thanked[0]
    # The bot still writes in the closed topic (it is an administrator).
    assert cs("cs_citizen_rated").format(rating=thanked[0]) in [
        m.get("text") for m in group.in_topic(thread)
    ]


# --------------------------------------------------------------------------- delivery


async def test_injected_429_and_5xx_are_retried_and_delivered_once(
    fake_api: FakeBotApi, desk: Application
) -> None:
    citizen, group = Talk(fake_api, 2008, "en"), Group(fake_api)
    _, thread = await open_ticket(citizen, group, desk)
    await group.card(thread)

    fake_api.inject_error("copyMessage", 429, retry_after=1, times=1)
    fake_api.inject_error("copyMessage", 500, times=1)
    fake_api.inject_error("copyMessage", 502, times=1)
    first = fake_api.user_sends(2008, "first", language_code="en")
    second = fake_api.user_sends(2008, "second", language_code="en")
    await fake_api.async_wait_for(lambda: copies(fake_api, GROUP, second["message_id"]), WAIT)
    assert len(copies(fake_api, GROUP, first["message_id"])) == 1
    relayed = [m.get("text") for m in group.in_topic(thread)][-2:]
    assert relayed == ["first", "second"]  # order kept through the retries
    failures = [c.error_code for c in fake_api.sent(GROUP, "copyMessage") if not c.ok]
    assert failures == [429, 500, 502]

    fake_api.inject_error("copyMessage", 503, times=2)
    before = len(citizen.received())
    reply = group.says(thread, "An answer despite the errors")
    await citizen.wait(2, before)
    await settled(fake_api, desk)
    assert len(copies(fake_api, 2008, reply["message_id"])) == 1
    assert [r for r in outbox(desk) if r["status"] != "sent"] == []


async def test_blocked_citizen_is_a_permanent_failure_that_closes_the_ticket(
    fake_api: FakeBotApi, desk: Application
) -> None:
    citizen, group = Talk(fake_api, 2009, "en"), Group(fake_api)
    _, thread = await open_ticket(citizen, group, desk)
    await settled(fake_api, desk)
    fake_api.user_blocks_bot(2009, update=False)  # the bot missed my_chat_member: 403 tells
    group.says(thread, "Are you still there?")
    await fake_api.async_wait_for(
        lambda: cs("cs_citizen_left") in [m.get("text") for m in group.in_topic(thread)], WAIT
    )
    assert tickets(desk)[0]["closed_by"] == "citizen_left"
    failed = [r for r in outbox(desk) if r["status"] == "failed"]
    assert failed and all(r["last_error"].startswith(("Forbidden", "citizen left")) for r in failed)
    assert all(r["attempts"] <= 1 for r in failed)  # no retries of a 403, the rest cancelled


async def test_an_urgent_ticket_stays_open_when_the_bot_is_blocked(
    fake_api: FakeBotApi, desk: Application
) -> None:
    """The one who blocks the bot may hold the person's phone: the urgent ticket stays
    open with a note, and a counsellor's message is reported undelivered (a user
    trial: it closed as if the person had simply left)."""
    citizen, group = Talk(fake_api, 2010, "en"), Group(fake_api)
    await citizen.send("my boss took my passport and locks me in", expect=2)
    [ticket] = tickets(desk)
    thread = await group.topic(ticket["id"])
    await settled(fake_api, desk)
    fake_api.user_blocks_bot(2010)
    await fake_api.async_wait_for(
        lambda: cs("cs_citizen_unreachable") in [m.get("text") for m in group.in_topic(thread)],
        WAIT,
    )
    group.says(thread, "Are you safe?")
    await fake_api.async_wait_for(
        lambda: cs("cs_not_delivered") in [m.get("text") for m in group.in_topic(thread)], WAIT
    )
    await settled(fake_api, desk)
    [still] = tickets(desk)
    assert still["status"] != "closed" and still["closed_by"] is None
    assert not fake_api.topics(GROUP)[thread]["closed"]
    notes = [m.get("text") for m in group.in_topic(thread)]
    assert notes.count(cs("cs_citizen_unreachable")) == 1  # my_chat_member and the 403: once


async def test_restart_mid_ticket_resumes_and_delivers_pending_messages_once(
    fake_api: FakeBotApi, pipeline: Pipeline, settings: Settings
) -> None:
    fake_api.reset()
    citizen, group = Talk(fake_api, 2010, "en"), Group(fake_api)
    app = build_application(settings, pipeline, DEFAULT_TOKEN)
    async with polling(app, poll_timeout=1.0):
        _, thread = await open_ticket(citizen, group, app)
        before = len(citizen.received())
        group.says(thread, "Hello, I am a counsellor")
        await citizen.wait(2, before)
        # Telegram fails for a while: these stay pending in the outbox.
        fake_api.inject_error("copyMessage", 500, times=None)
        pending = [fake_api.user_sends(2010, f"pending {n}", language_code="en") for n in range(3)]
        reply = group.says(thread, "A reply that waits for the restart")
        # Later rows of a lane wait behind its failing head.
        await fake_api.async_wait_for(
            lambda: (
                sum(r["op"] == "copy" and r["status"] == "pending" for r in outbox(app)) == 4
                and sum(r["attempts"] >= 2 and r["status"] == "pending" for r in outbox(app)) == 2
            ),
            WAIT,
        )
    fake_api.clear_faults()
    later = fake_api.user_sends(2010, "written while the bot was down", language_code="en")

    restarted = build_application(settings, pipeline, DEFAULT_TOKEN)
    async with polling(restarted, poll_timeout=1.0):
        await fake_api.async_wait_for(lambda: copies(fake_api, GROUP, later["message_id"]), WAIT)
        await fake_api.async_wait_for(lambda: copies(fake_api, 2010, reply["message_id"]), WAIT)
        await settled(fake_api, restarted)
        after = fake_api.user_sends(2010, "after the restart", language_code="en")
        await fake_api.async_wait_for(lambda: copies(fake_api, GROUP, after["message_id"]), WAIT)
        [still_open] = tickets(restarted)
        assert still_open["status"] == "claimed"
    for message in [*pending, later, after]:
        assert len(copies(fake_api, GROUP, message["message_id"])) == 1, message["text"]
    assert len(copies(fake_api, 2010, reply["message_id"])) == 1
    relayed = [m.get("text") for m in group.in_topic(thread) if m.get("text", "").startswith("p")]
    assert relayed == ["pending 0", "pending 1", "pending 2"]


async def test_a_row_interrupted_mid_send_is_sent_again_after_a_restart(
    fake_api: FakeBotApi, pipeline: Pipeline, settings: Settings
) -> None:
    """The crash window between Telegram's answer and the 'sent' mark: at least once."""
    fake_api.reset()
    app = build_application(settings, pipeline, DEFAULT_TOKEN)
    store = services_of(app).store
    store.outbox.enqueue(
        "note:1", "c:2011", OutboxOp.SEND, {"to": "citizen", "chat_id": 2011, "text": "hello"}
    )
    with store.database.transaction() as db:
        db.execute("update outbox set status = 'sending', attempts = 1")
    fake_api.user_sends(2011, "/start")  # the fake server needs the chat to exist
    async with polling(app, poll_timeout=1.0):
        await fake_api.async_wait_for(
            lambda: any(m.get("text") == "hello" for m in fake_api.bot_messages(2011)), WAIT
        )
        await settled(fake_api, app)
        assert [r["status"] for r in outbox(app)] == ["sent"]  # settled() accepts failed too
    assert [m.get("text") for m in fake_api.bot_messages(2011)].count("hello") == 1


# --------------------------------------------------------------------------- who may do what


async def test_outsiders_are_ignored(fake_api: FakeBotApi, desk: Application) -> None:
    citizen, group = Talk(fake_api, 2012, "en"), Group(fake_api)
    _, thread = await open_ticket(citizen, group, desk)
    await settled(fake_api, desk)
    citizen_count = len(citizen.received())

    other = fake_api.create_group("Not the counsellors")
    fake_api.group_member_sends(other, 6666, "/close")
    fake_api.group_member_sends(other, 6666, "/queue")
    fake_api.group_member_sends(other, 6666, "hello citizen")
    stranger = Talk(fake_api, 6667, "en")
    # In a private chat the counsellors' commands are unknown commands: the help text.
    for command in ("/queue", "/close"):
        [reply] = await stranger.send(command)
        assert reply["text"] == say("help", "en")
    group.says(None, "a note between counsellors in General")
    # A later update that is answered proves the earlier ones were processed.
    [marker] = await stranger.send("/help")
    assert marker["text"] == say("help", "en")
    assert fake_api.bot_messages(other) == []
    assert len(stranger.received()) == 3
    assert len(citizen.received()) == citizen_count
    assert tickets(desk)[0]["status"] == "waiting"
    assert not fake_api.topics(GROUP)[thread]["closed"]


async def test_forget_deletes_the_bots_messages_by_id_when_the_topic_cannot_go(
    fake_api: FakeBotApi, desk: Application
) -> None:
    citizen, group = Talk(fake_api, 2013, "en"), Group(fake_api)
    _, thread = await open_ticket(citizen, group, desk)
    await citizen.send("my private story", expect=0)
    before = len(citizen.received())
    group.says(thread, "Tell me more")
    await citizen.wait(1, before)
    await group.topic_has(thread, 2)
    await settled(fake_api, desk)
    # An administrator without can_delete_messages: Telegram refuses to delete the topic
    # and the counsellor's message, not the bot's own messages.
    fake_api.set_bot_member(GROUP, can_delete_messages=False)
    [confirm] = await citizen.send("/forget")
    before = len(citizen.received())
    fake_api.user_presses(2013, confirm, "forget:yes")
    await fake_api.async_wait_for(lambda: fake_api.topics(GROUP)[thread]["closed"], WAIT)
    key = services_of(desk).store.user_key(2013)
    assert [t for t in tickets(desk) if t["user_key"] == key] == []
    assert [r for r in outbox(desk) if r["user_key"] == key] == []
    [refused] = fake_api.sent(GROUP, "deleteForumTopic")
    assert not refused.ok and "not enough rights to delete the topic" in str(refused.description)
    # The relay deleted by id the card, the copies of the citizen's messages and its
    # notices; the counsellor's message stays, and the note says how many are left.
    in_topic = [m for m in fake_api.messages(GROUP) if m.get("message_thread_id") == thread]
    left = [m["text"] for m in in_topic if "text" in m]  # topic service messages have none
    assert left == ["Tell me more", cs("cs_forgotten").format(left=1)], left
    deleted = [c for c in fake_api.sent(GROUP, "deleteMessage") if c.ok]
    assert len(deleted) >= 3  # the card, the citizen's copy, the claim notice at least
    assert len(citizen.received()) == before  # the confirmation is an edit, no new message


async def test_forget_deletes_the_topic_when_the_bot_may(
    fake_api: FakeBotApi, desk: Application
) -> None:
    citizen, group = Talk(fake_api, 2015, "en"), Group(fake_api)
    _, thread = await open_ticket(citizen, group, desk)
    before = len(citizen.received())
    group.says(thread, "Hello, I am here")
    await citizen.wait(1, before)  # copied to the citizen before /forget is asked
    await settled(fake_api, desk)
    [confirm] = await citizen.send("/forget")
    fake_api.user_presses(2015, confirm, "forget:yes")
    await fake_api.async_wait_for(lambda: thread not in fake_api.topics(GROUP), WAIT)
    assert [m for m in fake_api.messages(GROUP) if m.get("message_thread_id") == thread] == []
    assert fake_api.sent(GROUP, "deleteMessage") == []  # nothing needed by id


async def test_a_tool_asked_for_during_a_ticket_gets_its_input(
    fake_api: FakeBotApi, desk: Application
) -> None:
    citizen, group = Talk(fake_api, 2033, "en"), Group(fake_api)
    _, thread = await open_ticket(citizen, group, desk)
    await settled(fake_api, desk)
    in_topic = len(group.in_topic(thread))
    [ask] = await citizen.send("/stay")
    assert ask["text"] == say("stay_ask", "en")
    [counted] = await citizen.send("10 March to 10 April 2026")
    assert "32" in counted["text"]
    # the dates were for the calculator, not the counsellors; the next message is
    relayed = fake_api.user_sends(2033, "thank you, and one more question")
    await group.topic_has(thread, in_topic + 1)
    assert copies(fake_api, GROUP, relayed["message_id"])
    assert len(group.in_topic(thread)) == in_topic + 1


async def ticket_then_desk_moved(
    fake_api: FakeBotApi, pipeline: Pipeline, settings: Settings, citizen: Talk, group: Group
) -> tuple[int, int, Application]:
    """The citizen's ticket opened in GROUP, then MIGBOT_COUNSELLOR_CHAT_ID set to a new
    group: (the old topic, the new group's id, the application on the new group, not
    started)."""
    first = build_application(settings, pipeline, DEFAULT_TOKEN)
    async with polling(first, poll_timeout=1.0):
        _, old_thread = await open_ticket(citizen, group, first)
        await settled(fake_api, first)
    new_group = fake_api.create_group("Counsellors, new desk")
    moved = dataclasses.replace(
        settings, counsellors=dataclasses.replace(settings.counsellors, chat_id=new_group)
    )
    return old_thread, new_group, build_application(moved, pipeline, DEFAULT_TOKEN)


async def test_forget_after_the_desk_moved_deletes_the_topic_in_its_own_group(
    fake_api: FakeBotApi, pipeline: Pipeline, settings: Settings
) -> None:
    """Topic ids are per group: after MIGBOT_COUNSELLOR_CHAT_ID changed, /forget
    deleted the new group's topic of the same number, another citizen's (a user trial
    through the fake Bot API, 2026-12-01)."""
    fake_api.reset()
    citizen, other, group = Talk(fake_api, 2031, "en"), Talk(fake_api, 2032, "en"), Group(fake_api)
    old_thread, new_group, second = await ticket_then_desk_moved(
        fake_api, pipeline, settings, citizen, group
    )
    async with polling(second, poll_timeout=1.0):
        await other.send("counsellor", expect=2)
        [new_thread] = await fake_api.async_wait_for(lambda: list(fake_api.topics(new_group)), WAIT)
        await settled(fake_api, second)
        # a counsellor in the new group reaches the new ticket's citizen only
        before = (len(citizen.received()), len(other.received()))
        fake_api.group_member_sends(new_group, NINO, "Hello from the new desk",
                                    message_thread_id=new_thread, first_name="Nino")  # fmt: skip
        await other.wait(2, before[1])  # joined + the copy
        assert len(citizen.received()) == before[0]
        [confirm] = await citizen.send("/forget")
        fake_api.user_presses(2031, confirm, "forget:yes")
        await fake_api.async_wait_for(lambda: old_thread not in fake_api.topics(GROUP), WAIT)
        await settled(fake_api, second)
    assert new_thread in fake_api.topics(new_group)  # the other citizen's topic stays
    assert [(c.params["chat_id"], c.params["message_thread_id"])
            for c in fake_api.sent(None, "deleteForumTopic")] == [(GROUP, old_thread)]  # fmt: skip


async def test_an_open_ticket_follows_the_desk_to_its_new_group_with_a_true_note(
    fake_api: FakeBotApi, pipeline: Pipeline, settings: Settings
) -> None:
    """After the desk moved, the open ticket's next message opens a topic in the new
    group, whose note says the ticket was open in the earlier group (it said "the earlier
    topic was deleted", which nobody did: a user trial)."""
    fake_api.reset()
    citizen, group = Talk(fake_api, 2033, "en"), Group(fake_api)
    old_thread, new_group, second = await ticket_then_desk_moved(
        fake_api, pipeline, settings, citizen, group
    )
    async with polling(second, poll_timeout=1.0):
        await citizen.send("are you still there?", expect=0)
        [new_thread] = await fake_api.async_wait_for(lambda: list(fake_api.topics(new_group)), WAIT)
        await settled(fake_api, second)
    texts = [m.get("text", "") for m in fake_api.bot_messages(new_group)
             if m.get("message_thread_id") == new_thread]  # fmt: skip
    assert cs("cs_topic_moved") in texts
    assert cs("cs_topic_recreated") not in texts
    assert old_thread in fake_api.topics(GROUP)  # the old group's topic is left alone


async def test_missing_rights_are_named_at_start(
    fake_api: FakeBotApi, pipeline: Pipeline, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 15, item 3: a bot that is a plain member is told so at start, in the log and
    in the group's General topic; an administrator without the two rights likewise."""
    no_rights = {"can_delete_messages": False, "can_manage_topics": False}
    for rights in ({"status": "member"}, no_rights):
        fake_api.reset()
        fake_api.set_bot_member(GROUP, **rights)
        caplog.clear()
        app = build_application(settings, pipeline, DEFAULT_TOKEN)
        async with polling(app, poll_timeout=1.0):
            general = await fake_api.async_wait_for(
                lambda: [m for m in fake_api.bot_messages(GROUP) if "message_thread_id" not in m],
                WAIT,
            )
        named = "can_delete_messages, can_manage_topics"
        assert general[0]["text"] == cs("cs_missing_rights").format(rights=named)
        assert any(named in r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    fake_api.reset()
    app = build_application(settings, pipeline, DEFAULT_TOKEN)
    async with polling(app, poll_timeout=1.0):
        # The relay checks the rights before it delivers anything: once a ticket's topic
        # is open, a warning would have come first.
        await open_ticket(Talk(fake_api, 2016, "en"), Group(fake_api), app)
    assert not [m for m in fake_api.bot_messages(GROUP) if "message_thread_id" not in m]


# --------------------------------------------------------------------------- office hours


TBILISI = ZoneInfo("Asia/Tbilisi")


@pytest.mark.parametrize(
    ("now", "when_key", "opens_at"),
    [
        # Monday 10:00 in Tbilisi, the office opens at 12:00 the same day
        (dt.datetime(2026, 11, 30, 10, 0, tzinfo=TBILISI), "when_today", "12:00"),
        # Monday 21:30, after the office closed at 13:00: tomorrow at 12:00
        (dt.datetime(2026, 11, 30, 21, 30, tzinfo=TBILISI), "when_tomorrow", "12:00"),
    ],
)
async def test_after_hours_the_citizen_is_told_when_someone_is_back(
    fake_api: FakeBotApi,
    pipeline: Pipeline,
    bot_settings: Settings,
    now: dt.datetime,
    when_key: str,
    opens_at: str,
) -> None:
    hours = OfficeHours(days=(1, 2, 3, 4, 5, 6, 7), start="12:00", end="13:00")
    fake_api.reset()
    app = build_application(
        desk_settings(bot_settings, hours), pipeline, DEFAULT_TOKEN, clock=lambda: now
    )
    async with polling(app, poll_timeout=1.0):
        citizen = Talk(fake_api, 2014, "en")
        _, notice = await citizen.send("they took my passport and lock me in", expect=2)
    assert say(when_key, "en").format(time=opens_at) in notice["text"]
    assert "Tbilisi time" in notice["text"]
    assert say("handoff_on_duty_alerted", "en") in notice["text"]
    assert say("handoff_urgent_after_hours", "en") in notice["text"]


# --------------------------------------------------------------------------- logs


async def test_the_log_of_a_full_scenario_has_no_chat_id_name_or_text(
    fake_api: FakeBotApi, desk: Application, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 15, item 6: logs carry pseudonyms or ticket numbers, never a chat id, name, text.

    At DEBUG, the most an operator can turn on, with the filters `migbot run` installs.
    """
    caplog.set_level(logging.DEBUG)
    levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    install_log_filters(DEFAULT_TOKEN)
    try:
        await full_scenario(fake_api, desk, 7345019)
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
    bots = [r for r in caplog.records if not r.name.startswith(("aiohttp.access", "tests."))]
    logged = "\n".join(
        caplog.handler.format(r) for r in bots if all(f.filter(r) for f in caplog.handler.filters)
    )
    assert "ticket" in logged  # the scenario was logged, by ticket number
    for secret in ("7345019", "Tamariko", "Poland", "Zurab", "passport", "still there"):
        assert secret not in logged, secret


async def full_scenario(fake_api: FakeBotApi, desk: Application, user: int) -> None:
    """A question, a ticket, a danger message (the ticket is urgent now), a reply, a
    block (the urgent ticket stays open, with a note), a counsellor's message after it
    (not delivered, the topic is told), /forget."""
    citizen, group = Talk(fake_api, user, "en"), Group(fake_api)
    fake_api.user_sends(user, "/start", first_name="Tamariko", language_code="en")
    await citizen.wait(1, 0)
    await citizen.send("can Tamariko work in Poland without a visa", expect=1)
    _, thread = await open_ticket(citizen, group, desk)
    await citizen.send("Zurab from the agency took my passport and locks me in", expect=1)
    before = len(citizen.received())
    group.says(thread, "We will help you")
    await citizen.wait(1, before)
    await settled(fake_api, desk)
    [confirm] = await citizen.send("/forget")
    fake_api.user_blocks_bot(user)  # urgent: the ticket stays open, the topic is told
    await fake_api.async_wait_for(
        lambda: cs("cs_citizen_unreachable") in [m.get("text") for m in group.in_topic(thread)],
        WAIT,
    )
    group.says(thread, "Are you still there?")
    await fake_api.async_wait_for(
        lambda: cs("cs_not_delivered") in [m.get("text") for m in group.in_topic(thread)], WAIT
    )
    fake_api.user_presses(user, confirm, "forget:yes")
    await fake_api.async_wait_for(lambda: thread not in fake_api.topics(GROUP), WAIT)
    await settled(fake_api, desk)


async def test_a_flood_of_danger_messages_escalates_once_and_is_batched_in_the_topic(
    fake_api: FakeBotApi, desk: Application
) -> None:
    """Issue 15, item 1: danger words do not switch the flood limit off."""
    user = 2031
    citizen, group = Talk(fake_api, user, "en"), Group(fake_api)
    danger = "my boss took my passport and locks me in"
    first = await citizen.send(danger, expect=2)  # the emergency reply and the queue notice
    assert_emergency_first(first[0]["text"], "en")
    [ticket] = tickets(desk)
    thread = await group.topic(ticket["id"])
    await settled(fake_api, desk)
    before_topic, before_citizen = len(group.in_topic(thread)), len(citizen.received())
    flood = 60
    for n in range(flood):
        fake_api.user_sends(user, f"{danger} {n}", language_code="en")
    await fake_api.async_wait_for(  # every message relayed, each a row of `messages`
        lambda: len([m for m in rows(desk, "messages") if m["action"] == "relay"]) >= flood,
        WAIT,
    )
    # The batch goes out `urgent_repeat_window_seconds` after its first message.
    batch = [r for r in outbox(desk) if r["op"] == OutboxOp.BATCH]
    assert len(batch) == 1
    with services_of(desk).store.database.transaction() as db:
        db.execute("update outbox set next_attempt = 0 where op = 'batch'")
    services_of(desk).handoff.on_queued()
    await settled(fake_api, desk)
    replies = citizen.received()[before_citizen:]
    urgent_replies = [m for m in replies if begins_with_emergency_guidance(m["text"])]
    assert len(urgent_replies) <= 1  # not one per message
    in_topic = group.in_topic(thread)[before_topic:]
    assert len(in_topic) <= 25  # the first minute's copies, then one batch
    [batched] = [m for m in in_topic if m.get("text", "").startswith("🚨")]
    count = int(batched["text"].split("(")[1].split(")")[0])
    assert count + len(copies_in(fake_api, thread)) == flood  # none lost
    assert f"{danger} {flood - 1}" in batched["text"]


def copies_in(api: FakeBotApi, thread: int) -> list:
    return [
        call
        for call in api.sent(GROUP, "copyMessage")
        if call.ok and call.params.get("message_thread_id") == thread
    ]


def test_missing_rights_in_the_group_are_named() -> None:
    """Issue 15, item 3: the start-up check of what /forget needs in the group, on the
    ChatMember objects getChatMember returns (the creator's too, which the fake does not
    play at start; test_missing_rights_are_named_at_start runs the check end to end)."""
    bot = User(1, "migbot", is_bot=True)
    rights = dict.fromkeys(
        ("can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
         "can_manage_video_chats", "can_restrict_members", "can_promote_members",
         "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
         "can_delete_stories", "can_manage_topics"),
        True,
    )  # fmt: skip
    everything = ChatMemberAdministrator(bot, **rights)
    assert missing_rights(everything) == []
    no_delete = ChatMemberAdministrator(
        bot, **{**rights, "can_delete_messages": False, "can_manage_topics": False}
    )
    assert missing_rights(no_delete) == ["can_delete_messages", "can_manage_topics"]
    assert missing_rights(ChatMemberMember(bot)) == ["can_delete_messages", "can_manage_topics"]
    assert missing_rights(ChatMemberOwner(bot, False)) == []


async def test_start_during_an_open_ticket_says_the_counsellor_still_reads_the_chat(
    fake_api: FakeBotApi, desk: Application
) -> None:
    # after unblocking the bot, /start showed only the welcome (a user trial)
    citizen, group = Talk(fake_api, 2034, "en"), Group(fake_api)
    await open_ticket(citizen, group, desk)
    [welcome] = await citizen.send("/start")
    assert welcome["text"].endswith(say("relay_still_open", "en"))
    stranger = Talk(fake_api, 2035, "en")
    [plain] = await stranger.send("/start")
    assert say("relay_still_open", "en") not in plain["text"]


async def test_clear_starts_the_count_of_unanswered_messages_again(
    fake_api: FakeBotApi, desk: Application
) -> None:
    # after /clear the first message the bot could not answer opened a ticket at night,
    # counting one from before the clear (a user trial)
    citizen = Talk(fake_api, 2036, "en")
    await citizen.choose_language("en")
    [unsure] = await citizen.send("zebra quantum violin")
    assert say("handoff", "en") not in unsure["text"]
    [ask] = await citizen.send("/clear")
    await citizen.press(ask, "clear:yes", expect=1)
    [again] = await citizen.send("zebra quantum violin")
    assert say("handoff", "en") not in again["text"]
    assert tickets(desk) == []
