"""Handing chats to human counsellors: the desk (tickets, notices, cards), no Telegram.

The Telegram side (handlers, the relay worker) is in bot.telegram; the
tables are in bot.store.
"""

from bot.handoff.service import Counsellor, Handoff, HandoffRequest

__all__ = ["Counsellor", "Handoff", "HandoffRequest"]
