"""Delivering the outbox: one asyncio worker per Application, retries, order per lane.

Every message between a citizen and the counsellors' group, and every bot
notice about a ticket, is a row in `outbox` (bot.store.outbox) before any
Telegram call is made. The worker:
- takes the oldest pending row of each lane (a forum topic, a citizen chat),
  so messages keep their order while different tickets go out concurrently;
- marks it `sending`, calls Telegram, marks it `sent` (or schedules a retry);
- RetryAfter (429): the lanes writing to that chat wait `retry_after` (Telegram's
  limits are per chat), the others go on;
  NetworkError / TimedOut / 5xx: exponential backoff with jitter, capped;
  400 / 403 / 401-404: permanent, the row is marked `failed` and logged;
- gives up on transient errors only after MAX_AGE (then `failed`).

Restarts: rows live in SQLite, so pending ones go out after a restart. A
graceful stop lets the send in flight finish. A crash between Telegram's
answer and the `sent` mark leaves the row `sending`; on start such rows are
sent again, so that window (milliseconds) is the one case of a possible
duplicate: Telegram offers no idempotent send, and a lost counsellor reply
is worse than a repeated one. The same holds for a TimedOut whose request
did reach Telegram.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging
import random
import time
import warnings
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any

from telegram import Bot, ChatMember, InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application

from bot.config import CounsellorSettings
from bot.handoff.cards import alert_text, card_buttons, card_text, topic_name
from bot.store import OutboxOp, OutboxRow, Store, Ticket, topic_lane
from bot.texts import say

log = logging.getLogger(__name__)

BACKOFF_BASE = 1.0
BACKOFF_CAP = 300.0
MAX_AGE = 24 * 3600.0  # transient failures: keep trying for a day
CONCURRENT_LANES = 8
IDLE_WAIT = 0.25  # also how quickly the worker notices that the Application stops
ICON_URGENT, ICON_NORMAL = 16478047, 7322096  # Telegram's red and blue topic icons
PERMANENT = (BadRequest, Forbidden, InvalidToken, ChatMigrated)
THREAD_GONE = "message thread not found"  # Telegram's 400 for a deleted forum topic

Operation = Callable[["Relay", dict[str, Any], Ticket | None], Awaitable[int | None]]


class Relay:
    """The outbox's delivery worker for one Application.

    Args:
        bot: the Application's bot.
        store: the database holding tickets and the outbox.
        counsellors: the group id, on-duty ids, office-hours time zone and language.
    """

    def __init__(self, bot: Bot, store: Store, counsellors: CounsellorSettings):
        self.bot = bot
        self.store = store
        self.outbox = store.outbox
        self.counsellors = counsellors
        self.group_id = counsellors.chat_id
        self.lang = counsellors.language
        self.wake = asyncio.Event()
        # RetryAfter: chat id -> time.time() until which that chat waits. Telegram's
        # limits are per chat (about 20 messages a minute in a group, 1 a second in a
        # private chat) plus a global ~30 a second: a 429 on one chat holds only its lanes.
        self.paused: dict[int, float] = {}
        self.backoff_base = BACKOFF_BASE
        self.delivered = 0
        self.retried = 0
        self.failed = 0
        # Set by the app: close a ticket whose citizen blocked the bot (403 on a send;
        # True if it closed, False for an urgent one, which stays open);
        # follow a migrated group (its new id); record what makes the group unusable.
        self.citizen_gone: Callable[[int], object] = lambda ticket_id: False
        self.on_migrated: Callable[[int], object] = lambda new_id: None
        self.on_desk_problem: Callable[[str | None], object] = lambda problem: None

    async def run(self, app: Application) -> None:
        """Deliver until the Application stops; the row in flight is always finished."""
        await check_group_rights(self.bot, self.group_id, self.lang)
        resent = self.outbox.recover_interrupted()
        if resent:
            log.warning("relay: %d rows were in flight at the last stop; sending again", resent)
        while app.running:
            if not await self.deliver_due():
                await self._idle()

    async def deliver_due(self) -> int:
        """One round: the due head of each lane, concurrently. Returns how many were tried."""
        now = time.time()
        self.paused = {chat: until for chat, until in self.paused.items() if until > now}
        heads = [
            row
            for row in self.outbox.due_heads(now, CONCURRENT_LANES * 8)
            if self._target(row) not in self.paused
        ][:CONCURRENT_LANES]
        if heads:
            await asyncio.gather(*(self._deliver(row) for row in heads))
        return len(heads)

    async def _idle(self) -> None:
        wait = IDLE_WAIT
        upcoming = self.outbox.next_due()
        if upcoming is not None:
            wait = min(wait, max(0.0, upcoming - time.time()))
        self.wake.clear()
        with suppress(TimeoutError):
            await asyncio.wait_for(self.wake.wait(), max(wait, 0.01))

    async def _deliver(self, row: OutboxRow) -> None:
        self.outbox.mark_sending(row.id)
        try:
            message_id = await self._perform(row)
        except ChatMigrated as error:  # the group became a supergroup: follow it
            self.on_migrated(error.new_chat_id)
            self._retry(row, time.time(), "the counsellors' group migrated")
        except RetryAfter as error:
            delay = retry_seconds(error)
            chat = self._target(row)
            self.paused[chat] = max(self.paused.get(chat, 0.0), time.time() + delay)
            self._retry(row, time.time() + delay, f"429 retry after {delay}")
        except PERMANENT as error:
            if _to_group(row) and group_unusable(error):  # until an admin fixes the group
                self.on_desk_problem(str(error))
                self._retry(row, time.time() + self._backoff(row.attempts + 1), str(error))
            else:
                self._fail(row, f"{type(error).__name__}: {error}")
        except (NetworkError, TelegramError) as error:
            self._retry(row, time.time() + self._backoff(row.attempts + 1), str(error))
        else:
            self.outbox.mark_sent(row.id, message_id)
            self.delivered += 1
            if _to_group(row):
                self.on_desk_problem(None)

    def _target(self, row: OutboxRow) -> int:
        """The chat a row writes to: the citizen's, or the counsellors' group."""
        return self.group_id if _to_group(row) else int(row.payload["chat_id"])

    def _retry(self, row: OutboxRow, at: float, error: str) -> None:
        if time.time() - row.created_at > MAX_AGE:
            self._fail(row, f"gave up after {row.attempts + 1} attempts: {error}")
            return
        self.retried += 1
        log.info("relay: row %d (%s) retry at +%.1fs: %s", row.id, row.op, at - time.time(), error)
        self.outbox.mark_retry(row.id, at, error)

    def _fail(self, row: OutboxRow, error: str) -> None:
        self.failed += 1
        log.error("relay: row %d (%s) failed: %s", row.id, row.op, error)
        self.outbox.mark_failed(row.id, error)
        to_citizen = row.payload.get("to") == "citizen" and row.ticket_id
        if to_citizen and error.startswith("Forbidden"):  # blocked: the ticket closes
            closed = self.citizen_gone(row.ticket_id)
            if not closed and row.op == OutboxOp.COPY:  # an urgent one stays open
                self._tell_topic_undelivered(row)
        elif to_citizen and row.op == OutboxOp.COPY:
            self._tell_topic_undelivered(row)

    def _tell_topic_undelivered(self, row: OutboxRow) -> None:
        text = html.escape(say("cs_not_delivered", self.lang))
        self.outbox.enqueue(
            f"undelivered:{row.id}", topic_lane(row.ticket_id or 0), OutboxOp.SEND,
            {"to": "group", "text": text}, row.ticket_id,
        )  # fmt: skip

    def _backoff(self, attempt: int) -> float:
        delay = min(BACKOFF_CAP, self.backoff_base * 2 ** (attempt - 1))
        return delay * random.uniform(0.8, 1.2)

    # -- operations: OPERATIONS below maps each OutboxOp to one of these ----------------------

    async def _perform(self, row: OutboxRow) -> int | None:
        ticket = self.store.tickets.get(row.ticket_id) if row.ticket_id else None
        if (
            ticket is not None
            and ticket.is_open
            and row.op != OutboxOp.OPEN_TOPIC
            and _to_group(row)
        ):
            moved = ticket.thread_id is not None and ticket.group_id not in (None, self.group_id)
            if moved:
                # The desk moved to another group: the open ticket gets a topic there.
                self.store.tickets.set_thread(ticket.id, None, None)
                ticket = self.store.tickets.get(ticket.id) or ticket
            if ticket.thread_id is None:  # its topic never opened (the group was unusable)
                ticket = await self._reopen(ticket, "cs_topic_moved" if moved else None)
            try:
                return await OPERATIONS[row.op](self, row.payload, ticket)
            except BadRequest as error:
                if THREAD_GONE not in str(error).lower():
                    raise
            # A counsellor deleted the topic in the app (Telegram sends no update for
            # that): the open ticket gets a new topic and card, and the row goes there.
            log.warning("relay: ticket %d lost its topic; opening a new one", ticket.id)
            self.store.tickets.set_thread(ticket.id, None, None)
            ticket = await self._reopen(self.store.tickets.get(ticket.id) or ticket)
        return await OPERATIONS[row.op](self, row.payload, ticket)

    async def _reopen(self, ticket: Ticket, note_key: str | None = None) -> Ticket:
        """A topic and card for an open ticket without one (deleted in the app, never
        opened, or in the desk's earlier group); a note (`note_key`, by default "the
        earlier topic was deleted") says so where an earlier topic existed. Returns the
        ticket now."""
        had_card = ticket.card_message_id is not None
        await self.open_topic({}, ticket)
        self.store.tickets.set_card(ticket.id, None)
        ticket = self.store.tickets.get(ticket.id) or ticket
        await self.card({}, ticket)
        if had_card:
            note = html.escape(say(note_key or "cs_topic_recreated", self.lang))
            await self.send({"to": "group", "text": note}, ticket)
        return self.store.tickets.get(ticket.id) or ticket

    def _thread(self, payload: dict[str, Any], ticket: Ticket | None) -> int | None:
        # The ticket's topic as it is now (a deleted one is replaced), else the payload's.
        thread = (ticket.thread_id if ticket else None) or payload.get("thread_id")
        if thread is None:
            # The ticket is gone (forgotten) or its topic never opened: nowhere to write.
            raise BadRequest("no forum topic for this ticket")
        return thread

    def _group(self, ticket: Ticket | None) -> int:
        """The group of the ticket's topic (topic ids are per group): the configured
        one unless the ticket's topic was opened in an earlier group (a closed ticket
        whose CLOSE_TOPIC row runs after the desk moved)."""
        if ticket is not None and ticket.thread_id is not None and ticket.group_id is not None:
            return ticket.group_id
        return self.group_id

    def _chat(self, payload: dict[str, Any], ticket: Ticket | None) -> tuple[int, int | None]:
        if payload.get("to") == "citizen":
            return int(payload["chat_id"]), None
        return self._group(ticket), self._thread(payload, ticket)

    async def open_topic(self, payload: dict[str, Any], ticket: Ticket | None) -> int | None:
        """createForumTopic for the ticket (once: a re-run after a crash finds the thread)."""
        if ticket is None:
            raise BadRequest("ticket deleted before its topic opened")
        if ticket.thread_id:  # opened before a crash or a lost answer
            return None
        topic = await self.bot.create_forum_topic(
            self.group_id,
            topic_name(ticket, self.lang),
            icon_color=ICON_URGENT if ticket.urgent else ICON_NORMAL,
        )
        self.store.tickets.set_thread(ticket.id, topic.message_thread_id, self.group_id)
        return None

    async def card(self, payload: dict[str, Any], ticket: Ticket | None) -> int | None:
        """Send the ticket's card, or edit it in place once sent."""
        if ticket is None:
            raise BadRequest("ticket deleted")
        zone = self.counsellors.office_hours.timezone
        text = card_text(ticket, zone, self.lang)
        markup = markup_of(card_buttons(ticket, self.lang))
        if ticket.card_message_id is None:
            sent = await self.bot.send_message(
                self._group(ticket), text, parse_mode=ParseMode.HTML, reply_markup=markup,
                message_thread_id=self._thread(payload, ticket),
            )  # fmt: skip
            self.store.tickets.set_card(ticket.id, sent.message_id)
            return sent.message_id
        try:
            await self.bot.edit_message_text(
                text, chat_id=self._group(ticket), message_id=ticket.card_message_id,
                parse_mode=ParseMode.HTML, reply_markup=markup,
            )  # fmt: skip
        except BadRequest as error:
            if "message to edit not found" in str(error).lower():  # deleted: a new card
                self.store.tickets.set_card(ticket.id, None)
                return await self.card(payload, self.store.tickets.get(ticket.id) or ticket)
            if "not modified" not in str(error).lower():
                raise
        return ticket.card_message_id

    async def rename_topic(self, payload: dict[str, Any], ticket: Ticket | None) -> None:
        """editForumTopic: the name follows the ticket (urgent)."""
        if ticket is None:
            raise BadRequest("ticket deleted")
        try:
            await self.bot.edit_forum_topic(
                self._group(ticket),
                self._thread(payload, ticket),
                name=topic_name(ticket, self.lang),
            )
        except BadRequest as error:
            if "topic_not_modified" not in str(error).lower():  # PTB: "Topic_not_modified"
                raise

    async def alert(self, payload: dict[str, Any], ticket: Ticket | None) -> int:
        """Urgent: a message in the General topic that mentions (notifies) the on-duty ids."""
        if ticket is None:
            raise BadRequest("ticket deleted")
        text = alert_text(ticket, self.group_id, self.counsellors.on_duty_ids, self.lang)
        sent = await self.bot.send_message(self.group_id, text, parse_mode=ParseMode.HTML)
        return sent.message_id

    async def copy(self, payload: dict[str, Any], ticket: Ticket | None) -> int:
        """copyMessage between the citizen's chat and the ticket's topic."""
        chat_id, thread = self._chat(payload, ticket)
        copied = await self.bot.copy_message(
            chat_id, payload["from_chat_id"], payload["message_id"], message_thread_id=thread
        )
        return copied.message_id

    async def send(self, payload: dict[str, Any], ticket: Ticket | None) -> int:
        """A notice of the bot's (HTML), with buttons if the payload has them."""
        chat_id, thread = self._chat(payload, ticket)
        sent = await self.bot.send_message(
            chat_id, payload["text"], parse_mode=ParseMode.HTML, message_thread_id=thread,
            reply_markup=markup_of(payload.get("buttons")),
        )  # fmt: skip
        return sent.message_id

    async def batch(self, payload: dict[str, Any], ticket: Ticket | None) -> int:
        """A citizen's messages over the rate limit, as one message: a counter, then the texts."""
        head = say("cs_batch", self.lang).format(count=payload["count"])
        plain = head + "\n" + "\n".join(f"• {line}" for line in payload["lines"])
        if len(plain) > 3000:  # Telegram's limit is 4096 characters, after escaping
            plain = plain[:3000] + "…"
        text = html.escape(plain)
        sent = await self.bot.send_message(
            self._group(ticket), text, parse_mode=ParseMode.HTML,
            message_thread_id=self._thread(payload, ticket),
        )  # fmt: skip
        return sent.message_id

    async def edit_copy(self, payload: dict[str, Any], ticket: Ticket | None) -> int | None:
        """An edited message: editMessageText (or the caption) of its copy, so a corrected
        phone number replaces the wrong one; else a marked correction and a new copy."""
        chat_id, thread = self._chat(payload, ticket)
        copy_id = self.outbox.sent_message_id(payload["copy_of"])
        if copy_id is not None:
            try:
                if "text" in payload:
                    await self.bot.edit_message_text(
                        payload["text"], chat_id=chat_id, message_id=copy_id,
                        entities=MessageEntity.de_list(payload.get("entities"), self.bot),
                    )  # fmt: skip
                else:
                    await self.bot.edit_message_caption(
                        chat_id=chat_id, message_id=copy_id, caption=payload.get("caption"),
                        caption_entities=MessageEntity.de_list(
                            payload.get("caption_entities"), self.bot),
                    )  # fmt: skip
                return copy_id
            except BadRequest as error:
                if "not modified" in str(error).lower():
                    return copy_id
                log.info("relay: a copy could not be edited (%s); sending a correction", error)
        to_citizen = payload.get("to") == "citizen"
        lang = ticket.lang if (to_citizen and ticket) else self.lang
        note = html.escape(say("relay_correction" if to_citizen else "cs_correction", lang))
        await self.bot.send_message(
            chat_id, note, parse_mode=ParseMode.HTML, message_thread_id=thread
        )
        return await self.copy(payload, ticket)

    async def close_topic(self, payload: dict[str, Any], ticket: Ticket | None) -> None:
        """closeForumTopic (already closed is fine)."""
        try:
            await self.bot.close_forum_topic(
                int(payload.get("group_id") or self._group(ticket)), self._thread(payload, ticket)
            )
        except BadRequest as error:
            if "topic_not_modified" not in str(error).lower():  # PTB: "Topic_not_modified"
                raise

    async def forget_topic(self, payload: dict[str, Any], ticket: Ticket | None) -> None:
        """/forget: delete the topic (and everything in it); else delete the bot's card,
        its copies and notices and the counsellors' relayed messages by id, say in the
        topic what could not be deleted, and close it."""
        thread = int(payload["thread_id"])
        group = int(payload.get("group_id") or self.group_id)  # rows queued before m005 lack it
        try:
            await self.bot.delete_forum_topic(group, thread)
            return
        except PERMANENT as error:
            log.warning("relay: could not delete a topic (%s); deleting its messages by id",
                        type(error).__name__)  # fmt: skip
        wanted = [int(m) for m in payload.get("message_ids", [])]
        left = 0
        for message_id in wanted:
            try:
                await self.bot.delete_message(group, message_id)
            except PERMANENT:
                left += 1
        log.warning("relay: forgotten topic: %d of %d messages deleted by id; closing it",
                    len(wanted) - left, len(wanted))  # fmt: skip
        key = "cs_forgotten" if left else "cs_forgotten_cleaned"
        note = html.escape(say(key, self.lang).format(left=left))
        await self.bot.send_message(
            group, note, parse_mode=ParseMode.HTML, message_thread_id=thread
        )
        await self.close_topic({"group_id": group, "thread_id": thread}, None)


