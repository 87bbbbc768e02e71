"""The per-user rate limit."""

from __future__ import annotations

from bot.telegram.flood import FloodGuard


def test_flood_guard_notifies_once_then_drops_then_recovers() -> None:
    guard = FloodGuard(per_minute=2)
    verdicts = [guard.check(7, now=t) for t in (0, 1, 2, 3, 4)]
    assert verdicts == ["ok", "ok", "notify", "drop", "drop"]
    assert guard.check(8, now=4) == "ok"  # other users are unaffected
    assert guard.check(7, now=61) == "ok"  # the window has moved on
    assert guard.check(7, now=62) == "ok"
    assert guard.check(7, now=62.5) == "notify"


def test_the_wait_is_until_the_oldest_update_leaves_the_window() -> None:
    guard = FloodGuard(per_minute=2)
    guard.check(7, now=0)
    guard.check(7, now=10)
    assert guard.check(7, now=20) == "notify"
    assert guard.seconds_until_free(7, now=20) == 40
    assert guard.seconds_until_free(7, now=59.5) == 2  # never "1 seconds"
    assert guard.seconds_until_free(99, now=0) == 2
