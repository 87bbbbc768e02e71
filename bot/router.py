"""The dialogue router: intent + danger signals + retrieval score -> action.

Danger never rests on one component: the Rasa-independent danger detector
alone is enough to make a message urgent, and Rasa's `urgent` intent alone is
enough too.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge_base.search import Hit
from nlu.rasa_client import Intent

SMALLTALK = {"greet", "thanks", "goodbye", "bot_challenge", "switch_language"}


@dataclass(frozen=True)
class Thresholds:
    answer: float = 0.2  # retrieval confidence needed to answer from the KB
    suggest: float = 0.05  # entries worth offering when not sure
    intent: float = 0.6  # Rasa confidence needed to act on an intent
    urgent_intent: float = 0.5  # lower: a missed emergency costs more than a false alarm
    unanswered_before_handoff: int = 2
    # A retrieval confidence this high wins over a small-talk intent:
    # "hi, how do I get a work permit?" is a question, not a greeting.
    question_over_smalltalk: float = 0.6


@dataclass(frozen=True)
class Decision:
    action: str  # answer | fallback | handoff | urgent | smalltalk
    message_key: str = ""
    entry_id: str | None = None


def decide(
    intent: Intent | None,
    danger: list[str],
    hits: list[Hit],
    thresholds: Thresholds,
    unanswered_before: int = 0,
) -> Decision:
    top = hits[0] if hits else None
    confident_answer = top is not None and top.score >= thresholds.answer
    name = intent.name if intent else None
    sure = intent is not None and intent.confidence >= thresholds.intent

    if danger or (
        name == "urgent" and intent is not None and intent.confidence >= thresholds.urgent_intent
    ):
        return Decision("urgent")
    if name == "ask_human" and sure:
        return Decision("handoff", "handoff")
    if (
        name in SMALLTALK
        and sure
        and (top is None or top.score < thresholds.question_over_smalltalk)
    ):
        return Decision("smalltalk", "greet" if name == "switch_language" else name)
    if confident_answer and not (name == "out_of_scope" and sure and intent.confidence > 0.9):
        return Decision("answer", entry_id=top.entry_id)
    if unanswered_before + 1 >= thresholds.unanswered_before_handoff:
        return Decision("handoff", "handoff")
    return Decision("fallback", "out_of_scope" if name == "out_of_scope" and sure else "not_sure")
