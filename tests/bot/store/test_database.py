"""One Database: migrations, an old file upgraded in place, transactions that nest."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.store import HandoffReason, Store, TicketStatus
from bot.store.database import Database
from bot.store.migrations import MIGRATIONS

# Written by the code of commit 01dad47, before migrations existed (the bot's
# var/migbot.db of 2026-11): one user, two messages, a vote, a handoff, an open
# ticket with its topic, and two pending outbox rows.
OLD_DATABASE = Path(__file__).parents[2] / "data" / "migbot-2026-11-30.db"


def table_rows(path: Path) -> dict[str, list[tuple]]:
    connection = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "select name from sqlite_master where type = 'table' and name not like '\\_%' "
                "escape '\\' order by name"
            )
        ]
        return {
            table: connection.execute(f"select * from {table} order by rowid").fetchall()
            for table in tables
        }
    finally:
        connection.close()


def test_a_database_from_before_migrations_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "migbot.db"
    shutil.copy(OLD_DATABASE, path)
    before = table_rows(path)
    assert before["users"] and before["tickets"] and before["outbox"]

    store = Store.open(path, b"k" * 32)
    assert store.database.applied_migrations() == [m.name for m in MIGRATIONS.pending(_empty())]
    # Nothing lost, nothing changed in the rows (m003 adds tickets.question_at, m005
    # tickets.group_id, both empty; m004 the empty chat_messages; m006 the highest
    # ticket number)...
    after = table_rows(path)
    after_tickets = after.pop("tickets")
    assert [row[:-2] for row in after_tickets] == before.pop("tickets")
    assert after.pop("chat_messages") == []
    assert after.pop("ticket_numbers") == [(1, max(row[0] for row in after_tickets))]
    assert after == before
    # ...and the new code reads and writes them.
    [user] = before["users"]
    key = user[0]
    ticket = store.tickets.open_for(key)
    assert ticket is not None and ticket.status == TicketStatus.WAITING and ticket.thread_id == 77
    assert ticket.group_id is None  # opened before m005: the configured group's topic
    assert ticket.reason == HandoffReason.ASKED
    assert store.outbox.counts() == {"pending": 2}
    assert store.conversations.recent(key, 6)[0]["text"] == "როგორ ვიმუშაო პოლონეთში?"
    # The user, 2 messages, the vote, the handoff, the ticket and its 2 outbox rows.
    assert store.forget(key) == 8
    store.close()


def _empty() -> object:
    """A database with nothing applied, to list every migration."""
    import sqlite_utils

    return sqlite_utils.Database(memory=True)


def test_migrations_run_once(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Database(path).close()
    again = Database(path)
    names = again.applied_migrations()
    assert names == [
        "m001_conversations", "m002_tickets_and_outbox", "m003_ticket_question_time",
        "m004_chat_messages", "m005_ticket_group", "m006_ticket_numbers",
    ]  # fmt: skip
    again.close()


def test_a_failed_inner_step_rolls_back_the_whole_transaction(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db.sqlite", b"k")
    with pytest.raises(RuntimeError), store.database.transaction():
        store.conversations.add_handoff("someone", "ka", HandoffReason.BUTTON)  # nested: joins
        raise RuntimeError("the caller's next step failed")
    assert store.conversations.count("handoffs") == 0
    store.close()
