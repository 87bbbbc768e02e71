"""Read-only reports on the conversation database, for `migbot kb gaps` and `migbot datasette`.

These run in their own process, beside a running bot: they open the file
read-only and never touch the `users` table (the analytics tables know
people only by a pseudonym).
"""

from __future__ import annotations

import datetime as dt
import re
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


# What the snapshot hides inside texts it keeps (docs/privacy.md): links and
# e-mail addresses, @usernames, and any run of 3+ digits (phone, passport and
# card numbers, amounts). Names cannot be found reliably; they expire with the text.
_REDACTIONS = (
    (re.compile(r"(?i)\b(?:https?://|www\.)\S+"), "[link]"),
    (re.compile(r"\S+@\S+\.\w+"), "[email]"),
    (re.compile(r"(?<!\w)@\w{3,}"), "[user]"),
    (re.compile(r"(?i)\b[\w-]+\.(?:com|ge|ru|org|net|eu|info|io|me|uk|de|pl)\b\S*"), "[link]"),
    (re.compile(r"\+?\d[\d\s().-]{1,}\d"), "[number]"),
)


def redact(text: str | None) -> str | None:
    """`text` with links, e-mail addresses, @usernames and numbers of 3+ digits replaced.

    E.g. "call +995 555 12 34 56 or see fake-jobs.ge" -> "call [number] or see [link]".
    """
    if text is None:
        return None
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(
            lambda m, r=replacement: (
                r if sum(c.isdigit() for c in m.group(0)) >= 3 or r != "[number]" else m.group(0)
            ),
            text,
        )
    return text


def write_snapshot(
    live_db: Path, snapshot: Path, retention_days: int, now: dt.datetime | None = None
) -> dict[str, int]:
    """Write (or refresh in place) the analytics tables (never `users`) into `snapshot`.

    The copy is what `migbot datasette` serves; a refresh after /forget or the
    purge makes them reach the served data too (bot.insights.datasette polls).
    In the copy, texts older than the retention period are blanked even if the
    bot's purge has not run yet, and the others are redacted (`redact`). The
    refresh is one transaction (readers see the old or the new tables), with
    secure_delete on and the journal in memory, so the rows it replaces leave
    no copy on disk. The file is made 0600.

    Returns:
        the rows copied per table.

    Raises:
        sqlite3.OperationalError: the live database cannot be opened.
    """
    target = sqlite3.connect(f"file:{snapshot}", uri=True, isolation_level=None)
    copied = {}
    try:
        snapshot.chmod(0o600)
        target.create_function("redact", 1, redact, deterministic=True)
        target.execute("pragma secure_delete = on")
        target.execute("pragma journal_mode = memory")
        target.execute("attach database ? as live", [f"file:{live_db}?mode=ro"])
        cutoff = since(retention_days, now)
        target.execute("begin immediate")
        for table in SNAPSHOT_TABLES:
            exists = target.execute(
                "select sql from live.sqlite_master where type = 'table' and name = ?", [table]
            ).fetchone()
            target.execute(f"drop table if exists main.{table}")
            if not exists:
                continue
            target.execute(exists[0])  # same columns and types as the bot's table
            target.execute(f"insert into main.{table} select * from live.{table}")
            copied[table] = target.execute(f"select count(*) from main.{table}").fetchone()[0]
        if "messages" in copied:
            target.execute(
                "update messages set text = case when ts < ? then null else redact(text) end "
                "where text is not null",
                [cutoff],
            )
            target.execute("create index if not exists messages_ts on messages (ts)")
            target.execute("create index if not exists messages_action on messages (action)")
        if "feedback" in copied:
            target.execute("create index if not exists feedback_entry on feedback (entry_id)")
        target.execute("commit")
        target.execute("detach database live")
    finally:
        target.close()
    return copied


def data_version(connection: sqlite3.Connection) -> int:
    """SQLite's `data_version` of `connection`: it changes when another connection commits."""
    return connection.execute("pragma data_version").fetchone()[0]
