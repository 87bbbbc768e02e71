"""Questions per day as a stacked bar chart: `migbot kb gaps --chart F.png`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np


def plot_daily(
    counts: list[tuple[str, int, int, int]], path: Path, days: int, today: dt.date | None = None
) -> None:
    """A stacked bar per day of the window, days without questions included."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    today = today or dt.datetime.now(dt.UTC).date()
    day_list = [today - dt.timedelta(days=n) for n in range(days - 1, -1, -1)]
    by_day = {day: values for day, *values in counts}
    series = np.array([by_day.get(day.isoformat(), [0, 0, 0]) for day in day_list]).reshape(-1, 3)
    answered, fallback, handed = series[:, 0], series[:, 1], series[:, 2]
    figure, axes = plt.subplots(figsize=(10, 4.5), layout="constrained")
    axes.bar(day_list, answered, width=0.8, label="answered", color="#4c9a2a")
    axes.bar(day_list, fallback, width=0.8, bottom=answered, label="not answered", color="#e0a526")
    axes.bar(
        day_list,
        handed,
        width=0.8,
        bottom=answered + fallback,
        label="counsellor / urgent",
        color="#c0392b",
    )
    axes.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=12))
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_title(f"Questions per day, last {days} days")
    axes.set_ylabel("questions")
    axes.legend(loc="upper left")
    figure.savefig(path, dpi=110)
    plt.close(figure)
