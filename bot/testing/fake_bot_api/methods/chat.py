"""Bot API methods on the bot and its chats: getMe, the webhook, the command lists,
getChat and getChatMember."""

from __future__ import annotations

import re
from typing import Any

from bot.testing.fake_bot_api.errors import bad_request
from bot.testing.fake_bot_api.methods.common import MethodPlumbing
from bot.testing.fake_bot_api.params import Params
from bot.testing.fake_bot_api.state import BotState, commands_key

_BOT_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")


class ChatMethods(MethodPlumbing):
    """getMe, deleteWebhook, setWebhook, getWebhookInfo, setMyCommands, getMyCommands,
    deleteMyCommands, getChat and getChatMember."""

    def _get_me(self, bot: BotState, params: Params) -> dict[str, Any]:
        return {
            **bot.user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _delete_webhook(self, bot: BotState, params: Params) -> bool:
        bot.webhook = None
        if params.flag("drop_pending_updates"):
            bot.updates.clear()
        return True

    def _set_webhook(self, bot: BotState, params: Params) -> bool:
        url = params.text("url")
        if not url:
            return self._delete_webhook(bot, params)
        if not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        bot.webhook = {
            "url": url,
            "secret_token": params.text("secret_token"),
            "allowed_updates": params.get("allowed_updates"),
            "max_connections": params.integer("max_connections") or 40,
        }
        if params.flag("drop_pending_updates"):
            bot.updates.clear()
        return True

    def _get_webhook_info(self, bot: BotState, params: Params) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": bot.webhook["url"] if bot.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(bot.updates),
        }
        if bot.webhook:
            info["max_connections"] = bot.webhook["max_connections"]
            if bot.webhook["allowed_updates"]:
                info["allowed_updates"] = bot.webhook["allowed_updates"]
        return info

    def _set_my_commands(self, bot: BotState, params: Params) -> bool:
        commands = params.structured("commands", list, invalid="can't parse commands JSON object")
        if commands is None:
            raise bad_request('parameter "commands" is required')
        for command in commands:
            if not _BOT_COMMAND_NAME.match(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("command description is empty or too long")
        key = commands_key(params.get("scope"), params.text("language_code") or "")
        bot.commands[key] = commands
        return True

    def _get_my_commands(self, bot: BotState, params: Params) -> list[dict[str, Any]]:
        key = commands_key(params.get("scope"), params.text("language_code") or "")
        return bot.commands.get(key, [])

    def _delete_my_commands(self, bot: BotState, params: Params) -> bool:
        bot.commands.pop(
            commands_key(params.get("scope"), params.text("language_code") or ""), None
        )
        return True

    def _get_chat(self, bot: BotState, params: Params) -> dict[str, Any]:
        chat = self._target_chat(bot, params)
        return {
            **chat.public(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _get_chat_member(self, bot: BotState, params: Params) -> dict[str, Any]:
        chat = self._target_chat(bot, params)
        user_id = params.integer("user_id", required="user not found")
        if user_id == bot.user["id"]:
            if chat.type == "private" or chat.bot_status != "administrator":
                status = "member" if chat.type == "private" else chat.bot_status
                return {"status": status, "user": bot.user}
            member = _administrator(bot.user)
            member["can_manage_topics"] = chat.bot_can_manage_topics
            return member
        user = self._users.get(user_id or 0)
        if user is None:
            raise bad_request("user not found")
        is_member = chat.id == user_id or user_id in chat.members
        return {"status": "member" if is_member else "left", "user": user}


_ADMINISTRATOR_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
    "can_manage_topics",
)


def _administrator(user: dict[str, Any]) -> dict[str, Any]:
    member: dict[str, Any] = {"status": "administrator", "user": user}
    member.update(dict.fromkeys(_ADMINISTRATOR_RIGHTS, True))
    member.update(can_be_edited=False, is_anonymous=False, can_promote_members=False)
    return member
