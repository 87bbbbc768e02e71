"""The parts of the handoff without Telegram: office hours, tickets and the outbox in SQLite."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import OfficeHours
from bot.counsellors import describe_hours, describe_when, next_opening, office_open
from bot.storage import Storage
from bot.tickets import Tickets

TBILISI = ZoneInfo("Asia/Tbilisi")
WEEKDAYS = OfficeHours()  # Monday to Friday, 10:00-18:00, Tbilisi


def tbilisi(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in the week of Monday 2026-11-23, as UTC (what the bot's clock gives)."""
    return dt.datetime(2026, 11, 23 + day, hour, minute, tzinfo=TBILISI).astimezone(dt.UTC)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (tbilisi(0, 9, 59), False),
        (tbilisi(0, 10, 0), True),
        (tbilisi(2, 17, 59), True),
        (tbilisi(2, 18, 0), False),
        (tbilisi(5, 12, 0), False),  # Saturday
    ],
)
def test_office_open_in_the_offices_timezone(moment: dt.datetime, is_open: bool) -> None:
    assert office_open(WEEKDAYS, moment) is is_open


def test_next_opening_today_tomorrow_and_after_the_weekend() -> None:
    assert next_opening(WEEKDAYS, tbilisi(1, 8)) == dt.datetime(2026, 11, 24, 10, tzinfo=TBILISI)
    assert next_opening(WEEKDAYS, tbilisi(1, 19)) == dt.datetime(2026, 11, 25, 10, tzinfo=TBILISI)
    friday_evening = tbilisi(4, 19)
    monday = next_opening(WEEKDAYS, friday_evening)
    assert monday == dt.datetime(2026, 11, 30, 10, tzinfo=TBILISI)
    assert describe_when(monday, friday_evening, "ka") == "ორშაბათს, 30 ნოემბერს, 10:00-დან"
    assert describe_when(monday, friday_evening, "en") == "on Monday 30 November from 10:00"
    tuesday = next_opening(WEEKDAYS, tbilisi(0, 20))
    assert describe_when(tuesday, tbilisi(0, 20), "ka") == "ხვალ, 10:00-დან"
    assert next_opening(OfficeHours(days=()), tbilisi(0, 9)) is None


def test_office_hours_follow_daylight_saving_time() -> None:
    berlin = OfficeHours(timezone="Europe/Berlin", days=(1, 2, 3, 4, 5), start="09:00")
    summer = dt.datetime(2026, 7, 6, 7, 30, tzinfo=dt.UTC)  # 09:30 in Berlin (UTC+2)
    winter = dt.datetime(2026, 12, 7, 7, 30, tzinfo=dt.UTC)  # 08:30 in Berlin (UTC+1)
    assert office_open(berlin, summer) and not office_open(berlin, winter)
    assert next_opening(berlin, winter).astimezone(dt.UTC).hour == 8


def test_hours_are_described_in_both_languages() -> None:
    assert describe_hours(WEEKDAYS, "ka") == "ორშაბათი–პარასკევი, 10:00–18:00"
    assert describe_hours(OfficeHours(days=(1, 3)), "en") == "Monday, Wednesday, 10:00–18:00"


# --------------------------------------------------------------------------- SQLite


@pytest.fixture
def store(tmp_path: Path) -> Tickets:
    storage = Storage(tmp_path / "migbot.db", b"k" * 32)
    yield Tickets(storage)
    storage.close()


def opened(tickets: Tickets, user: str, reason: str = "asked"):
    with tickets.transaction():
        return tickets.open_or_reuse(user, 1, "ka", reason, "q", [])


def test_one_open_ticket_per_citizen_reused_and_upgraded(store: Tickets) -> None:
    first = opened(store, "user-a")
    again = opened(store, "user-a", "urgent")
    assert first.created and not again.created and again.upgraded
    assert again.ticket.id == first.ticket.id and again.ticket.urgent
    other = opened(store, "user-b")
    assert [t.id for t in store.open_tickets()] == [first.ticket.id, other.ticket.id]
    assert store.queue_position(other.ticket.id) == 2
    with store.transaction():
        assert store.close(first.ticket.id, "citizen")
        assert not store.close(first.ticket.id, "citizen")
    assert opened(store, "user-a").created  # a new ticket after the old one closed
    assert not store.rate(first.ticket.id, "user-b", 5)  # not their ticket
    assert store.rate(first.ticket.id, "user-a", 4) and not store.rate(first.ticket.id, "user-a", 1)


def test_outbox_is_idempotent_and_ordered_per_lane(store: Tickets) -> None:
    with store.transaction():
        assert store.enqueue("cg:1:10:0", "t:1", "copy", {"n": 1})
        assert not store.enqueue("cg:1:10:0", "t:1", "copy", {"n": 1})  # the same update again
        store.enqueue("cg:1:11:0", "t:1", "copy", {"n": 2})
        store.enqueue("gc:9:5:0", "c:1", "copy", {"n": 3})
    heads = store.due_heads(time.time(), 10)
    assert [row.payload["n"] for row in heads] == [1, 3]
    store.mark_sending(heads[0].id)
    store.mark_retry(heads[0].id, time.time() + 60, "500")
    assert [row.payload["n"] for row in store.due_heads(time.time(), 10)] == [3]  # 2 waits for 1
    store.mark_sending(heads[1].id)
    assert store.recover_interrupted() == 1
    assert store.outbox_counts() == {"pending": 3}


def test_forget_user_deletes_tickets_and_outbox_rows(store: Tickets) -> None:
    ticket = opened(store, "user-a").ticket
    with store.transaction():
        store.enqueue("x", "t:1", "copy", {}, ticket.id, "user-a")
        store.enqueue("y", "forget:1", "forget_topic", {"thread_id": 1})
    assert store.storage.forget_user("user-a") == 2
    assert store.open_for("user-a") is None
    assert store.outbox_counts() == {"pending": 1}  # the topic's deletion still runs
