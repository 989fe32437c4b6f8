"""WARC files (``.warc``, ``.warc.gz``): every HTML response with a 2xx status is a page, read as an ``.html`` file.

A crawl (Common Crawl's CC-NEWS, Heritrix, ``wget --warc-file``, Browsertrix) stores each fetch as records:
``warcinfo``, ``request``, ``response``, ``metadata``, ``revisit``, and DNS lookups as ``response`` records of
type ``text/dns``. Only a ``response`` with HTTP headers, a 2xx status and an HTML body is a page: its body takes
the path of an ``.html`` file (:func:`kliping.io.pages.page_row`), its url is the ``WARC-Target-URI`` (so its
site is the URI's registered domain), its charset the HTTP ``Content-Type``'s, and ``WARC-Date`` the date of last
resort (column ``warc_date``, used by the clean stage when neither the head nor the page dates it). Every other
record is counted by kind in the read summary (:func:`kliping.io.problems.count_skipped`), never an article.

Records are read with warcio (webrecorder's reader and writer, pure Python): it iterates 650-1,090 responses/s
of a 2,320-record ``.warc.gz`` of the bench pages here, fastwarc 1,100-1,460/s, and reading the same pages as
``.html`` files gives 10 pages/s (``benchmarks/bench_read.py``: laying out 200 kB of HTML is the cost), so the
pure-Python one, which also writes the tests' crawls. Each page body is read no further than ``--max-file-mb`` (a
larger one is a ``too_large`` row; a record whose body inflates to 512 MB from a crawl of 0.3 MB is refused with
63 MB held at a 5 MB limit: warcio inflates 16 kB of gzip at a time); the WARC file itself has no size limit,
since it is streamed a record at a time. The id of a page is ``<file>@<offset>``, the byte offset of its record
in the file: stable, and the same whichever partition reads it.

A WARC file is read in byte spans (:func:`spans`) on a Dask cluster: a span's reader finds the first record that
starts in it (:func:`first_record_at`) and reads the records that start before its end, so spans read every
record once without an index of the file.

Examples
--------
>>> import io, tempfile, os
>>> from warcio.warcwriter import WARCWriter
>>> from warcio.statusandheaders import StatusAndHeaders
>>> path = os.path.join(tempfile.mkdtemp(), "arsip.warc.gz")
>>> with open(path, "wb") as f:
...     writer = WARCWriter(f, gzip=True)
...     for uri, status, kind, body in [
...         ("https://news.detik.com/berita/d-1/banjir", "200 OK", "text/html; charset=utf-8",
...          b"<html><body><h1>Banjir di Bekasi</h1><p>Banjir merendam ratusan rumah warga.</p></body></html>"),
...         ("https://news.detik.com/hilang", "404 Not Found", "text/html", b"<html><body>Tidak ada</body></html>"),
...         ("https://news.detik.com/logo.png", "200 OK", "image/png", b"\\x89PNG\\r\\n")]:
...         headers = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
...         writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
...                                                       http_headers=headers))
>>> rows, skipped = read_warc(pathlib.Path(path))
>>> [(row["id"], row["status"], row["meta_site"], row["title"]) for row in rows]
[('arsip@0', 'ok', 'detik.com', 'Banjir di Bekasi')]
>>> dict(skipped)
{'response HTTP 404': 1, 'response image/png': 1}
"""

from __future__ import annotations

import collections
import gzip
import io
import pathlib
import re
import zlib

from kliping.io import files
from kliping.io.problems import _row, _warn

#: File names read as WARC files (``.warc.gz``: a gzip member per record, as crawlers write them).
WARC_SUFFIXES = (".warc", ".warc.gz")

#: Bytes of a WARC file per partition on a Dask cluster: 64 MB of ``.warc.gz`` hold about 1,900 pages (the 116
#: pages of benchmarks/bench_read.py take 4 MB with their requests), under a partition's 5,000 rows, and a 1 GB
#: crawl file is read by 16 tasks.
PART_BYTES = 64 * 2**20

#: Content types of an HTML body (a response that states none is taken by its first bytes).
HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
# Bytes read at a time: while looking for a span's first record, and of a page's body.
_BLOCK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b\x08"


def is_warc(path) -> bool:
    """Whether a file name is a WARC file's.

    Examples
    --------
    >>> is_warc("CC-NEWS-20240101.warc.gz"), is_warc("arsip.WARC"), is_warc("berita.html.gz")
    (True, True, False)
    """
    return str(path).lower().endswith(WARC_SUFFIXES)


