"""Load benchmark of the real bot process: simulated users talking to `migbot run` at once.

    .venv/bin/python -m bench.telegram_load [--users 50] [--rate 100] [--duration 20]
        [--messages 6] [--no-rasa] [--seed 7] [--json]

The bot is the product process, `.venv/bin/migbot run`, polling the fake Bot API
(bot/testing/fake_bot_api) through TELEGRAM_API_URL with the fake token. This process plays
Telegram and its users: the fake server (its own thread) and one asyncio task per user.
The bot gets a temporary MIGBOT_DATA_DIR (nothing in var/ is written) whose `index` is a
symlink to the built index, and a per-user flood limit raised out of the way. It uses
Rasa as the product does: the configured server or the one on 127.0.0.1:<rasa.port>,
which `migbot run` starts when none runs (the benchmark then stops it at the end).

A reply is the bot's first sendMessage to the user's chat after the user's message;
latency is between the two, both stamped with this process's monotonic clock. Messages
to a user who is not waiting (a second message of one answer) are counted as extra.
Questions are drawn (seeded) from bench/dev_questions.jsonl, all three scripts.

Phases, each with --users users, after a 5-question warm-up that is not measured:
- commands: /help, /topics, /privacy, --messages each, no think time: the Telegram
  layer (handlers, SQLite, HTTP) without the pipeline;
- questions, saturation: --messages questions each, the next one sent the instant the
  reply arrives: the maximum throughput. Its latency is queueing (Little's law:
  latency = users / throughput), not the bot's speed;
- questions at R msg/s (--rate), for --duration seconds: each user's messages are a
  Poisson process of rate R/users (exponential gaps of mean users/R seconds, counted
  from the previous message), except that a user waits for the reply before the next
  one. Achieved stays near R while replies come well within the gaps; below R, the bot
  is not keeping up.

CPU ms/msg: utime+stime of the process (/proc/<pid>/stat) during the phase, over its
messages. Peak memory: VmHWM of the bot and of the Rasa server (since it started).
--no-rasa: `migbot run` has no setting that turns Rasa off, so this points rasa.venv at a
missing folder and rasa.port at a free port: the bot finds no server, cannot start one
and answers on retrieval alone (the documented behaviour without Rasa).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from bench.procfs import cpu_seconds, listening_pid, peak_rss_mb
from bot.answering.evaluation import read_questions
from bot.config import Settings, load_settings, resolve
from bot.testing.fake_bot_api import DEFAULT_TOKEN, FakeBotApi
from nlu.rasa_server import is_up, model_path, stop_server, training_fingerprint

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ("/help", "/topics", "/privacy")
FLOOD_LIMIT = 1_000_000  # messages per user and minute: the flood guard is not measured
FIRST_USER, WARMUP_USER, WARMUP_QUESTIONS = 10_000, 9_999, 5
REPLY_TIMEOUT, READY_TIMEOUT, STOP_TIMEOUT = 60.0, 600.0, 30.0
POLL_SECONDS = 0.005


@dataclass
class Result:
    phase: str
    messages: int
    offered: float | None  # msg/s; None for the closed loops without think time
    achieved: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    bot_cpu_ms: float | None  # per message
    rasa_cpu_ms: float | None
    harness_cpu_ms: float | None  # this process: users and fake server
    extra_messages: int
    timeouts: int


@dataclass
class Replies:
    """One poller for all users: a waiting user's future gets the time of the bot's next
    sendMessage to their chat; a message to a user who is not waiting counts as extra."""

    api: FakeBotApi
    bot: subprocess.Popen
    seen: int = 0
    extra: int = 0
    waiting: dict[int, asyncio.Future[float]] = field(default_factory=dict)

    def expect(self, user: int) -> asyncio.Future[float]:
        if self.bot.poll() is not None:
            raise RuntimeError(f"the bot died (exit {self.bot.returncode})")
        self.waiting[user] = asyncio.get_running_loop().create_future()
        return self.waiting[user]

    async def run(self) -> None:
        while True:
            if self.bot.poll() is not None:  # fail the waiting users now, not after timeouts
                for future in self.waiting.values():
                    future.done() or future.set_exception(RuntimeError("the bot died"))
            calls, self.seen = self.api.calls_since(self.seen)
            for call in (c for c in calls if c.method.lower() == "sendmessage"):
                future = self.waiting.pop(int(call.chat_id or 0), None)
                if future is None or future.done():
                    self.extra += 1
                else:
                    future.set_result(call.at)
            await asyncio.sleep(POLL_SECONDS)


def percentile_ms(values: list[float], p: float) -> float | None:
    ordered = sorted(values)  # nearest rank
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000 if ordered else None


def rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def questions() -> list[tuple[str, str]]:
    rows = read_questions(ROOT / "bench" / "dev_questions.jsonl")
    return [(row["text"], "en" if row["lang"] == "en" else "ka") for row in rows]


class Bench:
    def __init__(
        self, api: FakeBotApi, bot: subprocess.Popen, rasa: int | None, args: argparse.Namespace
    ):
        self.api, self.bot_pid, self.rasa_pid, self.args = api, bot.pid, rasa, args
        self.replies = Replies(api, bot)
        self.pool = questions()

    async def user(
        self,
        user: int,
        script: list | None,
        think: float,
        deadline: float | None,
        latencies: list[float],
    ) -> int:
        """One user's conversation; returns how many replies never came."""
        rng, timeouts, sent = random.Random(self.args.seed * 100_003 + user), 0, 0

        async def wait_until_next(since: float) -> None:
            # Poisson arrivals counted from the last message sent, not from its reply, so
            # that the offered rate holds; never past the deadline: the phase ends with it.
            if think and deadline:
                next_at = min(since + rng.expovariate(1 / think), deadline)
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))

        await wait_until_next(time.monotonic())
        while (script is None or sent < len(script)) and (
            deadline is None or time.monotonic() < deadline
        ):
            text, lang = script[sent] if script else rng.choice(self.pool)
            reply = self.replies.expect(user)
            started = time.monotonic()  # the fake server stamps calls with time.monotonic()
            self.api.user_sends(user, text, language_code=lang)
            sent += 1
            try:
                latencies.append(await asyncio.wait_for(reply, REPLY_TIMEOUT) - started)
            except TimeoutError:
                self.replies.waiting.pop(user, None)
                timeouts += 1
            await wait_until_next(started)
        return timeouts

    async def phase(self, name: str, scripts: dict | None, offered: float | None) -> Result:
        think = self.args.users / offered if offered else 0.0
        deadline = time.monotonic() + self.args.duration if offered else None
        before = cpu_seconds(self.bot_pid), cpu_seconds(self.rasa_pid), time.process_time()
        extra, latencies, started = self.replies.extra, [], time.monotonic()
        users = range(FIRST_USER, FIRST_USER + self.args.users)
        timeouts = await asyncio.gather(
            *(self.user(u, scripts and scripts[u], think, deadline, latencies) for u in users)
        )
        seconds = time.monotonic() - started
        await asyncio.sleep(0.5)  # late second messages are counted in this phase
        after = cpu_seconds(self.bot_pid), cpu_seconds(self.rasa_pid), time.process_time()
        n = len(latencies)
        cpu = [
            None if a is None or b is None or not n else (a - b) / n * 1e3
            for a, b in zip(after, before, strict=True)
        ]
        ps = [rounded(percentile_ms(latencies, p)) for p in (50, 95, 99)]
        extra, cpu = self.replies.extra - extra, [rounded(c, 2) for c in cpu]
        return Result(name, n, offered, round(n / seconds, 1), *ps, *cpu, extra, sum(timeouts))

    async def run(self) -> list[Result]:
        poller = asyncio.create_task(self.replies.run())
        rng, a = random.Random(self.args.seed), self.args
        await self.user(WARMUP_USER, rng.sample(self.pool, WARMUP_QUESTIONS), 0.0, None, [])
        users = range(FIRST_USER, FIRST_USER + a.users)
        commands = {u: [(rng.choice(COMMANDS), "en") for _ in range(a.messages)] for u in users}
        asked = {u: [rng.choice(self.pool) for _ in range(a.messages)] for u in users}
        results = []
        for name, scripts, offered in [
            ("commands (no pipeline)", commands, None),
            ("questions, saturation", asked, None),
            (f"questions at {a.rate:g} msg/s offered", None, a.rate),
        ]:
            print(f"phase: {name}", file=sys.stderr, flush=True)
            results.append(await self.phase(name, scripts, offered))
        poller.cancel()
        return results


