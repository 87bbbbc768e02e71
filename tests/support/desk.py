"""The counsellors' side of the tests: the desk's settings, the forum group as its
members see it on the fake Bot API, and the bot's handoff tables."""

from __future__ import annotations

import dataclasses
from typing import Any

from telegram.ext import Application

from bot.config import CounsellorSettings, OfficeHours, Settings
from bot.testing.fake_bot_api import DEFAULT_GROUP_ID, FakeBotApi
from bot.texts import say
from tests.support.talk import WAIT, Talk, buttons, rows

COUNSELLOR_LANG = CounsellorSettings().language
GROUP = DEFAULT_GROUP_ID
NINO, GIORGI = 7101, 7102  # counsellors
ON_DUTY = (7101, 7103)
ALWAYS_OPEN = OfficeHours(days=(1, 2, 3, 4, 5, 6, 7), start="00:00", end="24:00")


def desk_settings(base: Settings, hours: OfficeHours = ALWAYS_OPEN) -> Settings:
    counsellors = CounsellorSettings(chat_id=GROUP, on_duty_ids=ON_DUTY, office_hours=hours)
    return dataclasses.replace(base, counsellors=counsellors)


class Group:
    """The counsellors' side of the forum group."""

    def __init__(self, api: FakeBotApi):
        self.api = api

    async def topic(self, ticket_id: int) -> int:
        def found() -> int | None:
            for thread, topic in self.api.topics(GROUP).items():
                if f"#{ticket_id} " in topic["name"]:
                    return thread
            return None

        return await self.api.async_wait_for(found, WAIT)

    def in_topic(self, thread: int) -> list[dict[str, Any]]:
        return [m for m in self.api.bot_messages(GROUP) if m.get("message_thread_id") == thread]

    def in_general(self) -> list[dict[str, Any]]:
        return [m for m in self.api.bot_messages(GROUP) if "message_thread_id" not in m]

    async def card(self, thread: int) -> dict[str, Any]:
        def card() -> dict | None:
            return next((m for m in self.in_topic(thread) if buttons(m)), None)

        return await self.api.async_wait_for(card, WAIT)

    async def topic_has(self, thread: int, count: int) -> list[dict[str, Any]]:
        return await self.api.async_wait_for(
            lambda: len(self.in_topic(thread)) >= count and self.in_topic(thread), WAIT
        )

    def says(self, thread: int | None, text: str, counsellor: int = NINO) -> dict:
        return self.api.group_member_sends(
            GROUP, counsellor, text, message_thread_id=thread, first_name=f"Counsellor{counsellor}"
        )

    def press(self, message: dict, data: str, counsellor: int = NINO) -> None:
        self.api.user_presses(counsellor, message, data)


def tickets(app: Application) -> list[dict]:
    return rows(app, "tickets")


def outbox(app: Application) -> list[dict]:
    return rows(app, "outbox")


def copies(api: FakeBotApi, chat_id: int, source_id: int) -> list:
    """Successful copyMessage calls into chat_id of one source message."""
    return [
        call
        for call in api.sent(chat_id, "copyMessage")
        if call.ok and call.params.get("message_id") == source_id
    ]


def cs(key: str) -> str:
    return say(key, COUNSELLOR_LANG)


async def open_ticket(citizen: Talk, group: Group, app: Application) -> tuple[dict, int]:
    """The citizen asks for a person: their one ticket and its forum topic."""
    await citizen.send("counsellor", expect=2)
    [ticket] = tickets(app)
    return ticket, await group.topic(ticket["id"])


async def settled(api: FakeBotApi, app: Application) -> None:
    """Every outbox row delivered (or failed)."""
    await api.async_wait_for(
        lambda: all(r["status"] in ("sent", "failed") for r in outbox(app)), WAIT
    )
