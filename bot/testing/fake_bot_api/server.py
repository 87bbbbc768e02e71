"""The HTTP side: an aiohttp server on loopback in its own thread, routing, long polling.

Routes: /bot<token>/<method> (the Bot API, any HTTP method), /file/bot<token>/<path>
(stored files), and /_fake/send, /_fake/press, /_fake/transcript for driving a chat by hand.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import socket
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self

from aiohttp import web

from bot.testing.fake_bot_api.errors import (
    CONFLICT_OTHER_POLL,
    CONFLICT_WEBHOOK,
    ApiError,
    bad_request,
)
from bot.testing.fake_bot_api.params import Params, read_request_params, recordable
from bot.testing.fake_bot_api.state import (
    DEFAULT_GROUP_ID,
    TOKEN_PATTERN,
    BotCall,
    BotState,
    Fault,
    World,
)

if TYPE_CHECKING:
    from telegram.ext import ApplicationBuilder

_UPDATE_TYPES_BY_DEFAULT_OFF = {"chat_member", "message_reaction", "message_reaction_count"}


class Server(World):
    """Lifecycle (start, stop, the URLs), the request handlers and long polling.

    Requests are dispatched to the Bot API methods (`_methods`); the /_fake/ endpoints call
    the scenario and inspection methods (user_sends, user_presses, transcript).
    """

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> Self:
        """Starts the server's thread and binds the port; returns self. Idempotent."""
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
        """Stops the server and its thread; parked long polls answer []. Idempotent."""
        if self._thread is None or self._loop is None:
            return
        future = asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
        with contextlib.suppress(Exception):
            future.result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._thread = None
        self._port = None

    def __enter__(self) -> Self:
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
        """What PTB's base_url would be: the token and method follow."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """What PTB's base_file_url would be."""
        return f"{self.url}/file/bot"

    @property
    def group_id(self) -> int:
        """The forum supergroup every bot's world starts with (DEFAULT_GROUP_ID)."""
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

    # -- HTTP layer ------------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        if not TOKEN_PATTERN.match(token):
            return _json_response(ApiError(404, "Not Found").payload(), 404)
        if token in self._revoked_tokens:
            return _json_response(ApiError(401, "Unauthorized").payload(), 401)
        bot = self._bot_state(token)
        canonical = self._canonical_names.get(method.lower(), method)
        values: dict[str, Any] = {}
        try:
            values = await read_request_params(request)
            result = await self._dispatch(bot, canonical, Params(values))
        except ApiError as error:
            if not (error.status == 409 and _client_gone(request)):
                self._record(bot, canonical, values, error=error)
            return _json_response(error.payload(), error.status)
        self._record(bot, canonical, values, result=result)
        return _json_response({"ok": True, "result": result}, 200)

    async def _dispatch(self, bot: BotState, method: str, params: Params) -> Any:
        fault = self._take_fault(method, params.get("chat_id"))
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

    def _take_fault(self, method: str, chat_id: Any = None) -> Fault | None:
        lowered = method.lower()
        with self._lock:
            for fault in self._faults:
                applies = fault.method == lowered or (
                    fault.method == "*" and lowered != "getupdates"
                )
                if fault.chat_id is not None and str(fault.chat_id) != str(chat_id):
                    applies = False
                if applies:
                    if fault.remaining is not None:
                        fault.remaining -= 1
                        if fault.remaining <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def _record(
        self,
        bot: BotState,
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
                    params=recordable(values),
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

    # -- long polling (getUpdates) -----------------------------------------------------------------

    async def _get_updates(self, bot: BotState, params: Params) -> list[dict[str, Any]]:
        limit = min(max(params.integer("limit") or 100, 1), 100)
        timeout = max(params.number("timeout") or 0.0, 0.0)
        allowed = params.structured("allowed_updates", list, invalid="can't parse allowed updates")
        with self._lock:
            if bot.webhook is not None:
                raise ApiError(409, CONFLICT_WEBHOOK)
            _confirm_updates(bot, params.integer("offset"))
            if allowed is not None:
                bot.allowed_updates = [str(kind) for kind in allowed]
            bot.poll_generation += 1
            generation = bot.poll_generation
        self._set_wakeup(bot)  # a newer poll ends an older one with 409, as on Telegram
        return await self._long_poll(bot, generation, limit, timeout)

    async def _long_poll(
        self, bot: BotState, generation: int, limit: int, timeout: float
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
                    raise ApiError(409, CONFLICT_OTHER_POLL)
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return []
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(bot.wakeup.wait(), remaining)
        finally:
            with self._lock:
                bot.polls_waiting -= 1


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


def _confirm_updates(bot: BotState, offset: int | None) -> None:
    if offset is None or offset == 0:
        return
    if offset < 0:
        bot.updates = bot.updates[offset:]
    else:
        bot.updates = [update for update in bot.updates if update["update_id"] >= offset]


def _update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")


def _deliverable_updates(bot: BotState, limit: int) -> list[dict[str, Any]]:
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
