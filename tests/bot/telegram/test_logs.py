"""The token never reaches a log line."""

from __future__ import annotations

import logging

from bot.telegram.logs import RedactIds, RedactToken


def test_token_is_redacted_from_logs_and_tracebacks(caplog) -> None:
    token = "123456:SECRET-token"
    logger = logging.getLogger("test.redact")
    caplog.handler.addFilter(RedactToken(token))
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{token}/getUpdates failed")
    except RuntimeError:
        logger.exception("call to %s failed", f"/bot{token}/sendMessage")
    assert token not in caplog.text
    assert "/bot<token>/sendMessage" in caplog.text and "/bot<token>/getUpdates" in caplog.text


def test_chat_ids_are_redacted_but_ticket_numbers_stay(caplog) -> None:
    logger = logging.getLogger("test.redact_ids")
    caplog.handler.addFilter(RedactIds())
    try:
        raise RuntimeError("chat 7345019 not found in -1001234567890")
    except RuntimeError:
        logger.exception("ticket %d for chat %d", 42, 7345019)
    assert "7345019" not in caplog.text and "1234567890" not in caplog.text
    assert "ticket 42 for chat <id>" in caplog.text and "in <id>" in caplog.text
