"""Record a demo conversation with the real bot through the fake Bot API.

    .venv/bin/python -m bench.record_demo [--out docs/demo-conversation.md]

Plays scripted conversations (Georgian, Latin-typed Georgian, English, the
menu, feedback, a sticker, an emergency, /forget) against the real
Application and pipeline (retrieval only, no Rasa) and writes the fake
server's transcripts as Markdown.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.assemble import build_application  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.telegram.app import polling  # noqa: E402
from bot.testing.fake_bot_api import DEFAULT_TOKEN, FakeBotApi  # noqa: E402

WAIT = 60.0


class Driver:
    def __init__(self, api: FakeBotApi, user_id: int, language_code: str):
        self.api, self.user, self.language_code = api, user_id, language_code

    def _count(self) -> int:
        return len(self.api.bot_messages(self.user))

    async def _settle(self, before: int, expect: int) -> dict[str, Any]:
        found = await self.api.async_wait_for_messages(self.user, before + expect, WAIT)
        return found[-1]

    async def send(self, text: str = "", kind: str = "text") -> dict[str, Any]:
        before = self._count()
        self.api.user_sends(self.user, text, kind=kind, language_code=self.language_code)
        return await self._settle(before, 1)

    async def press(self, message: dict[str, Any], data: str, new_message: bool = True) -> dict:
        before = self._count()
        calls = len(self.api.sent(self.user))
        self.api.user_presses(self.user, message, data)
        if new_message:
            return await self._settle(before, 1)
        await self.api.async_wait_for(lambda: len(self.api.sent(self.user)) > calls + 1, WAIT)
        await asyncio.sleep(0.2)
        return self.api.message(self.user, message["message_id"])


def button(message: dict[str, Any], prefix: str) -> str | None:
    """The first button's data starting with `prefix`; None when the reply has none
    (a "not sure" reply has no feedback buttons)."""
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return next(
        (b["callback_data"] for row in rows for b in row if b["callback_data"].startswith(prefix)),
        None,
    )


async def georgian(api: FakeBotApi) -> None:
    nino = Driver(api, 501, "ka")
    welcome = await nino.send("/start")
    await nino.press(welcome, "lang:ka")
    answer = await nino.send("როგორ ვიმუშაო პოლონეთში კანონიერად?")
    feedback = button(answer, "fb:+:") or button(answer, "e:")
    if feedback:
        await nino.press(answer, feedback, new_message=feedback.startswith("e:"))
    await nino.send("rogor gavigo saagento kanonieria tu ara")
    await nino.send("/counsellor")
    await nino.send("", kind="sticker")
    await nino.send("pasporti wamartva damsaqmebelma da ar mabrunebs")


async def english(api: FakeBotApi) -> None:
    giorgi = Driver(api, 502, "en")
    welcome = await giorgi.send("/start")
    await giorgi.press(welcome, "lang:en")
    menu = await giorgi.send("/topics")
    risks = await giorgi.press(menu, "cat:risks", new_message=False)
    answer = await giorgi.press(risks, "e:fake-job-offers")
    related = button(answer, "e:")
    if related:
        await giorgi.press(answer, related)
    await giorgi.send("/counsellor")
    await giorgi.send("<b>is this agency legit?</b> they want 2000 & my passport")
    await giorgi.send("what will the weather be in batumi tomorrow")
    await giorgi.send("/privacy")
    confirm = await giorgi.send("/forget")
    await giorgi.press(confirm, "forget:yes", new_message=False)


async def record(out: Path) -> None:
    from bot.assemble import build_pipeline

    base = load_settings()
    pipeline = build_pipeline(base, with_rasa=False)
    with FakeBotApi() as api, tempfile.TemporaryDirectory() as data_dir:
        telegram = dataclasses.replace(base.telegram, api_url=api.url)
        settings = dataclasses.replace(base, data_dir=Path(data_dir), telegram=telegram)
        app = build_application(settings, pipeline, DEFAULT_TOKEN)
        async with polling(app, poll_timeout=1.0):
            await georgian(api)
            await english(api)
        parts = [
            "# Demo conversation",
            "",
            "Recorded from the fake Bot API by `bench/record_demo.py` (regenerate with "
            "`.venv/bin/python -m bench.record_demo`). The real bot and pipeline (retrieval "
            "only, no Rasa); buttons are shown as `[label]`, the user's presses as "
            "`pressed [label]`, toasts as `bot (notice)`.",
            "",
            "## In Georgian (Mkhedruli and Latin letters)",
            "",
            "```text",
            api.transcript(501),
            "```",
            "",
            "## In English: menu, related topics, HTML characters, privacy, /forget",
            "",
            "```text",
            api.transcript(502),
            "```",
            "",
        ]
    out.write_text("\n".join(parts), encoding="utf-8")
    print(f"wrote {out}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "demo-conversation.md")
    asyncio.run(record(parser.parse_args().out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
