# The two entry points a newcomer needs: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install demo test lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/install.sh
	bash scripts/install.sh $(VENV)
	touch $@

demo: install
	$(VENV)/bin/auditor demo

# Three pytest-xdist workers on two cores: much of the suite waits on mail windows, servers and browsers.
# Modules and xdist groups stay whole on one worker (tests/xdist_scheduling.py). TEST_WORKERS=0: one process.
TEST_WORKERS ?= 3

test: install
	$(PY) -m ruff check auditor tests benchmarks
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadgroup

lint: install
	$(PY) -m ruff check auditor tests benchmarks
	$(PY) -m ruff format --check auditor tests benchmarks

bench: install
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) reports/demo
