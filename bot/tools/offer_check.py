"""The job-offer check: the warning signs in a pasted or forwarded job advert.

`check_offer(text)` lists the signs nlu.offer_signs finds, one line each (the
reason; the knowledge-base entries to read are `OfferCheck.entries`, buttons in
Telegram), then what to check before agreeing. It never calls an offer safe or
real: with no sign it says what it could not check. Texts are in bot/texts.py (keys offer_*).

The Telegram side should pass the advert's text, or a photo's caption (an album's
captions joined once), and send `OfferCheck.reply`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.texts import say
from nlu.offer_signs import OfferSigns, detect_offer_signs, sign_entry

_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}


# Entries whose answers offer the check (a button); a message at least this long that
# reads like an advert is checked without being asked (bot.telegram.handlers.citizen).
OFFERED_WITH = frozenset({"fake-job-offers", "check-agency", "recruitment-fees"})
ADVERT_MIN_CHARS = 120


@dataclass(frozen=True)
class OfferCheck:
    lang: str  # "ka" | "en"
    flags: tuple[str, ...]  # sign codes, in nlu.offer_signs.SIGN_CODES order
    reply: str
    entries: tuple[str, ...] = ()  # the entries the reply points to, in order (for buttons)

    def to_json(self) -> dict:
        return {"lang": self.lang, "flags": list(self.flags), "reply": self.reply}


def check_offer(
    text: str, lang_hint: str | None = None, reply_lang: str | None = None
) -> OfferCheck:
    """Check one advert; `lang_hint` is the user's language when the text shows none;
    `reply_lang` ("ka" | "en"), the language to answer in, else the advert's."""
    signs = detect_offer_signs(text, lang_hint)
    lang = reply_lang or (signs.lang if signs.lang in ("ka", "en") else "ka")
    entries = tuple(dict.fromkeys(sign_entry(code) for code in signs.flags))
    return OfferCheck(lang, signs.flags, render_reply(signs, lang), entries)


def reads_as_advert(text: str) -> bool:
    """After /checkoffer: whether the message is something to check (an advert, or a
    text with a warning sign in it) rather than a question for the knowledge base."""
    signs = detect_offer_signs(text)
    return signs.looks_like_advert or bool(signs.flags)


def looks_like_pasted_advert(text: str, min_chars: int = ADVERT_MIN_CHARS) -> bool:
    """A message the bot checks as an advert without being asked: at least `min_chars`
    characters that read like a job advert naming pay or a country (a short question
    about an offer goes to the knowledge base instead)."""
    if len(text) < min_chars:
        return False
    signs = detect_offer_signs(text)
    return signs.looks_like_advert and bool(signs.amounts or signs.countries)


def render_reply(signs: OfferSigns, lang: str) -> str:
    if not signs.looks_like_advert and not signs.flags:
        return say("offer_not_an_advert", lang)
    parts = []
    if signs.flags:
        lines = [say("offer_found", lang).format(count=len(signs.flags))]
        # The entries to read come as buttons (OfferCheck.entries), not as ids in the
        # text: "→ recruitment-fees" showed users an internal name (a user trial).
        lines += [f"• {_reason(code, signs, lang)}" for code in signs.flags]
        parts.append("\n".join(lines))
    else:
        lines = [say("offer_none_found", lang), say("offer_not_checked", lang)]
        if signs.not_compared == "no_minimum":
            lines.append(say("offer_pay_no_minimum", lang))
        elif signs.not_compared == "no_country":
            lines.append(say("offer_pay_no_country", lang))
        parts.append("\n".join(lines))
    parts.append(say("offer_before_agreeing", lang))
    parts.append(say("offer_footer", lang))
    return "\n\n".join(parts)


def _reason(code: str, signs: OfferSigns, lang: str) -> str:
    if code == "no_contract" and signs.no_contract_kind == "explicit":
        return say("offer_reason_no_contract_explicit", lang)
    text = say(f"offer_reason_{code}", lang)
    if code == "pay_too_high" and signs.pay is not None:
        pay = signs.pay
        minimum = pay.minimum
        return text.format(
            pay=pay.pay.text,
            ratio=int(pay.ratio),
            country=signs.country_name(minimum.country, lang),
            minimum=_money(minimum.monthly_local or 0.0, minimum.currency or "EUR"),
        )
    return text


def _money(value: float, currency: str) -> str:
    amount = f"{value:,.0f}".replace(",", " ")
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}"
