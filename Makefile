# kliping: two commands do everything on a fresh machine.
#   make report   executes the notebooks on the embedded sample (or CORPUS=...) and renders reports/html/
#   make test     unit tests, the browser check of the report, and nbval over every notebook
# Both create .venv when it is missing and install the package (editable) with its extras.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

# Which corpus the notebooks read (default: the embedded sample in data/raw).
CORPUS ?=
TEXT_FIELD ?=
TITLE_FIELD ?=
ID_FIELD ?=
LABEL_FIELD ?=
export KLIPING_CORPUS = $(CORPUS)
export KLIPING_TEXT_FIELD = $(TEXT_FIELD)
export KLIPING_TITLE_FIELD = $(TITLE_FIELD)
export KLIPING_ID_FIELD = $(ID_FIELD)
export KLIPING_LABEL_FIELD = $(LABEL_FIELD)

# The shared corpora, when this checkout sits beside them: make test also runs the notebooks on real articles.
SHARED ?= ../shared
SAMPLE := $(SHARED)/corpora/clickid_labelled_news/sample_stratified.jsonl

NBVAL = $(BIN)/python -m pytest -p no:cacheprovider --nbval-lax --nbval-current-env \
	--nbval-sanitize-with notebooks/sanitize.cfg notebooks

.PHONY: all install report test test-unit test-notebooks browser benchmarks clean-data
all: report

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[notebooks,dev]"
	touch $@

# Pages to reports/html (KLIPING_HTML_DIR moves them); one screenshot per page when chromium is there:
# reports/screenshots for the embedded sample (shown in the README), reports/html/screenshots for CORPUS=...
report: install
	$(BIN)/python -m kliping.report

test: install browser test-unit test-notebooks

test-unit: install
	$(BIN)/python -m pytest tests

test-notebooks: install
	$(NBVAL)
	@if [ -f "$(SAMPLE)" ]; then \
		echo "== nbval on $(SAMPLE) (3,235 labelled articles)"; \
		KLIPING_CORPUS="$(abspath $(SAMPLE))" KLIPING_LABEL_FIELD=category_coarse $(NBVAL); \
	else \
		echo "== $(SAMPLE) not found: notebooks checked on the embedded sample only"; \
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
	rm -rf data/interim/*.parquet data/interim/*.json* data/processed/* reports/html reports/output
