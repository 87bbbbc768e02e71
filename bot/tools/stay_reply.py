"""The stay calculator's chat reply: trips typed as text -> what the bot says back.

Nothing is stored here: the caller decides whether the person asked the bot to remember
their trips (`remembered`), and /forget is the caller's. The clock is injected (`today`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.texts import say
from bot.tools.schengen import StayReport, Trip, TripError, report
from nlu.dates import MONTHS_KA, parse_trips

OVERSTAY_ENTRY = "overstay-consequences"
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


# Entries whose answers offer the calculator (a button), and answer a question that
# carries dates with it (bot.telegram.handlers.citizen).
OFFERED_WITH = frozenset(
    {"counting-days", "visa-free-rules", "overstay-consequences", "entry-exit-system"}
)


@dataclass(frozen=True)
class StayReply:
    """The reply text, the knowledge-base entries to offer with it, and what it rests on."""

    text: str
    related: list[str] = field(default_factory=list)  # entry ids, e.g. overstay-consequences
    trips: list[Trip] = field(default_factory=list)
    report: StayReport | None = None


def format_date(day: dt.date, lang: str) -> str:
    """ "3 მარტი 2026" / "3 March 2026"."""
    months = MONTHS_KA if lang == "ka" else _MONTHS_EN
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _format_trip(trip: Trip | None, lang: str) -> str:
    if trip is None:
        return ""
    end = format_date(trip.exit, lang) if trip.exit else say("stay_until_today", lang)
    return f"{format_date(trip.entry, lang)} – {end}"


def _days(n: int, lang: str) -> str:
    return say("stay_one_day", lang) if n == 1 else say("stay_days", lang).format(n=n)


def mentions_dates(text: str, today: dt.date) -> bool:
    """After /stay: whether the message has trips for the calculator, or date-like words
    that are not part of a question ("Can I start seasonal work on 1 March?" is a
    question for the knowledge base: a user trial), rather than a question."""
    parsed = parse_trips(text, today)
    return bool(parsed.trips or (parsed.unreadable and "?" not in text))


def stay_reply(
    message: str | Sequence[Trip],
    lang: str,
    today: dt.date,
    remembered: bool = False,
) -> StayReply:
    """The reply to a person's trips, typed (`message` as text) or tapped (a list of Trips).

    The day of the check is `today`, or the last day of the latest trip when that lies
    ahead (a planned exit). Figures are those of bot.tools.schengen.report.
    """
    lines: list[str] = []
    if isinstance(message, str):
        parsed = parse_trips(message, today)
        trips = [Trip(t.entry, t.exit) for t in parsed.trips]
        unreadable = [
            say("stay_unreadable_line", lang).format(
                text=u.text, reason=say(f"stay_reason_{u.reason}", lang)
            )
            for u in parsed.unreadable
        ]
    else:
        trips, unreadable = list(message), []
    if not trips:
        if unreadable:
            lines += [say("stay_unreadable", lang), *unreadable, ""]
        lines.append(say("stay_no_trips", lang))
        return StayReply("\n".join(lines))

    on = max([today] + [t.exit for t in trips if t.exit is not None])
    try:
        figures = report(trips, on, today=today)
    except TripError as error:
        text = say(f"stay_error_{error.code}", lang).format(
            trip=_format_trip(error.trip, lang) or format_date(on, lang),
            other=_format_trip(error.other, lang),
        )
        return StayReply(text, trips=trips)

    lines.append(say("stay_understood", lang))
    for trip in sorted(trips, key=lambda t: t.entry):
        lines.append(
            say("stay_trip_line", lang).format(
                entry=format_date(trip.entry, lang),
                exit=format_date(trip.exit, lang) if trip.exit else say("stay_until_today", lang),
                days=_days(trip.days(on), lang),
            )
        )
    if unreadable:
        lines += ["", say("stay_unreadable", lang), *unreadable]
    lines.append("")
    if on != today:
        lines.append(say("stay_planned", lang).format(date=format_date(on, lang)))
    lines.append(
        say("stay_used", lang).format(
            date=format_date(on, lang), used=figures.days_used, left=figures.days_left
        )
    )
    related: list[str] = []
    if figures.last_legal_day is not None:
        key = "stay_last_day_inside" if figures.inside else "stay_last_day_enter"
        lines.append(say(key, lang).format(date=format_date(figures.last_legal_day, lang)))
    elif not figures.inside:
        lines.append(say("stay_cannot_enter", lang))
    next_full = format_date(figures.next_full_stay, lang)
    if figures.inside:
        lines.append(
            say("stay_next_full_after_leaving", lang).format(
                on=format_date(on, lang), date=next_full
            )
        )
    else:
        lines.append(say("stay_next_full", lang).format(date=next_full))
    if figures.overstay_days:
        key = "stay_over_now" if figures.over_now else "stay_over_past"
        topic = say("stay_overstay_topic", lang)
        lines += ["", say(key, lang).format(n=figures.overstay_days, topic=topic)]
        related.append(OVERSTAY_ENTRY)
    lines += ["", say("stay_caveat", lang)]
    lines.append(say("stay_remembered" if remembered else "stay_not_stored", lang))
    return StayReply("\n".join(lines), related=related, trips=trips, report=figures)
