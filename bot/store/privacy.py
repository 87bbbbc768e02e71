"""/forget and the retention purge, across every table that holds a citizen's data.

Both end with `Database.scrub()`: with `secure_delete` on, deleted rows are
zeros in the file, and the write-ahead log is checkpointed and truncated, so
the deleted texts and pseudonyms leave the disk too (docs/privacy.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.store.chat_messages import DELETE_WINDOW_SECONDS
from bot.store.database import Database
from bot.store.migrations import PERSONAL_TABLES


@dataclass(frozen=True)
class Purged:
    """What one retention purge did."""

    message_texts: int  # message texts blanked
    ticket_texts: int  # tickets whose question or recent conversation was blanked
    outbox_rows: int  # outbox rows (and their payloads) deleted
    ticket_chats: int = 0  # closed tickets whose chat id was removed
    idle_users: int = 0  # users rows (chat id, language) of people idle that long
    chat_message_ids: int = 0  # ids of private chats past Telegram's 48-hour deletion window


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
    """Blank every stored text written more than `retention_days` ago; rows stay for counts.

    Counted from when each text was written, whatever state its ticket is in:
    - messages.text from the message's `ts`;
    - tickets.question from `question_at` (`created` for tickets before m003);
      tickets.recent (the conversation before the handoff, all written before
      the ticket opened) from `created`;
    - outbox rows (their payloads carry the bot's notices) from `created_at`,
      deleted unless a send is in flight;
    - the chat id of closed tickets from `closed_at`;
    - `users` rows (chat id, language) from `last_seen`, unless a ticket is open;
    - and, whatever `retention_days`, the ids of `chat_messages` (and the ids of the
      bot's messages to citizens in `outbox.result_message_id`) once older than the
      48 hours in which /clear could delete them (bot.store.chat_messages).
    Source of the rule: issue 15, item 4; issue 14 (/clear); docs/privacy.md.

    Args:
        retention_days: privacy.retention_days.
        now: the current time (aware); injected by tests.

    Returns:
        Purged: the counts; the files are scrubbed (Database.scrub) when any changed.
    """
    cutoff = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=retention_days)
    stamp = cutoff.isoformat(timespec="seconds")
    with database.transaction() as db:
        messages = db.execute(
            "update messages set text = null where text is not null and ts < ?", [stamp]
        ).rowcount
        old_question = "(question is not null and coalesce(question_at, created) < :cut)"
        old_recent = "(coalesce(recent, '[]') != '[]' and created < :cut)"
        tickets = db.execute(
            f"update tickets set "
            f"question = case when {old_question} then null else question end, "
            f"recent = case when {old_recent} then '[]' else recent end "
            f"where {old_question} or {old_recent}",
            {"cut": stamp},
        ).rowcount
        chats = db.execute(
            "update tickets set chat_id = null where status = 'closed' and chat_id is not null "
            "and closed_at < ?",
            [stamp],
        ).rowcount
        users = db.execute(
            "delete from users where last_seen < ? and not exists (select 1 from tickets t "
            "where t.user_key = users.user_key and t.status in ('waiting', 'claimed'))",
            [stamp],
        ).rowcount
        outbox = db.execute(
            "delete from outbox where status != 'sending' and created_at < ?",
            [cutoff.timestamp()],
        ).rowcount
        window_start = (now or dt.datetime.now(dt.UTC)).timestamp() - DELETE_WINDOW_SECONDS
        ids = db.execute("delete from chat_messages where sent_at <= ?", [window_start]).rowcount
        db.execute(
            "update outbox set result_message_id = null where result_message_id is not null "
            "and lane like 'c:%' and sent_at <= ?",
            [window_start],
        )
    purged = Purged(messages, tickets, outbox, chats, users, ids)
    if any((messages, tickets, outbox, chats, users, ids)):
        database.scrub()
    return purged
