"""The line model's features: a line's measures, its place relative to the body's start and end markers, the
runs of long lines, repetition within the page and the measures of its neighbours.

Examples
--------
>>> features, measures = line_features(["Beranda", "Baca juga: Gempa di Bali"])
>>> features.shape == (2, len(FEATURE_NAMES)), measures[1]["read_also"]
(True, True)
"""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np

from kliping.clean.lexicon import Lexicon, load_lexicon
from kliping.clean.markup_features import (
    MARKUP_FEATURE_NAMES,
    language_shares,
    markup_columns,
    page_language,
    script_measures,
)
from kliping.clean.measures import measure_dicts, measure_layout, measure_pages, normalise_line
from kliping.clean.navigation import pages_navigation
from kliping.clean.rules import SENTENCE_MIN_WORDS, ends_body

#: Names of the model's features, in order (the JSON model stores its own copy and is checked against it).
FEATURE_NAMES = (
    "log_words",
    "log_chars",
    "ends_terminal",
    "function_share",
    "capital_share",
    "digit_share",
    "log_sentences",
    "separators",
    "time_crumb",
    "has_date",
    "read_also",
    "section_header",
    "comments",
    "promo",
    "pagination",
    "byline",
    "caption",
    "dateline_prefix",
    "repeated_in_page",
    "before_start",
    "after_end",
    "relative_position",
    "is_title",
    "log_long_run",
    "near_function_share",
    "near_log_words",
    "long_and_wordy",
)
#: Features of the HTML line model: the text features, then what the markup and the page's language say
#: (:mod:`kliping.clean.markup_features`).
HTML_FEATURE_NAMES = (*FEATURE_NAMES, *MARKUP_FEATURE_NAMES)
#: The neighbourhood features average this many lines on either side.
NEIGHBOUR_LINES = 2
#: A "long and wordy" line, the stuff of body paragraphs: at least this many words...
LONG_LINE_WORDS = 12
#: ...and at least this share of them function words.
LONG_LINE_FUNCTION_SHARE = 0.1


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
    """
    lexicon = lexicon or load_lexicon()
    features, column, _ = pages_features([(lines, title)], lexicon)
    measures = measure_dicts(
        np.column_stack([column[name] for name in measure_layout(lexicon)]),
        column["normalised"],
        measure_layout(lexicon),
    )
    return features, measures


def same_normalised(a: str, b: str) -> bool:
    """Whether two normalised lines are the same headline (equal, or one nearly all of the other).

    Examples
    --------
    >>> same_normalised("banjir rendam ratusan rumah di bekasi", "banjir rendam ratusan rumah di bekasi kompas")
    True
    """
    return bool(a) and (
        a == b or (len(a) > 20 and (a in b or b in a) and min(len(a), len(b)) > 0.7 * max(len(a), len(b)))
    )


def pages_features(
    pages: list[tuple], lexicon: Lexicon, structures: list | None = None
) -> tuple[np.ndarray, dict, np.ndarray]:
    """:func:`line_features` of several pages at once, their lines one after the other (with ``structures``,
    per page its rows of :data:`kliping.io.blocks.STRUCTURE_NAMES`, the rows are :data:`HTML_FEATURE_NAMES`).

    ``pages`` holds ``(lines, title)`` per page: its stripped non-empty lines and its known title or None. Each
    measure depends on the line alone and each feature on the line's own page only; measuring the lines of a batch
    of pages together, and computing the features for all of them at once, pays the fixed cost of each scan and
    numpy call once per batch instead of once per page.

    Returns the features, the measures as columns (measure name -> float array over the lines, a 0/1 for the
    true/false ones; ``"normalised"`` -> the normalised lines, ``"is_title"`` -> the lines that are the known title,
    ``"navigation"`` -> :func:`kliping.clean.navigation.pages_navigation`) and the bounds of the pages: page ``k``
    holds lines ``bounds[k]`` to ``bounds[k + 1]``.
    """
    layout = measure_layout(lexicon)
    sizes = np.array([len(lines) for lines, _ in pages], dtype=np.int64)
    bounds = np.concatenate(([0], np.cumsum(sizes)))
    starts, stops = bounds[:-1], bounds[1:]
    by_line, normalised = measure_pages([lines for lines, _ in pages], lexicon)
    n = len(normalised)
    # One contiguous float column per measure.
    column = dict(zip(layout, by_line.T.copy()))
    if structures is not None:  # from HTML: words, sentence ends and function words of any language and script
        column["words"], column["ends_terminal"] = script_measures([line for lines, _ in pages for line in lines])
        column["page_language"] = [page_language(lines) for lines, _ in pages]  # one per page
        column["function_share"] = language_shares([lines for lines, _ in pages], column["page_language"])
    words, function_share = column["words"], column["function_share"]
    long_line = (words >= LONG_LINE_WORDS) & (function_share >= LONG_LINE_FUNCTION_SHARE)
    position = np.arange(n) - np.repeat(starts, sizes)  # within the page
    size = np.repeat(sizes, sizes)  # of the page

    # Runs of consecutive long, wordy lines: body paragraphs come in runs, menus never do.
    opens_run = long_line & ((position == 0) | ~np.concatenate(([False], long_line[:-1])))
    run_of = np.cumsum(opens_run) - 1
    run = np.zeros(n)
    run[long_line] = np.bincount(run_of[long_line])[run_of[long_line]]

    # The body's start marker (a dateline opening a sentence) and the first end marker after it.
    opens_body = (column["dateline_prefix"] != 0) & (words >= SENTENCE_MIN_WORDS)
    start, has_start = first_in_pages(np.flatnonzero(opens_body), starts, stops)
    end, has_end = first_in_pages(np.flatnonzero(ends_body(column)), np.minimum(start + 1, stops), stops)
    has_end &= has_start

    # A line repeated within its page (a headline listed twice), and the line that is the known title.
    repeated, is_title = [], np.zeros(n)
    for (_, title), first, stop in zip(pages, starts.tolist(), stops.tolist()):
        keys = normalised[first:stop]
        counts = Counter(keys)
        repeated += map(counts.__getitem__, keys)
        title_key = normalise_line(title) if title else None
        if title_key:
            is_title[first:stop] = [same_normalised(key, title_key) for key in keys]

    log_words = np.log1p(words)
    features = {
        "log_words": log_words,
        "log_chars": np.log1p(column["chars"]),
        "log_sentences": np.log1p(column["sentences"]),
        "separators": np.minimum(column["separators"], 5),
        "repeated_in_page": np.array(repeated) > 1,
        "before_start": np.arange(n) < np.repeat(np.where(has_start, start, starts), sizes),
        "after_end": np.arange(n) >= np.repeat(np.where(has_end, end, stops), sizes),
        "relative_position": position / np.maximum(size - 1, 1),
        "is_title": is_title,
        "log_long_run": np.log1p(run),
        "near_function_share": _window_mean(function_share, position, size),
        "near_log_words": _window_mean(log_words, position, size),
        "long_and_wordy": long_line,
    }
    # The other features are measures that enter the model as they are.
    rows = np.column_stack([features[name] if name in features else column[name] for name in FEATURE_NAMES])
    if structures is not None:
        shares = np.split(column["function_share"], bounds[1:-1])
        per_page = zip([p[0] for p in pages], structures, shares, column["page_language"])
        rows = np.hstack([rows, markup_columns(list(per_page), _window_mean)])
    column["normalised"], column["is_title"] = normalised, is_title
    column["navigation"] = pages_navigation([lines for lines, _ in pages], is_title, long_line, bounds, structures)
    return rows, column, bounds


def first_in_pages(found: np.ndarray, lows: np.ndarray, stops: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per page, the first of the sorted line numbers ``found`` in ``[lows[k], stops[k])``, and whether there is
    one (where there is none, the page's stop).

    Examples
    --------
    >>> first_in_pages(np.array([1, 7]), np.array([0, 3, 5]), np.array([3, 5, 9]))
    (array([1, 5, 7]), array([ True, False,  True]))
    """
    at = np.searchsorted(found, lows)
    first = found[np.minimum(at, len(found) - 1)] if len(found) else stops
    there = (at < len(found)) & (first < stops)
    return np.where(there, first, stops), there


def _window_mean(values: np.ndarray, position: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Mean of the neighbours within :data:`NEIGHBOUR_LINES` lines on the same page, the line itself left out
    (0 for a page of one line); ``position`` and ``size`` give each line's place in its page and the page's
    length."""
    n = len(values)
    padded = np.concatenate((np.zeros(NEIGHBOUR_LINES), values, np.zeros(NEIGHBOUR_LINES)))
    total, count = np.zeros(n), np.zeros(n)
    for offset in itertools.chain(range(-NEIGHBOUR_LINES, 0), range(1, NEIGHBOUR_LINES + 1)):
        on_page = (position + offset >= 0) & (position + offset < size)
        total += np.where(on_page, padded[NEIGHBOUR_LINES + offset : NEIGHBOUR_LINES + offset + n], 0.0)
        count += on_page
    return total / np.maximum(count, 1)
