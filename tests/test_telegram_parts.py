"""The Telegram bot's small parts: rendering, storage and privacy, flood guard, log redaction."""

from __future__ import annotations

import datetime as dt
import logging
import stat

from bot.handlers import FloodGuard, asks_for_human, unsupported_script
from bot.render import TELEGRAM_LIMIT, render, split_plain, utf16_len
from bot.storage import Storage, load_pseudonym_key, pseudonymise
from bot.telegram_app import RedactToken
from tests.fake_bot_api import parse_html

# --------------------------------------------------------------------------- render


def test_render_escapes_everything_and_italicises_the_source_line() -> None:
    [html_text] = render("Use <b> & <script>\n\nSource: A & B (reviewed 2026-11-25)", "en")
    assert html_text == (
        "Use &lt;b&gt; &amp; &lt;script&gt;\n\n<i>Source: A &amp; B (reviewed 2026-11-25)</i>"
    )
    text, entities = parse_html(html_text)
    assert text.startswith("Use <b> & <script>")
    assert entities[0]["type"] == "italic"


def test_long_text_is_split_at_paragraphs_within_telegram_limits() -> None:
    paragraph = ("ქართული ტექსტი & <ნიშნები> " * 40).strip()
    plain = "\n\n".join(f"{n}. {paragraph}" for n in range(30))
    parts = render(plain, "ka")
    assert len(parts) > 1
    for part in parts:
        text, _ = parse_html(part)
        assert utf16_len(part) <= TELEGRAM_LIMIT and utf16_len(text) <= TELEGRAM_LIMIT
    rejoined = "\n\n".join(parse_html(part)[0] for part in parts)
    assert rejoined == plain.strip()


def test_a_single_huge_word_is_still_cut() -> None:
    pieces = split_plain("&" * 20000)
    assert all(utf16_len(p) * 5 <= TELEGRAM_LIMIT for p in pieces)  # "&" escapes to 5 chars
    assert "".join(pieces) == "&" * 20000


def test_emoji_count_twice() -> None:
    pieces = split_plain("😀" * 3000)
    assert len(pieces) == 2 and all(utf16_len(p) <= TELEGRAM_LIMIT for p in pieces)


# --------------------------------------------------------------------------- storage


def test_pseudonym_key_is_generated_once_with_private_permissions(tmp_path) -> None:
    key = load_pseudonym_key(tmp_path, environ={})
    assert load_pseudonym_key(tmp_path, environ={}) == key
    mode = stat.S_IMODE((tmp_path / "pseudonym.key").stat().st_mode)
    assert mode == 0o600
    assert load_pseudonym_key(tmp_path, environ={"MIGBOT_PSEUDONYM_KEY": "abc"}) == b"abc"


def test_pseudonyms_are_stable_and_keyed() -> None:
    assert pseudonymise(42, b"k1") == pseudonymise(42, b"k1")
    assert pseudonymise(42, b"k1") != pseudonymise(42, b"k2")
    assert "42" not in pseudonymise(42, b"k1")


def test_storage_forget_and_retention(tmp_path) -> None:
    storage = Storage(tmp_path / "bot.db", b"key")
    alice, bob = storage.user_key(1), storage.user_key(2)
    for key, chat in ((alice, 1), (bob, 2)):
        storage.touch_user(key, chat, lang="ka")
        storage.log_message(key, "ka", "answer", "question", entry_id="x", score=0.9)
        storage.add_feedback(key, "x", 1)
        storage.add_handoff(key, "ka", "button")
    storage.touch_user(alice, 1, last_lang="en")
    assert storage.user(alice).lang == "ka" and storage.user(alice).last_lang == "en"
    assert storage.db.execute("pragma journal_mode").fetchone()[0] == "wal"

    assert storage.forget_user(alice) == 4
    assert storage.user(alice) is None
    assert all(storage.count(t, alice) == 0 for t in ("messages", "feedback", "handoffs"))
    assert storage.count("messages", bob) == 1

    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    assert storage.purge_old_texts(30, now=later) == 1
    assert storage.purge_old_texts(30, now=later) == 0
    [row] = storage.db["messages"].rows
    assert row["text"] is None and row["entry_id"] == "x"
    storage.close()


# --------------------------------------------------------------------------- guards


def test_flood_guard_notifies_once_then_drops_then_recovers() -> None:
    guard = FloodGuard(per_minute=2)
    verdicts = [guard.check(7, now=t) for t in (0, 1, 2, 3, 4)]
    assert verdicts == ["ok", "ok", "notify", "drop", "drop"]
    assert guard.check(8, now=4) == "ok"  # other users are unaffected
    assert guard.check(7, now=61) == "ok"  # the window has moved on
    assert guard.check(7, now=62) == "ok"
    assert guard.check(7, now=62.5) == "notify"


def test_scripts_and_counsellor_words() -> None:
    assert unsupported_script("我想去波兰工作")
    assert unsupported_script("أريد العمل في بولندا")
    assert not unsupported_script("Как работать в Польше")
    assert not unsupported_script("rogor vimushao")
    assert not unsupported_script("😀 123")
    assert asks_for_human("Counsellor!") and asks_for_human("კონსულტანტი")
    assert not asks_for_human("what does a counsellor at the agency do for me abroad")


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
