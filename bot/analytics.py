"""What citizens asked that the bot could not answer well, for `migbot kb gaps`
and `migbot datasette`.

Reads the conversation database (bot/storage.py) read-only and never touches
the `users` table: the analytics tables know people only by a pseudonym.

Grouping: questions are embedded with the bot's own model and clustered by
cosine distance. The model puts all Georgian texts close together and all
English ones close together, whatever they ask; subtracting each language's
mean vector (taken from the knowledge base's own questions, which exist in
both languages) removes most of that, so that "work in Japan" and
"იაპონიაში მუშაობა" land in one group.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

Encoder = Callable[[list[str]], np.ndarray]

UNANSWERED = "unanswered"
UNSURE = "low confidence"
DISLIKED = "👎"
# Cosine distance (after centring) under which two groups of questions merge;
# chosen on mixed Georgian/English test questions (tests/test_admin_gaps.py).
DEFAULT_DISTANCE = 0.78
# Answers below this confidence are counted as unsure. The answer threshold
# is 0.2 (config.yml): just above it the bot answers but often wrongly.
DEFAULT_LOW_SCORE = 0.35
SNAPSHOT_TABLES = ("messages", "feedback", "handoffs")


@dataclass(frozen=True)
class Question:
    ts: str
    lang: str
    kind: str  # UNANSWERED | UNSURE | DISLIKED
    text: str
    entry_id: str | None = None
    score: float = 0.0


@dataclass
class Cluster:
    questions: list[Question]
    examples: list[Question] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.questions)

    def kinds(self) -> Counter:
        return Counter(q.kind for q in self.questions)

    def languages(self) -> Counter:
        return Counter(q.lang for q in self.questions)

    def entries(self) -> Counter:
        return Counter(q.entry_id for q in self.questions if q.entry_id)


# ----------------------------------------------------------------------------- reading


def connect_read_only(path: Path) -> sqlite3.Connection:
    if not path.exists():
        raise FileNotFoundError(f"{path}: no conversation database yet (the bot creates it)")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    return connection


def since(days: int, now: dt.datetime | None = None) -> str:
    """The timestamp `days` ago, in storage.py's format, for string comparison."""
    moment = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=days)
    return moment.isoformat(timespec="seconds")


