"""Standalone use: `python -m bot.testing.fake_bot_api --port 8081 [--chat-as 1001]`.

Serves the fake on loopback for manual checks of a bot run with TELEGRAM_API_URL pointing
at it; with --chat-as, lines typed on stdin are that user's messages, and the bot's
answers are printed.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading

from bot.testing.fake_bot_api.api import FakeBotApi, running
from bot.testing.fake_bot_api.state import DEFAULT_TOKEN

_STDIN_USER_NAME = "You"


def _print_bot_lines(api: FakeBotApi, chat_id: int, stop: threading.Event) -> None:
    shown = 0
    while not stop.wait(0.2):
        lines = api.transcript(chat_id).splitlines()
        for line in lines[shown:]:
            if not line.startswith(f"{_STDIN_USER_NAME}:"):
                print(line, flush=True)
        shown = len(lines)


def _chat_from_stdin(api: FakeBotApi, user_id: int) -> None:
    print(f"Type messages as user {user_id}; /press <message_id> <data> presses a button.")
    stop = threading.Event()
    printer = threading.Thread(target=_print_bot_lines, args=(api, user_id, stop), daemon=True)
    printer.start()
    try:
        for line in sys.stdin:
            try:
                _act_on_stdin_line(api, user_id, line.rstrip("\n"))
            except ValueError as error:
                print(f"! {error}", flush=True)
    finally:
        stop.set()


def _act_on_stdin_line(api: FakeBotApi, user_id: int, text: str) -> None:
    if text.startswith("/press "):
        _, message_id, data = text.split(maxsplit=2)
        api.user_presses(user_id, int(message_id), data)
    elif text:
        api.user_sends(user_id, text, first_name=_STDIN_USER_NAME)


def main(argv: list[str] | None = None) -> int:
    """Runs the fake until Ctrl-C; returns the exit status (0)."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.testing.fake_bot_api", description="Fake Telegram Bot API on 127.0.0.1"
    )
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--chat-as", type=int, metavar="USER_ID", help="chat on stdin as this user")
    args = parser.parse_args(argv)
    with running(args.token, args.port) as api:
        print(f"fake Bot API at {api.url}  (TELEGRAM_API_URL={api.url}, token {args.token})")
        print(f'  POST {api.url}/_fake/send   {{"user_id": 1001, "text": "gamarjoba"}}')
        print(f'  POST {api.url}/_fake/press  {{"user_id": 1001, "message_id": 2, ...}}')
        print(f"  GET  {api.url}/_fake/transcript?chat_id=1001", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            if args.chat_as is not None:
                _chat_from_stdin(api, args.chat_as)
            else:
                threading.Event().wait()
    return 0
