"""Warning signs in job adverts (nlu/offer_signs.py) in Georgian, Latin-typed Georgian, English."""

from __future__ import annotations

import pytest

from nlu.offer_signs import (
    SIGN_CODES,
    detect_offer_signs,
    load_rules,
    load_wages,
    parse_amounts,
    sign_entry,
)

# A neutral frame: company, address and a contract before departure, so that the
# absence signs stay quiet and only the sentence under test can raise a sign.
FRAME = {
    "ka": "შპს „მაგალითი“, თბილისი, ნიმუშის ქუჩა 1. ხელშეკრულება წასვლამდე. სამუშაო ქარხანაში. {}",
    "ka-latn": (
        "shps 'magaliti', tbilisi, nimushis quCa 1. xelshekruleba wasvlamde. "
        "samushao qarxanashi. {}"
    ),
    "en": "Example LLC, 1 Example Street, Tbilisi. Contract before departure. Factory work. {}",
}

SIGNS = [
    ("fee", "ka", "მომსახურების საფასური 800 ლარი, წინასწარ."),
    ("fee", "ka", "ვიზის ღირებულება 1500 ევრო."),
    ("fee", "ka-latn", "vizis fasi 1200 evro."),
    ("fee", "ka-latn", "winaswar gadaxda 500 lari dokumentebistvis."),
    ("fee", "en", "Visa processing fee 600 EUR, pay in advance."),
    ("fee", "en", "Document processing €2000."),
    ("tourist_entry", "ka", "ჩამოდით როგორც ტურისტი, აქ დაგასაქმებთ."),
    ("tourist_entry", "ka", "მიდიხართ უვიზოდ, საბუთებს ადგილზე გაგიკეთებთ."),
    ("tourist_entry", "ka-latn", "germaniashi turistuli vizit, sabutebs mere gagiketebt."),
    ("tourist_entry", "en", "Come on your biometric passport, we arrange your work papers there."),
    ("passport", "ka", "ჩასვლისას პასპორტი უნდა ჩააბაროთ კოორდინატორს."),
    ("passport", "ka-latn", "pasports chaabarebt koordinators."),
    ("passport", "en", "Your passport stays with the coordinator for safekeeping."),
    ("pressure", "ka", "ადგილები შეზღუდულია! გადაიხადეთ დღესვე."),
    ("pressure", "ka-latn", "adgilebi shezghudulia!!!"),
    ("pressure", "en", "Only 5 places left. Decide within 48 hours!"),
    ("debt", "ka", "ბილეთს ჩვენ ვყიდულობთ, თანხას ხელფასიდან დაგიქვითავთ."),
    ("debt", "ka-latn", "bileti chveni, mere xelfasidan gamoimushavebt."),
    ("debt", "en", "We pay your flight and you work it off from your wages."),
    ("wrong_country", "ka", "გაგიკეთებთ პოლონეთის სამუშაო ვიზას და იმუშავებთ გერმანიაში."),
    ("wrong_country", "ka-latn", "vaketebt litvis vizas, mushaoba iqneba holandiashi."),
    ("wrong_country", "en", "Work in Finland with an Estonian visa."),
    ("no_skills_high_pay", "ka", "ესპანეთში, ხელფასი 2500 ევრო. ენის ცოდნა საჭირო არ არის."),
    ("no_skills_high_pay", "ka-latn", "espanetshi 2500 evro, ar gchirdeba arc ena."),
    ("no_skills_high_pay", "en", "Spain, €2,500 monthly, no experience needed."),
    ("pay_too_high", "ka", "პოლონეთში, ხელფასი 3500 ევრო თვეში."),
    ("pay_too_high", "ka-latn", "chexetshi 3200 evro tveshi."),
    ("pay_too_high", "en", "Romania, 4,000 EUR per month."),
    ("no_contract", "ka", "ხელშეკრულებას ადგილზე გააფორმებთ."),
    ("no_contract", "ka-latn", "kontraqts ar vdebt, yvelaferi sitkvierad."),
    ("no_contract", "en", "No contract, everything is agreed verbally."),
    # found by a user trial (2026-12-01): the employer keeping the passport, said the
    # other way round; fees said as a deposit, an advance, an invitation, a service
    ("passport", "ka", "პასპორტს დამსაქმებელი შეინახავს."),
    ("passport", "ka-latn", "pasporti unda dagvitovot, chven shevinaxavt."),
    ("passport", "en", "The employer keeps the passport for safety."),
    ("fee", "ka", "უნდა გადაიხადოთ 1000 ევრო ბილეთისა და ვიზისთვის."),
    ("fee", "en", "Registration deposit 50 GEL, refundable after you arrive."),
    ("fee", "en", "Advance 200 EUR to reserve your place."),
    ("fee", "en", "Invitation letter for the work visa – 300 EUR."),
    ("fee", "en", "Document processing: 700 GEL, half now."),
    ("fee", "en", "300$ for the contract."),
    # the rest of that trial: the sum before the service, a price list with a
    # note in brackets, a fee paid out of the wages, no selection at all
    ("fee", "ka", "4000 ევროს მომსახურება, ნახევარი წინასწარ."),
    ("fee", "ka-latn", "600 lari sabutebistvis."),
    ("fee", "en", "Visa invitation (voivodeship) – 250 USD."),
    ("debt", "ka", "მომსახურების ღირებულება 3500 ევრო, გადახდა ჩასვლის შემდეგ ხელფასიდან."),
    ("debt", "en", "Document processing 900 EUR, can be paid after arrival from your salary."),
    ("pressure", "ka", "გასაუბრების გარეშე, დაიწყებთ ხვალვე."),
    ("pressure", "ka-latn", "gasaubrebis gareshe, xvalve iwyebt."),
    ("pressure", "en", "No interview, start tomorrow."),
    # a second Telegram trial: "send us the passport", passport first
    ("passport", "ka", "პასპორტი მოგვაწოდეთ ჩასვლამდე."),
    ("passport", "ka-latn", "pasporti mogvawodet, chven shevinaxavt."),
]


