"""The `migbot` command line: a thin layer over the library, one module per verb group.

    migbot run | chat | ask | eval | gate   bot.cli.answering
    migbot kb validate | build | stale | diff | export | import
                                            bot.cli.kb
    migbot kb gaps, migbot datasette        bot.cli.insights
    migbot nlu train | test | serve | stop  bot.cli.nlu
    migbot stay, migbot check-offer         bot.cli.tools

Each verb calls one library function. Errors a user can cause (a missing
file, a bad setting, a port in use) become one line on stderr and exit
status 2, here and nowhere else; `-v` shows the traceback too.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from bot.cli import answering, insights, kb, nlu, tools
from bot.cli.errors import UserError
from bot.config import SettingsError, load_settings

log = logging.getLogger("migbot")

# What a user can cause, as opposed to a bug: a message and exit 2, no traceback.
USER_ERRORS = (UserError, SettingsError, FileNotFoundError, PermissionError, IsADirectoryError)


def main(argv: list[str] | None = None) -> int:
    """Run one `migbot` verb; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL at INFO, and Telegram URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        settings = load_settings(Path(args.config) if args.config else None)
        return int(args.handler(settings, args) or 0)
    except USER_ERRORS as error:
        if args.verbose:
            log.exception("migbot %s failed", args.command)
        print(f"error: {error}", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="migbot", description="migbot: the bot and its tools")
    parser.add_argument("--config", help="path to config.yml (default: the project's)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = parser.add_subparsers(dest="command", required=True)
    answering.add_commands(commands)
    kb_parser = commands.add_parser("kb", help="knowledge-base administration")
    kb_commands = kb_parser.add_subparsers(dest="kb_command", required=True)
    kb.add_commands(kb_commands)
    insights.add_kb_commands(kb_commands)
    insights.add_commands(commands)
    nlu.add_commands(commands)
    tools.add_commands(commands)
    return parser
