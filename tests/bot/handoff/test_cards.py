"""The counsellors' card: how each remembered message is labelled."""

from __future__ import annotations

import pytest

from bot.handoff.cards import recent_line
from bot.texts import say


@pytest.mark.parametrize(
    ("action", "key"),
    [
        ("fallback", "cs_did_fallback"),
        ("relay", "cs_did_handoff"),  # written to a counsellor in an earlier ticket
        ("offer_check", "cs_did_offer_check"),
        ("stay", "cs_did_stay"),
        (None, "cs_did_fallback"),
    ],
)
def test_each_remembered_message_says_what_happened_to_it(action, key) -> None:
    for lang in ("ka", "en"):
        line = recent_line({"text": None, "action": action, "entry_id": None}, lang)
        assert line == f"• „…“ → {say(key, lang)}"
