"""The Rasa-independent danger detector on real sentences, in all three scripts."""

from __future__ import annotations

import re
import sys

import pytest

from nlu.danger import (
    SIGNALS_FILE,
    explain_danger_signals,
    find_danger_signals,
    load_signals,
    sounds_urgent,
    widen_confusable_letters,
)

DANGER = [
    # Mkhedruli
    ("პასპორტი წამართვეს", "documents_taken"),
    ("დამსაქმებელმა პასპორტი ჩამომართვა და უკან არ მიბრუნებს", "documents_taken"),
    ("საბუთები დაიტოვეს და არ მაძლევენ", "documents_taken"),
    ("ჩემი პასპორტი უფროსთანაა, არ მაძლევს", "documents_taken"),
    ("ოთახში ჩამკეტეს", "locked_in"),
    ("ბინაში ვარ გამოკეტილი, გარეთ ვერ გავდივარ", "locked_in"),
    ("გარეთ არ გვიშვებენ", "locked_in"),
    ("სახლიდან გასვლის უფლებას არ მაძლევენ", "locked_in"),
    ("ქმარი მცემს ყოველ საღამოს", "violence"),
    ("უფროსმა დამარტყა", "violence"),
    ("ჩემს დას სცემენ იტალიაში", "violence"),
    ("ჩემზე ძალადობენ სამსახურში", "violence"),
    ("მემუქრებიან, რომ ოჯახს დაუშავებენ", "threats"),
    ("თუ წავალ, მომკლავენ", "threats"),
    ("ძალით გვამუშავებენ დღეში თექვსმეტ საათს", "forced_labour"),
    ("მაიძულებენ ვიმუშაო ხელფასის გარეშე", "forced_labour"),
    ("ვალი მაქვს და მეუბნებიან, რომ უნდა გამოვიმუშაო", "forced_labour"),
    ("გამყიდეს, არ ვიცი სად ვარ", "trafficking"),
    ("ჩემი და გაყიდეს თურქეთში", "trafficking"),
    ("მაიძულებენ სექსუალურ მომსახურებას", "trafficking"),
    ("თავს მოვიკლავ, აღარ შემიძლია", "suicide"),
    ("ცხოვრება აღარ მინდა", "suicide"),
    ("მიშველეთ!", "in_danger"),
    ("უფროსი ყოველდღე მაწვალებს", "violence"),
    ("დარეკვის უფლებას არ გვაძლევენ", "locked_in"),
    ("მეუბნებიან, რომ ბილეთის ფული მმართებს და უნდა გამოვიმუშაო", "forced_labour"),
    ("სააგენტო პასპორტებს ინახავს და არ გვაძლევს", "documents_taken"),
    ("ახლავე პოლიცია მჭირდება", "in_danger"),
    ("აქედან გასვლა არ შემიძლია, მეშინია", "locked_in"),
    ("საფრთხეში ვარ", "in_danger"),
    # Mkhedruli with converter slips (t->ტ/თ, ch->ჭ, ts->ც, k->ქ)
    ("ჩამკეთეს ოთახში", "locked_in"),
    ("ვერ გამოვდივარ, ჭაკეტილი ვარ", "locked_in"),
    ("დოკუმენტები ცაიღეს", "documents_taken"),
    ("ფასპორტი წამართვეს", "documents_taken"),
    ("მემუკრებიან", "threats"),
    # raw Latin-typed Georgian
    ("pasporti wamartves", "documents_taken"),
    ("dokumentebi tsamartves da ar mibruneben", "documents_taken"),
    ("otaxshi chamketes", "locked_in"),
    ("garet ar mishveben", "locked_in"),
    ("mcemen, damexmaret", "violence"),
    ("patroni mirtyams", "violence"),
    ("memuqrebian rom momklaven", "threats"),
    ("dzalit mamushaveben", "forced_labour"),
    ("gamyides", "trafficking"),
    ("tavs moviklav", "suicide"),
    ("mishvelet", "in_danger"),
    # English
    ("they took my passport", "documents_taken"),
    ("My employer took our passports and won't give them back", "documents_taken"),
    ("my passport was taken by my boss", "documents_taken"),
    ("I can't leave, they keep my documents", "documents_taken"),
    ("I'm locked in a room", "locked_in"),
    ("they won't let me leave the house", "locked_in"),
    ("we can't leave the farm, guards watch us", "locked_in"),
    ("my boss beats me", "violence"),
    ("the manager hits us", "violence"),
    ("they threatened to kill me", "threats"),
    ("they said they'd hurt my kids if I leave", "threats"),
    ("I'm being forced to work without pay", "forced_labour"),
    ("they say I owe them money and must work off the debt", "forced_labour"),
    ("I think I've been trafficked", "trafficking"),
    ("they sold me to another employer", "trafficking"),
    ("I want to kill myself", "suicide"),
    ("I don’t want to live anymore", "suicide"),
    ("SOS, I'm in danger", "in_danger"),
    ("the owner is holding our passports", "documents_taken"),
    ("boss take my pasport dont give back", "documents_taken"),  # as typed
    ("they took our docs and phones", "documents_taken"),
    ("they say we owe them for the flight and must work it off", "forced_labour"),
    ("they don't let her call home", "locked_in"),
    ("I need the police right now", "in_danger"),
    ("he said he would break my legs if I talk", "threats"),
    ("please help, I can't get out of here", "locked_in"),
    # in danger, in either word order, with the copula dropped (a helper's trial)
    ("ვარ საფრთხეში დამეხმარეთ", "in_danger"),
    ("საშიშროებაში ვიმყოფები", "in_danger"),
    ("ჩემი და საფრთხეშია, რა ვქნა", "in_danger"),
    ("ჩემი სიცოცხლე საფრთხეშია", "in_danger"),
    ("var safrtxeshi momexmaret", "in_danger"),
    ("sicocxle safrtxeshia", "in_danger"),
    ("i in danger help", "in_danger"),
    ("me and my wife in danger in poland", "in_danger"),
    ("my life in danger here", "in_danger"),
    ("I think we are in real danger", "in_danger"),
    ("i dont feel safe here anymore", "in_danger"),
    ("იტალიაში სექსუალურად გამომიყენეს", "sexual_violence"),
    ("italiashi seqsualurad gamomiyenes", "sexual_violence"),
    ("I was sexually exploited by the agent", "sexual_violence"),
    ("უფროსმა ჩემს ძმას სცემა", "violence"),
    ("ოთახში ჩაკეტილი ვყავდით ორი დღე", "locked_in"),
    ("კარი გარედან ჩაკეტეს", "locked_in"),
    ("გაქცევა მინდა აქედან", "locked_in"),
    ("გარეთ გასვლის მეშინია", "locked_in"),
    ("we escaped from the farm last night", "locked_in"),
    ("ის კაცი ქუჩაში დამდევს", "threats"),
    ("the agent's men are looking for me", "threats"),
    ("he says if I run away he will find my children", "threats"),
    ("her employer's son attacked her yesterday", "violence"),
    ("the foreman beat my brother at the warehouse", "violence"),
    ("they will come for my family if we escape", "threats"),
    ("თუ გავიქცევი, ოჯახს მიპოვიან", "threats"),
    ("ძალით ვყავარ ამ ფერმაში", "locked_in"),
    ("dzalit vyavart sastumroshi", "locked_in"),
    ("ვალი არ მთავრდება, სულ ახალს მიწერენ", "forced_labour"),
    ("ტრეფიკინგში მოვხვდით", "trafficking"),
    ("თვითმკვლელობაზე ვფიქრობ", "suicide"),
    ("სახიფათო მდგომარეობაში ვარ", "in_danger"),
    ("აქ დარჩენა ჩემთვის სახიფათოა", "in_danger"),
    ("სიცოცხლის მეშინია", "in_danger"),
    ("i feel unsafe in this flat", "in_danger"),
    ("ჩამოსვლისთანავე პასპორტები აგვართვეს", "documents_taken"),
    ("ბინის კარი გარედან იკეტება", "locked_in"),
    ("ჩემი და ძალით ჰყავთ იმ სახლში", "locked_in"),
    ("the room is locked from the outside", "locked_in"),
    ("ღამით კლიენტებს მიგზავნიან", "trafficking"),
    ("ჩემს ბიძაშვილს ფერმიდან არ უშვებენ", "locked_in"),
    ("documents boss take, i cant go", "documents_taken"),
    ("they say we leave only after we repay the tickets", "forced_labour"),
    # a helper's trial, 2026-12-01: killing oneself in any case, threats to someone close
    ("თავის მოკვლაზე ვფიქრობ", "suicide"),
    ("tavis mokvlaze vfiqrob", "suicide"),
    ("thinking about ending my life", "suicide"),
    ("ვფიქრობ თავის მოკვლაზე", "suicide"),
    ("მინდა თავი მოვიკლა", "suicide"),
    ("vapireb tavi moviklo", "suicide"),
    # kinds the danger development set showed the patterns lacked (2026-12-01)
    ("ღამღამობით სარდაფში გვამწყვდევენ", "locked_in"),
    ("გაუპატიურება შემეცადა ბინის პატრონი", "sexual_violence"),
    ("უფროსმა გაუპატიურება სცადა, ძლივს გავიქეცი", "sexual_violence"),
    ("ცოცხალი ყოფნა აღარ მინდა", "suicide"),
    ("ar vici rogor vicocxlo, aghar minda", "suicide"),
    ("ჩემი და საბერძნეთშია, ვერ ვუკავშირდები, ბოლოს თქვა, რომ ემუქრებიან", "threats"),
    ("ძმაჩემს ემუქრებოდნენ, ახლა ტელეფონს არ იღებს", "threats"),
    ("dzmas emuqrebodnen da axla telefons ar igebs", "threats"),
    # not waking up, hanging or poisoning oneself, no longer able to live (2026-12-01)
    ("dzalian cudad var, aRar minda gaRvidzeba", "suicide"),
    ("ხვალ აღარ მინდა გავიღვიძო", "suicide"),
    ("ჩამოვიხრჩობ თავს, ვეღარ ვუძლებ", "suicide"),
    ("tavs moviwamlav aq", "suicide"),
    ("ასე ცხოვრება აღარ შემიძლია", "suicide"),
    ("სიკვდილი მინდა, ყველაფერი დამთავრდეს", "suicide"),
    ("I don't want to wake up tomorrow", "suicide"),
    ("sometimes I think I will hang myself in this room", "suicide"),
    ("i want to hurt myself", "suicide"),
    ("I am thinking to take my own life", "suicide"),
    ("they would be better off if I was dead, I wish I were dead", "suicide"),
    ("I cant live like this anymore", "suicide"),
    # kinds a development set missed (written for these tests): a threat to the family
    # bound to escaping, someone else sold, a passport held as a threat, phones taken
    # or checked, fleeing with nowhere to go, no food, someone always listening,
    # being chased, thrown against a wall
    ("if we leave, his men will pay a visit to our parents", "threats"),
    ("my brother says they sold him to a man in another town", "trafficking"),
    ("she must go with the customers, the boss says", "trafficking"),
    ("do what he says or you will never see your passport again", "documents_taken"),
    ("the supervisor took our phones and keeps them in his office", "documents_taken"),
    ("the owner reads my messages every evening", "in_danger"),
    ("we escaped from the farm at night and dont know where to go now", "in_danger"),
    ("he is always next to me when I call home", "in_danger"),
    ("they won't let us eat until the boxes are packed", "forced_labour"),
    ("უფროსი ყოველ საღამოს ტელეფონს მიმოწმებს", "in_danger"),
    ("ვიმალები სარდაფში, ორი კაცი მომდევენ", "threats"),
    ("patroni da misi dzmebi momdeven quchashi", "threats"),
    ("ბოსმა კარს მიმახალა", "violence"),
    ("the landlord slammed me against the wall", "violence"),
]