def gap_questions(
    db_path: Path, days: int, low_score: float = DEFAULT_LOW_SCORE, now: dt.datetime | None = None
) -> list[Question]:
    """Unanswered questions, unsure answers and the questions behind 👎 answers."""
    cutoff = since(days, now)
    with connect_read_only(db_path) as db:
        rows = db.execute(
            "select ts, lang, action, text, entry_id, score from messages "
            "where ts >= ? and text is not null and trim(text) != '' and ("
            "action in ('fallback', 'handoff') or (action = 'answer' and score < ?))",
            [cutoff, low_score],
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


# ----------------------------------------------------------------------------- grouping


def cluster_questions(
    questions: Sequence[Question],
    encode: Encoder,
    language_means: dict[str, np.ndarray] | None = None,
    distance: float = DEFAULT_DISTANCE,
    prepare: Callable[[str], str] = lambda text: text,
) -> list[Cluster]:
    """Groups of similar questions, largest first; each with up to three examples.

    `prepare` turns a text into what is embedded (the bot's Georgian
    normalisation, so that Latin-typed Georgian joins its Mkhedruli twin).
    """
    if not questions:
        return []
    # Identical texts are embedded once; they still count once each.
    unique: dict[str, int] = {}
    slot = [unique.setdefault(_normal_key(q.text), len(unique)) for q in questions]
    first_of = {index: q for q, index in zip(reversed(questions), reversed(slot), strict=True)}
    texts = [prepare(first_of[i].text) for i in range(len(unique))]
    vectors = _centred(
        encode(texts), [first_of[i].lang for i in range(len(unique))], language_means
    )
    labels = _agglomerate(vectors, distance)
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(int(label), []).append(index)
    clusters = []
    for unique_ids in members.values():
        chosen = set(unique_ids)
        cluster = Cluster([q for q, s in zip(questions, slot, strict=True) if s in chosen])
        cluster.examples = _examples(cluster, vectors, unique_ids, slot, questions)
        clusters.append(cluster)
    clusters.sort(key=lambda c: (-c.size, c.questions[0].ts))
    return clusters


def language_means_from_index(index_dir: Path, encoder: str) -> dict[str, np.ndarray] | None:
    """Mean question vector per language of the served index, if `encoder` built it
    (an `Embedder.model_name`: the model and the backend)."""
    import faiss
    import sqlite_utils

    from knowledge_base.index import DATABASE, VECTORS, current_build, read_manifest

    build = current_build(index_dir)
    if build is None or read_manifest(build).get("model") != encoder:
        return None
    index = faiss.read_index(str(build / VECTORS))
    vectors = index.reconstruct_n(0, index.ntotal)
    db = sqlite_utils.Database(build / DATABASE)
    try:
        rows = list(db.query("select id, lang from passages where kind != 'answer'"))
    finally:
        db.close()
    means = {}
    for lang in {row["lang"] for row in rows}:
        ids = [row["id"] for row in rows if row["lang"] == lang]
        means[lang] = vectors[ids].mean(axis=0)
    return means


def _normal_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip(" ?!.")


def _centred(
    vectors: np.ndarray, langs: list[str], means: dict[str, np.ndarray] | None
) -> np.ndarray:
    if means is None:
        # No index to learn from: the questions' own per-language means.
        means = {
            lang: vectors[[i for i, other in enumerate(langs) if other == lang]].mean(axis=0)
            for lang in set(langs)
        }
    centred = np.stack(
        [v - means[lang] if lang in means else v for v, lang in zip(vectors, langs, strict=True)]
    )
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    return centred / np.maximum(norms, 1e-9)


def _agglomerate(vectors: np.ndarray, distance: float) -> np.ndarray:
    if len(vectors) == 1:
        return np.zeros(1, dtype=int)
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(
        n_clusters=None, distance_threshold=distance, metric="cosine", linkage="average"
    )
    return model.fit_predict(vectors)


def _examples(
    cluster: Cluster,
    vectors: np.ndarray,
    unique_ids: list[int],
    slot: list[int],
    questions: Sequence[Question],
) -> list[Question]:
    """The most typical questions, one per language first, then the next most typical."""
    centre = vectors[unique_ids].mean(axis=0)
    ranked = sorted(unique_ids, key=lambda i: -float(vectors[i] @ centre))
    representative = {s: q for q, s in zip(questions, slot, strict=True)}
    ordered = [representative[i] for i in ranked]
    first_per_language = {}
    for question in ordered:
        first_per_language.setdefault(question.lang, question)
    picked = list(first_per_language.values())
    picked += [q for q in ordered if q not in picked]
    return picked[:3]


# ----------------------------------------------------------------------------- report


def format_gaps(clusters: list[Cluster], disliked: list[tuple], days: int, top: int = 5) -> str:
    total = sum(c.size for c in clusters)
    if not total and not disliked:
        return f"No unanswered, unsure or 👎-rated questions in the last {days} days."
    lines = [
        f"{total} question(s) in the last {days} days were unanswered, answered unsure, "
        f"or rated 👎; {len(clusters)} group(s). The largest:"
    ]
    for number, cluster in enumerate(clusters[:top], start=1):
        kinds = ", ".join(f"{count} {kind}" for kind, count in cluster.kinds().most_common())
        langs = "/".join(f"{lang or '?'} {n}" for lang, n in cluster.languages().most_common())
        lines.append(f"\n{number}. {cluster.size} question(s): {kinds} ({langs})")
        entries = cluster.entries()
        if entries:
            shown = ", ".join(f"{e} ×{n}" for e, n in entries.most_common(3))
            lines.append(f"   answered with: {shown}")
        for example in cluster.examples:
            lines.append(f"   • [{example.lang}] {_one_line(example.text)}")
    rest = clusters[top:]
    if rest:
        lines.append(
            f"\n…and {len(rest)} smaller group(s) with {sum(c.size for c in rest)} question(s)."
        )
    if disliked:
        lines.append("\nEntries rated 👎 (down / up):")
        lines += [f"   {entry_id}: {down} / {up}" for entry_id, down, up in disliked[:10]]
    return "\n".join(lines)


def _one_line(text: str, limit: int = 120) -> str:
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# ----------------------------------------------------------------------------- per day


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


# ----------------------------------------------------------------------------- datasette


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
