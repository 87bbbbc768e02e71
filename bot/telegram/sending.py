"""Sending to citizens: escaped HTML, split to Telegram's limits, "typing…" when slow.

Direct replies survive Telegram's 429s through PTB's AIORateLimiter (`rate_limiter()`:
retries after retry_after, DIRECT_RETRIES times; the relay passes none and keeps its own
per-chat waits) and network errors through a short retry here (PTB has none). A
TimedOut request may have reached Telegram, so its retry can show a reply twice: a
repeated answer is better than a lost one, above all for the emergency guidance.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.ext import AIORateLimiter

from bot.telegram.render import render

log = logging.getLogger(__name__)
DIRECT_RETRIES = 4  # 429s on one direct reply retried after retry_after (AIORateLimiter)
NETWORK_ATTEMPTS, NETWORK_BACKOFF = 3, 1.0  # network errors: 3 tries, 1 s then 2 s apart
TYPING_REFRESH_SECONDS = 4.0  # Telegram shows "typing…" for about 5 s
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_background: set[asyncio.Task] = set()


async def send(
    bot: Bot,
    chat_id: int,
    plain: str,
    lang: str,
    markup: InlineKeyboardMarkup | None = None,
) -> list[Message]:
    """Send a plain text as escaped HTML, split if long; the keyboard goes on the last part.
    Returns the messages sent, in order."""
    chunks = render(plain, lang)
    sent = []
    for number, chunk in enumerate(chunks, start=1):
        for attempt in range(1, NETWORK_ATTEMPTS + 1):
            try:
                message = await bot.send_message(
                    chat_id,
                    chunk,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=NO_PREVIEW,
                    reply_markup=markup if number == len(chunks) else None,
                    rate_limit_args=DIRECT_RETRIES,
                )
                break
            except NetworkError as error:
                if isinstance(error, BadRequest | Forbidden) or attempt == NETWORK_ATTEMPTS:
                    raise
                log.info("send: %s, trying again", type(error).__name__)
                await asyncio.sleep(NETWORK_BACKOFF * attempt)
        sent.append(message)
    return sent


async def acknowledge(query: CallbackQuery, text: str | None = None, alert: bool = False) -> bool:
    """answerCallbackQuery, whose failure never stops the action the button asked for.

    A press made while the bot was down (or answered after Telegram's ~15 s) gets
    400 "query is too old and response timeout expired or query ID is invalid"; the
    spinner on the button is then long gone and only the acknowledgement is lost.
    Returns True if Telegram took the answer.
    """
    try:
        await query.answer(text, show_alert=alert)
    except TelegramError as error:
        log.info("callback query not acknowledged: %s", type(error).__name__)
        return False
    return True


async def edit(
    query: CallbackQuery, plain: str, lang: str, markup: InlineKeyboardMarkup | None
) -> None:
    """Replace a menu message in place (no markup: buttons removed); else send a new one."""
    html_text = render(plain, lang)[0]
    try:
        await query.edit_message_text(
            html_text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as error:
        if "not modified" in str(error).lower():
            return
        await query.get_bot().send_message(
            query.from_user.id, html_text, parse_mode=ParseMode.HTML, reply_markup=markup
        )


def rate_limiter() -> AIORateLimiter:
    """PTB's limiter for the Application: Telegram's global ~30 messages a second; no
    retries by default (the relay handles its 429s per chat, bot.telegram.relay); direct
    replies ask for DIRECT_RETRIES. No per-group throttle: the relay waits per chat."""
    # Its "Rate limit hit after maximum of 0 retries" trace would follow every 429 the
    # relay obeys; what fails for good is logged by the relay and the error handler.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    return AIORateLimiter(group_max_rate=0, max_retries=0)


@asynccontextmanager
async def typing(bot: Bot, chat_id: int, after: float) -> AsyncIterator[None]:
    """Show "typing…" from `after` seconds on until the block ends.

    A reply that comes sooner needs no indicator: it would only flash, and
    under load it doubles the requests to Telegram.
    """
    done = asyncio.Event()

    async def keep_typing() -> None:
        with suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), after)
        while not done.is_set():
            with suppress(TelegramError):
                await bot.send_chat_action(chat_id, ChatAction.TYPING)
            with suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), TYPING_REFRESH_SECONDS)

    # Not cancelled: a request in flight finishes instead of being cut mid-way.
    task = asyncio.create_task(keep_typing())
    _background.add(task)  # the loop keeps only weak references to tasks
    task.add_done_callback(_background.discard)
    try:
        yield
    finally:
        done.set()
