"""A page's metadata from its lines: the publication date, the body's dateline, the byline, the site.

Examples
--------
>>> parse_published("Kompas.com - 24/10/2020, 11:53 WIB")
Timestamp('2020-10-24 11:53:00+0700', tz='Asia/Jakarta')
>>> split_dateline("BEKASI, KOMPAS.com - Banjir merendam ratusan rumah")
('BEKASI', 'KOMPAS.com', 'Banjir merendam ratusan rumah')
>>> byline_name(["Editor : Anton Suhartono"])
'Anton Suhartono'
"""

from __future__ import annotations

import datetime
import itertools
import re
from functools import cache

import pandas as pd

from kliping.clean.rules import LINE_MEMOS
from kliping.io import guess_site as guess_site_in_text

#: Time zones of Indonesia's three zone names.
TIME_ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
#: Zone used when a date carries none (most Indonesian news is dated in WIB).
DEFAULT_TIME_ZONE = "Asia/Jakarta"
#: Indonesia's zones last changed in 1964; from this year on a local time is never ambiguous.
ZONES_FIXED_SINCE = 1970

MONTHS = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "februari": 2,
    "feb": 2,
    "pebruari": 2,
    "february": 2,
    "maret": 3,
    "mar": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "aug": 8,
    "august": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "october": 10,
    "november": 11,
    "nov": 11,
    "nopember": 11,
    "desember": 12,
    "des": 12,
    "dec": 12,
    "december": 12,
}
#: The month names as one alternation, longest first (so that "Nov" does not cut "November").
MONTH_ALTERNATION = "|".join(sorted(MONTHS, key=len, reverse=True))
_ZONE = r"(?:\s*(?P<zone>WITA|WIB|WIT)\b)?"
_CLOCK = r"(?:[\s,|\-]*(?:pukul|jam|at)?\s*(?P<hour>[01]?\d|2[0-3])[:.](?P<minute>[0-5]\d)(?::\d\d)?)?"
#: Date forms, most specific first: 24/10/2020, 11:53 WIB; Kamis, 5 November 2015 14:56 WIB;
#: Maret 30, 2015; 2020-10-24 11:53.
DATE_PATTERNS = [
    re.compile(r"\b(?P<day>[0-3]?\d)[/.-](?P<month>[01]?\d)[/.-](?P<year>(?:19|20)\d\d)\b" + _CLOCK + _ZONE),
    re.compile(
        r"\b(?P<day>[0-3]?\d)\s+(?P<mname>" + MONTH_ALTERNATION + r")\.?\s+(?P<year>(?:19|20)\d\d)\b" + _CLOCK + _ZONE,
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?P<mname>"
        + MONTH_ALTERNATION
        + r")\.?\s+(?P<day>[0-3]?\d),?\s+(?P<year>(?:19|20)\d\d)\b"
        + _CLOCK
        + _ZONE,
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?:[T ]"
        + r"(?P<hour>[01]\d|2[0-3]):(?P<minute>[0-5]\d))?"
        + _ZONE
    ),
]
#: Every date form holds a year.
YEAR = re.compile(r"(?:19|20)\d\d")
#: A date is looked for in the first characters of a line only (datelines open their line).
DATE_SEARCH_CHARS = 1000

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
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")
_SPACE = re.compile(r"\s")
_DIGIT = re.compile(r"\d")

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
    if "-" not in line and "\u2013" not in line and "\u2014" not in line:  # every dateline form ends with a dash
        return None, None, line
    return _remembered_dateline(line)


# --------------------------------------------------------------------------- dates
def parse_published(text: str) -> pd.Timestamp:
    """Find the first Indonesian date (and time) in a text, as a time-zone aware timestamp.

    Examples
    --------
    >>> parse_published("Kamis, 05/11/2015 10:08 WIB")
    Timestamp('2015-11-05 10:08:00+0700', tz='Asia/Jakarta')
    >>> parse_published("Selasa (13/10/2020)")
    Timestamp('2020-10-13 00:00:00+0700', tz='Asia/Jakarta')
    >>> parse_published("Kamis, 5 November 2015 14:56 WITA | 1.229 Views")
    Timestamp('2015-11-05 14:56:00+0800', tz='Asia/Makassar')
    >>> parse_published("Posted on Maret 30, 2015 by Admin")
    Timestamp('2015-03-30 00:00:00+0700', tz='Asia/Jakarta')
    >>> parse_published("tanpa tanggal")
    NaT
    """
    years = [match.start() for match in YEAR.finditer(text)]
    if not years:  # every date form holds a year: most lines are done here
        return pd.NaT
    best = None
    for pattern in _possible_date_patterns(text, years):
        for match in pattern.finditer(text):
            found = stamp(match.groupdict())
            if found is not None:
                if best is None or match.start() < best[0]:
                    best = (match.start(), found)
                break
    return best[1] if best else pd.NaT


