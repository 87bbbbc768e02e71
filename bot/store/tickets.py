"""Counsellor tickets: the `tickets` table.

One row per handoff conversation. A citizen has at most one open ticket
(status waiting or claimed; a partial unique index enforces it); a new
request re-uses it and an urgent one upgrades it. The chat id is kept on the
ticket because the relay must write back while the ticket is open; the
pseudonymous `user_key` lets /forget delete it with everything else.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.store.conversations import now_utc
from bot.store.database import Database


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CLAIMED = "claimed"
    CLOSED = "closed"


class HandoffReason(StrEnum):
    """Why a chat went to a counsellor."""

    ASKED = "asked"  # the citizen wrote that they want a person
    BUTTON = "button"  # the "talk to a counsellor" button
    URGENT = "urgent"  # danger signals
    UNANSWERED = "unanswered"  # questions in a row the bot could not answer


class ClosedBy(StrEnum):
    CITIZEN = "citizen"
    COUNSELLOR = "counsellor"
    ABANDONED = "abandoned"  # nobody wrote for privacy.abandon_open_tickets_after_days
    CITIZEN_LEFT = "citizen_left"  # blocked the bot (my_chat_member kicked, or 403 on a send)


OPEN = (TicketStatus.WAITING, TicketStatus.CLAIMED)
_OPEN_SQL = "status in ('waiting', 'claimed')"


@dataclass(frozen=True)
class Ticket:
    id: int
    user_key: str
    chat_id: int | None  # None once the purge removed it from a closed ticket
    lang: str
    reason: HandoffReason
    urgent: bool
    status: TicketStatus
    created: str
    thread_id: int | None
    card_message_id: int | None
    counsellor_id: int | None
    counsellor_name: str | None
    question: str | None
    recent: list[dict[str, Any]]
    rating: int | None
    # the counsellors' group of `thread_id` (topic ids are per group); None: opened
    # before the bot recorded it, in the group configured now
    group_id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def age(self) -> dt.timedelta:
        return dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(self.created)


@dataclass(frozen=True)
class Opened:
    """What open_or_reuse did: the ticket, and whether it is new or was just made urgent."""

    ticket: Ticket
    created: bool
    upgraded: bool


class Tickets:
    def __init__(self, database: Database):
        self.database = database

    def open_or_reuse(
        self,
        user_key: str,
        chat_id: int,
        lang: str,
        reason: HandoffReason,
        question: str | None,
        recent: list[dict[str, Any]],
    ) -> Opened:
        """The citizen's open ticket (updated: chat, question, urgency), else a new one."""
        urgent = reason == HandoffReason.URGENT
        stamp = now_utc()
        with self.database.transaction() as db:
            current = self._open_row(user_key)
            if current is not None:
                upgraded = urgent and not current["urgent"]
                changes: dict[str, Any] = {"updated": stamp, "chat_id": chat_id}
                if upgraded:
                    changes.update(urgent=1, reason=str(HandoffReason.URGENT))
                if question:
                    changes.update(question=question, question_at=stamp)
                db["tickets"].update(current["id"], changes)
                return Opened(self._ticket(current["id"]), created=False, upgraded=upgraded)
            row = {
                "user_key": user_key,
                "chat_id": chat_id,
                "lang": lang,
                "reason": str(reason),
                "urgent": int(urgent),
                "status": str(TicketStatus.WAITING),
                "created": stamp,
                "updated": stamp,
                "question": question,
                "question_at": stamp if question else None,
                "recent": json.dumps(recent, ensure_ascii=False),
            }
            ticket_id = _next_number(db)
            db["tickets"].insert({"id": ticket_id, **row})
            return Opened(self._ticket(ticket_id), created=True, upgraded=False)

    def _open_row(self, user_key: str) -> dict[str, Any] | None:
        with self.database.reading() as db:
            return next(
                iter(db["tickets"].rows_where(f"user_key = ? and {_OPEN_SQL}", [user_key])), None
            )

    def _ticket(self, ticket_id: int) -> Ticket:
        with self.database.reading() as db:
            return _to_ticket(db["tickets"].get(ticket_id))

    def get(self, ticket_id: int) -> Ticket | None:
        with self.database.reading() as db:
            rows = list(db["tickets"].rows_where("id = ?", [ticket_id]))
        return _to_ticket(rows[0]) if rows else None

    def open_for(self, user_key: str) -> Ticket | None:
        row = self._open_row(user_key)
        return _to_ticket(row) if row else None

    def by_thread(self, thread_id: int, group_id: int) -> Ticket | None:
        """The newest ticket of the forum topic `thread_id` of the group `group_id` (each
        ticket has its own topic; a topic recorded without a group is the configured
        group's, the only one the bot reads)."""
        with self.database.reading() as db:
            rows = list(
                db["tickets"].rows_where(
                    "thread_id = ? and (group_id = ? or group_id is null)",
                    [thread_id, group_id],
                    order_by="id desc",
                    limit=1,
                )
            )
        return _to_ticket(rows[0]) if rows else None

    def open_tickets(self) -> list[Ticket]:
        """Open tickets by urgency, then age: the queue as counsellors should work it."""
        with self.database.reading() as db:
            rows = db["tickets"].rows_where(_OPEN_SQL, order_by="urgent desc, created, id")
            return [_to_ticket(row) for row in rows]

    def queue_position(self, ticket_id: int) -> int:
        """1 + how many waiting tickets come before this one (urgent first, then oldest)."""
        ids = [t.id for t in self.open_tickets() if t.status == TicketStatus.WAITING]
        return ids.index(ticket_id) + 1 if ticket_id in ids else 1

    def set_thread(self, ticket_id: int, thread_id: int | None, group_id: int | None) -> None:
        """Record the ticket's forum topic and the group it is in (None, None: none)."""
        with self.database.transaction() as db:
            db["tickets"].update(ticket_id, {"thread_id": thread_id, "group_id": group_id})

    def move_group(self, old_id: int, new_id: int) -> None:
        """The counsellors' group became a supergroup with a new id: its topics follow."""
        with self.database.transaction() as db:
            db.execute("update tickets set group_id = ? where group_id = ?", [new_id, old_id])

    def set_card(self, ticket_id: int, message_id: int | None) -> None:
        with self.database.transaction() as db:
            db["tickets"].update(ticket_id, {"card_message_id": message_id})

    def claim(self, ticket_id: int, counsellor_id: int, name: str) -> bool:
        """True if this call claimed a waiting ticket."""
        with self.database.transaction() as db:
            cursor = db.execute(
                "update tickets set status = 'claimed', counsellor_id = ?, counsellor_name = ?, "
                "claimed_at = ?, updated = ? where id = ? and status = 'waiting'",
                [counsellor_id, name, now_utc(), now_utc(), ticket_id],
            )
        return cursor.rowcount == 1

    def close(self, ticket_id: int, closed_by: ClosedBy) -> bool:
        """True if this call closed an open ticket."""
        with self.database.transaction() as db:
            cursor = db.execute(
                "update tickets set status = 'closed', closed_by = ?, closed_at = ?, updated = ? "
                f"where id = ? and {_OPEN_SQL}",
                [str(closed_by), now_utc(), now_utc(), ticket_id],
            )
        return cursor.rowcount == 1

    def rate(self, ticket_id: int, user_key: str, rating: int) -> bool:
        """The citizen's 1-5 rating of a closed ticket; only once, only their own."""
        with self.database.transaction() as db:
            cursor = db.execute(
                "update tickets set rating = ?, updated = ? where id = ? and user_key = ? "
                "and status = 'closed' and rating is null",
                [rating, now_utc(), ticket_id, user_key],
            )
        return cursor.rowcount == 1

    def touch(self, ticket_id: int) -> None:
        """Someone wrote in the ticket: it is not abandoned (see `idle_since`)."""
        with self.database.transaction() as db:
            db.execute("update tickets set updated = ? where id = ?", [now_utc(), ticket_id])

    def idle_since(self, stamp: str) -> list[Ticket]:
        """Open tickets nobody has written in since `stamp` (ISO 8601, as stored)."""
        with self.database.reading() as db:
            rows = db["tickets"].rows_where(f"{_OPEN_SQL} and updated < ?", [stamp], order_by="id")
            return [_to_ticket(row) for row in rows]

    def group_messages_of(
        self, user_key: str, default_group: int
    ) -> dict[tuple[int, int], list[int]]:
        """The ids of the messages in the counsellors' groups about a citizen, per
        (group id, forum topic) of their tickets; a topic recorded without its group is
        in `default_group` (the configured one).

        Per topic: the card, every message the relay put there (copies, notices,
        batches; the outbox's `result_message_id`), the counsellors' messages it
        copied out, and the urgent alerts in General. /forget deletes them by id when
        the topic itself cannot be deleted.
        """
        found: dict[tuple[int, int], list[int]] = {}
        with self.database.reading() as db:
            tickets = db.execute(
                "select id, thread_id, card_message_id, group_id from tickets "
                "where user_key = ? and thread_id is not null",
                [user_key],
            ).fetchall()
            for ticket_id, thread, card, group in tickets:
                group_id = group if group is not None else default_group
                ids = {card} if card else set()
                for payload, result in db.execute(
                    "select payload, result_message_id from outbox where ticket_id = ? "
                    "and status = 'sent'",
                    [ticket_id],
                ).fetchall():
                    data = json.loads(payload or "{}")
                    if data.get("to") != "citizen" and result:
                        ids.add(result)  # the relay wrote it in the group
                    elif data.get("from_chat_id") == group_id and data.get("message_id"):
                        ids.add(data["message_id"])  # a counsellor's message it copied
                topic = (group_id, thread)
                found[topic] = sorted(set(found.get(topic, [])) | ids)
        return found


def _next_number(db: Any) -> int:
    """The next ticket number, never one issued before (not even to a ticket /forget
    deleted): counsellors tell tickets apart by it (migration m006)."""
    highest = db.execute("select coalesce(max(id), 0) from tickets").fetchone()[0]
    last = db.execute("select last from ticket_numbers where id = 1").fetchone()
    number = max(highest, last[0] if last else 0) + 1
    db.execute("insert or replace into ticket_numbers (id, last) values (1, ?)", [number])
    return number


def _to_ticket(row: dict[str, Any]) -> Ticket:
    return Ticket(
        id=row["id"],
        user_key=row["user_key"],
        chat_id=row["chat_id"],
        lang=row["lang"],
        reason=HandoffReason(row["reason"]),
        urgent=bool(row["urgent"]),
        status=TicketStatus(row["status"]),
        created=row["created"],
        thread_id=row["thread_id"],
        card_message_id=row["card_message_id"],
        counsellor_id=row["counsellor_id"],
        counsellor_name=row["counsellor_name"],
        question=row["question"],
        recent=json.loads(row["recent"] or "[]"),
        rating=row["rating"],
        group_id=row.get("group_id"),
    )
