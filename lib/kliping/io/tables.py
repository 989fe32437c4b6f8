"""Tables: JSONL, CSV/TSV, parquet and xlsx shards (the text ones compressed too), one manifest row per record.

:class:`_FieldPicker` names or guesses each shard's text, title, id, date, url and site fields and turns a
record into a row (a text field whose value is a page read as a ``.html`` file is, :mod:`kliping.io.markup`);
:func:`read_table` dispatches on the shard's kind to :func:`read_jsonl`, :func:`read_csv` (its delimiter
sniffed), :func:`read_parquet` or :func:`kliping.io.workbook.read_xlsx`. Text shards are streamed and decoded a
line at a time (:mod:`kliping.io.textlines`).
"""

from __future__ import annotations

import csv
import datetime
import decimal
import functools
import html
import itertools
from pathlib import Path

import pandas as pd

from kliping.base.articles import MADE_COLUMNS
from kliping.io import deep_html, files, textlines

# Suffixes read as tables of articles (shards; .gz of the text ones too) and the field names guessed, known to
# the field check as well.
from kliping.io.fields import (  # noqa: F401
    ARTICLE_MAX_FIELDS,
    CSV_FIELD_LIMIT,
    DATE_FIELD_GUESSES,
    HTML_FIELD_GUESSES,
    ID_FIELD_GUESSES,
    PLAIN_TEXT_FIELD_GUESSES,
    SITE_FIELD_GUESSES,
    SNIFF_LINES,
    TABLE_SUFFIXES,
    TEXT_FIELD_GUESSES,
    TITLE_FIELD_GUESSES,
    URL_FIELD_GUESSES,
    guess_field,
    has_text_field,
    json_records,
    no_text_field,
    record_fields,
    repeated_names_reason,
    shard_fields,
    sniff_delimiter,
    table_kind,
    unique_names,
)
from kliping.io.markup import looks_like_html, page_fields, strip_inline_tags
from kliping.io.problems import BASE_COLUMNS, META_COLUMNS, CorpusFormatError, _row, _warn
from kliping.io.text import JSONLineError, decode_bytes, load_json, looks_binary, normalise_text, resolve_breaks

#: What a damaged or cut-off compressed shard raises while it is read (see :data:`kliping.io.files.INFLATE_ERRORS`).
READ_ERRORS = files.INFLATE_ERRORS


#: Names a record's other field is carried under as ``input_<name>``: the columns the reader and the run make,
#: but ``site``, which the clean stage reads as the article's site (:func:`kliping.io.sites.site_column`).
_RESERVED = (frozenset(BASE_COLUMNS) | frozenset(META_COLUMNS) | MADE_COLUMNS | {"label"}) - {"site"}

#: Values of a record kept as text (ISO 8601 for a time) among its other scalar fields: they were dropped.
_AS_TEXT = (datetime.date, datetime.time, datetime.timedelta, decimal.Decimal)


