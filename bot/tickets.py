"""Counsellor tickets and the relay outbox: two tables in the bot's SQLite database.

`tickets`: one row per handoff conversation. A citizen has at most one open
ticket (status waiting or claimed; a partial unique index enforces it); a new
request re-uses it and an urgent one upgrades it.

`outbox`: every message the relay must deliver (copies both ways, the bot's
own notices, topic operations). Rows are written in the same transaction as
the ticket change that causes them and delivered in order per *lane* (one
lane per forum topic, one per citizen chat) by bot/relay.py. `idem_key` is
unique: the same source message (e.g. an update Telegram re-delivers after a
restart) is queued once only.

Both tables carry the citizen's pseudonymous `user_key`, so that
Storage.forget_user deletes them with everything else. The chat id is kept
on the ticket because the relay must write back while the ticket is open.

This class shares Storage's connection and lock: one SQLite file, one writer.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bot.storage import Storage, now_utc

OPEN = ("waiting", "claimed")
REASON_LABELS = ("asked", "button", "unanswered", "urgent")
RECENT_MESSAGES = 6  # how much of the conversation the summary card shows


@dataclass(frozen=True)
class Ticket:
    id: int
    user_key: str
    chat_id: int
    lang: str
    reason: str
    urgent: bool
    status: str
    created: str
    thread_id: int | None
    card_message_id: int | None
    counsellor_id: int | None
    counsellor_name: str | None
    question: str | None
    recent: list[dict[str, Any]]
    rating: int | None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def age(self) -> dt.timedelta:
        return dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(self.created)


@dataclass(frozen=True)
class OutboxRow:
    id: int
    lane: str
    op: str
    ticket_id: int | None
    payload: dict[str, Any]
    attempts: int
    created_at: float


@dataclass(frozen=True)
class Opened:
    """What open_or_reuse did: the ticket, and whether it is new or was just made urgent."""

    ticket: Ticket
    created: bool
    upgraded: bool


def citizen_lane(chat_id: int) -> str:
    return f"c:{chat_id}"


def topic_lane(ticket_id: int) -> str:
    return f"t:{ticket_id}"


class Tickets:
    def __init__(self, storage: Storage):
        self.storage = storage
        self.db = storage.db
        self._lock = storage._lock  # one connection, one lock: see the module docstring
        self._create_tables()

    def _create_tables(self) -> None:
        with self._lock:
            self.db["tickets"].create(
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
            self.db.execute(
                "create unique index if not exists tickets_one_open on tickets(user_key) "
                "where status in ('waiting', 'claimed')"
            )
            self.db["tickets"].create_index(["thread_id"], if_not_exists=True)
            self.db["outbox"].create(
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
            self.db.execute("create unique index if not exists outbox_idem on outbox(idem_key)")
            self.db["outbox"].create_index(["status", "lane"], if_not_exists=True)
            self.db["outbox"].create_index(["user_key"], if_not_exists=True)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing: a ticket change and the messages it causes are written together."""
        with self._lock:
            self.db.execute("begin immediate")
            try:
                yield
            except BaseException:
                self.db.execute("rollback")
                raise
            self.db.execute("commit")

    # tickets ---------------------------------------------------------------

    def open_or_reuse(
        self,
        user_key: str,
        chat_id: int,
        lang: str,
        reason: str,
        question: str | None,
        recent: list[dict[str, Any]],
    ) -> Opened:
        """Call inside transaction(). The citizen's open ticket, else a new one."""
        urgent = reason == "urgent"
        current = self._open_row(user_key)
        stamp = now_utc()
        if current is not None:
            upgraded = urgent and not current["urgent"]
            changes: dict[str, Any] = {"updated": stamp, "chat_id": chat_id}
            if upgraded:
                changes.update(urgent=1, reason="urgent")
            if question:
                changes["question"] = question
            self.db["tickets"].update(current["id"], changes)
            return Opened(self._ticket(current["id"]), created=False, upgraded=upgraded)
        row = {
            "user_key": user_key,
            "chat_id": chat_id,
            "lang": lang,
            "reason": reason,
            "urgent": int(urgent),
            "status": "waiting",
            "created": stamp,
            "updated": stamp,
            "question": question,
            "recent": json.dumps(recent, ensure_ascii=False),
        }
        ticket_id = int(self.db["tickets"].insert(row).last_pk)
        return Opened(self._ticket(ticket_id), created=True, upgraded=False)

    def _open_row(self, user_key: str) -> dict[str, Any] | None:
        where = "user_key = ? and status in ('waiting', 'claimed')"
        return next(iter(self.db["tickets"].rows_where(where, [user_key])), None)

    def _ticket(self, ticket_id: int) -> Ticket:
        return _to_ticket(self.db["tickets"].get(ticket_id))

    def get(self, ticket_id: int) -> Ticket | None:
        with self._lock:
            rows = list(self.db["tickets"].rows_where("id = ?", [ticket_id]))
        return _to_ticket(rows[0]) if rows else None

    def open_for(self, user_key: str) -> Ticket | None:
        with self._lock:
            row = self._open_row(user_key)
        return _to_ticket(row) if row else None

    def by_thread(self, thread_id: int) -> Ticket | None:
        """The newest ticket of a forum topic (each ticket has its own topic)."""
        with self._lock:
            rows = list(
                self.db["tickets"].rows_where(
                    "thread_id = ?", [thread_id], order_by="id desc", limit=1
                )
            )
        return _to_ticket(rows[0]) if rows else None

    def open_tickets(self) -> list[Ticket]:
        """Open tickets by urgency, then age: the queue as counsellors should work it."""
        with self._lock:
            rows = self.db["tickets"].rows_where(
                "status in ('waiting', 'claimed')", order_by="urgent desc, created, id"
            )
            return [_to_ticket(row) for row in rows]

    def queue_position(self, ticket_id: int) -> int:
        """1 + how many waiting tickets come before this one (urgent first, then oldest)."""
        waiting = [t for t in self.open_tickets() if t.status == "waiting"]
        ids = [t.id for t in waiting]
        return ids.index(ticket_id) + 1 if ticket_id in ids else 1

    def set_thread(self, ticket_id: int, thread_id: int) -> None:
        with self._lock:
            self.db["tickets"].update(ticket_id, {"thread_id": thread_id})

    def set_card(self, ticket_id: int, message_id: int) -> None:
        with self._lock:
            self.db["tickets"].update(ticket_id, {"card_message_id": message_id})

    def claim(self, ticket_id: int, counsellor_id: int, name: str) -> bool:
        """Call inside transaction(). True if this call claimed a waiting ticket."""
        cursor = self.db.execute(
            "update tickets set status = 'claimed', counsellor_id = ?, counsellor_name = ?, "
            "claimed_at = ?, updated = ? where id = ? and status = 'waiting'",
            [counsellor_id, name, now_utc(), now_utc(), ticket_id],
        )
        return cursor.rowcount == 1

    def close(self, ticket_id: int, closed_by: str) -> bool:
        """Call inside transaction(). True if this call closed an open ticket."""
        cursor = self.db.execute(
            "update tickets set status = 'closed', closed_by = ?, closed_at = ?, updated = ? "
            "where id = ? and status in ('waiting', 'claimed')",
            [closed_by, now_utc(), now_utc(), ticket_id],
        )
        return cursor.rowcount == 1

    def rate(self, ticket_id: int, user_key: str, rating: int) -> bool:
        """The citizen's 1-5 rating of a closed ticket; only once, only their own."""
        with self._lock:
            cursor = self.db.execute(
                "update tickets set rating = ?, updated = ? where id = ? and user_key = ? "
                "and status = 'closed' and rating is null",
                [rating, now_utc(), ticket_id, user_key],
            )
        return cursor.rowcount == 1

    def threads_of(self, user_key: str) -> list[int]:
        with self._lock:
            rows = self.db.execute(
                "select thread_id from tickets where user_key = ? and thread_id is not null",
                [user_key],
            ).fetchall()
        return [row[0] for row in rows]

    def purge_old_texts(self, retention_days: int) -> int:
        """Blank the question and conversation of tickets closed before the retention period."""
        cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=retention_days)
        with self._lock:
            cursor = self.db.execute(
                "update tickets set question = null, recent = '[]' where status = 'closed' "
                "and closed_at < ? and (question is not null or recent != '[]')",
                [cutoff.isoformat(timespec="seconds")],
            )
            self.db.execute(
                "delete from outbox where status in ('sent', 'failed') and created_at < ?",
                [cutoff.timestamp()],
            )
        return cursor.rowcount

    # outbox ----------------------------------------------------------------

    def enqueue(
        self,
        idem_key: str,
        lane: str,
        op: str,
        payload: dict[str, Any],
        ticket_id: int | None = None,
        user_key: str | None = None,
    ) -> bool:
        """Call inside transaction(). False if a row with this key exists already."""
        now = time.time()
        cursor = self.db.execute(
            "insert or ignore into outbox (idem_key, lane, op, ticket_id, user_key, payload, "
            "status, attempts, next_attempt, created_at) values (?, ?, ?, ?, ?, ?, 'pending', "
            "0, ?, ?)",
            [idem_key, lane, op, ticket_id, user_key, json.dumps(payload, ensure_ascii=False),
             now, now],
        )  # fmt: skip
        return cursor.rowcount == 1

    def due_heads(self, now: float, limit: int) -> list[OutboxRow]:
        """The oldest pending row of each lane, if it is due: later rows wait their turn."""
        with self._lock:
            rows = self.db.execute(
                "select id, lane, op, ticket_id, payload, attempts, created_at from outbox o "
                "where status = 'pending' and next_attempt <= ? and not exists ("
                "  select 1 from outbox p where p.lane = o.lane and p.status = 'pending' "
                "  and p.id < o.id) order by id limit ?",
                [now, limit],
            ).fetchall()
        return [OutboxRow(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6]) for r in rows]

    def next_due(self) -> float | None:
        with self._lock:
            row = self.db.execute(
                "select min(next_attempt) from outbox where status = 'pending'"
            ).fetchone()
        return row[0] if row else None

    def mark_sending(self, row_id: int) -> None:
        with self._lock:
            self.db.execute(
                "update outbox set status = 'sending', attempts = attempts + 1 where id = ?",
                [row_id],
            )

    def mark_sent(self, row_id: int, message_id: int | None) -> None:
        with self._lock:
            self.db.execute(
                "update outbox set status = 'sent', sent_at = ?, result_message_id = ?, "
                "last_error = null where id = ?",
                [time.time(), message_id, row_id],
            )

    def mark_retry(self, row_id: int, at: float, error: str) -> None:
        with self._lock:
            self.db.execute(
                "update outbox set status = 'pending', next_attempt = ?, last_error = ? "
                "where id = ?",
                [at, error, row_id],
            )

    def mark_failed(self, row_id: int, error: str) -> None:
        with self._lock:
            self.db.execute(
                "update outbox set status = 'failed', last_error = ? where id = ?",
                [error, row_id],
            )

    def recover_interrupted(self) -> int:
        """Rows left 'sending' by a crash: their outcome is unknown; send them again."""
        with self._lock:
            cursor = self.db.execute(
                "update outbox set status = 'pending', next_attempt = ? where status = 'sending'",
                [time.time()],
            )
        return cursor.rowcount

    def outbox_counts(self) -> dict[str, int]:
        with self._lock:
            rows = self.db.execute("select status, count(*) from outbox group by status")
            return {status: count for status, count in rows.fetchall()}


def _to_ticket(row: dict[str, Any]) -> Ticket:
    return Ticket(
        id=row["id"],
        user_key=row["user_key"],
        chat_id=row["chat_id"],
        lang=row["lang"],
        reason=row["reason"],
        urgent=bool(row["urgent"]),
        status=row["status"],
        created=row["created"],
        thread_id=row["thread_id"],
        card_message_id=row["card_message_id"],
        counsellor_id=row["counsellor_id"],
        counsellor_name=row["counsellor_name"],
        question=row["question"],
        recent=json.loads(row["recent"] or "[]"),
        rating=row["rating"],
    )
