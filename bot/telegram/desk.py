"""The counsellors' group as Telegram sees it: checked at start, followed when migrated.

What makes the group unusable, and how it shows (Bot API errors as Telegram words them):
- a basic group that became a supergroup: 400 "group chat was upgraded to a supergroup
  chat" with parameters.migrate_to_chat_id (PTB: ChatMigrated) -> followed: the bot
  uses the new id from then on and logs the id to put in the settings;
- not a supergroup, or topics off: getChat type / is_forum;
- the bot not an administrator, or without "manage topics": getChatMember;
- the bot removed: 403 "bot was kicked from the supergroup chat".
While a problem lasts, `Handoff.desk_problem` says what it is: citizens are told
honestly that no counsellor can see their request yet (never "number 1 in the
queue"), and the relay keeps retrying the group's rows until the group works.
"""

from __future__ import annotations

import dataclasses
import logging

from telegram import Bot
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import ChatMigrated, TelegramError
from telegram.ext import Application, filters

from bot.telegram.context import services_of

log = logging.getLogger(__name__)


async def desk_problem(bot: Bot, group_id: int) -> str | None:
    """What keeps the bot from using the group as a forum desk, in plain words; None if
    nothing does.

    Raises:
        ChatMigrated: the group became a supergroup (error.new_chat_id).
    """
    try:
        chat = await bot.get_chat(group_id)
        me = await bot.get_chat_member(group_id, bot.id)
    except ChatMigrated:
        raise
    except TelegramError as error:
        return f"the bot cannot reach the counsellors' group ({error})"
    if chat.type != ChatType.SUPERGROUP:
        return "the counsellors' group is not a supergroup: turn on topics in its settings"
    if not chat.is_forum:
        return "the counsellors' group has topics turned off: turn them on"
    if me.status != ChatMemberStatus.ADMINISTRATOR:
        return "the bot is not an administrator of the counsellors' group"
    if not getattr(me, "can_manage_topics", False):
        return "the bot may not manage topics in the counsellors' group: give it that right"
    return None


def follow_migration(app: Application, new_id: int) -> None:
    """Use the supergroup a migrated counsellors' group became, from now on."""
    s = services_of(app)
    old_id = s.settings.counsellors.chat_id
    if old_id == new_id:
        return
    counsellors = dataclasses.replace(s.settings.counsellors, chat_id=new_id)
    s.settings = dataclasses.replace(s.settings, counsellors=counsellors)
    s.handoff.settings = counsellors
    s.store.tickets.move_group(old_id, new_id)  # the tickets' topics are the new group's
    relay = app.bot_data.get("relay")
    if relay is not None:
        relay.group_id = new_id
        relay.counsellors = counsellors
    group_filter: filters.Chat | None = app.bot_data.get("group_filter")
    if group_filter is not None:
        group_filter.add_chat_ids(new_id)
    # No chat id in the log (docs/privacy); the admins get it in Telegram (check_desk).
    log.error(
        "the counsellors' group was upgraded to a supergroup: using its new id now; "
        "set MIGBOT_COUNSELLOR_CHAT_ID (counsellors.chat_id) to it"
    )


def migrated_while_running(app: Application, new_id: int) -> None:
    """The relay met the migration (ChatMigrated on a send): follow it, then check the
    new group and tell the admins its id (only a migration found at start told them,
    and a problem recorded for the old group stayed: a user trial)."""
    follow_migration(app, new_id)
    app.create_task(_recheck_after_migration(app, new_id))


async def _recheck_after_migration(app: Application, new_id: int) -> None:
    s = services_of(app)
    try:
        problem = await desk_problem(app.bot, new_id)
    except ChatMigrated:
        problem = "the counsellors' group was migrated twice; check its id"
    s.handoff.desk_problem = problem
    await tell_admins(
        app,
        "the counsellors' group was upgraded to a supergroup; set "
        f"MIGBOT_COUNSELLOR_CHAT_ID={new_id} (in use until the next start)"
        + (f"; and: {problem}" if problem else ""),
    )


async def check_desk(app: Application) -> str | None:
    """At start: check the group (following a migration), record and log any problem,
    and tell the admins in their private chats with the bot. Returns the problem."""
    s = services_of(app)
    try:
        problem = await desk_problem(app.bot, s.settings.counsellors.chat_id)
    except ChatMigrated as migrated:
        follow_migration(app, migrated.new_chat_id)
        await tell_admins(
            app,
            "the counsellors' group was upgraded to a supergroup; set "
            f"MIGBOT_COUNSELLOR_CHAT_ID={migrated.new_chat_id} (in use until the next start)",
        )
        try:
            problem = await desk_problem(app.bot, migrated.new_chat_id)
        except ChatMigrated:
            problem = "the counsellors' group was migrated twice; check its id"
    s.handoff.desk_problem = problem
    if problem:
        log.error("counsellors' group unusable: %s", problem)
        await tell_admins(app, problem)
    return problem


async def tell_admins(app: Application, text: str) -> None:
    """A message to each admin id (settings.admins.ids) that has a chat with the bot."""
    for admin in services_of(app).settings.admins.ids:
        try:
            await app.bot.send_message(admin, f"migbot: {text}.")
        except TelegramError:
            log.warning("could not tell an admin about the counsellors' group")
