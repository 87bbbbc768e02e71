"""The test side that looks: what the bot called and sent, the chats' state and
transcripts, and waiting (threads or asyncio) until the bot has done something.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import time
from collections.abc import Callable
from typing import Any, TypeVar

from bot.testing.fake_bot_api.state import BotCall, World, commands_key

T = TypeVar("T")
# Predicates may also watch state outside the server (e.g. a handler's list), so re-check often.
_RECHECK_SECONDS = 0.02


class Inspection(World):
    """Reading the record (copies, never the live state) and waiting for it to change."""

    def sent(
        self,
        chat_id: int | str | None = None,
        method: str | None = None,
        *,
        token: str | None = None,
    ) -> list[BotCall]:
        """Recorded bot calls, oldest first; getUpdates only when asked for by name."""
        wanted = method.lower() if method else None
        with self._lock:
            calls = list(self._bot_state(token).calls)
        return [
            call
            for call in calls
            if (chat_id is None or call.chat_id == chat_id)
            and (call.method.lower() == wanted if wanted else call.method != "getUpdates")
        ]

    def calls_since(self, start: int, *, token: str | None = None) -> tuple[list[BotCall], int]:
        """Bot calls from position `start` of the record on (getUpdates included), and the
        position after them: a poller's way to see each call once without rescanning."""
        with self._lock:
            calls = self._bot_state(token).calls
            return list(calls[start:]), len(calls)

    def bot_messages(self, chat_id: int, *, token: str | None = None) -> list[dict[str, Any]]:
        """Messages the bot sent to chat_id (as they were when sent), oldest first."""
        with self._lock:
            sent = self._bot_state(token).sent_messages
            return [copy.deepcopy(m) for m in sent if m["chat"]["id"] == chat_id]

    def messages(self, chat_id: int, *, token: str | None = None) -> list[dict[str, Any]]:
        """Current state of every undeleted message in chat_id, by message_id."""
        with self._lock:
            stored = self._bot_state(token).messages
            found = [m for (chat, _), m in stored.items() if chat == chat_id]
            return copy.deepcopy(sorted(found, key=lambda m: m["message_id"]))

    def message(
        self, chat_id: int, message_id: int, *, token: str | None = None
    ) -> dict[str, Any] | None:
        """The current state of one message; None once deleted or never sent."""
        with self._lock:
            found = self._bot_state(token).messages.get((chat_id, message_id))
            return copy.deepcopy(found)

    def topics(self, chat_id: int, *, token: str | None = None) -> dict[int, dict[str, Any]]:
        """The forum topics of chat_id by message_thread_id: name, icon_color, closed."""
        with self._lock:
            chat = self._bot_state(token).chats.get(chat_id)
            return copy.deepcopy(chat.topics) if chat else {}

    def pending_updates(self, *, token: str | None = None) -> int:
        """How many updates wait for the bot to confirm them (getUpdates with an offset)."""
        with self._lock:
            return len(self._bot_state(token).updates)

    def polls_waiting(self, *, token: str | None = None) -> int:
        """How many getUpdates requests are parked in long polling right now."""
        with self._lock:
            return self._bot_state(token).polls_waiting

    def commands(
        self,
        *,
        scope: dict[str, Any] | None = None,
        language_code: str = "",
        token: str | None = None,
    ) -> list[dict[str, Any]]:
        """The bot's command list for this scope and language, as setMyCommands set it."""
        with self._lock:
            stored = self._bot_state(token).commands
            return copy.deepcopy(stored.get(commands_key(scope, language_code), []))

    def webhook(self, *, token: str | None = None) -> dict[str, Any] | None:
        """The webhook setWebhook set (url, secret_token, ...); None without one."""
        with self._lock:
            return copy.deepcopy(self._bot_state(token).webhook)

    def transcript(self, chat_id: int, *, token: str | None = None) -> str:
        """The conversation in chat_id as readable lines; buttons shown as [label]."""
        with self._lock:
            lines = [line for chat, line in self._bot_state(token).transcript if chat == chat_id]
        return "\n".join(lines)

    # -- test side: waiting ----------------------------------------------------------------------

    def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:
        """Blocks until predicate() is truthy and returns it; TimeoutError otherwise.

        For tests whose bot runs in another thread or process. Inside an event loop use
        async_wait_for, or the bot on that loop could never answer.
        """
        _refuse_inside_event_loop()
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"condition not met within {timeout}s")
                self._changed.wait(min(remaining, _RECHECK_SECONDS))

    async def async_wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:
        """Like wait_for, for asyncio tests: awaits without blocking the caller's loop."""
        loop = asyncio.get_running_loop()
        waiter = (loop, asyncio.Event())
        with self._lock:
            self._async_waiters.append(waiter)
        try:
            return await self._await_predicate(predicate, waiter[1], loop.time() + timeout)
        finally:
            with self._lock:
                self._async_waiters.remove(waiter)

    async def _await_predicate(
        self, predicate: Callable[[], T], changed: asyncio.Event, deadline: float
    ) -> T:
        loop = asyncio.get_running_loop()
        while True:
            changed.clear()
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError("condition not met in time")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), min(remaining, _RECHECK_SECONDS))

    def wait_for_messages(
        self, chat_id: int, count: int = 1, timeout: float = 5.0, *, token: str | None = None
    ) -> list[dict[str, Any]]:
        """Blocks until the bot has sent `count` messages in total to chat_id; returns all."""
        return self.wait_for(self._messages_reached(chat_id, count, token), timeout)

    async def async_wait_for_messages(
        self, chat_id: int, count: int = 1, timeout: float = 5.0, *, token: str | None = None
    ) -> list[dict[str, Any]]:
        """Like wait_for_messages, for asyncio tests."""
        return await self.async_wait_for(self._messages_reached(chat_id, count, token), timeout)

    def _messages_reached(
        self, chat_id: int, count: int, token: str | None
    ) -> Callable[[], list[dict[str, Any]] | None]:
        def reached() -> list[dict[str, Any]] | None:
            found = self.bot_messages(chat_id, token=token)
            return found if len(found) >= count else None

        return reached


def _refuse_inside_event_loop() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(
        "wait_for blocks the thread; inside an event loop use `await api.async_wait_for(...)`"
    )