# What each kind of outbox row does: from the code that queues an OutboxOp
# (bot.handoff.service) to the method that runs it.
OPERATIONS: dict[OutboxOp, Operation] = {
    OutboxOp.OPEN_TOPIC: Relay.open_topic,
    OutboxOp.CARD: Relay.card,
    OutboxOp.RENAME_TOPIC: Relay.rename_topic,
    OutboxOp.ALERT: Relay.alert,
    OutboxOp.COPY: Relay.copy,
    OutboxOp.SEND: Relay.send,
    OutboxOp.CLOSE_TOPIC: Relay.close_topic,
    OutboxOp.FORGET_TOPIC: Relay.forget_topic,
    OutboxOp.BATCH: Relay.batch,
    OutboxOp.EDIT_COPY: Relay.edit_copy,
}


# What the bot must be allowed in the counsellors' group for /forget to reach it.
NEEDED_RIGHTS = ("can_delete_messages", "can_manage_topics")


def missing_rights(member: ChatMember) -> list[str]:
    """The rights of NEEDED_RIGHTS the bot lacks in the group, as getChatMember shows it.

    The group's creator has them all; an administrator only those granted;
    anyone else none. Source: Bot API, ChatMemberAdministrator.
    """
    if member.status == ChatMember.OWNER:
        return []
    if member.status != ChatMember.ADMINISTRATOR:
        return list(NEEDED_RIGHTS)
    return [right for right in NEEDED_RIGHTS if not getattr(member, right, False)]


