#!/usr/bin/env bash
# The whole test suite, as CI runs it: what `make lint` checks (ruff, formatting),
# the import contracts, then pytest with the real model, real FAISS, real
# SQLite, a real Rasa server and a fake Telegram server; then the quality gate
# (`migbot gate`: the question sets against bench/quality_floors.yml).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports
.venv/bin/python -m pytest -q "$@"
.venv/bin/migbot gate
