"""Raw measures of a page's lines: words, punctuation, function words, capitals, dates, lexicon hits.

Every measure of a line depends on that line alone, so they are remembered per line (:data:`MEASURE_MEMOS`):
a site's menus, footers and related headlines, repeated on many pages, are measured once. The lines not seen
before are measured together, the lexicon and the date patterns running once over all of them (joined by
newlines) instead of once per line; the result is the same as measuring line by line.

Examples
--------
>>> normalise_line("  Kamis, 05/11/2015 10:08 WIB ")
'kamis 00 00 0000 00 00 wib'
"""

from __future__ import annotations

import hashlib
import itertools
import operator
import re
from functools import lru_cache

import numpy as np

from kliping.clean.dates import MONTH_ALTERNATION
from kliping.clean.lexicon import Lexicon, load_lexicon
from kliping.clean.metadata import dateline_of
from kliping.clean.rules import LINE_MEMOS
from kliping.clean.scans import anywhere_scan, lines_count, lines_hit, starts_of
from kliping.io import DATELINE_DASH

#: Characters that separate menu items and crumbs ("Home | News", "Berita » Nasional").
SEPARATOR_CHARS = "|\u00bb\u203a\u2022\u00b7"
#: A body's dateline prefix ("WASHINGTON, KOMPAS.com -") has its dash within this many characters.
DATELINE_MAX_CHARS = 80
#: Whole-line widget markers ("Terkini Lainnya", "Halaman: 1 2 3") are looked for in lines up to this long.
WIDGET_MAX_CHARS = 120
#: Line-start markers ("Baca juga:", "Editor:") are looked for in this many first characters of a line.
LINE_START_CHARS = 120

#: The measures of a line, before the lexicon's marker groups (see :func:`measure_layout`).
LINE_MEASURES = (
    "words",
    "chars",
    "ends_terminal",
    "function_share",
    "capital_share",
    "digit_share",
    "sentences",
    "separators",
    "has_date",
    "dateline_prefix",
)
# The Python type of each measure in page_measures' dicts (the others, and every marker group, are bool).
_MEASURE_TYPES = {
    "words": int,
    "chars": int,
    "sentences": int,
    "separators": int,
    "function_share": float,
    "capital_share": float,
    "digit_share": float,
}

#: Line -> (its row of measures as float64 bytes, in :func:`measure_layout` order; its normalised form), one
#: memo per scanning mode (lower-cased or any case, see :func:`measure_lines`), for one lexicon at a time.
MEASURE_MEMOS = {True: LINE_MEMOS.new(), False: LINE_MEMOS.new()}

_WORD = re.compile(r"\w+", re.UNICODE)
_WORD_CHAR = re.compile(r"\w")
_DIGIT = re.compile(r"\d")
_CAPITALISED = re.compile(r"\b[A-Z\u00c0-\u00de]")
_TERMINAL_CHARS = frozenset(".!?:;\"'\u201d\u2019)]")
# Dates without their optional clock and zone: enough to say whether a line holds a date.
_PAGE_DATE_ANY_CASE = re.compile(
    r"\b[0-3]?\d[/.-][01]?\d[/.-](?:19|20)\d\d\b"
    r"|\b[0-3]?\d[^\S\n]+(?:" + MONTH_ALTERNATION + r")\.?[^\S\n]+(?:19|20)\d\d\b"
    r"|\b(?:" + MONTH_ALTERNATION + r")\.?[^\S\n]+[0-3]?\d,?[^\S\n]+(?:19|20)\d\d\b",
    re.IGNORECASE,
)
_PAGE_DATE = re.compile(_PAGE_DATE_ANY_CASE.pattern)  # for lower-cased text (the month names are lower case)

# The page scans below are split into patterns that each open with a literal character: the regex engine
# finds a literal with a fast string search, where a leading class or alternation is tried at every position
# of the page (several times slower).
#: A sentence break: ``[.!?]["'”’]?\s+[A-Z"“]`` (without crossing a line end), one pattern per mark. Their
#: matches never overlap (a break ends on no mark), so the counts add up to those of the one pattern.
_SENTENCE_BREAK_SCANS = tuple(
    re.compile(re.escape(mark) + r"[\"'\u201d\u2019]?[^\S\n]+[A-Z\"\u201c]") for mark in ".!?"
)
_SEPARATOR_SCANS = tuple(re.compile(re.escape(char)) for char in SEPARATOR_CHARS)
#: ``(?:19|20)\d\d`` as two patterns: a line holds a match of it when it holds one of either.
_YEAR_SCANS = (re.compile(r"19\d\d"), re.compile(r"20\d\d"))


