"""The Telegram bot: the PTB Application, its handlers and jobs, polling or webhook.

    app = build_application(settings, pipeline, store, handoff, token)
    async with polling(app):        # tests and benchmarks: run inside your event loop
        ...
    run_application(app, settings, token)   # `migbot run`: blocks until Ctrl-C

The composition root (bot.assemble) builds the pipeline, the store and the
handoff desk and calls these. User language: kept in the store
(`users.lang`/`users.last_lang`), not in PTB persistence, so one SQLite file
holds everything /forget must delete. PTB's user_data (in memory only) holds
the count of unanswered questions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from urllib.parse import urlparse

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.answering import Pipeline
from bot.answering.runner import PipelineRunner
from bot.config import Settings
from bot.handoff import Handoff
from bot.store import Store
from bot.telegram import desk
from bot.telegram.context import Services, services, services_of
from bot.telegram.flood import FloodGuard
from bot.telegram.handlers import admin, citizen, clear, counsellor, errors, gate, ticket
from bot.telegram.http import AiohttpRequest
from bot.telegram.logs import install_log_filters
from bot.telegram.recording import RecordingBot
from bot.telegram.relay import Relay
from bot.telegram.sending import rate_limiter
from bot.texts import say
from knowledge_base.search import KnowledgeBase

log = logging.getLogger(__name__)

# my_chat_member: a citizen who blocks the bot (their ticket closes as "citizen left").
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
PURGE_EVERY = dt.timedelta(hours=1)
OUTSIDER_GROUP = 5  # a handler group of its own: logging there never hides other handlers
GROUP_COMMANDS = ("close", "queue")
# The command menu, in this order; labels are the texts' `menu_<command>` keys.
MENU = (
    "start", "counsellor", "topics", "stay", "checkoffer", "help", "language", "privacy",
    "forget", "clear", "end",
)  # fmt: skip


def menu_commands(lang: str | None) -> list[BotCommand]:
    """The menu in one language, or both ("English / ქართული") for lang None."""

    def label(command: str) -> str:
        key = f"menu_{command}"
        return say(key, lang) if lang else f"{say(key, 'en')} / {say(key, 'ka')}"

    return [BotCommand(command, label(command)) for command in MENU]


def build_application(
    settings: Settings,
    pipeline: Pipeline,
    store: Store,
    handoff: Handoff,
    token: str,
    build_index: Callable[[], KnowledgeBase] | None = None,
    open_index: Callable[[], KnowledgeBase] | None = None,
) -> Application:
    """The Application with every handler and job, talking to settings.telegram.api_url.

    Args:
        build_index / open_index: how /reload builds and the index watcher opens an
            index (bot.assemble gives both); without them /reload and the watcher
            fail politely.
    """
    api_url = settings.telegram.api_url.rstrip("/")
    bot = RecordingBot(  # remembers the ids of its messages in private chats, for /clear
        token,
        base_url=f"{api_url}/bot",
        base_file_url=f"{api_url}/file/bot",
        request=AiohttpRequest(pool_size=256),
        get_updates_request=AiohttpRequest(pool_size=1),
        rate_limiter=rate_limiter(),  # with .bot(), PTB takes the limiter from the bot
    )
    bot.record_with(clear.recorder(store))
    app = (
        Application.builder()
        .bot(bot)
        .concurrent_updates(True)
        .post_init(_announce_commands)
        .post_shutdown(_close_services)
        .build()
    )
    app.bot_data["services"] = Services(
        settings,
        pipeline,
        store,
        handoff,
        FloodGuard(settings.telegram.max_messages_per_minute),
        PipelineRunner(pipeline),
        build_index or _no_index,
        open_index or _no_index,
    )
    add_handlers(app)
    schedule_jobs(app)
    return app


def _no_index() -> KnowledgeBase:
    raise RuntimeError("this bot was built without a way to build or open an index")


def add_handlers(app: Application) -> None:
    """Register every handler, in the order PTB must try them."""
    private = filters.ChatType.PRIVATE
    # Before anything else, even the flood gate: the ids /clear will need.
    app.add_handler(TypeHandler(Update, clear.remember_incoming), group=-2)
    app.add_handler(TypeHandler(Update, gate.flood_gate), group=-1)
    # Counsellors first in group 0, so that a citizen with an open ticket reaches
    # a person, not the pipeline.
    add_counsellor_handlers(app)
    # Admins: /reload and /stats for the configured ids only.
    app.add_handler(CommandHandler("reload", admin.reload_command, filters=private))
    app.add_handler(CommandHandler("stats", admin.stats_command, filters=private))

    commands = {
        "start": citizen.start,
        "counsellor": citizen.counsellor_command,
        "stay": citizen.stay_command,
        "checkoffer": citizen.offer_command,
        "language": citizen.language_command,
        "topics": citizen.topics_command,
        "help": citizen.help_command,
        "privacy": citizen.privacy_command,
        "forget": citizen.forget_command,
        "clear": clear.clear_command,
    }
    for name, callback in commands.items():
        app.add_handler(CommandHandler(name, callback, filters=private))
    app.add_handler(MessageHandler(private & filters.COMMAND, citizen.unknown_command))
    app.add_handler(MessageHandler(private & filters.TEXT, citizen.text_message))
    app.add_handler(MessageHandler(private & filters.CAPTION, citizen.captioned_media))
    app.add_handler(
        MessageHandler(
            private & ~filters.TEXT & ~filters.StatusUpdate.ALL, citizen.unsupported_message
        )
    )
    buttons = {
        r"^lang:(ka|en)$": citizen.language_chosen,
        r"^(menu|back)$": citizen.menu_pressed,
        r"^cat:": citizen.category_pressed,
        r"^e:": citizen.entry_pressed,
        r"^fb:[+-]:": citizen.feedback_pressed,
        r"^human$": citizen.counsellor_pressed,
        r"^tool:stay$": citizen.stay_command,
        r"^tool:offer$": citizen.offer_command,
        r"^forget:(yes|no)$": citizen.forget_answered,
        r"^clear:ask$": clear.clear_asked,
        r"^clear:(yes|no)$": clear.clear_answered,
    }
    for pattern, callback in buttons.items():
        app.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    app.add_handler(CallbackQueryHandler(citizen.expired_button))
    app.add_error_handler(errors.on_error)


def add_counsellor_handlers(app: Application) -> None:
    """The ticket relay: both sides' handlers and the relay worker (a group configured)."""
    s = services_of(app)
    group_id = s.settings.counsellors.chat_id
    if not group_id:
        log.warning("no counsellors' group (MIGBOT_COUNSELLOR_CHAT_ID): handoffs are only recorded")
        return
    relay = Relay(app.bot, s.store, s.settings.counsellors)
    s.handoff.on_queued = relay.wake.set
    relay.citizen_gone = functools.partial(ticket.citizen_gone, s.store, s.handoff)
    relay.on_migrated = functools.partial(desk.migrated_while_running, app)
    relay.on_desk_problem = functools.partial(setattr, s.handoff, "desk_problem")
    app.bot_data["relay"] = relay
    if app.job_queue is None:
        raise RuntimeError("the counsellor relay needs PTB's job queue (the job-queue extra)")
    app.job_queue.run_once(start_relay, 0.0, name="relay")

    group = filters.Chat(group_id)
    app.bot_data["group_filter"] = group  # a migrated group's new id is added to it
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("close", counsellor.close_command, filters=group))
    app.add_handler(CommandHandler("queue", counsellor.queue_command, filters=group))
    # From other groups: ignored. In a private chat they are unknown commands (the help
    # text, below): a citizen who typed /close got no reply at all (a user trial).
    app.add_handler(
        CommandHandler(list(GROUP_COMMANDS), counsellor.outsider, filters=~group & ~private)
    )
    app.add_handler(CommandHandler("end", ticket.end_command, filters=private))
    app.add_handler(
        MessageHandler(
            private & ~filters.COMMAND & ~filters.StatusUpdate.ALL & ticket.HasOpenTicket(s.store),
            ticket.citizen_message,
        )
    )
    app.add_handler(
        MessageHandler(
            group & ~filters.COMMAND & ~filters.StatusUpdate.ALL, counsellor.counsellor_message
        )
    )
    app.add_handler(
        MessageHandler(group & filters.StatusUpdate.FORUM_TOPIC_CLOSED, counsellor.topic_closed)
    )
    app.add_handler(
        CallbackQueryHandler(counsellor.ticket_button, pattern=r"^tk:(claim|close):\d+$")
    )
    app.add_handler(CallbackQueryHandler(ticket.rating_pressed, pattern=r"^rate:\d+:[1-5]$"))
    app.add_handler(ChatMemberHandler(ticket.bot_blocked, ChatMemberHandler.MY_CHAT_MEMBER))
    # Other groups never reach a handler; this one only writes the log line (own group).
    app.add_handler(MessageHandler(~private & ~group, counsellor.outsider), group=OUTSIDER_GROUP)


