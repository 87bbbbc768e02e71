"""The dialogue router: intent + danger signals + retrieval score -> action.

Danger never rests on one component: the Rasa-independent danger detector
alone makes a message urgent, whatever Rasa says or whether it is running.
Rasa's `urgent` intent makes it urgent too, if retrieval's closest entries
include a danger topic and unless retrieval is fairly sure
(`question_over_urgent`) the message is an ordinary question about a
non-danger topic: on the development sets Rasa called worried questions ("I
stayed 4 months, will they ban me?", "my oswiadczenie ends in march, can my
boss extend it?") urgent, which would send the emergency guidance instead of
the answer.

A message fairly likely about a danger topic (an entry marked `urgent`,
retrieval confidence `danger_topic`) is urgent as well: someone asking what
debt bondage is, or whether an employer may keep their passport, may be
living it.

Likewise a retrieval answer sure enough (`question_over_intent`) wins over
Rasa's other non-question intents: "hi, how do I get a work permit?" is a
question, not a greeting.

Issue 12: an entry about the same area is not an answer. A question that
names a country the chosen entry does not cover (the entry's `countries`) is
not answered by it: the bot says it has nothing on that country and offers the
closest topics. And Rasa out of its depth (a single word, a statement, chatter
unlike its training data) neither raises an urgent ticket nor says goodbye: its
urgent intent counts only for messages of more than one word, its small talk
only for short messages or when it is very sure (`smalltalk_intent`);
otherwise the neutral reply (help, topics, the counsellor). A single topic
word is not answered with one entry either: the closest topics are offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.config import CounsellorSettings, RasaSettings, RetrievalSettings, Settings
from knowledge_base.search import Hit
from nlu.rasa_client import Intent

SMALLTALK = {"greet", "thanks", "goodbye", "bot_challenge", "switch_language"}
PLEASANTRY_REPLIES = {
    "greet": "greet",
    "thanks": "thanks",
    "goodbye": "goodbye",
    "ack": "acknowledged",
}
# Small talk up to this many words needs only a sure Rasa; longer messages need
# `smalltalk_intent` (statements like "my grandmother is fine" are not goodbyes).
SMALLTALK_WORDS = 3
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
    question_over_urgent: float = _RETRIEVAL.question_over_urgent
    question_over_handoff: float = _RETRIEVAL.question_over_handoff
    danger_topic: float = _RETRIEVAL.danger_topic_threshold
    smalltalk_intent: float = _RASA.smalltalk_intent_threshold

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        return cls(
            answer=settings.retrieval.answer_threshold,
            suggest=settings.retrieval.suggest_threshold,
            intent=settings.rasa.intent_threshold,
            urgent_intent=settings.rasa.urgent_intent_threshold,
            unanswered_before_handoff=settings.counsellors.unanswered_before_handoff,
            question_over_intent=settings.retrieval.question_over_intent,
            question_over_urgent=settings.retrieval.question_over_urgent,
            question_over_handoff=settings.retrieval.question_over_handoff,
            danger_topic=settings.retrieval.danger_topic_threshold,
            smalltalk_intent=settings.rasa.smalltalk_intent_threshold,
        )


@dataclass(frozen=True)
class Decision:
    action: Action
    message_key: str = ""
    entry_id: str | None = None
    # "not_covered": the countries the question named that the chosen entry (if sure)
    # or none of the closest entries (if not) is about
    uncovered: tuple[str, ...] = ()


def decide(
    intent: Intent | None,
    danger: list[str],
    hits: list[Hit],
    thresholds: Thresholds,
    unanswered_before: int = 0,
    named_countries: frozenset[str] = frozenset(),
    words: int = 2,
    known_countries: frozenset[str] | None = None,
    pleasantry: str | None = None,
) -> Decision:
    """The action for one message.

    Args:
        intent: Rasa's intent, None without Rasa.
        danger: the danger signals nlu.danger found (names; empty: none).
        hits: retrieval's entries, best first (score 0..1).
        unanswered_before: fallbacks in a row just before this message.
        named_countries: ISO codes of the countries the message names (nlu.countries).
        words: how many words the message has.
        known_countries: the countries some entry of the knowledge base is about
            (`KnowledgeBase.countries`); None: not known. When the bot is not
            sure, it says it has nothing on a named country only if no entry is
            about it.
        pleasantry: what a message of pleasantries alone says ("greet", "thanks",
            "goodbye", "ack": nlu.pleasantries.pleasantry_kind); None for anything else.
    """
    top = hits[0] if hits else None
    name = intent.name if intent else None
    confidence = intent.confidence if intent else 0.0
    sure = confidence >= thresholds.intent
    answerable = top is not None and top.score >= thresholds.answer
    # The question_over_* settings count as at least the answer threshold
    # (config.yml): a message the bot is not sure enough to answer is no reason
    # to set Rasa's reading, least of all an alarm, aside. An override of the
    # answer threshold alone keeps that true.
    plainly_a_question = top is not None and top.score >= max(
        thresholds.question_over_intent, thresholds.answer
    )
    # One word ("passport", "დახმარება") is a topic or a cry, not a question or a
    # report: neither Rasa's urgent nor a danger topic alone makes it an alarm,
    # and no single entry answers it.
    one_word = words <= 1

    # One word is too little for Rasa alone to raise an alarm ("დახმარება",
    # "help": 0.59 urgent); the danger signals still can. Nor is Rasa's urgent
    # enough when retrieval sees no danger topic among the closest
    # entries: on text unlike its training data Rasa was sure of urgency for
    # "got paid today, everything correct to the cent" (0.94); every urgent
    # message of the danger development sets that only Rasa caught had a danger
    # topic among its closest three.
    rasa_urgent = (
        name == "urgent"
        and confidence >= thresholds.urgent_intent
        and not one_word
        and any(hit.urgent for hit in hits)
    )
    ordinary_question = (
        top is not None
        and top.score >= max(thresholds.question_over_urgent, thresholds.answer)
        and not top.urgent
    )
    # A message fairly likely about a danger topic (debt bondage, a passport
    # taken, trafficking; its own threshold `danger_topic`, not the answer's) gets
    # the emergency guidance and a counsellor too: on the development sets most
    # such questions were the asker's own situation in words no signal knows
    # ("boss takes 'debt' from my salary every month and it never goes down").
    danger_topic = (
        top is not None and top.urgent and top.score >= thresholds.danger_topic and not one_word
    )
    # Asking for a person weighs more than Rasa's other readings and than a
    # danger topic's answer ("ოპერატორი გთხოვთ" is closest to the emergency
    # entry): only a retrieval confidence of `question_over_handoff` sets it
    # aside. The danger signals still make it urgent.
    asks_for_person = (
        sure
        and name == "ask_human"
        and (top is None or top.score < thresholds.question_over_handoff)
    )
    if danger or (
        not asks_for_person and (danger_topic or (rasa_urgent and not ordinary_question))
    ):
        return Decision(Action.URGENT)
    if asks_for_person:
        return Decision(Action.HANDOFF, "handoff")
    if pleasantry and not answerable:
        # "ok", "გასაგებია", "thanks" after an answer: a short word back, never counted
        # as an unanswered question (two of them handed the citizen to a counsellor, in
        # the middle of the night: a user trial), whatever Rasa made of it.
        return Decision(Action.SMALLTALK, PLEASANTRY_REPLIES[pleasantry])
    if sure and not plainly_a_question:
        if name == "switch_language":
            return Decision(Action.SMALLTALK, "language_set")
        # Other small talk only when the knowledge base has nothing: Rasa read
        # "what counts as forced labour?" as goodbye (0.9997); and only for a
        # short message or a very sure Rasa: "my grandmother is fine" was goodbye
        # at 0.75, where "bye" is 0.74 and "hi" 0.67.
        if name in SMALLTALK and not answerable:
            if words <= SMALLTALK_WORDS or confidence >= thresholds.smalltalk_intent:
                return Decision(Action.SMALLTALK, name)
            return _not_answered(unanswered_before, thresholds, "neutral")
        if name == "out_of_scope":
            return _not_answered(unanswered_before, thresholds, "out_of_scope")
    if answerable and one_word:
        # One topic word ("passport": taken by an employer, renewed abroad, checked
        # at the airport?) is not a question; the closest topics are offered.
        return _not_answered(unanswered_before, thresholds, "one_word")
    if answerable:
        uncovered = _uncovered(named_countries, top)
        if uncovered:
            return _not_answered(unanswered_before, thresholds, "not_covered", uncovered)
        return Decision(Action.ANSWER, entry_id=top.entry_id)
    uncovered = _uncovered_by_any(named_countries, hits, known_countries)
    if uncovered:
        # Not sure, and none of the closest entries is about the countries
        # named: say which country the bot has nothing on.
        return _not_answered(unanswered_before, thresholds, "not_covered", uncovered)
    if name in ("urgent", *SMALLTALK) or one_word:
        # Rasa read it as chatter or an alarm without being sure, or one word:
        # not a question the knowledge base missed, so the neutral reply.
        return _not_answered(unanswered_before, thresholds, "neutral")
    return _not_answered(unanswered_before, thresholds, "not_sure")


def _uncovered(named: frozenset[str], top: Hit) -> tuple[str, ...]:
    """The named countries, if the entry is about specific countries and none of them."""
    if not named or not top.countries or named & set(top.countries):
        return ()
    return tuple(sorted(named))


def _uncovered_by_any(
    named: frozenset[str], hits: list[Hit], known: frozenset[str] | None = None
) -> tuple[str, ...]:
    """The named countries that no hit's entry is specifically about (entries
    for any destination do not count: the bot was not sure they answer) and,
    if `known` is given, no entry at all: a long question about seasonal work
    in Germany whose closest entries were about fake offers was told "I have
    no information on this for Germany" (a helper's trial, 2026-12-01)."""
    covered = {code for hit in hits for code in hit.countries} | (known or set())
    return tuple(sorted(named - covered)) if hits else ()


def _not_answered(
    unanswered_before: int,
    thresholds: Thresholds,
    message_key: str,
    uncovered: tuple[str, ...] = (),
) -> Decision:
    """A second unanswered message in a row (by default) goes to a person."""
    if unanswered_before + 1 >= thresholds.unanswered_before_handoff:
        return Decision(Action.HANDOFF, "handoff")
    return Decision(Action.FALLBACK, message_key, uncovered=uncovered)
