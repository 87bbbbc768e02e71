"""A user's side of a private chat with the bot under test, on the fake Bot API."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.store import Store
from bot.telegram.context import services_of
from bot.testing.fake_bot_api import FakeBotApi
from bot.texts import say
from knowledge_base.validation import begins_with_emergency_guidance

WAIT = 30.0  # generous: the pipeline shares two CPUs with everything else in CI


class Talk:
    """One user's side of a private chat with the bot."""

    def __init__(self, api: FakeBotApi, user_id: int, language_code: str = "ka"):
        self.api = api
        self.user = user_id
        self.language_code = language_code

    def received(self) -> list[dict[str, Any]]:
        return self.api.bot_messages(self.user)

    async def wait(self, count: int, before: int) -> list[dict[str, Any]]:
        """The `count` messages after the first `before`, once they have arrived."""
        found = await self.api.async_wait_for_messages(self.user, before + count, WAIT)
        return found[before:]

    async def send(self, text: str = "", expect: int = 1, kind: str = "text") -> list[dict]:
        before = len(self.received())
        self.api.user_sends(self.user, text, kind=kind, language_code=self.language_code)
        return await self.wait(expect, before) if expect else []

    async def edit(self, message: dict, text: str, expect: int = 1) -> list[dict]:
        before = len(self.received())
        self.api.user_edits(self.user, message, text)
        return await self.wait(expect, before) if expect else []

    async def press(self, message: dict, data: str, expect: int = 1) -> list[dict]:
        before = len(self.received())
        self.api.user_presses(self.user, message, data)
        return await self.wait(expect, before) if expect else []

    async def press_for_edit(self, message: dict, data: str) -> dict:
        """Press a button that changes its own message; returns the message as it is now."""
        edits = len(self.api.sent(self.user, "editMessageText"))
        self.api.user_presses(self.user, message, data)
        await self.api.async_wait_for(
            lambda: len(self.api.sent(self.user, "editMessageText")) > edits, WAIT
        )
        return self.api.message(self.user, message["message_id"])

    async def press_for_notice(self, message: dict, data: str) -> str:
        """Press a button answered only with a notice; returns the notice text."""
        answers = len(self.api.sent(self.user, "answerCallbackQuery"))
        self.api.user_presses(self.user, message, data)
        calls = await self.api.async_wait_for(
            lambda: self.api.sent(self.user, "answerCallbackQuery")[answers:], WAIT
        )
        return str(calls[0].params.get("text", ""))

    async def choose_language(self, lang: str) -> dict:
        # The fake server resets a user's language_code to "ka" on every button press,
        # so tests that press buttons choose their language explicitly first.
        [welcome] = await self.send("/start")
        [chosen] = await self.press(welcome, f"lang:{lang}")
        return chosen

    def failed_calls(self) -> list:
        return [call for call in self.api.sent(self.user) if not call.ok]


def buttons(message: dict) -> dict[str, str]:
    """Button label -> callback data."""
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return {b["text"]: b.get("callback_data", "") for row in rows for b in row}


def data_starting(message: dict, prefix: str) -> list[str]:
    return [d for d in buttons(message).values() if d.startswith(prefix)]


def store_of(app: Application) -> Store:
    """The bot's database, as the running Application holds it."""
    return services_of(app).store


def rows(app: Application, table: str) -> list[dict]:
    """Every row of one of the bot's tables."""
    with store_of(app).database.reading() as db:
        return list(db[table].rows)


def assert_emergency_first(text: str, lang: str) -> None:
    """An urgent reply: the emergency number first, said once (the entry's own
    first paragraph, not the fixed `urgent_intro` before it as well)."""
    assert begins_with_emergency_guidance(text), text
    assert say("urgent_intro", lang) not in text, text
