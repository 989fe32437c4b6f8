"""Split news text into tokens, keeping what a news reader keeps whole, and tell the kinds of token apart.

Case is kept (proper nouns are found by it later), and so are hyphenated words
(``Nagorno-Karabakh``), URLs, e-mail addresses and site names (``KOMPAS.com``)
and numbers with their separators (``2.500``), each as one token.

The work is done on whole columns by Arrow's compiled kernels (:func:`tokenize_texts`): Python reads only the
distinct whitespace units and the few texts that may hold a URL, e-mail address or site name, never every token.

Examples
--------
>>> tokenize("Baca juga: KOMPAS.com - Konflik Nagorno-Karabakh, 2.500 orang mengungsi.")
['Baca', 'juga', 'KOMPAS.com', 'Konflik', 'Nagorno-Karabakh', '2.500', 'orang', 'mengungsi']
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_TLDS = r"(?:co\.id|go\.id|ac\.id|or\.id|com|net|org|id|tv|news|info|io)"
# Cheap hint that a text may hold a URL, e-mail or site name; most stretches of text have none.
_SPECIAL_HINT = re.compile(r"@|://|www\.|\." + _TLDS + r"\b", re.IGNORECASE)
# Linear on any text: an e-mail address or a site name is only tried where one can begin (the lookbehinds),
# and a site name's labels are at most 63 characters and 8 deep, as in DNS. Without them every position inside
# a long run of letters was a start that scanned to the run's end: one line of 100,000 letters, "@" and 100,000
# letters did not finish in 5 minutes. The lookbehinds change no result: a match starting after such a character
# also matches one character earlier, and the leftmost match is the one taken. Right after a special token the
# lookbehind would see that token, so there _SPECIAL_HERE (no lookbehinds) is tried first, anchored. The same
# tokens came out on all 22,136 CLICK-ID articles, the DEV pages and 200,000 random strings of URL, e-mail and
# site-name pieces, but for site names of more than 8 labels or labels over 63 characters.
_SPECIAL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'()\[\]]*[^\s<>\"'()\[\].,;:!?]"  # URL
    r"|(?<![\w.+-])[\w.+-]+@\w[\w-]*(?:\.[\w-]+)+"  # e-mail address
    r"|(?<![^\W_])(?:[^\W_][\w-]{0,62}\.){1,8}" + _TLDS + r"\b",  # site name: KOMPAS.com, detik.com
    re.IGNORECASE,
)
_SPECIAL_HERE = re.compile(_SPECIAL.pattern.replace("(?<![\\w.+-])", "").replace("(?<![^\\W_])", ""), re.IGNORECASE)
_NON_SPACE_RUN = re.compile(r"\S*")
# Substrings that must be present for _SPECIAL_HINT to match; `in` is much faster than a regex scan.
_SPECIAL_MARKERS = (
    "@",
    "://",
    "www.",
    "WWW.",
    ".co",
    ".id",
    ".or",
    ".net",
    ".tv",
    ".io",
    ".go",
    ".ac",
    ".news",
    ".info",
    ".CO",
    ".ID",
)
# A token is a number with separators (2.500, 9/9, 06:32) or a word (it may hold digits: G20, COVID-19, 2019),
# hyphenated or with an apostrophe: \d+(?:[.,:/]\d+)+|\w+(?:[-'’]\w+)* in Python's re, written with a first branch
# for a word that starts with a letter (most tokens; the number branch cannot match there). It runs in RE2 (Arrow's
# regex kernels, over a whole column): {W}, {D} and {L} become the classes Python's re gives \w, \d and [^\W\d_],
# built from the characters of the text at hand (:func:`_token_pattern`), so the tokens are Python's to the
# character; RE2 takes the same leftmost-first match as Python's backtracking engine.
_TOKEN_TEMPLATE = "{L}{W}*(?:[-'’]{W}+)*|{D}+(?:[.,:/]{D}+)+|{W}+(?:[-'’]{W}+)*"
_CLASSES = {"W": re.compile(r"\w"), "D": re.compile(r"\d"), "L": re.compile(r"[^\W\d_]")}
# Texts that may hold a URL, e-mail address or site name: one RE2 pass over the column (any of the markers).
_MARKER_PATTERN = "|".join(re.escape(marker) for marker in _SPECIAL_MARKERS)
# A lone surrogate is no character and has no UTF-8 form, so an Arrow column cannot hold it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Leads a unit that is one URL, e-mail address or site name (see _unit_text); no other unit holds it.
_SPECIAL_LEAD = "\x00"
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
_LETTER = re.compile(r"[^\W\d_]")


def tokenize(text: str) -> list[str]:
    """Split text into words, keeping the case and what a news reader would keep whole.

    * words keep their case (needed to spot proper nouns),
    * hyphenated words stay one token (``Nagorno-Karabakh``, ``anak-anak``, ``COVID-19``),
    * URLs, e-mail addresses and site names stay one token (``KOMPAS.com``),
    * numbers stay one token with their separators (``2.500``, ``9/9``); the
      stemmer drops them later.

    For many texts, :func:`tokenize_texts` is much faster (the work is done once for the column).

    Parameters
    ----------
    text : str
        Any text; ``None`` is not accepted.

    Returns
    -------
    list of str

    Examples
    --------
    >>> tokenize("Kirim ke redaksi@kompas.com atau buka https://kompas.id/baca?x=1.")
    ['Kirim', 'ke', 'redaksi@kompas.com', 'atau', 'buka', 'https://kompas.id/baca?x=1']
    >>> tokenize("Jum'at, anak-anak ikut e-KTP 5G")
    ["Jum'at", 'anak-anak', 'ikut', 'e-KTP', '5G']
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize expects a str, got {type(text).__name__}")
    return tokenize_texts([text])[0]


