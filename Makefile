# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test lint system-deps clean translations

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

# The message catalogues (Flask-Babel): extract the interface strings (babel.cfg) and merge them into each
# language's .po under repository/translations; then translate the new entries (tests/test_i18n.py fails on an
# untranslated one). The .mo files are compiled from the .po by the app at start, into the data folder.
BABEL_KEYWORDS := -k _ -k N_ -k gettext -k ngettext:1,2 -k lazy_gettext -k invalid -k ServiceError:3 -k Denied:3
translations: $(BIN)/.installed-dev
	$(BIN)/pybabel -q extract -F babel.cfg $(BABEL_KEYWORDS) --no-location --sort-output --omit-header \
		-o repository/translations/messages.pot .
	$(BIN)/pybabel -q update -i repository/translations/messages.pot -d repository/translations \
		--ignore-obsolete --no-fuzzy-matching --width 120
	rm repository/translations/messages.pot

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
