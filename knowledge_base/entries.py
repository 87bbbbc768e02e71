"""Knowledge-base entries: loading the YAML files and checking them.

Admins are not programmers, so every problem is reported as
"file: field: what is wrong" and all problems are listed at once.
The format is knowledge_base/README.md's; the rules on answers (length,
numbers in both languages, verified contacts, review dates) are the brief's
"Entry rules" and live in knowledge_base/validation.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from knowledge_base.validation import (
    CONTACTS_FILE,
    MAX_ANSWER_CHARS,
    TARGET_ANSWER_CHARS,
    address_allowed,
    begins_with_emergency_guidance,
    country_code_problem,
    internal_note_in_title,
    number_mismatches,
    opens_with_yes_or_no,
    phone_numbers,
    review_by_problem,
    verified_contacts,
    web_addresses,
)

CATEGORIES = ("legal-work", "risks", "help")
LANGUAGES = ("ka", "en")
LANGUAGE_NAMES = {"ka": "Georgian", "en": "English"}
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_RELATED = 3
OUT_OF_SCOPE_FILE = "out_of_scope.yml"
# Near misses per neighbourhood (issue 12): also negatives for the classifier.
NEAR_MISSES_FILE = "near_misses.yml"
FIELDS = (
    "id", "category", "urgent", "reviewed", "review_by", "time_sensitive", "countries",
    "related", "sources", *LANGUAGES,
)  # fmt: skip
SOURCE_FIELDS = ("title", "title_ka", "file", "url", "date", "note")


@dataclass(frozen=True)
class Source:
    title: str
    date: str
    file: str = ""
    url: str = ""
    title_ka: str = ""  # the source's own Georgian title, where it has one
    # the reviewer's note on the source ("secondary copy", "year inferred from the
    # text"): for admins; the bot never shows it
    note: str = ""


@dataclass(frozen=True)
class Text:
    question: str
    phrasings: tuple[str, ...]
    answer: str


@dataclass(frozen=True)
class Entry:
    id: str
    category: str
    urgent: bool
    reviewed: dt.date
    review_by: dt.date  # facts re-checked by this date (`migbot kb stale`)
    sources: tuple[Source, ...]
    texts: dict[str, Text]
    related: tuple[str, ...] = ()
    time_sensitive: bool = False  # facts that change often: review within 90 days
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2 destinations; () = any
    path: Path | None = field(default=None, compare=False)

    def text(self, lang: str) -> Text:
        return self.texts[lang]


class InvalidEntry(ValueError):
    """One or more problems in the knowledge-base files."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def clean_text(text: str) -> str:
    """NFC, so that the same word typed on two keyboards is one word."""
    return unicodedata.normalize("NFC", text).strip()


def load_entries(entries_dir: Path) -> list[Entry]:
    """Every entry in the folder, or InvalidEntry listing every problem."""
    problems: list[str] = []
    entries: list[Entry] = []
    files = sorted(entries_dir.glob("*.yml")) + sorted(entries_dir.glob("*.yaml"))
    if not files:
        raise InvalidEntry([f"{entries_dir}: no entry files (*.yml) found"])
    for path in files:
        try:
            entries.append(parse_entry(path))
        except InvalidEntry as error:
            problems.extend(error.problems)
    problems.extend(check_collection(entries))
    if problems:
        raise InvalidEntry(problems)
    return entries


def parse_each(entries_dir: Path) -> Iterator[tuple[Path, Entry | None, list[str]]]:
    """Each entry file on its own: (path, entry or None, its problems).

    For tools that must go on past a broken file (diff, import) where
    load_entries stops at the first invalid collection.
    """
    for path in sorted(entries_dir.glob("*.y*ml")):
        try:
            yield path, parse_entry(path), []
        except InvalidEntry as error:
            yield path, None, error.problems


def parse_entry(path: Path) -> Entry:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise InvalidEntry([f"{path.name}: not valid YAML: {error}"]) from None
    return entry_from_dict(raw, path)


