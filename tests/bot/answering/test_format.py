"""An entry's answer as the bot shows it: the answer, then its sources and review date."""

from __future__ import annotations

from bot.answering import format_answer
from knowledge_base.search import EntryView


def test_the_georgian_source_line_uses_title_ka():
    sources = [
        {"title": "Law on Labour Migration", "title_ka": "შრომითი მიგრაციის შესახებ კანონი"},
        {"title": "IOM Georgia"},
    ]
    view = EntryView(
        id="x", category="help", urgent=False, reviewed="2026-11-30", sources=sources,
        related=[], question={"ka": "?", "en": "?"}, answer={"ka": "პასუხი", "en": "Answer"},
    )  # fmt: skip
    assert "შრომითი მიგრაციის შესახებ კანონი; IOM Georgia" in format_answer(view, "ka")
    assert "Law on Labour Migration; IOM Georgia" in format_answer(view, "en")
