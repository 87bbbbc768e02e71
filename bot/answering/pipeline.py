"""The path of one message: bot -> nlu -> knowledge_base -> bot.

`Pipeline.answer(text)` is what the Telegram bot, the local chat,
`migbot ask` and `migbot eval` all call, so their figures are the bot's.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from dataclasses import dataclass, field

from bot.answering import router
from bot.answering.router import Action
from bot.texts import say
from knowledge_base.search import EntryView, Hit, KnowledgeBase
from nlu.countries import countries_named, country_name, without_countries
from nlu.danger import find_danger_signals
from nlu.georgian import Understood, understand
from nlu.pleasantries import is_only_pleasantries, pleasantry_kind, without_pleasantries
from nlu.rasa_client import Intent, RasaClient

log = logging.getLogger(__name__)
MAX_QUERY_CHARS = 1000
EMERGENCY_ENTRY = "emergency-danger"
# Danger signals (nlu/danger_signals.yml) that no danger topic is about: their
# urgent reply gives the general emergency guidance, not the closest danger
# topic's answer ("I don't want to live anymore" got the trafficking-signs
# answer in a helper's trial, 2026-12-01).
GENERAL_GUIDANCE_SIGNALS = frozenset({"suicide"})


# A follow-up ("and how much do they pay?", "და გერმანიაში?") is read together with
# the topic answered just before only when it is this short and the bot cannot
# answer it alone.
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
            understood = understand(question.text[:MAX_QUERY_CHARS])
            lang = understood.lang if understood.script != "none" else (question.lang_hint or "ka")
            if not any(ch.isalpha() for ch in understood.text):
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
        self._read_follow_ups(kb, replies, searchable, intents)
        return replies  # type: ignore[return-value]

    def _read_follow_ups(
        self,
        kb: KnowledgeBase,
        replies: list[Reply | None],
        searchable: list[tuple[int, Question, Understood]],
        intents: list[Future[Intent | None]],
    ) -> None:
        """A short message the bot could not answer alone, just after an answer, is read
        as a follow-up: the previous entry's question (without its countries when the
        message names one: "and in Spain?" after Italy) and the message are searched
        together. The result answers only if the router is sure of it on the same rules,
        a country the message names is one the entry is about, and it is not the
        previous entry again: on bench/followups_dev.jsonl the detail asked after an
        answer was mostly not in it, and repeating it gave 17 false answers for 14
        right (docs/quality.md, "Follow-ups"). Replies are replaced in place; anything
        else stays as it was."""
        pending = []
        for n, (position, question, understood) in enumerate(searchable):
            reply = replies[position]
            previous = kb.entries.get(question.previous_entry or "")
            if (
                previous is None
                or reply is None
                or reply.action != Action.FALLBACK
                or len(understood.text.split()) > FOLLOW_UP_MAX_WORDS
                or is_only_pleasantries(understood.text)
            ):
                continue
            lang = "ka" if understood.lang == "ka" else "en"
            topic = previous.question[lang]
            if countries_named(understood.text, understood.original):
                # "and in Germany?": the same question about the country named now
                topic = without_countries(topic)
            text = f"{topic} {without_pleasantries(understood.text)}"
            pending.append((position, question, understood, n, text))
        if not pending:
            return
        all_hits = kb.search_many([text for *_, text in pending], top_k=self.top_k)
        for (position, question, understood, n, text), hits in zip(pending, all_hits, strict=True):
            intent = intents[n].result() if intents else None
            read = self._decide(kb, question, understood, hits, intent, words=len(text.split()))
            # "and in Japan?": a country the follow-up names must be one the entry is about.
            named = countries_named(understood.text, understood.original)
            entry = kb.entries.get(read.entry_id or "")
            if named and (entry is None or not named & set(entry.countries)):
                continue
            if read.entry_id == question.previous_entry:
                continue
            if read.action == Action.ANSWER:
                replies[position] = read

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
        )


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