def tokenize_texts(texts: list[str]) -> list[list[str]]:
    """:func:`tokenize` of every text, with compiled kernels over the whole column (see :class:`TextUnits`).

    Examples
    --------
    >>> tokenize_texts(["Warga Bekasi mengungsi.", "", "Baca juga: KOMPAS.com"])
    [['Warga', 'Bekasi', 'mengungsi'], [], ['Baca', 'juga', 'KOMPAS.com']]
    """
    units = text_units(texts)
    words = unit_tokens(units.distinct)
    ids, lengths = words.tokens_of(units.codes, units.counts)
    surface = np.array(words.surface + [""], dtype=object)  # one more: never an empty array of no dtype
    ends = np.cumsum(lengths).tolist()
    return [surface[ids[end - n : end]].tolist() for n, end in zip(lengths.tolist(), ends)]


@dataclass
class TextUnits:
    """Texts cut at whitespace into units, each distinct unit once: ``distinct[codes[...]]``, ``counts[i]`` units for
    text i. A URL, e-mail address or site name is a unit of its own, led by ``\\x00`` (:func:`_unit_text`).

    No token holds a space, and the token pattern looks neither behind nor past one, so a text's tokens are its
    units' tokens one after the other, and each distinct unit (0.36 M of the 22k CLICK-ID articles' 5.1 M) is
    tokenized once (:func:`unit_tokens`).

    Examples
    --------
    >>> units = text_units(["Banjir di Bekasi, banjir di Jakarta.", "Lihat kompas.com ya"])
    >>> units.codes.tolist(), units.counts.tolist()
    ([0, 1, 2, 3, 1, 4, 5, 6, 7], [6, 3])
    >>> units.distinct.to_pylist()
    ['Banjir', 'di', 'Bekasi,', 'banjir', 'Jakarta.', 'Lihat', '\\x00kompas.com', 'ya']
    """

    codes: np.ndarray  # int32, every unit of every text, one text after the other
    counts: np.ndarray  # int64, units per text
    distinct: pa.Array  # large_string, in order of first appearance


def text_units(texts: list[str]) -> TextUnits:
    """Cut ``texts`` into :class:`TextUnits` (Arrow: whitespace split and dictionary encoding in C++).

    Only texts that may hold a URL, e-mail address or site name (1,831 of the 22,136 CLICK-ID articles) are looked at
    in Python, by :func:`_special_spans`. A lone surrogate (no character: it has no UTF-8 form) is read as U+FFFD, the
    replacement character; no token but a URL can hold either.
    """
    texts = list(texts)
    if any(not isinstance(text, str) for text in texts):
        raise TypeError("tokenize expects texts of type str")
    try:
        column = pa.array(texts, pa.large_string())
    except UnicodeEncodeError:
        texts = [_LONE_SURROGATE.sub("\ufffd", text) for text in texts]
        column = pa.array(texts, pa.large_string())
    special = pc.match_substring_regex(column, _MARKER_PATTERN).to_numpy(zero_copy_only=False)
    # A NUL in a text (memchr: 12 ms for the 22k; Arrow's match_substring 0.1 s) must not lead a unit.
    odd = special | np.fromiter((_SPECIAL_LEAD in text for text in texts), bool, len(texts))
    if odd.any():
        rewritten = [_unit_text(texts[i], special[i]) for i in np.flatnonzero(odd).tolist()]
        column = pc.replace_with_mask(column, pa.array(odd), pa.array(rewritten, pa.large_string()))
    # Cut at ASCII whitespace (0.2 s for the 22k, Unicode's 0.46 s): any character that is in no token would do, and
    # a unit may hold another space (RE2 reads it as a gap between tokens).
    units = pc.ascii_split_whitespace(column)
    encoded = pc.dictionary_encode(units.flatten())
    counts = pc.list_value_length(units).to_numpy(zero_copy_only=False).astype(np.int64)
    return TextUnits(encoded.indices.to_numpy().astype(np.int32, copy=False), counts, encoded.dictionary)


