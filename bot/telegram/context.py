"""What every handler needs, kept in `application.bot_data["services"]`."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from telegram import User
from telegram.ext import Application, ContextTypes

from bot.answering import Pipeline
from bot.answering.runner import PipelineRunner
from bot.config import Settings
from bot.handoff import Handoff
from bot.store import Store
from bot.telegram.flood import FloodGuard
from knowledge_base.search import KnowledgeBase

Context = ContextTypes.DEFAULT_TYPE


@dataclass
class Services:
    settings: Settings
    pipeline: Pipeline
    store: Store
    handoff: Handoff
    flood: FloodGuard
    runner: PipelineRunner
    # The index, as the composition root builds (validate + embed) or opens it.
    build_index: Callable[[], KnowledgeBase]
    open_index: Callable[[], KnowledgeBase]
    # One lock per user keeps a user's answers in the order of their messages
    # while different users are served concurrently.
    user_locks: weakref.WeakValueDictionary[int, asyncio.Lock] = field(
        default_factory=weakref.WeakValueDictionary
    )

    def lock_for(self, user_id: int) -> asyncio.Lock:
        lock = self.user_locks.get(user_id)
        if lock is None:
            lock = asyncio.Lock()
            self.user_locks[user_id] = lock
        return lock

    def known_lang(self, user: User) -> str | None:
        """The language of the user's latest choice or question; None if they have
        neither chosen nor written yet."""
        record = self.store.conversations.user(self.store.user_key(user.id))
        return (record.last_lang or record.lang or None) if record else None

    def user_lang(self, user: User) -> str:
        """The user's known language (`known_lang`), else English for a Telegram app
        set to English, else Georgian."""
        known = self.known_lang(user)
        if known:
            return known
        return "en" if (user.language_code or "").startswith("en") else "ka"


def services(context: Context) -> Services:
    return context.bot_data["services"]


def services_of(application: Application) -> Services:
    return application.bot_data["services"]
