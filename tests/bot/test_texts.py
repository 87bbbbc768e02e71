"""The bot's own texts follow docs/glossary.md, and the safety rules of the Georgian review.

The glossary's "Checked terms" table is the source: one term per concept (the counsellor,
the topic, the question), words not to use instead, and texts that must use the term.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

import pytest

from bot.config import PROJECT_ROOT
from bot.texts import MESSAGES, say, shorten_middle

GLOSSARY = PROJECT_ROOT / "docs" / "glossary.md"
PLACEHOLDER = re.compile(r"\{[^}]*\}")
RESTRICTED = re.compile(r"^(.*?)\s*\(for [^)]*\)$")  # "თემა (for an entry)"


@dataclass(frozen=True)
class Term:
    concept: str
    ka: str
    en: str
    avoid: dict[str, list[str]]  # lang -> words barred from every text
    avoid_here: dict[str, list[str]]  # lang -> words barred from `keys` only
    gloss: dict[str, str]  # lang -> the phrase an avoided word may appear in
    keys: list[str]


def glossary_terms() -> list[Term]:
    text = GLOSSARY.read_text("utf-8")
    table = text.split("## Checked terms", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("|")][2:]  # header, rule
    terms = []
    for row in rows:
        concept, ka, en, avoid_ka, avoid_en, gloss, keys = (
            cell.strip() for cell in row.strip().strip("|").split("|")
        )
        avoid: dict[str, list[str]] = {"ka": [], "en": []}
        avoid_here: dict[str, list[str]] = {"ka": [], "en": []}
        for lang, cell in (("ka", avoid_ka), ("en", avoid_en)):
            for word in filter(None, (w.strip() for w in cell.split(","))):
                restricted = RESTRICTED.match(word)
                (avoid_here if restricted else avoid)[lang].append(
                    restricted.group(1) if restricted else word
                )
        glosses = [g.strip() for g in gloss.split("/")] if gloss else ["", ""]
        terms.append(
            Term(
                concept=concept.split(":")[0],
                ka=ka,
                en=en,
                avoid=avoid,
                avoid_here=avoid_here,
                gloss=dict(zip(("ka", "en"), glosses, strict=True)),
                keys=[k.strip() for k in keys.split(",") if k.strip()],
            )
        )
    return terms


TERMS = glossary_terms()


def stem(word: str) -> str:
    """კონსულტანტი -> კონსულტანტ, so that კონსულტანტთან, კონსულტანტს... match."""
    return word[:-1] if len(word) > 3 and word[-1] in "აი" else word


def pattern(word: str, lang: str) -> re.Pattern[str]:
    if lang == "ka":  # any case form: the stem and whatever ending follows
        return re.compile(r"(?<!\w)" + r"\s+".join(stem(w) + r"\w*" for w in word.split()))
    return re.compile(r"\b" + r"\s+".join(map(re.escape, word.split())) + r"s?\b", re.I)


def plain(key: str, lang: str) -> str:
    return PLACEHOLDER.sub(" ", MESSAGES[key][lang])


def test_the_glossary_has_the_three_checked_terms() -> None:
    assert [t.concept for t in TERMS] == ["counsellor", "topic", "question"]
    assert [(t.ka, t.en) for t in TERMS] == [
        ("კონსულტანტი", "counsellor"),
        ("თემა", "topic"),
        ("კითხვა", "question"),
    ]
    for term in TERMS:
        assert term.keys and all(k in MESSAGES for k in term.keys), term.concept


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.concept)
@pytest.mark.parametrize("lang", ["ka", "en"])
def test_no_text_uses_a_word_the_glossary_replaces(term: Term, lang: str) -> None:
    gloss = pattern(term.gloss[lang], lang) if term.gloss[lang] else None
    found = []
    for key in MESSAGES:
        text = plain(key, lang)
        if gloss:
            text = gloss.sub(" ", text)
        barred = term.avoid[lang] + (term.avoid_here[lang] if key in term.keys else [])
        found += [f"{key}: {word}" for word in barred if pattern(word, lang).search(text)]
    assert not found, f"use „{term.ka}“ / “{term.en}” (docs/glossary.md), not: {found}"


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.concept)
@pytest.mark.parametrize("lang", ["ka", "en"])
def test_the_texts_the_glossary_names_use_its_term(term: Term, lang: str) -> None:
    word = term.ka if lang == "ka" else term.en
    missing = [k for k in term.keys if not pattern(word, lang).search(plain(k, lang))]
    assert not missing, f"these texts should say „{word}“: {missing}"


def test_the_gloss_rule_lets_only_the_gloss_through() -> None:
    counsellor = TERMS[0]
    gloss = pattern(counsellor.gloss["ka"], "ka")
    assert not gloss.sub(" ", "კონსულტანტთან (ცოცხალ ადამიანთან)").count("ადამიან")
    assert pattern("ადამიანი", "ka").search(gloss.sub(" ", "ადამიანი გიპასუხებთ"))
    assert pattern("person", "en").search(
        pattern(counsellor.gloss["en"], "en").sub(" ", "A person will answer")
    )


# --- the rules of the review that are not about words ---


def test_every_text_has_georgian_and_english_with_the_same_placeholders() -> None:
    for key, langs in MESSAGES.items():
        assert set(langs) == {"ka", "en"} and all(v.strip() for v in langs.values()), key
        fields = {
            lang: sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)
            for lang, text in langs.items()
        }
        assert fields["ka"] == fields["en"], key


def test_help_puts_112_first() -> None:
    for lang in ("ka", "en"):
        first_line = say("help", lang).split("\n", 1)[0]
        assert "112" in first_line, lang


MENU = {key.removeprefix("menu_") for key in MESSAGES if key.startswith("menu_")}


def test_the_command_menu_has_a_counsellor_and_a_help_not_named_help() -> None:
    assert {"start", "topics", "counsellor", "help", "language", "privacy", "forget", "end"} <= MENU
    assert "დახმარება" not in say("menu_help", "ka")
    assert "help" not in say("menu_help", "en").lower()
    for command in MENU:
        for lang in ("ka", "en"):
            assert 3 <= len(say(f"menu_{command}", lang)) <= 256  # Telegram's limits


def test_help_lists_every_menu_command() -> None:
    for lang in ("ka", "en"):
        text = say("help", lang)
        missing = [c for c in MENU - {"start"} if f"/{c} — " not in text]
        assert not missing, (lang, missing)


def test_slow_down_says_how_long_and_gives_112_in_a_callback_answer() -> None:
    for lang in ("ka", "en"):
        text = say("slow_down", lang)
        assert "{seconds}" in text and "112" in text
        # a callback query answer (the toast) holds at most 200 characters
        assert len(text.format(seconds=60)) <= 200, lang


def test_offer_counsellor_names_the_button_the_reader_sees() -> None:
    for lang in ("ka", "en"):
        assert say("btn_counsellor", lang) in say("offer_counsellor", lang)


def test_georgian_texts_avoid_english_punctuation_and_word_order() -> None:
    for key, langs in MESSAGES.items():
        assert ";" not in langs["ka"], key
        assert "მე ვარ" not in langs["ka"], key


def test_shorten_middle_keeps_the_beginning_and_the_end_within_the_limit():
    text = "start " + "middle " * 500 + "the question at the end?"
    part = shorten_middle(text, 400)
    assert len(part) <= 400
    assert part.startswith("start ") and part.endswith("the question at the end?")
    assert shorten_middle("short", 400) == "short"
