"""Cut the article out of a scraped news page, line by line, from the text alone.

A page arrives as plain text, one block per line (see :mod:`kliping.io`).
Every line gets a *kind* (:data:`KINDS`) and a short *reason*; the ``body``
lines, joined by ``"\\n"``, are the article's ``content``. Lines in = lines
accounted for, always.

How a page is read:

1. **Line features** (:func:`line_features`): length, terminal punctuation,
   share of function words (``yang``, ``dan``, ``di``...), share of
   capitalised words, digits, time crumbs such as ``2 hari lalu``, lines
   repeated within the page, hits of a documented Indonesian boilerplate
   lexicon (``data/clean_lexicon.json``: ``Baca juga``, ``Editor:``,
   ``Terkini Lainnya``, ``Close Ads X``...), the position relative to the
   body's start marker (``WASHINGTON, KOMPAS.com -``) and end markers
   (``Editor:``, ``Artikel Terkait``), and the same measures over the
   neighbouring lines.
2. **A small logistic model** (``data/clean_model.json``, plain JSON
   coefficients, trained on the DEV pages by ``benchmarks/train_clean.py``)
   turns the features of a line into the log-odds that it is body.
3. **Neighbour smoothing**: the body is mostly one contiguous run, so the
   run of lines with the largest summed evidence (a maximum-sum segment, as in
   Kadane's algorithm) is taken; inside it, lines that the lexicon marks as
   boilerplate (``Baca juga: ...``) are left out, and outside it only strong,
   long paragraphs are kept.
4. **Cross-page statistics** (:class:`SiteStats`): when a corpus holds several
   pages of one site, a line (normalised as CCNet does: lower case, digits to
   0, no punctuation) seen on many of the site's pages is template, not body.
5. **Kinds and metadata**: the noise lines are named by the lexicon and their
   place (header zone above the body, widget blocks below it), and the
   record gets ``title``, ``site``, ``published`` (time-zone aware),
   ``byline`` and ``dateline_city``.

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

from __future__ import annotations

import bisect
import datetime
import hashlib
import itertools
import json
import logging
import multiprocessing
import os
import re
import sys
import warnings
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

#: Every kind a line can get. ``blank`` is an empty line of the input.
KINDS = ("title", "dateline", "byline", "caption", "body", "read_also", "related", "section_header",
         "comments", "promo", "pagination", "other", "blank")
#: One colour per line kind, for the coloured pages and charts (body stands out; noise in muted tones).
KIND_COLOURS = {
    "title": "#1f4e79", "dateline": "#5b7fa6", "byline": "#7a6fb0", "caption": "#b07a3b", "body": "#1a7f37",
    "read_also": "#c2410c", "related": "#b91c1c", "section_header": "#9f1239", "comments": "#a16207",
    "promo": "#6b21a8", "pagination": "#4b5563", "other": "#6b7280", "blank": "#d1d5db",
}

#: Time zones of Indonesia's three zone names.
TIME_ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
#: Zone used when a date carries none (most Indonesian news is dated in WIB).
DEFAULT_TIME_ZONE = "Asia/Jakarta"

MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "pebruari": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6,
    "june": 6, "juli": 7, "jul": 7, "july": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "august": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10,
    "october": 10, "november": 11, "nov": 11, "nopember": 11, "desember": 12, "des": 12, "dec": 12,
    "december": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_ZONE = r"(?:\s*(?P<zone>WITA|WIB|WIT)\b)?"
_CLOCK = r"(?:[\s,|\-]*(?:pukul|jam|at)?\s*(?P<hour>[01]?\d|2[0-3])[:.](?P<minute>[0-5]\d)(?::\d\d)?)?"
#: Date forms, most specific first: 24/10/2020, 11:53 WIB; Kamis, 5 November 2015 14:56 WIB;
#: Maret 30, 2015; 2020-10-24 11:53.
DATE_PATTERNS = [
    re.compile(r"\b(?P<day>[0-3]?\d)[/.-](?P<month>[01]?\d)[/.-](?P<year>(?:19|20)\d\d)\b" + _CLOCK + _ZONE),
    re.compile(r"\b(?P<day>[0-3]?\d)\s+(?P<mname>" + _MONTH + r")\.?\s+(?P<year>(?:19|20)\d\d)\b" + _CLOCK + _ZONE,
               re.IGNORECASE),
    re.compile(r"\b(?P<mname>" + _MONTH + r")\.?\s+(?P<day>[0-3]?\d),?\s+(?P<year>(?:19|20)\d\d)\b" + _CLOCK + _ZONE,
               re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?:[T ]" +
               r"(?P<hour>[01]\d|2[0-3]):(?P<minute>[0-5]\d))?" + _ZONE),
]

# Body start: "WASHINGTON, KOMPAS.com -", "Mataram, NTB (ANTARA News) -", "Liputan6.com, Jakarta -",
# "Jakarta -", "TEMPO.CO, Jakarta -". The city is capitalised; the site is a domain or a "X News" name.
_CITY = r"[A-Z][A-Za-z'.]*(?:[ -][A-Z][A-Za-z'.]*){0,3}"
_SITE_NAME = (r"(?:[A-Za-z0-9-]+\.)+(?:com|id|co|net|org|tv|CO|COM|ID)(?:\.id)?"
              r"|[A-Z][A-Za-z0-9]*(?: [A-Z][A-Za-z0-9]*)? News|ANTARA|Antara|TEMPO|Tempo|VIVA|VIVAnews")
_DASH = r"\s*[-\u2013\u2014]+\s*"
DATELINE_PREFIXES = [
    re.compile(r"^(?P<city>" + _CITY + r")(?:,\s*(?P<region>" + _CITY + r"))?(?:\s*,\s*|\s+)\(?(?P<site>" +
               _SITE_NAME + r")\)?" + _DASH),
    re.compile(r"^(?P<site>" + _SITE_NAME + r")\s*,\s*(?P<city>" + _CITY + r")" + _DASH),
    re.compile(r"^(?P<site>" + _SITE_NAME + r")" + _DASH + r"(?=\S)"),
    re.compile(r"^(?P<city>[A-Z][A-Za-z'.]+(?: [A-Z][A-Za-z'.]+)?)(?:,\s*(?P<region>" + _CITY + r"))?" +
               r"\s+[-\u2013\u2014]+(?:\s+|$)"),
]

_WORD = re.compile(r"\w+", re.UNICODE)
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")
#: Characters that separate menu items and crumbs ("Home | News", "Berita » Nasional").
SEPARATOR_CHARS = "|\u00bb\u203a\u2022\u00b7"
_DIGITS = re.compile(r"\d")
# A line with only a person's name: "Anton Suhartono", "Fino Yurio Kristo - detikinet".
_NAME_LINE = re.compile(r"^(?:[A-Z][a-z'.]+|[A-Z]\.)(?: (?:[A-Z][a-z'.]+|[A-Z]\.|bin|binti|de|van)){0,4}"
                        r"(?:\s*[-,|/]\s*[\w.]+(?: [\w.]+)?)?$")

#: Names of the model's features, in order (the JSON model stores its own copy and is checked against it).
FEATURE_NAMES = (
    "log_words", "log_chars", "ends_terminal", "function_share", "capital_share", "digit_share",
    "log_sentences", "separators", "time_crumb", "has_date", "read_also", "section_header", "comments",
    "promo", "pagination", "byline", "caption", "dateline_prefix", "repeated_in_page", "before_start",
    "after_end", "relative_position", "is_title", "log_long_run", "near_function_share", "near_log_words",
    "long_and_wordy",
)


# --------------------------------------------------------------------------- #
# Lexicon and model
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class Lexicon:
    """The boilerplate markers of ``data/clean_lexicon.json``, compiled."""

    function_words: frozenset  # lower case
    markers: dict  # group name -> compiled regex (one alternation over all its patterns), for one line
    page_markers: dict  # the same, to run over a whole page at once (see _PageGroup)


def _compile_group(group: dict) -> re.Pattern:
    parts = []
    parts += [rf"(?:^(?:{p})\s*[:.!]?\s*$)" for p in group.get("line", [])]
    parts += [rf"(?:^(?:{p}))" for p in group.get("start", [])]
    parts += [rf"(?:{p})" for p in group.get("anywhere", [])]
    return re.compile("|".join(parts), re.IGNORECASE)


# An "anywhere" pattern that starts a word: a letter or digit, or a group of plain word alternatives.
_WORD_START = re.compile(r"^(?:\\b)?(?:[A-Za-z0-9]|\\d|\((?:[A-Za-z][^|()\\]*\|)*[A-Za-z][^|()\\]*\))")


@dataclass(frozen=True)
class _PageGroup:
    """One marker group, ready to run over a whole page (see :func:`page_measures`).

    Whole-line patterns run over the page's short lines only (a widget line is short), line-start
    patterns over the first characters of each line, and each "anywhere" pattern carries the literal
    strings one of which any match must contain (lower case), so that a pattern runs only on the lines
    that hold one of its literals (:class:`_AnywhereScan`).
    """

    whole_line: str | None
    line_start: str | None
    anywhere: tuple  # of (pattern, literals or None, starts_a_word)

    def any_case_hits(self, text: str, line_starts: list[int]) -> set[int]:
        """The lines of ``text`` (lines joined by newlines, not lower-cased) that hold an "anywhere" match."""
        return _lines_hit(_anywhere_regex(self, tuple(range(len(self.anywhere))), False), text, line_starts)


class _AnywhereScan:
    """The "anywhere" patterns of several marker groups, to find in one pass over a lower-cased page.

    One Aho-Corasick automaton holds the literals of every pattern (:func:`_literal_cover`); its hits
    over the page name, per group, the lines worth searching and the patterns worth searching them for
    (those whose literal the line holds). Patterns without a literal run over the whole page.
    """

    def __init__(self, groups: tuple):
        import ahocorasick

        self.groups = groups
        owners = {}  # literal -> group -> indices of the patterns it stands for
        for g, group in enumerate(groups):
            for i, cover in enumerate(_literal_cover(group)):
                for literal in cover or ():
                    owners.setdefault(literal, {}).setdefault(g, []).append(i)
        self.automaton = ahocorasick.Automaton()
        for literal, by_group in owners.items():
            self.automaton.add_word(literal, (len(literal), tuple((g, tuple(i)) for g, i in by_group.items())))
        self.automaton.make_automaton()
        self.without_literal = tuple(
            _anywhere_regex(group, tuple(i for i, cover in enumerate(_literal_cover(group)) if cover is None), True)
            if None in _literal_cover(group) else None for group in groups)
        self._regexes = {}  # (group, pattern indices) -> the regex of those patterns

    def hits(self, lower: str, starts: list[int], lengths: list[int]) -> list[set[int]]:
        """Per group, the lines of ``lower`` (lines of these ``lengths`` joined by newlines, starting at ``starts``)
        that hold a match.

        Each line is searched alone (``pos``/``endpos``: ``^``, ``$`` and ``\\b`` see the line ends, as in
        the line by itself).
        """
        wanted = {}  # (group, line) -> indices of the patterns to search the line for
        for end, (length, owners) in self.automaton.iter(lower):
            line = bisect.bisect_right(starts, end - length + 1) - 1
            for g, patterns in owners:
                wanted.setdefault((g, line), set()).update(patterns)
        hits = [set() if pattern is None else _lines_hit(pattern, lower, starts) for pattern in self.without_literal]
        for (g, line), patterns in wanted.items():
            start = starts[line]
            if line not in hits[g] and self._regex(g, patterns).search(lower, start, start + lengths[line]):
                hits[g].add(line)
        return hits

    def _regex(self, g: int, patterns: set) -> re.Pattern:
        key = (g, tuple(sorted(patterns)))
        regex = self._regexes.get(key)
        if regex is None:
            regex = self._regexes[key] = _anywhere_regex(self.groups[g], key[1], True)
        return regex


@lru_cache(maxsize=8)
def _anywhere_scan(groups: tuple) -> _AnywhereScan:
    return _AnywhereScan(groups)


@lru_cache(maxsize=None)
def _literal_cover(group: _PageGroup) -> tuple:
    """Per "anywhere" pattern, the fewest strings one of which each match holds (``None``: unknown).

    A literal that holds another literal of the group needs no search of its own: where it is, the
    shorter one is too ("berkomentar", "komentar"). Searching these finds every line that can match.
    """
    every = {literal for _, literals, _ in group.anywhere if literals for literal in literals}
    minimal = {literal for literal in every if not any(other != literal and other in literal for other in every)}
    return tuple(None if literals is None else tuple(sorted({next(m for m in sorted(minimal) if m in literal)
                                                             for literal in literals}))
                 for _, literals, _ in group.anywhere)


@lru_cache(maxsize=4096)
def _anywhere_regex(group: _PageGroup, active: tuple, lower: bool) -> re.Pattern:
    word_start = [group.anywhere[i][0] for i in active if group.anywhere[i][2]]
    other = [group.anywhere[i][0] for i in active if not group.anywhere[i][2]]
    parts = ([r"\b(?:" + "|".join(word_start) + ")"] if word_start else []) + other
    return _page_regex("|".join(f"(?:{p})" for p in parts), lower)


def _line_regex(pattern: str | None, lower: bool) -> re.Pattern | None:
    """A page regex of a pattern anchored at line starts (``^...``), to run over ``"\\n" + page``.

    The ``^`` becomes the newline before each line: a literal first character lets the regex engine jump
    from line to line instead of trying every position of the page. A match starts where its line does
    in the page without that newline.
    """
    if pattern is None:
        return None
    if not pattern.startswith("^"):
        raise ValueError(f"not anchored at the line start: {pattern!r}")
    return _page_regex("\n" + pattern[1:], lower)


def _page_regex(pattern: str, lower: bool) -> re.Pattern:
    pattern = _one_line(pattern)
    return re.compile(_lower_literals(pattern), re.MULTILINE) if lower else \
        re.compile(pattern, re.IGNORECASE | re.MULTILINE)


def _compile_page_group(group: dict) -> _PageGroup:
    """One marker group as a :class:`_PageGroup`: run over a whole page (lines joined by newlines) it finds
    the lines the per-line regex of :func:`_compile_group` finds, several times faster: ``^``/``$`` anchor per
    line, no match crosses a line end (:func:`_one_line`), patterns that start a word are tried at word
    starts only, only patterns whose literal occurs on the page run, and lower-cased text needs no case
    folding."""
    whole_line = r"^(?:" + "|".join(group["line"]) + r")\s*[:.!]?\s*$" if group.get("line") else None
    line_start = r"^(?:" + "|".join(group["start"]) + ")" if group.get("start") else None
    anywhere = []
    for pattern in group.get("anywhere", []):
        starts_word = bool(_WORD_START.match(pattern))
        body = re.sub(r"^\\b", "", pattern) if starts_word else pattern
        anywhere.append((body, _required_literals(_lower_literals(pattern)), starts_word))
    return _PageGroup(whole_line, line_start, tuple(anywhere))


#: Literals shorter than this are too common to skip a pattern with.
MIN_LITERAL_CHARS = 3


def _required_literals(pattern: str) -> frozenset | None:
    """Strings one of which every match of ``pattern`` contains, or ``None`` when that is not known.

    Examples
    --------
    >>> sorted(_required_literals(r"\\b(google|apple) (play|store)"))
    ['apple play', 'apple store', 'google play', 'google store']
    >>> sorted(_required_literals(r"\\bads? x\\b"))
    ['ad x', 'ads x']
    >>> _required_literals(r"\\d+(st|nd)") is None
    True
    """
    try:
        from re import _constants as constants, _parser as parser  # Python >= 3.11
    except ImportError:  # Python 3.10
        import sre_constants as constants
        import sre_parse as parser
    try:
        parsed = parser.parse(pattern)
    except Exception:  # an unusual pattern: never skipped
        return None

    def exact(item) -> set | None:
        """The finite set of strings an item matches, or None."""
        op, arg = item
        if op is constants.LITERAL:
            return {chr(arg)}
        if op is constants.SUBPATTERN:
            return exact_sequence(arg[-1])
        if op is constants.BRANCH:
            options = [exact_sequence(branch) for branch in arg[1]]
            return None if any(o is None for o in options) else set().union(*options)
        if op is constants.MAX_REPEAT and arg[0] == 0 and arg[1] == 1:
            inner = exact_sequence(arg[2])
            return None if inner is None else inner | {""}
        if op is constants.IN and all(o is constants.LITERAL for o, _ in arg) and len(arg) <= 4:
            return {chr(v) for _, v in arg}
        return None

    def exact_sequence(items) -> set | None:
        strings = {""}
        for item in items:
            options = exact(item)
            if options is None or len(strings) * len(options) > MAX_LITERALS:
                return None
            strings = {a + b for a in strings for b in options}
        return strings

    def required(items) -> frozenset | None:
        """Best literal set of a sequence: the runs of exact items, or what a repeated/grouped item requires."""
        candidates, run = [], {""}
        for item in list(items) + [(None, None)]:
            options = exact(item) if item[0] is not None else None
            if options is not None and len(run) * len(options) <= MAX_LITERALS:
                run = {a + b for a in run for b in options}
                continue
            if run != {""}:
                candidates.append(frozenset(run))
            run = {""} if options is None else set(options)
            op, arg = item
            if op is constants.SUBPATTERN:
                candidates.append(required(arg[-1]))
            elif op is constants.BRANCH:
                branches = [required(branch) for branch in arg[1]]
                candidates.append(None if any(b is None for b in branches) else frozenset().union(*branches))
            elif op in (constants.MAX_REPEAT, constants.MIN_REPEAT) and arg[0] >= 1:
                candidates.append(required(arg[2]))
        usable = [c for c in candidates if c and min(map(len, c)) >= MIN_LITERAL_CHARS]
        return max(usable, key=lambda c: min(map(len, c))) if usable else None

    return required(parsed)


#: At most this many literal strings per pattern (products of alternatives grow fast).
MAX_LITERALS = 64


def _lower_literals(pattern: str) -> str:
    """Lower-case a regex's literal letters, leaving escapes (``\\S``, ``\\W``, ``\\d``...) alone."""
    return re.sub(r"\\.|[^\\]+", lambda m: m.group() if m.group().startswith("\\") else m.group().lower(), pattern)


