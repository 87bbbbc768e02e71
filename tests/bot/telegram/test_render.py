"""Plain text -> Telegram HTML: escaping, the source line, splitting to Telegram's limits."""

from __future__ import annotations

from bot.telegram.render import TELEGRAM_LIMIT, render, split_plain, utf16_len
from bot.testing.fake_bot_api import parse_html


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
