"""The job-offer check's reply and the `migbot check-offer` command."""

from __future__ import annotations

import io
import json
import re
import sys

import pytest

from bot.cli import main
from bot.texts import MESSAGES
from bot.tools.offer_check import check_offer
from nlu.offer_signs import SIGN_CODES, sign_entry

SCAM_KA = (
    "სამუშაო პოლონეთში! ხელფასი 3500 ევრო თვეში. ენა და გამოცდილება არ არის საჭირო. "
    "მომსახურების საფასური 800 ლარი. ადგილები შეზღუდულია! ვოტსაპი: 599 00 00 00"
)
SCAM_LATN = (
    "samushao polonetshi, xelfasi 3500 evro tveshi. ena ar aris sachiro. whatsapp 599 00 00 00"
)
SCAM_EN = (
    "Factory work in Poland, 3500 EUR/month. No experience needed! Fee 600 EUR. "
    "WhatsApp 599 00 00 00"
)
CLEAN_EN = (
    "Beispielhof GmbH (Musterstraße 1, Bavaria) hires harvest workers, EUR 13.90 per hour gross. "
    "Employment contract in Georgian and German, signed before departure. No fees."
)
CLEAN_KA = (
    "შპს „მაგალითი“, თბილისი, ნიმუშის ქუჩა 1, იღებს მუშებს იტალიაში. "
    "ხელფასი 1500 ევრო. ხელშეკრულება წასვლამდე."
)
SAFE_WORDS = re.compile(
    r"\b(safe|legit\w*|genuine|trustworthy|real\s+offer)\b|უსაფრთხო|სანდო", re.IGNORECASE
)


@pytest.mark.parametrize(
    ("text", "lang", "some_flags"),
    [
        (SCAM_KA, "ka", {"fee", "pay_too_high", "messenger_only", "pressure"}),
        (SCAM_LATN, "ka", {"pay_too_high", "messenger_only", "no_skills_high_pay"}),
        (SCAM_EN, "en", {"fee", "pay_too_high", "messenger_only", "no_skills_high_pay"}),
    ],
)
def test_each_sign_gets_a_line_and_its_entry(text: str, lang: str, some_flags: set) -> None:
    result = check_offer(text)
    assert result.lang == lang
    assert some_flags <= set(result.flags)
    assert result.reply.count("\n• ") >= len(result.flags)
    for code in result.flags:
        assert sign_entry(code) in result.entries  # a button to the entry
        assert sign_entry(code) not in result.reply  # never an internal id in the text
    assert MESSAGES["offer_before_agreeing"][lang] in result.reply


@pytest.mark.parametrize("text", [SCAM_KA, SCAM_LATN, SCAM_EN, CLEAN_EN, CLEAN_KA, "is it real?"])
def test_the_reply_never_calls_an_offer_safe(text: str) -> None:
    for lang in ("ka", "en"):
        reply = check_offer(text, lang_hint=lang).reply
        assert not SAFE_WORDS.search(reply), reply


def test_no_message_of_the_check_calls_an_offer_safe() -> None:
    for key, texts in MESSAGES.items():
        if key.startswith("offer_"):
            for text in texts.values():
                assert not SAFE_WORDS.search(text), key


def test_with_no_sign_it_says_what_it_could_not_check() -> None:
    result = check_offer(CLEAN_EN)
    assert result.flags == ()
    assert MESSAGES["offer_none_found"]["en"] in result.reply
    assert MESSAGES["offer_not_checked"]["en"] in result.reply


def test_italy_pay_is_not_compared_and_the_reply_says_so() -> None:
    result = check_offer(CLEAN_KA)
    assert result.flags == ()
    assert MESSAGES["offer_pay_no_minimum"]["ka"] in result.reply


def test_the_pay_line_names_the_country_and_its_minimum() -> None:
    reply = check_offer(SCAM_EN).reply
    assert "Poland" in reply and "4 806 PLN" in reply


def test_a_question_is_not_an_advert() -> None:
    result = check_offer("is this job real?")
    assert result.flags == ()
    assert result.reply == MESSAGES["offer_not_an_advert"]["en"]


def test_every_sign_has_a_reason_in_both_languages() -> None:
    for code in SIGN_CODES:
        assert set(MESSAGES[f"offer_reason_{code}"]) == {"ka", "en"}


def _run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, stdin: str, *args):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["check-offer", *args])
    return code, capsys.readouterr()


def test_cli_json_shape(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    code, out = _run_cli(monkeypatch, capsys, SCAM_EN, "--json")
    assert code == 0
    payload = json.loads(out.out)
    assert set(payload) == {"lang", "flags", "reply"}
    assert payload["lang"] == "en"
    assert payload["flags"] == list(check_offer(SCAM_EN).flags)
    assert payload["reply"] == check_offer(SCAM_EN).reply


def test_cli_empty_stdin_is_an_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    code, out = _run_cli(monkeypatch, capsys, "  \n", "--json")
    assert code == 2
    assert out.out == ""
    assert len(out.err.strip().splitlines()) == 1
