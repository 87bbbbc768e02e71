"""Failures Telegram really produces, each a scenario on the fake Bot API (issue 13).

Public bug reports from teams running support and handoff bots, replayed as
updates and answers: a stale button press, an anonymous administrator, a
citizen who blocks the bot, a deleted or closed topic, an unusable group,
rate limits, edits, albums, long lists and double taps.
"""

from __future__ import annotations

import dataclasses

from telegram.ext import Application

from bot.answering import Pipeline
from bot.assemble import build_application
from bot.config import AdminSettings, Settings
from bot.store import HandoffReason
from bot.telegram import keyboards
from bot.telegram.app import polling
from bot.telegram.context import services_of
from bot.testing.fake_bot_api import (
    DEFAULT_TOKEN,
    MAX_CALLBACK_DATA_BYTES,
    MAX_TEXT_LENGTH,
    FakeBotApi,
)
from bot.texts import say
from tests.support.desk import (
    GROUP,
    NINO,
    Group,
    copies,
    cs,
    desk_settings,
    open_ticket,
    outbox,
    settled,
    tickets,
)
from tests.support.talk import WAIT, Talk, assert_emergency_first, buttons, rows

ADMIN_ID = 9001  # an admin's private chat with the bot

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


# --------------------------------------------------------------------------- 1. topic gone


async def test_a_deleted_topic_is_replaced_and_nothing_is_lost(
    fake_api: FakeBotApi, desk: Application
) -> None:
    """copyMessage answers 400 "message thread not found": a new topic and card, in order."""
    citizen, group = Talk(fake_api, 3101, "en"), Group(fake_api)
    ticket, thread = await open_ticket(citizen, group, desk)
    await settled(fake_api, desk)
    fake_api.user_deletes_topic(GROUP, thread)
    sent = [fake_api.user_sends(3101, f"still here {n}", language_code="en") for n in range(3)]
    await fake_api.async_wait_for(lambda: copies(fake_api, GROUP, sent[-1]["message_id"]), WAIT)
    [again] = tickets(desk)
    new_thread = again["thread_id"]
    assert new_thread != thread and again["status"] == "waiting"
    texts = [m.get("text", "") for m in group.in_topic(new_thread)]
    assert cs("cs_topic_recreated") in texts
    assert [t for t in texts if t.startswith("still here")] == [f"still here {n}" for n in range(3)]
    await settled(fake_api, desk)
    assert [r for r in outbox(desk) if r["status"] == "failed"] == []
    # The new card works: Claim from the new topic.
    card = await group.card(new_thread)
    before = len(citizen.received())
    group.press(card, f"tk:claim:{ticket['id']}")
    [joined] = await citizen.wait(1, before)
    assert joined["text"] == say("relay_joined", "en")


async def test_a_topic_closed_in_the_app_closes_the_ticket(
    fake_api: FakeBotApi, desk: Application
) -> None:
    """forum_topic_closed from a counsellor: the ticket closes, the citizen is told."""
    citizen, group = Talk(fake_api, 3102, "en"), Group(fake_api)
    _, thread = await open_ticket(citizen, group, desk)
    await settled(fake_api, desk)
    before = len(citizen.received())
    fake_api.user_closes_topic(GROUP, thread, NINO)
    [closing] = await citizen.wait(1, before)
    assert closing["text"].startswith(say("relay_closed", "en"))
    [closed] = tickets(desk)
    assert (closed["status"], closed["closed_by"]) == ("closed", "counsellor")
    # closing the closed topic again: Telegram's TOPIC_NOT_MODIFIED (PTB: "Topic_not_modified")
    # is done, not a failure
    await settled(fake_api, desk)
    assert [r["op"] for r in outbox(desk) if r["status"] == "failed"] == []


# --------------------------------------------------------------------------- 2. the group


