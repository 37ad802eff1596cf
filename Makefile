# KejinLink: two commands on a fresh machine — `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
## test processes (pytest-xdist): each gets its own test database, Redis cache db and Celery queue
TEST_WORKERS ?= 2

.PHONY: run test lint format install install-test messages bench bench-quick bench-national prod-smoke prod-smoke-hosts load clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## run: install what is missing, migrate, load demo data, serve on http://127.0.0.1:8000
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

## test: the whole suite (service tests skip without DATABASE_URL/REDIS_URL unless REQUIRE_SERVICES=1).
## worksteal: each worker starts on its half of the tests in order (a module's world, built once
## per module, stays on one worker) and an idle worker takes tests not yet started from the
## other, so one long module at the end cannot leave a worker waiting.
test: install-test
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

## lint: ruff, and the layering contracts of the domain apps (import-linter; docs/architecture.md)
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## messages: refresh and compile translations (needs GNU gettext; compiled files are committed)
messages: install
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore '.venv/*' --ignore 'staticfiles/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

## bench: every bench at full size (import: 200,000 rows against a plain COPY; matching: 100,000
## enterprises; leads: inbox and API with 100,000 leads, API vs /healthz/ on gunicorn; funds: the
## loan-book upload of 100,000 status rows and its re-submission, rows/s, and the fund dashboard at
## 100,000 filed loans, queries and ms; the crawl of
## every page as each role on a 2,000-enterprise national world, crawl_small_*; the inbox, leads
## API and one firm's match beside their floors, bench/feed_floors.py, feed_*); figures go to
## bench/results/latest.json and latest.md. Database: BENCH_DATABASE_URL, else DATABASE_URL, else
## postgres://postgres@127.0.0.1:5432/kejinlink_bench (created and migrated when missing).
bench: $(VENV)/.installed-test
	$(PY) -m bench.import_bench
	$(PY) -m bench.match_bench
	$(PY) -m bench.leads_bench
	$(PY) -m bench.funds_bench
	$(PY) -m bench.crawl_bench --scale 0.002 --keep --repeat 3
	$(PY) -m bench.feed_floors --scale 0.002 --keep --requests 15 --samples 30 --seconds 5

## bench-national: the national world (bench/world.py: 1,000,000 enterprises, 1,000,000 leads;
## built by COPY in its own database BENCH_NATIONAL_DATABASE_URL, else kejinlink_national, or
## reused when its recorded size matches), then the crawl of every page and API as each role,
## the inbox, one firm's match, the full rematch with 1 and 2 workers, leads API vs /healthz/,
## and the same three beside their floors (bench/feed_floors.py, national_feed_*).
## The crawl's reference: first the same crawl on a 2,000-enterprise world (its own database, a
## minute or two, figures in bench/results/reference.json); the national crawl flags every page
## whose query count differs from it (crawl_flagged in latest.json and latest.md).
bench-national: $(VENV)/.installed-test
	$(PY) -m bench.world --keep
	$(PY) -m bench.crawl_bench --scale 0.002 --keep --repeat 1 --results bench/results/reference.json
	$(PY) -m bench.crawl_bench --keep
	$(PY) -m bench.national_bench --keep
	$(PY) -m bench.feed_floors --scale 1 --keep --prefix national_feed_

## bench-quick: the same benches at small size (20,000 rows), into bench/results/quick.json
bench-quick: $(VENV)/.installed-test
	$(PY) -m bench.import_bench --rows 20000 --results bench/results/quick.json
	$(PY) -m bench.match_bench --enterprises 10000 --samples 20 --results bench/results/quick.json
	$(PY) -m bench.leads_bench --leads 10000 --requests 3 --seconds 3 --results bench/results/quick.json
	$(PY) -m bench.funds_bench --loans 10000 --repeat 1 --requests 3 --results bench/results/quick.json

## prod-smoke: the production stack on loopback (PostgreSQL db kejinlink_smoke, Redis db 5,
## gunicorn, a Celery worker per queue group, beat), one sign-up → verification → match →
## lead → offer scenario over HTTP, then everything stopped (see docs/deploy.md)
prod-smoke: $(VENV)/.installed-test
	deploy/stack.sh $(PY) -m deploy.smoke

## prod-smoke-hosts: the same stack as many hosts run it: object storage (an S3-compatible
## server on loopback), two web servers, each process with its own local folder; the smoke
## also downloads evidence and imports a list through the other web server and the worker
prod-smoke-hosts: $(VENV)/.installed-test
	STACK_STORAGE=s3 STACK_DB=kejinlink_smoke_hosts deploy/stack.sh $(PY) -m deploy.smoke

## load: locust, headless, 60 s of enterprise, bank and zone traffic against gunicorn (3 workers)
## in the prod-smoke stack (database kejinlink_load); p50/p95/errors into bench/results/latest.json
load: $(VENV)/.installed-test
	STACK_DB=kejinlink_load STACK_WEB_WORKERS=3 deploy/stack.sh $(PY) -m bench.load

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
