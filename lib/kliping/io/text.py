"""Bytes to text: tell binary from text, decode (UTF-8, UTF-16, else a Western code page), normalise, clean lines.

Pages and table records alike pass through :func:`decode_bytes` / :func:`normalise_text`, so a page and a
record with the same text read the same; :func:`clean_lines` gives the block-per-line layout of the seed pages.
"""

from __future__ import annotations

import re
import unicodedata

_WS_RUN = re.compile(r"[ \t\f\v\u00a0\u200b\u2009\u202f]+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def looks_binary(data: bytes) -> bool:
    """Tell whether raw bytes are a binary file rather than text.

    A NUL byte, or more than 10 % control characters other than tab and line
    breaks in the first 8 KiB, means binary (UTF-16 with a BOM is text).

    Examples
    --------
    >>> looks_binary("Berita hari ini".encode())
    False
    >>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    True
    """
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return bool(head) and controls / len(head) > 0.10


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes to text and return ``(text, encoding)``.

    A byte-order mark decides first, then the charset the server ``declared`` (an HTTP ``Content-Type``'s,
    when Python knows it), as a browser decides. UTF-8 (with or without BOM) and UTF-16 with a BOM are taken
    as they are.
    Anything else is handed to charset-normalizer, restricted to the Western
    single-byte code pages that Indonesian text is written in, with latin-1 as
    the last resort (it never fails). Line ends are normalised to ``"\\n"`` and
    the text to Unicode NFC.

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
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _decode_legacy(data)
    return normalise_text(text), encoding


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
    """Normalise line ends to ``"\\n"`` and characters to NFC.

    Examples
    --------
    >>> normalise_text("Baris satu\\r\\nBaris dua\\rBaris tiga")
    'Baris satu\\nBaris dua\\nBaris tiga'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def clean_lines(text: str) -> str:
    """Strip every line, fold runs of spaces and drop empty lines.

    Examples
    --------
    >>> clean_lines("  Judul  berita \\n\\n\\u200bIsi\\u00a0berita ")
    'Judul berita\\nIsi berita'
    """
    text = _ZERO_WIDTH.sub("", text)
    lines = (_WS_RUN.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
