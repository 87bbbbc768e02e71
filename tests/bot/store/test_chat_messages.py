"""chat_messages: the ids /clear needs, for Telegram's 48 hours, and gone with /forget."""

from __future__ import annotations

import datetime as dt

from bot.store import DELETE_WINDOW_SECONDS, Store
from bot.store.chat_messages import CLOCK_MARGIN_SECONDS


def test_ids_are_kept_for_the_deletion_window_and_forgotten(tmp_path) -> None:
    store = Store.open(tmp_path / "bot.db", b"key")
    ids = store.chat_messages
    alice, bob = store.user_key(1), store.user_key(2)
    now = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
    t = now.timestamp()
    assert ids.record(alice, [5, 6], t - DELETE_WINDOW_SECONDS - 1) == 2  # too old
    assert ids.record(alice, [7], t - DELETE_WINDOW_SECONDS + CLOCK_MARGIN_SECONDS - 1) == 1
    assert ids.record(alice, [8, 9], t - 60) == 2
    assert ids.record(alice, [9], t) == 0  # known already: its first time stays
    ids.record(bob, [8], t)
    # Only what Telegram will still delete, with a margin for clocks.
    assert ids.deletable(alice, t) == [8, 9]
    assert ids.drop(alice, [8]) == 1
    # The purge forgets what no bot can delete any more, nothing younger.
    assert store.purge(30, now=now).chat_message_ids == 2
    assert ids.deletable(alice, t) == [9] and ids.count(alice) == 2
    with store.database.reading() as db:
        columns = {c.name for c in db["chat_messages"].columns}
    assert columns == {"user_key", "message_id", "sent_at"}  # ids and times, never text
    # /forget: all of them.
    store.forget(alice)
    assert ids.count(alice) == 0 and ids.count(bob) == 1
    store.close()
