"""Handing chats to human counsellors: tickets, the counsellors' forum group, the relay.

    register(app)                       # telegram_app.add_handlers: handlers + the relay worker
    open_ticket(storage, settings, request) -> Opened   # what request_handoff calls
    forget_citizen(storage, settings, user_key)          # before Storage.forget_user

A handoff opens (or re-uses) the citizen's ticket and a forum topic for it in
the counsellors' group (settings.counsellors.chat_id), with a summary card and
Claim / Close buttons. While the ticket is open, whatever the citizen sends is
copied into the topic and whatever a counsellor writes in the topic is copied
to the citizen by the bot (so the counsellor's account stays hidden). Every
copy and notice goes through the outbox (bot/relay.py), so nothing is lost.

Urgent tickets alert the on-duty counsellors with a message in the group's
General topic that mentions them by id: a mention notifies them wherever they
are, needs no private chat with the bot (which a DM would: bots cannot write
first), and the whole team sees that the alert went out.

Handlers do their SQLite work before their first await: PTB runs updates
concurrently, and this keeps the outbox in the order the updates arrived.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import uuid
from contextlib import suppress
from zoneinfo import ZoneInfo

from telegram import Message, Update, User
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import handlers
from bot.config import OfficeHours, Settings
from bot.handoff import HandoffRequest
from bot.relay import (
    COUNSELLOR_LANG,
    Relay,
    kick,
    start_worker,
    tickets_for,
)
from bot.replies import say
from bot.storage import Storage
from bot.tickets import RECENT_MESSAGES, Opened, Ticket, Tickets, citizen_lane, topic_lane

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE

GROUP_COMMANDS = ("close", "queue")
PURGE_EVERY = dt.timedelta(hours=1)
OUTSIDER_GROUP = 5  # a handler group of its own: logging there never hides other handlers
EMERGENCY_ENTRY = "emergency-danger"


# --------------------------------------------------------------------------- office hours


def _clock(text: str) -> dt.time | None:
    """ "HH:MM"; "24:00" is the end of the day (None)."""
    hours, minutes = (int(part) for part in text.split(":"))
    return None if hours == 24 else dt.time(hours, minutes)


def office_open(hours: OfficeHours, now: dt.datetime) -> bool:
    local = now.astimezone(ZoneInfo(hours.timezone))
    if local.isoweekday() not in hours.days:
        return False
    start, end = _clock(hours.start) or dt.time(0), _clock(hours.end)
    return start <= local.time() and (end is None or local.time() < end)


def next_opening(hours: OfficeHours, now: dt.datetime) -> dt.datetime | None:
    """When counsellors are next at work (local time), None if no office days are set."""
    zone = ZoneInfo(hours.timezone)
    local = now.astimezone(zone)
    start = _clock(hours.start) or dt.time(0)
    for ahead in range(8):
        day = local.date() + dt.timedelta(days=ahead)
        if day.isoweekday() not in hours.days:
            continue
        opening = dt.datetime.combine(day, start, tzinfo=zone)
        if opening > local:
            return opening
    return None


def describe_hours(hours: OfficeHours, lang: str) -> str:
    names = say("weekdays", lang).split(",")
    days = sorted(set(hours.days))
    if days and days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        span = f"{names[days[0] - 1]}–{names[days[-1] - 1]}"
    else:
        span = ", ".join(names[d - 1] for d in days)
    return f"{span}, {hours.start}–{hours.end}"


def describe_when(opening: dt.datetime, now: dt.datetime, lang: str) -> str:
    local_now = now.astimezone(opening.tzinfo)
    time_text = opening.strftime("%H:%M")
    days_ahead = (opening.date() - local_now.date()).days
    if days_ahead == 0:
        return say("when_today", lang).format(time=time_text)
    if days_ahead == 1:
        return say("when_tomorrow", lang).format(time=time_text)
    return say("when_date", lang).format(
        weekday=say("weekdays_on", lang).split(",")[opening.isoweekday() - 1],
        day=opening.day,
        month=say("months_on", lang).split(",")[opening.month - 1],
        time=time_text,
    )


def zone_label(zone: str, lang: str) -> str:
    key = f"zone_{zone}"
    from bot.replies import MESSAGES

    return say(key, lang) if key in MESSAGES else zone


def citizen_notice(
    ticket: Ticket, opened: Opened, position: int, settings: Settings, now: dt.datetime
) -> str:
    """What the citizen is told after a handoff: queue place, office hours, urgent advice."""
    lang = ticket.lang
    hours = settings.counsellors.office_hours
    if ticket.status == "claimed":
        return say("handoff_claimed_already", lang)
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
            if settings.counsellors.on_duty_ids:
                parts.append(say("handoff_on_duty_alerted", lang))
            parts.append(say("handoff_urgent_after_hours", lang))
    parts.append(say("relay_end_hint", lang))
    return "\n\n".join(parts)


# --------------------------------------------------------------------------- opening tickets


def recent_conversation(storage: Storage, user_key: str) -> list[dict]:
    with storage._lock:
        rows = storage.db.execute(
            "select text, action, entry_id from messages where user_key = ? "
            "order by id desc limit ?",
            [user_key, RECENT_MESSAGES],
        ).fetchall()
    return [{"text": t, "action": a, "entry_id": e} for t, a, e in reversed(rows)]


def open_ticket(storage: Storage, settings: Settings, request: HandoffRequest) -> Opened:
    """Open or re-use the citizen's ticket and queue the topic, card, alert and notice."""
    tickets = tickets_for(storage)
    recent = recent_conversation(storage, request.user_key)
    if request.text:
        did = {"urgent": "urgent", "unanswered": "fallback"}.get(request.reason, "handoff")
        recent = [*recent, {"text": request.text, "action": did, "entry_id": None}]
    recent = recent[-RECENT_MESSAGES:]
    with tickets.transaction():
        opened = tickets.open_or_reuse(
            request.user_key, request.chat_id, request.lang, request.reason, request.text, recent
        )
        _queue_group_side(tickets, settings, opened)
    position = tickets.queue_position(opened.ticket.id)
    notice = citizen_notice(opened.ticket, opened, position, settings, dt.datetime.now(dt.UTC))
    with tickets.transaction():
        _to_citizen(tickets, opened.ticket, notice, f"notice:{uuid.uuid4().hex}")
    kick(storage)
    return opened


