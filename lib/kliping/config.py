"""Paths and run settings, in one place.

Paths follow cookiecutter-data-science: ``data/raw`` is immutable input,
``data/interim`` holds each notebook's output, ``data/processed`` the final
tables. The corpus a run reads comes from environment variables, so that
``make report``, nbval and a plain ``jupyter lab`` all see the same setting.

Examples
--------
>>> from kliping import config
>>> config.RAW_DIR.name
'raw'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: The checkout: ``lib/kliping/config.py`` -> two levels up from ``lib``.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"


def env_setting(name: str, environ=None) -> str | None:
    """A setting of ``environ`` (default: this process's environment), stripped; None when unset or blank.

    Examples
    --------
    >>> env_setting("KLIPING_CORPUS", {"KLIPING_CORPUS": " berita.jsonl "}), env_setting("X", {"X": "  "})
    ('berita.jsonl', None)
    """
    return (os.environ if environ is None else environ).get(name, "").strip() or None


def work_dir(environ=None) -> Path:
    """Where the notebooks write: ``KLIPING_WORK_DIR`` of ``environ`` (default: this process's), else ``data/``.

    Moving it keeps two runs on different corpora from overwriting each other's files.

    Examples
    --------
    >>> work_dir({"KLIPING_WORK_DIR": "/tmp/run"}), work_dir({}) == DATA_DIR
    (PosixPath('/tmp/run'), True)
    """
    value = env_setting("KLIPING_WORK_DIR", environ)
    return Path(value) if value else DATA_DIR


def summary_file(environ=None) -> Path:
    """The run's headline figures for the report's index: ``processed/summary.json`` under :func:`work_dir`."""
    return work_dir(environ) / "processed" / "summary.json"


WORK_DIR = work_dir()
INTERIM_DIR = WORK_DIR / "interim"
PROCESSED_DIR = WORK_DIR / "processed"
CACHE_DIR = WORK_DIR / "cache"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
HTML_DIR = REPORTS_DIR / "html"

#: The read-only shared corpora, when the checkout sits beside them.
SHARED_DIR = Path(os.environ.get("KLIPING_SHARED", PROJECT_ROOT.parent / "shared"))
CORPORA_DIR = SHARED_DIR / "corpora"
#: The line-labelled pages that cleaning is scored and trained on (read where they are, never copied).
DEV_LINES_FILE = CORPORA_DIR / "id_news_extraction_gt" / "dev_lines.jsonl"

#: One seed for every random step (KMeans, NMF, LSA, sampling).
SEED = 42

# Interim files, one per notebook, in pipeline order.
ARTICLES_FILE = INTERIM_DIR / "01_articles.parquet"
CLEAN_FILE = INTERIM_DIR / "02_clean.parquet"
TOKENS_FILE = INTERIM_DIR / "03_tokens.parquet"
DISPLAY_WORDS_FILE = INTERIM_DIR / "03_display_words.json"
VECTORS_FILE = INTERIM_DIR / "04_vectors.joblib"
ASSIGNMENTS_FILE = PROCESSED_DIR / "05_assignments.csv"
TOPICS_FILE = PROCESSED_DIR / "05_topics.csv"
METRICS_FILE = PROCESSED_DIR / "05_metrics.json"
SUMMARY_FILE = summary_file()


@dataclass(frozen=True)
class CorpusSettings:
    """Which corpus to read, and which fields of a JSONL/CSV hold what.

    ``None`` for a field means "guess" (see :func:`kliping.io.read_corpus`).
    """

    path: Path
    text_field: str | None = None
    title_field: str | None = None
    id_field: str | None = None
    label_field: str | None = None

    @property
    def is_embedded_sample(self) -> bool:
        return self.path.resolve() == RAW_DIR.resolve()


def corpus_settings(environ=None) -> CorpusSettings:
    """Read the corpus settings from the environment (``environ``, default: this process's).

    ``KLIPING_CORPUS`` (default: the embedded sample in ``data/raw``),
    ``KLIPING_TEXT_FIELD``, ``KLIPING_TITLE_FIELD``, ``KLIPING_ID_FIELD`` and
    ``KLIPING_LABEL_FIELD``. A relative path is taken from the project root,
    so notebooks (which run inside ``notebooks/``) resolve it the same way as
    ``make`` does.
    """
    raw = env_setting("KLIPING_CORPUS", environ)
    path = Path(raw) if raw else RAW_DIR
    if not path.is_absolute():
        path = (PROJECT_ROOT / path).resolve()
    return CorpusSettings(
        path=path,
        text_field=env_setting("KLIPING_TEXT_FIELD", environ),
        title_field=env_setting("KLIPING_TITLE_FIELD", environ),
        id_field=env_setting("KLIPING_ID_FIELD", environ),
        label_field=env_setting("KLIPING_LABEL_FIELD", environ),
    )


def ensure_dirs() -> None:
    """Create the folders the pipeline writes to."""
    for folder in (INTERIM_DIR, PROCESSED_DIR, CACHE_DIR):
        folder.mkdir(parents=True, exist_ok=True)


def shown(path: Path) -> str:
    """``path`` relative to the project when it lies inside it (for messages), else as it is.

    Examples
    --------
    >>> shown(PROJECT_ROOT / "data" / "interim" / "01_articles.parquet")
    'data/interim/01_articles.parquet'
    """
    path = Path(path)
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
