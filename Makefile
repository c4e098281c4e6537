# The two commands of the README: `make run` and `make test`. Everything they need is
# installed from here, so a fresh clone works with nothing done by hand.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/resumes

.PHONY: install browser run migrate demo test test-sqlite test-postgres lint format bench wrk clean

install: $(VENV)/.installed

# torch first and pinned: the CPU build is local here, a looser spec pulls GBs of CUDA.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[dev]'
	touch $@

# Debian's chromium for the browser tests (Playwright drives it; nothing downloads a browser).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium chromium-driver; }

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0

demo: migrate
	$(PY) manage.py load_demo

# Serves the site and a django-q2 cluster; Ctrl-C or SIGTERM stops both within seconds
# (manage.py serve stops each the way it stops cleanly: matching/management/commands/serve.py).
run: demo
	@echo "Site: http://127.0.0.1:$(PORT)/  (admin: /admin/)"
	$(PY) manage.py serve --addr 127.0.0.1:$(PORT)

test: install browser lint test-sqlite test-postgres

test-sqlite: install
	$(PY) -m pytest

test-postgres: install
	DATABASE_URL=$(PG_URL) $(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Debian's wrk drives the load test (bench/load_test.py), as `browser` installs chromium.
wrk:
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

bench: install wrk
	$(PY) bench/ranking_speed.py --resumes 100000 --head
	$(PY) bench/ranking_quality.py
	$(PY) bench/training_quality.py
	$(PY) bench/rescore_speed.py --resumes 10000
	$(PY) bench/load_test.py --resumes 10000
	$(PY) bench/bulk_import.py --resumes 1000 --workers 1 2
	$(PY) bench/embedding_speed.py

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
