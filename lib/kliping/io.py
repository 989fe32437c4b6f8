"""Read a corpus of news articles into one DataFrame, one row per input item.

Supported inputs:

* a folder of pages (searched recursively): ``.txt`` files with one block per
  line (like the seeds in ``data/raw``) and ``.html``/``.htm`` files, which are
  turned into the same block-per-line text with lxml + inscriptis;
* a single ``.txt``/``.html`` page;
* a ``.jsonl`` file (one JSON object per line) or a ``.csv``/``.tsv`` file with
  named text / title / id fields.

Nothing is dropped silently: every file, every JSONL line and every CSV row
gets a row in the manifest, whose ``status`` is ``"ok"`` or a short reason
(``"empty"``, ``"binary"``, ``"null_text"``, ``"malformed_json"``, ...). A
warning of class :class:`InputWarning` names the file and line of each bad
item, and good input beside it is still read.

Examples
--------
>>> from kliping import io, config
>>> articles = io.read_corpus(config.RAW_DIR)  # two seed pages and the CLICK-ID shard
>>> articles[["id", "status", "origin"]].head(2).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
[{'id': '000_1ed279cb64cb3699', 'status': 'ok', 'origin': 'page'},
 {'id': '002_c58ec8ab53f2afe8', 'status': 'ok', 'origin': 'page'}]
>>> len(articles), articles.loc[2, "site"]
(3237, 'kompas.com')
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
import unicodedata
import warnings
from pathlib import Path

import pandas as pd

from kliping import files, html_flat, textlines

# Suffixes read as tables of articles (shards; .gz of the text ones too), known to the field check as well.
from kliping.fields import TABLE_SUFFIXES, table_kind  # noqa: F401

#: Suffixes read as single pages.
PAGE_SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html"}
#: Suffixes read as tables of articles (shards); ``.gz`` of any of the text ones is read too.

#: Field names tried, in order, when the caller does not name one.
TEXT_FIELD_GUESSES = ("text", "content", "body", "article", "isi", "konten")
TITLE_FIELD_GUESSES = ("title", "judul", "headline")
ID_FIELD_GUESSES = ("id", "article_id", "doc_id", "uid", "kode")
DATE_FIELD_GUESSES = ("date", "tanggal", "published", "published_at", "datetime")
URL_FIELD_GUESSES = ("url", "link", "tautan")
SITE_FIELD_GUESSES = ("site", "source_site", "domain", "source")
#: Columns the reader adds for the clean stage (not the input's own): the page's or row's kind
#: (``page``/``record``), its address, and the site and date its metadata states (used, then dropped).
META_COLUMNS = ["origin", "url", "meta_site", "meta_date"]

#: Notes beside a corpus (``README.md``, ``LICENSE``...): not read as pages.
FOLDER_NOTES = {"README", "LICENSE", "PROVENANCE", "NOTICE", "CITATION"}
#: Columns every manifest starts with, in this order.
BASE_COLUMNS = ["id", "source", "status", "duplicate_of", "title", "text"]

# HTML elements whose text is never article text (as in the DEV set's dump).
_HTML_DROP = ("script", "style", "noscript", "template", "iframe", "svg", "head")
_WS_RUN = re.compile(r"[ \t\f\v\u00a0\u200b\u2009\u202f]+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


class InputWarning(UserWarning):
    """A file, line or row of the input could not be read as an article."""


class CorpusNotFoundError(FileNotFoundError):
    """The corpus path does not exist."""

    def __init__(self, path: Path):
        super().__init__(f"no such file or folder: {path}")
        self.path = path


class CorpusFormatError(ValueError):
    """The corpus path exists but is not a format kliping reads."""


# --------------------------------------------------------------------------- #
# Decoding
# --------------------------------------------------------------------------- #
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


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode bytes to text and return ``(text, encoding)``.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are taken as they are.
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
    """
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