class _FieldPicker:
    """Pick the text, title, id, date, url and site fields of table records, guessing if not named.

    Guesses are made per shard, from the fields of its head (the first :data:`kliping.io.fields.HEAD_RECORDS`
    JSONL records, a CSV's or sheet's header, a parquet schema), as the field check reads them: shards of one
    folder may name their fields apart.
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
        self._carried: dict[str, str | None] = {}  # record key -> its column in the row (None: not carried)
        self._sites: dict[str, str | None] = {}  # site field -> registered domain: a corpus has few sites
        self._fallback: str | None = None  # a guessed page field's plain text neighbour, for rows without a page
        self.source_name = ""  # the shard being read (set by read_table), named in the warning about its fields

    def _carried_as(self, key: str) -> str | None:
        """The column a record's other field rides along in; a field named like a column of the reader's own
        (source, status, topic, confidence, ...: :data:`kliping.base.articles.MADE_COLUMNS`) is kept as
        input_<name>; None for the text, title and id fields."""
        if key in (self.text_field, self.title_field, self.id_field, self._fallback):
            name = None
        elif len(self._carried) >= ARTICLE_MAX_FIELDS:
            name = None  # one line holding a word table (90,000 keys) made as many columns for every row
            if len(self._carried) == ARTICLE_MAX_FIELDS:
                _warn(self.source_name, f"more than {ARTICLE_MAX_FIELDS:,} fields: the others are not carried along")
        else:
            name = f"input_{key}" if key in _RESERVED else key
        self._carried[key] = name
        return name

    def guess(self, names) -> None:
        """Guess the fields not named from a shard's field names (or a record: its keys), once per shard."""
        if self._guessed:
            return
        self._guessed = True
        names = list(names)
        for name, guesses in self.GUESSES.items():
            if getattr(self, name) is None:
                setattr(self, name, guess_field(names, guesses))
        if self.named["text_field"] is None and self.text_field in HTML_FIELD_GUESSES:
            # A guessed page field first (see HTML_FIELD_GUESSES); a row whose page is empty reads the plain field.
            self._fallback = guess_field(names, PLAIN_TEXT_FIELD_GUESSES)
        if self.text_field is None:
            _warn(self.source_name, no_text_field("this table", names) + "; its rows are kept as no_text_field")

    def to_row(self, record: dict, default_id: str, source: str) -> dict:
        from kliping.io.htmlmeta import registered_domain

        self.guess(record)
        raw_id = record.get(self.id_field) if self.id_field else None
        # JSON knows one kind of number: an id 7.0 (pandas writes an integer column with a gap so) is the id 7,
        # as a workbook's and a parquet file's integers read.
        if isinstance(raw_id, float) and raw_id.is_integer():
            raw_id = int(raw_id)
        id_ = str(raw_id) if raw_id not in (None, "") else default_id
        title = record.get(self.title_field) if self.title_field else None
        title = _one_line(strip_inline_tags(resolve_breaks(str(title)))) or None if title is not None else None
        # Every other scalar field rides along to the output table (the column names are worked out once per
        # shard: this loop runs for every field of every record, 0.4 s of reading 22k records).
        extra = {}
        carried = self._carried
        for k, v in record.items():
            name = carried[k] if k in carried else self._carried_as(k)
            if name is None:
                continue
            if v is None or isinstance(v, (str, int, float, bool)):
                extra[name] = v
            elif isinstance(v, _AS_TEXT):  # a parquet or DataFrame timestamp, date or decimal: kept as text
                extra[name] = v.isoformat() if hasattr(v, "isoformat") else str(v)
        url = record.get(self.url_field) if self.url_field else None
        url = url.strip() or None if isinstance(url, str) else None
        site = record.get(self.site_field) if self.site_field else None
        site = site.strip() or None if isinstance(site, str) else None
        # The site: the site field as a registered domain (a name such as "Kompas" as it is), else the url's.
        if site is not None:
            domain = self._sites[site] if site in self._sites else self._sites.setdefault(site, registered_domain(site))
            site = domain or site
        else:
            site = registered_domain(url)
        date = record.get(self.date_field) if self.date_field else None
        extra.update(origin="record", url=url, meta_site=site, meta_date=None if date is None else str(date))
        if self.label_field:
            extra["label"] = record.get(self.label_field)
        text, title, status, reason = self._text(record, title, extra)
        if status != "ok" and reason:
            _warn(source, reason)
        return _row(id_, source, status, text=text, title=title, **extra)

    def _text(self, record: dict, title: str | None, extra: dict) -> tuple[str, str | None, str, str | None]:
        """The row's text, title, status and what to say when it has no text: a page read as a ``.html`` file,
        plain text without its inline tags."""
        field = self.text_field
        value = record.get(field) if field else None
        if self._fallback and (value is None or (isinstance(value, str) and not value.strip())):
            field, value = self._fallback, record.get(self._fallback)
        if field is None:
            return "", title, "no_text_field", None  # said once per shard, naming its fields (guess)
        if field not in record and self.named["text_field"] is None:
            # A guessed field this record lacks: a shard merged from two scrapers ("content" in some rows, "body"
            # in others) lost the others as missing_text. Its own guessed field is its text, carried nowhere else.
            field = guess_field(record, TEXT_FIELD_GUESSES) or field
            value = record.get(field)
            extra.pop(self._carried.get(field), None)
        if field not in record:
            return "", title, "missing_text", f"field {field!r} is missing"
        if value is None:
            return "", title, "null_text", f"field {field!r} is null"
        if isinstance(value, bytes) and not looks_binary(value):  # a parquet binary column of pages
            value = decode_bytes(value)[0]
        value = _paragraphs_joined(value)
        if not isinstance(value, str):
            return "", title, "not_text", f"field {field!r} is not a string"
        if "&lt;" in value and "<" not in value and looks_like_html(unescaped := html.unescape(value)):
            value = unescaped  # a page stored escaped (&lt;p&gt;...), as some scrapers write it
        if looks_like_html(value):
            text, title = self._page(value, title, extra)
            why = f"field {field!r} holds a page without text ({deep_html.why_no_text(value)})" if not text else None
        else:
            text = strip_inline_tags(resolve_breaks(normalise_text(value))).strip()
            why = f"field {field!r} is empty"
        return text, title, "ok" if text else "empty_text", why

    def _page(self, markup: str, title: str | None, extra: dict) -> tuple[str, str | None]:
        """A text field holding a page, read as a ``.html`` file is: its body laid out, its ``<head>``'s title,
        address, site and date filling what the row's own fields leave empty (the row's win)."""
        page = page_fields(normalise_text(markup))
        extra["origin"] = "html"  # a page: its site may come from its opening lines, as a .html file's
        extra["url"] = extra["url"] or page["url"]
        extra["meta_site"] = extra["meta_site"] or page["meta_site"]
        extra["meta_date"] = extra["meta_date"] or page["meta_date"]
        extra["markup"] = page["markup"]  # what the markup says of each line, for the HTML line model
        return page["text"].strip("\n"), title or page["title"]


