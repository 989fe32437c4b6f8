"""Split news text into tokens, keeping what a news reader keeps whole, and tell the kinds of token apart.

Case is kept (proper nouns are found by it later), and so are hyphenated words
(``Nagorno-Karabakh``), URLs, e-mail addresses and site names (``KOMPAS.com``)
and numbers with their separators (``2.500``), each as one token.

Examples
--------
>>> tokenize("Baca juga: KOMPAS.com - Konflik Nagorno-Karabakh, 2.500 orang mengungsi.")
['Baca', 'juga', 'KOMPAS.com', 'Konflik', 'Nagorno-Karabakh', '2.500', 'orang', 'mengungsi']
"""

from __future__ import annotations

import functools
import re

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
# hyphenated or with an apostrophe: r"\d+(?:[.,:/]\d+)+|\w+(?:[-'’]\w+)*". Written below with a first branch for
# a word that starts with a letter (most tokens; the number branch cannot match there, so it is not tried first)
# and possessive quantifiers (none of these branches ever needed to give a character back to match): the same
# matches, found in 2.13 s instead of 2.31 s over the 22,136 CLICK-ID articles (CPU, one run, alternating).
_PLAIN_TOKEN = re.compile(
    r"[^\W\d_]\w*+(?:[-'’]\w++)*+"  # word starting with a letter
    r"|\d++(?:[.,:/]\d++)++"  # number with separators
    r"|\w++(?:[-'’]\w++)*+"  # word starting with a digit or an underscore: 2019, 5G, _x
)
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
_LETTER = re.compile(r"[^\W\d_]")


def tokenize(text: str) -> list[str]:
    """Split text into words, keeping the case and what a news reader would keep whole.

    * words keep their case (needed to spot proper nouns),
    * hyphenated words stay one token (``Nagorno-Karabakh``, ``anak-anak``, ``COVID-19``),
    * URLs, e-mail addresses and site names stay one token (``KOMPAS.com``),
    * numbers stay one token with their separators (``2.500``, ``9/9``); the
      stemmer drops them later.

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
    if not _may_hold_special(text):
        return _PLAIN_TOKEN.findall(text)
    tokens: list[str] = []
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
        tokens.extend(_PLAIN_TOKEN.findall(text, position, special.start()))
        tokens.append(special.group())
        position = special.end()
    tokens.extend(_PLAIN_TOKEN.findall(text, position))
    return tokens


def _may_hold_special(text: str) -> bool:
    """Whether ``text`` holds one of :data:`_SPECIAL_MARKERS` (only then is a URL, e-mail or site name looked for).

    One Aho-Corasick pass over the text: 0.23 s CPU for the 22,136 CLICK-ID articles, where a search for each of the
    16 markers in turn (``any(marker in text ...)``) took 0.52 s; the same texts either way.
    """
    return next(_marker_automaton().iter(text), None) is not None


@functools.cache
def _marker_automaton():
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for marker in _SPECIAL_MARKERS:
        automaton.add_word(marker, marker)
    automaton.make_automaton()
    return automaton


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
