"""Passing a conversation to a human counsellor.

For now a request is only recorded (the `handoffs` table); the user is told
by the caller. The counsellor relay (forwarding to settings.counsellors.chat_id,
office hours, replies back) belongs here: extend `request_handoff`, keep its
signature, and every caller (text, buttons, urgent replies) gets it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Bot

from bot.config import Settings
from bot.storage import Storage

log = logging.getLogger(__name__)

REASONS = ("asked", "button", "urgent", "unanswered")


@dataclass(frozen=True)
class HandoffRequest:
    user_key: str  # pseudonymous; the chat id is in storage.users
    chat_id: int
    lang: str
    reason: str  # one of REASONS
    text: str | None = None  # the message that led here, if any


async def request_handoff(
    bot: Bot, storage: Storage, settings: Settings, request: HandoffRequest
) -> int:
    """Record the request; returns its id. `bot` and `settings` are for the relay."""
    handoff_id = storage.add_handoff(request.user_key, request.lang, request.reason)
    log.info("handoff %d recorded (%s, %s)", handoff_id, request.reason, request.lang)
    return handoff_id