async def check_group_rights(bot: Bot, group_id: int, lang: str) -> list[str]:
    """At start: may the bot delete messages and topics in the group? Logs a warning and
    says so in the group's General topic when not. Returns the missing rights."""
    try:
        member = await bot.get_chat_member(group_id, bot.id)
    except TelegramError as error:
        log.warning("counsellors' group: could not check the bot's rights (%s)",
                    type(error).__name__)  # fmt: skip
        return []
    missing = missing_rights(member)
    if missing:
        log.warning(
            "counsellors' group: the bot lacks %s: /forget cannot delete the citizens' "
            "topics and messages there; make the bot an administrator with these rights",
            ", ".join(missing),
        )
        text = say("cs_missing_rights", lang).format(rights=", ".join(missing))
        with suppress(TelegramError):
            await bot.send_message(group_id, html.escape(text), parse_mode=ParseMode.HTML)
    return missing


# Group-side errors that an admin can fix (rights, topics, the bot re-added): retried.
GROUP_PROBLEMS = ("not enough rights", "chat not found", "not a forum", "chat_admin_required",
                  "kicked", "bot is not a member")  # fmt: skip


def group_unusable(error: TelegramError) -> bool:
    """A failure of the counsellors' group itself, not of one message."""
    return any(sign in str(error).lower() for sign in GROUP_PROBLEMS)


def _to_group(row: OutboxRow) -> bool:
    return row.payload.get("to") != "citizen"


def retry_seconds(error: RetryAfter) -> float:
    """RetryAfter's wait in seconds (at least 0.5), whichever form PTB gives it in."""
    with warnings.catch_warnings():  # PTB 22 warns about the int form; both are handled
        warnings.simplefilter("ignore")
        value = error.retry_after
    seconds = value.total_seconds() if isinstance(value, dt.timedelta) else float(value)
    return max(seconds, 0.5)


def markup_of(rows: list[list[list[str]]] | None) -> InlineKeyboardMarkup | None:
    """Button rows as data ([[label, callback_data], ...]) as an inline keyboard."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )
