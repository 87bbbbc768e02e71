"""The Application's bot, which remembers the ids of what it sends into private chats.

/clear deletes a citizen's chat from their phone (bot.telegram.handlers.clear),
so it must know the ids of the bot's messages there, whoever sent them: the
handlers (bot.telegram.sending), the relay (notices, counsellors' messages
copied to the citizen), error replies. RecordingBot tells `on_sent` of each
one, in one place; the citizen's own messages are recorded by a handler
(clear.remember_incoming). Only ids and times are kept (bot.store.chat_messages).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from telegram import Message, MessageId
from telegram.constants import ChatType
from telegram.ext import ExtBot

log = logging.getLogger(__name__)

# on_sent(chat_id, message_id, sent_at): a private chat's id (the user's), the new
# message's id, and when it was sent (Unix seconds; Telegram's `date` where known).
OnSent = Callable[[int, int, float], None]


class RecordingBot(ExtBot):
    """ExtBot that calls `on_sent` (record_with) after each sendMessage or copyMessage into a
    private chat.

    A failure to record is logged (its type only) and never fails the send.
    """

    __slots__ = ("_on_sent",)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._on_sent: OnSent | None = None  # PTB bots are frozen; "_" names may change

    def record_with(self, on_sent: OnSent | None) -> None:
        """From now on, tell `on_sent` of each message sent into a private chat."""
        self._on_sent = on_sent

    async def send_message(self, *args: Any, **kwargs: Any) -> Message:
        message = await super().send_message(*args, **kwargs)
        if message.chat.type == ChatType.PRIVATE:
            self._tell(message.chat.id, message.message_id, message.date.timestamp())
        return message

    async def copy_message(self, *args: Any, **kwargs: Any) -> MessageId:
        copied = await super().copy_message(*args, **kwargs)
        chat_id = kwargs.get("chat_id", args[0] if args else None)
        if isinstance(chat_id, int) and chat_id > 0:  # private chats: the user's id, > 0
            self._tell(chat_id, copied.message_id, time.time())
        return copied

    def _tell(self, chat_id: int, message_id: int, sent_at: float) -> None:
        if self._on_sent is None:
            return
        try:
            self._on_sent(chat_id, message_id, sent_at)
        except Exception as error:  # a record lost must not lose the message
            log.warning("could not record a sent message's id (%s)", type(error).__name__)