class _CharTable(dict):
    """A :meth:`str.translate` table filled on first use of each character by ``classify(char)``."""

    def __init__(self, classify):
        super().__init__()
        self.classify = classify

    def __missing__(self, code: int) -> str:
        value = self[code] = self.classify(chr(code))
        return value


# Lower-cased line -> CCNet's normalisation before the spaces collapse: digits 0, punctuation and "_" a space.
_NORMALISE_TABLE = _CharTable(lambda c: "0" if _DIGIT.match(c) else c if _WORD_CHAR.match(c) and c != "_" else " ")
# Line -> "A" where _CAPITALISED can match a capital, "0" for a digit, "a" for another word character, " " else.
_CAPITAL_TABLE = _CharTable(
    lambda c: (
        " "
        if c == "\u00d7" or not _WORD_CHAR.match(c)
        else "0"
        if _DIGIT.match(c)
        else "A"
        if _CAPITALISED.match(c)
        else "a"
    )
)
# The same two tables for ASCII text as bytes (bytes.translate is much faster).
_NORMALISE_BYTES = bytes(ord(_NORMALISE_TABLE[i]) for i in range(128)) + bytes(range(128, 256))
_CAPITAL_BYTES = bytes(ord(_CAPITAL_TABLE[i]) for i in range(128)) + bytes(range(128, 256))


def normalise_line(line: str) -> str:
    """Normalise a line for hashing across pages, as CCNet does: lower case, every digit to ``0``, punctuation
    dropped, spaces collapsed."""
    return " ".join(line.lower().translate(_NORMALISE_TABLE).split())


def line_hash(line: str) -> bytes:
    """A short hash of :func:`normalise_line` (8 bytes)."""
    return hashlib.blake2b(normalise_line(line).encode(), digest_size=8).digest()


