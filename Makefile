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

test: install
	$(PY) -m ruff check auditor tests benchmarks
	$(PY) -m pytest -q

lint: install
	$(PY) -m ruff check auditor tests benchmarks
	$(PY) -m ruff format --check auditor tests benchmarks

bench: install
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) reports/demo
