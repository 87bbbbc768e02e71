"""Admins in Telegram: /reload and /stats, and the hot reload of the index.

Only the user ids in MIGBOT_ADMIN_IDS (settings.admins.ids) may use these
commands; to anyone else they do not exist. A new index, built by /reload or
by `migbot kb build` on the server, replaces the served one between two
messages: the pipeline swaps its reference, a question in flight finishes on
the index it started with, and a failed build leaves the old index in place.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable

from telegram import Update

from bot.config import Settings
from bot.store.conversations import Activity
from bot.telegram.context import Context, services
from bot.telegram.handlers import citizen
from knowledge_base.entries import InvalidEntry
from knowledge_base.index import current_build

log = logging.getLogger(__name__)
WATCH_INTERVAL_SECONDS = 30
STATS_DAYS = 7
MAX_PROBLEMS_SHOWN = 10


def is_admin(settings: Settings, update: Update) -> bool:
    user = update.effective_user
    return user is not None and user.id in settings.admins.ids


def admins_only(command: Callable) -> Callable:
    """To anyone but a configured admin, the command does not exist."""

    @functools.wraps(command)
    async def guarded(update: Update, context: Context) -> None:
        if not is_admin(services(context).settings, update):
            log.info("%s refused for a non-admin user", command.__name__)
            await citizen.unknown_command(update, context)
            return
        await command(update, context)

    return guarded


@admins_only
async def reload_command(update: Update, context: Context) -> None:
    """/reload: validate the entries, build the index, serve it (or say why not)."""
    s = services(context)
    chat_id = update.effective_chat.id
    await context.bot.send_message(chat_id, "Validating the entries and building the index…")
    try:
        kb = await asyncio.to_thread(s.build_index)
    except InvalidEntry as error:
        shown = error.problems[:MAX_PROBLEMS_SHOWN]
        more = len(error.problems) - len(shown)
        text = "The build failed; the index in service is unchanged.\n\n" + "\n".join(shown)
        if more:
            text += f"\n… and {more} more (run `migbot kb validate`)"
        await context.bot.send_message(chat_id, text)
        return
    s.pipeline.reload(kb)
    manifest = kb.manifest
    await context.bot.send_message(
        chat_id,
        f"Reloaded: {manifest['entries']} entries, {manifest['passages']} passages, "
        f"built {manifest['built_at']}.",
    )


@admins_only
async def stats_command(update: Update, context: Context) -> None:
    """/stats: the last week's messages, users, feedback and the index."""
    s = services(context)
    text = format_stats(s.store.conversations.activity(STATS_DAYS), s.pipeline.kb.manifest)
    await context.bot.send_message(update.effective_chat.id, text)


def format_stats(activity: Activity, manifest: dict) -> str:
    lines = [f"Last {activity.days} days: {activity.messages} messages from {activity.users} users"]
    lines += [f"  {action or 'other'}: {count}" for action, count in activity.by_action]
    lines.append(f"Feedback: 👍 {activity.likes}  👎 {activity.dislikes}")
    lines.append(f"Index: {manifest['entries']} entries, built {manifest['built_at']}")
    return "\n".join(lines)


async def watch_index(context: Context) -> None:
    """Pick up an index built outside the bot (`migbot kb build`)."""
    s = services(context)
    build = current_build(s.settings.index_dir)
    if build is None or build == s.pipeline.kb.build_dir:
        return
    try:
        kb = await asyncio.to_thread(s.open_index)
    except Exception:
        log.exception("a new index appeared but could not be opened; keeping the old one")
        return
    s.pipeline.reload(kb)
    log.info("index reloaded: %s", build.name)
