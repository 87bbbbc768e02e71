"""What the fake Bot API remembers: bots, chats, messages, topics, files, faults, calls.

Every bot token has its own world (`BotState`): its chats (a private chat per user, forum
supergroups with their topics), messages, update queue, webhook, commands, stored files and
the record of its calls. `World` is the base of FakeBotApi that holds them all.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.testing.fake_bot_api.params import Upload
from bot.testing.fake_bot_api.transcript import button_labels

if TYPE_CHECKING:
    from aiohttp import web

    from bot.testing.fake_bot_api.params import Params

DEFAULT_TOKEN = "123456789:TEST-fake-token"
DEFAULT_BOT_USERNAME = "migbot_test_bot"
DEFAULT_GROUP_ID = -1001000000001
DEFAULT_GROUP_TITLE = "Migbot counsellors"
TOKEN_PATTERN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class BotCall:
    """One Bot API request the bot made, with its outcome."""

    method: str
    params: dict[str, Any]
    chat_id: int | str | None
    ok: bool
    result: Any
    error_code: int | None
    description: str | None
    at: float  # time.monotonic() when the answer was ready

    @property
    def text(self) -> str | None:
        """The text or caption the call sent; None for neither."""
        value = self.params.get("text", self.params.get("caption"))
        return None if value is None else str(value)

    @property
    def buttons(self) -> list[str]:
        """The labels of the call's reply_markup buttons, row by row."""
        return button_labels(self.params.get("reply_markup"))


@dataclass
class Chat:
    """A private chat (its id is the user's) or a supergroup; topics by message_thread_id."""

    id: int
    type: str
    title: str | None = None
    first_name: str | None = None
    username: str | None = None
    is_forum: bool = False
    topics: dict[int, dict[str, Any]] = field(default_factory=dict)
    members: set[int] = field(default_factory=set)
    next_message_id: int = 1
    # The bot's membership in a group: "administrator", "member", "left" or "kicked";
    # whether it may manage topics; the supergroup a migrated group became.
    bot_status: str = "administrator"
    bot_can_manage_topics: bool = True
    migrated_to: int | None = None

    def public(self) -> dict[str, Any]:
        """The chat as a Telegram Chat object in a message."""
        fields = {
            "id": self.id,
            "type": self.type,
            "title": self.title,
            "first_name": self.first_name,
            "username": self.username,
            "is_forum": self.is_forum or None,
        }
        return {key: value for key, value in fields.items() if value is not None}


@dataclass
class StoredFile:
    """A file the bot or a user sent, served again at /file/bot<token>/<file_path>."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    file_name: str
    mime_type: str

    def describe(self) -> dict[str, Any]:
        """file_id, file_unique_id and file_size (bytes), as in Telegram's file objects."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }


@dataclass
class Fault:
    """An injected failure (status) or slowness (delay, seconds) of a method's calls."""

    method: str  # lower-case method name, or "*"
    status: int | None
    description: str | None
    retry_after: int | None
    delay: float
    remaining: int | None  # None: until clear_faults()
    chat_id: int | None = None  # only calls for this chat (None: any)


@dataclass
class BotState:
    """Everything one bot token sees: its chats, messages, updates and recorded calls."""

    token: str
    user: dict[str, Any]
    chats: dict[int, Chat] = field(default_factory=dict)
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    next_update_id: int = 700_000_001
    allowed_updates: list[str] = field(default_factory=list)
    webhook: dict[str, Any] | None = None
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    callback_queries: dict[str, dict[str, Any]] = field(default_factory=dict)
    next_callback_id: int = 4_000_000_001
    files: dict[str, StoredFile] = field(default_factory=dict)
    calls: list[BotCall] = field(default_factory=list)
    sent_messages: list[dict[str, Any]] = field(default_factory=list)
    transcript: list[tuple[int, str]] = field(default_factory=list)
    blocked_by: set[int] = field(default_factory=set)
    # The bot's ChatMember in a group, as getChatMember returns it; a group not named here
    # has the bot as an administrator with every right (Scenario.set_bot_member).
    bot_members: dict[int, dict[str, Any]] = field(default_factory=dict)
    poll_generation: int = 0
    polls_waiting: int = 0
    wakeup: asyncio.Event | None = None  # lives on the server loop only


def now() -> int:
    """Telegram's dates: Unix time in whole seconds."""
    return int(time.time())


def commands_key(scope: Any, language_code: str) -> str:
    """Where setMyCommands keeps a list: its scope (default: "default") and language."""
    scope = scope if isinstance(scope, dict) else {"type": "default"}
    return json.dumps([scope, language_code], sort_keys=True)


