"""Bot API methods on files: sendPhoto, sendDocument, sendVoice, sendSticker, getFile."""

from __future__ import annotations

from typing import Any

from bot.testing.fake_bot_api.errors import bad_request
from bot.testing.fake_bot_api.methods.common import MethodPlumbing
from bot.testing.fake_bot_api.params import Params, Upload
from bot.testing.fake_bot_api.state import BotState, StoredFile


class FileMethods(MethodPlumbing):
    """Media sent as an upload, a known file_id or an HTTP URL, and getFile for them."""

    def _send_media(self, bot: BotState, params: Params, kind: str) -> dict[str, Any]:
        chat = self._target_chat(bot, params)
        stored = self._resolve_file(bot, params.get(kind), kind)
        payload = self._media_payload(
            kind, stored, duration=params.integer("duration"), emoji=params.text("emoji")
        )
        content = {kind: payload}
        if kind != "sticker":
            content.update(self._caption(params))
        return self._bot_sends(bot, chat, content, params)

    def _resolve_file(self, bot: BotState, value: Any, kind: str) -> StoredFile:
        if isinstance(value, Upload):
            return self._store_file(bot, value, kind)
        if value is None:
            raise bad_request(f"there is no {kind} in the request")
        text = str(value)
        if text in bot.files:
            return bot.files[text]
        if text.startswith(("http://", "https://")):
            name = text.rsplit("/", 1)[-1] or kind
            return self._store_file(bot, Upload(name, "application/octet-stream", b""), kind)
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _get_file(self, bot: BotState, params: Params) -> dict[str, Any]:
        stored = bot.files.get(params.text("file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        return {**stored.describe(), "file_path": stored.file_path}
