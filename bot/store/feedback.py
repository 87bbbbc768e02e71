"""👍/👎 on answers: the `feedback` table, by pseudonymous user key."""

from __future__ import annotations

from bot.store.conversations import now_utc
from bot.store.database import Database


class Feedback:
    def __init__(self, database: Database):
        self.database = database

    def add(self, user_key: str, entry_id: str, value: int) -> None:
        """A user's vote on an entry's answer: +1 or -1. One standing vote per user and
        entry: a double tap, or the update delivered again after a restart, counts once,
        and a later vote replaces the earlier one."""
        row = {"ts": now_utc(), "user_key": user_key, "entry_id": entry_id, "value": value}
        with self.database.transaction() as db:
            db.execute(
                "delete from feedback where user_key = ? and entry_id = ?", [user_key, entry_id]
            )
            db["feedback"].insert(row)
