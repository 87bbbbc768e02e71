"""The relay's outbox: every message the counsellor relay must deliver.

Copies both ways, the bot's own notices, topic operations: each is a row
written in the same transaction as the ticket change that causes it, then
delivered in order per *lane* (one lane per forum topic, one per citizen
chat) by the relay worker (bot.telegram.relay). `idem_key` is unique: the
same source message (e.g. an update Telegram re-delivers after a restart) is
queued once only. Rows carry the citizen's `user_key`, so /forget deletes them.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.store.database import Database


class OutboxOp(StrEnum):
    """What a row asks the relay to do (bot.telegram.relay.Relay.OPERATIONS runs each)."""

    OPEN_TOPIC = "open_topic"
    CARD = "card"
    RENAME_TOPIC = "rename_topic"
    ALERT = "alert"
    COPY = "copy"
    SEND = "send"
    CLOSE_TOPIC = "close_topic"
    FORGET_TOPIC = "forget_topic"
    BATCH = "batch"  # a citizen's messages over the rate limit, as one message with a count
    EDIT_COPY = "edit_copy"  # an edited message: its earlier copy edited in place


MAX_BATCH_LINES = 50  # a batch's texts beyond this are only counted


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class OutboxRow:
    id: int
    lane: str
    op: OutboxOp
    ticket_id: int | None
    payload: dict[str, Any]
    attempts: int
    created_at: float  # time.time()


def citizen_lane(chat_id: int) -> str:
    return f"c:{chat_id}"


def topic_lane(ticket_id: int) -> str:
    return f"t:{ticket_id}"


class Outbox:
    def __init__(self, database: Database):
        self.database = database

    def enqueue(
        self,
        idem_key: str,
        lane: str,
        op: OutboxOp,
        payload: dict[str, Any],
        ticket_id: int | None = None,
        user_key: str | None = None,
    ) -> bool:
        """Queue one row; False if a row with this key exists already."""
        now = time.time()
        with self.database.transaction() as db:
            cursor = db.execute(
                "insert or ignore into outbox (idem_key, lane, op, ticket_id, user_key, payload, "
                "status, attempts, next_attempt, created_at) values (?, ?, ?, ?, ?, ?, "
                "'pending', 0, ?, ?)",
                [idem_key, lane, str(op), ticket_id, user_key,
                 json.dumps(payload, ensure_ascii=False), now, now],
            )  # fmt: skip
        return cursor.rowcount == 1

    def add_to_batch(
        self,
        group_key: str,
        lane: str,
        line: str,
        delay: float,
        ticket_id: int | None = None,
        user_key: str | None = None,
    ) -> int:
        """Add `line` to the pending BATCH row of `group_key`, or start one due in `delay` s.

        The payload is {"to": "group", "count": n, "lines": [...]} (at most
        MAX_BATCH_LINES lines kept; `count` counts all). Returns the batch's count.
        """
        now = time.time()
        with self.database.transaction() as db:
            row = db.execute(
                "select id, payload from outbox where status = 'pending' and op = 'batch' "
                "and substr(idem_key, 1, ?) = ? order by id desc limit 1",
                [len(group_key) + 1, f"{group_key}:"],
            ).fetchone()
            if row is None:
                payload = {"to": "group", "count": 1, "lines": [line]}
                db.execute(
                    "insert into outbox (idem_key, lane, op, ticket_id, user_key, payload, "
                    "status, attempts, next_attempt, created_at) values (?, ?, 'batch', ?, ?, ?, "
                    "'pending', 0, ?, ?)",
                    [f"{group_key}:{now}", lane, ticket_id, user_key,
                     json.dumps(payload, ensure_ascii=False), now + delay, now],
                )  # fmt: skip
                return 1
            payload = json.loads(row[1])
            payload["count"] += 1
            if len(payload["lines"]) < MAX_BATCH_LINES:
                payload["lines"].append(line)
            db.execute(
                "update outbox set payload = ? where id = ?",
                [json.dumps(payload, ensure_ascii=False), row[0]],
            )
            return payload["count"]

    def due_heads(self, now: float, limit: int) -> list[OutboxRow]:
        """The oldest pending row of each lane, if it is due: later rows wait their turn."""
        with self.database.reading() as db:
            rows = db.execute(
                "select id, lane, op, ticket_id, payload, attempts, created_at from outbox o "
                "where status = 'pending' and next_attempt <= ? and not exists ("
                "  select 1 from outbox p where p.lane = o.lane and p.status = 'pending' "
                "  and p.id < o.id) order by id limit ?",
                [now, limit],
            ).fetchall()
        return [
            OutboxRow(r[0], r[1], OutboxOp(r[2]), r[3], json.loads(r[4]), r[5], r[6]) for r in rows
        ]

    def next_due(self) -> float | None:
        """When the earliest pending row is due (time.time() seconds), None if none is."""
        with self.database.reading() as db:
            row = db.execute(
                "select min(next_attempt) from outbox where status = 'pending'"
            ).fetchone()
        return row[0] if row else None

    def mark_sending(self, row_id: int) -> None:
        self._update(
            "update outbox set status = 'sending', attempts = attempts + 1 where id = ?", [row_id]
        )

    def mark_sent(self, row_id: int, message_id: int | None) -> None:
        self._update(
            "update outbox set status = 'sent', sent_at = ?, result_message_id = ?, "
            "last_error = null where id = ?",
            [time.time(), message_id, row_id],
        )

    def mark_retry(self, row_id: int, at: float, error: str) -> None:
        self._update(
            "update outbox set status = 'pending', next_attempt = ?, last_error = ? where id = ?",
            [at, error, row_id],
        )

    def mark_failed(self, row_id: int, error: str) -> None:
        self._update(
            "update outbox set status = 'failed', last_error = ? where id = ?", [error, row_id]
        )

    def sent_message_id(self, idem_key: str) -> int | None:
        """The message id Telegram gave the row with this key once sent; None otherwise."""
        with self.database.reading() as db:
            row = db.execute(
                "select result_message_id from outbox where idem_key = ? and status = 'sent'",
                [idem_key],
            ).fetchone()
        return row[0] if row else None

    def cancel_lane(self, lane: str, reason: str) -> int:
        """Mark a lane's pending rows failed (e.g. a citizen who blocked the bot); how many."""
        return self._update(
            "update outbox set status = 'failed', last_error = ? "
            "where lane = ? and status = 'pending'",
            [reason, lane],
        )

    def recover_interrupted(self) -> int:
        """Rows left 'sending' by a crash: their outcome is unknown; send them again."""
        return self._update(
            "update outbox set status = 'pending', next_attempt = ? where status = 'sending'",
            [time.time()],
        )

    def counts(self) -> dict[str, int]:
        """Rows per status."""
        with self.database.reading() as db:
            rows = db.execute("select status, count(*) from outbox group by status")
            return {status: count for status, count in rows.fetchall()}

    def _update(self, sql: str, parameters: list[Any]) -> int:
        with self.database.transaction() as db:
            return db.execute(sql, parameters).rowcount
