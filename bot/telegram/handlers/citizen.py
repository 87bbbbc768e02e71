"""A citizen's private chat with the bot: commands, questions, buttons.

Small handlers, one job each; everything they need is in `Services`
(bot.telegram.context). Replies are always escaped HTML (bot.telegram.sending).
Never log message texts or chat ids.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from contextlib import suppress

from telegram import InlineKeyboardMarkup, Update, User
from telegram.error import BadRequest

from bot.answering import Action, Reply, format_answer
from bot.handoff import HandoffRequest
from bot.store import HandoffReason
from bot.telegram import keyboards
from bot.telegram.context import Context, Services, services
from bot.telegram.sending import acknowledge, edit, send, typing
from bot.texts import say, shorten_middle
from bot.tools.offer_check import OFFERED_WITH as OFFER_TOPICS
from bot.tools.offer_check import check_offer, looks_like_pasted_advert, reads_as_advert
from bot.tools.stay_reply import OFFERED_WITH as STAY_TOPICS
from bot.tools.stay_reply import mentions_dates, stay_reply
from nlu.danger import sounds_urgent
from nlu.dates import parse_trips
from nlu.keywords import asks_for_human, unsupported_script

log = logging.getLogger(__name__)
# context.user_data[AWAITING]: what the citizen's next message is (in memory only);
# context.chat_data[ALBUMS]: captions of an album's parts until the album is complete.
AWAITING, STAY, OFFER = "awaiting", "stay", "offer"
ALBUMS = "albums"
ALBUM_WAIT_SECONDS = 1.0  # the parts of an album arrive as separate updates within this
# context.user_data[PREVIOUS]: (entry id, time.monotonic()) of the last answer, in
# memory only, so that a short follow-up ("and how much do they pay?") is read with
# it for FOLLOW_UP_SECONDS (Pipeline.answer's previous_entry); /forget and /clear drop it.
PREVIOUS = "previous_entry"
FOLLOW_UP_SECONDS = 15 * 60


def keyboard_for(s: Services, reply: Reply) -> InlineKeyboardMarkup:
    """The buttons under a reply: feedback and related topics, suggestions, or the menu."""
    kb = s.pipeline.kb
    if reply.action == Action.ANSWER:
        return keyboards.answer_keyboard(
            kb,
            reply.entry_id,
            reply.related,
            reply.lang,
            offer_stay=reply.entry_id in STAY_TOPICS,
            offer_check=reply.entry_id in OFFER_TOPICS,
        )
    if reply.action == Action.URGENT:  # with the offer to delete the chat (/clear)
        return keyboards.urgent_keyboard(kb, reply.lang)
    if reply.action == Action.FALLBACK:
        return keyboards.suggestions_keyboard(kb, reply.suggestions, reply.lang)
    if reply.action == Action.HANDOFF:
        return keyboards.menu_only_keyboard(reply.lang)
    return keyboards.start_keyboard(reply.lang)


def hand_off(
    s: Services, user: User, chat_id: int, lang: str, reason: HandoffReason, text: str | None = None
) -> int:
    """Record the request and open or re-use the ticket (the relay sends); returns its id."""
    request = HandoffRequest(s.store.user_key(user.id), chat_id, lang, reason, text)
    return s.handoff.request(request)


# --------------------------------------------------------------------------- commands


async def start(update: Update, context: Context) -> None:
    """The welcome in both languages and the language choice; with a ticket open, a line
    that the counsellor still reads this chat (after unblocking the bot, /start showed
    only the welcome: a user trial)."""
    s = services(context)
    user, chat = update.effective_user, update.effective_chat
    key = s.store.user_key(user.id)
    s.store.conversations.touch_user(key, chat.id)
    text = "\n".join([say("start", "ka"), say("start", "en"), "", say("choose_language", "ka")])
    if s.store.tickets.open_for(key) is not None:
        text += "\n\n" + say("relay_still_open", s.user_lang(user))
    await send(context.bot, chat.id, text, "ka", keyboards.language_keyboard())


async def language_command(update: Update, context: Context) -> None:
    await send(
        context.bot, update.effective_chat.id, say("choose_language", "ka"), "ka",
        keyboards.language_keyboard(),
    )  # fmt: skip


async def topics_command(update: Update, context: Context) -> None:
    lang = services(context).user_lang(update.effective_user)
    await send(
        context.bot, update.effective_chat.id, say("topics_title", lang), lang,
        keyboards.categories_keyboard(lang),
    )  # fmt: skip


async def help_command(update: Update, context: Context) -> None:
    lang = services(context).user_lang(update.effective_user)
    await send(
        context.bot, update.effective_chat.id, say("help", lang), lang,
        keyboards.start_keyboard(lang),
    )  # fmt: skip


async def privacy_command(update: Update, context: Context) -> None:
    s = services(context)
    lang = s.user_lang(update.effective_user)
    text = say("privacy", lang).format(days=s.settings.privacy.retention_days)
    await send(context.bot, update.effective_chat.id, text, lang)


async def forget_command(update: Update, context: Context) -> None:
    lang = services(context).user_lang(update.effective_user)
    await send(
        context.bot, update.effective_chat.id, say("forget_confirm", lang), lang,
        keyboards.forget_keyboard(lang),
    )  # fmt: skip


async def counsellor_command(update: Update, context: Context) -> None:
    """/counsellor: what the "talk to a counsellor" button does."""
    lang = services(context).user_lang(update.effective_user)
    await counsellor_requested(
        context, update.effective_user, update.effective_chat.id, lang, HandoffReason.ASKED
    )


async def ask_for(update: Update, context: Context, tool: str, prompt_key: str) -> None:
    """A tool asks for its input: the next message (or caption) goes to `tool`."""
    lang = services(context).user_lang(update.effective_user)
    context.user_data[AWAITING] = tool
    if update.callback_query is not None:
        await acknowledge(update.callback_query)
    await send(
        context.bot, update.effective_chat.id, say(prompt_key, lang), lang,
        keyboards.menu_only_keyboard(lang),
    )  # fmt: skip


async def stay_command(update: Update, context: Context) -> None:
    """/stay (or its button): ask for the trips; the next message is read as trips."""
    await ask_for(update, context, STAY, "stay_ask")


async def count_days(context: Context, user: User, chat_id: int, text: str, lang: str) -> None:
    """The calculator's reply to trips typed as text; the trips are not stored."""
    s = services(context)
    reply = stay_reply(text, lang, today=dt.date.today())
    markup = keyboards.answer_keyboard(s.pipeline.kb, None, reply.related, lang)
    await send(context.bot, chat_id, reply.text, lang, markup)
    key = s.store.user_key(user.id)
    s.store.conversations.touch_user(key, chat_id, last_lang=lang)
    s.store.conversations.log_message(key, lang, "stay", None)  # no text: no dates kept


