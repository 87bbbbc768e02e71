"""Handing chats to human counsellors, with no Telegram in sight.

    handoff = Handoff(store, settings.counsellors)
    handoff.request(HandoffRequest(user_key, chat_id, "ka", HandoffReason.ASKED, text))
    handoff.from_citizen(ticket, chat_id, message_id, edited)   # copy into the topic
    handoff.from_counsellor(ticket, counsellor, chat_id, message_id, edited)
    handoff.claim(ticket, counsellor) / close(ticket, ClosedBy.COUNSELLOR, name)
    handoff.note_cleared(ticket)                                # /clear: a note only
    handoff.forget(user_key)                                    # before Store.forget

A request is always recorded (`handoffs`, for statistics). With a counsellors'
group configured it opens (or re-uses) the citizen's ticket: a forum topic
with a summary card and Claim / Close buttons, an alert for urgent ones, and
a note to the citizen with their place in the queue and, outside office
hours, when someone will be back. While the ticket is open, what the citizen
sends is copied into the topic and what a counsellor writes there is copied
to the citizen by the bot (so the counsellor's account stays hidden).

Everything that must reach Telegram is a row of the outbox, written in the
same transaction as the ticket change that causes it; the relay worker
(bot.telegram.relay) delivers it and is woken through `on_queued`.

Urgent tickets alert the on-duty counsellors with a message in the group's
General topic that mentions them by id: a mention notifies them wherever they
are, needs no private chat with the bot (which a DM would: bots cannot write
first), and the whole team sees that the alert went out.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from bot.config import CounsellorSettings
from bot.handoff.office_hours import (
    describe_hours,
    describe_when,
    next_opening,
    office_open,
    zone_label,
)
from bot.store import (
    ClosedBy,
    HandoffReason,
    Opened,
    OutboxOp,
    Store,
    Ticket,
    TicketStatus,
    citizen_lane,
    topic_lane,
)
from bot.texts import say

log = logging.getLogger(__name__)

RECENT_MESSAGES = 6  # how much of the conversation the summary card shows
# What the card says the bot did with the message that led to the handoff.
_DID = {HandoffReason.URGENT: "urgent", HandoffReason.UNANSWERED: "fallback"}


@dataclass(frozen=True)
class HandoffRequest:
    user_key: str  # pseudonymous; the chat id is in the users table
    chat_id: int
    lang: str
    reason: HandoffReason
    text: str | None = None  # the message that led here, if any


@dataclass(frozen=True)
class Counsellor:
    """A counsellor as the group shows them: Telegram user id and display name."""

    id: int
    name: str


class Handoff:
    """The handoff desk: tickets and what they cause, queued for the relay.

    Args:
        store: the bot's database.
        counsellors: the counsellors' group, on-duty ids, office hours and language.
        clock: the current time (aware); injected by tests.
    """

    def __init__(
        self,
        store: Store,
        counsellors: CounsellorSettings,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ):
        self.store = store
        self.settings = counsellors
        self.lang = counsellors.language
        self.clock = clock
        # Set by the relay worker: wakes it to deliver new outbox rows now.
        self.on_queued: Callable[[], None] = lambda: None
        # What keeps the counsellors from seeing tickets (set by bot.telegram), or None.
        self.desk_problem: str | None = None

    @property
    def desk_configured(self) -> bool:
        return bool(self.settings.chat_id)

    # -- opening ---------------------------------------------------------------------------

    def request(self, request: HandoffRequest) -> int:
        """Record the request and, with a group configured, open or re-use the ticket.

        Returns:
            the id of the recorded handoff.
        """
        handoff_id = self.store.conversations.add_handoff(
            request.user_key, request.lang, request.reason
        )
        log.info("handoff %d recorded (%s, %s)", handoff_id, request.reason, request.lang)
        if not self.desk_configured:
            log.warning("handoff %d: no counsellors' group configured", handoff_id)
            return handoff_id
        opened = self.open_ticket(request)
        state = "new" if opened.created else "upgraded" if opened.upgraded else "re-used"
        log.info("handoff %d -> ticket %d (%s)", handoff_id, opened.ticket.id, state)
        return handoff_id

    def open_ticket(self, request: HandoffRequest) -> Opened:
        """Open or re-use the citizen's ticket and queue the topic, card, alert and notice."""
        store = self.store
        recent = store.conversations.recent(request.user_key, RECENT_MESSAGES)
        if request.text:
            did = _DID.get(request.reason, "handoff")
            recent = [*recent, {"text": request.text, "action": did, "entry_id": None}]
        recent = recent[-RECENT_MESSAGES:]
        with store.database.transaction():
            opened = store.tickets.open_or_reuse(
                request.user_key, request.chat_id, request.lang, request.reason,
                request.text, recent,
            )  # fmt: skip
            self._queue_group_side(opened)
        position = store.tickets.queue_position(opened.ticket.id)
        notice = self.citizen_notice(opened, position)
        self._to_citizen(opened.ticket, notice, f"notice:{uuid.uuid4().hex}")
        self.on_queued()
        return opened

    def citizen_notice(self, opened: Opened, position: int) -> str:
        """What the citizen is told after a handoff: queue place, office hours, urgent advice."""
        ticket, now = opened.ticket, self.clock()
        lang = ticket.lang
        hours = self.settings.office_hours
        if ticket.status == TicketStatus.CLAIMED:
            return say("handoff_claimed_already", lang)
        if self.desk_problem:  # no counsellor can see it yet: no queue place to promise
            parts = [say("handoff_desk_down", lang)]
            if ticket.urgent:
                parts.append(say("handoff_urgent_after_hours", lang))
            return "\n\n".join([*parts, say("relay_end_hint", lang)])
        key = "handoff_queue" if opened.created else "handoff_already"
        parts = [say(key, lang).format(position=position)]
        if not office_open(hours, now):
            opening = next_opening(hours, now)
            if opening is None:
                parts.append(say("handoff_no_hours", lang))
            else:
                parts.append(
                    say("handoff_after_hours", lang).format(
                        hours=describe_hours(hours, lang),
                        zone=zone_label(hours.timezone, lang),
                        when=describe_when(opening, now, lang),
                    )
                )
            if ticket.urgent:
                if self.settings.on_duty_ids:
                    parts.append(say("handoff_on_duty_alerted", lang))
                parts.append(say("handoff_urgent_after_hours", lang))
        parts.append(say("relay_end_hint", lang))
        return "\n\n".join(parts)

    def _queue_group_side(self, opened: Opened) -> None:
        ticket = opened.ticket
        if opened.created:
            self._to_group(ticket, OutboxOp.OPEN_TOPIC, f"topic:{ticket.id}", {})
            self._to_group(ticket, OutboxOp.CARD, f"card:{ticket.id}", {"to": "group"})
        if opened.upgraded:
            note = html.escape(say("cs_upgraded", self.lang))
            self._to_group(ticket, OutboxOp.SEND, f"up:{ticket.id}", {"to": "group", "text": note})
            self._to_group(ticket, OutboxOp.RENAME_TOPIC, f"rename:{ticket.id}", {"to": "group"})
            self._refresh_card(ticket)
        urgent_now = ticket.urgent and (opened.created or opened.upgraded)
        if urgent_now and self.settings.on_duty_ids:
            self._to_group(ticket, OutboxOp.ALERT, f"alert:{ticket.id}", {"to": "group"})

    # -- the conversation ----------------------------------------------------------------

    def from_citizen(self, ticket: Ticket, chat_id: int, message_id: int, edited: int) -> None:
        """Copy a citizen's message into the ticket's topic (once per message and edit)."""
        payload = {"to": "group", "from_chat_id": chat_id, "message_id": message_id}
        with self.store.database.transaction():
            self._to_group(ticket, OutboxOp.COPY, f"cg:{chat_id}:{message_id}:{edited}", payload)
            self.store.tickets.touch(ticket.id)
        self.on_queued()

    def batch_from_citizen(self, ticket: Ticket, text: str, window: float) -> int:
        """A message over the rate limit: into the ticket's batch, sent `window` s after
        the batch's first message as one message with a counter. Returns the count."""
        count = self.store.outbox.add_to_batch(
            f"batch:{ticket.id}", topic_lane(ticket.id), text, window, ticket.id, ticket.user_key
        )
        self.store.tickets.touch(ticket.id)
        self.on_queued()
        return count

    def from_counsellor(
        self, ticket: Ticket, counsellor: Counsellor, chat_id: int, message_id: int, edited: int
    ) -> None:
        """Copy a counsellor's message to the citizen; the first one claims a waiting ticket."""
        with self.store.database.transaction():
            if ticket.status == TicketStatus.WAITING:
                self._claim(ticket, counsellor)
            payload = {"to": "citizen", "chat_id": ticket.chat_id, "from_chat_id": chat_id,
                       "message_id": message_id}  # fmt: skip
            self.store.outbox.enqueue(
                f"gc:{chat_id}:{message_id}:{edited}", citizen_lane(ticket.chat_id),
                OutboxOp.COPY, payload, ticket.id, ticket.user_key,
            )  # fmt: skip
            self.store.tickets.touch(ticket.id)
        self.on_queued()

    def edited(
        self, ticket: Ticket, to: str, chat_id: int, message_id: int, edited: int, content: dict
    ) -> None:
        """An edited message (to "group": the citizen's; to "citizen": a counsellor's):
        its earlier copy is edited in place, else the new version goes as a correction.

        Args:
            content: {"text", "entities"} or {"caption", "caption_entities"} (Bot API
                dicts) of the message as it reads now.
        """
        source = "cg" if to == "group" else "gc"
        payload = {"to": to, "copy_of": f"{source}:{chat_id}:{message_id}:0",
                   "from_chat_id": chat_id, "message_id": message_id, **content}  # fmt: skip
        if to == "citizen":
            payload["chat_id"] = ticket.chat_id
        lane = topic_lane(ticket.id) if to == "group" else citizen_lane(ticket.chat_id)
        self.store.outbox.enqueue(
            f"ed:{chat_id}:{message_id}:{edited}", lane, OutboxOp.EDIT_COPY, payload,
            ticket.id, ticket.user_key,
        )  # fmt: skip
        self.on_queued()

    def after_close(self, ticket: Ticket, message_id: int) -> None:
        """A counsellor wrote in a closed ticket's topic: say that it was not sent."""
        self._to_topic(ticket, say("cs_closed_not_sent", self.lang), f"late:{message_id}")
        self.on_queued()

    def claim(self, ticket: Ticket, counsellor: Counsellor) -> bool:
        """Claim a waiting ticket; True if this call claimed it."""
        with self.store.database.transaction():
            claimed = self._claim(ticket, counsellor)
        self.on_queued()
        return claimed

    def _claim(self, ticket: Ticket, counsellor: Counsellor) -> bool:
        """Claim, tell the citizen a person joined, refresh the card."""
        if not self.store.tickets.claim(ticket.id, counsellor.id, counsellor.name):
            return False
        self._to_citizen(ticket, say("relay_joined", ticket.lang), f"joined:{ticket.id}")
        self._to_topic(ticket, say("cs_claimed_notice", self.lang).format(name=counsellor.name),
                       f"claimed:{ticket.id}")  # fmt: skip
        self._refresh_card(ticket)
        return True

    # -- closing -----------------------------------------------------------------------------

    def close(self, ticket: Ticket, closed_by: ClosedBy, name: str | None) -> bool:
        """Close, tell both sides, close the topic, ask the citizen for a rating.

        Returns:
            True if this call closed the ticket (False: it was closed already).
        """
        with self.store.database.transaction():
            if not self.store.tickets.close(ticket.id, closed_by):
                return False
            note = (
                say("cs_citizen_ended", self.lang)
                if closed_by == ClosedBy.CITIZEN
                else say("cs_citizen_left", self.lang)
                if closed_by == ClosedBy.CITIZEN_LEFT
                else say("cs_closed_by", self.lang).format(name=name or "?")
            )
            self._to_topic(ticket, note, f"closed-note:{ticket.id}")
            self._refresh_card(ticket)
            self._to_group(
                ticket, OutboxOp.CLOSE_TOPIC, f"close-topic:{ticket.id}", {"to": "group"}
            )
            if closed_by == ClosedBy.CITIZEN_LEFT:  # nothing reaches them: send them nothing
                self.store.outbox.cancel_lane(citizen_lane(ticket.chat_id), "citizen left")
            else:
                self._tell_citizen_closed(ticket, closed_by)
        self.on_queued()
        log.info("ticket %d closed by %s", ticket.id, closed_by)
        return True

    def _tell_citizen_closed(self, ticket: Ticket, closed_by: ClosedBy) -> None:
        """Back to the bot; a rating only if a counsellor took the ticket (a user trial:
        an unclaimed request withdrawn with /end was asked to rate "the help received")."""
        lang = ticket.lang
        current = self.store.tickets.get(ticket.id) or ticket
        helped = current.counsellor_id is not None
        if closed_by == ClosedBy.CITIZEN:
            back = say("relay_ended" if helped else "relay_withdrawn", lang)
        else:
            back = say("relay_closed", lang)
        text = f"{back}\n\n{say('relay_rate', lang)}" if helped else back
        buttons = [[[str(n), f"rate:{ticket.id}:{n}"] for n in range(1, 6)]] if helped else []
        if ticket.urgent:  # after an urgent conversation: offer to delete the chat
            buttons.append([[say("btn_clear", lang), "clear:ask"]])
        self._to_citizen(ticket, text, f"closed:{ticket.id}", buttons or None)

    def citizen_unreachable(self, ticket: Ticket) -> None:
        """The citizen of an urgent ticket blocked the bot (perhaps not they: phones of
        people in danger are taken): a note in the topic, once per ticket; the ticket stays
        open for the counsellors to decide. What is queued for the chat is tried once
        (a 403 is not retried) and a counsellor's message that fails is reported in the
        topic (bot.telegram.relay), so none is dropped unseen."""
        self._to_topic(ticket, say("cs_citizen_unreachable", self.lang), f"unreachable:{ticket.id}")
        self.on_queued()
        log.info("ticket %d: urgent, the citizen blocked the bot; left open", ticket.id)

    def note_cleared(self, ticket: Ticket) -> None:
        """The citizen deleted the chat from their phone (/clear): a note in the ticket's
        topic, nothing of what was deleted. The ticket stays open."""
        self._to_topic(ticket, say("cs_citizen_cleared", self.lang),
                       f"cleared:{ticket.id}:{uuid.uuid4().hex}")  # fmt: skip
        self.on_queued()
        log.info("ticket %d: the citizen cleared their chat", ticket.id)

    def close_abandoned(self, after_days: int) -> list[int]:
        """Close open tickets nobody wrote in for `after_days` days, with a note in each topic.

        So that a ticket never closed does not keep its texts past the retention
        purge's reach (issue 15, item 4). The citizen is not written to: they
        have been silent, and a later message is answered as usual.

        Args:
            after_days: privacy.abandon_open_tickets_after_days.

        Returns:
            the ids of the tickets closed.
        """
        cutoff = self.clock() - dt.timedelta(days=after_days)
        stale = self.store.tickets.idle_since(cutoff.isoformat(timespec="seconds"))
        closed = []
        for ticket in stale:
            with self.store.database.transaction():
                if not self.store.tickets.close(ticket.id, ClosedBy.ABANDONED):
                    continue
                if self.desk_configured:
                    note = say("cs_abandoned", self.lang).format(days=after_days)
                    self._to_topic(ticket, note, f"abandoned-note:{ticket.id}")
                    self._refresh_card(ticket)
                    self._to_group(
                        ticket, OutboxOp.CLOSE_TOPIC, f"close-topic:{ticket.id}", {"to": "group"}
                    )
            closed.append(ticket.id)
            log.info("ticket %d closed as abandoned", ticket.id)
        if closed:
            self.on_queued()
        return closed

    def rate(self, ticket_id: int, user_key: str, rating: int) -> Ticket | None:
        """The citizen's 1-5 rating of their closed ticket, once; None if not accepted."""
        ticket = self.store.tickets.get(ticket_id)
        if ticket is None or not self.store.tickets.rate(ticket.id, user_key, rating):
            return None
        with self.store.database.transaction():
            note = say("cs_citizen_rated", self.lang).format(rating=rating)
            self._to_topic(ticket, note, f"rated:{ticket.id}")
            self._refresh_card(ticket)
        self.on_queued()
        return ticket

    def forget(self, user_key: str) -> int:
        """Before /forget deletes the rows: queue the deletion of the user's topics.

        Each row carries the topic and the ids of the group's messages about the
        citizen (Tickets.group_messages_of), deleted one by one when the topic
        cannot be. These rows carry no user_key, so they survive Store.forget and
        still run.
        Each topic is deleted in the group it is in (Ticket.group_id), which
        need not be the group configured now. Returns how many topics were queued.
        """
        if not self.desk_configured:
            return 0
        topics = self.store.tickets.group_messages_of(user_key, self.settings.chat_id)
        with self.store.database.transaction():
            for (group, thread), message_ids in topics.items():
                payload = {"group_id": group, "thread_id": thread, "message_ids": message_ids}
                self.store.outbox.enqueue(
                    f"forget:{thread}:{uuid.uuid4().hex}", f"forget:{thread}",
                    OutboxOp.FORGET_TOPIC, payload,
                )  # fmt: skip
        self.on_queued()
        return len(topics)

    # -- outbox rows ---------------------------------------------------------------------------

    def _refresh_card(self, ticket: Ticket) -> None:
        self._to_group(
            ticket, OutboxOp.CARD, f"card:{ticket.id}:{uuid.uuid4().hex}", {"to": "group"}
        )

    def _to_group(self, ticket: Ticket, op: OutboxOp, key: str, payload: dict) -> None:
        self.store.outbox.enqueue(
            key, topic_lane(ticket.id), op, payload, ticket.id, ticket.user_key
        )

    def _to_topic(self, ticket: Ticket, text: str, key: str) -> None:
        payload = {"to": "group", "text": html.escape(text)}
        if ticket.thread_id:
            payload["thread_id"] = ticket.thread_id
        self._to_group(ticket, OutboxOp.SEND, key, payload)

    def _to_citizen(self, ticket: Ticket, text: str, key: str, buttons: list | None = None) -> None:
        payload = {"to": "citizen", "chat_id": ticket.chat_id, "text": html.escape(text)}
        if buttons:
            payload["buttons"] = buttons
        self.store.outbox.enqueue(
            key, citizen_lane(ticket.chat_id), OutboxOp.SEND, payload, ticket.id, ticket.user_key
        )
