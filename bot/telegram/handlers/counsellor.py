"""The counsellors' forum group: messages in ticket topics, Claim / Close, /close, /queue.

Handlers do their SQLite work before their first await: PTB runs updates
concurrently, and this keeps the outbox in the order the updates arrived.
"""

from __future__ import annotations

import html
import logging

from telegram import Message, Update, User
from telegram.constants import ParseMode

from bot.handoff import Counsellor
from bot.handoff.cards import queue_text
from bot.store import ClosedBy
from bot.telegram.context import Context, services
from bot.telegram.handlers import ticket as ticket_handlers
from bot.telegram.render import TELEGRAM_LIMIT, utf16_len
from bot.telegram.sending import acknowledge
from bot.texts import say

log = logging.getLogger(__name__)


def counsellor_of(user: User | None) -> Counsellor:
    """The counsellor behind an update: id and display name ("?" if Telegram gives none)."""
    return Counsellor(user.id if user else 0, (user.full_name if user else "") or "?")


def sender_of(message: Message) -> Counsellor | None:
    """Who wrote a message in the group, None for bots and other chats.

    An administrator who "remains anonymous" writes as the group itself: `from` is
    Telegram's GroupAnonymousBot (is_bot) and `sender_chat` the group. Members of the
    group are trusted, so the group is the sender (its id; the admin's custom title,
    else the group's title, as the name). A message sent as another chat (a linked
    channel) is not a counsellor's.
    """
    if message.sender_chat is not None:
        if message.sender_chat.id != message.chat_id:
            log.info("counsellors' group: ignored a message sent as another chat")
            return None
        name = message.author_signature or message.sender_chat.title or "?"
        return Counsellor(message.sender_chat.id, name)
    if message.from_user is None or message.from_user.is_bot:
        return None
    return counsellor_of(message.from_user)


async def counsellor_message(update: Update, context: Context) -> None:
    """A counsellor writes in a ticket's topic: copy it to the citizen."""
    s = services(context)
    message = update.effective_message
    if not message.is_topic_message or message.message_thread_id is None:
        return  # the General topic is the counsellors' own
    sender = sender_of(message)
    if sender is None:
        return
    ticket = s.store.tickets.by_thread(message.message_thread_id, message.chat_id)
    if ticket is None:
        log.info("counsellors' group: a message in a topic of no ticket")
        return
    if not ticket.is_open:
        s.handoff.after_close(ticket, message.message_id)
        return
    edited = int(message.edit_date.timestamp()) if message.edit_date else 0
    content = ticket_handlers.edited_content(message) if edited else None
    if content:
        s.handoff.edited(ticket, "citizen", message.chat_id, message.message_id, edited, content)
        return
    s.handoff.from_counsellor(ticket, sender, message.chat_id, message.message_id, edited)


async def topic_closed(update: Update, context: Context) -> None:
    """A counsellor closed a ticket's topic in the app (forum_topic_closed): the ticket
    closes as if they had pressed Close. The bot's own closings are not sent to it."""
    s = services(context)
    message = update.effective_message
    if message.message_thread_id is None:
        return
    ticket = s.store.tickets.by_thread(message.message_thread_id, message.chat_id)
    closer = sender_of(message)
    if ticket is None or not ticket.is_open or closer is None:
        return
    s.handoff.close(ticket, ClosedBy.COUNSELLOR, closer.name)


async def ticket_button(update: Update, context: Context) -> None:
    """Claim or Close on a ticket's card."""
    s = services(context)
    query = update.callback_query
    if query.message is None or query.message.chat.id != s.settings.counsellors.chat_id:
        log.warning("ticket button pressed outside the counsellors' group: ignored")
        await acknowledge(query)
        return
    _, action, ticket_id = query.data.split(":")
    ticket = s.store.tickets.get(int(ticket_id))
    lang = s.handoff.lang
    if ticket is None or not ticket.is_open:
        await acknowledge(query, say("cs_status_closed", lang))
        return
    counsellor = counsellor_of(query.from_user)
    if action == "claim":
        if s.handoff.claim(ticket, counsellor):
            notice = say("cs_status_claimed", lang).format(name=counsellor.name)
        else:
            notice = say("cs_already_claimed", lang).format(name=ticket.counsellor_name or "?")
        await acknowledge(query, notice)
        return
    s.handoff.close(ticket, ClosedBy.COUNSELLOR, counsellor.name)
    await acknowledge(query, say("cs_status_closed", lang))


async def close_command(update: Update, context: Context) -> None:
    """/close in a ticket's topic."""
    s = services(context)
    message = update.effective_message
    ticket = (
        s.store.tickets.by_thread(message.message_thread_id, message.chat_id)
        if message.is_topic_message and message.message_thread_id
        else None
    )
    if ticket is None or not ticket.is_open:
        text = html.escape(say("cs_use_in_topic", s.handoff.lang))
        await _reply_in_place(context, message, text)
        return
    closer = sender_of(message) or counsellor_of(message.from_user)
    s.handoff.close(ticket, ClosedBy.COUNSELLOR, closer.name)


async def queue_command(update: Update, context: Context) -> None:
    """/queue: the open tickets, urgent first."""
    s = services(context)
    text = queue_text(
        s.store.tickets.open_tickets(), s.settings.counsellors.chat_id, s.handoff.lang
    )
    for part in split_lines(text):
        await _reply_in_place(context, update.effective_message, part)


def split_lines(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Whole lines of an HTML text in messages of at most `limit` UTF-16 units (the
    markup counted too, so each fits; a line is never split, lines are short)."""
    parts: list[list[str]] = [[]]
    size = 0
    for line in text.split("\n"):
        length = utf16_len(line) + 1
        if parts[-1] and size + length > limit:
            parts.append([])
            size = 0
        parts[-1].append(line)
        size += length
    return ["\n".join(part) for part in parts]


async def _reply_in_place(context: Context, message: Message, text: str) -> None:
    thread = message.message_thread_id if message.is_topic_message else None
    await context.bot.send_message(
        message.chat_id, text, parse_mode=ParseMode.HTML, message_thread_id=thread
    )


async def outsider(update: Update, context: Context) -> None:
    """Counsellor commands or ticket traffic from any other chat: ignored, logged."""
    chat = update.effective_chat
    log.warning(
        "ignored %s from a %s chat: not the counsellors' group",
        "a command" if update.effective_message and update.effective_message.text else "a message",
        chat.type if chat else "?",
    )