async def test_a_migrated_group_is_followed(
    fake_api: FakeBotApi, pipeline: Pipeline, bot_settings: Settings
) -> None:
    """The configured id answers 400 with migrate_to_chat_id: the bot uses the new group."""
    fake_api.reset()
    old = fake_api.create_group("Counsellors (old)", kind="group")
    new = fake_api.migrate_group(old)
    settings = desk_settings(bot_settings)
    settings = dataclasses.replace(
        settings, counsellors=dataclasses.replace(settings.counsellors, chat_id=old)
    )
    app = build_application(settings, pipeline, DEFAULT_TOKEN)
    async with polling(app, poll_timeout=1.0):
        await fake_api.async_wait_for(lambda: fake_api.sent(new, "getChatMember"), WAIT)
        citizen = Talk(fake_api, 3201, "en")
        _, notice = await citizen.send("counsellor", expect=2)
        assert say("handoff_queue", "en").format(position=1) in notice["text"]
        [thread] = await fake_api.async_wait_for(lambda: list(fake_api.topics(new)), WAIT)
        before = len(citizen.received())
        fake_api.group_member_sends(new, NINO, "Hello from the new group", message_thread_id=thread)
        _, copied = await citizen.wait(2, before)
        assert copied["text"] == "Hello from the new group"


async def test_a_group_migrated_while_running_is_checked_again_and_the_admins_told(
    fake_api: FakeBotApi, pipeline: Pipeline, bot_settings: Settings
) -> None:
    """The relay meets the migration on a send: the new group is checked (the problem
    recorded for the old basic group is cleared) and the admins get its id (only a
    migration found at start told them: a user trial)."""
    fake_api.reset()
    old = fake_api.create_group("Counsellors (old)", kind="group")
    settings = desk_settings(bot_settings)
    settings = dataclasses.replace(
        settings,
        counsellors=dataclasses.replace(settings.counsellors, chat_id=old),
        admins=AdminSettings(ids=(ADMIN_ID,)),
    )
    fake_api.user_sends(ADMIN_ID, "/start")  # an admin with a chat with the bot
    app = build_application(settings, pipeline, DEFAULT_TOKEN)
    async with polling(app, poll_timeout=1.0):
        # a basic group is no forum: recorded, and the admin told
        await fake_api.async_wait_for(lambda: services_of(app).handoff.desk_problem, WAIT)
        new = fake_api.migrate_group(old)
        citizen = Talk(fake_api, 3203, "en")
        await citizen.send("counsellor", expect=2)
        await fake_api.async_wait_for(lambda: list(fake_api.topics(new)), WAIT)
        told = await fake_api.async_wait_for(
            lambda: [m for m in fake_api.bot_messages(ADMIN_ID) if str(new) in m.get("text", "")],
            WAIT,
        )
        assert "MIGBOT_COUNSELLOR_CHAT_ID" in told[0]["text"]
        assert services_of(app).handoff.desk_problem is None


async def test_a_group_without_topic_rights_is_retried_and_the_citizen_told_honestly(
    fake_api: FakeBotApi, pipeline: Pipeline, settings: Settings
) -> None:
    """createForumTopic: 400 "not enough rights": no queue place promised; retried."""
    fake_api.reset()
    fake_api.set_bot_member(GROUP, "administrator", can_manage_topics=False)
    app = build_application(settings, pipeline, DEFAULT_TOKEN)
    async with polling(app, poll_timeout=1.0):
        await fake_api.async_wait_for(lambda: fake_api.sent(GROUP, "getChatMember"), WAIT)
        citizen = Talk(fake_api, 3202, "en")
        _, notice = await citizen.send("my boss took my passport and locks me in", expect=2)
        assert say("handoff_desk_down", "en") in notice["text"]
        assert say("handoff_queue", "en").format(position=1) not in notice["text"]
        assert say("handoff_urgent_after_hours", "en") in notice["text"]
        await fake_api.async_wait_for(
            lambda: [c for c in fake_api.sent(GROUP, "createForumTopic") if not c.ok], WAIT
        )
        fake_api.set_bot_member(GROUP, "administrator", can_manage_topics=True)
        [ticket] = tickets(app)
        thread = await Group(fake_api).topic(ticket["id"])
        await Group(fake_api).card(thread)
        await settled(fake_api, app)
        assert [r for r in outbox(app) if r["status"] == "failed"] == []


# --------------------------------------------------------------------------- 6. per-chat 429


