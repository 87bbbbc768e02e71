"""Logging for the Telegram bot: no token, no chat id, no citizen's text in a log line.

The bot's own log lines name tickets by number and people not at all (docs/privacy.md).
Two filters on the root handlers are the second lock:
- `RedactToken`: the bot token (it is in every Bot API URL);
- `RedactIds`: any run of 6 or more digits, which is what Telegram chat and user
  ids look like (a private chat's id is the user's id), in messages and tracebacks.
And python-telegram-bot's DEBUG lines, which carry every request's parameters
(chat ids, the texts sent), are never let through: its loggers stay at INFO or above.
"""

from __future__ import annotations

import logging
import re

# Telegram user ids have 6 to 10+ digits, group ids "-100" and 10 more. Ticket
# numbers, row ids and counts stay shorter for a long time.
_ID = re.compile(r"(?<![\w.])-?\d{6,}(?![\w.])")
QUIET_LOGGERS = ("telegram", "httpx", "aiohttp.client")


class _Redact(logging.Filter):
    """Rewrite each record's message and traceback text through `redact`."""

    def redact(self, text: str) -> str:
        raise NotImplementedError

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info or record.exc_text:
            text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            record.exc_text = self.redact(text)
        return True


class RedactToken(_Redact):
    """Replace the bot token in every log line, tracebacks included."""

    def __init__(self, token: str):
        super().__init__()
        self.token = token

    def redact(self, text: str) -> str:
        return text.replace(self.token, "<token>") if self.token else text


class RedactIds(_Redact):
    """Replace every run of 6+ digits (a Telegram chat or user id) with "<id>"."""

    def redact(self, text: str) -> str:
        return _ID.sub("<id>", text)


def install_log_filters(token: str) -> None:
    """Add RedactToken and RedactIds to the root logger's handlers; keep PTB's and
    httpx's loggers at INFO or above (their DEBUG lines carry chat ids and texts;
    httpx logs each request URL, with the token, at INFO, so it stays at WARNING)."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.WARNING)
    for handler in root.handlers:
        handler.addFilter(RedactToken(token))
        handler.addFilter(RedactIds())
    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        floor = logging.WARNING if name == "httpx" else logging.INFO
        if logger.getEffectiveLevel() < floor:
            logger.setLevel(floor)
