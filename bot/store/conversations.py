"""Citizens and what they asked: the `users`, `messages` and `handoffs` tables.

- `users`: per citizen the chat id (needed to reply) and language, by
  pseudonymous key; the chosen language lives here rather than in PTB
  persistence, so that one store holds everything /forget must delete;
- `messages`: one row per message, what the bot did with it and, until the
  retention purge blanks it, its text;
- `handoffs`: every request for a counsellor, for statistics.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.store.database import Database

# Stored timestamps are ISO 8601 ("2026-11-25T09:30:00+00:00"); compare alike.
SINCE = "strftime('%Y-%m-%dT%H:%M:%S', 'now', ?)"


def now_utc() -> str:
    """The current UTC time as stored: ISO 8601 to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class UserRecord:
    user_key: str
    chat_id: int
    lang: str | None  # chosen with the language buttons
    last_lang: str | None  # the language of the last question


@dataclass(frozen=True)
class Activity:
    """What `Conversations.activity` counts over the last `days` days."""

    days: int
    by_action: list[tuple[str | None, int]]  # most frequent first
    users: int
    likes: int
    dislikes: int

    @property
    def messages(self) -> int:
        return sum(count for _, count in self.by_action)


class Conversations:
    def __init__(self, database: Database):
        self.database = database

    # users -----------------------------------------------------------------

    def user(self, user_key: str) -> UserRecord | None:
        with self.database.reading() as db:
            rows = list(db["users"].rows_where("user_key = ?", [user_key]))
        if not rows:
            return None
        row = rows[0]
        return UserRecord(row["user_key"], row["chat_id"], row["lang"], row["last_lang"])

    def touch_user(
        self,
        user_key: str,
        chat_id: int,
        lang: str | None = None,
        last_lang: str | None = None,
    ) -> None:
        """Create or update the user's row; None leaves a field as it is."""
        stamp = now_utc()
        with self.database.transaction() as db:
            db.execute(
                "insert into users (user_key, chat_id, lang, last_lang, created, last_seen) "
                "values (?, ?, ?, ?, ?, ?) on conflict(user_key) do update set "
                "chat_id = excluded.chat_id, last_seen = excluded.last_seen, "
                "lang = coalesce(excluded.lang, users.lang), "
                "last_lang = coalesce(excluded.last_lang, users.last_lang)",
                [user_key, chat_id, lang, last_lang, stamp, stamp],
            )

    # messages and handoffs -------------------------------------------------

    def was_answered(self, user_key: str, entry_id: str) -> bool:
        """True if the bot sent this person the entry's answer (a `messages` row with it).

        Feedback is accepted only for such answers (docs/privacy.md): a 👍/👎 from a
        forged or forwarded button must not count, nor one after /forget.
        """
        with self.database.reading() as db:
            row = db.execute(
                "select 1 from messages where user_key = ? and entry_id = ? limit 1",
                [user_key, entry_id],
            ).fetchone()
        return row is not None

    def log_message(
        self,
        user_key: str,
        lang: str,
        action: str,
        text: str | None,
        intent: str | None = None,
        entry_id: str | None = None,
        score: float = 0.0,
    ) -> None:
        """One message: `action` is what the bot did (an answering Action, "menu", "relay")."""
        row = {
            "ts": now_utc(),
            "user_key": user_key,
            "lang": lang,
            "action": str(action),
            "intent": intent,
            "entry_id": entry_id,
            "score": round(score, 4),
            "text": text,
        }
        with self.database.transaction() as db:
            db["messages"].insert(row)

    def recent(self, user_key: str, limit: int) -> list[dict[str, Any]]:
        """The user's last `limit` messages, oldest first: {"text", "action", "entry_id"}."""
        with self.database.reading() as db:
            rows = db.execute(
                "select text, action, entry_id from messages where user_key = ? "
                "order by id desc limit ?",
                [user_key, limit],
            ).fetchall()
        return [{"text": t, "action": a, "entry_id": e} for t, a, e in reversed(rows)]

    def add_handoff(self, user_key: str, lang: str, reason: str) -> int:
        """Record a request for a counsellor; returns its id."""
        row = {"user_key": user_key, "lang": lang, "reason": str(reason), "created": now_utc()}
        with self.database.transaction() as db:
            return int(db["handoffs"].insert(row).last_pk)

    def activity(self, days: int) -> Activity:
        """Messages by action, distinct users and feedback of the last `days` days."""
        since = f"-{days} days"
        with self.database.reading() as db:
            by_action = db.execute(
                f"select action, count(*) from messages where ts >= {SINCE} "
                "group by action order by count(*) desc",
                [since],
            ).fetchall()
            users = db.execute(
                f"select count(distinct user_key) from messages where ts >= {SINCE}", [since]
            ).fetchone()[0]
            votes = dict(
                db.execute(
                    f"select value, count(*) from feedback where ts >= {SINCE} group by value",
                    [since],
                ).fetchall()
            )
        return Activity(days, by_action, users, votes.get(1, 0), votes.get(-1, 0))

    def count(self, table: str, user_key: str | None = None) -> int:
        """Rows of a table, all or one user's."""
        where = "user_key = ?" if user_key else None
        with self.database.reading() as db:
            return db[table].count_where(where, [user_key] if user_key else None)
