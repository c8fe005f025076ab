# Two commands: `make demo` (local demo on SQLite) and `make test` (the whole suite).
# `make test` runs on DATABASE_URL when it is set (PostgreSQL in CI), else on SQLite.

# uv from the PATH, or else installed once into .tools/ with the python3 at hand.
UV ?= $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
DEMO_ENV = DEBUG=true DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3
# Production settings, except that the test server speaks plain HTTP.
TEST_ENV = DEBUG=false SECRET_KEY=test-secret-key-not-for-production-0123456789 \
	ALLOWED_HOSTS=localhost,127.0.0.1 SECURE_SSL_REDIRECT=false

.PHONY: install demo test fuzz lint serve backup restore

PORT ?= 8000
DEMO_PORT ?= 8000

install:
	@command -v $(UV) >/dev/null 2>&1 || { \
		echo "Installing uv into .tools/ (once)"; \
		python3 -m venv $(CURDIR)/.tools && $(CURDIR)/.tools/bin/python -m pip install --quiet uv; }
	$(UV) sync --frozen

demo: install
	$(DEMO_ENV) $(UV) run python manage.py migrate --noinput
	$(DEMO_ENV) $(UV) run python manage.py load_demo
	$(DEMO_ENV) $(UV) run python manage.py load_registers
	$(DEMO_ENV) $(UV) run python manage.py create_local_admin
	@# The background worker (the admin's import checks and imports) stops with the server.
	$(DEMO_ENV) $(UV) run python manage.py db_worker --interval 1 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT; \
		$(DEMO_ENV) $(UV) run python manage.py runserver 127.0.0.1:$(DEMO_PORT)

test: install
	$(TEST_ENV) $(UV) run pytest $(PYTEST_ARGS)

# The hostile-input tests with 910 generated examples a group: over 10,000 requests.
fuzz: install
	FUZZ_EXAMPLES=910 $(TEST_ENV) $(UV) run pytest tests/test_hostile_input.py $(PYTEST_ARGS)

lint: install
	$(UV) run ruff check .
	$(UV) run ruff format --check .

# Production-style serving: configuration comes from the environment (see README).
# bin/serve checks the settings, collects static files, migrates and runs gunicorn.
serve: install
	PORT=$(PORT) UV=$(UV) bin/serve

# Backups of the database at DATABASE_URL (see README "Backups").
backup: install
	UV=$(UV) bin/backup

restore: install
	UV=$(UV) bin/restore "$(FILE)"
