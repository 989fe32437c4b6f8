"""A news site's name where a page's lines give it, and the dateline that opens a body; the site of each row.

The one place of the site-name pattern and of the dateline parse: :func:`open_dateline` finds the dateline a line
opens with ("WASHINGTON, iNews.id -", "Liputan6.com, Jakarta -", "Mataram, NTB (ANTARA News) -", "Jakarta -");
:func:`guess_site` finds a page's site in its opening lines (anywhere in a short line, "Kompas.com - 24/10/2020";
in a sentence only as its dateline); :func:`site_column` gives the site of every row of a manifest, None when
unknown. The clean stage cuts the dateline off a body and sets the article's city and site with them
(:func:`kliping.clean.metadata.split_dateline` adds the rule of dates: "Kompas.com - 24/10/2020" is no body's
opening).
"""

from __future__ import annotations

import re

import pandas as pd

#: The top-level domains of a site's name, in any case: "kompas.com", "TEMPO.CO", "inews.id", "KOMPAS.TV". (Before
#: "Tempo.Co, Jakarta -" gave the city "Tempo.Co": the dateline's domains were in three spellings, "co" and "CO".)
#: Spelt as ASCII classes: ``(?i:com|...)`` made the scan of every line for a dateline's site 7 % slower.
_TOP_LEVEL = r"(?:[cC][oO][mM]?|[iI][dD]|[nN][eE][tT]|[oO][rR][gG]|[tT][vV])"
#: A site's domain: labels of ASCII letters, digits and hyphens, then a top-level domain ("okezone.co.id").
SITE_DOMAIN = r"(?:[A-Za-z0-9-]+\.)+" + _TOP_LEVEL + r"(?:\.[iI][dD])?"
_SITE = re.compile(r"\b(" + SITE_DOMAIN + r")\b")
# Every match of _SITE holds one of these; it is found by a fast scan for ".", where _SITE tries every word.
_TOP_LEVEL_DOMAIN = re.compile(r"\." + _TOP_LEVEL)
# The agencies' and sites' names that datelines give without a domain ("ANTARA News", "TEMPO", "VIVAnews").
_AGENCIES = r"ANTARA|Antara|TEMPO|Tempo|VIVA|VIVAnews"
#: The site of a dateline: a domain or an agency's name ("X News", "X Y News", ANTARA, TEMPO, VIVA).
SITE_NAME = SITE_DOMAIN + r"|[A-Z][A-Za-z0-9]*(?: [A-Z][A-Za-z0-9]*)? News|" + _AGENCIES
#: A line of this many words is a sentence: a site it names other than in its dateline is one its article
#: mentions ("Founder Bubu.com dan ..."), not the page's own.
SENTENCE_WORDS = 8
#: The dashes a dateline ends with: a hyphen ("JAKARTA, KOMPAS.com -"), an en or an em dash; a line without one
#: opens with no dateline. (A figure dash, U+2012, or a horizontal bar, U+2015, ends none.)
DASHES = "-\u2013\u2014"
DATELINE_DASH = re.compile(f"[{DASHES}]")

