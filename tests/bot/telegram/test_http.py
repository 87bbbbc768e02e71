"""The bot's own PTB request class (aiohttp) against the fake Bot API: data, files, failures."""

from __future__ import annotations

import socket

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.telegram.http import AiohttpRequest
from bot.testing.fake_bot_api import DEFAULT_TOKEN, FakeBotApi

USER = 1201


def bot_on(url: str) -> Bot:
    return Bot(
        DEFAULT_TOKEN,
        base_url=f"{url}/bot",
        request=AiohttpRequest(pool_size=4),
        get_updates_request=AiohttpRequest(pool_size=1),
    )


async def test_parameters_and_keyboards_arrive_as_sent(fake_api: FakeBotApi) -> None:
    fake_api.reset()
    fake_api.user_sends(USER, "გამარჯობა")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("ქართული", callback_data="lang:ka")]])
    async with bot_on(fake_api.url) as bot:
        sent = await bot.send_message(USER, "<b>სალამი</b> & 🙂", parse_mode="HTML",
                                      reply_markup=keyboard)  # fmt: skip
        [update] = await bot.get_updates(timeout=0)
    assert sent.text == "სალამი & 🙂"
    assert sent.reply_markup == keyboard
    assert update.message.text == "გამარჯობა"


async def test_files_go_as_multipart(fake_api: FakeBotApi) -> None:
    fake_api.reset()
    fake_api.user_sends(USER, "hi")
    async with bot_on(fake_api.url) as bot:
        message = await bot.send_document(USER, b"question,count\n", filename="gaps.csv")
    assert message.document.file_name == "gaps.csv"


async def test_telegram_errors_timeouts_and_a_dead_server_become_ptb_errors(
    fake_api: FakeBotApi,
) -> None:
    fake_api.reset()
    fake_api.user_sends(USER, "hi")
    fake_api.inject_delay("sendChatAction", 1.0, times=1)
    async with bot_on(fake_api.url) as bot:
        with pytest.raises(BadRequest):
            await bot.send_message(USER, "<b>unclosed", parse_mode="HTML")
        with pytest.raises(TimedOut):
            await bot.send_chat_action(USER, "typing", read_timeout=0.2)
        assert await bot.send_chat_action(USER, "typing")  # the connection pool recovered
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(NetworkError):
        async with bot_on(f"http://127.0.0.1:{port}") as bot:
            await bot.get_me()