#: The zone of each UTC offset used in Indonesia since 1964: WIB (+7), WITA (+8), WIT (+9).
_ZONE_OF_OFFSET = {7 * 3600: "WIB", 8 * 3600: "WITA", 9 * 3600: "WIT"}


def zone_name(stamp) -> str | None:
    """The time zone a date was given in: ``WIB``, ``WITA`` or ``WIT``, else ``UTC`` or ``UTC+05:30``.

    A page in Makassar says "14:56 WITA": the per-article table keeps that zone beside the instant (which is
    stored in WIB so that one column sorts and plots), and :func:`local_time` gives the page's own clock back.

    Examples
    --------
    >>> zone_name(parse_published("Kamis, 5 November 2015 14:56 WITA | 1.229 Views"))
    'WITA'
    >>> zone_name(parse_date_value("2016-02-16T13:01:52+0700")), zone_name(parse_date_value("2019-09-19T10:00Z"))
    ('WIB', 'UTC')
    >>> zone_name(pd.NaT) is None
    True
    """
    if stamp is None or stamp is pd.NaT or pd.isna(stamp) or stamp.tzinfo is None:
        return None
    named = {zone: name for name, zone in TIME_ZONES.items()}.get(str(stamp.tzinfo))
    if named:
        return named
    offset = stamp.utcoffset()
    seconds = int(offset.total_seconds())
    if seconds in _ZONE_OF_OFFSET:
        return _ZONE_OF_OFFSET[seconds]
    if seconds == 0:
        return "UTC"
    sign, seconds = ("+" if seconds > 0 else "-"), abs(seconds)
    return f"UTC{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def local_time(stamp, zone: str | None):
    """``stamp`` on the clock of ``zone`` (a :func:`zone_name`); unchanged when the zone is unknown.

    Examples
    --------
    >>> local_time(pd.Timestamp("2015-11-05 13:56", tz="Asia/Jakarta"), "WITA").isoformat()
    '2015-11-05T14:56:00+08:00'
    >>> local_time(pd.Timestamp("2015-11-05 13:56", tz="Asia/Jakarta"), "UTC-03:00").isoformat()
    '2015-11-05T03:56:00-03:00'
    """
    if stamp is None or stamp is pd.NaT or pd.isna(stamp) or not isinstance(zone, str):
        return stamp
    if zone in TIME_ZONES:
        return stamp.tz_convert(TIME_ZONES[zone])
    found = re.fullmatch(r"UTC(?:([+-])(\d\d):(\d\d))?", zone)
    if not found:
        return stamp
    sign, hours, minutes = found.groups()
    seconds = 0 if sign is None else (1 if sign == "+" else -1) * (int(hours) * 3600 + int(minutes) * 60)
    return stamp.tz_convert(datetime.timezone(datetime.timedelta(seconds=seconds)))


_ISO_STAMP = re.compile(r"^\s*\d{4}-\d\d-\d\d\s*T\s*\d\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:Z|[+-]\d\d:?\d\d)?\s*$")


def parse_date_value(value) -> pd.Timestamp:
    """A date field's or a head meta tag's value as a time-zone aware timestamp (``NaT`` when it holds none).

    ISO 8601 stamps keep their offset; a stamp without one, and Indonesian forms, are read as
    :func:`parse_published` reads them (WIB unless WITA/WIT is written).

    Examples
    --------
    >>> parse_date_value("2016-02-16T13:01:52+0700")
    Timestamp('2016-02-16 13:01:52+0700', tz='UTC+07:00')
    >>> parse_date_value("2019-09-19 00:00:00")
    Timestamp('2019-09-19 00:00:00+0700', tz='Asia/Jakarta')
    >>> parse_date_value("Kamis, 19 September 2019 10:15 WITA")
    Timestamp('2019-09-19 10:15:00+0800', tz='Asia/Makassar')
    >>> parse_date_value("19-Sep-19")
    Timestamp('2019-09-19 00:00:00+0700', tz='Asia/Jakarta')
    >>> parse_date_value(None), parse_date_value("kemarin")
    (NaT, NaT)
    """
    if isinstance(value, (pd.Timestamp, datetime.datetime)):
        stamp_ = pd.Timestamp(value)
        return stamp_.tz_localize(DEFAULT_TIME_ZONE) if stamp_.tzinfo is None else stamp_
    if not isinstance(value, str) or not value.strip():
        return pd.NaT
    if _ISO_STAMP.match(value):
        try:
            found = pd.Timestamp(re.sub(r"\s+", "", value))
        except ValueError:
            found = None
        if found is not None and found is not pd.NaT:
            return found.tz_localize(DEFAULT_TIME_ZONE) if found.tzinfo is None else found
    found = parse_published(value[:DATE_SEARCH_CHARS])
    if found is pd.NaT and len(value) <= 40 and _DIGIT.search(value):
        # Other spellings of one date ("19-Sep-19", "Sep 30, 2019 06:32"): pandas, day first as in Indonesia.
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                found = pd.to_datetime(value, dayfirst=True)
            except (ValueError, OverflowError, TypeError):
                return pd.NaT
        if found is not pd.NaT and found.tzinfo is None:
            found = found.tz_localize(DEFAULT_TIME_ZONE)
    return found