async def offer_command(update: Update, context: Context) -> None:
    """/checkoffer (or its button): the next message (or caption) is read as an advert."""
    await ask_for(update, context, OFFER, "offer_ask")


async def check_advert(context: Context, user: User, chat_id: int, text: str) -> None:
    """The warning signs of a job advert; buttons to the entries it points to.
    The advert is not stored (it may name people and numbers). The reply is in the
    citizen's language, not the advert's, and the advert's does not become theirs
    (a forwarded Georgian advert turned an English user's bot Georgian: a user trial)."""
    s = services(context)
    key = s.store.user_key(user.id)
    known = s.known_lang(user)  # None: never wrote
    result = check_offer(text, lang_hint=s.user_lang(user), reply_lang=known)
    markup = keyboards.answer_keyboard(s.pipeline.kb, None, list(result.entries), result.lang)
    await send(context.bot, chat_id, result.reply, result.lang, markup)
    s.store.conversations.touch_user(key, chat_id, last_lang=None if known else result.lang)
    s.store.conversations.log_message(key, result.lang, "offer_check", None)


async def unknown_command(update: Update, context: Context) -> None:
    await help_command(update, context)


# --------------------------------------------------------------------------- messages


async def text_message(update: Update, context: Context) -> None:
    """A question (or an edited one): the pipeline's answer, with buttons."""
    text = update.effective_message.text or ""
    await read_text(context, update.effective_user, update.effective_chat.id, text)


