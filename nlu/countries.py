"""Which countries a question names: a small gazetteer in Georgian and English.

Issue 12: a question about a country that the chosen entry does not cover is
not answered by it ("seasonal visa for Sweden" is not answered by the UK
seasonal-worker entry). `countries_named` finds the countries; the router
compares them with the entry's declared `countries` (knowledge_base/README.md).

The names live in `nlu/countries.yml` (ISO 3166-1 alpha-2 codes, Georgian
stems widened for the converter's confusable letters as in nlu/danger.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

from nlu.danger import widen_confusable_letters

COUNTRIES_FILE = Path(__file__).with_name("countries.yml")


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2, lowercase
    name: dict[str, str]  # {"en": "Sweden", "ka": "შვედეთის"} (Georgian genitive)
    ka: re.Pattern[str]
    en: re.Pattern[str]


@cache
def load_countries(path: Path = COUNTRIES_FILE) -> dict[str, Country]:
    """The gazetteer: {code: Country}. Raises ValueError on a malformed file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    countries = {}
    for code, item in raw.items():
        if not isinstance(item, dict) or not {"ka", "en", "name_en", "name_ka"} <= set(item):
            raise ValueError(f"{path.name}: {code}: needs ka, en, name_en and name_ka")
        ka = "|".join(widen_confusable_letters(p) for p in item["ka"])
        en = "|".join(item["en"])
        countries[str(code)] = Country(
            code=str(code),
            name={"en": item["name_en"], "ka": item["name_ka"]},
            ka=re.compile(rf"(?<!\w)(?:{ka})"),
            en=re.compile(rf"\b(?:{en})\b"),
        )
    return countries


@lru_cache(maxsize=256)
def countries_named(text: str, original: str = "") -> frozenset[str]:
    """ISO codes of the countries `text` names.

    Args:
        text: the question as nlu.georgian.understand left it (Mkhedruli for
            Georgian, Latin-typed Georgian converted).
        original: the question as typed, for English names inside a Georgian
            message ("პოლონეთში work permit") or a converted English word.
    Returns: a frozenset of lowercase ISO 3166-1 alpha-2 codes, empty if none.
    """
    lowered = text.lower()
    typed = original.lower()
    return frozenset(
        code
        for code, country in load_countries().items()
        if country.ka.search(lowered) or country.en.search(lowered) or country.en.search(typed)
    )


def without_countries(text: str) -> str:
    """`text` with every country name taken out (Georgian stems with their endings):
    "How does the Poland programme work?" -> "How does the programme work?", for
    reading "and in Germany?" after it as the same question about another country."""
    for country in load_countries().values():
        text = re.sub(country.en.pattern, "", text, flags=re.IGNORECASE)
        text = re.sub(rf"(?:{country.ka.pattern})\w*", "", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def country_name(code: str, lang: str) -> str:
    """The country's name for a reply: English, or the Georgian genitive."""
    return load_countries()[code].name["en" if lang == "en" else "ka"]