def _one_line(pattern: str) -> str:
    """Rewrite a per-line regex so that, run over a whole page, no match crosses a line end.

    ``\\s`` becomes "whitespace but not a newline" and ``[^...]`` classes exclude the newline;
    ``^``/``$`` are anchored per line by ``re.MULTILINE``.
    """
    out, i, in_class = [], 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            pair = pattern[i:i + 2]
            out.append((" \\t\\x0b\\x0c\\r\\xa0" if in_class else "[^\\S\\n]") if pair == "\\s" else pair)
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            if pattern[i + 1:i + 2] == "^":
                out.append("[^\\n")
                i += 2
                continue
        elif char == "]" and in_class and out and out[-1] not in ("[", "[^\\n"):
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


@lru_cache(maxsize=None)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Load the boilerplate lexicon (default: the one shipped in ``kliping/data``).

    Examples
    --------
    >>> lexicon = load_lexicon()
    >>> bool(lexicon.markers["read_also"].search("Baca juga: Gempa di Bali"))
    True
    >>> "yang" in lexicon.function_words
    True
    """
    if path is None:
        raw = resources.files("kliping").joinpath("data/clean_lexicon.json").read_text(encoding="utf-8")
    else:
        raw = Path(path).read_text(encoding="utf-8")
    data = json.loads(raw)
    markers = {name: _compile_group(group) for name, group in data["markers"].items()}
    page_markers = {name: _compile_page_group(group) for name, group in data["markers"].items()}
    page_markers = {name: (group, _line_regex(group.whole_line, True), _line_regex(group.line_start, True),
                           _line_regex(group.whole_line, False), _line_regex(group.line_start, False))
                    for name, group in page_markers.items()}
    return Lexicon(frozenset(w.lower() for w in data["function_words"]["words"]), markers, page_markers)


@dataclass(frozen=True)
class LineModel:
    """A logistic model over :data:`FEATURE_NAMES`, read from JSON."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    meta: dict = field(default_factory=dict)

    def log_odds(self, features: np.ndarray) -> np.ndarray:
        """Log-odds that each line (row of ``features``) is body.

        Summed row by row (not by a matrix product, whose rounding depends on how many rows it gets): a
        line's log-odds are the same whether its page is cleaned alone or in a batch.
        """
        return (((np.ascontiguousarray(features) - self.mean) / self.scale) * self.coef).sum(axis=1) + self.intercept


MODEL_FILE = "clean_model.json"


@lru_cache(maxsize=None)
def load_model(path: str | None = None) -> LineModel:
    """Load the line model (default: ``kliping/data/clean_model.json``)."""
    if path is None:
        raw = resources.files("kliping").joinpath(f"data/{MODEL_FILE}").read_text(encoding="utf-8")
    else:
        raw = Path(path).read_text(encoding="utf-8")
    data = json.loads(raw)
    if tuple(data["features"]) != FEATURE_NAMES:
        raise ValueError("the line model was trained on other features; retrain it with benchmarks/train_clean.py")
    return LineModel(np.array(data["mean"]), np.array(data["scale"]), np.array(data["coef"]),
                     float(data["intercept"]), {k: v for k, v in data.items() if k not in ("mean", "scale", "coef")})


# --------------------------------------------------------------------------- #
# Small text helpers
# --------------------------------------------------------------------------- #
def normalise_line(line: str) -> str:
    """Normalise a line for hashing across pages, as CCNet does.

    Lower case, every digit to ``0``, punctuation dropped, spaces collapsed.

    Examples
    --------
    >>> normalise_line("  Kamis, 05/11/2015 10:08 WIB ")
    'kamis 00 00 0000 00 00 wib'
    """
    return " ".join(line.lower().translate(_NORMALISE_TABLE).split())


def line_hash(line: str) -> bytes:
    """A short hash of :func:`normalise_line` (8 bytes)."""
    return hashlib.blake2b(normalise_line(line).encode(), digest_size=8).digest()


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
            rest = line[match.end():].strip()
            # Few words (counted only as far as the fourth: a body's opening line is long) and a date.
            few_words = len(list(itertools.islice(_LETTER_WORD.finditer(rest), 4))) < 4
            if few_words and any(p.search(rest) for p in DATE_PATTERNS):
                break  # "Kompas.com - 24/10/2020, 11:53 WIB" is the site/date line, not a body's opening
            return city, groups.get("site"), rest
    return None, None, line


# Every dateline form but the last names a site and puts a dash (or, "KOMPAS.com, Jakarta -", a comma) right
# after it: without such an ending on the line, only the last form can match. (On a Title Case headline such as
# "Atraksi Ondel-Ondel Dari Taiwan" the other forms try every split into city and site, for a long time.)
_SITE_BEFORE_DASH = re.compile(r"(?:\.(?:com|id|co|net|org|tv|CO|COM|ID)|News|ANTARA|Antara|TEMPO|Tempo|VIVA|VIVAnews)"
                               r"\)?\s*[-\u2013\u2014,]")
_CITY_DATELINE = DATELINE_PREFIXES[-1]
_SPLIT_DATELINE_MEMO = None  # set below, once _new_memo exists


def _split_dateline_memo(line: str) -> tuple[str | None, str | None, str]:
    """:func:`split_dateline`, remembered per line (its result depends on the line alone)."""
    if "-" not in line and "\u2013" not in line and "\u2014" not in line:  # every dateline form ends with a dash
        return None, None, line
    found = _SPLIT_DATELINE_MEMO.get(line)
    if found is None:
        found = split_dateline(line)
        if len(line) <= LINE_MEMO_MAX_CHARS:
            _SPLIT_DATELINE_MEMO[line] = found
            _SPLIT_DATELINE_MEMO.trim()
    return found


