"""The bot's one SQLite database: the connection, its lock, transactions, migrations.

Every repository of `bot.store` (conversations, feedback, tickets, outbox)
works through one `Database`. It owns:
- the connection (WAL, `synchronous = normal`), shared by the event loop and
  the worker threads, so it is opened with `check_same_thread=False`;
- a re-entrant lock: one statement or transaction at a time;
- `transaction()`: all or nothing; a transaction opened inside another one
  joins it (an SQLite savepoint), so repository methods open their own and
  callers may group several of them;
- the schema, created and upgraded by the numbered migrations of
  `bot.store.migrations` (sqlite-utils' `Migrations`) when it opens.
"""

from __future__ import annotations

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
        self._lock = threading.RLock()
        with self._lock:
            MIGRATIONS.apply(self._tables)

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

    def applied_migrations(self) -> list[str]:
        """Names of the migrations applied to this file, oldest first."""
        with self._lock:
            return [migration.name for migration in MIGRATIONS.applied(self._tables)]

    def close(self) -> None:
        with self._lock:
            self._tables.close()
