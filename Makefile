# kliping: two commands do everything on a fresh machine.
#   make report   executes the notebooks on the embedded sample (or CORPUS=...) and renders reports/html/
#   make test     ruff, lint-imports (the layers), the doctests of lib/, the unit tests, the browser check, and nbval
# Both create .venv when it is missing and install the package (editable) with its extras.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

# The run: which corpus, which of its fields hold what, k, seed, method, and where the four output files go.
# Empty means the default (the embedded corpus in data/raw, labelled by category_coarse; fields guessed; k chosen;
# seed 42; data/processed and reports/html for the embedded corpus, data/processed/<name> and reports/<name>/html
# for another, so each corpus keeps its own results).
CORPUS ?=
TEXT_FIELD ?=
TITLE_FIELD ?=
ID_FIELD ?=
LABEL_FIELD ?=
DATE_FIELD ?=
URL_FIELD ?=
SITE_FIELD ?=
K ?=
SEED ?=
METHOD ?=
OUT ?=
# local or tcp://host:8786: the notebooks clean and stem on a Dask cluster (kliping run: --scheduler).
SCHEDULER ?=
export KLIPING_CORPUS = $(CORPUS)
export KLIPING_TEXT_FIELD = $(TEXT_FIELD)
export KLIPING_TITLE_FIELD = $(TITLE_FIELD)
export KLIPING_ID_FIELD = $(ID_FIELD)
export KLIPING_LABEL_FIELD = $(LABEL_FIELD)
export KLIPING_DATE_FIELD = $(DATE_FIELD)
export KLIPING_URL_FIELD = $(URL_FIELD)
export KLIPING_SITE_FIELD = $(SITE_FIELD)
export KLIPING_K = $(K)
export KLIPING_SEED = $(SEED)
export KLIPING_METHOD = $(METHOD)
export KLIPING_OUT = $(OUT)
export KLIPING_SCHEDULER = $(SCHEDULER)

# The shared corpora, when this checkout sits beside them: make test also runs the notebooks on real articles.
SHARED ?= ../shared
DEV_PAGES := $(SHARED)/corpora/id_news_extraction_gt/pages.jsonl
# Each DEV record's raw HTML as <id>.html in a folder (argv: pages.jsonl, folder).
export WRITE_DEV_HTML = import json, sys, pathlib; [pathlib.Path(sys.argv[2], r["id"] + ".html").write_text(\
r["raw_html"], encoding="utf-8") for r in map(json.loads, open(sys.argv[1], encoding="utf-8"))]

# The numbered notebooks only: a stray 01_load.nbconvert.ipynb left by `jupyter nbconvert` is never collected.
NOTEBOOKS := $(filter-out %.nbconvert.ipynb,$(wildcard notebooks/[0-9][0-9]_*.ipynb))
NBVAL = $(BIN)/python -m pytest -p no:cacheprovider --nbval-lax --nbval-current-env \
	--nbval-sanitize-with notebooks/sanitize.cfg $(NOTEBOOKS)

.PHONY: all install report lab test lint test-unit test-notebooks browser benchmarks clean-data
all: report

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[notebooks,dev,scale]"
	touch $@

# Pages to reports/html (KLIPING_HTML_DIR moves them), the run's four files to data/processed (OUT=...); one
# screenshot per page when chromium is there. The same as `kliping report`, which takes the settings as options.
report: install
	$(BIN)/kliping report

# JupyterLab from the project's venv, with the corpus settings above passed to every kernel. The file browser is
# rooted at the repository (data/, reports/ and the notebooks in reach) and opens on notebooks/; as root (a
# container) jupyter refuses to start without --allow-root. LAB_OPTIONS passes more (--no-browser, --port=8889).
LAB_OPTIONS ?=
lab: install
	$(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks \
		$$([ "$$(id -u)" -eq 0 ] && echo --allow-root) $(LAB_OPTIONS)

test: install browser lint test-unit test-notebooks

# ruff, then the layers (import-linter's contracts in pyproject.toml, imports inside functions counted).
lint: install
	$(BIN)/ruff check lib tests benchmarks
	$(BIN)/ruff format --check lib tests benchmarks
	$(BIN)/lint-imports

# The unit tests and the doctests of lib/ (pyproject: testpaths, --doctest-modules).
test-unit: install
	$(BIN)/python -m pytest

# nbval on the embedded corpus (seed pages and the CLICK-ID shard), then on what it does not cover: the 28 DEV
# pages of ../shared as raw .html files (head metadata, HTML to text, a small corpus of other sites and years),
# cleaned and stemmed on a Dask LocalCluster (KLIPING_SCHEDULER=local), as `make report SCHEDULER=local` does.
test-notebooks: install
	$(NBVAL)
	@if [ -f "$(DEV_PAGES)" ]; then \
		echo "== nbval on the 28 DEV pages of $(DEV_PAGES) as .html files, on a Dask LocalCluster"; \
		work=$$(mktemp -d); mkdir $$work/dev; \
		$(BIN)/python -c "$$WRITE_DEV_HTML" "$(DEV_PAGES)" $$work/dev && \
		KLIPING_CORPUS=$$work/dev KLIPING_WORK_DIR=$$work KLIPING_OUT=$$work/processed KLIPING_SCHEDULER=local \
			$(NBVAL); \
		status=$$?; rm -rf $$work; exit $$status; \
	else \
		echo "== $(DEV_PAGES) not found: notebooks checked on the embedded corpus only"; \
	fi

# Debian's chromium from apt, for the headless check of the rendered report and its screenshots (no browser
# download). As root it installs directly; otherwise through sudo.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "== installing Debian's chromium (apt) for the report check"; \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && \
		command -v chromium >/dev/null; }

benchmarks: install
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean-data:
	rm -rf data/interim/* data/processed/* reports/html reports/output reports/*/html
