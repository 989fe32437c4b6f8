"""Tables: JSONL, CSV/TSV and parquet shards (gzipped text ones too), one manifest row per record.

:class:`_FieldPicker` names or guesses each shard's text, title, id, date, url and site fields and turns a
record into a row; :func:`read_table` dispatches on the shard's kind to :func:`read_jsonl`, :func:`read_csv` or
:func:`read_parquet`. Text shards are streamed and decoded a line at a time (:mod:`kliping.io.textlines`).
"""

from __future__ import annotations

import csv
import json
import sys
import zlib
from pathlib import Path

import pandas as pd

from kliping.io import files, textlines

# Suffixes read as tables of articles (shards; .gz of the text ones too), known to the field check as well.
from kliping.io.fields import TABLE_SUFFIXES, table_kind  # noqa: F401
from kliping.io.problems import BASE_COLUMNS, META_COLUMNS, CorpusFormatError, _row, _warn
from kliping.io.text import normalise_text

#: What a damaged or cut-off compressed shard raises while it is read (gzip raises OSError, EOFError or
#: zlib.error, depending on where the damage is).
READ_ERRORS = (OSError, EOFError, zlib.error)

#: Field names tried, in order, when the caller does not name one.
TEXT_FIELD_GUESSES = ("text", "content", "body", "article", "isi", "konten")
TITLE_FIELD_GUESSES = ("title", "judul", "headline")
ID_FIELD_GUESSES = ("id", "article_id", "doc_id", "uid", "kode")
DATE_FIELD_GUESSES = ("date", "tanggal", "published", "published_at", "datetime")
URL_FIELD_GUESSES = ("url", "link", "tautan")
SITE_FIELD_GUESSES = ("site", "source_site", "domain", "source")


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
        self._carried: dict[str, str | None] = {}  # record key -> its column in the row (None: not carried)
        self._sites: dict[str, str | None] = {}  # site field -> registered domain: a corpus has few sites

    def _carried_as(self, key: str) -> str | None:
        """The column a record's other field rides along in; a field named like a column of the reader's own
        (source, status, ...) is kept as input_<name>; None for the text, title and id fields."""
        if key in (self.text_field, self.title_field, self.id_field):
            name = None
        else:
            name = f"input_{key}" if key in BASE_COLUMNS or key in META_COLUMNS or key == "label" else key
        self._carried[key] = name
        return name

    def guess(self, record: dict) -> None:
        if self._guessed:
            return
        self._guessed = True
        keys = {key.lower(): key for key in record}
        for name, guesses in self.GUESSES.items():
            if getattr(self, name) is None:
                setattr(self, name, next((keys[k] for k in guesses if k in keys), None))

    def to_row(self, record: dict, default_id: str, source: str) -> dict:
        from kliping.io.htmlmeta import registered_domain

        self.guess(record)
        raw_id = record.get(self.id_field) if self.id_field else None
        id_ = str(raw_id) if raw_id not in (None, "") else default_id
        title = record.get(self.title_field) if self.title_field else None
        title = str(title).strip() or None if title is not None else None
        # Every other scalar field rides along to the output table (the column names are worked out once per
        # shard: this loop runs for every field of every record, 0.4 s of reading 22k records).
        extra = {}
        carried = self._carried
        for k, v in record.items():
            name = carried[k] if k in carried else self._carried_as(k)
            if name is not None and (v is None or isinstance(v, (str, int, float, bool))):
                extra[name] = v
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
    why = getattr(error, "strerror", None) or str(error) or type(error).__name__
    _warn(f"{path}:{lineno}", f"unreadable from this line on ({why}); the lines before it are kept")
    return _row(f"{path.stem}-{lineno}", f"{path}:{lineno}", "unreadable")


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


def _table_lines(path: Path, limits: files.ReadLimits | None):
    """The decoded lines of a table file; :class:`CorpusFormatError` when it cannot be read as text."""
    limits = limits or files.ReadLimits.from_environ()
    try:
        encoding = textlines.sniff(path, limits)
    except files.NotRegularError as error:
        raise CorpusFormatError(f"{path}: {error.reason}") from None
    except READ_ERRORS as error:  # EOFError: a cut-off .gz; zlib.error: a damaged one
        raise CorpusFormatError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from error
    if encoding.binary:
        raise CorpusFormatError(f"{path} is a binary file, not a {path.suffix} table")
    return textlines.decode_lines(path, limits, encoding)
