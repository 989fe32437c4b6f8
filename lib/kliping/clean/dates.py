"""Publication dates in the forms Indonesian news pages write them, with their time zones.

Examples
--------
>>> parse_published("Kompas.com - 24/10/2020, 11:53 WIB")
Timestamp('2020-10-24 11:53:00+0700', tz='Asia/Jakarta')
>>> parse_published("Selasa, 3 Desember 2019 | 08.15 WITA")
Timestamp('2019-12-03 08:15:00+0800', tz='Asia/Makassar')
"""

from __future__ import annotations

import datetime
import re
from functools import cache

import pandas as pd

#: Time zones of Indonesia's three zone names.
TIME_ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
#: Zone used when a date carries none (most Indonesian news is dated in WIB).
DEFAULT_TIME_ZONE = "Asia/Jakarta"
#: The zone a stamp that states none is read in: WIB's offset (+07:00, Asia/Jakarta's since 1964) under another
#: name, so that the stamp stays known as assumed WIB. On a page that is not Indonesian the assumption is dropped
#: (:func:`zone_unstated`).
ASSUMED_ZONE = "Etc/GMT-7"
#: ``time_zone`` of a stamp whose zone neither the page nor its language tells: its clock is kept as written (stored
#: as if it were UTC, so that the column sorts), and shown without a zone.
UNKNOWN_ZONE = "unknown"
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
#: A zone name after the date or its clock, in any case ("WITA", "wib"), also past a closing bracket: "(1/1/2020) WIT".
_ZONE = r"(?:[\s)]*(?P<zone>(?i:WITA|WIB|WIT))\b)?"
#: A clock: hours up to 24 (24:00 is the end of the day, see :func:`stamp`), minutes and maybe seconds, with ":" or
#: ".", maybe "AM"/"p.m."; never the start of a longer number ("2020 12.000 orang" holds no clock).
_TIME = (
    r"(?P<hour>[01]?\d|2[0-4])[:.](?P<minute>[0-5]\d)(?:[:.](?P<second>[0-5]\d))?(?!\d)"
    r"(?:\s*(?P<meridiem>(?i:[ap])\.?(?i:m)\.?)(?![A-Za-z]))?"
)
#: The clock after a date, past separators and a closing bracket, maybe led by a word in any case: "(1/1/2020) pukul
#: 19.00", "Pkl. 19.00", "jam 19:00:30", "at 7:15".
_CLOCK = r"(?:[\s,|\-)]*(?i:pukul|pkl\.?|pk\.|jam|at)?\s*" + _TIME + ")?"
#: An ISO 8601 time, maybe with seconds, a fraction and a UTC offset ("T19:00:00Z", " 19:00+07:00").
_ISO_TIME = (
    r"(?:\s*[T ]\s*(?P<hour>[01]\d|2[0-4]):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d)(?:[.,]\d+)?)?(?!\d)"
    r"(?:\s*(?P<offset>Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d))?)?"
)
#: Date forms, most specific first: 24/10/2020, 11:53 WIB; Kamis, 5 November 2015 14:56 WIB;
#: Maret 30, 2015; 2020-10-24 11:53 (year, month, day: an ISO date is never read year, day, month).
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
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)" + _ISO_TIME + _ZONE),
]
_SPACE = re.compile(r"\s")
_DIGIT = re.compile(r"\d")
#: Every date form holds a year.
YEAR = re.compile(r"(?:19|20)\d\d")
#: A date is looked for in the first characters of a line only (datelines open their line).
DATE_SEARCH_CHARS = 1000