def _queue_group_side(tickets: Tickets, settings: Settings, opened: Opened) -> None:
    ticket = opened.ticket
    lane, key = topic_lane(ticket.id), ticket.user_key
    if opened.created:
        tickets.enqueue(f"topic:{ticket.id}", lane, "open_topic", {}, ticket.id, key)
        tickets.enqueue(f"card:{ticket.id}", lane, "card", {"to": "group"}, ticket.id, key)
    if opened.upgraded:
        note = html.escape(say("cs_upgraded", COUNSELLOR_LANG))
        tickets.enqueue(f"up:{ticket.id}", lane, "send", {"to": "group", "text": note},
                        ticket.id, key)  # fmt: skip
        tickets.enqueue(f"rename:{ticket.id}", lane, "rename_topic", {"to": "group"},
                        ticket.id, key)  # fmt: skip
        _refresh_card(tickets, ticket)
    urgent_now = ticket.urgent and (opened.created or opened.upgraded)
    if urgent_now and settings.counsellors.on_duty_ids:
        tickets.enqueue(f"alert:{ticket.id}", lane, "alert", {"to": "group"}, ticket.id, key)


def _refresh_card(tickets: Tickets, ticket: Ticket) -> None:
    tickets.enqueue(f"card:{ticket.id}:{uuid.uuid4().hex}", topic_lane(ticket.id), "card",
                    {"to": "group"}, ticket.id, ticket.user_key)  # fmt: skip


def _to_citizen(
    tickets: Tickets, ticket: Ticket, text: str, key: str, buttons: list | None = None
) -> None:
    payload = {"to": "citizen", "chat_id": ticket.chat_id, "text": html.escape(text)}
    if buttons:
        payload["buttons"] = buttons
    tickets.enqueue(key, citizen_lane(ticket.chat_id), "send", payload, ticket.id, ticket.user_key)


def _to_topic(tickets: Tickets, ticket: Ticket, text: str, key: str) -> None:
    payload = {"to": "group", "text": html.escape(text)}
    if ticket.thread_id:
        payload["thread_id"] = ticket.thread_id
    tickets.enqueue(key, topic_lane(ticket.id), "send", payload, ticket.id, ticket.user_key)


def forget_citizen(storage: Storage, settings: Settings, user_key: str) -> int:
    """Before /forget deletes the rows: queue the deletion (or closing) of the user's topics.

    These rows carry no user_key, so they survive forget_user and still run.
    """
    if not settings.counsellors.chat_id:
        return 0
    tickets = tickets_for(storage)
    threads = tickets.threads_of(user_key)
    with tickets.transaction():
        for thread in threads:
            tickets.enqueue(f"forget:{thread}:{uuid.uuid4().hex}", f"forget:{thread}",
                            "forget_topic", {"thread_id": thread})  # fmt: skip
    kick(storage)
    return len(threads)


