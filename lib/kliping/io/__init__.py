"""Read a corpus of news articles into one DataFrame, one row per input item.

Supported inputs:

* a folder of pages (searched recursively): ``.txt`` files with one block per
  line (like the seeds in ``data/raw``) and ``.html``/``.htm`` files, which are
  turned into the same block-per-line text with lxml + inscriptis;
* a single ``.txt``/``.html`` page;
* a ``.jsonl`` file (one JSON object per line) or a ``.csv``/``.tsv`` file with
  named text / title / id fields, or a ``.parquet`` file;
* a WARC crawl (``.warc``, ``.warc.gz``): every 2xx HTML response is a page
  (:mod:`kliping.io.warc`);
* pages and text tables compressed as ``.gz``, ``.bz2`` or ``.xz``, read
  through one reader that counts the inflated bytes against the size limit
  (:func:`kliping.io.files.open_inflated`).

Nothing is dropped silently: every file, every JSONL line and every CSV row
gets a row in the manifest, whose ``status`` is ``"ok"`` or a short reason
(``"empty"``, ``"binary"``, ``"null_text"``, ``"malformed_json"``, ...). A
warning of class :class:`InputWarning` names the file and line of each bad
item, and good input beside it is still read.

Examples
--------
>>> from kliping import io, config
>>> articles = io.read_corpus(config.RAW_DIR)  # two seed pages and the CLICK-ID shard
>>> articles[["id", "status", "origin"]].head(2).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
[{'id': '000_1ed279cb64cb3699', 'status': 'ok', 'origin': 'page'},
 {'id': '002_c58ec8ab53f2afe8', 'status': 'ok', 'origin': 'page'}]
>>> len(articles), articles.loc[2, "site"]
(3237, 'kompas.com')
"""

from __future__ import annotations

# Every public name the reader had as one module (io.py) is still here: ``from kliping import io; io.X`` and
# ``from kliping.io import X`` keep working. Each lives in the module its concern names (a private one is
# imported from there).
from kliping.io.corpus import (
    DATA_NAME,
    corpus_path,
    find_duplicates,
    html_row_counts,
    is_data,
    read_corpus,
    read_data,
    read_folder,
    status_counts,
)
from kliping.io.pages import (
    FOLDER_NOTES,
    PAGE_SUFFIXES,
    html_to_text,
    read_page,
)
from kliping.io.problems import (
    BASE_COLUMNS,
    MAX_WARNINGS,
    META_COLUMNS,
    CorpusFormatError,
    CorpusNotFoundError,
    InputWarning,
    html_rows_note,
)
from kliping.io.sites import DATELINE_DASH, dateline_site, guess_site, open_dateline, site_column, site_domain
from kliping.io.tables import (
    CSV_FIELD_LIMIT,
    DATE_FIELD_GUESSES,
    ID_FIELD_GUESSES,
    SITE_FIELD_GUESSES,
    TABLE_SUFFIXES,
    TEXT_FIELD_GUESSES,
    TITLE_FIELD_GUESSES,
    URL_FIELD_GUESSES,
    read_csv,
    read_jsonl,
    read_parquet,
    read_table,
    table_kind,
)
from kliping.io.text import (
    clean_lines,
    decode_bytes,
    looks_binary,
    normalise_text,
)

__all__ = [
    "BASE_COLUMNS",
    "CSV_FIELD_LIMIT",
    "DATA_NAME",
    "DATE_FIELD_GUESSES",
    "FOLDER_NOTES",
    "ID_FIELD_GUESSES",
    "MAX_WARNINGS",
    "META_COLUMNS",
    "PAGE_SUFFIXES",
    "SITE_FIELD_GUESSES",
    "TABLE_SUFFIXES",
    "TEXT_FIELD_GUESSES",
    "TITLE_FIELD_GUESSES",
    "URL_FIELD_GUESSES",
    "DATELINE_DASH",
    "CorpusFormatError",
    "CorpusNotFoundError",
    "InputWarning",
    "clean_lines",
    "corpus_path",
    "dateline_site",
    "decode_bytes",
    "find_duplicates",
    "guess_site",
    "html_row_counts",
    "html_rows_note",
    "html_to_text",
    "is_data",
    "looks_binary",
    "normalise_text",
    "open_dateline",
    "read_corpus",
    "read_csv",
    "read_data",
    "read_folder",
    "read_jsonl",
    "read_page",
    "read_parquet",
    "read_table",
    "site_column",
    "site_domain",
    "status_counts",
    "table_kind",
]