async def test_a_429_on_the_group_does_not_hold_replies_to_citizens(
    fake_api: FakeBotApi, desk: Application
) -> None:
    """copyMessage into the group answers 429 retry_after: only the group's lanes wait."""
    citizen, group = Talk(fake_api, 3601, "en"), Group(fake_api)
    _, thread = await open_ticket(citizen, group, desk)
    await settled(fake_api, desk)
    fake_api.inject_error("copyMessage", 429, retry_after=4, chat_id=GROUP)
    question = fake_api.user_sends(3601, "is anyone there?", language_code="en")
    await fake_api.async_wait_for(
        lambda: [c for c in fake_api.sent(GROUP, "copyMessage") if c.error_code == 429], WAIT
    )
    before = len(citizen.received())
    reply = group.says(thread, "Yes, I am here")
    await fake_api.async_wait_for(lambda: copies(fake_api, 3601, reply["message_id"]), WAIT)
    # The citizen had the reply while the group's copy still waited out its 429.
    assert copies(fake_api, GROUP, question["message_id"]) == []
    await fake_api.async_wait_for(lambda: copies(fake_api, GROUP, question["message_id"]), WAIT)
    await citizen.wait(2, before)


# --------------------------------------------------------------------------- 7. direct 429


async def test_a_429_on_the_emergency_guidance_is_waited_out(
    fake_api: FakeBotApi, desk: Application
) -> None:
    """sendMessage answers 429 then a network-level 502: the guidance still comes, first."""
    citizen = Talk(fake_api, 3701, "en")
    fake_api.inject_error("sendMessage", 429, retry_after=1, chat_id=3701)
    fake_api.inject_error("sendMessage", 502, chat_id=3701)
    guidance, notice = await citizen.send("my boss took my passport and locks me in", expect=2)
    assert_emergency_first(guidance["text"], "en")
    assert say("handoff_queue", "en").format(position=1) in notice["text"]
    assert say("error", "en") not in [m.get("text") for m in citizen.received()]
    logged = [m for m in rows(desk, "messages") if m["action"] == "urgent"]
    assert len(logged) == 1


# --------------------------------------------------------------------------- 9. edits


async def test_an_edited_message_edits_its_copy_in_place(
    fake_api: FakeBotApi, desk: Application
) -> None:
    """A counsellor corrects a phone number: the citizen's copy changes, nothing new comes."""
    citizen, group = Talk(fake_api, 3901, "en"), Group(fake_api)
    _, thread = await open_ticket(citizen, group, desk)
    before = len(citizen.received())
    wrong = group.says(thread, "Call us on +995 555 12 34 56")
    _, copied = await citizen.wait(2, before)
    fake_api.user_edits(NINO, wrong, "Call us on +995 555 12 34 65")
    await fake_api.async_wait_for(
        lambda: fake_api.message(3901, copied["message_id"])["text"].endswith("65"), WAIT
    )
    mine = fake_api.user_sends(3901, "my number is 599 11 22 33", language_code="en")
    await fake_api.async_wait_for(lambda: copies(fake_api, GROUP, mine["message_id"]), WAIT)
    [into_topic] = copies(fake_api, GROUP, mine["message_id"])
    fake_api.user_edits(3901, mine, "my number is 599 11 22 34")
    topic_copy = into_topic.result["message_id"]
    await fake_api.async_wait_for(
        lambda: fake_api.message(GROUP, topic_copy)["text"].endswith("34"), WAIT
    )
    await settled(fake_api, desk)
    assert len(citizen.received()) == before + 2  # the joined notice and the one copy
    assert len(copies(fake_api, GROUP, mine["message_id"])) == 1


# --------------------------------------------------------------------------- 5. albums


