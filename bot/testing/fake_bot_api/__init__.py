"""A fake Telegram Bot API server on loopback, for tests and benchmarks.

The real python-telegram-bot client talks to it over HTTP, so tests exercise the same wire
format as production: form, multipart or JSON request bodies, ``{"ok": true, "result": ...}``
answers and ``{"ok": false, "error_code": ..., "description": ...}`` errors.

Usage from a test::

    with FakeBotApi() as api:
        app = api.application_builder().build()   # or .base_url(f"{api.url}/bot") ...
        ...
        api.user_sends(1001, "rogor vimushao polonetshi")
        replies = api.wait_for_messages(1001, 1)        # sync tests
        replies = await api.async_wait_for_messages(1001, 1)  # asyncio tests
        print(api.transcript(1001))

Standalone, for manual checks: ``python -m bot.testing.fake_bot_api --port 8081 [--chat-as 1001]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import json
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, TypeVar

from aiohttp import web

if TYPE_CHECKING:
    from telegram.ext import ApplicationBuilder

T = TypeVar("T")
Handler = Callable[["_BotState", "_Params"], Any]

DEFAULT_TOKEN = "123456789:TEST-fake-token"
DEFAULT_BOT_USERNAME = "migbot_test_bot"
DEFAULT_GROUP_ID = -1001000000001
DEFAULT_GROUP_TITLE = "Migbot counsellors"
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
TBILISI = (41.7151, 44.8271)
FORUM_ICON_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)
CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}
_TOKEN_PATTERN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
_COMMAND_PATTERN = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")
_BOT_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_CONFLICT_OTHER_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
# Form bodies carry every value as a string; these keys are decoded to what Telegram expects.
_JSON_KEYS = {
    "reply_markup",
    "reply_parameters",
    "allowed_updates",
    "commands",
    "scope",
    "entities",
    "caption_entities",
    "link_preview_options",
}
_INT_KEYS = {
    "chat_id",
    "from_chat_id",
    "message_id",
    "message_thread_id",
    "user_id",
    "offset",
    "limit",
    "reply_to_message_id",
    "icon_color",
    "duration",
    "max_connections",
    "cache_time",
}
_FLOAT_KEYS = {"timeout", "latitude", "longitude"}
_BOOL_KEYS = {
    "show_alert",
    "drop_pending_updates",
    "disable_notification",
    "protect_content",
    "allow_sending_without_reply",
}
# Predicates may also watch state outside the server (e.g. a handler's list), so re-check often.
_RECHECK_SECONDS = 0.02
_UPDATE_TYPES_BY_DEFAULT_OFF = {"chat_member", "message_reaction", "message_reaction_count"}
_MESSAGE_CONTENT_KEYS = (
    "text",
    "entities",
    "photo",
    "document",
    "voice",
    "sticker",
    "location",
    "caption",
    "caption_entities",
)


# ---------------------------------------------------------------------------------------------
# Errors


class ApiError(Exception):
    """A Bot API failure, sent to the client as Telegram's error JSON."""

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


def _entities_error(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


def _default_error_description(status: int, retry_after: int) -> str:
    if status == 429:
        return f"Too Many Requests: retry after {retry_after}"
    if status == 400:
        return "Bad Request: injected failure"
    if status == 403:
        return "Forbidden: bot was blocked by the user"
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Error {status}"


# ---------------------------------------------------------------------------------------------
# Telegram-style HTML parsing

_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "tg-emoji": "custom_emoji",
}
_ATTR = r"[A-Za-z][A-Za-z0-9-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?"
_START_TAG = re.compile(rf"<([A-Za-z][A-Za-z0-9-]*)((?:\s+{_ATTR})*)\s*>")
_END_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>")
_ATTRIBUTE = re.compile(
    r"([A-Za-z][A-Za-z0-9-]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+)))?"
)
_CHAR_REFERENCE = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z]{2,6}));")
_PLAIN_RUN = re.compile(r"[^<&]+")
_NAMED_REFERENCES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def utf16_length(text: str) -> int:
    """Telegram measures entity offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _decode_reference(match: re.Match[str]) -> str | None:
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        return _NAMED_REFERENCES.get(name.lower())
    code_point = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if 0 < code_point <= 0x10FFFF and not 0xD800 <= code_point <= 0xDFFF:
        return chr(code_point)
    return None


def _decode_references(text: str) -> str:
    # Unknown references stay literal, as in Telegram's parser.
    return _CHAR_REFERENCE.sub(lambda m: _decode_reference(m) or m.group(0), text)


def _parse_attributes(source: str) -> dict[str, str]:
    attributes = {}
    for match in _ATTRIBUTE.finditer(source):
        value = next((v for v in match.groups()[1:] if v is not None), "")
        attributes[match.group(1).lower()] = _decode_references(value)
    return attributes


@dataclass
class _OpenTag:
    name: str
    attributes: dict[str, str]
    offset: int
    language: str | None = None


class _HtmlParser:
    """Validates parse_mode=HTML text the way Telegram does and derives message entities."""

    def __init__(self, source: str):
        self.source = source
        self.pieces: list[str] = []
        self.position = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    def parse(self) -> tuple[str, list[dict[str, Any]]]:
        index = 0
        while index < len(self.source):
            index = self._step(index)
        if self.stack:
            name = self.stack[-1].name
            raise _entities_error(f'Can\'t find end tag corresponding to start tag "{name}"')
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
        return "".join(self.pieces), self.entities

    def _step(self, index: int) -> int:
        if self.source.startswith("</", index):
            return self._end_tag(index)
        if self.source[index] == "<":
            return self._start_tag(index)
        if self.source[index] == "&":
            return self._char_reference(index)
        run = _PLAIN_RUN.match(self.source, index)
        assert run is not None
        self._emit(run.group(0))
        return run.end()

    def _emit(self, text: str) -> None:
        self.pieces.append(text)
        self.position += utf16_length(text)

    def _byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode())

    def _char_reference(self, index: int) -> int:
        match = _CHAR_REFERENCE.match(self.source, index)
        decoded = _decode_reference(match) if match else None
        if match is None or decoded is None:
            self._emit("&")
            return index + 1
        self._emit(decoded)
        return match.end()

    def _start_tag(self, index: int) -> int:
        match = _START_TAG.match(self.source, index)
        offset = self._byte_offset(index)
        if match is None:
            raise self._malformed_start_tag(index, offset)
        name = match.group(1).lower()
        if name not in _TAG_TYPES:
            raise _entities_error(f'Unsupported start tag "{name}" at byte offset {offset}')
        attributes = _parse_attributes(match.group(2))
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise _entities_error('Tag "span" must have class "tg-spoiler"')
        if name == "tg-emoji" and not attributes.get("emoji-id"):
            raise _entities_error('Tag "tg-emoji" must have attribute "emoji-id"')
        self.stack.append(_OpenTag(name, attributes, self.position))
        return match.end()

    def _malformed_start_tag(self, index: int, offset: int) -> ApiError:
        rest = self.source[index:]
        if ">" not in rest:
            return _entities_error(f"Unclosed start tag at byte offset {offset}")
        name_match = re.match(r"<([^\s>]*)", rest)
        name = name_match.group(1) if name_match else ""
        return _entities_error(f'Unsupported start tag "{name}" at byte offset {offset}')

    def _end_tag(self, index: int) -> int:
        match = _END_TAG.match(self.source, index)
        offset = self._byte_offset(index)
        if match is None:
            problem = "Unclosed" if ">" not in self.source[index:] else "Unsupported"
            raise _entities_error(f"{problem} end tag at byte offset {offset}")
        name = match.group(1).lower()
        if not self.stack:
            raise _entities_error(f"Unexpected end tag at byte offset {offset}")
        top = self.stack.pop()
        if top.name != name:
            raise _entities_error(
                f'Unmatched end tag at byte offset {offset}, expected "</{top.name}>", '
                f'found "</{name}>"'
            )
        self._close(top)
        return match.end()

    def _close(self, tag: _OpenTag) -> None:
        if tag.name == "code" and self.stack and self.stack[-1].name == "pre":
            css_class = tag.attributes.get("class", "")
            if css_class.startswith("language-"):
                self.stack[-1].language = css_class.removeprefix("language-")
                return
        length = self.position - tag.offset
        entity = self._entity_for(tag, length)
        if entity is not None and length > 0:
            self.entities.append(entity)

    @staticmethod
    def _entity_for(tag: _OpenTag, length: int) -> dict[str, Any] | None:
        entity: dict[str, Any] = {"type": _TAG_TYPES[tag.name], "offset": tag.offset}
        entity["length"] = length
        if tag.name == "a":
            if not tag.attributes.get("href"):
                return None
            entity["url"] = tag.attributes["href"]
        elif tag.name == "pre" and tag.language:
            entity["language"] = tag.language
        elif tag.name == "blockquote" and "expandable" in tag.attributes:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.attributes["emoji-id"]
        return entity


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities of Telegram HTML; raises ApiError(400) like Telegram."""
    return _HtmlParser(text).parse()


