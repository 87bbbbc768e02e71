"""Telegram update handlers: one small function per thing a user can do.

Everything a handler needs (settings, pipeline, storage, flood guard) is in
`Services`, kept in `application.bot_data["services"]`. Replies are always
sent as escaped HTML (bot/render.py). Never log message texts at INFO.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import queue
import re
import threading
import time
import unicodedata
import weakref
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

from telegram import CallbackQuery, InlineKeyboardMarkup, LinkPreviewOptions, Update, User
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import keyboards
from bot.config import Settings
from bot.handoff import HandoffRequest, request_handoff
from bot.pipeline import Pipeline, Question, Reply, format_answer
from bot.render import render
from bot.replies import say
from bot.storage import Storage

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE

BATCH_SIZE = 16  # questions answered per encoder call under load
TYPING_REFRESH_SECONDS = 4.0  # Telegram shows "typing…" for about 5 s
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# Words the bot itself tells people to write to reach a person. They must
# work without Rasa, so they are matched here, before the pipeline.
HUMAN_WORDS = frozenset(
    {
        "counsellor", "counselor", "consultant", "operator", "human", "person",
        "კონსულტანტი", "კონსულტანტს", "ოპერატორი", "ადამიანი",
        "konsultanti", "konsultants", "operatori", "adamiani",
    }
)  # fmt: skip
KNOWN_SCRIPTS = frozenset({"LATIN", "GEORGIAN", "CYRILLIC"})
_background: set[asyncio.Task] = set()


class FloodGuard:
    """Per-user sliding one-minute window: 'ok', 'notify' (first excess) or 'drop'."""

    def __init__(self, per_minute: int, window_seconds: float = 60.0):
        self.per_minute = per_minute
        self.window = window_seconds
        self._seen: dict[int, deque[float]] = {}
        self._notified: set[int] = set()

    def check(self, user_id: int, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        stamps = self._seen.setdefault(user_id, deque())
        while stamps and stamps[0] <= now - self.window:
            stamps.popleft()
        if len(stamps) < self.per_minute:
            stamps.append(now)
            self._notified.discard(user_id)
            return "ok"
        if user_id in self._notified:
            return "drop"
        self._notified.add(user_id)
        return "notify"

    def forget(self, user_id: int) -> None:
        self._seen.pop(user_id, None)
        self._notified.discard(user_id)


class PipelineRunner:
    """Worker threads answer questions, urgent ones first, then in arrival order,
    each taking every question waiting at that moment as one batch.

    One worker per core (docs/performance.md): an encoding runs on one thread
    and releases the GIL, so two workers keep two cores busy, where one left
    the bot at 80 questions/s with a core to spare. The priority queue lets a
    message in danger overtake a backlog of ordinary questions.
    """

    def __init__(self, pipeline: Pipeline, workers: int = 0):
        self.pipeline = pipeline
        self._queue: queue.PriorityQueue = queue.PriorityQueue()
        self._order = itertools.count()
        self._workers = workers or os.cpu_count() or 1
        for number in range(self._workers):
            worker = threading.Thread(target=self._work, name=f"pipeline-{number}", daemon=True)
            worker.start()

    async def answer(self, text: str, hint: str, unanswered: int, urgent: bool) -> Reply:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Reply] = loop.create_future()
        job = (text, hint, unanswered, loop, future)
        self._queue.put((0 if urgent else 1, next(self._order), job))
        return await future

    def _work(self) -> None:
        while True:
            batch = [self._queue.get()]
            # Questions that arrived while the last batch was being answered go
            # together through one encoder call (Pipeline.answer_many).
            while len(batch) < BATCH_SIZE:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            jobs = [job for _, _, job in batch if job is not None]
            if jobs:
                self._answer(jobs)
            if len(jobs) < len(batch):  # the close() marker
                return

    def _answer(self, jobs: list[tuple]) -> None:
        questions = [Question(text, hint, unanswered) for text, hint, unanswered, _, _ in jobs]
        try:
            outcomes = [(reply, None) for reply in self.pipeline.answer_many(questions)]
        except Exception as error:  # handed to every waiting handler
            outcomes = [(None, error)] * len(jobs)
        for (_, _, _, loop, future), outcome in zip(jobs, outcomes, strict=True):
            with suppress(RuntimeError):  # the loop may have closed meanwhile
                loop.call_soon_threadsafe(_settle, future, *outcome)

    def close(self) -> None:
        for _ in range(self._workers):
            self._queue.put((9, next(self._order), None))


def _settle(future: asyncio.Future, result: Reply | None, error: Exception | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


@dataclass
class Services:
    settings: Settings
    pipeline: Pipeline
    storage: Storage
    flood: FloodGuard
    runner: PipelineRunner
    # One lock per user keeps a user's answers in the order of their messages
    # while different users are served concurrently.
    user_locks: weakref.WeakValueDictionary[int, asyncio.Lock] = field(
        default_factory=weakref.WeakValueDictionary
    )

    def lock_for(self, user_id: int) -> asyncio.Lock:
        lock = self.user_locks.get(user_id)
        if lock is None:
            lock = asyncio.Lock()
            self.user_locks[user_id] = lock
        return lock


def services(context: Context) -> Services:
    return context.bot_data["services"]


# --------------------------------------------------------------------------- helpers


def user_lang(s: Services, user: User) -> str:
    """The language of the user's latest choice or question; Georgian by default."""
    record = s.storage.user(s.storage.user_key(user.id))
    if record and (record.last_lang or record.lang):
        return record.last_lang or record.lang or "ka"
    return "en" if (user.language_code or "").startswith("en") else "ka"


