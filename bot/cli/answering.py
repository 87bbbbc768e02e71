"""`migbot run | chat | ask | eval | gate`: the bot, and its pipeline from the terminal."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.errors import UserError
from bot.config import Settings

if TYPE_CHECKING:
    from bot.answering import Pipeline


def add_commands(commands: argparse._SubParsersAction) -> None:
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
        "--thresholds",
        type=thresholds_list,
        help="comma-separated answer thresholds to compare, e.g. 0.1,0.2,0.3",
    )
    evaluate.set_defaults(handler=cmd_eval)

    gate = commands.add_parser(
        "gate",
        help="score the question sets against the recorded quality floors (exit 1 if one breaks)",
        description="Run `eval` on every question set of the floors file with the whole "
        "pipeline (Rasa included when available) and exit 1 naming each broken floor.",
    )
    gate.add_argument(
        "--floors",
        type=Path,
        default=None,
        help="the floors file (default: the project's bench/quality_floors.yml); "
        "the question sets it names are relative to the project",
    )
    gate.add_argument("--no-rasa", action="store_true", help="without the Rasa NLU server")
    gate.set_defaults(handler=cmd_gate)


def thresholds_list(text: str) -> list[float]:
    """ "0.1,0.2" -> [0.1, 0.2]; argparse turns the ValueError into a usage error."""
    try:
        values = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not values or not all(0.0 <= v <= 1.0 for v in values):
        raise argparse.ArgumentTypeError(f"thresholds are numbers from 0 to 1: {text!r}")
    return values


def urgent_entries(pipeline: Pipeline) -> set[str]:
    """The ids of the served knowledge base's danger entries (`urgent: true`)."""
    return {entry_id for entry_id, entry in pipeline.kb.entries.items() if entry.urgent}


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.secrets.telegram_token:
        print("No TELEGRAM_BOT_TOKEN set: starting a local chat instead.", file=sys.stderr)
        return cmd_chat(settings, argparse.Namespace(no_rasa=False))
    from bot.assemble import run_telegram

    return run_telegram(settings)


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.assemble import build_pipeline
    from bot.cli.chat import chat

    return chat(build_pipeline(settings, with_rasa=not args.no_rasa))


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    from bot.assemble import build_pipeline

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
    from bot.answering.evaluation import (
        QuestionFileError,
        evaluate,
        format_sweep,
        format_table,
        read_questions,
    )
    from bot.assemble import build_pipeline

    try:
        questions = read_questions(args.file)
    except QuestionFileError as error:
        raise UserError(str(error)) from None
    pipeline = build_pipeline(settings, with_rasa=not args.no_rasa)
    urgent = urgent_entries(pipeline)
    if args.thresholds:
        original = pipeline.thresholds
        rows = []
        for value in args.thresholds:
            pipeline.thresholds = dataclasses.replace(original, answer=value)
            rows.append((value, evaluate(questions, pipeline.answer, urgent)))
        pipeline.thresholds = original
        print(format_sweep(rows))
        return 0
    result = evaluate(questions, pipeline.answer, urgent)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(format_table(result))
    if args.misses:
        print("\nmisses:")
        for miss in result["misses"]:
            print(json.dumps(miss, ensure_ascii=False))
    return 0


def cmd_gate(settings: Settings, args: argparse.Namespace) -> int:
    from bot.answering.evaluation import QuestionFileError
    from bot.answering.gate import FloorsFileError, format_report, read_floors, run_gate
    from bot.assemble import build_pipeline
    from bot.config import PROJECT_ROOT

    floors_path = args.floors or PROJECT_ROOT / "bench" / "quality_floors.yml"
    try:
        floors = read_floors(floors_path)
    except FloorsFileError as error:
        raise UserError(str(error)) from None
    pipeline = build_pipeline(settings, with_rasa=not args.no_rasa)
    try:
        outcomes = run_gate(floors, pipeline.answer, urgent_entries(pipeline), PROJECT_ROOT)
    except QuestionFileError as error:
        raise UserError(str(error)) from None
    print(format_report(outcomes, floors))
    return 1 if any(outcome.broken for outcome in outcomes) else 0
