"""The tree shows the architecture: import contracts (import-linter) and private names."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT

PACKAGES = ("bot", "nlu", "knowledge_base")


def test_import_contracts_hold() -> None:
    """pyproject.toml's [tool.importlinter]: one-way rooms, no cycles, no Telegram below."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports)], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def private_imports(path: Path) -> list[str]:
    """`from other.module import _name` in one file: another module's private name."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                if private:
                    found.append(f"{path}:{node.lineno}: {node.module}.{alias.name}")
    return found


def test_no_module_imports_another_modules_private_names() -> None:
    files = [f for package in PACKAGES for f in (PROJECT_ROOT / package).rglob("*.py")]
    assert len(files) > 40
    assert [hit for f in files for hit in private_imports(f)] == []


def test_the_private_name_check_sees_a_private_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from bot.telegram.sending import _background\n", encoding="utf-8")
    assert private_imports(sample) == [f"{sample}:1: bot.telegram.sending._background"]