async def send(
    context: Context,
    chat_id: int,
    plain: str,
    lang: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Send a plain text as escaped HTML, split if long; the keyboard goes on the last part."""
    chunks = render(plain, lang)
    for number, chunk in enumerate(chunks, start=1):
        await context.bot.send_message(
            chat_id,
            chunk,
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
            reply_markup=markup if number == len(chunks) else None,
        )


async def edit(
    query: CallbackQuery, plain: str, lang: str, markup: InlineKeyboardMarkup | None
) -> None:
    """Replace a menu message in place (no markup: buttons removed); else send a new one."""
    html_text = render(plain, lang)[0]
    try:
        await query.edit_message_text(
            html_text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as error:
        if "not modified" in str(error).lower():
            return
        await query.get_bot().send_message(
            query.from_user.id, html_text, parse_mode=ParseMode.HTML, reply_markup=markup
        )


@asynccontextmanager
async def typing(context: Context, chat_id: int, after: float) -> AsyncIterator[None]:
    """Show "typing…" from `after` seconds on until the block ends.

    A reply that comes sooner needs no indicator: it would only flash, and
    under load it doubles the requests to Telegram.
    """
    done = asyncio.Event()

    async def keep_typing() -> None:
        with suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), after)
        while not done.is_set():
            with suppress(TelegramError):
                await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
            with suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), TYPING_REFRESH_SECONDS)

    # Not cancelled: a request in flight finishes instead of being cut mid-way.
    task = asyncio.create_task(keep_typing())
    _background.add(task)  # the loop keeps only weak references to tasks
    task.add_done_callback(_background.discard)
    try:
        yield
    finally:
        done.set()


def unsupported_script(text: str) -> bool:
    """Letters, but none Latin, Georgian or Cyrillic: a language we cannot read."""
    scripts = {unicodedata.name(ch, "?").split()[0] for ch in text if ch.isalpha()}
    return bool(scripts) and not scripts & KNOWN_SCRIPTS


def asks_for_human(text: str) -> bool:
    words = re.findall(r"\w+", text.lower())
    return 0 < len(words) <= 3 and any(w in HUMAN_WORDS for w in words)


def keyboard_for(s: Services, reply: Reply) -> InlineKeyboardMarkup:
    kb = s.pipeline.kb
    if reply.action == "answer":
        return keyboards.answer_keyboard(kb, reply.entry_id, reply.related, reply.lang)
    if reply.action == "urgent":
        return keyboards.answer_keyboard(kb, None, [], reply.lang)
    if reply.action == "fallback":
        return keyboards.suggestions_keyboard(kb, reply.suggestions, reply.lang)
    if reply.action == "handoff":
        return keyboards.menu_only_keyboard(reply.lang)
    return keyboards.start_keyboard(reply.lang)


async def hand_off(
    context: Context, user: User, chat_id: int, lang: str, reason: str, text: str | None = None
) -> int:
    s = services(context)
    request = HandoffRequest(s.storage.user_key(user.id), chat_id, lang, reason, text)
    return await request_handoff(context.bot, s.storage, s.settings, request)


# --------------------------------------------------------------------------- gate


async def flood_gate(update: Update, context: Context) -> None:
    """Runs before every other handler: the per-user rate limit."""
    user = update.effective_user
    if user is None:
        return
    s = services(context)
    chat = update.effective_chat
    if chat is not None and chat.id == s.settings.counsellors.chat_id:
        return  # counsellors in their own group are trusted, and may write fast
    verdict = s.flood.check(user.id)
    if verdict == "ok":
        return
    message = update.effective_message
    if message and message.text and _sounds_urgent(message.text):
        return  # never silence someone who may be in danger
    lang = user_lang(s, user)
    if update.callback_query:
        with suppress(TelegramError):
            await update.callback_query.answer(say("slow_down", lang))
    elif verdict == "notify" and update.effective_chat:
        await send(context, update.effective_chat.id, say("slow_down", lang), lang)
    log.info("rate limit: %s update dropped", verdict)
    raise ApplicationHandlerStop


def _sounds_urgent(text: str) -> bool:
    from nlu.danger import find_danger_signals
    from nlu.georgian import understand

    understood = understand(text[:1000])
    return bool(find_danger_signals(understood.text) or find_danger_signals(text.lower()))


# --------------------------------------------------------------------------- commands


async def start(update: Update, context: Context) -> None:
    s = services(context)
    user, chat = update.effective_user, update.effective_chat
    s.storage.touch_user(s.storage.user_key(user.id), chat.id)
    text = "\n".join([say("start", "ka"), say("start", "en"), "", say("choose_language", "ka")])
    await send(context, chat.id, text, "ka", keyboards.language_keyboard())


async def language_command(update: Update, context: Context) -> None:
    await send(
        context,
        update.effective_chat.id,
        say("choose_language", "ka"),
        "ka",
        keyboards.language_keyboard(),
    )


async def topics_command(update: Update, context: Context) -> None:
    lang = user_lang(services(context), update.effective_user)
    await send(
        context, update.effective_chat.id, say("topics_title", lang), lang,
        keyboards.categories_keyboard(lang),
    )  # fmt: skip


async def help_command(update: Update, context: Context) -> None:
    lang = user_lang(services(context), update.effective_user)
    await send(
        context, update.effective_chat.id, say("help", lang), lang, keyboards.start_keyboard(lang)
    )


async def privacy_command(update: Update, context: Context) -> None:
    s = services(context)
    lang = user_lang(s, update.effective_user)
    text = say("privacy", lang).format(days=s.settings.privacy.retention_days)
    await send(context, update.effective_chat.id, text, lang)


async def forget_command(update: Update, context: Context) -> None:
    lang = user_lang(services(context), update.effective_user)
    await send(
        context, update.effective_chat.id, say("forget_confirm", lang), lang,
        keyboards.forget_keyboard(lang),
    )  # fmt: skip


async def unknown_command(update: Update, context: Context) -> None:
    await help_command(update, context)


# --------------------------------------------------------------------------- messages


async def text_message(update: Update, context: Context) -> None:
    """A question (or an edited one): the pipeline's answer, with buttons."""
    s = services(context)
    user, chat = update.effective_user, update.effective_chat
    text = update.effective_message.text or ""
    if unsupported_script(text):
        await send(context, chat.id, say("other_language", user_lang(s, user)), "ka")
        return
    if asks_for_human(text):
        await counsellor_requested(context, user, chat.id, user_lang(s, user), "asked")
        return
    limit = s.settings.telegram.max_message_chars
    question = text[:limit]
    async with s.lock_for(user.id):
        hint = user_lang(s, user)
        unanswered = context.user_data.get("unanswered", 0)
        urgent = _sounds_urgent(question)
        async with typing(context, chat.id, s.settings.telegram.typing_after_seconds):
            reply = await s.runner.answer(question, hint, unanswered, urgent)
        await deliver(context, user, chat.id, reply, question, too_long=len(text) > limit)


async def deliver(
    context: Context, user: User, chat_id: int, reply: Reply, question: str, too_long: bool
) -> None:
    s = services(context)
    plain = reply.reply
    if too_long or reply.truncated:
        note = say("too_long", reply.lang)
        # Even this note must not come before the emergency advice.
        plain = f"{plain}\n\n{note}" if reply.action == "urgent" else f"{note}\n\n{plain}"
    # Urgent replies go out before anything is written or recorded; a failed
    # send must not cancel the handoff, which the counsellors' relay retries.
    try:
        await send(context, chat_id, plain, reply.lang, keyboard_for(s, reply))
    finally:
        if reply.action in ("urgent", "handoff"):
            reason = "urgent" if reply.action == "urgent" else _handoff_reason(reply)
            await hand_off(context, user, chat_id, reply.lang, reason, question)
    key = s.storage.user_key(user.id)
    s.storage.touch_user(key, chat_id, last_lang=reply.lang)
    s.storage.log_message(
        key, reply.lang, reply.action, question, reply.intent, reply.entry_id, reply.score
    )
    unanswered = context.user_data.get("unanswered", 0)
    context.user_data["unanswered"] = unanswered + 1 if reply.action == "fallback" else 0
    log.info("answered: action=%s entry=%s score=%.3f", reply.action, reply.entry_id, reply.score)


def _handoff_reason(reply: Reply) -> str:
    return "asked" if reply.intent == "ask_human" else "unanswered"


async def counsellor_requested(
    context: Context, user: User, chat_id: int, lang: str, reason: str
) -> None:
    s = services(context)
    try:
        await send(context, chat_id, say("handoff", lang), lang, keyboards.menu_only_keyboard(lang))
    finally:  # even if Telegram failed: the relay has its own retries
        await hand_off(context, user, chat_id, lang, reason)
    s.storage.touch_user(s.storage.user_key(user.id), chat_id)
    s.storage.log_message(s.storage.user_key(user.id), lang, "handoff", None)
    context.user_data["unanswered"] = 0


async def unsupported_message(update: Update, context: Context) -> None:
    """Stickers, photos, voice, files, locations…: ask for text."""
    lang = user_lang(services(context), update.effective_user)
    await send(
        context, update.effective_chat.id, say("unsupported_media", lang), lang,
        keyboards.menu_only_keyboard(lang),
    )  # fmt: skip


# --------------------------------------------------------------------------- buttons


async def language_chosen(update: Update, context: Context) -> None:
    s = services(context)
    query = update.callback_query
    lang = query.data.removeprefix("lang:")
    s.storage.touch_user(s.storage.user_key(query.from_user.id), query.message.chat.id, lang, lang)
    await query.answer()
    text = f"{say('language_set', lang)}\n{say('start_next', lang)}"
    await send(context, query.message.chat.id, text, lang, keyboards.start_keyboard(lang))


async def menu_pressed(update: Update, context: Context) -> None:
    query = update.callback_query
    lang = user_lang(services(context), query.from_user)
    await query.answer()
    markup = keyboards.categories_keyboard(lang)
    if query.data == "back":
        await edit(query, say("topics_title", lang), lang, markup)
    else:
        await send(context, query.message.chat.id, say("topics_title", lang), lang, markup)


async def category_pressed(update: Update, context: Context) -> None:
    s = services(context)
    query = update.callback_query
    category = query.data.removeprefix("cat:")
    lang = user_lang(s, query.from_user)
    if category not in keyboards.CATEGORIES:
        await expired_button(update, context)
        return
    await query.answer()
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
    lang = user_lang(s, query.from_user)
    await query.answer()
    text = f"{entry.question[lang]}\n\n{format_answer(entry, lang)}"
    markup = keyboards.answer_keyboard(s.pipeline.kb, entry.id, entry.related, lang)
    await send(context, query.message.chat.id, text, lang, markup)
    s.storage.log_message(s.storage.user_key(query.from_user.id), lang, "menu", None,
                          entry_id=entry.id)  # fmt: skip


async def feedback_pressed(update: Update, context: Context) -> None:
    s = services(context)
    query = update.callback_query
    _, sign, entry_id = query.data.split(":", 2)
    if entry_id not in s.pipeline.kb.entries:
        await expired_button(update, context)
        return
    lang = user_lang(s, query.from_user)
    s.storage.add_feedback(
        s.storage.user_key(query.from_user.id), entry_id, 1 if sign == "+" else -1
    )
    await query.answer(say("feedback_thanks" if sign == "+" else "feedback_sorry", lang))
    with suppress(BadRequest):  # the message may be too old to edit
        await query.edit_message_reply_markup(
            keyboards.without_feedback(query.message.reply_markup)
        )


async def counsellor_pressed(update: Update, context: Context) -> None:
    query = update.callback_query
    lang = user_lang(services(context), query.from_user)
    await query.answer()
    await counsellor_requested(context, query.from_user, query.message.chat.id, lang, "button")


async def forget_answered(update: Update, context: Context) -> None:
    s = services(context)
    query = update.callback_query
    user = query.from_user
    lang = user_lang(s, user)
    await query.answer()
    if query.data != "forget:yes":
        await edit(query, say("forget_cancelled", lang), lang, keyboards.menu_only_keyboard(lang))
        return
    from bot.counsellors import forget_citizen  # imports this module

    forget_citizen(s.storage, s.settings, s.storage.user_key(user.id))
    deleted = s.storage.forget_user(s.storage.user_key(user.id))
    context.application.drop_user_data(user.id)
    s.flood.forget(user.id)
    log.info("forgot a user: %d rows deleted", deleted)
    await edit(query, say("forgotten", lang), lang, None)


async def expired_button(update: Update, context: Context) -> None:
    """Buttons from old messages or unknown data: a polite note, nothing else."""
    query = update.callback_query
    lang = user_lang(services(context), query.from_user)
    await query.answer(say("button_expired", lang), show_alert=True)


# --------------------------------------------------------------------------- errors


async def on_error(update: object, context: Context) -> None:
    """Log the failure (the token is redacted by the logging filter) and apologise."""
    error = context.error
    log.error("handler failed: %s", type(error).__name__, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    lang = "ka"
    with suppress(Exception):
        lang = user_lang(services(context), update.effective_user)
    if update.callback_query:
        with suppress(TelegramError):  # fails if the handler had answered it already
            await update.callback_query.answer(say("error", lang))
            return
    with suppress(TelegramError):
        await context.bot.send_message(update.effective_chat.id, say("error", lang))


def services_of(application: object) -> Services:
    return application.bot_data["services"]  # type: ignore[attr-defined]
