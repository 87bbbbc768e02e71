"""Warning signs in a job advert: what the job-offer check looks for.

A person pastes or forwards a job advert; `detect_offer_signs` lists the warning
signs in it, as fixed codes (SIGN_CODES, in this order):

- fee: money asked from the worker (placement, visa, "document" fees, deposits).
- tourist_entry: travel as a tourist or visa-free to work, "papers later / there".
- passport: the passport is to be handed over or kept by someone else.
- no_employer: the advert names no company and gives no street address. A company
  is a legal form (შპს, GmbH, Sp. z o.o., Ltd, LLC, UAB, ...) or a company / hotel /
  farm word followed by a quoted or capitalised name; an agency counts, because it
  can be checked, and so does a state employment body or programme (the State
  Employment Support Agency, Germany's ZAV, a .gov domain). A town alone is not an
  address.
- pay_too_high: pay more than `far_above` (2.5) times the statutory monthly minimum
  of the destination (nlu/wages.yml). A heuristic: the minimum is a floor, and
  2.5x the floor is far above what unskilled work pays in these countries. When the
  advert names several countries, the highest minimum among them is used. No
  country in the table, or a country without a statutory minimum (Italy), or no
  amount: not compared (the reply says so).
- pressure: few places, a deadline, "decide today".
- messenger_only: the contact is a messenger, "write in private" or a phone number,
  and the advert gives no office, address, e-mail or website.
- no_contract: says there is no contract or that it comes after arrival, or does
  not mention a contract at all.
- no_skills_high_pay: "no language / no experience needed" with pay of at least
  `high` (1.5) times the destination's minimum, or EUR 2,000 a month where no
  minimum is known.
- wrong_country: a visa of one country (Georgian genitive "პოლონეთის ვიზა",
  "Polish visa") and another country named, or "any Schengen visa" with a country.
- debt: travel, visa or other fees to be repaid from wages, "work it off". Agreed
  housing or meals deducted from the pay is not a debt.

The absence signs (no_employer, no_contract) are raised only for texts that look
like a job advert: at least 40 characters with a job word, and not a question or a
news report that gives no contact (markers `asks`, `reports`).

Patterns live in offer_signs.yml and follow nlu/danger.py: stems, confusable
Georgian letters widened, `ka` lists matched on the advert converted to Georgian
script by nlu.georgian.understand (so Latin-typed Georgian and Mtavruli work),
`ka-latn` and `en` lists on the advert as typed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from nlu.danger import widen_confusable_letters
from nlu.georgian import normalise, understand

SIGNS_FILE = Path(__file__).with_name("offer_signs.yml")
WAGES_FILE = Path(__file__).with_name("wages.yml")

SIGN_CODES = (
    "fee",
    "tourist_entry",
    "passport",
    "no_employer",
    "pay_too_high",
    "pressure",
    "messenger_only",
    "no_contract",
    "no_skills_high_pay",
    "wrong_country",
    "debt",
)
PATTERN_SIGNS = ("fee", "tourist_entry", "passport", "pressure", "no_skills_high_pay", "debt")
_PATTERN_LISTS = ("ka", "ka-latn", "en")
_PART_REFERENCE = re.compile(r"<<(\w+)>>")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})
# Sentence ends: . ! ? ; and line breaks, bullets; not a decimal point (12.71).
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|[\n•●▪]+|(?<=[!?])(?=\S)")


# --------------------------------------------------------------------------- amounts

_CURRENCY_WORDS = {
    "EUR": r"€|eur|euro|euros|evro|ევრო|евро",
    "PLN": r"zł|zl|zloti|zlotys|zloty|pln|ზლოტ",
    "GEL": r"₾|gel|lari|ლარ",
    "USD": r"\$|usd|dollars?|dolari|dolars?|დოლარ",
    "GBP": r"£|gbp|pounds?|funti|ფუნტ",
    "CZK": r"czk|kč|kc|kron|კრონ",
    "ILS": r"₪|ils|nis|shekels?|შეკელ",
    "TRY": r"₺|try|tl|lira|liras|ლირ",
    "RON": r"ron|lei|leu",
    "BGN": r"bgn|leva|лв",
}
_CURRENCY = "|".join(f"(?P<{code}>{words})" for code, words in _CURRENCY_WORDS.items())
_NUMBER = r"\d{1,3}(?:[ \u00a0.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_RANGE = rf"(?P<low>{_NUMBER})\s*(?:-|–|—|to|დან|-დან)\s*"
_AMOUNT_AFTER = re.compile(
    rf"(?<![\w.,])(?:{_RANGE})?(?P<num>{_NUMBER})(?P<k>k)?\s*(?:{_CURRENCY})\w{{0,5}}(?!\w)",
    re.IGNORECASE,
)
_AMOUNT_BEFORE = re.compile(
    rf"(?<!\w)(?:{_CURRENCY})\s*(?P<num>{_NUMBER})(?:\s*(?:-|–)\s*(?P<high>{_NUMBER}))?"
    r"(?P<k>k\b)?",
    re.IGNORECASE,
)
_PERIODS = {
    "hour": r"/\s*(h|hr|hour)\b|per\s+hour|an\s+hour|a\s+hour|hourly|/\s*სთ|საათში|saatshi",
    "day": r"/\s*day\b|per\s+day|a\s+day|daily|დღეში|დღიური|დღიურად|dgheshi|dgeshi|dghiuri",
    "week": r"/\s*week|per\s+week|a\s+week|weekly|კვირაში|kvirashi",
    "month": (
        r"/\s*month|/\s*mo\b|per\s+month|a\s+month|monthly|თვეში|თვიურად|თვიური|tveshi|\btv\b"
    ),
}
_PERIOD_RES = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in _PERIODS.items()}
# "10 hours a day", "8 saati": working time, not the period of the pay before it
# (a user trial: "2000 EUR per month 8 hours a day" was read as 2000 a day).
_WORKING_TIME = re.compile(r"\d+\s*(hours?|hrs?|h|saati|საათი?|სთ)\s*$", re.IGNORECASE)


def _period_in(text: str) -> str | None:
    """The pay period said nearest the start of `text` ("/month", "a day", "საათში"),
    None if none; a period after a number of hours is working time."""
    said = [
        (match.start(), name)
        for name, rx in _PERIOD_RES.items()
        for match in rx.finditer(text)
        if not _WORKING_TIME.search(text[: match.start()])
    ]
    return min(said, key=lambda found: found[0])[1] if said else None


# Words that make an amount a cost to the worker, not pay (the nearer word wins).
_NOT_PAY = re.compile(
    r"(საფასურ|(?<!ხელ)ფასი|ღირებულებ|გადახდ|გადასახად|ვიზ|საბუთ|დოკუმენტ|გაფორმებ|რეგისტრაცი|კონსულტაცი|"
    r"საცხოვრებ|ბინის|ავანს|დეპოზიტ|გიქვით|დაგიქვით|ბილეთ|მომსახურებ|momsaxureb|momsakhureb|"
    r"safasur|(?<!xel)(?<!khel)fasi|gadaxd|viz|sabut|dokument|gaformeb|registraci|konsultaci|avans|giqvit|bilet|"
    r"fee|price|cost|deposit|payment|visa|package|processing|consultation|accommodation|housing|"
    r"rent|deduct|ticket|upfront|advance)",
    re.IGNORECASE,
)
# A cost word straight after the sum: "4000 ევროს მომსახურება", "250 USD visa fee"
# (a user trial: such a fee was compared with the minimum wage as if it were pay).
_COST_AFTER = re.compile(
    r"^\s*(for\s+(the\s+|your\s+)?)?(საფასურ|ღირებულებ|მომსახურებ|ვიზ|საბუთ|დოკუმენტ|გაფორმებ|"
    r"რეგისტრაცი|ბილეთ|safasur|momsaxureb|momsakhureb|viz|sabut|dokument|gaformeb|registraci|"
    r"bilet|fee|visa|document|processing|ticket|service|registration)",
    re.IGNORECASE,
)
_PAY = re.compile(
    r"(ხელფას|ანაზღაურებ|შემოსავ|ხელზე|ბრუტო|xelfas|khelfas|anazghaureb|salary|wage|pay\b|"
    r"earn|net\b|gross|take-home)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Amount:
    """A sum of money in the advert, as pay or as a cost to the worker."""

    value: float
    currency: str
    period: str | None  # "hour" | "day" | "week" | "month" | None (not said)
    is_pay: bool
    text: str

    def monthly_eur(self, wages: Wages) -> float | None:
        """Per month in euro; None when the period is unknown and the sum too small to guess."""
        rate = wages.eur_rates.get(self.currency)
        if rate is None:
            return None
        eur = self.value / rate
        period = self.period
        if period is None:  # adverts give monthly pay without saying so
            period = "month" if eur >= 250 else None
        per_month = {
            "hour": wages.hours_per_month,
            "day": wages.days_per_month,
            "week": wages.weeks_per_month,
            "month": 1.0,
        }
        return eur * per_month[period] if period else None


def _to_float(number: str) -> float:
    number = number.replace("\u00a0", " ").strip()
    decimal = re.search(r"[.,](\d{1,2})$", number)
    whole = number[: decimal.start()] if decimal else number
    value = float(re.sub(r"[ .,]", "", whole) or 0)
    return value + (float("0." + decimal.group(1)) if decimal else 0.0)


def _currency_of(match: re.Match[str]) -> str:
    return next(code for code in _CURRENCY_WORDS if match.group(code))


def _sentence_window(text: str, start: int, end: int, before: int, after: int) -> tuple[str, str]:
    left = text[max(0, start - before) : start]
    left = re.split(r"[.!?\n]\s", left)[-1]
    right = text[end : end + after]
    right = re.split(r"[.!?\n]\s|[,;]", right)[0]
    return left, right


def parse_amounts(text: str) -> list[Amount]:
    """Every sum with a currency: "3000 ევრო", "3000€", "3 000 eur/tv", "€1,300-1,500/mo", "3k €".

    A range counts as its upper end (what the advert promises). A sum is pay unless a
    cost word (fee, visa, rent, ticket, ...) is nearer before it than a pay word, or
    a fee, visa, document or ticket word follows it straight away.
    """
    clean = normalise(text).translate(_APOSTROPHES)
    found: list[tuple[int, int, float, str]] = []
    for match in _AMOUNT_AFTER.finditer(clean):
        value = _to_float(match.group("num")) * (1000 if match.group("k") else 1)
        found.append((match.start(), match.end(), value, _currency_of(match)))
    for match in _AMOUNT_BEFORE.finditer(clean):
        if any(a <= match.start() < b or match.start() <= a < match.end() for a, b, *_ in found):
            continue
        number = match.group("high") or match.group("num")
        value = _to_float(number) * (1000 if match.group("k") else 1)
        found.append((match.start(), match.end(), value, _currency_of(match)))
    amounts = []
    for start, end, value, currency in sorted(found):
        left, right = _sentence_window(clean, start, end, before=40, after=30)
        near_left, _ = _sentence_window(clean, start, end, before=18, after=0)
        period = _period_in(right[:25]) or _period_in(near_left)
        cost = [m.end() for m in _NOT_PAY.finditer(left)]
        pay = [m.end() for m in _PAY.finditer(left)]
        is_pay = not cost or (bool(pay) and max(pay) > max(cost))
        if _COST_AFTER.match(right) and not _PAY.search(near_left):
            is_pay = False
        amounts.append(Amount(value, currency, period, is_pay, clean[start:end].strip()))
    return amounts


# --------------------------------------------------------------------------- wage table


@dataclass(frozen=True)
class Minimum:
    country: str
    monthly_eur: float | None  # None: no statutory minimum
    currency: str | None
    monthly_local: float | None
    since: str | None
    source: str
    note: str


@dataclass(frozen=True)
class Wages:
    hours_per_month: float
    days_per_month: float
    weeks_per_month: float
    far_above: float
    high: float
    high_without_minimum_eur: float
    eur_rates: dict[str, float]
    minimums: dict[str, Minimum]


@lru_cache(maxsize=2)
def load_wages(path: Path = WAGES_FILE) -> Wages:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rates = {k: float(v) for k, v in data["eur_rates"].items() if k.isupper()}
    minimums = {}
    for country, spec in data["countries"].items():
        currency = spec.get("currency")
        monthly = spec.get("monthly")
        if monthly is None and spec.get("hourly") is not None:
            monthly = float(spec["hourly"]) * float(data["hours_per_month"])
        if "monthly" in spec and spec["monthly"] is None:
            monthly = None
        minimums[country] = Minimum(
            country=country,
            monthly_eur=None if monthly is None else float(monthly) / rates[currency],
            currency=currency,
            monthly_local=None if monthly is None else float(monthly),
            since=str(spec["since"]) if spec.get("since") else None,
            source=spec["source"],
            note=spec.get("note", ""),
        )
    return Wages(
        hours_per_month=float(data["hours_per_month"]),
        days_per_month=float(data["days_per_month"]),
        weeks_per_month=float(data["weeks_per_month"]),
        far_above=float(data["far_above"]),
        high=float(data["high"]),
        high_without_minimum_eur=float(data["high_without_minimum_eur"]),
        eur_rates=rates,
        minimums=minimums,
    )


# --------------------------------------------------------------------------- patterns


@dataclass(frozen=True)
class _Sign:
    name: str
    entry: str
    patterns: tuple[re.Pattern[str], ...]
    excludes: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class _Country:
    key: str
    name_ka: str
    name_en: str
    patterns: tuple[re.Pattern[str], ...]  # ka (widened), latn, en


@dataclass(frozen=True)
class _Rules:
    signs: dict[str, _Sign]
    markers: dict[str, tuple[re.Pattern[str], ...]]
    cased: tuple[re.Pattern[str], ...]
    countries: tuple[_Country, ...]


def _compile(pattern: str, parts: dict[str, str], where: str, flags: int = 0) -> re.Pattern[str]:
    expanded = _PART_REFERENCE.sub(lambda m: parts[m.group(1)], pattern)
    try:
        return re.compile(widen_confusable_letters(expanded), flags)
    except (re.error, KeyError) as error:
        message = f"{SIGNS_FILE.name}: bad pattern in {where}: {pattern!r}: {error}"
        raise ValueError(message) from error


def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


@lru_cache(maxsize=2)
def load_rules(path: Path = SIGNS_FILE) -> _Rules:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    parts = data.get("parts") or {}
    signs = {}
    for name, spec in data["signs"].items():
        if name not in SIGN_CODES:
            raise ValueError(f"{path.name}: unknown sign {name!r}")
        raw = [p for key in _PATTERN_LISTS for p in (spec.get(key) or [])]
        signs[name] = _Sign(
            name=name,
            entry=spec["entry"],
            patterns=tuple(_compile(p, parts, name) for p in raw),
            excludes=tuple(_compile(p, parts, name) for p in (spec.get("exclude") or [])),
        )
    markers = {
        key: tuple(_compile(p, parts, f"markers.{key}") for p in _as_list(value))
        for key, value in data["markers"].items()
        if key != "company_cased"
    }
    cased_patterns = data["markers"]["company_cased"]
    cased = tuple(_compile(p, parts, "markers.company_cased") for p in cased_patterns)
    countries = tuple(
        _Country(
            key=key,
            name_ka=spec["name_ka"],
            name_en=spec["name_en"],
            patterns=tuple(
                _compile(spec[k], parts, f"countries.{key}") for k in ("ka", "latn", "en")
            ),
        )
        for key, spec in data["countries"].items()
    )
    return _Rules(signs, markers, cased, countries)


def sign_entry(code: str) -> str:
    """The knowledge-base entry to read for a sign."""
    return load_rules().signs[code].entry


# --------------------------------------------------------------------------- detection


@dataclass(frozen=True)
class PayComparison:
    """The advert's highest pay against the destination's statutory minimum."""

    pay: Amount
    pay_monthly_eur: float
    minimum: Minimum
    ratio: float


@dataclass(frozen=True)
class OfferSigns:
    lang: str  # "ka" | "en": the reply language
    flags: tuple[str, ...]  # sign codes, in SIGN_CODES order
    evidence: dict[str, str]  # sign -> the words that raised it (or why)
    looks_like_advert: bool
    countries: tuple[str, ...]  # country keys named, in order of first mention
    amounts: tuple[Amount, ...]
    pay: PayComparison | None  # set when the pay could be compared with a minimum
    not_compared: str | None  # why the pay was not compared: no_amount | no_country | no_minimum
    no_contract_kind: str | None = None  # "explicit" | "absent"

    def country_name(self, key: str, lang: str) -> str:
        country = next(c for c in load_rules().countries if c.key == key)
        return country.name_ka if lang == "ka" else country.name_en


def _views(text: str) -> tuple[str, str, str]:
    """(converted to Georgian script, as typed; both lowercased) and the cased original."""
    typed = normalise(text)
    understood = understand(typed)
    lower = unicodedata.normalize("NFC", typed).lower().translate(_APOSTROPHES)
    converted = understood.text.lower().translate(_APOSTROPHES)
    return converted, lower, typed


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _match_sign(sign: _Sign, views: tuple[str, ...]) -> str | None:
    for view in views:
        for sentence in _sentences(view):
            if any(x.search(sentence) for x in sign.excludes):
                continue
            for pattern in sign.patterns:
                found = pattern.search(sentence)
                if found:
                    return found.group(0)
    return None


def _any(patterns: tuple[re.Pattern[str], ...], views: tuple[str, ...]) -> str | None:
    for view in views:
        for pattern in patterns:
            found = pattern.search(view)
            if found:
                return found.group(0)
    return None


def _countries(rules: _Rules, views: tuple[str, ...]) -> list[tuple[int, str]]:
    """(position, key) of each country named, first mention first."""
    first: dict[str, int] = {}
    for country in rules.countries:
        for view in views:
            for pattern in country.patterns:
                found = pattern.search(view)
                if found:
                    first[country.key] = min(first.get(country.key, found.start()), found.start())
    return sorted((pos, key) for key, pos in first.items())


_VISA_AFTER_KA = re.compile(widen_confusable_letters(r"^\w*ის\s+(\w+\s+)?ვიზ"))
_VISA_AFTER_LATN = re.compile(r"^\w*is\s+(\w+\s+)?viz")
_VISA_AFTER_EN = re.compile(r"^\w*\s+(\w+\s+){0,2}visas?\b")
_VISA_BEFORE_EN = re.compile(r"\bvisas?\s+(to|for|of)\s+$")


def _visa_countries(rules: _Rules, views: tuple[str, ...]) -> set[str]:
    """Countries whose visa the advert offers ("პოლონეთის ვიზა", "a Polish visa")."""
    found = set()
    for country in rules.countries:
        for view in views:
            for pattern in country.patterns:
                for match in pattern.finditer(view):
                    after = view[match.end() : match.end() + 40]
                    before = view[max(0, match.start() - 12) : match.start()]
                    if (
                        _VISA_AFTER_KA.search(after)
                        or _VISA_AFTER_LATN.search(after)
                        or _VISA_AFTER_EN.search(after)
                        or _VISA_BEFORE_EN.search(before)
                    ):
                        found.add(country.key)
    return found


def _compare_pay(
    amounts: list[Amount], countries: list[str], wages: Wages
) -> tuple[PayComparison | None, float | None, str | None]:
    """(comparison with the highest minimum among the countries, best pay in EUR, why not)."""
    pays = [(a.monthly_eur(wages), a) for a in amounts if a.is_pay]
    pays = [(eur, a) for eur, a in pays if eur is not None]
    if not pays:
        return None, None, "no_amount"
    best_eur, best = max(pays, key=lambda pair: pair[0])
    known = [wages.minimums[c] for c in countries if c in wages.minimums]
    if not known:
        return None, best_eur, "no_country"
    with_minimum = [m for m in known if m.monthly_eur is not None]
    if not with_minimum:
        return None, best_eur, "no_minimum"
    minimum = max(with_minimum, key=lambda m: m.monthly_eur or 0.0)
    ratio = best_eur / (minimum.monthly_eur or math.inf)
    return PayComparison(best, best_eur, minimum, ratio), best_eur, None


def detect_offer_signs(text: str, lang_hint: str | None = None) -> OfferSigns:
    """The warning signs in a job advert (see the module docstring for each code)."""
    rules = load_rules()
    wages = load_wages()
    converted, lower, typed = _views(text)
    views = (converted, lower) if converted != lower else (lower,)
    understood_lang = understand(typed).lang if typed else (lang_hint or "en")
    lang = understood_lang
    if lang_hint in ("ka", "en") and not re.search(r"[^\W\d_]", typed):
        lang = lang_hint
    evidence: dict[str, str] = {}

    for code in PATTERN_SIGNS:
        if code == "no_skills_high_pay":
            continue
        found = _match_sign(rules.signs[code], views)
        if found:
            evidence[code] = found

    channel = _any(rules.markers["messenger"] + rules.markers["phone"], views)
    official = _any(rules.markers["official"] + rules.markers["address"], views)
    # A question or a news report about jobs that gives no contact is no advert; a
    # question keeps the signs it names ("they want 500 lari for the visa, is that
    # normal?"), a report none ("the ministry warned of offers for a fee").
    no_contact = not channel and not official
    reports = no_contact and bool(_any(rules.markers["reports"], views))
    asks = no_contact and bool(_any(rules.markers["asks"], views))
    looks_like_advert = (
        bool(_any(rules.markers["job"], views)) and len(typed) >= 40 and not (asks or reports)
    )
    amounts = parse_amounts(typed)
    positions = _countries(rules, views)
    countries = [key for _, key in positions]
    visa_countries = _visa_countries(rules, views)

    # pay
    comparison, best_eur, not_compared = _compare_pay(amounts, countries, wages)
    if comparison and comparison.ratio > wages.far_above:
        evidence["pay_too_high"] = comparison.pay.text
    no_skills = _match_sign(rules.signs["no_skills_high_pay"], views)
    if no_skills and best_eur is not None:
        if comparison is not None:
            high = comparison.ratio >= wages.high
        else:
            high = best_eur >= wages.high_without_minimum_eur
        if high:
            evidence["no_skills_high_pay"] = no_skills

    # wrong country: a visa of one country, work named in another
    others = [c for c in countries if c not in visa_countries]
    if visa_countries and others:
        evidence["wrong_country"] = f"visa: {sorted(visa_countries)}, work: {others}"
    elif _any(rules.markers["any_visa"], views) and countries:
        evidence["wrong_country"] = _any(rules.markers["any_visa"], views) or ""

    # contact
    if channel and not official:
        evidence["messenger_only"] = channel

    # absence signs
    no_contract_kind = None
    if looks_like_advert:
        explicit = _match_sign(rules.signs["no_contract"], views)
        if explicit:
            evidence["no_contract"], no_contract_kind = explicit, "explicit"
        elif not _any(rules.markers["contract"], views):
            evidence["no_contract"], no_contract_kind = "no contract mentioned", "absent"
        company = _any(rules.markers["company"], views) or _any(rules.cased, (typed,))
        address = _any(rules.markers["address"], views)
        if not company and not address:
            evidence["no_employer"] = "no company or address"

    if reports:
        evidence.clear()
    flags = tuple(code for code in SIGN_CODES if code in evidence)
    return OfferSigns(
        lang=lang,
        flags=flags,
        evidence=evidence,
        looks_like_advert=looks_like_advert,
        countries=tuple(countries),
        amounts=tuple(amounts),
        pay=comparison,
        not_compared=not_compared,
        no_contract_kind=no_contract_kind,
    )
