"""Georgian text handling: normalisation, language/script detection, Latin -> Mkhedruli.

Users write Georgian in Mkhedruli, in Latin letters ("rogor vimushao polonetshi"), now and then
with the Russian keyboard layout active, or write English. Retrieval matches script Georgian far
better than Latin-typed Georgian, so `understand` turns every Georgian-looking message into
Mkhedruli before it is searched.

Language choices (the reply language, `Understood.lang`):
- "ka" whenever there is Georgian evidence, in any script.
- Russian (Cyrillic that does not convert into Georgian) -> "ka": people in Georgia who write
  Russian read Georgian far more often than English, and the bot answers only in ka/en.
- No letters at all (numbers, emoji, empty) -> "en", script "none": "ka" is returned only on
  Georgian evidence. Callers that know the user's earlier language should keep it instead.

All data is loaded from nlu/data_ka/ (built by scripts/build_wordlist.py); no network.
"""

from __future__ import annotations

import gzip
import math
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data_ka"

MKHEDRULI = "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ"
# Lossy "skeleton" of each letter: the distinctions Latin typists drop (თ/ტ, კ/ქ/ყ, ც/წ/ჩ/ჭ,
# ზ/ძ, ჯ/ჟ, გ/ღ, პ/ფ) share one key, so one dictionary lookup finds every reading.
SKELETON = dict(zip(MKHEDRULI, "abgdevztiklmnopjrstupkgkScczccxjh", strict=True))
_SKELETON_TABLE = str.maketrans(SKELETON)

_MTAVRULI_OFFSET = 0x1C90 - 0x10D0
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_WHITESPACE = re.compile(r"\s+")
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’`ʼ][A-Za-z]*)*")
_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")
_MKHEDRULI_WORD = re.compile(r"[\u10d0-\u10ff]+")
# Links, e-mail addresses and bare domains ("praca.gov.pl", a known top-level domain
# last, so that "var.shen" without its space stays a typo): never Georgian words.
_TLDS = (
    "ge|gov|eu|int|org|com|net|edu|info|io|uk|de|pl|ee|lt|lv|cz|sk|gr|it|es|fr|nl|be|at|"
    "ie|cy|bg|ro|hu|pt|se|dk|fi|no|ch|il|tr|ae|qa|sa|kw|us|ca|au|ru|ua|am|az"
)
_URL_OR_EMAIL = re.compile(
    r"(?:https?://|www\.)\S+|\S+@\S+\.\w+"
    rf"|\b[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:{_TLDS})\b(?![.\w])",
    re.IGNORECASE,
)
_APOSTROPHES = "'’`ʼ"


# --------------------------------------------------------------------------- normalisation


def _fold_mtavruli(ch: str) -> str:
    code = ord(ch)
    if 0x1C90 <= code <= 0x1CBF:
        return chr(code - _MTAVRULI_OFFSET)
    return ch


def normalise(text: str) -> str:
    """NFC, Mtavruli -> Mkhedruli, invisible/control characters removed, whitespace collapsed.

    Zero-width joiners go too (they split Georgian words when pasted from the web); emoji
    sequences then fall apart into their parts, which is harmless for search.
    """
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = "".join(
        " " if unicodedata.category(ch) == "Cc" else _fold_mtavruli(ch)
        for ch in text
        if unicodedata.category(ch) != "Cf"
    )
    return _WHITESPACE.sub(" ", text).strip()


# --------------------------------------------------------------------------- data loading