# Capitalised words that open a sentence with a dash but are no city.
_NOT_CITIES = {"baca", "simak", "lihat", "editor", "penulis", "reporter", "foto", "video", "halaman", "home",
               "berita", "artikel", "oleh", "sumber", "ilustrasi", "update", "live", "breaking"}


def parse_published(text: str) -> pd.Timestamp:
    """Find the first Indonesian date (and time) in a text, as a time-zone aware timestamp.

    Examples
    --------
    >>> parse_published("Kompas.com - 24/10/2020, 11:53 WIB")
    Timestamp('2020-10-24 11:53:00+0700', tz='Asia/Jakarta')
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
    years = [match.start() for match in _YEAR.finditer(text)]
    if not years:  # every date form holds a year: most lines are done here
        return pd.NaT
    best = None
    for pattern in _possible_date_patterns(text, years):
        for match in pattern.finditer(text):
            stamp = _stamp(match.groupdict())
            if stamp is not None:
                if best is None or match.start() < best[0]:
                    best = (match.start(), stamp)
                break
    return best[1] if best else pd.NaT


_SPACE = re.compile(r"\s")


def _possible_date_patterns(text: str, years: list[int]) -> list[re.Pattern]:
    """The :data:`DATE_PATTERNS` that can match in ``text``, judged by the characters around its years (the
    starts of its ``_YEAR`` matches): a year after "/", "." or "-" (24/10/2020); after spaces that follow a
    letter or "." (5 November 2015) or a day and maybe a comma (Maret 30, 2015); or before "-" (2020-10-24).

    Each form is searched over the whole text only where it can match: the month-first form, an
    alternation tried at every word of a 1,000-character paragraph, is the slowest search of a page.
    """
    possible = [False] * 4
    for year in years:
        before = text[year - 1] if year else ""
        possible[0] = possible[0] or before in ("/", ".", "-")
        possible[3] = possible[3] or text[year + 4:year + 5] == "-"
        if year and _SPACE.match(before):
            gap = year - 1
            while gap > 0 and _SPACE.match(text, gap - 1):
                gap -= 1
            word_end = text[gap - 1] if gap else ""  # the character before the spaces
            possible[1] = possible[1] or word_end == "." or word_end.isalpha()
            day_end = text[gap - 2] if gap >= 2 and word_end == "," else word_end
            possible[2] = possible[2] or _DIGITS.match(day_end) is not None
    return [pattern for pattern, can in zip(DATE_PATTERNS, possible) if can]


def _month_number(name: str) -> int:
    """The number of a month name as the case-insensitive date patterns found it ("Nov", "ſeptember")."""
    number = MONTHS.get(name.lower())
    if number is None:  # a letter that matches only when case is ignored: "ſ" for "s", "K" (Kelvin) for "k"
        number = next(number for key, number in MONTHS.items() if re.fullmatch(key, name, re.IGNORECASE))
    return number


def _stamp(groups: dict) -> pd.Timestamp | None:
    month = _month_number(groups["mname"]) if groups.get("mname") else int(groups["month"])
    year = int(groups["year"])
    zone = TIME_ZONES.get((groups.get("zone") or "").upper(), DEFAULT_TIME_ZONE)
    fields = dict(year=year, month=month, day=int(groups["day"]), hour=int(groups.get("hour") or 0),
                  minute=int(groups.get("minute") or 0))
    try:
        if year >= ZONES_FIXED_SINCE:  # no zone transition left to decide: build it zoned (6x faster)
            return pd.Timestamp(datetime.datetime(**fields, tzinfo=_zone_info(zone)))
        naive = pd.Timestamp(**fields)
    except ValueError:  # 31/02/2020 and the like
        return None
    return naive.tz_localize(zone)


#: Indonesia's zones last changed in 1964; from this year on a local time is never ambiguous.
ZONES_FIXED_SINCE = 1970


@lru_cache(maxsize=None)
def _zone_info(name: str):
    """The time zone of that name (a stamp built from a ``datetime`` with it is built twice as fast)."""
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


# --------------------------------------------------------------------------- #
# Features
# --------------------------------------------------------------------------- #
def _same_normalised(a: str, b: str) -> bool:
    """Whether two normalised lines are the same headline (equal, or one nearly all of the other)."""
    return bool(a) and (a == b or (len(a) > 20 and (a in b or b in a) and min(len(a), len(b)) > 0.7 * max(len(a), len(b))))


# Dates without their optional clock and zone: enough to say whether a line holds a date.
_PAGE_DATE_ANY_CASE = re.compile(
    r"\b[0-3]?\d[/.-][01]?\d[/.-](?:19|20)\d\d\b"
    r"|\b[0-3]?\d[^\S\n]+(?:" + _MONTH + r")\.?[^\S\n]+(?:19|20)\d\d\b"
    r"|\b(?:" + _MONTH + r")\.?[^\S\n]+[0-3]?\d,?[^\S\n]+(?:19|20)\d\d\b", re.IGNORECASE)
_PAGE_DATE = re.compile(_PAGE_DATE_ANY_CASE.pattern)  # for lower-cased text (the month names are lower case)
_YEAR = re.compile(r"(?:19|20)\d\d")
_CAPITALISED = re.compile(r"\b[A-Z\u00c0-\u00de]")
_DASH_CHAR = re.compile(r"[-\u2013\u2014]")
#: A body's dateline prefix ("WASHINGTON, KOMPAS.com -") has its dash within this many characters.
DATELINE_MAX_CHARS = 80


#: Whole-line widget markers ("Terkini Lainnya", "Halaman: 1 2 3") are looked for in lines up to this long.
WIDGET_MAX_CHARS = 120
#: Line-start markers ("Baca juga:", "Editor:") are looked for in this many first characters of a line.
LINE_START_CHARS = 120


def _starts_of(lengths: list[int]) -> list[int]:
    """Offsets of the lines of a text whose lines have these lengths (joined by newlines)."""
    return list(itertools.accumulate([length + 1 for length in lengths[:-1]], initial=0)) if lengths else []


# The page scans below find a line's matches with bisect in plain lists: a page has a few dozen matches at
# most, too few to pay for numpy's calls.
def _lines_hit(pattern: re.Pattern | tuple, text: str, line_starts: list[int]) -> set[int]:
    """The lines of the page ``text`` (lines joined by newlines, starting at ``line_starts``) that hold a match
    of ``pattern`` (of any of a tuple of patterns)."""
    patterns = pattern if isinstance(pattern, tuple) else (pattern,)
    return {bisect.bisect_right(line_starts, match.start()) - 1
            for pattern in patterns for match in pattern.finditer(text)}


def page_measures(lines: list[str], lexicon: Lexicon | None = None) -> list[dict]:
    """Raw measures of every line of a page: words, punctuation, function words, lexicon hits...

    Every measure of a line depends on that line alone, so they are remembered per line
    (:data:`LINE_MEMO_MAX_LINES` lines at most; :func:`clear_caches` forgets them): a site's menus, footers
    and related headlines, repeated on many pages, are measured once. The lines not seen before are
    measured together, the lexicon and the date patterns running once over all of them (joined by
    newlines) instead of once per line; the result is the same as measuring line by line.

    Parameters
    ----------
    lines : list of str
        The page's stripped, non-empty lines (none holds a newline).

    Examples
    --------
    >>> first, second = page_measures(["Baca juga: Gempa di Bali",
    ...                                "BEKASI, KOMPAS.com - Banjir merendam ratusan rumah di Bekasi."])
    >>> first["read_also"], first["words"], second["dateline_prefix"], second["ends_terminal"]
    (True, 5, True, True)
    """
    lexicon = lexicon or load_lexicon()
    matrix, normalised = _remembered_measures(lines, lexicon)
    return _measure_dicts(matrix, normalised, _measure_layout(lexicon))


#: At most this many lines' measures are remembered (about 1 kB each); the oldest quarter goes when full.
LINE_MEMO_MAX_LINES = 200_000
#: Longer lines are body paragraphs, which seldom repeat: they are measured every time, never remembered.
LINE_MEMO_MAX_CHARS = 300


class _BoundedMemo(dict):
    """A dict that forgets its oldest quarter when it holds more than ``max_items`` (first in, first out)."""

    def __init__(self, max_items: int):
        super().__init__()
        self.max_items = max_items

    def trim(self) -> None:
        if len(self) > self.max_items:
            for key in list(itertools.islice(self, len(self) - self.max_items * 3 // 4)):
                del self[key]


#: Every memo of this module, for :func:`clear_caches`.
_MEMOS: list[_BoundedMemo] = []


def _new_memo(max_items: int = LINE_MEMO_MAX_LINES) -> _BoundedMemo:
    memo = _BoundedMemo(max_items)
    _MEMOS.append(memo)
    return memo


# Line -> (its row of measures as float64 bytes, in _measure_layout order; its normalised form), one memo per
# scanning mode (see _measure_lines), for the lexicon in _MEASURE_MEMO_OWNER (another lexicon empties them).
_MEASURE_MEMOS = {True: _new_memo(), False: _new_memo()}
_MEASURE_MEMO_OWNER: list = [None]


_SPLIT_DATELINE_MEMO = _new_memo()
_WORDED_MEMO = _new_memo()
# Line -> the site named in it (kliping.io.guess_site of that line alone), for _guess_site.
_SITE_MEMO = _new_memo()


@lru_cache(maxsize=None)
def _io():
    """:mod:`kliping.io`, imported on first use (importing it in a loop costs every time)."""
    from kliping import io

    return io


def clear_caches() -> None:
    """Forget every remembered line (measures, datelines, sites); the output never depends on them.

    Examples
    --------
    >>> _ = page_measures(["Beranda"]); clear_caches(); sum(len(memo) for memo in _MEMOS)
    0
    """
    for memo in _MEMOS:
        memo.clear()


def _remembered_measures(lines: list[str], lexicon: Lexicon,
                         same_offsets: bool | None = None) -> tuple[np.ndarray, list[str]]:
    """The measures of every line, one row per line (columns :func:`_measure_layout`), and the normalised
    lines (:func:`normalise_line`), from the memo where a line was seen before. ``same_offsets`` is
    :func:`_keeps_offsets` of the lines, when known."""
    if _MEASURE_MEMO_OWNER[0] is not lexicon:
        for memo in _MEASURE_MEMOS.values():
            memo.clear()
        _MEASURE_MEMO_OWNER[0] = lexicon
        if any(_DIGITS.search(word) or "_" in word for word in lexicon.function_words):
            raise ValueError("function words are letters only (a normalised word has its digits as 0)")
    # Lower-casing keeps every offset for nearly all text; when it does not ("İ"), the page is scanned in
    # any case instead, and its lines are remembered apart.
    if same_offsets is None:
        same_offsets = _keeps_offsets(lines)
    memo = _MEASURE_MEMOS[same_offsets]
    width = len(_measure_layout(lexicon))
    entries = list(map(memo.get, lines))
    if None in entries:
        unseen = list(dict.fromkeys(line for line, entry in zip(lines, entries) if entry is None))
        matrix, normalised = _measure_lines(unseen, lexicon, same_offsets)
        if len(unseen) == len(lines):  # every line new and none twice: the rows are the page's
            for line, row, key in zip(unseen, matrix, normalised):
                if len(line) <= LINE_MEMO_MAX_CHARS:
                    memo[line] = (row.tobytes(), key)
            memo.trim()
            return matrix, normalised
        blob, size = matrix.tobytes(), 8 * width
        fresh = {line: (blob[i * size:(i + 1) * size], key) for i, (line, key) in enumerate(zip(unseen, normalised))}
        for line, entry in fresh.items():
            if len(line) <= LINE_MEMO_MAX_CHARS:
                memo[line] = entry
        memo.trim()
        entries = [entry if entry is not None else fresh[line] for line, entry in zip(lines, entries)]
    matrix = np.frombuffer(b"".join([row for row, _ in entries]), dtype=float).reshape(len(lines), width)
    return matrix, [key for _, key in entries]


def _keeps_offsets(lines: list[str]) -> bool:
    """Whether lower-casing leaves every line as long as it is (it does not for "İ", which becomes two)."""
    return all(len(line.lower()) == len(line) for line in itertools.filterfalse(str.isascii, lines))


#: The measures of a line, before the lexicon's marker groups (see :func:`_measure_layout`).
_LINE_MEASURES = ("words", "chars", "ends_terminal", "function_share", "capital_share", "digit_share", "sentences",
                  "separators", "has_date", "dateline_prefix")
# The Python type of each measure in page_measures' dicts (the others, and every marker group, are bool).
_MEASURE_TYPES = {"words": int, "chars": int, "sentences": int, "separators": int, "function_share": float,
                  "capital_share": float, "digit_share": float}


def _measure_layout(lexicon: Lexicon) -> tuple:
    """The columns of a row of measures: :data:`_LINE_MEASURES`, then one 0/1 per marker group of the lexicon."""
    return _LINE_MEASURES + tuple(lexicon.page_markers)


def _measure_dicts(matrix: np.ndarray, normalised: list[str], layout: tuple) -> list[dict]:
    """The rows of measures as :func:`page_measures` gives them: one dict per line, each value of its type."""
    values = [matrix[:, j].astype(_MEASURE_TYPES.get(name, bool)).tolist() for j, name in enumerate(layout)]
    before = len(_LINE_MEASURES)
    dicts = []
    for i, key in enumerate(normalised):
        measures = {name: column[i] for name, column in zip(layout[:before], values)}
        measures["normalised"] = key
        measures.update((name, column[i]) for name, column in zip(layout[before:], values[before:]))
        dicts.append(measures)
    return dicts


class _CharTable(dict):
    """A :meth:`str.translate` table filled on first use of each character by ``classify(char)``."""

    def __init__(self, classify):
        super().__init__()
        self.classify = classify

    def __missing__(self, code: int) -> str:
        value = self[code] = self.classify(chr(code))
        return value


_WORD_CHAR = re.compile(r"\w")
# Lower-cased line -> CCNet's normalisation before the spaces collapse: digits 0, punctuation and "_" a space.
_NORMALISE_TABLE = _CharTable(lambda c: "0" if _DIGITS.match(c) else c if _WORD_CHAR.match(c) and c != "_" else " ")
# Line -> "A" where _CAPITALISED can match a capital, "0" for a digit, "a" for another word character, " " else.
_CAPITAL_TABLE = _CharTable(lambda c: " " if c == "\u00d7" or not _WORD_CHAR.match(c) else "0" if _DIGITS.match(c)
                            else "A" if _CAPITALISED.match(c) else "a")


# The same two tables for ASCII text as bytes.
_NORMALISE_BYTES = bytes(ord(_NORMALISE_TABLE[i]) for i in range(128)) + bytes(range(128, 256))
_CAPITAL_BYTES = bytes(ord(_CAPITAL_TABLE[i]) for i in range(128)) + bytes(range(128, 256))


@lru_cache(maxsize=8)
def _ascii_words(words: frozenset) -> frozenset:
    """The ASCII words of a set, as bytes."""
    return frozenset(word.encode("ascii") for word in words if word.isascii())


def _measure_lines(lines: list[str], lexicon: Lexicon, same_offsets: bool) -> tuple[np.ndarray, list[str]]:
    """Measure distinct lines together (see :func:`page_measures`): one row per line (columns
    :func:`_measure_layout`) and the normalised lines.

    ``same_offsets`` says whether the page keeps its offsets when lower-cased: then the lower-cased text is
    scanned with lower-case patterns, else the text itself with case-insensitive ones.
    """
    n = len(lines)
    text = "\n".join(lines)
    lengths = [len(line) for line in lines]
    line_starts = _starts_of(lengths)
    lower = text.lower() if same_offsets else None
    # Whole-line markers are tried on the short lines only, line-start markers on each line's first
    # characters ("…" ends a cut line, so that "$" cannot match there): most of a page is long paragraphs.
    scanned = lower if same_offsets else text
    scanned_lines = scanned.split("\n")
    short = [i for i, length in enumerate(lengths) if length <= WIDGET_MAX_CHARS]
    if len(short) == n:  # all short: the page itself
        short_text, short_starts = scanned, line_starts
    else:
        short_text = "\n".join([scanned_lines[i] for i in short])
        short_starts = _starts_of([lengths[i] for i in short])
    if max(lengths, default=0) <= LINE_START_CHARS:  # no line to cut: the heads are the page itself
        head_text, head_starts = scanned, line_starts
    else:
        heads = [line if len(line) <= LINE_START_CHARS else line[:LINE_START_CHARS] + "\u2026"
                 for line in scanned_lines]
        head_text, head_starts = "\n".join(heads), _starts_of([len(h) for h in heads])
    short_text, head_text = "\n" + short_text, "\n" + head_text  # see _line_regex
    hits = {}
    with_anywhere = [name for name, markers in lexicon.page_markers.items() if markers[0].anywhere]
    if same_offsets:  # every group's "anywhere" patterns at once
        scan = _anywhere_scan(tuple(lexicon.page_markers[name][0] for name in with_anywhere))
        anywhere = dict(zip(with_anywhere, scan.hits(scanned, line_starts, lengths)))
    for name, (group, whole_lower, start_lower, whole_any, start_any) in lexicon.page_markers.items():
        hit = set()
        whole, start = (whole_lower, start_lower) if same_offsets else (whole_any, start_any)
        if whole is not None and short:
            hit.update(short[i] for i in _lines_hit(whole, short_text, short_starts))
        if start is not None:
            hit |= _lines_hit(start, head_text, head_starts)
        # A group without "anywhere" patterns scans nothing: its empty pattern would match every line.
        if group.anywhere:
            hit |= anywhere[name] if same_offsets else group.any_case_hits(scanned, line_starts)
        hits[name] = hit
    # A date holds a year: only the few lines with a year-like number are searched for a whole date.
    date_rx = _PAGE_DATE if same_offsets else _PAGE_DATE_ANY_CASE
    has_date = {i for i in _lines_hit(_YEAR_SCANS, scanned, line_starts)
                if date_rx.search(scanned, line_starts[i], line_starts[i] + lengths[i])}
    lower_lines = scanned_lines if same_offsets else [line.lower() for line in lines]
    # Counts per line, each from one pass over the page.
    sentences = _lines_count(_SENTENCE_BREAK_SCANS, text, line_starts)
    separators = _lines_count(_SEPARATOR_SCANS, text, line_starts)
    is_function_word = lexicon.function_words.__contains__
    is_ascii_function_word = _ascii_words(lexicon.function_words).__contains__
    word_counts, function_counts, capital_counts, digit_counts, datelines, normalised = [], [], [], [], [], []
    for line, lower_line in zip(lines, lower_lines):
        # The normalised line's words are the line's \w+ words (digits as 0, which no function word holds),
        # unless "_" joins two of them. ASCII lines (most) go through bytes, whose translate is much faster.
        ascii_line = line.isascii()
        if ascii_line:
            raw = line.encode("ascii")
            words = raw.lower().translate(_NORMALISE_BYTES).split()
            normalised.append(b" ".join(words).decode("ascii"))
            function_words = sum(map(is_ascii_function_word, words))
            shape = raw.translate(_CAPITAL_BYTES)
            capital_counts.append(shape.count(b" A") + shape.startswith(b"A"))  # (b" " + shape).count(b" A")
            digit_counts.append(shape.count(b"0"))
        else:
            words = lower_line.translate(_NORMALISE_TABLE).split()
            normalised.append(" ".join(words))
            function_words = sum(map(is_function_word, words))
            shape = line.translate(_CAPITAL_TABLE)
            capital_counts.append((" " + shape).count(" A") if "\u00d7" not in line
                                  else len(_CAPITALISED.findall(line)))
            digit_counts.append(shape.count("0"))
        if "_" in lower_line:
            words = _WORD.findall(lower_line)
            function_words = sum(map(is_function_word, words))
        word_counts.append(len(words))
        function_counts.append(function_words)
        dateline = False
        if len(words) >= 2 and (line.find("-", 0, DATELINE_MAX_CHARS) >= 0 if ascii_line  # the one ASCII dash
                                else _DASH_CHAR.search(line, 0, DATELINE_MAX_CHARS)):
            city, site, _ = _split_dateline_memo(line)
            dateline = city is not None or site is not None
        datelines.append(dateline)
    # The columns, as Python computes them line by line (a float division is the same double in numpy).
    words = np.array(word_counts, dtype=float)
    measures = {
        "words": words,
        "chars": lengths,
        "ends_terminal": [line[-1] in _TERMINAL_CHARS for line in lines],
        "function_share": np.divide(function_counts, words, out=np.zeros(n), where=words > 0),
        "capital_share": np.divide(capital_counts, words, out=np.zeros(n), where=words > 0),
        "digit_share": np.divide(digit_counts, lengths),
        "sentences": sentences, "separators": separators, "dateline_prefix": datelines,
    }
    layout = _measure_layout(lexicon)
    matrix = np.zeros((n, len(layout)))
    for j, name in enumerate(layout):
        if name in measures:
            matrix[:, j] = measures[name]
        else:  # a set of the lines that have it
            matrix[list(has_date if name == "has_date" else hits[name]), j] = 1.0
    return matrix, normalised


_TERMINAL_CHARS = frozenset(".!?:;\"'\u201d\u2019)]")

# The page scans below are split into patterns that each open with a literal character: the regex engine
# finds a literal with a fast string search, where a leading class or alternation is tried at every position
# of the page (several times slower).
#: A sentence break: ``[.!?]["'”’]?\s+[A-Z"“]`` (without crossing a line end), one pattern per mark. Their
#: matches never overlap (a break ends on no mark), so the counts add up to those of the one pattern.
_SENTENCE_BREAK_SCANS = tuple(re.compile(re.escape(mark) + r"[\"'\u201d\u2019]?[^\S\n]+[A-Z\"\u201c]")
                              for mark in ".!?")
#: One pattern per separator character.
_SEPARATOR_SCANS = tuple(re.compile(re.escape(char)) for char in SEPARATOR_CHARS)
#: ``_YEAR`` as two patterns: a line holds a match of ``(?:19|20)\d\d`` when it holds one of either.
_YEAR_SCANS = (re.compile(r"19\d\d"), re.compile(r"20\d\d"))


def _lines_count(patterns: tuple, text: str, line_starts: list[int]) -> list[int]:
    """How many matches of the ``patterns`` (together) each line of the page holds."""
    counts = [0] * len(line_starts)
    for pattern in patterns:
        for match in pattern.finditer(text):
            counts[bisect.bisect_right(line_starts, match.start()) - 1] += 1
    return counts


def line_features(lines: list[str], title: str | None = None, lexicon: Lexicon | None = None):
    """Features of every non-empty line of a page, one row per line, columns :data:`FEATURE_NAMES`.

    Parameters
    ----------
    lines : list of str
        The page's stripped, non-empty lines.
    title : str, optional
        A known title (e.g. from a JSONL field); the line equal to it is flagged.

    Returns
    -------
    features : numpy.ndarray, shape (len(lines), len(FEATURE_NAMES))
    measures : list of dict
        The raw per-line measures (lexicon hits and so on), reused to name kinds.

    Examples
    --------
    >>> features, measures = line_features(["Beranda", "Baca juga: Gempa di Bali"])
    >>> features.shape == (2, len(FEATURE_NAMES)), measures[1]["read_also"]
    (True, True)
    """
    lexicon = lexicon or load_lexicon()
    features, column, _ = _pages_features([(lines, title)], lexicon)
    measures = _measure_dicts(np.column_stack([column[name] for name in _measure_layout(lexicon)]),
                              column["normalised"], _measure_layout(lexicon))
    return features, measures


def _pages_features(pages: list[tuple], lexicon: Lexicon) -> tuple[np.ndarray, dict, np.ndarray]:
    """:func:`line_features` of several pages at once, their lines one after the other.

    ``pages`` holds ``(lines, title)`` per page: its stripped non-empty lines and its known title or None.
    Each measure depends on the line alone and each feature on the line's own page only; measuring the
    lines of a batch of pages together, and computing the features for all of them at once, pays the
    fixed cost of each scan and numpy call once per batch instead of once per page.

    Returns the features, the measures as columns (measure name -> float array over the lines, a 0/1 for
    the true/false ones; ``"normalised"`` -> the normalised lines, ``"is_title"`` -> the lines that are the
    known title) and the bounds of the pages: page ``k`` holds lines ``bounds[k]`` to ``bounds[k + 1]``.
    """
    layout = _measure_layout(lexicon)
    sizes = np.array([len(lines) for lines, _ in pages], dtype=np.int64)
    bounds = np.concatenate(([0], np.cumsum(sizes)))
    starts, stops = bounds[:-1], bounds[1:]
    by_line, normalised = _measure_pages([lines for lines, _ in pages], lexicon)
    n = len(normalised)
    # One contiguous float column per measure.
    column = dict(zip(layout, by_line.T.copy()))
    words, function_share = column["words"], column["function_share"]
    long_line = (words >= 12) & (function_share >= 0.1)
    position = np.arange(n) - np.repeat(starts, sizes)  # within the page
    size = np.repeat(sizes, sizes)  # of the page

    # Runs of consecutive long, wordy lines: body paragraphs come in runs, menus never do.
    opens_run = long_line & ((position == 0) | ~np.concatenate(([False], long_line[:-1])))
    run_of = np.cumsum(opens_run) - 1
    run = np.zeros(n)
    run[long_line] = np.bincount(run_of[long_line])[run_of[long_line]]

    # The body's start marker (a dateline opening a long line) and the first end marker after it.
    start, has_start = _first_in_pages(np.flatnonzero((column["dateline_prefix"] != 0) & (words >= 8)), starts, stops)
    closing = (words <= 8) & ((column["byline"] != 0) | (column["section_header"] != 0) | (column["comments"] != 0))
    end, has_end = _first_in_pages(np.flatnonzero(closing), np.minimum(start + 1, stops), stops)
    has_end &= has_start
    line_at = np.arange(n)

    # A line repeated within its page (a headline listed twice), and the line that is the known title.
    repeated = []
    is_title = np.zeros(n)
    for (_, title), first, stop in zip(pages, starts.tolist(), stops.tolist()):
        keys = normalised[first:stop]
        counts = Counter(keys)
        repeated += map(counts.__getitem__, keys)
        title_key = normalise_line(title) if title else None
        if title_key:
            is_title[first:stop] = [_same_normalised(key, title_key) for key in keys]

    log_words = np.log1p(words)
    features = {
        "log_words": log_words, "log_chars": np.log1p(column["chars"]),
        "log_sentences": np.log1p(column["sentences"]), "separators": np.minimum(column["separators"], 5),
        "repeated_in_page": np.array(repeated) > 1,
        "before_start": line_at < np.repeat(np.where(has_start, start, starts), sizes),
        "after_end": line_at >= np.repeat(np.where(has_end, end, stops), sizes),
        "relative_position": position / np.maximum(size - 1, 1),
        "is_title": is_title,
        "log_long_run": np.log1p(run), "near_function_share": _window_mean(function_share, position, size),
        "near_log_words": _window_mean(log_words, position, size), "long_and_wordy": long_line,
    }
    # The other features are measures that enter the model as they are.
    rows = np.column_stack([features[name] if name in features else column[name] for name in FEATURE_NAMES])
    column["normalised"], column["is_title"] = normalised, is_title
    return rows, column, bounds


def _first_in_pages(found: np.ndarray, lows: np.ndarray, stops: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per page, the first of the sorted line numbers ``found`` in ``[lows[k], stops[k])``, and whether there is
    one (where there is none, the page's stop)."""
    at = np.searchsorted(found, lows)
    first = found[np.minimum(at, len(found) - 1)] if len(found) else stops
    there = (at < len(found)) & (first < stops)
    return np.where(there, first, stops), there