NOT_DANGER = [
    "if I leave this job will the agency find me a new one",
    "they will find me a job if I leave this one",
    "the storm hit the farm hard this year",
    # Mkhedruli questions that mention passports, police, contracts, violence...
    "როგორ ავიღო პასპორტი?",
    "პასპორტის აღება რა ღირს?",
    "დამსაქმებელს შეუძლია პასპორტი წამართვას?",
    "პოლიციაში რეგისტრაცია საჭიროა ჩასვლისას?",
    "ხელშეკრულებაში რა უნდა ეწეროს?",
    "ვინ გასცემს სამუშაო ვიზას?",
    "ტრეფიკინგი რა არის და როგორ დავიცვა თავი?",
    "რა არის ოჯახში ძალადობა?",
    "საზღვარზე არ გამიშვეს, ვიზა არ მქონდა, რა ვქნა?",
    "შვებულებაში არ მიშვებენ, კანონიერია?",
    "სახლი და მანქანა გაყიდეს, ახლა სამუშაოდ მივდივართ",
    "სასწრაფოდ დახმარება მჭირდება ვიზის ფორმის შევსებაში",
    "პასპორტი დავკარგე, ახალი როგორ გავაკეთო?",
    "ვიზის ვადა მეწურება, რა ვქნა?",
    "რა საბუთები მჭირდება პოლონეთში სამუშაოდ?",
    # Latin-typed Georgian
    "pasporti rogor avigo?",
    "ra sabutebia sachiro vizistvis?",
    "policiashi registracia sachiroa?",
    "kontraqti rogor shevamowmo?",
    # English
    "how do I get a passport?",
    "how i get pasport for work in poland",
    "do I need a passport to work in Poland?",
    "can my employer keep my passport?",
    "is it legal for the agency to hold my passport?",
    "do they take your passport at the border?",
    "do I have to register with the police when I arrive?",
    "what should a work contract include?",
    "what is human trafficking?",
    "I'm locked into a two-year contract, can I quit?",
    "I took my documents to the embassy yesterday",
    "I don't want to live in a big city",
    "can you help me find a job in Germany?",
    "my visa was refused, what now?",
    "what happens if I overstay my visa?",
    "how do I pay off my debt faster while working abroad?",
    "should I call the police if my employer does not pay me?",
    "ვალი მაქვს და სამუშაოდ მინდა წასვლა, რა ვქნა?",
    "პასპორტი სად ვინახო, რომ არ დავკარგო?",
    "პოლონეთში წასვლა არ შემიძლია ვიზის გარეშე?",
    "კარის ჩამკეტი გაფუჭდა, ვინ შეაკეთებს?",
    "I can't get out of my contract early, what are my options?",
    "I'm stuck at the border with an expired visa",
    # danger as a risk, a hypothesis or a question, not a cry for help
    "is my visa in danger of being refused?",
    "am i in danger if i overstay?",
    "will we be in danger if we work without papers?",
    "what is the danger of working illegally?",
    "საფრთხეში ვარ, თუ ვიზას გადავაცილებ?",
    "რა საფრთხე არსებობს ვიზის გადაცილებისას?",
    "safrtxeshi var tu vizas gadavacileb?",
    "საფრთხე ემუქრება ჩემს ბინადრობას, თუ სამსახურს დავკარგავ?",
    "what should I do if an employer takes my passport?",
    "my mum will kill me if I come home without money",
    "დედაჩემი მომკლავს, თუ გაიგებს რომ სამსახური დავკარგე",
    "საზღვარზე ჩემს ძმას არ უშვებენ, ვიზა არ აქვს",
    # a risk threatens in the singular; people threaten in the plural
    "რა საფრთხეები ემუქრება არალეგალურ მიგრანტებს?",
    "რა ემუქრება ვიზის ვადის გადაცილებისთვის?",
    "what threatens him if he overstays his visa?",
    "the agency wants to take my life savings for a visa",
    # a helper's probe of the patterns added on 2026-12-01 (those that fired were
    # narrowed or taken out again)
    "we ended it all on good terms with the employer",
    "I am taking my life in a new direction and moving to Poland",
    "the new visa rules will hurt them",
    "they threatened him with a fine because he was late",
    "ჩემს შვილს ბურთი დაუგორდა და ფეხი იტკინა",
    "we keep our tools in the basement of the farm",
    # a third probe (2026-12-01): threats of a fine or the sack, illness, pets, opinions
    "they threatened him with a lawsuit if he does not pay the rent",
    "ჯარიმით დაემუქრნენ ჩემს ქმარს, რადგან ვიზას გადააცილა",
    "გათავისუფლებით ემუქრებიან ჩემს შვილს, რა უფლებები აქვს?",
    "ჩემი ძაღლი ყველგან მომდევს, შემიძლია წავიყვანო პოლონეთში?",
    "ჩემს ძმას ინსულტი დაარტყა, შეუძლია დასვენება აიღოს?",
    "თავის მოკვლის შესახებ მინდა ვიკითხო, რა სტატისტიკაა მიგრანტებში?",
    "ვფიქრობ, რომ თავის მოკვლა ცოდვაა",
    "მინდა ბევრი ვიცოცხლო, აღარ მინდა ნერვიულობა",
    "can I take my life partner with me on a family visa?",
    "we are ending it all here and moving to Poland for good",
    "the agency kept us in a basement flat for the first week",
    "ბავშვი ბურთს ურტყამს კედელს",
    "ვიზის ვადის გასვლა თავზე მადგას",
    "არ ვიცი ხვალ სად მივყავარ სამუშაოდ, მენეჯერი დილით გვეტყვის",
    "they are holding her wedding in Batumi next month",
    "my boss watches us all the time on the production line",
    "ბანკი ამბობს, რომ ვალი დაფარულია",
    "მინდა ვიცოდე, თავის მოკვლის მცდელობისთვის დეპორტაცია ხდება თუ არა",
    "მინდა გერმანიაში ვიცოცხლო, ამ ქალაქში აღარ მინდა",
    "გაუპატიურების თემაზე დამიპირისპირდა მეგობარი, კანონი რას ამბობს?",
    # accidents and savings, not self-harm
    "I cut myself with a knife at the factory, who pays the doctor?",
    "I hurt myself at work, does insurance cover it?",
    "can I take my life savings to Poland in cash?",
    "can I take my life partner with me on a work visa?",
    "they took our phone numbers for the contract",
    "the agency checks my phone number before the interview",
    "someone is always next to her at the hospital after the surgery",
    "I sold my car to pay for the ticket",
    "we had dinner with the clients after the meeting",
    "will his family visit my mother when they come to Kutaisi?",
]