async def start_relay(context: ContextTypes.DEFAULT_TYPE) -> None:
    """A one-off job at Application start: the worker runs as a task the Application awaits."""
    context.application.create_task(run_desk(context.application), name="relay")


async def run_desk(app: Application) -> None:
    """Check the counsellors' group (bot.telegram.desk), then deliver the outbox."""
    await desk.check_desk(app)
    relay: Relay = app.bot_data["relay"]
    await relay.run(app)


def schedule_jobs(app: Application) -> None:
    """The retention purge (hourly) and the index watcher (every 30 s)."""
    if app.job_queue is None:  # the job-queue extra is a dependency; say so if it is missing
        log.warning("no JobQueue: old message texts will not be purged automatically")
        return
    app.job_queue.run_repeating(purge_old_texts, interval=PURGE_EVERY, first=1.0, name="purge")
    app.job_queue.run_repeating(
        admin.watch_index, interval=admin.WATCH_INTERVAL_SECONDS, first=admin.WATCH_INTERVAL_SECONDS
    )


async def purge_old_texts(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Hourly: close abandoned tickets, then blank texts past privacy.retention_days."""
    s = services(context)
    privacy = s.settings.privacy
    abandoned = s.handoff.close_abandoned(privacy.abandon_open_tickets_after_days)
    purged = s.store.purge(privacy.retention_days)
    if abandoned or any(dataclasses.astuple(purged)):
        log.info(
            "retention: %d tickets closed as abandoned; blanked %d message and %d ticket "
            "texts; %d outbox rows, %d ticket chat ids, %d idle users, %d chat message ids "
            "removed",
            len(abandoned), purged.message_texts, purged.ticket_texts, purged.outbox_rows,
            purged.ticket_chats, purged.idle_users, purged.chat_message_ids,
        )  # fmt: skip


async def _announce_commands(app: Application) -> None:
    """The command menu: both languages for everyone, Georgian alone for Georgian apps.

    No English-only list: most Georgians' Telegram apps are in Russian or English
    (docs/texts-changes.md), and they would lose the Georgian labels.
    """
    with suppress(TelegramError):  # a convenience only; the bot works without the menu
        await app.bot.set_my_commands(menu_commands(None))
        await app.bot.set_my_commands(menu_commands("ka"), language_code="ka")


async def _close_services(app: Application) -> None:
    close(app)


def close(app: Application) -> None:
    """Release the database and the pipeline threads (run_* do it on shutdown)."""
    s = services_of(app)
    s.runner.close()
    s.store.close()


@asynccontextmanager
async def polling(app: Application, poll_timeout: float = 10.0) -> AsyncIterator[Application]:
    """Run the application (polling) inside the caller's event loop; closes it after."""
    async with app:
        await _announce_commands(app)
        await app.start()
        await app.updater.start_polling(
            poll_interval=0.0,
            timeout=dt.timedelta(seconds=poll_timeout),
            allowed_updates=ALLOWED_UPDATES,
        )
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
    close(app)


def webhook_problem(settings: Settings) -> str | None:
    """Why webhook mode cannot start with these settings, or None."""
    if settings.telegram.mode != "webhook":
        return None
    if settings.secrets.webhook_secret and settings.telegram.webhook_url:
        return None
    return (
        "webhook mode needs MIGBOT_WEBHOOK_SECRET and telegram.webhook_url "
        "(MIGBOT_TELEGRAM__WEBHOOK_URL)"
    )


def run_application(app: Application, settings: Settings, token: str) -> int:
    """Poll or serve the webhook until Ctrl-C; the token is redacted from the logs first."""
    install_log_filters(token)
    if settings.telegram.mode == "webhook":
        app.run_webhook(**webhook_options(settings, settings.secrets.webhook_secret))
    else:
        app.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


def webhook_options(settings: Settings, secret: str) -> dict:
    """Arguments for Application.run_webhook / Updater.start_webhook.

    Telegram sends the secret in the X-Telegram-Bot-Api-Secret-Token header;
    PTB answers 403 to requests without it.
    """
    return {
        "listen": settings.telegram.webhook_listen,
        "port": settings.telegram.webhook_port,
        "url_path": urlparse(settings.telegram.webhook_url).path.lstrip("/"),
        "webhook_url": settings.telegram.webhook_url,
        "secret_token": secret,
        "allowed_updates": ALLOWED_UPDATES,
    }
