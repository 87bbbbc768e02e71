"""👍/👎 on answers: the `feedback` table, by pseudonymous user key."""

from __future__ import annotations

from bot.store.conversations import now_utc
from bot.store.database import Database


class Feedback:
    def __init__(self, database: Database):
        self.database = database

    def add(self, user_key: str, entry_id: str, value: int) -> None:
        """One vote on an entry's answer: +1 or -1."""
        row = {"ts": now_utc(), "user_key": user_key, "entry_id": entry_id, "value": value}
        with self.database.transaction() as db:
            db["feedback"].insert(row)
