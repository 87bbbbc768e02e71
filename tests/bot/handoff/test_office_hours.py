"""Office hours: open or not, the next opening, and how both are said."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.config import OfficeHours
from bot.handoff.office_hours import describe_hours, describe_when, next_opening, office_open

TBILISI = ZoneInfo("Asia/Tbilisi")
WEEKDAYS = OfficeHours()  # Monday to Friday, 10:00-18:00, Tbilisi


def tbilisi(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in the week of Monday 2026-11-23, as UTC (what the bot's clock gives)."""
    return dt.datetime(2026, 11, 23 + day, hour, minute, tzinfo=TBILISI).astimezone(dt.UTC)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (tbilisi(0, 9, 59), False),
        (tbilisi(0, 10, 0), True),
        (tbilisi(2, 17, 59), True),
        (tbilisi(2, 18, 0), False),
        (tbilisi(5, 12, 0), False),  # Saturday
    ],
)
def test_office_open_in_the_offices_timezone(moment: dt.datetime, is_open: bool) -> None:
    assert office_open(WEEKDAYS, moment) is is_open


def test_next_opening_today_tomorrow_and_after_the_weekend() -> None:
    assert next_opening(WEEKDAYS, tbilisi(1, 8)) == dt.datetime(2026, 11, 24, 10, tzinfo=TBILISI)
    assert next_opening(WEEKDAYS, tbilisi(1, 19)) == dt.datetime(2026, 11, 25, 10, tzinfo=TBILISI)
    friday_evening = tbilisi(4, 19)
    monday = next_opening(WEEKDAYS, friday_evening)
    assert monday == dt.datetime(2026, 11, 30, 10, tzinfo=TBILISI)
    assert describe_when(monday, friday_evening, "ka") == "ორშაბათს, 30 ნოემბერს, 10:00-დან"
    assert describe_when(monday, friday_evening, "en") == "on Monday 30 November from 10:00"
    tuesday = next_opening(WEEKDAYS, tbilisi(0, 20))
    assert describe_when(tuesday, tbilisi(0, 20), "ka") == "ხვალ, 10:00-დან"
    assert next_opening(OfficeHours(days=()), tbilisi(0, 9)) is None


def test_office_hours_follow_daylight_saving_time() -> None:
    berlin = OfficeHours(timezone="Europe/Berlin", days=(1, 2, 3, 4, 5), start="09:00")
    summer = dt.datetime(2026, 7, 6, 7, 30, tzinfo=dt.UTC)  # 09:30 in Berlin (UTC+2)
    winter = dt.datetime(2026, 12, 7, 7, 30, tzinfo=dt.UTC)  # 08:30 in Berlin (UTC+1)
    assert office_open(berlin, summer) and not office_open(berlin, winter)
    assert next_opening(berlin, winter).astimezone(dt.UTC).hour == 8


def test_hours_are_described_in_both_languages() -> None:
    assert describe_hours(WEEKDAYS, "ka") == "ორშაბათი–პარასკევი, 10:00–18:00"
    assert describe_hours(OfficeHours(days=(1, 3)), "en") == "Monday, Wednesday, 10:00–18:00"
