"""Bytes to text: tell binary from text, decode (UTF-8, UTF-16, else a Western code page), normalise, clean lines.

Pages and table records alike pass through :func:`decode_bytes` / :func:`normalise_text`, so a page and a
record with the same text read the same; :func:`clean_lines` gives the block-per-line layout of the seed pages.
"""

from __future__ import annotations

import json
import re
import unicodedata

_WS_RUN = re.compile(r"[ \t\f\v\u00a0\u200b\u2009\u202f]+")
#: Invisible characters that split a word for the tokenizer and the stemmer (zero-width space, non-joiner, joiner,
#: word joiner, BOM, soft hyphen, Mongolian vowel separator): dropped from pages and table records alike.
_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_ZERO_WIDTH = re.compile(f"[{_ZERO_WIDTH_CHARS}]")
#: What ``str.splitlines`` takes for a line end besides ``\n``: vertical tab, form feed, the file/group/record
#: separators (the ASCII ones first), NEL, U+2028 and U+2029. The clean stage cuts a text into lines with it, so
#: each must be resolved first, as a line end or as a space (:func:`resolve_breaks`).
_OTHER_BREAK_CHARS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_ASCII_BREAK_CHARS = _OTHER_BREAK_CHARS[:5]
_OTHER_BREAKS = re.compile(f"[{_OTHER_BREAK_CHARS}]")
#: A piece between such breaks shorter than this many words, in the median, means they separate words.
_LINE_WORDS = 3


