"""Free-text trips: Georgian (script, Latin, Russian keyboard), English, Russian, numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.dates import month_of, parse_trips

D = dt.date
TODAY = D(2026, 11, 30)
SPRING = (D(2026, 3, 3), D(2026, 5, 28))
SUMMER_OPEN = (D(2026, 7, 10), None)


def trips(text: str, today: dt.date = TODAY) -> list[tuple[dt.date, dt.date | None]]:
    parsed = parse_trips(text, today)
    assert parsed.unreadable == [], parsed.unreadable
    return [(t.entry, t.exit) for t in parsed.trips]


@pytest.mark.parametrize(
    "text",
    [
        "3 March to 28 May, and from 10 July until today",
        "3rd of March - 28th of May; since 10 July",
        "March 3 to May 28 and July 10 till now",
        "03.03-28.05, 10.07-",
        "3/3/2026 - 28/5/2026\n10/7/2026 - today",
        "2026-03-03 to 2026-05-28 and 2026-07-10 - now",
        "between 3 March and 28 May, then from 10 July",
    ],
)
def test_english_and_numbers(text: str) -> None:
    assert trips(text) == [SPRING, SUMMER_OPEN]


@pytest.mark.parametrize(
    "text",
    [
        "3 მარტიდან 28 მაისამდე და 10 ივლისიდან დღემდე",
        "3 მარტიდან 28 მაისამდე, 10 ივლისიდან",
        "3 მარტი - 28 მაისი, 10 ივლისი - დღემდე",
        "2026 წლის 3 მარტიდან 2026 წლის 28 მაისამდე; 10 ივლისიდან ახლაც",
        "03.03.2026-დან 28.05.2026-მდე, 10.07.2026-დან",
        "3 ᲛᲐᲠᲢᲘᲓᲐᲜ 28 ᲛᲐᲘᲡᲐᲛᲓᲔ და 10 ᲘᲕᲚᲘᲡᲘᲓᲐᲜ ᲓᲦᲔᲛᲓᲔ",  # Mtavruli
    ],
)
def test_georgian_script_with_case_endings(text: str) -> None:
    assert trips(text) == [SPRING, SUMMER_OPEN]


@pytest.mark.parametrize(
    "text",
    [
        "3 martidan 28 maisamde da 10 ivlisidan dgemde",
        "3 martidan 28 maisamde, 10 ivlisidan dghemde",
        "3 marti - 28 maisi da 10 ivlisidan axla",
    ],
)
def test_latin_typed_georgian(text: str) -> None:
    assert trips(text) == [SPRING, SUMMER_OPEN]


def test_russian_and_russian_keyboard() -> None:
    assert trips("с 3 марта по 28 мая, с 10 июля по сегодня") == [SPRING, SUMMER_OPEN]
    # Georgian typed with the Russian layout on: "3 მარტიდან 28 მაისამდე"
    assert trips("3 ьфкешвфт 28 ьфшыфьву") == [SPRING]


@pytest.mark.parametrize(
    ("word", "month"),
    [
        ("იანვარი", 1), ("იანვრიდან", 1), ("თებერვლამდე", 2), ("აპრილის", 4),
        ("აგვისტომდე", 8), ("სექტემბრიდან", 9), ("ოქტომბერში", 10), ("ნოემბრამდე", 11),
        ("დეკემბერს", 12), ("ianvridan", 1), ("agvistomde", 8), ("sektembridan", 9),
        ("September", 9), ("Dec", 12), ("mayis", 5), ("июня", 6), ("days", None),
    ],
)  # fmt: skip
def test_month_names_in_their_cases(word: str, month: int | None) -> None:
    assert month_of(word) == month


def test_unusual_latin_spelling_goes_through_the_transliterator() -> None:
    assert trips("3 oqtombridan 10 noembramde") == [(D(2026, 10, 3), D(2026, 11, 10))]


def test_missing_year_is_the_most_recent_past_date() -> None:
    # 20 December has not come yet this year: last year's
    assert trips("from 20 December until today") == [(D(2025, 12, 20), None)]
    # the exit is the first such day on or after the entry
    assert trips("20 December to 10 February") == [(D(2025, 12, 20), D(2026, 2, 10))]
    # an exit with a year fixes the entry's year
    assert trips("3 March to 28 May 2024") == [(D(2024, 3, 3), D(2024, 5, 28))]
    # today itself is not after today
    assert trips("30 November - today") == [(D(2026, 11, 30), None)]


def test_an_exit_may_lie_ahead_when_the_entry_is_recent() -> None:
    assert trips("1 November - 15 December") == [(D(2026, 11, 1), D(2026, 12, 15))]


def test_29_february_without_a_year_is_the_last_leap_day() -> None:
    assert trips("29.02-10.03", today=D(2026, 5, 1)) == [(D(2024, 2, 29), D(2024, 3, 10))]


def test_two_digit_years() -> None:
    assert trips("3.3.25-28.5.25") == [(D(2025, 3, 3), D(2025, 5, 28))]


def test_same_day_trip() -> None:
    assert trips("5 May - 5 May") == [(D(2026, 5, 5), D(2026, 5, 5))]


def test_what_could_not_be_read_is_reported() -> None:
    parsed = parse_trips("31.02-05.03, 3 March; 10 July - today, until 28 May, in June", TODAY)
    assert [(t.entry, t.exit) for t in parsed.trips] == [SUMMER_OPEN]
    assert [(u.text, u.reason) for u in parsed.unreadable] == [
        ("31.02", "no_such_date"),
        ("June", "no_day"),
        ("3 March", "no_end"),
        ("28 May", "no_start"),
    ]


def test_text_without_dates() -> None:
    parsed = parse_trips("I stayed 90 days in Italy", TODAY)
    assert parsed.trips == [] and parsed.unreadable == []


def test_the_trip_keeps_the_words_it_came_from() -> None:
    (trip,) = parse_trips("3 მარტიდან 28 მაისამდე", TODAY).trips
    assert trip.text == "3 მარტიდან – 28 მაისამდე"


# --------------------------------------------------------------------------- round trips
# Random trips written out in each style people use, read back.


def words(text: str) -> list[str]:
    return text.split()


FROM_KA = words(
    "იანვრიდან თებერვლიდან მარტიდან აპრილიდან მაისიდან ივნისიდან ივლისიდან აგვისტოდან "
    "სექტემბრიდან ოქტომბრიდან ნოემბრიდან დეკემბრიდან"
)
TO_KA = words(
    "იანვრამდე თებერვლამდე მარტამდე აპრილამდე მაისამდე ივნისამდე ივლისამდე აგვისტომდე "
    "სექტემბრამდე ოქტომბრამდე ნოემბრამდე დეკემბრამდე"
)
FROM_LATIN = words(
    "ianvridan tebervlidan martidan aprilidan maisidan ivnisidan ivlisidan agvistodan "
    "sektembridan oktombridan noembridan dekembridan"
)
TO_LATIN = words(
    "ianvramde tebervlamde martamde aprilamde maisamde ivnisamde ivlisamde agvistomde "
    "sektembramde oktombramde noembramde dekembramde"
)
EN = "January February March April May June July August September October November December"


def written(entry: dt.date, exit_: dt.date, style: str) -> str:
    en = EN.split()
    if style == "numeric":
        return f"{entry:%d.%m.%Y}-{exit_:%d.%m.%Y}"
    if style == "slashes":
        return f"{entry.day}/{entry.month}/{entry.year} - {exit_.day}/{exit_.month}/{exit_.year}"
    if style == "english":
        return (
            f"from {entry.day} {en[entry.month - 1]} {entry.year} "
            f"until {exit_.day} {en[exit_.month - 1]} {exit_.year}"
        )
    if style == "georgian":
        return (
            f"{entry.year} წლის {entry.day} {FROM_KA[entry.month - 1]} "
            f"{exit_.year} წლის {exit_.day} {TO_KA[exit_.month - 1]}"
        )
    return (
        f"{entry.day} {FROM_LATIN[entry.month - 1]} {entry.year} "
        f"{exit_.day} {TO_LATIN[exit_.month - 1]} {exit_.year}"
    )


@pytest.mark.parametrize("seed", range(40))
def test_random_trips_read_back_in_every_style(seed: int) -> None:
    import random

    rng = random.Random(seed)
    day = TODAY - dt.timedelta(rng.randint(200, 900))
    expected, parts = [], []
    while day < TODAY and len(expected) < 4:
        exit_ = min(TODAY, day + dt.timedelta(rng.randint(0, 120)))
        expected.append((day, exit_))
        parts.append(written(day, exit_, rng.choice(["numeric", "slashes", "english",
                                                     "georgian", "latin"])))  # fmt: skip
        day = exit_ + dt.timedelta(rng.randint(1, 150))
    separator = rng.choice([", ", "; ", " and ", " და ", "\n"])
    assert trips(separator.join(parts)) == expected


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_without_a_year_in_both_cases(month: int) -> None:
    entry = dt.date(2025, month, 1)
    expected = (entry, dt.date(2025, month, 28))
    today = dt.date(2025, month, 28)
    assert trips(f"1 {FROM_KA[month - 1]} 28 {TO_KA[month - 1]}", today) == [expected]
    assert trips(f"1 {FROM_LATIN[month - 1]} 28 {TO_LATIN[month - 1]}", today) == [expected]
    assert trips(f"1 {EN.split()[month - 1]} - 28 {EN.split()[month - 1]}", today) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I entered on 10 July and left on 20 August", [(D(2026, 7, 10), D(2026, 8, 20))]),
        ("შევედი 10 ივლისს და გამოვედი 20 აგვისტოს", [(D(2026, 7, 10), D(2026, 8, 20))]),
        ("since 10 July, 3 March to 28 May", [SUMMER_OPEN, SPRING]),
        ("10.07-, 03.03-28.05", [SUMMER_OPEN, SPRING]),
        ("from 3rd March till 28th May", [SPRING]),
        ("3 Mar - 28 May", [SPRING]),
        ("3-ე მარტიდან 28 მაისამდე", [SPRING]),
        ("03.03 - 28.05 და 10.07-დან", [SPRING, SUMMER_OPEN]),
        ("10 ივლისიდან ახლამდე", [SUMMER_OPEN]),
    ],
)
def test_more_ways_of_writing(text: str, expected: list) -> None:
    assert trips(text) == expected


def test_a_separator_starts_a_new_trip() -> None:
    parsed = parse_trips("3 March, 10 July - 20 July", TODAY)
    assert [(t.entry, t.exit) for t in parsed.trips] == [(D(2026, 7, 10), D(2026, 7, 20))]
    assert [(u.text, u.reason) for u in parsed.unreadable] == [("3 March", "no_end")]
