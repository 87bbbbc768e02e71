"""The token never reaches a log line."""

from __future__ import annotations

import logging

from bot.telegram.logs import RedactToken


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