async def read_text(context: Context, user: User, chat_id: int, text: str) -> None:
    """What a citizen wrote (a message, or the caption of a photo or album): the tool they
    asked for, a job advert check, a counsellor, or the pipeline's answer."""
    s = services(context)
    if unsupported_script(text):
        await send(context.bot, chat_id, say("other_language", s.user_lang(user)), "ka")
        return
    if asks_for_human(text):
        await counsellor_requested(context, user, chat_id, s.user_lang(user), HandoffReason.ASKED)
        return
    limit = s.settings.telegram.max_message_chars
    question = shorten_middle(text, limit)
    urgent = sounds_urgent(question)
    # Danger first, whatever tool asked for this message ("my boss took my passport and
    # locks me in" after /checkoffer got "not a job advert", no ticket: a user trial);
    # and a question is answered, not read as trips or an advert.
    tool = context.user_data.pop(AWAITING, None)
    tool = None if urgent else tool
    if tool == STAY and mentions_dates(question, dt.date.today()):
        await count_days(context, user, chat_id, question, s.user_lang(user))
        return
    # after /checkoffer anything with a sign is checked; otherwise only a pasted advert
    if tool == OFFER:
        advert = reads_as_advert(question)
    else:
        advert = not urgent and looks_like_pasted_advert(question)
    if advert:
        await check_advert(context, user, chat_id, question)
        return
    async with s.lock_for(user.id):
        hint = s.user_lang(user)
        unanswered = context.user_data.get("unanswered", 0)
        # a tool's prompt starts afresh: no earlier topic to follow up
        previous = None if tool else _previous_entry(context)
        async with typing(context.bot, chat_id, s.settings.telegram.typing_after_seconds):
            reply = await s.runner.answer(question, hint, unanswered, urgent, previous)
        if tool is not None and reply.action == Action.FALLBACK and not reply.suggestions:
            # neither the tool's input nor a question the bot has topics for: the tool
            # says what it needs ("no dates found", "not a job advert")
            if tool == STAY:
                await count_days(context, user, chat_id, question, hint)
            else:
                await check_advert(context, user, chat_id, question)
            return
        await deliver(context, user, chat_id, reply, question, too_long=len(text) > limit)


async def captioned_media(update: Update, context: Context) -> None:
    """A photo, video or file with a caption: the caption is read as what they wrote.
    An album (one media_group_id, several updates) is read once, captions joined."""
    message = update.effective_message
    if message.media_group_id is None:
        await read_text(context, update.effective_user, message.chat_id, message.caption or "")
        return
    albums = context.chat_data.setdefault(ALBUMS, {})
    parts = albums.get(message.media_group_id)
    if parts is None:
        parts = albums[message.media_group_id] = []
        context.job_queue.run_once(
            album_complete,
            ALBUM_WAIT_SECONDS,
            data=(message.media_group_id, update.effective_user),
            chat_id=message.chat_id,
            user_id=update.effective_user.id,  # the job's context.user_data is theirs
            name=f"album:{message.media_group_id}",
        )
    parts.append(message.caption or "")


async def album_complete(context: Context) -> None:
    """All parts of an album are in: one reply for the whole album."""
    group_id, user = context.job.data
    parts = context.chat_data.get(ALBUMS, {}).pop(group_id, [])
    caption = "\n".join(part for part in parts if part.strip())
    if caption:
        await read_text(context, user, context.job.chat_id, caption)
        return
    lang = services(context).user_lang(user)
    await send(
        context.bot, context.job.chat_id, say("unsupported_media", lang), lang,
        keyboards.menu_only_keyboard(lang),
    )  # fmt: skip


