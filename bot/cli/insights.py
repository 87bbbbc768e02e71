"""`migbot kb gaps` and `migbot datasette`: what people asked, for admins."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.errors import UserError
from bot.config import Settings


def add_kb_commands(kb_commands: argparse._SubParsersAction) -> None:
    gaps = kb_commands.add_parser("gaps", help="what people asked that the bot answered badly")
    gaps.add_argument("--days", type=int, default=30, help="look back this many days (30)")
    gaps.add_argument("--top", type=int, default=5, help="groups to show (5)")
    gaps.add_argument("--chart", type=Path, help="also draw questions per day into this PNG")
    gaps.add_argument(
        "--distance",
        type=float,
        default=None,
        help="grouping looseness, 0-2 (default: insights.group_distance)",
    )
    gaps.set_defaults(handler=cmd_gaps)


def add_commands(commands: argparse._SubParsersAction) -> None:
    datasette = commands.add_parser(
        "datasette", help="browse the questions people asked, in a web browser (read-only)"
    )
    datasette.add_argument("--port", type=int, default=8001, help="port on 127.0.0.1 (8001)")
    datasette.set_defaults(handler=cmd_datasette)


def cmd_gaps(settings: Settings, args: argparse.Namespace) -> int:
    from bot.assemble import embedder_for
    from bot.insights import chart, gaps
    from bot.store import reports
    from knowledge_base.index import question_means
    from nlu.georgian import understand

    database = settings.database_path
    questions = reports.gap_questions(database, args.days, settings.insights.unsure_below)
    disliked = reports.disliked_entries(database, args.days)
    clusters = []
    if questions:
        embedder = embedder_for(settings)
        clusters = gaps.cluster_questions(
            questions,
            embedder.encode_queries,
            question_means(settings.index_dir, embedder.model_name),
            distance=args.distance or settings.insights.group_distance,
            prepare=lambda text: understand(text).text or text,
        )
    print(gaps.format_gaps(clusters, disliked, args.days, top=args.top))
    if args.chart:
        if not args.chart.parent.is_dir():
            raise UserError(f"no folder {args.chart.parent} for the chart")
        chart.plot_daily(reports.daily_counts(database, args.days), args.chart, args.days)
        print(f"\nChart of questions per day: {args.chart}")
    return 0


def cmd_datasette(settings: Settings, args: argparse.Namespace) -> int:
    from bot.insights.datasette import PortInUse, serve

    try:
        return serve(
            settings.database_path, settings.data_dir, settings.privacy.retention_days, args.port
        )
    except PortInUse as error:
        raise UserError(str(error)) from None
