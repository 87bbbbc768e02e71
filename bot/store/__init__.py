"""What the bot remembers: one SQLite database and a repository per group of tables.

    store = Store.open(settings.database_path, pseudonym_key)
    key = store.user_key(telegram_user_id)
    store.conversations.log_message(key, "ka", "answer", text)
    with store.database.transaction():      # several changes, all or nothing
        store.tickets.claim(...)
        store.outbox.enqueue(...)
    store.forget(key)                       # /forget: every table

Privacy by construction: analytics tables know a user only by a
pseudonymous key (bot.store.pseudonyms); the chat id lives only in `users`
and on open tickets; `forget` deletes every row with the user's key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from bot.store.chat_messages import DELETE_WINDOW_SECONDS, ChatMessages
from bot.store.conversations import Conversations, UserRecord, now_utc
from bot.store.database import Database
from bot.store.feedback import Feedback
from bot.store.outbox import Outbox, OutboxOp, OutboxRow, OutboxStatus, citizen_lane, topic_lane
from bot.store.privacy import Purged, forget_user, purge_old_texts
from bot.store.pseudonyms import load_pseudonym_key, pseudonymise
from bot.store.tickets import (
    ClosedBy,
    HandoffReason,
    Opened,
    Ticket,
    Tickets,
    TicketStatus,
)

__all__ = [
    "DELETE_WINDOW_SECONDS",
    "ChatMessages",
    "ClosedBy",
    "Conversations",
    "Database",
    "Feedback",
    "HandoffReason",
    "Opened",
    "Outbox",
    "OutboxOp",
    "OutboxRow",
    "OutboxStatus",
    "Purged",
    "Store",
    "Ticket",
    "TicketStatus",
    "Tickets",
    "UserRecord",
    "citizen_lane",
    "load_pseudonym_key",
    "now_utc",
    "pseudonymise",
    "topic_lane",
]


@dataclass
class Store:
    """The database and its repositories, with the pseudonym key."""

    database: Database
    pseudonym_key: bytes = field(repr=False)
    conversations: Conversations
    feedback: Feedback
    tickets: Tickets
    outbox: Outbox
    chat_messages: ChatMessages

    @classmethod
    def open(cls, path: Path, pseudonym_key: bytes) -> Store:
        """Open (create, upgrade) the database at `path`."""
        database = Database(path)
        return cls(
            database,
            pseudonym_key,
            Conversations(database),
            Feedback(database),
            Tickets(database),
            Outbox(database),
            ChatMessages(database),
        )

    def user_key(self, user_id: int) -> str:
        """The pseudonymous key of a Telegram user id."""
        return pseudonymise(user_id, self.pseudonym_key)

    def forget(self, user_key: str) -> int:
        """Delete every row about the user; returns how many rows went."""
        return forget_user(self.database, user_key)

    def purge(self, retention_days: int, now: dt.datetime | None = None) -> Purged:
        """Blank texts older than the retention period (bot.store.privacy)."""
        return purge_old_texts(self.database, retention_days, now)

    def close(self) -> None:
        self.database.close()
