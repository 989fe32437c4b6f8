"""A page's metadata from its lines: the body's dateline, the byline, the site (dates: :mod:`kliping.clean.dates`).

Examples
--------
>>> split_dateline("BEKASI, KOMPAS.com - Banjir merendam ratusan rumah")
('BEKASI', 'KOMPAS.com', 'Banjir merendam ratusan rumah')
>>> byline_name(["Editor : Anton Suhartono"])
'Anton Suhartono'
"""

from __future__ import annotations

import itertools
import re

from kliping.clean.dates import DATE_PATTERNS
from kliping.clean.rules import LINE_MEMOS
from kliping.io import DATELINE_DASH, open_dateline, site_domain
from kliping.io import guess_site as guess_site_in_text

_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")

_CREDIT = re.compile(
    r"^(?:editor|penulis|reporter|pewarta|penyunting|redaktur|kontributor|oleh|by|writer|author|"
    r"posted on .*? by|laporan wartawan|wartawan)\s*[:\uff1a]?\s*",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------- datelines
def split_dateline(line: str) -> tuple[str | None, str | None, str]:
    """Split a body's opening dateline into city, site and the sentence that follows.

    Examples
    --------
    >>> split_dateline("WASHINGTON, KOMPAS.com - Amerika Serikat (AS) mencoba berupaya")
    ('WASHINGTON', 'KOMPAS.com', 'Amerika Serikat (AS) mencoba berupaya')
    >>> split_dateline("Mataram, NTB (ANTARA News) - Sebanyak 29 penerbangan dibatalkan")
    ('Mataram', 'ANTARA News', 'Sebanyak 29 penerbangan dibatalkan')
    >>> split_dateline("Jakarta - Galaxy S6 Edge adalah smartphone jagoan Samsung")
    ('Jakarta', None, 'Galaxy S6 Edge adalah smartphone jagoan Samsung')
    >>> split_dateline("Kompas.com - 24/10/2020, 11:53 WIB")
    (None, None, 'Kompas.com - 24/10/2020, 11:53 WIB')
    >>> split_dateline("Banjir merendam Bekasi.")
    (None, None, 'Banjir merendam Bekasi.')
    """
    match = open_dateline(line)
    if match is None:
        return None, None, line
    rest = line[match.end() :].strip()
    # Few words (counted only as far as the fourth: a body's opening line is long) and a date.
    few_words = len(list(itertools.islice(_LETTER_WORD.finditer(rest), 4))) < 4
    if few_words and any(p.search(rest) for p in DATE_PATTERNS):
        return None, None, line  # "Kompas.com - 24/10/2020, 11:53 WIB" is the site/date line, not a body's opening
    groups = match.groupdict()
    return groups.get("city"), groups.get("site"), rest


_remembered_dateline = LINE_MEMOS.memoise(split_dateline)


def dateline_of(line: str) -> tuple[str | None, str | None, str]:
    """:func:`split_dateline`, remembered per line (its result depends on the line alone).

    Examples
    --------
    >>> dateline_of("Jakarta - Banjir merendam ratusan rumah"), dateline_of("Tanpa garis")
    (('Jakarta', None, 'Banjir merendam ratusan rumah'), (None, None, 'Tanpa garis'))
    """
    if not DATELINE_DASH.search(line):  # every dateline form ends with a dash
        return None, None, line
    return _remembered_dateline(line)


# --------------------------------------------------------------------------- bylines and sites
#: Words naming a writer's role on the line after the name ("Dewi Kania" / "Jurnalis").
_ROLE_LINE = re.compile(r"^(?:jurnalis|wartawan|reporter|penulis|editor|kontributor|koresponden)\s*$", re.IGNORECASE)
# A person's name: one to five capitalised words (initials, "dan" and particles between), no digits or slashes.
_PERSON = re.compile(
    r"^(?:[A-Z][\w'.]*|dan|bin|binti|van|de|al|el)(?:\s+(?:[A-Z][\w'.]*|dan|bin|binti|van|de|al|el)){0,5}$"
)
# "Fino Yurio Kristo - detikinet": a name, a dash and the site's desk.
_NAME_THEN_SITE = re.compile(r"^(?P<name>[^-|]+?)\s+[-|]\s+\w+\.?\w*$")


def _credited(line: str) -> str | None:
    if not _CREDIT.match(line):
        return None
    name = _CREDIT.sub("", line).strip(" -|,")
    name = re.split(r"\s+[-|]\s+", name)[0].strip()
    return name if name and not re.fullmatch(r"\(.*\)", name) else None


def byline_name(bylines: list[str]) -> str | None:
    """The first credited name: ``Editor : Anton Suhartono`` gives ``Anton Suhartono``.

    A line that credits nobody by a word such as Penulis, Editor, Oleh or By counts only when it is shaped as
    a name and says so: a name followed by the site's desk ("Fino Yurio Kristo - detikinet") or by a role
    line ("Jurnalis"). Navigation words the line model took for a byline ("Shares", "Trending Tag",
    "Toggle") are never a name.

    Examples
    --------
    >>> byline_name(["(Foto/Antara)", "Penulis: Fino Yurio Kristo - detikinet"])
    'Fino Yurio Kristo'
    >>> byline_name(["Shares", "Terkait", "Penulis : Nabilla Tashandra"])
    'Nabilla Tashandra'
    >>> byline_name(["Trending Tag", "Lifestyle"]) is None, byline_name(["Dewi Kania", "Jurnalis"])
    (True, 'Dewi Kania')
    """
    for line in bylines:
        name = _credited(line)
        if name:
            return name
    for line, after in zip(bylines, [*bylines[1:], ""]):
        match = _NAME_THEN_SITE.match(line)
        name = match.group("name").strip() if match else (line.strip() if _ROLE_LINE.match(after) else None)
        if name and _PERSON.match(name) and len(name.split()) >= 2:
            return name
    return None


@LINE_MEMOS.memoise
def _site_named_in(line: str) -> str | None:
    """The site a line names (:func:`kliping.io.guess_site` of that line alone)."""
    return guess_site_in_text(line, max_lines=1)


def guess_site(lines: list[str], body=None) -> str | None:
    """A page's site: the domain of a body dateline in its first 80 lines, else the first site named in its
    first 40 lines (a domain never spans lines) that are not ``body`` (one truth value per line, when known): a
    site the article names ("Founder Bubu.com dan ...") is not the page's.

    Examples
    --------
    >>> guess_site(["Beranda", "DENPASAR, iNews.id - Gempa mengguncang Bali"])
    'inews.id'
    >>> guess_site(["Beranda", "Pendiri Bubu.com, Shinta, mengatakan turnamen ini untuk perempuan."], [0, 1])
    """
    for line in filter(DATELINE_DASH.search, lines[:80]):  # every dateline form ends with a dash (dateline_of)
        site = site_domain(dateline_of(line)[1])
        if site:
            return site
    for j, line in enumerate(lines[:40]):
        if body is not None and body[j]:
            continue
        site = _site_named_in(line)
        if site is not None:
            return site
    return None
