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
from kliping.io import guess_site as guess_site_in_text

# Body start: "WASHINGTON, KOMPAS.com -", "Mataram, NTB (ANTARA News) -", "Liputan6.com, Jakarta -",
# "Jakarta -", "TEMPO.CO, Jakarta -". The city is capitalised; the site is a domain or a "X News" name.
_CITY = r"[A-Z][A-Za-z'.]*(?:[ -][A-Z][A-Za-z'.]*){0,3}"
_SITE_NAME = (
    r"(?:[A-Za-z0-9-]+\.)+(?:com|id|co|net|org|tv|CO|COM|ID)(?:\.id)?"
    r"|[A-Z][A-Za-z0-9]*(?: [A-Z][A-Za-z0-9]*)? News|ANTARA|Antara|TEMPO|Tempo|VIVA|VIVAnews"
)
_DASH = r"\s*[-\u2013\u2014]+\s*"
DATELINE_PREFIXES = [
    re.compile(
        r"^(?P<city>"
        + _CITY
        + r")(?:,\s*(?P<region>"
        + _CITY
        + r"))?(?:\s*,\s*|\s+)\(?(?P<site>"
        + _SITE_NAME
        + r")\)?"
        + _DASH
    ),
    re.compile(r"^(?P<site>" + _SITE_NAME + r")\s*,\s*(?P<city>" + _CITY + r")" + _DASH),
    re.compile(r"^(?P<site>" + _SITE_NAME + r")" + _DASH + r"(?=\S)"),
    re.compile(
        r"^(?P<city>[A-Z][A-Za-z'.]+(?: [A-Z][A-Za-z'.]+)?)(?:,\s*(?P<region>"
        + _CITY
        + r"))?"
        + r"\s+[-\u2013\u2014]+(?:\s+|$)"
    ),
]
# Every dateline form but the last names a site and puts a dash (or, "KOMPAS.com, Jakarta -", a comma) right
# after it: without such an ending on the line, only the last form can match. (On a Title Case headline such as
# "Atraksi Ondel-Ondel Dari Taiwan" the other forms try every split into city and site, for a long time.)
_SITE_BEFORE_DASH = re.compile(
    r"(?:\.(?:com|id|co|net|org|tv|CO|COM|ID)|News|ANTARA|Antara|TEMPO|Tempo|VIVA|VIVAnews)"
    r"\)?\s*[-\u2013\u2014,]"
)
_CITY_DATELINE = DATELINE_PREFIXES[-1]
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
#: The dashes a dateline ends with: a hyphen ("JAKARTA, KOMPAS.com -"), an en or an em dash.
_DASH = re.compile("[-\u2013\u2014]")
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
    names_a_site = _SITE_BEFORE_DASH.search(line) is not None
    for pattern in DATELINE_PREFIXES:
        if not names_a_site and pattern is not _CITY_DATELINE:
            continue
        match = pattern.match(line)
        if match:
            groups = match.groupdict()
            city = groups.get("city")
            if city and city.lower() in _NOT_CITIES:
                continue
            rest = line[match.end() :].strip()
            # Few words (counted only as far as the fourth: a body's opening line is long) and a date.
            few_words = len(list(itertools.islice(_LETTER_WORD.finditer(rest), 4))) < 4
            if few_words and any(p.search(rest) for p in DATE_PATTERNS):
                break  # "Kompas.com - 24/10/2020, 11:53 WIB" is the site/date line, not a body's opening
            return city, groups.get("site"), rest
    return None, None, line


_remembered_dateline = LINE_MEMOS.memoise(split_dateline)


def dateline_of(line: str) -> tuple[str | None, str | None, str]:
    """:func:`split_dateline`, remembered per line (its result depends on the line alone).

    Examples
    --------
    >>> dateline_of("Jakarta - Banjir merendam ratusan rumah"), dateline_of("Tanpa garis")
    (('Jakarta', None, 'Banjir merendam ratusan rumah'), (None, None, 'Tanpa garis'))
    """
    if not _DASH.search(line):  # every dateline form ends with a dash
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
    for line in filter(_DASH.search, lines[:80]):  # every dateline form ends with a dash (dateline_of)
        _, site, _ = dateline_of(line)
        if site and "." in site:
            return site.lower()
    for j, line in enumerate(lines[:40]):
        if body is not None and body[j]:
            continue
        site = _site_named_in(line)
        if site is not None:
            return site
    return None
