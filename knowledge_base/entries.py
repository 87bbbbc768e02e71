"""Knowledge-base entries: loading the YAML files and checking them.

Admins are not programmers, so every problem is reported as
"file: field: what is wrong" and all problems are listed at once.
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

CATEGORIES = ("legal-work", "risks", "help")
LANGUAGES = ("ka", "en")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ANSWER_CHARS = 3000
MAX_RELATED = 3
CONTACTS_FILE = Path(__file__).with_name("contacts.yml")
OUT_OF_SCOPE_FILE = "out_of_scope.yml"
# A run of digit groups long enough to be dialled: "+995 32 294 50 50", "2 100 229".
PHONE_PATTERN = re.compile(r"(?<![\w.,/])\+?\d[\d \-()]{4,}\d(?![\w,/]|\.\d)")
# Short numbers (112) count as phone numbers where the text asks to dial them;
# elsewhere "181" is a convention and "180" a count of days.
SHORT_NUMBER_PATTERN = re.compile(
    r"(?:call|dial|phone|hotline|number|line|დარეკ|ნომერ|ცხელ|ტელეფონ|ხაზ)"
    r"[^.\n\d]{0,30}?(?<![\w.,/+])(\d{3,4})(?![\w.,/%])",
    re.IGNORECASE,
)
URL_PATTERN = re.compile(r"(?:https?://|www\.)[^\s)\"'>]+")


@dataclass(frozen=True)
class Source:
    title: str
    date: str
    file: str = ""
    url: str = ""


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
    sources: tuple[Source, ...]
    texts: dict[str, Text]
    related: tuple[str, ...] = ()
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
    sources = _parse_sources(raw.get("sources"), problem)
    texts = {lang: _parse_text(raw.get(lang), lang, problem) for lang in LANGUAGES}
    related = raw.get("related") or []
    if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
        problem("related", "must be a list of entry ids")
        related = []
    elif len(related) > MAX_RELATED:
        problem("related", f"at most {MAX_RELATED} related entries")
    unknown = set(raw) - {"id", "category", "urgent", "reviewed", "sources", "related", *LANGUAGES}
    for key in sorted(unknown):
        problem(key, "unknown field")
    if problems:
        raise InvalidEntry(problems)
    return Entry(
        id=entry_id,
        category=category,
        urgent=urgent,
        reviewed=reviewed,  # type: ignore[arg-type]
        sources=sources,
        texts=texts,  # type: ignore[arg-type]
        related=tuple(related),
        path=path,
    )


def check_collection(entries: list[Entry]) -> list[str]:
    """Problems that only show across files: duplicates, dangling links, contacts."""
    problems: list[str] = []
    seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in seen:
            problems.append(
                f"{_name(entry)}: id: {entry.id!r} is also used by {_name(seen[entry.id])}"
            )
        seen[entry.id] = entry
    verified = verified_contacts()
    for entry in entries:
        for related in entry.related:
            if related not in seen:
                problems.append(f"{_name(entry)}: related: no entry has the id {related!r}")
            elif related == entry.id:
                problems.append(f"{_name(entry)}: related: an entry cannot relate to itself")
        for lang, text in entry.texts.items():
            for number in phone_numbers(text.answer):
                if number not in verified["phones"]:
                    problems.append(
                        f"{_name(entry)}: {lang}.answer: phone number {number!r} is not in "
                        f"{CONTACTS_FILE.name} (only verified numbers may be published)"
                    )
            for url in URL_PATTERN.findall(text.answer):
                if not _url_allowed(url, entry, verified["domains"]):
                    problems.append(
                        f"{_name(entry)}: {lang}.answer: address {url!r} is neither a source "
                        f"of this entry nor a verified site in {CONTACTS_FILE.name}"
                    )
    return problems


def phone_numbers(text: str) -> list[str]:
    """Phone-like numbers in a text, digits only ("+995 32 294 50 50" -> "+995322945050")."""
    digits = [re.sub(r"[^\d+]", "", m.group(0)) for m in PHONE_PATTERN.finditer(text)]
    # Fewer than seven digits is a count written with spaces ("26 450").
    long_numbers = [number for number in digits if len(number.lstrip("+")) >= 7]
    return long_numbers + SHORT_NUMBER_PATTERN.findall(text)


def verified_contacts() -> dict[str, set[str]]:
    raw = yaml.safe_load(CONTACTS_FILE.read_text(encoding="utf-8")) or {}
    phones = {re.sub(r"[^\d+]", "", str(item["number"])) for item in raw.get("phones", [])}
    domains = {str(item["domain"]).lower() for item in raw.get("sites", [])}
    return {"phones": phones, "domains": domains}


def load_out_of_scope(entries_dir: Path) -> list[str]:
    """Questions the knowledge base does not answer, kept beside the entries folder."""
    path = entries_dir.parent / OUT_OF_SCOPE_FILE
    if not path.exists():
        return []
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise InvalidEntry([f"{path.name}: must map languages to lists of questions"])
    return [
        clean_text(str(q)) for questions in raw.values() for q in questions or [] if str(q).strip()
    ]


def entries_fingerprint(entries_dir: Path) -> str:
    """A hash of the entry files, to tell whether the served index is current."""
    digest = hashlib.sha256()
    negatives = entries_dir.parent / OUT_OF_SCOPE_FILE
    for path in sorted(entries_dir.glob("*.y*ml")) + ([negatives] if negatives.exists() else []):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _url_allowed(url: str, entry: Entry, domains: set[str]) -> bool:
    bare = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).rstrip("/.")
    if any(bare == d or bare.startswith(d + "/") or bare.endswith("." + d) for d in domains):
        return True
    return any(source.url and bare in source.url.lower() for source in entry.sources)


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


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
        sources.append(
            Source(
                title=str(item["title"]),
                date=str(item.get("date", "")),
                file=str(item.get("file", "") or ""),
                url=str(item.get("url", "") or ""),
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
    elif len(answer) > MAX_ANSWER_CHARS:
        problem(f"{lang}.answer", f"{len(answer)} characters; keep it under {MAX_ANSWER_CHARS}")
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
