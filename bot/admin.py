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
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot import handlers
from bot.config import Settings
from bot.services import build_knowledge_base, embedder_for
from knowledge_base.entries import InvalidEntry
from knowledge_base.index import current_build
from knowledge_base.search import KnowledgeBase

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
WATCH_INTERVAL_SECONDS = 30
STATS_DAYS = 7
# Stored timestamps are ISO 8601 ("2026-11-25T09:30:00+00:00"); compare alike.
SINCE = "strftime('%Y-%m-%dT%H:%M:%S', 'now', ?)"
MAX_PROBLEMS_SHOWN = 10


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("reload", reload_command, filters=private))
    app.add_handler(CommandHandler("stats", stats_command, filters=private))
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            watch_index, interval=WATCH_INTERVAL_SECONDS, first=WATCH_INTERVAL_SECONDS
        )


def is_admin(settings: Settings, update: Update) -> bool:
    user = update.effective_user
    return user is not None and user.id in settings.admins.ids


def admins_only(command: Callable) -> Callable:
    """To anyone but a configured admin, the command does not exist."""

    @functools.wraps(command)
    async def guarded(update: Update, context: Context) -> None:
        if not is_admin(handlers.services(context).settings, update):
            log.info("%s refused for a non-admin user", command.__name__)
            await handlers.unknown_command(update, context)
            return
        await command(update, context)

    return guarded


@admins_only
async def reload_command(update: Update, context: Context) -> None:
    s = handlers.services(context)
    chat_id = update.effective_chat.id
    await context.bot.send_message(chat_id, "Validating the entries and building the index…")
    try:
        kb = await asyncio.to_thread(build_knowledge_base, s.settings, False)
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
    s = handlers.services(context)
    await context.bot.send_message(update.effective_chat.id, format_stats(s))


def format_stats(s: handlers.Services) -> str:
    db = s.storage.db
    since = f"-{STATS_DAYS} days"
    by_action = db.execute(
        f"select action, count(*) from messages where ts >= {SINCE} "
        "group by action order by count(*) desc",
        [since],
    ).fetchall()
    users = db.execute(
        f"select count(distinct user_key) from messages where ts >= {SINCE}", [since]
    ).fetchone()[0]
    feedback = dict(
        db.execute(
            f"select value, count(*) from feedback where ts >= {SINCE} group by value", [since]
        ).fetchall()
    )
    manifest = s.pipeline.kb.manifest
    lines = [f"Last {STATS_DAYS} days: {sum(n for _, n in by_action)} messages from {users} users"]
    lines += [f"  {action or 'other'}: {count}" for action, count in by_action]
    lines.append(f"Feedback: 👍 {feedback.get(1, 0)}  👎 {feedback.get(-1, 0)}")
    lines.append(f"Index: {manifest['entries']} entries, built {manifest['built_at']}")
    return "\n".join(lines)


async def watch_index(context: Context) -> None:
    """Pick up an index built outside the bot (`migbot kb build`)."""
    s = handlers.services(context)
    build = current_build(s.settings.index_dir)
    if build is None or build == s.pipeline.kb.build_dir:
        return
    try:
        kb = await asyncio.to_thread(
            KnowledgeBase.open,
            s.settings.index_dir,
            embedder_for(s.settings),
            s.settings.retrieval.rrf_k,
        )
    except Exception:
        log.exception("a new index appeared but could not be opened; keeping the old one")
        return
    s.pipeline.reload(kb)
    log.info("index reloaded: %s", build.name)
