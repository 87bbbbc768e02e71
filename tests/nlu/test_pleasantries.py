"""Greetings and thanks left out of search (nlu.pleasantries)."""

from __future__ import annotations

import pytest

from nlu.pleasantries import (
    is_acknowledging_emoji,
    is_only_pleasantries,
    pleasantry_kind,
    without_pleasantries,
)


@pytest.mark.parametrize(
    ("text", "core"),
    [
        ("გამარჯობა, როგორ წავიდე გერმანიაში? მადლობა", "როგორ წავიდე გერმანიაში?"),
        ("გამარჯობათ, რა უნდა ვქნა. დიდი მადლობა წინასწარ", "რა უნდა ვქნა"),
        ("სალამი, სად ვიპოვო სამუშაო", "სად ვიპოვო სამუშაო"),
        ("გამარჯობათ, რა ვქნა? წინასწარ გიხდით მადლობას", "რა ვქნა?"),
        ("Hello, how do I get a visa? Thanks!", "how do I get a visa?"),
        ("is the agency in batumi legit? thx", "is the agency in batumi legit?"),
        (
            "good morning! is the agency in batumi licensed? thank you very much",
            "is the agency in batumi licensed?",
        ),
    ],
)
def test_greetings_and_thanks_around_a_question_are_left_out(text: str, core: str):
    assert without_pleasantries(text) == core


@pytest.mark.parametrize(
    "text",
    [
        "hello",  # nothing else: Rasa's greeting, the message unchanged
        "დიდი მადლობა",
        "high wages in poland?",  # "hi" only as a whole word
        "thanks to my boss I lost my passport",  # thanks not at the end
        "can my employer sell my property",  # "ty" only as a whole word
        "ჰაიდელბერგში სამუშაო მინდა",
    ],
)
def test_other_messages_are_unchanged(text: str):
    assert without_pleasantries(text) == text


def test_the_pipeline_searches_the_question_without_them(pipeline):
    plain = pipeline.answer("როგორ წავიდე გერმანიაში სეზონურ სამუშაოზე?")
    polite = pipeline.answer("გამარჯობა, როგორ წავიდე გერმანიაში სეზონურ სამუშაოზე? დიდი მადლობა")
    assert (polite.action, polite.entry_id) == (plain.action, plain.entry_id)
    assert polite.score == pytest.approx(plain.score, abs=1e-3)
    latin = pipeline.answer("gamarjoba, rogor wavide germaniashi sezonur samushaoze? madloba")
    assert latin.candidates[0] == plain.candidates[0]


@pytest.mark.parametrize(
    ("text", "only"),
    [
        ("thanks", True),
        ("ok thanks!", True),
        ("კარგი, დიდი მადლობა 🙏", True),
        ("გასაგებია", True),
        ("hello", True),
        ("ok and in Spain?", False),
        ("thanks, and how long does it take?", False),
        ("და ესპანეთში?", False),
    ],
)
def test_only_pleasantries_ask_nothing(text: str, only: bool):
    assert is_only_pleasantries(text) is only


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ok bye", "goodbye"),
        ("ნახვამდის", "goodbye"),
        ("ok thanks!", "thanks"),
        ("დიდი მადლობა", "thanks"),
        ("hi", "greet"),
        ("გასაგებია", "ack"),
        ("got it", "ack"),
        ("ok and in Spain?", None),
    ],
)
def test_pleasantry_kind(text: str, kind: str | None):
    assert pleasantry_kind(text) == kind


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("👍", True),
        ("🙏🙏", True),
        ("👌🏽", True),
        ("😀😀😀", False),
        ("👍 ok", False),
        ("???", False),
    ],
)
def test_acknowledging_emoji(text: str, ok: bool):
    assert is_acknowledging_emoji(text) is ok