async def deliver(
    context: Context, user: User, chat_id: int, reply: Reply, question: str, too_long: bool
) -> None:
    """Send the reply, hand off when it says so, record the message."""
    s = services(context)
    about_days = reply.action == Action.ANSWER and reply.entry_id in STAY_TOPICS
    if about_days and parse_trips(question, dt.date.today()).trips:  # it carries its dates
        await count_days(context, user, chat_id, question, reply.lang)
        return
    plain = reply.reply
    if too_long or reply.truncated:
        note = say("too_long", reply.lang)
        # Even this note must not come before the emergency advice.
        plain = f"{plain}\n\n{note}" if reply.action == Action.URGENT else f"{note}\n\n{plain}"
    # Urgent replies go out before anything is written or recorded; a failed
    # send must not cancel the handoff, which the counsellors' relay retries.
    # (send retries 429s and network errors itself; what still fails is recorded anyway.)
    try:
        await send(context.bot, chat_id, plain, reply.lang, keyboard_for(s, reply))
    finally:
        if reply.action in (Action.URGENT, Action.HANDOFF):
            hand_off(s, user, chat_id, reply.lang, _handoff_reason(reply), question)
        key = s.store.user_key(user.id)
        s.store.conversations.touch_user(key, chat_id, last_lang=reply.lang)
        s.store.conversations.log_message(
            key, reply.lang, reply.action, question, reply.intent, reply.entry_id, reply.score
        )
    unanswered = context.user_data.get("unanswered", 0)
    context.user_data["unanswered"] = unanswered + 1 if reply.action == Action.FALLBACK else 0
    if reply.action == Action.ANSWER and reply.entry_id:
        _remember_entry(context, reply.entry_id)
    elif reply.action in (Action.URGENT, Action.HANDOFF):
        context.user_data.pop(PREVIOUS, None)
    log.info("answered: action=%s entry=%s score=%.3f", reply.action, reply.entry_id, reply.score)


def _remember_entry(context: Context, entry_id: str) -> None:
    context.user_data[PREVIOUS] = (entry_id, time.monotonic())


def _previous_entry(context: Context) -> str | None:
    """The entry answered last in this chat, if within FOLLOW_UP_SECONDS."""
    entry_id, at = context.user_data.get(PREVIOUS, (None, 0.0))
    return entry_id if time.monotonic() - at <= FOLLOW_UP_SECONDS else None


def _handoff_reason(reply: Reply) -> HandoffReason:
    if reply.action == Action.URGENT:
        return HandoffReason.URGENT
    return HandoffReason.ASKED if reply.intent == "ask_human" else HandoffReason.UNANSWERED


async def counsellor_requested(
    context: Context, user: User, chat_id: int, lang: str, reason: HandoffReason
) -> None:
    """The citizen asked for a person: say so, then open the ticket. With a ticket open
    already, only the desk's "already passed on" notice (it said "I am passing your
    conversation to a counsellor" first: a user trial)."""
    s = services(context)
    key = s.store.user_key(user.id)
    try:
        if s.store.tickets.open_for(key) is None:
            await send(
                context.bot, chat_id, say("handoff", lang), lang,
                keyboards.menu_only_keyboard(lang),
            )  # fmt: skip
    finally:  # even if Telegram failed: the relay has its own retries
        hand_off(s, user, chat_id, lang, reason)
    s.store.conversations.touch_user(key, chat_id)
    s.store.conversations.log_message(key, lang, Action.HANDOFF, None)
    context.user_data["unanswered"] = 0


async def unsupported_message(update: Update, context: Context) -> None:
    """Stickers, photos without a caption, voice, files, locations…: ask for text.
    An album without captions gets one reply, not one per photo."""
    message = update.effective_message
    if message is not None and message.media_group_id is not None:
        await captioned_media(update, context)
        return
    lang = services(context).user_lang(update.effective_user)
    await send(
        context.bot, update.effective_chat.id, say("unsupported_media", lang), lang,
        keyboards.menu_only_keyboard(lang),
    )  # fmt: skip


# --------------------------------------------------------------------------- buttons


async def language_chosen(update: Update, context: Context) -> None:
    s = services(context)
    query = update.callback_query
    lang = query.data.removeprefix("lang:")
    key = s.store.user_key(query.from_user.id)
    s.store.conversations.touch_user(key, query.message.chat.id, lang, lang)
    await acknowledge(query)
    text = f"{say('language_set', lang)}\n{say('start_next', lang)}"
    await send(context.bot, query.message.chat.id, text, lang, keyboards.start_keyboard(lang))