#: How a list of paragraphs written as text opens (it ends with "]"): a DataFrame's list column saved by ``to_csv``
#: (``['Paragraf satu.', 'Paragraf dua.']``) or a JSON array in a cell (``["...", "..."]``).
_LIST_OPENINGS = ("['", '["')


def _list_literal(text: str):
    """The list a cell's text writes (a Python or JSON literal of strings), else the text as it is."""
    import ast

    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text


def _paragraphs_joined(value):
    """A text field that holds a list of paragraphs (as scrapers often store a page's ``<p>`` texts: a JSON
    array, a parquet list column, or the list written as text by ``to_csv``) as one text, a paragraph a line;
    any other value as it is.

    It was a ``not_text`` row: the whole article lost, with a warning only. A list holding anything but strings
    (and nulls) stays what it is.

    Examples
    --------
    >>> _paragraphs_joined(["Banjir merendam Bekasi.", None, "Warga mengungsi ke masjid."])
    'Banjir merendam Bekasi.\\nWarga mengungsi ke masjid.'
    >>> print(_paragraphs_joined("['Banjir merendam Bekasi.', 'Warga mengungsi.']"))
    Banjir merendam Bekasi.
    Warga mengungsi.
    >>> _paragraphs_joined("['Banjir'] dan ['Gempa']")
    "['Banjir'] dan ['Gempa']"
    >>> _paragraphs_joined([{"p": "Banjir"}])
    [{'p': 'Banjir'}]
    """
    items = value.tolist() if hasattr(value, "tolist") and not isinstance(value, str) else value
    if isinstance(items, str) and items.startswith(_LIST_OPENINGS) and items.rstrip().endswith("]"):
        items = _list_literal(items)
    if isinstance(items, (list, tuple)) and all(item is None or isinstance(item, str) for item in items):
        return "\n".join(item for item in items if item)
    return value


def _one_line(text: str) -> str:
    return " ".join(text.split())


def read_table(path: Path, picker: _FieldPicker, limits: files.ReadLimits | None = None) -> list[dict]:
    """Read one table shard (JSONL, CSV/TSV, parquet, xlsx; compressed text too), its fields guessed afresh.

    A shard that inflates past the size limit is one ``too_large`` row (its rows are never half read).
    """
    picker.reset()
    picker.source_name = str(path)
    try:
        return _read_table(path, picker, limits)
    except files.NotRegularError as error:
        _warn(str(path), error.reason)
        return [_row(path.name, str(path), error.status)]


def _read_table(path: Path, picker: _FieldPicker, limits: files.ReadLimits | None) -> list[dict]:
    kind = table_kind(path)
    if kind == "jsonl":
        # Guessed from the fields of the shard's head, as the field check reads them (a field missing from
        # the first record may come later); a table's header or schema holds every field.
        names = shard_fields(path)
        if names:
            picker.guess(names)
        return read_jsonl(path, picker, limits)
    if kind == "parquet":
        return read_parquet(path, picker, limits)
    if kind == "json":
        return read_json(path, picker, limits)
    if kind == "xlsx":
        from kliping.io.workbook import read_xlsx

        return read_xlsx(path, picker, limits, functools.partial(has_text_field, text_field=picker.named["text_field"]))
    return read_csv(path, picker, delimiter="\t" if kind == "tsv" else None, limits=limits)


