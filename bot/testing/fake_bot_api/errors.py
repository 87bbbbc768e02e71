"""Bot API failures as Telegram words them, and the error JSON the client receives.

The descriptions are the ones the real Bot API returns (python-telegram-bot turns them into
BadRequest, Forbidden, Conflict, RetryAfter...), so a test meets the exception and the text
it would meet in production.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

CONFLICT_OTHER_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
BLOCKED_BY_USER = "Forbidden: bot was blocked by the user"
MIGRATED = "Bad Request: group chat was upgraded to a supergroup chat"
KICKED_FROM_SUPERGROUP = "Forbidden: bot was kicked from the supergroup chat"
NO_TOPIC_RIGHTS = "Bad Request: not enough rights to create a topic"
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


class ApiError(Exception):
    """A Bot API failure, sent to the client as Telegram's error JSON."""

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        """The answer's JSON body: ok=false, error_code, description[, parameters]."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    """A 400 answer: "Bad Request: <detail>"."""
    return ApiError(400, f"Bad Request: {detail}")


def entities_error(detail: str) -> ApiError:
    """A 400 answer for text that Telegram cannot parse with its parse_mode."""
    return bad_request(f"can't parse entities: {detail}")


def default_error_description(status: int, retry_after: int) -> str:
    """What Telegram says with HTTP `status`, for an injected fault given no text."""
    if status == 429:
        return f"Too Many Requests: retry after {retry_after}"
    if status == 400:
        return "Bad Request: injected failure"
    if status == 403:
        return BLOCKED_BY_USER
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Error {status}"
