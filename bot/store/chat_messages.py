"""The message ids of each citizen's private chat with the bot, for /clear.

/clear ("delete this chat from my phone") deletes every message of the chat
that Telegram lets a bot delete: its own and the citizen's, sent less than
48 hours ago (Bot API, deleteMessage: "A message can only be deleted if it
was sent less than 48 hours ago"; "Bots can delete incoming messages in
private chats"). To know which, the bot keeps each message's id and time,
never its text, by the citizen's pseudonymous `user_key` (the chat id of a
private chat is the user's id), and only while it could still delete it: the
hourly purge (bot.store.privacy) drops rows older than DELETE_WINDOW, and
/forget drops them all (PERSONAL_TABLES).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.store.database import Database

DELETE_WINDOW_SECONDS = 48 * 3600  # Bot API, deleteMessage; TDLib: 2 * 86400 s for bots
# Ids younger than the window by less than this are not tried: Telegram's clock and the
# bot's may differ, and one message too old fails a whole deleteMessages call.
CLOCK_MARGIN_SECONDS = 300


class ChatMessages:
    """The `chat_messages` table: (user_key, message_id, sent_at), ids and times only."""

    def __init__(self, database: Database):
        self.database = database

    def record(self, user_key: str, message_ids: Iterable[int], sent_at: float) -> int:
        """Remember messages of the user's private chat; sent_at is Unix time in seconds
        (Telegram's `date` where known). Ids already known are kept as they are.
        Returns how many were new."""
        rows = [[user_key, int(message_id), float(sent_at)] for message_id in message_ids]
        if not rows:
            return 0
        with self.database.transaction() as db:
            return db.conn.executemany(
                "insert or ignore into chat_messages (user_key, message_id, sent_at) "
                "values (?, ?, ?)",
                rows,
            ).rowcount

    def deletable(self, user_key: str, now: float) -> list[int]:
        """The ids the bot may still delete at `now` (Unix seconds), oldest first: sent
        within DELETE_WINDOW_SECONDS less CLOCK_MARGIN_SECONDS."""
        since = now - DELETE_WINDOW_SECONDS + CLOCK_MARGIN_SECONDS
        with self.database.reading() as db:
            rows = db.execute(
                "select message_id from chat_messages where user_key = ? and sent_at > ? "
                "order by message_id",
                [user_key, since],
            ).fetchall()
        return [row[0] for row in rows]

    def drop(self, user_key: str, message_ids: Iterable[int]) -> int:
        """Forget these ids of the user's chat (deleted, or never to be deleted); returns
        how many rows went."""
        ids = [[user_key, int(message_id)] for message_id in message_ids]
        if not ids:
            return 0
        with self.database.transaction() as db:
            return db.conn.executemany(
                "delete from chat_messages where user_key = ? and message_id = ?", ids
            ).rowcount

    def count(self, user_key: str) -> int:
        """How many ids of the user's chat are kept."""
        with self.database.reading() as db:
            row = db.execute(
                "select count(*) from chat_messages where user_key = ?", [user_key]
            ).fetchone()
        return int(row[0])
