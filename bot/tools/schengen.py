"""The Schengen 90/180-day rule as date arithmetic: pure functions, no clock, no I/O.

The rule (Schengen Borders Code, Regulation (EU) 2016/399, Art. 6(1), wording of
Regulation (EU) No 610/2013): a short stay is at most 90 days in any 180-day period.
- The day of entry and the day of exit both count as days of stay.
- The 180-day period moves: on each day it is that day and the 179 days before it.
- Stays under a residence permit or a long-stay (national, "D") visa do not count:
  leave them out of the trips.
- Days in Bulgaria and Romania count (fully Schengen since 1 January 2025); days in
  Cyprus and Ireland do not.

Definitions used here (docs/stay-calculator.md says the same in short). D is the day of
the check (`on`); S is the set of days of stay given by the trips. An open trip (exit
None, "still inside") runs through D.

- count(d)         = the number of days of S in [d - 179, d].
- days_used        = count(D).
- days_left        = max(0, 90 - days_used): what the window ending on D still holds. Days
                     that drop out of the window later are not added, so staying on can be
                     possible for longer: `last_legal_day` gives the real answer.
- overstay_days    = the number of days d in S, up to D, with count(d) > 90 (days that
                     broke the rule, on any trip given).
- last_legal_day   = if the person is inside on D: the last day E >= D such that staying
                     on without a break from D until E keeps count(d) <= 90 on every day
                     of that stay; if not inside: the same for a stay that starts on D.
                     None when the day D itself is already over the limit.
- next_full_stay   = the earliest day X (X >= D; X > D when inside on D, assuming the
                     person leaves on D) on which a new stay of `plan` days (default 90)
                     could start and keep count(d) <= 90 on each of its days.

This is a planning aid: border guards decide, and the Entry/Exit System (EES) records
every entry and exit.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_STAY = 90  # days of stay allowed ...
PERIOD = 180  # ... in any period of this many days
MAX_DAYS_AHEAD = 366  # dates later than today + this are refused as typing mistakes
EARLIEST = dt.date(1990, 1, 1)  # dates before this are refused as typing mistakes


class TripError(ValueError):
    """A trip that cannot be right; the message names the trip and says why.

    `code` says why, for messages in other languages: "exit_before_entry", "overlap" and
    "open_not_last" (with the `other` trip), "starts_after_check", "ends_after_check",
    "too_early", "too_far" (`trip` None when it is the day of the check itself).
    """

    def __init__(
        self, trip: Trip | None, reason: str, code: str, other: Trip | None = None
    ) -> None:
        self.trip = trip
        self.reason = reason
        self.code = code
        self.other = other
        super().__init__(f"trip {trip}: {reason}" if trip is not None else reason)


@dataclass(frozen=True)
class Trip:
    """One stay in the Schengen area: both days count; exit None = still inside."""

    entry: dt.date
    exit: dt.date | None = None

    def __str__(self) -> str:
        end = self.exit.strftime("%d.%m.%Y") if self.exit else ""
        return f"{self.entry:%d.%m.%Y}-{end}"

    def last_day(self, on: dt.date) -> dt.date:
        """The last day of stay: the exit day, or `on` for a trip still open on `on`."""
        return self.exit if self.exit is not None else on

    def days(self, on: dt.date) -> int:
        """Days of stay (entry and exit days included), an open trip counted up to `on`."""
        return (self.last_day(on) - self.entry).days + 1


@dataclass(frozen=True)
class StayReport:
    """The figures for one day of check `on` (see the module docstring for definitions)."""

    on: dt.date
    days_used: int  # days of stay in the 180-day period ending on `on`
    days_left: int  # max(0, 90 - days_used)
    overstay_days: int  # days of stay up to `on` that were over the limit
    last_legal_day: dt.date | None  # None: already over the limit on `on`
    next_full_stay: dt.date  # earliest start of a legal stay of `plan_days`
    plan_days: int = MAX_STAY
    inside: bool = False  # a trip covers `on`

    @property
    def over_now(self) -> bool:
        """Inside on `on` and over the limit that day."""
        return self.inside and self.days_used > MAX_STAY

    def to_json(self) -> dict[str, object]:
        """The CLI's JSON object: dates as YYYY-MM-DD, last_legal_day may be null."""
        return {
            "on": self.on.isoformat(),
            "days_used": self.days_used,
            "days_left": self.days_left,
            "overstay_days": self.overstay_days,
            "last_legal_day": self.last_legal_day.isoformat() if self.last_legal_day else None,
            "next_full_stay": self.next_full_stay.isoformat(),
        }