def first_date(candidates) -> pd.Timestamp:
    """The date of the first candidate line that holds one (:func:`parse_published` of its first
    :data:`DATE_SEARCH_CHARS` characters), each distinct candidate tried once; ``NaT`` when none does.

    Examples
    --------
    >>> first_date(["Beranda", "Beranda", "Jumat, 4 September 2015"])
    Timestamp('2015-09-04 00:00:00+0700', tz='Asia/Jakarta')
    """
    tried = set()
    for candidate in candidates:
        candidate = candidate[:DATE_SEARCH_CHARS]
        if candidate not in tried:
            tried.add(candidate)
            published = parse_published(candidate)
            if published is not pd.NaT:
                return published
    return pd.NaT


def _possible_date_patterns(text: str, years: list[int]) -> list[re.Pattern]:
    """The :data:`DATE_PATTERNS` that can match in ``text``, judged by the characters around its years (the
    starts of its ``YEAR`` matches): a year after "/", "." or "-" (24/10/2020); after spaces that follow a
    letter or "." (5 November 2015) or a day and maybe a comma (Maret 30, 2015); or before "-" (2020-10-24).

    Each form is searched over the whole text only where it can match: the month-first form, an
    alternation tried at every word of a 1,000-character paragraph, is the slowest search of a page.
    """
    possible = [False] * 4
    for year in years:
        before = text[year - 1] if year else ""
        possible[0] = possible[0] or before in ("/", ".", "-")
        possible[3] = possible[3] or text[year + 4 : year + 5] == "-"
        if year and _SPACE.match(before):
            gap = year - 1
            while gap > 0 and _SPACE.match(text, gap - 1):
                gap -= 1
            word_end = text[gap - 1] if gap else ""  # the character before the spaces
            possible[1] = possible[1] or word_end == "." or word_end.isalpha()
            day_end = text[gap - 2] if gap >= 2 and word_end == "," else word_end
            possible[2] = possible[2] or _DIGIT.match(day_end) is not None
    return [pattern for pattern, can in zip(DATE_PATTERNS, possible) if can]


def _month_number(name: str) -> int:
    """The number of a month name as the case-insensitive date patterns found it ("Nov", "ſeptember")."""
    number = MONTHS.get(name.lower())
    if number is None:  # a letter that matches only when case is ignored: "ſ" for "s", "K" (Kelvin) for "k"
        number = next(number for key, number in MONTHS.items() if re.fullmatch(key, name, re.IGNORECASE))
    return number


def stamp(groups: dict) -> pd.Timestamp | None:
    """The timestamp of the named groups of a :data:`DATE_PATTERNS` match, or None for no such day.

    Examples
    --------
    >>> stamp({"day": "31", "month": "02", "year": "2020"}) is None
    True
    """
    month = _month_number(groups["mname"]) if groups.get("mname") else int(groups["month"])
    year = int(groups["year"])
    zone = TIME_ZONES.get((groups.get("zone") or "").upper(), DEFAULT_TIME_ZONE)
    fields = {
        "year": year,
        "month": month,
        "day": int(groups["day"]),
        "hour": int(groups.get("hour") or 0),
        "minute": int(groups.get("minute") or 0),
    }
    try:
        if year >= ZONES_FIXED_SINCE:  # no zone transition left to decide: build it zoned (6x faster)
            return pd.Timestamp(datetime.datetime(**fields, tzinfo=_zone_info(zone)))
        naive = pd.Timestamp(**fields)
    except ValueError:  # 31/02/2020 and the like
        return None
    return naive.tz_localize(zone)


@cache
def _zone_info(name: str):
    """The time zone of that name (a stamp built from a ``datetime`` with it is built twice as fast)."""
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


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


def guess_site(lines: list[str]) -> str | None:
    """A page's site: the domain of a body dateline in its first 80 lines, else the first site named in its
    first 40 lines (a domain never spans lines).

    Examples
    --------
    >>> guess_site(["Beranda", "DENPASAR, iNews.id - Gempa mengguncang Bali"])
    'inews.id'
    """
    for line in lines[:80]:
        _, site, _ = dateline_of(line)
        if site and "." in site:
            return site.lower()
    for line in lines[:40]:
        site = _site_named_in(line)
        if site is not None:
            return site
    return None
