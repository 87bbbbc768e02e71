"""Bot API methods on messages: send, edit, delete, copy, forward, location, chat action."""

from __future__ import annotations

import copy
from typing import Any

from bot.testing.fake_bot_api.errors import NOT_MODIFIED, bad_request
from bot.testing.fake_bot_api.methods.chat import may_delete_any_message
from bot.testing.fake_bot_api.methods.common import MethodPlumbing
from bot.testing.fake_bot_api.params import Params
from bot.testing.fake_bot_api.state import BotState, Chat, now
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


MAX_DELETE_IDS = 100  # deleteMessages: "1-100 identifiers of messages to delete" (Bot API)
DELETE_WINDOW_SECONDS = 48 * 3600  # "can only be deleted if it was sent less than 48 hours ago"
# Service messages nobody may delete: "Service messages about a supergroup, channel, or forum
# topic creation can't be deleted" (Bot API, deleteMessage).
_UNDELETABLE_SERVICE = ("forum_topic_created",)


def deletion_refusal(bot: BotState, chat: Chat, message: dict[str, Any]) -> str | None:
    """Why Telegram would refuse to delete `message` for the bot, in its words; None if
    it may. Rules of the Bot API's deleteMessage, with TDLib's texts (MessagesManager
    can_delete_message / can_revoke_message; bots: 2 * 86400 s, inclusive):

    - older than 48 hours: in a private chat "message can't be deleted for everyone"
      (the bot could delete it only for itself), elsewhere "message can't be deleted";
    - a private chat: the bot's own messages and the user's may go;
    - a supergroup: the bot's own messages, or any with can_delete_messages; never the
      service message that created the group or a topic.
    """
    too_old = now() - int(message["date"]) > DELETE_WINDOW_SECONDS
    if chat.type == "private":
        return "message can't be deleted for everyone" if too_old else None
    if too_old or any(key in message for key in _UNDELETABLE_SERVICE):
        return "message can't be deleted"
    own = message["from"]["id"] == bot.user["id"]
    if not own and not may_delete_any_message(bot, chat.id):
        return "message can't be deleted"
    return None


class MessageMethods(MethodPlumbing):
    """sendMessage, editMessageText, editMessageReplyMarkup, deleteMessage, deleteMessages,
    copyMessage, forwardMessage, sendLocation and sendChatAction."""

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
        message = bot.messages.get((chat.id, message_id or 0))
        if message is None:
            raise bad_request("message to delete not found")
        refusal = deletion_refusal(bot, chat, message)
        if refusal:
            raise bad_request(refusal)
        self._delete_stored(bot, chat, [message_id or 0])
        return True

    def _delete_messages(self, bot: BotState, params: Params) -> bool:
        """deleteMessages: 1-100 ids of one chat. Ids not found (deleted, never sent, of
        another chat) are skipped; if any found one may not be deleted, the call fails
        and nothing is deleted (TDLib checks them all first: MessagesManager::delete_messages,
        behind telegram-bot-api's process_delete_messages_query)."""
        chat = self._target_chat(bot, params)
        ids = params.structured("message_ids", list, invalid="can't parse message_ids JSON object")
        if not ids:
            raise bad_request("message identifiers are not specified")
        if len(ids) > MAX_DELETE_IDS:
            raise bad_request("too many message identifiers specified")
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            raise bad_request("message identifier must be a Number")
        if any(i <= 0 for i in ids):
            raise bad_request("invalid message identifier specified")
        found = [i for i in dict.fromkeys(ids) if (chat.id, i) in bot.messages]
        for message_id in found:
            refusal = deletion_refusal(bot, chat, bot.messages[(chat.id, message_id)])
            if refusal:
                raise bad_request(refusal)
        self._delete_stored(bot, chat, found)
        return True

    @staticmethod
    def _delete_stored(bot: BotState, chat: Chat, message_ids: list[int]) -> None:
        for message_id in message_ids:
            bot.messages.pop((chat.id, message_id), None)
            bot.transcript.append((chat.id, f"bot deleted #{message_id}"))

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
