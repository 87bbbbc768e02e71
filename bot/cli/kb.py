"""`migbot kb validate | build | stale | diff | export | import`: the knowledge base's files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.config import Settings
from knowledge_base.entries import InvalidEntry


def add_commands(kb_commands: argparse._SubParsersAction) -> None:
    kb_commands.add_parser("validate", help="check every entry file").set_defaults(
        handler=cmd_validate
    )
    build = kb_commands.add_parser("build", help="validate and build the index")
    build.add_argument(
        "--if-needed",
        action="store_true",
        help="only when the entries, the model or the index format changed",
    )
    build.set_defaults(handler=cmd_build)
    kb_commands.add_parser("stale", help="entries due for review").set_defaults(handler=cmd_stale)
    diff = kb_commands.add_parser("diff", help="what changed in the entry files since the build")
    diff.add_argument("--details", action="store_true", help="show the changed lines too")
    diff.set_defaults(handler=cmd_diff)
    export = kb_commands.add_parser("export", help="write the entries to a spreadsheet")
    export.add_argument("file", type=Path, help="a .xlsx or .csv file name")
    export.set_defaults(handler=cmd_export)
    import_ = kb_commands.add_parser("import", help="update the entry files from a spreadsheet")
    import_.add_argument("file", type=Path, help="a .xlsx or .csv file")
    import_.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    import_.set_defaults(handler=cmd_import)


def report_invalid(error: InvalidEntry, consequence: str) -> int:
    """Every problem of the entry files on stderr, then what that means; exit status 1."""
    for problem in error.problems:
        print(f"error: {problem}", file=sys.stderr)
    print(f"{len(error.problems)} problem(s); {consequence}", file=sys.stderr)
    return 1


def cmd_validate(settings: Settings, args: argparse.Namespace) -> int:
    from knowledge_base.entries import load_entries

    try:
        entries = load_entries(settings.entries_dir)
    except InvalidEntry as error:
        return report_invalid(error, "nothing was changed.")
    print(f"{len(entries)} entries are valid.")
    return 0


def cmd_build(settings: Settings, args: argparse.Namespace) -> int:
    from bot.assemble import build_knowledge_base, index_is_current

    if args.if_needed and index_is_current(settings):
        return 0
    try:
        kb = build_knowledge_base(settings, progress=True)
    except InvalidEntry as error:
        return report_invalid(error, "the index in service was kept.")
    manifest = kb.manifest
    print(
        f"Built {manifest['entries']} entries ({manifest['passages']} passages) in {kb.build_dir}"
    )
    return 0


def cmd_stale(settings: Settings, args: argparse.Namespace) -> int:
    from knowledge_base.entries import load_entries, stale_entries

    try:
        entries = load_entries(settings.entries_dir)
    except InvalidEntry as error:
        return report_invalid(error, "run `migbot kb validate`.")
    stale = stale_entries(entries)
    for entry in stale:
        print(f"{entry.reviewed}  {entry.id}  (review by {entry.review_by})")
    print(
        f"{len(stale)} entr{'y' if len(stale) == 1 else 'ies'} due for review "
        "(review_by today or earlier)",
        file=sys.stderr,
    )
    return 0


def cmd_diff(settings: Settings, args: argparse.Namespace) -> int:
    from knowledge_base.diff import compare, file_rows, format_diff, served_manifest, served_rows

    served = served_rows(settings.index_dir)
    files, problems = file_rows(settings.entries_dir)
    if served is None:
        print(f"No index is in service yet: all {len(files)} entries are new.")
        print("Run `migbot kb build` to build it.")
        return 0
    manifest = served_manifest(settings.index_dir) or {}
    diff = compare(served, files)
    print(f"Entry files compared with the index in service (built {manifest.get('built_at')}):")
    print(format_diff(diff, details=args.details) if not diff.is_empty else "No entry changed.")
    for problem in problems:
        print(f"cannot read: {problem}")
    if not diff.is_empty:
        print("\nRun `migbot kb validate`, then `migbot kb build` to put the changes in service.")
    return 0


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.errors import UserError
    from knowledge_base.entries import load_entries
    from knowledge_base.spreadsheet import export_entries

    try:
        entries = load_entries(settings.entries_dir)
        rows = export_entries(entries, args.file)
    except InvalidEntry as error:
        return report_invalid(error, "fix the entry files first; nothing was written.")
    except ValueError as error:
        raise UserError(str(error)) from None
    print(f"Wrote {len(entries)} entries ({rows} rows, one per language) to {args.file}")
    return 0


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.errors import UserError
    from knowledge_base.diff import format_diff
    from knowledge_base.spreadsheet import import_spreadsheet

    try:
        result = import_spreadsheet(args.file, settings.entries_dir, dry_run=args.dry_run)
    except InvalidEntry as error:
        return report_invalid(error, "no file was changed.")
    except (ValueError, OSError) as error:
        raise UserError(str(error)) from None
    if result.diff.is_empty:
        print("The spreadsheet matches the entry files; nothing to change.")
        return 0
    print(format_diff(result.diff))
    if args.dry_run:
        print("\nDry run: no file was changed.")
        return 0
    print(f"\nWrote {len(result.written)} file(s) in {settings.entries_dir}.")
    if result.not_in_sheet:
        print(f"{len(result.not_in_sheet)} entries not in the spreadsheet were left as they are.")
    print("Run `migbot kb build` to put the changes in service.")
    return 0
