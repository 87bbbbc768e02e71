"""The dialogue router: intent + danger signals + retrieval score -> action.

Danger never rests on one component: the Rasa-independent danger detector
alone makes a message urgent, whatever Rasa says or whether it is running.
Rasa's `urgent` intent makes it urgent too, unless retrieval is sure the
message is an ordinary question about a non-danger topic: on the development
set Rasa called worried questions ("I stayed 4 months, will they ban me?")
urgent, which would send the emergency guidance instead of the answer.

Likewise a retrieval answer this sure wins over Rasa's other non-question
intents: "hi, how do I get a work permit?" is a question, not a greeting.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge_base.search import Hit
from nlu.rasa_client import Intent

SMALLTALK = {"greet", "thanks", "goodbye", "bot_challenge", "switch_language"}


@dataclass(frozen=True)
class Thresholds:
    answer: float = 0.15  # retrieval confidence needed to answer from the KB
    suggest: float = 0.05  # entries worth offering when not sure
    intent: float = 0.6  # Rasa confidence needed to act on an intent
    urgent_intent: float = 0.5  # lower: a missed emergency costs more than a false alarm
    unanswered_before_handoff: int = 2
    question_over_intent: float = 0.5  # retrieval confidence that outweighs an intent


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
    name = intent.name if intent else None
    confidence = intent.confidence if intent else 0.0
    sure = confidence >= thresholds.intent
    answerable = top is not None and top.score >= thresholds.answer
    plainly_a_question = top is not None and top.score >= thresholds.question_over_intent

    rasa_urgent = name == "urgent" and confidence >= thresholds.urgent_intent
    ordinary_question = plainly_a_question and not top.urgent
    if danger or (rasa_urgent and not ordinary_question):
        return Decision("urgent")
    if sure and not plainly_a_question:
        if name == "ask_human":
            return Decision("handoff", "handoff")
        if name == "switch_language":
            return Decision("smalltalk", "language_set")
        # Other small talk only when the knowledge base has nothing: Rasa read
        # "what counts as forced labour?" as goodbye (0.9997).
        if name in SMALLTALK and not answerable:
            return Decision("smalltalk", name)
        if name == "out_of_scope":
            return _not_answered(unanswered_before, thresholds, "out_of_scope")
    if answerable:
        return Decision("answer", entry_id=top.entry_id)
    return _not_answered(unanswered_before, thresholds, "not_sure")


def _not_answered(unanswered_before: int, thresholds: Thresholds, message_key: str) -> Decision:
    """A second unanswered message in a row goes to a person."""
    if unanswered_before + 1 >= thresholds.unanswered_before_handoff:
        return Decision("handoff", "handoff")
    return Decision("fallback", message_key)