# --------------------------------------------------------------------------- closing


def close_ticket(tickets: Tickets, ticket: Ticket, closed_by: str, name: str | None) -> bool:
    """Close, tell both sides, close the topic, ask the citizen for a rating."""
    lang = ticket.lang
    with tickets.transaction():
        if not tickets.close(ticket.id, closed_by):
            return False
        note = (
            say("cs_citizen_ended", COUNSELLOR_LANG)
            if closed_by == "citizen"
            else say("cs_closed_by", COUNSELLOR_LANG).format(name=name or "?")
        )
        _to_topic(tickets, ticket, note, f"closed-note:{ticket.id}")
        _refresh_card(tickets, ticket)
        tickets.enqueue(f"close-topic:{ticket.id}", topic_lane(ticket.id), "close_topic",
                        {"to": "group"}, ticket.id, ticket.user_key)  # fmt: skip
        back = say("relay_ended" if closed_by == "citizen" else "relay_closed", lang)
        text = f"{back}\n\n{say('relay_rate', lang)}"
        stars = [[[str(n), f"rate:{ticket.id}:{n}"] for n in range(1, 6)]]
        _to_citizen(tickets, ticket, text, f"closed:{ticket.id}", stars)
    kick(tickets.storage)
    log.info("ticket %d closed by %s", ticket.id, closed_by)
    return True


# --------------------------------------------------------------------------- citizen side


class HasOpenTicket(filters.MessageFilter):
    """A private message from a citizen whose ticket is open: it goes to the relay."""

    def __init__(self, storage: Storage):
        super().__init__(name="HasOpenTicket")
        self.storage = storage

    def filter(self, message: Message) -> bool:
        if message.chat.type != "private" or message.from_user is None:
            return False
        key = self.storage.user_key(message.from_user.id)
        return tickets_for(self.storage).open_for(key) is not None


async def citizen_message(update: Update, context: Context) -> None:
    s = handlers.services(context)
    message, user = update.effective_message, update.effective_user
    key = s.storage.user_key(user.id)
    tickets = tickets_for(s.storage)
    ticket = tickets.open_for(key)
    if ticket is None:  # closed between the filter and here: the bot answers as usual
        usual = handlers.text_message if message.text else handlers.unsupported_message
        await usual(update, context)
        return
    edited = message.edit_date.timestamp() if message.edit_date else 0
    idem = f"cg:{message.chat_id}:{message.message_id}:{int(edited)}"
    payload = {"to": "group", "from_chat_id": message.chat_id, "message_id": message.message_id}
    with tickets.transaction():
        tickets.enqueue(idem, topic_lane(ticket.id), "copy", payload, ticket.id, key)
    kick(s.storage)
    s.storage.log_message(key, ticket.lang, "relay", None)
    said = message.text or message.caption or ""
    if said and handlers._sounds_urgent(said):
        await _urgent_while_open(context, user, message.chat_id, ticket, said)


async def _urgent_while_open(
    context: Context, user: User, chat_id: int, ticket: Ticket, said: str
) -> None:
    """Danger signals go on getting the emergency guidance, and make the ticket urgent."""
    s = handlers.services(context)
    lang = ticket.lang
    parts = [say("urgent_intro", lang)]
    entry = s.pipeline.kb.entries.get(EMERGENCY_ENTRY)
    if entry is not None:
        from bot.pipeline import format_answer

        parts.append(format_answer(entry, lang))
    await handlers.send(context, chat_id, "\n\n".join(parts), lang)
    if not ticket.urgent:
        await handlers.hand_off(context, user, chat_id, lang, "urgent", said)


async def end_command(update: Update, context: Context) -> None:
    s = handlers.services(context)
    user = update.effective_user
    tickets = tickets_for(s.storage)
    ticket = tickets.open_for(s.storage.user_key(user.id))
    if ticket is None or not close_ticket(tickets, ticket, "citizen", None):
        lang = handlers.user_lang(s, user)
        await handlers.send(context, update.effective_chat.id, say("relay_no_ticket", lang), lang)


