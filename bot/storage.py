"""What the bot remembers: one SQLite database (WAL) at settings.database_path.

Privacy by construction:
- analytics tables (`messages`, `feedback`, `handoffs`) know a user only by a
  pseudonymous key, HMAC-SHA256 of the Telegram user id with a secret key;
- the chat id, needed to write back to someone, lives only in `users`;
- `forget_user` deletes every row about a user from every table;
- `purge_old_texts` blanks message texts older than the retention period
  (the counts stay, for statistics).

The user's chosen language is stored here too (`users.lang`), not in PTB
persistence, so that there is one store to document, purge and forget.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

KEY_FILE = "pseudonym.key"
KEY_ENV = "MIGBOT_PSEUDONYM_KEY"


def load_pseudonym_key(data_dir: Path, environ: Mapping[str, str] | None = None) -> bytes:
    """The HMAC key: from the environment, else a random one kept in data_dir."""
    environ = os.environ if environ is None else environ
    if environ.get(KEY_ENV, "").strip():
        return environ[KEY_ENV].strip().encode("utf-8")
    path = data_dir / KEY_FILE
    if path.exists():
        return path.read_bytes().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode("ascii")
    # O_EXCL: if two processes start at once, only one key is ever written.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


def pseudonymise(user_id: int, key: bytes) -> str:
    return hmac.new(key, str(user_id).encode("ascii"), hashlib.sha256).hexdigest()


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class UserRecord:
    user_key: str
    chat_id: int
    lang: str | None  # chosen with the language buttons
    last_lang: str | None  # the language of the last question


class Storage:
    """Small synchronous store; each call is one short transaction."""

    def __init__(self, path: Path, pseudonym_key: bytes):
        path.parent.mkdir(parents=True, exist_ok=True)
        # One connection shared by the event loop and the purge job's thread.
        connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db = sqlite_utils.Database(connection)
        self.db.enable_wal()
        self.db.execute("pragma synchronous = normal")
        self._lock = threading.Lock()
        self._key = pseudonym_key
        self._create_tables()

    def _create_tables(self) -> None:
        self.db["users"].create(
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
        self.db["messages"].create(
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
        self.db["feedback"].create(
            {"id": int, "ts": str, "user_key": str, "entry_id": str, "value": int},
            pk="id",
            if_not_exists=True,
        )
        self.db["handoffs"].create(
            {"id": int, "user_key": str, "lang": str, "reason": str, "created": str},
            pk="id",
            if_not_exists=True,
        )
        for table in ("messages", "feedback", "handoffs"):
            self.db[table].create_index(["user_key"], if_not_exists=True)
        self.db["messages"].create_index(["ts"], if_not_exists=True)

    def user_key(self, user_id: int) -> str:
        return pseudonymise(user_id, self._key)

    # users -----------------------------------------------------------------

    def user(self, user_key: str) -> UserRecord | None:
        with self._lock:
            rows = list(self.db["users"].rows_where("user_key = ?", [user_key]))
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
        with self._lock:
            self.db.execute(
                "insert into users (user_key, chat_id, lang, last_lang, created, last_seen) "
                "values (?, ?, ?, ?, ?, ?) on conflict(user_key) do update set "
                "chat_id = excluded.chat_id, last_seen = excluded.last_seen, "
                "lang = coalesce(excluded.lang, users.lang), "
                "last_lang = coalesce(excluded.last_lang, users.last_lang)",
                [user_key, chat_id, lang, last_lang, stamp, stamp],
            )

    # analytics -------------------------------------------------------------

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
        row = {
            "ts": now_utc(),
            "user_key": user_key,
            "lang": lang,
            "action": action,
            "intent": intent,
            "entry_id": entry_id,
            "score": round(score, 4),
            "text": text,
        }
        with self._lock:
            self.db["messages"].insert(row)

    def add_feedback(self, user_key: str, entry_id: str, value: int) -> None:
        row = {"ts": now_utc(), "user_key": user_key, "entry_id": entry_id, "value": value}
        with self._lock:
            self.db["feedback"].insert(row)

    def add_handoff(self, user_key: str, lang: str, reason: str) -> int:
        row = {"user_key": user_key, "lang": lang, "reason": reason, "created": now_utc()}
        with self._lock:
            return int(self.db["handoffs"].insert(row).last_pk)

    # privacy ---------------------------------------------------------------

    def forget_user(self, user_key: str) -> int:
        """Delete every row about the user; returns how many rows went."""
        deleted = 0
        with self._lock:
            # Autocommit connection: an explicit transaction makes it all or nothing.
            self.db.execute("begin")
            try:
                # tickets/outbox: the counsellor relay's tables (bot/tickets.py), if created.
                relay_tables = [t for t in ("tickets", "outbox") if self.db[t].exists()]
                for table in ("users", "messages", "feedback", "handoffs", *relay_tables):
                    cursor = self.db.execute(f"delete from {table} where user_key = ?", [user_key])
                    deleted += cursor.rowcount
            except BaseException:
                self.db.execute("rollback")
                raise
            self.db.execute("commit")
        return deleted

    def purge_old_texts(self, retention_days: int, now: dt.datetime | None = None) -> int:
        """Blank message texts older than the retention period; rows stay for counts."""
        cutoff = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=retention_days)
        with self._lock:
            cursor = self.db.execute(
                "update messages set text = null where text is not null and ts < ?",
                [cutoff.isoformat(timespec="seconds")],
            )
        return cursor.rowcount

    def count(self, table: str, user_key: str | None = None) -> int:
        where = "user_key = ?" if user_key else None
        with self._lock:
            return self.db[table].count_where(where, [user_key] if user_key else None)

    def close(self) -> None:
        with self._lock:
            self.db.close()
