"""A citizen whose ticket is open: their messages go to the counsellors, /end, the rating.

Handlers do their SQLite work before their first await: PTB runs updates
concurrently, and this keeps the outbox in the order the updates arrived.
"""

from __future__ import annotations

from contextlib import suppress

from telegram import InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest
from telegram.ext import filters

from bot.answering import format_emergency
from bot.answering.pipeline import EMERGENCY_ENTRY
from bot.handoff import Handoff
from bot.store import ClosedBy, HandoffReason, Store, Ticket
from bot.telegram import keyboards
from bot.telegram.context import Context, services
from bot.telegram.handlers import citizen
from bot.telegram.sending import acknowledge, send
from bot.texts import say
from nlu.danger import sounds_urgent


class HasOpenTicket(filters.MessageFilter):
    """A private message from a citizen whose ticket is open: it goes to the relay."""

    def __init__(self, store: Store):
        super().__init__(name="HasOpenTicket")
        self.store = store

    def filter(self, message: Message) -> bool:
        if message.chat.type != "private" or message.from_user is None:
            return False
        return self.store.tickets.open_for(self.store.user_key(message.from_user.id)) is not None


async def citizen_message(update: Update, context: Context) -> None:
    """Copy the message into the ticket's topic; danger signals still get the guidance."""
    s = services(context)
    message, user = update.effective_message, update.effective_user
    key = s.store.user_key(user.id)
    ticket = s.store.tickets.open_for(key)
    if ticket is None:  # closed between the filter and here: the bot answers as usual
        usual = citizen.text_message if message.text else citizen.unsupported_message
        await usual(update, context)
        return
    edited = int(message.edit_date.timestamp()) if message.edit_date else 0
    said = message.text or message.caption or ""
    if said and not edited and context.user_data.get(citizen.AWAITING):
        # The citizen asked for a tool (/stay, /checkoffer) while the ticket is open:
        # its input is for the tool, not the counsellors (a user trial: the dates went
        # to the topic and no count came back).
        await citizen.read_text(context, user, message.chat_id, said)
        return
    content = edited_content(message) if edited else None
    if content:
        s.handoff.edited(ticket, "group", message.chat_id, message.message_id, edited, content)
    elif ticket.urgent and s.flood.is_over(user.id):
        # A flood of messages (danger words let them through the gate): one
        # batched message in the topic, with a counter, not a copy each.
        window = s.settings.telegram.urgent_repeat_window_seconds
        s.handoff.batch_from_citizen(ticket, said or "…", window)
    else:
        s.handoff.from_citizen(ticket, message.chat_id, message.message_id, edited)
    s.store.conversations.log_message(key, ticket.lang, "relay", None)
    if said and sounds_urgent(said):
        await _urgent_while_open(context, user, message.chat_id, ticket, said)


async def _urgent_while_open(
    context: Context, user: User, chat_id: int, ticket: Ticket, said: str
) -> None:
    """Danger signals go on getting the emergency guidance, and make the ticket urgent."""
    s = services(context)
    lang = ticket.lang
    window = s.settings.telegram.urgent_repeat_window_seconds
    try:
        if s.flood.urgent_reply_due(user.id, window):  # not again moments after the last
            guidance = format_emergency(s.pipeline.kb.entries.get(EMERGENCY_ENTRY), lang)
            offer = keyboards.clear_offer_keyboard(lang)  # delete the chat from the phone
            await send(context.bot, chat_id, guidance, lang, offer)
    finally:  # the guidance first; a failed send must not cancel the escalation
        if not ticket.urgent:
            citizen.hand_off(s, user, chat_id, lang, HandoffReason.URGENT, said)


async def end_command(update: Update, context: Context) -> None:
    """/end: the citizen closes their ticket."""
    s = services(context)
    user = update.effective_user
    ticket = s.store.tickets.open_for(s.store.user_key(user.id))
    if ticket is None or not s.handoff.close(ticket, ClosedBy.CITIZEN, None):
        lang = s.user_lang(user)
        await send(context.bot, update.effective_chat.id, say("relay_no_ticket", lang), lang)


async def rating_pressed(update: Update, context: Context) -> None:
    """1-5 stars for a closed ticket, once, by its citizen."""
    s = services(context)
    query = update.callback_query
    _, ticket_id, rating = query.data.split(":")
    key = s.store.user_key(query.from_user.id)
    ticket = s.handoff.rate(int(ticket_id), key, int(rating))
    if ticket is None:
        await citizen.expired_button(update, context)
        return
    await acknowledge(query, say("feedback_thanks", ticket.lang))
    # The stars go; other buttons stay (after an urgent ticket, 🧹 delete this chat:
    # a user trial saw it vanish with the stars).
    markup = query.message.reply_markup if isinstance(query.message, Message) else None
    rows = [
        row
        for row in (markup.inline_keyboard if markup else ())
        if not all(str(button.callback_data or "").startswith("rate:") for button in row)
    ]
    with suppress(BadRequest):
        await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)


async def bot_blocked(update: Update, context: Context) -> None:
    """my_chat_member in a private chat, the bot now "kicked": the citizen blocked it."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    if change.new_chat_member.status != ChatMemberStatus.BANNED:
        return
    s = services(context)
    citizen_gone(s.store, s.handoff, user_key=s.store.user_key(change.chat.id))


def citizen_gone(
    store: Store, handoff: Handoff, ticket_id: int | None = None, user_key: str | None = None
) -> bool:
    """Close the citizen's open ticket as "citizen left" (a note in the topic, no more
    sends to their chat). By ticket id (the relay met 403) or user key (my_chat_member).
    An urgent ticket stays open with a note instead (Handoff.citizen_unreachable): the
    one who blocked the bot may hold the person's phone (a user trial: the urgent
    ticket closed as if the person had simply left).
    Returns True if a ticket was closed; a second call for the same ticket does nothing."""
    ticket = store.tickets.get(ticket_id) if ticket_id else None
    if ticket is None and user_key:
        ticket = store.tickets.open_for(user_key)
    if ticket is None or not ticket.is_open:
        return False
    if ticket.urgent:
        handoff.citizen_unreachable(ticket)
        return False
    return handoff.close(ticket, ClosedBy.CITIZEN_LEFT, None)


def edited_content(message: Message) -> dict | None:
    """What an edited message now says, as Bot API dicts for editing its copy:
    {"text", "entities"} or {"caption", "caption_entities"}; None for other content."""
    if message.text is not None:
        return {"text": message.text, "entities": [e.to_dict() for e in message.entities]}
    if message.caption is not None:
        entities = [e.to_dict() for e in message.caption_entities]
        return {"caption": message.caption, "caption_entities": entities}
    return None
