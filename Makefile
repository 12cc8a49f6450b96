# The two commands: `make run` (demo on SQLite) and `make test` (the suite on PostgreSQL).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL := postgres://csa:csa@127.0.0.1:5432/csa
# DEBUG is off unless asked for; the demo asks for it (and so may go without a SECRET_KEY).
# The demo signs in with name and password alone; production asks KCST staff for a code (README, Security).
DEMO := DEBUG=true TWO_FACTOR_REQUIRED=false
# The suite's own Redis: a spare port, loopback only, nothing written to disk.
TEST_REDIS_PORT := 6390
TEST_CACHE_URL := redis://127.0.0.1:$(TEST_REDIS_PORT)/0

.PHONY: run test bench mutants install install-test postgres redis browser demo-data clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

demo-data: install
	$(DEMO) $(BIN)/python manage.py migrate --noinput
	$(DEMO) $(BIN)/python manage.py load_agreement fixtures/kent
	$(DEMO) $(BIN)/python manage.py open_cycle kent 2024-25 --due-in-days 60
	$(DEMO) $(BIN)/python manage.py create_demo_users
	$(DEMO) $(BIN)/python manage.py load_demo_delivery
	$(DEMO) $(BIN)/python manage.py load_demo_logos
	@# Public pages as this database holds them, and none of a database made before it (README, Deployment).
	$(DEMO) $(BIN)/python manage.py store_editions

run: demo-data
	@echo "Serving on http://127.0.0.1:8000 (admin at /admin/, portal at /portal/), with DEBUG on for the demo"
	$(DEMO) $(BIN)/python manage.py runserver 127.0.0.1:8000

# PostgreSQL is on the machine: start the existing cluster and make the test role.
postgres:
	@command -v pg_ctlcluster >/dev/null || (apt-get update -q && apt-get install -y -q postgresql)
	pg_ctlcluster 15 main start 2>/dev/null || pg_ctlcluster 15 main status >/dev/null
	@su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='csa'\"" | grep -q 1 || \
		su postgres -c "psql -c \"CREATE ROLE csa LOGIN CREATEDB PASSWORD 'csa'\""
	@su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='csa'\"" | grep -q 1 || \
		su postgres -c "createdb -O csa csa"

# Debian's redis-server for the shared cache; apt may be busy with another install, so it waits.
redis:
	@command -v redis-server >/dev/null || for try in 1 2 3 4 5 6; do \
		apt-get -o DPkg::Lock::Timeout=120 update -q && \
		apt-get -o DPkg::Lock::Timeout=120 install -y -q redis-server && break; sleep 20; done
	@redis-cli -p $(TEST_REDIS_PORT) ping 2>/dev/null | grep -q PONG || \
		redis-server --bind 127.0.0.1 --port $(TEST_REDIS_PORT) --save '' --appendonly no --daemonize yes
	@for wait in $$(seq 50); do redis-cli -p $(TEST_REDIS_PORT) ping 2>/dev/null | grep -q PONG && exit 0; sleep 0.1; done; \
		echo "redis-server did not answer on port $(TEST_REDIS_PORT)"; exit 1

# Debian's Chromium for the browser tests; Playwright never downloads a browser here.
browser:
	@test -x /usr/bin/chromium -a -x /usr/bin/chromedriver || \
		(apt-get update -q && apt-get install -y -q chromium chromium-driver)

test: install-test postgres redis browser
	DATABASE_URL=$(PG_URL) CACHE_URL=$(TEST_CACHE_URL) $(BIN)/python -m pytest -q

# Speed and scale against the stack's own floor (README, Performance); never part of make test.
bench: $(BIN)/python postgres
	$(BIN)/pip install --quiet -e '.[bench]'
	@command -v wrk >/dev/null || (apt-get update -q && apt-get install -y -q wrk)
	$(BIN)/python bench/run.py

# Mutation testing (mutation/run.py, README: Mutation testing), one module at a time on one core;
# never part of make test. `make mutants MODULES=agreements/roles.py` runs only the modules named.
MUTANTS_PG_URL := postgres://csa:csa@127.0.0.1:5432/csa_mutants
# The modules' tests use the local-memory cache: no Redis needed.
mutants: $(BIN)/python postgres
	$(BIN)/pip install --quiet -e '.[test,mutants]'
	DATABASE_URL=$(MUTANTS_PG_URL) $(BIN)/python mutation/run.py $(MODULES)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .mutants
