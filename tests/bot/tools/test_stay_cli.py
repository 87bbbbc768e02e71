"""`migbot stay`: JSON on stdout, one-line errors on stderr with exit code 2."""

from __future__ import annotations

import json

import pytest

from bot.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict | None, str]:
    code = main(["stay", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else None, err


def test_json_has_exactly_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, result, err = run(capsys, "--on", "2026-07-20", "03.03.2026-28.05.2026", "10.07.2026-")
    assert (code, err) == (0, "")
    assert result == {
        "on": "2026-07-20",
        "days_used": 98,
        "days_left": 0,
        "overstay_days": 8,
        "last_legal_day": None,
        "next_full_stay": "2026-10-19",
    }


def test_inside_with_days_to_spare(capsys: pytest.CaptureFixture[str]) -> None:
    _, result, _ = run(capsys, "--on", "2026-03-10", "1.3.2026-")
    assert result is not None
    assert (result["days_used"], result["days_left"]) == (10, 80)
    assert result["last_legal_day"] == "2026-05-29"
    assert result["next_full_stay"] == "2026-06-09"


def test_plan_gives_the_earliest_start_of_a_shorter_stay(
    capsys: pytest.CaptureFixture[str],
) -> None:
    trip = "01.01.2026-01.03.2026"  # 60 days
    _, full, _ = run(capsys, "--on", "2026-04-01", trip)
    _, short, _ = run(capsys, "--on", "2026-04-01", "--plan", "10", trip)
    assert full is not None and short is not None
    assert (full["next_full_stay"], short["next_full_stay"]) == ("2026-05-31", "2026-04-01")


def test_no_trips_at_all(capsys: pytest.CaptureFixture[str]) -> None:
    _, result, _ = run(capsys, "--on", "2026-05-01")
    assert result is not None and result["days_used"] == 0 and result["days_left"] == 90


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["10.05.2026-01.05.2026"], "trip 10.05.2026-01.05.2026: the exit is before the entry"),
        (
            ["01.05.2026-10.05.2026", "09.05.2026-12.05.2026"],
            "trip 09.05.2026-12.05.2026: it overlaps trip 01.05.2026-10.05.2026",
        ),
        (["31.02.2026-05.03.2026"], "trip 31.02.2026-05.03.2026: 31.02.2026 is not a date"),
        (["3.3.26-"], "trip 3.3.26-: write DD.MM.YYYY-DD.MM.YYYY"),
        (["01.05.2099-02.05.2099"], "trip 01.05.2099-02.05.2099: it is more than a year"),
        (["--on", "2099-01-01"], "the day of the check 2099-01-01 is more than a year"),
        (["--on", "01.05.2026"], "--on 01.05.2026: write the date as YYYY-MM-DD"),
        (["--plan", "91"], "--plan 91: a stay of 1 to 90 days"),
        (["--plan", "x"], "--plan x: a stay of 1 to 90 days"),
        (
            ["--on", "2026-05-01", "01.06.2026-02.06.2026"],
            "trip 01.06.2026-02.06.2026: it starts after the day of the check 2026-05-01",
        ),
    ],
)
def test_bad_input_is_one_line_naming_the_trip_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, result, err = run(capsys, *argv)
    assert code == 2 and result is None
    assert err.startswith("error: ") and message in err
    assert err.count("\n") == 1
