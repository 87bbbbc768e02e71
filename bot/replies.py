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
    # --- Telegram bot (bot/handlers.py, bot/keyboards.py) ---
    "start": {
        "ka": "გამარჯობა! ვპასუხობ კითხვებს საზღვარგარეთ კანონიერ მუშაობასა და არალეგალური მიგრაციის საფრთხეებზე.",
        "en": "Hello! I answer questions about working abroad legally and the risks of irregular migration.",
    },
    "start_next": {
        "ka": "დამისვით კითხვა ან აირჩიეთ თემა. /help: რა შემიძლია.",
        "en": "Ask me a question or pick a topic. /help: what I can do.",
    },
    "btn_topics": {"ka": "📚 თემები", "en": "📚 Topics"},
    "btn_counsellor": {"ka": "💬 კონსულტანტთან საუბარი", "en": "💬 Talk to a counsellor"},
    "btn_back": {"ka": "⬅️ უკან", "en": "⬅️ Back"},
    "btn_forget_yes": {"ka": "✅ დიახ, წაშალეთ", "en": "✅ Yes, delete it"},
    "btn_forget_no": {"ka": "❌ არა", "en": "❌ No"},
    "cat_legal-work": {"ka": "🧳 კანონიერი მუშაობა საზღვარგარეთ", "en": "🧳 Legal work abroad"},
    "cat_risks": {
        "ka": "⚠️ არალეგალური მიგრაციის საფრთხეები",
        "en": "⚠️ Risks of irregular migration",
    },
    "cat_help": {"ka": "🆘 დახმარება და საგანგებო სიტუაციები", "en": "🆘 Help and emergencies"},
    "topics_title": {"ka": "აირჩიეთ თემა:", "en": "Choose a topic:"},
    "category_title": {"ka": "{category}. აირჩიეთ კითხვა:", "en": "{category}. Choose a question:"},
    "category_empty": {
        "ka": "ამ თემაზე ჯერ ინფორმაცია არ მაქვს. დამისვით კითხვა ან მიმართეთ კონსულტანტს.",
        "en": "I have nothing on this topic yet. Ask me a question or talk to a counsellor.",
    },
    "feedback_thanks": {"ka": "გმადლობთ შეფასებისთვის!", "en": "Thank you for your feedback!"},
    "feedback_sorry": {
        "ka": "გმადლობთ! ვეცდებით, პასუხი გავაუმჯობესოთ. შეგიძლიათ კონსულტანტსაც ჰკითხოთ.",
        "en": "Thank you! We will try to improve this answer. You can also ask a counsellor.",
    },
    "help": {
        "ka": (
            "დამიწერეთ კითხვა ჩვეულებრივად: ქართულად (ქართული ან ლათინური ასოებით) ან ინგლისურად. "
            "ვპასუხობ შემოწმებული წყაროების მიხედვით და ყოველ პასუხთან წყაროს ვუთითებ.\n\n"
            "/topics — თემების მენიუ\n"
            "/language — ენის შეცვლა\n"
            "/privacy — რას ვინახავ და რამდენ ხანს\n"
            "/forget — თქვენს შესახებ შენახული ინფორმაციის წაშლა\n"
            "/help — ეს დახმარება\n\n"
            "ადამიანთან სასაუბროდ დაწერეთ „კონსულტანტი“. თუ საფრთხეში ხართ, დარეკეთ 112-ზე."
        ),
        "en": (
            "Write your question the way you would say it, in Georgian (Georgian or Latin letters) "
            "or in English. I answer from checked sources and name the source of every answer.\n\n"
            "/topics — the topic menu\n"
            "/language — change the language\n"
            "/privacy — what I store and for how long\n"
            "/forget — delete what is stored about you\n"
            "/help — this help\n\n"
            "To talk to a person, write “counsellor”. If you are in danger, call 112."
        ),
    },
    "privacy": {
        "ka": (
            "რას ვინახავ: თქვენს შეკითხვებს, რომელ თემაზე გიპასუხეთ და თქვენს შეფასებებს (👍/👎). "
            "ამ ჩანაწერებში თქვენი Telegram-ის ნომრის ნაცვლად ფსევდონიმია. ცალკე ვინახავ ჩატის "
            "ნომერს, რომ გიპასუხოთ, და თქვენ მიერ არჩეულ ენას.\n\n"
            "რამდენ ხანს: შეტყობინებების ტექსტს {days} დღის შემდეგ ვშლი; რჩება მხოლოდ "
            "სტატისტიკა, ტექსტის გარეშე.\n\n"
            "ვინ ხედავს: მხოლოდ ამ ბოტის გუნდი და, თუ კონსულტანტს მიმართავთ, კონსულტანტები. "
            "მესამე მხარეს არაფერს გადავცემთ. შეტყობინებებს Telegram-იც ამუშავებს, საკუთარი "
            "წესების მიხედვით.\n\n"
            "ყველაფრის წასაშლელად დაწერეთ /forget."
        ),
        "en": (
            "What I store: your questions, which topic I answered with, and your ratings (👍/👎). "
            "These records carry a pseudonym instead of your Telegram id. Separately I keep your "
            "chat number, so that I can reply, and the language you chose.\n\n"
            "How long: message texts are deleted after {days} days; only statistics without "
            "the text remain.\n\n"
            "Who sees it: only the team running this bot and, if you ask for one, the "
            "counsellors. Nothing is passed to third parties. Telegram also processes messages, "
            "under its own rules.\n\n"
            "To delete everything, write /forget."
        ),
    },
    "forget_confirm": {
        "ka": "წავშალო ყველაფერი, რაც თქვენზე შენახული მაქვს? ამის დაბრუნება შეუძლებელია.",
        "en": "Shall I delete everything stored about you? This cannot be undone.",
    },
    "forgotten": {
        "ka": "წავშალე ყველაფერი, რაც თქვენზე მქონდა შენახული. თუ ისევ მომწერთ, თავიდან დავიწყებთ.",
        "en": "I have deleted everything I had stored about you. If you write again, we start afresh.",
    },
    "forget_cancelled": {"ka": "კარგი, არაფერი წამიშლია.", "en": "Fine, nothing was deleted."},
    "button_expired": {
        "ka": "ეს ღილაკი აღარ მუშაობს. თემების სანახავად დაწერეთ /topics.",
        "en": "This button no longer works. Write /topics to see the topics.",
    },
    "other_language": {
        "ka": "ვპასუხობ მხოლოდ ქართულად და ინგლისურად. I can only answer in Georgian or English.",
        "en": "I can only answer in Georgian or English. ვპასუხობ მხოლოდ ქართულად და ინგლისურად.",
    },
    "error": {
        "ka": "ბოდიში, რაღაც შეცდომა მოხდა. გთხოვთ, ცოტა ხანში ისევ სცადოთ.",
        "en": "Sorry, something went wrong. Please try again in a little while.",
    },
}


def say(key: str, lang: str) -> str:
    return MESSAGES[key][lang if lang in ("ka", "en") else "ka"]
