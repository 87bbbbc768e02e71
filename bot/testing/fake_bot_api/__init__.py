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

The modules, one concern each (FakeBotApi is their mixins over `state.World`):

- ``api``: FakeBotApi and ``running()``
- ``server``: the aiohttp app in its own thread, routing, long polling (getUpdates)
- ``state``: bots, chats, messages, topics, stored files, faults, the record of calls
- ``methods``: the Bot API methods (messages, callbacks, forum topics, chat, files)
- ``html``: Telegram's HTML for parse_mode=HTML and its entities
- ``errors``: ApiError and Telegram's error texts
- ``params``: decoding a request's parameters
- ``scenario``: users who send, edit, press and block; injected faults
- ``inspection``: what the bot sent and called; waiting for it
- ``transcript``: the conversation as readable lines
- ``interactive``: ``main()``, the standalone server and the chat on stdin
"""

from bot.testing.fake_bot_api.api import FakeBotApi, running
from bot.testing.fake_bot_api.errors import ApiError, bad_request
from bot.testing.fake_bot_api.html import parse_html, utf16_length
from bot.testing.fake_bot_api.interactive import main
from bot.testing.fake_bot_api.methods.callbacks import MAX_CALLBACK_ANSWER_LENGTH
from bot.testing.fake_bot_api.methods.common import (
    MAX_CALLBACK_DATA_BYTES,
    MAX_CAPTION_LENGTH,
    MAX_TEXT_LENGTH,
)
from bot.testing.fake_bot_api.methods.messages import CHAT_ACTIONS
from bot.testing.fake_bot_api.methods.topics import FORUM_ICON_COLORS
from bot.testing.fake_bot_api.params import Upload
from bot.testing.fake_bot_api.scenario import TBILISI
from bot.testing.fake_bot_api.state import (
    DEFAULT_BOT_USERNAME,
    DEFAULT_GROUP_ID,
    DEFAULT_GROUP_TITLE,
    DEFAULT_TOKEN,
    BotCall,
)

__all__ = [
    "CHAT_ACTIONS",
    "DEFAULT_BOT_USERNAME",
    "DEFAULT_GROUP_ID",
    "DEFAULT_GROUP_TITLE",
    "DEFAULT_TOKEN",
    "FORUM_ICON_COLORS",
    "MAX_CALLBACK_ANSWER_LENGTH",
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_CAPTION_LENGTH",
    "MAX_TEXT_LENGTH",
    "TBILISI",
    "ApiError",
    "BotCall",
    "FakeBotApi",
    "Upload",
    "bad_request",
    "main",
    "parse_html",
    "running",
    "utf16_length",
]
