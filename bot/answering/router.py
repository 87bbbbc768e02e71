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
from enum import StrEnum

from bot.config import CounsellorSettings, RasaSettings, RetrievalSettings, Settings
from knowledge_base.search import Hit
from nlu.rasa_client import Intent

SMALLTALK = {"greet", "thanks", "goodbye", "bot_challenge", "switch_language"}
_RETRIEVAL, _RASA, _COUNSELLORS = RetrievalSettings(), RasaSettings(), CounsellorSettings()


class Action(StrEnum):
    """What the bot does with a message (`migbot ask --json`'s "action")."""

    ANSWER = "answer"  # an entry's answer
    FALLBACK = "fallback"  # not sure: closest topics and the counsellor offered
    HANDOFF = "handoff"  # to a counsellor
    URGENT = "urgent"  # emergency guidance first, then a counsellor at once
    SMALLTALK = "smalltalk"  # greetings, thanks, a language switch


@dataclass(frozen=True)
class Thresholds:
    """The router's thresholds; defaults are the settings' (config.yml)."""

    answer: float = _RETRIEVAL.answer_threshold  # retrieval confidence needed to answer
    suggest: float = _RETRIEVAL.suggest_threshold  # entries worth offering when not sure
    intent: float = _RASA.intent_threshold  # Rasa confidence needed to act on an intent
    urgent_intent: float = _RASA.urgent_intent_threshold
    unanswered_before_handoff: int = _COUNSELLORS.unanswered_before_handoff
    question_over_intent: float = _RETRIEVAL.question_over_intent

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        return cls(
            answer=settings.retrieval.answer_threshold,
            suggest=settings.retrieval.suggest_threshold,
            intent=settings.rasa.intent_threshold,
            urgent_intent=settings.rasa.urgent_intent_threshold,
            unanswered_before_handoff=settings.counsellors.unanswered_before_handoff,
            question_over_intent=settings.retrieval.question_over_intent,
        )


@dataclass(frozen=True)
class Decision:
    action: Action
    message_key: str = ""
    entry_id: str | None = None


def decide(
    intent: Intent | None,
    danger: list[str],
    hits: list[Hit],
    thresholds: Thresholds,
    unanswered_before: int = 0,
) -> Decision:
    """The action for one message.

    Args:
        intent: Rasa's intent, None without Rasa.
        danger: the danger signals nlu.danger found (names; empty: none).
        hits: retrieval's entries, best first (score 0..1).
        unanswered_before: fallbacks in a row just before this message.
    """
    top = hits[0] if hits else None
    name = intent.name if intent else None
    confidence = intent.confidence if intent else 0.0
    sure = confidence >= thresholds.intent
    answerable = top is not None and top.score >= thresholds.answer
    plainly_a_question = top is not None and top.score >= thresholds.question_over_intent

    rasa_urgent = name == "urgent" and confidence >= thresholds.urgent_intent
    ordinary_question = plainly_a_question and not top.urgent
    if danger or (rasa_urgent and not ordinary_question):
        return Decision(Action.URGENT)
    if sure and not plainly_a_question:
        if name == "ask_human":
            return Decision(Action.HANDOFF, "handoff")
        if name == "switch_language":
            return Decision(Action.SMALLTALK, "language_set")
        # Other small talk only when the knowledge base has nothing: Rasa read
        # "what counts as forced labour?" as goodbye (0.9997).
        if name in SMALLTALK and not answerable:
            return Decision(Action.SMALLTALK, name)
        if name == "out_of_scope":
            return _not_answered(unanswered_before, thresholds, "out_of_scope")
    if answerable:
        return Decision(Action.ANSWER, entry_id=top.entry_id)
    return _not_answered(unanswered_before, thresholds, "not_sure")


def _not_answered(unanswered_before: int, thresholds: Thresholds, message_key: str) -> Decision:
    """A second unanswered message in a row (by default) goes to a person."""
    if unanswered_before + 1 >= thresholds.unanswered_before_handoff:
        return Decision(Action.HANDOFF, "handoff")
    return Decision(Action.FALLBACK, message_key)