def page_measures(lines: list[str], lexicon: Lexicon | None = None) -> list[dict]:
    """Raw measures of every line of a page: words, punctuation, function words, lexicon hits...

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
    matrix, normalised = remembered_measures(lines, lexicon)
    return measure_dicts(matrix, normalised, measure_layout(lexicon))


def measure_layout(lexicon: Lexicon) -> tuple:
    """The columns of a row of measures: :data:`LINE_MEASURES`, then one 0/1 per marker group of the lexicon."""
    return LINE_MEASURES + tuple(lexicon.page_markers)


def measure_dicts(matrix: np.ndarray, normalised: list[str], layout: tuple) -> list[dict]:
    """The rows of measures as :func:`page_measures` gives them: one dict per line, each value of its type."""
    values = [matrix[:, j].astype(_MEASURE_TYPES.get(name, bool)).tolist() for j, name in enumerate(layout)]
    before = len(LINE_MEASURES)
    dicts = []
    for i, key in enumerate(normalised):
        measures = {name: column[i] for name, column in zip(layout[:before], values)}
        measures["normalised"] = key
        measures.update((name, column[i]) for name, column in zip(layout[before:], values[before:]))
        dicts.append(measures)
    return dicts


def keeps_offsets(lines: list[str]) -> bool:
    """Whether lower-casing leaves every line as long as it is (it does not for "İ", which becomes two)."""
    return all(len(line.lower()) == len(line) for line in itertools.filterfalse(str.isascii, lines))


def remembered_measures(
    lines: list[str], lexicon: Lexicon, same_offsets: bool | None = None
) -> tuple[np.ndarray, list[str]]:
    """The measures of every line, one row per line (columns :func:`measure_layout`), and the normalised
    lines (:func:`normalise_line`), from the memo where a line was seen before. ``same_offsets`` is
    :func:`keeps_offsets` of the lines, when known."""
    # Lower-casing keeps every offset for nearly all text; when it does not ("İ"), the page is scanned in
    # any case instead, and its lines are remembered apart.
    if same_offsets is None:
        same_offsets = keeps_offsets(lines)
    memo = MEASURE_MEMOS[same_offsets].owned_by(lexicon)
    width = len(measure_layout(lexicon))
    entries = list(map(memo.get, lines))
    if None in entries:
        unseen = list(dict.fromkeys(line for line, entry in zip(lines, entries) if entry is None))
        matrix, normalised = measure_lines(unseen, lexicon, same_offsets)
        if len(unseen) == len(lines):  # every line new and none twice: the rows are the page's
            memo.remember_all((line, (row.tobytes(), key)) for line, row, key in zip(unseen, matrix, normalised))
            return matrix, normalised
        blob, size = matrix.tobytes(), 8 * width
        fresh = {line: (blob[i * size : (i + 1) * size], key) for i, (line, key) in enumerate(zip(unseen, normalised))}
        memo.remember_all(fresh.items())
        entries = [entry if entry is not None else fresh[line] for line, entry in zip(lines, entries)]
    matrix = np.frombuffer(b"".join([row for row, _ in entries]), dtype=float).reshape(len(lines), width)
    return matrix, [key for _, key in entries]


def measure_pages(pages: list[list[str]], lexicon: Lexicon) -> tuple[np.ndarray, list[str]]:
    """The ``(rows, normalised lines)`` of :func:`remembered_measures` for the lines of several pages, one
    after the other, from one measuring pass over all of them: a line's measures do not depend on its page.

    A page whose lines do not keep their offsets when lower-cased ("İ") is measured alone, as it would be
    by itself.
    """
    together = [keeps_offsets(lines) for lines in pages]
    if all(together):
        return remembered_measures(list(itertools.chain.from_iterable(pages)), lexicon, True)
    if any(together):
        rows, keys = remembered_measures(
            list(itertools.chain.from_iterable(itertools.compress(pages, together))), lexicon, True
        )
    measured, start = [], 0
    for lines, ok in zip(pages, together):
        if ok:
            measured.append((rows[start : start + len(lines)], keys[start : start + len(lines)]))
            start += len(lines)
        else:
            measured.append(remembered_measures(lines, lexicon, False))
    return np.concatenate([rows for rows, _ in measured]), [key for _, keys in measured for key in keys]


@lru_cache(maxsize=8)
def _ascii_words(words: frozenset) -> frozenset:
    """The ASCII words of a set, as bytes."""
    return frozenset(word.encode("ascii") for word in words if word.isascii())


def _marker_hits(
    scanned: str,
    scanned_lines: list[str],
    lengths: list[int],
    line_starts: list[int],
    lexicon: Lexicon,
    same_offsets: bool,
) -> dict:
    """Per marker group of the lexicon, the set of lines (indices) it marks; ``scanned`` is the page (its lines
    ``scanned_lines``), lower-cased when ``same_offsets``, else as it is."""
    n = len(scanned_lines)
    # Whole-line markers are tried on the short lines only, line-start markers on each line's first
    # characters ("…" ends a cut line, so that "$" cannot match there): most of a page is long paragraphs.
    short = list(itertools.compress(range(n), map(WIDGET_MAX_CHARS.__ge__, lengths)))
    if len(short) == n:  # all short: the page itself
        short_text, short_starts = scanned, line_starts
    else:
        short_text = "\n".join([scanned_lines[i] for i in short])
        short_starts = starts_of([lengths[i] for i in short])
    if max(lengths, default=0) <= LINE_START_CHARS:  # no line to cut: the heads are the page itself
        head_text, head_starts = scanned, line_starts
    else:
        heads = [
            line if len(line) <= LINE_START_CHARS else line[:LINE_START_CHARS] + "\u2026" for line in scanned_lines
        ]
        head_text, head_starts = "\n".join(heads), starts_of([len(h) for h in heads])
    short_text, head_text = "\n" + short_text, "\n" + head_text  # see scans.line_regex
    hits = {}
    with_anywhere = [name for name, markers in lexicon.page_markers.items() if markers[0].anywhere]
    if same_offsets:  # every group's "anywhere" patterns at once
        scan = anywhere_scan(tuple(lexicon.page_markers[name][0] for name in with_anywhere))
        anywhere = dict(zip(with_anywhere, scan.hits(scanned, line_starts, lengths)))
    for name, (group, whole_lower, start_lower, whole_any, start_any) in lexicon.page_markers.items():
        hit = set()
        whole, start = (whole_lower, start_lower) if same_offsets else (whole_any, start_any)
        if whole is not None and short:
            hit.update(short[i] for i in lines_hit(whole, short_text, short_starts))
        if start is not None:
            hit |= lines_hit(start, head_text, head_starts)
        # A group without "anywhere" patterns scans nothing: its empty pattern would match every line.
        if group.anywhere:
            hit |= anywhere[name] if same_offsets else group.any_case_hits(scanned, line_starts)
        hits[name] = hit
    return hits


def _opens_with_dateline(line: str) -> bool:
    """Whether a line opens with a dateline (:func:`~kliping.clean.metadata.dateline_of`)."""
    city, site, _ = dateline_of(line)
    return city is not None or site is not None


def _line_counts(lines: list[str], lower_lines: list[str], lexicon: Lexicon) -> tuple:
    """Per line: its words, function words, capitalised words, digits (float arrays), whether it opens with a
    dateline, and the normalised line (lists).

    The ASCII lines without "_" (2,560 of the 2,692 distinct DEV lines) are counted together over their joined
    bytes (:func:`_ascii_counts`), the others one by one."""
    n = len(lines)
    plain = list(map(str.isascii, lines))
    if "_" in "".join(itertools.compress(lines, plain)):  # one search: "_" is rare
        plain = [ok and "_" not in line for ok, line in zip(plain, lines)]
    together = list(itertools.compress(range(n), plain))
    counts = np.zeros((4, n))
    datelines, normalised = [False] * n, [""] * n
    if together:
        counts[:, together], keys, dashed = _ascii_counts([lines[i] for i in together], lexicon)
        normalised = keys if len(together) == n else normalised
        if len(together) < n:
            for i, key in zip(together, keys):
                normalised[i] = key
        for j in np.flatnonzero(dashed & (counts[0, together] >= 2)).tolist():  # two words, a dash near the start
            datelines[together[j]] = _opens_with_dateline(lines[together[j]])
    if len(together) < n:
        alone = list(itertools.compress(range(n), [not ok for ok in plain]))
        *columns, dated, keys = _line_counts_one_by_one(
            [lines[i] for i in alone], [lower_lines[i] for i in alone], lexicon
        )
        counts[:, alone] = columns
        for i, flag, key in zip(alone, dated, keys):
            datelines[i], normalised[i] = flag, key
    return (*counts, datelines, normalised)


#: :data:`_NORMALISE_BYTES` that keeps the newlines which join the lines of a batch.
_NORMALISE_LINES = _NORMALISE_BYTES[:10] + b"\n" + _NORMALISE_BYTES[11:]


def _ascii_counts(lines: list[str], lexicon: Lexicon) -> tuple[np.ndarray, list[str], np.ndarray]:
    """The words, function words, capitalised words and digits (rows of floats), the normalised form of ASCII
    lines without "_" and whether each has a dash within :data:`DATELINE_MAX_CHARS`, from their joined bytes:
    one ``translate`` each for the normalised text and the letter shapes, one list of every word, numpy for the
    counts per line, no Python work per line.

    What :func:`_line_counts_one_by_one` gives: 5.1 against 7.3 ms CPU (with the datelines, which both look up)
    on the 2,560 DEV lines it takes (best of 40 alternating runs).

    Examples
    --------
    >>> counts, keys, dashed = _ascii_counts(["Baca juga: Banjir di Jakarta, 12 Rumah", "Editor - Ani"], load_lexicon())
    >>> counts.tolist()  # words, function words, capitals, digits
    [[7.0, 2.0], [2.0, 0.0], [4.0, 2.0], [2.0, 0.0]]
    >>> keys, dashed.tolist()
    (['baca juga banjir di jakarta 00 rumah', 'editor ani'], [False, True])
    """
    n = len(lines)
    raw = "\n".join(lines).encode("ascii")
    lowered = raw.lower().translate(_NORMALISE_LINES)  # letters and "0" between spaces; the newlines kept
    # A word starts at a character that is no space or newline, after one (or at the start).
    chars = np.frombuffer(lowered, dtype=np.uint8)
    newline = chars == ord("\n")
    gap = newline | (chars == ord(" "))
    word_start = ~gap
    word_start[1:] &= gap[:-1]
    line_ends = np.flatnonzero(newline)
    words = np.bincount(np.searchsorted(line_ends, np.flatnonzero(word_start)), minlength=n)
    # Every word, and "\x01" between two lines: line k gives its words, then its "\x01".
    tokens = lowered.replace(b"\n", b" \x01 ").split()
    token_line = np.repeat(np.arange(n), words + 1)[: len(tokens)]
    is_function = np.fromiter(map(_ascii_words(lexicon.function_words).__contains__, tokens), bool, len(tokens))
    # The normalised lines: the words joined by one space, the lines by newlines (four C calls, none per line).
    joined = b" ".join(tokens).replace(b"\x01", b"\n").replace(b" \n", b"\n").replace(b"\n ", b"\n")
    normalised = joined.decode("ascii").split("\n")
    # The shapes: "A" a capital where _CAPITALISED matches, "0" a digit; a newline is a space, as is a line's start.
    shape = np.frombuffer(b" " + raw.translate(_CAPITAL_BYTES), dtype=np.uint8)
    capital = np.flatnonzero((shape[1:] == ord("A")) & (shape[:-1] == ord(" ")))  # offsets in raw
    counts = np.array(
        [
            words,
            np.bincount(token_line, weights=is_function, minlength=n),
            np.bincount(np.searchsorted(line_ends, capital), minlength=n),
            np.bincount(np.searchsorted(line_ends, np.flatnonzero(shape[1:] == ord("0"))), minlength=n),
        ],
        dtype=float,
    )
    dashes = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) == ord("-"))
    dash_line = np.searchsorted(line_ends, dashes)
    line_starts = np.concatenate(([0], line_ends + 1))
    dashed = np.zeros(n, dtype=bool)
    dashed[dash_line[dashes - line_starts[dash_line] < DATELINE_MAX_CHARS]] = True
    return counts, normalised, dashed


def _line_counts_one_by_one(lines: list[str], lower_lines: list[str], lexicon: Lexicon) -> tuple[list, ...]:
    """:func:`_line_counts` line by line (bytes for the ASCII ones): for the lines with other characters or "_"."""
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
            capital_counts.append(
                (" " + shape).count(" A") if "\u00d7" not in line else len(_CAPITALISED.findall(line))
            )
            digit_counts.append(shape.count("0"))
        if "_" in lower_line:
            words = _WORD.findall(lower_line)
            function_words = sum(map(is_function_word, words))
        word_counts.append(len(words))
        function_counts.append(function_words)
        datelines.append(
            len(words) >= 2
            and bool(
                line.find("-", 0, DATELINE_MAX_CHARS) >= 0
                if ascii_line  # the one ASCII dash
                else DATELINE_DASH.search(line, 0, DATELINE_MAX_CHARS)
            )
            and _opens_with_dateline(line)
        )
    return word_counts, function_counts, capital_counts, digit_counts, datelines, normalised


def measure_lines(lines: list[str], lexicon: Lexicon, same_offsets: bool) -> tuple[np.ndarray, list[str]]:
    """Measure distinct lines together (see :func:`page_measures`): one row per line (columns
    :func:`measure_layout`) and the normalised lines.

    ``same_offsets`` says whether the page keeps its offsets when lower-cased: then the lower-cased text is
    scanned with lower-case patterns, else the text itself with case-insensitive ones.
    """
    n = len(lines)
    text = "\n".join(lines)
    lengths = list(map(len, lines))
    line_starts = starts_of(lengths)
    scanned = text.lower() if same_offsets else text
    scanned_lines = scanned.split("\n")
    hits = _marker_hits(scanned, scanned_lines, lengths, line_starts, lexicon, same_offsets)
    # A date holds a year: only the few lines with a year-like number are searched for a whole date.
    date_rx = _PAGE_DATE if same_offsets else _PAGE_DATE_ANY_CASE
    has_date = {
        i
        for i in lines_hit(_YEAR_SCANS, scanned, line_starts)
        if date_rx.search(scanned, line_starts[i], line_starts[i] + lengths[i])
    }
    lower_lines = scanned_lines if same_offsets else [line.lower() for line in lines]
    # Counts per line, each from one pass over the page.
    sentences = lines_count(_SENTENCE_BREAK_SCANS, text, line_starts)
    separators = lines_count(_SEPARATOR_SCANS, text, line_starts)
    word_counts, function_counts, capital_counts, digit_counts, datelines, normalised = _line_counts(
        lines, lower_lines, lexicon
    )
    # The columns, as Python computes them line by line (a float division is the same double in numpy).
    words = word_counts
    measures = {
        "words": words,
        "chars": lengths,
        "ends_terminal": list(map(_TERMINAL_CHARS.__contains__, map(operator.itemgetter(-1), lines))),
        "function_share": np.divide(function_counts, words, out=np.zeros(n), where=words > 0),
        "capital_share": np.divide(capital_counts, words, out=np.zeros(n), where=words > 0),
        "digit_share": np.divide(digit_counts, lengths),
        "sentences": sentences,
        "separators": separators,
        "dateline_prefix": datelines,
    }
    layout = measure_layout(lexicon)
    matrix = np.zeros((n, len(layout)))
    for j, name in enumerate(layout):
        if name in measures:
            matrix[:, j] = measures[name]
        else:  # a set of the lines that have it
            matrix[list(has_date if name == "has_date" else hits[name]), j] = 1.0
    return matrix, normalised
