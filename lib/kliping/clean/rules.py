"""The rules every step of cleaning shares, named once: short lines, boilerplate markers, widget blocks, memos.

Examples
--------
>>> columns = {"words": np.array([3.0, 20.0, 20.0]), **{m: np.array([0.0, 0.0, 0.0]) for m in MARKERS}}
>>> columns["promo"][:] = [1, 1, 0]; columns["read_also"][2] = 1
>>> marker_codes(columns).tolist(), boilerplate(columns).tolist()
([6, 0, 1], [True, False, True])
"""

from __future__ import annotations

import numpy as np

from kliping.base.memo import MemoGroup

#: A line of at most this many words is short: a menu item, a widget title, a credit. The lexicon's markers
#: decide such a line; on a longer line most of them are words of a sentence ("promo" in a paragraph).
SHORT_LINE_WORDS = 8
#: A line of at least this many words, one of them a function word, reads like a sentence.
SENTENCE_MIN_WORDS = 8

#: The lexicon groups that mark a line as boilerplate, in the order that names its kind: the first that
#: applies wins (a short "Baca juga" line that also names an editor is ``read_also``).
MARKERS = ("read_also", "section_header", "byline", "comments", "pagination", "promo")
#: Markers that count on a line of any length: "Baca juga: <a long headline>", "Laporan wartawan ...".
ANY_LENGTH_MARKERS = frozenset({"read_also", "byline"})
#: Markers that never keep a line out of the body on a long line, though they name its kind when it is not
#: body: a long line that opens with a credit can be the body's first paragraph.
BODY_ALLOWED_MARKERS = frozenset({"byline"})
#: Markers whose short line, first after the body's start, closes the body ("Editor:", "Artikel Terkait",
#: "Tulis komentar").
END_MARKERS = ("section_header", "byline", "comments")
#: Code of each marker in :func:`marker_codes` (0: no marker).
MARKER_CODE = {marker: code for code, marker in enumerate(MARKERS, start=1)}

#: A widget block below the body, opened by its marker line: the state carried to the unmarked lines after
#: it ("Terkini Lainnya" opens a block of related headlines). Code 0 is no block; a block's kind is its name.
BLOCKS = (None, "related", "comments", "promo", "pagination")
#: The block each marker's line opens (a section header opens related headlines).
OPENS_BLOCK = {"section_header": "related", "comments": "comments", "promo": "promo", "pagination": "pagination"}

#: At most this many lines are remembered per memo (about 1 kB each for the measures); the oldest quarter goes.
LINE_MEMO_MAX_LINES = 200_000
#: Longer lines are body paragraphs, which seldom repeat: they are worked out every time, never remembered.
LINE_MEMO_MAX_CHARS = 300
#: Every memo of cleaning (a line's measures, its dateline, its site...); a result depends on its line alone.
LINE_MEMOS = MemoGroup(LINE_MEMO_MAX_LINES, LINE_MEMO_MAX_CHARS)


def short(words: np.ndarray) -> np.ndarray:
    """Which lines are short (:data:`SHORT_LINE_WORDS`), from their word counts."""
    return words <= SHORT_LINE_WORDS


def marker_codes(columns: dict) -> np.ndarray:
    """Per line, the code (:data:`MARKER_CODE`) of the first marker of :data:`MARKERS` that counts on it, or 0.

    ``columns`` holds the per-line measures as arrays (``words`` and one 0/1 per marker group).
    """
    is_short = short(columns["words"])
    code = np.zeros(len(is_short), dtype=np.int64)
    for marker in reversed(MARKERS):  # the first marker that applies wins
        counts = columns[marker] != 0
        code[counts if marker in ANY_LENGTH_MARKERS else counts & is_short] = MARKER_CODE[marker]
    return code


def boilerplate(columns: dict, codes: np.ndarray | None = None) -> np.ndarray:
    """Which lines a marker keeps out of the body: a marked line (:func:`marker_codes`), unless its only
    marker is one of :data:`BODY_ALLOWED_MARKERS` on a long line."""
    codes = marker_codes(columns) if codes is None else codes
    allowed = np.isin(codes, [MARKER_CODE[marker] for marker in BODY_ALLOWED_MARKERS])
    return (codes > 0) & ~(allowed & ~short(columns["words"]))


def ends_body(columns: dict) -> np.ndarray:
    """Which lines can close the body: short lines with one of the :data:`END_MARKERS`."""
    return short(columns["words"]) & np.logical_or.reduce([columns[marker] != 0 for marker in END_MARKERS])


def clear_caches() -> None:
    """Forget every remembered line (measures, datelines, sites); the output never depends on them.

    Examples
    --------
    >>> clear_caches(); sum(len(memo) for memo in LINE_MEMOS)
    0
    """
    LINE_MEMOS.clear()
