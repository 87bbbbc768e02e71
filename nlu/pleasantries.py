"""Greetings and thanks around a question, which say nothing about what is asked.

"გამარჯობა, როგორ წავიდე გერმანიაში? დიდი მადლობა" is searched as
"როგორ წავიდე გერმანიაში?": on the development sets, wrapping each question in
a greeting and a thanks cut Georgian-script accuracy from 0.76 to 0.27
(docs/quality.md), because the knowledge base's rankers weigh the pleasantries
like any other words. Rasa still sees the whole message (a bare "hello" is a
greeting to answer). Works on text as nlu.georgian.understand returns it:
Latin- and Cyrillic-typed Georgian already in Mkhedruli.
"""

from __future__ import annotations

import re

_GREETING = (
    r"hello|hi|hey|hiya|good (?:morning|afternoon|evening)|greetings|dear (?:sir|madam|all)"
    r"|გამარჯობა(?:თ)?|სალამი|ჰაი|მოგესალმებით|დილა მშვიდობისა|საღამო მშვიდობისა"
)
_THANKS = (
    r"(?:many |thanks? (?:you )?(?:very much |so much )?)?(?:thanks?|thank you|thx|ty)"
    r"(?: (?:very much|so much|a lot|in advance))?"
    r"|(?:დიდი |უღრმესი )?მადლობა(?: (?:წინასწარ|დიდი))?|წინასწარ (?:დიდი )?მადლობა"
    r"|(?:წინასწარ )?გმადლობთ|მადლობთ|წინასწარ გიხდით მადლობას|გიხდით მადლობას"
)
# Acknowledgements that close a reply rather than ask: "ok", "got it", "კარგი".
_ACKNOWLEDGEMENT = (
    r"ok(?:ay|ey)?|k|good|great|fine|cool|nice|perfect|got it|i see|understood|yes|no|sure"
    r"|ოკ|ოქ|კარგი|კარგით|კარგად|გასაგებია|გავიგე|მივხვდი|ნათელია|კი|ჰო|ხო|არა|აჰა|მშვენიერია"
)
_SEPARATOR = r"[\s,.!;:)(\-–—]*"
_LEADING = re.compile(rf"^\s*(?:{_GREETING})\b{_SEPARATOR}", re.IGNORECASE)
_TRAILING = re.compile(rf"{_SEPARATOR}\b(?:{_THANKS}){_SEPARATOR}$", re.IGNORECASE)


_ONLY_PLEASANTRIES = re.compile(
    rf"^(?:[\W_]*\b(?:{_GREETING}|{_THANKS}|{_ACKNOWLEDGEMENT})\b)+[\W_]*$",
    re.IGNORECASE,
)


def is_only_pleasantries(text: str) -> bool:
    """True for a message of greetings, thanks and acknowledgements alone ("ok thanks",
    "კარგი, მადლობა"): nothing is asked."""
    return bool(_ONLY_PLEASANTRIES.match(text.strip()))


def without_pleasantries(text: str) -> str:
    """The text without a leading greeting and a trailing thanks; the text
    unchanged if nothing else would remain ("hello", "დიდი მადლობა")."""
    core = _TRAILING.sub("", _LEADING.sub("", text, count=1), count=1).strip()
    return core if any(ch.isalpha() for ch in core) else text
