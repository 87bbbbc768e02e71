"""`migbot chat`: the same pipeline as the Telegram bot, in a terminal."""

from __future__ import annotations

import sys

from bot.answering import Action, Pipeline

PROMPT = "> "


def chat(pipeline: Pipeline) -> int:
    """Read questions from the terminal until Ctrl-D or /quit; returns the exit status."""
    print("migbot local chat. Ask in Georgian or English; Ctrl-D or /quit ends.", file=sys.stderr)
    unanswered = 0
    lang: str | None = None
    previous: str | None = None  # the entry answered last, for follow-ups
    while True:
        try:
            line = input(PROMPT)
        except (EOFError, KeyboardInterrupt):
            print(file=sys.stderr)
            return 0
        if line.strip() in {"/quit", "/exit"}:
            return 0
        reply = pipeline.answer(
            line, lang_hint=lang, unanswered_before=unanswered, previous_entry=previous
        )
        lang = reply.lang
        if reply.action == Action.ANSWER:
            previous = reply.entry_id
        elif reply.action in {Action.HANDOFF, Action.URGENT}:
            previous = None
        unanswered = unanswered + 1 if reply.action == Action.FALLBACK else 0
        print(f"\n{reply.reply}\n")
        if reply.action in {Action.HANDOFF, Action.URGENT}:
            print(f"[{reply.action}: in Telegram this chat now goes to a counsellor]\n")
            unanswered = 0
