"""Helpers for testing migbot and running its benchmarks, never imported by the bot itself.

``bot.testing.fake_bot_api``: a fake Telegram Bot API on loopback that the real
python-telegram-bot client talks to over HTTP (tests/ and bench/ use it). Like
``aiohttp.test_utils``, it ships inside the package so that tests and benchmarks can both
import it; an import-linter contract in pyproject.toml keeps every other room from doing so.
"""