def read_table_shard(path: Path, root: Path | None, picker: _FieldPicker, limits: files.ReadLimits) -> list[dict]:
    """:func:`read_table` for one shard of a folder: a shard that cannot be read at all (not a table, a damaged
    .gz) is one ``unreadable`` row with a warning, so one bad shard never stops a corpus of many."""
    try:
        return read_table(path, picker, limits)
    except CorpusFormatError as error:
        message = str(error)
        message = message[len(f"{path}: ") :] if message.startswith(f"{path}: ") else message
        _warn(str(path), message.replace(str(path), "the file"))
        return [_row(path.relative_to(root).as_posix() if root else path.name, str(path), "unreadable")]


def _unreadable_rest(path: Path, lineno: int, error: BaseException) -> dict:
    """The row of a shard's rest that cannot be read (a .gz cut off or damaged after line ``lineno - 1``)."""
    if isinstance(error, files.NotRegularError):  # grew past the limit between the two passes
        _warn(f"{path}:{lineno}", f"{error.reason}; the lines before it are kept")
        return _row(f"{path.stem}-{lineno}", f"{path}:{lineno}", error.status)
    why = getattr(error, "strerror", None) or str(error) or type(error).__name__
    _warn(f"{path}:{lineno}", f"unreadable from this line on ({why}); the lines before it are kept")
    return _row(f"{path.stem}-{lineno}", f"{path}:{lineno}", "unreadable")


def read_parquet(path: Path, picker: _FieldPicker, limits: files.ReadLimits | None = None) -> list[dict]:
    """Read a parquet shard: one row per record, a batch at a time, its decoded size counted against the limit
    (:func:`kliping.io.parquet.parquet_frames`)."""
    from kliping.io.parquet import parquet_frames

    rows: list[dict] = []
    try:
        for frame in parquet_frames(path, limits or files.ReadLimits.from_environ()):
            rows += frame_rows(frame, picker, path.stem, str(path), start=len(rows) + 1)
    except files.NotRegularError:
        raise  # decoded past the limit: one too_large row for the shard (read_table)
    except Exception as error:  # pyarrow raises its own classes for a file that is not parquet
        raise CorpusFormatError(f"cannot read {path} as parquet: {str(error).splitlines()[0]}") from error
    return rows


def frame_rows(frame: pd.DataFrame, picker: _FieldPicker, stem: str, source: str, start: int = 1) -> list[dict]:
    """One manifest row per row of a DataFrame (a parquet shard's, or one given to the Python API), as a JSONL
    line of the same record would give: missing values (NaN, NaT, None) are JSON's null; the default id of row i
    (from 1) is ``<stem>-<i>``.

    Examples
    --------
    >>> frame = pd.DataFrame({"judul": ["Banjir Bekasi", None], "isi": ["Air merendam rumah warga.", float("nan")]})
    >>> rows = frame_rows(frame, _FieldPicker("isi", "judul", None, None), "data", "data")
    >>> [(row["id"], row["status"], row["title"]) for row in rows]
    [('data-1', 'ok', 'Banjir Bekasi'), ('data-2', 'null_text', None)]
    """
    frame = frame.astype(object).where(frame.notna(), None)
    records = frame.to_dict("records")
    return [picker.to_row(record, f"{stem}-{i}", f"{source}:{i}") for i, record in enumerate(records, start)]


def read_jsonl(path: Path, picker: _FieldPicker, limits: files.ReadLimits | None = None) -> list[dict]:
    """Read a JSONL file (gzipped too): one row per non-blank line, bad lines included.

    The file is streamed a line at a time and decoded per line (see :mod:`kliping.io.textlines`): a line with
    invalid UTF-8 bytes in a UTF-8 file keeps its good text, its bad sequences replaced, counted in
    ``decode_errors`` and named in a warning.
    """
    rows = []
    lineno = 0
    stem = path.stem
    lines = _table_lines(path, limits)
    while True:
        try:
            lineno, line, replaced = next(lines)
        except StopIteration:
            break
        except READ_ERRORS as error:
            rows.append(_unreadable_rest(path, lineno + 1, error))
            break
        if not line.strip():
            continue  # a blank line holds no record
        source = f"{path}:{lineno}"
        default_id = f"{stem}-{lineno}"
        try:
            record, surrogates = load_json(line)
        except JSONLineError as error:  # one bad line (not JSON, nested too deep) is one row; the others go on
            _warn(source, f"malformed JSON ({error})")
            rows.append(_row(default_id, source, "malformed_json", decode_errors=replaced))
            continue
        if surrogates:
            _warn(source, f"{surrogates} lone surrogate(s) (half an emoji) replaced with U+FFFD")
        if replaced:
            _warn(source, _replaced_reason(replaced))
        replaced += surrogates
        if not isinstance(record, dict):
            _warn(source, f"a JSON {type(record).__name__}, not an object")
            rows.append(_row(default_id, source, "not_an_object", decode_errors=replaced))
            continue
        row = picker.to_row(record, default_id, source)
        row["decode_errors"] = replaced
        rows.append(row)
    return rows


