"""Named fields checked against a corpus before any work: a misspelled field is one error line, not a run.

This module imports no pandas, so that the check runs before the heavy imports. Only the head of each table
shard is read (a CSV header, the first JSONL records, a parquet schema), so a
wrong ``--label-field`` fails in well under a second however large the corpus.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "berita.csv"
>>> _ = path.write_text("kode,judul,isi,tanggal\\nb-1,Banjir,Banjir merendam Bekasi,2019-09-19\\n")
>>> check_fields(path, text_field="isi", date_field="tanggal")
>>> try:
...     check_fields(path, label_field="kategori")
... except FieldNotFoundError as error:
...     print(error); print(error.option_message)
label_field='kategori': no such field in berita.csv (its fields: kode, judul, isi, tanggal)
--label-field kategori: no such field in berita.csv (its fields: kode, judul, isi, tanggal)
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io as _stdio
import itertools
import sys
from pathlib import Path

from kliping.io.problems import repeated_names_reason, unique_names  # noqa: F401
from kliping.io.text import JSONLineError, load_json

#: Suffixes of table shards (``.gz``, ``.bz2`` and ``.xz`` of the text ones are read too).
TABLE_SUFFIXES = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".xlsx": "xlsx",
}

#: JSONL records read to learn a shard's fields (fields missing from the first record may come later); the
#: reader guesses its fields from the same head (:func:`shard_fields`).
HEAD_RECORDS = 50

#: Field names tried, in order, when the caller does not name one.
PLAIN_TEXT_FIELD_GUESSES = ("text", "content", "body", "article", "isi", "konten", "artikel")
#: Fields whose values are whole pages or fragments of them (Scrapy, news-please and home-made scrapers). Tried
#: before the plain text names: a scraper's ``content`` beside its ``html`` is most often the page's text dump,
#: and on the 28 DEV pages of id_news_extraction_gt given as both (``content`` = their naive get_text dump) the
#: page gives token F1 0.980 and 27 titles from the head, the dump 0.908 and 9 titles
#: (benchmarks/bench_html_field.py). A row whose page field is empty or null reads the plain text field.
HTML_FIELD_GUESSES = ("html", "raw_html", "body_html", "content_html")
TEXT_FIELD_GUESSES = HTML_FIELD_GUESSES + PLAIN_TEXT_FIELD_GUESSES
TITLE_FIELD_GUESSES = ("title", "judul", "headline")
ID_FIELD_GUESSES = ("id", "article_id", "doc_id", "uid", "kode")
DATE_FIELD_GUESSES = ("date", "tanggal", "published", "published_at", "datetime")
URL_FIELD_GUESSES = ("url", "link", "tautan")
SITE_FIELD_GUESSES = ("site", "source_site", "domain", "source")

#: Delimiters a CSV may use: Excel in an Indonesian (or any comma-decimal) locale saves with ";".
CSV_DELIMITERS = (",", ";", "\t")
#: Lines of a CSV's head the delimiter is sniffed from.
SNIFF_LINES = 50
#: The largest CSV cell: as large as the platform allows (the csv module's default, 131,072 characters,
#: aborted a run on one long article).
CSV_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)


def table_kind(path: Path) -> str | None:
    """``jsonl``, ``json``, ``csv``, ``tsv``, ``parquet`` or ``xlsx`` for a table shard (``.gz``, ``.bz2``,
    ``.xz`` of the text ones too: parquet and xlsx files compress themselves), else None.

    Examples
    --------
    >>> table_kind(Path("berita.jsonl.gz")), table_kind(Path("a.csv.xz")), table_kind(Path("a.parquet"))
    ('jsonl', 'csv', 'parquet')
    >>> table_kind(Path("a.xlsx")), table_kind(Path("a.html")), table_kind(Path("a.parquet.bz2"))
    ('xlsx', None, None)
    """
    from kliping.io.files import inner_name

    name = inner_name(path.name.lower())
    kind = TABLE_SUFFIXES.get(Path(name).suffix)
    # parquet and xlsx compress themselves: a .parquet.gz or .xlsx.gz is no table kliping reads
    return None if kind in ("parquet", "xlsx") and name != path.name.lower() else kind


class FieldNotFoundError(ValueError):
    """A field named by an argument, an option or a ``KLIPING_*_FIELD`` variable is not in the corpus, or no text
    field is named or found.

    ``str(error)`` names the Python argument (``text_field='konten'``), :attr:`option_message` the command
    line's option (``--text-field konten``): each caller is told in the words it used.
    """

    def __init__(self, name: str, value: str | None, where: str, found):
        self.name, self.value, self.where, self.found = name, value, where, list(found)
        if value is None:  # none named and none of the known names found: say which to name
            super().__init__(no_text_field(where, self.found, f"{name}="))
        else:
            super().__init__(f"{name}={value!r}: {self.problem}")

    def __reduce__(self):  # pickled whole (a Dask worker's error reaches the client as it was raised)
        return (type(self), (self.name, self.value, self.where, self.found))

    @property
    def problem(self) -> str:
        return f"no such field in {self.where} (its fields: {', '.join(map(str, self.found))})"

    @property
    def option_message(self) -> str:
        """The message as the command line says it, naming the option."""
        option = f"--{self.name.replace('_', '-')}"
        if self.value is None:
            return no_text_field(self.where, self.found, option)
        return f"{option} {self.value}: {self.problem}"


def missing_field(name: str, value: str, where: str, found) -> FieldNotFoundError:
    """The error for field ``value``, given as ``name`` (``text_field``), not among the ``found`` fields of ``where``.

    Examples
    --------
    >>> error = missing_field("text_field", "konten", "the data", ["judul", "isi"])
    >>> print(error); print(error.option_message)
    text_field='konten': no such field in the data (its fields: judul, isi)
    --text-field konten: no such field in the data (its fields: judul, isi)
    """
    return FieldNotFoundError(name, value, where, found)


@contextlib.contextmanager
def _open_text(path: Path):
    """A shard's text, opened as the reader opens it: regular files only, never blocking, inflated; UTF-16 as
    the reader tells it from the head (Excel's "Unicode text": read as UTF-8, its header's names were spaced out
    with NULs and no field was found), else UTF-8 (a header's names are ASCII in nearly every table)."""
    from kliping.io import files
    from kliping.io.textlines import head_encoding

    with files.open_inflated(path, files.ReadLimits.from_environ()) as raw:
        decided = head_encoding(raw.read(8192))
        raw.seek(0)
        wide = decided is not None and decided.encoding.startswith("utf-16")
        yield _stdio.TextIOWrapper(raw, encoding=decided.encoding if wide else "utf-8", errors="replace", newline="")


def sniff_delimiter(lines, default: str = ",") -> str:
    """The delimiter of a CSV from its head (a list of lines): the one of :data:`CSV_DELIMITERS` that splits the
    header into most rows of the header's width, quotes respected (a comma inside a quoted cell is no
    delimiter). A one-column CSV takes the delimiter that splits none of its rows (Excel quotes a cell only for
    its own delimiter, so a ``;`` file's text keeps bare commas); ``default`` (the suffix's: tab for ``.tsv``)
    when that leaves a tie.

    Examples
    --------
    >>> sniff_delimiter(["kode;judul;isi\\r\\n", 'b-1;Banjir;"Hujan deras, banjir di Bekasi"\\r\\n'])
    ';'
    >>> sniff_delimiter(["kode,judul,isi\\n", 'b-1,Banjir;Bekasi,"Hujan; deras"\\n'])
    ','
    >>> sniff_delimiter(["isi\\r\\n", "Hujan deras, banjir di Bekasi\\r\\n"])
    ';'
    >>> sniff_delimiter(["isi\\n", '"Hujan deras, banjir di Bekasi"\\n'])
    ','
    """
    best, best_score = default, (False, -1, 0)
    for delimiter in dict.fromkeys((default, *CSV_DELIMITERS)):
        records = []
        try:
            records.extend(csv.reader(iter(lines), delimiter=delimiter))
        except csv.Error:  # the head ends inside a quoted cell: the records before it tell
            pass
        records = [record for record in records if any(cell.strip() for cell in record)]
        if not records:
            continue
        width = len(records[0])
        # The last record of a head may be cut mid-cell: it is not counted.
        body = records[1:-1] if len(records) > 2 else records[1:]
        # A delimiter that splits the header first: a few malformed rows never make a one-column reading win.
        score = (width >= 2, sum(len(record) == width for record in body), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def csv_head(handle, lines: int = SNIFF_LINES) -> list[str]:
    """The first ``lines`` lines of an open text table (to sniff its delimiter from)."""
    csv.field_size_limit(CSV_FIELD_LIMIT)  # the head's cells are parsed whole
    return list(itertools.islice(handle, lines))


#: The most fields of an article: a ``.json`` file's single object with more is no article, and a shard's fields
#: past it are not carried to the output table. A scraper's record has a few dozen; a word table that holds "isi"
#: or "artikel" among its keys has thousands.
ARTICLE_MAX_FIELDS = 200


def json_records(document, text_field: str | None = None) -> list | None:
    """The records of a ``.json`` file's document.

    - an array: its items (Scrapy's ``-o items.json``);
    - an object with a text field (``text_field``, or one guessed) and at most :data:`ARTICLE_MAX_FIELDS` fields:
      itself, one article (even beside a list of objects such as its images);
    - another object holding one array of objects (``{"data": [...]}``, as APIs answer): that array's items;
    - anything else (a string, a number, an object of settings or a cache): None, no article. A word → stem
      table of 90,000 keys read as one record would have made as many columns.

    Examples
    --------
    >>> articles = [{"judul": "Banjir"}, {"judul": "Gempa"}]
    >>> json_records(articles) == json_records({"data": articles}) == articles
    True
    >>> json_records({"isi": "Banjir merendam Bekasi.", "foto": [{"src": "a.jpg"}]})
    [{'isi': 'Banjir merendam Bekasi.', 'foto': [{'src': 'a.jpg'}]}]
    >>> json_records("Banjir") is None, json_records({"banjir": "banjir", "merendam": "rendam"}) is None
    (True, True)
    """
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        return None
    if has_text_field(document, text_field) and len(document) <= ARTICLE_MAX_FIELDS:
        return [document]
    arrays = [v for v in document.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
    return arrays[0] if len(arrays) == 1 else None


def record_fields(records: list) -> list[str]:
    """The field names of the first :data:`HEAD_RECORDS` records (objects) of a document, in order of appearance."""
    return list(dict.fromkeys(key for record in records[:HEAD_RECORDS] if isinstance(record, dict) for key in record))


def shard_fields(path: Path, text_field: str | None = None) -> list[str] | None:
    """The field names of a table shard, from its head; None when they cannot be read (the reader says why). Of a
    workbook, those of the sheet the reader reads with that ``text_field`` (named, or None: guessed)."""
    kind = table_kind(path)
    try:
        if kind == "parquet":
            import pyarrow.parquet as pq

            return list(pq.read_schema(path).names)
        if kind == "xlsx":
            from kliping.io.workbook import workbook_fields

            return workbook_fields(path, functools.partial(has_text_field, text_field=text_field))
        with _open_text(path) as handle:
            if kind in ("csv", "tsv"):
                head = csv_head(handle)
                delimiter = sniff_delimiter(head, "\t" if kind == "tsv" else ",")
                header = next(csv.reader(iter(head), delimiter=delimiter), None)
                return unique_names([name.lstrip("\ufeff") for name in header])[0] if header else None
            if kind == "json":
                records = json_records(load_json(handle.read())[0], text_field) or []
                return record_fields(records) or None
            names: dict[str, None] = {}
            for line in itertools.islice((line for line in handle if line.strip()), HEAD_RECORDS):
                try:
                    record = load_json(line)[0]
                except JSONLineError:  # the reader gives the line its row and says why
                    continue
                if isinstance(record, dict):
                    names.update(dict.fromkeys(record))
            return list(names) or None
    except (OSError, EOFError, ValueError, UnicodeError):
        return None
    except Exception:  # pyarrow's and openpyxl's own errors for a file that is not theirs: the reader reports it
        return None


def guess_field(names, guesses) -> str | None:
    """The first of ``guesses`` among a shard's field ``names``, compared without case; None when none is there.

    Examples
    --------
    >>> guess_field(["Kode", "Judul", "Konten"], TEXT_FIELD_GUESSES)
    'Konten'
    >>> guess_field(["Kode", "Judul", "Konten", "raw_html"], TEXT_FIELD_GUESSES)  # the page first: see above
    'raw_html'
    >>> guess_field(["kode", "judul"], TEXT_FIELD_GUESSES) is None
    True
    """
    keys = {}
    for name in names:
        keys.setdefault(str(name).lower(), name)
    return next((keys[guess] for guess in guesses if guess in keys), None)


def has_text_field(names, text_field: str | None = None) -> bool:
    """Whether a table's field ``names`` hold the text field: ``text_field`` when named, else one guessed.

    Examples
    --------
    >>> has_text_field(["kode", "Isi"]), has_text_field(["kanal", "jumlah"]), has_text_field(["naskah"], "naskah")
    (True, False, True)
    """
    return text_field in names if text_field else guess_field(names, TEXT_FIELD_GUESSES) is not None


def no_text_field(where: str, names, naming: str = "--text-field") -> str:
    """The one line that says a table has no text field kliping knows, naming the fields it has and how to name
    the one that holds the article (``naming``: the option, or ``text_field=`` for a Python caller).

    Examples
    --------
    >>> no_text_field("berita.jsonl", ["kode", "judul", "naskah"])  # doctest: +ELLIPSIS
    'no text field in berita.jsonl (tried html, raw_html, ..., artikel; its fields: kode, judul, naskah): name ...'
    """
    return (
        f"no text field in {where} (tried {', '.join(TEXT_FIELD_GUESSES)}; its fields: {', '.join(map(str, names))}): "
        f"name the one that holds the article with {naming}"
    )


def check_fields(path, **fields) -> None:
    """Raise :class:`FieldNotFoundError` when a named field (``text_field="isi"``, ...) is in no table shard
    of ``path``, or when ``path`` is one table, no text field is named and none is guessed; a field found in any
    shard of a folder passes. Pages have no fields: not checked."""
    path = Path(path)
    named = {name: value for name, value in fields.items() if value}
    if not fields.get("text_field") and not path.is_dir() and table_kind(path) is not None:
        # One table and no text field named: when none of the known names is among its fields, say so now
        # (every row would be "no text"), naming the fields it has.
        names = shard_fields(path)
        if names is not None and guess_field(names, TEXT_FIELD_GUESSES) is None:
            raise FieldNotFoundError("text_field", None, path.name, names)
    if not named:
        return
    if path.is_dir():
        from kliping.io import files

        limits = files.ReadLimits.from_environ()
        # The shards the reader will read: a FIFO or a link out of the folder is never opened here either.
        shards = [
            p for p in files.iter_folder(path) if table_kind(p) is not None and files.check(p, path, limits)[0] == "ok"
        ]
    else:
        shards = [path] if table_kind(path) is not None else []
    found: dict[str, None] = {}
    readable = False
    for shard in shards:
        names = shard_fields(shard, fields.get("text_field"))
        if names is not None:
            readable = True
            found.update(dict.fromkeys(names))
    if not readable:
        return
    for name, value in named.items():
        if value not in found:
            where = path.name if not path.is_dir() else f"the shards of {path}"
            raise missing_field(name, value, where, found)
