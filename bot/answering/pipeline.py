"""The path of one message: bot -> nlu -> knowledge_base -> bot.

`Pipeline.answer(text)` is what the Telegram bot, the local chat,
`migbot ask` and `migbot eval` all call, so their figures are the bot's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot.answering import router
from bot.answering.router import Action
from bot.texts import say, shorten_middle
from knowledge_base.search import EntryView, Hit, KnowledgeBase
from nlu.countries import countries_named, country_name, without_countries
from nlu.danger import find_danger_signals
from nlu.georgian import Understood, understand
from nlu.pleasantries import (
    is_acknowledging_emoji,
    is_only_pleasantries,
    pleasantry_kind,
    without_pleasantries,
)
from nlu.rasa_client import Intent, RasaClient

log = logging.getLogger(__name__)
MAX_QUERY_CHARS = 1000
EMERGENCY_ENTRY = "emergency-danger"
# Danger signals (nlu/danger_signals.yml) that no danger topic is about: their
# urgent reply gives the general emergency guidance, not the closest danger
# topic's answer ("I don't want to live anymore" got the trafficking-signs
# answer in a helper's trial, 2026-12-01).
GENERAL_GUIDANCE_SIGNALS = frozenset({"suicide"})


# A follow-up ("and in Spain?", "და გერმანიაში?") is read together with the topic
# answered just before only when it is this short (see _is_follow_up).
FOLLOW_UP_MAX_WORDS = 10


@dataclass(frozen=True)
class Question:
    text: str
    lang_hint: str | None = None  # the user's language when the text has no letters
    unanswered_before: int = 0  # fallbacks in a row just before this question
    previous_entry: str | None = None  # the entry answered just before in this chat


@dataclass
class Reply:
    """The pipeline's answer to one message; `to_json` is `migbot ask --json`'s line."""

    lang: str
    action: Action
    intent: str | None
    entry_id: str | None
    score: float
    reply: str
    related: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    danger: list[str] = field(default_factory=list)
    entities: dict[str, str] = field(default_factory=dict)
    candidates: list[str] = field(default_factory=list)  # retrieval's top entries
    truncated: bool = False
    reason: str = ""  # a fallback's kind (the router's message key: "not_sure", ...)

    def to_json(self) -> dict:
        return {
            "lang": self.lang,
            "action": str(self.action),
            "intent": self.intent,
            "entry_id": self.entry_id,
            "score": round(self.score, 4),
            "reply": self.reply,
        }


class Pipeline:
    """Understanding (nlu), retrieval (knowledge_base) and the router, for one message or many.

    Args:
        knowledge_base: the served index; `reload` swaps it.
        rasa: the Rasa NLU client, None for retrieval and danger signals alone.
        thresholds: the router's thresholds (Thresholds.from_settings).
        top_k: how many entries retrieval returns per question.
    """

    def __init__(
        self,
        knowledge_base: KnowledgeBase,
        rasa: RasaClient | None,
        thresholds: router.Thresholds,
        top_k: int = 3,
    ):
        self.kb = knowledge_base
        self.rasa = rasa
        self.thresholds = thresholds
        self.top_k = top_k
        self._learn_vocabulary()

    def reload(self, knowledge_base: KnowledgeBase) -> None:
        """Swap in a new index; a message already in flight keeps the old one."""
        self.kb = knowledge_base
        self._learn_vocabulary()

    def _learn_vocabulary(self) -> None:
        from nlu.georgian import default_transliterator

        transliterator = default_transliterator()
        transliterator.add_vocabulary(
            w for w in self.kb.vocabulary() if any("\u10d0" <= ch <= "\u10ff" for ch in w)
        )
        transliterator.add_terms(self.kb.latin_terms())

    def answer(
        self,
        text: str,
        lang_hint: str | None = None,
        unanswered_before: int = 0,
        previous_entry: str | None = None,
    ) -> Reply:
        """The reply to one message; `previous_entry` is the entry answered just before
        in the same conversation (None: none, or too long ago), for follow-ups."""
        question = Question(text, lang_hint, unanswered_before, previous_entry)
        return self.answer_many([question])[0]

    def answer_many(self, questions: list[Question]) -> list[Reply]:
        """Answer several questions with one call of the encoder (see search_many)."""
        kb = self.kb  # one index for the whole batch, even if a reload happens meanwhile
        replies: list[Reply | None] = []
        searchable: list[tuple[int, Question, Understood]] = []
        for question in questions:
            understood = understand(shorten_middle(question.text, MAX_QUERY_CHARS))
            lang = understood.lang if understood.script != "none" else (question.lang_hint or "ka")
            if is_acknowledging_emoji(question.text):  # "👍" after an answer
                text = say("acknowledged", lang)
                replies.append(Reply(lang, Action.SMALLTALK, None, None, 0.0, text))
            elif not any(ch.isalpha() for ch in understood.text):
                replies.append(Reply(lang, Action.FALLBACK, None, None, 0.0, say("empty", lang)))
            else:
                replies.append(None)
                searchable.append((len(replies) - 1, question, understood))
        texts = [u.text for _, _, u in searchable]
        # Rasa (its own process) parses the whole message while this thread
        # encodes and searches the question without greetings and thanks.
        intents = [self.rasa.parse_soon(text) for text in texts] if self.rasa else []
        all_hits = kb.search_many([without_pleasantries(t) for t in texts], top_k=self.top_k)
        for n, ((position, question, understood), hits) in enumerate(
            zip(searchable, all_hits, strict=True)
        ):
            intent = intents[n].result() if intents else None
            replies[position] = self._decide(kb, question, understood, hits, intent)
        self._read_follow_ups(kb, replies, searchable)
        return replies  # type: ignore[return-value]

    def _read_follow_ups(
        self,
        kb: KnowledgeBase,
        replies: list[Reply | None],
        searchable: list[tuple[int, Question, Understood]],
    ) -> None:
        """A short message just after an answer that the bot could not answer alone (or
        answered from another country than the conversation's) is read as a follow-up
        (`_follow_up_readings`); `_follow_up_reply` decides. Replies are replaced in
        place; anything else stays as it was. Figures: bench/followups_dev.jsonl,
        docs/quality.md ("Follow-ups")."""
        pending = []
        for position, question, understood in searchable:
            previous = kb.entries.get(question.previous_entry or "")
            alone = replies[position]
            if previous and alone and _is_follow_up(kb, understood, alone, previous):
                pending.append((position, question, understood, previous, alone))
        readings = [_follow_up_readings(item[2], item[3]) for item in pending]
        found = iter(kb.search_many([q for queries in readings for q in queries], self.top_k))
        for (position, question, understood, previous, alone), queries in zip(
            pending, readings, strict=True
        ):
            searched = [(query, next(found)) for query in queries]
            replies[position] = self._follow_up_reply(
                kb, question, understood, previous, alone, searched
            )

    def _follow_up_reply(
        self,
        kb: KnowledgeBase,
        question: Question,
        understood: Understood,
        previous: EntryView,
        alone: Reply,
        readings: list[tuple[str, list[Hit]]],
    ) -> Reply:
        """The first reading the router answers on its usual rules, if the entry is not
        the previous one again (the detail asked after an answer was mostly not in it:
        repeating it gave 17 false answers for 14 right on the development set), a
        country the message names is one the entry is about ("and in Japan?"), and an
        answer does not leave the conversation's country. Otherwise the topics closest
        to the conversation, where alone the message got the out-of-scope or neutral
        reply ("how much does it cost?" got "I only answer questions about working
        abroad") or another country's answer; else the reply it got alone."""
        named = countries_named(understood.text, understood.original)
        for text, hits in readings:
            # Rasa's reading of the bare follow-up says nothing about it in context
            # ("how much does it cost?" is out of scope alone): retrieval decides.
            read = self._decide(kb, question, understood, hits, None, words=len(text.split()))
            entry = kb.entries.get(read.entry_id or "")
            if (
                read.action == Action.ANSWER
                and read.entry_id != previous.id
                and not (named and (entry is None or not named & set(entry.countries)))
                and not (alone.action == Action.ANSWER and _left_the_country(kb, read, previous))
            ):
                return read
        if alone.reason in ("out_of_scope", "neutral", "not_sure") or alone.action == Action.ANSWER:
            decision = router.Decision(Action.FALLBACK, "not_sure")
            unsure = self._compose(kb, decision, alone.lang, readings[0][1], [])
            unsure.intent, unsure.candidates = alone.intent, alone.candidates
            return unsure
        return alone

    def _decide(
        self,
        kb: KnowledgeBase,
        question: Question,
        understood: Understood,
        hits: list[Hit],
        intent: Intent | None,
        words: int | None = None,
    ) -> Reply:
        lang = understood.lang if understood.script != "none" else (question.lang_hint or "ka")
        pleasantry = pleasantry_kind(understood.text)
        if pleasantry and question.lang_hint in ("ka", "en"):
            # "ok" from someone who chose Georgian is no switch to English (a user trial)
            lang = question.lang_hint
        danger = find_danger_signals(understood.text) or find_danger_signals(
            understood.original.lower()
        )
        decision = router.decide(
            intent,
            danger,
            hits,
            self.thresholds,
            question.unanswered_before,
            named_countries=countries_named(understood.text, understood.original),
            known_countries=kb.countries(),
            words=len(understood.text.split()) if words is None else words,
            pleasantry=pleasantry,
        )
        if decision.message_key == "language_set" and intent:
            # "write to me in English" is answered in the language asked for.
            lang = intent.entities.get("language", "en" if lang == "ka" else "ka")
        reply = self._compose(kb, decision, lang, hits, danger)
        reply.intent = intent.name if intent else None
        reply.danger = danger
        reply.entities = intent.entities if intent else {}
        reply.candidates = [hit.entry_id for hit in hits]
        reply.truncated = len(question.text) > MAX_QUERY_CHARS
        return reply

    def _compose(
        self,
        kb: KnowledgeBase,
        decision: router.Decision,
        lang: str,
        hits: list[Hit],
        danger: list[str],
    ) -> Reply:
        action = decision.action
        top = hits[0] if hits else None
        score = top.score if top else 0.0
        if action == Action.ANSWER and top:
            entry = kb.entry(top.entry_id)
            return Reply(
                lang,
                action,
                None,
                entry.id,
                score,
                format_answer(entry, lang),
                related=_related(kb, entry, hits),
            )
        if action == Action.URGENT:
            # The closest danger topic among the hits adds its specific
            # advice; otherwise, or for a danger no topic is about, the
            # general emergency guidance.
            urgent_hits = [h.entry_id for h in hits if kb.entries[h.entry_id].urgent]
            general = not urgent_hits or GENERAL_GUIDANCE_SIGNALS.intersection(danger)
            entry = kb.entries.get(EMERGENCY_ENTRY if general else urgent_hits[0])
            text = f"{format_emergency(entry, lang)}\n\n{say('urgent_handoff', lang)}"
            return Reply(lang, action, None, entry.id if entry else None, score, text)
        if action == Action.HANDOFF:
            return Reply(lang, action, None, None, score, say("handoff", lang))
        if action == Action.SMALLTALK:
            return Reply(lang, action, None, None, score, say(decision.message_key, lang))
        suggestions = [h.entry_id for h in hits if h.score >= self.thresholds.suggest][:3]
        return Reply(
            lang,
            Action.FALLBACK,
            None,
            None,
            score,
            format_fallback(kb, lang, suggestions, decision),
            suggestions=suggestions,
            reason=decision.message_key,
        )


def _is_follow_up(
    kb: KnowledgeBase, understood: Understood, alone: Reply, previous: EntryView
) -> bool:
    """A message to read with the previous entry: at most FOLLOW_UP_MAX_WORDS words, not
    pleasantries alone, and either not answered alone or answered from another country
    than the conversation's without naming one."""
    if len(understood.text.split()) > FOLLOW_UP_MAX_WORDS or is_only_pleasantries(understood.text):
        return False
    if alone.action == Action.FALLBACK:
        return True
    named = countries_named(understood.text, understood.original)
    return not named and _left_the_country(kb, alone, previous)


def _follow_up_readings(understood: Understood, previous: EntryView) -> list[str]:
    """The texts to search for a follow-up: the previous entry's question with the
    message (without the question's countries when the message names one: "and in
    Spain?" after Italy is the same question about Spain); and, when the previous entry
    is about countries and the message names none, the message with those countries
    ("and seasonal work?" in a conversation about Germany)."""
    lang = "ka" if understood.lang == "ka" else "en"
    message = without_pleasantries(understood.text)
    topic = previous.question[lang]
    named = countries_named(understood.text, understood.original)
    if named:
        topic = without_countries(topic)
    readings = [f"{topic} {message}"]
    if previous.countries and not named:
        names = " ".join(country_name(code, lang) for code in previous.countries)
        readings.append(f"{message} {names}")
    return readings


def _left_the_country(kb: KnowledgeBase, reply: Reply, previous: EntryView) -> bool:
    """An answer about other countries than the conversation's, the message naming none:
    "and seasonal work?" after the German skilled-worker answer got the UK's seasonal
    visa (a user trial)."""
    entry = kb.entries.get(reply.entry_id or "") if reply.action == Action.ANSWER else None
    return bool(
        entry and entry.countries and previous.countries
        and not set(entry.countries) & set(previous.countries)
    )  # fmt: skip


def format_answer(entry: EntryView, lang: str) -> str:
    """The answer, then its source line: the first two sources and the review date.

    A source's own Georgian title (`title_ka`, knowledge_base/README.md) is
    shown in the Georgian answer; otherwise its title as written in the entry.
    """
    sources = "; ".join(source_title(s, lang) for s in entry.sources[:2])
    return (
        f"{entry.answer[lang]}\n\n"
        f"{say('source', lang)}: {sources} ({say('reviewed', lang)} {entry.reviewed})"
    )


def format_emergency(entry: EntryView | None, lang: str) -> str:
    """The emergency guidance of an urgent reply, emergency number first.

    An urgent entry's answer begins with it (knowledge_base.validation
    `begins_with_emergency_guidance`), so it is sent alone: with the fixed
    `urgent_intro` before it the reply gave the 112 advice twice (a user trial,
    2026-12-01). Without an urgent entry, `urgent_intro`, then the entry if any.
    """
    if entry is not None and entry.urgent:
        return format_answer(entry, lang)
    intro = say("urgent_intro", lang)
    return f"{intro}\n\n{format_answer(entry, lang)}" if entry is not None else intro


def source_title(source: dict, lang: str) -> str:
    return (source.get("title_ka") if lang == "ka" else None) or source["title"]


def format_fallback(
    kb: KnowledgeBase, lang: str, suggestions: list[str], decision: router.Decision
) -> str:
    """The reply when the bot does not answer: why, the closest topics, the counsellor.

    "not_covered" names the countries the question asked about (issue 12: "I have
    nothing on this for Sweden"), never the closest entry's answer; "neutral" is
    for messages that are not questions the bot understood (help, topics);
    "one_word" for a single topic word (the closest topics to choose from).
    """
    topics = [f"• {kb.entry(entry_id).question[lang]}" for entry_id in suggestions]
    if decision.message_key == "out_of_scope":
        lines = [say("out_of_scope", lang)]
    elif decision.message_key == "not_covered":
        names = [country_name(code, lang) for code in decision.uncovered]
        joined = (" და " if lang == "ka" else " or ").join(names)
        lines = [say("not_covered", lang).format(country=joined)]
        if topics:
            lines += [say("closest_topics", lang), *topics]
    elif decision.message_key == "neutral":
        lines = [say("neutral", lang)]
        if topics:
            lines += [say("closest_topics", lang), *topics]
    elif decision.message_key == "one_word":
        lines = [say("one_word", lang), *topics]
    elif topics:
        lines = [say("not_sure", lang), *topics]
    else:
        lines = [say("not_sure_no_topics", lang)]
    lines.append(say("offer_counsellor", lang))
    return "\n".join(lines)


def _related(kb: KnowledgeBase, entry: EntryView, hits: list[Hit]) -> list[str]:
    related = [r for r in entry.related if r in kb.entries]
    related += [
        h.entry_id for h in hits[1:] if h.entry_id not in related and h.entry_id != entry.id
    ]
    return related[:3]


__all__ = [
    "EMERGENCY_ENTRY",
    "Intent",
    "Pipeline",
    "Question",
    "Reply",
    "format_answer",
    "format_emergency",
]