# --------------------------------------------------------------------------- #
# HTML
# --------------------------------------------------------------------------- #
def html_to_text(html: str) -> tuple[str, str | None]:
    """Turn an HTML page into block-per-line text and its title.

    The page is parsed with lxml; scripts, styles, iframes and the ``<head>``
    are removed and inscriptis lays out the rest, one block (paragraph,
    heading, list item, table row) per line, links kept inline with their
    paragraph. Lines are stripped and empty lines dropped, as in the seed
    pages. The title is the first ``<h1>``, else ``<title>``.

    Examples
    --------
    >>> text, title = html_to_text(
    ...     "<html><head><title>Berita</title></head><body><h1>Gempa di Bali</h1>"
    ...     "<p>Gempa <a href='/x'>magnitudo 5</a> mengguncang Bali.</p>"
    ...     "<script>alert(1)</script></body></html>")
    >>> text
    'Gempa di Bali\\nGempa magnitudo 5 mengguncang Bali.'
    >>> title
    'Gempa di Bali'
    """
    import lxml.html
    from inscriptis import Inscriptis
    from inscriptis.css_profiles import CSS_PROFILES
    from inscriptis.model.config import ParserConfig

    if not html.strip():
        return "", None
    # lxml refuses str input that declares its own encoding.
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    # huge_tree: libxml2 otherwise stops 256 elements deep and drops the rest (400 unclosed <div><p> kept 254).
    parser = lxml.html.HTMLParser(huge_tree=True)
    tree = lxml.html.fromstring(html, parser=parser)
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        return html_flat.flat_text(html)  # deeper than even huge_tree builds (2,048): a reader without a tree
    title = _html_title(tree)
    for element in list(tree.iter(*_HTML_DROP)):
        if element.getparent() is not None:
            element.drop_tree()
    # List items become plain blocks: no "* " bullets or indentation.
    for element in tree.iter("li", "ul", "ol", "dl", "dd", "dt"):
        element.tag = "div"
    config = ParserConfig(css=CSS_PROFILES["strict"], display_images=False, display_links=False)
    try:
        # Serialised and parsed again as a whole document, as inscriptis.get_text does, with huge_tree too.
        serialised = lxml.html.tostring(tree, encoding="unicode").strip()
        document = lxml.html.document_fromstring(serialised, parser=lxml.html.HTMLParser(huge_tree=True))
        text = Inscriptis(document, config).get_text()
    except RecursionError:  # inscriptis recurses per level: some 1,000 levels are too deep for it
        return html_flat.flat_text(html)
    return clean_lines(text), title


def _html_title(tree) -> str | None:
    for xpath in ("//h1", "//title"):
        for element in tree.xpath(xpath):
            title = _WS_RUN.sub(" ", element.text_content()).strip()
            if title:
                return title
    return None


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


# --------------------------------------------------------------------------- #
# Rows
# --------------------------------------------------------------------------- #
def _row(id_, source, status, text="", title=None, **extra) -> dict:
    return {"id": id_, "source": source, "status": status, "duplicate_of": None, "title": title, "text": text, **extra}


#: How many bad items are named one by one before the rest are summed up.
MAX_WARNINGS = 20
_problems: list[str] = []


def _warn(source: str, reason: str) -> None:
    _problems.append(f"{source}: {reason}")


def _flush_warnings() -> None:
    """Emit the collected problems: the first few by name, then a count."""
    for message in _problems[:MAX_WARNINGS]:
        warnings.warn(message, InputWarning, stacklevel=3)
    if len(_problems) > MAX_WARNINGS:
        warnings.warn(
            f"... and {len(_problems) - MAX_WARNINGS} more items without usable text "
            "(their rows say why in the status column)",
            InputWarning,
            stacklevel=3,
        )
    _problems.clear()


