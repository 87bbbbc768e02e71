"""What the bot writes in the counsellors' group: topic names, ticket cards,
urgent alerts, the queue. Telegram HTML strings and button rows as plain data
(`[[label, callback_data], ...]`); bot.telegram turns them into messages.

`lang` is the counsellors' group language (settings.counsellors.language).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any
from zoneinfo import ZoneInfo

from bot.store import Ticket, TicketStatus
from bot.texts import MESSAGES, say, shorten_middle

MAX_SNIPPET = 300
MAX_QUESTION = 900  # the message that opened the ticket, on its card
TOPIC_NAME_LIMIT = 128  # Bot API: createForumTopic name, 1-128 characters
ButtonRows = list[list[list[str]]]


def topic_name(ticket: Ticket, lang: str) -> str:
    """ "🚨 #12 · KA · urgent", cut to Telegram's 128 characters."""
    mark = "🚨 " if ticket.urgent else ""
    reason = say(f"cs_reason_{ticket.reason}", lang)
    return f"{mark}#{ticket.id} · {ticket.lang.upper()} · {reason}"[:TOPIC_NAME_LIMIT]


def topic_link(group_id: int, thread_id: int | None) -> str | None:
    """t.me/c links work for members of private supergroups (ids -100XXXXXXXXXX)."""
    internal = str(group_id).removeprefix("-100")
    if thread_id is None or internal == str(group_id):
        return None
    return f"https://t.me/c/{internal}/{thread_id}"


def snippet(text: str | None, limit: int = MAX_SNIPPET) -> str:
    """The text on one line, at most `limit` characters: its beginning and its end
    (bot.texts.shorten_middle)."""
    return shorten_middle(" ".join((text or "").split()), limit, head_share=1 / 3)


def local_time(iso: str, zone: str) -> str:
    """A stored UTC timestamp as "DD.MM.YYYY HH:MM" in `zone`."""
    return dt.datetime.fromisoformat(iso).astimezone(ZoneInfo(zone)).strftime("%d.%m.%Y %H:%M")


def card_text(ticket: Ticket, zone: str, lang: str) -> str:
    """The ticket's summary card (HTML): status, question, recent conversation, rating."""
    e = html.escape
    lines = []
    if ticket.urgent:
        lines.append(f"<b>{e(say('cs_urgent', lang))}</b>")
    language = e(say(f"cs_lang_{ticket.lang}", lang))
    reason = e(say(f"cs_reason_{ticket.reason}", lang))
    lines.append(f"<b>{e(say('cs_ticket', lang))} #{ticket.id}</b> · {language} · {reason}")
    lines.append(f"{e(say('cs_opened', lang))}: {local_time(ticket.created, zone)} ({e(zone)})")
    lines.append(f"{e(say('cs_status', lang))}: {e(status_label(ticket, lang))}")
    if ticket.question:
        question = snippet(ticket.question, MAX_QUESTION)
        lines += ["", f"<b>{e(say('cs_question', lang))}</b>", e(question)]
    if ticket.recent:
        lines += ["", f"<b>{e(say('cs_recent', lang))}</b>"]
        lines += [e(recent_line(item, lang)) for item in ticket.recent]
    if ticket.rating:
        lines += ["", f"{e(say('cs_rating', lang))}: {'⭐' * ticket.rating} ({ticket.rating}/5)"]
    lines += ["", e(say("cs_how_to", lang))]
    return "\n".join(lines)


def status_label(ticket: Ticket, lang: str) -> str:
    if ticket.status == TicketStatus.CLAIMED:
        return say("cs_status_claimed", lang).format(name=ticket.counsellor_name or "?")
    return say(f"cs_status_{ticket.status}", lang)


def recent_line(item: dict[str, Any], lang: str) -> str:
    """One remembered message: „text“ → what the bot did with it."""
    action = item.get("action") or "fallback"
    if action == "relay":  # written to a counsellor during an earlier ticket
        action = "handoff"
    key = f"cs_did_{action}" if f"cs_did_{action}" in MESSAGES else "cs_did_fallback"
    did = say(key, lang).format(entry=item.get("entry_id") or "?")
    said = snippet(item.get("text")) if item.get("text") else "…"
    return f"• „{said}“ → {did}"


def card_buttons(ticket: Ticket, lang: str) -> ButtonRows:
    """Claim (while waiting) and Close, for an open ticket; none for a closed one."""
    if not ticket.is_open:
        return []
    row = []
    if ticket.status == TicketStatus.WAITING:
        row.append([say("cs_btn_claim", lang), f"tk:claim:{ticket.id}"])
    row.append([say("cs_btn_close", lang), f"tk:close:{ticket.id}"])
    return [row]


def alert_text(ticket: Ticket, group_id: int, on_duty: tuple[int, ...], lang: str) -> str:
    """Urgent: a message for the General topic that mentions (notifies) the on-duty ids."""
    mentions = " ".join(
        f'<a href="tg://user?id={uid}">{html.escape(say("cs_on_duty", lang))}</a>'
        for uid in on_duty
    )
    text = html.escape(say("cs_alert", lang).format(id=ticket.id))
    link = topic_link(ticket.group_id or group_id, ticket.thread_id)
    where = f' <a href="{link}">{html.escape(say("cs_open_topic", lang))}</a>' if link else ""
    return f"<b>{html.escape(say('cs_urgent', lang))}</b> {text}{where}\n{mentions}".strip()


def queue_text(open_tickets: list[Ticket], group_id: int, lang: str) -> str:
    """/queue: one line per open ticket, urgent first, with a link to its topic (HTML)."""
    if not open_tickets:
        return html.escape(say("cs_queue_empty", lang))
    lines = [html.escape(say("cs_queue_title", lang).format(count=len(open_tickets)))]
    for ticket in open_tickets:
        minutes = int(ticket.age.total_seconds() // 60)
        age = say("cs_age", lang).format(hours=minutes // 60, minutes=minutes % 60)
        head = f"{'🚨 ' if ticket.urgent else ''}#{ticket.id}"
        link = topic_link(ticket.group_id or group_id, ticket.thread_id)
        head = f'<a href="{link}">{head}</a>' if link else head
        status = html.escape(
            say("cs_status_claimed", lang).format(name=ticket.counsellor_name or "?")
            if ticket.status == TicketStatus.CLAIMED
            else say("cs_status_waiting", lang)
        )
        reason = html.escape(say(f"cs_reason_{ticket.reason}", lang))
        lines.append(f"{head} · {ticket.lang.upper()} · {reason} · {age} · {status}")
    return "\n".join(lines)
