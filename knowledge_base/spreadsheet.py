"""The knowledge base as a spreadsheet (XLSX or CSV), and back into entry files.

One row per entry and language. Entry-wide fields (category, urgent,
reviewed, review_by, time_sensitive, countries, related, sources) appear on
both language rows and must agree. In the sources cell each source is one line
"title | file or web address | date", and a source's Georgian title (title_ka)
is the line under it, starting "ka: ", then the reviewer's note, starting "note: ".
Import checks every row with the rules of `migbot kb validate` and writes
nothing unless every row is valid; then only the entries that changed are
rewritten, in the same YAML layout as the hand-written files.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from knowledge_base.diff import KbDiff, compare, rows_by_id
from knowledge_base.entries import (
    LANGUAGES,
    Entry,
    InvalidEntry,
    Source,
    check_collection,
    entry_from_dict,
    parse_each,
)

COLUMNS = (
    "id",
    "lang",
    "category",
    "urgent",
    "reviewed",
    "review_by",
    "time_sensitive",
    "countries",
    "related",
    "sources",
    "question",
    "phrasings",
    "answer",
)
ENTRY_WIDE = (
    "category", "urgent", "reviewed", "review_by", "time_sensitive", "countries", "related",
    "sources",
)  # fmt: skip
DATE_COLUMNS = ("reviewed", "review_by")
BOOLEAN_COLUMNS = ("urgent", "time_sensitive")
SOURCE_SEPARATOR = " | "
TITLE_KA_PREFIX = "ka:"
NOTE_PREFIX = "note:"
TRUE_WORDS = {"true", "yes", "y", "1", "კი", "დიახ"}
FALSE_WORDS = {"false", "no", "n", "0", "", "არა"}
COLUMN_WIDTHS = {
    "question": 45, "phrasings": 50, "answer": 80, "sources": 50, "related": 30, "countries": 12,
}  # fmt: skip


# ----------------------------------------------------------------------------- export


def entry_rows(entry: Entry) -> list[dict[str, Any]]:
    """The spreadsheet rows of one entry, Georgian first."""
    rows = []
    for lang in LANGUAGES:
        text = entry.texts[lang]
        rows.append(
            {
                "id": entry.id,
                "lang": lang,
                "category": entry.category,
                "urgent": entry.urgent,
                "reviewed": entry.reviewed,
                "review_by": entry.review_by,
                "time_sensitive": entry.time_sensitive,
                "countries": ", ".join(entry.countries),
                "related": ", ".join(entry.related),
                "sources": "\n".join(_source_line(s) for s in entry.sources),
                "question": text.question,
                "phrasings": "\n".join(text.phrasings),
                "answer": text.answer,
            }
        )
    return rows


def export_entries(entries: list[Entry], path: Path) -> int:
    """Write the spreadsheet; returns the number of rows written."""
    rows = [row for entry in sorted(entries, key=lambda e: e.id) for row in entry_rows(entry)]
    kind = spreadsheet_kind(path)
    if kind == "xlsx":
        _write_xlsx(rows, path)
    else:
        _write_csv(rows, path)
    return len(rows)


def spreadsheet_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".csv":
        return "csv"
    raise ValueError(f"{path.name}: use a .xlsx or .csv file name")


def _source_line(source: Source) -> str:
    line = SOURCE_SEPARATOR.join((source.title, source.url or source.file, source.date))
    if source.title_ka:
        line += f"\n{TITLE_KA_PREFIX} {source.title_ka}"
    if source.note:
        line += f"\n{NOTE_PREFIX} {source.note}"
    return line


def _write_xlsx(rows: list[dict[str, Any]], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "entries"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([row[column] for column in COLUMNS])
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
        for column in DATE_COLUMNS:
            sheet.cell(sheet.max_row, COLUMNS.index(column) + 1).number_format = "yyyy-mm-dd"
    for number, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(1, number).column_letter
        sheet.column_dimensions[letter].width = COLUMN_WIDTHS.get(column, 14)
    sheet.freeze_panes = "C2"  # id and lang stay visible while scrolling
    sheet.auto_filter.ref = sheet.dimensions
    book.save(path)


def _write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    # The byte-order mark makes Excel read the file as UTF-8 (Georgian letters).
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    **row,
                    **{column: "true" if row[column] else "false" for column in BOOLEAN_COLUMNS},
                    **{column: row[column].isoformat() for column in DATE_COLUMNS},
                }
            )


# ----------------------------------------------------------------------------- import


@dataclass
class SheetRow:
    number: int  # as the spreadsheet shows it: the header is row 1
    cells: dict[str, Any]

    @property
    def id(self) -> str:
        return _text(self.cells.get("id"))

    @property
    def lang(self) -> str:
        return _text(self.cells.get("lang")).lower()

    def where(self) -> str:
        return f"row {self.number} ({self.id or '?'}, {self.lang or '?'})"


@dataclass
class ImportResult:
    diff: KbDiff
    written: list[Path] = field(default_factory=list)
    not_in_sheet: list[str] = field(default_factory=list)  # entries left as they are


def read_sheet(path: Path) -> list[SheetRow]:
    """The non-empty rows of the first sheet (or the CSV file)."""
    if spreadsheet_kind(path) == "xlsx":
        table = _read_xlsx(path)
    else:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            table = list(csv.reader(handle))
    if not table:
        raise InvalidEntry([f"{path.name}: the spreadsheet is empty"])
    header = [_text(name).lower() for name in table[0]]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise InvalidEntry(
            [f"{path.name}: row 1: missing column(s) {', '.join(missing)} (keep the header row)"]
        )
    rows = []
    for number, values in enumerate(table[1:], start=2):
        cells = {name: value for name, value in zip(header, values, strict=False) if name}
        if any(_text(cells.get(column)) for column in COLUMNS):
            rows.append(SheetRow(number, cells))
    return rows


def _read_xlsx(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def entries_from_rows(rows: list[SheetRow]) -> tuple[list[Entry], list[str]]:
    """Entries built from the rows, and every problem as "row N (id, lang): field: ..."."""
    problems: list[str] = []
    groups: dict[str, dict[str, SheetRow]] = {}
    for row in rows:
        if not row.id:
            problems.append(f"{row.where()}: id: missing")
        elif row.lang not in LANGUAGES:
            problems.append(f"{row.where()}: lang: must be one of {', '.join(LANGUAGES)}")
        elif row.lang in groups.get(row.id, {}):
            first = groups[row.id][row.lang]
            problems.append(f"{row.where()}: id: the same entry and language as row {first.number}")
        else:
            groups.setdefault(row.id, {})[row.lang] = row
    entries = []
    for entry_id, by_lang in groups.items():
        raw, raw_problems = _raw_entry(entry_id, by_lang)
        problems.extend(raw_problems)
        try:
            entries.append(entry_from_dict(raw, Path(f"{entry_id}.yml")))
        except InvalidEntry as error:
            problems.extend(_locate(problem, groups) for problem in error.problems)
    return entries, problems


def _raw_entry(entry_id: str, by_lang: dict[str, SheetRow]) -> tuple[dict[str, Any], list[str]]:
    """The entry as its YAML file would hold it; entry-wide cells must agree."""
    problems: list[str] = []
    ordered = [by_lang[lang] for lang in LANGUAGES if lang in by_lang]
    first = ordered[0]
    raw: dict[str, Any] = {"id": entry_id}
    for column in ENTRY_WIDE:
        value, problem = _cell_value(column, first.cells.get(column))
        if problem:
            problems.append(f"{first.where()}: {column}: {problem}")
        raw[column] = value
        for other in ordered[1:]:
            other_value, _ = _cell_value(column, other.cells.get(column))
            if other_value != value:
                problems.append(
                    f"{other.where()}: {column}: differs from row {first.number} "
                    f"({_text(other.cells.get(column))!r} vs {_text(first.cells.get(column))!r}); "
                    "it is the same for both languages"
                )
    for lang, row in by_lang.items():
        raw[lang] = {
            "question": _text(row.cells.get("question")),
            "phrasings": _lines(row.cells.get("phrasings")),
            "answer": _multiline(row.cells.get("answer")),
        }
    return raw, problems


def _cell_value(column: str, value: Any) -> tuple[Any, str]:
    """A cell as the YAML value entry_from_dict expects, and a problem if unreadable."""
    if column in BOOLEAN_COLUMNS:
        if isinstance(value, bool):
            return value, ""
        word = _text(value).lower()
        if word in TRUE_WORDS:
            return True, ""
        if word in FALSE_WORDS:
            return False, ""
        return word, ""  # entry_from_dict explains what is allowed
    if column in DATE_COLUMNS:
        if isinstance(value, dt.datetime):
            return value.date(), ""
        return (value if isinstance(value, dt.date) else _text(value)), ""
    if column in ("related", "countries"):
        return [part for part in re.split(r"[,;\s]+", _text(value)) if part], ""
    if column == "sources":
        return _parse_source_lines(_lines(value))
    return _text(value), ""


def _parse_source_lines(lines: list[str]) -> tuple[list[dict[str, str]], str]:
    sources: list[dict[str, str]] = []
    for number, line in enumerate(lines, start=1):
        if line.startswith(TITLE_KA_PREFIX):
            if not sources:
                return sources, f"line {number}: a 'ka:' line goes under the source it names"
            sources[-1]["title_ka"] = line.removeprefix(TITLE_KA_PREFIX).strip()
            continue
        if line.startswith(NOTE_PREFIX):
            if not sources:
                return sources, f"line {number}: a 'note:' line goes under the source it names"
            sources[-1]["note"] = line.removeprefix(NOTE_PREFIX).strip()
            continue
        parts = [part.strip() for part in line.rsplit("|", 2)]
        if len(parts) != 3:
            return sources, (
                f"line {number} must read 'title | file or web address | date', got {line!r}"
            )
        title, location, date = parts
        where = "url" if re.match(r"(?:https?://|www\.)", location) else "file"
        sources.append({"title": title, where: location, "date": date})
    return sources, ""


def _locate(problem: str, groups: dict[str, dict[str, SheetRow]]) -> str:
    """Turn "x.yml: en.answer: ..." into "row 7 (x, en): en.answer: ..."."""
    name, _, rest = problem.partition(": ")
    entry_id = name.removesuffix(".yml")
    by_lang = groups.get(entry_id)
    if not by_lang or not rest:
        return problem
    field_name = rest.partition(": ")[0]
    lang = field_name.split(".")[0].split("[")[0]
    row = by_lang.get(lang) or next(iter(by_lang[lang] for lang in LANGUAGES if lang in by_lang))
    return f"{row.where()}: {rest}"


def import_spreadsheet(path: Path, entries_dir: Path, dry_run: bool = False) -> ImportResult:
    """Validate the whole sheet, then rewrite the entry files that changed.

    Raises InvalidEntry (every problem, nothing written) if any row is bad.
    Entries missing from the sheet are left as they are: deleting an entry
    is deleting its file, a deliberate act.
    """
    rows = read_sheet(path)
    sheet_entries, problems = entries_from_rows(rows)
    groups: dict[str, dict[str, SheetRow]] = {}
    for row in rows:
        groups.setdefault(row.id, {}).setdefault(row.lang, row)
    on_disk, disk_problems = _entries_on_disk(entries_dir)
    sheet_ids = {entry.id for entry in sheet_entries}
    untouched = [entry for entry_id, entry in on_disk.items() if entry_id not in sheet_ids]
    # A broken file is only a problem if the sheet does not replace it.
    problems += [p for p in disk_problems if p.partition(".y")[0] not in sheet_ids]
    problems += [_locate(p, groups) for p in check_collection(sheet_entries + untouched)]
    if problems:
        raise InvalidEntry(problems)
    before = rows_by_id([on_disk[i] for i in sorted(sheet_ids) if i in on_disk])
    diff = compare(before, rows_by_id(sheet_entries))
    changed_ids = set(diff.added) | {change.id for change in diff.changed}
    planned = []
    for entry in sheet_entries:
        if entry.id in changed_ids:
            existing = on_disk.get(entry.id)
            target = (
                existing.path if existing and existing.path else entries_dir / f"{entry.id}.yml"
            )
            planned.append((target, entry_to_yaml(entry)))
    for target, text in planned:
        _check_round_trip(target, text)
    result = ImportResult(diff, not_in_sheet=sorted(e.id for e in untouched))
    if not dry_run:
        for target, text in planned:
            _write_atomically(target, text)
            result.written.append(target)
    return result


def _entries_on_disk(entries_dir: Path) -> tuple[dict[str, Entry], list[str]]:
    entries: dict[str, Entry] = {}
    problems: list[str] = []
    for _, entry, entry_problems in parse_each(entries_dir):
        problems.extend(entry_problems)
        if entry:
            entries[entry.id] = entry
    return entries, problems


def _check_round_trip(target: Path, text: str) -> None:
    """The file about to be written must read back as valid: a last safety net."""
    entry_from_dict(yaml.safe_load(text), target)


def _write_atomically(target: Path, text: str) -> None:
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, target)


# ----------------------------------------------------------------------------- YAML


class _Quoted(str):
    """Written in double quotes, as the hand-written files do for texts."""


class _Block(str):
    """Written as a literal block (`answer: |`), one paragraph per line."""


class _Flow(list):
    """Written on one line: `related: [a, b]`."""


class _EntryDumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Lists indented under their key, as people write them.
        return super().increase_indent(flow, False)


_EntryDumper.add_representer(
    _Quoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style='"')
)
_EntryDumper.add_representer(
    _Block, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style="|")
)
_EntryDumper.add_representer(
    _Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
)


def entry_to_yaml(entry: Entry) -> str:
    """The entry file's text, in the layout of knowledge_base/README.md."""
    data: dict[str, Any] = {
        "id": entry.id,
        "category": entry.category,
        "urgent": entry.urgent,
        "reviewed": entry.reviewed,
        "review_by": entry.review_by,
        "time_sensitive": entry.time_sensitive,
    }
    if entry.countries:
        data["countries"] = _Flow(entry.countries)
    if entry.related:
        data["related"] = _Flow(entry.related)
    data["sources"] = [_source_mapping(source) for source in entry.sources]
    for lang in LANGUAGES:
        text = entry.texts[lang]
        data[lang] = {
            "question": _Quoted(text.question),
            "phrasings": [_Quoted(p) for p in text.phrasings],
            "answer": _Block(_block_text(text.answer)),
        }
    return yaml.dump(
        data,
        Dumper=_EntryDumper,
        allow_unicode=True,
        sort_keys=False,
        width=1_000_000,  # never fold a long line: diffs stay one line per change
        default_flow_style=False,
    )


def _source_mapping(source: Source) -> dict[str, Any]:
    mapping: dict[str, Any] = {"title": _Quoted(source.title)}
    if source.title_ka:
        mapping["title_ka"] = _Quoted(source.title_ka)
    if source.file:
        mapping["file"] = source.file
    if source.url:
        mapping["url"] = source.url
    mapping["date"] = _source_date(source.date)
    if source.note:
        mapping["note"] = _Quoted(source.note)
    return mapping


def _source_date(value: str) -> Any:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    return value if re.fullmatch(r"[a-z]+", value) else _Quoted(value)


def _block_text(answer: str) -> str:
    # A literal block cannot hold trailing spaces or tabs; they carry no meaning here.
    lines = [line.rstrip().replace("\t", "    ") for line in answer.splitlines()]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- cells


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _lines(value: Any) -> list[str]:
    return [line.strip() for line in _text(value).split("\n") if line.strip()]


def _multiline(value: Any) -> str:
    return "\n".join(line.rstrip() for line in _text(value).split("\n")).strip()
