"""When counsellors are at work, and how to say so (settings.counsellors.office_hours)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.config import OfficeHours
from bot.texts import MESSAGES, say


def _clock(text: str) -> dt.time | None:
    """ "HH:MM"; "24:00" is the end of the day (None)."""
    hours, minutes = (int(part) for part in text.split(":"))
    return None if hours == 24 else dt.time(hours, minutes)


def office_open(hours: OfficeHours, now: dt.datetime) -> bool:
    """True when `now` (aware) falls on an office day, between start and end, local time."""
    local = now.astimezone(ZoneInfo(hours.timezone))
    if local.isoweekday() not in hours.days:
        return False
    start, end = _clock(hours.start) or dt.time(0), _clock(hours.end)
    return start <= local.time() and (end is None or local.time() < end)


def next_opening(hours: OfficeHours, now: dt.datetime) -> dt.datetime | None:
    """When counsellors are next at work (local time), None if no office days are set."""
    zone = ZoneInfo(hours.timezone)
    local = now.astimezone(zone)
    start = _clock(hours.start) or dt.time(0)
    for ahead in range(8):
        day = local.date() + dt.timedelta(days=ahead)
        if day.isoweekday() not in hours.days:
            continue
        opening = dt.datetime.combine(day, start, tzinfo=zone)
        if opening > local:
            return opening
    return None


def describe_hours(hours: OfficeHours, lang: str) -> str:
    """ "Mon–Fri, 10:00–18:00" in the given language."""
    names = say("weekdays", lang).split(",")
    days = sorted(set(hours.days))
    if days and days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        span = f"{names[days[0] - 1]}–{names[days[-1] - 1]}"
    else:
        span = ", ".join(names[d - 1] for d in days)
    return f"{span}, {hours.start}–{hours.end}"


def describe_when(opening: dt.datetime, now: dt.datetime, lang: str) -> str:
    """ "today at 10:00", "tomorrow at 10:00" or "on Monday, 7 December, at 10:00"."""
    local_now = now.astimezone(opening.tzinfo)
    time_text = opening.strftime("%H:%M")
    days_ahead = (opening.date() - local_now.date()).days
    if days_ahead == 0:
        return say("when_today", lang).format(time=time_text)
    if days_ahead == 1:
        return say("when_tomorrow", lang).format(time=time_text)
    return say("when_date", lang).format(
        weekday=say("weekdays_on", lang).split(",")[opening.isoweekday() - 1],
        day=opening.day,
        month=say("months_on", lang).split(",")[opening.month - 1],
        time=time_text,
    )


def zone_label(zone: str, lang: str) -> str:
    """ "Tbilisi time" for a time zone the texts name; else the zone's own name."""
    key = f"zone_{zone}"
    return say(key, lang) if key in MESSAGES else zone
