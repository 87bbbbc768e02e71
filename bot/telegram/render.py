"""Plain reply text -> Telegram HTML messages (parse_mode="HTML").

Every character that came from a user, an entry or a reply template is
escaped, so `<b>` or `&` in a question can never break the markup; the
only tags are the ones added here. Long texts are split at paragraph,
line or word boundaries into messages Telegram accepts (4096 UTF-16 units).
"""

from __future__ import annotations

import html

from bot.texts import say

TELEGRAM_LIMIT = 4096
# Room for the tags added to a chunk after it is cut.
TAG_ROOM = 16
SEPARATORS = ("\n\n", "\n", " ")


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (emoji count twice)."""
    return len(text.encode("utf-16-le")) // 2


def escaped_len(text: str) -> int:
    return utf16_len(html.escape(text, quote=False))


def split_plain(text: str, limit: int = TELEGRAM_LIMIT - TAG_ROOM) -> list[str]:
    """Cut text into pieces whose escaped form fits the limit, at the nicest boundary."""
    pieces: list[str] = []
    rest = text.strip()
    while rest:
        if escaped_len(rest) <= limit:
            pieces.append(rest)
            break
        cut = _longest_fitting_prefix(rest, limit)
        cut = _back_to_boundary(rest, cut)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return pieces or [""]


def _longest_fitting_prefix(text: str, limit: int) -> int:
    low, high = 1, len(text)
    while low < high:  # binary search: escaping changes lengths unevenly
        middle = (low + high + 1) // 2
        if escaped_len(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def _back_to_boundary(text: str, cut: int) -> int:
    for separator in SEPARATORS:
        position = text.rfind(separator, 0, cut)
        if position > cut // 2:  # not so far back that the message becomes tiny
            return position + len(separator)
    return cut


def to_html(plain: str, lang: str) -> str:
    """Escape one chunk; the source line of an answer is set in italics."""
    source_prefix = f"{say('source', lang)}:"
    lines = []
    for line in plain.split("\n"):
        escaped = html.escape(line, quote=False)
        lines.append(f"<i>{escaped}</i>" if line.startswith(source_prefix) else escaped)
    return "\n".join(lines)


def render(plain: str, lang: str) -> list[str]:
    """The HTML messages to send for one reply text, in order."""
    return [to_html(piece, lang) for piece in split_plain(plain)]