def entry_from_dict(raw: Any, path: Path) -> Entry:
    """Build an Entry from parsed YAML (or a spreadsheet row group)."""
    name = path.name
    if not isinstance(raw, dict):
        raise InvalidEntry([f"{name}: the file must hold a mapping of fields"])
    problems: list[str] = []

    def problem(field_name: str, message: str) -> None:
        problems.append(f"{name}: {field_name}: {message}")

    entry_id = str(raw.get("id", ""))
    if not ID_PATTERN.match(entry_id):
        problem("id", f"{entry_id!r} must be lowercase words joined by dashes")
    elif path.suffix in (".yml", ".yaml") and path.stem != entry_id:
        problem("id", f"{entry_id!r} must equal the file name {path.stem!r}")
    category = raw.get("category")
    if category not in CATEGORIES:
        problem("category", f"{category!r} must be one of {', '.join(CATEGORIES)}")
    urgent = raw.get("urgent", False)
    if not isinstance(urgent, bool):
        problem("urgent", "must be true or false")
    reviewed = _parse_date(raw.get("reviewed"))
    if reviewed is None:
        problem("reviewed", "must be a date written YYYY-MM-DD")
    elif reviewed > dt.date.today():
        problem("reviewed", f"{reviewed} is in the future")
    time_sensitive = raw.get("time_sensitive", False)
    if not isinstance(time_sensitive, bool):
        problem("time_sensitive", "must be true or false")
        time_sensitive = False
    review_by = _parse_date(raw.get("review_by"))
    if review_by is None:
        problem(
            "review_by",
            "missing or not a date: write the date (YYYY-MM-DD) by which a person re-checks "
            "the facts, at most 90 days after reviewed if time_sensitive, else at most a year",
        )
    elif reviewed is not None:
        message = review_by_problem(reviewed, review_by, time_sensitive)
        if message:
            problem("review_by", message)
    countries = _parse_countries(raw.get("countries"), problem)
    sources = _parse_sources(raw.get("sources"), problem)
    texts = {lang: _parse_text(raw.get(lang), lang, problem) for lang in LANGUAGES}
    for lang, text in texts.items():
        if text and len(text.answer) > MAX_ANSWER_CHARS:
            problem(
                f"{lang}.answer",
                f"the {LANGUAGE_NAMES[lang]} answer of {entry_id!r} is {len(text.answer)} "
                f"characters long; at most {MAX_ANSWER_CHARS} (aim for {TARGET_ANSWER_CHARS}): "
                "shorten it or split the topic into two entries",
            )
        if text and opens_with_yes_or_no(text.answer):
            problem(
                f"{lang}.answer",
                f"the {LANGUAGE_NAMES[lang]} answer of {entry_id!r} begins with a bare yes or "
                "no: it is sent for every question matched to the entry, so its first "
                "sentence must state the fact itself",
            )
        if urgent and text and not begins_with_emergency_guidance(text.answer):
            problem(
                f"{lang}.answer",
                f"{entry_id!r} is urgent: its {LANGUAGE_NAMES[lang]} answer must begin with the "
                "emergency guidance (a first paragraph with 112 for Georgia and the EU, the "
                "local emergency number elsewhere); the bot sends it as its emergency reply",
            )
    verified = verified_contacts()
    for lang, text in texts.items():
        if text:
            problems.extend(contact_problems(name, lang, text.answer, verified))
    if all(texts.values()):
        answers = {lang: text.answer for lang, text in texts.items() if text}
        for lang, value, other in number_mismatches(answers):
            problem(
                f"{lang}.answer",
                f"the number {value} is in the {LANGUAGE_NAMES[lang]} answer of {entry_id!r} "
                f"but not in the {LANGUAGE_NAMES[other]} one: write every number with digits "
                "in both languages",
            )
    related = raw.get("related") or []
    if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
        problem("related", "must be a list of entry ids")
        related = []
    elif len(related) > MAX_RELATED:
        problem("related", f"at most {MAX_RELATED} related entries")
    for key in sorted(set(raw) - set(FIELDS)):
        problem(key, "unknown field")
    if problems:
        raise InvalidEntry(problems)
    return Entry(
        id=entry_id,
        category=category,
        urgent=urgent,
        reviewed=reviewed,  # type: ignore[arg-type]
        review_by=review_by,  # type: ignore[arg-type]
        time_sensitive=time_sensitive,
        countries=countries,
        sources=sources,
        texts=texts,  # type: ignore[arg-type]
        related=tuple(related),
        path=path,
    )


