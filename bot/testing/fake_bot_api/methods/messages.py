"""Bot API methods on messages: send, edit, delete, copy, forward, location, chat action."""

from __future__ import annotations

import copy
from typing import Any

from bot.testing.fake_bot_api.errors import NOT_MODIFIED, bad_request
from bot.testing.fake_bot_api.methods.common import MethodPlumbing
from bot.testing.fake_bot_api.params import Params
from bot.testing.fake_bot_api.state import BotState, now
from bot.testing.fake_bot_api.transcript import transcript_lines

CHAT_ACTIONS = {  # the actions sendChatAction accepts (Bot API)
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}
_MESSAGE_CONTENT_KEYS = (
    "text",
    "entities",
    "photo",
    "document",
    "voice",
    "sticker",
    "location",
    "caption",
    "caption_entities",
)


class MessageMethods(MethodPlumbing):
    """sendMessage, editMessageText, editMessageReplyMarkup, deleteMessage, copyMessage,
    forwardMessage, sendLocation and sendChatAction."""

    def _send_message(self, bot: BotState, params: Params) -> dict[str, Any]:
        chat = self._target_chat(bot, params)
        return self._bot_sends(bot, chat, self._message_text(params), params)

    def _edit_message_text(self, bot: BotState, params: Params) -> dict[str, Any]:
        message = self._own_message(bot, params, "message to edit not found")
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        content = self._message_text(params)
        markup = self._markup(params)
        new_markup = markup if markup and "inline_keyboard" in markup else None
        unchanged = (
            content.get("text") == message.get("text")
            and content.get("entities") == message.get("entities")
            and new_markup == message.get("reply_markup")
        )
        if unchanged:
            raise bad_request(NOT_MODIFIED)
        message.pop("entities", None)
        message.update(content)
        return self._finish_edit(bot, message, new_markup)

    def _edit_message_reply_markup(self, bot: BotState, params: Params) -> dict[str, Any]:
        message = self._own_message(bot, params, "message to edit not found")
        markup = self._markup(params)
        new_markup = markup if markup and "inline_keyboard" in markup else None
        if new_markup == message.get("reply_markup"):
            raise bad_request(NOT_MODIFIED)
        return self._finish_edit(bot, message, new_markup)

    def _finish_edit(
        self, bot: BotState, message: dict[str, Any], markup: dict[str, Any] | None
    ) -> dict[str, Any]:
        message.pop("reply_markup", None)
        if markup is not None:
            message["reply_markup"] = markup
        message["edit_date"] = now()
        speaker = f"bot (edited #{message['message_id']})"
        bot.transcript.append((message["chat"]["id"], transcript_lines(speaker, message, markup)))
        return copy.deepcopy(message)

    def _delete_message(self, bot: BotState, params: Params) -> bool:
        chat = self._target_chat(bot, params)
        message_id = params.integer("message_id", required="message identifier is not specified")
        if bot.messages.pop((chat.id, message_id or 0), None) is None:
            raise bad_request("message to delete not found")
        bot.transcript.append((chat.id, f"bot deleted #{message_id}"))
        return True

    def _send_chat_action(self, bot: BotState, params: Params) -> bool:
        chat = self._target_chat(bot, params)
        if params.text("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self._thread_for_send(chat, params)
        return True

    def _source_message(self, bot: BotState, params: Params) -> dict[str, Any]:
        source_chat = self._target_chat(bot, params, key="from_chat_id")
        message_id = params.integer("message_id", required="message identifier is not specified")
        original = bot.messages.get((source_chat.id, message_id or 0))
        if original is None:
            raise bad_request("message to copy not found")
        if not any(key in original for key in _MESSAGE_CONTENT_KEYS):
            raise bad_request("message can't be copied")
        return original

    def _copy_message(self, bot: BotState, params: Params) -> dict[str, Any]:
        chat = self._target_chat(bot, params)
        original = self._source_message(bot, params)
        content = {key: original[key] for key in _MESSAGE_CONTENT_KEYS if key in original}
        if params.get("caption") is not None and "text" not in content:
            content.pop("caption_entities", None)
            content.update(self._caption(params))
        message = self._bot_sends(bot, chat, content, params)
        return {"message_id": message["message_id"]}

    def _forward_message(self, bot: BotState, params: Params) -> dict[str, Any]:
        chat = self._target_chat(bot, params)
        original = self._source_message(bot, params)
        content = {key: original[key] for key in _MESSAGE_CONTENT_KEYS if key in original}
        content["forward_origin"] = {
            "type": "user",
            "sender_user": original["from"],
            "date": original["date"],
        }
        return self._bot_sends(bot, chat, content, params)

    def _send_location(self, bot: BotState, params: Params) -> dict[str, Any]:
        chat = self._target_chat(bot, params)
        latitude = params.number("latitude", required="latitude is empty")
        longitude = params.number("longitude", required="longitude is empty")
        assert latitude is not None and longitude is not None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise bad_request("wrong location")
        content = {"location": {"latitude": latitude, "longitude": longitude}}
        return self._bot_sends(bot, chat, content, params)
