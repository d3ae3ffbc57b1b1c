# The two set-up commands (see README.md):
#   make run    virtualenv, install, migrate, seed the demo into an empty database, serve
#               http://127.0.0.1:$(PORT) (SQLite, eager Celery); PORT=8001 make run for another port
#   make test   virtualenv, install with dev extras, ruff, the whole test suite
# Both install the versions pinned in requirements/lock.txt; `make lock` re-pins after pyproject.toml changes.
# And for PostgreSQL:
#   make pg-roles   the app's database role (plp_app: no superuser, no BYPASSRLS, owns nothing), idempotent;
#                   PG_ADMIN_URL names a superuser connection (default: local postgres, trust auth)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PLP_DB_APP_ROLE ?= plp_app

.PHONY: run test pg-roles lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Every package is installed at the version requirements/lock.txt pins (`make lock` rewrites it from
# pyproject.toml with pip-tools; tests/test_lock_file.py fails when a dependency is missing from it).
LOCK := requirements/lock.txt

$(VENV)/.installed-app: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet --constraint $(LOCK) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet --constraint $(LOCK) -e '.[dev]'
	touch $@ $(VENV)/.installed-app

lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links \
	  --output-file $(LOCK) pyproject.toml

run: $(VENV)/.installed-app
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The test suite's OpenID Connect provider (panva's oidc-provider, tests/sso/idp_oidc/) runs on Node.
IDP_OIDC := tests/sso/idp_oidc
$(IDP_OIDC)/node_modules/.installed: $(IDP_OIDC)/package-lock.json
	npm ci --prefix $(IDP_OIDC) --no-audit --no-fund --loglevel=error
	touch $@

# The test suite's learning record store (Ralph, ralph-malph, tests/xapi/lrs/): its own virtualenv, every
# package pinned (tests/xapi/lrs/requirements.txt), because it brings FastAPI, pydantic and uvicorn versions
# of its own; the app's virtualenv never sees them. tests/xapi/ralph.py starts it per test module.
RALPH_VENV := tests/xapi/lrs/.venv
$(RALPH_VENV)/.installed: tests/xapi/lrs/requirements.txt
	$(PYTHON) -m venv $(RALPH_VENV)
	$(RALPH_VENV)/bin/pip install --quiet -r tests/xapi/lrs/requirements.txt
	touch $@

test: $(VENV)/.installed-dev $(IDP_OIDC)/node_modules/.installed $(RALPH_VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n auto

pg-roles:
	psql "$(PG_ADMIN_URL)" -v ON_ERROR_STOP=1 -q -c "DO \$$\$$ BEGIN \
	  CREATE ROLE $(PLP_DB_APP_ROLE) NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; \
	  EXCEPTION WHEN duplicate_object THEN NULL; END \$$\$$"
