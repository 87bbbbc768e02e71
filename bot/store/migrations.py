"""The database schema as numbered migrations (sqlite-utils' `Migrations`).

`Database` applies the pending ones when it opens; `_sqlite_migrations`
records which ran. Never edit a migration that has shipped: add the next one.

m001 and m002 create the tables as the first version of the bot did, with
`if_not_exists`: a database written before migrations existed (var/migbot.db
of 2026-11) is adopted as it is, and nothing in it changes.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("migbot")

# Tables that hold rows about one citizen, by their pseudonymous `user_key`:
# what /forget deletes (bot.store.privacy).
PERSONAL_TABLES = (
    "users", "messages", "feedback", "handoffs", "tickets", "outbox", "chat_messages",
)  # fmt: skip


@MIGRATIONS()
def m001_conversations(db: sqlite_utils.Database) -> None:
    """users (chat id and language), messages, feedback, handoffs."""
    db["users"].create(
        {
            "user_key": str,
            "chat_id": int,
            "lang": str,
            "last_lang": str,
            "created": str,
            "last_seen": str,
        },
        pk="user_key",
        if_not_exists=True,
    )
    db["messages"].create(
        {
            "id": int,
            "ts": str,
            "user_key": str,
            "lang": str,
            "action": str,
            "intent": str,
            "entry_id": str,
            "score": float,
            "text": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db["feedback"].create(
        {"id": int, "ts": str, "user_key": str, "entry_id": str, "value": int},
        pk="id",
        if_not_exists=True,
    )
    db["handoffs"].create(
        {"id": int, "user_key": str, "lang": str, "reason": str, "created": str},
        pk="id",
        if_not_exists=True,
    )
    for table in ("messages", "feedback", "handoffs"):
        db[table].create_index(["user_key"], if_not_exists=True)
    db["messages"].create_index(["ts"], if_not_exists=True)


@MIGRATIONS()
def m002_tickets_and_outbox(db: sqlite_utils.Database) -> None:
    """Counsellor tickets (one open per citizen) and the relay's outbox."""
    db["tickets"].create(
        {
            "id": int,
            "user_key": str,
            "chat_id": int,
            "lang": str,
            "reason": str,
            "urgent": int,
            "status": str,
            "created": str,
            "updated": str,
            "claimed_at": str,
            "closed_at": str,
            "closed_by": str,
            "thread_id": int,
            "card_message_id": int,
            "counsellor_id": int,
            "counsellor_name": str,
            "question": str,
            "recent": str,  # JSON: the last messages and what the bot did with them
            "rating": int,
        },
        pk="id",
        if_not_exists=True,
    )
    db.execute(
        "create unique index if not exists tickets_one_open on tickets(user_key) "
        "where status in ('waiting', 'claimed')"
    )
    db["tickets"].create_index(["thread_id"], if_not_exists=True)
    db["outbox"].create(
        {
            "id": int,
            "idem_key": str,
            "lane": str,
            "op": str,
            "ticket_id": int,
            "user_key": str,
            "payload": str,
            "status": str,  # pending | sending | sent | failed
            "attempts": int,
            "next_attempt": float,  # time.time()
            "created_at": float,
            "sent_at": float,
            "result_message_id": int,
            "last_error": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db.execute("create unique index if not exists outbox_idem on outbox(idem_key)")
    db["outbox"].create_index(["status", "lane"], if_not_exists=True)
    db["outbox"].create_index(["user_key"], if_not_exists=True)


@MIGRATIONS()
def m003_ticket_question_time(db: sqlite_utils.Database) -> None:
    """tickets.question_at: when the ticket's question was written (the retention purge
    counts from it; before m003 the ticket's `created` stands in)."""
    db["tickets"].add_column("question_at", str)
    db["tickets"].create_index(["updated"], if_not_exists=True)


@MIGRATIONS()
def m004_chat_messages(db: sqlite_utils.Database) -> None:
    """chat_messages: the ids (never the texts) of each citizen's private chat with the
    bot and when they were sent, kept 48 hours for /clear (bot.store.chat_messages)."""
    db["chat_messages"].create(
        {"user_key": str, "message_id": int, "sent_at": float},  # sent_at: Unix seconds
        pk=("user_key", "message_id"),
        if_not_exists=True,
    )
    db["chat_messages"].create_index(["sent_at"], if_not_exists=True)


@MIGRATIONS()
def m005_ticket_group(db: sqlite_utils.Database) -> None:
    """tickets.group_id: the counsellors' group the ticket's forum topic is in. Topic ids
    are per group: after the group changed (a new MIGBOT_COUNSELLORS__CHAT_ID), /forget
    deleted the new group's topic of the same number, another citizen's (a user trial,
    2026-12-01). NULL for topics opened before m005: the configured group."""
    db["tickets"].add_column("group_id", int)


@MIGRATIONS()
def m006_ticket_numbers(db: sqlite_utils.Database) -> None:
    """ticket_numbers: the highest ticket number ever issued (one row). Ticket ids are
    shown to counsellors (#12 in the topic name, /queue); SQLite reuses the highest id
    once /forget deleted its row, so two citizens' tickets were both "#2" (a user trial,
    2026-12-01). No personal data."""
    db["ticket_numbers"].create({"id": int, "last": int}, pk="id", if_not_exists=True)
    highest = db.execute("select coalesce(max(id), 0) from tickets").fetchone()[0]
    db["ticket_numbers"].upsert({"id": 1, "last": highest}, pk="id")