def warc_id(path: pathlib.Path, root: pathlib.Path | None, offset: int) -> str:
    """A record's id: the file's path below ``root`` without ``.warc(.gz)``, then ``@`` and the record's offset.

    Examples
    --------
    >>> warc_id(pathlib.Path("/arsip/2024/cc-news.warc.gz"), pathlib.Path("/arsip"), 1234)
    '2024/cc-news@1234'
    """
    rel = (path.relative_to(root) if root is not None else pathlib.Path(path.name)).as_posix()
    return f"{re.sub(r'(?i)[.]warc(?:[.]gz)?$', '', rel)}@{offset}"


def spans(size: int, part_bytes: int = PART_BYTES) -> list[tuple[int, int | None]]:
    """The byte spans a WARC file of ``size`` bytes is read in, one per partition (the last open-ended).

    Examples
    --------
    >>> spans(10, part_bytes=4), spans(3, part_bytes=4)
    ([(0, 4), (4, 8), (8, None)], [(0, None)])
    """
    starts = list(range(0, max(size, 1), part_bytes))
    return [(start, end) for start, end in zip(starts, starts[1:] + [None])]


def classify(record) -> str:
    """``page`` for a response that is an article page, else the kind it is counted as in the read summary:
    its WARC type (``request``, ``metadata``, ``revisit``, ``warcinfo``...), ``dns``, ``response HTTP 404``,
    ``response image/png``."""
    if record.rec_type != "response":
        return record.rec_type or "unknown"
    if record.http_headers is None:
        uri = record.rec_headers.get_header("WARC-Target-URI") or ""
        return "dns" if uri.startswith("dns:") else f"response {record.content_type or 'without HTTP headers'}"
    status = record.http_headers.get_statuscode() or ""
    if not status.startswith("2"):
        return f"response HTTP {status or 'without status'}"
    mime = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if mime and mime not in HTML_TYPES:
        return f"response {mime}"
    return "page"


def read_warc(path: pathlib.Path, root=None, limits=None, span=(0, None)) -> tuple[list[dict], collections.Counter]:
    """The manifest rows of the pages in the records of a WARC file that start in ``span`` (bytes), and the
    other records counted by kind.

    A file that is not a WARC or is damaged keeps the pages before the damage and gets an ``unreadable`` row.
    A ``.warc.gz`` gzipped whole (``gzip crawl.warc``: one member, which warcio refuses after its first record)
    is read inflated, all of it by the first span.
    """
    limits = limits or files.ReadLimits.from_environ()
    rows, skipped = [], collections.Counter()
    with files.open_regular(path, limits, sized=False) as handle:
        try:
            _read_records(handle, span, (path, root, limits), rows, skipped)
        except _OneMember:
            rows.clear()
            skipped.clear()
            handle.seek(0)
            with gzip.GzipFile(fileobj=handle, mode="rb") as inflated:
                _read_records(inflated, (0, None), (path, root, limits), rows, skipped)
    return rows, skipped


class _OneMember(Exception):
    """The file is gzipped as one member, not a member per record."""


def _read_records(handle, span, where, rows: list, skipped: collections.Counter) -> None:
    """The records that start in ``span``; past a damaged record, read on from the next record that starts
    after it (:func:`first_record_at`), the damaged stretch one ``unreadable`` row. A record without its
    ``WARC-Target-URI`` in the 3rd of 2,600 records had cost every record after it (warcio stops there)."""
    path, root, limits = where
    start, stop = span
    if start:
        start = first_record_at(handle, start, stop)
    first = True
    while start is not None:
        handle.seek(start)
        damaged, seen, error = _read_run(handle, start, stop, where, rows, skipped)
        if damaged is None or stop is not None and damaged >= stop:  # a record of the next span: its own to say
            return
        if first and seen == 1 and start == 0 and isinstance(handle, io.BufferedReader) and _gzipped(handle):
            raise _OneMember from error
        first = False
        start = first_record_at(handle, damaged + 1, stop)
        source = f"{path}@{damaged}"
        if start is None:
            _warn(source, f"unreadable as WARC from here on ({error}); the records before it are kept")
        else:
            _warn(source, f"a damaged record, unreadable as WARC ({error}); read on from the next, at byte {start:,}")
        rows.append(_row(warc_id(path, root, damaged), source, "unreadable"))


