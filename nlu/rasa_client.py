"""Talking to the Rasa HTTP server (`POST /model/parse`).

Rasa runs in its own Python 3.10 environment and process; the bot only
speaks HTTP to it. When it is down, `parse` returns None and logs a warning:
the caller degrades to retrieval alone, the citizen never sees an error.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx

log = logging.getLogger(__name__)
RETRY_AFTER_FAILURE_SECONDS = 5.0


@dataclass(frozen=True)
class Intent:
    name: str
    confidence: float
    entities: dict[str, str] = field(default_factory=dict)


class RasaClient:
    def __init__(self, url: str, timeout_seconds: float = 2.0):
        self.url = url.rstrip("/")
        self.timeout = timeout_seconds
        self._client = httpx.Client(timeout=timeout_seconds)
        self._down_since: float | None = None
        # A few requests in flight keep the Rasa process busy while the
        # caller encodes the same questions on its own core.
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="rasa")

    def parse_soon(self, text: str) -> Future[Intent | None]:
        """Parse in the background; the result is the same as parse(text)."""
        return self._pool.submit(self.parse, text)

    def parse(self, text: str) -> Intent | None:
        # After a failure, skip Rasa for a few seconds rather than make every
        # message wait for a connection timeout.
        if self._down_since and time.monotonic() - self._down_since < RETRY_AFTER_FAILURE_SECONDS:
            return None
        try:
            response = self._client.post(f"{self.url}/model/parse", json={"text": text})
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as error:
            if self._down_since is None:
                log.warning(
                    "Rasa NLU unavailable at %s (%s): using retrieval only", self.url, error
                )
            self._down_since = time.monotonic()
            return None
        if self._down_since is not None:
            log.info("Rasa NLU is back at %s", self.url)
            self._down_since = None
        return intent_from_response(data)

    def is_up(self) -> bool:
        try:
            return self._client.get(f"{self.url}/status", timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._client.close()


def intent_from_response(data: dict) -> Intent | None:
    intent = data.get("intent") or {}
    if not intent.get("name"):
        return None
    entities: dict[str, str] = {}
    for entity in data.get("entities") or []:
        entities.setdefault(entity["entity"], str(entity["value"]))
    return Intent(intent["name"], float(intent.get("confidence") or 0.0), entities)