def validate(trips: Iterable[Trip], on: dt.date, today: dt.date | None = None) -> list[Trip]:
    """The trips sorted by entry, after checking them against the day of check `on`.

    Raises TripError (naming the trip) when: the exit is before the entry; a trip starts or
    ends after `on`; two trips share a day (a trip may start on the day the previous one
    ended: a same-day exit and re-entry, counted once); an open trip is not the last one;
    a date (the check day `on` included) is before 1990 or, when `today` is given, more
    than MAX_DAYS_AHEAD days after `today`.
    """
    ordered = sorted(trips, key=lambda t: (t.entry, t.last_day(on), t.exit is None))
    for trip in ordered:  # typing mistakes in years first: they explain the other errors
        last = trip.exit or trip.entry
        if today is not None and (last - today).days > MAX_DAYS_AHEAD:
            raise TripError(trip, "it is more than a year from today", "too_far")
        if trip.entry < EARLIEST:
            raise TripError(trip, f"the entry is before {EARLIEST.year}", "too_early")
    if on < EARLIEST:
        raise TripError(
            None, f"the day of the check {on.isoformat()} is before {EARLIEST.year}", "too_early"
        )
    if today is not None and (on - today).days > MAX_DAYS_AHEAD:
        raise TripError(
            None, f"the day of the check {on.isoformat()} is more than a year from today", "too_far"
        )
    for trip in ordered:
        if trip.exit is not None and trip.exit < trip.entry:
            raise TripError(trip, "the exit is before the entry", "exit_before_entry")
        if trip.entry > on:
            raise TripError(
                trip, f"it starts after the day of the check {on.isoformat()}", "starts_after_check"
            )
        if trip.exit is not None and trip.exit > on:
            raise TripError(
                trip, f"it ends after the day of the check {on.isoformat()}", "ends_after_check"
            )
    for before, after in itertools.pairwise(ordered):
        if before.exit is None:
            raise TripError(
                before,
                f"it is still open, but trip {after} starts after it",
                "open_not_last",
                other=after,
            )
        if after.entry < before.exit:
            raise TripError(after, f"it overlaps trip {before}", "overlap", other=before)
    return ordered


def stay_days(trips: Iterable[Trip], on: dt.date) -> set[dt.date]:
    """Every day of stay (entry and exit days included), open trips running through `on`."""
    days: set[dt.date] = set()
    for trip in trips:
        days.update(trip.entry + dt.timedelta(n) for n in range(trip.days(on)))
    return days


def count_on(days: set[dt.date] | Sequence[dt.date], day: dt.date) -> int:
    """The number of days of stay in the 180-day period ending on `day` (both ends in)."""
    start = day - dt.timedelta(PERIOD - 1)
    return sum(1 for d in days if start <= d <= day)


def report(
    trips: Iterable[Trip],
    on: dt.date,
    plan: int = MAX_STAY,
    today: dt.date | None = None,
) -> StayReport:
    """All the figures for the day of check `on` (dates; counts in days).

    `plan` is the length in days (1-90) of the new stay `next_full_stay` looks for.
    Raises TripError for trips `validate` refuses and ValueError for a plan outside 1-90.
    """
    if not 1 <= plan <= MAX_STAY:
        raise ValueError(f"a planned stay must be 1 to {MAX_STAY} days, not {plan}")
    ordered = validate(trips, on, today)
    days = stay_days(ordered, on)
    # Only days from on - 179 on can fall into a window ending on or after `on`.
    recent = sorted(d for d in days if d > on - dt.timedelta(PERIOD))
    used = len(recent)
    inside = on in days
    return StayReport(
        on=on,
        days_used=used,
        days_left=max(0, MAX_STAY - used),
        overstay_days=_overstay_days(sorted(days)),
        last_legal_day=_last_legal_day(recent, on),
        next_full_stay=_earliest_start(recent, on + dt.timedelta(1) if inside else on, plan, on),
        plan_days=plan,
        inside=inside,
    )


def _overstay_days(days: list[dt.date]) -> int:
    """Days whose 180-day period holds more than 90 days of stay (a sliding window)."""
    over = 0
    start = 0
    for end, day in enumerate(days):
        while days[start] <= day - dt.timedelta(PERIOD):
            start += 1
        if end - start + 1 > MAX_STAY:
            over += 1
    return over


class _Counter:
    """How many days of stay fall in a span of days, by prefix sums over the days near `on`."""

    def __init__(self, recent: list[dt.date], on: dt.date) -> None:
        self.base = on - dt.timedelta(PERIOD)
        size = 2 * PERIOD + 2
        flags = [0] * size
        for day in recent:
            flags[(day - self.base).days] = 1
        self.prefix = [0]
        for flag in flags:
            self.prefix.append(self.prefix[-1] + flag)

    def between(self, first: dt.date, last: dt.date) -> int:
        """Days of stay in [first, last] (0 when last < first)."""
        lo = max(0, (first - self.base).days)
        hi = min(len(self.prefix) - 1, (last - self.base).days + 1)
        return max(0, self.prefix[hi] - self.prefix[lo]) if hi > lo else 0


def _longest_stay(counter: _Counter, first: dt.date, limit: int = MAX_STAY) -> int:
    """How many days (at most `limit`) a stay without a break from `first` stays legal,
    given the days of stay before `first`."""
    day_before = first - dt.timedelta(1)
    for k in range(limit):
        day = first + dt.timedelta(k)
        earlier = counter.between(day - dt.timedelta(PERIOD - 1), day_before)
        if earlier + k + 1 > MAX_STAY:
            return k
    return limit


def _last_legal_day(recent: list[dt.date], on: dt.date) -> dt.date | None:
    """The last day of a stay without a break from `on` (the days before `on` as given)."""
    length = _longest_stay(_Counter([d for d in recent if d < on], on), on)
    return on + dt.timedelta(length - 1) if length else None


def _earliest_start(recent: list[dt.date], first: dt.date, plan: int, on: dt.date) -> dt.date:
    """The earliest day >= `first` on which a legal stay of `plan` days can start.

    All days of stay are before `first`, so `first` + 90 always works (the 90 days before
    it are free of stays): the search ends there.
    """
    counter = _Counter(recent, on)
    for k in range(MAX_STAY + 1):
        start = first + dt.timedelta(k)
        if _longest_stay(counter, start, plan) == plan:
            return start
    raise AssertionError("unreachable: 90 free days always allow a new stay")