def stale_entries(entries: list[Entry], today: dt.date | None = None) -> list[Entry]:
    """Entries due for review: `review_by` is today or earlier, oldest first.

    `review_by` is the date by which a person re-checks the entry's facts
    (brief: 90 days for time-sensitive entries, a year for stable ones), so
    on that day the entry is due. `today` is for tests; it defaults to the
    real date.
    """
    today = today or dt.date.today()
    due = [entry for entry in entries if entry.review_by <= today]
    return sorted(due, key=lambda entry: (entry.review_by, entry.id))


def check_collection(entries: list[Entry]) -> list[str]:
    """Problems that only show across files: duplicate ids, dangling links."""
    problems: list[str] = []
    seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in seen:
            problems.append(
                f"{_name(entry)}: id: {entry.id!r} is also used by {_name(seen[entry.id])}"
            )
        seen[entry.id] = entry
    for entry in entries:
        for related in entry.related:
            if related not in seen:
                problems.append(f"{_name(entry)}: related: no entry has the id {related!r}")
            elif related == entry.id:
                problems.append(f"{_name(entry)}: related: an entry cannot relate to itself")
    return problems


def contact_problems(name: str, lang: str, answer: str, verified: dict[str, set[str]]) -> list[str]:
    """Phone numbers and web addresses that contacts.yml does not list.

    Brief: "Phone numbers and web addresses may appear in an answer only if
    listed in knowledge_base/contacts.yml; a bare domain like
    something.gov.ge counts as a web address." A listed site also allows
    its subdomains (see validation.address_allowed); an entry's own source
    addresses are not enough.
    """
    problems = []
    for number in phone_numbers(answer):
        if number not in verified["phones"]:
            problems.append(
                f"{name}: {lang}.answer: phone number {number!r} is not in "
                f"{CONTACTS_FILE.name} (only verified numbers may be published)"
            )
    for address in web_addresses(answer):
        if not address_allowed(address, verified["domains"]):
            problems.append(
                f"{name}: {lang}.answer: web address {address!r} is not a verified site in "
                f"{CONTACTS_FILE.name} (add it there with its official source, or write "
                '"the official website of ...")'
            )
    return problems


def load_out_of_scope(entries_dir: Path) -> list[str]:
    """Questions the knowledge base does not answer, kept beside the entries folder:
    out_of_scope.yml ({lang: [question]}) then near_misses.yml ({neighbourhood:
    {near: [entry ids], lang: [question]}}).

    Raises:
        InvalidEntry: a file is not shaped as above.
    """
    questions: list[str] = []
    path = entries_dir.parent / OUT_OF_SCOPE_FILE
    if path.exists():
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(raw, dict):
            raise InvalidEntry([f"{path.name}: must map languages to lists of questions"])
        questions += [
            clean_text(str(q)) for items in raw.values() for q in items or [] if str(q).strip()
        ]
    questions += [q for _, group in _neighbourhoods(entries_dir) for q in group]
    return questions


def load_near_misses(entries_dir: Path) -> dict[str, list[str]]:
    """near_misses.yml by entry: {entry id: the questions of every neighbourhood
    that names it under `near`}; {} without the file.

    Raises:
        InvalidEntry: the file is not shaped as `load_out_of_scope` says.
    """
    near: dict[str, list[str]] = {}
    for entry_ids, questions in _neighbourhoods(entries_dir):
        for entry_id in entry_ids:
            near.setdefault(entry_id, []).extend(questions)
    return near


def _neighbourhoods(entries_dir: Path) -> list[tuple[list[str], list[str]]]:
    """near_misses.yml as (the entry ids under `near`, the questions) per
    neighbourhood, in file order; [] without the file."""
    path = entries_dir.parent / NEAR_MISSES_FILE
    if not path.exists():
        return []
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise InvalidEntry([f"{path.name}: must map neighbourhoods to {{lang: [questions]}}"])
    return [
        (
            [str(entry_id) for entry_id in group.get("near") or []],
            [
                clean_text(str(q))
                for lang, items in group.items()
                if lang != "near"
                for q in items or []
                if str(q).strip()
            ],
        )
        for group in raw.values()
    ]


