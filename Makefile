# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test lint system-deps clean

# Tests that run again on PostgreSQL when REPOSITORY_TEST_POSTGRES_URL names a server (each test gets a new
# database): the access rules in SQL, the workflow, audit, accounts and the leak sweep.
POSTGRES_TESTS := tests/test_access.py tests/test_protocol.py tests/test_workflow.py tests/test_review_loop.py \
	tests/test_audit.py tests/test_audit_filters.py tests/test_sessions.py tests/test_admin.py tests/test_tokens.py \
	tests/test_accept_suggestions.py tests/test_taxonomy_migrate.py tests/test_leak_sweep.py

# python-magic needs the C library libmagic (Debian/Ubuntu: libmagic1).
system-deps:
	@./scripts/ensure-system-deps.sh

$(BIN)/.installed-run: setup.cfg pyproject.toml | system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
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
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --timeout 60 --access-logfile - wsgi:app

test: $(BIN)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r repository indexer -c pyproject.toml
	$(FLASK) taxonomy check
	$(BIN)/pytest -q
	@if [ -n "$$REPOSITORY_TEST_POSTGRES_URL" ]; then \
		echo "The production path on PostgreSQL ($$REPOSITORY_TEST_POSTGRES_URL):"; \
		$(BIN)/pytest -q $(POSTGRES_TESTS); \
	else \
		echo "PostgreSQL pass skipped: set REPOSITORY_TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1)"; \
	fi

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
