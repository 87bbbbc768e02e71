"""Trips typed as free text -> date ranges, in Georgian (any script), English and Russian.

People write their trips the way they speak: "3 March to 28 May, and from 10 July until
today", "03.03-28.05", "3/3/2026 - 28/5/2026", "3 მარტიდან 28 მაისამდე", "10 ივლისიდან
დღემდე", "3 martidan 28 maisamde", "dgemde". `parse_trips` reads such text into
`ParsedTrip`s and lists what it could not read.

Reading rules:
- Day first, always (3/5 is 3 May), as in Georgia and most of Europe.
- A Georgian month name may carry any case ending: -დან ("from") marks an entry,
  -მდე ("until") an exit; other endings (-ი, -ის, -ს, -ში) mark neither.
- "from"/"since" (and -დან) start a trip, "to"/"until"/"-" (and -მდე) end it; two dates
  in a row without a word between them are an entry and an exit. After a separator
  (",", ";", "and", "და", a new line) a date starts a new trip unless it is marked as an
  end ("entered 10 July and left 20 August").
- "today"/"now"/"დღემდე"/"dgemde" as the end, a start with nothing after it ("since
  10 July", "10.07-") or a final dash: the person is still inside (exit None).
- A missing year: for an entry (or a lone date) the most recent such date not after
  `today`; for an exit, the first such date on or after the entry; for an entry whose
  exit has a year, the last such date on or before the exit.
- The clock is never read here: callers pass `today`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

from nlu.georgian import normalise

# --------------------------------------------------------------------------- words

# Month stems: a word that starts with one of them (and sits next to a day number) is
# that month. Georgian stems stop before the vowel that drops in some cases
# (სექტემბერი -> სექტემბრიდან, იანვარი -> იანვრამდე).
_MONTH_STEMS: dict[int, tuple[str, ...]] = {
    1: ("იანვ", "ianv", "ianuar", "jan", "yanv", "январ", "янв"),
    2: ("თებერვ", "teberv", "tebervl", "feb", "феврал", "фев"),
    3: ("მარტ", "mart", "mar", "март", "мар"),
    4: ("აპრილ", "apr", "апрел", "апр"),
    5: ("მაის", "mais", "may", "mai", "ма"),
    6: ("ივნის", "ivnis", "iun", "jun", "июн"),
    7: ("ივლის", "ivlis", "iul", "jul", "июл"),
    8: ("აგვისტ", "agvist", "agv", "aug", "avg", "август", "авг"),
    9: ("სექტემბ", "sektemb", "sekt", "sep", "сентябр", "сен"),
    10: ("ოქტომბ", "oktomb", "okt", "oct", "октябр", "окт"),
    11: ("ნოემბ", "noemb", "noe", "nov", "ноябр", "ноя"),
    12: ("დეკემბ", "dekemb", "dek", "dec", "декабр", "дек"),
}
_STEMS = sorted(
    ((stem, month) for month, stems in _MONTH_STEMS.items() for stem in stems),
    key=lambda pair: -len(pair[0]),
)
# Month names to name in the echo, nominative.
MONTHS_KA = (
    "იანვარი", "თებერვალი", "მარტი", "აპრილი", "მაისი", "ივნისი",
    "ივლისი", "აგვისტო", "სექტემბერი", "ოქტომბერი", "ნოემბერი", "დეკემბერი",
)  # fmt: skip

_FROM_SUFFIXES = ("დან", "dan")
_TO_SUFFIXES = ("მდე", "მდის", "mde", "mdis")
_FROM_WORDS = {
    "from", "since", "starting", "entered", "entry", "arrived", "between",
    "დან", "შევედი", "ჩავედი", "შევიდა", "ჩავიდა", "შესვლა", "ჩასვლა",
    "dan", "shevedi", "chavedi", "shesvla", "chasvla",
    "с", "со", "от", "въехал", "въехала", "приехал", "приехала",
}  # fmt: skip
_TO_WORDS = {
    "to", "till", "til", "until", "untill", "through", "thru", "left", "exit", "exited",
    "მდე", "გამოვედი", "დავბრუნდი", "წამოვედი", "გამოსვლა",
    "mde", "gamovedi", "davbrundi", "wamovedi", "tsamovedi", "gamosvla",
    "до", "по", "выехал", "выехала", "уехал", "уехала",
}  # fmt: skip
_TODAY_WORDS = {
    "today", "now", "present", "ongoing",
    "დღემდე", "დღევანდლამდე", "დღეს", "დღესაც", "ახლა", "ახლაც", "ახლამდე", "ამჟამად",
    "დრომდე", "დღევანდელ",
    "dgemde", "dghemde", "dgevandlamde", "dghevandlamde", "dges", "dghes", "dgesac",
    "dghesac", "axla", "akhla", "axlac", "akhlac", "axlamde", "akhlamde", "dromde",
    "сегодня", "сегодняшнего", "сегодняшний", "сих", "сейчас",
}  # fmt: skip
_SEPARATORS = {"and", "და", "da", "и", "also", "then", "ასევე", "aseve", ",", ";"}
_DASHES = {"-", "–", "—", "~", "→", "−"}
_YEAR_WORDS = {
    "წლის": None, "წელს": None, "წ": None, "წლიდან": "from", "წლამდე": "to",
    "wlis": None, "tslis": None, "w": None, "ts": None, "wlidan": "from", "tslidan": "from",
    "wlamde": "to", "tslamde": "to", "года": None, "г": None, "year": None,
}  # fmt: skip
_ORDINAL_ENDINGS = {"st", "nd", "rd", "th", "ე", "e", "го", "ого"}

_TOKEN = re.compile(
    r"(?P<iso>\d{4}-\d{1,2}-\d{1,2})"
    r"|(?P<numeric>\d{1,2}[./]\d{1,2}(?:[./](?:\d{4}|\d{2})(?!\d))?)"
    r"|(?P<number>\d+)"
    r"|(?P<word>[^\W\d_]+(?:['’`ʼ][^\W\d_]+)*)"
    r"|(?P<other>[^\s\w])"
)


@dataclass(frozen=True)
class ParsedTrip:
    """One trip read from text: entry and exit days (exit None: still inside)."""

    entry: dt.date
    exit: dt.date | None
    text: str  # the words it was read from


@dataclass(frozen=True)
class Unreadable:
    """A piece of the text that looked like a date but could not be used."""

    text: str
    reason: str  # "no_such_date" | "no_end" | "no_start" | "no_day"


@dataclass
class ParsedTrips:
    trips: list[ParsedTrip] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)


@dataclass
class _Token:
    kind: str
    text: str
    start: int
    end: int


@dataclass
class _PartialDate:
    day: int
    month: int
    year: int | None
    role: str | None  # "from" | "to" | None
    text: str


@dataclass
class _Today:
    text: str


def month_of(word: str) -> int | None:
    """The month (1-12) a word names, in any case ending and script; None if none."""
    word = word.lower()
    for stem, month in _STEMS:
        if word.startswith(stem):
            return month
    return None


def _suffix_role(word: str) -> str | None:
    word = word.lower()
    if word.endswith(_FROM_SUFFIXES):
        return "from"
    if word.endswith(_TO_SUFFIXES):
        return "to"
    return None


def _keyboard_month(word: str) -> int | None:
    """A Cyrillic word that is Georgian typed with the Russian layout ("ьфкеш")."""
    from nlu.georgian import default_transliterator

    (reading, _), _ = default_transliterator().cyrillic_readings(word)
    return month_of(reading) if re.fullmatch(r"[\u10d0-\u10ff]+", reading) else None


def _latin_georgian_month(word: str) -> int | None:
    """A Latin word read as Georgian (unusual spellings: "tebervlidan", "oqtombramde")."""
    from nlu.georgian import default_transliterator

    reading, _ = default_transliterator().convert_word(word)
    return month_of(reading) if re.fullmatch(r"[\u10d0-\u10ff]+", reading) else None


def _day_month(word: str) -> int | None:
    """The month of a word that follows (or precedes) a day number."""
    month = month_of(word)
    if month is not None:
        return month
    if re.fullmatch(r"[\u0400-\u04ff]+", word):
        return _keyboard_month(word)
    if re.fullmatch(r"[A-Za-z'’`ʼ]+", word) and len(word) >= 4:
        return _latin_georgian_month(word)
    return None


# --------------------------------------------------------------------------- reading


def _tokens(text: str) -> list[_Token]:
    return [
        _Token(m.lastgroup or "other", m.group(0), m.start(), m.end())
        for m in _TOKEN.finditer(text)
    ]


def _two_digit_year(text: str) -> int:
    year = int(text)
    return 2000 + year if year < 100 else year


class _Reader:
    """Turns the tokens into dates, "today"s and role words, in order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.i = 0
        self.events: list[_PartialDate | _Today | str] = []
        self.unreadable: list[Unreadable] = []

    def peek(self, offset: int = 0) -> _Token | None:
        index = self.i + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def span(self, first: int, last: int) -> str:
        return self.text[self.tokens[first].start : self.tokens[last].end]

    def read(self) -> None:
        while self.i < len(self.tokens):
            if not self._date():
                self._other()

    def _date(self) -> bool:
        first = self.i
        token = self.tokens[first]
        if token.kind == "iso":
            year, month, day = (int(p) for p in token.text.split("-"))
            self.i += 1
            return self._emit(day, month, year, None, first)
        if token.kind == "numeric":
            parts = re.split(r"[./]", token.text)
            year = _two_digit_year(parts[2]) if len(parts) == 3 else None
            self.i += 1
            return self._emit(int(parts[0]), int(parts[1]), year, None, first)
        year = None
        if token.kind == "number" and len(token.text) == 4:  # "2025 წლის 3 მარტიდან"
            after = self.peek(1)
            if after and after.text.lower() in _YEAR_WORDS and self._is_day_at(self.i + 2):
                year = int(token.text)
                self.i += 2
        if self._is_day_at(self.i):  # "3 March", "3rd of March", "3 მარტიდან"
            day = int(self.tokens[self.i].text)
            self.i += 1
            if self.peek() and self.peek().text.lower() in _ORDINAL_ENDINGS:
                self.i += 1
            if self.peek() and self.peek().text == "-" and self._ordinal_at(self.i + 1):
                self.i += 2  # "3-ე"
            if self.peek() and self.peek().text.lower() == "of":
                self.i += 1
            word = self.tokens[self.i].text
            self.i += 1
            return self._emit(day, _day_month(word) or 0, year, _suffix_role(word), first)
        if token.kind == "word" and month_of(token.text) and self._number_at(self.i + 1):
            # "March 3", "March 3rd, 2026"
            day_token = self.tokens[self.i + 1]
            if len(day_token.text) <= 2:
                self.i += 2
                if self.peek() and self.peek().text.lower() in _ORDINAL_ENDINGS:
                    self.i += 1
                role = _suffix_role(token.text)
                return self._emit(int(day_token.text), month_of(token.text), None, role, first)
        return False

    def _number_at(self, index: int) -> bool:
        return index < len(self.tokens) and self.tokens[index].kind == "number"

    def _year_at(self, index: int) -> bool:
        return self._number_at(index) and len(self.tokens[index].text) == 4

    def _ordinal_at(self, index: int) -> bool:
        return index < len(self.tokens) and self.tokens[index].text.lower() in _ORDINAL_ENDINGS

    def _is_day_at(self, index: int) -> bool:
        """A day number followed by a month word (maybe via "rd", "-ე", "of")."""
        if not self._number_at(index) or len(self.tokens[index].text) > 2:
            return False
        j = index + 1
        if self._ordinal_at(j):
            j += 1
        if j + 1 < len(self.tokens) and self.tokens[j].text == "-" and self._ordinal_at(j + 1):
            j += 2
        if j < len(self.tokens) and self.tokens[j].text.lower() == "of":
            j += 1
        return (
            j < len(self.tokens)
            and self.tokens[j].kind == "word"
            and _day_month(self.tokens[j].text) is not None
        )

    def _emit(self, day: int, month: int, year: int | None, role: str | None, first: int) -> bool:
        # a year after the month: "3 March 2026", "3 მარტი 2026 წლიდან", "3.03.2026-დან"
        if year is None and self.peek() and self.peek().text == "," and self._year_at(self.i + 1):
            self.i += 1  # "March 3, 2026"
        if year is None and self._year_at(self.i):
            year = int(self.tokens[self.i].text)
            self.i += 1
        after = self.peek()
        if after and after.text.lower() in _YEAR_WORDS and year is not None:
            role = role or _YEAR_WORDS[after.text.lower()]
            self.i += 1
            if self.peek() and self.peek().text == ".":
                self.i += 1
        # "03.03-დან", "28.05-მდე": a case ending after a dash
        if (
            self.peek(0)
            and self.peek(0).text == "-"
            and self.peek(1)
            and self.peek(1).kind == "word"
            and _suffix_role(self.peek(1).text)
            and self.peek(1).text.lower() in {"დან", "მდე", "მდის", "dan", "mde", "mdis"}
        ):
            role = role or _suffix_role(self.peek(1).text)
            self.i += 2
        text = self.span(first, self.i - 1)
        try:
            dt.date(year or 2000, month, day)  # 2000 is a leap year: 29.02 stays possible
        except ValueError:
            self.unreadable.append(Unreadable(text, "no_such_date"))
            self.events.append("break")
            return True
        self.events.append(_PartialDate(day, month, year, role, text))
        return True

    def _other(self) -> None:
        token = self.tokens[self.i]
        self.i += 1
        word = token.text.lower()
        if word in _SEPARATORS:
            self.events.append("and")
        elif word in _DASHES:
            self.events.append("to")
        elif word in _TODAY_WORDS or word.startswith("сегодня"):
            self.events.append(_Today(token.text))
        elif word in _FROM_WORDS:
            self.events.append("between" if word == "between" else "from")
        elif word in _TO_WORDS:
            self.events.append("to")
        elif token.kind == "word" and len(word) >= 4 and month_of(word) is not None:
            self.unreadable.append(Unreadable(token.text, "no_day"))


