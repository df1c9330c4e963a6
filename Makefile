# Every target sets up what it needs first, so a fresh clone needs only `make run` or `make test`.
SHELL := /bin/bash
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
# Without uv on PATH, the one `make uv` installs with pip runs as a module of the same python3.
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
MANAGE := $(UV) run --frozen python manage.py

.PHONY: run serve test setup uv sync locale static db demo browser lint format check bench clean

run: setup  ## Set up and serve the embedded default on http://127.0.0.1:$(PORT)
	scripts/local-dynamodb $(MAKE) --no-print-directory serve

# Runs inside scripts/local-dynamodb: the local server starts empty, so create the tables and
# push what the database holds; then demo data (its changes are pushed as they are saved,
# and it prints the sign-ins), then the site.
serve:
	$(MANAGE) sync_dynamodb --create-tables
	$(MANAGE) sync_dynamodb --push
	$(MANAGE) demo_data
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: setup browser  ## Set up and run the whole test suite (browser tests included)
	$(UV) run --frozen pytest

setup: sync locale static db

uv:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --user --quiet uv \
		|| python3 -m pip install --quiet uv \
		|| python3 -m pip install --user --quiet --break-system-packages uv

sync: uv
	$(UV) sync --frozen

locale: sync
	@command -v msgfmt >/dev/null 2>&1 || scripts/apt-install gettext
	$(MANAGE) compilemessages --ignore=.venv -v0

static: sync
	$(MANAGE) collectstatic --noinput -v0

db: sync
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) createcachetable

demo: db
	$(MANAGE) demo_data

browser:
	@[ -x /usr/bin/chromium ] || scripts/apt-install chromium

lint: sync
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(UV) run --frozen djhtml --check templates
	$(UV) run --frozen cfn-lint infra/*.yaml
	$(UV) run --frozen lint-imports
	$(UV) run --frozen mypy

format: sync
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .

bench: setup  ## Measure Connect calls, queries and page weight (see README)
	$(UV) run --frozen python scripts/bench.py

clean:
	rm -rf .venv staticfiles db.sqlite3* .pytest_cache .ruff_cache

# Deploy-only environment (.deploy/venv: the locked runtime dependencies and Zappa, no test
# tools), then every stage's Lambda zip built and run in isolation (tests/deploy), and every
# shared object in the zips checked against the Lambda runtime's glibc (deploy/glibc.py).
.PHONY: deploy-env package rehearse
deploy-env: uv
	scripts/package --env-only

package: sync locale
	$(UV) run --frozen pytest -m package tests/deploy
	$(UV) run --frozen python -m deploy.glibc --max 2.26 .deploy/*.zip

# docs/deploy.md against moto's server and a throwaway PostgreSQL, on loopback (deploy/rehearsal.py).
rehearse: sync locale
	scripts/deploy-rehearsal
