"""Knowledge-base files: the real entries are valid; bad files are rejected clearly."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from knowledge_base.entries import InvalidEntry, load_entries, phone_numbers

ENTRIES = Path(__file__).resolve().parents[2] / "knowledge_base" / "entries"
REQUIRED_IDS = {
    "circular-migration", "poland-programme", "estonia-programme", "partner-countries",
    "in-demand-professions", "how-to-apply", "check-agency", "recruitment-fees",
    "work-permit-visa", "employment-contract", "worker-rights", "skills-and-language",
    "remittances", "return-home", "who-runs-programmes", "visa-free-rules",
    "overstay-consequences", "illegal-work-risks", "asylum-misuse", "trafficking-signs",
    "passport-confiscated", "fake-job-offers", "help-abroad", "emergency-danger",
}  # fmt: skip


def test_the_knowledge_base_is_valid_and_complete():
    entries = load_entries(ENTRIES)
    assert {e.id for e in entries} >= REQUIRED_IDS
    for entry in entries:
        assert entry.sources, entry.id
        assert entry.texts["ka"].answer and entry.texts["en"].answer
    urgent = {e.id for e in entries if e.urgent}
    assert {"emergency-danger", "passport-confiscated", "trafficking-signs"} <= urgent


def copy_entries(tmp_path: Path) -> Path:
    folder = tmp_path / "entries"
    shutil.copytree(ENTRIES, folder)
    return folder


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("sources"), "check-agency.yml: sources: at least one source"),
        (lambda d: d.update(category="misc"), "check-agency.yml: category: 'misc' must be one of"),
        (lambda d: d.update(reviewed="yesterday"), "check-agency.yml: reviewed: must be a date"),
        (lambda d: d.update(related=["no-such-entry"]), "related: no entry has the id"),
        (lambda d: d["ka"].pop("answer"), "check-agency.yml: ka.answer: must be a non-empty"),
        (lambda d: d.update(id="other-name"), "id: 'other-name' must equal the file name"),
        (
            lambda d: d["en"].update(answer=d["en"]["answer"] + " Call the hotline 2 100 229."),
            "en.answer: phone number '2100229' is not in contacts.yml",
        ),
        (
            lambda d: d["en"].update(answer="See <b>this</b>."),
            "en.answer: plain text only",
        ),
        (
            lambda d: d["ka"].update(answer="This is English text, not Georgian."),
            "ka.answer: should be written mostly in Georgian letters",
        ),
        (  # an answer is sent for many questions: no bare yes or no first
            lambda d: d["ka"].update(answer="არა. " + d["ka"]["answer"]),
            "check-agency.yml: ka.answer: the Georgian answer of 'check-agency' begins with "
            "a bare yes or no",
        ),
        (
            lambda d: d["en"].update(answer="Yes, " + d["en"]["answer"]),
            "check-agency.yml: en.answer: the English answer of 'check-agency' begins with "
            "a bare yes or no",
        ),
        (  # an urgent entry's answer is the bot's emergency reply: 112 first
            lambda d: d.update(urgent=True),
            "check-agency.yml: en.answer: 'check-agency' is urgent: its English answer must "
            "begin with the emergency guidance",
        ),
    ],
)
def test_a_bad_entry_is_rejected_with_file_field_and_reason(tmp_path, change, expected):
    folder = copy_entries(tmp_path)
    edit(folder / "check-agency.yml", change)
    with pytest.raises(InvalidEntry) as error:
        load_entries(folder)
    assert any(expected in problem for problem in error.value.problems), error.value.problems


def test_broken_yaml_is_reported_not_raised(tmp_path):
    folder = copy_entries(tmp_path)
    (folder / "check-agency.yml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(InvalidEntry) as error:
        load_entries(folder)
    assert error.value.problems[0].startswith("check-agency.yml: not valid YAML")


def test_validate_command_exits_non_zero_on_a_bad_file(tmp_path):
    folder = copy_entries(tmp_path)
    edit(folder / "fake-job-offers.yml", lambda d: d.update(urgent="maybe"))
    config = tmp_path / "config.yml"
    original = yaml.safe_load((ENTRIES.parent.parent / "config.yml").read_text(encoding="utf-8"))
    original["migbot"]["knowledge_base"]["entries_dir"] = str(folder)
    config.write_text(yaml.safe_dump(original, allow_unicode=True), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--config", str(config), "kb", "validate"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "fake-job-offers.yml: urgent: must be true or false" in result.stderr


def test_phone_numbers_are_found_but_counts_and_years_are_not():
    text = (
        "Call 112 now. ILO Convention No. 181; 90 days in any 180. In 2022, 26 450 claims. "
        "დარეკეთ 112-ზე. Consular line (+995 32) 294 50 50."
    )
    assert phone_numbers(text) == ["+995322945050", "112", "112"]


def test_near_misses_by_entry(tmp_path):
    from knowledge_base.entries import load_near_misses

    entries_dir = tmp_path / "entries"
    entries_dir.mkdir()
    assert load_near_misses(entries_dir) == {}
    (tmp_path / "near_misses.yml").write_text(
        "seasonal:\n  near: [uk-seasonal, germany-seasonal]\n  en: ['visa for Denmark']\n"
        "  ka: ['ვიზა დანიაში']\nfees:\n  near: [germany-seasonal]\n  en: ['fee for Norway']\n",
        encoding="utf-8",
    )
    assert load_near_misses(entries_dir) == {
        "uk-seasonal": ["visa for Denmark", "ვიზა დანიაში"],
        "germany-seasonal": ["visa for Denmark", "ვიზა დანიაში", "fee for Norway"],
    }
