# Two commands: `make run` and `make test`. Everything else is set up on demand.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
BIN := $(VENV)/bin

.PHONY: run test lint format bench clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv 2>&1 | grep -v 'is ignored' || true

$(VENV)/.installed: pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip install -q --python $(BIN)/python -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip install -q --python $(BIN)/python -e '.[dev]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/alembic upgrade head
	$(BIN)/twinstars seed --if-empty
	$(BIN)/twinstars serve --host $(HOST) --port $(PORT)

# The suite runs on SQLite; with TEST_POSTGRES_URL set (as .ci/run does) it runs again on
# PostgreSQL, each test in a database of its own. The scale-out tests start their own Redis
# and Celery workers (redis-server must be installed), so REDIS_URL is not taken over.
# mypy reads its files and levels from pyproject.toml (strict on solver/).
test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python -m pytest -q
	@if [ -n "$(TEST_POSTGRES_URL)" ]; then \
		echo "== the suite again on PostgreSQL"; \
		env -u REDIS_URL DATABASE_URL="$(TEST_POSTGRES_URL)" $(BIN)/python -m pytest -q; \
	fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache twinstars.db