def start_bot(api_url: str, data_dir: Path, no_rasa: bool) -> subprocess.Popen:
    env = dict(
        os.environ,
        TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN,
        TELEGRAM_API_URL=api_url,
        MIGBOT_DATA_DIR=str(data_dir),
        MIGBOT_TELEGRAM__MODE="polling",
        MIGBOT_TELEGRAM__MAX_MESSAGES_PER_MINUTE=str(FLOOD_LIMIT),
    )
    if no_rasa:
        with socket.socket() as probe:  # a port nothing listens on
            probe.bind(("127.0.0.1", 0))
            env.update(
                MIGBOT_RASA_URL="",
                MIGBOT_RASA__PORT=str(probe.getsockname()[1]),
                MIGBOT_RASA__VENV=str(data_dir / "no-rasa-venv"),
            )
    log = (data_dir / "bot.log").open("wb")  # the bot's stdout and stderr
    command = [str(ROOT / ".venv" / "bin" / "migbot"), "run"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until_polling(api: FakeBotApi, bot: subprocess.Popen) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while api.polls_waiting() == 0:  # a getUpdates parked on the fake server
        if bot.poll() is not None or time.monotonic() > deadline:
            bot.kill()
            raise SystemExit(f"the bot did not start polling (exit {bot.wait()})")
        time.sleep(0.2)


def stop_bot(bot: subprocess.Popen) -> str:
    if bot.poll() is not None:
        return f"died (exit {bot.returncode})"
    bot.send_signal(signal.SIGINT)
    try:
        return f"stopped by SIGINT (exit {bot.wait(STOP_TIMEOUT)})"
    except subprocess.TimeoutExpired:
        bot.kill()
        return f"killed: still running {STOP_TIMEOUT:g} s after SIGINT (exit {bot.wait()})"


def log_problems(lines: list[str]) -> dict[str, int]:
    """ERROR and WARNING lines of the bot's log, numbers as N, with their counts."""
    found = Counter(
        re.sub(r"\d+", "N", line.split(" ", 2)[-1][:160])
        for line in lines
        if " ERROR " in line or " WARNING " in line or line.startswith("Traceback")
    )
    return dict(found.most_common(8))


def rasa_url_for(settings: Settings) -> str:
    """The Rasa server the bot will use; refuses to let the bot train a model into var/."""
    url = settings.rasa.url or f"http://127.0.0.1:{settings.rasa.port}"
    model = model_path(resolve(settings.rasa.model_dir), training_fingerprint(settings.rasa_config))
    if not settings.rasa.url and not is_up(url) and not model.exists():
        raise SystemExit(
            f"no Rasa server at {url} and no trained model {model.name}: run "
            "`.venv/bin/migbot nlu train` first, or use --no-rasa"
        )
    return url


def run(args: argparse.Namespace) -> dict:
    from bot.assemble import index_is_current

    settings = load_settings()
    if not index_is_current(settings):  # the bot would rebuild it through the symlink
        raise SystemExit(
            f"the index in {settings.index_dir} is missing or out of date: "
            "run `.venv/bin/migbot kb build` first"
        )
    rasa_url = None if args.no_rasa else rasa_url_for(settings)
    report: dict = {
        "users": args.users,
        "seed": args.seed,
        "cpus": len(os.sched_getaffinity(0)),
        "load_start": os.getloadavg(),
        "flood_limit_per_minute": FLOOD_LIMIT,
    }
    with tempfile.TemporaryDirectory(prefix="migbot-load-") as tmp, FakeBotApi() as api:
        data_dir = Path(tmp)
        (data_dir / "index").symlink_to(settings.index_dir.resolve(), target_is_directory=True)
        print("starting `migbot run`, waiting for its first getUpdates…", file=sys.stderr)
        bot = start_bot(api.url, data_dir, args.no_rasa)

        def log() -> list[str]:
            return (data_dir / "bot.log").read_text(errors="replace").splitlines()

        try:
            wait_until_polling(api, bot)
            if rasa_url and any("retrieval only" in line for line in log()):
                print("warning: the bot found no Rasa server: retrieval only", file=sys.stderr)
                rasa_url = None
            rasa = listening_pid(urlparse(rasa_url).port or 80) if rasa_url else None
            report["phases"] = [asdict(r) for r in asyncio.run(Bench(api, bot, rasa, args).run())]
            report["peak_rss_mb"] = {"bot": peak_rss_mb(bot.pid), "rasa": peak_rss_mb(rasa)}
        finally:
            report["bot"] = stop_bot(bot)
            if started := (data_dir / "rasa" / "rasa.pid").exists():
                stop_server(data_dir / "rasa")  # what `migbot nlu stop` does, in our data dir
            report["bot_log_problems"] = log_problems(log())
            if report["bot"].startswith("died") or any(" ERROR " in line for line in log()):
                print("the bot's log, tail:\n" + "\n".join(log()[-30:]), file=sys.stderr)
    report["load_end"] = os.getloadavg()
    report["rasa"] = rasa_url and {"url": rasa_url, "pid": rasa, "started_by_the_bot": started}
    return report


def markdown(report: dict) -> str:
    def cell(value: float | None, digits: int = 0) -> str:
        return "-" if value is None else f"{value:.{digits}f}"

    lines = [
        f"| phase ({report['users']} users) | messages | offered msg/s | achieved msg/s "
        "| p50 ms | p95 ms | p99 ms | bot CPU ms/msg | Rasa CPU ms/msg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["phases"]:
        cells = [r["phase"], str(r["messages"]), cell(r["offered"]), cell(r["achieved"], 1)]
        cells += [cell(r[k]) for k in ("p50_ms", "p95_ms", "p99_ms")]
        cells += [cell(r["bot_cpu_ms"], 1), cell(r["rasa_cpu_ms"], 1)]
        lines.append("| " + " | ".join(cells) + " |")
    phases, rasa, peak = report["phases"], report["rasa"], report["peak_rss_mb"]
    used = "none (--no-rasa: retrieval only)"
    if rasa:
        how = "started by the bot for this run, then stopped"
        if not rasa["started_by_the_bot"]:
            how = "already running, not started by this run"
        used = f"{rasa['url']} (pid {rasa['pid']}), {how}"
    load = [" ".join(f"{x:.2f}" for x in report[k]) for k in ("load_start", "load_end")]
    lines += [
        "",
        "- saturation: its latency is queueing (users / throughput), not the bot's speed.",
        "- per phase: extra messages (a second message of one answer) "
        + ", ".join(str(r["extra_messages"]) for r in phases)
        + "; replies that never came "
        + ", ".join(str(r["timeouts"]) for r in phases)
        + "; CPU ms/msg of this process (users and fake server) "
        + ", ".join(cell(r["harness_cpu_ms"], 1) for r in phases)
        + ".",
        f"- flood guard raised to {FLOOD_LIMIT}/min per user "
        "(MIGBOT_TELEGRAM__MAX_MESSAGES_PER_MINUTE): it is not what is measured.",
        f"- Rasa: {used}.",
        f"- bot: `.venv/bin/migbot run`, temporary data dir, index symlinked; {report['bot']}.",
        f"- peak RSS (VmHWM): bot {cell(peak['bot'])} MB"
        + (f", Rasa {cell(peak['rasa'])} MB (since it started)." if rasa else "."),
        f"- machine: {report['cpus']} CPUs, load average {load[0]} at start, {load[1]} at end.",
    ]
    lines += [f"- bot log, {n}x: {text}" for text, n in report["bot_log_problems"].items()]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--messages", type=int, default=6, help="per user, closed-loop phases")
    parser.add_argument("--rate", type=float, default=100.0, help="offered msg/s, last phase")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds, last phase")
    parser.add_argument("--no-rasa", action="store_true", help="retrieval only (see above)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    report = run(args)
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