def _latest_on_or_before(day: int, month: int, limit: dt.date) -> dt.date:
    for year in range(limit.year, limit.year - 9, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:  # 29 February outside a leap year
            continue
        if candidate <= limit:
            return candidate
    raise ValueError("no such date")


def _earliest_on_or_after(day: int, month: int, limit: dt.date) -> dt.date:
    for year in range(limit.year, limit.year + 9):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate >= limit:
            return candidate
    raise ValueError("no such date")


def _resolve(
    entry: _PartialDate, exit_: _PartialDate | None, today: dt.date
) -> tuple[dt.date, dt.date | None]:
    if entry.year is not None:
        start = dt.date(entry.year, entry.month, entry.day)
    elif exit_ is not None and exit_.year is not None:
        end = dt.date(exit_.year, exit_.month, exit_.day)
        start = _latest_on_or_before(entry.day, entry.month, end)
    else:
        start = _latest_on_or_before(entry.day, entry.month, today)
    if exit_ is None:
        return start, None
    if exit_.year is not None:
        return start, dt.date(exit_.year, exit_.month, exit_.day)
    return start, _earliest_on_or_after(exit_.day, exit_.month, start)


def parse_trips(text: str, today: dt.date) -> ParsedTrips:
    """Read trips from free text (see the module docstring); `today` fills missing years.

    Returns the trips in the order written, and the pieces that looked like dates but
    could not be used, each with a reason code. Dates are not checked against each other
    here (bot.tools.schengen.validate does that).
    """
    # normalise() folds line breaks into spaces: a line break separates trips
    reader = _Reader(" , ".join(normalise(line) for line in text.splitlines()))
    reader.read()
    result = ParsedTrips(unreadable=reader.unreadable)
    start: _PartialDate | None = None
    role: str | None = None  # from the last role word
    between = False

    def add(entry: _PartialDate, exit_: _PartialDate | None, words: str) -> None:
        try:
            first, last = _resolve(entry, exit_, today)
        except ValueError:
            result.unreadable.append(Unreadable(words, "no_such_date"))
            return
        result.trips.append(ParsedTrip(first, last, words))

    def close_open_start() -> None:
        nonlocal start
        if start is not None:
            if role == "to" or start.role == "from":
                add(start, None, start.text)  # "since 10 July", "10.07-"
            else:
                result.unreadable.append(Unreadable(start.text, "no_end"))
        start = None

    def begin(event: _PartialDate, date_role: str | None) -> None:
        nonlocal start
        start = dataclasses.replace(event, role=date_role) if date_role == "from" else event

    skip_end = False  # after a date that does not exist, its range's end goes too
    separated = False  # a separator since the pending start: a new date begins a new trip
    for event in reader.events:
        if event == "break":
            start, role, between, skip_end, separated = None, None, False, True, False
            continue
        if event in ("and", "from", "between"):
            skip_end = False
        if event == "and":
            if between and start is not None:
                role, between = "to", False
            else:
                if start is not None and role == "to":  # "10.07-, ..."
                    start = dataclasses.replace(start, role="from")
                role, separated = None, start is not None
        elif event in ("from", "between"):
            close_open_start()
            role, between = "from", event == "between"
        elif event == "to":
            role = "to"
        elif isinstance(event, _Today):
            if start is not None:
                add(start, None, f"{start.text} – {event.text}")
                start = None
            role, separated = None, False
        elif isinstance(event, _PartialDate):
            date_role = event.role or role
            role = None
            if skip_end:
                skip_end = False
                if date_role == "to":
                    continue
            if start is not None and (date_role == "from" or (separated and date_role != "to")):
                close_open_start()  # "since 10 July, 3 March to 28 May"
            separated = False
            if start is None:
                if date_role == "to":
                    result.unreadable.append(Unreadable(event.text, "no_start"))
                else:
                    begin(event, date_role)
            else:  # "entered 10 July and left 20 August", "3 March 28 May"
                add(start, event, f"{start.text} – {event.text}")
                start = None
    close_open_start()
    return result
