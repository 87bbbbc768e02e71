"""nlu.countries: the gazetteer finds countries in all three scripts, not languages."""

from __future__ import annotations

import pytest

from nlu.countries import countries_named, country_name, load_countries, without_countries
from nlu.georgian import understand


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("seasonal job visa for Sweden strawberries", {"se"}),
        ("შვედეთში სეზონურ სამუშაოზე ვიზა", {"se"}),
        ("shvedetshi sezonur samushaoze viza", {"se"}),
        ("ინგლისში ხილის კრეფა", {"gb"}),
        ("UK farm work for Georgians", {"gb"}),
        ("polonetshi work permit", {"pl"}),
        ("ავსტრიაში ვაშლის კრეფა", {"at"}),
        ("ავსტრალიაში სეზონური ვიზა", {"au"}),
        ("can I work in Germany with a permit from Poland", {"de", "pl"}),
        # languages, Georgia and words that only begin like a country are not countries
        ("ინგლისური ენა მჭირდება?", set()),
        ("გერმანული ენის კურსი", set()),
        ("დანიშნულება რა არის", set()),
        ("how long can I stay in Europe without a visa", set()),
    ],
)
def test_countries_named(text: str, codes: set[str]):
    understood = understand(text)
    assert countries_named(understood.text, understood.original) == codes


def test_every_country_has_a_name_in_both_languages():
    for code in load_countries():
        assert country_name(code, "en") and country_name(code, "ka")
    assert country_name("se", "ka") == "შვედეთის"  # genitive: "შვედეთის შესახებ"


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("How does the Poland programme work?", "How does the programme work?"),
        ("seasonal work in Germany or the UK", "seasonal work in or the"),
        ("როგორ ვიმუშაო პოლონეთში ლეგალურად?", "როგორ ვიმუშაო ლეგალურად?"),
        ("how do I send money home", "how do I send money home"),
    ],
)
def test_without_countries_takes_every_name_out(text: str, left: str):
    assert without_countries(text) == left
    assert countries_named(without_countries(text)) == frozenset()
