"""/forget and the retention purge across the tables."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

from bot.store import ClosedBy, HandoffReason, OutboxOp, Store


def test_storage_forget_and_retention(tmp_path) -> None:
    store = Store.open(tmp_path / "bot.db", b"key")
    conversations = store.conversations
    alice, bob = store.user_key(1), store.user_key(2)
    for key, chat in ((alice, 1), (bob, 2)):
        conversations.touch_user(key, chat, lang="ka")
        conversations.log_message(key, "ka", "answer", "question", entry_id="x", score=0.9)
        store.feedback.add(key, "x", 1)
        conversations.add_handoff(key, "ka", "button")
    conversations.touch_user(alice, 1, last_lang="en")
    assert conversations.user(alice).lang == "ka" and conversations.user(alice).last_lang == "en"
    with store.database.reading() as db:
        assert db.execute("pragma journal_mode").fetchone()[0] == "wal"

    assert store.forget(alice) == 4
    assert conversations.user(alice) is None
    assert all(conversations.count(t, alice) == 0 for t in ("messages", "feedback", "handoffs"))
    assert conversations.count("messages", bob) == 1

    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    assert store.purge(30, now=later).message_texts == 1
    assert store.purge(30, now=later).message_texts == 0
    with store.database.reading() as db:
        [row] = db["messages"].rows
    assert row["text"] is None and row["entry_id"] == "x"
    store.close()


def raw_files(path: Path) -> bytes:
    """The database file and its write-ahead log, as bytes on disk."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def fill_two_people(store: Store, secret: str) -> tuple[str, str]:
    """Alice writes `secret` (and a ticket and outbox row carry it); Bob writes something else."""
    alice, bob = store.user_key(1001), store.user_key(1002)
    for key, chat, text in ((alice, 1001, secret), (bob, 1002, "bob asks about visas")):
        store.conversations.touch_user(key, chat, lang="en")
        for n in range(40):  # enough rows to span several pages
            store.conversations.log_message(key, "en", "fallback", f"{text} #{n}")
        store.tickets.open_or_reuse(
            key, chat, "en", HandoffReason.ASKED, text, [{"text": text, "action": "handoff"}]
        )
        store.outbox.enqueue(f"k:{chat}", f"c:{chat}", OutboxOp.SEND, {"text": text}, None, key)
    return alice, bob


def test_forget_leaves_no_trace_in_the_database_or_wal_files(tmp_path: Path) -> None:
    """Issue 15, item 5: secure_delete and a truncated WAL after /forget."""
    path = tmp_path / "migbot.db"
    store = Store.open(path, b"key")
    secret = "my employer Zurab keeps my passport"
    with store.database.reading() as db:  # half the rows in the file, half in the WAL
        assert db.execute("pragma secure_delete").fetchone()[0] == 1
    alice, bob = fill_two_people(store, secret)
    with store.database.reading() as db:
        db.execute("pragma wal_checkpoint(passive)")
    store.conversations.log_message(alice, "en", "answer", f"{secret} again")
    assert secret.encode() in raw_files(path) and alice.encode() in raw_files(path)

    store.forget(alice)

    raw = raw_files(path)  # the store is still open, as in the running bot
    assert secret.encode() not in raw
    assert alice.encode() not in raw
    assert b"bob asks about visas" in raw and bob.encode() in raw
    store.close()


def test_the_purge_leaves_no_trace_of_old_texts_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "migbot.db"
    store = Store.open(path, b"key")
    secret = "the recruiter Levan took 3000 lari"
    fill_two_people(store, secret)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    store.purge(30, now=later)
    raw = raw_files(path)
    assert secret.encode() not in raw
    assert b"bob asks about visas" not in raw
    store.close()


def test_database_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "migbot.db"
    store = Store.open(path, b"key")
    store.conversations.touch_user(store.user_key(1), 1)
    for file in (path, path.with_name("migbot.db-wal")):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    store.close()


def test_retention_counts_from_writing_whatever_the_ticket_state(tmp_path: Path) -> None:
    """Issue 15, item 4: an open ticket's question and recent texts expire too."""
    store = Store.open(tmp_path / "migbot.db", b"key")
    fill_two_people(store, "never closed")
    alice = store.user_key(1001)
    assert store.tickets.open_for(alice).question == "never closed"
    assert store.purge(30).ticket_texts == 0  # nothing is old yet
    purged = store.purge(30, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=31))
    assert purged.ticket_texts == 2 and purged.outbox_rows == 2
    ticket = store.tickets.open_for(alice)  # still open, its texts gone
    assert (ticket.question, ticket.recent) == (None, [])
    with store.database.reading() as db:
        assert list(db["outbox"].rows) == []
        assert db.execute("select count(*) from users").fetchone()[0] == 2  # tickets open
    store.close()


def test_idle_users_and_closed_tickets_lose_their_chat_ids(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "migbot.db", b"key")
    fill_two_people(store, "hello")
    alice = store.user_key(1001)
    store.tickets.close(store.tickets.open_for(alice).id, ClosedBy.CITIZEN)
    purged = store.purge(30, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=31))
    assert (purged.ticket_chats, purged.idle_users) == (1, 1)  # Bob's ticket is open
    assert store.conversations.user(alice) is None
    assert store.conversations.user(store.user_key(1002)) is not None
    with store.database.reading() as db:
        chats = dict(db.execute("select user_key, chat_id from tickets").fetchall())
    assert chats[alice] is None
    store.close()
