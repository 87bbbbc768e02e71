"""Load on the counsellor relay: many tickets at once, messages both ways, injected errors.

    .venv/bin/python -m bench.handoff_load [--tickets 20] [--messages 10] [--error-every 10]
        [--delete-every 5]

The real bot (PTB Application, SQLite outbox, relay worker) talks to the fake
Bot API. Phase 1: every citizen asks for a counsellor at once; measured until
every topic has its summary card. Phase 2: in every ticket the citizen and a
counsellor each send `--messages` messages, interleaved; measured until every
one has been copied to the other side. Meanwhile the fake server fails about
one call in `--error-every` (three 5xx for each 429 with retry_after 1 s), and
per-chat 429s (one chat, a citizen's or the group, at a time). The configured group
id is a basic group that was migrated to a forum supergroup before the start (the
bot must follow it), and at the start of phase 2 the topics of every
`--delete-every`-th ticket are deleted in the app (the bot must open new ones; no
update tells it).

Checks: every message delivered exactly once, in order within its ticket,
and no outbox row left unsent.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import itertools
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.assemble import build_application  # noqa: E402
from bot.config import CounsellorSettings, OfficeHours, load_settings  # noqa: E402
from bot.telegram.app import polling  # noqa: E402
from bot.telegram.context import services_of  # noqa: E402
from bot.testing.fake_bot_api import DEFAULT_TOKEN, FakeBotApi  # noqa: E402

FIRST_CITIZEN, FIRST_COUNSELLOR = 300_001, 900_001
TIMEOUT = 600.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def inject_errors(
    api: FakeBotApi, every: int, stop: asyncio.Event, chats: list[int]
) -> dict[str, int]:
    """Fail about one Bot API call in `every` with a 5xx, one in 4 * `every` with a 429.

    Faults are injected as traffic goes by (not on a timer), so that they do not pile
    up while the bot is idle and then fail every call.
    """
    counts = {"5xx": 0, "429": 0, "chat 429": 0}
    last = len(api.sent())
    while not stop.is_set():
        await asyncio.sleep(0.02)
        calls = len(api.sent())
        if calls - last < every:
            continue
        last = calls
        if counts["5xx"] % 8 == 5:  # one chat's limit: only calls for it fail
            api.inject_error("*", 429, retry_after=2, times=1, chat_id=random.choice(chats))
            counts["chat 429"] += 1
        elif counts["5xx"] % 4 == 3:
            api.inject_error("*", 429, retry_after=1, times=1)
            counts["429"] += 1
        else:
            api.inject_error("*", random.choice([500, 502, 503]), times=1)
        counts["5xx"] += 1
    counts["5xx"] -= counts["429"] + counts["chat 429"]
    return counts


def topic_of(api: FakeBotApi, ticket_id: int, group: int) -> int | None:
    for thread, topic in api.topics(group).items():
        if f"#{ticket_id} " in topic["name"]:
            return thread
    return None


def delivered_at(api: FakeBotApi) -> dict[tuple[int, int], list[float]]:
    """(source chat, source message id) -> times of its successful copies."""
    found: dict[tuple[int, int], list[float]] = {}
    for call in api.sent(None, "copyMessage"):
        if call.ok:
            source = (int(call.params["from_chat_id"]), int(call.params["message_id"]))
            found.setdefault(source, []).append(call.at)
    return found


async def run(args: argparse.Namespace) -> int:
    from bot.assemble import build_pipeline

    base = load_settings()
    pipeline = build_pipeline(base, with_rasa=False)
    with tempfile.TemporaryDirectory() as data_dir, FakeBotApi() as api:
        configured = api.create_group("Counsellors (before the migration)", kind="group")
        group = api.migrate_group(configured)
        hours = OfficeHours(days=(1, 2, 3, 4, 5, 6, 7), start="00:00", end="24:00")
        settings = dataclasses.replace(
            base,
            data_dir=Path(data_dir),
            telegram=dataclasses.replace(base.telegram, api_url=api.url),
            counsellors=CounsellorSettings(chat_id=configured, office_hours=hours),
        )
        app = build_application(settings, pipeline, DEFAULT_TOKEN)
        citizens = [FIRST_CITIZEN + n for n in range(args.tickets)]
        async with polling(app, poll_timeout=1.0):
            stop = asyncio.Event()
            chats = [group, *citizens]
            errors = asyncio.create_task(inject_errors(api, args.error_every, stop, chats))

            started = time.monotonic()
            for citizen in citizens:
                api.user_sends(citizen, "counsellor", language_code="en")
            store = services_of(app).store

            def ticket_rows() -> list[dict]:
                return [t.__dict__ for t in store.tickets.open_tickets()]

            await api.async_wait_for(
                lambda: (
                    len(ticket_rows()) == args.tickets
                    and sum(1 for r in ticket_rows() if r["card_message_id"]) == args.tickets
                ),
                TIMEOUT,
            )
            open_seconds = time.monotonic() - started
            ticket_of = {r["chat_id"]: r["id"] for r in ticket_rows()}
            threads = {c: topic_of(api, ticket_of[c], group) for c in citizens}
            deleted = citizens[:: args.delete_every] if args.delete_every else []
            for citizen in deleted:
                api.user_deletes_topic(group, threads[citizen])

            async def new_topic(citizen: int) -> int:
                """The topic the bot opened for a ticket whose topic was deleted."""
                old = threads[citizen]
                ticket = ticket_of[citizen]
                return await api.async_wait_for(
                    lambda: next(
                        (t.thread_id for t in store.tickets.open_tickets()
                         if t.id == ticket and t.thread_id != old),
                        None,
                    ),
                    TIMEOUT,
                )  # fmt: skip

            sent_at: dict[tuple[int, int], float] = {}  # (source chat, source id) -> time
            order: dict[int, list[tuple[int, int]]] = {c: [] for c in citizens}  # to the group
            replies: dict[int, list[tuple[int, int]]] = {c: [] for c in citizens}  # to citizen
            started = time.monotonic()
            for n in range(args.messages):
                for index, citizen in enumerate(citizens):
                    m = api.user_sends(citizen, f"c{citizen}-{n}", language_code="en")
                    sent_at[(citizen, m["message_id"])] = time.monotonic()
                    order[citizen].append((citizen, m["message_id"]))
                    if n == 0 and citizen in deleted:  # the counsellor finds the new topic
                        threads[citizen] = await new_topic(citizen)
                    g = api.group_member_sends(
                        group, FIRST_COUNSELLOR + index, f"g{citizen}-{n}",
                        message_thread_id=threads[citizen],
                    )  # fmt: skip
                    sent_at[(group, g["message_id"])] = time.monotonic()
                    replies[citizen].append((group, g["message_id"]))
                await asyncio.sleep(0.01)
            total = 2 * args.tickets * args.messages

            def all_delivered() -> bool:
                copied = delivered_at(api)
                return all(source in copied for source in sent_at)

            await api.async_wait_for(all_delivered, TIMEOUT)
            relay_seconds = time.monotonic() - started
            stop.set()
            injected = await errors
            await asyncio.sleep(0.5)
            statuses = list(store.outbox.counts().items())
            relay = app.bot_data["relay"]
            retried, failed = relay.retried, relay.failed

        latencies, duplicates, out_of_order = [], 0, 0
        copied = delivered_at(api)
        lost = sum(1 for source in sent_at if source not in copied)
        for citizen in citizens:
            for sources in (order[citizen], replies[citizen]):
                times = [copied[s][0] for s in sources]
                duplicates += sum(len(copied[s]) - 1 for s in sources)
                out_of_order += sum(1 for a, b in itertools.pairwise(times) if b < a)
                latencies += [copied[s][0] - sent_at[s] for s in sources]

    print(f"tickets opened: {args.tickets} in {open_seconds:.2f} s (topic + summary card each)")
    print(
        f"messages relayed: {total} ({args.messages} each way per ticket) in {relay_seconds:.2f} s"
        f" = {total / relay_seconds:.1f} msg/s"
    )
    print(
        f"latency send->copy: p50 {percentile(latencies, 50) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    print(
        f"injected errors: {injected['5xx']} x 5xx, {injected['429']} x 429 (retry_after 1 s),"
        f" {injected['chat 429']} x 429 for one chat (retry_after 2 s),"
        f" about 1 call in {args.error_every}"
    )
    print(
        "group: the configured basic group had migrated to a supergroup: followed; "
        f"topics deleted mid-run: {len(deleted)}, each reopened by the bot"
    )
    print(f"relay retries: {retried}, permanent failures: {failed}")
    print(f"lost: {lost}, duplicates: {duplicates}, out of order: {out_of_order}")
    print(f"outbox: {dict(statuses)}")
    ok = lost == 0 and duplicates == 0 and out_of_order == 0 and dict(statuses).keys() == {"sent"}
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=20)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--error-every", type=int, default=10, metavar="CALLS")
    parser.add_argument("--delete-every", type=int, default=5, metavar="TICKETS")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
