"""`migbot stay` and `migbot check-offer`: what the bot computes for a person (bot.tools)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys

from bot.cli.errors import UserError
from bot.config import Settings

_DATE = r"(\d{1,2}\.\d{1,2}\.\d{4})"
_TRIP = re.compile(_DATE + "-" + _DATE + "?")


def add_commands(commands: argparse._SubParsersAction) -> None:
    stay = commands.add_parser(
        "stay",
        help="count days of stay under the Schengen 90/180-day rule (JSON)",
        description="Trips are DD.MM.YYYY-DD.MM.YYYY, or DD.MM.YYYY- while still inside. "
        "Prints JSON: on, days_used, days_left, overstay_days, last_legal_day, next_full_stay.",
    )
    stay.add_argument("--on", metavar="YYYY-MM-DD", help="the day of the check (default: today)")
    stay.add_argument(
        "--plan", metavar="DAYS", help="next_full_stay: earliest start of a stay this long (90)"
    )
    stay.add_argument(
        "trips", nargs="*", metavar="TRIP", help="DD.MM.YYYY-DD.MM.YYYY or DD.MM.YYYY-"
    )
    stay.set_defaults(handler=cmd_stay)

    check_offer = commands.add_parser(
        "check-offer", help="list the warning signs in a job advert read from stdin"
    )
    check_offer.add_argument("--json", action="store_true", help='print {"lang","flags","reply"}')
    check_offer.add_argument("--lang", choices=("ka", "en"), help="reply language if unclear")
    check_offer.set_defaults(handler=cmd_check_offer)


def _day(text: str, trip: str) -> dt.date:
    d, m, y = (int(part) for part in text.split("."))
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise UserError(f"trip {trip}: {text} is not a date") from None


def trip_of(text: str) -> object:
    """One TRIP argument as a bot.tools.schengen.Trip; UserError names it when malformed."""
    from bot.tools.schengen import Trip

    match = _TRIP.fullmatch(text.strip())
    if match is None:
        raise UserError(f"trip {text}: write DD.MM.YYYY-DD.MM.YYYY, or DD.MM.YYYY- if still inside")
    exit_day = _day(match.group(2), text) if match.group(2) else None
    return Trip(_day(match.group(1), text), exit_day)


def cmd_stay(settings: Settings, args: argparse.Namespace) -> int:
    from bot.tools.schengen import MAX_STAY, TripError, report

    today = dt.date.today()
    try:
        on = dt.date.fromisoformat(args.on) if args.on else today
    except ValueError:
        raise UserError(f"--on {args.on}: write the date as YYYY-MM-DD") from None
    plan = MAX_STAY
    if args.plan is not None:
        if not args.plan.isdigit() or not 1 <= int(args.plan) <= MAX_STAY:
            raise UserError(f"--plan {args.plan}: a stay of 1 to {MAX_STAY} days")
        plan = int(args.plan)
    trips = [trip_of(text) for text in args.trips]
    try:
        result = report(trips, on, plan=plan, today=today)
    except TripError as error:
        raise UserError(str(error)) from None
    print(json.dumps(result.to_json()))
    return 0


def cmd_check_offer(settings: Settings, args: argparse.Namespace) -> int:
    from bot.tools.offer_check import check_offer

    text = sys.stdin.read()
    if not text.strip():
        raise UserError("paste the job advert on stdin")
    result = check_offer(text, lang_hint=args.lang)
    print(json.dumps(result.to_json(), ensure_ascii=False) if args.json else result.reply)
    return 0
