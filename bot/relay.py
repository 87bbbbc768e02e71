"""Delivering the outbox: one asyncio worker per Application, retries, order per lane.

Every message between a citizen and the counsellors' group, and every bot
notice about a ticket, is a row in `outbox` (bot/tickets.py) before any
Telegram call is made. The worker:
- takes the oldest pending row of each lane (a forum topic, a citizen chat),
  so messages keep their order while different tickets go out concurrently;
- marks it `sending`, calls Telegram, marks it `sent` (or schedules a retry);
- RetryAfter (429): every lane waits `retry_after` (the limit is the bot's);
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
import weakref
from contextlib import suppress
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
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
from telegram.ext import Application, ContextTypes

from bot.config import Settings
from bot.replies import say
from bot.storage import Storage
from bot.tickets import OutboxRow, Ticket, Tickets, topic_lane

log = logging.getLogger(__name__)

COUNSELLOR_LANG = "ka"  # the language of everything the bot writes in the counsellors' group
BACKOFF_BASE = 1.0
BACKOFF_CAP = 300.0
MAX_AGE = 24 * 3600.0  # transient failures: keep trying for a day
CONCURRENT_LANES = 8
IDLE_WAIT = 0.25  # also how quickly the worker notices that the Application stops
MAX_SNIPPET = 300
ICON_URGENT, ICON_NORMAL = 16478047, 7322096  # Telegram's red and blue topic icons
PERMANENT = (BadRequest, Forbidden, InvalidToken, ChatMigrated)

_tickets: weakref.WeakKeyDictionary[Storage, Tickets] = weakref.WeakKeyDictionary()
_relays: weakref.WeakKeyDictionary[Storage, Relay] = weakref.WeakKeyDictionary()


def tickets_for(storage: Storage) -> Tickets:
    """The Tickets of a storage (tables created once per Storage object)."""
    found = _tickets.get(storage)
    if found is None:
        found = _tickets[storage] = Tickets(storage)
    return found


def kick(storage: Storage) -> None:
    """Wake the worker of this storage, if one runs, to deliver new rows now."""
    relay = _relays.get(storage)
    if relay is not None:
        relay.wake.set()


class Relay:
    def __init__(self, bot: Bot, tickets: Tickets, settings: Settings):
        self.bot = bot
        self.tickets = tickets
        self.settings = settings
        self.group_id = settings.counsellors.chat_id
        self.wake = asyncio.Event()
        self.paused_until = 0.0
        self.backoff_base = BACKOFF_BASE
        self.delivered = 0
        self.retried = 0
        self.failed = 0

    async def run(self, app: Application) -> None:
        """Deliver until the Application stops; the row in flight is always finished."""
        _relays[self.tickets.storage] = self
        resent = self.tickets.recover_interrupted()
        if resent:
            log.warning("relay: %d rows were in flight at the last stop; sending again", resent)
        try:
            while app.running:
                if not await self.deliver_due():
                    await self._idle()
        finally:
            _relays.pop(self.tickets.storage, None)

    async def deliver_due(self) -> int:
        """One round: the due head of each lane, concurrently. Returns how many were tried."""
        now = time.time()
        if now < self.paused_until:
            return 0
        heads = self.tickets.due_heads(now, CONCURRENT_LANES)
        if heads:
            await asyncio.gather(*(self._deliver(row) for row in heads))
        return len(heads)

    async def _idle(self) -> None:
        wait = IDLE_WAIT
        upcoming = self.tickets.next_due()
        if upcoming is not None:
            wait = min(wait, max(0.0, max(upcoming, self.paused_until) - time.time()))
        self.wake.clear()
        with suppress(TimeoutError):
            await asyncio.wait_for(self.wake.wait(), max(wait, 0.01))

    async def _deliver(self, row: OutboxRow) -> None:
        self.tickets.mark_sending(row.id)
        try:
            message_id = await self._perform(row)
        except RetryAfter as error:
            delay = retry_seconds(error)
            self.paused_until = max(self.paused_until, time.time() + delay)
            self._retry(row, time.time() + delay, f"429 retry after {delay}")
        except PERMANENT as error:
            self._fail(row, f"{type(error).__name__}: {error}")
        except (NetworkError, TelegramError) as error:
            self._retry(row, time.time() + self._backoff(row.attempts + 1), str(error))
        else:
            self.tickets.mark_sent(row.id, message_id)
            self.delivered += 1

    def _retry(self, row: OutboxRow, at: float, error: str) -> None:
        if time.time() - row.created_at > MAX_AGE:
            self._fail(row, f"gave up after {row.attempts + 1} attempts: {error}")
            return
        self.retried += 1
        log.info("relay: row %d (%s) retry at +%.1fs: %s", row.id, row.op, at - time.time(), error)
        self.tickets.mark_retry(row.id, at, error)

    def _fail(self, row: OutboxRow, error: str) -> None:
        self.failed += 1
        log.error("relay: row %d (%s, lane %s) failed: %s", row.id, row.op, row.lane, error)
        self.tickets.mark_failed(row.id, error)
        if row.op == "copy" and row.payload.get("to") == "citizen" and row.ticket_id:
            self._tell_topic_undelivered(row)

    def _tell_topic_undelivered(self, row: OutboxRow) -> None:
        text = html.escape(say("cs_not_delivered", COUNSELLOR_LANG))
        with self.tickets.transaction():
            self.tickets.enqueue(
                f"undelivered:{row.id}", topic_lane(row.ticket_id or 0), "send",
                {"to": "group", "text": text}, row.ticket_id,
            )  # fmt: skip

    def _backoff(self, attempt: int) -> float:
        delay = min(BACKOFF_CAP, self.backoff_base * 2 ** (attempt - 1))
        return delay * random.uniform(0.8, 1.2)

    # -- operations ------------------------------------------------------------------------

    async def _perform(self, row: OutboxRow) -> int | None:
        op = getattr(self, f"_op_{row.op}", None)
        if op is None:
            raise BadRequest(f"unknown outbox operation {row.op!r}")
        ticket = self.tickets.get(row.ticket_id) if row.ticket_id else None
        return await op(row.payload, ticket)

    def _thread(self, payload: dict[str, Any], ticket: Ticket | None) -> int | None:
        thread = payload.get("thread_id") or (ticket.thread_id if ticket else None)
        if thread is None:
            # The ticket is gone (forgotten) or its topic never opened: nowhere to write.
            raise BadRequest("no forum topic for this ticket")
        return thread

    def _chat(self, payload: dict[str, Any], ticket: Ticket | None) -> tuple[int, int | None]:
        if payload.get("to") == "citizen":
            return int(payload["chat_id"]), None
        return self.group_id, self._thread(payload, ticket)

    async def _op_open_topic(self, payload: dict[str, Any], ticket: Ticket | None) -> int | None:
        if ticket is None:
            raise BadRequest("ticket deleted before its topic opened")
        if ticket.thread_id:  # opened before a crash or a lost answer
            return None
        topic = await self.bot.create_forum_topic(
            self.group_id,
            topic_name(ticket),
            icon_color=ICON_URGENT if ticket.urgent else ICON_NORMAL,
        )
        self.tickets.set_thread(ticket.id, topic.message_thread_id)
        return None

    async def _op_card(self, payload: dict[str, Any], ticket: Ticket | None) -> int | None:
        if ticket is None:
            raise BadRequest("ticket deleted")
        text, markup = card_text(ticket, self.settings), card_buttons(ticket)
        if ticket.card_message_id is None:
            sent = await self.bot.send_message(
                self.group_id, text, parse_mode=ParseMode.HTML, reply_markup=markup,
                message_thread_id=self._thread(payload, ticket),
            )  # fmt: skip
            self.tickets.set_card(ticket.id, sent.message_id)
            return sent.message_id
        try:
            await self.bot.edit_message_text(
                text, chat_id=self.group_id, message_id=ticket.card_message_id,
                parse_mode=ParseMode.HTML, reply_markup=markup,
            )  # fmt: skip
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                raise
        return ticket.card_message_id

    async def _op_rename_topic(self, payload: dict[str, Any], ticket: Ticket | None) -> None:
        if ticket is None:
            raise BadRequest("ticket deleted")
        try:
            await self.bot.edit_forum_topic(
                self.group_id, self._thread(payload, ticket), name=topic_name(ticket)
            )
        except BadRequest as error:
            if "TOPIC_NOT_MODIFIED" not in str(error):
                raise

    async def _op_alert(self, payload: dict[str, Any], ticket: Ticket | None) -> int:
        """Urgent: a message in the General topic that mentions (notifies) the on-duty ids."""
        if ticket is None:
            raise BadRequest("ticket deleted")
        text = alert_text(ticket, self.group_id, self.settings.counsellors.on_duty_ids)
        sent = await self.bot.send_message(self.group_id, text, parse_mode=ParseMode.HTML)
        return sent.message_id

    async def _op_copy(self, payload: dict[str, Any], ticket: Ticket | None) -> int:
        chat_id, thread = self._chat(payload, ticket)
        copied = await self.bot.copy_message(
            chat_id, payload["from_chat_id"], payload["message_id"], message_thread_id=thread
        )
        return copied.message_id

    async def _op_send(self, payload: dict[str, Any], ticket: Ticket | None) -> int:
        chat_id, thread = self._chat(payload, ticket)
        sent = await self.bot.send_message(
            chat_id, payload["text"], parse_mode=ParseMode.HTML, message_thread_id=thread,
            reply_markup=markup_of(payload.get("buttons")),
        )  # fmt: skip
        return sent.message_id

    async def _op_close_topic(self, payload: dict[str, Any], ticket: Ticket | None) -> None:
        try:
            await self.bot.close_forum_topic(self.group_id, self._thread(payload, ticket))
        except BadRequest as error:
            if "TOPIC_NOT_MODIFIED" not in str(error):
                raise

    async def _op_forget_topic(self, payload: dict[str, Any], ticket: Ticket | None) -> None:
        """/forget: delete the topic (and the copies in it); else at least close it."""
        thread = int(payload["thread_id"])
        try:
            await self.bot.delete_forum_topic(self.group_id, thread)
            return
        except PERMANENT as error:
            log.warning("relay: could not delete topic %d (%s); closing it", thread, error)
        note = html.escape(say("cs_forgotten", COUNSELLOR_LANG))
        await self.bot.send_message(
            self.group_id, note, parse_mode=ParseMode.HTML, message_thread_id=thread
        )
        await self._op_close_topic({"thread_id": thread}, None)


def retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns about the int form; both are handled
        warnings.simplefilter("ignore")
        value = error.retry_after
    seconds = value.total_seconds() if isinstance(value, dt.timedelta) else float(value)
    return max(seconds, 0.5)


def markup_of(rows: list[list[list[str]]] | None) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


async def start_worker(context: ContextTypes.DEFAULT_TYPE) -> None:
    """A one-off job at Application start: the worker runs as a task the Application awaits."""
    relay: Relay = context.application.bot_data["relay"]
    context.application.create_task(relay.run(context.application), name="relay")


# --------------------------------------------------------------------------- group-side texts


def topic_name(ticket: Ticket) -> str:
    mark = "🚨 " if ticket.urgent else ""
    reason = say(f"cs_reason_{ticket.reason}", COUNSELLOR_LANG)
    return f"{mark}#{ticket.id} · {ticket.lang.upper()} · {reason}"[:128]


def topic_link(group_id: int, thread_id: int | None) -> str | None:
    """t.me/c links work for members of private supergroups (ids -100XXXXXXXXXX)."""
    internal = str(group_id).removeprefix("-100")
    if thread_id is None or internal == str(group_id):
        return None
    return f"https://t.me/c/{internal}/{thread_id}"


def snippet(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_SNIPPET else text[: MAX_SNIPPET - 1] + "…"


def local_time(iso: str, settings: Settings) -> str:
    from zoneinfo import ZoneInfo

    zone = settings.counsellors.office_hours.timezone
    return dt.datetime.fromisoformat(iso).astimezone(ZoneInfo(zone)).strftime("%d.%m.%Y %H:%M")


def card_text(ticket: Ticket, settings: Settings) -> str:
    lang = COUNSELLOR_LANG
    e = html.escape
    lines = []
    if ticket.urgent:
        lines.append(f"<b>{e(say('cs_urgent', lang))}</b>")
    language = e(say(f"cs_lang_{ticket.lang}", lang))
    reason = e(say(f"cs_reason_{ticket.reason}", lang))
    lines.append(f"<b>{e(say('cs_ticket', lang))} #{ticket.id}</b> · {language} · {reason}")
    opened = local_time(ticket.created, settings)
    zone = settings.counsellors.office_hours.timezone
    lines.append(f"{e(say('cs_opened', lang))}: {opened} ({e(zone)})")
    lines.append(f"{e(say('cs_status', lang))}: {e(status_label(ticket))}")
    if ticket.question:
        lines += ["", f"<b>{e(say('cs_question', lang))}</b>", e(snippet(ticket.question))]
    if ticket.recent:
        lines += ["", f"<b>{e(say('cs_recent', lang))}</b>"]
        lines += [e(recent_line(item)) for item in ticket.recent]
    if ticket.rating:
        lines += ["", f"{e(say('cs_rating', lang))}: {'⭐' * ticket.rating} ({ticket.rating}/5)"]
    lines += ["", e(say("cs_how_to", lang))]
    return "\n".join(lines)


def status_label(ticket: Ticket) -> str:
    lang = COUNSELLOR_LANG
    if ticket.status == "claimed":
        return say("cs_status_claimed", lang).format(name=ticket.counsellor_name or "?")
    return say(f"cs_status_{ticket.status}", lang)


def recent_line(item: dict[str, Any]) -> str:
    lang = COUNSELLOR_LANG
    action = item.get("action") or "fallback"
    key = f"cs_did_{action}" if f"cs_did_{action}" in _did_keys() else "cs_did_fallback"
    did = say(key, lang).format(entry=item.get("entry_id") or "?")
    said = snippet(item.get("text")) if item.get("text") else "…"
    return f"• „{said}“ → {did}"


def _did_keys() -> set[str]:
    from bot.replies import MESSAGES

    return {key for key in MESSAGES if key.startswith("cs_did_")}


def card_buttons(ticket: Ticket) -> InlineKeyboardMarkup | None:
    lang = COUNSELLOR_LANG
    if not ticket.is_open:
        return None
    row = []
    if ticket.status == "waiting":
        row.append(
            InlineKeyboardButton(say("cs_btn_claim", lang), callback_data=f"tk:claim:{ticket.id}")
        )
    row.append(
        InlineKeyboardButton(say("cs_btn_close", lang), callback_data=f"tk:close:{ticket.id}")
    )
    return InlineKeyboardMarkup([row])


def alert_text(ticket: Ticket, group_id: int, on_duty: tuple[int, ...]) -> str:
    lang = COUNSELLOR_LANG
    mentions = " ".join(
        f'<a href="tg://user?id={uid}">{html.escape(say("cs_on_duty", lang))}</a>'
        for uid in on_duty
    )
    text = html.escape(say("cs_alert", lang).format(id=ticket.id))
    link = topic_link(group_id, ticket.thread_id)
    where = f' <a href="{link}">{html.escape(say("cs_open_topic", lang))}</a>' if link else ""
    return f"<b>{html.escape(say('cs_urgent', lang))}</b> {text}{where}\n{mentions}".strip()
