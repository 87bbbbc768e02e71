"""The gate before every other handler: the per-user rate limit."""

from __future__ import annotations

import logging
from contextlib import suppress

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.telegram.context import Context, services
from bot.telegram.flood import Verdict
from bot.telegram.sending import send
from bot.texts import say
from nlu.danger import sounds_urgent

log = logging.getLogger(__name__)


async def flood_gate(update: Update, context: Context) -> None:
    """Drop updates over the user's limit (telling them once), never a message in danger.

    Raises:
        ApplicationHandlerStop: the update goes no further.
    """
    user = update.effective_user
    if user is None:
        return
    s = services(context)
    chat = update.effective_chat
    if chat is not None and chat.id == s.settings.counsellors.chat_id:
        return  # counsellors in their own group are trusted, and may write fast
    verdict = s.flood.check(user.id)
    if verdict == Verdict.OK:
        return
    message = update.effective_message
    said = (message.text or message.caption) if message else None
    if said and sounds_urgent(said):
        # Never silence someone who may be in danger, but one person cannot
        # flood the desk: with an open ticket the repeats are batched there
        # (handlers.ticket); without one, the first escalates and the others
        # within telegram.urgent_repeat_window_seconds are dropped.
        if s.store.tickets.open_for(s.store.user_key(user.id)) is not None:
            return
        if s.flood.urgent_reply_due(user.id, s.settings.telegram.urgent_repeat_window_seconds):
            return
    lang = s.user_lang(user)
    notice = say("slow_down", lang).format(seconds=s.flood.seconds_until_free(user.id))
    if update.callback_query:
        with suppress(TelegramError):
            await update.callback_query.answer(notice)
    elif verdict == Verdict.NOTIFY and update.effective_chat:
        await send(context.bot, update.effective_chat.id, notice, lang)
    log.info("rate limit: %s update dropped", verdict)
    raise ApplicationHandlerStop