async def test_an_album_gets_one_reply_and_its_caption_is_read(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    """Three photos with one media_group_id, the first captioned: one reply, to the caption."""
    citizen = Talk(fake_api, 3501, "en")
    await citizen.choose_language("en")
    before = len(citizen.received())
    fake_api.user_sends(
        3501, "is this job real?", kind="photo", media_group_id="album-1", language_code="en"
    )
    for _ in range(2):
        fake_api.user_sends(3501, "", kind="photo", media_group_id="album-1", language_code="en")
    [reply] = await citizen.wait(1, before)
    assert reply["text"] != say("unsupported_media", "en")  # the caption was read
    [marker] = await citizen.send("/help")  # answered after the album: nothing else came
    assert marker["text"] == say("help", "en")
    assert len(citizen.received()) == before + 2


# --------------------------------------------------------------------------- limits, lists


async def test_a_long_queue_is_split_into_messages_telegram_accepts(
    fake_api: FakeBotApi, desk: Application
) -> None:
    """/queue with 150 open tickets: every message within 4,096 characters, none lost."""
    store = services_of(desk).store
    for n in range(150):
        store.tickets.open_or_reuse(
            f"key{n}", 50_000 + n, "ka", HandoffReason.BUTTON, None, []
        )  # no topics: the relay is not asked for them
    group = Group(fake_api)
    group.says(None, "/queue")
    await fake_api.async_wait_for(
        lambda: sum(len(m["text"].splitlines()) for m in group.in_general()) >= 151, WAIT
    )
    listing = group.in_general()
    assert len(listing) > 1 and all(len(m["text"]) <= MAX_TEXT_LENGTH for m in listing)
    assert [c for c in fake_api.sent(GROUP) if not c.ok] == []


def test_every_button_of_every_entry_fits_64_bytes(pipeline: Pipeline) -> None:
    """callback_data is 1-64 bytes: entry ids in e:, fb:+: and the categories' lists."""
    kb = pipeline.kb
    for lang in ("ka", "en"):
        markups = [keyboards.categories_keyboard(lang)]
        markups += [keyboards.category_keyboard(kb, c, lang) for c in keyboards.CATEGORIES]
        markups += [keyboards.answer_keyboard(kb, e, list(kb.entries), lang) for e in kb.entries]
        for markup in markups:
            for row in markup.inline_keyboard:
                for b in row:
                    assert 1 <= len((b.callback_data or "x").encode()) <= MAX_CALLBACK_DATA_BYTES
                    assert b.text.strip()


# --------------------------------------------------------------------------- double taps


async def test_double_taps_change_state_once(fake_api: FakeBotApi, desk: Application) -> None:
    """Two presses of one button (before the first is answered) count once."""
    citizen, group = Talk(fake_api, 3950, "en"), Group(fake_api)
    await citizen.choose_language("en")
    [answer] = await citizen.send("How can I work legally in Poland?")
    [vote] = [d for d in buttons(answer).values() if d.startswith("fb:+:")]
    for _ in range(2):
        fake_api.user_presses(3950, answer, vote)
    await fake_api.async_wait_for(
        lambda: len(fake_api.sent(3950, "answerCallbackQuery")) >= 3, WAIT
    )
    assert len(rows(desk, "feedback")) == 1

    ticket, thread = await open_ticket(citizen, group, desk)
    card = await group.card(thread)
    before = len(citizen.received())
    group.press(card, f"tk:claim:{ticket['id']}", counsellor=NINO)
    group.press(card, f"tk:claim:{ticket['id']}", counsellor=NINO + 1)
    [joined] = await citizen.wait(1, before)
    group.press(card, f"tk:close:{ticket['id']}")
    group.press(card, f"tk:close:{ticket['id']}")
    [closing] = await citizen.wait(1, before + 1)
    for star in (4, 4):
        fake_api.user_presses(3950, closing, f"rate:{ticket['id']}:{star}")
    await fake_api.async_wait_for(lambda: tickets(desk)[0]["rating"] == 4, WAIT)
    await settled(fake_api, desk)
    texts = [m.get("text", "") for m in group.in_topic(thread)]
    assert sum(t.startswith(cs("cs_claimed_notice").split("{")[0]) for t in texts) == 1
    assert texts.count(cs("cs_citizen_rated").format(rating=4)) == 1
    assert joined["text"] == say("relay_joined", "en")
    assert len(citizen.received()) == before + 2
    assert tickets(desk)[0]["counsellor_id"] == NINO


async def test_updates_delivered_again_change_state_once(
    fake_api: FakeBotApi, desk: Application
) -> None:
    """The same message and the same button press, delivered twice (as after a crash)."""
    citizen, group = Talk(fake_api, 3960, "en"), Group(fake_api)
    _, thread = await open_ticket(citizen, group, desk)
    mine = fake_api.user_sends(3960, "only once please", language_code="en")
    fake_api.redeliver("message", mine)
    card = await group.card(thread)
    [ticket] = tickets(desk)
    press = fake_api.user_presses(NINO, card, f"tk:close:{ticket['id']}")
    fake_api.redeliver("callback_query", press)
    await fake_api.async_wait_for(
        lambda: len(fake_api.sent(GROUP, "answerCallbackQuery")) >= 2, WAIT
    )
    await settled(fake_api, desk)
    assert len(copies(fake_api, GROUP, mine["message_id"])) == 1
    texts = [m.get("text", "") for m in group.in_topic(thread)]
    assert texts.count(cs("cs_closed_by").format(name=f"User{NINO}")) == 1
    assert len(tickets(desk)) == 1
