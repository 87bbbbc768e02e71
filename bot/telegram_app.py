"""The Telegram bot: the PTB Application, its handlers and jobs, polling or webhook.

    app = build_application(settings, pipeline, token)
    async with polling(app):        # tests and benchmarks: run inside your event loop
        ...
    run_telegram(settings, token)   # `migbot run`: blocks until Ctrl-C

User language: kept in storage (`users.lang`/`users.last_lang`), not in PTB
persistence, so one SQLite file holds everything /forget must delete. PTB's
user_data (in memory only) holds the count of unanswered questions.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from urllib.parse import urlparse

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import admin, counsellors, handlers
from bot.config import Settings
from bot.pipeline import Pipeline
from bot.storage import Storage, load_pseudonym_key
from bot.telegram_http import AiohttpRequest

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
WEBHOOK_SECRET_ENV = "MIGBOT_WEBHOOK_SECRET"
PURGE_EVERY = dt.timedelta(hours=1)
COMMANDS = {
    "start": "Start / დაწყება",
    "topics": "Topics / თემები",
    "language": "Language / ენა",
    "help": "Help / დახმარება",
    "privacy": "Privacy / კონფიდენციალურობა",
    "forget": "Delete my data / ჩემი მონაცემების წაშლა",
    "end": "End the chat with a counsellor / საუბრის დასრულება",
}


def build_application(
    settings: Settings, pipeline: Pipeline, token: str, storage: Storage | None = None
) -> Application:
    storage = storage or Storage(settings.database_path, load_pseudonym_key(settings.data_dir))
    api_url = settings.telegram.api_url.rstrip("/")
    app = (
        Application.builder()
        .token(token)
        .base_url(f"{api_url}/bot")
        .base_file_url(f"{api_url}/file/bot")
        .request(AiohttpRequest(pool_size=256))
        .get_updates_request(AiohttpRequest(pool_size=1))
        .concurrent_updates(True)
        .post_init(_announce_commands)
        .post_shutdown(_close_storage)
        .build()
    )
    app.bot_data["services"] = handlers.Services(
        settings,
        pipeline,
        storage,
        handlers.FloodGuard(settings.telegram.max_messages_per_minute),
        handlers.PipelineRunner(pipeline),
    )
    add_handlers(app)
    schedule_jobs(app)
    return app


def add_handlers(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(TypeHandler(Update, handlers.flood_gate), group=-1)

    # --- counsellors (bot/counsellors.py): the ticket relay, /end, the group's /close and
    # /queue. First in group 0, so that a citizen with an open ticket reaches a person,
    # not the pipeline.
    counsellors.register(app)
    # --- end counsellors

    # --- admins (bot/admin.py): /reload, /stats and the index watcher; admin ids only.
    admin.register(app)

    commands = {
        "start": handlers.start,
        "language": handlers.language_command,
        "topics": handlers.topics_command,
        "help": handlers.help_command,
        "privacy": handlers.privacy_command,
        "forget": handlers.forget_command,
    }
    for name, callback in commands.items():
        app.add_handler(CommandHandler(name, callback, filters=private))
    app.add_handler(MessageHandler(private & filters.COMMAND, handlers.unknown_command))
    app.add_handler(MessageHandler(private & filters.TEXT, handlers.text_message))
    app.add_handler(
        MessageHandler(
            private & ~filters.TEXT & ~filters.StatusUpdate.ALL, handlers.unsupported_message
        )
    )
    buttons = {
        r"^lang:(ka|en)$": handlers.language_chosen,
        r"^(menu|back)$": handlers.menu_pressed,
        r"^cat:": handlers.category_pressed,
        r"^e:": handlers.entry_pressed,
        r"^fb:[+-]:": handlers.feedback_pressed,
        r"^human$": handlers.counsellor_pressed,
        r"^forget:(yes|no)$": handlers.forget_answered,
    }
    for pattern, callback in buttons.items():
        app.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    app.add_handler(CallbackQueryHandler(handlers.expired_button))
    app.add_error_handler(handlers.on_error)


def schedule_jobs(app: Application) -> None:
    if app.job_queue is None:  # the job-queue extra is a dependency; say so if it is missing
        log.warning("no JobQueue: old message texts will not be purged automatically")
        return
    app.job_queue.run_repeating(purge_old_texts, interval=PURGE_EVERY, first=1.0, name="purge")


async def purge_old_texts(context: ContextTypes.DEFAULT_TYPE) -> None:
    s = handlers.services(context)
    blanked = s.storage.purge_old_texts(s.settings.privacy.retention_days)
    if blanked:
        log.info("retention: blanked %d message texts", blanked)


async def _announce_commands(app: Application) -> None:
    with suppress(TelegramError):  # a convenience only; the bot works without the menu
        await app.bot.set_my_commands([BotCommand(n, d) for n, d in COMMANDS.items()])


async def _close_storage(app: Application) -> None:
    close(app)


def close(app: Application) -> None:
    """Release the database and the pipeline thread (run_* do it on shutdown)."""
    services = handlers.services_of(app)
    services.runner.close()
    services.storage.close()


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


class RedactToken(logging.Filter):
    """Replace the bot token in every log line, tracebacks included."""

    def __init__(self, token: str):
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), ()
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = text.replace(self.token, "<token>")
        return True


def install_token_filter(token: str) -> None:
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.WARNING)
    for handler in root.handlers:
        handler.addFilter(RedactToken(token))
    # httpx logs each request URL at INFO, and Telegram URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def run_telegram(settings: Settings, token: str) -> int:
    from bot.services import build_pipeline

    install_token_filter(token)
    webhook = settings.telegram.mode == "webhook"
    secret = os.environ.get(WEBHOOK_SECRET_ENV, "").strip()
    if webhook and not (secret and settings.telegram.webhook_url):
        print(
            f"webhook mode needs {WEBHOOK_SECRET_ENV} and telegram.webhook_url "
            "(MIGBOT_TELEGRAM__WEBHOOK_URL)",
            file=sys.stderr,
        )
        return 2
    app = build_application(settings, build_pipeline(settings, with_rasa=True), token)
    if webhook:
        app.run_webhook(**webhook_options(settings, secret))
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
