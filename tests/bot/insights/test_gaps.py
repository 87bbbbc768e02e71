"""`migbot kb gaps`: unanswered, unsure and 👎 questions grouped by topic, across languages."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot.answering import Pipeline
from bot.cli import main
from bot.config import InsightsSettings, RetrievalSettings, Settings
from bot.insights import gaps
from bot.store import Store, reports
from knowledge_base.index import question_means

# Answered, but between the answer threshold and `insights.unsure_below`.
UNSURE_SCORE = (RetrievalSettings().answer_threshold + InsightsSettings().unsure_below) / 2

# Two things the knowledge base does not cover, asked in English, Georgian
# script and Georgian typed in Latin letters; plus unrelated noise.
JAPAN = [
    "can I work in Japan legally",
    "Japan work visa for Georgians",
    "is there a programme for jobs in Japan",
    "how do I find a job in Tokyo",
    "იაპონიაში მუშაობა შეიძლება?",
    "იაპონიაში სამუშაო ვიზა როგორ ავიღო",
    "იაპონიაში დასაქმების პროგრამა არსებობს?",
    "iaponiashi samushao rogor vipovo",
]
DRIVING = [
    "can I use my Georgian driving licence in Germany",
    "exchange my driver's licence abroad",
    "do I need a new driving licence in Poland",
    "is a Georgian driving license valid in the EU",
    "მართვის მოწმობა გერმანიაში მოქმედებს?",
    "ქართული მართვის მოწმობის გაცვლა საზღვარგარეთ",
    "პოლონეთში ახალი მართვის მოწმობა მჭირდება?",
    "martvis mowmoba polonetshi",
]
NOISE = [
    "what's the weather tomorrow",
    "asdf",
    "recipe for khachapuri",
    "who won the football match",
    "ხაჭაპურის რეცეპტი",
]


def _lang(text: str) -> str:
    georgian = any("\u10d0" <= ch <= "\u10ff" for ch in text)
    return "ka" if georgian or text in (JAPAN[-1], DRIVING[-1]) else "en"


def fill_database(path: Path) -> None:
    store = Store.open(path, b"test-key")
    conversations = store.conversations
    try:
        for number, text in enumerate(JAPAN + NOISE):
            key = store.user_key(number)
            conversations.touch_user(key, chat_id=1000 + number)
            conversations.log_message(key, _lang(text), "fallback", text, score=0.01)
        for number, text in enumerate(DRIVING):
            key = store.user_key(100 + number)
            if number % 2:  # answered with an unrelated entry, and rated 👎
                conversations.log_message(
                    key, _lang(text), "answer", text, None, "remittances", 0.95
                )
                store.feedback.add(key, "remittances", -1)
            else:  # answered, but unsure
                conversations.log_message(
                    key, _lang(text), "answer", text, None, "work-permit-visa", UNSURE_SCORE
                )
        # Neither unanswered nor disliked: must not appear.
        key = store.user_key(500)
        conversations.log_message(
            key, "en", "answer", "how do I check an agency", None, "check-agency", 0.95
        )
        store.feedback.add(key, "check-agency", 1)
        conversations.log_message(
            key, "en", "urgent", "they took my passport", None, "emergency-danger"
        )
        # Older than the window.
        with store.database.transaction() as db:
            db.execute(
                "insert into messages (ts, user_key, lang, action, text, score) values "
                "('2020-01-01T00:00:00+00:00', 'old', 'en', 'fallback', 'an old question', 0)"
            )
    finally:
        store.close()


@pytest.fixture
def gap_database(tmp_path: Path) -> Path:
    path = tmp_path / "migbot.db"
    fill_database(path)
    return path


def test_gap_questions_reads_the_three_kinds(gap_database: Path) -> None:
    questions = reports.gap_questions(gap_database, days=30)
    texts = {q.text: q.kind for q in questions}
    assert set(texts) == set(JAPAN + NOISE + DRIVING)
    assert texts[DRIVING[0]] == reports.UNSURE
    assert texts[DRIVING[1]] == reports.DISLIKED  # the question behind the 👎
    assert texts[JAPAN[0]] == reports.UNANSWERED
    assert reports.disliked_entries(gap_database, days=30) == [("remittances", 4, 0)]


def test_questions_group_by_topic_across_languages(
    gap_database: Path, base_settings: Settings, pipeline: Pipeline
) -> None:
    from bot.assemble import embedder_for
    from nlu.georgian import understand

    questions = reports.gap_questions(gap_database, days=30)
    means = question_means(base_settings.index_dir, embedder_for(base_settings).model_name)
    assert means is not None and set(means) == {"ka", "en"}
    clusters = gaps.cluster_questions(
        questions,
        embedder_for(base_settings).encode_queries,
        means,
        prepare=lambda text: understand(text).text or text,
    )
    # The two largest groups are the two topics, each with both languages.
    for home in clusters[:2]:
        inside = [q.text for q in home.questions]
        topic = (
            JAPAN
            if sum(t in JAPAN for t in inside) > sum(t in DRIVING for t in inside)
            else DRIVING
        )
        assert sum(text in topic for text in inside) >= 7, inside
        assert sum(text not in topic for text in inside) <= 1, inside
        assert {q.lang for q in home.examples} == {"ka", "en"}
    assert all(c.size <= 3 for c in clusters[2:]), [c.size for c in clusters]


def test_gaps_command_prints_groups_and_draws_chart(
    gap_database: Path,
    base_settings: Settings,
    pipeline: Pipeline,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The command reads its database from data_dir and the index from the same place.
    data_dir = gap_database.parent
    (data_dir / "index").symlink_to(base_settings.index_dir, target_is_directory=True)
    monkeypatch.setenv("MIGBOT_DATA_DIR", str(data_dir))
    chart = data_dir / "per-day.png"

    assert main(["kb", "gaps", "--days", "7", "--chart", str(chart)]) == 0

    out = capsys.readouterr().out
    assert "21 question(s)" in out
    first, second = out.split("\n1. ")[1].split("\n2. ")[0], out.split("\n2. ")[1]
    assert any(text in first for text in JAPAN + DRIVING)
    assert any(text in second for text in JAPAN + DRIVING)
    assert "remittances: 4 / 0" in out
    assert "an old question" not in out
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_daily_counts_stack_by_outcome(gap_database: Path) -> None:
    # The clock is the messages' own: a run that crosses midnight still counts them.
    with sqlite3.connect(gap_database) as db:
        stamps = [ts for (ts,) in db.execute("select ts from messages where user_key != 'old'")]
    now = max(dt.datetime.fromisoformat(ts) for ts in stamps)
    counts = reports.daily_counts(gap_database, days=3, now=now)
    assert [day for day, *_ in counts] == sorted({ts[:10] for ts in stamps})
    assert tuple(sum(column) for column in zip(*(c[1:] for c in counts), strict=True)) == (
        9,
        13,
        1,
    )


def test_empty_database_says_so(tmp_path: Path) -> None:
    Store.open(tmp_path / "migbot.db", b"k").close()
    assert reports.gap_questions(tmp_path / "migbot.db", days=30) == []
    text = gaps.format_gaps([], [], days=30)
    assert text.startswith("No unanswered")
