"""The content rules of knowledge-base answers, as plain functions on texts.

The rules come from the "Entry rules" of the knowledge-base brief
(/work/wt/BRIEF-kb.md, session of 2026-11-30) and are written down for admins
in knowledge_base/README.md ("Entry format", "Rules the validator checks").
`knowledge_base.entries` applies them to each entry file and words the
problems as "file: field: what is wrong"; this module only finds things.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

import yaml

CONTACTS_FILE = Path(__file__).with_name("contacts.yml")

# Answer length (brief: "at most 1,200 characters (hard limit 1,300) in each language").
MAX_ANSWER_CHARS = 1300
TARGET_ANSWER_CHARS = 1200

# Review dates (brief: time-sensitive facts are re-checked within 90 days,
# stable ones within a year).
TIME_SENSITIVE_REVIEW_DAYS = 90
STABLE_REVIEW_DAYS = 365

# ISO 3166-1 alpha-2, lowercase. Only the shape is checked, plus two codes
# people reach for that are not ISO 3166-1 country codes.
COUNTRY_CODE = re.compile(r"^[a-z]{2}$")
NOT_ISO_COUNTRY = {"uk": "gb (United Kingdom)", "el": "gr (Greece)"}

# ----------------------------------------------------------------------------- phones

# A run of digit groups long enough to be dialled: "+995 32 294 50 50", "2 100 229".
PHONE_PATTERN = re.compile(r"(?<![\w.,/])\+?\d[\d \-()]{4,}\d(?![\w,/]|\.\d)")
# "2024-2025" is a span of years, not a number to dial.
YEAR_RANGE = re.compile(r"^(?:19|20)\d\d ?- ?(?:(?:19|20)\d\d|\d\d)$")
# Short numbers (112) count as phone numbers where the text asks to dial them;
# elsewhere "181" is a convention and "180" a count of days.
SHORT_NUMBER_PATTERN = re.compile(
    r"(?:call|dial|phone|hotline|number|line|დარეკ|ნომერ|ცხელ|ტელეფონ|ხაზ)"
    r"[^.\n\d]{0,30}?(?<![\w.,/+])(\d{3,4})(?![\w.,/%])",
    re.IGNORECASE,
)
MIN_PHONE_DIGITS = 7


def _long_phone_matches(text: str) -> list[re.Match[str]]:
    """Dialable runs of seven digits or more; fewer is a count written with
    spaces ("26 450"), and a span of years ("2024-2025") is not a number."""
    found = []
    for match in PHONE_PATTERN.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if len(digits) >= MIN_PHONE_DIGITS and not YEAR_RANGE.match(match.group(0).strip()):
            found.append(match)
    return found


def phone_numbers(text: str) -> list[str]:
    """Phone-like numbers in a text, digits only ("+995 32 294 50 50" -> "+995322945050")."""
    long_numbers = [re.sub(r"[^\d+]", "", m.group(0)) for m in _long_phone_matches(text)]
    return long_numbers + SHORT_NUMBER_PATTERN.findall(text)


# ----------------------------------------------------------------------------- web addresses

URL_PATTERN = re.compile(r"(?:https?://|www\.)[^\s)\"'>]+", re.IGNORECASE)
# Top-level domains that end a bare address ("something.gov.ge",
# "europa.eu/etias"). A known list, not "any two letters", so that "e.g.",
# "a.m.", "3.4" and words joined by a missing space do not count as addresses.
TLDS = (
    "ge", "gov", "eu", "int", "org", "com", "net", "edu", "info", "io",
    "uk", "de", "pl", "ee", "lt", "lv", "cz", "sk", "gr", "it", "es", "fr", "nl", "be",
    "at", "ie", "cy", "bg", "ro", "hu", "pt", "se", "dk", "fi", "no", "ch",
    "il", "tr", "ae", "qa", "sa", "kw", "us", "ca", "au", "ru", "ua", "am", "az",
)  # fmt: skip
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
DOMAIN_PATTERN = re.compile(
    rf"(?<![\w./-])(?:{_LABEL}\.)+(?:{'|'.join(TLDS)})"
    # Ends at the TLD: "mfa.gov.ge-ზე" and "mfa.gov.ge." still end there.
    r"(?![a-z0-9]|-[a-z0-9])"
    r"(?:/[^\s)\"'>,;]*)?",
    re.IGNORECASE,
)


def web_addresses(text: str) -> list[str]:
    """Every web address in a text: http(s):// and www. links, and bare domains
    with a known top-level domain ("something.gov.ge", "europa.eu/etias",
    "info@mfa.gov.ge" counts by its domain). Trailing punctuation is dropped."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for match in URL_PATTERN.finditer(text):
        found.append((match.start(), match.group(0)))
        taken.append(match.span())
    for match in DOMAIN_PATTERN.finditer(text):
        if not any(start <= match.start() < end for start, end in taken):
            found.append((match.start(), match.group(0)))
    return [address.rstrip(".,;:!?") for _, address in sorted(found)]


