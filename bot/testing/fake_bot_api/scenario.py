"""The test side that plays Telegram's users: they send, edit, press buttons, block the
bot; and the faults a test injects (errors, delays, revoked tokens).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from bot.testing.fake_bot_api.errors import default_error_description
from bot.testing.fake_bot_api.html import utf16_length
from bot.testing.fake_bot_api.methods.chat import administrator
from bot.testing.fake_bot_api.params import Upload
from bot.testing.fake_bot_api.state import BotState, Chat, Fault, World, now
from bot.testing.fake_bot_api.transcript import transcript_lines

# Telegram's stand-in sender of an anonymous group administrator's messages.
GROUP_ANONYMOUS_BOT = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
TBILISI = (41.7151, 44.8271)  # a user's location when user_sends(kind="location") has no "lat,lon"
_COMMAND_PATTERN = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")


class Scenario(World):
    """Users act (each act becomes an update for the bot), groups are made, faults set."""

    def user_sends(
        self,
        user_id: int,
        text: str = "",
        *,
        first_name: str | None = None,
        language_code: str = "ka",
        chat_id: int | None = None,
        message_thread_id: int | None = None,
        kind: str = "text",
        reply_to_message_id: int | None = None,
        media_group_id: str | None = None,
        anonymous: bool = False,
        token: str | None = None,
    ) -> dict[str, Any]:
        """A user sends a message (private chat unless chat_id names a group); returns it.

        media_group_id: the message is one part of an album (each part is its own update,
        the caption usually on the first). anonymous: a group administrator who "remains
        anonymous" sends it: `from` is GroupAnonymousBot and `sender_chat` the group.
        """
        with self._lock:
            bot = self._bot_state(token)
            user = self._remember_user(user_id, first_name, language_code)
            chat = self._chat_for_user(bot, user, chat_id)
            content = self._user_content(bot, kind, text)
            thread_id = self._user_thread(chat, message_thread_id)
            if media_group_id is not None:
                content["media_group_id"] = media_group_id
            if anonymous:
                if chat.type == "private":
                    raise ValueError("only group administrators can write anonymously")
                content["sender_chat"] = chat.public()
            sender = GROUP_ANONYMOUS_BOT if anonymous else user
            message = self._new_message(bot, chat, sender, content, thread_id)
            if reply_to_message_id is not None:
                message["reply_to_message"] = self._reply_snapshot(
                    bot, chat.id, reply_to_message_id
                )
            bot.transcript.append((chat.id, transcript_lines(user["first_name"], message)))
            self._enqueue(bot, "message", message)
            return copy.deepcopy(message)

    def group_member_sends(
        self,
        group_id: int,
        user_id: int,
        text: str,
        *,
        message_thread_id: int | None = None,
        first_name: str | None = None,
        anonymous: bool = False,
        token: str | None = None,
    ) -> dict[str, Any]:
        """A member of a group (e.g. a counsellor) writes there, optionally inside a topic;
        anonymous: as an administrator who remains anonymous (see user_sends)."""
        return self.user_sends(
            user_id,
            text,
            first_name=first_name,
            chat_id=group_id,
            message_thread_id=message_thread_id,
            anonymous=anonymous,
            token=token,
        )

    def user_edits(
        self, user_id: int, message: dict[str, Any] | int, text: str, *, token: str | None = None
    ) -> dict[str, Any]:
        """A user edits one of their text messages; the bot gets an edited_message update."""
        with self._lock:
            bot = self._bot_state(token)
            stored = self._stored_message(bot, message, default_chat=user_id)
            if stored.get("from", {}).get("id") != user_id or "text" not in stored:
                raise ValueError("users can only edit their own text messages")
            stored["text"] = text
            stored.pop("entities", None)
            stored.update(self._command_entities(text))
            stored["edit_date"] = now()
            name = self._users[user_id]["first_name"]
            line = transcript_lines(f"{name} (edited #{stored['message_id']})", stored)
            bot.transcript.append((stored["chat"]["id"], line))
            self._enqueue(bot, "edited_message", stored)
            return copy.deepcopy(stored)

    def user_presses(
        self,
        user_id: int,
        message: dict[str, Any] | int,
        callback_data: str,
        *,
        too_old: bool = False,
        token: str | None = None,
    ) -> dict[str, Any]:
        """A user presses the inline button carrying callback_data; returns the callback_query.

        too_old: the press waited longer than Telegram keeps a query answerable (e.g. it was
        made while the bot was down): answerCallbackQuery then fails with 400 "query is too
        old and response timeout expired or query ID is invalid", as on Telegram.
        """
        with self._lock:
            bot = self._bot_state(token)
            stored = self._stored_message(bot, message, default_chat=user_id)
            label = self._button_with_data(stored, callback_data)
            user = self._remember_user(user_id, None, "ka")
            query_id = str(bot.next_callback_id)
            bot.next_callback_id += 1
            chat_id = stored["chat"]["id"]
            query = {
                "id": query_id,
                "from": user,
                "message": copy.deepcopy(stored),
                "chat_instance": f"{abs(chat_id)}{bot.user['id']}",
                "data": callback_data,
            }
            bot.callback_queries[query_id] = {
                "answered": False,
                "chat_id": chat_id,
                "too_old": too_old,
            }
            bot.transcript.append((chat_id, f"{user['first_name']} pressed [{label}]"))
            self._enqueue(bot, "callback_query", query)
            return copy.deepcopy(query)

    def redeliver(
        self, update_type: str, payload: dict[str, Any], *, token: str | None = None
    ) -> None:
        """Telegram delivers an update again (the bot crashed before confirming it): the
        same message or callback_query (a payload user_sends/user_presses returned)."""
        with self._lock:
            self._enqueue(self._bot_state(token), update_type, copy.deepcopy(payload))

    def user_blocks_bot(
        self, user_id: int, *, update: bool = True, token: str | None = None
    ) -> None:
        """The user blocks the bot: later sends to them fail with 403 "Forbidden: bot was
        blocked by the user", and the bot gets a my_chat_member update (member -> kicked)
        unless update=False (an update the bot missed, e.g. not in its allowed_updates)."""
        with self._lock:
            bot = self._bot_state(token)
            bot.blocked_by.add(user_id)
            if not update:
                return
            user = self._remember_user(
                user_id, None, self._users.get(user_id, {}).get("language_code", "ka")
            )
            chat = self._chat_for_user(bot, user, None)
            change = {
                "chat": chat.public(),
                "from": user,
                "date": now(),
                "old_chat_member": {"status": "member", "user": dict(bot.user)},
                "new_chat_member": {"status": "kicked", "user": dict(bot.user), "until_date": 0},
            }
            bot.transcript.append((chat.id, f"{user['first_name']} blocked the bot"))
            self._enqueue(bot, "my_chat_member", change)

    def user_deletes_topic(
        self, group_id: int, thread_id: int, *, token: str | None = None
    ) -> None:
        """A member deletes a forum topic in the app: the topic and its messages are gone,
        later sends there fail with 400 "message thread not found". Telegram sends the bot
        no update for this."""
        with self._lock:
            bot = self._bot_state(token)
            chat = bot.chats[group_id]
            if chat.topics.pop(thread_id, None) is None:
                raise ValueError(f"no topic {thread_id} in chat {group_id}")
            for key in [
                k
                for k, m in bot.messages.items()
                if k[0] == group_id and m.get("message_thread_id") == thread_id
            ]:
                del bot.messages[key]
            bot.transcript.append((group_id, f"a member deleted topic {thread_id}"))

    def user_closes_topic(
        self, group_id: int, thread_id: int, user_id: int, *, token: str | None = None
    ) -> dict[str, Any]:
        """A member closes a forum topic in the app: the bot gets the forum_topic_closed
        service message (from that member) in the topic."""
        with self._lock:
            bot = self._bot_state(token)
            chat = bot.chats[group_id]
            topic = chat.topics.get(thread_id)
            if topic is None or topic["closed"]:
                raise ValueError(f"no open topic {thread_id} in chat {group_id}")
            topic["closed"] = True
            user = self._remember_user(user_id, None, "ka")
            chat.members.add(user_id)
            message = self._new_message(bot, chat, user, {"forum_topic_closed": {}}, thread_id)
            bot.transcript.append((group_id, f"{user['first_name']} closed topic {thread_id}"))
            self._enqueue(bot, "message", message)
            return copy.deepcopy(message)

    def create_group(
        self,
        title: str,
        *,
        is_forum: bool = True,
        username: str | None = None,
        kind: str = "supergroup",
        token: str | None = None,
    ) -> int:
        """Adds another group ("supergroup", or a basic "group": no topics) in which the
        bot is an administrator; returns its id."""
        with self._lock:
            bot = self._bot_state(token)
            group_id = min(bot.chats) - 1
            bot.chats[group_id] = Chat(
                group_id,
                kind,
                title=title,
                username=username,
                is_forum=is_forum and kind == "supergroup",
            )
            return group_id

    def migrate_group(self, group_id: int, *, token: str | None = None) -> int:
        """A basic group becomes a (forum) supergroup with a new id, as when its admins turn
        topics on: every call naming the old id then fails with 400 "Bad Request: group chat
        was upgraded to a supergroup chat" and parameters.migrate_to_chat_id. Returns the
        new id."""
        with self._lock:
            bot = self._bot_state(token)
            old = bot.chats[group_id]
            new_id = min(min(bot.chats) - 1, -1_001_000_000_000 - abs(group_id))
            bot.chats[new_id] = Chat(new_id, "supergroup", title=old.title, is_forum=True)
            bot.chats[new_id].members = set(old.members)
            old.migrated_to = new_id
            return new_id

    def set_bot_member(
        self,
        group_id: int,
        status: str = "administrator",
        *,
        token: str | None = None,
        **rights: bool,
    ) -> None:
        """The bot's place in a group, as getChatMember shows it and the methods obey:
        "administrator" (every right, less those `rights` set False), "member",
        "creator", or "kicked" / "left" (then every call there answers 403 "Forbidden:
        bot was kicked from the supergroup chat"). Deleting messages and topics checks
        can_delete_messages; creating topics checks can_manage_topics."""
        with self._lock:
            bot = self._bot_state(token)
            if group_id not in bot.chats or bot.chats[group_id].type == "private":
                raise ValueError(f"no group {group_id}")
            if status == "administrator":
                member = administrator(bot.user, **rights)
            elif status in ("member", "creator", "kicked", "left") and not rights:
                member = {"status": status, "user": dict(bot.user)}
                if status == "creator":
                    member["is_anonymous"] = False
            else:
                raise ValueError(f"status {status!r} with rights {sorted(rights)}")
            bot.bot_members[group_id] = member
            chat = bot.chats[group_id]
            chat.bot_status = "administrator" if status == "creator" else status
            chat.bot_can_manage_topics = status == "creator" or bool(
                member.get("can_manage_topics")
            )

    def set_message_date(
        self, chat_id: int, message_id: int, date: int, *, token: str | None = None
    ) -> None:
        """Backdate (or move) a stored message: `date` is Unix time in seconds, as
        Telegram's dates. For the 48-hour rule of deleteMessage and deleteMessages."""
        with self._lock:
            message = self._bot_state(token).messages.get((chat_id, message_id))
            if message is None:
                raise ValueError(f"no message {message_id} in chat {chat_id}")
            message["date"] = int(date)

    def revoke_token(self, token: str) -> None:
        """Requests with this token now fail with 401 Unauthorized."""
        with self._lock:
            self._revoked_tokens.add(token)

    # -- test side: faults -----------------------------------------------------------------------

    def inject_error(
        self,
        method: str,
        status: int = 429,
        *,
        retry_after: int = 1,
        times: int | None = 1,
        description: str | None = None,
        chat_id: int | None = None,
    ) -> None:
        """The next `times` calls of `method` ("*" = any but getUpdates) fail with `status`;
        with chat_id, only calls for that chat (Telegram's 429s are per chat)."""
        with self._lock:
            self._faults.append(
                Fault(
                    method=method.lower(),
                    status=status,
                    description=description or default_error_description(status, retry_after),
                    retry_after=retry_after if status == 429 else None,
                    delay=0.0,
                    remaining=times,
                    chat_id=chat_id,
                )
            )

    def inject_delay(self, method: str, seconds: float, *, times: int | None = None) -> None:
        """Calls of `method` answer only after `seconds` (so clients can time out)."""
        with self._lock:
            self._faults.append(
                Fault(method.lower(), None, None, None, delay=seconds, remaining=times)
            )

    def clear_faults(self) -> None:
        """Forgets every injected error and delay."""
        with self._lock:
            self._faults.clear()

    def reset(self) -> None:
        """Forgets every bot, user and fault, for reusing one server across tests."""
        with self._lock:
            self._bots.clear()
            self._users.clear()
            self._faults.clear()
            self._revoked_tokens.clear()

    # -- helpers -----------------------------------------------------------------------------------

    def _remember_user(
        self, user_id: int, first_name: str | None, language_code: str
    ) -> dict[str, Any]:
        user = self._users.setdefault(
            user_id, {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        )
        if first_name:
            user["first_name"] = first_name
        user["language_code"] = language_code
        return dict(user)

    def _chat_for_user(self, bot: BotState, user: dict[str, Any], chat_id: int | None) -> Chat:
        if chat_id is None or chat_id == user["id"]:
            chat = bot.chats.get(user["id"])
            if chat is None:
                chat = Chat(user["id"], "private", first_name=user["first_name"])
                bot.chats[user["id"]] = chat
            return chat
        chat = bot.chats.get(chat_id)
        if chat is None or chat.type == "private":
            raise ValueError(f"no group {chat_id}; use create_group() or DEFAULT_GROUP_ID")
        chat.members.add(user["id"])
        return chat

    def _user_thread(self, chat: Chat, thread_id: int | None) -> int | None:
        if thread_id is None or not chat.is_forum:
            return None
        topic = chat.topics.get(thread_id)
        if topic is None:
            raise ValueError(f"no topic {thread_id} in chat {chat.id}")
        if topic["closed"]:
            raise ValueError(f"topic {thread_id} is closed; members cannot write there")
        return thread_id

    def _user_content(self, bot: BotState, kind: str, text: str) -> dict[str, Any]:
        if kind == "text":
            if not text:
                raise ValueError("a text message needs text")
            return {"text": text, **self._command_entities(text)}
        if kind == "location":
            latitude, longitude = _parse_location(text)
            return {"location": {"latitude": latitude, "longitude": longitude}}
        media = {
            "photo": ("photo.jpg", "image/jpeg", b"\xff\xd8\xff\xe0fake-jpeg"),
            "voice": ("voice.ogg", "audio/ogg", b"OggSfake-voice"),
            "document": ("document.pdf", "application/pdf", b"%PDF-1.4 fake"),
            "sticker": ("sticker.webp", "image/webp", b"RIFFfake-webp"),
        }
        if kind not in media:
            raise ValueError(f"unknown message kind {kind!r}")
        stored = self._store_file(bot, Upload(*media[kind]), kind)
        content: dict[str, Any] = {kind: self._media_payload(kind, stored, emoji=text or "🙂")}
        if text and kind != "sticker":
            content["caption"] = text
        return content

    @staticmethod
    def _command_entities(text: str) -> dict[str, Any]:
        # PTB's CommandHandler only fires on a bot_command entity at offset 0.
        match = _COMMAND_PATTERN.match(text)
        if not match:
            return {}
        entity = {"type": "bot_command", "offset": 0, "length": utf16_length(match.group(0))}
        return {"entities": [entity]}

    def _stored_message(
        self, bot: BotState, message: dict[str, Any] | int | Any, *, default_chat: int
    ) -> dict[str, Any]:
        if isinstance(message, int):
            key = (default_chat, message)
        elif isinstance(message, dict):
            key = (int(message["chat"]["id"]), int(message["message_id"]))
        else:  # a PTB Message object
            key = (int(message.chat_id), int(message.message_id))
        stored = bot.messages.get(key)
        if stored is None:
            raise ValueError(f"no message {key[1]} in chat {key[0]}")
        return stored

    @staticmethod
    def _button_with_data(message: dict[str, Any], callback_data: str) -> str:
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        for button in (button for row in rows for button in row):
            if button.get("callback_data") == callback_data:
                return str(button["text"])
        raise ValueError(f"message {message['message_id']} has no button {callback_data!r}")

    def _reply_snapshot(self, bot: BotState, chat_id: int, message_id: int) -> dict[str, Any]:
        original = bot.messages.get((chat_id, message_id))
        if original is None:
            raise ValueError(f"no message {message_id} in chat {chat_id}")
        snapshot = copy.deepcopy(original)
        snapshot.pop("reply_to_message", None)  # Telegram does not nest replies further
        return snapshot


def _parse_location(text: str) -> tuple[float, float]:
    if not text:
        return TBILISI
    latitude, longitude = (float(part) for part in text.split(","))
    return latitude, longitude
