# The two set-up commands of the README: `make run` and `make test`.
# Both install what is missing first (scripts/setup.sh is idempotent).
.PHONY: setup run test lint eval gate bench

setup:
	@bash scripts/setup.sh

run: setup
	@.venv/bin/migbot run

test: setup
	@bash scripts/test.sh

lint: setup
	@.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports

eval: setup
	@.venv/bin/migbot eval bench/dev_questions.jsonl

# The quality floors (bench/quality_floors.yml, docs/quality.md): exit 1 naming each broken one.
gate: setup
	@.venv/bin/migbot gate

bench: setup
	@.venv/bin/python -m bench.latency --rasa