async def rating_pressed(update: Update, context: Context) -> None:
    s = handlers.services(context)
    query = update.callback_query
    _, ticket_id, rating = query.data.split(":")
    tickets = tickets_for(s.storage)
    ticket = tickets.get(int(ticket_id))
    key = s.storage.user_key(query.from_user.id)
    if ticket is None or not tickets.rate(ticket.id, key, int(rating)):
        await handlers.expired_button(update, context)
        return
    with tickets.transaction():
        note = say("cs_citizen_rated", COUNSELLOR_LANG).format(rating=rating)
        _to_topic(tickets, ticket, note, f"rated:{ticket.id}")
        _refresh_card(tickets, ticket)
    kick(s.storage)
    await query.answer(say("feedback_thanks", ticket.lang))
    with suppress(BadRequest):
        await query.edit_message_reply_markup(None)


# --------------------------------------------------------------------------- group side


def _counsellor_name(user: User | None) -> str:
    return (user.full_name if user else "") or "?"


async def counsellor_message(update: Update, context: Context) -> None:
    """A counsellor writes in a ticket's topic: copy it to the citizen."""
    s = handlers.services(context)
    message = update.effective_message
    if not message.is_topic_message or message.message_thread_id is None:
        return  # the General topic is the counsellors' own
    if message.from_user is None or message.from_user.is_bot:
        return
    if message.sender_chat and message.sender_chat.id != message.chat_id:
        log.info("counsellors' group: ignored a message sent as another chat")
        return
    tickets = tickets_for(s.storage)
    ticket = tickets.by_thread(message.message_thread_id)
    if ticket is None:
        log.info("counsellors' group: message in topic %d of no ticket", message.message_thread_id)
        return
    if not ticket.is_open:
        with tickets.transaction():
            _to_topic(tickets, ticket, say("cs_closed_not_sent", COUNSELLOR_LANG),
                      f"late:{message.message_id}")  # fmt: skip
        kick(s.storage)
        return
    edited = message.edit_date.timestamp() if message.edit_date else 0
    with tickets.transaction():
        if ticket.status == "waiting":
            _claim(tickets, ticket, message.from_user)
        payload = {"to": "citizen", "chat_id": ticket.chat_id, "from_chat_id": message.chat_id,
                   "message_id": message.message_id}  # fmt: skip
        tickets.enqueue(f"gc:{message.chat_id}:{message.message_id}:{int(edited)}",
                        citizen_lane(ticket.chat_id), "copy", payload, ticket.id,
                        ticket.user_key)  # fmt: skip
    kick(s.storage)


def _claim(tickets: Tickets, ticket: Ticket, user: User) -> bool:
    """Inside a transaction: claim, tell the citizen a person joined, refresh the card."""
    name = _counsellor_name(user)
    if not tickets.claim(ticket.id, user.id, name):
        return False
    _to_citizen(tickets, ticket, say("relay_joined", ticket.lang), f"joined:{ticket.id}")
    _to_topic(tickets, ticket, say("cs_claimed_notice", COUNSELLOR_LANG).format(name=name),
              f"claimed:{ticket.id}")  # fmt: skip
    _refresh_card(tickets, ticket)
    return True


async def ticket_button(update: Update, context: Context) -> None:
    s = handlers.services(context)
    query = update.callback_query
    if query.message is None or query.message.chat.id != s.settings.counsellors.chat_id:
        log.warning("ticket button pressed outside the counsellors' group: ignored")
        with suppress(TelegramError):
            await query.answer()
        return
    _, action, ticket_id = query.data.split(":")
    tickets = tickets_for(s.storage)
    ticket = tickets.get(int(ticket_id))
    lang = COUNSELLOR_LANG
    if ticket is None or not ticket.is_open:
        await query.answer(say("cs_status_closed", lang))
        return
    if action == "claim":
        with tickets.transaction():
            claimed = _claim(tickets, ticket, query.from_user)
        kick(s.storage)
        if claimed:
            notice = say("cs_status_claimed", lang).format(name=_counsellor_name(query.from_user))
        else:
            notice = say("cs_already_claimed", lang).format(name=ticket.counsellor_name or "?")
        await query.answer(notice)
        return
    close_ticket(tickets, ticket, "counsellor", _counsellor_name(query.from_user))
    await query.answer(say("cs_status_closed", lang))


async def close_command(update: Update, context: Context) -> None:
    s = handlers.services(context)
    message = update.effective_message
    tickets = tickets_for(s.storage)
    ticket = (
        tickets.by_thread(message.message_thread_id)
        if message.is_topic_message and message.message_thread_id
        else None
    )
    if ticket is None or not ticket.is_open:
        await _reply_in_place(
            context, message, html.escape(say("cs_use_in_topic", COUNSELLOR_LANG))
        )
        return
    close_ticket(tickets, ticket, "counsellor", _counsellor_name(message.from_user))


