"""What the bot says in its own voice, in Georgian and English.

Knowledge-base answers come from the entries; everything else a citizen
reads is here, in one place, so that it can be reviewed and spell-checked.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "welcome": {
        "ka": (
            "გამარჯობა! მე ვარ საინფორმაციო ბოტი. გეტყვით, როგორ იმუშაოთ საზღვარგარეთ "
            "კანონიერად და რა საფრთხეები ახლავს არალეგალურ მიგრაციას. დამისვით კითხვა "
            "ან აირჩიეთ თემა მენიუდან. ადამიანთან საუბარიც შეგიძლიათ."
        ),
        "en": (
            "Hello! I am an information bot. I can tell you how to work abroad legally and "
            "what the risks of irregular migration are. Ask me a question or pick a topic "
            "from the menu. You can also talk to a person."
        ),
    },
    "choose_language": {
        "ka": "აირჩიეთ ენა / Choose your language:",
        "en": "აირჩიეთ ენა / Choose your language:",
    },
    "language_set": {
        "ka": "კარგი, ვისაუბროთ ქართულად.",
        "en": "Fine, let us talk in English.",
    },
    "greet": {
        "ka": "გამარჯობა! რით შემიძლია დაგეხმაროთ? მკითხეთ საზღვარგარეთ კანონიერ მუშაობაზე.",
        "en": "Hello! How can I help? Ask me about working abroad legally.",
    },
    "thanks": {
        "ka": "არაფრის! თუ კიდევ გაქვთ კითხვა, მომწერეთ.",
        "en": "You are welcome! Write to me if you have another question.",
    },
    "goodbye": {
        "ka": "ნახვამდის! გისურვებთ წარმატებას. საჭიროების შემთხვევაში ისევ მომწერეთ.",
        "en": "Goodbye, and good luck! Write again whenever you need.",
    },
    "bot_challenge": {
        "ka": (
            "მე ვარ ბოტი: ვპასუხობ შემოწმებული წყაროების მიხედვით. თუ ადამიანთან "
            "საუბარი გსურთ, დაწერეთ „კონსულტანტი“."
        ),
        "en": (
            "I am a bot: I answer from checked sources. If you would like to talk to a "
            "person, write “counsellor”."
        ),
    },
    "empty": {
        "ka": "თქვენი შეტყობინება ცარიელია. დაწერეთ კითხვა, მაგალითად: „როგორ ვიმუშაო პოლონეთში კანონიერად?“",
        "en": "Your message is empty. Please type a question, for example: “How can I work in Poland legally?”",
    },
    "not_sure": {
        "ka": (
            "ამ კითხვაზე ზუსტი პასუხი არ მაქვს და გამოცნობა არ მინდა. შეიძლება ამ "
            "თემებიდან რომელიმე გამოგადგეთ:"
        ),
        "en": (
            "I do not have a reliable answer to that, and I would rather not guess. One of "
            "these topics may help:"
        ),
    },
    "not_sure_no_topics": {
        "ka": "ამ კითხვაზე ზუსტი პასუხი არ მაქვს და გამოცნობა არ მინდა.",
        "en": "I do not have a reliable answer to that, and I would rather not guess.",
    },
    "offer_counsellor": {
        "ka": "თუ გსურთ, თქვენს კითხვას კონსულტანტს გადავცემ: დაწერეთ „კონსულტანტი“.",
        "en": "If you wish, I can pass your question to a counsellor: write “counsellor”.",
    },
    "out_of_scope": {
        "ka": (
            "ამაში ვერ დაგეხმარებით: ვპასუხობ მხოლოდ საზღვარგარეთ კანონიერ მუშაობასა "
            "და არალეგალური მიგრაციის საფრთხეებზე."
        ),
        "en": (
            "I cannot help with that: I only answer questions about working abroad legally "
            "and the risks of irregular migration."
        ),
    },
    "handoff": {
        "ka": (
            "თქვენს საუბარს კონსულტანტს გადავცემ. ადამიანი გიპასუხებთ აქვე, ამ ჩატში. "
            "სანამ ელოდებით, შეგიძლიათ დაწეროთ თქვენი კითხვა დაწვრილებით."
        ),
        "en": (
            "I am passing your conversation to a counsellor. A person will answer you here, "
            "in this chat. While you wait, you can describe your question in detail."
        ),
    },
    "urgent_intro": {
        "ka": "თუ ახლა საფრთხეში ხართ, დარეკეთ 112-ზე (უფასოა, მუშაობს საქართველოსა და ევროკავშირის ყველა ქვეყანაში).",
        "en": "If you are in danger now, call 112 (free; it works in Georgia and in every EU country).",
    },
    "urgent_handoff": {
        "ka": "თქვენს შეტყობინებას კონსულტანტს პრიორიტეტულად გადავცემ.",
        "en": "I am passing your message to a counsellor as a priority.",
    },
    "source": {"ka": "წყარო", "en": "Source"},
    "reviewed": {"ka": "შემოწმდა", "en": "reviewed"},
    "related": {"ka": "მსგავსი თემები", "en": "Related topics"},
    "unsupported_media": {
        "ka": "ამ ტიპის შეტყობინებას ვერ ვკითხულობ. გთხოვთ, კითხვა ტექსტით დამიწეროთ.",
        "en": "I cannot read this kind of message. Please type your question as text.",
    },
    "too_long": {
        "ka": "შეტყობინება ძალიან გრძელია; წავიკითხე მისი დასაწყისი.",
        "en": "Your message is very long; I read its beginning.",
    },
    "slow_down": {
        "ka": "ძალიან ბევრი შეტყობინება მოვიდა ერთად. გთხოვთ, ცოტა ხანს დაიცადოთ.",
        "en": "Too many messages at once. Please wait a little before writing again.",
    },
}


def say(key: str, lang: str) -> str:
    return MESSAGES[key][lang if lang in ("ka", "en") else "ka"]
