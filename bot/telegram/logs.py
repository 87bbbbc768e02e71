"""Logging for the Telegram bot: the token never reaches a log line."""

from __future__ import annotations

import logging


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
    """Add RedactToken to the root logger's handlers; quieten httpx's URL lines."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.WARNING)
    for handler in root.handlers:
        handler.addFilter(RedactToken(token))
    # httpx logs each request URL at INFO, and Telegram URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
