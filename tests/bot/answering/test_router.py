"""The router's rules, one by one, on hand-made NLU and retrieval results."""

from __future__ import annotations

import pytest

from bot.answering.router import Thresholds, decide
from knowledge_base.search import Hit
from nlu.rasa_client import Intent

RULES = Thresholds()


def hit(entry_id: str = "check-agency", score: float = 0.9, urgent: bool = False) -> Hit:
    return Hit(entry_id, score, 0.05, 0.9, score, 1, 1, 1, urgent)


def intent(name: str, confidence: float = 0.99) -> Intent:
    return Intent(name, confidence)


def test_danger_signals_are_urgent_whatever_rasa_and_retrieval_say():
    for nlu in (None, intent("greet"), intent("kb_question")):
        assert decide(nlu, ["locked_in"], [hit(score=0.99)], RULES).action == "urgent"


# a danger topic far down retrieval's closest entries: enough for Rasa's urgent
FAR_DANGER = hit("trafficking-signs", 0.02, urgent=True)


def test_rasa_urgency_holds_unless_retrieval_is_sure_of_a_non_danger_topic():
    assert decide(intent("urgent"), [], [hit(score=0.1), FAR_DANGER], RULES).action == "urgent"
    assert decide(intent("urgent"), [], [hit(score=0.9, urgent=True)], RULES).action == "urgent"
    assert decide(intent("urgent"), [], [hit(score=0.9)], RULES).action == "answer"


@pytest.mark.parametrize(
    ("name", "score", "action"),
    [
        ("ask_human", 0.1, "handoff"),
        ("ask_human", 0.9, "answer"),
        ("greet", 0.05, "smalltalk"),
        ("greet", 0.8, "answer"),
        ("switch_language", RULES.question_over_intent - 0.01, "smalltalk"),
        ("out_of_scope", RULES.answer - 0.01, "fallback"),
        ("out_of_scope", 0.9, "answer"),
        ("kb_question", 0.8, "answer"),
        ("kb_question", 0.1, "fallback"),
    ],
)
def test_intents_and_retrieval_confidence(name: str, score: float, action: str):
    assert decide(intent(name), [], [hit(score=score)], RULES).action == action


def test_an_unsure_intent_is_ignored():
    assert decide(intent("greet", 0.3), [], [hit(score=0.05)], RULES).action == "fallback"


def test_second_unanswered_question_in_a_row_goes_to_a_person():
    assert decide(None, [], [hit(score=0.05)], RULES, unanswered_before=0).action == "fallback"
    assert decide(None, [], [hit(score=0.05)], RULES, unanswered_before=1).action == "handoff"
    assert decide(None, [], [], RULES, unanswered_before=1).action == "handoff"


def test_without_rasa_retrieval_decides():
    decision = decide(None, [], [hit("remittances", 0.8)], RULES)
    assert (decision.action, decision.entry_id) == ("answer", "remittances")


def country_hit(entry_id: str, countries: tuple[str, ...], score: float = 0.9) -> Hit:
    return Hit(entry_id, score, 0.05, 0.9, score, 1, 1, 1, False, countries)


def test_a_country_the_entry_does_not_cover_is_not_answered_by_it():
    uk = country_hit("uk-seasonal-worker", ("gb",))
    decision = decide(None, [], [uk], RULES, named_countries=frozenset({"se"}))
    assert (decision.action, decision.entry_id) == ("fallback", None)
    assert (decision.message_key, decision.uncovered) == ("not_covered", ("se",))
    covered = decide(None, [], [uk], RULES, named_countries=frozenset({"gb", "ge"}))
    assert (covered.action, covered.entry_id) == ("answer", "uk-seasonal-worker")


def test_an_unsure_reply_names_the_country_the_closest_entry_does_not_cover():
    uk = country_hit("uk-seasonal-worker", ("gb",), score=0.3)
    decision = decide(None, [], [uk], RULES, named_countries=frozenset({"se"}))
    assert (decision.action, decision.message_key, decision.uncovered) == (
        "fallback",
        "not_covered",
        ("se",),
    )


