"""A copy of the knowledge base as an admin edits it: the entries folder with the
files the index is built from beside it (negatives, calibration)."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.assemble import CALIBRATION_FILE
from knowledge_base.entries import NEAR_MISSES_FILE, OUT_OF_SCOPE_FILE


def copy_knowledge_base(entries_dir: Path, root: Path) -> Path:
    """Copy `entries_dir` to root/entries and its neighbours (out_of_scope.yml,
    near_misses.yml, calibration.json) to root; returns root/entries. Without the
    neighbours a build would learn no negatives and tune the encoder anew."""
    entries = root / "entries"
    shutil.copytree(entries_dir, entries)
    for beside in (OUT_OF_SCOPE_FILE, NEAR_MISSES_FILE, CALIBRATION_FILE):
        shutil.copy(entries_dir.parent / beside, root / beside)
    return entries
