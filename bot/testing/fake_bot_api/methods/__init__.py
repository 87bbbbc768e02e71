"""The Bot API methods the fake knows, a module per group: messages, callbacks (button
presses), forum topics, chat (the bot, its webhook and commands, chats and members), files.

Each method is `handler(bot, params) -> result` (the `result` of Telegram's answer), called
by the server under the lock; it raises ApiError with Telegram's text for what Telegram
refuses. getUpdates, which waits, is the server's own (long polling).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.testing.fake_bot_api.methods.callbacks import CallbackMethods
from bot.testing.fake_bot_api.methods.chat import ChatMethods
from bot.testing.fake_bot_api.methods.files import FileMethods
from bot.testing.fake_bot_api.methods.messages import MessageMethods
from bot.testing.fake_bot_api.methods.topics import ForumTopicMethods
from bot.testing.fake_bot_api.params import Params
from bot.testing.fake_bot_api.state import BotState

Handler = Callable[[BotState, Params], Any]


class BotApiMethods(MessageMethods, CallbackMethods, ForumTopicMethods, ChatMethods, FileMethods):
    """Every Bot API method of the fake, by its name in the Bot API."""

    def _method_table(self) -> dict[str, Handler]:
        return {
            "getUpdates": self._unreachable,  # handled asynchronously in _dispatch
            "getMe": self._get_me,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "copyMessage": self._copy_message,
            "forwardMessage": self._forward_message,
            "sendPhoto": lambda bot, p: self._send_media(bot, p, "photo"),
            "sendDocument": lambda bot, p: self._send_media(bot, p, "document"),
            "sendVoice": lambda bot, p: self._send_media(bot, p, "voice"),
            "sendSticker": lambda bot, p: self._send_media(bot, p, "sticker"),
            "sendLocation": self._send_location,
            "getFile": self._get_file,
            "createForumTopic": self._create_forum_topic,
            "closeForumTopic": lambda bot, p: self._set_topic_closed(bot, p, closed=True),
            "reopenForumTopic": lambda bot, p: self._set_topic_closed(bot, p, closed=False),
            "editForumTopic": self._edit_forum_topic,
            "deleteForumTopic": self._delete_forum_topic,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "close": lambda bot, p: True,
            "logOut": lambda bot, p: True,
        }

    @staticmethod
    def _unreachable(bot: BotState, params: Params) -> Any:
        raise AssertionError("getUpdates is dispatched separately")