@pytest.mark.parametrize(("sign", "lang", "sentence"), SIGNS)
def test_each_sign_in_each_script(sign: str, lang: str, sentence: str) -> None:
    assert sign in detect_offer_signs(FRAME[lang].format(sentence)).flags


@pytest.mark.parametrize("lang", ["ka", "ka-latn", "en"])
def test_the_neutral_frame_raises_nothing(lang: str) -> None:
    assert detect_offer_signs(FRAME[lang].format("")).flags == ()


NOT_SIGNS = [
    ("fee", "კანდიდატებისგან საფასურს არ ვიღებთ."),
    ("fee", "saagento safasurs ar ighebs."),
    ("fee", "We charge candidates no fees."),
    ("fee", "The operator refunds your visa fee; there is no recruitment fee."),
    ("fee", "Accommodation 600 PLN/month."),
    ("passport", "Come on a work visa with a valid passport."),
    ("debt", "ხელფასი 1200 ევრო, ბინა უფასოა."),
    ("pay_too_high", "გერმანიაში, ხელფასი 2800 ევრო."),
    ("pay_too_high", "Poland and Germany, €3000 a month."),  # the higher minimum is used
    ("no_skills_high_pay", "Israel, $2000 a month, no Hebrew needed."),
    ("wrong_country", "დიდ ბრიტანეთში სეზონური სამუშაო ვიზით."),
    ("tourist_entry", "ხელშეკრულებას ადგილზე გააფორმებთ."),
    ("passport", "Bring your passport to our Tbilisi office for the visa application."),
    ("fee", "Visa in 14 days. Seasonal visa for 9 months. Registration 2026."),
    ("fee", "Recruitment fees are not allowed. Without any fee for workers."),
    ("fee", "sakomisio ar aris."),
    ("fee", "sakomisio 0 lari."),
    # agreed housing or meals taken from the pay is not a debt (a user trial)
    ("debt", "Hostel 600 PLN/month, deducted from salary."),
    ("debt", "Shared flat €300/month deducted from wages as agreed in the contract."),
    ("debt", "საცხოვრებელი: 8 € დღეში, ხელფასიდან დაქვითვით."),
    ("fee", "ხელფასი 1500 ევრო, ვიზა და ხელშეკრულება გამგზავრებამდე."),
]


@pytest.mark.parametrize(("sign", "sentence"), NOT_SIGNS)
def test_harmless_sentences_do_not_raise_the_sign(sign: str, sentence: str) -> None:
    frame = FRAME["en"] if sentence.isascii() else FRAME["ka"]
    assert sign not in detect_offer_signs(frame.format(sentence)).flags


def test_mtavruli_headline_is_read_like_mkhedruli() -> None:
    text = "ᲡᲐᲛᲣᲨᲐᲝ ᲞᲝᲚᲝᲜᲔᲗᲨᲘ! ᲮᲔᲚᲤᲐᲡᲘ 3500 ᲔᲕᲠᲝ. ᲐᲓᲒᲘᲚᲔᲑᲘ ᲨᲔᲖᲦᲣᲓᲣᲚᲘᲐ!"
    flags = detect_offer_signs(text).flags
    assert {"pay_too_high", "pressure"} <= set(flags)


# ---------------------------------------------------------------- absence signs


