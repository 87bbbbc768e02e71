"""Read-only reports on the conversation database, for `migbot kb gaps` and `migbot datasette`.

These run in their own process, beside a running bot: they open the file
read-only and never touch the `users` table (the analytics tables know
people only by a pseudonym).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.config import InsightsSettings

UNANSWERED = "unanswered"
UNSURE = "low confidence"
DISLIKED = "👎"
SNAPSHOT_TABLES = ("messages", "feedback", "handoffs")


@dataclass(frozen=True)
class Question:
    """A question the bot answered badly, as `gap_questions` finds it."""

    ts: str
    lang: str
    kind: str  # UNANSWERED | UNSURE | DISLIKED
    text: str
    entry_id: str | None = None
    score: float = 0.0


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection with sqlite3.Row rows.

    Raises:
        FileNotFoundError: there is no database at `path` yet.
    """
    if not path.exists():
        raise FileNotFoundError(f"{path}: no conversation database yet (the bot creates it)")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    return connection


def since(days: int, now: dt.datetime | None = None) -> str:
    """The timestamp `days` ago in the stored format (conversations.now_utc), for comparisons."""
    moment = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=days)
    return moment.isoformat(timespec="seconds")


def gap_questions(
    db_path: Path,
    days: int,
    unsure_below: float = InsightsSettings().unsure_below,
    now: dt.datetime | None = None,
) -> list[Question]:
    """Unanswered questions, answers below `unsure_below` (0..1) and the questions
    behind 👎 answers, of the last `days` days.

    Raises:
        FileNotFoundError: there is no database at `db_path` yet.
    """
    cutoff = since(days, now)
    with connect_read_only(db_path) as db:
        rows = db.execute(
            "select ts, lang, action, text, entry_id, score from messages "
            "where ts >= ? and text is not null and trim(text) != '' and ("
            "action in ('fallback', 'handoff') or (action = 'answer' and score < ?))",
            [cutoff, unsure_below],
        ).fetchall()
        disliked = _disliked_questions(db, cutoff)
    questions = [
        Question(
            r["ts"],
            r["lang"] or "",
            UNSURE if r["action"] == "answer" else UNANSWERED,
            r["text"],
            r["entry_id"],
            r["score"] or 0.0,
        )
        for r in rows
    ]
    return questions + disliked


def _disliked_questions(db: sqlite3.Connection, cutoff: str) -> list[Question]:
    """For each 👎, the question that got that answer: the same person's latest
    message answered with that entry, before the 👎."""
    rows = db.execute(
        "select f.ts, f.entry_id, ("
        "  select m.text from messages m where m.user_key = f.user_key "
        "  and m.entry_id = f.entry_id and m.ts <= f.ts and m.text is not null "
        "  order by m.ts desc, m.id desc limit 1) as text, ("
        "  select m.lang from messages m where m.user_key = f.user_key "
        "  and m.entry_id = f.entry_id and m.ts <= f.ts "
        "  order by m.ts desc, m.id desc limit 1) as lang "
        "from feedback f where f.value < 0 and f.ts >= ?",
        [cutoff],
    ).fetchall()
    return [
        Question(r["ts"], r["lang"] or "", DISLIKED, r["text"], r["entry_id"])
        for r in rows
        if r["text"] and r["text"].strip()
    ]


def disliked_entries(db_path: Path, days: int, now: dt.datetime | None = None) -> list[tuple]:
    """(entry id, 👎 count, 👍 count) for entries with any 👎, most disliked first."""
    with connect_read_only(db_path) as db:
        return [
            tuple(row)
            for row in db.execute(
                "select entry_id, sum(value < 0) as down, sum(value > 0) as up from feedback "
                "where ts >= ? group by entry_id having down > 0 order by down desc, entry_id",
                [since(days, now)],
            )
        ]


def daily_counts(
    db_path: Path, days: int, now: dt.datetime | None = None
) -> list[tuple[str, int, int, int]]:
    """(day, answered, fallback, handoff or urgent) for each day with questions."""
    with connect_read_only(db_path) as db:
        rows = db.execute(
            "select substr(ts, 1, 10) as day, "
            "sum(action = 'answer'), sum(action = 'fallback'), "
            "sum(action in ('handoff', 'urgent')) "
            "from messages where ts >= ? group by day order by day",
            [since(days, now)],
        ).fetchall()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def write_snapshot(
    live_db: Path, snapshot: Path, retention_days: int, now: dt.datetime | None = None
) -> dict[str, int]:
    """Copy the analytics tables (never `users`) into a separate file to serve.

    Texts older than the retention period are blanked in the copy even if the
    bot's purge job has not run yet. Returns the rows copied per table.
    """
    partial = snapshot.with_name(f".{snapshot.name}.partial")
    partial.unlink(missing_ok=True)
    # URI filenames on, so that the live database can be attached read-only.
    target = sqlite3.connect(f"file:{partial}", uri=True)
    copied = {}
    try:
        target.execute("attach database ? as live", [f"file:{live_db}?mode=ro"])
        for table in SNAPSHOT_TABLES:
            exists = target.execute(
                "select sql from live.sqlite_master where type = 'table' and name = ?", [table]
            ).fetchone()
            if not exists:
                continue
            target.execute(exists[0])  # same columns and types as the bot's table
            target.execute(f"insert into main.{table} select * from live.{table}")
            copied[table] = target.execute(f"select count(*) from main.{table}").fetchone()[0]
        target.commit()
        target.execute("detach database live")
        if "messages" in copied:
            target.execute(
                "update messages set text = null where ts < ?", [since(retention_days, now)]
            )
            target.execute("create index if not exists messages_ts on messages (ts)")
            target.execute("create index if not exists messages_action on messages (action)")
        if "feedback" in copied:
            target.execute("create index if not exists feedback_entry on feedback (entry_id)")
        target.commit()
    finally:
        target.close()
    shutil.move(partial, snapshot)
    return copied
