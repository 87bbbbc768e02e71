"""End-to-end: the real Application and pipeline talking to the fake Bot API.

Every test is a scripted conversation; assertions are on what the fake server
recorded (texts, buttons, failed calls) and on the bot's database.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import socket

import httpx
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import Application

from bot.assemble import build_application
from bot.telegram.app import close, polling, webhook_options
from bot.telegram.context import services_of
from bot.testing.fake_bot_api import DEFAULT_TOKEN, FakeBotApi
from bot.texts import say
from tests.support.talk import (
    WAIT,
    Talk,
    assert_emergency_first,
    buttons,
    data_starting,
    rows,
    store_of,
)

# --------------------------------------------------------------------------- start, language


async def test_start_offers_both_languages_and_remembers_the_choice(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    talk = Talk(fake_api, 1001)
    [welcome] = await talk.send("/start")
    assert say("start", "ka") in welcome["text"] and say("start", "en") in welcome["text"]
    assert buttons(welcome) == {"ქართული": "lang:ka", "English": "lang:en"}

    [chosen] = await talk.press(welcome, "lang:en")
    assert chosen["text"].startswith(say("language_set", "en"))
    assert buttons(chosen) == {
        "📚 Topics": "menu",
        "🗓 Count my Schengen days": "tool:stay",
        "🔎 Check a job offer": "tool:offer",
        "💬 Talk to a counsellor": "human",
    }
    [help_text] = await talk.send("/help")
    assert "/privacy" in help_text["text"] and "Write your question" in help_text["text"]
    [user] = rows(running_bot, "users")
    assert (user["lang"], user["chat_id"]) == ("en", 1001)

    [switch] = await talk.send("/language")
    [georgian] = await talk.press(switch, "lang:ka")
    assert georgian["text"].startswith(say("language_set", "ka"))
    [menu] = await talk.send("/topics")
    assert menu["text"] == say("topics_title", "ka")
    assert commands_announced(fake_api) >= {"start", "topics", "forget"}
    assert talk.failed_calls() == []


def commands_announced(api: FakeBotApi) -> set[str]:
    return {c["command"] for c in api.commands()}


# --------------------------------------------------------------------------- topic menu


async def test_topic_menu_answer_feedback_and_related(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    talk = Talk(fake_api, 1002, language_code="en")
    await talk.choose_language("en")
    [menu] = await talk.send("/topics")
    assert list(buttons(menu).values()) == ["cat:legal-work", "cat:risks", "cat:help", "human"]
    assert "⚠️ Risks of irregular migration" in buttons(menu)

    risks = await talk.press_for_edit(menu, "cat:risks")
    assert risks["text"].startswith("⚠️ Risks of irregular migration")
    assert "How can I tell if a job offer abroad is fake?" in buttons(risks)
    assert buttons(risks)["⬅️ Back"] == "back"

    [answer] = await talk.press(risks, "e:fake-job-offers")
    kb = services_of(running_bot).pipeline.kb
    entry = kb.entry("fake-job-offers")
    assert answer["text"].startswith(entry.question["en"])
    assert f"Source: {entry.sources[0]['title']}" in answer["text"]
    assert f"(reviewed {entry.reviewed})" in answer["text"]
    assert any(e["type"] == "italic" for e in answer.get("entities", []))
    labels = buttons(answer)
    assert labels["👍"] == "fb:+:fake-job-offers" and labels["👎"] == "fb:-:fake-job-offers"
    assert labels["💬 Talk to a counsellor"] == "human"
    related = data_starting(answer, "e:")
    assert 1 <= len(related) <= 3 and "e:check-agency" in related

    notice = await talk.press_for_notice(answer, "fb:+:fake-job-offers")
    assert notice == say("feedback_thanks", "en")
    await fake_api.async_wait_for(
        lambda: not data_starting(fake_api.message(1002, answer["message_id"]), "fb:"), WAIT
    )
    [vote] = rows(running_bot, "feedback")
    assert (vote["entry_id"], vote["value"]) == ("fake-job-offers", 1)
    assert vote["user_key"] != "1002" and len(vote["user_key"]) == 64

    [related_answer] = await talk.press(answer, "e:check-agency")
    assert related_answer["text"].startswith(kb.entry("check-agency").question["en"])

    back = await talk.press_for_edit(risks, "back")
    assert back["text"] == say("topics_title", "en")
    assert talk.failed_calls() == []


# --------------------------------------------------------------------------- free text


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("როგორ ვიმუშაო პოლონეთში კანონიერად?", "ka"),
        ("rogor vimushao polonetshi legalurad", "ka"),
        ("Is there a programme to work legally in Poland?", "en"),
    ],
    ids=["mkhedruli", "latin-georgian", "english"],
)
async def test_free_text_gets_the_pipelines_reply_in_the_question_language(
    fake_api: FakeBotApi, running_bot: Application, question: str, lang: str
) -> None:
    talk = Talk(fake_api, 1003)
    [message] = await talk.send(question)
    # Retrieval quality is tested elsewhere; here: the bot delivers what the pipeline decides.
    expected = services_of(running_bot).pipeline.answer(question, "ka", 0)
    assert expected.lang == lang
    assert message["text"] == expected.reply.strip()
    assert_keyboard_fits(message, expected.action, lang)
    [logged] = await fake_api.async_wait_for(lambda: rows(running_bot, "messages"), WAIT)
    assert (logged["action"], logged["lang"], logged["text"]) == (expected.action, lang, question)
    assert talk.failed_calls() == []


def assert_keyboard_fits(message: dict, action: str, lang: str) -> None:
    labels = buttons(message)
    if action == "answer":
        assert f"{say('source', lang)}:" in message["text"]
        assert f"({say('reviewed', lang)} " in message["text"]
        assert len(data_starting(message, "fb:")) == 2
        assert len(data_starting(message, "e:")) <= 3
    else:
        assert not data_starting(message, "fb:")
    if action in ("answer", "fallback", "urgent"):
        assert labels[say("btn_counsellor", lang)] == "human"


async def test_a_question_from_the_knowledge_base_is_answered_with_its_entry(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    talk = Talk(fake_api, 1016)
    entry = services_of(running_bot).pipeline.kb.entry("fake-job-offers")
    [answer] = await talk.send(entry.question["en"])
    assert entry.answer["en"].split("\n")[0] in answer["text"]
    assert f"Source: {entry.sources[0]['title']}" in answer["text"]
    assert any(e["type"] == "italic" for e in answer.get("entities", []))
    assert_keyboard_fits(answer, "answer", "en")
    assert talk.failed_calls() == []


async def test_urgent_reply_comes_first_and_a_handoff_is_recorded(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    talk = Talk(fake_api, 1004)
    [reply] = await talk.send("my boss took my passport and locks me in")
    assert_emergency_first(reply["text"], "en")
    assert "112" in reply["text"]
    await fake_api.async_wait_for(lambda: rows(running_bot, "handoffs"), WAIT)
    [handoff] = rows(running_bot, "handoffs")
    assert (handoff["reason"], handoff["lang"]) == ("urgent", "en")

    [georgian] = await talk.send("pasporti wamartves da mcemen")
    assert_emergency_first(georgian["text"], "ka")
    assert talk.failed_calls() == []


async def test_counsellor_by_button_and_by_word(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    talk = Talk(fake_api, 1005)
    chosen = await talk.choose_language("ka")
    [handoff] = await talk.press(chosen, "human")
    assert handoff["text"] == say("handoff", "ka")
    [by_word] = await talk.send("კონსულტანტი")
    assert by_word["text"] == say("handoff", "ka")
    handoffs = await fake_api.async_wait_for(
        lambda: len(rows(running_bot, "handoffs")) == 2 and rows(running_bot, "handoffs"), WAIT
    )
    assert [h["reason"] for h in handoffs] == ["button", "asked"]
    assert talk.failed_calls() == []


# --------------------------------------------------------------------------- privacy


async def test_privacy_and_forget_delete_everything_after_confirmation(
    fake_api: FakeBotApi, running_bot: Application, bot_settings
) -> None:
    talk = Talk(fake_api, 1006, language_code="en")
    await talk.choose_language("en")
    [privacy] = await talk.send("/privacy")
    assert f"after {bot_settings.privacy.retention_days} days" in privacy["text"]
    [answer] = await talk.send("How can I tell if a job offer abroad is fake?")
    assert await talk.press_for_notice(answer, data_starting(answer, "fb:-:")[0]) == say(
        "feedback_sorry", "en"
    )
    await talk.send("counsellor")
    store = store_of(running_bot)
    key = store.user_key(1006)
    count = store.conversations.count
    assert count("messages", key) and count("feedback", key)
    assert running_bot.user_data[1006]

    [confirm] = await talk.send("/forget")
    assert set(buttons(confirm).values()) == {"forget:yes", "forget:no"}
    kept = await talk.press_for_edit(confirm, "forget:no")
    assert kept["text"] == say("forget_cancelled", "en")
    assert count("messages", key)

    [confirm] = await talk.send("/forget")
    gone = await talk.press_for_edit(confirm, "forget:yes")
    assert gone["text"] == say("forgotten", "en")
    for table in ("users", "messages", "feedback", "handoffs"):
        assert count(table, key) == 0, table
    assert 1006 not in running_bot.user_data
    assert talk.failed_calls() == []


async def test_purge_job_blanks_old_texts_but_keeps_the_rows(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    with store_of(running_bot).database.transaction() as db:
        db["messages"].insert(
            {"ts": "2020-01-01T00:00:00+00:00", "user_key": "k", "lang": "en", "action": "answer",
             "text": "an old question"}
        )  # fmt: skip
    assert running_bot.job_queue.get_jobs_by_name("purge")
    await running_bot.job_queue.get_jobs_by_name("purge")[0].run(running_bot)
    [row] = rows(running_bot, "messages")
    assert row["text"] is None and row["action"] == "answer"


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice", "document"])
async def test_media_is_refused_politely(
    fake_api: FakeBotApi, running_bot: Application, kind: str
) -> None:
    talk = Talk(fake_api, 1007, language_code="en")
    [reply] = await talk.send("", kind=kind)
    assert reply["text"] == say("unsupported_media", "en")
    [located] = await talk.send("41.7151,44.8271", kind="location")
    assert located["text"] == say("unsupported_media", "en")
    assert talk.failed_calls() == []


async def test_html_markup_in_questions_is_harmless(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    pipeline = services_of(running_bot).pipeline
    questions = {
        1018: "<b>How can I tell if a job offer abroad is fake?</b> & do they charge fees <i>",
        1028: "*bold* _it_ `code` <script>alert(1)</script> &amp; &lt; agency fees",
    }
    for user, question in questions.items():  # new users: no earlier unanswered questions
        [reply] = await Talk(fake_api, user).send(question)
        assert reply["text"] == pipeline.answer(question, "ka", 0).reply.strip()
        assert Talk(fake_api, user).failed_calls() == []
    talk = Talk(fake_api, 1008)
    [emoji] = await talk.send("😀😀😀")
    assert emoji["text"] == say("empty", "ka")  # no letters: the empty-message prompt
    assert talk.failed_calls() == []
    assert all(c.params.get("parse_mode") == "HTML" for c in fake_api.sent(1008, "sendMessage"))


async def test_very_long_message_is_read_from_its_beginning_and_end_and_says_so(
    fake_api: FakeBotApi, running_bot: Application, bot_settings
) -> None:
    talk = Talk(fake_api, 1009)
    question = "How can I tell if a job offer abroad is fake? " + "blah " * 1000
    assert len(question) > bot_settings.telegram.max_message_chars
    [answer] = await talk.send(question[:5000])
    assert answer["text"].startswith(say("too_long", "en"))
    [logged] = await fake_api.async_wait_for(lambda: rows(running_bot, "messages"), WAIT)
    assert len(logged["text"]) <= bot_settings.telegram.max_message_chars
    assert talk.failed_calls() == []


async def test_edited_message_is_answered_with_the_new_text(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    talk = Talk(fake_api, 1010)
    before = len(talk.received())
    question = fake_api.user_sends(1010, "qwzx", language_code="en")
    await fake_api.async_wait_for_messages(1010, before + 1, WAIT)
    [answer] = await talk.edit(question, "How can I tell if a job offer abroad is fake?")
    assert data_starting(answer, "fb:+:") == ["fb:+:fake-job-offers"]
    assert talk.failed_calls() == []


async def test_other_scripts_get_a_bilingual_note(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    talk = Talk(fake_api, 1011)
    [reply] = await talk.send("我想去波兰工作")
    assert "Georgian or English" in reply["text"] and "ქართულად" in reply["text"]


async def test_old_and_unknown_buttons_are_answered_politely(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    talk = Talk(fake_api, 1012, language_code="en")
    await talk.choose_language("en")
    # A message from an older version of the bot, with buttons this one no longer knows.
    old = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("retired topic", callback_data="e:retired-entry")],
            [InlineKeyboardButton("old format", callback_data="v0:menu:3")],
            [InlineKeyboardButton("vote", callback_data="fb:+:retired-entry")],
            [InlineKeyboardButton("category", callback_data="cat:weather")],
        ]
    )
    sent = await running_bot.bot.send_message(1012, "old menu", reply_markup=old)
    message = fake_api.message(1012, sent.message_id)
    for data in ("e:retired-entry", "v0:menu:3", "fb:+:retired-entry", "cat:weather"):
        notice = await talk.press_for_notice(message, data)
        assert notice == say("button_expired", "en")
    assert talk.failed_calls() == []


async def test_a_failing_call_is_logged_and_the_user_gets_an_apology(
    fake_api: FakeBotApi, running_bot: Application, caplog: pytest.LogCaptureFixture
) -> None:
    talk = Talk(fake_api, 1013, language_code="en")
    fake_api.inject_error("sendMessage", 400, description="Bad Request: chat not found")
    [apology] = await talk.send("/help")
    assert apology["text"] == say("error", "en")
    assert "handler failed: BadRequest" in caplog.text
    assert DEFAULT_TOKEN not in caplog.text


@pytest.mark.parametrize("after, shown", [(0.0, True), (60.0, False)], ids=["slow", "quick"])
async def test_typing_shows_while_a_reply_takes_longer_than_the_setting(
    fake_api: FakeBotApi, pipeline, bot_settings, after: float, shown: bool
) -> None:
    fake_api.reset()
    telegram = dataclasses.replace(bot_settings.telegram, typing_after_seconds=after)
    app = build_application(dataclasses.replace(bot_settings, telegram=telegram), pipeline,
                            DEFAULT_TOKEN)  # fmt: skip
    async with polling(app, poll_timeout=1.0):
        await Talk(fake_api, 1041, language_code="en").send("How do I find a legal job abroad?")
        typing = fake_api.sent(1041, "sendChatAction")
        if shown:
            assert typing and typing[0].params["action"] == "typing"
            # The fake server records a call just after the message it created is visible.
            [reply, *_] = await fake_api.async_wait_for(
                lambda: fake_api.sent(1041, "sendMessage"), WAIT
            )
            assert typing[0].at <= reply.at
        else:
            assert typing == []


# --------------------------------------------------------------------------- flood


async def test_flood_gets_one_polite_notice_but_danger_still_gets_through(
    fake_api: FakeBotApi, pipeline, bot_settings
) -> None:
    fake_api.reset()
    limit = 3
    telegram = dataclasses.replace(bot_settings.telegram, max_messages_per_minute=limit)
    app = build_application(dataclasses.replace(bot_settings, telegram=telegram), pipeline,
                            DEFAULT_TOKEN)  # fmt: skip
    talk = Talk(fake_api, 1014, language_code="en")
    async with polling(app, poll_timeout=1.0):
        for number in range(8):
            fake_api.user_sends(1014, f"/help {number}", language_code="en")
        await fake_api.async_wait_for_messages(1014, limit + 1, WAIT)
        # Danger gets through the flood guard, and one user's messages are answered in
        # order: its answer arriving last proves nothing more came for the flood.
        [urgent] = await talk.send("help I am in danger, they beat me")
        assert "112" in urgent["text"]
        texts = [m["text"] for m in talk.received()]
        assert texts[-1] == urgent["text"]
        texts = texts[:-1]
        slow_down = [
            re.compile(re.escape(say("slow_down", lang)).replace(r"\{seconds\}", r"\d+"))
            for lang in ("ka", "en")
        ]
        assert sum(1 for t in texts for p in slow_down if p.fullmatch(t)) == 1
        assert len(texts) == limit + 1


# --------------------------------------------------------------------------- webhook


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_webhook_mode_checks_the_secret_token(
    fake_api: FakeBotApi, pipeline, bot_settings
) -> None:
    fake_api.reset()
    port = free_port()
    telegram = dataclasses.replace(
        bot_settings.telegram,
        mode="webhook",
        webhook_url="https://bot.example.org/telegram-hook",
        webhook_listen="127.0.0.1",
        webhook_port=port,
    )
    settings = dataclasses.replace(bot_settings, telegram=telegram)
    app = build_application(settings, pipeline, DEFAULT_TOKEN)
    secret = "s3cret-value"
    async with app:
        await app.start()
        await app.updater.start_webhook(**webhook_options(settings, secret))
        assert fake_api.webhook()["url"] == "https://bot.example.org/telegram-hook"
        message = fake_api.user_sends(1015, "/help", language_code="en")
        update = json.dumps({"update_id": 1, "message": message})
        url = f"http://127.0.0.1:{port}/telegram-hook"
        async with httpx.AsyncClient() as client:
            headers = {"Content-Type": "application/json"}
            wrong = await client.post(
                url, content=update, headers={**headers, "X-Telegram-Bot-Api-Secret-Token": "no"}
            )
            right = await client.post(
                url, content=update, headers={**headers, "X-Telegram-Bot-Api-Secret-Token": secret}
            )
        assert (wrong.status_code, right.status_code) == (403, 200)
        [reply] = await fake_api.async_wait_for_messages(1015, 1, WAIT)
        assert "/privacy" in reply["text"]
        await app.updater.stop()
        await app.stop()
    close(app)


def test_webhook_mode_refuses_to_start_without_a_secret(bot_settings) -> None:
    from bot.assemble import run_telegram
    from bot.config import Secrets

    telegram = dataclasses.replace(bot_settings.telegram, mode="webhook", webhook_url="https://x/y")
    settings = dataclasses.replace(
        bot_settings, telegram=telegram, secrets=Secrets(telegram_token=DEFAULT_TOKEN)
    )
    assert run_telegram(settings) == 2


async def test_urgent_questions_overtake_a_backlog(pipeline) -> None:
    from bot.answering.runner import PipelineRunner

    runner = PipelineRunner(pipeline)
    finished: list[str] = []

    async def ask(text: str, urgent: bool) -> None:
        reply = await runner.answer(text, "en", 0, urgent)
        finished.append(reply.action)

    backlog = [ask(f"how do I work in Poland legally {n}", False) for n in range(6)]
    await asyncio.gather(*backlog, ask("they took my passport, I am in danger", True))
    runner.close()
    assert finished.index("urgent") <= 1  # at most the question already running goes first


# --------------------------------------------------------------------------- command menu


async def test_the_command_menu_is_set_per_language_with_a_counsellor_command(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    both = {c["command"]: c["description"] for c in fake_api.commands()}
    georgian = {c["command"]: c["description"] for c in fake_api.commands(language_code="ka")}
    assert list(both)[:2] == ["start", "counsellor"] and set(both) == set(georgian)
    assert both["help"] == f"{say('menu_help', 'en')} / {say('menu_help', 'ka')}"
    assert georgian["help"] == say("menu_help", "ka") != "დახმარება"
    talk = Talk(fake_api, 1031, language_code="en")
    await talk.choose_language("en")
    [reply] = await talk.send("/counsellor", expect=1)
    assert reply["text"] == say("handoff", "en")
    # The reply goes out before the handoff is recorded: wait for the row.
    [row] = await fake_api.async_wait_for(lambda: rows(running_bot, "handoffs"), WAIT)
    assert row["reason"] == "asked"


# --------------------------------------------------------------------------- stay calculator


async def test_stay_asks_for_trips_counts_them_and_keeps_no_dates(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    talk = Talk(fake_api, 1032, language_code="en")
    chosen = await talk.choose_language("en")
    assert "tool:stay" in buttons(chosen).values()
    [ask] = await talk.press(chosen, "tool:stay")
    assert ask["text"] == say("stay_ask", "en")
    [counted] = await talk.send("3 March to 28 May 2026")
    assert "87" in counted["text"]  # 3 March - 28 May: 87 days, both ends counted
    assert say("stay_not_stored", "en") in counted["text"]
    # The next message is a question again, not trips.
    [answer] = await talk.send("How can I tell if a job offer abroad is fake?")
    assert data_starting(answer, "fb:")
    [logged] = await fake_api.async_wait_for(
        lambda: [r for r in rows(running_bot, "messages") if r["action"] == "stay"], WAIT
    )
    assert logged["text"] is None


async def test_the_stay_command_in_georgian_latin_letters(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    talk = Talk(fake_api, 1033)
    await talk.choose_language("ka")
    [ask] = await talk.send("/stay")
    assert ask["text"] == say("stay_ask", "ka")
    [counted] = await talk.send("10 martidan 10 aprilamde 2026")
    assert "32" in counted["text"]


# --------------------------------------------------------------------------- job-offer check

ADVERT = (
    "Urgent! Work in Poland at a meat factory, 3500 euro per month, no experience and no "
    "language needed. Come as a tourist, papers later. Registration fee 300 euro. "
    "Write only on WhatsApp, places are limited, decide today!"
)


async def test_checkoffer_reads_the_next_message_as_an_advert(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    talk = Talk(fake_api, 1034, language_code="en")
    await talk.choose_language("en")
    [ask] = await talk.send("/checkoffer")
    assert ask["text"] == say("offer_ask", "en")
    [checked] = await talk.send("Work in Germany at a warehouse, 2800 euro a month, write on Viber")
    assert say("offer_before_agreeing", "en").split("\n")[0] in checked["text"]
    assert "safe" not in checked["text"].lower()
    # The reply goes out before the message is recorded: wait for the row.
    [logged] = await fake_api.async_wait_for(
        lambda: [r for r in rows(running_bot, "messages") if r["action"] == "offer_check"], WAIT
    )
    assert logged["text"] is None  # the advert is not kept


async def test_a_georgian_advert_is_checked_in_the_english_users_language(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    # A forwarded Georgian advert turned an English user's bot Georgian (a user trial).
    talk = Talk(fake_api, 1036, language_code="en")
    await talk.choose_language("en")
    await talk.send("/checkoffer")
    [checked] = await talk.send(
        "სამუშაო პოლონეთში, ხელფასი 3500 ევრო, რეგისტრაციის საფასური 300 ევრო, "
        "მოგვწერეთ WhatsApp-ზე"
    )
    assert say("offer_before_agreeing", "en").split("\n")[0] in checked["text"]
    [help_text] = await talk.send("/help")
    assert help_text["text"] == say("help", "en")


async def test_a_pasted_advert_is_checked_and_its_entries_offered(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    talk = Talk(fake_api, 1035, language_code="en")
    await talk.choose_language("en")
    [checked] = await talk.send(ADVERT)
    assert checked["text"].startswith(say("offer_found", "en").split("(")[0])
    for entry in ("recruitment-fees", "fake-job-offers"):
        assert f"e:{entry}" in buttons(checked).values(), buttons(checked)


async def test_a_photo_caption_is_read_as_the_message(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    talk = Talk(fake_api, 1036, language_code="en")
    await talk.choose_language("en")
    [checked] = await talk.send(ADVERT, kind="photo")
    assert checked["text"].startswith(say("offer_found", "en").split("(")[0])
    [answer] = await talk.send("How can I tell if a job offer abroad is fake?", kind="photo")
    assert "tool:offer" in buttons(answer).values()  # offered under the answer


async def test_feedback_only_for_an_answer_the_bot_sent(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    """docs/privacy.md: a 👍/👎 is counted only for an answer the bot recorded sending
    this person; after /forget the old answer's buttons count nothing."""
    talk = Talk(fake_api, 1031, "en")
    await talk.choose_language("en")
    [menu] = await talk.send("/topics")
    risks = await talk.press_for_edit(menu, "cat:risks")
    [answer] = await talk.press(risks, "e:fake-job-offers")
    [confirm] = await talk.send("/forget")
    await talk.press_for_edit(confirm, "forget:yes")
    notice = await talk.press_for_notice(answer, "fb:-:fake-job-offers")
    assert notice == say("button_expired", "ka")  # forgotten: the language choice went too
    assert rows(running_bot, "feedback") == []


