"""The handoff desk without Telegram: what each step writes to the tickets and the outbox."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import CounsellorSettings, OfficeHours
from bot.handoff import Counsellor, Handoff, HandoffRequest
from bot.store import ClosedBy, HandoffReason, OutboxOp, Store, TicketStatus

GROUP = -1001234567890
ALWAYS = OfficeHours(days=(1, 2, 3, 4, 5, 6, 7), start="00:00", end="24:00")
NINO = Counsellor(7101, "Nino")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "migbot.db", b"k" * 32)
    yield store
    store.close()


def desk(store: Store, hours: OfficeHours = ALWAYS, on_duty: tuple[int, ...] = ()) -> Handoff:
    settings = CounsellorSettings(chat_id=GROUP, on_duty_ids=on_duty, office_hours=hours)
    clock = lambda: dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)  # noqa: E731
    return Handoff(store, settings, clock)


def ops(store: Store) -> list[tuple[str, str]]:
    with store.database.reading() as db:
        return [(r["op"], r["lane"]) for r in db["outbox"].rows_where(order_by="id")]


def ask(handoff: Handoff, user: str = "user-a", reason: HandoffReason = HandoffReason.ASKED):
    return HandoffRequest(user, 2001, "en", reason, "please help")


def test_a_request_opens_a_ticket_with_topic_card_and_notice(store: Store) -> None:
    handoff = desk(store)
    woken = []
    handoff.on_queued = lambda: woken.append(1)
    handoff.request(ask(handoff))
    ticket = store.tickets.open_for("user-a")
    assert ticket is not None and ticket.status == TicketStatus.WAITING
    assert ops(store) == [
        ("open_topic", f"t:{ticket.id}"),
        ("card", f"t:{ticket.id}"),
        ("send", "c:2001"),  # the citizen's queue notice
    ]
    assert store.conversations.count("handoffs") == 1 and woken


def test_without_a_group_the_request_is_only_recorded(store: Store) -> None:
    handoff = Handoff(store, CounsellorSettings(chat_id=0))
    handoff.request(ask(handoff))
    assert store.tickets.open_for("user-a") is None and ops(store) == []
    assert store.conversations.count("handoffs") == 1


def test_urgent_upgrades_the_open_ticket_and_alerts_the_on_duty(store: Store) -> None:
    handoff = desk(store, on_duty=(7101,))
    handoff.request(ask(handoff))
    handoff.request(ask(handoff, reason=HandoffReason.URGENT))
    ticket = store.tickets.open_for("user-a")
    assert ticket.urgent and ticket.reason == HandoffReason.URGENT
    names = [op for op, _ in ops(store)]
    assert names.count("open_topic") == 1 and "rename_topic" in names and "alert" in names


def test_the_first_counsellor_reply_claims_and_closing_asks_for_a_rating(store: Store) -> None:
    handoff = desk(store)
    handoff.request(ask(handoff))
    ticket = store.tickets.open_for("user-a")
    handoff.from_counsellor(ticket, NINO, GROUP, 55, 0)
    claimed = store.tickets.get(ticket.id)
    assert claimed.status == TicketStatus.CLAIMED and claimed.counsellor_name == "Nino"
    assert not handoff.claim(claimed, Counsellor(7102, "Giorgi"))
    assert handoff.close(claimed, ClosedBy.COUNSELLOR, "Nino")
    assert not handoff.close(claimed, ClosedBy.COUNSELLOR, "Nino")  # once only
    with store.database.reading() as db:
        [last] = db["outbox"].rows_where("lane = 'c:2001'", order_by="id desc", limit=1)
    assert '"rate:' in last["payload"]  # the stars
    assert handoff.rate(ticket.id, "user-a", 5) is not None
    assert handoff.rate(ticket.id, "user-a", 1) is None


def test_forget_queues_the_topics_deletion_that_outlives_the_rows(store: Store) -> None:
    handoff = desk(store)
    handoff.request(ask(handoff))
    store.tickets.set_thread(store.tickets.open_for("user-a").id, 99, GROUP)
    assert handoff.forget("user-a") == 1
    store.forget("user-a")
    assert ops(store) == [(str(OutboxOp.FORGET_TOPIC), "forget:99")]


def test_forget_deletes_each_topic_in_the_group_it_is_in(store: Store) -> None:
    # The desk moved: the first ticket's topic 99 is in the old group, and topic 99
    # of the group configured now is someone else's.
    handoff = desk(store)
    handoff.request(ask(handoff))
    first = store.tickets.open_for("user-a")
    store.tickets.set_thread(first.id, 99, GROUP - 1)
    assert handoff.forget("user-a") == 1
    with store.database.reading() as db:
        [row] = db["outbox"].rows_where("op = ?", [str(OutboxOp.FORGET_TOPIC)])
    assert json.loads(row["payload"])["group_id"] == GROUP - 1


def test_stale_open_tickets_are_closed_as_abandoned_with_a_note(store: Store) -> None:
    """Issue 15, item 4: a ticket nobody writes in is closed, so its texts can expire."""
    settings = CounsellorSettings(chat_id=GROUP, office_hours=ALWAYS)
    now = dt.datetime.now(dt.UTC)
    today, in_15_days = (
        Handoff(store, settings),
        Handoff(store, settings, lambda: now + dt.timedelta(days=15)),
    )
    today.request(ask(today, "user-a"))
    today.request(ask(today, "user-b"))
    quiet, other = store.tickets.open_for("user-a"), store.tickets.open_for("user-b")
    assert today.close_abandoned(14) == []  # nothing is stale yet
    assert in_15_days.close_abandoned(14) == [quiet.id, other.id]
    closed = store.tickets.get(quiet.id)
    assert closed.status == TicketStatus.CLOSED
    with store.database.reading() as db:
        [row] = db["tickets"].rows_where("id = ?", [quiet.id])
        notes = [
            r["payload"]
            for r in db["outbox"].rows_where("ticket_id = ? and op = 'send'", [quiet.id])
        ]
    assert row["closed_by"] == ClosedBy.ABANDONED
    assert any("14" in note and "abandoned" not in note for note in notes)
    assert ("close_topic", f"t:{quiet.id}") in ops(store)
    assert in_15_days.close_abandoned(14) == []  # once only


def test_writing_in_a_ticket_keeps_it_open(store: Store) -> None:
    handoff = desk(store)
    handoff.request(ask(handoff))
    ticket = store.tickets.open_for("user-a")
    with store.database.transaction() as db:
        db.execute("update tickets set updated = '2020-01-01T00:00:00+00:00'")
    handoff.from_citizen(ticket, 2001, 55, 0)
    later = Handoff(
        store,
        CounsellorSettings(chat_id=GROUP),
        lambda: dt.datetime.now(dt.UTC) + dt.timedelta(days=13),
    )
    assert later.close_abandoned(14) == []