def read_page(path: Path, root: Path | None = None, limits: files.ReadLimits | None = None) -> dict:
    """Read one ``.txt`` or ``.html`` page into a manifest row.

    The id is the path below ``root`` without its suffix (the file name for a
    single page), so it is stable across machines. Only a regular file is
    opened (see :mod:`kliping.files`): a FIFO, device or socket gets status
    ``unsupported``, a link out of ``root`` ``link_outside``, a file over the
    limit ``too_large``.
    """
    limits = limits or files.ReadLimits.from_environ()
    source = str(path)
    rel = path.relative_to(root) if root is not None else Path(path.name)
    id_ = rel.with_suffix("").as_posix()
    status, reason = files.check(path, root, limits)
    if status != "ok":
        _warn(source, reason)
        return _row(id_, source, status)
    kind = PAGE_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        _warn(source, f"not a page kliping reads (suffix {path.suffix or 'none'}), kept as unsupported")
        return _row(id_, source, "unsupported")
    try:
        data = files.read_regular(path, limits)
    except files.NotRegularError as error:
        _warn(source, error.reason)
        return _row(id_, source, error.status)
    except OSError as error:
        _warn(source, f"unreadable ({error.strerror or error})")
        return _row(id_, source, "unreadable")
    if not data:
        _warn(source, "empty file")
        return _row(id_, source, "empty")
    if looks_binary(data):
        _warn(source, "binary file, not text")
        return _row(id_, source, "binary")
    text, encoding = decode_bytes(data)
    title, meta = None, {}
    if kind == "html":
        from kliping.htmlmeta import head_metadata

        head = head_metadata(text)  # before html_to_text drops <head>
        text, title = html_to_text(text)
        title = head["title"] or title  # og:title, headline or <title>, site cut; else the first <h1>
        meta = {"url": head["url"], "meta_site": head["site"], "meta_date": head["published"]}
    meta["origin"] = "page"
    if not text.strip():
        _warn(
            source,
            html_flat.why_no_text(data.decode(encoding, errors="replace"))
            if kind == "html"
            else "no text (whitespace only)",
        )
        return _row(id_, source, "whitespace_only", title=title, **meta)
    return _row(id_, source, "ok", text=text.strip("\n"), title=title, encoding=encoding, **meta)


def read_folder(folder: Path, picker: _FieldPicker | None = None, limits: files.ReadLimits | None = None) -> list[dict]:
    """Read every page and every table shard below ``folder`` (recursively, sorted by path; hidden names such as
    ``.gitkeep`` and notes such as ``README.md`` skipped)."""
    picker = picker or _FieldPicker(None, None, None, None)
    limits = limits or files.ReadLimits.from_environ()
    rows = []
    for path in files.iter_folder(folder):
        if path.suffix.lower() in (".md", "") and path.stem.upper() in FOLDER_NOTES:
            continue  # a corpus folder's README says where its files come from: it is no article
        if table_kind(path) is None:
            rows.append(read_page(path, root=folder, limits=limits))
            continue
        status, reason = files.check(path, folder, limits)
        if status == "ok":
            rows += read_table(path, picker, limits)
        else:  # a FIFO named x.jsonl, a link out of the folder, a shard over the limit: one row, never a hang
            _warn(str(path), reason)
            rows.append(_row(path.relative_to(folder).as_posix(), str(path), status))
    if not rows:
        _warn(str(folder), "folder holds no files")
    return rows