# Body start: "WASHINGTON, KOMPAS.com -", "Mataram, NTB (ANTARA News) -", "Liputan6.com, Jakarta -",
# "Jakarta -", "TEMPO.CO, Jakarta -". The city is capitalised.
_CITY = r"[A-Z][A-Za-z'.]*(?:[ -][A-Z][A-Za-z'.]*){0,3}"
_DASH_RUN = r"\s*" + DATELINE_DASH.pattern + r"+\s*"
#: The dateline forms, in the order they are tried: city then site, site then city, site alone, city alone.
DATELINE_PREFIXES = [
    re.compile(
        r"^(?P<city>"
        + _CITY
        + r")(?:,\s*(?P<region>"
        + _CITY
        + r"))?(?:\s*,\s*|\s+)\(?(?P<site>"
        + SITE_NAME
        + r")\)?"
        + _DASH_RUN
    ),
    re.compile(r"^(?P<site>" + SITE_NAME + r")\s*,\s*(?P<city>" + _CITY + r")" + _DASH_RUN),
    re.compile(r"^(?P<site>" + SITE_NAME + r")" + _DASH_RUN + r"(?=\S)"),
    re.compile(
        r"^(?P<city>[A-Z][A-Za-z'.]+(?: [A-Z][A-Za-z'.]+)?)(?:,\s*(?P<region>"
        + _CITY
        + r"))?"
        + r"\s+"
        + DATELINE_DASH.pattern
        + r"+(?:\s+|$)"
    ),
]
# Every dateline form but the last names a site and puts a dash (or, "KOMPAS.com, Jakarta -", a comma) right
# after it: without such an ending on the line, only the last form can match. (On a Title Case headline such as
# "Atraksi Ondel-Ondel Dari Taiwan" the other forms try every split into city and site, for a long time.)
_SITE_BEFORE_DASH = re.compile(r"(?:\." + _TOP_LEVEL + r"|News|" + _AGENCIES + r")\)?\s*[" + DASHES + ",]")
_CITY_FORM_ONLY = DATELINE_PREFIXES[-1:]  # the forms a line naming no site before a dash can open with
# Capitalised words that open a sentence with a dash but are no city.
_NOT_CITIES = {
    "baca",
    "simak",
    "lihat",
    "editor",
    "penulis",
    "reporter",
    "foto",
    "video",
    "halaman",
    "home",
    "berita",
    "artikel",
    "oleh",
    "sumber",
    "ilustrasi",
    "update",
    "live",
    "breaking",
}


def open_dateline(line: str) -> re.Match | None:
    """The dateline ``line`` opens with, or None: the match of the first of :data:`DATELINE_PREFIXES` whose city
    (if it has one) is no word such as "Baca" or "Editor"; its groups ``city``, ``region`` and ``site`` (those of
    its form), the sentence after its end.

    Examples
    --------
    >>> open_dateline("WASHINGTON, iNews.id - Menteri Luar Negeri AS").group("city", "site")
    ('WASHINGTON', 'iNews.id')
    >>> open_dateline("Liputan6.com, Jakarta - Presiden Joko Widodo meminta").group("site", "city")
    ('Liputan6.com', 'Jakarta')
    >>> open_dateline("Mataram, NTB (ANTARA News) - Sebanyak 29 penerbangan dibatalkan").group("region", "site")
    ('NTB', 'ANTARA News')
    >>> open_dateline("Jakarta - Galaxy S6 Edge").groupdict()
    {'city': 'Jakarta', 'region': None}
    >>> open_dateline("Baca juga - Gempa di Bali") is None, open_dateline("Dikutip dari Kompas.com, Senin") is None
    (True, True)
    """
    for pattern in DATELINE_PREFIXES if _SITE_BEFORE_DASH.search(line) else _CITY_FORM_ONLY:
        match = pattern.match(line)
        if match:
            city = match.groupdict().get("city")
            if city and city.lower() in _NOT_CITIES:
                continue
            return match
    return None


def dateline_site(line: str) -> str | None:
    """The domain of the site whose dateline ``line`` opens with, in lower case (None for none, or for an
    agency's name without a domain, "ANTARA News").

    Examples
    --------
    >>> dateline_site("JAKARTA, KOMPAS.TV - Presiden Joko Widodo"), dateline_site("Jakarta (ANTARA) - Presiden")
    ('kompas.tv', None)
    """
    match = open_dateline(line)
    return site_domain(match.groupdict().get("site")) if match else None


def site_domain(name: str | None) -> str | None:
    """A dateline's site as a domain, in lower case: None for an agency's name ("ANTARA News") or for none.

    Examples
    --------
    >>> site_domain("KOMPAS.com"), site_domain("ANTARA News"), site_domain(None)
    ('kompas.com', None, None)
    """
    return name.lower() if name and "." in name else None


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
        if len(line.split()) >= SENTENCE_WORDS:
            site = dateline_site(line.strip())  # as the clean stage sees the line ("  JAKARTA, KOMPAS.com -")
        else:
            match = _SITE.search(line)
            site = match.group(1).lower() if match else None
        if site:
            return site
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