def parse_published(text: str) -> pd.Timestamp:
    """Find the first Indonesian date (and time) in a text, as a time-zone aware timestamp.

    Examples
    --------
    >>> parse_published("Kamis, 05/11/2015 10:08 WIB")
    Timestamp('2015-11-05 10:08:00+0700', tz='Asia/Jakarta')
    >>> parse_published("Selasa (13/10/2020)")
    Timestamp('2020-10-13 00:00:00+0700', tz='Etc/GMT-7')
    >>> parse_published("Kamis, 5 November 2015 14:56 WITA | 1.229 Views")
    Timestamp('2015-11-05 14:56:00+0800', tz='Asia/Makassar')
    >>> parse_published("Posted on Maret 30, 2015 by Admin")  # no zone stated: WIB assumed (see ASSUMED_ZONE)
    Timestamp('2015-03-30 00:00:00+0700', tz='Etc/GMT-7')
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
    if str(stamp.tzinfo) == UNKNOWN_ZONE:
        return UNKNOWN_ZONE
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
    >>> local_time(zone_unstated(parse_date_value("2019-09-19 14:56")), "unknown").isoformat()
    '2019-09-19T14:56:00'
    """
    if stamp is None or stamp is pd.NaT or pd.isna(stamp) or not isinstance(zone, str):
        return stamp
    if zone == UNKNOWN_ZONE:  # the clock as the page wrote it, without a zone
        return stamp.tz_convert("UTC").tz_localize(None)
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
    Timestamp('2019-09-19 00:00:00+0700', tz='Etc/GMT-7')
    >>> parse_date_value("Kamis, 19 September 2019 10:15 WITA")
    Timestamp('2019-09-19 10:15:00+0800', tz='Asia/Makassar')
    >>> parse_date_value("19-Sep-19")
    Timestamp('2019-09-19 00:00:00+0700', tz='Etc/GMT-7')
    >>> parse_date_value(None), parse_date_value("kemarin")
    (NaT, NaT)
    """
    if isinstance(value, (pd.Timestamp, datetime.datetime)):
        stamp_ = pd.Timestamp(value)
        return _assume_wib(stamp_) if stamp_.tzinfo is None else stamp_
    if not isinstance(value, str) or not value.strip():
        return pd.NaT
    if _ISO_STAMP.match(value):
        try:
            found = pd.Timestamp(re.sub(r"\s+", "", value))
        except ValueError:
            found = None
        if found is not None and found is not pd.NaT:
            return _assume_wib(found) if found.tzinfo is None else found
    found = parse_published(value[:DATE_SEARCH_CHARS])
    if found is pd.NaT and len(value) <= 40 and _DIGIT.search(value):
        found = _other_spelling(value)
    return found


#: A date written year first: 2019-13-01, 2019/12/31.
_YEAR_FIRST = re.compile(r"\s*(?P<year>\d{4})\s*[-/.]\s*(?P<month>\d\d?)\s*[-/.]\s*(?P<day>\d\d?)(?!\d)")


def _other_spelling(value: str) -> pd.Timestamp:
    """Another spelling of one date ("19-Sep-19", "12/31/2019", "2019/12/31") as pandas reads it, day first as in
    Indonesia; ``NaT`` where pandas would make a date up.

    pandas falls back, silently, on any order that gives a real date, and fills in what is missing. So a year-first
    date must read year, month, day ("2019-13-01" was 13 January: month 13 is no date, and an ISO-looking value is
    never year, day, month); and the day and the year pandas gives must be written (as a number, the year in 4 or 2
    digits, or the whole as 20190919): "2019" is no 1 January, "Sep 30" no 30 September of year 1.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found = pd.to_datetime(value, dayfirst=True)
        except (ValueError, OverflowError, TypeError):
            return pd.NaT
    if found is pd.NaT:
        return found
    year_first = _YEAR_FIRST.match(value)
    if year_first and (found.year, found.month, found.day) != tuple(map(int, year_first.groups())):
        return pd.NaT
    numbers = {int(number) for number in re.findall(r"\d+", value)}
    written = found.day in numbers and (found.year in numbers or found.year % 100 in numbers)
    if not (written or int(found.strftime("%Y%m%d")) in numbers):
        return pd.NaT
    return _assume_wib(found) if found.tzinfo is None else found


def parse_date_values(values) -> list:
    """:func:`parse_date_value` of every value, each distinct text parsed once.

    A corpus's date field repeats: the 22,136 CLICK-ID articles hold 328 distinct dates, three of them in a form
    only pandas reads ("19-Sep-19", about 0.9 ms each); one call per row cost 2.6 s CPU, one per distinct text
    about 10 ms. Only texts are remembered: a stamp equals another of the same instant in another zone, and keeps
    its own.

    Examples
    --------
    >>> parse_date_values(["31 Juli 2019", None, "31 Juli 2019", "19-Sep-19"])[1:]
    [NaT, Timestamp('2019-07-31 00:00:00+0700', tz='Etc/GMT-7'), Timestamp('2019-09-19 00:00:00+0700', tz='Etc/GMT-7')]
    """
    parsed: dict[str, pd.Timestamp] = {}
    out = []
    for value in values:
        if type(value) is str:  # a subclass of str may compare equal to a text it does not parse as
            found = parsed.get(value)
            if found is None:
                found = parsed[value] = parse_date_value(value)
            out.append(found)
        else:
            out.append(parse_date_value(value))
    return out


