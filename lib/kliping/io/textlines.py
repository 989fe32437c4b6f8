"""Decode a table file (``.jsonl``, ``.csv``) line by line, streaming, with one encoding chosen for the whole file.

One invalid byte in one line must not turn a UTF-8 file into cp1252 mojibake (it did: 999 of 999 texts of a
1,000-line file). So the file is read twice, a line at a time (memory stays about one line, not several
copies of the file): the first pass counts the lines with non-ASCII bytes that are valid UTF-8 and those that
are not; the second decodes every line. The file is UTF-8 unless its non-ASCII lines are mostly invalid UTF-8,
and then the invalid sequences of the few bad lines are replaced with U+FFFD, counted and named. Only a file
that as a whole is not UTF-8 is read in a legacy code page (cp1252, latin-1, ...), chosen from its bad lines.

Examples
--------
>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "berita.jsonl")
>>> with open(path, "wb") as f:
...     _ = f.write('{"text": "Menlu AS – Pompeo"}\\n'.encode() + b'{"text": "rusak \\xff di sini"}\\n')
>>> from kliping.io.files import ReadLimits
>>> [(line.lineno, line.text.strip(), line.replaced) for line in decode_lines(path, ReadLimits())]
[(1, '{"text": "Menlu AS – Pompeo"}', 0), (2, '{"text": "rusak \\ufffd di sini"}', 1)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from kliping.io import files

# Bytes of bad lines handed to charset-normalizer to name a legacy code page; more does not change its pick.
_SAMPLE_BYTES = 256 * 1024
_REPLACEMENT_UTF8 = "\ufffd".encode()


class Line(NamedTuple):
    """One physical line: its number (from 1), its text (line end kept, NFC) and how many bad sequences it had."""

    lineno: int
    text: str
    replaced: int


@dataclass
class FileEncoding:
    """What the first pass found: the encoding chosen and the counts it was chosen from."""

    encoding: str
    good_lines: int = 0
    bad_lines: int = 0
    binary: bool = False


def head_encoding(head: bytes) -> FileEncoding | None:
    """What a table file's first 8 KiB alone decide: binary, or UTF-16 (with a byte-order mark, or without as
    :func:`kliping.io.text.utf16_without_bom` tells); None when the lines must be counted (:func:`sniff`).

    Examples
    --------
    >>> head_encoding("\\ufeffid\\tisi\\r\\n".encode("utf-16-le")).encoding, head_encoding(b"id,isi\\n") is None
    ('utf-16', True)
    """
    from kliping.io.text import looks_binary, utf16_without_bom

    if looks_binary(head):
        return FileEncoding("binary", binary=True)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return FileEncoding("utf-16")
    if wide := utf16_without_bom(head):
        return FileEncoding(wide)
    return None


def sniff(path, limits: files.ReadLimits) -> FileEncoding:
    """First pass: tell UTF-8 from a legacy encoding by counting valid and invalid non-ASCII lines."""
    good = bad = 0
    sample = bytearray()
    with files.open_inflated(path, limits) as handle:
        decided = head_encoding(handle.read(8192))
        if decided is not None:
            return decided
        handle.seek(0)
        try:
            for raw in handle:
                if raw.isascii():
                    continue
                try:
                    raw.decode("utf-8")
                    good += 1
                except UnicodeDecodeError:
                    bad += 1
                    if len(sample) < _SAMPLE_BYTES:
                        sample += raw
        except files.NotRegularError:
            raise  # inflated past the size limit: the file gets a too_large row
        except files.INFLATE_ERRORS:
            pass  # a .gz cut off or damaged further on: chosen from the lines before; the reader reports the rest
    if bad <= good:  # a few bad lines in a UTF-8 file (or none at all)
        return FileEncoding("utf-8", good, bad)
    from kliping.io.text import _decode_legacy

    return FileEncoding(_decode_legacy(bytes(sample))[1], good, bad)


def decode_lines(path, limits: files.ReadLimits, encoding: FileEncoding | None = None):
    """Second pass: yield every physical line of ``path`` as a :class:`Line`, decoded as :func:`sniff` chose."""
    from kliping.io.text import normalise_text

    encoding = encoding or sniff(path, limits)
    if encoding.binary:
        raise ValueError(f"{path} is a binary file")
    if encoding.encoding.startswith("utf-16"):  # rare; no line-wise decoding for a two-byte encoding
        with files.open_inflated(path, limits) as handle:
            text = handle.read().decode(encoding.encoding, errors="replace")
        # Split at line ends alone: splitlines would also cut at U+2028 or a vertical tab inside a cell.
        for lineno, line in enumerate(re.findall(r"[^\n]*\n|[^\n]+$", text), start=1):
            yield Line(lineno, normalise_text(line), 0)
        return
    utf8 = encoding.encoding == "utf-8"
    with files.open_inflated(path, limits) as handle:
        for lineno, raw in enumerate(handle, start=1):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            replaced = 0
            if raw.isascii():
                text = raw.decode("ascii")
            elif utf8:
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    text = raw.decode("utf-8", errors="replace")
                    replaced = text.count("\ufffd") - raw.count(_REPLACEMENT_UTF8)
            else:
                text = raw.decode(encoding.encoding, errors="replace")
            yield Line(lineno, normalise_text(text), replaced)