async def menu_pressed(update: Update, context: Context) -> None:
    query = update.callback_query
    lang = services(context).user_lang(query.from_user)
    await acknowledge(query)
    markup = keyboards.categories_keyboard(lang)
    if query.data == "back":
        await edit(query, say("topics_title", lang), lang, markup)
    else:
        await send(context.bot, query.message.chat.id, say("topics_title", lang), lang, markup)


async def category_pressed(update: Update, context: Context) -> None:
    s = services(context)
    query = update.callback_query
    category = query.data.removeprefix("cat:")
    lang = s.user_lang(query.from_user)
    if category not in keyboards.CATEGORIES:
        await expired_button(update, context)
        return
    await acknowledge(query)
    if not s.pipeline.kb.entries_in(category):
        await edit(query, say("category_empty", lang), lang, keyboards.categories_keyboard(lang))
        return
    title = say("category_title", lang).format(category=say(f"cat_{category}", lang))
    await edit(query, title, lang, keyboards.category_keyboard(s.pipeline.kb, category, lang))


async def entry_pressed(update: Update, context: Context) -> None:
    s = services(context)
    query = update.callback_query
    entry = s.pipeline.kb.entries.get(query.data.removeprefix("e:"))
    if entry is None:
        await expired_button(update, context)
        return
    lang = s.user_lang(query.from_user)
    await acknowledge(query)
    text = f"{entry.question[lang]}\n\n{format_answer(entry, lang)}"
    markup = keyboards.answer_keyboard(s.pipeline.kb, entry.id, entry.related, lang)
    # Recorded first: feedback on this answer is accepted only once it is (was_answered).
    key = s.store.user_key(query.from_user.id)
    s.store.conversations.log_message(key, lang, "menu", None, entry_id=entry.id)
    _remember_entry(context, entry.id)
    await send(context.bot, query.message.chat.id, text, lang, markup)


async def feedback_pressed(update: Update, context: Context) -> None:
    s = services(context)
    query = update.callback_query
    _, sign, entry_id = query.data.split(":", 2)
    key = s.store.user_key(query.from_user.id)
    if entry_id not in s.pipeline.kb.entries or not s.store.conversations.was_answered(
        key, entry_id
    ):
        await expired_button(update, context)
        return
    lang = s.user_lang(query.from_user)
    s.store.feedback.add(key, entry_id, 1 if sign == "+" else -1)
    await acknowledge(query, say("feedback_thanks" if sign == "+" else "feedback_sorry", lang))
    with suppress(BadRequest):  # the message may be too old to edit
        await query.edit_message_reply_markup(
            keyboards.without_feedback(query.message.reply_markup)
        )


async def counsellor_pressed(update: Update, context: Context) -> None:
    query = update.callback_query
    lang = services(context).user_lang(query.from_user)
    await acknowledge(query)
    await counsellor_requested(
        context, query.from_user, query.message.chat.id, lang, HandoffReason.BUTTON
    )


async def forget_answered(update: Update, context: Context) -> None:
    """ "Yes, delete my data": the topics first (the relay), then every row, PTB's user_data."""
    s = services(context)
    query = update.callback_query
    user = query.from_user
    lang = s.user_lang(user)
    await acknowledge(query)
    if query.data != "forget:yes":
        await edit(query, say("forget_cancelled", lang), lang, keyboards.menu_only_keyboard(lang))
        return
    key = s.store.user_key(user.id)
    s.handoff.forget(key)
    deleted = s.store.forget(key)
    context.application.drop_user_data(user.id)
    s.flood.forget(user.id)
    log.info("forgot a user: %d rows deleted", deleted)
    await edit(query, say("forgotten", lang), lang, None)


async def expired_button(update: Update, context: Context) -> None:
    """Buttons from old messages or unknown data: a polite note, nothing else."""
    query = update.callback_query
    lang = services(context).user_lang(query.from_user)
    await acknowledge(query, say("button_expired", lang), alert=True)