def _read_run(handle, start: int, stop, where, rows: list, skipped: collections.Counter) -> tuple:
    """Read the records from ``start`` (a record's offset) on: ``(None, records read, None)`` at the end of the
    file or span, ``(offset of the damaged record, records read before it, error)`` at damage."""
    from warcio.archiveiterator import ArchiveIterator

    path, root, limits = where
    records, end, seen = ArchiveIterator(handle), start, 0
    try:
        for record in records:
            kind = classify(record)
            body = _body(record, limits) if kind == "page" else None
            if body is not None and (missing := _missing_bytes(record)):
                raise ValueError(f"the file ends {missing:,} bytes short of this record's end")
            offset = records.get_record_offset()  # warcio knows it once the record is read
            end = max(end, offset + records.get_record_length())  # negative in a file gzipped whole
            if stop is not None and offset >= stop:
                break
            seen += 1
            if kind == "page":
                rows.append(_page(record, body, path, root, offset, limits))
            else:
                skipped[kind] += 1
    except Exception as error:  # warcio's ArchiveLoadFailed, a damaged gzip member, a header it cannot parse
        handle.seek(end)  # a plain record's length leaves out the two line ends that close it
        head = handle.read(4)
        return end + len(head) - len(head.lstrip(b"\r\n")), seen, error
    return None, seen, None


def _gzipped(handle) -> bool:
    handle.seek(0)
    return handle.read(3) == _GZIP_MAGIC


def _body(record, limits: files.ReadLimits) -> bytes | None:
    """A page's body as sent (chunks joined, content encoding undone), None past the limit."""
    stream, chunks, size = record.content_stream(), [], 0
    while True:
        chunk = stream.read(_BLOCK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limits.max_bytes:
            return None
        chunks.append(chunk)


def _missing_bytes(record) -> int:
    """How many bytes of a record its ``Content-Length`` promised and the file does not hold (read after its body:
    a crawl cut off inside its last page, whose text was read as a whole page before, status ``ok``)."""
    while record.raw_stream.read(_BLOCK):  # what the body's reader left (bytes after a compressed body)
        pass
    return record.raw_stream.limit  # warcio's LimitReader: the bytes of the record not read


def _page(record, body: bytes | None, path, root, offset: int, limits: files.ReadLimits) -> dict:
    from kliping.io.pages import page_row

    id_, source = warc_id(path, root, offset), f"{path}@{offset}"
    uri = record.rec_headers.get_header("WARC-Target-URI")
    date = record.rec_headers.get_header("WARC-Date")
    if body is None:
        _warn(source, f"page body over the {limits.max_file_mb:g} MB limit (raise it with --max-file-mb)")
        return _row(id_, source, "too_large", url=uri, warc_date=date, origin="page")
    stated = record.http_headers.get_header("Content-Type") or ""
    if not stated and not _HTML_START.match(body[:4096]):
        _warn(source, "a response without a Content-Type that does not start as HTML, kept as unsupported")
        return _row(id_, source, "unsupported", url=uri, warc_date=date, origin="page")
    charset = _CHARSET.search(stated)
    row = page_row(body, "html", id_, source, charset=charset.group(1) if charset else None, url=uri)
    row["warc_date"] = date
    return row


def first_record_at(handle, start: int, stop: int | None) -> int | None:
    """The offset of the first record that starts at or after ``start`` (and before ``stop``), None if none does.

    In a ``.warc.gz`` every record is a gzip member: a member start is the gzip magic number whose inflated
    bytes begin ``WARC/``. In a plain ``.warc`` a record starts with a ``WARC/1.x`` line after a blank line whose
    header's ``Content-Length`` leads to the end of the file or to the next ``WARC/`` line. (A whole file
    gzipped as one member has no second member start: its first span reads it all.)
    """
    gzipped = _gzipped(handle)
    marker = _GZIP_MAGIC if gzipped else b"\r\n\r\nWARC/"
    position = max(0, start - (0 if gzipped else 4))  # a plain record starts after the blank line ending the last
    while stop is None or position < stop:
        handle.seek(position)
        block = handle.read(_BLOCK + len(marker))
        if len(block) < len(marker):
            return None
        found = block.find(marker)
        while found >= 0:
            candidate = position + found + (0 if gzipped else 4)
            if candidate >= start and (stop is None or candidate < stop):
                if _record_starts(handle, candidate, gzipped):
                    return candidate
            found = block.find(marker, found + 1)
        position += _BLOCK
    return None


def _record_starts(handle, offset: int, gzipped: bool) -> bool:
    handle.seek(offset)
    head = handle.read(64 * 1024)
    if gzipped:
        try:
            return zlib.decompressobj(wbits=31).decompress(head, 16).startswith(b"WARC/")
        except zlib.error:
            return False
    end = head.find(b"\r\n\r\n")
    length = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head[:end]) if end > 0 else None
    if not head.startswith(b"WARC/") or length is None:
        return False
    handle.seek(offset + end + 4 + int(length.group(1)))
    after = handle.read(4 + 5)
    return after == b"\r\n\r\n" or after[:4] == b"\r\n\r\n" and after[4:] == b"WARC/"
