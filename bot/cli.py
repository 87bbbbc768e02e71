"""The `migbot` command line."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings, load_settings

if TYPE_CHECKING:
    from bot.pipeline import Pipeline


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL at INFO, and Telegram URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = load_settings(Path(args.config) if args.config else None)
    return int(args.handler(settings, args) or 0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="migbot", description=__doc__)
    parser.add_argument("--config", help="path to config.yml (default: the project's)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run the Telegram bot (local chat without a token)")
    run.set_defaults(handler=cmd_run)

    chat = commands.add_parser("chat", help="talk to the bot in this terminal")
    chat.add_argument("--no-rasa", action="store_true", help="retrieval only")
    chat.set_defaults(handler=cmd_chat)

    ask = commands.add_parser("ask", help="answer one question (or one per line of stdin)")
    ask.add_argument("text", nargs="?", help="the question; omit to read lines from stdin")
    ask.add_argument("--json", action="store_true", help="print JSON objects")
    ask.add_argument("--no-rasa", action="store_true", help="retrieval only")
    ask.set_defaults(handler=cmd_ask)

    evaluate = commands.add_parser("eval", help="score the pipeline on a labelled JSONL file")
    evaluate.add_argument("file", type=Path)
    evaluate.add_argument("--no-rasa", action="store_true", help="retrieval only")
    evaluate.add_argument("--misses", action="store_true", help="list the wrong answers")
    evaluate.add_argument("--json", action="store_true", help="print the result as JSON")
    evaluate.add_argument(
        "--thresholds", help="comma-separated answer thresholds to compare, e.g. 0.1,0.2,0.3"
    )
    evaluate.set_defaults(handler=cmd_eval)

    kb = commands.add_parser("kb", help="knowledge-base administration")
    kb_commands = kb.add_subparsers(dest="kb_command", required=True)
    kb_commands.add_parser("validate", help="check every entry file").set_defaults(
        handler=cmd_kb_validate
    )
    kb_build = kb_commands.add_parser("build", help="validate and build the index")
    kb_build.add_argument(
        "--if-needed", action="store_true", help="only when the entries or the model changed"
    )
    kb_build.set_defaults(handler=cmd_kb_build)
    kb_commands.add_parser("stale", help="entries due for review").set_defaults(
        handler=cmd_kb_stale
    )
    add_kb_admin_commands(kb_commands)
    add_datasette_command(commands)

    nlu = commands.add_parser("nlu", help="the Rasa NLU model and server")
    nlu_commands = nlu.add_subparsers(dest="nlu_command", required=True)
    nlu_commands.add_parser("train", help="train the NLU model if the data changed").set_defaults(
        handler=cmd_nlu_train
    )
    nlu_test = nlu_commands.add_parser("test", help="held-out and cross-validation reports")
    nlu_test.add_argument("--folds", type=int, default=0, help="cross-validation folds (0: skip)")
    nlu_test.set_defaults(handler=cmd_nlu_test)
    nlu_commands.add_parser("serve", help="start the Rasa server (if not running)").set_defaults(
        handler=cmd_nlu_serve
    )
    nlu_commands.add_parser("stop", help="stop the Rasa server migbot started").set_defaults(
        handler=cmd_nlu_stop
    )

    # job-offer check: one self-contained block (bot/tools/offer_check.py)
    check_offer = commands.add_parser(
        "check-offer", help="list the warning signs in a job advert read from stdin"
    )
    check_offer.add_argument("--json", action="store_true", help='print {"lang","flags","reply"}')
    check_offer.add_argument("--lang", choices=("ka", "en"), help="reply language if unclear")
    check_offer.set_defaults(handler=cmd_check_offer)
    return parser


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        print("No TELEGRAM_BOT_TOKEN set: starting a local chat instead.", file=sys.stderr)
        return cmd_chat(settings, argparse.Namespace(no_rasa=False))
    from bot.telegram_app import run_telegram

    return run_telegram(settings, token)


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.local_chat import chat
    from bot.services import build_pipeline

    pipeline = build_pipeline(settings, with_rasa=not args.no_rasa)
    return chat(pipeline)


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services import build_pipeline

    pipeline = build_pipeline(settings, with_rasa=not args.no_rasa)
    questions = [args.text] if args.text is not None else (line.rstrip("\n") for line in sys.stdin)
    for question in questions:
        reply = pipeline.answer(question)
        if args.json:
            print(json.dumps(reply.to_json(), ensure_ascii=False), flush=True)
        else:
            print(reply.reply + "\n", flush=True)
    return 0


def cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    from bot.evaluation import evaluate, format_table, read_questions
    from bot.services import build_pipeline

    questions = read_questions(args.file)
    pipeline = build_pipeline(settings, with_rasa=not args.no_rasa)
    if args.thresholds:
        return sweep_thresholds(pipeline, questions, args.thresholds)
    result = evaluate(questions, pipeline.answer)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(format_table(result))
    if args.misses:
        print("\nmisses:")
        for miss in result["misses"]:
            print(json.dumps(miss, ensure_ascii=False))
    return 0


def sweep_thresholds(pipeline: Pipeline, questions: list[dict], thresholds: str) -> int:
    from bot.evaluation import evaluate

    print("| threshold | acc@1 en | acc@1 ka | acc@1 ka-latn | oos rejection | false answers |")
    print("|---|---|---|---|---|---|")
    original = pipeline.thresholds
    for value in (float(t) for t in thresholds.split(",")):
        pipeline.thresholds = dataclasses.replace(original, answer=value)
        groups = evaluate(questions, pipeline.answer)["groups"]
        cells = [groups.get(g, {}).get("accuracy@1") for g in ("en", "ka", "ka-latn")]
        cells += [groups["all"]["oos_rejection"], groups["all"]["false_answer_rate"]]
        print(f"| {value} | " + " | ".join(str(c) for c in cells) + " |")
    pipeline.thresholds = original
    return 0


def cmd_kb_validate(settings: Settings, args: argparse.Namespace) -> int:
    from knowledge_base.entries import InvalidEntry, load_entries

    try:
        entries = load_entries(settings.entries_dir)
    except InvalidEntry as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"{len(error.problems)} problem(s); nothing was changed.", file=sys.stderr)
        return 1
    print(f"{len(entries)} entries are valid.")
    return 0


def cmd_kb_build(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services import build_knowledge_base, index_is_current
    from knowledge_base.entries import InvalidEntry

    if args.if_needed and index_is_current(settings):
        return 0
    try:
        kb = build_knowledge_base(settings, progress=True)
    except InvalidEntry as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        print("The index in service was kept.", file=sys.stderr)
        return 1
    manifest = kb.manifest
    print(
        f"Built {manifest['entries']} entries ({manifest['passages']} passages) in {kb.build_dir}"
    )
    return 0


def cmd_kb_stale(settings: Settings, args: argparse.Namespace) -> int:
    import datetime as dt

    from knowledge_base.entries import load_entries

    limit = dt.date.today() - dt.timedelta(days=settings.knowledge_base.stale_after_days)
    stale = [e for e in load_entries(settings.entries_dir) if e.reviewed < limit]
    for entry in sorted(stale, key=lambda e: e.reviewed):
        print(f"{entry.reviewed}  {entry.id}")
    print(
        f"{len(stale)} entr{'y' if len(stale) == 1 else 'ies'} not reviewed in "
        f"{settings.knowledge_base.stale_after_days} days",
        file=sys.stderr,
    )
    return 0


def cmd_nlu_train(settings: Settings, args: argparse.Namespace) -> int:
    from bot.config import rasa_config, resolve
    from nlu.rasa_server import train

    model = train(
        resolve(settings.rasa.venv),
        rasa_config(),
        resolve(settings.rasa.model_dir),
        settings.data_dir / "rasa",
        log=print,
    )
    print(f"NLU model: {model}")
    return 0


def cmd_nlu_test(settings: Settings, args: argparse.Namespace) -> int:
    from bot.config import rasa_config, resolve
    from nlu.rasa_test import run_tests

    return run_tests(
        resolve(settings.rasa.venv),
        rasa_config(),
        resolve(settings.rasa.model_dir),
        settings.data_dir / "rasa",
        folds=args.folds,
    )


def cmd_nlu_serve(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services import rasa_client_for

    client = rasa_client_for(settings, start=True)
    if client is None:
        return 1
    print(f"Rasa NLU server: {client.url}")
    return 0


def cmd_nlu_stop(settings: Settings, args: argparse.Namespace) -> int:
    from nlu.rasa_server import stop_server

    stopped = stop_server(settings.data_dir / "rasa")
    print("stopped" if stopped else "no server started by migbot is running")
    return 0


def cmd_check_offer(settings: Settings, args: argparse.Namespace) -> int:
    from bot.tools.offer_check import check_offer

    text = sys.stdin.read()
    if not text.strip():
        print("error: paste the job advert on stdin", file=sys.stderr)
        return 2
    result = check_offer(text, lang_hint=args.lang)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        print(result.reply)
    return 0


# --- knowledge-base administration and analytics (docs/admin.md) ---------------------------


def add_kb_admin_commands(kb_commands: argparse._SubParsersAction) -> None:
    kb_diff = kb_commands.add_parser("diff", help="what changed in the entry files since the build")
    kb_diff.add_argument("--details", action="store_true", help="show the changed lines too")
    kb_diff.set_defaults(handler=cmd_kb_diff)
    kb_export = kb_commands.add_parser("export", help="write the entries to a spreadsheet")
    kb_export.add_argument("file", type=Path, help="a .xlsx or .csv file name")
    kb_export.set_defaults(handler=cmd_kb_export)
    kb_import = kb_commands.add_parser("import", help="update the entry files from a spreadsheet")
    kb_import.add_argument("file", type=Path, help="a .xlsx or .csv file")
    kb_import.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    kb_import.set_defaults(handler=cmd_kb_import)
    kb_gaps = kb_commands.add_parser("gaps", help="what people asked that the bot answered badly")
    kb_gaps.add_argument("--days", type=int, default=30, help="look back this many days (30)")
    kb_gaps.add_argument("--top", type=int, default=5, help="groups to show (5)")
    kb_gaps.add_argument("--chart", type=Path, help="also draw questions per day into this PNG")
    kb_gaps.add_argument(
        "--distance", type=float, default=None, help="grouping looseness, 0-2 (default 0.78)"
    )
    kb_gaps.set_defaults(handler=cmd_kb_gaps)


def add_datasette_command(commands: argparse._SubParsersAction) -> None:
    datasette = commands.add_parser(
        "datasette", help="browse the questions people asked, in a web browser (read-only)"
    )
    datasette.add_argument("--port", type=int, default=8001, help="port on 127.0.0.1 (8001)")
    datasette.set_defaults(handler=cmd_datasette)


def cmd_kb_diff(settings: Settings, args: argparse.Namespace) -> int:
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


def cmd_kb_export(settings: Settings, args: argparse.Namespace) -> int:
    from knowledge_base.entries import InvalidEntry, load_entries
    from knowledge_base.spreadsheet import export_entries

    try:
        entries = load_entries(settings.entries_dir)
        rows = export_entries(entries, args.file)
    except InvalidEntry as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(
            "Fix the entry files first (migbot kb validate); nothing was written.", file=sys.stderr
        )
        return 1
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Wrote {len(entries)} entries ({rows} rows, one per language) to {args.file}")
    return 0


def cmd_kb_import(settings: Settings, args: argparse.Namespace) -> int:
    from knowledge_base.diff import format_diff
    from knowledge_base.entries import InvalidEntry
    from knowledge_base.spreadsheet import import_spreadsheet

    try:
        result = import_spreadsheet(args.file, settings.entries_dir, dry_run=args.dry_run)
    except InvalidEntry as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"{len(error.problems)} problem(s); no file was changed.", file=sys.stderr)
        return 1
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
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


def cmd_kb_gaps(settings: Settings, args: argparse.Namespace) -> int:
    from bot import analytics

    try:
        questions = analytics.gap_questions(settings.database_path, args.days)
        disliked = analytics.disliked_entries(settings.database_path, args.days)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    clusters = []
    if questions:
        from bot.services import embedder_for
        from nlu.georgian import understand

        embedder = embedder_for(settings)
        clusters = analytics.cluster_questions(
            questions,
            embedder.encode_queries,
            analytics.language_means_from_index(settings.index_dir, embedder.model_name),
            distance=args.distance or analytics.DEFAULT_DISTANCE,
            prepare=lambda text: understand(text).text or text,
        )
    print(analytics.format_gaps(clusters, disliked, args.days, top=args.top))
    if args.chart:
        counts = analytics.daily_counts(settings.database_path, args.days)
        analytics.plot_daily(counts, args.chart, args.days)
        print(f"\nChart of questions per day: {args.chart}")
    return 0


def cmd_datasette(settings: Settings, args: argparse.Namespace) -> int:
    import signal
    import subprocess

    from bot import analytics

    if not settings.database_path.exists():
        print(f"error: no conversation database at {settings.database_path} yet", file=sys.stderr)
        return 1
    snapshot = settings.data_dir / "analytics.db"
    copied = analytics.write_snapshot(
        settings.database_path, snapshot, settings.privacy.retention_days
    )
    metadata = Path(__file__).with_name("datasette_metadata.yml")
    command = [
        sys.executable, "-m", "datasette", "serve", "-i", str(snapshot),
        "--metadata", str(metadata), "--host", "127.0.0.1", "--port", str(args.port),
        "--setting", "allow_download", "off",
    ]  # fmt: skip
    print(f"Snapshot of {sum(copied.values())} rows; open http://127.0.0.1:{args.port}/analytics")
    print("Press Ctrl+C to stop.", flush=True)
    # SIGTERM ends this process the way Ctrl+C does, so the snapshot is always removed.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    server = subprocess.Popen(command)
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        server.wait(timeout=10)
        return 0
    finally:
        snapshot.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