# ---------------------------------------------------------------------------------------------
# Request parameters


@dataclass(frozen=True)
class Upload:
    """A file that arrived as a multipart part."""

    filename: str
    content_type: str
    data: bytes


def _decode_value(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if key in _JSON_KEYS:
        with contextlib.suppress(ValueError):
            return json.loads(value)
    elif key in _INT_KEYS and re.fullmatch(r"-?\d+", value):
        return int(value)
    elif key in _FLOAT_KEYS:
        with contextlib.suppress(ValueError):
            return float(value)
    elif key in _BOOL_KEYS:
        return value.lower() in ("true", "1")
    return value


async def _read_request_params(request: web.Request) -> dict[str, Any]:
    raw: dict[str, Any] = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError as error:
                raise bad_request("can't parse JSON object") from error
            if isinstance(body, dict):
                raw.update(body)
        else:
            form = await request.post()
            for key, value in form.items():
                raw[key] = _upload_or_value(value)
    return {key: _decode_value(key, value) for key, value in raw.items()}


def _upload_or_value(value: Any) -> Any:
    if isinstance(value, web.FileField):
        return Upload(value.filename, value.content_type, value.file.read())
    return value


def _recordable(values: dict[str, Any]) -> dict[str, Any]:
    def simplify(value: Any) -> Any:
        if isinstance(value, Upload):
            return {"upload": value.filename, "size": len(value.data)}
        return value

    return {key: simplify(value) for key, value in values.items()}


class _Params:
    """Typed access to one request's decoded parameters."""

    def __init__(self, values: dict[str, Any]):
        self.values = values

    def get(self, name: str) -> Any:
        value = self.values.get(name)
        return None if value == "" else value

    def text(self, name: str) -> str | None:
        value = self.get(name)
        return None if value is None else str(value)

    def integer(self, name: str, *, required: str | None = None) -> int | None:
        return self._converted(name, int, required)

    def number(self, name: str, *, required: str | None = None) -> float | None:
        return self._converted(name, float, required)

    def _converted(self, name: str, kind: type, required: str | None) -> Any:
        value = self.get(name)
        if value is None:
            if required:
                raise bad_request(required)
            return None
        try:
            return kind(value)
        except (TypeError, ValueError) as error:
            raise bad_request(f"invalid {name} specified") from error

    def flag(self, name: str) -> bool:
        return self.get(name) is True

    def structured(self, name: str, kind: type, *, invalid: str) -> Any:
        value = self.get(name)
        if value is None or isinstance(value, kind):
            return value
        raise bad_request(invalid)


# ---------------------------------------------------------------------------------------------
# State


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
        value = self.params.get("text", self.params.get("caption"))
        return None if value is None else str(value)

    @property
    def buttons(self) -> list[str]:
        return _button_labels(self.params.get("reply_markup"))


@dataclass
class _Chat:
    id: int
    type: str
    title: str | None = None
    first_name: str | None = None
    username: str | None = None
    is_forum: bool = False
    topics: dict[int, dict[str, Any]] = field(default_factory=dict)
    members: set[int] = field(default_factory=set)
    next_message_id: int = 1

    def public(self) -> dict[str, Any]:
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
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    file_name: str
    mime_type: str

    def describe(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }


@dataclass
class _Fault:
    method: str  # lower-case method name, or "*"
    status: int | None
    description: str | None
    retry_after: int | None
    delay: float
    remaining: int | None  # None: until clear_faults()


@dataclass
class _BotState:
    """Everything one bot token sees: its chats, messages, updates and recorded calls."""

    token: str
    user: dict[str, Any]
    chats: dict[int, _Chat] = field(default_factory=dict)
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    next_update_id: int = 700_000_001
    allowed_updates: list[str] = field(default_factory=list)
    webhook: dict[str, Any] | None = None
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    callback_queries: dict[str, dict[str, Any]] = field(default_factory=dict)
    next_callback_id: int = 4_000_000_001
    files: dict[str, _StoredFile] = field(default_factory=dict)
    calls: list[BotCall] = field(default_factory=list)
    sent_messages: list[dict[str, Any]] = field(default_factory=list)
    transcript: list[tuple[int, str]] = field(default_factory=list)
    blocked_by: set[int] = field(default_factory=set)
    poll_generation: int = 0
    polls_waiting: int = 0
    wakeup: asyncio.Event | None = None  # lives on the server loop only


def _now() -> int:
    return int(time.time())


def _button_labels(markup: Any) -> list[str]:
    if not isinstance(markup, dict):
        return []
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    return [_button_text(button) for row in rows for button in row]


def _button_text(button: Any) -> str:
    return button if isinstance(button, str) else str(button.get("text", ""))


def _describe_content(message: dict[str, Any]) -> str:
    caption = f" {message['caption']}" if message.get("caption") else ""
    if "text" in message:
        return message["text"]
    if "photo" in message:
        return f"[photo]{caption}"
    if "document" in message:
        return f"[document {message['document'].get('file_name', '')}]{caption}"
    if "voice" in message:
        return f"[voice {message['voice'].get('duration', 0)}s]{caption}"
    if "sticker" in message:
        return f"[sticker {message['sticker'].get('emoji', '')}]"
    if "location" in message:
        location = message["location"]
        return f"[location {location['latitude']}, {location['longitude']}]"
    return "[message]"


def _keyboard_lines(markup: Any) -> list[str]:
    if not isinstance(markup, dict):
        return []
    if "inline_keyboard" in markup:
        rows, prefix = markup["inline_keyboard"], ""
    elif "keyboard" in markup:
        rows, prefix = markup["keyboard"], "keyboard: "
    else:
        return []
    return [prefix + " ".join(f"[{_button_text(b)}]" for b in row) for row in rows]


def _transcript_lines(speaker: str, message: dict[str, Any], markup: Any = None) -> str:
    thread = message.get("message_thread_id")
    head = f"{speaker}{f' (topic {thread})' if thread else ''}: "
    indent = " " * len(head)
    body = _describe_content(message).split("\n")
    lines = [head + body[0]] + [indent + line for line in body[1:]]
    lines += [indent + line for line in _keyboard_lines(markup)]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Server


class FakeBotApi:
    """A fake Bot API on 127.0.0.1 with a test-side API to play users and inject faults.

    Every bot token gets its own world (chats, messages, update queue); the test-side methods
    act on the default token unless given ``token=``. Each world starts with one forum
    supergroup, ``DEFAULT_GROUP_ID``, in which the bot is an administrator.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = DEFAULT_BOT_USERNAME,
        bot_first_name: str = "Migbot (test)",
        port: int = 0,
        host: str = "127.0.0.1",
    ):
        if not _TOKEN_PATTERN.match(token):
            raise ValueError(f"not a bot token: {token!r}")
        self.default_token = token
        self._default_bot_names = (bot_username, bot_first_name)
        self._host = host
        self._requested_port = port
        self._port: int | None = None
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._async_waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
        self._bots: dict[str, _BotState] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._faults: list[_Fault] = []
        self._revoked_tokens: set[str] = set()
        self._next_file_number = 1
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._closing = False
        self._methods = self._method_table()
        self._canonical_names = {name.lower(): name for name in self._methods}

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> FakeBotApi:
        if self._thread is not None:
            return self
        ready = threading.Event()
        failure: list[BaseException] = []
        self._loop = asyncio.new_event_loop()
        self._closing = False
        self._thread = threading.Thread(
            target=self._run_loop, args=(ready, failure), name="fake-bot-api", daemon=True
        )
        self._thread.start()
        if not ready.wait(10) or failure:
            self._thread = None
            raise RuntimeError("fake Bot API failed to start") from (
                failure[0] if failure else None
            )
        return self

    def stop(self) -> None:
        if self._thread is None or self._loop is None:
            return
        future = asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
        with contextlib.suppress(Exception):
            future.result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._thread = None
        self._port = None

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Root URL of the server: what TELEGRAM_API_URL would be."""
        if self._port is None:
            raise RuntimeError("FakeBotApi is not running; call start() first")
        return f"http://{self._host}:{self._port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    @property
    def group_id(self) -> int:
        return DEFAULT_GROUP_ID

    def application_builder(self, token: str | None = None) -> ApplicationBuilder:
        """A PTB ApplicationBuilder already pointed at this server."""
        from telegram.ext import Application

        return (
            Application.builder()
            .token(token or self.default_token)
            .base_url(self.base_url)
            .base_file_url(self.base_file_url)
        )

    def _run_loop(self, ready: threading.Event, failure: list[BaseException]) -> None:
        assert self._loop is not None
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve())
        except BaseException as error:
            failure.append(error)
            ready.set()
            self._loop.close()
            return
        ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _serve(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_post("/_fake/send", self._handle_control_send)
        app.router.add_post("/_fake/press", self._handle_control_press)
        app.router.add_get("/_fake/transcript", self._handle_control_transcript)
        app.router.add_route("*", "/{tail:.*}", self._handle_not_found)
        app.middlewares.append(_control_errors_as_json)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self._host, self._requested_port))
        site = web.SockSite(self._runner, listener)
        await site.start()
        self._port = listener.getsockname()[1]

    async def _shutdown(self) -> None:
        self._closing = True
        for bot in list(self._bots.values()):
            self._set_wakeup(bot)
        if self._runner is not None:
            await self._runner.cleanup()
        for bot in list(self._bots.values()):
            bot.wakeup = None  # bound to this loop; a restart makes a new one

    # -- test side: users ----------------------------------------------------------------------

    def user_sends(
        self,
        user_id: int,
        text: str = "",
        *,
        first_name: str | None = None,
        language_code: str = "ka",
        chat_id: int | None = None,
        message_thread_id: int | None = None,
        kind: str = "text",
        reply_to_message_id: int | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        """A user sends a message (private chat unless chat_id names a group); returns it."""
        with self._lock:
            bot = self._bot_state(token)
            user = self._remember_user(user_id, first_name, language_code)
            chat = self._chat_for_user(bot, user, chat_id)
            content = self._user_content(bot, kind, text)
            thread_id = self._user_thread(chat, message_thread_id)
            message = self._new_message(bot, chat, user, content, thread_id)
            if reply_to_message_id is not None:
                message["reply_to_message"] = self._reply_snapshot(
                    bot, chat.id, reply_to_message_id
                )
            bot.transcript.append((chat.id, _transcript_lines(user["first_name"], message)))
            self._enqueue(bot, "message", message)
            return copy.deepcopy(message)

    def group_member_sends(
        self,
        group_id: int,
        user_id: int,
        text: str,
        *,
        message_thread_id: int | None = None,
        first_name: str | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        """A member of a group (e.g. a counsellor) writes there, optionally inside a topic."""
        return self.user_sends(
            user_id,
            text,
            first_name=first_name,
            chat_id=group_id,
            message_thread_id=message_thread_id,
            token=token,
        )

    def user_edits(
        self, user_id: int, message: dict[str, Any] | int, text: str, *, token: str | None = None
    ) -> dict[str, Any]:
        """A user edits one of their text messages; the bot gets an edited_message update."""
        with self._lock:
            bot = self._bot_state(token)
            stored = self._stored_message(bot, message, default_chat=user_id)
            if stored.get("from", {}).get("id") != user_id or "text" not in stored:
                raise ValueError("users can only edit their own text messages")
            stored["text"] = text
            stored.pop("entities", None)
            stored.update(self._command_entities(text))
            stored["edit_date"] = _now()
            name = self._users[user_id]["first_name"]
            line = _transcript_lines(f"{name} (edited #{stored['message_id']})", stored)
            bot.transcript.append((stored["chat"]["id"], line))
            self._enqueue(bot, "edited_message", stored)
            return copy.deepcopy(stored)

    def user_presses(
        self,
        user_id: int,
        message: dict[str, Any] | int,
        callback_data: str,
        *,
        token: str | None = None,
    ) -> dict[str, Any]:
        """A user presses the inline button carrying callback_data; returns the callback_query."""
        with self._lock:
            bot = self._bot_state(token)
            stored = self._stored_message(bot, message, default_chat=user_id)
            label = self._button_with_data(stored, callback_data)
            user = self._remember_user(user_id, None, "ka")
            query_id = str(bot.next_callback_id)
            bot.next_callback_id += 1
            chat_id = stored["chat"]["id"]
            query = {
                "id": query_id,
                "from": user,
                "message": copy.deepcopy(stored),
                "chat_instance": f"{abs(chat_id)}{bot.user['id']}",
                "data": callback_data,
            }
            bot.callback_queries[query_id] = {"answered": False, "chat_id": chat_id}
            bot.transcript.append((chat_id, f"{user['first_name']} pressed [{label}]"))
            self._enqueue(bot, "callback_query", query)
            return copy.deepcopy(query)

    def user_blocks_bot(self, user_id: int, *, token: str | None = None) -> None:
        """Later sends to this user fail with 403 like a blocked bot."""
        with self._lock:
            self._bot_state(token).blocked_by.add(user_id)

    def create_group(
        self,
        title: str,
        *,
        is_forum: bool = True,
        username: str | None = None,
        token: str | None = None,
    ) -> int:
        """Adds another supergroup in which the bot is an administrator; returns its id."""
        with self._lock:
            bot = self._bot_state(token)
            group_id = min(bot.chats) - 1
            bot.chats[group_id] = _Chat(
                group_id, "supergroup", title=title, username=username, is_forum=is_forum
            )
            return group_id

    def revoke_token(self, token: str) -> None:
        """Requests with this token now fail with 401 Unauthorized."""
        with self._lock:
            self._revoked_tokens.add(token)

    # -- test side: faults -----------------------------------------------------------------------

    def inject_error(
        self,
        method: str,
        status: int = 429,
        *,
        retry_after: int = 1,
        times: int | None = 1,
        description: str | None = None,
    ) -> None:
        """The next `times` calls of `method` ("*" = any but getUpdates) fail with `status`."""
        with self._lock:
            self._faults.append(
                _Fault(
                    method=method.lower(),
                    status=status,
                    description=description or _default_error_description(status, retry_after),
                    retry_after=retry_after if status == 429 else None,
                    delay=0.0,
                    remaining=times,
                )
            )

    def inject_delay(self, method: str, seconds: float, *, times: int | None = None) -> None:
        """Calls of `method` answer only after `seconds` (so clients can time out)."""
        with self._lock:
            self._faults.append(
                _Fault(method.lower(), None, None, None, delay=seconds, remaining=times)
            )

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def reset(self) -> None:
        """Forgets every bot, user and fault, for reusing one server across tests."""
        with self._lock:
            self._bots.clear()
            self._users.clear()
            self._faults.clear()
            self._revoked_tokens.clear()

    # -- test side: inspection -----------------------------------------------------------------

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
        with self._lock:
            found = self._bot_state(token).messages.get((chat_id, message_id))
            return copy.deepcopy(found)

    def topics(self, chat_id: int, *, token: str | None = None) -> dict[int, dict[str, Any]]:
        with self._lock:
            chat = self._bot_state(token).chats.get(chat_id)
            return copy.deepcopy(chat.topics) if chat else {}

    def pending_updates(self, *, token: str | None = None) -> int:
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
        with self._lock:
            stored = self._bot_state(token).commands
            return copy.deepcopy(stored.get(_commands_key(scope, language_code), []))

    def webhook(self, *, token: str | None = None) -> dict[str, Any] | None:
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
        return await self.async_wait_for(self._messages_reached(chat_id, count, token), timeout)

    def _messages_reached(
        self, chat_id: int, count: int, token: str | None
    ) -> Callable[[], list[dict[str, Any]] | None]:
        def reached() -> list[dict[str, Any]] | None:
            found = self.bot_messages(chat_id, token=token)
            return found if len(found) >= count else None

        return reached

    def _notify_change(self) -> None:
        with self._changed:
            self._changed.notify_all()
            waiters = list(self._async_waiters)
        for loop, event in waiters:
            with contextlib.suppress(RuntimeError):  # the waiter's loop may have closed
                loop.call_soon_threadsafe(event.set)

    # -- HTTP layer ------------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        if not _TOKEN_PATTERN.match(token):
            return _json_response(ApiError(404, "Not Found").payload(), 404)
        if token in self._revoked_tokens:
            return _json_response(ApiError(401, "Unauthorized").payload(), 401)
        bot = self._bot_state(token)
        canonical = self._canonical_names.get(method.lower(), method)
        values: dict[str, Any] = {}
        try:
            values = await _read_request_params(request)
            result = await self._dispatch(bot, canonical, _Params(values))
        except ApiError as error:
            if not (error.status == 409 and _client_gone(request)):
                self._record(bot, canonical, values, error=error)
            return _json_response(error.payload(), error.status)
        self._record(bot, canonical, values, result=result)
        return _json_response({"ok": True, "result": result}, 200)

    async def _dispatch(self, bot: _BotState, method: str, params: _Params) -> Any:
        fault = self._take_fault(method)
        if fault is not None and fault.delay:
            await asyncio.sleep(fault.delay)
        if fault is not None and fault.status is not None:
            parameters = {"retry_after": fault.retry_after} if fault.retry_after else None
            raise ApiError(fault.status, fault.description or "", parameters)
        if method == "getUpdates":
            return await self._get_updates(bot, params)
        handler = self._methods.get(method)
        if handler is None:
            raise ApiError(404, "Not Found")
        with self._lock:
            result = handler(bot, params)
        self._wake_pollers(bot)
        return result

    def _take_fault(self, method: str) -> _Fault | None:
        lowered = method.lower()
        with self._lock:
            for fault in self._faults:
                applies = fault.method == lowered or (
                    fault.method == "*" and lowered != "getupdates"
                )
                if applies:
                    if fault.remaining is not None:
                        fault.remaining -= 1
                        if fault.remaining <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def _record(
        self,
        bot: _BotState,
        method: str,
        values: dict[str, Any],
        *,
        result: Any = None,
        error: ApiError | None = None,
    ) -> None:
        with self._lock:
            chat_id = values.get("chat_id")
            query = bot.callback_queries.get(str(values.get("callback_query_id")))
            if chat_id is None and query is not None:
                chat_id = query["chat_id"]
            bot.calls.append(
                BotCall(
                    method=method,
                    params=_recordable(values),
                    chat_id=chat_id,
                    ok=error is None,
                    result=copy.deepcopy(result),
                    error_code=error.status if error else None,
                    description=error.description if error else None,
                    at=time.monotonic(),
                )
            )
        self._notify_change()

    async def _handle_file(self, request: web.Request) -> web.Response:
        token, path = request.match_info["token"], request.match_info["path"]
        with self._lock:
            bot = self._bots.get(token)
            found = (
                next((f for f in bot.files.values() if f.file_path == path), None) if bot else None
            )
        if found is None:
            return _json_response(ApiError(404, "Not Found").payload(), 404)
        return web.Response(body=found.data, content_type=found.mime_type)

    async def _handle_not_found(self, request: web.Request) -> web.Response:
        return _json_response(ApiError(404, "Not Found").payload(), 404)

    async def _handle_control_send(self, request: web.Request) -> web.Response:
        body = await request.json()
        message = self.user_sends(
            int(body["user_id"]),
            str(body.get("text", "")),
            first_name=body.get("first_name"),
            chat_id=body.get("chat_id"),
            message_thread_id=body.get("message_thread_id"),
            kind=body.get("kind", "text"),
            token=body.get("token"),
        )
        return _json_response({"ok": True, "result": message}, 200)

    async def _handle_control_press(self, request: web.Request) -> web.Response:
        body = await request.json()
        chat_id = int(body.get("chat_id", body["user_id"]))
        message = {"chat": {"id": chat_id}, "message_id": int(body["message_id"])}
        query = self.user_presses(
            int(body["user_id"]), message, str(body["callback_data"]), token=body.get("token")
        )
        return _json_response({"ok": True, "result": query}, 200)

    async def _handle_control_transcript(self, request: web.Request) -> web.Response:
        text = self.transcript(int(request.query["chat_id"]), token=request.query.get("token"))
        return web.Response(text=text + "\n")

    # -- state helpers -------------------------------------------------------------------------

    def _bot_state(self, token: str | None) -> _BotState:
        token = token or self.default_token
        with self._lock:
            if token not in self._bots:
                self._bots[token] = self._new_bot_state(token)
            return self._bots[token]

    def _new_bot_state(self, token: str) -> _BotState:
        bot_id = int(token.split(":", 1)[0])
        if token == self.default_token:
            username, first_name = self._default_bot_names
        else:
            username, first_name = f"fake{bot_id}_bot", f"Fake bot {bot_id}"
        user = {"id": bot_id, "is_bot": True, "first_name": first_name, "username": username}
        state = _BotState(token=token, user=user)
        state.chats[DEFAULT_GROUP_ID] = _Chat(
            DEFAULT_GROUP_ID, "supergroup", title=DEFAULT_GROUP_TITLE, is_forum=True
        )
        return state

    def _remember_user(
        self, user_id: int, first_name: str | None, language_code: str
    ) -> dict[str, Any]:
        user = self._users.setdefault(
            user_id, {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        )
        if first_name:
            user["first_name"] = first_name
        user["language_code"] = language_code
        return dict(user)

    def _chat_for_user(self, bot: _BotState, user: dict[str, Any], chat_id: int | None) -> _Chat:
        if chat_id is None or chat_id == user["id"]:
            chat = bot.chats.get(user["id"])
            if chat is None:
                chat = _Chat(user["id"], "private", first_name=user["first_name"])
                bot.chats[user["id"]] = chat
            return chat
        chat = bot.chats.get(chat_id)
        if chat is None or chat.type == "private":
            raise ValueError(f"no group {chat_id}; use create_group() or DEFAULT_GROUP_ID")
        chat.members.add(user["id"])
        return chat

    def _user_thread(self, chat: _Chat, thread_id: int | None) -> int | None:
        if thread_id is None or not chat.is_forum:
            return None
        topic = chat.topics.get(thread_id)
        if topic is None:
            raise ValueError(f"no topic {thread_id} in chat {chat.id}")
        if topic["closed"]:
            raise ValueError(f"topic {thread_id} is closed; members cannot write there")
        return thread_id

    def _user_content(self, bot: _BotState, kind: str, text: str) -> dict[str, Any]:
        if kind == "text":
            if not text:
                raise ValueError("a text message needs text")
            return {"text": text, **self._command_entities(text)}
        if kind == "location":
            latitude, longitude = _parse_location(text)
            return {"location": {"latitude": latitude, "longitude": longitude}}
        media = {
            "photo": ("photo.jpg", "image/jpeg", b"\xff\xd8\xff\xe0fake-jpeg"),
            "voice": ("voice.ogg", "audio/ogg", b"OggSfake-voice"),
            "document": ("document.pdf", "application/pdf", b"%PDF-1.4 fake"),
            "sticker": ("sticker.webp", "image/webp", b"RIFFfake-webp"),
        }
        if kind not in media:
            raise ValueError(f"unknown message kind {kind!r}")
        stored = self._store_file(bot, Upload(*media[kind]), kind)
        content: dict[str, Any] = {kind: self._media_payload(kind, stored, emoji=text or "🙂")}
        if text and kind != "sticker":
            content["caption"] = text
        return content

    @staticmethod
    def _command_entities(text: str) -> dict[str, Any]:
        # PTB's CommandHandler only fires on a bot_command entity at offset 0.
        match = _COMMAND_PATTERN.match(text)
        if not match:
            return {}
        entity = {"type": "bot_command", "offset": 0, "length": utf16_length(match.group(0))}
        return {"entities": [entity]}

    def _stored_message(
        self, bot: _BotState, message: dict[str, Any] | int | Any, *, default_chat: int
    ) -> dict[str, Any]:
        if isinstance(message, int):
            key = (default_chat, message)
        elif isinstance(message, dict):
            key = (int(message["chat"]["id"]), int(message["message_id"]))
        else:  # a PTB Message object
            key = (int(message.chat_id), int(message.message_id))
        stored = bot.messages.get(key)
        if stored is None:
            raise ValueError(f"no message {key[1]} in chat {key[0]}")
        return stored

    @staticmethod
    def _button_with_data(message: dict[str, Any], callback_data: str) -> str:
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        for button in (button for row in rows for button in row):
            if button.get("callback_data") == callback_data:
                return str(button["text"])
        raise ValueError(f"message {message['message_id']} has no button {callback_data!r}")

    def _new_message(
        self,
        bot: _BotState,
        chat: _Chat,
        sender: dict[str, Any],
        content: dict[str, Any],
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": dict(sender),
            "date": _now(),
            "chat": chat.public(),
        }
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        message.update(copy.deepcopy(content))
        bot.messages[(chat.id, message_id)] = message
        return message

    def _reply_snapshot(self, bot: _BotState, chat_id: int, message_id: int) -> dict[str, Any]:
        original = bot.messages.get((chat_id, message_id))
        if original is None:
            raise ValueError(f"no message {message_id} in chat {chat_id}")
        snapshot = copy.deepcopy(original)
        snapshot.pop("reply_to_message", None)  # Telegram does not nest replies further
        return snapshot

    def _enqueue(self, bot: _BotState, update_type: str, payload: dict[str, Any]) -> None:
        bot.updates.append({"update_id": bot.next_update_id, update_type: copy.deepcopy(payload)})
        bot.next_update_id += 1
        self._wake_pollers(bot)
        self._notify_change()

    def _wake_pollers(self, bot: _BotState) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._set_wakeup, bot)

    @staticmethod
    def _set_wakeup(bot: _BotState) -> None:
        if bot.wakeup is not None:
            bot.wakeup.set()

    def _store_file(self, bot: _BotState, upload: Upload, kind: str) -> _StoredFile:
        number = self._next_file_number
        self._next_file_number += 1
        extension = upload.filename.rsplit(".", 1)[-1] if "." in upload.filename else "bin"
        stored = _StoredFile(
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
    def _media_payload(kind: str, stored: _StoredFile, **extra: Any) -> Any:
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

    # -- Bot API: plumbing shared by several methods --------------------------------------------

    def _method_table(self) -> dict[str, Handler]:
        return {
            "getUpdates": self._unreachable,  # handled asynchronously in _dispatch
            "getMe": self._get_me,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "copyMessage": self._copy_message,
            "forwardMessage": self._forward_message,
            "sendPhoto": lambda bot, p: self._send_media(bot, p, "photo"),
            "sendDocument": lambda bot, p: self._send_media(bot, p, "document"),
            "sendVoice": lambda bot, p: self._send_media(bot, p, "voice"),
            "sendSticker": lambda bot, p: self._send_media(bot, p, "sticker"),
            "sendLocation": self._send_location,
            "getFile": self._get_file,
            "createForumTopic": self._create_forum_topic,
            "closeForumTopic": lambda bot, p: self._set_topic_closed(bot, p, closed=True),
            "reopenForumTopic": lambda bot, p: self._set_topic_closed(bot, p, closed=False),
            "editForumTopic": self._edit_forum_topic,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "close": lambda bot, p: True,
            "logOut": lambda bot, p: True,
        }

    @staticmethod
    def _unreachable(bot: _BotState, params: _Params) -> Any:
        raise AssertionError("getUpdates is dispatched separately")

    def _target_chat(self, bot: _BotState, params: _Params, key: str = "chat_id") -> _Chat:
        value = params.get(key)
        if value is None:
            raise bad_request(f"{key} is empty")
        chat = self._lookup_chat(bot, value)
        if chat is None:
            raise bad_request("chat not found")
        if chat.type == "private" and chat.id in bot.blocked_by:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    @staticmethod
    def _lookup_chat(bot: _BotState, value: Any) -> _Chat | None:
        if isinstance(value, str) and value.startswith("@"):
            name = value[1:].lower()
            return next((c for c in bot.chats.values() if (c.username or "").lower() == name), None)
        try:
            return bot.chats.get(int(value))
        except (TypeError, ValueError):
            return None

    @staticmethod
    def _format(
        raw: str, parse_mode: str | None, explicit_entities: Any, *, limit: int, too_long: str
    ) -> tuple[str, list[dict[str, Any]]]:
        mode = (parse_mode or "").lower()
        if mode == "html":
            text, entities = parse_html(raw)
        elif mode in ("", "markdown", "markdownv2"):  # Markdown is passed through unchecked
            text = raw
            entities = explicit_entities if isinstance(explicit_entities, list) else []
        else:
            raise bad_request("unsupported parse_mode")
        if len(text) > limit:
            raise bad_request(too_long)
        return text, entities

    def _message_text(self, params: _Params) -> dict[str, Any]:
        text, entities = self._format(
            params.text("text") or "",
            params.text("parse_mode"),
            params.get("entities"),
            limit=MAX_TEXT_LENGTH,
            too_long="message is too long",
        )
        if not text.strip():
            raise bad_request("message text is empty")
        return {"text": text, "entities": entities} if entities else {"text": text}

    def _caption(self, params: _Params) -> dict[str, Any]:
        raw = params.text("caption")
        if raw is None:
            return {}
        caption, entities = self._format(
            raw,
            params.text("parse_mode"),
            params.get("caption_entities"),
            limit=MAX_CAPTION_LENGTH,
            too_long="message caption is too long",
        )
        content: dict[str, Any] = {"caption": caption} if caption else {}
        if entities:
            content["caption_entities"] = entities
        return content

    def _thread_for_send(self, chat: _Chat, params: _Params) -> int | None:
        thread_id = params.integer("message_thread_id")
        if thread_id is None or not chat.is_forum:
            return None
        if thread_id not in chat.topics:
            raise bad_request("message thread not found")
        # The bot is an administrator with can_manage_topics, so closed topics accept it.
        return thread_id

    def _reply_target(self, bot: _BotState, chat: _Chat, params: _Params) -> dict[str, Any] | None:
        reply = params.structured(
            "reply_parameters", dict, invalid="can't parse reply parameters JSON object"
        )
        if reply is None and params.integer("reply_to_message_id") is not None:
            reply = {
                "message_id": params.integer("reply_to_message_id"),
                "allow_sending_without_reply": params.flag("allow_sending_without_reply"),
            }
        if reply is None:
            return None
        reply_chat = self._lookup_chat(bot, reply.get("chat_id", chat.id)) or chat
        original = bot.messages.get((reply_chat.id, int(reply["message_id"])))
        if original is None:
            if reply.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        snapshot = copy.deepcopy(original)
        snapshot.pop("reply_to_message", None)
        return snapshot

    def _markup(self, params: _Params) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            for button in _rows_of_buttons(markup["inline_keyboard"]):
                _check_inline_button(button)
        elif "keyboard" in markup:
            _rows_of_buttons(markup["keyboard"])
        elif not (markup.get("remove_keyboard") or markup.get("force_reply")):
            raise bad_request("can't parse reply keyboard markup JSON object")
        return markup

    def _bot_sends(
        self, bot: _BotState, chat: _Chat, content: dict[str, Any], params: _Params
    ) -> dict[str, Any]:
        thread_id = self._thread_for_send(chat, params)
        reply_to = self._reply_target(bot, chat, params)
        markup = self._markup(params)
        if thread_id is None and reply_to is not None and chat.is_forum:
            thread_id = reply_to.get("message_thread_id")
        full = dict(content)
        if reply_to is not None:
            full["reply_to_message"] = reply_to
        if markup is not None and "inline_keyboard" in markup:
            full["reply_markup"] = markup  # Telegram echoes only inline keyboards
        message = self._new_message(bot, chat, bot.user, full, thread_id)
        bot.sent_messages.append(copy.deepcopy(message))
        bot.transcript.append((chat.id, _transcript_lines("bot", message, markup)))
        return copy.deepcopy(message)

    def _own_message(self, bot: _BotState, params: _Params, missing: str) -> dict[str, Any]:
        if params.get("inline_message_id") is not None:
            raise bad_request("inline messages are not supported by the fake Bot API")
        chat = self._target_chat(bot, params)
        message_id = params.integer("message_id", required="message identifier is not specified")
        assert message_id is not None
        message = bot.messages.get((chat.id, message_id))
        if message is None:
            raise bad_request(missing)
        if message["from"]["id"] != bot.user["id"]:
            raise bad_request("message can't be edited")
        return message

    # -- Bot API: methods ------------------------------------------------------------------------

    async def _get_updates(self, bot: _BotState, params: _Params) -> list[dict[str, Any]]:
        limit = min(max(params.integer("limit") or 100, 1), 100)
        timeout = max(params.number("timeout") or 0.0, 0.0)
        allowed = params.structured("allowed_updates", list, invalid="can't parse allowed updates")
        with self._lock:
            if bot.webhook is not None:
                raise ApiError(409, _CONFLICT_WEBHOOK)
            _confirm_updates(bot, params.integer("offset"))
            if allowed is not None:
                bot.allowed_updates = [str(kind) for kind in allowed]
            bot.poll_generation += 1
            generation = bot.poll_generation
        self._set_wakeup(bot)  # a newer poll ends an older one with 409, as on Telegram
        return await self._long_poll(bot, generation, limit, timeout)

    async def _long_poll(
        self, bot: _BotState, generation: int, limit: int, timeout: float
    ) -> list[dict[str, Any]]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        if bot.wakeup is None:
            bot.wakeup = asyncio.Event()
        with self._lock:
            bot.polls_waiting += 1
        self._notify_change()
        try:
            while True:
                bot.wakeup.clear()
                with self._lock:
                    batch = _deliverable_updates(bot, limit)
                if batch or self._closing:
                    return batch
                if bot.poll_generation != generation:
                    raise ApiError(409, _CONFLICT_OTHER_POLL)
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return []
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(bot.wakeup.wait(), remaining)
        finally:
            with self._lock:
                bot.polls_waiting -= 1

    def _get_me(self, bot: _BotState, params: _Params) -> dict[str, Any]:
        return {
            **bot.user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _delete_webhook(self, bot: _BotState, params: _Params) -> bool:
        bot.webhook = None
        if params.flag("drop_pending_updates"):
            bot.updates.clear()
        return True

    def _set_webhook(self, bot: _BotState, params: _Params) -> bool:
        url = params.text("url")
        if not url:
            return self._delete_webhook(bot, params)
        if not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        bot.webhook = {
            "url": url,
            "secret_token": params.text("secret_token"),
            "allowed_updates": params.get("allowed_updates"),
            "max_connections": params.integer("max_connections") or 40,
        }
        if params.flag("drop_pending_updates"):
            bot.updates.clear()
        return True

    def _get_webhook_info(self, bot: _BotState, params: _Params) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": bot.webhook["url"] if bot.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(bot.updates),
        }
        if bot.webhook:
            info["max_connections"] = bot.webhook["max_connections"]
            if bot.webhook["allowed_updates"]:
                info["allowed_updates"] = bot.webhook["allowed_updates"]
        return info

    def _set_my_commands(self, bot: _BotState, params: _Params) -> bool:
        commands = params.structured("commands", list, invalid="can't parse commands JSON object")
        if commands is None:
            raise bad_request('parameter "commands" is required')
        for command in commands:
            if not _BOT_COMMAND_NAME.match(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("command description is empty or too long")
        key = _commands_key(params.get("scope"), params.text("language_code") or "")
        bot.commands[key] = commands
        return True

    def _get_my_commands(self, bot: _BotState, params: _Params) -> list[dict[str, Any]]:
        key = _commands_key(params.get("scope"), params.text("language_code") or "")
        return bot.commands.get(key, [])

    def _delete_my_commands(self, bot: _BotState, params: _Params) -> bool:
        bot.commands.pop(
            _commands_key(params.get("scope"), params.text("language_code") or ""), None
        )
        return True

    def _send_message(self, bot: _BotState, params: _Params) -> dict[str, Any]:
        chat = self._target_chat(bot, params)
        return self._bot_sends(bot, chat, self._message_text(params), params)

    def _edit_message_text(self, bot: _BotState, params: _Params) -> dict[str, Any]:
        message = self._own_message(bot, params, "message to edit not found")
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        content = self._message_text(params)
        markup = self._markup(params)
        new_markup = markup if markup and "inline_keyboard" in markup else None
        unchanged = (
            content.get("text") == message.get("text")
            and content.get("entities") == message.get("entities")
            and new_markup == message.get("reply_markup")
        )
        if unchanged:
            raise bad_request(_NOT_MODIFIED)
        message.pop("entities", None)
        message.update(content)
        return self._finish_edit(bot, message, new_markup)

    def _edit_message_reply_markup(self, bot: _BotState, params: _Params) -> dict[str, Any]:
        message = self._own_message(bot, params, "message to edit not found")
        markup = self._markup(params)
        new_markup = markup if markup and "inline_keyboard" in markup else None
        if new_markup == message.get("reply_markup"):
            raise bad_request(_NOT_MODIFIED)
        return self._finish_edit(bot, message, new_markup)

    def _finish_edit(
        self, bot: _BotState, message: dict[str, Any], markup: dict[str, Any] | None
    ) -> dict[str, Any]:
        message.pop("reply_markup", None)
        if markup is not None:
            message["reply_markup"] = markup
        message["edit_date"] = _now()
        speaker = f"bot (edited #{message['message_id']})"
        bot.transcript.append((message["chat"]["id"], _transcript_lines(speaker, message, markup)))
        return copy.deepcopy(message)

    def _delete_message(self, bot: _BotState, params: _Params) -> bool:
        chat = self._target_chat(bot, params)
        message_id = params.integer("message_id", required="message identifier is not specified")
        if bot.messages.pop((chat.id, message_id or 0), None) is None:
            raise bad_request("message to delete not found")
        bot.transcript.append((chat.id, f"bot deleted #{message_id}"))
        return True

    def _answer_callback_query(self, bot: _BotState, params: _Params) -> bool:
        query = bot.callback_queries.get(params.text("callback_query_id") or "")
        if query is None or query["answered"]:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.text("text") or ""
        if len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        query["answered"] = True
        if text:
            kind = "alert" if params.flag("show_alert") else "notice"
            bot.transcript.append((query["chat_id"], f"bot ({kind}): {text}"))
        return True

    def _send_chat_action(self, bot: _BotState, params: _Params) -> bool:
        chat = self._target_chat(bot, params)
        if params.text("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self._thread_for_send(chat, params)
        return True

    def _source_message(self, bot: _BotState, params: _Params) -> dict[str, Any]:
        source_chat = self._target_chat(bot, params, key="from_chat_id")
        message_id = params.integer("message_id", required="message identifier is not specified")
        original = bot.messages.get((source_chat.id, message_id or 0))
        if original is None:
            raise bad_request("message to copy not found")
        if not any(key in original for key in _MESSAGE_CONTENT_KEYS):
            raise bad_request("message can't be copied")
        return original

    def _copy_message(self, bot: _BotState, params: _Params) -> dict[str, Any]:
        chat = self._target_chat(bot, params)
        original = self._source_message(bot, params)
        content = {key: original[key] for key in _MESSAGE_CONTENT_KEYS if key in original}
        if params.get("caption") is not None and "text" not in content:
            content.pop("caption_entities", None)
            content.update(self._caption(params))
        message = self._bot_sends(bot, chat, content, params)
        return {"message_id": message["message_id"]}

    def _forward_message(self, bot: _BotState, params: _Params) -> dict[str, Any]:
        chat = self._target_chat(bot, params)
        original = self._source_message(bot, params)
        content = {key: original[key] for key in _MESSAGE_CONTENT_KEYS if key in original}
        content["forward_origin"] = {
            "type": "user",
            "sender_user": original["from"],
            "date": original["date"],
        }
        return self._bot_sends(bot, chat, content, params)

    def _send_media(self, bot: _BotState, params: _Params, kind: str) -> dict[str, Any]:
        chat = self._target_chat(bot, params)
        stored = self._resolve_file(bot, params.get(kind), kind)
        payload = self._media_payload(
            kind, stored, duration=params.integer("duration"), emoji=params.text("emoji")
        )
        content = {kind: payload}
        if kind != "sticker":
            content.update(self._caption(params))
        return self._bot_sends(bot, chat, content, params)

    def _resolve_file(self, bot: _BotState, value: Any, kind: str) -> _StoredFile:
        if isinstance(value, Upload):
            return self._store_file(bot, value, kind)
        if value is None:
            raise bad_request(f"there is no {kind} in the request")
        text = str(value)
        if text in bot.files:
            return bot.files[text]
        if text.startswith(("http://", "https://")):
            name = text.rsplit("/", 1)[-1] or kind
            return self._store_file(bot, Upload(name, "application/octet-stream", b""), kind)
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _send_location(self, bot: _BotState, params: _Params) -> dict[str, Any]:
        chat = self._target_chat(bot, params)
        latitude = params.number("latitude", required="latitude is empty")
        longitude = params.number("longitude", required="longitude is empty")
        assert latitude is not None and longitude is not None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise bad_request("wrong location")
        content = {"location": {"latitude": latitude, "longitude": longitude}}
        return self._bot_sends(bot, chat, content, params)

    def _get_file(self, bot: _BotState, params: _Params) -> dict[str, Any]:
        stored = bot.files.get(params.text("file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        return {**stored.describe(), "file_path": stored.file_path}

    def _forum(self, bot: _BotState, params: _Params) -> _Chat:
        chat = self._target_chat(bot, params)
        if not chat.is_forum:
            raise bad_request("the chat is not a forum")
        return chat

    def _topic(self, chat: _Chat, params: _Params) -> tuple[int, dict[str, Any]]:
        thread_id = params.integer("message_thread_id", required="message thread not found")
        topic = chat.topics.get(thread_id or 0)
        if topic is None:
            raise bad_request("message thread not found")
        return thread_id or 0, topic

    def _topic_service_message(
        self, bot: _BotState, chat: _Chat, thread_id: int | None, content: dict[str, Any]
    ) -> dict[str, Any]:
        message = self._new_message(bot, chat, bot.user, content)
        thread = thread_id if thread_id is not None else message["message_id"]
        message["message_thread_id"] = thread
        message["is_topic_message"] = True
        return message

    def _create_forum_topic(self, bot: _BotState, params: _Params) -> dict[str, Any]:
        chat = self._forum(bot, params)
        name = params.text("name") or ""
        if not 1 <= len(name) <= 128:
            raise bad_request("TOPIC_TITLE_EMPTY" if not name else "TOPIC_TITLE_TOO_LONG")
        icon_color = params.integer("icon_color") or FORUM_ICON_COLORS[0]
        if icon_color not in FORUM_ICON_COLORS:
            raise bad_request("TOPIC_ICON_COLOR_INVALID")
        created = {"name": name, "icon_color": icon_color}
        service = self._topic_service_message(bot, chat, None, {"forum_topic_created": created})
        thread_id = service["message_thread_id"]
        chat.topics[thread_id] = {**created, "closed": False}
        bot.transcript.append((chat.id, f'bot created topic {thread_id} "{name}"'))
        return {"message_thread_id": thread_id, **created}

    def _set_topic_closed(self, bot: _BotState, params: _Params, *, closed: bool) -> bool:
        chat = self._forum(bot, params)
        thread_id, topic = self._topic(chat, params)
        if topic["closed"] == closed:
            raise bad_request("TOPIC_NOT_MODIFIED")
        topic["closed"] = closed
        event = "forum_topic_closed" if closed else "forum_topic_reopened"
        self._topic_service_message(bot, chat, thread_id, {event: {}})
        verb = "closed" if closed else "reopened"
        bot.transcript.append((chat.id, f"bot {verb} topic {thread_id}"))
        return True

    def _edit_forum_topic(self, bot: _BotState, params: _Params) -> bool:
        chat = self._forum(bot, params)
        thread_id, topic = self._topic(chat, params)
        changes = {
            key: value
            for key in ("name", "icon_custom_emoji_id")
            if (value := params.text(key)) is not None and topic.get(key) != value
        }
        if not changes:
            raise bad_request("TOPIC_NOT_MODIFIED")
        if "name" in changes and len(changes["name"]) > 128:
            raise bad_request("TOPIC_TITLE_TOO_LONG")
        topic.update(changes)
        self._topic_service_message(bot, chat, thread_id, {"forum_topic_edited": changes})
        bot.transcript.append((chat.id, f"bot renamed topic {thread_id}: {changes}"))
        return True

    def _get_chat(self, bot: _BotState, params: _Params) -> dict[str, Any]:
        chat = self._target_chat(bot, params)
        return {
            **chat.public(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _get_chat_member(self, bot: _BotState, params: _Params) -> dict[str, Any]:
        chat = self._target_chat(bot, params)
        user_id = params.integer("user_id", required="user not found")
        if user_id == bot.user["id"]:
            if chat.type == "private":
                return {"status": "member", "user": bot.user}
            return _administrator(bot.user)
        user = self._users.get(user_id or 0)
        if user is None:
            raise bad_request("user not found")
        is_member = chat.id == user_id or user_id in chat.members
        return {"status": "member" if is_member else "left", "user": user}


# ---------------------------------------------------------------------------------------------
# Small pure helpers


def _json_response(payload: dict[str, Any], status: int) -> web.Response:
    return web.json_response(
        payload, status=status, dumps=lambda value: json.dumps(value, ensure_ascii=False)
    )


def _client_gone(request: web.Request) -> bool:
    # A poll the client abandoned (PTB cancels it on stop) is no conflict worth recording.
    return request.transport is None or request.transport.is_closing()


@web.middleware
async def _control_errors_as_json(
    request: web.Request, handler: Callable[[web.Request], Any]
) -> web.StreamResponse:
    # A mistaken manual call of a /_fake/ endpoint should explain itself, not answer 500.
    try:
        return await handler(request)
    except (ValueError, KeyError, TypeError) as error:
        if not request.path.startswith("/_fake/"):
            raise
        return _json_response(bad_request(f"{type(error).__name__}: {error}").payload(), 400)


def _refuse_inside_event_loop() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(
        "wait_for blocks the thread; inside an event loop use `await api.async_wait_for(...)`"
    )


def _confirm_updates(bot: _BotState, offset: int | None) -> None:
    if offset is None or offset == 0:
        return
    if offset < 0:
        bot.updates = bot.updates[offset:]
    else:
        bot.updates = [update for update in bot.updates if update["update_id"] >= offset]


def _update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")


def _deliverable_updates(bot: _BotState, limit: int) -> list[dict[str, Any]]:
    allowed = set(bot.allowed_updates)
    if allowed or any(_update_type(u) in _UPDATE_TYPES_BY_DEFAULT_OFF for u in bot.updates):
        # Telegram drops updates of types the bot did not ask for.
        bot.updates = [
            update
            for update in bot.updates
            if (_update_type(update) in allowed)
            or (not allowed and _update_type(update) not in _UPDATE_TYPES_BY_DEFAULT_OFF)
        ]
    return copy.deepcopy(bot.updates[:limit])


def _commands_key(scope: Any, language_code: str) -> str:
    scope = scope if isinstance(scope, dict) else {"type": "default"}
    return json.dumps([scope, language_code], sort_keys=True)


def _rows_of_buttons(rows: Any) -> list[Any]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return [button for row in rows for button in row]


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not str(button.get("text", "")).strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = set(button) - {"text", "style", "icon_custom_emoji_id"}
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        size = len(str(button["callback_data"]).encode())
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not str(button["url"]).startswith(("http://", "https://", "tg://")):
        raise bad_request(
            f"inline keyboard button URL '{button['url']}' is invalid: Wrong HTTP URL"
        )


_ADMINISTRATOR_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
    "can_manage_topics",
)


def _administrator(user: dict[str, Any]) -> dict[str, Any]:
    member: dict[str, Any] = {"status": "administrator", "user": user}
    member.update(dict.fromkeys(_ADMINISTRATOR_RIGHTS, True))
    member.update(can_be_edited=False, is_anonymous=False, can_promote_members=False)
    return member


def _parse_location(text: str) -> tuple[float, float]:
    if not text:
        return TBILISI
    latitude, longitude = (float(part) for part in text.split(","))
    return latitude, longitude


# ---------------------------------------------------------------------------------------------
# Standalone use

_STDIN_USER_NAME = "You"


def _print_bot_lines(api: FakeBotApi, chat_id: int, stop: threading.Event) -> None:
    shown = 0
    while not stop.wait(0.2):
        lines = api.transcript(chat_id).splitlines()
        for line in lines[shown:]:
            if not line.startswith(f"{_STDIN_USER_NAME}:"):
                print(line, flush=True)
        shown = len(lines)


def _chat_from_stdin(api: FakeBotApi, user_id: int) -> None:
    print(f"Type messages as user {user_id}; /press <message_id> <data> presses a button.")
    stop = threading.Event()
    printer = threading.Thread(target=_print_bot_lines, args=(api, user_id, stop), daemon=True)
    printer.start()
    try:
        for line in sys.stdin:
            try:
                _act_on_stdin_line(api, user_id, line.rstrip("\n"))
            except ValueError as error:
                print(f"! {error}", flush=True)
    finally:
        stop.set()


def _act_on_stdin_line(api: FakeBotApi, user_id: int, text: str) -> None:
    if text.startswith("/press "):
        _, message_id, data = text.split(maxsplit=2)
        api.user_presses(user_id, int(message_id), data)
    elif text:
        api.user_sends(user_id, text, first_name=_STDIN_USER_NAME)


@contextlib.contextmanager
def running(token: str = DEFAULT_TOKEN, port: int = 0) -> Iterator[FakeBotApi]:
    """`with running() as api:` for scripts that prefer a function to the class."""
    with FakeBotApi(token, port=port) as api:
        yield api


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fake Telegram Bot API on 127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--chat-as", type=int, metavar="USER_ID", help="chat on stdin as this user")
    args = parser.parse_args(argv)
    with running(args.token, args.port) as api:
        print(f"fake Bot API at {api.url}  (TELEGRAM_API_URL={api.url}, token {args.token})")
        print(f'  POST {api.url}/_fake/send   {{"user_id": 1001, "text": "gamarjoba"}}')
        print(f'  POST {api.url}/_fake/press  {{"user_id": 1001, "message_id": 2, ...}}')
        print(f"  GET  {api.url}/_fake/transcript?chat_id=1001", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            if args.chat_as is not None:
                _chat_from_stdin(api, args.chat_as)
            else:
                threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