async def queue_command(update: Update, context: Context) -> None:
    s = handlers.services(context)
    text = queue_text(tickets_for(s.storage).open_tickets(), s.settings.counsellors.chat_id)
    await _reply_in_place(context, update.effective_message, text)


def queue_text(open_tickets: list[Ticket], group_id: int) -> str:
    from bot.relay import topic_link

    lang = COUNSELLOR_LANG
    if not open_tickets:
        return html.escape(say("cs_queue_empty", lang))
    lines = [html.escape(say("cs_queue_title", lang).format(count=len(open_tickets)))]
    for ticket in open_tickets:
        minutes = int(ticket.age.total_seconds() // 60)
        age = say("cs_age", lang).format(hours=minutes // 60, minutes=minutes % 60)
        head = f"{'🚨 ' if ticket.urgent else ''}#{ticket.id}"
        link = topic_link(group_id, ticket.thread_id)
        head = f'<a href="{link}">{head}</a>' if link else head
        status = html.escape(
            say("cs_status_claimed", lang).format(name=ticket.counsellor_name or "?")
            if ticket.status == "claimed"
            else say("cs_status_waiting", lang)
        )
        reason = html.escape(say(f"cs_reason_{ticket.reason}", lang))
        lines.append(f"{head} · {ticket.lang.upper()} · {reason} · {age} · {status}")
    return "\n".join(lines)


async def _reply_in_place(context: Context, message: Message, text: str) -> None:
    thread = message.message_thread_id if message.is_topic_message else None
    await context.bot.send_message(
        message.chat_id, text, parse_mode=ParseMode.HTML, message_thread_id=thread
    )


async def outsider(update: Update, context: Context) -> None:
    """Counsellor commands or ticket traffic from any other chat: ignored, logged."""
    chat = update.effective_chat
    log.warning(
        "ignored %s from chat %s (%s): not the counsellors' group",
        "a command" if update.effective_message and update.effective_message.text else "a message",
        chat.id if chat else "?",
        chat.type if chat else "?",
    )


async def purge_ticket_texts(context: Context) -> None:
    s = handlers.services(context)
    blanked = tickets_for(s.storage).purge_old_texts(s.settings.privacy.retention_days)
    if blanked:
        log.info("retention: blanked %d ticket texts", blanked)


# --------------------------------------------------------------------------- registration


def register(app: Application) -> None:
    """Add the counsellor handlers (before the private-chat ones) and start the relay."""
    s = handlers.services_of(app)
    group_id = s.settings.counsellors.chat_id
    if not group_id:
        log.warning("no counsellors' group (MIGBOT_COUNSELLOR_CHAT_ID): handoffs are only recorded")
        return
    relay = Relay(app.bot, tickets_for(s.storage), s.settings)
    app.bot_data["relay"] = relay
    if app.job_queue is None:
        raise RuntimeError("the counsellor relay needs PTB's job queue (the job-queue extra)")
    app.job_queue.run_once(start_worker, 0.0, name="relay")
    app.job_queue.run_repeating(purge_ticket_texts, interval=PURGE_EVERY, first=5.0)

    group = filters.Chat(group_id)
    private = filters.ChatType.PRIVATE
    for command, callback in (("close", close_command), ("queue", queue_command)):
        app.add_handler(CommandHandler(command, callback, filters=group))
    app.add_handler(CommandHandler(list(GROUP_COMMANDS), outsider, filters=~group))
    app.add_handler(CommandHandler("end", end_command, filters=private))
    app.add_handler(
        MessageHandler(
            private & ~filters.COMMAND & ~filters.StatusUpdate.ALL & HasOpenTicket(s.storage),
            citizen_message,
        )
    )
    app.add_handler(
        MessageHandler(group & ~filters.COMMAND & ~filters.StatusUpdate.ALL, counsellor_message)
    )
    app.add_handler(CallbackQueryHandler(ticket_button, pattern=r"^tk:(claim|close):\d+$"))
    app.add_handler(CallbackQueryHandler(rating_pressed, pattern=r"^rate:\d+:[1-5]$"))
    # Other groups never reach a handler; this one only writes the log line (own group).
    app.add_handler(MessageHandler(~private & ~group, outsider), group=OUTSIDER_GROUP)
