#!/usr/bin/env bash
# The whole test suite, as CI runs it: lint, then pytest with the real model,
# real FAISS, real SQLite, a real Rasa server and a fake Telegram server.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
.venv/bin/python -m pytest -q "$@"