def test_an_unsure_reply_names_a_country_none_of_the_closest_entries_is_about():
    general = country_hit("work-permit-visa", (), score=0.1)
    poland = country_hit("poland-programme", ("pl",), score=0.05)
    sweden = decide(None, [], [general, poland], RULES, named_countries=frozenset({"se"}))
    assert (sweden.action, sweden.message_key, sweden.uncovered) == (
        "fallback",
        "not_covered",
        ("se",),
    )
    # Poland has an entry among the closest: the plain "not sure" reply, nothing named.
    named = decide(None, [], [general, poland], RULES, named_countries=frozenset({"pl"}))
    assert (named.message_key, named.uncovered) == ("not_sure", ())
    # Germany has an entry, though not among the closest: not "nothing on Germany".
    germany = frozenset({"de"})
    known = decide(None, [], [general], RULES, named_countries=germany, known_countries=germany)
    assert (known.message_key, known.uncovered) == ("not_sure", ())
    unknown = decide(
        None, [], [general], RULES, named_countries=germany, known_countries=frozenset()
    )
    assert (unknown.message_key, unknown.uncovered) == ("not_covered", ("de",))


def test_rasa_urgency_needs_a_danger_topic_among_the_closest_entries():
    # "got paid today, everything correct to the cent": Rasa urgent 0.94, closest
    # entries recruitment fees, wages withheld, fake job offers.
    calm = [hit("recruitment-fees", 0.06), hit("wages-withheld", 0.03), hit("fake-job-offers")]
    calm[-1] = hit("fake-job-offers", 0.01)
    decision = decide(intent("urgent", 0.94), [], calm, RULES, words=8)
    assert (decision.action, decision.message_key) == ("fallback", "neutral")
    # with a danger topic third, or a danger signal, it is urgent
    assert decide(intent("urgent", 0.94), [], [*calm[:2], FAR_DANGER], RULES, words=8).action == (
        "urgent"
    )
    assert decide(intent("urgent", 0.94), ["threats"], calm, RULES, words=8).action == "urgent"


def test_a_fairly_sure_ordinary_question_is_answered_though_rasa_says_urgent():
    # "my oswiadczenie ends in march, can my boss just extend it?": Rasa urgent 0.9.
    alarm = intent("urgent", 0.9)
    fairly_sure = hit("poland-old-declarations", RULES.question_over_urgent)
    assert decide(alarm, [], [fairly_sure], RULES, words=11).action == "answer"
    unsure = hit("poland-old-declarations", RULES.question_over_urgent - 0.01)
    assert decide(alarm, [], [unsure, FAR_DANGER], RULES, words=11).action == "urgent"
    # A danger topic stays urgent, and the danger signals always are.
    danger_topic = hit("passport-confiscated", 0.99, urgent=True)
    assert decide(alarm, [], [danger_topic], RULES, words=11).action == "urgent"
    assert decide(None, ["passport_taken"], [fairly_sure], RULES, words=11).action == "urgent"


def test_question_over_settings_count_as_at_least_the_answer_threshold():
    # An override of answer_threshold alone (MIGBOT_RETRIEVAL__ANSWER_THRESHOLD=0.6)
    # must not let an unanswerable question set aside an alarm or Rasa's intent.
    strict = Thresholds(answer=0.6, question_over_urgent=0.3, question_over_intent=0.3)
    between = [hit("poland-old-declarations", 0.45), FAR_DANGER]
    assert decide(intent("urgent", 0.9), [], between, strict, words=11).action == "urgent"
    assert decide(intent("greet"), [], between, strict, words=1).action == "smalltalk"
    assert decide(intent("urgent", 0.9), [], [hit(score=0.6)], strict, words=11).action == "answer"


def test_an_entry_for_any_country_still_answers_a_named_one():
    general = country_hit("work-permit-visa", ())
    decision = decide(None, [], [general], RULES, named_countries=frozenset({"se"}))
    assert decision.action == "answer"


@pytest.mark.parametrize(
    ("nlu", "words", "key"),
    [
        (intent("urgent", 0.59), 1, "neutral"),  # "დახმარება": one word, no danger signal
        (intent("goodbye", 0.75), 4, "neutral"),  # "my grandmother is fine"
        (intent("greet", 0.4), 1, "neutral"),
    ],
)
def test_rasa_out_of_its_depth_gets_the_neutral_reply(nlu: Intent, words: int, key: str):
    decision = decide(nlu, [], [hit(score=0.05)], RULES, words=words)
    assert (decision.action, decision.message_key) == ("fallback", key)


