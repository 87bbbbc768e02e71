"""What the bot says in its own voice, in Georgian and English.

Knowledge-base answers come from the entries; everything else a citizen
reads is here, in one place, so that it can be reviewed and spell-checked.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "choose_language": {
        "ka": "აირჩიეთ ენა / Choose your language:",
        "en": "აირჩიეთ ენა / Choose your language:",
    },
    "language_set": {
        "ka": "კარგი, ვისაუბროთ ქართულად.",
        "en": "Fine, let us talk in English.",
    },
    "greet": {
        "ka": (
            "გამარჯობა! რით შემიძლია დაგეხმაროთ? დამისვით კითხვა საზღვარგარეთ კანონიერად "
            "მუშაობის შესახებ ან მომწერეთ, თუ იქ პრობლემა შეგექმნათ."
        ),
        "en": (
            "Hello! How can I help? Ask me about working abroad legally, or tell me if you "
            "have run into a problem there."
        ),
    },
    "thanks": {
        "ka": "არაფრის! თუ კიდევ გაქვთ კითხვა, მომწერეთ.",
        "en": "You are welcome! Write to me if you have another question.",
    },
    "acknowledged": {
        "ka": "კარგი. თუ საზღვარგარეთ მუშაობაზე სხვა კითხვაც გაქვთ, მომწერეთ.",
        "en": "Good. If you have another question about working abroad, just write it.",
    },
    "goodbye": {
        "ka": "ნახვამდის! წარმატებებს გისურვებთ. როცა დაგჭირდებათ, ისევ მომწერეთ.",
        "en": "Goodbye, and good luck! Write again whenever you need.",
    },
    "bot_challenge": {
        "ka": (
            "მე ბოტი ვარ, არა ცოცხალი ადამიანი. ვპასუხობ შემოწმებული წყაროების მიხედვით. "
            "თუ კონსულტანტთან (ცოცხალ ადამიანთან) საუბარი გსურთ, დაწერეთ „კონსულტანტი“."
        ),
        "en": (
            "I am a bot, not a real person. I answer from checked sources. If you would like "
            "to talk to a counsellor (a real person), write “counsellor”."
        ),
    },
    "empty": {
        # Also for "???" or an emoji alone: no words, not necessarily empty.
        "ka": (
            "თქვენს შეტყობინებაში სიტყვები ვერ ვიპოვე. დაწერეთ კითხვა, მაგალითად: "
            "„როგორ ვიმუშაო პოლონეთში კანონიერად?“"
        ),
        "en": (
            "I found no words in your message. Please type a question, for example: "
            "“How can I work in Poland legally?”"
        ),
    },
    "not_sure": {
        "ka": (
            "ამ კითხვაზე სანდო პასუხი არ მაქვს და ვარაუდით პასუხს არ გაგცემთ. შესაძლოა, "
            "ქვემოთ ჩამოთვლილი კითხვებიდან რომელიმე გამოგადგეთ:"
        ),
        "en": (
            "I do not have a reliable answer to that, and I would rather not guess. One of "
            "the questions below may help:"
        ),
    },
    "not_covered": {
        # {country}: nlu/countries.yml's name_ka (genitive) or name_en; issue 12.
        "ka": "სამწუხაროდ, {country} შესახებ ამ საკითხზე ინფორმაცია არ მაქვს.",
        "en": "Sorry, I have no information on this for {country}.",
    },
    "one_word": {
        # A single topic word ("passport", "ვიზა"): several entries may be meant.
        "ka": (
            "ერთი სიტყვით ზუსტად ვერ გავიგე, რა გაინტერესებთ. დაწერეთ კითხვა სრული "
            "წინადადებით ან აირჩიეთ თემა:"
        ),
        "en": (
            "From one word I cannot tell what you would like to know. Write your question "
            "in a sentence, or choose a topic:"
        ),
    },
    "closest_topics": {
        "ka": "შესაძლოა, ქვემოთ ჩამოთვლილი თემებიდან რომელიმე გამოგადგეთ:",
        "en": "One of the topics below may help:",
    },
    "neutral": {
        "ka": (
            "ბოლომდე ვერ გავიგე. ვპასუხობ კითხვებს საზღვარგარეთ კანონიერად მუშაობისა და "
            "არალეგალური მიგრაციის საფრთხეების შესახებ. დამიწერეთ კითხვა თქვენი სიტყვებით "
            "ან აირჩიეთ თემა: /topics"
        ),
        "en": (
            "I did not quite understand. I answer questions about working abroad legally "
            "and the risks of irregular migration. Write your question in your own words "
            "or choose a topic: /topics"
        ),
    },
    "not_sure_no_topics": {
        "ka": "ამ კითხვაზე სანდო პასუხი არ მაქვს და ვარაუდით პასუხს არ გაგცემთ.",
        "en": "I do not have a reliable answer to that, and I would rather not guess.",
    },
    "offer_counsellor": {
        "ka": (
            "თუ გსურთ, თქვენს კითხვას კონსულტანტს გადავცემ — დაწერეთ „კონსულტანტი“ ან "
            "დააჭირეთ ღილაკს „💬 კონსულტანტთან საუბარი“."
        ),
        "en": (
            "If you wish, I can pass your question to a counsellor — write “counsellor” or "
            "press the button “💬 Talk to a counsellor”."
        ),
    },
    "out_of_scope": {
        # Rasa's out_of_scope covers far questions ("weather in Batumi") and plain
        # statements ("my mother is well") alike: no refusal, the way to a question
        # instead (issue 12; docs/texts-changes.md).
        "ka": (
            "ვპასუხობ მხოლოდ კითხვებს საზღვარგარეთ კანონიერად მუშაობისა და არალეგალური "
            "მიგრაციის საფრთხეების შესახებ. თუ ასეთი კითხვა გაქვთ, დამიწერეთ თქვენი "
            "სიტყვებით ან აირჩიეთ თემა: /topics"
        ),
        "en": (
            "I only answer questions about working abroad legally and the risks of irregular "
            "migration. If you have such a question, write it in your own words or choose a "
            "topic: /topics"
        ),
    },
    "handoff": {
        "ka": (
            "თქვენს საუბარს კონსულტანტს გადავცემ. კონსულტანტი ცოცხალი ადამიანია და "
            "გიპასუხებთ აქვე, ამ ჩატში. სანამ ელოდებით, შეგიძლიათ დაწვრილებით დაწეროთ, "
            "რა მოხდა ან რა გაინტერესებთ."
        ),
        "en": (
            "I am passing your conversation to a counsellor. The counsellor is a real person "
            "and will answer you here, in this chat. While you wait, you can write in detail "
            "what happened or what you want to know."
        ),
    },
    "urgent_intro": {
        "ka": (
            "თუ ახლა საფრთხეში ხართ, დარეკეთ გადაუდებელი დახმარების ნომერზე: საქართველოში "
            "და ევროკავშირის ყველა ქვეყანაში ეს არის 112, ზარი უფასოა. სხვა ქვეყანაში "
            "დარეკეთ იმ ქვეყნის გადაუდებელი დახმარების ნომერზე."
        ),
        "en": (
            "If you are in danger now, call the emergency number: in Georgia and every EU "
            "country it is 112, and the call is free. In another country, call that "
            "country's emergency number."
        ),
    },
    "urgent_handoff": {
        "ka": "თქვენს შეტყობინებას კონსულტანტს სასწრაფოდ გადავცემ.",
        "en": "I am passing your message to a counsellor straight away.",
    },
    "source": {"ka": "წყარო", "en": "Source"},
    "reviewed": {"ka": "შემოწმებულია", "en": "reviewed"},
    "unsupported_media": {
        "ka": (
            "მხოლოდ ტექსტს ვკითხულობ: ხმოვან შეტყობინებას, სტიკერს, ფოტოს ან ფაილს ვერ ვიგებ. "
            "გთხოვთ, კითხვა ტექსტით დამიწეროთ."
        ),
        "en": (
            "I can only read text: voice messages, stickers, photos and files I cannot "
            "understand. Please type your question as text."
        ),
    },
    "too_long": {
        "ka": "თქვენი შეტყობინება ძალიან გრძელია, ამიტომ მხოლოდ მისი დასაწყისი და ბოლო წავიკითხე.",
        "en": "Your message is very long, so I read only its beginning and its end.",
    },
    "slow_down": {
        "ka": (
            "ერთდროულად ძალიან ბევრი შეტყობინება მივიღე. გთხოვთ, {seconds} წამით მოიცადოთ "
            "და მერე ისევ მომწეროთ. თუ საფრთხეში ხართ, დარეკეთ 112-ზე."
        ),
        "en": (
            "I received too many messages at once. Please wait {seconds} seconds, then write "
            "again. If you are in danger, call 112."
        ),
    },
    # --- Telegram bot (bot/handlers.py, bot/keyboards.py) ---
    "start": {
        "ka": (
            "გამარჯობა! მე საინფორმაციო ბოტი ვარ. ვპასუხობ კითხვებს საზღვარგარეთ "
            "კანონიერად მუშაობისა და არალეგალური მიგრაციის საფრთხეების შესახებ."
        ),
        "en": (
            "Hello! I am an information bot. I answer questions about working abroad legally "
            "and the risks of irregular migration."
        ),
    },
    "start_next": {
        "ka": (
            "დამისვით კითხვა ან აირჩიეთ თემა. კონსულტანტთან (ცოცხალ ადამიანთან) სასაუბროდ "
            "დაწერეთ „კონსულტანტი“. როგორ გამოიყენოთ ბოტი, ნახეთ აქ: /help"
        ),
        "en": (
            "Ask me a question or pick a topic. To talk to a counsellor (a real person), "
            "write “counsellor”. How to use the bot: /help"
        ),
    },
    "btn_topics": {"ka": "📚 თემები", "en": "📚 Topics"},
    "btn_counsellor": {"ka": "💬 კონსულტანტთან საუბარი", "en": "💬 Talk to a counsellor"},
    "btn_stay": {"ka": "🗓 შენგენის დღეების დათვლა", "en": "🗓 Count my Schengen days"},
    "btn_offer": {"ka": "🔎 სამუშაო შეთავაზების შემოწმება", "en": "🔎 Check a job offer"},
    "btn_back": {"ka": "⬅️ უკან", "en": "⬅️ Back"},
    "btn_forget_yes": {"ka": "✅ დიახ, წაშალეთ", "en": "✅ Yes, delete it"},
    "btn_forget_no": {"ka": "❌ არა, არ წაშალოთ", "en": "❌ No, keep it"},
    "cat_legal-work": {"ka": "🧳 კანონიერი მუშაობა საზღვარგარეთ", "en": "🧳 Legal work abroad"},
    "cat_risks": {
        "ka": "⚠️ არალეგალური მიგრაციის საფრთხეები",
        "en": "⚠️ Risks of irregular migration",
    },
    "cat_help": {
        "ka": "🆘 დახმარება საზღვარგარეთ და საფრთხის დროს",
        "en": "🆘 Help abroad and in danger",
    },
    "topics_title": {"ka": "აირჩიეთ თემა:", "en": "Choose a topic:"},
    "category_title": {"ka": "{category}\nაირჩიეთ კითხვა:", "en": "{category}\nChoose a question:"},
    "category_empty": {
        "ka": "ამ თემაზე ჯერ ინფორმაცია არ მაქვს. დამისვით კითხვა ან მიმართეთ კონსულტანტს.",
        "en": "I have nothing on this topic yet. Ask me a question or talk to a counsellor.",
    },
    "feedback_thanks": {"ka": "გმადლობთ შეფასებისთვის!", "en": "Thank you for your feedback!"},
    "feedback_sorry": {
        "ka": (
            "ბოდიში, რომ პასუხი არ გამოგადგათ. ვეცდებით, გავაუმჯობესოთ. შეგიძლიათ "
            "კონსულტანტსაც ჰკითხოთ."
        ),
        "en": (
            "Sorry that the answer did not help. We will try to improve it. You can also ask "
            "a counsellor."
        ),
    },
    "help": {
        "ka": (
            "თუ საფრთხეში ხართ, ახლავე დარეკეთ 112-ზე. ზარი უფასოა.\n\n"
            "დამიწერეთ კითხვა თქვენი სიტყვებით — ქართულად (ქართული ან ლათინური ასოებით) ან "
            "ინგლისურად. ვპასუხობ შემოწმებული წყაროების მიხედვით და ყოველ პასუხთან წყაროს "
            "ვუთითებ.\n\n"
            "კონსულტანტთან (ცოცხალ ადამიანთან) სასაუბროდ დაწერეთ „კონსულტანტი“.\n\n"
            "/topics — თემების მენიუ\n"
            "/counsellor — კონსულტანტთან საუბარი\n"
            "/stay — შენგენში გატარებული დღეების დათვლა (90/180)\n"
            "/checkoffer — სამუშაო შეთავაზების შემოწმება საფრთხის ნიშნებზე\n"
            "/end — კონსულტანტთან საუბრის დასრულება\n"
            "/language — ენის შეცვლა\n"
            "/privacy — რას ვინახავ და რამდენ ხანს\n"
            "/forget — თქვენს შესახებ შენახული ინფორმაციის წაშლა ბოტის სერვერიდან\n"
            "/clear — ამ ჩატის წაშლა თქვენი ტელეფონიდან\n"
            "/help — ეს ინსტრუქცია"
        ),
        "en": (
            "If you are in danger, call 112 now. The call is free.\n\n"
            "Write your question in your own words, in Georgian (Georgian or Latin letters) "
            "or in English. I answer from checked sources and name the source of every "
            "answer.\n\n"
            "To talk to a counsellor (a real person), write “counsellor”.\n\n"
            "/topics — the topic menu\n"
            "/counsellor — talk to a counsellor\n"
            "/stay — count your days in the Schengen area (90/180)\n"
            "/checkoffer — check a job offer for warning signs\n"
            "/end — end the chat with a counsellor\n"
            "/language — change the language\n"
            "/privacy — what I store and for how long\n"
            "/forget — delete what is stored about you on the bot's server\n"
            "/clear — delete this chat from your phone\n"
            "/help — these instructions"
        ),
    },
    "privacy": {
        "ka": (
            "რას ვინახავ: თქვენს კითხვებს, რა პასუხი გაგეცით და თქვენს შეფასებებს (👍/👎). "
            "ამ ჩანაწერებში თქვენი Telegram-ის ანგარიში არ ჩანს — მის ნაცვლად პირობითი "
            "კოდია. ცალკე ვინახავ, რომელ ჩატში გიპასუხოთ, და თქვენ მიერ არჩეულ ენას. "
            "თქვენს ტელეფონის ნომერს არ ვინახავ.\n\n"
            "რამდენ ხანს: შეტყობინებების ტექსტს {days} დღის შემდეგ ვშლი. რჩება მხოლოდ "
            "სტატისტიკა, ტექსტის გარეშე.\n\n"
            "ვინ ხედავს: მხოლოდ ამ ბოტის გუნდი და, თუ კონსულტანტს მიმართავთ, კონსულტანტები. "
            "სხვა არავის არაფერს გადავცემთ. შეტყობინებებს Telegram-იც ამუშავებს, საკუთარი "
            "წესების მიხედვით.\n\n"
            "ყველაფრის წასაშლელად, რაც შევინახე, დაწერეთ /forget. ეს ჩატი თქვენს "
            "ტელეფონზე მაინც დარჩება. ჩატის ტელეფონიდან წასაშლელად დაწერეთ /clear. "
            "ამისთვის ორი დღის განმავლობაში ვინახავ ჩატის შეტყობინებების ნომრებს "
            "(ტექსტს არა)."
        ),
        "en": (
            "What I store: your questions, which answer I gave, and your ratings (👍/👎). "
            "These records do not show your Telegram account — a code stands in its place. "
            "Separately I keep which chat to reply to, and the language you chose. I do not "
            "store your phone number.\n\n"
            "How long: message texts are deleted after {days} days. Only statistics without "
            "the text remain.\n\n"
            "Who sees it: only the team running this bot and, if you ask for one, the "
            "counsellors. Nothing is given to anyone else. Telegram also processes messages, "
            "under its own rules.\n\n"
            "To delete everything I have stored, write /forget. This chat stays on your "
            "phone all the same. To delete the chat from your phone, write /clear. For "
            "that I keep the numbers of the chat's messages (not their text) for two days."
        ),
    },
    "forget_confirm": {
        "ka": (
            "წავშალო ყველაფერი, რაც თქვენ შესახებ შენახული მაქვს? წაშლილს ვეღარ აღვადგენ. "
            "თუ კონსულტანტთან საუბარი გაქვთ დაწყებული, ისიც დასრულდება."
        ),
        "en": (
            "Shall I delete everything stored about you? Once deleted, it cannot be brought "
            "back. If you have started a conversation with a counsellor, it will end too."
        ),
    },
    "forgotten": {
        "ka": "წავშალე ყველაფერი, რაც თქვენ შესახებ მქონდა შენახული. თუ ისევ მომწერთ, თავიდან დავიწყებთ.",
        "en": "I have deleted everything I had stored about you. If you write again, we start afresh.",
    },
    "forget_cancelled": {"ka": "კარგი, არაფერი წამიშლია.", "en": "Fine, nothing was deleted."},
    # --- /clear: delete this chat from the phone (bot/telegram/handlers/clear.py) ---
    "btn_clear": {
        "ka": "🧹 ამ ჩატის წაშლა ტელეფონიდან",
        "en": "🧹 Delete this chat from my phone",
    },
    "btn_clear_yes": {"ka": "🧹 დიახ, წაშალეთ ჩატი", "en": "🧹 Yes, delete the chat"},
    "btn_clear_no": {"ka": "❌ არა", "en": "❌ No"},
    "clear_offer": {
        "ka": (
            "წავშალო ეს ჩატი თქვენი ტელეფონიდან? წავშლი ჩემს და თქვენს შეტყობინებებს, "
            "რომლებიც ბოლო ორ დღეშია გაგზავნილი. უფრო ძველებს Telegram-ი ბოტს წაშლის "
            "უფლებას არ აძლევს.\n\n"
            "ეს არ შლის იმას, რაც ბოტის სერვერზეა შენახული. ამისთვის დაწერეთ /forget. "
            "თუ კონსულტანტთან საუბარი გაქვთ დაწყებული, ის გაგრძელდება."
        ),
        "en": (
            "Shall I delete this chat from your phone? I will delete my messages and yours "
            "from the last two days. Telegram does not let a bot delete older ones.\n\n"
            "This does not delete what is stored on the bot's server: for that, write "
            "/forget. If you have started a conversation with a counsellor, it goes on."
        ),
    },
    "clear_done": {
        "ka": (
            "🧹 ჩატი წავშალე. ეს შეტყობინებაც {seconds} წამში წაიშლება.\n\n"
            "დანარჩენის წასაშლელად ჩატების სიაში ხანგრძლივად დააჭირეთ ამ ჩატს "
            "(iPhone-ზე გადაწიეთ მარცხნივ) და აირჩიეთ „წაშლა“."
        ),
        "en": (
            "🧹 I have deleted the chat. This message too will disappear in {seconds} "
            "seconds.\n\n"
            "To delete the rest, press and hold this chat in your list of chats (on an "
            "iPhone, swipe it to the left) and choose “Delete”."
        ),
    },
    "clear_left": {
        "ka": "{left} შეტყობინება ვერ წავშალე. ისინი ჩატთან ერთად წაიშლება.",
        "en": "I could not delete {left} messages. They go when you delete the chat.",
    },
    "clear_cancelled": {"ka": "კარგი, ჩატი არ წამიშლია.", "en": "Fine, the chat was not deleted."},
    "button_expired": {
        "ka": "ეს ღილაკი აღარ მუშაობს. თემების სანახავად დაწერეთ /topics.",
        "en": "This button no longer works. Write /topics to see the topics.",
    },
    "other_language": {
        "ka": "ვპასუხობ მხოლოდ ქართულად ან ინგლისურად. I can only answer in Georgian or English.",
        "en": "I can only answer in Georgian or English. ვპასუხობ მხოლოდ ქართულად ან ინგლისურად.",
    },
    "error": {
        "ka": "ბოდიში, რაღაც შეცდომა მოხდა. გთხოვთ, ცოტა ხანში ისევ სცადოთ.",
        "en": "Sorry, something went wrong. Please try again in a little while.",
    },
    # --- command menu (telegram_app: set_my_commands; one key per command, menu_<command>) ---
    "menu_start": {"ka": "დაწყება", "en": "Start"},
    "menu_counsellor": {"ka": "კონსულტანტთან საუბარი", "en": "Talk to a counsellor"},
    "menu_stay": {"ka": "შენგენის დღეების დათვლა", "en": "Count my Schengen days"},
    "menu_checkoffer": {"ka": "სამუშაო შეთავაზების შემოწმება", "en": "Check a job offer"},
    "menu_topics": {"ka": "თემები", "en": "Topics"},
    "menu_help": {"ka": "როგორ მუშაობს ბოტი", "en": "How the bot works"},
    "menu_language": {"ka": "ენის შეცვლა", "en": "Change language"},
    "menu_privacy": {"ka": "რას ინახავს ბოტი ჩემ შესახებ", "en": "What the bot stores about me"},
    "menu_forget": {"ka": "ჩემი მონაცემების წაშლა", "en": "Delete my data"},
    "menu_clear": {"ka": "ამ ჩატის წაშლა ტელეფონიდან", "en": "Delete this chat from my phone"},
    "menu_end": {
        "ka": "კონსულტანტთან საუბრის დასრულება",
        "en": "End the chat with a counsellor",
    },
    # --- counsellor handoff, citizen side (bot/counsellors.py) ---
    "handoff_desk_down": {
        "ka": (
            "ტექნიკური პრობლემის გამო კონსულტანტები თქვენს კითხვას ახლა ვერ ხედავენ. "
            "კითხვა შენახულია. კონსულტანტი აქვე გიპასუხებთ, როგორც კი პრობლემა მოგვარდება."
        ),
        "en": (
            "Because of a technical problem, the counsellors cannot see your question right "
            "now. It is saved, and a counsellor will answer you here as soon as the problem "
            "is fixed."
        ),
    },
    "handoff_queue": {
        "ka": "რიგში თქვენი ნომერია: {position}. კონსულტანტი აქვე გიპასუხებთ, როგორც კი გათავისუფლდება.",
        "en": "You are number {position} in the queue. A counsellor will answer you here as soon as one is free.",
    },
    "handoff_already": {
        "ka": "თქვენი მიმართვა უკვე გადაცემულია კონსულტანტს. რიგში თქვენი ნომერია: {position}.",
        "en": "Your request is already with the counsellors. You are number {position} in the queue.",
    },
    "handoff_claimed_already": {
        "ka": "კონსულტანტი უკვე გესაუბრებათ ამ ჩატში — შეგიძლიათ პირდაპირ მისწეროთ.",
        "en": "A counsellor is already talking with you in this chat — you can write to them directly.",
    },
    "handoff_after_hours": {
        "ka": "კონსულტანტები მუშაობენ {hours} ({zone}). ახლა არასამუშაო დროა: კონსულტანტი გიპასუხებთ {when}. თქვენი შეტყობინებები შენახულია და კონსულტანტს გადაეცემა.",
        "en": "Counsellors work {hours} ({zone}). It is outside working hours now: a counsellor will answer {when}. Your messages are saved and will be passed on.",
    },
    "handoff_no_hours": {
        "ka": "ამ წუთას თავისუფალი კონსულტანტი არ არის. თქვენი შეტყობინებები შენახულია და კონსულტანტს გადაეცემა.",
        "en": "No counsellor is free at the moment. Your messages are saved and will be passed to a counsellor.",
    },
    "handoff_urgent_after_hours": {
        "ka": (
            "თუ ახლა საფრთხეში ხართ, ნუ დაელოდებით პასუხს — დარეკეთ 112-ზე. ზარი უფასოა. "
            "112 მუშაობს საქართველოში და ევროკავშირის ყველა ქვეყანაში."
        ),
        "en": (
            "If you are in danger now, do not wait for an answer — call 112. The call is free. "
            "112 works in Georgia and in every EU country."
        ),
    },
    "handoff_on_duty_alerted": {
        "ka": "მორიგე კონსულტანტს უკვე შევატყობინე.",
        "en": "I have already alerted the counsellor on duty.",
    },
    "relay_end_hint": {
        "ka": "კონსულტანტთან საუბრის დასასრულებლად დაწერეთ /end.",
        "en": "To end the conversation with the counsellor, write /end.",
    },
    "relay_still_open": {
        "ka": "კონსულტანტთან საუბარი ისევ ღიაა: აქ დაწერეთ და კონსულტანტი ნახავს. დასასრულებლად დაწერეთ /end.",
        "en": "Your conversation with a counsellor is still open: write here and they will see it. To end it, write /end.",
    },
    "relay_joined": {
        "ka": "კონსულტანტი ჩაერთო საუბარში. შეგიძლიათ აქვე მისწეროთ.",
        "en": "A counsellor has joined the conversation. You can write to them here.",
    },
    "relay_closed": {
        "ka": "კონსულტანტმა საუბარი დაასრულა. ახლა ისევ მე, ბოტი, გიპასუხებთ — შეგიძლიათ კითხვები დამისვათ.",
        "en": "The counsellor has ended the conversation. From now on I, the bot, answer you again — you can ask me questions.",
    },
    "relay_ended": {
        "ka": "კონსულტანტთან საუბარი დასრულდა. ახლა ისევ მე, ბოტი, გიპასუხებთ.",
        "en": "Your conversation with the counsellor has ended. From now on I, the bot, answer you again.",
    },
    "relay_withdrawn": {
        "ka": "კონსულტანტთან საუბრის მოთხოვნა გაუქმდა. ახლა ისევ მე, ბოტი, გიპასუხებთ.",
        "en": "Your request to talk to a counsellor is cancelled. From now on I, the bot, answer you again.",
    },
    "relay_rate": {
        "ka": "როგორ შეაფასებდით მიღებულ დახმარებას? აირჩიეთ ქულა 1-დან 5-მდე (1 — ცუდი, 5 — ძალიან კარგი).",
        "en": "How would you rate the help you received? Choose a score from 1 to 5 (1 = bad, 5 = very good).",
    },
    "relay_no_ticket": {
        "ka": "ამჟამად კონსულტანტს არ ესაუბრებით. თუ საუბარი გსურთ, დაწერეთ „კონსულტანტი“.",
        "en": "You are not talking to a counsellor at the moment. If you want to, write “counsellor”.",
    },
    "weekdays": {
        "ka": "ორშაბათი,სამშაბათი,ოთხშაბათი,ხუთშაბათი,პარასკევი,შაბათი,კვირა",
        "en": "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday",
    },
    "weekdays_on": {
        "ka": "ორშაბათს,სამშაბათს,ოთხშაბათს,ხუთშაბათს,პარასკევს,შაბათს,კვირას",
        "en": "on Monday,on Tuesday,on Wednesday,on Thursday,on Friday,on Saturday,on Sunday",
    },
    "months_on": {
        "ka": "იანვარს,თებერვალს,მარტს,აპრილს,მაისს,ივნისს,ივლისს,აგვისტოს,სექტემბერს,ოქტომბერს,ნოემბერს,დეკემბერს",
        "en": "January,February,March,April,May,June,July,August,September,October,November,December",
    },
    "when_today": {"ka": "დღეს, {time}-დან", "en": "today from {time}"},
    "when_tomorrow": {"ka": "ხვალ, {time}-დან", "en": "tomorrow from {time}"},
    "when_date": {
        "ka": "{weekday}, {day} {month}, {time}-დან",
        "en": "{weekday} {day} {month} from {time}",
    },
    "zone_Asia/Tbilisi": {"ka": "საქართველოს დროით", "en": "Tbilisi time"},
    # --- counsellors' group (bot/counsellors.py, bot/relay.py; relay.COUNSELLOR_LANG) ---
    "cs_urgent": {"ka": "🚨 სასწრაფო (URGENT)", "en": "🚨 URGENT"},
    "cs_ticket": {"ka": "მიმართვა", "en": "Ticket"},
    "cs_lang_ka": {"ka": "ენა: ქართული", "en": "language: Georgian"},
    "cs_lang_en": {"ka": "ენა: ინგლისური", "en": "language: English"},
    "cs_reason_asked": {"ka": "კონსულტანტი მოითხოვა", "en": "asked for a counsellor"},
    "cs_reason_button": {
        "ka": "კონსულტანტი მოითხოვა (ღილაკით)",
        "en": "asked for a counsellor (button)",
    },
    "cs_reason_unanswered": {"ka": "ბოტმა ვერ უპასუხა", "en": "the bot could not answer"},
    "cs_reason_urgent": {"ka": "სასწრაფო", "en": "urgent"},
    "cs_opened": {"ka": "გაიხსნა", "en": "Opened"},
    "cs_status": {"ka": "სტატუსი", "en": "Status"},
    "cs_status_waiting": {"ka": "ელოდება კონსულტანტს", "en": "waiting for a counsellor"},
    "cs_status_claimed": {"ka": "აიღო: {name}", "en": "taken by {name}"},
    "cs_status_closed": {"ka": "დახურულია", "en": "closed"},
    "cs_question": {"ka": "კითხვა", "en": "Question"},
    "cs_recent": {"ka": "ბოლო საუბარი ბოტთან", "en": "Recent conversation with the bot"},
    "cs_did_answer": {"ka": "ბოტმა უპასუხა: {entry}", "en": "the bot answered: {entry}"},
    "cs_did_fallback": {
        "ka": "ბოტს სანდო პასუხი არ ჰქონდა",
        "en": "the bot had no reliable answer",
    },
    "cs_did_urgent": {"ka": "ბოტმა საგანგებო რჩევა მისცა", "en": "the bot gave emergency guidance"},
    "cs_did_handoff": {"ka": "კონსულტანტს გადაეცა", "en": "passed to a counsellor"},
    "cs_did_smalltalk": {
        "ka": "ზოგადი საუბარი (მისალმება, მადლობა)",
        "en": "small talk (greeting, thanks)",
    },
    "cs_did_menu": {"ka": "მენიუდან გახსნა: {entry}", "en": "opened from the menu: {entry}"},
    # A tool's input, not answered by the pipeline and not kept (a user trial saw
    # them labelled "the bot had no reliable answer"; relayed messages: cs_did_handoff).
    "cs_did_offer_check": {"ka": "ვაკანსია შემოწმდა", "en": "a job advert checked"},
    "cs_did_stay": {"ka": "დღეები დაითვალა (90/180)", "en": "days counted (90/180)"},
    "cs_rating": {"ka": "შეფასება", "en": "Rating"},
    "cs_how_to": {
        "ka": (
            "ამ თემაში დაწერილი ყველაფერი მოქალაქეს ბოტის სახელით გადაეცემა (თქვენი ანგარიში "
            "არ ჩანს). /close — მიმართვის დახურვა, /queue — ღია მიმართვების სია."
        ),
        "en": (
            "Everything written in this topic reaches the citizen from the bot (your account "
            "is not shown). /close — close the ticket, /queue — list of open tickets."
        ),
    },
    "cs_btn_claim": {"ka": "✋ ავიღებ", "en": "✋ Claim"},
    "cs_btn_close": {"ka": "✅ დახურვა", "en": "✅ Close"},
    "cs_on_duty": {"ka": "მორიგე", "en": "on duty"},
    "cs_alert": {"ka": "მიმართვა #{id}.", "en": "ticket #{id}."},  # after cs_urgent
    "cs_open_topic": {"ka": "თემის გახსნა", "en": "open the topic"},
    "cs_claimed_notice": {"ka": "მიმართვა აიღო: {name}.", "en": "{name} took this ticket."},
    "cs_already_claimed": {
        "ka": "მიმართვა უკვე აიღო: {name}.",
        "en": "{name} has already taken this ticket.",
    },
    "cs_closed_by": {"ka": "მიმართვა დახურა: {name}.", "en": "{name} closed this ticket."},
    "cs_citizen_ended": {
        "ka": "მოქალაქემ საუბარი დაასრულა.",
        "en": "The citizen ended the conversation.",
    },
    "cs_citizen_cleared": {
        "ka": "🧹 მოქალაქემ ეს ჩატი თავისი ტელეფონიდან წაშალა. მიმართვა ღიაა, შეგიძლიათ ისევ მისწეროთ.",
        "en": "🧹 The citizen deleted this chat from their phone. The ticket stays open, and you can still write to them.",
    },
    "cs_batch": {
        "ka": "🚨 მოქალაქემ ძალიან ბევრი შეტყობინება გამოგზავნა ({count}). ისინი აქ ერთად არის:",
        "en": "🚨 The citizen sent too many messages at once ({count}). Here they are together:",
    },
    "cs_abandoned": {
        "ka": "მიმართვა დაიხურა, რადგან {days} დღის განმავლობაში აქ არავის დაუწერია.",
        "en": "This ticket was closed because nobody wrote in it for {days} days.",
    },
    "cs_citizen_rated": {
        "ka": "მოქალაქის შეფასება: {rating}/5.",
        "en": "The citizen's rating: {rating}/5.",
    },
    "cs_closed_not_sent": {
        "ka": "ეს მიმართვა დახურულია, ამიტომ შეტყობინება მოქალაქეს არ გადაეცა.",
        "en": "This ticket is closed, so your message was not passed on to the citizen.",
    },
    "cs_topic_moved": {
        "ka": "ეს მიმართვა კონსულტანტების წინა ჯგუფში იყო გახსნილი. საუბარი აქ გრძელდება.",
        "en": "This ticket was open in the counsellors' earlier group. The conversation continues here.",
    },
    "cs_topic_recreated": {
        "ka": "ამ მიმართვის წინა თემა წაიშალა. საუბარი აქ გრძელდება.",
        "en": "This ticket's earlier topic was deleted. The conversation continues here.",
    },
    "cs_correction": {
        "ka": "✏️ მოქალაქემ შეტყობინება შეასწორა. ახალი ვერსია:",
        "en": "✏️ The citizen corrected a message. The new version:",
    },
    "relay_correction": {
        "ka": "✏️ კონსულტანტმა შეტყობინება შეასწორა. ახალი ვერსია:",
        "en": "✏️ The counsellor corrected a message. The new version:",
    },
    "cs_citizen_left": {
        "ka": "მოქალაქემ ბოტი დაბლოკა. მიმართვა დაიხურა. მას ვეღარაფერს გავუგზავნით.",
        "en": "The citizen blocked the bot. The ticket is closed. Nothing more can reach them.",
    },
    "cs_citizen_unreachable": {
        "ka": (
            "⚠️ მოქალაქემ ბოტი დაბლოკა, ან ეს მისი ტელეფონით სხვამ გააკეთა: ბოტით მას ახლა "
            "ვერაფერს გავუგზავნით. მიმართვა სასწრაფო იყო, ამიტომ ღია რჩება. დახურეთ, როცა "
            "გადაწყვეტთ, რა უნდა გაკეთდეს. თუ ისევ მოგვწერს, მისი შეტყობინებები აქ მოვა."
        ),
        "en": (
            "⚠️ The citizen blocked the bot, or someone else did on their phone: nothing can "
            "reach them through the bot now. This ticket was urgent, so it stays open; close "
            "it when you have decided what to do. If they write again, it comes here."
        ),
    },
    "cs_not_delivered": {
        "ka": "⚠️ შეტყობინება მოქალაქემდე ვერ მივიდა (შესაძლოა, მან ბოტი დაბლოკა).",
        "en": "⚠️ A message could not be delivered to the citizen (they may have blocked the bot).",
    },
    "cs_forgotten": {
        "ka": "მოქალაქემ თავისი მონაცემების წაშლა მოითხოვა. მიმართვა დაიხურა. ბოტმა ვერ წაშალა {left} შეტყობინება. გთხოვთ, წაშალოთ ამ თემის დარჩენილი შეტყობინებები.",
        "en": "The citizen asked for their data to be deleted. The ticket has been closed. The bot could not delete {left} messages. Please delete the messages left in this topic.",
    },
    "cs_forgotten_cleaned": {
        "ka": "მოქალაქემ თავისი მონაცემების წაშლა მოითხოვა. ბოტმა თავისი შეტყობინებები წაშალა და მიმართვა დახურა.",
        "en": "The citizen asked for their data to be deleted. The bot deleted its messages here and closed the ticket.",
    },
    "cs_missing_rights": {
        "ka": "⚠️ ბოტს ამ ჯგუფში არ აქვს ეს უფლებები: {rights}. ამიტომ ის ვერ წაშლის მოქალაქეების თემებს და შეტყობინებებს, როცა ისინი ამას ითხოვენ. გთხოვთ, ბოტს მისცეთ ადმინისტრატორის ეს უფლებები.",
        "en": "⚠️ The bot lacks these rights in this group: {rights}. So it cannot delete citizens' topics and messages when they ask. Please give the bot these administrator rights.",
    },
    "cs_upgraded": {
        "ka": "🚨 მოქალაქის შეტყობინებაში საფრთხის ნიშნებია. მიმართვა ახლა სასწრაფოა.",
        "en": "🚨 The citizen's message shows signs of danger. The ticket is now urgent.",
    },
    "cs_queue_title": {"ka": "ღია მიმართვები ({count}):", "en": "Open tickets ({count}):"},
    "cs_queue_empty": {"ka": "ღია მიმართვები არ არის.", "en": "No open tickets."},
    "cs_age": {"ka": "{hours} სთ {minutes} წთ", "en": "{hours} h {minutes} min"},
    "cs_use_in_topic": {
        "ka": "/close მუშაობს მხოლოდ მიმართვის თემაში.",
        "en": "/close works only inside a ticket's topic.",
    },
    # --- the Schengen stay calculator (bot/tools/stay_reply.py) ----------------------
    "stay_ask": {
        "ka": (
            "დაწერეთ, როდის იყავით შენგენის ზონაში: როდის შეხვედით და როდის გამოხვედით. "
            "მაგალითად: „3 მარტიდან 28 მაისამდე და 10 ივლისიდან დღემდე“ ან „03.03-28.05, 10.07-“. "
            "გეტყვით, 90 დღიდან რამდენი გაქვთ გამოყენებული."
        ),
        "en": (
            "Write your trips to the Schengen area: when you entered and when you left. "
            "For example: “3 March to 28 May, and from 10 July until today” or "
            "“03.03-28.05, 10.07-”. I will count how many of your 90 days you have used."
        ),
    },
    "stay_no_trips": {
        "ka": (
            "თარიღები ვერ ვიპოვე. დაწერეთ შესვლისა და გამოსვლის დღეები, მაგალითად: "
            "„3 მარტიდან 28 მაისამდე“ ან „03.03-28.05“. თუ ახლაც იქ ხართ: „10 ივლისიდან დღემდე“."
        ),
        "en": (
            "I could not find any dates. Write the days you entered and left, for example "
            "“3 March to 28 May” or “03.03-28.05”. If you are still there: “from 10 July until today”."
        ),
    },
    "stay_understood": {
        "ka": "შენგენში ყოფნის ეს პერიოდები გავიგე:",
        "en": "These are the trips I understood:",
    },
    "stay_trip_line": {"ka": "• {entry} – {exit} ({days})", "en": "• {entry} – {exit} ({days})"},
    "stay_until_today": {"ka": "დღემდე", "en": "today"},
    "stay_days": {"ka": "{n} დღე", "en": "{n} days"},
    "stay_one_day": {"ka": "1 დღე", "en": "1 day"},
    "stay_unreadable": {"ka": "ვერ გავიგე:", "en": "I could not read:"},
    "stay_unreadable_line": {"ka": "• „{text}“ – {reason}", "en": "• “{text}” – {reason}"},
    "stay_reason_no_such_date": {"ka": "ასეთი თარიღი არ არსებობს", "en": "there is no such date"},
    "stay_reason_no_end": {"ka": "გამოსვლის დღე არ ჩანს", "en": "I cannot see the day you left"},
    "stay_reason_no_start": {"ka": "შესვლის დღე არ ჩანს", "en": "I cannot see the day you entered"},
    "stay_reason_no_day": {"ka": "თვის რომელი რიცხვი?", "en": "which day of the month?"},
    "stay_planned": {
        "ka": "თქვენი ბოლო მოგზაურობა დღის შემდეგ მთავრდება, ამიტომ მის ბოლო დღემდე დავთვალე: {date}.",
        "en": "Your last trip ends after today, so I counted up to its last day, {date}.",
    },
    "stay_used": {
        "ka": (
            "თარიღი: {date}. ბოლო 180 დღეში შენგენის ზონაში გატარებული გაქვთ {used} დღე "
            "(დასაშვებია 90). დარჩა {left} დღე."
        ),
        "en": (
            "On {date}: you have spent {used} days in the Schengen area in the last 180 days "
            "(90 are allowed); {left} remain."
        ),
    },
    "stay_last_day_inside": {
        "ka": "თუ დარჩებით, ზონიდან გამოსვლის ბოლო კანონიერი დღეა: {date}.",
        "en": "If you stay on, your last legal day (the latest day to leave) is {date}.",
    },
    "stay_last_day_enter": {
        "ka": "თუ დღეს შეხვალთ, ბოლო კანონიერი დღე იქნება: {date}.",
        "en": "If you enter today, your last legal day would be {date}.",
    },
    "stay_cannot_enter": {
        "ka": "დღეს შესვლა არ შეიძლება: 90 დღე უკვე გამოყენებულია.",
        "en": "You cannot enter today: the 90 days are used up.",
    },
    "stay_next_full": {
        "ka": "ახალი სრული 90 დღის ვიზიტის დაწყება ყველაზე ადრე შეგიძლიათ: {date}.",
        "en": "The earliest day a new full 90-day stay can begin is {date}.",
    },
    "stay_next_full_after_leaving": {
        "ka": "თუ ზონიდან ამ დღეს ({on}) გამოხვალთ, ახალ სრულ 90 დღის ვიზიტს ყველაზე ადრე დაიწყებთ: {date}.",
        "en": "If you leave on {on}, the earliest day a new full 90-day stay can begin is {date}.",
    },
    "stay_over_now": {
        "ka": (
            "⚠️ ნებადართულ ვადაზე {n} დღით მეტხანს ხართ ზონაში: კანონიერად ყოფნის დრო ამოიწურა. "
            "ამას შეიძლება მოჰყვეს ჯარიმა, ქვეყნიდან გაძევება და შესვლის აკრძალვა. "
            "რაც შეიძლება მალე დატოვეთ ზონა. დაწვრილებით: „{topic}“"
        ),
        "en": (
            "⚠️ You are {n} days over the limit: your legal stay has run out. An overstay can "
            "lead to a fine, removal and an entry ban. Leave the Schengen area as soon as you "
            "can. More: “{topic}”"
        ),
    },
    "stay_over_past": {
        "ka": (
            "⚠️ ამ პერიოდებში {n} დღით მეტხანს იყავით, ვიდრე ნებადართულია. ეს არის ვადის "
            "გადაცილება: EES მას აღრიცხავს და შემდეგ შესვლისას შეიძლება პრობლემა შეგექმნათ. "
            "დაწვრილებით: „{topic}“"
        ),
        "en": (
            "⚠️ On these trips you stayed {n} days longer than allowed. That is an overstay: the "
            "EES records it, and it can cause problems when you next enter. More: “{topic}”"
        ),
    },
    "stay_overstay_topic": {
        "ka": "რა მოხდება, თუ ევროპაში ნებადართულ ვადაზე მეტხანს დავრჩები?",
        "en": "What happens if I stay in Europe longer than allowed?",
    },
    "stay_caveat": {
        "ka": (
            "ეს მხოლოდ დაგეგმვაში დაგეხმარებათ: გადაწყვეტილებას საზღვარზე მესაზღვრე იღებს, "
            "შესვლა-გასვლის სისტემა (EES) კი ყოველ შესვლასა და გასვლას აღრიცხავს. დღეები ითვლება "
            "შენგენის ყველა ქვეყანაში, ბულგარეთისა და რუმინეთის ჩათვლით. არ ითვლება კვიპროსში და "
            "ირლანდიაში გატარებული დღეები, არც ბინადრობის ნებართვით ან გრძელვადიანი (D) ვიზით "
            "ყოფნის დღეები."
        ),
        "en": (
            "This is only a planning aid: border guards decide, and the Entry/Exit System (EES) "
            "records every entry and exit. Days count in every Schengen country, Bulgaria and "
            "Romania included. Days in Cyprus and Ireland do not count, nor do days under a "
            "residence permit or a long-stay (D) visa."
        ),
    },
    "stay_not_stored": {"ka": "ეს თარიღები არ შემინახავს.", "en": "I have not saved these dates."},
    "stay_remembered": {
        "ka": "თქვენი თხოვნით ეს თარიღები შევინახე. /forget მათ წაშლის.",
        "en": "At your request I saved these dates; /forget deletes them.",
    },
    "stay_error_exit_before_entry": {
        "ka": "მოგზაურობაში {trip} გამოსვლის დღე შესვლის დღეზე ადრეა. შეამოწმეთ თარიღები.",
        "en": "In the trip {trip} the exit comes before the entry. Please check the dates.",
    },
    "stay_error_overlap": {
        "ka": "პერიოდები {other} და {trip} ერთმანეთს ფარავს. შეამოწმეთ თარიღები.",
        "en": "The trips {other} and {trip} overlap. Please check the dates.",
    },
    "stay_error_open_not_last": {
        "ka": "მოგზაურობა {trip} ჯერ არ დასრულებულა, მაგრამ {other} მის შემდეგ იწყება. შეამოწმეთ თარიღები.",
        "en": "The trip {trip} has not ended, but {other} starts after it. Please check the dates.",
    },
    "stay_error_starts_after_check": {
        "ka": "მოგზაურობა {trip} მომავალში იწყება. დაწერეთ მხოლოდ ის პერიოდები, რომლებიც უკვე დაიწყო.",
        "en": "The trip {trip} starts in the future. Please write only trips that have begun.",
    },
    "stay_error_ends_after_check": {
        "ka": "მოგზაურობა {trip} მომავალში მთავრდება. შეამოწმეთ თარიღები.",
        "en": "The trip {trip} ends in the future. Please check the dates.",
    },
    "stay_error_too_early": {
        "ka": "მოგზაურობა {trip} 1990 წლამდეა. შეამოწმეთ წელი.",
        "en": "The trip {trip} is before 1990. Please check the year.",
    },
    "stay_error_too_far": {
        "ka": "{trip}: ეს ერთ წელზე მეტით შორსაა მომავალში. შეამოწმეთ წელი.",
        "en": "{trip}: this is more than a year ahead. Please check the year.",
    },
    # --- job-offer check (bot/tools/offer_check.py); one reason per sign code
    "offer_ask": {
        "ka": (
            "ჩასვით ან გადმომიგზავნეთ სამუშაოს განცხადების მთელი ტექსტი (ან ფოტო წარწერით). "
            "საფრთხის ნიშნებს მოვძებნი და გეტყვით, რა შეამოწმოთ, სანამ დათანხმდებით."
        ),
        "en": (
            "Paste or forward the whole job advert (or a photo with its caption). I will "
            "look for warning signs and tell you what to check before you agree."
        ),
    },
    "offer_found": {
        "ka": "ამ განცხადებაში საეჭვო ნიშნები ვიპოვე ({count}):",
        "en": "I found warning signs in this advert ({count}):",
    },
    "offer_none_found": {
        "ka": "ამ განცხადებაში ვერ ვიპოვე ის საეჭვო ნიშნები, რომლებსაც ვეძებ. ეს არ ნიშნავს, რომ შეთავაზება ნამდვილია: მე მხოლოდ ტექსტს ვკითხულობ. ვერ შევამოწმე:",
        "en": "I did not find the warning signs I look for in this advert. That does not prove the offer is real: I only read the text. I could not check:",
    },
    "offer_not_checked": {
        "ka": "• არსებობს თუ არა ეს კომპანია და მართლა ეძებს თუ არა მუშებს\n• აქვს თუ არა სააგენტოს სერტიფიკატი\n• რა ეწერება ხელშეკრულებაში",
        "en": "• whether the company exists and is really hiring\n• whether the agency is certified\n• what the contract will say",
    },
    "offer_pay_no_country": {
        "ka": "• რამდენად ჩვეულებრივია ხელფასი: ქვეყანა ვერ გავარკვიე ან მისი მინიმალური ხელფასი არ ვიცი.",
        "en": "• whether the pay is usual: I could not tell the country, or I do not know its minimum wage.",
    },
    "offer_pay_no_minimum": {
        "ka": "• რამდენად ჩვეულებრივია ხელფასი: იტალიაში კანონით დადგენილი მინიმალური ხელფასი არ არის.",
        "en": "• whether the pay is usual: Italy has no minimum wage set by law.",
    },
    "offer_before_agreeing": {
        "ka": "სანამ დათანხმდებით:\n• დასაქმების ხელშეწყობის სახელმწიფო სააგენტოს ჰკითხეთ, სერტიფიცირებულია თუ არა ეს სააგენტო\n• წასვლამდე მოითხოვეთ წერილობითი ხელშეკრულება თქვენთვის გასაგებ ენაზე\n• გაიგეთ დამსაქმებლის სახელი და მისამართი და შეამოწმეთ, რომ ასეთი კომპანია არსებობს\n• სამსახურისთვის ფული არავის გადაუხადოთ და პასპორტი არავის გადასცეთ",
        "en": "Before you agree:\n• ask the State Employment Support Agency whether the agency is certified\n• ask for a written contract in a language you understand, before you leave\n• get the employer's name and address and check that the company exists\n• pay no one for a job and hand your passport to no one",
    },
    "offer_footer": {
        "ka": "მე მხოლოდ ტექსტს ვკითხულობ და ყველაფერს ვერ ვამოწმებ. თუ ეჭვი გაქვთ, ფულის გადახდამდე ან ხელმოწერამდე დაწერეთ „კონსულტანტი“.",
        "en": "I only read the text and may miss things. If in doubt, write “counsellor” before you pay or sign anything.",
    },
    "offer_not_an_advert": {
        "ka": "ეს ტექსტი სამუშაოს განცხადებას არ ჰგავს. ჩასვით განცხადების მთელი ტექსტი და საეჭვო ნიშნებს მოვძებნი.",
        "en": "This does not look like a job advert. Paste the whole advert (or forward the post) and I will look for warning signs.",
    },
    "offer_reason_fee": {
        "ka": "ფულს გთხოვენ (სამსახურის, ვიზის ან საბუთების საფასურს). კანონიერმა სააგენტომ მუშაკს ფული არ უნდა გადაახდევინოს.",
        "en": "They ask you for money (a fee for the job, the visa or documents). A legal agency must not charge workers.",
    },
    "offer_reason_tourist_entry": {
        "ka": "გეუბნებიან, ტურისტად ან უვიზოდ წადით და საბუთებს მერე მოაგვარებთო. უვიზო მიმოსვლა მუშაობის უფლებას არ იძლევა.",
        "en": "They tell you to travel as a tourist or visa-free and sort the papers later. Visa-free entry does not allow work.",
    },
    "offer_reason_passport": {
        "ka": "თქვენს პასპორტს ითხოვენ. პასპორტი არავის გადასცეთ: არც დამსაქმებელს და არც სააგენტოს არ აქვს მისი შენახვის უფლება.",
        "en": "They want your passport. Hand it to no one: neither an employer nor an agency may keep it.",
    },
    "offer_reason_no_employer": {
        "ka": "განცხადებაში არ წერია კომპანიის სახელი და მისამართი, ამიტომ ვერ შეამოწმებთ, ვისთან იმუშავებთ.",
        "en": "The advert gives no company name and no address, so you cannot check who you would work for.",
    },
    "offer_reason_pay_too_high": {
        "ka": "ხელფასი ({pay}) {ratio}-ჯერ მეტია კანონით დადგენილ მინიმალურ ხელფასზე (ქვეყანა: {country}, {minimum} თვეში). ზედმეტად კარგი პირობები ხშირი ხრიკია.",
        "en": "The pay ({pay}) is more than {ratio} times the legal minimum wage in {country} ({minimum} a month). Offers that sound too good are a common trick.",
    },
    "offer_reason_pressure": {
        "ka": "გაჩქარებენ (ადგილები ცოტააო, ვადა იწურებაო). ნამდვილი დამსაქმებელი შემოწმების დროს გაძლევთ.",
        "en": "They rush you (few places, a deadline). A real employer gives you time to check.",
    },
    "offer_reason_messenger_only": {
        "ka": "დასაკავშირებლად მხოლოდ პირადი მიმოწერა ან პირადი ტელეფონის ნომერია: არც ოფისი, არც ვებგვერდი, არც ელფოსტა.",
        "en": "The only contact is a messenger or a private phone number: no office, website or e-mail.",
    },
    "offer_reason_no_contract": {
        "ka": "განცხადებაში არ წერია, რომ წასვლამდე წერილობით ხელშეკრულებას მიიღებთ.",
        "en": "The advert does not say you will get a written contract before you leave.",
    },
    "offer_reason_no_contract_explicit": {
        "ka": "წერია, რომ ხელშეკრულება არ იქნება ან მასზე ხელს მხოლოდ ჩასვლის შემდეგ მოაწერთ.",
        "en": "It says there is no contract, or that you sign it only after you arrive.",
    },
    "offer_reason_no_skills_high_pay": {
        "ka": "დიდ ხელფასს გპირდებიან ენის ცოდნისა და გამოცდილების გარეშე. ასეთი დაპირებით ხშირად ატყუებენ.",
        "en": "High pay with no language or experience needed is a common lure.",
    },
    "offer_reason_wrong_country": {
        "ka": "ვიზა ერთი ქვეყნისაა, სამუშაო კი სხვა ქვეყანაში. ვიზა მუშაობის უფლებას მხოლოდ იმ ქვეყანაში გაძლევთ, რომელმაც გასცა.",
        "en": "The visa is for one country and the work is in another. A visa lets you work only in the country that issued it.",
    },
    "offer_reason_debt": {
        "ka": "მგზავრობის ან ვიზის ხარჯი ხელფასიდან უნდა დაფაროთ. ასეთი ვალი ხშირად იძულებითი შრომის მიზეზი ხდება.",
        "en": "Your travel or visa costs are to be paid back from your wages. Such debts often lead to forced labour.",
    },
}


def say(key: str, lang: str) -> str:
    return MESSAGES[key][lang if lang in ("ka", "en") else "ka"]


def shorten_middle(text: str, limit: int, head_share: float = 0.25) -> str:
    """At most `limit` characters of `text`: its beginning (`head_share` of the limit)
    and its end, cut between words and joined by " … "; text within the limit as it is.
    People tell their story first and ask or cry for help last: a question after 1,000
    characters of background, and the danger sentence at the end of a long urgent
    message on the counsellors' card, were cut off (user trials)."""
    if len(text) <= limit:
        return text
    head_chars = int(limit * head_share)
    head = text[:head_chars].rsplit(" ", 1)[0]
    tail = text[len(text) - (limit - head_chars - 3) :]
    tail = tail.split(" ", 1)[-1] if " " in tail else tail
    return f"{head} … {tail}"
