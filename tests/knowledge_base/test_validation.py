"""The entry rules of the knowledge-base brief, each on small hand-made entries.

Rules: knowledge_base/README.md ("Rules the validator checks"); code:
knowledge_base/validation.py and knowledge_base/entries.py.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import main
from knowledge_base.entries import (
    InvalidEntry,
    Source,
    entry_from_dict,
    load_entries,
    parse_entry,
    stale_entries,
)
from knowledge_base.index import entry_row
from knowledge_base.spreadsheet import (
    entries_from_rows,
    entry_to_yaml,
    export_entries,
    read_sheet,
)
from knowledge_base.validation import (
    address_allowed,
    numbers,
    opens_with_yes_or_no,
    web_addresses,
)

TODAY = dt.date.today()
REVIEWED = TODAY - dt.timedelta(days=10)

KA_ANSWER = (
    "უვიზოდ შენგენის ზონაში 180 დღის განმავლობაში მაქსიმუმ 90 დღით შეგიძლიათ ყოფნა. "
    "მუშაობისთვის სამუშაო ვიზა გჭირდებათ. დეტალები ნახეთ mfa.gov.ge-ზე."
)
EN_ANSWER = (
    "Visa-free, you may stay in the Schengen area at most 90 days in any 180-day period. "
    "To work you need a work visa. See mfa.gov.ge for details."
)


def entry_data(entry_id: str = "good-entry", **fields: Any) -> dict[str, Any]:
    """A valid entry as its YAML file holds it; `fields` replace or add fields."""
    data: dict[str, Any] = {
        "id": entry_id,
        "category": "legal-work",
        "urgent": False,
        "reviewed": REVIEWED,
        "review_by": REVIEWED + dt.timedelta(days=80),
        "time_sensitive": True,
        "countries": ["pl", "de"],
        "sources": [
            {
                "title": "Law of Georgia on Labour Migration",
                "title_ka": "საქართველოს კანონი შრომითი მიგრაციის შესახებ",
                "url": "https://matsne.gov.ge/en/document/view/2806732",
                "date": dt.date(2015, 4, 22),
            },
            {
                "title": "Status note (Georgian, undated)",
                "file": "seeds/x.txt",
                "date": "undated",
                "note": "secondary copy; year inferred from the text",
            },
        ],
        "ka": {
            "question": "რამდენ ხანს შემიძლია ევროპაში დარჩენა?",
            "phrasings": ["რამდენი დღე შემიძლია დავრჩე"],
            "answer": KA_ANSWER,
        },
        "en": {
            "question": "How long may I stay in Europe?",
            "phrasings": ["how many days can I stay"],
            "answer": EN_ANSWER,
        },
    }
    data.update(fields)
    return data


def write(folder: Path, data: dict[str, Any]) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / f"{data['id']}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, data: dict[str, Any]) -> list[str]:
    folder = tmp_path / "entries"
    write(folder, data)
    with pytest.raises(InvalidEntry) as error:
        load_entries(folder)
    return error.value.problems


def with_answers(ka: str, en: str, **fields: Any) -> dict[str, Any]:
    data = entry_data(**fields)
    data["ka"] = {**data["ka"], "answer": ka}
    data["en"] = {**data["en"], "answer": en}
    return data


# ----------------------------------------------------------------------------- a good entry


def test_a_good_entry_passes_with_its_new_fields(tmp_path):
    write(tmp_path / "entries", entry_data())
    (entry,) = load_entries(tmp_path / "entries")
    assert entry.review_by == REVIEWED + dt.timedelta(days=80)
    assert entry.time_sensitive is True
    assert entry.countries == ("pl", "de")
    assert entry.sources[0].title_ka == "საქართველოს კანონი შრომითი მიგრაციის შესახებ"
    assert entry.sources[1].title_ka == ""


def test_time_sensitive_and_countries_are_optional(tmp_path):
    data = entry_data(review_by=REVIEWED + dt.timedelta(days=365))
    del data["time_sensitive"], data["countries"]
    write(tmp_path / "entries", data)
    (entry,) = load_entries(tmp_path / "entries")
    assert entry.time_sensitive is False
    assert entry.countries == ()


# ----------------------------------------------------------------------------- review dates


def test_a_missing_review_by_is_rejected(tmp_path):
    data = entry_data()
    del data["review_by"]
    problems = problems_of(tmp_path, data)
    assert any(p.startswith("good-entry.yml: review_by: missing") for p in problems), problems


@pytest.mark.parametrize(
    ("time_sensitive", "days", "expected"),
    [
        (True, 120, "good-entry.yml: review_by: "),  # beyond 90 days
        (False, 400, "good-entry.yml: review_by: "),  # beyond a year
        (False, 0, "must be after reviewed"),
        (False, -5, "must be after reviewed"),
    ],
)
def test_review_by_too_late_or_too_early_is_rejected(tmp_path, time_sensitive, days, expected):
    data = entry_data(time_sensitive=time_sensitive, review_by=REVIEWED + dt.timedelta(days=days))
    problems = problems_of(tmp_path, data)
    assert any(expected in p and "review_by" in p for p in problems), problems


def test_the_time_sensitive_limit_names_the_latest_date(tmp_path):
    data = entry_data(time_sensitive=True, review_by=REVIEWED + dt.timedelta(days=120))
    (problem,) = problems_of(tmp_path, data)
    latest = REVIEWED + dt.timedelta(days=90)
    assert "120 days after reviewed" in problem and str(latest) in problem, problem


@pytest.mark.parametrize(("time_sensitive", "days"), [(True, 90), (False, 120), (False, 365)])
def test_review_by_within_the_limit_passes(tmp_path, time_sensitive, days):
    data = entry_data(time_sensitive=time_sensitive, review_by=REVIEWED + dt.timedelta(days=days))
    write(tmp_path / "entries", data)
    assert load_entries(tmp_path / "entries")


def test_time_sensitive_must_be_true_or_false(tmp_path):
    problems = problems_of(tmp_path, entry_data(time_sensitive="often"))
    assert "good-entry.yml: time_sensitive: must be true or false" in problems


# ------------------------------------------------------------------ countries and sources


@pytest.mark.parametrize(
    ("countries", "expected"),
    [
        (["PL"], "'PL' must be a two-letter ISO 3166-1 code"),
        (["pol"], "'pol' must be a two-letter ISO 3166-1 code"),
        (["uk"], "'uk' is not an ISO 3166-1 code: use gb"),
        (["pl", "pl"], "'pl' is listed twice"),
        ("pl", "must be a list of country codes"),
    ],
)
def test_countries_must_be_lowercase_iso_codes(tmp_path, countries, expected):
    problems = problems_of(tmp_path, entry_data(countries=countries))
    assert any(p.startswith("good-entry.yml: countries: ") and expected in p for p in problems), (
        problems
    )


def test_title_ka_must_be_georgian(tmp_path):
    data = entry_data()
    data["sources"][0]["title_ka"] = "Law on Labour Migration"
    problems = problems_of(tmp_path, data)
    assert any(p.startswith("good-entry.yml: sources[1].title_ka:") for p in problems), problems


@pytest.mark.parametrize(
    "title",
    [
        "ILO Indicators of Forced Labour (ILO booklet, secondary copy)",
        "112 Day (European Commission; year inferred from the text)",
        "Circular 1323 of 2017 (copy on immigrazione.biz)",
        "Directive 2009/52/EC, Article 6 (UK legislation.gov.uk copy of the EU text)",
    ],
)
def test_a_reviewers_note_in_a_source_title_is_rejected(tmp_path, title):
    data = entry_data()
    data["sources"][0]["title"] = title
    problems = problems_of(tmp_path, data)
    assert any(
        p.startswith("good-entry.yml: sources[1].title:") and "move it to the source's `note`" in p
        for p in problems
    ), problems


def test_a_source_title_may_name_a_copy_of_a_document(tmp_path):
    data = entry_data()
    data["sources"][0]["title"] = "Right of access to SIS data: a request with a copy of an ID"
    write(tmp_path / "entries", data)
    assert load_entries(tmp_path / "entries")


def test_an_unknown_source_field_is_rejected(tmp_path):
    data = entry_data()
    data["sources"][0]["titel_ka"] = "საქართველოს კანონი"
    problems = problems_of(tmp_path, data)
    assert "good-entry.yml: sources[1].titel_ka: unknown field" in problems


# ----------------------------------------------------------------------------- web addresses


# europa.eu is listed in contacts.yml (the official ETIAS site europa.eu/etias), so the
# domain-with-a-path case uses a look-alike of it that is not listed.
@pytest.mark.parametrize(
    "address", ["something.gov.ge", "etias-europa.eu/apply", "remittanceprices.worldbank.org"]
)
def test_an_unlisted_bare_domain_is_rejected_naming_the_file(tmp_path, address):
    data = with_answers(KA_ANSWER + f" ასევე ნახეთ {address}.", EN_ANSWER + f" Also see {address}.")
    problems = problems_of(tmp_path, data)
    for lang in ("ka", "en"):
        assert any(
            p.startswith(f"good-entry.yml: {lang}.answer: web address {address!r} is not")
            for p in problems
        ), problems


def test_an_unlisted_link_is_rejected_even_when_it_is_a_source_of_the_entry(tmp_path):
    link = "https://example.org/page"
    data = with_answers(KA_ANSWER + f" {link}", EN_ANSWER + f" {link}")
    data["sources"][1] = {"title": "A page", "url": link, "date": "2025"}
    problems = problems_of(tmp_path, data)
    assert any("web address 'https://example.org/page'" in p for p in problems), problems


def test_subdomains_of_a_listed_site_are_allowed_and_parents_are_not():
    sites = {"mfa.gov.ge", "georgia.iom.int"}
    assert address_allowed("batumi.mfa.gov.ge", sites)
    assert address_allowed("https://www.mfa.gov.ge/en/consular", sites)
    assert address_allowed("georgia.iom.int/ka", sites)
    assert not address_allowed("iom.int", sites)
    assert not address_allowed("fakemfa.gov.ge", sites)


def test_abbreviations_decimals_and_georgian_text_are_not_addresses():
    text = (
        "E.g. at 9 a.m. the rate was 3.4% (i.e. more); U.S. and Ph.D.; No. 181; vs. etc. "
        "ქართული ტექსტი. წერტილი.შემდეგ 1.5 წელი. Schengen.The end."
    )
    assert web_addresses(text) == []


def test_addresses_are_found_in_every_form():
    text = (
        "Visit https://www.mfa.gov.ge/en/x, www.geoconsul.gov.ge or batumi.mfa.gov.ge-ზე; "
        "write to info@mfa.gov.ge. Read europa.eu/etias."
    )
    assert web_addresses(text) == [
        "https://www.mfa.gov.ge/en/x",
        "www.geoconsul.gov.ge",
        "batumi.mfa.gov.ge",
        "mfa.gov.ge",
        "europa.eu/etias",
    ]


def test_a_listed_subdomain_passes_in_both_languages(tmp_path):
    data = with_answers(
        KA_ANSWER + " ბათუმის ოფისი: batumi.mfa.gov.ge.", EN_ANSWER + " Batumi: batumi.mfa.gov.ge."
    )
    write(tmp_path / "entries", data)
    assert load_entries(tmp_path / "entries")


# ----------------------------------------------------------------------------- numbers


def test_different_numbers_in_english_and_georgian_are_rejected(tmp_path):
    data = with_answers(KA_ANSWER.replace("90 დღით", "60 დღით"), EN_ANSWER)
    problems = problems_of(tmp_path, data)
    assert any(
        p.startswith("good-entry.yml: en.answer: the number 90 is in the English answer of")
        and "'good-entry'" in p
        for p in problems
    ), problems
    assert any(
        p.startswith("good-entry.yml: ka.answer: the number 60 is in the Georgian answer")
        for p in problems
    ), problems


def test_a_number_only_in_the_georgian_answer_is_rejected(tmp_path):
    data = with_answers(KA_ANSWER + " ეს წესი 2025 წლიდან მოქმედებს.", EN_ANSWER)
    problems = problems_of(tmp_path, data)
    assert any(
        "ka.answer: the number 2025 is in the Georgian answer of 'good-entry' but not in the "
        "English one" in p
        for p in problems
    ), problems


def test_numbers_are_compared_without_thousands_separators_and_phone_spacing(tmp_path):
    data = with_answers(
        KA_ANSWER + " ჯარიმა 5 000 ლარია, 3,4 მილიონი. დარეკეთ: (+995 32) 294 50 50.",
        EN_ANSWER + " The fine is 5,000 GEL, 3.4 million. Call +995 32 294 50 50.",
    )
    write(tmp_path / "entries", data)
    assert load_entries(tmp_path / "entries")


def test_number_normalisation():
    assert numbers("5,000 / 5 000 / 5000") == {"5000"}
    assert numbers("3.4 and 3,4") == {"3.4"}
    assert numbers("26 450 applications in 2022, 2023") == {"26450", "2022", "2023"}
    assert numbers("call 112 24 hours, 9:00-18:00") == {"112", "24", "9", "0", "18"}
    assert numbers("+995 32 294 50 50") == numbers("(+995 32) 294-50-50") == {"995322945050"}
    assert numbers("in 2024-2025") == {"2024", "2025"}


@pytest.mark.parametrize(
    ("answer", "bare"),
    [
        ("No. Visa-free travel does not allow work.", True),
        ("Yes, they count toward the limit.", True),
        ("დიახ. ვიზა სჭირდება.", True),
        ("არა, ავტომატური უფლება არ არსებობს.", True),
        ("კი, მაგრამ მხოლოდ დამსაქმებლით.", True),
        ("No one may keep your passport.", False),
        ("Not every agency is certified.", False),
        ("არავის აქვს უფლება, პასპორტი წაგართვათ.", False),
        ("Knowing the rules protects you.", False),
    ],
)
def test_a_bare_yes_or_no_opening_is_found(answer: str, bare: bool):
    assert opens_with_yes_or_no(answer) is bare


# ----------------------------------------------------------------------------- length


def test_an_answer_over_1300_characters_is_rejected_naming_entry_language_and_length(tmp_path):
    long_en = EN_ANSWER + " Keep your passport." * 70
    data = with_answers(KA_ANSWER, long_en)
    problems = problems_of(tmp_path, data)
    length = len(long_en.strip())
    assert (
        f"good-entry.yml: en.answer: the English answer of 'good-entry' is {length} characters"
        in " ".join(problems)
    ), problems


def test_an_answer_of_1300_characters_passes(tmp_path):
    en = EN_ANSWER + " " + "x" * (1300 - len(EN_ANSWER) - 1)
    assert len(en) == 1300
    write(tmp_path / "entries", with_answers(KA_ANSWER, en))
    assert load_entries(tmp_path / "entries")


# ------------------------------------------------------------------ kb stale, kb validate


def test_stale_entries_lists_entries_due_by_review_by():
    entries = [
        entry_from_dict(entry_data(entry_id, review_by=due), Path(f"{entry_id}.yml"))
        for entry_id, due in (
            ("later", REVIEWED + dt.timedelta(days=60)),
            ("due-today", REVIEWED + dt.timedelta(days=30)),
            ("overdue", REVIEWED + dt.timedelta(days=20)),
        )
    ]
    today = REVIEWED + dt.timedelta(days=30)
    assert [e.id for e in stale_entries(entries, today=today)] == ["overdue", "due-today"]
    assert stale_entries(entries, today=REVIEWED) == []


def test_kb_stale_command_prints_the_review_by_date(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "entries"
    write(folder, entry_data("old-entry", reviewed="2020-01-10", review_by="2020-03-01"))
    write(folder, entry_data("fresh-entry"))
    monkeypatch.setenv("MIGBOT_KNOWLEDGE_BASE__ENTRIES_DIR", str(folder))
    monkeypatch.setenv("MIGBOT_DATA_DIR", str(tmp_path / "data"))
    assert main(["kb", "stale"]) == 0
    out, err = capsys.readouterr()
    assert out == "2020-01-10  old-entry  (review by 2020-03-01)\n"
    assert "1 entry due for review" in err


def test_kb_validate_lists_every_problem_and_exits_non_zero(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "entries"
    no_date = entry_data("no-date")
    del no_date["review_by"]
    write(folder, no_date)
    write(folder, with_answers(KA_ANSWER + " 7", EN_ANSWER, id="bad-number"))
    write(folder, entry_data("fine"))
    monkeypatch.setenv("MIGBOT_KNOWLEDGE_BASE__ENTRIES_DIR", str(folder))
    monkeypatch.setenv("MIGBOT_DATA_DIR", str(tmp_path / "data"))
    assert main(["kb", "validate"]) == 1
    err = capsys.readouterr().err
    assert "error: no-date.yml: review_by: missing" in err
    assert "error: bad-number.yml: ka.answer: the number 7 is in the Georgian answer" in err
    assert "2 problem(s)" in err


# ----------------------------------------------------------------------------- round trips


def test_new_fields_survive_the_yaml_writer(tmp_path):
    path = write(tmp_path / "entries", entry_data())
    entry = parse_entry(path)
    again = entry_from_dict(yaml.safe_load(entry_to_yaml(entry)), path)
    assert again == entry
    assert "title_ka:" in entry_to_yaml(entry)
    assert 'note: "secondary copy; year inferred from the text"' in entry_to_yaml(entry)
    assert "countries: [pl, de]" in entry_to_yaml(entry)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_new_fields_survive_the_spreadsheet(tmp_path, suffix):
    folder = tmp_path / "entries"
    stable = entry_data("stable", time_sensitive=False, review_by=REVIEWED + dt.timedelta(days=300))
    del stable["countries"]
    for data in (entry_data(), stable):
        write(folder, data)
    entries = load_entries(folder)
    sheet = tmp_path / f"kb{suffix}"
    export_entries(entries, sheet)
    back, problems = entries_from_rows(read_sheet(sheet))
    assert problems == []
    assert sorted(back, key=lambda e: e.id) == sorted(entries, key=lambda e: e.id)


def test_the_index_row_keeps_the_new_fields():
    entry = entry_from_dict(entry_data(), Path("good-entry.yml"))
    row = entry_row(entry)
    assert row["review_by"] == entry.review_by.isoformat()
    assert row["time_sensitive"] == 1
    assert json.loads(row["countries"]) == ["pl", "de"]
    sources = json.loads(row["sources"])
    assert sources[0]["title_ka"] == entry.sources[0].title_ka
    assert "title_ka" not in sources[1]  # as in indexes built before the field
    assert "note" not in sources[1]  # the reviewer's note is never shown


def test_a_source_without_a_georgian_title_has_an_empty_one() -> None:
    assert Source(title="t", date="d").title_ka == ""


def test_the_dates_the_brief_prescribes_pass():
    from knowledge_base.validation import review_by_problem

    reviewed = dt.date(2026, 11, 30)
    assert review_by_problem(reviewed, dt.date(2027, 2, 28), time_sensitive=True) == ""
    assert review_by_problem(reviewed, dt.date(2027, 3, 1), time_sensitive=True) != ""
    assert review_by_problem(reviewed, dt.date(2027, 11, 30), time_sensitive=False) == ""
    assert review_by_problem(reviewed, dt.date(2027, 12, 1), time_sensitive=False) != ""
