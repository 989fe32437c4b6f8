"""Cut the article out of a scraped news page, line by line, from the text alone.

A page arrives as plain text, one block per line (see :mod:`kliping.io`). Every line gets a *kind*
(:data:`KINDS`) and a short *reason*; the ``body`` lines, joined by ``"\\n"``, are the article's ``content``.
Lines in = lines accounted for, always.

How a page is read, one module per step:

1. :mod:`~kliping.clean.lexicon`, :mod:`~kliping.clean.patterns`, :mod:`~kliping.clean.scans`: the documented
   Indonesian boilerplate lexicon (``data/clean_lexicon.json``: ``Baca juga``, ``Editor:``, ``Terkini
   Lainnya``, ``Close Ads X``...), run over a whole page at once.
2. :mod:`~kliping.clean.measures` and :mod:`~kliping.clean.features`: length, terminal punctuation, share of
   function words (``yang``, ``dan``, ``di``...), capitals, digits, time crumbs (``2 hari lalu``), lexicon
   hits, lines repeated within the page, the place relative to the body's start marker (``WASHINGTON,
   KOMPAS.com -``) and end markers (``Editor:``, ``Artikel Terkait``), the neighbouring lines.
3. :mod:`~kliping.clean.model`: a small logistic model (``data/clean_model.json``, trained on the DEV pages by
   ``benchmarks/train_clean.py``) gives each line the log-odds that it is body; the run of lines with the
   largest summed evidence is the body, without the lines a marker keeps out.
4. :mod:`~kliping.clean.site_stats`: a line seen on many pages of one site is template, not body.
5. :mod:`~kliping.clean.kinds` and :mod:`~kliping.clean.metadata`: the noise lines are named by their marker
   and place, and the record gets ``title``, ``site``, ``published`` (time-zone aware), ``byline`` and
   ``dateline_city``.
6. :mod:`~kliping.clean.page` and :mod:`~kliping.clean.corpus`: a page, a corpus in batches of pages.
7. :mod:`~kliping.clean.cache`: a corpus cleaned before by the same cleaner is read back, not cleaned again.

The rules these steps share (a short line, a boilerplate marker, the line memos) are in
:mod:`~kliping.clean.rules`. Scoring against gold data lives in :mod:`kliping.evaluation.extraction`, the
``kliping clean`` output format in :mod:`kliping.clean.json_lines`.

Examples
--------
>>> page = clean_page("Beranda\\nBanjir Rendam Ratusan Rumah di Bekasi\\n"
...     "BEKASI, KOMPAS.com - Banjir merendam ratusan rumah di Bekasi pada Selasa (13/10/2020) "
...     "setelah hujan deras yang turun sejak sore, kata petugas.\\nBaca juga: Hujan Deras di Jakarta\\n"
...     "Editor : Anton Suhartono")
>>> page.kinds
['promo', 'title', 'body', 'read_also', 'byline']
>>> page.dateline_city, page.byline, str(page.published)
('BEKASI', 'Anton Suhartono', '2020-10-13 00:00:00+07:00')
>>> page.content[:22]
'Banjir merendam ratusa'
"""

from kliping.clean.corpus import CLEAN_COLUMNS, clean_articles
from kliping.clean.dates import DATE_PATTERNS, DEFAULT_TIME_ZONE, TIME_ZONES, parse_published
from kliping.clean.features import FEATURE_NAMES, HTML_FEATURE_NAMES, line_features
from kliping.clean.kinds import KIND_COLOURS, KINDS, kind_counts
from kliping.clean.lexicon import Lexicon, load_lexicon
from kliping.clean.measures import line_hash, normalise_line, page_measures
from kliping.clean.metadata import split_dateline
from kliping.clean.model import (
    DECODE,
    HTML_ID_MODEL_FILE,
    HTML_MODEL_FILE,
    MODEL_FILE,
    LineModel,
    best_segment,
    load_model,
)
from kliping.clean.page import CleanedPage, clean_html, clean_page
from kliping.clean.rules import clear_caches
from kliping.clean.site_stats import SiteStats

__all__ = [
    "CLEAN_COLUMNS",
    "DATE_PATTERNS",
    "DECODE",
    "DEFAULT_TIME_ZONE",
    "FEATURE_NAMES",
    "HTML_FEATURE_NAMES",
    "HTML_ID_MODEL_FILE",
    "HTML_MODEL_FILE",
    "KINDS",
    "KIND_COLOURS",
    "MODEL_FILE",
    "TIME_ZONES",
    "CleanedPage",
    "Lexicon",
    "LineModel",
    "SiteStats",
    "best_segment",
    "clean_articles",
    "clean_html",
    "clean_page",
    "clear_caches",
    "kind_counts",
    "line_features",
    "line_hash",
    "load_lexicon",
    "load_model",
    "normalise_line",
    "page_measures",
    "parse_published",
    "split_dateline",
]
