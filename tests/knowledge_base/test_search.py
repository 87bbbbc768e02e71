"""Weighted reciprocal rank fusion, coverage and the calibration file (knowledge_base.search)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answering import Pipeline
from knowledge_base.search import Calibration, Fusion


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


def test_coverage_is_the_share_of_informative_words_the_entry_has(pipeline: Pipeline):
    kb = pipeline.kb
    assert kb.coverage("what is the capital of estonia", "estonia-programme") <= 0.5
    assert kb.coverage("is there an estonia programme", "estonia-programme") == 1.0
    # Georgian case endings fall away with the stem: პოლონეთში ~ პოლონეთის.
    assert kb.coverage("პოლონეთში", "poland-programme") == 1.0
    assert kb.coverage("!!", "estonia-programme") == 1.0  # no informative word


def test_hits_carry_the_coverage_the_calibration_weighs(pipeline: Pipeline):
    top = pipeline.kb.search("what is the capital of estonia")[0]
    assert top.coverage == pytest.approx(
        pipeline.kb.coverage("what is the capital of estonia", top.entry_id), abs=1e-4
    )


def test_an_older_calibration_file_is_refused_with_the_command_to_run(tmp_path: Path):
    old = tmp_path / "calibration.json"
    old.write_text(json.dumps({"coef": [1, 2, 3, 4, 5], "intercept": 0.5}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"bench/calibrate\.py"):
        Calibration.load(old)
    assert Calibration.load(tmp_path / "absent.json") is None