def read_json(path: Path, picker: _FieldPicker, limits: files.ReadLimits | None = None) -> list[dict]:
    """Read a ``.json`` file: one row per record of its document (:func:`~kliping.io.fields.json_records`: an
    array of objects, or an object holding one), an item that is no object a ``not_an_object`` row.

    The document is read whole (within the size limit, as every shard): a file that is not JSON, cut off or
    holding no record is a :class:`CorpusFormatError` (one ``unreadable`` row in a folder).
    """
    lines, replaced = [], 0
    try:
        for _, line, bad in _table_lines(path, limits):
            lines.append(line)
            replaced += bad
        document, surrogates = load_json("".join(lines))
    except JSONLineError as error:
        raise CorpusFormatError(f"cannot read {path} as JSON: {error}") from None
    except READ_ERRORS as error:
        raise CorpusFormatError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from error
    records = json_records(document, picker.named["text_field"])
    if records is None:
        raise CorpusFormatError(f"{path}: a JSON {type(document).__name__} holding no article (no array of objects)")
    if replaced or surrogates:
        _warn(str(path), _replaced_reason(replaced + surrogates))
    picker.guess(record_fields(records))
    rows = []
    for i, record in enumerate(records, 1):
        source, default_id = f"{path}:{i}", f"{path.stem}-{i}"
        if isinstance(record, dict):
            rows.append(picker.to_row(record, default_id, source))
        else:
            _warn(source, f"a JSON {type(record).__name__}, not an object")
            rows.append(_row(default_id, source, "not_an_object"))
    return rows


def _replaced_reason(replaced: int) -> str:
    return f"{replaced} invalid UTF-8 byte sequence(s) replaced with U+FFFD (the rest of the line is kept)"


def read_csv(
    path: Path, picker: _FieldPicker, delimiter: str | None = None, limits: files.ReadLimits | None = None
) -> list[dict]:
    """Read a CSV/TSV file with a header row: one row per record, bad rows included; cells of any size.

    The delimiter, when not given, is sniffed from the head (:func:`kliping.io.fields.sniff_delimiter`: ``,``,
    ``;`` as Excel saves in an Indonesian locale, or tab); a byte-order mark and CRLF line ends are read too.
    """
    csv.field_size_limit(CSV_FIELD_LIMIT)
    lines = _table_lines(path, limits)
    if delimiter is None:
        head, lines = _read_ahead(lines, SNIFF_LINES)
        delimiter = sniff_delimiter([line.text for line in head])
    replaced_at: dict[int, int] = {}

    broken: list[BaseException] = []

    def texts():
        try:
            for lineno, line, replaced in lines:
                if replaced:
                    replaced_at[lineno] = replaced
                    _warn(f"{path}:{lineno}", _replaced_reason(replaced))
                yield line
        except READ_ERRORS as error:  # the rows before the damage are kept; one row stands for the rest
            broken.append(error)

    reader = csv.reader(texts(), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        _warn(str(path), "empty table (no header row)")
        return []
    header, repeated = unique_names(header)
    if repeated:
        _warn(str(path), repeated_names_reason(repeated))
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
    if broken:
        rows.append(_unreadable_rest(path, reader.line_num + 1, broken[0]))
    return rows


def _read_ahead(lines, count: int):
    """The first ``count`` of ``lines`` and all of them again, as one iterator: a read error met ahead is raised
    where it was met, after the lines before it."""
    head: list = []
    error = None
    try:
        head.extend(itertools.islice(lines, count))
    except READ_ERRORS as caught:
        error = caught

    def again():
        yield from head
        if error is not None:
            raise error
        yield from lines

    return head, again()


def _table_lines(path: Path, limits: files.ReadLimits | None):
    """The decoded lines of a table file; :class:`CorpusFormatError` when it cannot be read as text."""
    limits = limits or files.ReadLimits.from_environ()
    try:
        encoding = textlines.sniff(path, limits)
    except files.NotRegularError:
        raise  # a FIFO, or inflated past the limit: a row with its status (read_table)
    except READ_ERRORS as error:  # EOFError: a cut-off .gz; zlib.error: a damaged one
        raise CorpusFormatError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from error
    if encoding.binary:
        raise CorpusFormatError(f"{path} is a binary file, not a {path.suffix} table")
    return textlines.decode_lines(path, limits, encoding)
