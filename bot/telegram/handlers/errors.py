"""The error handler: log the failure's type, apologise to the citizen."""

from __future__ import annotations

import logging
from contextlib import suppress

from telegram import Update
from telegram.error import TelegramError

from bot.telegram.context import Context, services
from bot.texts import say

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Log the failure (the token is redacted by the logging filter) and apologise."""
    error = context.error
    log.error("handler failed: %s", type(error).__name__, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    lang = "ka"
    with suppress(Exception):
        lang = services(context).user_lang(update.effective_user)
    if update.callback_query:
        with suppress(TelegramError):  # fails if the handler had answered it already
            await update.callback_query.answer(say("error", lang))
            return
    with suppress(TelegramError):
        await context.bot.send_message(update.effective_chat.id, say("error", lang))