def _unit_text(text: str, special: bool = True) -> str:
    """``text`` with each URL, e-mail address and site name set apart by spaces and led by ``\\x00`` (looked for
    only when ``special``: the text holds one of :data:`_SPECIAL_MARKERS`); a ``\\x00`` elsewhere becomes ``\\x01``
    (neither is part of any token, so the other tokens stay as they were).

    Examples
    --------
    >>> _unit_text("Baca KOMPAS.com- ok"), _unit_text("a\\x00b Www.Kompas.Com", special=False)
    ('Baca  \\x00KOMPAS.com - ok', 'a\\x01b Www.Kompas.Com')
    """
    pieces, position = [], 0
    for start, end in _special_spans(text) if special else ():
        pieces += [text[position:start].replace(_SPECIAL_LEAD, "\x01"), " " + _SPECIAL_LEAD, text[start:end], " "]
        position = end
    pieces.append(text[position:].replace(_SPECIAL_LEAD, "\x01"))
    return "".join(pieces)


def _special_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text``'s URLs, e-mail addresses and site names are, left to right (the text between is plain)."""
    spans: list[tuple[int, int]] = []
    position = 0  # text before this is tokenized
    # Each scan below starts where the last one stopped, so a line is scanned a bounded number of times: the
    # chunk start was once found with rfind from the hint back to the line's start, for every hint, which made
    # one line of 8/16/32 MB take 1.9/7.8/26.7 s (quadratic); now the time grows with the length.
    last_space, looked_to = -1, 0  # the last " ", "\n" or "\t" before looked_to
    run_start = run_end = -1  # the non-space run of the last hint
    barren_to = -1  # the last failed search proved no special token starts before this in its run
    for hint in _SPECIAL_HINT.finditer(text):
        start = hint.start()
        if start < position or start < barren_to:
            continue
        # The special token is the whitespace-delimited chunk around the hint, trimmed by _SPECIAL.
        last_space = max(last_space, *(text.rfind(space, looked_to, start) for space in " \n\t"))
        looked_to = start
        chunk_start = max(last_space + 1, position)
        if not run_start <= start < run_end:
            run_start, run_end = start, _NON_SPACE_RUN.match(text, start).end()
        special = None
        if chunk_start == position and position > 0:  # right after a special token: see above
            special = _SPECIAL_HERE.match(text, chunk_start, run_end)
        if special is None:
            special = _SPECIAL.search(text, chunk_start, run_end)
        if special is None:
            barren_to = run_end  # later hints of this run search a part of the same stretch
            continue
        spans.append(special.span())
        position = special.end()
    return spans


