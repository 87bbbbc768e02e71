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
    # --- counsellor handoff, citizen side (bot/counsellors.py) ---
    "handoff_queue": {
        "ka": "თქვენი ნომერი რიგში: {position}. კონსულტანტი აქვე გიპასუხებთ, როგორც კი გათავისუფლდება.",
        "en": "You are number {position} in the queue. A counsellor will answer you here as soon as one is free.",
    },
    "handoff_already": {
        "ka": "თქვენი მიმართვა უკვე გადაცემულია კონსულტანტს. რიგში თქვენი ნომერია {position}.",
        "en": "Your request is already with the counsellors. You are number {position} in the queue.",
    },
    "handoff_claimed_already": {
        "ka": "კონსულტანტი უკვე გესაუბრებათ ამ ჩატში: უბრალოდ მისწერეთ.",
        "en": "A counsellor is already talking with you in this chat: just write your message.",
    },
    "handoff_after_hours": {
        "ka": "კონსულტანტები მუშაობენ {hours} ({zone}). ახლა არასამუშაო დროა: კონსულტანტი გიპასუხებთ {when}. თქვენი შეტყობინებები შენახულია და კონსულტანტს გადაეცემა.",
        "en": "Counsellors work {hours} ({zone}). It is outside working hours now: a counsellor will answer {when}. Your messages are saved and will be passed on.",
    },
    "handoff_no_hours": {
        "ka": "ამჟამად კონსულტანტები ხელმისაწვდომი არ არიან. თქვენი შეტყობინებები შენახულია და კონსულტანტს გადაეცემა.",
        "en": "No counsellor is available at the moment. Your messages are saved and will be passed on.",
    },
    "handoff_urgent_after_hours": {
        "ka": "თუ ახლა საფრთხეში ხართ, ნუ დაელოდებით პასუხს: დარეკეთ 112-ზე (უფასოა, მუშაობს საქართველოსა და ევროკავშირის ყველა ქვეყანაში).",
        "en": "If you are in danger now, do not wait for an answer: call 112 (free; it works in Georgia and in every EU country).",
    },
    "handoff_on_duty_alerted": {
        "ka": "მორიგე კონსულტანტს უკვე შევატყობინე.",
        "en": "I have already alerted the counsellor on duty.",
    },
    "relay_end_hint": {
        "ka": "საუბრის დასასრულებლად დაწერეთ /end.",
        "en": "To end the conversation, write /end.",
    },
    "relay_joined": {
        "ka": "კონსულტანტი შემოუერთდა საუბარს. შეგიძლიათ აქვე მისწეროთ.",
        "en": "A counsellor has joined the conversation. You can write to them here.",
    },
    "relay_closed": {
        "ka": "კონსულტანტმა საუბარი დაასრულა. ახლა ისევ ბოტს ესაუბრებით: შეგიძლიათ კითხვები დამისვათ.",
        "en": "The counsellor has ended the conversation. You are back with the bot: you can ask me questions again.",
    },
    "relay_ended": {
        "ka": "საუბარი კონსულტანტთან დასრულდა. ახლა ისევ ბოტს ესაუბრებით.",
        "en": "Your conversation with the counsellor has ended. You are back with the bot.",
    },
    "relay_rate": {
        "ka": "როგორ შეაფასებდით მიღებულ დახმარებას? აირჩიეთ 1-დან 5-მდე (5 — ძალიან კარგი).",
        "en": "How would you rate the help you received? Choose 1 to 5 (5 = very good).",
    },
    "relay_no_ticket": {
        "ka": "კონსულტანტთან ღია საუბარი ახლა არ გაქვთ. თუ გსურთ, დაწერეთ „კონსულტანტი“.",
        "en": "You have no open conversation with a counsellor. To start one, write “counsellor”.",
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
    "zone_Asia/Tbilisi": {"ka": "თბილისის დროით", "en": "Tbilisi time"},
    # --- counsellors' group (bot/counsellors.py, bot/relay.py; relay.COUNSELLOR_LANG) ---
    "cs_urgent": {"ka": "🚨 სასწრაფო (URGENT)", "en": "🚨 URGENT"},
    "cs_ticket": {"ka": "მიმართვა", "en": "Ticket"},
    "cs_lang_ka": {"ka": "ენა: ქართული", "en": "language: Georgian"},
    "cs_lang_en": {"ka": "ენა: ინგლისური", "en": "language: English"},
    "cs_reason_asked": {"ka": "ადამიანი მოითხოვა", "en": "asked for a person"},
    "cs_reason_button": {"ka": "ღილაკით მოითხოვა", "en": "asked (button)"},
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
        "ka": "ბოტს ზუსტი პასუხი არ ჰქონდა",
        "en": "the bot had no reliable answer",
    },
    "cs_did_urgent": {"ka": "ბოტმა საგანგებო რჩევა მისცა", "en": "the bot gave emergency guidance"},
    "cs_did_handoff": {"ka": "კონსულტანტი მოითხოვა", "en": "asked for a counsellor"},
    "cs_did_smalltalk": {"ka": "მოკლე პასუხი", "en": "small talk"},
    "cs_did_menu": {"ka": "მენიუდან გახსნა: {entry}", "en": "opened from the menu: {entry}"},
    "cs_rating": {"ka": "შეფასება", "en": "Rating"},
    "cs_how_to": {
        "ka": "ამ თემაში დაწერილი ყველაფერი მოქალაქეს ბოტის სახელით გადაეცემა (თქვენი ანგარიში არ ჩანს). /close — დახურვა, /queue — რიგი.",
        "en": "Everything written in this topic reaches the citizen from the bot (your account is not shown). /close — close, /queue — the queue.",
    },
    "cs_btn_claim": {"ka": "✋ ავიღებ", "en": "✋ Claim"},
    "cs_btn_close": {"ka": "✅ დახურვა", "en": "✅ Close"},
    "cs_on_duty": {"ka": "მორიგე", "en": "on duty"},
    "cs_alert": {"ka": "სასწრაფო მიმართვა #{id}.", "en": "Urgent ticket #{id}."},
    "cs_open_topic": {"ka": "თემის გახსნა", "en": "open the topic"},
    "cs_claimed_notice": {"ka": "მიმართვა აიღო {name}.", "en": "{name} took this ticket."},
    "cs_already_claimed": {"ka": "მიმართვა უკვე აიღო {name}.", "en": "Already taken by {name}."},
    "cs_closed_by": {"ka": "მიმართვა დახურა {name}.", "en": "Closed by {name}."},
    "cs_citizen_ended": {
        "ka": "მოქალაქემ საუბარი დაასრულა.",
        "en": "The citizen ended the conversation.",
    },
    "cs_citizen_rated": {
        "ka": "მოქალაქის შეფასება: {rating}/5.",
        "en": "The citizen's rating: {rating}/5.",
    },
    "cs_closed_not_sent": {
        "ka": "ეს მიმართვა დახურულია: შეტყობინება მოქალაქეს არ გადაეცა.",
        "en": "This ticket is closed: your message was not passed on.",
    },
    "cs_not_delivered": {
        "ka": "⚠️ შეტყობინება მოქალაქემდე ვერ მივიდა (შესაძლოა, ბოტი დაბლოკა).",
        "en": "⚠️ A message could not be delivered to the citizen (they may have blocked the bot).",
    },
    "cs_forgotten": {
        "ka": "მოქალაქემ მოითხოვა მისი მონაცემების წაშლა. მიმართვა დახურულია; გთხოვთ, წაშალოთ ამ თემის შეტყობინებები.",
        "en": "The citizen asked for their data to be deleted. The ticket is closed; please delete the messages in this topic.",
    },
    "cs_upgraded": {
        "ka": "🚨 მოქალაქის შეტყობინებაში საფრთხის ნიშნებია: მიმართვა ახლა სასწრაფოა.",
        "en": "🚨 The citizen's message shows signs of danger: the ticket is now urgent.",
    },
    "cs_queue_title": {"ka": "ღია მიმართვები ({count}):", "en": "Open tickets ({count}):"},
    "cs_queue_empty": {"ka": "ღია მიმართვები არ არის.", "en": "No open tickets."},
    "cs_age": {"ka": "{hours} სთ {minutes} წთ", "en": "{hours} h {minutes} min"},
    "cs_use_in_topic": {
        "ka": "/close მუშაობს მხოლოდ მიმართვის თემაში.",
        "en": "/close works only inside a ticket's topic.",
    },
    # --- job-offer check (bot/tools/offer_check.py); one reason per sign code
    "offer_found": {
        "ka": "ამ განცხადებაში საეჭვო ნიშნები ვიპოვე ({count}):",
        "en": "I found warning signs in this advert ({count}):",
    },
    "offer_none_found": {
        "ka": "ამ განცხადებაში ვერ ვიპოვე ის საეჭვო ნიშნები, რომლებსაც ვეძებ. ეს არ ნიშნავს, რომ შეთავაზება ნამდვილია: მე მხოლოდ ტექსტს ვკითხულობ. ვერ შევამოწმე:",
        "en": "I did not find the warning signs I look for in this advert. That does not prove the offer is real: I only read the text. I could not check:",
    },
    "offer_not_checked": {
        "ka": "• არსებობს თუ არა ეს კომპანია და მართლა ეძებს თუ არა მუშებს;\n• აქვს თუ არა სააგენტოს სერტიფიკატი;\n• რა ეწერება ხელშეკრულებაში.",
        "en": "• whether the company exists and is really hiring;\n• whether the agency is certified;\n• what the contract will say.",
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
        "ka": "სანამ დათანხმდებით:\n• შეამოწმეთ, აქვს თუ არა სააგენტოს შრომის სამინისტროს სერტიფიკატი;\n• წასვლამდე მოითხოვეთ წერილობითი ხელშეკრულება თქვენთვის გასაგებ ენაზე;\n• გაიგეთ დამსაქმებლის სახელი და მისამართი და შეამოწმეთ, რომ ასეთი კომპანია არსებობს;\n• სამსახურისთვის ფული არავის გადაუხადოთ და პასპორტი არავის გადასცეთ.",
        "en": "Before you agree:\n• check that the agency has a certificate from the Ministry of Labour;\n• ask for a written contract in a language you understand, before you leave;\n• get the employer's name and address and check that the company exists;\n• pay no one for a job and hand your passport to no one.",
    },
    "offer_footer": {
        "ka": "მე მხოლოდ ტექსტს ვკითხულობ და ყველაფერს ვერ ვამოწმებ. თუ ეჭვი გაქვთ, ფულის გადახდამდე ან ხელმოწერამდე დაწერეთ „კონსულტანტი“.",
        "en": "I only read the text and may miss things. If in doubt, write “counsellor” before you pay or sign anything.",
    },
    "offer_not_an_advert": {
        "ka": "ეს ტექსტი სამუშაოს განცხადებას არ ჰგავს. ჩასვით განცხადების მთელი ტექსტი და საეჭვო ნიშნებს მოვძებნი.",
        "en": "This does not look like a job advert. Paste the whole advert (or forward the post) and I will look for warning signs.",
    },
    "offer_read_more": {"ka": "წაიკითხეთ", "en": "read"},
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
