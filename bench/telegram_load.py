"""Load test: simulated users talking to the real bot at once through the fake Bot API.

    .venv/bin/python -m bench.telegram_load [--users 50] [--messages 4]

Two phases, each with every user talking concurrently and waiting for each
reply before sending the next message:
- "commands": /help, /topics, /privacy: the Telegram layer alone (handlers,
  storage, HTTP to the fake server), no pipeline;
- "questions": free-text questions from bench/dev_questions.jsonl (all three
  scripts): the whole path, pipeline included (retrieval only, no Rasa).
Then the pipeline alone, sequentially, on the same questions, to show where
the time goes. Peak memory is the whole process (bot, model, fake server).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings, load_settings  # noqa: E402
from bot.telegram_app import build_application, polling  # noqa: E402
from tests.fake_bot_api import DEFAULT_TOKEN, FakeBotApi  # noqa: E402

COMMANDS = ["/help", "/topics", "/privacy"]
REPLY_TIMEOUT = 120.0


@dataclasses.dataclass
class Phase:
    name: str
    latencies: list[float]
    seconds: float

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def questions() -> list[str]:
    lines = (ROOT / "bench" / "dev_questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


class Replies:
    """Resolves each user's wait when the bot's next sendMessage to them is recorded.

    One poller for all users: the fake server's own waiters would make every
    user re-scan every message on every change, and the harness would measure itself.
    """

    def __init__(self, api: FakeBotApi):
        self.api = api
        self.seen = 0
        self.waiting: dict[int, asyncio.Future[float]] = {}

    def expect(self, user_id: int) -> asyncio.Future[float]:
        future = asyncio.get_running_loop().create_future()
        self.waiting[user_id] = future
        return future

    async def run(self) -> None:
        while True:
            calls = self.api.sent(method="sendMessage")
            for call in calls[self.seen :]:
                future = self.waiting.pop(int(call.chat_id), None)
                if future and not future.done():
                    future.set_result(call.at)
            self.seen = len(calls)
            await asyncio.sleep(0.002)


async def user_session(api: FakeBotApi, replies: Replies, user_id: int, texts: list[str]):
    latencies = []
    for text in texts:
        reply = replies.expect(user_id)
        started = time.monotonic()  # the fake server stamps calls with time.monotonic()
        api.user_sends(user_id, text, language_code="en")
        answered_at = await asyncio.wait_for(reply, REPLY_TIMEOUT)
        latencies.append(answered_at - started)
    return latencies


async def run_phase(
    name: str, settings: Settings, pipeline, api: FakeBotApi, scripts: dict[int, list[str]]
) -> Phase:
    api.reset()
    app = build_application(settings, pipeline, DEFAULT_TOKEN)
    replies = Replies(api)
    async with polling(app, poll_timeout=1.0):
        poller = asyncio.create_task(replies.run())
        started = time.perf_counter()
        results = await asyncio.gather(
            *(user_session(api, replies, user, texts) for user, texts in scripts.items())
        )
        seconds = time.perf_counter() - started
        poller.cancel()
    return Phase(name, [x for r in results for x in r], seconds)


def pipeline_alone(pipeline, texts: list[str]) -> Phase:
    latencies = []
    started = time.perf_counter()
    for text in texts:
        began = time.perf_counter()
        pipeline.answer(text)
        latencies.append(time.perf_counter() - began)
    return Phase("pipeline alone (1 thread)", latencies, time.perf_counter() - started)


def table(phases: list[Phase], users: int) -> str:
    lines = [
        f"| phase ({users} users) | messages | msg/s | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for phase in phases:
        lines.append(
            f"| {phase.name} | {len(phase.latencies)} | {phase.rate:.1f} | "
            f"{phase.percentile(50):.0f} | {phase.percentile(95):.0f} |"
        )
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> None:
    from bot.services import build_pipeline

    base = load_settings()
    pipeline = build_pipeline(base, with_rasa=False)
    rng = random.Random(7)
    pool = questions()
    with FakeBotApi() as api, tempfile.TemporaryDirectory() as data_dir:
        telegram = dataclasses.replace(base.telegram, api_url=api.url)
        settings = dataclasses.replace(base, data_dir=Path(data_dir), telegram=telegram)
        users = range(10_000, 10_000 + args.users)
        command_scripts = {u: [rng.choice(COMMANDS) for _ in range(args.messages)] for u in users}
        question_scripts = {u: rng.sample(pool, args.messages) for u in users}
        phases = [
            await run_phase("commands (no pipeline)", settings, pipeline, api, command_scripts),
            await run_phase("questions (pipeline)", settings, pipeline, api, question_scripts),
        ]
    phases.append(pipeline_alone(pipeline, rng.sample(pool, min(len(pool), 100))))
    print(table(phases, args.users))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (max RSS, whole process): {peak_mb:.0f} MB")
    print(f"CPUs: {len(__import__('os').sched_getaffinity(0))}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--messages", type=int, default=4, help="per user and phase")
    asyncio.run(main_async(parser.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
