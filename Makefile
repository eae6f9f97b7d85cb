# The front door. `make run` and `make test` each set up whatever a fresh machine lacks.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages: WeasyPrint's Pango and a CJK font for printing; Chromium for browser tests.
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
TEST_DEBS := $(RUN_DEBS) chromium poppler-utils
TEST_SETTINGS := daye_relief.settings.test
# The printed forms' CJK face, cut from fonts-noto-cjk once (daye_relief/print_font.py).
PRINT_FONT := var/fonts/NotoSerifCJKsc-Regular-subset.otf

.PHONY: run run-pg worker beat pg-database test lint bench install debs-run debs-test services migrate seed static messages fmt clean

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || PYTHON=python3; \
	  [ -x $(PY) ] || $${PYTHON:-$(PYTHON)} -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

$(PRINT_FONT): daye_relief/print_font.py | $(STAMP) debs-run
	$(PY) -m daye_relief.print_font $(PRINT_FONT)

debs-run:
	@missing=$$(for p in $(RUN_DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; fi

debs-test:
	@missing=$$(for p in $(TEST_DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; fi

# PostgreSQL and Redis must answer; start them where they are installed and stopped.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
	  echo "Starting PostgreSQL"; $(SUDO) pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -n1) main start; }
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	  pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL does not answer on 127.0.0.1:5432"; exit 1; }
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
	  echo "Starting Redis"; mkdir -p /var/lib/redis /var/log/redis; \
	  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
	    --dir /var/lib/redis --logfile /var/log/redis/ci.log; }
	@for i in $$(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done; \
	  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis does not answer on 127.0.0.1:6379"; exit 1; }

migrate: $(STAMP) debs-run
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# The project's Chinese catalogue (locale/): compiled by a Python script, no gettext tools needed. Both the
# .po and the .mo are committed; run this after editing the .po (a test fails while they differ).
messages: $(STAMP)
	$(PY) -m daye_relief.msgfmt locale/zh_Hans/LC_MESSAGES/django.po

# The app serves its own static files (WhiteNoise), collected here, as in production.
static: $(STAMP)
	$(PY) manage.py collectstatic --noinput -v0

# DEBUG is off unless asked for: `DEBUG=1 make run` shows Django's debug pages instead of the Chinese ones.
run: seed static $(PRINT_FONT)
	@echo "daye-relief: http://127.0.0.1:8000/  (Ctrl-C to stop; DEBUG=1 make run for Django's debug pages)"
	@echo "Background jobs run in-process here (SQLite). With PostgreSQL and Redis, a real Celery worker and"
	@echo "beat run them instead: 'make run-pg' here, then 'make worker' and 'make beat' in two more terminals."
	$(PY) manage.py runserver 127.0.0.1:8000

# The same app on PostgreSQL ($(PG_URL), created if missing) and Redis: jobs go to the Redis queue, for the
# worker (`make worker`) and beat (`make beat`, django-celery-beat's database scheduler: the schedules are
# rows, edited in the admin under 定时任务). Both read the same PG_URL and REDIS_URL.
PG_URL ?= postgres://postgres@127.0.0.1:5432/daye_relief
PG_ENV := DATABASE_URL=$(PG_URL) DJANGO_SETTINGS_MODULE=daye_relief.settings.dev

pg-database: $(STAMP) services
	@$(PY) -c "import psycopg,sys; u=sys.argv[1]; s,_,n=u.rpartition('/'); c=psycopg.connect(s+'/postgres',autocommit=True); \
	  c.execute('SELECT 1 FROM pg_database WHERE datname=%s',[n]).fetchone() or c.execute('CREATE DATABASE \"'+n+'\"')" $(PG_URL)

run-pg: pg-database debs-run static $(PRINT_FONT)
	$(PG_ENV) $(PY) manage.py migrate --noinput
	$(PG_ENV) $(PY) manage.py seed_demo
	@echo "daye-relief on PostgreSQL: http://127.0.0.1:8000/  — start 'make worker' and 'make beat' for the jobs"
	$(PG_ENV) $(PY) manage.py runserver 127.0.0.1:8000

worker: pg-database
	$(PG_ENV) $(PY) -m celery -A daye_relief worker --loglevel=INFO

beat: pg-database
	$(PG_ENV) $(PY) manage.py migrate --noinput
	$(PG_ENV) $(PY) -m celery -A daye_relief beat --loglevel=INFO

test: $(STAMP) debs-test services $(PRINT_FONT)
	DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy .
	$(VENV)/bin/lint-imports
	@# The whiteboard's own never-check, where shared/ lies beside the checkout (as on the developers' and CI's machines).
	@if [ -f ../shared/architecture/check_nevers.py ]; then \
	  python3 ../shared/architecture/check_nevers.py ../shared/architecture/whiteboard.json; fi
	$(PY) manage.py makemigrations --check --dry-run

fmt: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: $(STAMP) services $(PRINT_FONT)
	DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) $(PY) -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var .pytest_cache .mypy_cache .ruff_cache
