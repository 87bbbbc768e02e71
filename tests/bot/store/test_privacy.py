"""/forget and the retention purge across the tables."""

from __future__ import annotations

import datetime as dt

from bot.store import Store


def test_storage_forget_and_retention(tmp_path) -> None:
    store = Store.open(tmp_path / "bot.db", b"key")
    conversations = store.conversations
    alice, bob = store.user_key(1), store.user_key(2)
    for key, chat in ((alice, 1), (bob, 2)):
        conversations.touch_user(key, chat, lang="ka")
        conversations.log_message(key, "ka", "answer", "question", entry_id="x", score=0.9)
        store.feedback.add(key, "x", 1)
        conversations.add_handoff(key, "ka", "button")
    conversations.touch_user(alice, 1, last_lang="en")
    assert conversations.user(alice).lang == "ka" and conversations.user(alice).last_lang == "en"
    with store.database.reading() as db:
        assert db.execute("pragma journal_mode").fetchone()[0] == "wal"

    assert store.forget(alice) == 4
    assert conversations.user(alice) is None
    assert all(conversations.count(t, alice) == 0 for t in ("messages", "feedback", "handoffs"))
    assert conversations.count("messages", bob) == 1

    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    assert store.purge(30, now=later).message_texts == 1
    assert store.purge(30, now=later).message_texts == 0
    with store.database.reading() as db:
        [row] = db["messages"].rows
    assert row["text"] is None and row["entry_id"] == "x"
    store.close()