class _FieldPicker:
    """Pick the text, title, id, date, url and site fields of table records, guessing if not named.

    Guesses are made per shard (from its first record): shards of one folder may name their fields apart.
    """

    GUESSES = {
        "text_field": TEXT_FIELD_GUESSES,
        "title_field": TITLE_FIELD_GUESSES,
        "id_field": ID_FIELD_GUESSES,
        "date_field": DATE_FIELD_GUESSES,
        "url_field": URL_FIELD_GUESSES,
        "site_field": SITE_FIELD_GUESSES,
    }

    def __init__(
        self, text_field, title_field, id_field, label_field, date_field=None, url_field=None, site_field=None
    ):
        self.named = {
            "text_field": text_field,
            "title_field": title_field,
            "id_field": id_field,
            "date_field": date_field,
            "url_field": url_field,
            "site_field": site_field,
        }
        self.label_field = label_field
        self.reset()

    def reset(self) -> None:
        """Guess again from the next record (a new shard)."""
        self.__dict__.update(self.named)
        self._guessed = False

    def guess(self, record: dict) -> None:
        if self._guessed:
            return
        self._guessed = True
        keys = {key.lower(): key for key in record}
        for name, guesses in self.GUESSES.items():
            if getattr(self, name) is None:
                setattr(self, name, next((keys[k] for k in guesses if k in keys), None))

    def to_row(self, record: dict, default_id: str, source: str) -> dict:
        from kliping.htmlmeta import registered_domain

        self.guess(record)
        raw_id = record.get(self.id_field) if self.id_field else None
        id_ = str(raw_id) if raw_id not in (None, "") else default_id
        title = record.get(self.title_field) if self.title_field else None
        title = str(title).strip() or None if title is not None else None
        # Every other scalar field rides along to the output table; a field named like a column of the
        # reader's own (source, status, ...) is kept as input_<name>.
        extra = {
            (f"input_{k}" if k in BASE_COLUMNS or k in META_COLUMNS or k == "label" else k): v
            for k, v in record.items()
            if k not in (self.text_field, self.title_field, self.id_field)
            and (v is None or isinstance(v, (str, int, float, bool)))
        }
        url = record.get(self.url_field) if self.url_field else None
        url = url.strip() or None if isinstance(url, str) else None
        site = record.get(self.site_field) if self.site_field else None
        site = site.strip() or None if isinstance(site, str) else None
        # The site: the site field as a registered domain (a name such as "Kompas" as it is), else the url's.
        site = registered_domain(site) or site or registered_domain(url)
        date = record.get(self.date_field) if self.date_field else None
        extra.update(origin="record", url=url, meta_site=site, meta_date=None if date is None else str(date))
        if self.label_field:
            extra["label"] = record.get(self.label_field)
        if self.text_field is None:
            status = "no_text_field"
            reason = f"no text field (tried {', '.join(TEXT_FIELD_GUESSES)}; name one with --text-field)"
            text = ""
        elif self.text_field not in record:
            status, reason, text = "missing_text", f"field {self.text_field!r} is missing", ""
        elif record[self.text_field] is None:
            status, reason, text = "null_text", f"field {self.text_field!r} is null", ""
        elif not isinstance(record[self.text_field], str):
            status, reason, text = "not_text", f"field {self.text_field!r} is not a string", ""
        else:
            text = normalise_text(record[self.text_field]).strip()
            status = "ok" if text else "empty_text"
            reason = f"field {self.text_field!r} is empty"
        if status != "ok":
            _warn(source, reason)
        return _row(id_, source, status, text=text, title=title, **extra)


def read_table(path: Path, picker: _FieldPicker, limits: files.ReadLimits | None = None) -> list[dict]:
    """Read one table shard (JSONL, CSV/TSV, parquet; gzipped text too), its fields guessed afresh."""
    picker.reset()
    kind = table_kind(path)
    if kind == "jsonl":
        return read_jsonl(path, picker, limits)
    if kind == "parquet":
        return read_parquet(path, picker)
    return read_csv(path, picker, delimiter="\t" if kind == "tsv" else ",", limits=limits)


def read_parquet(path: Path, picker: _FieldPicker) -> list[dict]:
    """Read a parquet shard: one row per record."""
    try:
        frame = pd.read_parquet(path)
    except Exception as error:  # pyarrow raises its own classes for a file that is not parquet
        raise CorpusFormatError(f"cannot read {path} as parquet: {str(error).splitlines()[0]}") from error
    frame = frame.astype(object).where(frame.notna(), None)
    return [
        picker.to_row(record, f"{path.stem}-{i}", f"{path}:{i}")
        for i, record in enumerate(frame.to_dict("records"), start=1)
    ]


def read_jsonl(path: Path, picker: _FieldPicker, limits: files.ReadLimits | None = None) -> list[dict]:
    """Read a JSONL file (gzipped too): one row per non-blank line, bad lines included.

    The file is streamed a line at a time and decoded per line (see :mod:`kliping.textlines`): a line with
    invalid UTF-8 bytes in a UTF-8 file keeps its good text, its bad sequences replaced, counted in
    ``decode_errors`` and named in a warning.
    """
    rows = []
    for lineno, line, replaced in _table_lines(path, limits):
        if not line.strip():
            continue  # a blank line holds no record
        source = f"{path}:{lineno}"
        default_id = f"{path.stem}-{lineno}"
        if replaced:
            _warn(source, _replaced_reason(replaced))
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            _warn(source, f"malformed JSON ({error.msg})")
            rows.append(_row(default_id, source, "malformed_json", decode_errors=replaced))
            continue
        if not isinstance(record, dict):
            _warn(source, f"a JSON {type(record).__name__}, not an object")
            rows.append(_row(default_id, source, "not_an_object", decode_errors=replaced))
            continue
        row = picker.to_row(record, default_id, source)
        row["decode_errors"] = replaced
        rows.append(row)
    return rows


