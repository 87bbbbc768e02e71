"""Weighted reciprocal rank fusion, the classifiers, coverage and the calibration file
(knowledge_base.search)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answering import Pipeline
from knowledge_base.search import CHAR_SHARE_GEORGIAN, CHAR_SHARE_OTHER, Calibration, Fusion


def test_each_ranker_adds_its_weight_over_k_plus_rank():
    fusion = Fusion(k=10, dense=0.5, classifier=2.0, lexical=1.0)
    assert fusion.score((1, 1, 1)) == pytest.approx(0.5 / 11 + 2.0 / 11 + 1.0 / 11)
    assert fusion.score((None, 3, None)) == pytest.approx(2.0 / 13)
    assert fusion.score((None, None, None)) == 0.0


def test_the_classifiers_first_outranks_the_other_two_rankers_first():
    fusion = Fusion()
    classifier_first = fusion.score((2, 1, 2))
    others_first = fusion.score((1, 2, 1))
    assert classifier_first > others_first


def test_equal_weights_are_plain_reciprocal_rank_fusion():
    fusion = Fusion(k=60, dense=1, classifier=1, lexical=1)
    assert fusion.score((1, 2, None)) == pytest.approx(1 / 61 + 1 / 62)


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("ესტონეთში სეზონურ სამუშაოზე როგორ წავიდე", CHAR_SHARE_GEORGIAN),
        ("how do I go to Estonia for seasonal work", CHAR_SHARE_OTHER),
    ],
)
def test_the_class_probabilities_weigh_the_character_classifier_by_script(
    pipeline: Pipeline, text: str, share: float
):
    kb = pipeline.kb
    query = kb.embedder.encode_queries([text])
    both = kb.class_probabilities(query, text)
    char = kb.char_classifier.probabilities(text)
    served, kb.char_classifier = kb.char_classifier, None
    try:
        e5 = kb.class_probabilities(query, text)
    finally:
        kb.char_classifier = served
    assert set(both) == set(e5) == set(char)
    assert sum(both.values()) == pytest.approx(1.0, abs=1e-5)
    for entry_id, probability in both.items():
        expected = (1 - share) * e5[entry_id] + share * char[entry_id]
        assert probability == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    ("form", "entry_id"),
    [
        ("ესტონეთიდან", "estonia-programme"),  # "from Estonia": ablative ending
        ("ესტონეთის პროგრამა", "estonia-programme"),  # genitive
        ("რუმინეთიდან", "bulgaria-romania"),
        ("ისრაელში მომვლელად", "israel-caregivers"),  # locative, adverbial
    ],
)
def test_the_character_classifier_reads_a_stem_through_its_case_ending(
    pipeline: Pipeline, form: str, entry_id: str
):
    probabilities = pipeline.kb.char_classifier.probabilities(form)
    assert max(probabilities, key=probabilities.get) == entry_id


def test_coverage_is_the_share_of_informative_words_the_entry_has(pipeline: Pipeline):
    kb = pipeline.kb
    # "buy" and "bring" are in other entries, not in the skilled-worker one.
    car = "can I buy a car in germany and bring it home"
    assert kb.coverage(car, "germany-skilled-worker") == 0.0
    assert kb.coverage("is there an estonia programme", "estonia-programme") == 1.0
    # Georgian case endings fall away with the stem: პოლონეთში ~ პოლონეთის.
    assert kb.coverage("პოლონეთში", "poland-programme") == 1.0


def test_words_no_entry_has_say_nothing_either_way(pipeline: Pipeline):
    kb = pipeline.kb
    assert kb.coverage("!!", "estonia-programme") == 1.0
    # Words no entry has (checked: an entry's phrasing may start "hello, ...").
    assert not {"greetings", "cheers"} & kb.vocabulary()
    assert kb.coverage("greetings, cheers", "estonia-programme") == 1.0
    # A Russian question: no entry is in Russian.
    assert kb.coverage("Как получить рабочую визу в Германию?", "work-permit-visa") == 1.0


def test_hits_carry_the_coverage_the_calibration_weighs(pipeline: Pipeline):
    car = "can I buy a car in germany and bring it home"
    for hit in pipeline.kb.search(car):
        assert hit.coverage == pytest.approx(pipeline.kb.coverage(car, hit.entry_id), abs=1e-4)


def test_the_best_scoring_of_the_top_hits_comes_first(pipeline: Pipeline):
    for question in (
        "Is it dangerous to travel to Turkey now?",
        "What is the minimum wage in Greece?",
    ):
        hits = pipeline.kb.search(question)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_the_vocabulary_is_the_entries_words_as_written(pipeline: Pipeline):
    words = pipeline.kb.vocabulary()
    assert "aeroportshi" in words  # a Latin-typed phrasing of airport-exit-checks, as typed
    assert "scam" in words
    assert "სჭამ" not in words  # "etias scam" as the transliterator reads it, never taught back


def test_an_older_calibration_file_is_refused_with_the_command_to_run(tmp_path: Path):
    old = tmp_path / "calibration.json"
    old.write_text(json.dumps({"coef": [1, 2, 3, 4, 5], "intercept": 0.5}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"bench/calibrate\.py"):
        Calibration.load(old)
    assert Calibration.load(tmp_path / "absent.json") is None
