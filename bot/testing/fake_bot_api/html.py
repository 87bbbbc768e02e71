"""Telegram's HTML for parse_mode=HTML: the tags it accepts, its errors, the entities.

The rules of https://core.telegram.org/bots/api#html-style: the supported tags and
attributes, the four named character references and numeric ones, entity offsets and
lengths in UTF-16 code units, and Telegram's error texts for what it refuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.testing.fake_bot_api.errors import ApiError, entities_error

_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "tg-emoji": "custom_emoji",
}
_ATTR = r"[A-Za-z][A-Za-z0-9-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?"
_START_TAG = re.compile(rf"<([A-Za-z][A-Za-z0-9-]*)((?:\s+{_ATTR})*)\s*>")
_END_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>")
_ATTRIBUTE = re.compile(
    r"([A-Za-z][A-Za-z0-9-]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+)))?"
)
_CHAR_REFERENCE = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z]{2,6}));")
_PLAIN_RUN = re.compile(r"[^<&]+")
_NAMED_REFERENCES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def utf16_length(text: str) -> int:
    """Telegram measures entity offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _decode_reference(match: re.Match[str]) -> str | None:
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        return _NAMED_REFERENCES.get(name.lower())
    code_point = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if 0 < code_point <= 0x10FFFF and not 0xD800 <= code_point <= 0xDFFF:
        return chr(code_point)
    return None


def _decode_references(text: str) -> str:
    # Unknown references stay literal, as in Telegram's parser.
    return _CHAR_REFERENCE.sub(lambda m: _decode_reference(m) or m.group(0), text)


def _parse_attributes(source: str) -> dict[str, str]:
    attributes = {}
    for match in _ATTRIBUTE.finditer(source):
        value = next((v for v in match.groups()[1:] if v is not None), "")
        attributes[match.group(1).lower()] = _decode_references(value)
    return attributes


@dataclass
class _OpenTag:
    name: str
    attributes: dict[str, str]
    offset: int
    language: str | None = None


class _HtmlParser:
    """Validates parse_mode=HTML text the way Telegram does and derives message entities."""

    def __init__(self, source: str):
        self.source = source
        self.pieces: list[str] = []
        self.position = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    def parse(self) -> tuple[str, list[dict[str, Any]]]:
        index = 0
        while index < len(self.source):
            index = self._step(index)
        if self.stack:
            name = self.stack[-1].name
            raise entities_error(f'Can\'t find end tag corresponding to start tag "{name}"')
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
        return "".join(self.pieces), self.entities

    def _step(self, index: int) -> int:
        if self.source.startswith("</", index):
            return self._end_tag(index)
        if self.source[index] == "<":
            return self._start_tag(index)
        if self.source[index] == "&":
            return self._char_reference(index)
        run = _PLAIN_RUN.match(self.source, index)
        assert run is not None
        self._emit(run.group(0))
        return run.end()

    def _emit(self, text: str) -> None:
        self.pieces.append(text)
        self.position += utf16_length(text)

    def _byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode())

    def _char_reference(self, index: int) -> int:
        match = _CHAR_REFERENCE.match(self.source, index)
        decoded = _decode_reference(match) if match else None
        if match is None or decoded is None:
            self._emit("&")
            return index + 1
        self._emit(decoded)
        return match.end()

    def _start_tag(self, index: int) -> int:
        match = _START_TAG.match(self.source, index)
        offset = self._byte_offset(index)
        if match is None:
            raise self._malformed_start_tag(index, offset)
        name = match.group(1).lower()
        if name not in _TAG_TYPES:
            raise entities_error(f'Unsupported start tag "{name}" at byte offset {offset}')
        attributes = _parse_attributes(match.group(2))
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise entities_error('Tag "span" must have class "tg-spoiler"')
        if name == "tg-emoji" and not attributes.get("emoji-id"):
            raise entities_error('Tag "tg-emoji" must have attribute "emoji-id"')
        self.stack.append(_OpenTag(name, attributes, self.position))
        return match.end()

    def _malformed_start_tag(self, index: int, offset: int) -> ApiError:
        rest = self.source[index:]
        if ">" not in rest:
            return entities_error(f"Unclosed start tag at byte offset {offset}")
        name_match = re.match(r"<([^\s>]*)", rest)
        name = name_match.group(1) if name_match else ""
        return entities_error(f'Unsupported start tag "{name}" at byte offset {offset}')

    def _end_tag(self, index: int) -> int:
        match = _END_TAG.match(self.source, index)
        offset = self._byte_offset(index)
        if match is None:
            problem = "Unclosed" if ">" not in self.source[index:] else "Unsupported"
            raise entities_error(f"{problem} end tag at byte offset {offset}")
        name = match.group(1).lower()
        if not self.stack:
            raise entities_error(f"Unexpected end tag at byte offset {offset}")
        top = self.stack.pop()
        if top.name != name:
            raise entities_error(
                f'Unmatched end tag at byte offset {offset}, expected "</{top.name}>", '
                f'found "</{name}>"'
            )
        self._close(top)
        return match.end()

    def _close(self, tag: _OpenTag) -> None:
        if tag.name == "code" and self.stack and self.stack[-1].name == "pre":
            css_class = tag.attributes.get("class", "")
            if css_class.startswith("language-"):
                self.stack[-1].language = css_class.removeprefix("language-")
                return
        length = self.position - tag.offset
        entity = self._entity_for(tag, length)
        if entity is not None and length > 0:
            self.entities.append(entity)

    @staticmethod
    def _entity_for(tag: _OpenTag, length: int) -> dict[str, Any] | None:
        entity: dict[str, Any] = {"type": _TAG_TYPES[tag.name], "offset": tag.offset}
        entity["length"] = length
        if tag.name == "a":
            if not tag.attributes.get("href"):
                return None
            entity["url"] = tag.attributes["href"]
        elif tag.name == "pre" and tag.language:
            entity["language"] = tag.language
        elif tag.name == "blockquote" and "expandable" in tag.attributes:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.attributes["emoji-id"]
        return entity


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities of Telegram HTML; raises ApiError(400) like Telegram."""
    return _HtmlParser(text).parse()