@pytest.mark.parametrize(
    "text",
    [
        "ვეძებთ მუშებს ესპანეთში, ფერმაში. ხელფასი 1300 ევრო. დაწერეთ ვაიბერზე 577 00 00 00",
        "vedzebt mushebs espanetshi, fermashi. xelfasi 1300 evro. daweret viberze 577 00 00 00",
        "Farm workers wanted in Spain, €1,300 a month. Viber 577 00 00 00",
    ],
)
def test_a_bare_advert_has_no_employer_no_contract_and_messenger_only(text: str) -> None:
    flags = set(detect_offer_signs(text).flags)
    assert {"no_employer", "no_contract", "messenger_only"} <= flags


@pytest.mark.parametrize(
    "company",
    [
        "Beispielhof GmbH",
        "Przykład Sp. z o.o.",
        "შპს „ნიმუში“",
        "Hotel Primer",
        "sastumro 'Primer'",
        "UAB Pavyzdys",
        "ul. Przykładowa 1",  # an address alone is enough
        "1 Example Street",
        "Château Laroque SARL",
        # a state body or programme recruits too (a user trial)
        "Apply through the State Employment Support Agency",
        "www.worknet.gov.ge",
        "Triple Win programme (GIZ)",
    ],
)
def test_a_company_or_an_address_clears_no_employer(company: str) -> None:
    text = f"Farm workers wanted in Spain, €1,300 a month. {company}. Viber 577 00 00 00"
    assert "no_employer" not in detect_offer_signs(text).flags


def test_an_office_or_email_clears_messenger_only() -> None:
    base = "Farm workers wanted in Spain, €1,300 a month. Viber 577 00 00 00."
    assert "messenger_only" in detect_offer_signs(base).flags
    assert "messenger_only" not in detect_offer_signs(base + " Or write to our e-mail.").flags
    assert "messenger_only" not in detect_offer_signs(base + " Office: 5 Example Street.").flags


@pytest.mark.parametrize(
    "contact", ["Telegram @pl_jobs_georgia", "https://t.me/workpl_ge", "wa.me/48500000000"]
)
def test_a_messenger_handle_or_link_is_not_an_office(contact: str) -> None:
    # "@" and "https://" counted as an e-mail or a website (a user trial)
    text = f"Warehouse work in Poland, 1200 euro. Apply only via {contact}"
    assert "messenger_only" in detect_offer_signs(text).flags
    assert "messenger_only" not in detect_offer_signs(text + " or jobs@agency.pl").flags


def test_any_contract_mention_clears_the_absent_contract_but_not_an_explicit_one() -> None:
    base = "Farm workers wanted in Spain, €1,300 a month, Example LLC. "
    assert detect_offer_signs(base).no_contract_kind == "absent"
    assert "no_contract" not in detect_offer_signs(base + "Contract before departure.").flags
    signs = detect_offer_signs(base + "Contract signed on arrival.")
    assert signs.no_contract_kind == "explicit"


@pytest.mark.parametrize("text", ["is this real?", "ეს ნამდვილია?", "rogor shevamowmo?"])
def test_absence_signs_need_something_that_looks_like_an_advert(text: str) -> None:
    signs = detect_offer_signs(text)
    assert not signs.looks_like_advert
    assert signs.flags == ()


@pytest.mark.parametrize(
    "text",
    [
        # questions and news about jobs, with no contact (a user trial)
        "My cousin wants to work in Germany. How do I check if an agency is real?",
        "gamarjoba, mainteresebs rogor wavide germaniashi samushaod legalurad",
        "Poland raised its minimum wage to 4,806 zloty a month, the government said.",
        "სტატისტიკის სამსახურის მონაცემებით, 2025 წელს საზღვარგარეთ ბევრი მოქალაქე დასაქმდა.",
        # police news and a forwarded warning (a second Telegram trial)
        "შსს-მ თბილისში დააკავა სამი პირი, რომლებიც ევროპაში სამუშაოს ჰპირდებოდნენ 2000 ლარად.",
        "WARNING: do not trust adverts promising jobs in Europe without a visa for a fee upfront.",
        "ნუ ენდობით განცხადებებს, რომლებიც ევროპაში სამუშაოს უვიზოდ გპირდებიან.",
    ],
)
def test_a_question_or_a_news_report_is_not_an_advert(text: str) -> None:
    signs = detect_offer_signs(text)
    assert not signs.looks_like_advert
    assert signs.flags == ()


def test_a_question_keeps_the_signs_it_names_and_a_report_none() -> None:
    question = "They want 500 lari for the visa before I go to Poland, is that normal?"
    assert detect_offer_signs(question).flags == ("fee",)
    report = (
        "The Ministry warned citizens about fake job offers promising work in Europe for a fee."
    )
    assert detect_offer_signs(report).flags == ()


def test_a_question_with_a_contact_is_still_an_advert() -> None:
    text = "Want to work in Poland? Factory, 1500 EUR a month. Write on WhatsApp 599 00 00 00"
    assert detect_offer_signs(text).looks_like_advert