def test_one_topic_word_gets_topics_to_choose_from_not_one_entrys_answer():
    sure = [hit("passport-confiscated", 0.97, urgent=True), hit("passport-renewal-abroad", 0.4)]
    for nlu in (None, intent("kb_question", 0.9), intent("urgent", 0.6)):
        decision = decide(nlu, [], sure, RULES, words=1)
        assert (decision.action, decision.message_key) == ("fallback", "one_word")
    # the second unanswered message in a row still goes to a person
    assert decide(None, [], sure, RULES, unanswered_before=1, words=1).action == "handoff"
    # two words are a question; a danger signal makes one word urgent
    assert decide(None, [], sure[1:], RULES, words=2).action == "answer"
    assert decide(None, ["help"], sure, RULES, words=1).action == "urgent"


def test_a_sure_rasa_still_greets_and_raises_alarms_on_sentences():
    assert decide(intent("goodbye", 0.97), [], [hit(score=0.05)], RULES).action == "smalltalk"
    assert decide(intent("goodbye", 0.74), [], [hit(score=0.05)], RULES, words=1).action == (
        "smalltalk"
    )
    unsure = [hit(score=0.05), FAR_DANGER]
    assert decide(intent("urgent", 0.9), [], unsure, RULES, words=5).action == "urgent"
    assert decide(intent("urgent", 0.6), [], unsure, RULES, words=5).action == "fallback"
    # a danger signal makes even one word urgent
    assert decide(intent("urgent", 0.6), ["help"], [], RULES, words=1).action == "urgent"


def test_a_likely_danger_topic_is_urgent_without_rasa_or_a_signal():
    # "boss takes 'debt' from my salary every month and it never goes down":
    # no danger signal, but the closest entry is debt bondage.
    debt = hit("debt-bondage", max(RULES.answer, RULES.danger_topic), urgent=True)
    assert decide(None, [], [debt], RULES, words=11).action == "urgent"
    assert decide(intent("ask_question", 0.9), [], [debt], RULES, words=11).action == "urgent"
    # The alarm has its own threshold, whatever the answer threshold.
    strict = Thresholds(answer=0.6, danger_topic=0.3)
    likely = hit("debt-bondage", 0.3, urgent=True)
    assert decide(None, [], [likely], strict, words=11).action == "urgent"
    unlikely = hit("debt-bondage", 0.29, urgent=True)
    assert decide(None, [], [unlikely], strict, words=11).action == "fallback"
    # Sure enough to answer but not for the alarm: the answer (it opens with
    # the emergency guidance), no ticket.
    lenient = Thresholds(answer=0.25, danger_topic=0.3)
    assert decide(None, [], [unlikely], lenient, words=11).action == "answer"
    # One word ("trafficking") is too little, as for Rasa's urgent intent: the
    # closest topics are offered.
    assert decide(None, [], [debt], RULES, words=1).message_key == "one_word"
    # An ordinary topic just as sure is answered.
    assert decide(None, [], [hit("check-agency", 0.99)], RULES, words=11).action == "answer"


def test_asking_for_a_person_is_handed_off_unless_retrieval_is_very_sure():
    # "ოპერატორი გთხოვთ" (an operator, please): closest to the emergency entry.
    human = intent("ask_human", 0.9)
    emergency = hit("emergency-danger", RULES.question_over_handoff - 0.01, urgent=True)
    assert decide(human, [], [emergency], RULES, words=2).action == "handoff"
    question = hit("check-agency", RULES.question_over_handoff)
    assert decide(human, [], [question], RULES, words=9).action == "answer"
    # A danger signal still makes it urgent.
    assert decide(human, ["threats"], [emergency], RULES, words=6).action == "urgent"


@pytest.mark.parametrize(
    ("kind", "key"), [("ack", "acknowledged"), ("thanks", "thanks"), ("greet", "greet")]
)
def test_pleasantries_get_a_word_back_and_never_count_as_unanswered(kind: str, key: str):
    # "ok" then "კარგი" after an answer handed the citizen to a counsellor (a user trial)
    for nlu in (None, intent("out_of_scope"), intent("kb_question", 0.4)):
        decision = decide(nlu, [], [hit(score=0.05)], RULES, unanswered_before=1, pleasantry=kind)
        assert (decision.action, decision.message_key) == ("smalltalk", key)
    # danger signals still make it urgent
    assert decide(None, ["locked_in"], [], RULES, pleasantry=kind).action == "urgent"
