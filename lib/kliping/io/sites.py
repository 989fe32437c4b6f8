"""The site of each article: from its metadata or fields, else guessed from a page's opening lines.

:func:`guess_site` finds the first domain-like name (``kompas.com``, ``inews.id``) in a text's first lines;
:func:`site_column` gives the site of every row of a manifest, None when unknown.
"""

from __future__ import annotations

import re

import pandas as pd

_SITE = re.compile(r"\b((?:[a-z0-9-]+\.)+(?:com|id|net|org|co|tv)(?:\.id)?)\b", re.IGNORECASE)
# Every match of _SITE holds one of these; it is found by a fast scan for ".", where _SITE tries every word.
_TOP_LEVEL_DOMAIN = re.compile(r"\.(?:com|id|net|org|co|tv)", re.IGNORECASE)
#: A line of this many words is a sentence: a site it names other than in its dateline is one its article
#: mentions ("Founder Bubu.com dan ..."), not the page's own.
SENTENCE_WORDS = 8
_DATELINE_SITE = re.compile(r".{0,60}?" + _SITE.pattern + r"\)?\s*[-\u2013\u2014,]", re.IGNORECASE)
#: A dateline ("WASHINGTON, iNews.id -", "Liputan6.com, Jakarta -") names the site within this many characters.
DATELINE_ZONE_CHARS = 80


def guess_site(text: str, max_lines: int = 12) -> str | None:
    """Guess a page's site from the first domain-like name in its opening lines: anywhere in a short line
    ("Kompas.com - 24/10/2020"), in a sentence only as its dateline ("WASHINGTON, iNews.id -").

    Examples
    --------
    >>> guess_site("Judul berita\\nKompas.com - 24/10/2020, 11:53 WIB\\nIsi")
    'kompas.com'
    >>> guess_site("WASHINGTON, iNews.id - Menteri Luar Negeri AS")
    'inews.id'
    >>> guess_site("Tidak ada nama situs di sini") is None
    True
    >>> guess_site("Seluruh pemain ialah perempuan. Founder Bubu.com dan Chairwoman IDBYTE mengatakan hal itu.") is None
    True
    """
    head = "\n".join(text.split("\n", max_lines)[:max_lines])
    if not _TOP_LEVEL_DOMAIN.search(head):  # a quick scan for what every name holds (most text has none)
        return None
    for line in head.split("\n"):
        if not _TOP_LEVEL_DOMAIN.search(line):
            continue
        # An article names other sites; in a sentence, the page's own is the one its dateline opens with.
        sentence = len(line.split()) >= SENTENCE_WORDS
        match = _DATELINE_SITE.match(line[:DATELINE_ZONE_CHARS]) if sentence else _SITE.search(line)
        if match:
            return match.group(1).lower()
    return None


def site_column(articles: pd.DataFrame) -> pd.Series:
    """The site of each article: its metadata's (``meta_site``), a ``site``/``source_site``/``domain`` field,
    else guessed from the opening lines of a page (never from a table row's text: a domain its article
    mentions is not its site).

    An unknown site stays None, never a stand-in such as "unknown": pages of unknown origin must not be pooled
    as one site, whose shared lines would then count as template and be cut from every body.

    Examples
    --------
    >>> site_column(pd.DataFrame({"site": ["kompas.com", None, " "], "text": ["a", "b", "c"]})).tolist()
    ['kompas.com', None, None]
    """
    known = [None] * len(articles)
    for column in ("meta_site", "site", "source_site", "domain"):
        if column in articles.columns:
            known = [k or (s.strip() or None if isinstance(s, str) else None) for k, s in zip(known, articles[column])]
    origins = articles["origin"].tolist() if "origin" in articles.columns else ["page"] * len(articles)
    sites = [
        site or (guess_site(text) if origin != "record" and isinstance(text, str) else None)
        for site, origin, text in zip(known, origins, articles["text"])
    ]
    return pd.Series(sites, index=articles.index, dtype=object)
