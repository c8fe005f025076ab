# Two commands: `make demo` (local demo on SQLite) and `make test` (the whole suite).
# `make test` runs on DATABASE_URL when it is set (PostgreSQL in CI), else on SQLite.

UV ?= uv
DEMO_ENV = DEBUG=true DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3
TEST_ENV = DEBUG=false SECRET_KEY=test-secret-key-not-for-production-0123456789 \
	ALLOWED_HOSTS=localhost,127.0.0.1

.PHONY: install demo test lint serve

PORT ?= 8000

install:
	$(UV) sync --frozen

demo: install
	$(DEMO_ENV) $(UV) run python manage.py migrate --noinput
	$(DEMO_ENV) $(UV) run python manage.py load_demo
	$(DEMO_ENV) $(UV) run python manage.py create_local_admin
	$(DEMO_ENV) $(UV) run python manage.py runserver 127.0.0.1:8000

test: install
	$(TEST_ENV) $(UV) run pytest $(PYTEST_ARGS)

lint: install
	$(UV) run ruff check .
	$(UV) run ruff format --check .

# Production-style serving: configuration comes from the environment (see README).
serve: install
	$(UV) run python manage.py check --deploy --fail-level ERROR
	$(UV) run python manage.py collectstatic --noinput --verbosity 0
	$(UV) run python manage.py migrate --noinput
	$(UV) run gunicorn registry.wsgi --bind 0.0.0.0:$(PORT) --workers $${WEB_CONCURRENCY:-3} \
		--access-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"
