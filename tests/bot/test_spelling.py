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
    not_allowed,
    stale,
    suggestion,
    unknown_words,
)


@pytest.fixture(scope="module")
def bot_texts() -> list[BotText]:
    return georgian_bot_texts()


@pytest.fixture(scope="module")
def unknown(bot_texts: list[BotText]) -> dict[str, int]:
    return unknown_words((t.text for t in bot_texts), DICTIONARY_DIR)


def test_every_georgian_word_the_bot_says_is_known_or_reviewed_for_that_place(
    bot_texts: list[BotText], unknown: dict[str, int]
) -> None:
    missing = not_allowed(bot_texts, unknown, load_allowlist())
    where = [f"{word}: {', '.join(t.where for t in texts)}" for word, texts in missing.items()]
    assert not missing, (
        "Georgian words hunspell does not know, in places the allowlist does not list them "
        "for. Fix the typo, or if the word is valid there add it to bot/spelling_allowlist.txt "
        "(`python -m bot.spelling --suggest` prints the sections):\n" + "\n".join(where)
    )


def test_allowlist_is_sorted_and_holds_only_words_still_needed(
    bot_texts: list[BotText], unknown: dict[str, int]
) -> None:
    allowlist = load_allowlist()
    unsorted = [place for place, words in allowlist.items() if words != sorted(set(words))]
    assert not unsorted, f"keep each section sorted, one word a line: {unsorted}"
    assert not stale(bot_texts, unknown, allowlist), (
        "no longer needed (the dictionary knows them or no text of that place uses them)"
    )


def test_a_word_allowed_for_one_file_is_still_reported_in_another(tmp_path) -> None:
    # "გატყუეს" (for მოგატყუეს) was allowlisted for every file because it was read
    # in one place; now it is accepted only where it is listed.
    texts = [
        BotText("one.yml: ka.answer", "თუ გატყუეს, მიმართეთ პოლიციას."),
        BotText("two.yml: ka.answer", "თუ გატყუეს, მიმართეთ პოლიციას."),
        BotText("texts.py: help", "თუ გატყუეს, მიმართეთ პოლიციას."),
    ]
    allowlist_file = tmp_path / "allowlist.txt"
    allowlist_file.write_text("# comment\n[one.yml]\nგატყუეს  # read in context\n", "utf-8")
    allowlist = load_allowlist(allowlist_file)
    unknown = unknown_words((t.text for t in texts), DICTIONARY_DIR)
    assert unknown == {"გატყუეს": 3}
    missing = not_allowed(texts, unknown, allowlist)
    assert [t.where for t in missing["გატყუეს"]] == ["two.yml: ka.answer", "texts.py: help"]
    assert suggestion(missing) == "[texts.py: help]\nგატყუეს\n\n[two.yml]\nგატყუეს"


def test_a_word_allowed_for_one_text_key_is_still_reported_in_another_key() -> None:
    texts = [
        BotText("texts.py: help", "დამიწერეთ კითხვა."),
        BotText("texts.py: start", "დამიწერეთ კითხვა."),
    ]
    unknown = unknown_words((t.text for t in texts), DICTIONARY_DIR)
    missing = not_allowed(texts, unknown, {"texts.py: help": ["დამიწერეთ"]})
    assert [t.where for t in missing["დამიწერეთ"]] == ["texts.py: start"]
    # a whole-file section covers every key of that file
    assert not not_allowed(texts, unknown, {"texts.py": ["დამიწერეთ"]})


def test_allowlisted_words_no_text_of_their_place_uses_are_stale() -> None:
    texts = [BotText("one.yml: ka.answer", "თუ გატყუეს, მიმართეთ პოლიციას.")]
    unknown = {"გატყუეს": 1}
    allowlist = {"one.yml": ["გატყუეს"], "two.yml": ["გატყუეს"], "texts.py: gone": ["ბოტს"]}
    assert stale(texts, unknown, allowlist) == ["two.yml: გატყუეს", "texts.py: gone: ბოტს"]


def test_the_allowlist_format_is_checked(tmp_path) -> None:
    bad = tmp_path / "allowlist.txt"
    bad.write_text("ბოტს\n", "utf-8")
    with pytest.raises(ValueError, match="before the first"):
        load_allowlist(bad)
    bad.write_text("[a.yml]\nბოტს\n[a.yml]\nბოტი\n", "utf-8")
    with pytest.raises(ValueError, match="twice"):
        load_allowlist(bad)


def test_locate_finds_whole_words_outside_urls() -> None:
    texts = [
        BotText("a.yml: ka.answer", "ბოტს მისწერეთ"),
        BotText("b.yml: ka.answer", "ბოტსა და https://example.org/ბოტს"),
    ]
    assert [t.where for t in locate("ბოტს", texts)] == ["a.yml: ka.answer"]


def test_the_texts_cover_replies_questions_and_answers(bot_texts: list[BotText]) -> None:
    places = {t.where for t in bot_texts}
    assert {"texts.py: start", "check-agency.yml: ka.question"} <= places
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
