"""Rules on a message's words that work without Rasa."""

from __future__ import annotations

from nlu.keywords import asks_for_human, unsupported_script


def test_scripts_and_counsellor_words() -> None:
    assert unsupported_script("我想去波兰工作")
    assert unsupported_script("أريد العمل في بولندا")
    assert not unsupported_script("Как работать в Польше")
    assert not unsupported_script("rogor vimushao")
    assert not unsupported_script("😀 123")
    assert asks_for_human("Counsellor!") and asks_for_human("კონსულტანტი")
    assert not asks_for_human("what does a counsellor at the agency do for me abroad")
