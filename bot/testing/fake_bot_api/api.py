"""FakeBotApi: the server, the Bot API methods and the test side in one object."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from bot.testing.fake_bot_api.inspection import Inspection
from bot.testing.fake_bot_api.methods import BotApiMethods
from bot.testing.fake_bot_api.scenario import Scenario
from bot.testing.fake_bot_api.server import Server
from bot.testing.fake_bot_api.state import DEFAULT_BOT_USERNAME, DEFAULT_TOKEN, TOKEN_PATTERN


class FakeBotApi(Server, Scenario, Inspection, BotApiMethods):
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
        if not TOKEN_PATTERN.match(token):
            raise ValueError(f"not a bot token: {token!r}")
        self.default_token = token
        self._default_bot_names = (bot_username, bot_first_name)
        self._host = host
        self._requested_port = port
        self._port = None
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._async_waiters = []
        self._bots = {}
        self._users = {}
        self._faults = []
        self._revoked_tokens = set()
        self._next_file_number = 1
        self._loop = None
        self._thread = None
        self._runner = None
        self._closing = False
        self._methods = self._method_table()
        self._canonical_names = {name.lower(): name for name in self._methods}


@contextlib.contextmanager
def running(token: str = DEFAULT_TOKEN, port: int = 0) -> Iterator[FakeBotApi]:
    """`with running() as api:` for scripts that prefer a function to the class."""
    with FakeBotApi(token, port=port) as api:
        yield api
