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


_FAREWELL = r"bye|goodbye|bye bye|see you|ნახვამდის|დროებით"
_ONLY_PLEASANTRIES = re.compile(
    rf"^(?:[\W_]*\b(?:{_GREETING}|{_THANKS}|{_ACKNOWLEDGEMENT}|{_FAREWELL})\b)+[\W_]*$",
    re.IGNORECASE,
)


def is_only_pleasantries(text: str) -> bool:
    """True for a message of greetings, thanks and acknowledgements alone ("ok thanks",
    "კარგი, მადლობა"): nothing is asked."""
    return bool(_ONLY_PLEASANTRIES.match(text.strip()))


_HAS_THANKS = re.compile(rf"\b(?:{_THANKS})\b", re.IGNORECASE)
_HAS_FAREWELL = re.compile(rf"\b(?:{_FAREWELL})\b", re.IGNORECASE)
_STARTS_WITH_GREETING = re.compile(rf"^[\W_]*(?:{_GREETING})\b", re.IGNORECASE)


def pleasantry_kind(text: str) -> str | None:
    """What a message of pleasantries alone says: "goodbye" ("ok bye", "ნახვამდის"),
    "thanks" ("ok thanks", "დიდი მადლობა"), "greet" ("hi", "გამარჯობა"), "ack" ("ok",
    "გასაგებია", "got it"); None when the message asks or says anything else."""
    if not is_only_pleasantries(text):
        return None
    if _HAS_FAREWELL.search(text):
        return "goodbye"
    if _HAS_THANKS.search(text):
        return "thanks"
    return "greet" if _STARTS_WITH_GREETING.match(text) else "ack"


def without_pleasantries(text: str) -> str:
    """The text without a leading greeting and a trailing thanks; the text
    unchanged if nothing else would remain ("hello", "დიდი მადლობა")."""
    core = _TRAILING.sub("", _LEADING.sub("", text, count=1), count=1).strip()
    return core if any(ch.isalpha() for ch in core) else text


# Thumbs up, OK hand, folded hands, check marks, smiles, hearts, clapping: "thanks, got
# it" in a chat ("👍" after an answer got "I found no words": a user trial).
_ACKNOWLEDGING_EMOJI = set("👍👌🙏✅✔☑🙂😊❤💙💚🧡💛💜🤝👏💪🥰😍")
_EMOJI_MODIFIERS = set("\ufe0f\u200d") | {chr(c) for c in range(0x1F3FB, 0x1F400)}


def is_acknowledging_emoji(text: str) -> bool:
    """True for a message of thanks-or-ok emoji alone ("👍", "🙏🙏", "👌🏽")."""
    marks = [ch for ch in text if not ch.isspace() and ch not in _EMOJI_MODIFIERS]
    return bool(marks) and all(ch in _ACKNOWLEDGING_EMOJI for ch in marks)