def _assume_wib(naive: pd.Timestamp) -> pd.Timestamp:
    """A zone-less stamp read as WIB: on :data:`ASSUMED_ZONE` from 1970 on (before, Jakarta's own offsets)."""
    return naive.tz_localize(ASSUMED_ZONE if naive.year >= ZONES_FIXED_SINCE else DEFAULT_TIME_ZONE)


def zone_unstated(stamp):
    """A stamp read as WIB because it stated no zone (:data:`ASSUMED_ZONE`) on its own clock with an unknown
    zone (``time_zone`` :data:`UNKNOWN_ZONE`); any other stamp as it is. For pages that are not Indonesian, where
    WIB is no better a guess than any other zone.

    Examples
    --------
    >>> zone_name(zone_unstated(parse_date_value("2019-09-19T14:56:00")))
    'unknown'
    >>> zone_name(zone_unstated(parse_date_value("2019-09-19T14:56:00+01:00"))), zone_name(zone_unstated(pd.NaT))
    ('UTC+01:00', None)
    """
    if stamp is None or stamp is pd.NaT or pd.isna(stamp) or str(stamp.tzinfo) != ASSUMED_ZONE:
        return stamp
    return stamp.tz_localize(None).tz_localize(_UNKNOWN)


_UNKNOWN = datetime.timezone(datetime.timedelta(0), UNKNOWN_ZONE)


def first_date(candidates) -> pd.Timestamp:
    """The date of the first candidate line that holds one (:func:`parse_published` of its first
    :data:`DATE_SEARCH_CHARS` characters), each distinct candidate tried once; ``NaT`` when none does.

    Examples
    --------
    >>> first_date(["Beranda", "Beranda", "Jumat, 4 September 2015"])
    Timestamp('2015-09-04 00:00:00+0700', tz='Etc/GMT-7')
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
    """The timestamp of the named groups of a :data:`DATE_PATTERNS` match, or None for no such day or time.

    A written UTC offset ("Z", "+09:00") is kept; else the zone named (WIB/WITA/WIT), else WIB assumed. "24:00" is
    the end of its day, the instant 00:00 of the next (ISO 8601's reading, and what "batas pukul 24.00 WIB" means):
    each stamp is one instant, and the day's own 00:00 would put it 24 hours early; any other 24:xx is no time.

    Examples
    --------
    >>> stamp({"day": "31", "month": "02", "year": "2020"}) is None
    True
    >>> stamp({"day": "31", "month": "12", "year": "2019", "hour": "24", "minute": "00", "zone": "wit"})
    Timestamp('2020-01-01 00:00:00+0900', tz='Asia/Jayapura')
    """
    month = _month_number(groups["mname"]) if groups.get("mname") else int(groups["month"])
    hour, minute, second = (int(groups.get(name) or 0) for name in ("hour", "minute", "second"))
    try:
        day = datetime.date(int(groups["year"]), month, int(groups["day"]))
    except ValueError:  # 31/02/2020, 2019-13-01 and the like
        return None
    meridiem = (groups.get("meridiem") or "")[:1].lower()
    if meridiem:  # 12-hour clock: "12:05 AM" is 00:05, "06:32 PM" 18:32, "19.00 PM" no time
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    if hour == 24:
        if minute or second:
            return None
        hour, day = 0, day + datetime.timedelta(days=1)
    local = datetime.datetime(day.year, day.month, day.day, hour, minute, second)
    offset = groups.get("offset")
    if offset:
        return pd.Timestamp(local.replace(tzinfo=_fixed_offset(offset)))
    zone = TIME_ZONES.get((groups.get("zone") or "").upper(), ASSUMED_ZONE)
    if day.year >= ZONES_FIXED_SINCE:  # no zone transition left to decide: build it zoned (6x faster)
        return pd.Timestamp(local.replace(tzinfo=_zone_info(zone)))
    return pd.Timestamp(local).tz_localize(DEFAULT_TIME_ZONE if zone == ASSUMED_ZONE else zone)


def _fixed_offset(offset: str) -> datetime.tzinfo:
    """The zone of an ISO 8601 offset: ``Z``, ``+0700`` or ``-03:30``."""
    if offset == "Z":
        return datetime.timezone.utc
    minutes = int(offset[1:3]) * 60 + int(offset[-2:])
    return datetime.timezone(datetime.timedelta(minutes=minutes if offset[0] == "+" else -minutes))


@cache
def _zone_info(name: str):
    """The time zone of that name (a stamp built from a ``datetime`` with it is built twice as fast)."""
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)