class World:
    """The state that FakeBotApi's parts share, and the helpers that change it.

    FakeBotApi.__init__ sets the attributes below. Its parts (Server, Scenario, Inspection
    and the Bot API methods) are mixins over this class. State changes under `_lock`, from
    the server's thread (Bot API calls) or the test's (the scenario methods).
    """

    default_token: str
    _default_bot_names: tuple[str, str]  # (username, first_name) of the default token's bot
    _host: str
    _requested_port: int  # 0: any free port
    _port: int | None  # the bound port while running
    _lock: threading.RLock
    _changed: threading.Condition  # on _lock; notified on every recorded call or new update
    _async_waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]]
    _bots: dict[str, BotState]  # by token
    _users: dict[int, dict[str, Any]]  # by user id, as Telegram's User objects
    _faults: list[Fault]
    _revoked_tokens: set[str]
    _next_file_number: int
    _loop: asyncio.AbstractEventLoop | None  # the server's loop, in its own thread
    _thread: threading.Thread | None
    _runner: web.AppRunner | None
    _closing: bool
    _methods: dict[str, Callable[[BotState, Params], Any]]  # by Bot API method name
    _canonical_names: dict[str, str]  # lower-case method name -> its Bot API spelling

    def _bot_state(self, token: str | None) -> BotState:
        token = token or self.default_token
        with self._lock:
            if token not in self._bots:
                self._bots[token] = self._new_bot_state(token)
            return self._bots[token]

    def _new_bot_state(self, token: str) -> BotState:
        bot_id = int(token.split(":", 1)[0])
        if token == self.default_token:
            username, first_name = self._default_bot_names
        else:
            username, first_name = f"fake{bot_id}_bot", f"Fake bot {bot_id}"
        user = {"id": bot_id, "is_bot": True, "first_name": first_name, "username": username}
        state = BotState(token=token, user=user)
        state.chats[DEFAULT_GROUP_ID] = Chat(
            DEFAULT_GROUP_ID, "supergroup", title=DEFAULT_GROUP_TITLE, is_forum=True
        )
        return state

    def _new_message(
        self,
        bot: BotState,
        chat: Chat,
        sender: dict[str, Any],
        content: dict[str, Any],
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": dict(sender),
            "date": now(),
            "chat": chat.public(),
        }
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        message.update(copy.deepcopy(content))
        bot.messages[(chat.id, message_id)] = message
        return message

    def _enqueue(self, bot: BotState, update_type: str, payload: dict[str, Any]) -> None:
        bot.updates.append({"update_id": bot.next_update_id, update_type: copy.deepcopy(payload)})
        bot.next_update_id += 1
        self._wake_pollers(bot)
        self._notify_change()

    def _wake_pollers(self, bot: BotState) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._set_wakeup, bot)

    @staticmethod
    def _set_wakeup(bot: BotState) -> None:
        if bot.wakeup is not None:
            bot.wakeup.set()

    def _store_file(self, bot: BotState, upload: Upload, kind: str) -> StoredFile:
        number = self._next_file_number
        self._next_file_number += 1
        extension = upload.filename.rsplit(".", 1)[-1] if "." in upload.filename else "bin"
        stored = StoredFile(
            file_id=f"fake-{kind}-{number:06d}-{bot.user['id']}",
            file_unique_id=f"u{number:06d}",
            file_path=f"{kind}s/file_{number}.{extension}",
            data=upload.data,
            file_name=upload.filename,
            mime_type=upload.content_type or "application/octet-stream",
        )
        bot.files[stored.file_id] = stored
        return stored

    @staticmethod
    def _media_payload(kind: str, stored: StoredFile, **extra: Any) -> Any:
        base = stored.describe()
        if kind == "photo":
            return [{**base, "width": 320, "height": 240}, {**base, "width": 1280, "height": 960}]
        if kind == "document":
            return {**base, "file_name": stored.file_name, "mime_type": stored.mime_type}
        if kind == "voice":
            return {**base, "duration": extra.get("duration") or 1, "mime_type": "audio/ogg"}
        return {
            **base,
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
            "emoji": extra.get("emoji") or "🙂",
        }

    def _notify_change(self) -> None:
        with self._changed:
            self._changed.notify_all()
            waiters = list(self._async_waiters)
        for loop, event in waiters:
            with contextlib.suppress(RuntimeError):  # the waiter's loop may have closed
                loop.call_soon_threadsafe(event.set)
