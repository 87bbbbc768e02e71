"""Tickets and the outbox in SQLite: one open ticket per citizen, idempotent ordered lanes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store import ClosedBy, HandoffReason, OutboxOp, Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "migbot.db", b"k" * 32)
    yield store
    store.close()


def opened(store: Store, user: str, reason: str = "asked"):
    return store.tickets.open_or_reuse(user, 1, "ka", HandoffReason(reason), "q", [])


def test_one_open_ticket_per_citizen_reused_and_upgraded(store: Store) -> None:
    tickets = store.tickets
    first = opened(store, "user-a")
    again = opened(store, "user-a", "urgent")
    assert first.created and not again.created and again.upgraded
    assert again.ticket.id == first.ticket.id and again.ticket.urgent
    other = opened(store, "user-b")
    assert [t.id for t in tickets.open_tickets()] == [first.ticket.id, other.ticket.id]
    assert tickets.queue_position(other.ticket.id) == 2
    with store.database.transaction():
        assert tickets.close(first.ticket.id, ClosedBy.CITIZEN)
        assert not tickets.close(first.ticket.id, ClosedBy.CITIZEN)
    assert opened(store, "user-a").created  # a new ticket after the old one closed
    assert not tickets.rate(first.ticket.id, "user-b", 5)  # not their ticket
    assert tickets.rate(first.ticket.id, "user-a", 4)
    assert not tickets.rate(first.ticket.id, "user-a", 1)


def test_outbox_is_idempotent_and_ordered_per_lane(store: Store) -> None:
    outbox, copy = store.outbox, OutboxOp.COPY
    with store.database.transaction():
        assert outbox.enqueue("cg:1:10:0", "t:1", copy, {"n": 1})
        assert not outbox.enqueue("cg:1:10:0", "t:1", copy, {"n": 1})  # the same update again
        outbox.enqueue("cg:1:11:0", "t:1", copy, {"n": 2})
        outbox.enqueue("gc:9:5:0", "c:1", copy, {"n": 3})
    heads = outbox.due_heads(time.time(), 10)
    assert [row.payload["n"] for row in heads] == [1, 3]
    outbox.mark_sending(heads[0].id)
    outbox.mark_retry(heads[0].id, time.time() + 60, "500")
    assert [row.payload["n"] for row in outbox.due_heads(time.time(), 10)] == [3]  # 2 waits for 1
    outbox.mark_sending(heads[1].id)
    assert outbox.recover_interrupted() == 1
    assert outbox.counts() == {"pending": 3}


def test_forget_user_deletes_tickets_and_outbox_rows(store: Store) -> None:
    ticket = opened(store, "user-a").ticket
    with store.database.transaction():
        store.outbox.enqueue("x", "t:1", OutboxOp.COPY, {}, ticket.id, "user-a")
        store.outbox.enqueue("y", "forget:1", OutboxOp.FORGET_TOPIC, {"thread_id": 1})
    assert store.forget("user-a") == 2
    assert store.tickets.open_for("user-a") is None
    assert store.outbox.counts() == {"pending": 1}  # the topic's deletion still runs


def test_a_topic_is_found_in_its_own_group_only(store: Store) -> None:
    # Topic ids are per group: topic 49 of the old group and of the new one are
    # two citizens' (a user trial, 2026-12-01).
    old_group, new_group = -1001, -1002
    first, second = opened(store, "user-a").ticket, opened(store, "user-b").ticket
    store.tickets.set_thread(first.id, 49, old_group)
    store.tickets.set_thread(second.id, 49, new_group)
    assert store.tickets.by_thread(49, new_group).id == second.id
    assert store.tickets.by_thread(49, old_group).id == first.id
    assert store.tickets.by_thread(49, -1003) is None
    assert list(store.tickets.group_messages_of("user-a", new_group)) == [(old_group, 49)]
    # the group became a supergroup: its topics follow it
    store.tickets.move_group(old_group, -1004)
    assert store.tickets.get(first.id).group_id == -1004
    assert store.tickets.get(second.id).group_id == new_group


def test_a_topic_recorded_before_its_group_was_is_the_configured_groups(store: Store) -> None:
    ticket = opened(store, "user-a").ticket
    store.tickets.set_thread(ticket.id, 7, None)
    assert store.tickets.by_thread(7, -1002).id == ticket.id
    assert list(store.tickets.group_messages_of("user-a", -1002)) == [(-1002, 7)]


def test_a_ticket_number_is_never_issued_twice_even_after_forget(store: Store) -> None:
    first = opened(store, "user-a").ticket
    second = opened(store, "user-b").ticket
    store.forget("user-b")  # the highest number's row is gone
    store.forget("user-a")
    third = opened(store, "user-c").ticket
    assert (first.id, second.id, third.id) == (1, 2, 3)
