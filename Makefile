# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The tests' PostgreSQL: P2K2_TEST_POSTGRES_URL=<url> uses that server, =skip skips it,
# =embedded starts a throwaway one from a wheel; unset, the server on 127.0.0.1:5432, or the
# throwaway one if none answers there.

.PHONY: run test lint typecheck pytest bench migrate clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) not found; set PYTHON=python3"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

# Without a TELEGRAM_BOT_TOKEN (environment or .env) `make run` starts the local simulator.
run: $(STAMP)
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ] || grep -Eqs '^[[:space:]]*(export[[:space:]]+)?TELEGRAM_BOT_TOKEN[[:space:]]*=[[:space:]]*[^[:space:]#]' .env; then \
		$(BIN)/p2k2 run; \
	else \
		echo "No TELEGRAM_BOT_TOKEN set: starting the simulator instead of the real bot."; \
		$(BIN)/p2k2 simulate; \
	fi

migrate: $(STAMP)
	$(BIN)/p2k2 db upgrade

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# Workers for pytest-xdist: the tests mostly wait, so more workers than cores pay off.
PYTEST_WORKERS ?= 4

# worksteal: a worker that runs out takes queued tests from a busy one, so a few long tests
# (the button fuzz, the flood tests) do not leave one worker finishing alone.
# Compiled modules are cached (PYTHONDONTWRITEBYTECODE set in the environment is cleared for
# the run), and compiled once before the workers start: otherwise every worker compiles every
# module and rewrites every test module again, about half of a worker's start-up.
pytest: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m compileall -q -x '/\.' .
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