def address_host(address: str) -> str:
    """The host name of an address: "https://www.mfa.gov.ge/en/x" -> "mfa.gov.ge"."""
    host = re.sub(r"^(?:https?://)?", "", address.lower())
    host = re.split(r"[/?#]", host, maxsplit=1)[0]
    host = host.rpartition("@")[2].split(":")[0].rstrip(".")
    return host.removeprefix("www.")


def address_allowed(address: str, sites: set[str]) -> bool:
    """Whether an answer may print `address`: its host, or a parent domain of
    its host, is a `sites` domain in contacts.yml.

    Subdomains are covered: listing `mfa.gov.ge` allows `batumi.mfa.gov.ge`
    and `www.mfa.gov.ge`, since a subdomain is run by the owner of the listed
    site. The reverse is not true: listing `georgia.iom.int` does not allow
    `iom.int`. So list a ministry's own domain, never a shared suffix such
    as `gov.ge`, which would allow every Georgian government site. The path
    does not matter (`europa.eu/etias` is allowed when `europa.eu` is listed).
    """
    host = address_host(address)
    return any(host == site or host.endswith("." + site) for site in sites)


def verified_contacts(path: Path = CONTACTS_FILE) -> dict[str, set[str]]:
    """contacts.yml's phone numbers (digits, with a leading +) and site domains."""
    return _read_contacts(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _read_contacts(path: Path, mtime_ns: int) -> dict[str, set[str]]:
    # Read once per version of the file, not once per entry.
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    phones = {re.sub(r"[^\d+]", "", str(item["number"])) for item in raw.get("phones", [])}
    domains = {address_host(str(item["domain"])) for item in raw.get("sites", [])}
    return {"phones": phones, "domains": domains}


# ----------------------------------------------------------------------------- numbers

# Digits joined by single separators: "5,000", "5 000", "3.4", "+995 32 294 50 50".
_NUMBER_RUN = re.compile(r"[0-9]+(?:[.,\u00a0\u202f ][0-9]+)*")
_THOUSANDS_SEPARATORS = ", \u00a0\u202f"


def numbers(text: str) -> set[str]:
    """The numbers written with digits in a text, normalised for comparing
    the two languages (brief: "every number in the English answer appears in
    the Georgian answer and vice versa").

    - Thousands separators do not matter: "5,000", "5 000" and "5000" are "5000".
    - A decimal stays one number: "3.4" (and the Georgian "3,4") is "3.4".
    - Phone numbers are compared as digit strings: "+995 32 294 50 50" is
      "995322945050", whichever way its groups are spaced.
    - Leading zeros do not matter ("09:00" has the numbers 9 and 0).
    - Other digit groups count on their own: "9:00-18:00" is 9, 0, 18, 0.
    """
    found: set[str] = set()
    masked = list(text)
    for match in _long_phone_matches(text):
        found.add(re.sub(r"\D", "", match.group(0)))
        masked[match.start() : match.end()] = " " * (match.end() - match.start())
    for run in _NUMBER_RUN.finditer("".join(masked)):
        found.update(_read_number_run(run.group(0)))
    return found


def _read_number_run(run: str) -> list[str]:
    """Split "5 000" / "5,000" / "3.4" / "112 24" into the numbers they mean."""
    groups = re.split(r"[.,\u00a0\u202f ]", run)
    separators = re.findall(r"[.,\u00a0\u202f ]", run)
    result: list[str] = []
    current, kind = groups[0], ""  # kind: "" | the thousands separator | "decimal"
    for separator, group in zip(separators, groups[1:], strict=True):
        head_ok = len(current) <= 3 if not kind else True
        if (
            separator in _THOUSANDS_SEPARATORS
            and len(group) == 3
            and head_ok
            and kind in ("", separator)
        ):
            current, kind = current + group, separator
        elif separator in ".," and kind == "" and (separator == "." or len(group) <= 2):
            current, kind = f"{current}.{group}", "decimal"
        else:
            result.append(_normal_number(current, kind))
            current, kind = group, ""
    result.append(_normal_number(current, kind))
    return result


def _normal_number(value: str, kind: str) -> str:
    if kind == "decimal":
        whole, _, fraction = value.partition(".")
        return f"{int(whole)}.{fraction}"
    return str(int(value))


def number_mismatches(answers: dict[str, str]) -> list[tuple[str, str, str]]:
    """(language, number, other language) for each number written in one
    answer and missing from the other."""
    found = {lang: numbers(text) for lang, text in answers.items()}
    problems = []
    for lang, values in found.items():
        for other, other_values in found.items():
            if other != lang:
                problems += [
                    (lang, value, other) for value in sorted(values - other_values, key=_order)
                ]
    return problems


def _order(value: str) -> tuple[float, str]:
    return (float(value), value)


# ----------------------------------------------------------------------------- danger entries

# Issue 11: "danger entries put safety first: immediate danger -> the emergency
# number valid where the person is (112 only for Georgia and the EU)". The bot
# sends an urgent entry's answer as its emergency guidance, so the answer's
# first paragraph must be it.
EMERGENCY_NUMBER = "112"


def begins_with_emergency_guidance(answer: str) -> bool:
    """Whether the answer's first paragraph (up to the first blank line) gives
    the emergency number."""
    first = answer.strip().split("\n\n", 1)[0]
    return EMERGENCY_NUMBER in first


# An answer is sent for every question that retrieval matches to its entry, not
# only its own yes/no question: "No. Visa-free travel lets ..." read as nonsense
# after "work visa" (a user trial, 2026-12-01). Its first word must not be a bare
# yes or no.
BARE_YES_NO = re.compile(r"^\W*(yes|no|დიახ|არა|კი|ჰო)\b(?!\s*\w)", re.IGNORECASE)


def opens_with_yes_or_no(answer: str) -> bool:
    """Whether the answer begins with a bare yes or no ("No.", "Yes, they count",
    "დიახ.", "არა,"): True means it leans on one particular question."""
    return bool(BARE_YES_NO.match(answer.strip()))


# Source titles are shown under every answer; how a reviewer rates or found a
# source belongs in its `note` ("(ILO booklet, secondary copy)", "year inferred
# from the text" were shown to users until 2026-12-01).
INTERNAL_NOTE = re.compile(
    r"\bsecondary\b|\binferred\b|\bformatting only\b|\bcopy on\b"
    r"|\bcopy of the (?:\w+ )?text\b|\(copy\b|\bcopy\)",
    re.IGNORECASE,
)


def internal_note_in_title(title: str) -> str:
    """The reviewer's note found in a source title ("secondary", "year inferred",
    "copy on ...", "copy of the EU text"), or "" if there is none."""
    found = INTERNAL_NOTE.search(title)
    return found.group(0) if found else ""


# ----------------------------------------------------------------------------- review dates


def review_by_problem(reviewed: dt.date, review_by: dt.date, time_sensitive: bool) -> str:
    """What is wrong with `review_by`, or "" (brief: time-sensitive entries,
    whose facts change often, are re-checked within 90 days of `reviewed`;
    stable ones within a year)."""
    days = TIME_SENSITIVE_REVIEW_DAYS if time_sensitive else STABLE_REVIEW_DAYS
    latest = reviewed + dt.timedelta(days=days)
    if review_by <= reviewed:
        return f"{review_by} must be after reviewed ({reviewed})"
    if review_by > latest:
        kind = "a time-sensitive" if time_sensitive else "a stable (time_sensitive: false)"
        return (
            f"{review_by} is {(review_by - reviewed).days} days after reviewed ({reviewed}); "
            f"{kind} entry is reviewed within {days} days: {latest} at the latest"
        )
    return ""


def country_code_problem(code: object) -> str:
    """What is wrong with one `countries` item, or "" (ISO 3166-1 alpha-2, lowercase)."""
    if not isinstance(code, str) or not COUNTRY_CODE.match(code):
        return f"{code!r} must be a two-letter ISO 3166-1 code in lowercase, like pl or de"
    if code in NOT_ISO_COUNTRY:
        return f"{code!r} is not an ISO 3166-1 code: use {NOT_ISO_COUNTRY[code]}"
    return ""
