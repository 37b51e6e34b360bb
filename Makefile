# The README's commands. Every target works on a fresh clone with Python 3.11+ on PATH.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB_DIR ?= .local/db
REDIS_DIR ?= .local/redis
HOST ?= 127.0.0.1
PORT ?= 8000
UV_VERSION := 0.13.9
# Contract tooling: oasdiff built from the Go module proxy into .tools/ (not on PATH).
OASDIFF_VERSION := v1.39.0
TOOLS := .tools/bin
TS_CLIENT := clients/typescript

.PHONY: help install run serve db db-stop redis redis-stop seed test fuzz lint format lock clean bench bench-check bench-flood create-admin
.PHONY: tools openapi clients clients-check contract-check contract-release test-clients

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:[^#]*## /\t/' | awk -F'\t' '{printf "  %-17s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python --require-hashes -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## create .venv and install the pinned dependencies

db: install ## start the local MongoDB-compatible server (prints MONGODB_URL)
	@$(BIN)/python scripts/localdb.py start --data-dir $(DB_DIR)

db-stop: ## stop the local database server
	@$(BIN)/python scripts/localdb.py stop --data-dir $(DB_DIR)

redis: install ## start the local Redis for rate limits (prints its URL)
	@$(BIN)/python scripts/localredis.py start --data-dir $(REDIS_DIR)

redis-stop: ## stop the local Redis
	@$(BIN)/python scripts/localredis.py stop --data-dir $(REDIS_DIR)

seed: install ## load seed_data/ into the database (idempotent)
	MONGODB_URL="$${MONGODB_URL:-$$($(BIN)/python scripts/localdb.py start --data-dir $(DB_DIR))}" \
		$(BIN)/python -m service seed

# Each server is started only when its URL is not given; a database that already has the
# seed users and the iris model skips both steps (scripts/devstart.py), so later runs are
# ready in seconds. Without Redis (and no way to install it) rate limits count in memory.
# Bytecode is compiled up front (dependencies at install, the service here; a no-op when
# current) so starts never pay for compiling, even where PYTHONDONTWRITEBYTECODE is set.
run: install ## start the database and Redis, seed and train if missing, serve on http://127.0.0.1:8000
	@set -e; \
	url="$${MONGODB_URL:-}"; [[ -n "$$url" ]] || url="$$($(BIN)/python scripts/localdb.py start --data-dir $(DB_DIR))"; \
	redis="$${RATE_LIMIT_STORAGE_URL:-}"; [[ -n "$$redis" ]] || redis="$$($(BIN)/python scripts/localredis.py start --or-memory --data-dir $(REDIS_DIR))"; \
	echo "MongoDB at $$url, rate limits in $$redis"; \
	$(BIN)/python -m compileall -q -j 0 service; \
	MONGODB_URL="$$url" $(BIN)/python scripts/devstart.py; \
	MONGODB_URL="$$url" RATE_LIMIT_STORAGE_URL="$$redis" \
		exec $(BIN)/python -m service serve --host $(HOST) --port $(PORT)

serve: install ## serve with live reload against MONGODB_URL (or the local database) and Redis
	@set -e; \
	url="$${MONGODB_URL:-}"; [[ -n "$$url" ]] || url="$$($(BIN)/python scripts/localdb.py start --data-dir $(DB_DIR))"; \
	redis="$${RATE_LIMIT_STORAGE_URL:-}"; [[ -n "$$redis" ]] || redis="$$($(BIN)/python scripts/localredis.py start --or-memory --data-dir $(REDIS_DIR))"; \
	MONGODB_URL="$$url" RATE_LIMIT_STORAGE_URL="$$redis" \
		exec $(BIN)/python -m service serve --host $(HOST) --port $(PORT) --reload

create-admin: install ## create or promote an admin (ADMIN_PASSWORD, USERNAME, EMAIL)
	@test -n "$(USERNAME)" -a -n "$(EMAIL)" || { echo "usage: ADMIN_PASSWORD=… make create-admin USERNAME=name EMAIL=address"; exit 2; }
	MONGODB_URL="$${MONGODB_URL:-$$($(BIN)/python scripts/localdb.py start --data-dir $(DB_DIR))}" \
		$(BIN)/python -m service create-admin --username "$(USERNAME)" --email "$(EMAIL)"

# The rate-limit tests need a real Redis and the browser tests Debian's Chromium: each is
# installed here when missing and permitted, or the run stops at once with one line
# saying why (rather than a dozen failing tests).
# Two pytest-xdist workers, each with its own database server, Redis and browser; a module
# (and each directory that starts one service for its modules) stays on one worker, so
# its fixtures start once (tests/conftest.py). TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
test: install tools $(TS_CLIENT)/node_modules/.installed ## run the test suite against a real database and Redis, with coverage (>= 90 %)
	@$(BIN)/python scripts/localredis.py ensure
	@$(BIN)/python scripts/browser.py ensure >/dev/null
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup \
		--cov=service --cov-report=term-missing:skip-covered --cov-report=xml

# A long schemathesis session: FUZZ_EXAMPLES cases per operation and stateful scenarios
# (make test runs 6 and 8, derandomised), with a fresh random seed each time.
FUZZ_EXAMPLES ?= 300
fuzz: install ## long random schemathesis run over every operation (not in make test)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/test_schemathesis.py -p no:cacheprovider -q

lint: install ## ruff lint and format check, mypy --strict, import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict service
	$(BIN)/python -m scripts.import_contracts

format: install ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: install ## re-pin requirements*.txt from pyproject.toml (with hashes)
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -q -o requirements.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra ml --extra train --generate-hashes --python-version 3.11 -q -o requirements-dev.txt
	$(BIN)/uv pip compile pyproject.toml --extra ml --generate-hashes --python-version 3.11 -q -o requirements-ml.txt

clean: db-stop redis-stop ## stop the database and Redis, remove local state
	rm -rf $(VENV) .local .pytest_cache .mypy_cache .ruff_cache .coverage coverage.xml

bench: install ## all benchmarks: service vs bare app, rate limiter, flood, predictions
	$(BIN)/python -m bench.harness
	$(BIN)/python -m bench.ratelimit_cost
	$(BIN)/python -m bench.flood
	$(BIN)/python -m bench.models

bench-check: install ## short S/B run on GET /users/{id}; fails on a >15 % regression vs bench/results.json
	$(BIN)/python -m bench.check

bench-flood: install ## flood two workers; peak RSS vs the memory formula (bench/RESULTS.md)
	$(BIN)/python -m bench.flood

$(TOOLS)/oasdiff:
	GOBIN="$(CURDIR)/$(TOOLS)" go install github.com/oasdiff/oasdiff@$(OASDIFF_VERSION)

tools: $(TOOLS)/oasdiff ## install the contract tools (oasdiff) into .tools/

$(TS_CLIENT)/node_modules/.installed: $(TS_CLIENT)/package-lock.json
	cd $(TS_CLIENT) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

openapi: install ## regenerate the committed contract openapi.json from the app
	$(BIN)/python -m scripts.contract write

# One command after any API change: the contract, then both clients from it.
clients: openapi $(TS_CLIENT)/node_modules/.installed ## regenerate openapi.json, clients/python and clients/typescript
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/openapi-python-client generate --path openapi.json \
		--output-path clients/python --meta uv --config clients/python-config.yaml --overwrite
	cd $(TS_CLIENT) && npm run --silent generate

clients-check: clients ## fail when the committed contract or clients differ from what the code generates
	@stale="$$(git status --porcelain -- openapi.json clients/)"; test -z "$$stale" || { \
		echo "$$stale"; git --no-pager diff --stat -- openapi.json clients/; \
		echo "openapi.json or clients/ differ from what the code generates: run 'make clients' and commit"; exit 1; }

contract-check: install tools ## refuse a breaking change against the last released contract (contract/released.json)
	$(BIN)/python -m scripts.contract breaking

contract-release: openapi ## at a release: record openapi.json as the released contract
	$(BIN)/python -m scripts.contract release

test-clients: install tools $(TS_CLIENT)/node_modules/.installed ## run both generated clients' suites against a live service
	$(BIN)/python -m pytest tests/clients -p no:cacheprovider -q
