"""Rules on a message's words that work without Rasa, before the pipeline.

- `asks_for_human`: the words the bot itself tells people to write to reach
  a person ("counsellor", "კონსულტანტი", "konsultanti"), in a short message;
- `unsupported_script`: letters, but none Latin, Georgian or Cyrillic.
"""

from __future__ import annotations

import re
import unicodedata

HUMAN_WORDS = frozenset(
    {
        "counsellor", "counselor", "consultant", "operator", "human", "person",
        "კონსულტანტი", "კონსულტანტს", "კონსულტანტთან", "ოპერატორი", "ოპერატორს",
        "ოპერატორთან", "ადამიანი", "ადამიანს", "ადამიანთან",
        "konsultanti", "konsultants", "konsultanttan", "operatori", "operatortan",
        "adamiani", "adamiantan",
    }
)  # fmt: skip
KNOWN_SCRIPTS = frozenset({"LATIN", "GEORGIAN", "CYRILLIC"})


def unsupported_script(text: str) -> bool:
    """Letters, but none Latin, Georgian or Cyrillic: a language we cannot read."""
    scripts = {unicodedata.name(ch, "?").split()[0] for ch in text if ch.isalpha()}
    return bool(scripts) and not scripts & KNOWN_SCRIPTS


def asks_for_human(text: str) -> bool:
    """One to three words, one of them a word for a person (HUMAN_WORDS)."""
    words = re.findall(r"\w+", text.lower())
    return 0 < len(words) <= 3 and any(w in HUMAN_WORDS for w in words)
