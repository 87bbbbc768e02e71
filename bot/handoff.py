"""Passing a conversation to a human counsellor.

Every request is recorded (the `handoffs` table, for statistics); the caller
has already told the user. With a counsellors' group configured
(settings.counsellors.chat_id) it also opens or re-uses the citizen's ticket
(bot/counsellors.py): a forum topic with a summary card, an alert for urgent
ones, and a note to the citizen with their place in the queue and, outside
office hours, when someone will be back. Every caller (text, buttons, urgent
replies, unanswered questions) goes through `request_handoff`.
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
    """Record the request and hand it to the counsellors; returns the handoff's id.

    The relay's own worker does the sending (it owns a Bot for retries and
    restarts), so `bot` is not used here.
    """
    handoff_id = storage.add_handoff(request.user_key, request.lang, request.reason)
    log.info("handoff %d recorded (%s, %s)", handoff_id, request.reason, request.lang)
    if not settings.counsellors.chat_id:
        log.warning("handoff %d: no counsellors' group configured", handoff_id)
        return handoff_id
    from bot.counsellors import open_ticket  # counsellors imports the handlers, which import us

    opened = open_ticket(storage, settings, request)
    log.info(
        "handoff %d -> ticket %d (%s)",
        handoff_id,
        opened.ticket.id,
        "new" if opened.created else "upgraded" if opened.upgraded else "re-used",
    )
    return handoff_id
