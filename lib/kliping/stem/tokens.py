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

import re

_TLDS = r"(?:co\.id|go\.id|ac\.id|or\.id|com|net|org|id|tv|news|info|io)"
# Cheap hint that a text may hold a URL, e-mail or site name; most stretches of text have none.
_SPECIAL_HINT = re.compile(r"@|://|www\.|\." + _TLDS + r"\b", re.IGNORECASE)
_SPECIAL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'()\[\]]*[^\s<>\"'()\[\].,;:!?]"  # URL
    r"|[\w.+-]+@\w[\w-]*(?:\.[\w-]+)+"  # e-mail address
    r"|(?:[^\W_][\w-]*\.)+" + _TLDS + r"\b",  # site name: KOMPAS.com, detik.com
    re.IGNORECASE,
)
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
_PLAIN_TOKEN = re.compile(
    r"\d+(?:[.,:/]\d+)+"  # number with separators: 2.500, 9/9, 06:32
    r"|\w+(?:[-'’]\w+)*"  # word (may hold digits: G20, COVID-19, 2019), hyphenated or with an apostrophe
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
    if not any(marker in text for marker in _SPECIAL_MARKERS):
        return _PLAIN_TOKEN.findall(text)
    tokens: list[str] = []
    position = 0
    for hint in _SPECIAL_HINT.finditer(text):
        if hint.start() < position:
            continue
        # The special token is the whitespace-delimited chunk around the hint, trimmed by _SPECIAL.
        chunk_start = (
            max(text.rfind(" ", 0, hint.start()), text.rfind("\n", 0, hint.start()), text.rfind("\t", 0, hint.start()))
            + 1
        )
        chunk_start = max(chunk_start, position)
        chunk_end = _NON_SPACE_RUN.match(text, hint.start()).end()
        special = _SPECIAL.search(text, chunk_start, chunk_end)
        if special is None:
            continue
        tokens.extend(_PLAIN_TOKEN.findall(text, position, special.start()))
        tokens.append(special.group())
        position = special.end()
    tokens.extend(_PLAIN_TOKEN.findall(text, position))
    return tokens


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