#: The neighbourhood features average this many lines on either side.
NEIGHBOUR_LINES = 2


def _window_mean(values: np.ndarray, position: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Mean of the neighbours within :data:`NEIGHBOUR_LINES` lines on the same page, the line itself left out
    (0 for a page of one line); ``position`` and ``size`` give each line's place in its page and the page's
    length."""
    n = len(values)
    padded = np.concatenate((np.zeros(NEIGHBOUR_LINES), values, np.zeros(NEIGHBOUR_LINES)))
    total, count = np.zeros(n), np.zeros(n)
    for offset in itertools.chain(range(-NEIGHBOUR_LINES, 0), range(1, NEIGHBOUR_LINES + 1)):
        on_page = (position + offset >= 0) & (position + offset < size)
        total += np.where(on_page, padded[NEIGHBOUR_LINES + offset:NEIGHBOUR_LINES + offset + n], 0.0)
        count += on_page
    return total / np.maximum(count, 1)


# --------------------------------------------------------------------------- #
# Cross-page statistics
# --------------------------------------------------------------------------- #
#: Lines longer than this are never counted as a site's repeated template lines.
TEMPLATE_MAX_CHARS = 300


@dataclass
class SiteStats:
    """How many pages of each site carry each normalised line (CCNet-style line hashing).

    Examples
    --------
    >>> stats = SiteStats.from_pages(["a.com"] * 4, ["Beranda\\nBerita satu"] * 3 + ["Beranda\\nBerita dua"])
    >>> stats.share("a.com", "beranda"), stats.share("a.com", "Berita dua")
    (1.0, 0.25)
    """

    pages: Counter = field(default_factory=Counter)
    lines: dict = field(default_factory=dict)  # site -> Counter of line hashes

    #: A line is template when the site has at least this many pages...
    min_pages: int = 4
    #: ...and the line is on at least this share of them.
    min_share: float = 0.5

    @classmethod
    def from_pages(cls, sites, texts) -> "SiteStats":
        stats = cls()
        for site, text in zip(sites, texts):
            if not site or not isinstance(text, str) or not text:
                continue
            stats.pages[site] += 1
            # Long lines are article text, never a site's template: skip hashing them.
            seen = {line_hash(line) for line in text.split("\n") if line.strip() and len(line) <= TEMPLATE_MAX_CHARS}
            stats.lines.setdefault(site, Counter()).update(seen)
        return stats

    def share(self, site: str, line: str) -> float:
        """Share of the site's pages that carry this line."""
        if not self.pages.get(site):
            return 0.0
        return self.lines[site][line_hash(line)] / self.pages[site]

    def is_template(self, site: str | None, line: str) -> bool:
        """Whether a line repeats on so many of its site's pages that it is template."""
        return (site is not None and len(line) <= TEMPLATE_MAX_CHARS and self.pages.get(site, 0) >= self.min_pages
                and self.share(site, line) >= self.min_share)


# --------------------------------------------------------------------------- #
# Picking the body
# --------------------------------------------------------------------------- #
def best_segment(evidence: np.ndarray) -> tuple[int, int]:
    """The contiguous run ``[start, stop)`` with the largest summed evidence (Kadane).

    Examples
    --------
    >>> best_segment(np.array([-1.0, 2.0, -0.5, 3.0, -4.0]))
    (1, 4)
    >>> best_segment(np.array([-1.0, -2.0]))
    (0, 0)
    """
    values = np.asarray(evidence, dtype=float).tolist()
    return _best_run(values, 0, len(values))


def _best_run(values: list, first: int, stop: int) -> tuple[int, int]:
    """:func:`best_segment` of ``values[first:stop]``, as offsets into ``values`` (``(first, first)`` when no
    run sums above 0)."""
    best, best_start, best_stop = 0.0, first, first
    total, start = 0.0, first
    for i in range(first, stop):
        if total <= 0:
            total, start = 0.0, i
        total += values[i]
        if total > best:
            best, best_start, best_stop = total, start, i + 1
    return best_start, best_stop


#: Decoding settings (tuned with leave-one-site-out cross-validation in benchmarks/train_clean.py).
DECODE = {"keep_inside": -1.0, "keep_outside": 3.0, "outside_min_words": 20}


def _pick_bodies(log_odds: np.ndarray, columns: dict, bounds: np.ndarray, decode: dict | None) -> np.ndarray:
    """Choose the body lines of each page from their log-odds (pages as :func:`_pages_features` gives them).

    Per page, the run of lines with the best summed evidence (:func:`best_segment`, each line weighted by
    the square root of its words); inside it the lines that are not boilerplate and not clearly noise,
    outside it only strong, long paragraphs. A page left without a body line keeps its most sentence-like
    line, when it has one.
    """
    decode = {**DECODE, **(decode or {})}
    words = columns["words"]
    evidence = (np.clip(log_odds, -6, 6) * np.sqrt(np.maximum(words, 1))).tolist()
    inside = np.zeros(len(log_odds), dtype=bool)
    pages = list(zip(bounds[:-1].tolist(), bounds[1:].tolist()))
    for first, stop in pages:
        run_start, run_stop = _best_run(evidence, first, stop)
        inside[run_start:run_stop] = True
    boiler = (columns["read_also"] != 0) | ((words <= 8) & (
        (columns["section_header"] != 0) | (columns["byline"] != 0) | (columns["promo"] != 0)
        | (columns["comments"] != 0) | (columns["pagination"] != 0)))
    body = (inside & ~boiler & (log_odds >= decode["keep_inside"])) | (
        ~inside & ~boiler & (log_odds >= decode["keep_outside"]) & (words >= decode["outside_min_words"]))
    if len(body):
        for k in np.flatnonzero(~np.logical_or.reduceat(body, bounds[:-1])).tolist():
            # Already-clean input with one short line, or a page of headlines: keep the best line when it
            # reads like a sentence rather than a menu.
            first, stop = pages[k]
            sentences = first + np.flatnonzero((words[first:stop] >= 8) & (columns["function_share"][first:stop] > 0))
            if len(sentences):
                body[sentences[np.argmax(log_odds[sentences])]] = True  # the first of the best, as max() takes
    return body


# --------------------------------------------------------------------------- #
# Naming the kinds
# --------------------------------------------------------------------------- #
_MARKER_KIND = (("read_also", "read_also"), ("section_header", "section_header"), ("byline", "byline"),
                ("comments", "comments"), ("pagination", "pagination"), ("promo", "promo"))


# A marker's code is its place in _MARKER_KIND, from 1 (0: no marker); the kind of each code.
_MARKER_NAMES = np.array((None,) + tuple(kind for _, kind in _MARKER_KIND), dtype=object)
_BYLINE_MARKER = 1 + [kind for _, kind in _MARKER_KIND].index("byline")


def _marker_kinds(columns: dict) -> tuple[np.ndarray, np.ndarray]:
    """The kind each line's marker gives it (an object array, ``None`` where none does) and its code (see
    :data:`_MARKER_NAMES`): the first marker of :data:`_MARKER_KIND` that applies (``read_also`` and
    ``byline`` always, the others on short lines, of at most 8 words)."""
    short = columns["words"] <= 8
    code = np.zeros(len(short), dtype=np.int64)
    for k in range(len(_MARKER_KIND), 0, -1):  # the first marker that applies wins
        marker = _MARKER_KIND[k - 1][0]
        code[(columns[marker] != 0) & (short | (marker in ("read_also", "byline")))] = k
    return _MARKER_NAMES[code], code


#: A widget block below the body, opened by its marker line: the state carried to the unmarked lines after
#: it ("Terkini Lainnya" opens a block of related headlines). Code 0 is no block.
_BLOCKS = (None, "related", "comments", "promo", "pagination")
_RELATED_BLOCK, _COMMENTS_BLOCK = _BLOCKS.index("related"), _BLOCKS.index("comments")
# The block each marker opens ("Terkini Lainnya", a section header, opens related headlines), by marker code.
_OPENS_BLOCK = {"section_header": "related", "comments": "comments", "promo": "promo", "pagination": "pagination"}
_BLOCK_OPENED_BY = np.array([0] + [_BLOCKS.index(_OPENS_BLOCK[kind]) if kind in _OPENS_BLOCK else 0
                                   for _, kind in _MARKER_KIND])


def _name_kinds(pages_lines: list[list[str]], body: np.ndarray, columns: dict,
                bounds: np.ndarray) -> tuple[list[str], list[str]]:
    """Name the kind of every line of the pages, given which ones are body (pages as :func:`_pages_features`
    gives them); the kinds and reasons, one per line of all the pages.

    Above the body: ``title``, ``dateline``, ``byline``, ``caption`` in the header zone, navigation
    (``promo``/``other``) before it. Below the body: widget blocks whose kind is set by their marker line
    (``Terkini Lainnya`` opens ``related``, ``Tulis komentar`` opens ``comments``...), lines without a
    marker belong to the block they sit in.
    """
    n = len(body)
    starts, stops = bounds[:-1], bounds[1:]
    sizes = stops - starts
    line = _LineMeasures(columns)
    markers, marker_code = _marker_kinds(columns)
    marked = marker_code > 0
    words = columns["words"]
    body_at = np.flatnonzero(body)
    first, _ = _first_in_pages(body_at, starts, stops)  # a page without body: its stop
    last_at = np.searchsorted(body_at, stops) - 1
    last = np.where((last_at >= 0) & (first < stops), body_at[np.maximum(last_at, 0)] if len(body_at) else 0,
                    stops - 1)

    # Title: the given one (the first line, not body, that is it), else the last headline-like line in the
    # few lines above the body (past the dateline, byline and caption lines of the header zone).
    given, has_given = _first_in_pages(np.flatnonzero((columns["is_title"] != 0) & ~body), starts, stops)
    title_at = np.where(has_given, given, -1)
    has_marker = np.logical_or.reduce([columns[marker] != 0 for marker, _ in _MARKER_KIND]).tolist()
    for k in np.flatnonzero(~has_given & (first < stops)).tolist():
        lines, page_start, page_first = pages_lines[k], int(starts[k]), int(first[k])
        for i in range(page_first - 1, max(page_first - 9, page_start - 1), -1):
            if (4 <= line.words[i] <= 30 and not line.has_date[i] and not has_marker[i]
                    and not line.caption[i] and not line.time_crumb[i]
                    and not _NAME_LINE.match(lines[i - page_start])
                    and line.capital_share[i] >= 0.3 and not lines[i - page_start].rstrip().endswith(".")):
                title_at[k] = i  # the topmost such line wins
    header_top = np.where((title_at >= 0) & (title_at < first), title_at, first)

    at = np.arange(n)
    first_r, last_r, top_r = np.repeat(first, sizes), np.repeat(last, sizes), np.repeat(header_top, sizes)
    is_title = np.zeros(n, dtype=bool)
    is_title[title_at[title_at >= 0]] = True
    free = ~body & ~is_title
    kinds, reasons = np.full(n, "", dtype=object), np.full(n, "", dtype=object)

    def name(where, kind, reason):
        kinds[where], reasons[where] = kind, reason

    # Navigation above the header zone: its marker, else other.
    above = free & (at < top_r)
    name(above, "other", "navigation above the article")
    name(above & (columns["has_date"] != 0) & (words <= 8), "other", "date in the page header")
    name(above & marked, markers[above & marked], "boilerplate marker")
    # Weak lines inside the body.
    within = free & (first_r < at) & (at < last_r)
    name(within, "other", "weak line inside the body")
    name(within & (columns["caption"] != 0), "caption", "caption credit inside the body")
    name(within & marked, markers[within & marked], "boilerplate marker inside the body")
    # Below the body: an unmarked line belongs to the widget block the last marker line above it opened.
    below = free & (at > last_r)
    long_rules = (columns["comments"] != 0) & (words > 8)
    opened = _BLOCK_OPENED_BY[marker_code]
    opened[long_rules & ~marked] = _COMMENTS_BLOCK  # comment rules found by a word inside open a comments block too
    opened[~below] = 0
    latest = np.maximum.accumulate(np.where(opened > 0, at, -1))
    before = np.concatenate(([-1], latest[:-1]))
    block = np.where(before > last_r, opened[before], 0)  # an opener of this page's tail, or none
    name(below, "other", "short crumb below the article")
    name(below & (words >= 3), "related", "headline below the article")
    name(below & (words < 3) & (block == _RELATED_BLOCK), "related", "category crumb of a headline list")
    for code in range(_COMMENTS_BLOCK, len(_BLOCKS)):  # comments, promo, pagination
        name(below & (block == code), _BLOCKS[code], f"inside a {_BLOCKS[code]} block")
    name(below & (columns["time_crumb"] != 0), "related", "time crumb of a headline list")
    name(below & long_rules, "comments", "comment rules below the article")
    name(below & marked, markers[below & marked], "boilerplate marker")
    name(below & (marker_code == _BYLINE_MARKER), "byline", "author or editor credit")
    # The header zone, between the headline and the body: a few lines, named one by one.
    header = free & (top_r <= at) & (at < first_r)
    page_of = np.repeat(np.arange(len(sizes)), sizes)
    for i in np.flatnonzero(header).tolist():
        k = page_of[i]
        kinds[i], reasons[i] = _header_kind(pages_lines[k][i - starts[k]], line, i, markers[i])
    name(body, "body", "body")
    name(is_title, "title", "the page's headline")
    return kinds.tolist(), reasons.tolist()


class _LineMeasures:
    """The measures that name a line's kind, over the lines: ``line.words[i]`` (the arrays themselves: only the
    few lines of a page's header zone are named one by one)."""

    def __init__(self, columns: dict):
        for name in ("words", "has_date", "caption", "time_crumb", "capital_share", "byline", "comments",
                     "function_share"):
            setattr(self, name, columns[name])


def _header_kind(text: str, line: _LineMeasures, i: int, marker: str | None) -> tuple[str, str]:
    """Kind of line ``i`` (its ``text``) between the headline and the body."""
    words = line.words[i]
    if line.has_date[i] and words <= 14:
        return "dateline", "date line above the body"
    if marker == "byline" or (line.byline[i] and words <= 12):
        return "byline", "author or editor credit"
    if line.caption[i] or (words >= 8 and line.function_share[i] > 0):
        return "caption", "photo caption above the body"
    if _NAME_LINE.match(text) and words <= 6:
        return "byline", "a person's name under the headline"
    if marker:
        return marker, "boilerplate marker"
    if words >= 3:
        return "related", "headline link above the body"
    return "other", "short crumb above the body"


# --------------------------------------------------------------------------- #
# The page
# --------------------------------------------------------------------------- #
@dataclass
class CleanedPage:
    """One page, cut into its article and its noise.

    ``labels``, ``kinds`` and ``reasons`` have one entry per line of ``text.splitlines()``.
    """

    title: str | None
    site: str | None
    published: pd.Timestamp
    byline: str | None
    dateline_city: str | None
    content: str
    labels: list[int]
    kinds: list[str]
    reasons: list[str]

    @property
    def lines(self) -> list[tuple[int, str, str]]:
        """The per-line audit: (line number from 1, kind, reason)."""
        return [(i + 1, k, r) for i, (k, r) in enumerate(zip(self.kinds, self.reasons))]


def clean_page(text: str, title: str | None = None, site_stats: SiteStats | None = None,
               site: str | None = None, model: LineModel | None = None, decode: dict | None = None) -> CleanedPage:
    """Cut the article out of one page of text.

    Parameters
    ----------
    text : str
        The page, one block per line (a single long line is fine).
    title : str, optional
        The title when known (e.g. a JSONL field); else it is found on the page.
    site_stats : SiteStats, optional
        Cross-page line counts of the corpus; lines that repeat on many pages of ``site`` are noise.
    site : str, optional
        The page's site; else guessed from the page.

    Examples
    --------
    >>> page = clean_page("Kanal\\nGempa Magnitudo 5 Guncang Bali\\nDENPASAR, iNews.id - Gempa magnitudo 5 mengguncang "
    ...                   "Bali pada Kamis, 05/11/2015 10:08 WIB dan warga berlarian keluar rumah.")
    >>> page.labels, page.site, page.title
    ([0, 0, 1], 'inews.id', 'Gempa Magnitudo 5 Guncang Bali')
    """
    if not isinstance(text, str):
        raise TypeError(f"clean_page needs the page as a str, not {type(text).__name__}")
    return _clean_split_pages([_split_page(text)], [title], [site], site_stats, model, decode)[0]


def _split_page(text: str) -> tuple[list[str], list[int], list[str], int | None]:
    """A page's lines as ``str.splitlines`` cuts them, the indices of the non-blank ones, those stripped,
    and which of those is the page's one block of text (:func:`_single_block`), if it is one."""
    all_lines = text.splitlines()
    stripped = [line.strip() for line in all_lines]
    kept = [i for i, line in enumerate(stripped) if line]
    lines = stripped if len(kept) == len(stripped) else [stripped[i] for i in kept]
    return all_lines, kept, lines, _single_block(lines)


def _single_block(lines: list[str]) -> int | None:
    """The index of the page's one block of text (a body scraped into one field), or None when the page has
    lines to separate: a block of 30 words or more is the only line with two words of letters."""
    worded = []  # the lines with two words of letters, as far as the second one (the test is for one)
    for j, line in enumerate(lines):
        if _has_two_letter_words(line):
            worded.append(j)
            if len(worded) == 2:
                return None
    if len(worded) == 1 and _SINGLE_BLOCK_WORDS.match(lines[worded[0]]):
        return worded[0]
    return None


def _clean_split_pages(splits: list, titles: list, sites: list, site_stats: SiteStats | None = None,
                       model: LineModel | None = None, decode: dict | None = None) -> list[CleanedPage]:
    """:func:`clean_page` of several pages already cut by :func:`_split_page`, with their titles and sites
    (or None). The pages with lines to separate are measured and go through features, model, body choice
    and naming together; each page's output is what it gets alone."""
    sites = list(sites)  # a page without one gets the site it names
    # The pages with lines to separate (not one block of text, not empty).
    parts = [k for k, (_, _, lines, block) in enumerate(splits) if lines and block is None]
    named = {}
    if parts:
        features, columns, bounds = _pages_features([(splits[k][2], titles[k]) for k in parts], load_lexicon())
        body = _pick_bodies((model or load_model()).log_odds(features), columns, bounds, decode)
        dateline = columns["dateline_prefix"]
        templates = {}
        for k, first, stop in zip(parts, bounds[:-1].tolist(), bounds[1:].tolist()):
            lines = splits[k][2]
            sites[k] = sites[k] or _guess_site(lines)
            if site_stats is not None:
                template = (np.array([site_stats.is_template(sites[k], line) for line in lines])
                            & (dateline[first:stop] == 0))  # a dateline opens the body: never template
                body[first:stop] &= ~template
                templates[k] = template
            _start_at_dateline(body[first:stop], dateline[first:stop])
        kinds, reasons = _name_kinds([splits[k][2] for k in parts], body, columns, bounds)
        labels = body.astype(int).tolist()
        for k, first, stop in zip(parts, bounds[:-1].tolist(), bounds[1:].tolist()):
            named[k] = (labels[first:stop], kinds[first:stop], reasons[first:stop], templates.get(k))
    pages = []
    for k, ((all_lines, kept, lines, block), title, site) in enumerate(zip(splits, titles, sites)):
        kinds_all = ["blank"] * len(all_lines)
        reasons_all = ["empty line"] * len(all_lines)
        labels_all = [0] * len(all_lines)
        if block is not None:
            # One long block (a body scraped into one field), maybe beside crumbs such as a lone "-":
            # nothing to separate, keep the block whole.
            for j, i in enumerate(kept):
                if j == block:
                    labels_all[i], kinds_all[i], reasons_all[i] = 1, "body", "the whole text is one block"
                else:
                    kinds_all[i], reasons_all[i] = "other", "a crumb beside the one block of text"
            site = site or _guess_site(lines)
        elif k in named:
            labels, kinds, reasons, template = named[k]
            if len(kept) == len(all_lines) and (template is None or not template.any()):
                labels_all, kinds_all, reasons_all = labels, kinds, reasons  # no blank line, no template
            else:
                for j, i in enumerate(kept):
                    labels_all[i] = labels[j]
                    kinds_all[i] = kinds[j]
                    reasons_all[i] = reasons[j] if template is None or not template[j] \
                        else f"repeated on many pages of {site}"
        assert len(labels_all) == len(kinds_all) == len(reasons_all) == len(all_lines)  # lines in = lines out
        pages.append(_record(all_lines, labels_all, kinds_all, reasons_all, title, site))
    return pages


# Two runs of at least two letters, a non-letter between them (len(_LETTER_WORD.findall(line)) >= 2): the
# first run of two letters, then a non-letter followed by two letters from two characters further on. Two
# searches rather than one pattern with ".*?" between: that one is tried from every position of a line
# without a second word, quadratic in its length.
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")
_LETTERS_AFTER_BREAK = re.compile(r"[\W\d_][^\W\d_]{2}")


def _has_two_letter_words(line: str) -> bool:
    """Whether a line holds two words of letters (remembered per line)."""
    found = _WORDED_MEMO.get(line)
    if found is None:
        first = _TWO_LETTERS.search(line)
        found = first is not None and _LETTERS_AFTER_BREAK.search(line, first.start() + 2) is not None
        if len(line) <= LINE_MEMO_MAX_CHARS:
            _WORDED_MEMO[line] = found
            _WORDED_MEMO.trim()
    return found


#: A text of one line with at least this many words is an article body scraped into one field.
SINGLE_BLOCK_MIN_WORDS = 30
# len(_WORD.findall(line)) >= SINGLE_BLOCK_MIN_WORDS, reading no further than that many words.
_SINGLE_BLOCK_WORDS = re.compile(r"\W*(?:\w+\W+){%d}\w" % (SINGLE_BLOCK_MIN_WORDS - 1))


def _start_at_dateline(body: np.ndarray, dateline_prefix: np.ndarray, max_skip: int = 2) -> None:
    """A body whose second or third line opens with a dateline ("WASHINGTON, KOMPAS.com -") starts there
    (``body`` is changed in place).

    The body-looking lines just before it are a photo caption or a teaser, not the article.
    """
    starts = np.flatnonzero(body)
    for j in starts[1: max_skip + 1]:
        if dateline_prefix[j]:
            body[starts[starts < j]] = False
            break


def _guess_site(lines: list[str]) -> str | None:
    for line in lines[:80]:
        _, site, _ = _split_dateline_memo(line)
        if site and "." in site:
            return site.lower()
    # The first site named in the first 40 lines (a domain never spans lines): each line's is remembered.
    for line in lines[:40]:
        site = _SITE_MEMO.get(line, False)
        if site is False:
            site = _io().guess_site(line, max_lines=1)
            if len(line) <= LINE_MEMO_MAX_CHARS:
                _SITE_MEMO[line] = site
                _SITE_MEMO.trim()
        if site is not None:
            return site
    return None


#: A date is looked for in the first characters of a line only (datelines open their line).
DATE_SEARCH_CHARS = 1000


def _record(all_lines, labels, kinds, reasons, title, site) -> CleanedPage:
    body_at = list(itertools.compress(range(len(labels)), labels))
    body_lines = [all_lines[i].strip() for i in body_at]
    city = None
    if body_lines:
        city, dateline_site, rest = _split_dateline_memo(body_lines[0])
        if city or dateline_site:
            body_lines[0] = rest
        if not body_lines[0]:  # "Jakarta -" alone on its line
            body_lines = body_lines[1:]
    title_line = all_lines[kinds.index("title")].strip() if "title" in kinds else None
    bylines = [line.strip() for line, kind in zip(all_lines, kinds) if kind == "byline"]
    dated = [line for line, kind in zip(all_lines, kinds) if kind == "dateline"]
    first_body = body_at[0] if body_at else len(all_lines)
    published = pd.NaT
    # Each candidate once (the lines above the body come twice): a date not found is not found again.
    tried = set()
    for candidate in itertools.chain(dated, all_lines[max(first_body - 10, 0):first_body], body_lines[:3],
                                     all_lines[:first_body]):
        candidate = candidate[:DATE_SEARCH_CHARS]
        if candidate not in tried:
            tried.add(candidate)
            published = parse_published(candidate)
            if published is not pd.NaT:
                break
    return CleanedPage(
        title=title if title else title_line,
        site=site,
        published=published,
        byline=_byline_name(bylines),
        dateline_city=city,
        content="\n".join(body_lines),
        labels=labels,
        kinds=kinds,
        reasons=reasons,
    )


_CREDIT = re.compile(r"^(?:editor|penulis|reporter|pewarta|penyunting|redaktur|kontributor|oleh|by|writer|author|"
                     r"posted on .*? by|laporan wartawan|wartawan)\s*[:\uff1a]?\s*", re.IGNORECASE)


def _byline_name(bylines: list[str]) -> str | None:
    """The first credited name: ``Editor : Anton Suhartono`` gives ``Anton Suhartono``."""
    for line in bylines:
        name = _CREDIT.sub("", line).strip(" -|,")
        name = re.split(r"\s+[-|]\s+", name)[0].strip()
        if name and not re.fullmatch(r"\(.*\)", name):
            return name
    return None


# --------------------------------------------------------------------------- #
# Corpora
# --------------------------------------------------------------------------- #
#: The progress bar (stderr) shows for runs of at least this many rows.
PROGRESS_MIN_ROWS = 200

CLEAN_COLUMNS = ["title", "site", "published", "byline", "dateline_city", "content", "labels", "kinds", "reasons"]


def clean_articles(articles: pd.DataFrame, progress: bool = True, processes: int = 1) -> pd.DataFrame:
    """Clean every article of a reader manifest (:func:`kliping.io.read_corpus`).

    Returns the same rows in the same order with all input columns, plus
    ``title`` (from the page when the input has none), ``site``, ``published``,
    ``byline``, ``dateline_city``, ``content``, ``labels``, ``kinds`` and
    ``reasons``. When the corpus has several pages of one site, lines repeated
    across many of them are treated as template. Rows whose status is not
    ``"ok"`` keep their row with empty content and empty lists.

    ``processes`` > 1 cleans the pages in that many forked processes, in chunks of
    :data:`PARALLEL_CHUNK_ROWS`, where the platform can fork; the output is the same. It is off by
    default: on a shared 2-core machine it did not pay (``benchmarks/bench_clean.py --clickid``).

    Examples
    --------
    >>> from kliping import io, config
    >>> clean = clean_articles(io.read_corpus(config.RAW_DIR), progress=False)
    >>> clean["dateline_city"].tolist()
    ['WASHINGTON', 'WASHINGTON']
    """
    from tqdm.auto import tqdm

    from kliping.io import site_column

    missing = {"id", "status", "text"} - set(articles.columns)
    if missing:
        raise ValueError(f"clean_articles needs the reader's columns; missing: {sorted(missing)}")
    # Plain lists from here on: pandas costs milliseconds per operation, which a small corpus feels.
    texts = articles["text"].tolist()
    ok = [status == "ok" and isinstance(text, str) for status, text in zip(articles["status"].tolist(), texts)]
    # A corpus field such as source_site names the site; otherwise it is guessed per page, as clean_page does.
    known_site = any(c in articles.columns for c in ("site", "source_site", "domain"))
    sites = site_column(articles).tolist() if len(articles) and known_site else [None] * len(articles)
    stats = None
    if known_site:
        duplicate = (articles["duplicate_of"].notna().tolist() if "duplicate_of" in articles.columns
                     else [False] * len(articles))
        unique = [is_ok and not dup for is_ok, dup in zip(ok, duplicate)]
        stats = SiteStats.from_pages(itertools.compress(sites, unique), itertools.compress(texts, unique))

    titles = articles["title"].tolist() if "title" in articles.columns else [None] * len(articles)
    rows = list(zip(texts, titles, sites, ok))
    show_bar = progress and len(rows) >= PROGRESS_MIN_ROWS
    processes = min(processes, os.cpu_count() or 1, max(1, len(rows) // PARALLEL_CHUNK_ROWS))
    with tqdm(total=len(rows), disable=not show_bar, desc="clean", unit="page", file=sys.stderr) as bar:
        if processes > 1 and "fork" in multiprocessing.get_all_start_methods():
            # Forked workers inherit the statistics; chunks come back in order (each page's output
            # depends on the page and the statistics alone).
            _FORK_STATE[:] = [stats]
            records = []
            try:
                with multiprocessing.get_context("fork").Pool(processes) as pool:
                    chunks = [rows[i:i + PARALLEL_CHUNK_ROWS] for i in range(0, len(rows), PARALLEL_CHUNK_ROWS)]
                    for chunk in pool.imap(_clean_chunk, chunks):
                        records += chunk
                        bar.update(len(chunk))
            finally:
                _FORK_STATE.clear()
        else:
            records = []
            for batch in _cleaned_batches(rows, stats):
                records += batch
                bar.update(len(batch))
    # One frame at the end: the input's columns in their places (a title column takes the cleaned titles),
    # then the new ones, each cleaned column built once from its list.
    if records:
        cleaned = dict(zip(CLEAN_COLUMNS, map(list, zip(*records))))
    else:  # no rows: object columns, as the cleaned values would be
        cleaned = {c: pd.Series([], index=articles.index, dtype=object) for c in CLEAN_COLUMNS}
    cleaned["published"] = _as_datetimes(cleaned["published"])
    columns = {c: cleaned[c] if c in cleaned else articles[c] for c in articles.columns}
    columns.update((c, cleaned[c]) for c in CLEAN_COLUMNS if c not in columns)
    return pd.DataFrame(columns, index=articles.index)


#: Pages per chunk handed to a worker process (``clean_articles(..., processes=2)``).
PARALLEL_CHUNK_ROWS = 250
_FORK_STATE: list = []  # the SiteStats of the corpus being cleaned, for forked workers


#: Pages cleaned together (:func:`_clean_split_pages`): their new lines are measured in one pass and their
#: features computed at once. Each scan of the text and each numpy call has a fixed cost, which a batch pays
#: once instead of once per page.
MEASURE_BATCH_ROWS = 64


def _clean_chunk(rows: list) -> list:
    return [record for batch in _cleaned_batches(rows, _FORK_STATE[0]) for record in batch]


def _cleaned_batches(rows: list, stats: SiteStats | None):
    """:func:`_clean_rows` of the rows, :data:`MEASURE_BATCH_ROWS` at a time: one list of records per batch."""
    for start in range(0, len(rows), MEASURE_BATCH_ROWS):
        yield _clean_rows(rows[start:start + MEASURE_BATCH_ROWS], stats)


def _clean_rows(rows: list, stats: SiteStats | None) -> list[tuple]:
    """The cleaned columns of corpus rows ``(text, title, site or None, ok)``, each in :data:`CLEAN_COLUMNS`
    order; what :func:`clean_page` gives page by page, with the pages' lines measured and cleaned together."""
    good = [row for row in rows if row[3]]
    splits = [_split_page(text) for text, _, _, _ in good]
    titles = [title if isinstance(title, str) and title.strip() else None for _, title, _, _ in good]
    pages = iter(_clean_split_pages(splits, titles, [site for _, _, site, _ in good], stats))
    records = []
    for _, title, _, is_ok in rows:
        if not is_ok:
            records.append(_empty_record(title))
            continue
        page = next(pages)
        records.append((page.title, page.site, page.published, page.byline, page.dateline_city, page.content,
                        page.labels, page.kinds, page.reasons))
    return records


def _measure_pages(pages: list[list[str]], lexicon: Lexicon) -> tuple[np.ndarray, list[str]]:
    """The ``(rows, normalised lines)`` of :func:`_remembered_measures` for the lines of several pages, one
    after the other, from one measuring pass over all of them: a line's measures do not depend on its page.

    A page whose lines do not keep their offsets when lower-cased ("İ") is measured alone, as it would be
    by itself.
    """
    together = [_keeps_offsets(lines) for lines in pages]
    if all(together):
        return _remembered_measures(list(itertools.chain.from_iterable(pages)), lexicon, True)
    if any(together):
        rows, keys = _remembered_measures(list(itertools.chain.from_iterable(itertools.compress(pages, together))),
                                          lexicon, True)
    measured, start = [], 0
    for lines, ok in zip(pages, together):
        if ok:
            measured.append((rows[start:start + len(lines)], keys[start:start + len(lines)]))
            start += len(lines)
        else:
            measured.append(_remembered_measures(lines, lexicon, False))
    return np.concatenate([rows for rows, _ in measured]), [key for _, keys in measured for key in keys]


def _empty_record(title) -> tuple:
    return (title if isinstance(title, str) else None, None, pd.NaT, None, None, "", [], [], [])


def _as_datetimes(values: list) -> pd.DatetimeIndex:
    """One tz-aware column: every stamp converted to Asia/Jakarta (WITA/WIT keep their instant)."""
    return pd.to_datetime(list(values), utc=True).tz_convert(DEFAULT_TIME_ZONE)


def kind_counts(cleaned: pd.DataFrame) -> pd.Series:
    """How many lines of each kind the cleaned corpus has (blank lines included), most first.

    Examples
    --------
    >>> kind_counts(pd.DataFrame({"kinds": [["promo", "title", "body", "blank"], ["body"]]})).to_dict()
    {'body': 2, 'promo': 1, 'title': 1, 'blank': 1}
    """
    return pd.Series([kind for kinds in cleaned["kinds"] for kind in kinds], dtype=object).value_counts()


def save_clean(cleaned: pd.DataFrame, path) -> Path:
    """Write the cleaned corpus (``02_clean.parquet``): every input row, its content, kinds and reasons.

    Examples
    --------
    >>> from kliping import io, config
    >>> cleaned = clean_articles(io.read_corpus(config.RAW_DIR), progress=False)
    >>> save_clean(cleaned, "/tmp/kliping-doctest-clean.parquet").name
    'kliping-doctest-clean.parquet'
    """
    from kliping.io import write_table

    frame = cleaned.copy()
    for column in ("labels", "kinds", "reasons"):
        frame[column] = frame[column].map(list)
    return write_table(frame, path)


# --------------------------------------------------------------------------- #
# Measuring against the line-labelled DEV pages and the baselines
# --------------------------------------------------------------------------- #
#: Systems compared on DEV, in the order of the score table.
SYSTEMS = ("everything is content", "jusText", "kliping")


def load_scorer(path=None):
    """Import the shared ``score_extraction.py`` by path (it is read where it is, never copied)."""
    import importlib.util

    from kliping import config

    path = Path(path) if path else config.SHARED_DIR / "tools" / "score_extraction.py"
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_dev(path) -> list[dict]:
    """The line-labelled DEV pages (``dev_lines.jsonl``), one dict per page."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def justext_page(text: str, lang: str = "id") -> list[int]:
    """jusText 3.0.2 as in BASELINES.md: one ``<p>`` per line (escaped), its stoplist, default settings.

    Returns one 0/1 per line of ``text.split("\\n")`` (1 = not boilerplate).

    Examples
    --------
    >>> justext_page("Beranda\\nKontak\\nBaca juga: Banjir di Bekasi")
    [0, 0, 0]
    """
    import html

    import justext

    lines = text.split("\n")
    stoplist = _justext_stoplist("English" if lang == "en" else "Indonesian")
    document = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>"
    paragraphs = justext.justext(document, stoplist)
    if len(paragraphs) != len(lines):  # an empty <p> gives no paragraph: align by text instead
        kept = Counter(" ".join(p.text.split()) for p in paragraphs if not p.is_boilerplate)
        labels = []
        for line in lines:
            key = " ".join(line.split())
            labels.append(int(kept[key] > 0))
            kept[key] -= kept[key] > 0
        return labels
    return [int(not p.is_boilerplate) for p in paragraphs]


@lru_cache(maxsize=None)
def _justext_stoplist(language: str) -> frozenset:
    import justext

    return frozenset(justext.get_stoplist(language))


def predict_dev(pages: list[dict], system: str) -> list[dict]:
    """Predictions of one of :data:`SYSTEMS` for DEV pages: ``{"id", "content", "labels"}`` per page."""
    predictions = []
    for page in pages:
        lines = page["text"].split("\n")
        if system == "everything is content":
            labels = [1] * len(lines)
            content = page["text"]
        elif system == "jusText":
            labels = justext_page(page["text"], page.get("lang", "id"))
            content = "\n".join(line for line, label in zip(lines, labels) if label)
        elif system == "kliping":
            cleaned = clean_page(page["text"])
            labels, content = cleaned.labels, cleaned.content
        else:
            raise ValueError(f"unknown system {system!r}; choose one of {SYSTEMS}")
        predictions.append({"id": page["id"], "content": content, "labels": labels})
    return predictions


def score_predictions(gold_file, predictions: list[dict], scorer=None) -> dict:
    """Score predictions with the shared scorer itself (its ``--json`` output, as a dict)."""
    import contextlib
    import io as stdio
    import tempfile

    scorer = scorer or load_scorer()
    with tempfile.TemporaryDirectory() as folder:
        pred_file = Path(folder) / "pred.jsonl"
        pred_file.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions),
                             encoding="utf-8")
        out, err = stdio.StringIO(), stdio.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = scorer.main([str(gold_file), str(pred_file), "--json"])
    if status != 0:
        raise RuntimeError(f"the scorer failed: {err.getvalue().strip()}")
    return json.loads(out.getvalue())


def score_table(scores: dict) -> pd.DataFrame:
    """One row per system: token P/R/F1 macro and micro, line F1 micro and macro."""
    rows = {}
    for system, result in scores.items():
        lines = result.get("lines", {})
        rows[system] = {
            "macro P": result["macro"]["precision"], "macro R": result["macro"]["recall"],
            "macro F1": result["macro"]["f1"], "micro P": result["micro"]["precision"],
            "micro R": result["micro"]["recall"], "micro F1": result["micro"]["f1"],
            "line F1 (micro)": lines.get("micro", {}).get("f1"), "line F1 (macro)": lines.get("macro", {}).get("f1"),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("system").round(3)


def score_dev(dev_file, systems=SYSTEMS) -> pd.DataFrame:
    """Score every system of :data:`SYSTEMS` on the DEV pages with the shared scorer, side by side.

    Examples
    --------
    >>> from kliping import config
    >>> table = score_dev(config.DEV_LINES_FILE)  # doctest: +SKIP
    >>> table.loc["kliping", "macro F1"] >= 0.97  # doctest: +SKIP
    True
    """
    pages = read_dev(dev_file)
    scorer = load_scorer()
    return score_table({system: score_predictions(dev_file, predict_dev(pages, system), scorer)
                        for system in systems})


def kind_confusion(pages: list[dict]) -> pd.DataFrame:
    """Hand-labelled kind (rows) against kliping's kind (columns), over the pages that have ``fine_labels``."""
    gold, predicted = [], []
    for page in pages:
        if "fine_labels" not in page:
            continue
        gold += page["fine_labels"]
        predicted += clean_page(page["text"]).kinds
    order = [k for k in KINDS if k in set(gold) | set(predicted)]
    table = pd.crosstab(pd.Categorical(gold, order), pd.Categorical(predicted, order), dropna=False)
    return table.rename_axis(index="hand label", columns="kliping")


# --------------------------------------------------------------------------- #
# Command line
# --------------------------------------------------------------------------- #
#: The fields of each output record of ``kliping clean``; ``metadata`` holds :data:`METADATA_FIELDS`.
OUTPUT_FIELDS = ["id", "status", "duplicate_of", "metadata", "content", "labels", "kinds", "reasons"]
METADATA_FIELDS = ["title", "site", "published", "byline", "dateline_city"]


def output_record(row: dict) -> dict:
    """One ``kliping clean`` output record from a row of :func:`clean_articles` (JSON-ready).

    Examples
    --------
    >>> record = output_record({"id": "a", "status": "ok", "duplicate_of": None, "title": "Judul",
    ...     "site": "kompas.com", "published": pd.Timestamp("2020-10-24 11:53", tz="Asia/Jakarta"),
    ...     "byline": None, "dateline_city": "WASHINGTON", "content": "Isi.", "labels": [0, 1],
    ...     "kinds": ["title", "body"], "reasons": ["the page's headline", "inside the body run"]})
    >>> record["metadata"]["published"], list(record)
    ('2020-10-24T11:53:00+07:00', ['id', 'status', 'duplicate_of', 'metadata', 'content', 'labels', 'kinds', 'reasons'])
    """
    published = row["published"]
    metadata = {name: row[name] if isinstance(row[name], str) else None for name in METADATA_FIELDS}
    metadata["published"] = None if published is None or pd.isna(published) else published.isoformat()
    duplicate_of = row["duplicate_of"] if isinstance(row["duplicate_of"], str) else None
    return {"id": row["id"], "status": row["status"], "duplicate_of": duplicate_of, "metadata": metadata,
            "content": row["content"] or "", "labels": [int(v) for v in row["labels"]],
            "kinds": list(row["kinds"]), "reasons": list(row["reasons"])}


def clean_command(input_path, output_path, text_field: str | None = None, title_field: str | None = None,
                  id_field: str | None = None) -> int:
    """``kliping clean INPUT -o OUT.jsonl``: one JSON record per input row, in order (:func:`output_record`).

    Each record holds ``id, status, duplicate_of, metadata`` (title, site, published, byline,
    dateline_city), ``content``, and one entry per line of the text in ``labels`` (0/1), ``kinds`` and
    ``reasons``. Bad rows keep their record, with the reader's status saying why and empty lists; the
    reader names each bad file or JSONL line in a warning on stderr. Returns the exit status (0).
    """
    from kliping import io

    _warnings_to_stderr()
    articles = io.read_corpus(input_path, text_field=text_field, title_field=title_field, id_field=id_field)
    cleaned = clean_articles(articles, progress=True)
    output_path = Path(output_path)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    columns = ["id", "status", "duplicate_of", *METADATA_FIELDS, "content", "labels", "kinds", "reasons"]
    with output_path.open("w", encoding="utf-8") as handle:
        for row in cleaned[columns].to_dict("records"):
            handle.write(json.dumps(output_record(row), ensure_ascii=False) + "\n")
    counts = cleaned["status"].value_counts()
    print(f"kliping: cleaned {int(counts.get('ok', 0))} of {len(cleaned)} rows into {output_path}",
          file=sys.stderr)
    return 0


def _warnings_to_stderr() -> None:
    """Make sure the reader's warnings and log records reach stderr, each one shown."""
    warnings.simplefilter("always", UserWarning)
    if not logging.getLogger().handlers:
        logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="kliping: %(levelname)s: %(message)s")
