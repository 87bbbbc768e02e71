"""An entry's answer as the bot shows it: the answer, then its sources and review date."""

from __future__ import annotations

from bot.answering import format_answer, format_emergency
from bot.texts import say
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


def view(urgent: bool) -> EntryView:
    first = {
        "en": "If you are in danger now, call 112.",
        "ka": "საფრთხეში თუ ხართ, დარეკეთ 112-ზე.",
    }
    return EntryView(
        id="x", category="risks", urgent=urgent, reviewed="2026-11-30",
        sources=[{"title": "IOM Georgia"}], related=[], question={"ka": "?", "en": "?"},
        answer={lang: f"{text}\n\nWhat to do next." for lang, text in first.items()},
    )  # fmt: skip


def test_an_urgent_entry_is_its_own_emergency_guidance_said_once():
    for lang in ("en", "ka"):
        text = format_emergency(view(urgent=True), lang)
        assert text == format_answer(view(urgent=True), lang)
        assert say("urgent_intro", lang) not in text and text.count("112") == 1


def test_without_an_urgent_entry_the_fixed_guidance_comes_first():
    assert format_emergency(None, "ka") == say("urgent_intro", "ka")
    text = format_emergency(view(urgent=False), "en")
    assert text.startswith(say("urgent_intro", "en")) and text.endswith(
        format_answer(view(urgent=False), "en")
    )
