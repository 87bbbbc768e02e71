"""The 90/180-day rule: edge cases and random trips, checked against a day-by-day count."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from bot.tools.schengen import MAX_STAY, StayReport, Trip, TripError, report

D = dt.date


# --------------------------------------------------------------------------- independent count
# A brute force written from the rule's text, not from the library: every day of stay is an
# ordinal in a set; a day's count is the size of its intersection with the 180 days ending
# on it; a stay is legal when that count is at most 90 on each of its days.


def brute_days(trips: list[Trip], on: dt.date) -> set[int]:
    days: set[int] = set()
    for trip in trips:
        last = trip.exit or on
        days.update(range(trip.entry.toordinal(), last.toordinal() + 1))
    return days


def brute_count(days: set[int], day: int) -> int:
    return len(days & set(range(day - 179, day + 1)))


def brute_legal(days: set[int], checked: range) -> bool:
    return all(brute_count(days, d) <= 90 for d in checked)


def brute_report(trips: list[Trip], on: dt.date, plan: int = 90) -> StayReport:
    days = brute_days(trips, on)
    d = on.toordinal()
    used = brute_count(days, d)
    overstay = sum(1 for x in days if x <= d and brute_count(days, x) > 90)
    before = {x for x in days if x < d}
    last = None
    for end in range(d, d + 200):
        if not brute_legal(before | set(range(d, end + 1)), range(d, end + 1)):
            break  # a longer stay holds this one: it cannot be legal either
        last = end
    first = d + 1 if d in days else d
    start = next(
        x
        for x in range(first, first + 400)
        if brute_legal(days | set(range(x, x + plan)), range(x, x + plan))
    )
    return StayReport(
        on=on,
        days_used=used,
        days_left=max(0, 90 - used),
        overstay_days=overstay,
        last_legal_day=D.fromordinal(last) if last is not None else None,
        next_full_stay=D.fromordinal(start),
        plan_days=plan,
        inside=d in days,
    )


def check(trips: list[Trip], on: dt.date, plan: int = 90) -> StayReport:
    result = report(trips, on, plan)
    assert result == brute_report(trips, on, plan), (trips, on, plan)
    return result


# --------------------------------------------------------------------------- edge cases


def test_no_trips() -> None:
    result = check([], D(2026, 5, 1))
    assert (result.days_used, result.days_left, result.overstay_days) == (0, 90, 0)
    assert result.last_legal_day == D(2026, 7, 29)  # 1 May + 89 days
    assert result.next_full_stay == D(2026, 5, 1)


def test_same_day_entry_and_exit_counts_one_day() -> None:
    result = check([Trip(D(2026, 4, 10), D(2026, 4, 10))], D(2026, 4, 20))
    assert result.days_used == 1
    assert result.days_left == 89


def test_entry_and_exit_days_both_count() -> None:
    assert check([Trip(D(2026, 4, 10), D(2026, 4, 11))], D(2026, 4, 20)).days_used == 2


def test_exactly_90_days_is_legal_and_91_is_one_over() -> None:
    ninety = [Trip(D(2026, 1, 1), D(2026, 3, 31))]  # 31 + 28 + 31
    result = check(ninety, D(2026, 3, 31))
    assert (result.days_used, result.days_left, result.overstay_days) == (90, 0, 0)
    assert result.inside and result.last_legal_day == D(2026, 3, 31)
    assert result.next_full_stay == D(2026, 6, 30)  # 90 days after the exit day are free
    over = check([Trip(D(2026, 1, 1), D(2026, 4, 1))], D(2026, 4, 1))
    assert (over.days_used, over.overstay_days, over.last_legal_day) == (91, 1, None)
    assert over.over_now


def test_inside_with_days_to_spare() -> None:
    result = check([Trip(D(2026, 3, 1))], D(2026, 3, 10))
    assert result.inside and result.days_used == 10
    assert result.last_legal_day == D(2026, 5, 29)  # 90th day counting 1 March
    assert result.next_full_stay == D(2026, 6, 9)  # leave on 10 March, 90 days out


def test_stay_that_straddles_the_window() -> None:
    on = D(2026, 7, 1)
    window_start = on - dt.timedelta(179)  # 2 January 2026
    trip = Trip(window_start - dt.timedelta(10), window_start + dt.timedelta(4))
    result = check([trip], on)
    assert result.days_used == 5  # only the days inside the window


def test_old_days_drop_out_so_a_stay_can_go_on_past_days_left() -> None:
    # 60 days in January-March, then inside from 1 June: on 20 June 80 days are used,
    # but the winter days leave the window as the summer stay goes on.
    trips = [Trip(D(2026, 1, 1), D(2026, 3, 1)), Trip(D(2026, 6, 1))]
    result = check(trips, D(2026, 6, 20))
    assert (result.days_used, result.days_left) == (80, 10)
    assert result.last_legal_day > D(2026, 6, 30)


def test_leap_year_february() -> None:
    result = check([Trip(D(2024, 2, 1), D(2024, 3, 31))], D(2024, 3, 31))
    assert result.days_used == 60  # 29 days of February 2024 + 31
    assert check([Trip(D(2023, 2, 1), D(2023, 3, 31))], D(2023, 3, 31)).days_used == 59


def test_window_across_29_february() -> None:
    # The 180 days ending on 27 August 2024 start on 1 March 2024 (2024 is a leap year).
    on = D(2024, 8, 27)
    assert check([Trip(D(2024, 2, 29), D(2024, 3, 1))], on).days_used == 1
    assert check([Trip(D(2024, 2, 29), D(2024, 3, 1))], on - dt.timedelta(1)).days_used == 2


def test_trips_years_apart() -> None:
    trips = [Trip(D(2019, 5, 1), D(2019, 9, 30)), Trip(D(2026, 6, 1), D(2026, 6, 30))]
    result = check(trips, D(2026, 7, 15))
    assert result.days_used == 30
    assert result.overstay_days == 153 - 90  # the 2019 trip was 153 days long
    assert result.last_legal_day is not None


def test_touching_trips_count_the_shared_day_once() -> None:
    trips = [Trip(D(2026, 5, 1), D(2026, 5, 10)), Trip(D(2026, 5, 10), D(2026, 5, 12))]
    assert check(trips, D(2026, 5, 20)).days_used == 12
    # out and back in on the day of the check, in either order
    on = D(2026, 5, 20)
    assert check([Trip(on), Trip(on, on)], on).days_used == 1
    assert check([Trip(on, on), Trip(D(2026, 5, 18), on), Trip(on)], on).days_used == 3


def test_plan_shorter_than_90_days_can_start_earlier() -> None:
    trips = [Trip(D(2026, 1, 1), D(2026, 3, 1))]  # 60 days
    full = check(trips, D(2026, 4, 1))
    short = check(trips, D(2026, 4, 1), plan=10)
    assert full.next_full_stay == D(2026, 5, 31)  # 90 days after 1 March
    assert short.next_full_stay == D(2026, 4, 1)  # 60 + 10 fit at once
    assert short.plan_days == 10


def test_to_json_keys_and_null() -> None:
    result = report([Trip(D(2026, 1, 1))], D(2026, 5, 1))
    assert result.to_json() == {
        "on": "2026-05-01",
        "days_used": 121,
        "days_left": 0,
        "overstay_days": 31,
        "last_legal_day": None,
        "next_full_stay": "2026-07-31",
    }


@pytest.mark.parametrize(
    ("trips", "words"),
    [
        ([Trip(D(2026, 5, 10), D(2026, 5, 1))], "10.05.2026-01.05.2026: the exit is before"),
        ([Trip(D(2026, 5, 1), D(2026, 5, 10)), Trip(D(2026, 5, 9), D(2026, 5, 12))], "overlaps"),
        ([Trip(D(2026, 5, 1)), Trip(D(2026, 5, 9), D(2026, 5, 12))], "still open"),
        ([Trip(D(2026, 7, 1), D(2026, 7, 2))], "starts after the day of the check"),
        ([Trip(D(2026, 5, 1), D(2026, 7, 2))], "ends after the day of the check"),
        ([Trip(D(1980, 5, 1), D(1980, 7, 2))], "before 1990"),
    ],
)
def test_bad_trips_are_refused_by_name(trips: list[Trip], words: str) -> None:
    with pytest.raises(TripError, match=words):
        report(trips, D(2026, 6, 1))


def test_far_future_check_day_is_refused() -> None:
    with pytest.raises(TripError, match="more than a year"):
        report([], D(2028, 1, 1), today=D(2026, 6, 1))
    report([], D(2027, 1, 1), today=D(2026, 6, 1))  # planning a few months ahead is fine
    with pytest.raises(TripError, match=re.escape("01.05.2030-: it is more than a year")):
        report([Trip(D(2030, 5, 1))], D(2026, 6, 1), today=D(2026, 6, 1))


def test_plan_outside_1_to_90_is_refused() -> None:
    with pytest.raises(ValueError, match="1 to 90"):
        report([], D(2026, 6, 1), plan=91)


# --------------------------------------------------------------------------- random trips


def random_trips(rng: random.Random, on: dt.date) -> list[Trip]:
    """Non-overlapping trips before `on` (sometimes years apart), the last maybe still open."""
    trips = []
    day = on - dt.timedelta(rng.randint(0, 420) if rng.random() < 0.7 else rng.randint(900, 3000))
    while day <= on and len(trips) < 6:
        length = rng.choice([1, 2, rng.randint(1, 40), rng.randint(30, 130)])
        exit_day = min(day + dt.timedelta(length - 1), on)
        trips.append(Trip(day, exit_day))
        if exit_day == on:
            break
        gap = rng.choice([0, 1, rng.randint(1, 60), rng.randint(60, 200), rng.randint(200, 1500)])
        day = exit_day + dt.timedelta(gap)
    if trips and trips[-1].exit == on and rng.random() < 0.5:
        trips[-1] = Trip(trips[-1].entry, None)
    rng.shuffle(trips)  # the library sorts them
    return trips


@pytest.mark.parametrize("seed", range(200))
def test_random_trips_match_the_day_by_day_count(seed: int) -> None:
    rng = random.Random(seed)
    on = D(2023, 1, 1) + dt.timedelta(rng.randint(0, 1500))  # 29 February 2024 in range
    plan = rng.choice([MAX_STAY, MAX_STAY, rng.randint(1, MAX_STAY)])
    check(random_trips(rng, on), on, plan)