def _replaced_reason(replaced: int) -> str:
    return f"{replaced} invalid UTF-8 byte sequence(s) replaced with U+FFFD (the rest of the line is kept)"


#: The largest CSV cell: as large as the platform allows (the csv module's default, 131,072 characters,
#: aborted a run on one long article).
CSV_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)


def read_csv(
    path: Path, picker: _FieldPicker, delimiter: str = ",", limits: files.ReadLimits | None = None
) -> list[dict]:
    """Read a CSV/TSV file with a header row: one row per record, bad rows included; cells of any size."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    lines = _table_lines(path, limits)
    replaced_at: dict[int, int] = {}

    def texts():
        for lineno, line, replaced in lines:
            if replaced:
                replaced_at[lineno] = replaced
                _warn(f"{path}:{lineno}", _replaced_reason(replaced))
            yield line

    reader = csv.reader(texts(), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        _warn(str(path), "empty table (no header row)")
        return []
    rows = []
    start = reader.line_num
    for record in reader:
        lineno, start = start + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        source = f"{path}:{lineno}"
        default_id = f"{path.stem}-{lineno}"
        replaced = sum(replaced_at.pop(n, 0) for n in range(lineno, start + 1)) if replaced_at else 0
        if len(record) != len(header):
            _warn(source, f"malformed row ({len(record)} fields, header has {len(header)})")
            rows.append(_row(default_id, source, "malformed_row", decode_errors=replaced))
            continue
        values = {k: (v if v != "" else None) for k, v in zip(header, record)}
        row = picker.to_row(values, default_id, source)
        row["decode_errors"] = replaced
        rows.append(row)
    return rows


def _table_lines(path: Path, limits: files.ReadLimits | None):
    """The decoded lines of a table file; :class:`CorpusFormatError` when it cannot be read as text."""
    limits = limits or files.ReadLimits.from_environ()
    try:
        encoding = textlines.sniff(path, limits)
    except files.NotRegularError as error:
        raise CorpusFormatError(f"{path}: {error.reason}") from None
    except (OSError, EOFError) as error:  # EOFError: a cut-off .gz
        raise CorpusFormatError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from error
    if encoding.binary:
        raise CorpusFormatError(f"{path} is a binary file, not a {path.suffix} table")
    return textlines.decode_lines(path, limits, encoding)


# --------------------------------------------------------------------------- #
# The one entry point
# --------------------------------------------------------------------------- #
def corpus_path(path) -> Path:
    """The corpus path with ``~`` expanded; :class:`CorpusNotFoundError` when nothing is there."""
    path = Path(path).expanduser()
    if not path.exists():
        raise CorpusNotFoundError(path)
    return path


def read_corpus(
    path,
    text_field: str | None = None,
    title_field: str | None = None,
    id_field: str | None = None,
    label_field: str | None = None,
    date_field: str | None = None,
    url_field: str | None = None,
    site_field: str | None = None,
    limits: files.ReadLimits | None = None,
) -> pd.DataFrame:
    """Read any supported input into a manifest of articles, one row per input item.

    Parameters
    ----------
    path : str or Path
        A folder of ``.txt``/``.html`` pages, one page, a ``.jsonl`` or a
        ``.csv``/``.tsv`` file.
    text_field, title_field, id_field : str, optional
        Field names in a JSONL/CSV record. When not given, the first of
        ``text, content, body, ...`` / ``title, judul, ...`` / ``id, ...``
        present in the first record is used.
    label_field : str, optional
        A field copied to the ``label`` column (e.g. an editor's category).
    date_field, url_field, site_field : str, optional
        Fields with the publication date, the article's address and its site; when not given, the first of
        ``date, tanggal, published`` / ``url, link, tautan`` / ``site, source_site, domain, source`` present.
        They fill ``meta_date`` and ``meta_site`` (the site as a registered domain), which the clean stage
        prefers to what it finds in the text.
    limits : kliping.files.ReadLimits, optional
        Whether links out of a corpus folder are followed and the largest file read (default: from
        ``KLIPING_FOLLOW_LINKS`` / ``KLIPING_MAX_FILE_MB``, else not followed and 50 MB).

    Returns
    -------
    pandas.DataFrame
        Columns ``id, source, status, duplicate_of, title, text`` (then
        ``label`` and any other scalar fields of the records). ``status`` is
        ``"ok"`` or why the item has no text; ``duplicate_of`` names the first
        article with exactly the same text.

    Raises
    ------
    CorpusNotFoundError
        When ``path`` does not exist.
    CorpusFormatError
        When ``path`` is a file of a type kliping does not read.

    Examples
    --------
    >>> articles = read_corpus("data/raw")          # doctest: +SKIP
    >>> articles.loc[0, "text"].splitlines()[0]      # doctest: +SKIP
    'AS Maju Upayakan Gencatan Senjata yang Sempat Gagal dalam Konflik Armenia-Azerbaijan'
    """
    path = corpus_path(path)
    fields = dict(text_field=text_field, title_field=title_field, id_field=id_field, label_field=label_field)
    fields.update(date_field=date_field, url_field=url_field, site_field=site_field)
    limits = limits or files.ReadLimits.from_environ()
    suffix = path.suffix.lower()
    status, reason = ("ok", "") if path.is_dir() else files.check(path, None, limits)
    if status == "ok":
        from kliping.fields import check_fields

        check_fields(path, **fields)  # a named field that is not there: one error line before any work
    picker = _FieldPicker(**fields)
    _problems.clear()
    if status != "ok" and (suffix in PAGE_SUFFIXES or table_kind(path) is not None):
        # A FIFO, device or oversized file named as the corpus: one row that says why, never a hang.
        _warn(str(path), reason)
        rows = [_row(path.stem, str(path), status)]
    elif path.is_dir():
        rows = read_folder(path, picker, limits)
    elif suffix in PAGE_SUFFIXES:
        rows = [read_page(path, limits=limits)]
    elif table_kind(path) is not None:
        rows = read_table(path, picker, limits)
    else:
        raise CorpusFormatError(
            f"{path}: kliping reads a folder of pages and shards, .txt/.html pages, .jsonl(.gz), .csv/.tsv or "
            f".parquet files, not {suffix or 'files without a suffix'}"
        )
    _flush_warnings()
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=BASE_COLUMNS)
    frame = frame[BASE_COLUMNS + [c for c in frame.columns if c not in BASE_COLUMNS]]
    frame["id"] = _unique_ids(frame["id"].astype(str))
    frame["duplicate_of"] = find_duplicates(frame)
    return frame


def _unique_ids(ids: pd.Series) -> pd.Series:
    """Keep ids unique: a repeated id gets the first ``#2``, ``#3``... that no other id has, and a warning.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     _unique_ids(pd.Series(["a", "a#2", "a", "a"])).tolist()
    ['a', 'a#2', 'a#3', 'a#4']
    """
    taken = set(ids)  # every id as given, so a renamed id never takes the name of a later one
    used: set[str] = set()
    next_suffix: dict[str, int] = {}
    out = []
    for id_ in ids:
        if id_ in used:
            count = next_suffix.get(id_, 2)
            while f"{id_}#{count}" in taken:
                count += 1
            next_suffix[id_] = count + 1
            renamed = f"{id_}#{count}"
            taken.add(renamed)
            warnings.warn(f"id {id_!r} repeats; renamed to {renamed!r}", InputWarning, stacklevel=4)
            id_ = renamed
        used.add(id_)
        out.append(id_)
    return pd.Series(out, index=ids.index, dtype=object)


def find_duplicates(frame: pd.DataFrame) -> pd.Series:
    """Name, for each readable article, the first earlier article with the same text.

    Texts are compared after stripping each line, so a copy that differs only
    in line ends or trailing spaces counts as the same article.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["a", "b", "c"], "status": ["ok"] * 3,
    ...                       "text": ["Gempa di Bali", "Banjir di Bekasi", "Gempa di Bali "]})
    >>> find_duplicates(frame).tolist()
    [None, None, 'a']
    """
    first_by_hash: dict[bytes, str] = {}
    out = []
    for id_, status, text in zip(frame["id"], frame["status"], frame["text"]):
        if status != "ok":
            out.append(None)
            continue
        key = hashlib.blake2b(
            "\n".join(line.strip() for line in text.strip().split("\n")).encode(), digest_size=16
        ).digest()
        first = first_by_hash.get(key)
        out.append(first)
        if first is None:
            first_by_hash[key] = id_
    return pd.Series(out, index=frame.index, dtype=object)


def status_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Count articles per status, with duplicates counted apart.

    Examples
    --------
    >>> frame = pd.DataFrame({"status": ["ok", "ok", "empty"], "duplicate_of": [None, "x", None]})
    >>> status_counts(frame).to_dict("records")
    [{'status': 'ok', 'articles': 1}, {'status': 'ok (duplicate)', 'articles': 1}, {'status': 'empty', 'articles': 1}]
    """
    status = frame["status"].where(frame["duplicate_of"].isna(), frame["status"] + " (duplicate)")
    counts = status.value_counts(sort=False).rename_axis("status").reset_index(name="articles")
    # "ok" first, then its duplicates, then the reasons alphabetically.
    order = sorted(counts.index, key=lambda i: (not counts.at[i, "status"].startswith("ok"), counts.at[i, "status"]))
    return counts.loc[order].reset_index(drop=True)


