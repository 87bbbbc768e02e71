"""What differs between two sets of entries: the files and the index in service,
or the files and a spreadsheet about to be imported.

Both sides are compared as `index.entry_row` dicts (the shape of the `entries`
table in a build's kb.db), so "changed" means changed as the bot serves it:
re-indenting a file or re-quoting a phrase is not a change.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from knowledge_base.entries import parse_each
from knowledge_base.index import DATABASE, current_build, entry_row, read_manifest

Row = dict[str, object]
TEXT_FIELDS = ("question", "answer")


@dataclass(frozen=True)
class FieldChange:
    field: str  # as admins write it: "category", "en.answer", "ka.phrasings"
    summary: str  # one line: what happened to the field
    details: tuple[str, ...] = ()  # a line diff, for --details


@dataclass(frozen=True)
class EntryChange:
    id: str
    fields: tuple[FieldChange, ...]


@dataclass
class KbDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[EntryChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def rows_by_id(entries: list) -> dict[str, Row]:
    return {entry.id: entry_row(entry) for entry in entries}


def served_rows(index_dir: Path) -> dict[str, Row] | None:
    """The entries of the index in service, or None when nothing is served yet."""
    build = current_build(index_dir)
    if build is None:
        return None
    db = sqlite_utils.Database(build / DATABASE)
    try:
        return {row["id"]: row for row in db["entries"].rows}
    finally:
        db.close()


def served_manifest(index_dir: Path) -> dict | None:
    build = current_build(index_dir)
    return read_manifest(build) if build else None


def file_rows(entries_dir: Path) -> tuple[dict[str, Row], list[str]]:
    """Every readable entry file as a row, and the problems of the unreadable ones.

    Files are read one by one (not with load_entries) so that one broken file
    does not hide what changed in the others.
    """
    rows: dict[str, Row] = {}
    problems: list[str] = []
    for path, entry, entry_problems in parse_each(entries_dir):
        problems.extend(entry_problems)
        # A broken file is known to exist, its contents unknown: an empty row.
        rows[entry.id if entry else path.stem] = entry_row(entry) if entry else {}
    return rows, problems


def compare(old: dict[str, Row], new: dict[str, Row]) -> KbDiff:
    """Entries added, removed and changed from `old` to `new`.

    An empty row in `new` stands for an entry whose file cannot be read:
    it is neither removed nor compared.
    """
    diff = KbDiff()
    diff.added = sorted(set(new) - set(old))
    diff.removed = sorted(set(old) - set(new))
    for entry_id in sorted(set(old) & set(new)):
        if not new[entry_id]:
            continue
        fields = changed_fields(old[entry_id], new[entry_id])
        if fields:
            diff.changed.append(EntryChange(entry_id, tuple(fields)))
    return diff


def changed_fields(old: Row, new: Row) -> list[FieldChange]:
    changes = []
    for column in new:
        if column == "id" or _normal(old.get(column)) == _normal(new.get(column)):
            continue
        changes.append(_describe(column, old.get(column), new.get(column)))
    return changes


def format_diff(diff: KbDiff, details: bool = False) -> str:
    lines: list[str] = []
    if diff.added:
        lines.append(f"Added ({len(diff.added)}):")
        lines += [f"  + {entry_id}" for entry_id in diff.added]
    if diff.removed:
        lines.append(f"Removed ({len(diff.removed)}):")
        lines += [f"  - {entry_id}" for entry_id in diff.removed]
    if diff.changed:
        lines.append(f"Changed ({len(diff.changed)}):")
        for change in diff.changed:
            lines.append(f"  ~ {change.id}")
            for item in change.fields:
                lines.append(f"      {item.field}: {item.summary}")
                if details:
                    lines += [f"          {line}" for line in item.details]
    return "\n".join(lines)


def _column_label(column: str) -> str:
    """The column en_answer is the field en.answer in entry files and error messages."""
    lang, _, rest = column.partition("_")
    return f"{lang}.{rest}" if rest else column


def _normal(value: object) -> object:
    """JSON columns compare by content, booleans as 0/1."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    if isinstance(value, bool):
        return int(value)
    return value


def _describe(column: str, old: object, new: object) -> FieldChange:
    label = _column_label(column)
    old_value, new_value = _normal(old), _normal(new)
    if column.endswith("_phrasings"):
        before = set(old_value or [])  # type: ignore[call-overload]
        after = set(new_value or [])  # type: ignore[call-overload]
        added, removed = sorted(after - before), sorted(before - after)
        summary = f"{len(added)} added, {len(removed)} removed"
        if not added and not removed:
            summary = "reordered"
        lines = [f"+ {p}" for p in added] + [f"- {p}" for p in removed]
        return FieldChange(label, summary, tuple(lines))
    if column == "sources":
        before_sources: list = list(old_value or [])  # type: ignore[call-overload]
        after_sources: list = list(new_value or [])  # type: ignore[call-overload]
        lines = [f"- {s.get('title')}" for s in before_sources if s not in after_sources]
        lines += [f"+ {s.get('title')}" for s in after_sources if s not in before_sources]
        return FieldChange(label, f"now {len(after_sources)} source(s)", tuple(lines))
    if column.endswith(TEXT_FIELDS):
        old_lines = str(old_value or "").splitlines()
        new_lines = str(new_value or "").splitlines()
        lines = [
            line
            for line in difflib.unified_diff(old_lines, new_lines, lineterm="", n=0)
            if not line.startswith(("---", "+++", "@@"))
        ]
        summary = f"text changed ({len(str(old_value or ''))} -> {len(str(new_value or ''))} chars)"
        return FieldChange(label, summary, tuple(lines))
    return FieldChange(label, f"{_show(old_value)} -> {_show(new_value)}")


def _show(value: object) -> str:
    if value is None:  # a field the older side (an older index) does not have
        return "(not set)"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if value in (0, 1) and not isinstance(value, float):
        return "true" if value else "false"
    return str(value)
