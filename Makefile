# eventreg. Two commands do everything on a fresh clone:
#   make run    bootstrap .venv, install (without the test tools), migrate, load the demo,
#               serve http://127.0.0.1:5000 with the worker; quiet unless something fails
#   make test   install the test dependencies and run the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app eventreg
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run serve test install system-packages browser migrate demo lint bench clean screenshots \
	translations translations-update

LOG    := $(VENV)/make.log
# $(call quietly,what,command): one line of progress; the command's output only if it fails.
quietly = echo "-- $(1)"; $(2) >$(LOG) 2>&1 || { tail -n 40 $(LOG); echo "!! $(1) failed; the whole output is in $(LOG)"; exit 1; }

# What `make run` needs: the app, not the test tools.
$(VENV)/.installed-run: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(call quietly,installing eventreg into $(VENV) (the first time takes a few minutes),$(BIN)/python -m pip install -q --disable-pip-version-check -e .)
	@touch $@

# Everything, with the test extras (make test, make lint).
$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed

# Languages: each translations/LANG/LC_MESSAGES/messages.po compiled to its .mo (git-ignored),
# which `make run`, `make serve` and `make test` do. `make translations-update` extracts the
# marked strings into translations/messages.pot and merges them into every catalog.
PO_FILES := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
translations: $(MO_FILES)
translations/%.mo: translations/%.po | $(VENV)/.installed-run
	@$(BIN)/pybabel -q compile -i $< -o $@
translations-update: | $(VENV)/.installed-run
	$(BIN)/pybabel -q extract -F babel.cfg --ignore-dirs=".*" -k lazy_gettext -k lazy_ngettext:1,2 --sort-output \
	    --add-location=file --no-wrap --project eventreg -o translations/messages.pot .
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --no-wrap --ignore-obsolete --no-fuzzy-matching

# WeasyPrint's libraries and fonts (installed with apt when run as root; otherwise listed).
system-packages:
	@bash .ci/system-packages

# Debian's chromium for the browser tests (never `playwright install`).
browser:
	@bash .ci/system-packages --browser

migrate: install
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo

# The worker (mail and background jobs) runs beside the web server and stops with it; both
# are told the address served, which links in emails follow unless EVENTREG_BASE_URL is set.
# The worker's log goes to instance/worker.log. A few lines of progress, then the address
# and logins.
run: system-packages $(VENV)/.installed-run translations
	@$(call quietly,migrating the database,$(FLASK) db upgrade)
	@$(call quietly,loading the demo,$(FLASK) demo)
	@cp $(LOG) $(VENV)/demo.out
	@echo "-- starting the web server and the worker"
	@export FLASK_RUN_HOST=$(HOST) FLASK_RUN_PORT=$(PORT); \
	mkdir -p instance; $(FLASK) worker 2>>instance/worker.log & worker=$$!; \
	$(FLASK) run --host $(HOST) --port $(PORT) & server=$$!; \
	trap 'kill $$worker $$server 2>/dev/null; wait $$worker $$server 2>/dev/null' EXIT INT TERM; \
	for i in $$(seq 1 120); do \
	  $(BIN)/python -c "import urllib.request as u; u.urlopen('http://$(HOST):$(PORT)/healthz', timeout=2)" 2>/dev/null && break; \
	  kill -0 $$server 2>/dev/null || exit 1; sleep 0.5; \
	done; \
	echo; sed -n '/^Demo staff logins/,$$p' $(VENV)/demo.out; \
	echo; echo "eventreg is serving http://$(HOST):$(PORT)  (Ctrl-C stops it and the worker; worker log: instance/worker.log)"; \
	wait $$server

# The production set-up on this machine: gunicorn with deploy/gunicorn.conf.py and one
# worker (README, "Deploying"). Stops both with Ctrl-C.
serve: system-packages $(VENV)/.installed-run translations
	@$(call quietly,migrating the database,$(FLASK) db upgrade)
	@echo "eventreg (gunicorn, deploy/gunicorn.conf.py) is serving http://$(HOST):$(PORT)  (Ctrl-C stops it and the worker)"
	@$(FLASK) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	EVENTREG_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c deploy/gunicorn.conf.py 'eventreg:create_app()'

test: system-packages browser install translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check eventreg tests
	$(BIN)/mypy eventreg

# Each benchmark measures its own baseline in the same run and writes bench/results/NAME.json.
BENCHES := mail apply apply_floor review pdf api
bench: system-packages install
	@mkdir -p bench/results
	@set -e; for name in $(BENCHES); do echo "== bench/$$name.py"; $(BIN)/python bench/$$name.py; done
	@$(BIN)/python bench/table.py

# The main pages at 390 px and 1280 px on the demo data, into instance/screenshots/.
screenshots: browser install
	$(BIN)/python -m tests.e2e.screenshots

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
