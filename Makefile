# Every target installs what is missing first: `make run` and `make test` work from a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
PACKAGES := services/common services/locations services/bookings services/notifications gateway
# Python 3.13: PYTHON if given, else python3.13 on PATH, else pyenv's 3.13.x.
PYTHON ?= $(shell for p in python3.13 "$$(pyenv prefix 3.13 2>/dev/null)/bin/python3.13" "$$(pyenv prefix 3.13.0 2>/dev/null)/bin/python3.13"; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 13)' >/dev/null 2>&1 && { echo "$$p"; break; }; done)

.PHONY: help install run test test-unit test-integration test-system bench prove seed token compose-check clean

help:
	@echo "make run     start the whole stack (datastore, broker, services, workers, gateway)"
	@echo "make test    run every test tier against a real broker and a MongoDB-wire datastore"
	@echo "make bench   print the benchmark figures"
	@echo "make prove   break an isolated stack on purpose (broker, datastore, crashes, poison, slow clients, races)"
	@echo "make token   print a development staff JWT"

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock requirements/runtime.in requirements/dev.in $(addsuffix /pyproject.toml,$(PACKAGES))
	@test -n "$(PYTHON)" || { echo "Python 3.13 was not found: install it (e.g. 'pyenv install 3.13.0') or run 'make PYTHON=/path/to/python3.13 …'" >&2; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -r requirements/dev.in
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation --config-settings editable_mode=compat $(addprefix -e ,$(PACKAGES))
	@touch $@

run: install
	@$(PY) -m clinic_common.devstack.run

test: install
	@$(PY) -m clinic_common.devstack.broker
	$(PY) -m pytest $(PYTEST_ARGS)

test-unit: install
	$(PY) -m pytest -m "not integration and not system" $(PYTEST_ARGS)

test-integration: install
	@$(PY) -m clinic_common.devstack.broker
	$(PY) -m pytest -m integration $(PYTEST_ARGS)

test-system: install
	@$(PY) -m clinic_common.devstack.broker
	$(PY) -m pytest -m system $(PYTEST_ARGS)

bench: install
	@$(PY) -m clinic_common.devstack.broker
	$(PY) -m bench

# The proving ground: not in `make test` (too long for its budget beside the other tiers); CI runs both.
prove: install
	@$(PY) -m clinic_common.devstack.broker
	$(PY) -m pytest prove $(PYTEST_ARGS)

seed: install
	$(PY) -m locations.seed

token: install
	@$(PY) -m clinic_common.devstack.token

clean:
	rm -rf $(VENV) var .pytest_cache
