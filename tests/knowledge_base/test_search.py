"""Weighted reciprocal rank fusion (knowledge_base.search.Fusion)."""

from __future__ import annotations

import pytest

from knowledge_base.search import Fusion


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
