"""`migbot kb export/import` (spreadsheet round trip) and `migbot kb diff`."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.answering import Pipeline
from bot.cli import main
from bot.config import PROJECT_ROOT, Settings
from knowledge_base.diff import compare, rows_by_id
from knowledge_base.entries import load_entries, parse_entry
from knowledge_base.spreadsheet import COLUMNS, entry_to_yaml

PROJECT_ENTRIES = PROJECT_ROOT / "knowledge_base" / "entries"


@pytest.fixture
def entries_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the knowledge base that the commands under test may change."""
    folder = tmp_path / "entries"
    shutil.copytree(PROJECT_ENTRIES, folder)
    monkeypatch.setenv("MIGBOT_KNOWLEDGE_BASE__ENTRIES_DIR", str(folder))
    monkeypatch.setenv("MIGBOT_DATA_DIR", str(tmp_path / "data"))
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def find_row(sheet, entry_id: str, lang: str) -> int:
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if row[0] == entry_id and row[1] == lang:
            return number
    raise AssertionError(f"no row for {entry_id}/{lang}")


def test_yaml_writer_reproduces_the_hand_written_files() -> None:
    # Import rewrites a changed entry in this layout; the diff of a one-word
    # edit must then be one line, not a reformatted file.
    for path in sorted(PROJECT_ENTRIES.glob("*.yml")):
        assert entry_to_yaml(parse_entry(path)) == path.read_text(encoding="utf-8"), path.name


def test_xlsx_round_trip_changes_only_the_edited_entry(
    entries_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book_path = tmp_path / "kb.xlsx"
    assert main(["kb", "export", str(book_path)]) == 0
    before = snapshot(entries_dir)
    book = load_workbook(book_path)
    sheet = book.active
    assert [cell.value for cell in sheet[1]] == list(COLUMNS)
    assert sheet.max_row == 1 + 2 * len(before)
    row = find_row(sheet, "check-agency", "en")
    answer_cell = sheet.cell(row, COLUMNS.index("answer") + 1)
    # A new first line; the rest stays, so its numbers still match the Georgian answer.
    new_answer = "Ask the agency first.\n\n" + answer_cell.value
    answer_cell.value = new_answer
    book.save(book_path)
    capsys.readouterr()

    assert main(["kb", "import", str(book_path)]) == 0

    out = capsys.readouterr().out
    assert "check-agency" in out and "en.answer" in out
    after = snapshot(entries_dir)
    assert [name for name in after if after[name] != before[name]] == ["check-agency.yml"]
    entry = parse_entry(entries_dir / "check-agency.yml")
    assert entry.texts["en"].answer == new_answer
    assert "answer: |\n    Ask the agency first.\n\n" in after["check-agency.yml"].decode()
    assert len(load_entries(entries_dir)) == len(before)  # still valid as a whole


def test_csv_round_trip_without_edits_changes_nothing(
    entries_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "kb.csv"
    before = snapshot(entries_dir)
    assert main(["kb", "export", str(sheet)]) == 0
    assert main(["kb", "import", str(sheet)]) == 0
    assert "nothing to change" in capsys.readouterr().out
    assert snapshot(entries_dir) == before


def test_broken_rows_are_reported_by_row_and_nothing_is_written(
    entries_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet_path = tmp_path / "kb.xlsx"
    assert main(["kb", "export", str(sheet_path)]) == 0
    book = load_workbook(sheet_path)
    sheet = book.active
    category_row = find_row(sheet, "debt-bondage", "ka")
    answer_row = find_row(sheet, "poland-programme", "en")
    edited_row = find_row(sheet, "check-agency", "en")
    for lang_row in (category_row, category_row + 1):  # both language rows agree
        sheet.cell(lang_row, COLUMNS.index("category") + 1).value = "weather"
    sheet.cell(answer_row, COLUMNS.index("answer") + 1).value = None
    sheet.cell(edited_row, COLUMNS.index("answer") + 1).value = "A valid new answer in English."
    book.save(sheet_path)
    before = snapshot(entries_dir)
    capsys.readouterr()

    assert main(["kb", "import", str(sheet_path)]) == 1

    err = capsys.readouterr().err
    assert f"row {category_row} (debt-bondage, ka): category: 'weather' must be one of" in err
    assert f"row {answer_row} (poland-programme, en): en.answer: must be a non-empty text" in err
    assert "no file was changed" in err
    assert snapshot(entries_dir) == before  # the valid edit was not written either


def test_language_rows_must_agree_on_entry_fields(
    entries_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet_path = tmp_path / "kb.csv"
    assert main(["kb", "export", str(sheet_path)]) == 0
    with sheet_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    en_row = next(i for i, r in enumerate(rows) if r["id"] == "remittances" and r["lang"] == "en")
    rows[en_row]["urgent"] = "true"
    with sheet_path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    capsys.readouterr()

    assert main(["kb", "import", str(sheet_path)]) == 1
    assert (
        f"row {en_row + 2} (remittances, en): urgent: differs from row" in capsys.readouterr().err
    )


def test_compare_names_changed_fields() -> None:
    entries = load_entries(PROJECT_ENTRIES)
    old = rows_by_id(entries)
    new = {key: dict(row) for key, row in old.items() if key != "remittances"}
    new["check-agency"]["category"] = "risks"
    new["check-agency"]["ka_phrasings"] = '["ახალი ფრაზა"]'
    new["brand-new"] = dict(old["remittances"], id="brand-new")

    diff = compare(old, new)

    assert diff.added == ["brand-new"]
    assert diff.removed == ["remittances"]
    [change] = diff.changed
    assert change.id == "check-agency"
    assert [f.field for f in change.fields] == ["category", "ka.phrasings"]
    assert change.fields[0].summary == "legal-work -> risks"


def test_kb_diff_against_the_served_index(
    base_settings: Settings,
    pipeline: Pipeline,
    entries_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("MIGBOT_DATA_DIR", str(base_settings.data_dir))
    (entries_dir / "remittances.yml").unlink()
    text = (entries_dir / "check-agency.yml").read_text(encoding="utf-8")
    (entries_dir / "check-agency.yml").write_text(
        text.replace("category: legal-work", "category: help"), encoding="utf-8"
    )
    (entries_dir / "new-topic.yml").write_text(
        (entries_dir / "return-home.yml")
        .read_text(encoding="utf-8")
        .replace("id: return-home", "id: new-topic"),
        encoding="utf-8",
    )

    assert main(["kb", "diff"]) == 0

    out = capsys.readouterr().out
    assert "  + new-topic" in out
    assert "  - remittances" in out
    assert "  ~ check-agency\n      category: legal-work -> help" in out
