"""PTB's HTTP requests over aiohttp instead of httpx.

Measured on the 2-core machine (docs/performance.md): 50 concurrent POSTs to a
local server cost about 2.1 ms of client CPU each with httpx and under 0.2 ms
with aiohttp; a question's reply is at least one such call, so httpx alone
took a sixth of the bot's CPU under load. PTB lets an application bring its
own `BaseRequest`; the maintainers' contrib package has an aiohttp one, but it
is not on PyPI, so this is ours: form-encoded parameters as PTB's own httpx
class sends them, files as multipart, PTB's timeouts and errors.
"""

from __future__ import annotations

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# PTB's own defaults for HTTPXRequest.
DEFAULT_TIMEOUT = 5.0
MEDIA_WRITE_TIMEOUT = 20.0


class AiohttpRequest(BaseRequest):
    """One aiohttp session with up to `pool_size` connections."""

    def __init__(self, pool_size: int = 256, timeout: float = DEFAULT_TIMEOUT):
        self._pool_size = pool_size
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return self._timeout

    async def initialize(self) -> None:
        # Created here, not in __init__: a session belongs to the running event loop.
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size)
            self._session = aiohttp.ClientSession(connector=connector)

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | None = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
        write_timeout: float | None = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
        connect_timeout: float | None = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
        pool_timeout: float | None = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = bool(request_data and request_data.contains_files)
        read, write, connect, pool = (
            (MEDIA_WRITE_TIMEOUT if files and name == "write" else self._timeout)
            if value is BaseRequest.DEFAULT_NONE
            else value
            for name, value in (
                ("read", read_timeout),
                ("write", write_timeout),
                ("connect", connect_timeout),
                ("pool", pool_timeout),
            )
        )
        # aiohttp has no write timeout: sending is bounded by the total instead.
        total = None if read is None or write is None else read + write + (connect or 0)
        timeout = aiohttp.ClientTimeout(
            total=total, connect=pool, sock_connect=connect, sock_read=read
        )
        try:
            async with self._session.request(
                method,
                url,
                data=_body(request_data),
                headers={"User-Agent": self.USER_AGENT},
                timeout=timeout,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    if request_data is None:
        return None
    if not request_data.contains_files:
        return request_data.json_parameters  # form-encoded, as PTB's httpx class sends them
    form = aiohttp.FormData(request_data.json_parameters)
    for name, (filename, content, mime_type) in (request_data.multipart_data or {}).items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
