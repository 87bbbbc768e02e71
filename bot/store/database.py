"""The bot's one SQLite database: the connection, its lock, transactions, migrations.

Every repository of `bot.store` (conversations, feedback, tickets, outbox)
works through one `Database`. It owns:
- the connection (WAL, `synchronous = normal`, `secure_delete = on`: deleted
  content is overwritten with zeros), shared by the event loop and the worker
  threads, so it is opened with `check_same_thread=False`;
- a re-entrant lock: one statement or transaction at a time;
- `transaction()`: all or nothing; a transaction opened inside another one
  joins it (an SQLite savepoint), so repository methods open their own and
  callers may group several of them;
- the schema, created and upgraded by the numbered migrations of
  `bot.store.migrations` (sqlite-utils' `Migrations`) when it opens;
- `scrub()`: after /forget and the retention purge, the write-ahead log is
  checkpointed and truncated, so that deleted texts survive neither in the
  WAL file nor (secure_delete) in the free pages of the database file.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from bot.store.migrations import MIGRATIONS


class Database:
    """One SQLite file and everything that touches it.

    Args:
        path: the database file; its folder is created if missing.

    Raises:
        sqlite3.DatabaseError: the file is not an SQLite database.
    """

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._tables = sqlite_utils.Database(connection)
        self._tables.enable_wal()
        self._tables.execute("pragma synchronous = normal")
        self._tables.execute("pragma secure_delete = on")
        self._lock = threading.RLock()
        with self._lock:
            MIGRATIONS.apply(self._tables)
        restrict_to_owner(path)

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """All-or-nothing work on the tables; yields the sqlite-utils Database.

        Inside another transaction (same thread) it becomes a savepoint of that
        one: its changes commit or roll back with the outer transaction.
        """
        with self._lock, self._tables.atomic():
            yield self._tables

    @contextmanager
    def reading(self) -> Iterator[sqlite_utils.Database]:
        """Reads under the lock, without opening a transaction."""
        with self._lock:
            yield self._tables

    def scrub(self) -> bool:
        """Checkpoint the write-ahead log into the file and truncate it to 0 bytes.

        Run after deleting personal data (bot.store.privacy): with secure_delete on,
        the deleted cells are zeros in the database file, and the WAL, which may
        still hold the old pages, is emptied. Inside an open transaction it does
        nothing (the caller's commit comes first).

        Returns:
            True if the whole log was checkpointed and truncated; False if a reader
            (e.g. `migbot kb gaps`) held it or a transaction was open.
        """
        with self._lock:
            connection = self._tables.conn
            if connection.in_transaction:
                return False
            busy, _, _ = connection.execute("pragma wal_checkpoint(truncate)").fetchone()
        return busy == 0

    def applied_migrations(self) -> list[str]:
        """Names of the migrations applied to this file, oldest first."""
        with self._lock:
            return [migration.name for migration in MIGRATIONS.applied(self._tables)]

    def close(self) -> None:
        with self._lock:
            self._tables.close()


def restrict_to_owner(path: Path) -> None:
    """chmod 0600 the database and its -wal and -shm files, where this process owns them.

    The files hold what citizens wrote; nobody but the bot's user needs to read them
    (docs/privacy.md). Files of another owner are left alone.
    """
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if file.stat().st_uid == os.getuid() and file.stat().st_mode & 0o077:
                file.chmod(0o600)
        except OSError:
            continue
