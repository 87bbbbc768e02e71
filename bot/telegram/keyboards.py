"""Inline keyboards and the callback data they carry.

Callback data is short text, at most 64 bytes (a Telegram limit):
    lang:<ka|en>        choose the language
    menu                the topic menu, as a new message
    back                the topic menu, in place of a category list
    cat:<category>      the questions of one category
    e:<entry id>        one entry's answer
    fb:<+|->:<entry id> feedback on an answer
    human               talk to a counsellor
    tool:stay           the Schengen stay calculator
    tool:offer          the job-offer check
    forget:<yes|no>     confirm /forget
    clear:ask           offer to delete this chat from the phone (/clear)
    clear:<yes|no>      confirm /clear
Anything else (old or foreign buttons) is answered politely by the bot.
"""

from __future__ import annotations

from collections.abc import Iterable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import say
from knowledge_base.search import KnowledgeBase

CATEGORIES = ("legal-work", "risks", "help")
LANGUAGE_LABELS = {"ka": "ქართული", "en": "English"}
MAX_BUTTON_CHARS = 60
MAX_CALLBACK_BYTES = 64
MAX_RELATED = 3


def button(text: str, data: str) -> InlineKeyboardButton:
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data longer than {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return InlineKeyboardButton(_shorten(text), callback_data=data)


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_BUTTON_CHARS else text[: MAX_BUTTON_CHARS - 1] + "…"


def rows(buttons: Iterable[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [[b] for b in buttons]


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[button(label, f"lang:{code}") for code, label in LANGUAGE_LABELS.items()]]
    )


def counsellor_button(lang: str) -> InlineKeyboardButton:
    return button(say("btn_counsellor", lang), "human")


def topics_button(lang: str) -> InlineKeyboardButton:
    return button(say("btn_topics", lang), "menu")


def stay_button(lang: str) -> InlineKeyboardButton:
    """The Schengen stay calculator (/stay)."""
    return button(say("btn_stay", lang), "tool:stay")


def offer_button(lang: str) -> InlineKeyboardButton:
    """The job-offer check (/checkoffer)."""
    return button(say("btn_offer", lang), "tool:offer")


def start_keyboard(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [topics_button(lang)],
            [stay_button(lang)],
            [offer_button(lang)],
            [counsellor_button(lang)],
        ]
    )


def categories_keyboard(lang: str) -> InlineKeyboardMarkup:
    buttons = [button(say(f"cat_{c}", lang), f"cat:{c}") for c in CATEGORIES]
    return InlineKeyboardMarkup([*rows(buttons), [counsellor_button(lang)]])


def category_keyboard(kb: KnowledgeBase, category: str, lang: str) -> InlineKeyboardMarkup:
    entries = sorted(kb.entries_in(category), key=lambda e: (not e.urgent, e.question[lang]))
    buttons = [button(e.question[lang], f"e:{e.id}") for e in entries]
    return InlineKeyboardMarkup([*rows(buttons), [button(say("btn_back", lang), "back")]])


def answer_keyboard(
    kb: KnowledgeBase,
    entry_id: str | None,
    related: list[str],
    lang: str,
    offer_stay: bool = False,
    offer_check: bool = False,
) -> InlineKeyboardMarkup:
    """Under an answer: feedback, up to three related topics, the stay calculator or the
    job-offer check when offered, a counsellor, the menu."""
    keyboard: list[list[InlineKeyboardButton]] = []
    if entry_id:
        keyboard.append([button("👍", f"fb:+:{entry_id}"), button("👎", f"fb:-:{entry_id}")])
    keyboard += rows(entry_buttons(kb, related, lang))
    if offer_stay:
        keyboard.append([stay_button(lang)])
    if offer_check:
        keyboard.append([offer_button(lang)])
    keyboard.append([counsellor_button(lang), topics_button(lang)])
    return InlineKeyboardMarkup(keyboard)


def entry_buttons(kb: KnowledgeBase, entry_ids: list[str], lang: str) -> list[InlineKeyboardButton]:
    known = [i for i in entry_ids if i in kb.entries][:MAX_RELATED]
    return [button(kb.entry(i).question[lang], f"e:{i}") for i in known]


def suggestions_keyboard(
    kb: KnowledgeBase, suggestions: list[str], lang: str
) -> InlineKeyboardMarkup:
    keyboard = rows(entry_buttons(kb, suggestions, lang))
    keyboard.append([counsellor_button(lang), topics_button(lang)])
    return InlineKeyboardMarkup(keyboard)


def menu_only_keyboard(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[topics_button(lang)]])


def forget_keyboard(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [button(say("btn_forget_yes", lang), "forget:yes")],
            [button(say("btn_forget_no", lang), "forget:no")],
        ]
    )


def clear_button(lang: str) -> InlineKeyboardButton:
    """🧹 "delete this chat from my phone": asks before deleting (clear:ask)."""
    return button(say("btn_clear", lang), "clear:ask")


def urgent_keyboard(kb: KnowledgeBase, lang: str) -> InlineKeyboardMarkup:
    """Under the emergency guidance: a counsellor, the menu, and the offer to delete the
    chat from the phone (people whose phones are checked)."""
    rows_ = list(answer_keyboard(kb, None, [], lang).inline_keyboard)
    return InlineKeyboardMarkup([*rows_, [clear_button(lang)]])


def clear_offer_keyboard(lang: str) -> InlineKeyboardMarkup:
    """Only the offer to delete the chat from the phone."""
    return InlineKeyboardMarkup([[clear_button(lang)]])


def clear_keyboard(lang: str) -> InlineKeyboardMarkup:
    """Confirm /clear: yes (clear:yes) or no (clear:no)."""
    return InlineKeyboardMarkup(
        [
            [button(say("btn_clear_yes", lang), "clear:yes")],
            [button(say("btn_clear_no", lang), "clear:no")],
        ]
    )


def without_feedback(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """The same keyboard minus the 👍/👎 row, once the user has voted."""
    if markup is None:
        return None
    kept = [
        list(row)
        for row in markup.inline_keyboard
        if not any(str(b.callback_data or "").startswith("fb:") for b in row)
    ]
    return InlineKeyboardMarkup(kept)
