"""/clear, "leave no trace": delete this chat from the citizen's phone.

People controlled by an employer or a trafficker often have their phone
checked. After an urgent conversation (a button under the emergency guidance
and under the closing of an urgent ticket), and on /clear at any time, the
bot offers to delete the conversation. On "yes" it deletes every message of
the chat that Telegram lets a bot delete: its own and the person's, sent less
than 48 hours ago (Bot API, deleteMessage), with deleteMessages in batches of
up to 100 ids; a batch Telegram refuses (one message in it may not be
deleted, and then nothing in it is) is retried one message at a time, so one
refusal does not stop the rest. A confirmation says how to delete the rest
and the chat itself from the phone, and deletes itself after
`privacy.clear_confirmation_seconds`. An open ticket stays open; the
counsellors see a note that the citizen cleared the chat (not what was in it).

/forget is something else: it deletes the citizen's data on the bot's
server (bot.telegram.handlers.citizen.forget_answered).

The ids come from bot.store.chat_messages: the citizen's messages recorded
by `remember_incoming` (a handler that sees every update first), the bot's by
bot.telegram.recording.RecordingBot; ids and times only, for 48 hours.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import Bot, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, RetryAfter, TelegramError

from bot.store import Store
from bot.telegram import keyboards
from bot.telegram.context import Context, services
from bot.telegram.handlers.citizen import PREVIOUS
from bot.telegram.recording import OnSent
from bot.telegram.relay import retry_seconds
from bot.telegram.sending import acknowledge, edit, send
from bot.texts import say

log = logging.getLogger(__name__)

BATCH = 100  # deleteMessages takes 1-100 message ids (Bot API)
MAX_RETRY_WAIT = 30.0  # seconds: a 429 on a batch is waited out once, up to this long


@dataclass(frozen=True)
class Deleted:
    """The outcome of deleting messages of one chat: ids gone (deleted, or gone already)
    and ids Telegram refused to delete."""

    gone: list[int]
    left: list[int]


# --------------------------------------------------------------------------- recording


def recorder(store: Store) -> OnSent:
    """RecordingBot.record_with's callback for this store: the bot's messages in private chats."""

    def record(chat_id: int, message_id: int, sent_at: float) -> None:
        store.chat_messages.record(store.user_key(chat_id), [message_id], sent_at)

    return record


async def remember_incoming(update: Update, context: Context) -> None:
    """Every update first (its own handler group): the id and date of a citizen's message
    in their private chat, so that /clear can delete it. Never the text."""
    message = update.message or update.edited_message
    if message is None or message.chat.type != ChatType.PRIVATE:
        return
    store = services(context).store
    store.chat_messages.record(
        store.user_key(message.chat.id), [message.message_id], message.date.timestamp()
    )


# --------------------------------------------------------------------------- the offer


async def clear_command(update: Update, context: Context) -> None:
    """/clear: ask before deleting the chat."""
    lang = services(context).user_lang(update.effective_user)
    await send(
        context.bot, update.effective_chat.id, say("clear_offer", lang), lang,
        keyboards.clear_keyboard(lang),
    )  # fmt: skip


async def clear_asked(update: Update, context: Context) -> None:
    """The 🧹 button under urgent replies (clear:ask): the same question as /clear."""
    query = update.callback_query
    lang = services(context).user_lang(query.from_user)
    await acknowledge(query)
    await send(
        context.bot, query.message.chat.id, say("clear_offer", lang), lang,
        keyboards.clear_keyboard(lang),
    )  # fmt: skip


async def clear_answered(update: Update, context: Context) -> None:
    """clear:yes deletes what Telegram allows, notes it in an open ticket's topic and
    confirms with a message that deletes itself; clear:no only says so."""
    s = services(context)
    query = update.callback_query
    user = query.from_user
    lang = s.user_lang(user)
    await acknowledge(query)
    if query.data != "clear:yes":
        await edit(query, say("clear_cancelled", lang), lang, None)
        return
    chat_id = query.message.chat.id
    key = s.store.user_key(user.id)
    wanted = s.store.chat_messages.deletable(key, time.time())
    deleted = await delete_messages(context.bot, chat_id, wanted)
    s.store.chat_messages.drop(key, wanted)
    # what was said before is no context for what follows: no topic to follow up,
    # no unanswered question counting towards a handoff (a user trial: the first
    # message after /clear opened a ticket)
    context.user_data.pop(PREVIOUS, None)
    context.user_data.pop("unanswered", None)
    ticket = s.store.tickets.open_for(key)
    if ticket is not None:
        s.handoff.note_cleared(ticket)
    log.info("cleared a chat: %d messages deleted, %d refused%s", len(deleted.gone),
             len(deleted.left), f"; ticket {ticket.id} noted" if ticket else "")  # fmt: skip
    await confirm(context, chat_id, key, lang, len(deleted.left))


async def confirm(context: Context, chat_id: int, user_key: str, lang: str, left: int) -> None:
    """The confirmation, and a job that deletes it after clear_confirmation_seconds."""
    seconds = services(context).settings.privacy.clear_confirmation_seconds
    text = say("clear_done", lang).format(seconds=round(seconds))
    if left:
        text = f"{text}\n\n{say('clear_left', lang).format(left=left)}"
    sent = await send(context.bot, chat_id, text, lang)
    if context.job_queue is None:  # PTB without its job-queue extra: it stays
        return
    context.job_queue.run_once(
        delete_confirmation, seconds, data=(user_key, [m.message_id for m in sent]),
        chat_id=chat_id, name="clear-confirmation",
    )  # fmt: skip


async def delete_confirmation(context: Context) -> None:
    """The job: the confirmation goes too, and its ids with it."""
    user_key, message_ids = context.job.data
    await delete_messages(context.bot, context.job.chat_id, message_ids)
    services(context).store.chat_messages.drop(user_key, message_ids)


# --------------------------------------------------------------------------- deleting


async def delete_messages(bot: Bot, chat_id: int, message_ids: Sequence[int]) -> Deleted:
    """Delete messages of one chat: deleteMessages per batch of BATCH ids; a batch that
    fails is tried one message at a time (deleteMessage), so that one message Telegram
    will not delete does not keep the others.

    Telegram's rules (Bot API, deleteMessages): ids not found are skipped, but if one
    found message may not be deleted the whole call fails with nothing deleted (TDLib
    checks them all first). A 429 on a batch is waited out once (at most MAX_RETRY_WAIT s).

    Returns:
        Deleted: the ids gone (including ids already gone) and those refused.
    """
    ids = list(dict.fromkeys(message_ids))
    gone: list[int] = []
    left: list[int] = []
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        try:
            await _delete_batch(bot, chat_id, batch)
        except TelegramError as error:
            log.info("clear: a batch of %d ids was refused (%s); deleting them one by one",
                     len(batch), type(error).__name__)  # fmt: skip
            for message_id in batch:
                (gone if await _delete_one(bot, chat_id, message_id) else left).append(message_id)
        else:
            gone += batch
    return Deleted(gone, left)


async def _delete_batch(bot: Bot, chat_id: int, batch: list[int]) -> None:
    try:
        await bot.delete_messages(chat_id, batch)
    except RetryAfter as error:
        await asyncio.sleep(min(retry_seconds(error), MAX_RETRY_WAIT))
        await bot.delete_messages(chat_id, batch)


async def _delete_one(bot: Bot, chat_id: int, message_id: int) -> bool:
    """True when the message is gone (deleted now, or already)."""
    try:
        await bot.delete_message(chat_id, message_id)
    except BadRequest as error:
        return "not found" in str(error).lower()
    except TelegramError:
        return False
    return True
