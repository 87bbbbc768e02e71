"""/forget and the retention purge, across every table that holds a citizen's data.

Both end with `Database.scrub()`: with `secure_delete` on, deleted rows are
zeros in the file, and the write-ahead log is checkpointed and truncated, so
the deleted texts and pseudonyms leave the disk too (docs/privacy.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.store.database import Database
from bot.store.migrations import PERSONAL_TABLES


@dataclass(frozen=True)
class Purged:
    """What one retention purge did."""

    message_texts: int  # message texts blanked
    ticket_texts: int  # tickets whose question and recent conversation were blanked
    outbox_rows: int  # delivered or failed outbox rows deleted


def forget_user(database: Database, user_key: str) -> int:
    """Delete every row about the user from every table, all or nothing; returns the count.

    Then scrubs the files (Database.scrub); inside a caller's transaction the
    caller must scrub after committing.
    """
    deleted = 0
    with database.transaction() as db:
        for table in PERSONAL_TABLES:
            deleted += db.execute(f"delete from {table} where user_key = ?", [user_key]).rowcount
    database.scrub()
    return deleted


def purge_old_texts(
    database: Database, retention_days: int, now: dt.datetime | None = None
) -> Purged:
    """Blank texts older than the retention period; rows stay for the counts.

    Messages count from when they were written; tickets from their closing;
    outbox rows that were delivered or failed are deleted.
    """
    cutoff = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=retention_days)
    stamp = cutoff.isoformat(timespec="seconds")
    with database.transaction() as db:
        messages = db.execute(
            "update messages set text = null where text is not null and ts < ?", [stamp]
        ).rowcount
        tickets = db.execute(
            "update tickets set question = null, recent = '[]' where status = 'closed' "
            "and closed_at < ? and (question is not null or recent != '[]')",
            [stamp],
        ).rowcount
        outbox = db.execute(
            "delete from outbox where status in ('sent', 'failed') and created_at < ?",
            [cutoff.timestamp()],
        ).rowcount
    if messages or tickets or outbox:
        database.scrub()
    return Purged(messages, tickets, outbox)
