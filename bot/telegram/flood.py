"""The per-user rate limit in front of every handler."""

from __future__ import annotations

import math
import time
from collections import deque
from enum import StrEnum


class Verdict(StrEnum):
    OK = "ok"  # within the limit
    NOTIFY = "notify"  # the first update over the limit: tell the user once
    DROP = "drop"  # further updates over the limit


class FloodGuard:
    """Per-user sliding window of `window_seconds` (60) allowing `per_minute` updates.

    Args:
        per_minute: updates allowed per window (settings.telegram.max_messages_per_minute).
        window_seconds: the window's length, seconds.
    """

    def __init__(self, per_minute: int, window_seconds: float = 60.0):
        self.per_minute = per_minute
        self.window = window_seconds
        self._seen: dict[int, deque[float]] = {}
        self._notified: set[int] = set()
        self._urgent_replied: dict[int, float] = {}

    def check(self, user_id: int, now: float | None = None) -> Verdict:
        """Count one update of the user at `now` (time.monotonic() seconds)."""
        now = time.monotonic() if now is None else now
        stamps = self._seen.setdefault(user_id, deque())
        while stamps and stamps[0] <= now - self.window:
            stamps.popleft()
        if len(stamps) < self.per_minute:
            stamps.append(now)
            self._notified.discard(user_id)
            return Verdict.OK
        if user_id in self._notified:
            return Verdict.DROP
        self._notified.add(user_id)
        return Verdict.NOTIFY

    def seconds_until_free(self, user_id: int, now: float | None = None) -> int:
        """Whole seconds (at least 2) until the user's oldest counted update leaves the window."""
        now = time.monotonic() if now is None else now
        stamps = self._seen.get(user_id)
        left = stamps[0] + self.window - now if stamps else 0.0
        return max(2, math.ceil(left))

    def is_over(self, user_id: int, now: float | None = None) -> bool:
        """True while the user's window is full (without counting an update)."""
        now = time.monotonic() if now is None else now
        stamps = self._seen.get(user_id)
        recent = [s for s in stamps if s > now - self.window] if stamps else []
        return len(recent) >= self.per_minute

    def urgent_reply_due(self, user_id: int, window: float, now: float | None = None) -> bool:
        """True (and remembered) if the user got no emergency reply in the last `window` s."""
        now = time.monotonic() if now is None else now
        last = self._urgent_replied.get(user_id)
        if last is not None and now - last < window:
            return False
        self._urgent_replied[user_id] = now
        return True

    def forget(self, user_id: int) -> None:
        """/forget: drop what the guard remembers of the user."""
        self._seen.pop(user_id, None)
        self._notified.discard(user_id)
        self._urgent_replied.pop(user_id, None)
