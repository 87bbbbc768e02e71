"""Bot API methods on forum topics: create, close, reopen, edit (name, icon), delete."""

from __future__ import annotations

from typing import Any

from bot.testing.fake_bot_api.errors import NO_TOPIC_RIGHTS, ApiError, bad_request
from bot.testing.fake_bot_api.methods.chat import may_delete_any_message
from bot.testing.fake_bot_api.methods.common import MethodPlumbing
from bot.testing.fake_bot_api.params import Params
from bot.testing.fake_bot_api.state import BotState, Chat

FORUM_ICON_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)


class ForumTopicMethods(MethodPlumbing):
    """createForumTopic, closeForumTopic, reopenForumTopic, editForumTopic and
    deleteForumTopic, with the service messages Telegram posts in the topic."""

    def _forum(self, bot: BotState, params: Params) -> Chat:
        chat = self._target_chat(bot, params)
        if not chat.is_forum:
            raise bad_request("the chat is not a forum")
        return chat

    def _topic(self, chat: Chat, params: Params) -> tuple[int, dict[str, Any]]:
        thread_id = params.integer("message_thread_id", required="message thread not found")
        topic = chat.topics.get(thread_id or 0)
        if topic is None:
            raise bad_request("message thread not found")
        return thread_id or 0, topic

    def _topic_service_message(
        self, bot: BotState, chat: Chat, thread_id: int | None, content: dict[str, Any]
    ) -> dict[str, Any]:
        message = self._new_message(bot, chat, bot.user, content)
        thread = thread_id if thread_id is not None else message["message_id"]
        message["message_thread_id"] = thread
        message["is_topic_message"] = True
        return message

    def _create_forum_topic(self, bot: BotState, params: Params) -> dict[str, Any]:
        chat = self._forum(bot, params)
        if chat.bot_status != "administrator" or not chat.bot_can_manage_topics:
            raise ApiError(400, NO_TOPIC_RIGHTS)
        name = params.text("name") or ""
        if not 1 <= len(name) <= 128:
            raise bad_request("TOPIC_TITLE_EMPTY" if not name else "TOPIC_TITLE_TOO_LONG")
        icon_color = params.integer("icon_color") or FORUM_ICON_COLORS[0]
        if icon_color not in FORUM_ICON_COLORS:
            raise bad_request("TOPIC_ICON_COLOR_INVALID")
        created = {"name": name, "icon_color": icon_color}
        service = self._topic_service_message(bot, chat, None, {"forum_topic_created": created})
        thread_id = service["message_thread_id"]
        chat.topics[thread_id] = {**created, "closed": False}
        bot.transcript.append((chat.id, f'bot created topic {thread_id} "{name}"'))
        return {"message_thread_id": thread_id, **created}

    def _set_topic_closed(self, bot: BotState, params: Params, *, closed: bool) -> bool:
        chat = self._forum(bot, params)
        thread_id, topic = self._topic(chat, params)
        if topic["closed"] == closed:
            raise bad_request("TOPIC_NOT_MODIFIED")
        topic["closed"] = closed
        event = "forum_topic_closed" if closed else "forum_topic_reopened"
        self._topic_service_message(bot, chat, thread_id, {event: {}})
        verb = "closed" if closed else "reopened"
        bot.transcript.append((chat.id, f"bot {verb} topic {thread_id}"))
        return True

    def _edit_forum_topic(self, bot: BotState, params: Params) -> bool:
        chat = self._forum(bot, params)
        thread_id, topic = self._topic(chat, params)
        changes = {
            key: value
            for key in ("name", "icon_custom_emoji_id")
            if (value := params.text(key)) is not None and topic.get(key) != value
        }
        if not changes:
            raise bad_request("TOPIC_NOT_MODIFIED")
        if "name" in changes and len(changes["name"]) > 128:
            raise bad_request("TOPIC_TITLE_TOO_LONG")
        topic.update(changes)
        self._topic_service_message(bot, chat, thread_id, {"forum_topic_edited": changes})
        bot.transcript.append((chat.id, f"bot renamed topic {thread_id}: {changes}"))
        return True

    def _delete_forum_topic(self, bot: BotState, params: Params) -> bool:
        """deleteForumTopic: the topic and every message in it.

        The Bot API: "The bot must be an administrator in the chat for this to work and
        must have the can_delete_messages administrator rights". Without it TDLib answers
        "Not enough rights to delete the topic" (ForumTopicManager::delete_forum_topic) for
        a topic the bot did not create; for one it did, TDLib asks Telegram, whose answer
        no source gives, so the fake says the same.
        """
        chat = self._forum(bot, params)
        thread_id, _ = self._topic(chat, params)
        if not may_delete_any_message(bot, chat.id):
            raise bad_request("not enough rights to delete the topic")
        del chat.topics[thread_id]
        for key in [k for k, m in bot.messages.items()
                    if k[0] == chat.id and m.get("message_thread_id") == thread_id]:  # fmt: skip
            del bot.messages[key]
        bot.transcript.append((chat.id, f"bot deleted topic {thread_id}"))
        return True