def _read_gzip_lines(name: str, data_dir: Path = DATA_DIR) -> Iterator[str]:
    with gzip.open(data_dir / name, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield line.rstrip("\n")


def _read_word_file(name: str, data_dir: Path = DATA_DIR) -> list[str]:
    words: list[str] = []
    for line in (data_dir / name).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.extend(line.split())
    return words


class CharNgramModel:
    """Character n-gram model with stupid backoff; scores whole words in log space."""

    BACKOFF = math.log(0.4)

    def __init__(self, counts: dict[str, int], order: int) -> None:
        self.order = order
        self.counts = counts
        self.unigram_total = sum(c for g, c in counts.items() if len(g) == 1)
        self.floor = math.log(0.5 / max(self.unigram_total, 1))

    def char_logprob(self, history: str, ch: str) -> float:
        penalty = 0.0
        for n in range(min(self.order - 1, len(history)), -1, -1):
            context = history[len(history) - n :] if n else ""
            gram_count = self.counts.get(context + ch, 0)
            context_count = self.counts.get(context, 0) if n else self.unigram_total
            if gram_count and context_count:
                return penalty + math.log(gram_count / context_count)
            penalty += self.BACKOFF
        return penalty + self.floor

    def word_logprob(self, word: str) -> float:
        padded = "^" * (self.order - 1) + word + "$"
        start = self.order - 1
        return sum(
            self.char_logprob(padded[max(0, i - self.order + 1) : i], padded[i])
            for i in range(start, len(padded))
        )


# --------------------------------------------------------------------------- Latin parsing

_T, _K, _P = "თტ", "კქ", "პფ"
_AFFRICATES = "ცწჩჭ"
# Latin units -> Mkhedruli letters they may stand for (first = most usual reading).
_UNITS: dict[str, tuple[str, ...]] = {
    "a": ("ა",),
    "b": ("ბ",),
    "d": ("დ",),
    "e": ("ე",),
    "i": ("ი",),
    "l": ("ლ",),
    "m": ("მ",),
    "n": ("ნ",),
    "o": ("ო",),
    "r": ("რ",),
    "s": ("ს",),
    "u": ("უ",),
    "v": ("ვ",),
    "h": ("ჰ",),
    "f": ("ფ",),
    "x": ("ხ",),
    "j": ("ჯ", "ჟ"),
    "g": ("გ", "ღ"),
    "z": ("ზ", "ძ"),
    "t": (_T,),
    "k": (_K + "ყ",),
    "p": (_P,),
    "q": ("ქყ",),
    "y": ("ყ",),
    "c": (_AFFRICATES,),
    "w": ("წ", "ვ"),
    "sh": ("შ",),
    "zh": ("ჟ",),
    "kh": ("ხ",),
    "gh": ("ღ",),
    "ch": ("ჩჭ",),
    "dz": ("ძ",),
    "ts": ("ცწ",),
    "th": ("თ",),
    "ph": ("ფ",),
    "dj": ("ჯ",),
    "tch": ("ჭჩ",),
    "t'": ("ტ",),
    "k'": ("კ",),
    "p'": ("პ",),
    "q'": ("ყ",),
    "ts'": ("წ",),
    "ch'": ("ჭ",),
    "c'": ("წჭ",),
    "tch'": ("ჭ",),
}
# Shift+key on the Georgian keyboard: a capital inside a word means this letter.
_KEYBOARD_CAPITALS = {"T": "თ", "W": "ჭ", "R": "ღ", "S": "შ", "J": "ჟ", "Z": "ძ", "C": "ჩ"}
_MAX_UNIT = 4
_MAX_PARSES = 96
# Longer Latin "words" are not read as Georgian: the longest Georgian words run to
# about 35 Latin letters ("saertashoriso..."), and reading a keyboard-mashed run of
# 1,000 letters recursed once per letter (RecursionError, a user trial, 2026-12-01).
MAX_LATIN_WORD = 48


@dataclass(frozen=True)
class _Parse:
    slots: tuple[str, ...]  # allowed Mkhedruli letters per position
    penalty: float  # log-space cost of the less usual readings this parse chose

    @property
    def skeleton(self) -> str:
        return "".join(SKELETON[s[0]] for s in self.slots)


def _latin_parses(word: str) -> list[_Parse]:
    """Every way of reading a Latin word as a Mkhedruli letter sequence (bounded)."""
    results: list[_Parse] = []

    def walk(pos: int, slots: tuple[str, ...], penalty: float) -> None:
        if len(results) >= _MAX_PARSES:
            return
        if pos == len(word):
            results.append(_Parse(slots, penalty))
            return
        ch = word[pos]
        if ch in _APOSTROPHES:  # stray apostrophe not after an ejective-capable letter
            walk(pos + 1, slots, penalty)
            return
        if ch in _KEYBOARD_CAPITALS:
            # a first capital may just start a sentence, so read it both ways there
            walk(pos + 1, (*slots, _KEYBOARD_CAPITALS[ch]), penalty)
            if pos > 0:
                return
            penalty += 0.3
        options = _unit_options(word, pos)
        # splitting a digraph ("t"+"s" instead of "ts") is the less likely reading
        for length, readings in options:
            split_cost = 0.0 if length == max(n for n, _ in options) else 1.5
            for rank, letters in enumerate(readings):
                walk(pos + length, (*slots, letters), penalty + split_cost + 2.0 * rank)

    walk(0, (), 0.0)
    return results


def _unit_options(word: str, pos: int) -> list[tuple[int, tuple[str, ...]]]:
    options = []
    for length in range(min(_MAX_UNIT, len(word) - pos), 0, -1):
        unit = word[pos : pos + length].lower()
        unit = unit[:-1] + "'" if unit[-1] in _APOSTROPHES and length > 1 else unit
        if unit in _UNITS:
            options.append((length, _UNITS[unit]))
    return options or [(1, ())]  # no reading: this parse dies


def _prepare_latin_word(word: str) -> str:
    """All-caps words carry no keyboard-capital information: lower them."""
    letters = [c for c in word if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.lower()
    if word[:1].isupper() and word[:1] not in _KEYBOARD_CAPITALS:
        return word[:1].lower() + word[1:]
    return word


# --------------------------------------------------------------------------- transliterator

# Cyrillic letters as a Georgian writing phonetically in Russian letters would use them
# ("дж" is handled before this table: it is ჯ).
_CYRILLIC_PHONETIC_SPEC = (
    "а=a б=b в=v г=g д=d е=e ж=zh з=z и=i й=i к=k л=l м=m н=n о=o п=p р=r с=s т=t у=u "
    "ф=f х=kh ц=ts ч=ch ш=sh щ=sh ъ= ы=i ь= э=e ю=iu я=ia ё=io"
)
_CYRILLIC_PHONETIC = dict(pair.split("=") for pair in _CYRILLIC_PHONETIC_SPEC.split())
# Russian ЙЦУКЕН key positions -> the QWERTY letter printed on the same key.
_RUSSIAN_KEYS = dict(zip("йцукенгшщзфывапролдячсмить", "qwertyuiopasdfghjklzxcvbnm", strict=True))
_GEORGIAN_KEYS = dict(zip("qwertyuiopasdfghjklzxcvbnm", "ქწერტყუიოპასდფგჰჯკლზხცვბნმ", strict=True))
_GEORGIAN_SHIFT_KEYS = {"W": "ჭ", "R": "ღ", "T": "თ", "S": "შ", "J": "ჟ", "Z": "ძ", "C": "ჩ"}
_QWERTY_OF_GEORGIAN = {v: k for k, v in _GEORGIAN_KEYS.items()} | {
    v: k.lower() for k, v in _GEORGIAN_SHIFT_KEYS.items()
}


class Transliterator:
    """Latin- or Cyrillic-typed Georgian -> Mkhedruli, ranked by word list and n-grams."""

    # log-space priors: a frequent word beats a rare homograph (ქარი vs კარი)
    COMMON_BONUS = 8.0
    VOCAB_BONUS = 5.0
    ATTESTED_BONUS = 2.0

    def __init__(self, data_dir: Path = DATA_DIR) -> None:
        self._bonus: dict[str, float] = {}
        self._terms: frozenset[str] = frozenset()
        self._by_skeleton: dict[str, list[str]] = {}
        for line in _read_gzip_lines("words_ka.txt.gz", data_dir):
            word, _, attested = line.partition("\t")
            self._add(word, self.ATTESTED_BONUS if attested == "1" else 0.0)
        self.common = set(_read_word_file("common_ka.txt", data_dir))
        for word in self.common:
            self._add(word, self.COMMON_BONUS)
        counts = {}
        for line in _read_gzip_lines("ngrams_ka.tsv.gz", data_dir):
            gram, _, count = line.partition("\t")
            counts[gram] = int(count)
        self.ngrams = CharNgramModel(counts, order=4)
        self._lock = threading.Lock()

    def _add(self, word: str, bonus: float) -> None:
        # The bonus first: readers (`_best_known`, without the lock) may see the
        # word in _by_skeleton as soon as it is appended.
        if word not in self._bonus:
            self._bonus[word] = bonus
            self._by_skeleton.setdefault(word.translate(_SKELETON_TABLE), []).append(word)
        else:
            self._bonus[word] = max(self._bonus[word], bonus)

    def add_vocabulary(self, words: Iterable[str]) -> None:
        """Add domain words (e.g. every Mkhedruli word of the knowledge base)."""
        with self._lock:
            for text in words:
                for word in _MKHEDRULI_WORD.findall(normalise(text)):
                    if len(word) > 1:
                        self._add(word, self.VOCAB_BONUS)
            self.convert_word.cache_clear()

    def add_terms(self, words: Iterable[str]) -> None:
        """Add terms that Georgian text writes in Latin letters ("ETIAS",
        "Ausbildung", "oświadczenie": the knowledge base's Georgian answers do):
        a Latin message of such terms alone says nothing about its language."""
        with self._lock:
            self._terms = self._terms | {word.lower() for word in words if len(word) >= 3}

    def is_term(self, word: str) -> bool:
        return word.lower() in self._terms

    def is_common(self, word: str) -> bool:
        return word in self.common

    # -- words

    @lru_cache(maxsize=20_000)  # noqa: B019 - one long-lived instance per process
    def convert_word(self, latin_word: str) -> tuple[str, bool]:
        """(Mkhedruli reading, whether it is a known word) for one Latin word; a
        word longer than MAX_LATIN_WORD comes back as it is (not Georgian)."""
        if len(latin_word) > MAX_LATIN_WORD:
            return latin_word, False
        parses = _latin_parses(_prepare_latin_word(latin_word))
        if not parses:
            return latin_word, False
        best = self._best_known(parses)
        if best is not None:
            return best, True
        return self._decode_unknown(parses), False

    def _best_known(self, parses: list[_Parse]) -> str | None:
        best_word, best_score = None, -math.inf
        for parse in parses:
            for word in self._by_skeleton.get(parse.skeleton, ()):
                if not all(ch in allowed for ch, allowed in zip(word, parse.slots, strict=True)):
                    continue
                score = self._bonus[word] - parse.penalty + 0.3 * self.ngrams.word_logprob(word)
                if score > best_score:
                    best_word, best_score = word, score
        return best_word

    def _decode_unknown(self, parses: list[_Parse], beam_width: int = 8) -> str:
        """Most Georgian-looking letter sequence (beam search under the n-gram model)."""
        best_text, best_score = "", -math.inf
        for parse in parses[:24]:
            beam: list[tuple[float, str]] = [(-parse.penalty, "")]
            for allowed in parse.slots:
                extended = [
                    (score + self._char_logprob(text, ch), text + ch)
                    for score, text in beam
                    for ch in allowed
                ]
                beam = sorted(extended, reverse=True)[:beam_width]
            for score, text in beam:
                total = score + self._char_logprob(text, "$")
                if total > best_score:
                    best_text, best_score = text, total
        return best_text

    def _char_logprob(self, text: str, ch: str) -> float:
        history = ("^" * (self.ngrams.order - 1) + text)[-(self.ngrams.order - 1) :]
        return self.ngrams.char_logprob(history, ch)

    # -- texts

    def to_mkhedruli(self, latin_text: str) -> str:
        """Convert every Latin word of a text (URLs, e-mails and short acronyms are kept)."""
        return _replace_latin_words(latin_text, lambda word: self.convert_word(word)[0])

    def cyrillic_readings(self, word: str) -> tuple[tuple[str, bool], tuple[str, bool]]:
        """(keyboard-slip reading, phonetic reading) of a Cyrillic word, each with known-ness."""
        keyboard = "".join(_russian_key_to_georgian(ch) for ch in word)
        spelled = word.lower().replace("дж", "j")
        phonetic_latin = "".join(_CYRILLIC_PHONETIC.get(ch, ch) for ch in spelled)
        phonetic, _ = self.convert_word(phonetic_latin) if phonetic_latin else ("", False)
        return (keyboard, self.is_trusted_word(keyboard)), (
            phonetic,
            self.is_trusted_word(phonetic),
        )

    def is_trusted_word(self, word: str) -> bool:
        """A common word, or a listed word long enough that chance matches are rare.

        The word list holds many junk short forms ("ყოუ", "კაკ"), which would make Russian
        or English look Georgian if every hit counted.
        """
        return word in self.common or (len(word) >= 4 and word in self._bonus)


def _russian_key_to_georgian(ch: str) -> str:
    qwerty = _RUSSIAN_KEYS.get(ch.lower())
    if qwerty is None:
        return ch
    if ch.isupper() and qwerty.upper() in _GEORGIAN_SHIFT_KEYS:
        return _GEORGIAN_SHIFT_KEYS[qwerty.upper()]
    return _GEORGIAN_KEYS[qwerty]


# Cyrillic letters that look Latin; phones mix them into Latin words ("mindа").
_CYRILLIC_LOOKALIKES = str.maketrans("аеорсхукіАЕОРСХКМТВНі", "aeopcxykiAEOPCXKMTBHi")
_MIXED_WORD = re.compile(r"\w*(?:[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z])\w*")


def _fix_lookalikes(text: str) -> str:
    return _MIXED_WORD.sub(lambda m: m.group(0).translate(_CYRILLIC_LOOKALIKES), text)


def _is_acronym(word: str) -> bool:
    return 2 <= len(word) <= 4 and word.isupper() and word.isalpha()


def _replace_latin_words(text: str, convert: Callable[[str], str]) -> str:
    protected = [m.span() for m in _URL_OR_EMAIL.finditer(text)]

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        inside_url = any(a <= match.start() < b for a, b in protected)
        if inside_url or _is_acronym(word):
            return word
        return convert(word)

    return _LATIN_WORD.sub(replace, text)


# --------------------------------------------------------------------------- language evidence


class LatinLanguageModel:
    """Is a Latin word romanised Georgian or English? Log-likelihood ratio of trigram models."""

    ORDER = 3

    def __init__(self) -> None:
        ka: dict[str, int] = {}
        en: dict[str, int] = {}
        for line in _read_gzip_lines("ngrams_latin.tsv.gz"):
            gram, ka_count, en_count = line.split("\t")
            if int(ka_count):
                ka[gram] = int(ka_count)
            if int(en_count):
                en[gram] = int(en_count)
        self.ka = CharNgramModel(ka, self.ORDER)
        self.en = CharNgramModel(en, self.ORDER)
        self.english_common = set(_read_word_file("common_en.txt"))

    def georgian_log_ratio(self, word: str) -> float:
        word = word.lower()
        return self.ka.word_logprob(word) - self.en.word_logprob(word)


@dataclass(frozen=True)
class Understood:
    lang: str  # "ka" or "en" (reply language); "ka" for Georgian in any script
    script: str  # "mkhedruli" | "latin" | "cyrillic" | "mixed" | "none"
    text: str  # NFC, Mtavruli folded, Latin/Cyrillic Georgian in Mkhedruli
    original: str


_default: tuple[Transliterator, LatinLanguageModel] | None = None
_default_lock = threading.Lock()


def default_transliterator() -> Transliterator:
    return _models()[0]


def _models() -> tuple[Transliterator, LatinLanguageModel]:
    global _default
    with _default_lock:
        if _default is None:
            _default = (Transliterator(), LatinLanguageModel())
        return _default


def _script_of(text: str) -> str:
    counts = {
        "mkhedruli": sum(len(w) for w in _MKHEDRULI_WORD.findall(text)),
        "latin": sum(len(w) for w in re.findall(r"[A-Za-z]+", _URL_OR_EMAIL.sub(" ", text))),
        "cyrillic": sum(len(w) for w in _CYRILLIC_WORD.findall(text)),
    }
    total = sum(counts.values())
    if total == 0:
        return "none"
    present = [name for name, n in counts.items() if n >= 2 and n / total >= 0.15]
    if len(present) > 1:
        return "mixed"
    return max(counts, key=lambda name: counts[name])


def _latin_word_score(word: str, translit: Transliterator, lm: LatinLanguageModel) -> float:
    """> 0: looks like romanised Georgian; < 0: looks like English."""
    lowered = word.lower().strip(_APOSTROPHES)
    if not lowered or _is_acronym(word):
        return 0.0
    reading, known = translit.convert_word(word)
    common_ka = translit.is_common(reading)
    common_en = lowered in lm.english_common
    if common_ka and common_en:  # "me", "is": both languages
        return 0.0
    ngram = max(-5.0, min(5.0, lm.georgian_log_ratio(lowered)))
    score = 0.6 * ngram
    if common_en:
        score -= 5.0
    if common_ka:
        score += 5.0
    elif known and len(lowered) >= 4:
        score += 1.5
    if any(ch in _APOSTROPHES for ch in word) and not common_en:
        score += 1.0  # ejective marks are a Georgian habit
    return score


def _is_term(word: str, translit: Transliterator, lm: LatinLanguageModel) -> bool:
    lowered = word.lower()
    return translit.is_term(lowered) and lowered not in lm.english_common


def _understand_latin(
    text: str, translit: Transliterator, lm: LatinLanguageModel
) -> tuple[bool, str]:
    """(is it Georgian, text with its Georgian words in Mkhedruli)."""
    words = _LATIN_WORD.findall(_URL_OR_EMAIL.sub(" ", text))
    scores = {w: _latin_word_score(w, translit, lm) for w in words}
    # A term Georgian writes in Latin letters ("ETIAS", "arraigo": Transliterator.add_terms)
    # is no evidence either way: "ETIAS" alone was read as ეტიას and answered in Georgian.
    is_georgian = sum(0.0 if _is_term(w, translit, lm) else s for w, s in scores.items()) > 0
    if not is_georgian:
        return False, text

    def convert(word: str) -> str:
        if translit.is_term(word):
            return word  # as the Georgian answers write it
        # inside Georgian text keep what is clearly English ("visa", "migration"): the
        # retrieval model matches the English word better than a wrong reading (ვისა)
        reading = translit.convert_word(word)[0]
        english_word = word.lower() in lm.english_common and not translit.is_common(reading)
        return word if english_word or scores.get(word, 0.0) < -2.5 else reading

    return True, _replace_latin_words(text, convert)


def _understand_cyrillic(text: str, translit: Transliterator) -> tuple[bool, str]:
    words = _CYRILLIC_WORD.findall(text)
    if not words:
        return False, text
    keyboard_hits = phonetic_hits = 0
    keyboard_map: dict[str, str] = {}
    phonetic_map: dict[str, str] = {}
    for word in words:
        (kb_word, kb_known), (ph_word, ph_known) = translit.cyrillic_readings(word)
        keyboard_map[word], phonetic_map[word] = kb_word, ph_word
        keyboard_hits += kb_known
        phonetic_hits += ph_known
    # Russian words seldom spell Georgian words either way; demand most words to match
    needed = max(1, math.ceil(0.6 * len(words)))
    if keyboard_hits >= needed and keyboard_hits >= phonetic_hits:
        chosen = keyboard_map
    elif phonetic_hits >= needed:
        chosen = phonetic_map
    else:
        return False, text
    return True, _CYRILLIC_WORD.sub(lambda m: chosen[m.group(0)], text)


def _georgian_keyboard_slip(
    text: str, translit: Transliterator, lm: LatinLanguageModel
) -> str | None:
    """English typed with the Georgian layout active ("ჰოწ" for "how")."""
    words = _MKHEDRULI_WORD.findall(text)
    georgian = sum(translit.is_trusted_word(w) for w in words)
    if not words or georgian > len(words) / 3:
        return None
    as_qwerty = ["".join(_QWERTY_OF_GEORGIAN.get(ch, ch) for ch in w) for w in words]
    english = sum(w in lm.english_common for w in as_qwerty)
    if english >= max(1, math.ceil(0.6 * len(words))):
        mapping = dict(zip(words, as_qwerty, strict=True))
        return _MKHEDRULI_WORD.sub(lambda m: mapping[m.group(0)], text)
    return None


def understand(text: str) -> Understood:
    """Detect script and reply language; return the text to search with."""
    original = text
    clean = _fix_lookalikes(normalise(text))
    script = _script_of(clean)
    if script == "none":
        return Understood("en", script, clean, original)
    translit, lm = _models()
    converted = clean
    georgian = False
    if _MKHEDRULI_WORD.search(converted):
        slip = _georgian_keyboard_slip(converted, translit, lm) if script == "mkhedruli" else None
        if slip is not None:
            return Understood("en", script, slip, original)
        georgian = True
    if _CYRILLIC_WORD.search(converted):
        cyr_georgian, converted = _understand_cyrillic(converted, translit)
        # Russian stays Russian but is answered in Georgian (see module docstring)
        georgian = True
        if cyr_georgian and _LATIN_WORD.search(converted):
            converted = _replace_latin_words(converted, lambda w: translit.convert_word(w)[0])
    if _LATIN_WORD.search(converted):
        latin_georgian, converted = _understand_latin(converted, translit, lm)
        georgian = georgian or latin_georgian
    return Understood("ka" if georgian else "en", script, converted, original)