@pytest.mark.parametrize(
    ("question", "lang", "country"),
    [
        (
            "How do I go to Sweden for seasonal farm work legally, and what should I pay?",
            "en",
            "Sweden",
        ),
        (
            "როგორ წავიდე შვედეთში სეზონურ სამუშაოზე ლეგალურად და რა უნდა გადავიხადო?",
            "ka",
            "შვედეთის",
        ),
    ],
)
async def test_close_but_not_sure_names_the_country_offers_topics_and_a_counsellor(
    fake_api: FakeBotApi, running_bot: Application, question: str, lang: str, country: str
) -> None:
    talk = Talk(fake_api, 1017 if lang == "en" else 1018)
    [message] = await talk.send(question)
    expected = services_of(running_bot).pipeline.answer(question, lang, 0)
    assert (expected.action, expected.entry_id) == ("fallback", None)
    assert message["text"] == expected.reply.strip()
    first_line = say("not_covered", lang).format(country=country)
    assert message["text"].startswith(first_line)
    uk = services_of(running_bot).pipeline.kb.entry("uk-seasonal-worker").answer[lang]
    assert uk.split("\n")[0] not in message["text"]
    assert_keyboard_fits(message, "fallback", lang)
    assert talk.failed_calls() == []


async def test_one_topic_word_gets_topic_buttons_not_an_answer(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    talk = Talk(fake_api, 1019)
    [message] = await talk.send("passport")
    expected = services_of(running_bot).pipeline.answer("passport", "en", 0)
    assert (expected.action, expected.entry_id) == ("fallback", None)
    assert message["text"] == expected.reply.strip()
    assert message["text"].startswith(say("one_word", "en"))
    assert len(data_starting(message, "e:")) == len(expected.suggestions) >= 2
    assert_keyboard_fits(message, "fallback", "en")
    assert talk.failed_calls() == []


async def test_a_short_follow_up_is_read_with_the_answer_before_it(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    spain = services_of(running_bot).pipeline.kb.entry("spain-france-work")
    first_line = spain.answer["en"].split("\n")[0]
    talk = Talk(fake_api, 1020, "en")
    await talk.send("how can I work in Italy legally?")
    [message] = await talk.send("and in Spain?")
    assert first_line in message["text"]
    stranger = Talk(fake_api, 1021, "en")  # the same words with no answer before them
    [alone] = await stranger.send("and in Spain?")
    assert first_line not in alone["text"]
    assert talk.failed_calls() == [] and stranger.failed_calls() == []


@pytest.mark.parametrize("tool", ["/checkoffer", "/stay"])
async def test_danger_after_a_tool_prompt_gets_the_emergency_guidance(
    fake_api: FakeBotApi, running_bot: Application, tool: str
) -> None:
    # After /checkoffer this got "not a job advert" and no ticket (a user trial).
    talk = Talk(fake_api, 1040 if tool == "/stay" else 1041, language_code="en")
    await talk.choose_language("en")
    await talk.send(tool)
    danger = "my boss took my passport and locks me in the house, please help"
    expected = services_of(running_bot).pipeline.answer(danger, "en")
    assert expected.action == "urgent"
    [reply] = await talk.send(danger)
    assert reply["text"].split("\n")[0] == expected.reply.split("\n")[0]


@pytest.mark.parametrize("tool", ["/checkoffer", "/stay"])
async def test_a_question_after_a_tool_prompt_is_answered(
    fake_api: FakeBotApi, running_bot: Application, tool: str
) -> None:
    talk = Talk(fake_api, 1042 if tool == "/stay" else 1043, language_code="en")
    await talk.choose_language("en")
    await talk.send(tool)
    italy = services_of(running_bot).pipeline.kb.entry("italy-work").answer["en"]
    [reply] = await talk.send("How can I work in Italy legally?")
    assert italy.split("\n")[0] in reply["text"]
    # what the tool cannot read and the bot cannot answer still gets the tool's word
    await talk.send(tool)
    [unread] = await talk.send("qwerty zzz")
    key = "offer_not_an_advert" if tool == "/checkoffer" else "stay_no_trips"
    assert say(key, "en").split(".")[0] in unread["text"]


async def test_ok_after_an_answer_is_acknowledged_in_the_chosen_language(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    # "ok" then "კარგი" handed the citizen to a counsellor, and "ok" made a Georgian
    # user's bot English for good (a user trial)
    talk = Talk(fake_api, 1044)
    await talk.choose_language("ka")
    await talk.send("როგორ ვიმუშაო იტალიაში ლეგალურად?")
    for word in ("ok", "კარგი", "gasagebia"):
        [reply] = await talk.send(word)
        assert reply["text"] == say("acknowledged", "ka")
    [help_text] = await talk.send("/help")
    assert help_text["text"] == say("help", "ka")
    assert talk.failed_calls() == []


async def test_a_question_with_a_date_after_stay_is_answered_not_counted(
    fake_api: FakeBotApi, running_bot: Application
) -> None:
    # "Can I start seasonal work in Germany on 1 March?" got "I could not read '1 March'
    # ... I could not find any dates" (a user trial)
    talk = Talk(fake_api, 1045, language_code="en")
    await talk.choose_language("en")
    await talk.send("/stay")
    question = "Can I start seasonal work in Germany on 1 March?"
    expected = services_of(running_bot).pipeline.answer(question, "en")
    [reply] = await talk.send(question)
    assert reply["text"].split("\n")[0] == expected.reply.split("\n")[0]
    assert say("stay_no_trips", "en").split(".")[0] not in reply["text"]