def entries_fingerprint(entries_dir: Path) -> str:
    """A hash of the entry files, to tell whether the served index is current."""
    digest = hashlib.sha256()
    negatives = [entries_dir.parent / name for name in (OUT_OF_SCOPE_FILE, NEAR_MISSES_FILE)]
    for path in sorted(entries_dir.glob("*.y*ml")) + [p for p in negatives if p.exists()]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _parse_countries(value: Any, problem: Any) -> tuple[str, ...]:
    """Optional: ISO 3166-1 alpha-2 codes, lowercase, of the destinations the
    answer is specifically about (brief: "countries: [pl, de]"; omit it when
    the entry applies to any destination)."""
    if value is None:
        return ()
    if not isinstance(value, list):
        problem("countries", "must be a list of country codes, like [pl, de]")
        return ()
    codes: list[str] = []
    for code in value:
        message = country_code_problem(code)
        if message:
            problem("countries", message)
        elif code in codes:
            problem("countries", f"{code!r} is listed twice")
        else:
            codes.append(code)
    return tuple(codes)


def _parse_sources(value: Any, problem: Any) -> tuple[Source, ...]:
    if not isinstance(value, list) or not value:
        problem("sources", "at least one source is needed (title, file or url, date)")
        return ()
    sources = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict) or not item.get("title"):
            problem(f"sources[{number}]", "needs a title")
            continue
        if not (item.get("file") or item.get("url")):
            problem(f"sources[{number}]", "needs a file (seed document) or an url")
        if not item.get("date"):
            problem(f"sources[{number}]", "needs a date (or 'undated')")
        title_ka = item.get("title_ka") or ""
        if title_ka and not (isinstance(title_ka, str) and _mostly_script(title_ka, "Georgian")):
            problem(
                f"sources[{number}].title_ka",
                "the source's own Georgian title, in Georgian letters (omit it otherwise)",
            )
        internal = internal_note_in_title(str(item["title"]))
        if internal:
            problem(
                f"sources[{number}].title",
                f"{internal!r} is a reviewer's note, and titles are shown to users: "
                "move it to the source's `note`",
            )
        for key in sorted(set(item) - set(SOURCE_FIELDS)):
            problem(f"sources[{number}].{key}", "unknown field")
        sources.append(
            Source(
                title=str(item["title"]),
                date=str(item.get("date", "")),
                file=str(item.get("file", "") or ""),
                url=str(item.get("url", "") or ""),
                title_ka=clean_text(str(title_ka)),
                note=str(item.get("note", "") or ""),
            )
        )
    return tuple(sources)


def _parse_text(value: Any, lang: str, problem: Any) -> Text | None:
    if not isinstance(value, dict):
        problem(lang, "missing: question, phrasings and answer in this language")
        return None
    question = value.get("question")
    answer = value.get("answer")
    phrasings = value.get("phrasings") or []
    if not isinstance(question, str) or not question.strip():
        problem(f"{lang}.question", "must be a non-empty text")
    if not isinstance(answer, str) or not answer.strip():
        problem(f"{lang}.answer", "must be a non-empty text")
    elif re.search(r"</?[a-zA-Z][^>]*>", answer):
        problem(f"{lang}.answer", "plain text only: no HTML tags")
    if not isinstance(phrasings, list) or not all(isinstance(p, str) for p in phrasings):
        problem(f"{lang}.phrasings", "must be a list of texts")
        phrasings = []
    for other, script in (("ka", "Georgian"), ("en", "Latin")):
        if lang == other and isinstance(answer, str) and not _mostly_script(answer, script):
            problem(f"{lang}.answer", f"should be written mostly in {script} letters")
    if not isinstance(question, str) or not isinstance(answer, str):
        return None
    return Text(
        question=clean_text(question),
        phrasings=tuple(clean_text(p) for p in phrasings if p.strip()),
        answer=clean_text(answer),
    )


def _mostly_script(text: str, script: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    georgian = sum(1 for ch in letters if "\u10a0" <= ch <= "\u10ff" or "\u1c90" <= ch <= "\u1cbf")
    share = georgian / len(letters)
    return share > 0.6 if script == "Georgian" else share < 0.1


def _name(entry: Entry) -> str:
    return entry.path.name if entry.path else entry.id