# ---------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("text", "value", "currency", "period"),
    [
        ("ხელფასი 3000 ევრო", 3000, "EUR", None),
        ("ხელფასი 3000€", 3000, "EUR", None),
        ("3 000 eur/tv", 3000, "EUR", "month"),
        ("xelfasi 3500 evro tveshi", 3500, "EUR", "month"),
        ("14 ევრო საათში", 14, "EUR", "hour"),
        ("€14/h", 14, "EUR", "hour"),
        ("$25/hour", 25, "USD", "hour"),
        ("12.71 ფუნტი საათში", 12.71, "GBP", "hour"),
        ("PLN 5,200 gross per month", 5200, "PLN", "month"),
        ("€1,300-1,500/month", 1500, "EUR", "month"),
        ("ხელფასი 1200-1400 ევრო", 1400, "EUR", None),
        ("დღეში 45 ევრო", 45, "EUR", "day"),
        ("3.000 ლარი", 3000, "GEL", None),
        # working time after monthly pay is not the pay's period (a user trial)
        ("2000 EUR per month, 8 hours a day", 2000, "EUR", "month"),
        ("xelfasi 1800 evro 10 saati mushaoba", 1800, "EUR", None),
        ("1800 euro, 10 hours a day", 1800, "EUR", None),
        ("3k € net", 3000, "EUR", None),
        ("€2.5k a month", 2500, "EUR", "month"),
    ],
)
def test_amounts_are_parsed_with_currency_and_period(
    text: str, value: float, currency: str, period: str | None
) -> None:
    (amount,) = parse_amounts(text)
    assert (amount.value, amount.currency, amount.period) == (value, currency, period)


def test_phone_numbers_are_not_amounts() -> None:
    assert parse_amounts("დარეკეთ 599 00 00 00 ან +48 500 000 000") == []


def test_fees_and_rent_are_not_pay() -> None:
    amounts = parse_amounts("ხელფასი 3000 ევრო, ვიზის ფასი 1500 ევრო. Accommodation 600 PLN/month")
    assert [(a.value, a.is_pay) for a in amounts] == [(3000, True), (1500, False), (600, False)]


def test_a_cost_word_right_after_the_sum_makes_it_a_cost() -> None:
    amounts = parse_amounts("ხელფასი 1500 ევრო. 4000 ევროს მომსახურება. 250 USD visa fee.")
    assert [(a.value, a.is_pay) for a in amounts] == [(1500, True), (4000, False), (250, False)]
    (pay,) = parse_amounts("1300 evro tveshi + sachmeli da sacxovrebeli")
    assert pay.is_pay


def test_monthly_pay_in_euro() -> None:
    wages = load_wages()
    (hourly,) = parse_amounts("€14/h")
    assert hourly.monthly_eur(wages) == pytest.approx(14 * wages.hours_per_month)
    (zloty,) = parse_amounts("4250 zł a month")
    assert zloty.monthly_eur(wages) == pytest.approx(4250 / wages.eur_rates["PLN"])


# ---------------------------------------------------------------- the tables


def test_every_wage_has_a_source_and_a_date_and_italy_has_none() -> None:
    wages = load_wages()
    for minimum in wages.minimums.values():
        assert minimum.source.startswith("https://")
    assert wages.minimums["italy"].monthly_eur is None
    assert {"germany", "poland", "czechia", "uk", "turkey"} <= set(wages.minimums)
    assert all(m.since for m in wages.minimums.values() if m.monthly_eur is not None)


def test_every_table_country_is_in_the_gazetteer() -> None:
    gazetteer = {c.key for c in load_rules().countries}
    assert set(load_wages().minimums) <= gazetteer


def test_every_sign_has_an_entry_that_exists() -> None:
    from pathlib import Path

    entries = Path(__file__).resolve().parents[2] / "knowledge_base" / "entries"
    for code in SIGN_CODES:
        assert (entries / f"{sign_entry(code)}.yml").is_file(), code


def test_flags_come_in_the_fixed_order() -> None:
    text = "Drivers wanted in Romania, 4,000 EUR a month, no experience needed, fee 300 EUR. PM me."
    flags = detect_offer_signs(text).flags
    assert list(flags) == [c for c in SIGN_CODES if c in flags]
    assert len(flags) >= 5


def test_paying_for_the_visa_or_the_job_is_a_fee_and_an_employer_paying_is_not() -> None:
    asked = detect_offer_signs("Work in Poland, 3500 euro a month, pay 300 for the visa")
    paid = detect_offer_signs("Work in Poland, 1500 euro a month, the employer pays for the visa")
    assert "fee" in asked.flags and "fee" not in paid.flags
