"""Bot API methods on callback queries (the presses of inline buttons)."""

from __future__ import annotations

from bot.testing.fake_bot_api.errors import QUERY_TOO_OLD, bad_request
from bot.testing.fake_bot_api.methods.common import MethodPlumbing
from bot.testing.fake_bot_api.params import Params
from bot.testing.fake_bot_api.state import BotState

MAX_CALLBACK_ANSWER_LENGTH = 200  # answerCallbackQuery text: 0-200 characters (Bot API)


class CallbackMethods(MethodPlumbing):
    """answerCallbackQuery: once per query, text up to MAX_CALLBACK_ANSWER_LENGTH."""

    def _answer_callback_query(self, bot: BotState, params: Params) -> bool:
        query = bot.callback_queries.get(params.text("callback_query_id") or "")
        if query is None or query["answered"] or query.get("too_old"):
            raise bad_request(QUERY_TOO_OLD)
        text = params.text("text") or ""
        if len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        query["answered"] = True
        if text:
            kind = "alert" if params.flag("show_alert") else "notice"
            bot.transcript.append((query["chat_id"], f"bot ({kind}): {text}"))
        return True
