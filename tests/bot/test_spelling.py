"""Spell-check of everything the bot says in Georgian (real hunspell, real dictionary).

No skip when hunspell is missing: `make test` runs scripts/setup.sh first,
which installs it, so a missing hunspell is a broken setup and must fail.
"""

from __future__ import annotations

import pytest

from bot.spelling import (
    DICTIONARY_DIR,
    BotText,
    georgian_bot_texts,
    load_allowlist,
    locate,
    unknown_words,
)


@pytest.fixture(scope="module")
def bot_texts() -> list[BotText]:
    return georgian_bot_texts()


@pytest.fixture(scope="module")
def unknown(bot_texts: list[BotText]) -> dict[str, int]:
    return unknown_words((t.text for t in bot_texts), DICTIONARY_DIR)


def test_every_georgian_word_the_bot_says_is_known_or_reviewed(
    bot_texts: list[BotText], unknown: dict[str, int]
) -> None:
    new = sorted(set(unknown) - set(load_allowlist()))
    where = [f"{word}: {', '.join(locate(word, bot_texts))}" for word in new]
    assert not new, (
        "Georgian words hunspell does not know (fix the typo, or if the word is valid "
        "add it to bot/spelling_allowlist.txt):\n" + "\n".join(where)
    )


def test_allowlist_is_sorted_and_holds_only_words_still_needed(unknown: dict[str, int]) -> None:
    allowlist = load_allowlist()
    assert allowlist == sorted(set(allowlist)), "keep the allowlist sorted, one word a line"
    stale = sorted(set(allowlist) - set(unknown))
    assert not stale, f"no longer needed (the dictionary knows them or no text uses them): {stale}"


def test_the_texts_cover_replies_questions_and_answers(bot_texts: list[BotText]) -> None:
    places = {t.where for t in bot_texts}
    assert {"replies.py: welcome", "check-agency.yml: ka.question"} <= places
    assert "check-agency.yml: ka.answer" in places


def test_a_misspelt_word_is_reported_with_its_count() -> None:
    # "სამინისტროს" and "პასპორტი" with two letters swapped
    texts = ["დარეკეთ სამინსიტროს.", "სამინსიტროს ჰკითხეთ, პასპოტრი სად არის?"]
    assert unknown_words(texts, DICTIONARY_DIR) == {"პასპოტრი": 1, "სამინსიტროს": 2}


def test_latin_words_numbers_and_urls_are_ignored() -> None:
    text = "დარეკეთ 112-ზე, IOM Georgia: https://example.org/ბოტიქსი www.ბოტიქსი.ge 2026 წელს."
    assert unknown_words([text], DICTIONARY_DIR) == {}


def test_known_words_with_clitics_and_case_endings_are_accepted() -> None:
    # ლეგალური + ა "is", მიგრაციის + თვის, წასვლა + მდე, კონსულტანტ- + თან
    text = "ლეგალურია მიგრაციისთვის წასვლამდე კონსულტანტთან"
    assert unknown_words([text], DICTIONARY_DIR) == {}


def test_a_misspelt_base_is_not_rescued_by_a_clitic() -> None:
    text = "ლეგალურია ლეგლურია ხელშეკრულებაც ხელშეკრულბაც"
    assert unknown_words([text], DICTIONARY_DIR) == {"ლეგლურია": 1, "ხელშეკრულბაც": 1}