_SITE = re.compile(r"\b((?:[a-z0-9-]+\.)+(?:com|id|net|org|co|tv)(?:\.id)?)\b", re.IGNORECASE)
# Every match of _SITE holds one of these; it is found by a fast scan for ".", where _SITE tries every word.
_TOP_LEVEL_DOMAIN = re.compile(r"\.(?:com|id|net|org|co|tv)", re.IGNORECASE)


def guess_site(text: str, max_lines: int = 12) -> str | None:
    """Guess a page's site from the first domain-like name in its opening lines.

    Examples
    --------
    >>> guess_site("Judul berita\\nKompas.com - 24/10/2020, 11:53 WIB\\nIsi")
    'kompas.com'
    >>> guess_site("WASHINGTON, iNews.id - Menteri Luar Negeri AS")
    'inews.id'
    >>> guess_site("Tidak ada nama situs di sini") is None
    True
    """
    head = "\n".join(text.split("\n", max_lines)[:max_lines])
    if not _TOP_LEVEL_DOMAIN.search(head):  # a quick scan for what every name holds (most text has none)
        return None
    match = _SITE.search(head)
    return match.group(1).lower() if match else None


def site_column(articles: pd.DataFrame) -> pd.Series:
    """The site of each article: its metadata's (``meta_site``), a ``site``/``source_site``/``domain`` field,
    else guessed from the opening lines of a page (never from a table row's text: a domain its article
    mentions is not its site).

    An unknown site stays None, never a stand-in such as "unknown": pages of unknown origin must not be pooled
    as one site, whose shared lines would then count as template and be cut from every body.

    Examples
    --------
    >>> site_column(pd.DataFrame({"site": ["kompas.com", None, " "], "text": ["a", "b", "c"]})).tolist()
    ['kompas.com', None, None]
    """
    known = [None] * len(articles)
    for column in ("meta_site", "site", "source_site", "domain"):
        if column in articles.columns:
            known = [k or (s.strip() or None if isinstance(s, str) else None) for k, s in zip(known, articles[column])]
    origins = articles["origin"].tolist() if "origin" in articles.columns else ["page"] * len(articles)
    sites = [
        site or (guess_site(text) if origin != "record" and isinstance(text, str) else None)
        for site, origin, text in zip(known, origins, articles["text"])
    ]
    return pd.Series(sites, index=articles.index, dtype=object)
