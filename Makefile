# Two entry points: `make demo` and `make test`. Both build .venv first.
# uv comes from PATH, or is bootstrapped from PyPI into .tools/ when missing.
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
export HF_HUB_OFFLINE := 1
export UV_PYTHON := $(shell command -v $(PYTHON))

.PHONY: demo test venv lint bench clean

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --all-groups
	@touch $@

venv: .venv/.synced

demo: venv
	.venv/bin/sitrep demo --out .

test: venv
	.venv/bin/python -m pytest -q

bench: venv
	.venv/bin/python benchmarks/throughput.py

clean:
	rm -rf .venv .tools events.csv events.geojson sitrep.db
