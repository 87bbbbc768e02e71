"""The counsellors' card: how each remembered message is labelled."""

from __future__ import annotations

import pytest

from bot.handoff.cards import recent_line, snippet
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


def test_a_long_message_keeps_its_end_on_the_card() -> None:
    # the danger sentence at the end of a long urgent message was cut off (a user trial)
    text = "background " * 200 + "the boss took my passport and locks me in"
    cut = snippet(text, 300)
    assert len(cut) <= 300
    assert cut.startswith("background") and cut.endswith("locks me in")
    assert " … " in cut
    assert snippet("short one") == "short one"
