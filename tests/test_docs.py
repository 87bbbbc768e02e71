"""Docs that cannot drift from the code.

1. Every `migbot ...` command line in README.md and docs/admin.md parses with the
   real parser (`bot.cli.build_parser`) with the flags it is documented with:
   the lines of fenced code blocks, and inline code spans. A code span naming
   only a verb group (`migbot kb`) is a mention, and must name a real group.
2. Every figure table in docs/quality.md (a Markdown table with a number in its
   body) is preceded by the command that reproduces it. The convention: between
   the table and the previous table (or heading), at most COMMAND_DISTANCE lines
   above it, a fenced code block or an inline code span holding a `migbot`,
   `python -m bench...` or `python bench/...` command; or a line beginning
   "Historical:" saying why no current command reproduces the table. The
   `migbot` commands found there must parse too.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest

from bot.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
COMMAND_DOCS = ["README.md", "docs/admin.md"]
COMMAND_DISTANCE = 30
SHELL_OPERATORS = {"|", "||", "&&", ";", ">", ">>", "<", "2>", "&"}
MIGBOT = re.compile(r"(?:^|\s|/)migbot(?=\s|$)")
FIGURE_COMMAND = re.compile(r"(?:^|[\s/`$])(?:migbot\s|python -m bench|python bench/)")


def fenced_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) of every line inside ``` fences."""
    inside, lines = False, []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("```"):
            inside = not inside
        elif inside:
            lines.append((number, line))
    return lines


def code_spans(text: str) -> list[tuple[int, str]]:
    """(line number, text) of every inline code span outside fences, whitespace folded."""
    outside = re.sub(r"```.*?```", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return [
        (outside.count("\n", 0, m.start()) + 1, " ".join(m.group(1).split()))
        for m in re.finditer(r"`([^`]+)`", outside)
    ]


def migbot_arguments(line: str) -> list[str] | None:
    """The arguments after `migbot` on a shell line, up to a shell operator or comment."""
    if not MIGBOT.search(line):
        return None
    words = shlex.split(line.removeprefix("$ "), comments=True)
    for position, word in enumerate(words):
        if word == "migbot" or word.endswith("/migbot"):
            arguments = []
            for argument in words[position + 1 :]:
                if argument in SHELL_OPERATORS:
                    break
                arguments.append(argument)
            return arguments
    return None


def parse_error(arguments: list[str]) -> str | None:
    """None when the real parser accepts the arguments, else its message."""
    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr):
            build_parser().parse_args(arguments)
    except SystemExit:
        return stderr.getvalue().strip().splitlines()[-1]
    return None


def names_a_group(arguments: list[str]) -> bool:
    """True for a bare verb group, like `migbot kb` or `migbot nlu`."""
    parser = build_parser()
    for word in arguments:
        choices = next(
            (a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)),
            None,
        )
        if not choices or word not in choices:
            return False
        parser = choices[word]
    return any(isinstance(a, argparse._SubParsersAction) for a in parser._actions)


def documented_commands() -> list[tuple[str, list[str]]]:
    commands = []
    for name in COMMAND_DOCS:
        text = (ROOT / name).read_text(encoding="utf-8")
        for number, line in fenced_lines(text):
            arguments = migbot_arguments(line)
            if arguments is not None:
                commands.append((f"{name}:{number}: {line.strip()}", arguments))
        for number, span in code_spans(text):
            if span.startswith("migbot ") and not span.endswith(":"):
                arguments = migbot_arguments(span)
                if arguments is not None:
                    commands.append((f"{name}:{number}: `{span}`", arguments))
    return commands


COMMANDS = documented_commands()


def test_the_docs_document_commands():
    assert len(COMMANDS) > 20  # the extraction finds them


@pytest.mark.parametrize(("where", "arguments"), COMMANDS, ids=[w for w, _ in COMMANDS])
def test_every_documented_command_parses(where: str, arguments: list[str]):
    error = parse_error(arguments)
    if error is not None and names_a_group(arguments):
        return
    assert error is None, f"{where}: {error}"


def figure_tables(lines: list[str]) -> list[int]:
    """Indexes of the header rows of Markdown tables with a number in a body cell."""
    starts, index = [], 0
    while index < len(lines):
        separator = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if lines[index].startswith("|") and re.match(r"^\|[-:| ]+\|$", separator):
            body = []
            end = index + 2
            while end < len(lines) and lines[end].startswith("|"):
                body.append(lines[end])
                end += 1
            if any(re.search(r"\|\s*\**\d", row) for row in body):
                starts.append(index)
            index = end
            continue
        index += 1
    return starts


def reproducing_command(lines: list[str], header: int) -> str | None:
    """The command (or Historical: line) above a table, per the module's convention."""
    inside = False
    block_lines = set()
    for number, line in enumerate(lines[:header]):
        if line.lstrip().startswith("```"):
            inside = not inside
        elif inside:
            block_lines.add(number)
    for number in range(header - 1, max(-1, header - 1 - COMMAND_DISTANCE), -1):
        line = lines[number]
        if line.startswith("|") or (line.startswith("#") and number not in block_lines):
            return None
        if line.startswith("Historical:"):
            return line
        if number in block_lines and FIGURE_COMMAND.search(line):
            return line
        for span in re.findall(r"`([^`]+)`", line):
            if FIGURE_COMMAND.search(" " + span):
                return span
    return None


QUALITY = (ROOT / "docs" / "quality.md").read_text(encoding="utf-8").splitlines()
TABLES = figure_tables(QUALITY)


def test_quality_md_has_figure_tables():
    assert len(TABLES) >= 5


@pytest.mark.parametrize("header", TABLES, ids=[f"docs/quality.md:{n + 1}" for n in TABLES])
def test_every_figure_table_follows_its_command(header: int):
    command = reproducing_command(QUALITY, header)
    assert command is not None, (
        f"docs/quality.md:{header + 1}: no command (or 'Historical:' line) "
        f"in the {COMMAND_DISTANCE} lines above this table"
    )
    arguments = migbot_arguments(command)
    if arguments is not None:
        assert parse_error(arguments) is None, f"docs/quality.md:{header + 1}: {command}"


def test_the_convention_on_hand_made_text():
    lines = [
        "## A",
        "```sh",
        ".venv/bin/migbot eval bench/dev_questions.jsonl",
        "```",
        "",
        "| a | b |",
        "|---|---|",
        "| x | 0.5 |",
        "",
        "Text without a command.",
        "",
        "| a | b |",
        "|---|---|",
        "| y | 1 |",
        "",
        "Historical: the code that made it is gone.",
        "| a | b |",
        "|---|---|",
        "| z | 2 |",
    ]
    assert figure_tables(lines) == [5, 11, 16]
    assert reproducing_command(lines, 5) == ".venv/bin/migbot eval bench/dev_questions.jsonl"
    assert reproducing_command(lines, 11) is None  # the previous table ends the search
    assert reproducing_command(lines, 16).startswith("Historical:")


def test_scripts_name_only_docs_that_exist():
    for script in (ROOT / "scripts").glob("*.sh"):
        for name in re.findall(r"docs/[\w.-]+\.md", script.read_text(encoding="utf-8")):
            assert (ROOT / name).exists(), f"{script.name} names {name}, which does not exist"