@pytest.mark.parametrize(("text", "signal"), DANGER)
def test_danger_sentence_raises_its_signal(text: str, signal: str) -> None:
    assert signal in find_danger_signals(text.lower())


@pytest.mark.parametrize("text", NOT_DANGER)
def test_ordinary_question_raises_nothing(text: str) -> None:
    assert find_danger_signals(text.lower()) == []


def test_raw_input_is_normalised_by_the_detector() -> None:
    # Capitals and a decomposed/odd apostrophe still work for direct callers.
    assert find_danger_signals("They WON’T let me LEAVE the house") == ["locked_in"]


def test_several_signals_come_back_in_file_order() -> None:
    signals = find_danger_signals("პასპორტი წამართვეს, ოთახში ჩამკეტეს და მცემენ")
    assert signals == ["violence", "locked_in", "documents_taken"]


def test_explanation_quotes_the_matching_words() -> None:
    assert explain_danger_signals("they took my passport") == {
        "documents_taken": "they took my passport"
    }


def test_confusable_letters_widen_outside_and_inside_classes() -> None:
    assert widen_confusable_letters("ჩამკეტ") == "[ჩჭ]ამ[კქყ]ე[თტ]"
    assert widen_confusable_letters("[თა]") == "[თტა]"
    assert re.fullmatch(widen_confusable_letters("ჩამკეტ"), "ჭამქეთ")


def test_every_signal_has_patterns_and_all_compile() -> None:
    signals = load_signals(SIGNALS_FILE)
    names = {signal.name for signal in signals}
    assert {"violence", "locked_in", "documents_taken", "threats"} <= names
    assert {"forced_labour", "trafficking", "suicide"} <= names
    assert all(signal.patterns for signal in signals)


def test_the_danger_cache_keeps_no_text() -> None:
    """Issue 15, item 7: after /forget nothing the person wrote stays in memory.

    A cache that keeps the text holds a reference to it; one keyed by a digest does not.
    """
    text = "".join(["they took my passport ", "and lock me in, ", str(id(object()))])
    before = sys.getrefcount(text)
    assert find_danger_signals(text)
    assert find_danger_signals(text)  # the second call is served from the cache
    assert sounds_urgent(text)
    assert sys.getrefcount(text) == before
