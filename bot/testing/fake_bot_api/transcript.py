"""The conversation as readable lines, the way a test or a person reads it.

User1001: rogor vimushao polonetshi
bot: In Poland you need a work permit...
     [Yes] [No]
"""

from __future__ import annotations

from typing import Any


def button_labels(markup: Any) -> list[str]:
    """The labels of an inline or reply keyboard's buttons, row by row; [] for no keyboard."""
    if not isinstance(markup, dict):
        return []
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    return [_button_text(button) for row in rows for button in row]


def _button_text(button: Any) -> str:
    return button if isinstance(button, str) else str(button.get("text", ""))


def _describe_content(message: dict[str, Any]) -> str:
    caption = f" {message['caption']}" if message.get("caption") else ""
    if "text" in message:
        return message["text"]
    if "photo" in message:
        return f"[photo]{caption}"
    if "document" in message:
        return f"[document {message['document'].get('file_name', '')}]{caption}"
    if "voice" in message:
        return f"[voice {message['voice'].get('duration', 0)}s]{caption}"
    if "sticker" in message:
        return f"[sticker {message['sticker'].get('emoji', '')}]"
    if "location" in message:
        location = message["location"]
        return f"[location {location['latitude']}, {location['longitude']}]"
    return "[message]"


def _keyboard_lines(markup: Any) -> list[str]:
    if not isinstance(markup, dict):
        return []
    if "inline_keyboard" in markup:
        rows, prefix = markup["inline_keyboard"], ""
    elif "keyboard" in markup:
        rows, prefix = markup["keyboard"], "keyboard: "
    else:
        return []
    return [prefix + " ".join(f"[{_button_text(b)}]" for b in row) for row in rows]


def transcript_lines(speaker: str, message: dict[str, Any], markup: Any = None) -> str:
    """`speaker: content` (the topic when in one), then the keyboard's rows of [label]s."""
    thread = message.get("message_thread_id")
    head = f"{speaker}{f' (topic {thread})' if thread else ''}: "
    indent = " " * len(head)
    body = _describe_content(message).split("\n")
    lines = [head + body[0]] + [indent + line for line in body[1:]]
    lines += [indent + line for line in _keyboard_lines(markup)]
    return "\n".join(lines)