def looks_binary(data: bytes) -> bool:
    """Tell whether raw bytes are a binary file rather than text.

    More than one NUL byte per KiB (and more than one), or more than 10 % control characters other than tab
    and line breaks, in the first 8 KiB means binary (UTF-16 with a BOM is text). A stray NUL or two in text (a
    scraper's slip, a database dump's padding) is no binary file: a CSV of 300 CLICK-ID articles with one NUL in
    one cell was refused whole; :func:`normalise_text` drops them. Binary files hold them throughout (random
    bytes: 32 in 8 KiB; a PNG header: 2 in its first 10 bytes).

    Examples
    --------
    >>> looks_binary("Berita hari ini".encode())
    False
    >>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    True
    >>> looks_binary("Banjir di Bekasi\\x00 merendam ratusan rumah warga sejak pagi.".encode())
    False
    """
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or utf16_without_bom(head):
        return False
    if head.count(0) > max(1, len(head) // 1024):
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return bool(head) and controls / len(head) > 0.10


def utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when bytes without a byte-order mark are UTF-16 text (as Excel's "Unicode
    text" and PowerShell write it), else None: the NULs stand on one side of each byte pair only and the pairs
    decode to text with no control character but line breaks and tabs. Such a CSV was called binary before.

    Examples
    --------
    >>> utf16_without_bom("id,isi\\n1,Gempa di Palu\\n".encode("utf-16-le"))
    'utf-16-le'
    >>> utf16_without_bom("id,isi\\n1,Gempa\\n".encode("utf-16-be"))
    'utf-16-be'
    >>> utf16_without_bom(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00") is None
    True
    """
    head = head[: len(head) - len(head) % 2]
    if len(head) < 4 or b"\x00" not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    codec = "utf-16-le" if odd > even else "utf-16-be"
    if max(even, odd) < len(head) // 4 or min(even, odd) > len(head) // 100:  # NULs on one side, mostly
        return None
    text = head.decode(codec, errors="replace")
    bad = sum(1 for char in text if (char < " " and char not in "\t\n\r") or char == "\ufffd")
    return codec if bad <= len(text) // 100 else None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes to text and return ``(text, encoding)``.

    A byte-order mark decides first, then the charset the server ``declared`` (an HTTP ``Content-Type``'s,
    when Python knows it), as a browser decides. UTF-8 (with or without BOM) and UTF-16 with a BOM are taken
    as they are, and so is UTF-8 with a few invalid sequences (:func:`_utf8_with_slips`; a declared UTF-8 that
    is not valid UTF-8 is sniffed as an undeclared one). Anything else is handed to charset-normalizer,
    restricted to the Western single-byte code pages that Indonesian text is written in, with latin-1 as the
    last resort (it never fails). Line ends are normalised to ``"\\n"`` and the text to Unicode NFC.

    Examples
    --------
    >>> decode_bytes("Menlu AS – Pompeo\\r\\n".encode("cp1252"))
    ('Menlu AS – Pompeo\\n', 'cp1252')
    >>> decode_bytes(b"\\xef\\xbb\\xbfJakarta")
    ('Jakarta', 'utf-8-sig')
    >>> decode_bytes("Kota Café".encode("cp1252"), declared="windows-1252")
    ('Kota Café', 'cp1252')
    >>> decode_bytes("Kota Café".encode(), declared="iso-8859-1")  # a wrong Western default: the bytes are UTF-8
    ('Kota Café', 'utf-8')
    """
    codec = _declared_codec(data, declared)
    if codec is not None:
        return normalise_text(data.decode(codec, errors="replace")), codec
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    elif wide := utf16_without_bom(data[:8192]):
        text, encoding = data.decode(wide, errors="replace"), wide
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text = _utf8_with_slips(data)
            text, encoding = (text, "utf-8") if text is not None else _decode_legacy(data)
    return normalise_text(text), encoding


_NOT_ASCII = re.compile("[^\x00-\x7f\ufffd]")


def _utf8_with_slips(data: bytes) -> str | None:
    """Bytes that are not valid UTF-8 as text, when they are UTF-8 but for a few invalid sequences (more valid
    non-ASCII characters than invalid sequences, the rule :mod:`kliping.io.textlines` applies to a table's lines):
    those replaced with U+FFFD. None when they are mostly not UTF-8 (a legacy code page's).

    A page cut inside a character (a scraper's byte limit), or with one stray byte, was read whole as latin-1:
    every ``“`` became ``â\x80\x9c``, with status ``ok``.

    Examples
    --------
    >>> _utf8_with_slips("Menlu “Pompeo” – café".encode() + b"\\xe2\\x80")
    'Menlu “Pompeo” – café�'
    >>> _utf8_with_slips("Menlu “Pompeo” – café".encode("cp1252")) is None
    True
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    return text if len(_NOT_ASCII.findall(text)) > bad else None


# Servers that declare nothing are often labelled ISO-8859-1 by their framework (the HTTP/1.1 default), while the
# page is UTF-8; a Western single-byte charset never yields valid multi-byte UTF-8 from real text, so bytes that
# are valid UTF-8 and not ASCII are UTF-8 whatever such a label says.
_WESTERN = {"cp1252", "latin-1", "iso8859-1", "iso8859-15"}


def _declared_codec(data: bytes, declared: str | None) -> str | None:
    """The codec to decode with by the declared charset, None to sniff (no BOM and a charset Python knows)."""
    import codecs

    if not declared or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        name = codecs.lookup(declared.strip().strip("\"'")).name
    except LookupError:
        return None
    name = {"iso8859-1": "latin-1", "windows-1252": "cp1252"}.get(name, name)
    if name == "utf-8" and not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:  # declared UTF-8, written in a code page (an old site's default header): sniffed
            return None
    if name in _WESTERN:
        name = "cp1252" if name == "latin-1" else name  # browsers read latin-1 labels as windows-1252
        try:
            if not data.isascii():
                data.decode("utf-8")
                return "utf-8"
        except UnicodeDecodeError:
            pass
    return name


def _decode_legacy(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "iso8859_15"]).best()
    if best is not None:
        encoding = best.encoding.replace("_", "-")
        return str(best), "cp1252" if encoding == "cp1252" else encoding
    return data.decode("latin-1"), "latin-1"


def normalise_text(text: str) -> str:
    """Normalise line ends to ``"\\n"`` and characters to NFC, and drop NUL characters (no text holds one; a
    browser drops them too; left in, they reached the run's CSV files, and a CSV with a NUL was refused as binary).

    Examples
    --------
    >>> normalise_text("Baris satu\\r\\nBaris dua\\rBaris tiga\\x00")
    'Baris satu\\nBaris dua\\nBaris tiga'
    """
    if "\x00" in text:
        text = text.replace("\x00", "")
    if "\r" in text:  # one scan where two replacements were, for the lines and texts without one (nearly all)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def resolve_breaks(text: str) -> str:
    """Make the line ends that are not ``\\n`` (vertical tab, U+2028, U+2029, NEL, ...) either line ends or
    spaces, and drop zero-width characters.

    Some scrapers write a vertical tab or U+2028 where a space or a line break stood; ``str.splitlines`` (the
    clean stage's) takes both for line ends, so a text written with them *between words* was cut into one-word
    lines and thrown away as navigation while its status stayed ``ok``. Such a break is a line end when the
    pieces it makes are lines of text (a median of :data:`_LINE_WORDS` words or more), else a space.

    Examples
    --------
    >>> resolve_breaks("Banjir\\vmelanda\\vBekasi\\vsejak\\vpagi")
    'Banjir melanda Bekasi sejak pagi'
    >>> resolve_breaks("Banjir melanda Bekasi sejak pagi.\\u2028Warga mengungsi ke masjid.")
    'Banjir melanda Bekasi sejak pagi.\\nWarga mengungsi ke masjid.'
    >>> resolve_breaks("Ban\\u200bjir di Be\\u00adka\\u200dsi")
    'Banjir di Bekasi'
    """
    # Most texts hold none of these characters. Asked first with ``str.isascii`` (a flag) and ``in`` (a memchr per
    # character), not with the regexes, which step through every character: 0.71 -> 0.09 s CPU for the 22k's texts
    # and titles in the read stage.
    if text.isascii():
        if not any(char in text for char in _ASCII_BREAK_CHARS):
            return text
    else:
        if any(char in text for char in _ZERO_WIDTH_CHARS):
            text = _ZERO_WIDTH.sub("", text)
        if not any(char in text for char in _OTHER_BREAK_CHARS):
            return text
    pieces = sorted(len(piece.split()) for piece in _OTHER_BREAKS.split(text) if piece.strip())
    lines = bool(pieces) and pieces[len(pieces) // 2] >= _LINE_WORDS
    return _OTHER_BREAKS.sub("\n" if lines else " ", text)


def clean_lines(text: str) -> str:
    """Strip every line, fold runs of spaces and drop empty lines.

    Examples
    --------
    >>> clean_lines("  Judul  berita \\n\\n\\u200bIsi\\u00a0berita ")
    'Judul berita\\nIsi berita'
    """
    text = resolve_breaks(text)
    lines = (_WS_RUN.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


#: Longest integer a JSON line's number keeps as an int: Python refuses ``int()`` of more digits (its
#: ``sys.int_info.default_max_str_digits``, 4,300) with a ValueError that sank the whole read; longer ones are
#: kept as their digits, as text.
MAX_INT_DIGITS = 4300
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class JSONLineError(ValueError):
    """A JSON line that cannot be read as a value, with the one-line reason."""


def _json_int(digits: str):
    return int(digits) if len(digits) <= MAX_INT_DIGITS else digits


#: One decoder for every line: ``json.loads`` with ``parse_int`` builds a new one (and its scanner) per call,
#: 0.1 s of the 22k's 0.58 s CPU of parsing.
_DECODER = json.JSONDecoder(parse_int=_json_int)


def load_json(line: str) -> tuple[object, int]:
    """One JSON line as a value and the count of lone surrogates in it replaced with U+FFFD.

    A scraper in JavaScript that cuts a string inside an emoji writes half of a surrogate pair (``\\ud83d``);
    Python reads it into a string that cannot be written as UTF-8 (every later write failed, exit 1), so each is
    replaced and counted like an invalid byte. A line nested deeper than Python's parser goes, or that is not
    JSON, raises :class:`JSONLineError` (a ``malformed_json`` row); an integer of more than
    :data:`MAX_INT_DIGITS` digits is kept as its digits.

    Examples
    --------
    >>> load_json('{"judul": "Gempa \\\\ud83d", "id": 7}')
    ({'judul': 'Gempa \ufffd', 'id': 7}, 1)
    >>> value, _ = load_json('{"id": ' + "9" * 5000 + '}'); len(value["id"])
    5000
    >>> try:
    ...     load_json("[" * 100_000 + "]" * 100_000)
    ... except JSONLineError as error:
    ...     print(error)
    nested deeper than Python's JSON parser reads
    """
    try:
        if line.startswith("\ufeff"):  # json.loads' own check, kept with its message
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", line, 0)
        value = _DECODER.decode(line)
    except RecursionError:  # CPython's scanner stops near 1,000 levels; caught at once, the stack unwound
        raise JSONLineError("nested deeper than Python's JSON parser reads") from None
    except json.JSONDecodeError as error:
        raise JSONLineError(error.msg) from None
    except ValueError as error:  # a number Python cannot convert
        raise JSONLineError(str(error).split(";")[0]) from None
    if ("\\ud" not in line and "\\uD" not in line) or _SURROGATE_ESCAPE.search(line) is None:  # `in` first: a memchr
        return value, 0
    try:
        return scrub_surrogates(value)
    except RecursionError:  # a value nested nearly as deep as the parser goes, walked a few frames deeper
        raise JSONLineError("nested deeper than Python's JSON parser reads") from None


def scrub_surrogates(value) -> tuple[object, int]:
    """``value`` (a string, or a list or dict of them, keys included) with every lone surrogate replaced with
    U+FFFD, and how many were replaced.

    Examples
    --------
    >>> scrub_surrogates({"isi": ["a\\udc00b", "\\ud800"], "\\udfff": 1})
    ({'isi': ['a\ufffdb', '\ufffd'], '\ufffd': 1}, 3)
    """
    count = 0

    def scrub(item):
        nonlocal count
        if isinstance(item, str):
            new, n = _LONE_SURROGATE.subn("\ufffd", item)
            count += n
            return new
        if isinstance(item, list):
            return [scrub(v) for v in item]
        if isinstance(item, dict):
            return {scrub(k): scrub(v) for k, v in item.items()}
        return item

    return scrub(value), count
