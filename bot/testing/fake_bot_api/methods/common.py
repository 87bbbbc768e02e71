"""What several Bot API methods share: finding the chat, formatting text, checking
keyboards, replies and topics, and recording what the bot sent.
"""

from __future__ import annotations

import copy
from typing import Any

from bot.testing.fake_bot_api.errors import (
    BLOCKED_BY_USER,
    KICKED_FROM_SUPERGROUP,
    MIGRATED,
    ApiError,
    bad_request,
)
from bot.testing.fake_bot_api.html import parse_html
from bot.testing.fake_bot_api.params import Params
from bot.testing.fake_bot_api.state import BotState, Chat, World
from bot.testing.fake_bot_api.transcript import transcript_lines

# Limits of https://core.telegram.org/bots/api: sendMessage text 1-4096 characters and
# captions 0-1024 after entities parsing; InlineKeyboardButton callback_data 1-64 bytes.
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64


class MethodPlumbing(World):
    """Checks and steps shared by the Bot API methods, with Telegram's errors."""

    def _target_chat(self, bot: BotState, params: Params, key: str = "chat_id") -> Chat:
        value = params.get(key)
        if value is None:
            raise bad_request(f"{key} is empty")
        chat = self._lookup_chat(bot, value)
        if chat is None:
            raise bad_request("chat not found")
        if chat.type == "private" and chat.id in bot.blocked_by:
            raise ApiError(403, BLOCKED_BY_USER)
        if chat.migrated_to is not None:
            raise ApiError(400, MIGRATED, {"migrate_to_chat_id": chat.migrated_to})
        if chat.type != "private" and chat.bot_status in ("left", "kicked"):
            raise ApiError(403, KICKED_FROM_SUPERGROUP)
        return chat

    @staticmethod
    def _lookup_chat(bot: BotState, value: Any) -> Chat | None:
        if isinstance(value, str) and value.startswith("@"):
            name = value[1:].lower()
            return next((c for c in bot.chats.values() if (c.username or "").lower() == name), None)
        try:
            return bot.chats.get(int(value))
        except (TypeError, ValueError):
            return None

    @staticmethod
    def _format(
        raw: str, parse_mode: str | None, explicit_entities: Any, *, limit: int, too_long: str
    ) -> tuple[str, list[dict[str, Any]]]:
        mode = (parse_mode or "").lower()
        if mode == "html":
            text, entities = parse_html(raw)
        elif mode in ("", "markdown", "markdownv2"):  # Markdown is passed through unchecked
            text = raw
            entities = explicit_entities if isinstance(explicit_entities, list) else []
        else:
            raise bad_request("unsupported parse_mode")
        if len(text) > limit:
            raise bad_request(too_long)
        return text, entities

    def _message_text(self, params: Params) -> dict[str, Any]:
        text, entities = self._format(
            params.text("text") or "",
            params.text("parse_mode"),
            params.get("entities"),
            limit=MAX_TEXT_LENGTH,
            too_long="message is too long",
        )
        if not text.strip():
            raise bad_request("message text is empty")
        return {"text": text, "entities": entities} if entities else {"text": text}

    def _caption(self, params: Params) -> dict[str, Any]:
        raw = params.text("caption")
        if raw is None:
            return {}
        caption, entities = self._format(
            raw,
            params.text("parse_mode"),
            params.get("caption_entities"),
            limit=MAX_CAPTION_LENGTH,
            too_long="message caption is too long",
        )
        content: dict[str, Any] = {"caption": caption} if caption else {}
        if entities:
            content["caption_entities"] = entities
        return content

    def _thread_for_send(self, chat: Chat, params: Params) -> int | None:
        thread_id = params.integer("message_thread_id")
        if thread_id is None or not chat.is_forum:
            return None
        if thread_id not in chat.topics:
            raise bad_request("message thread not found")
        # The bot is an administrator with can_manage_topics, so closed topics accept it.
        return thread_id

    def _reply_target(self, bot: BotState, chat: Chat, params: Params) -> dict[str, Any] | None:
        reply = params.structured(
            "reply_parameters", dict, invalid="can't parse reply parameters JSON object"
        )
        if reply is None and params.integer("reply_to_message_id") is not None:
            reply = {
                "message_id": params.integer("reply_to_message_id"),
                "allow_sending_without_reply": params.flag("allow_sending_without_reply"),
            }
        if reply is None:
            return None
        reply_chat = self._lookup_chat(bot, reply.get("chat_id", chat.id)) or chat
        original = bot.messages.get((reply_chat.id, int(reply["message_id"])))
        if original is None:
            if reply.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        snapshot = copy.deepcopy(original)
        snapshot.pop("reply_to_message", None)
        return snapshot

    def _markup(self, params: Params) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            for button in _rows_of_buttons(markup["inline_keyboard"]):
                _check_inline_button(button)
        elif "keyboard" in markup:
            _rows_of_buttons(markup["keyboard"])
        elif not (markup.get("remove_keyboard") or markup.get("force_reply")):
            raise bad_request("can't parse reply keyboard markup JSON object")
        return markup

    def _bot_sends(
        self, bot: BotState, chat: Chat, content: dict[str, Any], params: Params
    ) -> dict[str, Any]:
        thread_id = self._thread_for_send(chat, params)
        reply_to = self._reply_target(bot, chat, params)
        markup = self._markup(params)
        if thread_id is None and reply_to is not None and chat.is_forum:
            thread_id = reply_to.get("message_thread_id")
        full = dict(content)
        if reply_to is not None:
            full["reply_to_message"] = reply_to
        if markup is not None and "inline_keyboard" in markup:
            full["reply_markup"] = markup  # Telegram echoes only inline keyboards
        message = self._new_message(bot, chat, bot.user, full, thread_id)
        bot.sent_messages.append(copy.deepcopy(message))
        bot.transcript.append((chat.id, transcript_lines("bot", message, markup)))
        return copy.deepcopy(message)

    def _own_message(self, bot: BotState, params: Params, missing: str) -> dict[str, Any]:
        if params.get("inline_message_id") is not None:
            raise bad_request("inline messages are not supported by the fake Bot API")
        chat = self._target_chat(bot, params)
        message_id = params.integer("message_id", required="message identifier is not specified")
        assert message_id is not None
        message = bot.messages.get((chat.id, message_id))
        if message is None:
            raise bad_request(missing)
        if message["from"]["id"] != bot.user["id"]:
            raise bad_request("message can't be edited")
        return message


def _rows_of_buttons(rows: Any) -> list[Any]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return [button for row in rows for button in row]


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not str(button.get("text", "")).strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = set(button) - {"text", "style", "icon_custom_emoji_id"}
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        size = len(str(button["callback_data"]).encode())
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not str(button["url"]).startswith(("http://", "https://", "tg://")):
        raise bad_request(
            f"inline keyboard button URL '{button['url']}' is invalid: Wrong HTTP URL"
        )
