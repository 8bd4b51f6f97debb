# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test lint system-deps clean

# Test processes (pytest-xdist): one per core by default.
TEST_JOBS ?= auto

# python-magic needs the C library libmagic (Debian/Ubuntu: libmagic1).
system-deps:
	@./scripts/ensure-system-deps.sh

$(BIN)/.installed-run: setup.cfg pyproject.toml | system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[demo]'
	touch $@

$(BIN)/.installed-dev: setup.cfg pyproject.toml | system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,postgres]'
	touch $@ $(BIN)/.installed-run

run: $(BIN)/.installed-run
	$(FLASK) db upgrade
	$(FLASK) init
	$(FLASK) demo --if-empty
	$(FLASK) demo --logins
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --timeout 60 wsgi:app

test: $(BIN)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r repository indexer -c pyproject.toml
	$(FLASK) taxonomy check
	env -u REPOSITORY_TEST_POSTGRES_URL $(BIN)/pytest -q -n $(TEST_JOBS)
	@if [ -n "$$REPOSITORY_TEST_POSTGRES_URL" ]; then \
		echo "Again on PostgreSQL ($$REPOSITORY_TEST_POSTGRES_URL): every test that uses a database"; \
		$(BIN)/pytest -q -n $(TEST_JOBS); \
	else \
		echo "PostgreSQL pass skipped: set REPOSITORY_TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1)"; \
	fi

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
