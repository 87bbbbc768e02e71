"""The documented admin and CLI paths (README.md, docs/admin.md), run in-process with
the real parser and settings from the environment, on copies of the entries and
temporary data folders.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from bot.answering import Pipeline
from bot.cli import main
from bot.config import Settings
from bot.texts import say
from knowledge_base.index import current_build
from knowledge_base.spreadsheet import COLUMNS
from tests.support.knowledge_base import copy_knowledge_base


@pytest.fixture
def kb_copy(
    base_settings: Settings, pipeline: Pipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Path]:
    """A copy of the entries (with the negatives beside them) and of the served index.

    The index copy is current for the copy of the entries, as the session's is for
    the project's, so the commands see a knowledge base in service.
    """
    entries = copy_knowledge_base(base_settings.entries_dir, tmp_path / "kb")
    data = tmp_path / "data"
    shutil.copytree(base_settings.index_dir, data / "index", symlinks=True)
    monkeypatch.setenv("MIGBOT_KNOWLEDGE_BASE__ENTRIES_DIR", str(entries))
    monkeypatch.setenv("MIGBOT_DATA_DIR", str(data))
    return {"entries": entries, "data": data, "index": data / "index"}


def edit_answer(entries: Path, entry_id: str, first_line: str) -> None:
    path = entries / f"{entry_id}.yml"
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry["en"]["answer"] = first_line + "\n\n" + entry["en"]["answer"]
    path.write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_kb_build_if_needed_only_when_the_entries_changed(kb_copy, capsys) -> None:
    served = current_build(kb_copy["index"])
    assert main(["kb", "build", "--if-needed"]) == 0
    assert capsys.readouterr().out == ""  # current: nothing built
    assert current_build(kb_copy["index"]) == served

    edit_answer(kb_copy["entries"], "remittances", "Compare three providers first.")
    assert main(["kb", "build", "--if-needed"]) == 0
    assert capsys.readouterr().out.startswith("Built ")
    rebuilt = current_build(kb_copy["index"])
    assert rebuilt != served
    assert main(["kb", "build", "--if-needed"]) == 0  # and now current again
    assert current_build(kb_copy["index"]) == rebuilt


def test_kb_diff_details_shows_the_changed_lines(kb_copy, capsys) -> None:
    edit_answer(kb_copy["entries"], "remittances", "Compare three providers first.")
    assert main(["kb", "diff"]) == 0
    short = capsys.readouterr().out
    assert "remittances" in short and "Compare three providers first." not in short
    assert main(["kb", "diff", "--details"]) == 0
    detailed = capsys.readouterr().out
    assert "remittances" in detailed and "Compare three providers first." in detailed
    assert "migbot kb build" in detailed


def test_kb_stale_lists_entries_past_their_review_date(kb_copy, capsys) -> None:
    path = kb_copy["entries"] / "remittances.yml"
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry["reviewed"], entry["review_by"] = "2000-01-01", "2000-03-01"
    path.write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["kb", "stale"]) == 0
    captured = capsys.readouterr()
    assert "2000-01-01  remittances  (review by 2000-03-01)" in captured.out.splitlines()
    assert "due for review" in captured.err


def test_kb_import_dry_run_reports_and_writes_nothing(kb_copy, tmp_path: Path, capsys) -> None:
    book_path = tmp_path / "kb.xlsx"
    assert main(["kb", "export", str(book_path)]) == 0
    book = load_workbook(book_path)
    sheet = book.active
    row = next(
        n
        for n, r in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2)
        if r[0] == "remittances" and r[1] == "en"
    )
    cell = sheet.cell(row, COLUMNS.index("answer") + 1)
    cell.value = "Compare three providers first.\n\n" + cell.value
    book.save(book_path)
    before = {p.name: p.read_bytes() for p in kb_copy["entries"].iterdir()}
    capsys.readouterr()
    assert main(["kb", "import", str(book_path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "remittances" in out and "en.answer" in out
    assert "Dry run: no file was changed." in out
    assert {p.name: p.read_bytes() for p in kb_copy["entries"].iterdir()} == before


def test_chat_reads_questions_from_a_pipe(
    base_settings: Settings, pipeline: Pipeline, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("MIGBOT_DATA_DIR", str(base_settings.data_dir))
    question = "what is circular migration?"
    unanswerable = "what will the weather be in Tbilisi tomorrow?"
    assert pipeline.answer(unanswerable).action == "fallback"
    lines = [question] + [unanswerable] * 3  # unanswered in a row: then a counsellor
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["chat", "--no-rasa"]) == 0
    out = capsys.readouterr().out
    assert pipeline.answer(question).reply in out
    assert "[handoff: in Telegram this chat now goes to a counsellor]" in out


def test_run_without_a_token_falls_back_to_the_local_chat(
    base_settings: Settings, pipeline: Pipeline, rasa_server: dict, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("MIGBOT_DATA_DIR", str(base_settings.data_dir))
    monkeypatch.setenv("MIGBOT_RASA_URL", rasa_server["url"])
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("hi there\n"))
    assert main(["run"]) == 0
    captured = capsys.readouterr()
    assert "No TELEGRAM_BOT_TOKEN set: starting a local chat instead." in captured.err
    assert "local chat" in captured.err
    assert say("greet", "en") in captured.out  # Rasa's greet: the chat runs with Rasa


def test_nlu_train_serve_and_stop_quick_paths(
    rasa_model: Path, rasa_server: dict, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("MIGBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MIGBOT_RASA__PORT", str(rasa_server["port"]))
    assert main(["nlu", "train"]) == 0  # the model for this data exists: no training
    assert capsys.readouterr().out == f"NLU model: {rasa_model}\n"
    assert main(["nlu", "serve"]) == 0  # the session's server serves that model: reused
    assert capsys.readouterr().out == f"Rasa NLU server: {rasa_server['url']}\n"
    assert main(["nlu", "stop"]) == 0  # this data dir started none: the server stays
    assert capsys.readouterr().out == "no server started by migbot is running\n"
    assert rasa_server["process"].poll() is None


def test_nlu_test_under_a_fresh_data_dir(rasa_model: Path, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("MIGBOT_DATA_DIR", str(tmp_path / "fresh"))
    assert main(["nlu", "test"]) == 0
    out = capsys.readouterr().out
    assert "## Held-out set (nlu_test.yml)" in out
    assert "macro F1 " in out
    assert "| ask_human |" in out


def test_gate_exits_1_naming_each_broken_floor(
    base_settings: Settings, pipeline: Pipeline, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("MIGBOT_DATA_DIR", str(base_settings.data_dir))
    floors = tmp_path / "floors.yml"
    floors.write_text(
        "sets:\n  bench/dev_questions.jsonl:\n"
        "    en: {accuracy@1: 1.0, false_answer_rate: 0.0}\n    all: {recall@3: 0.5}\n",
        encoding="utf-8",
    )
    assert main(["gate", "--floors", str(floors), "--no-rasa"]) == 1
    out = capsys.readouterr().out
    assert "bench/dev_questions.jsonl en accuracy@1 " in out and "below the floor 1.0" in out
    assert "bench/dev_questions.jsonl en false_answer_rate " in out
    assert "all recall@3" not in out.split("gate:")[1]  # kept: not named

    floors.write_text("sets:\n  bench/dev_questions.jsonl:\n    xx: {}\n", encoding="utf-8")
    assert main(["gate", "--floors", str(floors), "--no-rasa"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "unknown group 'xx'" in err
