"""One request's parameters: from the query string and a form, multipart or JSON body.

Form and multipart bodies carry every value as a string; like Telegram, the parameters
below are decoded by name into JSON values, integers, floats and booleans.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.testing.fake_bot_api.errors import bad_request

# Form bodies carry every value as a string; these keys are decoded to what Telegram expects.
_JSON_KEYS = {
    "reply_markup",
    "reply_parameters",
    "allowed_updates",
    "commands",
    "scope",
    "entities",
    "caption_entities",
    "link_preview_options",
    "message_ids",
}
_INT_KEYS = {
    "chat_id",
    "from_chat_id",
    "message_id",
    "message_thread_id",
    "user_id",
    "offset",
    "limit",
    "reply_to_message_id",
    "icon_color",
    "duration",
    "max_connections",
    "cache_time",
}
_FLOAT_KEYS = {"timeout", "latitude", "longitude"}
_BOOL_KEYS = {
    "show_alert",
    "drop_pending_updates",
    "disable_notification",
    "protect_content",
    "allow_sending_without_reply",
}


@dataclass(frozen=True)
class Upload:
    """A file that arrived as a multipart part."""

    filename: str
    content_type: str
    data: bytes


def _decode_value(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if key in _JSON_KEYS:
        with contextlib.suppress(ValueError):
            return json.loads(value)
    elif key in _INT_KEYS and re.fullmatch(r"-?\d+", value):
        return int(value)
    elif key in _FLOAT_KEYS:
        with contextlib.suppress(ValueError):
            return float(value)
    elif key in _BOOL_KEYS:
        return value.lower() in ("true", "1")
    return value


async def read_request_params(request: web.Request) -> dict[str, Any]:
    """The query and body parameters of `request`, decoded; ApiError(400) for broken JSON."""
    raw: dict[str, Any] = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError as error:
                raise bad_request("can't parse JSON object") from error
            if isinstance(body, dict):
                raw.update(body)
        else:
            form = await request.post()
            for key, value in form.items():
                raw[key] = _upload_or_value(value)
    return {key: _decode_value(key, value) for key, value in raw.items()}


def _upload_or_value(value: Any) -> Any:
    if isinstance(value, web.FileField):
        return Upload(value.filename, value.content_type, value.file.read())
    return value


def recordable(values: dict[str, Any]) -> dict[str, Any]:
    """`values` with each Upload replaced by {"upload": filename, "size": bytes}."""

    def simplify(value: Any) -> Any:
        if isinstance(value, Upload):
            return {"upload": value.filename, "size": len(value.data)}
        return value

    return {key: simplify(value) for key, value in values.items()}


class Params:
    """Typed access to one request's decoded parameters.

    Each accessor returns None for an absent or empty value, or raises ApiError(400) with
    Telegram's text (`required` for a missing one, "invalid <name> specified" otherwise).
    """

    def __init__(self, values: dict[str, Any]):
        self.values = values

    def get(self, name: str) -> Any:
        value = self.values.get(name)
        return None if value == "" else value

    def text(self, name: str) -> str | None:
        value = self.get(name)
        return None if value is None else str(value)

    def integer(self, name: str, *, required: str | None = None) -> int | None:
        return self._converted(name, int, required)

    def number(self, name: str, *, required: str | None = None) -> float | None:
        return self._converted(name, float, required)

    def _converted(self, name: str, kind: type, required: str | None) -> Any:
        value = self.get(name)
        if value is None:
            if required:
                raise bad_request(required)
            return None
        try:
            return kind(value)
        except (TypeError, ValueError) as error:
            raise bad_request(f"invalid {name} specified") from error

    def flag(self, name: str) -> bool:
        return self.get(name) is True

    def structured(self, name: str, kind: type, *, invalid: str) -> Any:
        value = self.get(name)
        if value is None or isinstance(value, kind):
            return value
        raise bad_request(invalid)
