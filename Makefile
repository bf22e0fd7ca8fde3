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

# The map page's libraries and basemap outlines come from npm at build time (no CDN, nothing
# committed). Without npm the rest works; the page and map images say how to build them.
VENDOR := src/sitrep/web/static/vendor
$(VENDOR)/.built: web/package.json web/package-lock.json tools/vendor_web.py | .venv/.synced
	@if command -v npm >/dev/null 2>&1; then \
		.venv/bin/python tools/vendor_web.py && touch $@; \
	else \
		echo "warning: npm not found: map page assets not built (install Node.js/npm, then make venv)"; \
	fi

venv: .venv/.synced $(VENDOR)/.built

demo: venv
	.venv/bin/sitrep demo --out .

test: venv
	.venv/bin/python -m pytest -q

bench: venv
	.venv/bin/python benchmarks/throughput.py

clean:
	rm -rf .venv .tools web/node_modules $(VENDOR) events.csv events.geojson sitrep.db
