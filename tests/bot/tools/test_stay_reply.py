"""The stay calculator's chat reply, in both languages; the clock is injected."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.texts import MESSAGES, say
from bot.tools.schengen import Trip
from bot.tools.stay_reply import OVERSTAY_ENTRY, format_date, stay_reply

TODAY = dt.date(2026, 11, 30)


def test_every_stay_text_has_both_languages() -> None:
    stay_keys = [k for k in MESSAGES if k.startswith("stay_")]
    assert len(stay_keys) > 20
    assert all(set(MESSAGES[k]) == {"ka", "en"} for k in stay_keys)


def test_english_reply_echoes_trips_figures_and_caveat() -> None:
    reply = stay_reply("from 1 October until today", "en", TODAY)
    assert "• 1 October 2026 – today (61 days)" in reply.text
    assert "On 30 November 2026: you have spent 61 days" in reply.text
    assert "29 remain" in reply.text
    assert "your last legal day (the latest day to leave) is 29 December 2026" in reply.text
    assert "If you leave on 30 November 2026" in reply.text
    assert "border guards decide" in reply.text and "EES" in reply.text
    assert say("stay_not_stored", "en") in reply.text
    assert reply.related == [] and reply.report is not None and reply.report.days_used == 61


def test_georgian_reply_for_latin_typed_trips() -> None:
    reply = stay_reply("1 oqtombridan dgemde", "ka", TODAY)
    assert "• 1 ოქტომბერი 2026 – დღემდე (61 დღე)" in reply.text
    assert "გატარებული გაქვთ 61 დღე" in reply.text
    assert "მესაზღვრე" in reply.text and "EES" in reply.text


def test_overstay_now_points_to_the_overstay_entry() -> None:
    reply = stay_reply("3 მარტიდან დღემდე", "ka", TODAY)
    assert reply.report is not None and reply.report.over_now
    assert reply.related == [OVERSTAY_ENTRY]
    assert say("stay_overstay_topic", "ka") in reply.text
    assert "⚠️" in reply.text


def test_past_overstay_is_said_too() -> None:
    reply = stay_reply([Trip(dt.date(2026, 1, 1), dt.date(2026, 5, 10))], "en", TODAY)
    assert "you stayed 40 days longer than allowed" in reply.text
    assert reply.related == [OVERSTAY_ENTRY]


def test_not_inside_gives_the_last_day_for_entering_today() -> None:
    reply = stay_reply("03.03-28.05", "en", TODAY)
    assert "If you enter today, your last legal day would be" in reply.text


def test_a_planned_exit_moves_the_day_of_the_check() -> None:
    reply = stay_reply("1 November - 15 December", "en", TODAY)
    assert "I counted up to its last day, 15 December 2026" in reply.text
    assert reply.report is not None and reply.report.on == dt.date(2026, 12, 15)


def test_no_dates_explains_how_to_write_them() -> None:
    assert stay_reply("hello", "ka", TODAY).text == say("stay_no_trips", "ka")


def test_unreadable_parts_are_listed() -> None:
    reply = stay_reply("03.03-28.05, 31.02-05.03", "en", TODAY)
    assert "“31.02” – there is no such date" in reply.text
    assert "• 3 March 2026 – 28 May 2026 (87 days)" in reply.text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1.5.2026-10.5.2026, 5.5.2026-20.5.2026", "overlap"),
        ("10.5.2026-1.5.2026", "the exit comes before the entry"),
        ("1.5.2030-10.5.2030", "1 May 2030 – 10 May 2030: this is more than a year ahead"),
    ],
)
def test_bad_trips_get_a_clear_message(text: str, words: str) -> None:
    reply = stay_reply(text, "en", TODAY)
    assert words in reply.text and reply.report is None


def test_remembered_says_forget_deletes() -> None:
    assert "/forget" in stay_reply("03.03-28.05", "ka", TODAY, remembered=True).text


def test_format_date() -> None:
    assert format_date(dt.date(2026, 9, 3), "ka") == "3 სექტემბერი 2026"
    assert format_date(dt.date(2026, 9, 3), "en") == "3 September 2026"