@dataclass
class UnitTokens:
    """The tokens of each distinct unit: ``surface[ids[starts[u]:starts[u + 1]]]`` are unit u's, and ``surface``
    holds each distinct token once, in the order of first appearance."""

    ids: np.ndarray  # int32
    starts: np.ndarray  # int64, one more than units
    surface: list

    def tokens_of(self, codes: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The token numbers of units ``codes`` one after the other (int32), and the tokens per text (``counts``
        units each) (numpy: no step per token)."""
        per_unit = np.diff(self.starts)[codes]
        ends = np.cumsum(per_unit)
        total = int(ends[-1]) if len(ends) else 0
        index = np.arange(total) + np.repeat(self.starts[codes] - (ends - per_unit), per_unit)
        text_ends = np.zeros(len(counts) + 1, np.int64)
        np.cumsum(counts, out=text_ends[1:])
        token_ends = np.concatenate([[0], ends])[text_ends]
        return self.ids[index], np.diff(token_ends)


def unit_tokens(units: pa.Array) -> UnitTokens:
    """Tokenize each distinct unit (:class:`TextUnits`): one RE2 pass of the token pattern over the column marks
    each token with line breaks around it (no unit holds one), a split at them leaves the tokens at the odd places,
    and Arrow's dictionary encoding numbers them.

    The units come in the order of their first appearance, so their tokens, one unit after the other, first appear
    in the order they first appear in the texts, and the numbers keep that order.

    Examples
    --------
    >>> words = unit_tokens(pa.array(["Rp2.500,", "(anak-anak)", "2.500", "\\x00kompas.com", ""], pa.large_string()))
    >>> words.surface, words.ids.tolist(), words.starts.tolist()
    (['Rp2', '500', 'anak-anak', '2.500', 'kompas.com'], [0, 1, 2, 3, 4], [0, 2, 3, 4, 5, 5])
    """
    special = pc.starts_with(units, _SPECIAL_LEAD)
    characters = frozenset("".join(units.to_pylist()))  # distinct units: 3 MB for the 22k CLICK-ID articles
    marked = pc.replace_substring_regex(units, _token_pattern(characters), "\n\\0\n")
    whole = pc.utf8_replace_slice(units, 0, 1, "\n")  # the special's lead becomes the first mark
    whole = pc.binary_join_element_wise(whole, pa.scalar("\n", pa.large_string()), pa.scalar("", pa.large_string()))
    pieces = pc.split_pattern(pc.if_else(special, whole, marked), "\n")
    lengths = pc.list_value_length(pieces).to_numpy(zero_copy_only=False).astype(np.int64)  # 2 * tokens + 1
    first = np.zeros(len(lengths) + 1, np.int64)
    np.cumsum(lengths, out=first[1:])
    odd = ((np.arange(first[-1]) - np.repeat(first[:-1], lengths)) & 1).astype(bool)
    encoded = pc.dictionary_encode(pc.filter(pieces.flatten(), pa.array(odd)))
    starts = np.zeros(len(lengths) + 1, np.int64)
    np.cumsum(lengths // 2, out=starts[1:])
    ids = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
    return UnitTokens(ids, starts, encoded.dictionary.to_pylist())


@functools.lru_cache(maxsize=64)
def _token_pattern(characters: frozenset) -> str:
    """The token pattern for RE2, its classes holding those of ``characters`` Python's re puts in them.

    Only the characters present: RE2 compiles the classes of all of Unicode in about 25 ms, on every call, and the
    pattern is the same on the text at hand.

    Examples
    --------
    >>> print(_token_pattern(frozenset("a1²-")).split("|")[1])  # \\d: "1" (the superscript "²" is \\w, not \\d)
    [\\x{31}]+(?:[.,:/][\\x{31}]+)+
    """
    ordered = sorted(map(ord, characters))
    classes = {}
    for name, pattern in _CLASSES.items():
        points = [point for point in ordered if pattern.match(chr(point))]
        # Consecutive code points as one range: fewer ranges, a smaller program to compile.
        breaks = [i for i in range(1, len(points)) if points[i] != points[i - 1] + 1]
        ranges = zip([0, *breaks], [*breaks, len(points)])
        spans = "".join(_re2_range(points[a], points[b - 1]) for a, b in ranges) if points else ""
        classes[name] = f"[{spans}]" if spans else "[^\\x{0}-\\x{10ffff}]"  # no such character: matches none
    return _TOKEN_TEMPLATE.format(**classes)


def _re2_range(first: int, last: int) -> str:
    return f"\\x{{{first:x}}}" if first == last else f"\\x{{{first:x}}}-\\x{{{last:x}}}"


def token_kind(token: str) -> str:
    """Classify a token from :func:`tokenize`: ``word``, ``number``, ``url``, ``email``, ``site`` or ``symbol``.

    Examples
    --------
    >>> [token_kind(t) for t in ["Bekasi", "2.500", "KOMPAS.com", "a@b.id", "www.x.com", "G20", "__"]]
    ['word', 'number', 'site', 'email', 'url', 'word', 'symbol']
    """
    if _NUMBER.fullmatch(token):
        return "number"
    if "@" in token:
        return "email"
    if "://" in token or token.lower().startswith("www."):
        return "url"
    if "." in token:
        return "site"
    return "word" if _LETTER.search(token) else "symbol"
