"""Rasa-independent danger detector: the safety net for urgent messages.

Rasa may be down or may misclassify, so danger (violence, confinement,
withheld documents, threats, forced labour, trafficking, suicide) is also
recognised here with plain regular expressions. The patterns live in
`danger_signals.yml` so that counsellors can extend them without touching code.

Georgian is agglutinative, so the patterns match stems. Text typed in Latin
letters and converted to Mkhedruli often has the wrong one of two similar
letters (t -> თ/ტ, k -> კ/ქ, ...); every Georgian letter of such a pair is
widened to a character class when the patterns are compiled.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from nlu.georgian import understand

SIGNALS_FILE = Path(__file__).with_name("danger_signals.yml")

# Letters a Latin->Mkhedruli converter confuses; each widens to its whole group.
CONFUSABLE_GROUPS = ("თტ", "კქყ", "პფ", "ცწ", "ჩჭ")
_GROUP_OF = {letter: group for group in CONFUSABLE_GROUPS for letter in group}
_PART_REFERENCE = re.compile(r"<<(\w+)>>")
_PATTERN_LISTS = ("ka", "ka-latn", "en")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})


@dataclass(frozen=True)
class DangerSignal:
    name: str
    patterns: tuple[re.Pattern[str], ...]
    excludes: tuple[re.Pattern[str], ...]

    def first_match(self, text: str) -> str | None:
        """The matched text of the first pattern that fires, unless an exclude applies."""
        if any(exclude.search(text) for exclude in self.excludes):
            return None
        for pattern in self.patterns:
            found = pattern.search(text)
            if found:
                return found.group(0)
        return None


def find_danger_signals(text: str) -> list[str]:
    """Names of the danger signals in `text`, in the order of the signals file."""
    return list(_signal_names(text))


# The bot asks twice per message (to put it first in the queue, then to answer
# it), and 166 patterns take ~0.2 ms a scan; a few hundred recent texts suffice.
# The cache is keyed by a SHA-256 digest of the text, never the text itself:
# what people wrote must not stay in memory after /forget (issue 15, item 7).
CACHE_SIZE = 256
_cache: OrderedDict[bytes, tuple[str, ...]] = OrderedDict()
_cache_lock = threading.Lock()


def _signal_names(text: str) -> tuple[str, ...]:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    with _cache_lock:
        cached = _cache.get(digest)
        if cached is not None:
            _cache.move_to_end(digest)
            return cached
    names = tuple(explain_danger_signals(text))
    with _cache_lock:
        _cache[digest] = names
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return names


def cached_texts() -> int:
    """How many texts' results the danger cache holds (by digest only, never the text)."""
    with _cache_lock:
        return len(_cache)


def explain_danger_signals(text: str) -> dict[str, str]:
    """Signal name -> the piece of text that raised it (for logs and counsellors)."""
    normalised = normalise(text)
    found: dict[str, str] = {}
    for signal in load_signals(SIGNALS_FILE):
        matched = signal.first_match(normalised)
        if matched is not None:
            found[signal.name] = matched
    return found


def normalise(text: str) -> str:
    # The bot already sends NFC lowercase text; redo it so direct callers are safe too.
    text = unicodedata.normalize("NFC", text).lower().translate(_APOSTROPHES)
    return " ".join(text.split())


@lru_cache(maxsize=4)
def load_signals(path: Path) -> tuple[DangerSignal, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    parts: dict[str, str] = data.get("parts") or {}
    signals = []
    for name, spec in (data.get("signals") or {}).items():
        raw_patterns = [p for key in _PATTERN_LISTS for p in (spec.get(key) or [])]
        signals.append(
            DangerSignal(
                name=name,
                patterns=tuple(_compile(p, parts, name) for p in raw_patterns),
                excludes=tuple(_compile(p, parts, name) for p in (spec.get("exclude") or [])),
            )
        )
    return tuple(signals)


def _compile(pattern: str, parts: dict[str, str], signal: str) -> re.Pattern[str]:
    expanded = _expand_parts(pattern, parts, signal)
    try:
        return re.compile(widen_confusable_letters(expanded))
    except re.error as error:
        # Name the culprit: the file is edited by non-programmers.
        message = f"{SIGNALS_FILE.name}: bad pattern in {signal!r}: {pattern!r}: {error}"
        raise ValueError(message) from error


def _expand_parts(pattern: str, parts: dict[str, str], signal: str) -> str:
    def replace(match: re.Match[str]) -> str:
        part = match.group(1)
        if part not in parts:
            raise ValueError(f"{SIGNALS_FILE.name}: {signal!r} uses unknown part <<{part}>>")
        return parts[part]

    return _PART_REFERENCE.sub(replace, pattern)


def widen_confusable_letters(pattern: str) -> str:
    """`ჩამკეტ` -> `[ჩჭ]ამ[კქყ]ე[თტ]`; inside an existing [...] class, add the partners."""
    out: list[str] = []
    in_class = False
    escaped = False
    for char in pattern:
        group = _GROUP_OF.get(char)
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif group is None:
            out.append(char)
            if char == "[" and not in_class:
                in_class = True
            elif char == "]" and in_class:
                in_class = False
        else:
            out.append(group if in_class else f"[{group}]")
    return "".join(out)


def sounds_urgent(text: str, max_chars: int = 1000) -> bool:
    """True if the message carries a danger signal, read as the pipeline reads it
    (normalised, transliterated; the first `max_chars` characters) or as typed."""
    understood = understand(text[:max_chars])
    return bool(find_danger_signals(understood.text) or find_danger_signals(text.lower()))
