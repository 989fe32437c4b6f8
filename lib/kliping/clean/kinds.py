"""Naming every line's kind once the body is chosen: title, dateline, byline, caption, and the kinds of noise.

Above the body: ``title``, ``dateline``, ``byline``, ``caption`` in the header zone, navigation
(``promo``/``other``) before it. Below the body: widget blocks whose kind is set by their marker line
(``Terkini Lainnya`` opens ``related``, ``Tulis komentar`` opens ``comments``...); lines without a marker
belong to the block they sit in.

Examples
--------
>>> kind_counts(pd.DataFrame({"kinds": [["promo", "title", "body", "blank"], ["body"]]})).to_dict()
{'body': 2, 'promo': 1, 'title': 1, 'blank': 1}
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from kliping.clean.features import first_in_pages
from kliping.clean.rules import BLOCKS, MARKER_CODE, MARKERS, OPENS_BLOCK, SENTENCE_MIN_WORDS, marker_codes, short

#: Every kind a line can get. ``blank`` is an empty line of the input.
KINDS = (
    "title",
    "dateline",
    "byline",
    "caption",
    "body",
    "read_also",
    "related",
    "section_header",
    "comments",
    "promo",
    "pagination",
    "other",
    "blank",
)
#: One colour per line kind, for the coloured pages and charts (body stands out; noise in muted tones).
KIND_COLOURS = {
    "title": "#1f4e79",
    "dateline": "#5b7fa6",
    "byline": "#7a6fb0",
    "caption": "#b07a3b",
    "body": "#1a7f37",
    "read_also": "#c2410c",
    "related": "#b91c1c",
    "section_header": "#9f1239",
    "comments": "#a16207",
    "promo": "#6b21a8",
    "pagination": "#4b5563",
    "other": "#6b7280",
    "blank": "#d1d5db",
}
#: Without a given title, the headline is looked for in this many lines above the body.
TITLE_SEARCH_LINES = 8

# A line with only a person's name: "Anton Suhartono", "Fino Yurio Kristo - detikinet".
_NAME_LINE = re.compile(
    r"^(?:[A-Z][a-z'.]+|[A-Z]\.)(?: (?:[A-Z][a-z'.]+|[A-Z]\.|bin|binti|de|van)){0,4}"
    r"(?:\s*[-,|/]\s*[\w.]+(?: [\w.]+)?)?$"
)
# The kind each marker code gives (a marker's kind is its name; code 0, no marker, gives none).
_MARKER_NAMES = np.array((None,) + MARKERS, dtype=object)
# The block each marker code opens below the body (0: none).
_BLOCK_OPENED_BY = np.array(
    [0] + [BLOCKS.index(OPENS_BLOCK[marker]) if marker in OPENS_BLOCK else 0 for marker in MARKERS]
)
_RELATED_BLOCK, _COMMENTS_BLOCK = BLOCKS.index("related"), BLOCKS.index("comments")


def kind_counts(cleaned: pd.DataFrame) -> pd.Series:
    """How many lines of each kind the cleaned corpus has (blank lines included), most first."""
    return pd.Series([kind for kinds in cleaned["kinds"] for kind in kinds], dtype=object).value_counts()


def name_kinds(
    pages_lines: list[list[str]], body: np.ndarray, columns: dict, bounds: np.ndarray
) -> tuple[list[str], list[str]]:
    """Name the kind of every line of the pages, given which ones are body (pages as
    :func:`kliping.clean.features.pages_features` gives them); the kinds and reasons, one per line of all
    the pages."""
    n = len(body)
    starts, stops = bounds[:-1], bounds[1:]
    sizes = stops - starts
    line = _LineMeasures(columns)
    marker_code = marker_codes(columns)
    markers = _MARKER_NAMES[marker_code]
    marked = marker_code > 0
    words = columns["words"]
    body_at = np.flatnonzero(body)
    first, _ = first_in_pages(body_at, starts, stops)  # a page without body: its stop
    last_at = np.searchsorted(body_at, stops) - 1
    last = np.where((last_at >= 0) & (first < stops), body_at[np.maximum(last_at, 0)] if len(body_at) else 0, stops - 1)

    title_at = _find_titles(pages_lines, columns, line, body, starts, stops, first)
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
    name(above & (columns["has_date"] != 0) & short(words), "other", "date in the page header")
    name(above & marked, markers[above & marked], "boilerplate marker")
    # Weak lines inside the body.
    within = free & (first_r < at) & (at < last_r)
    name(within, "other", "weak line inside the body")
    name(within & (columns["caption"] != 0), "caption", "caption credit inside the body")
    name(within & marked, markers[within & marked], "boilerplate marker inside the body")
    # Below the body: an unmarked line belongs to the widget block the last marker line above it opened.
    below = free & (at > last_r)
    long_rules = (columns["comments"] != 0) & ~short(words)
    opened = _BLOCK_OPENED_BY[marker_code]
    opened[long_rules & ~marked] = _COMMENTS_BLOCK  # comment rules found by a word inside open a comments block too
    opened[~below] = 0
    latest = np.maximum.accumulate(np.where(opened > 0, at, -1))
    before = np.concatenate(([-1], latest[:-1]))
    block = np.where(before > last_r, opened[before], 0)  # an opener of this page's tail, or none
    name(below, "other", "short crumb below the article")
    name(below & (words >= 3), "related", "headline below the article")
    name(below & (words < 3) & (block == _RELATED_BLOCK), "related", "category crumb of a headline list")
    for code in range(_COMMENTS_BLOCK, len(BLOCKS)):  # comments, promo, pagination
        name(below & (block == code), BLOCKS[code], f"inside a {BLOCKS[code]} block")
    name(below & (columns["time_crumb"] != 0), "related", "time crumb of a headline list")
    name(below & long_rules, "comments", "comment rules below the article")
    name(below & marked, markers[below & marked], "boilerplate marker")
    name(below & (marker_code == MARKER_CODE["byline"]), "byline", "author or editor credit")
    # The header zone, between the headline and the body: a few lines, named one by one.
    header = free & (top_r <= at) & (at < first_r)
    page_of = np.repeat(np.arange(len(sizes)), sizes)
    for i in np.flatnonzero(header).tolist():
        k = page_of[i]
        kinds[i], reasons[i] = _header_kind(pages_lines[k][i - starts[k]], line, i, markers[i])
    if "navigation" in columns:  # a menu or a breadcrumb under the headline is no headline link
        name(header & columns["navigation"] & (kinds == "related"), "other", "navigation under the headline")
    name(body, "body", "body")
    name(is_title, "title", "the page's headline")
    return kinds.tolist(), reasons.tolist()


def _find_titles(pages_lines, columns: dict, line, body: np.ndarray, starts, stops, first) -> np.ndarray:
    """Every page's title line (-1 when none): the given one, else a headline-like line just above the body."""
    # The given one (the first line, not body, that is it), else the last headline-like line in the
    # few lines above the body (past the dateline, byline and caption lines of the header zone).
    given, has_given = first_in_pages(np.flatnonzero((columns["is_title"] != 0) & ~body), starts, stops)
    title_at = np.where(has_given, given, -1)
    has_marker = np.logical_or.reduce([columns[marker] != 0 for marker in MARKERS]).tolist()
    for k in np.flatnonzero(~has_given & (first < stops)).tolist():
        lines, page_start, page_first = pages_lines[k], int(starts[k]), int(first[k])
        for i in range(page_first - 1, max(page_first - TITLE_SEARCH_LINES - 1, page_start - 1), -1):
            if (
                4 <= line.words[i] <= 30
                and not line.has_date[i]
                and not has_marker[i]
                and not line.caption[i]
                and not line.time_crumb[i]
                and not _NAME_LINE.match(lines[i - page_start])
                and line.capital_share[i] >= 0.3
                and not lines[i - page_start].rstrip().endswith(".")
            ):
                title_at[k] = i  # the topmost such line wins
    return title_at


class _LineMeasures:
    """The measures that name a line's kind, over the lines: ``line.words[i]`` (the arrays themselves: only the
    few lines of a page's header zone are named one by one)."""

    def __init__(self, columns: dict):
        for name in (
            "words",
            "has_date",
            "caption",
            "time_crumb",
            "capital_share",
            "byline",
            "comments",
            "function_share",
        ):
            setattr(self, name, columns[name])


def _header_kind(text: str, line: _LineMeasures, i: int, marker: str | None) -> tuple[str, str]:
    """Kind of line ``i`` (its ``text``) between the headline and the body."""
    words = line.words[i]
    if line.has_date[i] and words <= 14:
        return "dateline", "date line above the body"
    if marker == "byline" or (line.byline[i] and words <= 12):
        return "byline", "author or editor credit"
    if line.caption[i] or (words >= SENTENCE_MIN_WORDS and line.function_share[i] > 0):
        return "caption", "photo caption above the body"
    if _NAME_LINE.match(text) and words <= 6:
        return "byline", "a person's name under the headline"
    if marker:
        return marker, "boilerplate marker"
    if words >= 3:
        return "related", "headline link above the body"
    return "other", "short crumb above the body"
