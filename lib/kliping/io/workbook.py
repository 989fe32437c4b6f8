"""Excel workbooks (``.xlsx``): one sheet's header row names the fields, every other row is a record.

:func:`read_xlsx` reads a workbook with openpyxl (read-only, streamed, cached formula values) into the rows a
CSV of the same sheet gives: blank rows skipped, a row with cells beyond the header ``malformed_row``, the
fields named or guessed by the same :class:`kliping.io.tables._FieldPicker` (so a cell holding a page is read
as a page). A workbook whose parts inflate past ``--max-file-mb`` is one ``too_large`` row, never unpacked.

Examples
--------
>>> import tempfile, pathlib, openpyxl
>>> path = pathlib.Path(tempfile.mkdtemp()) / "berita.xlsx"
>>> book = openpyxl.Workbook()
>>> book.active.append(["kode", "judul", "isi"])
>>> book.active.append(["b-1", "Banjir", "Hujan deras merendam Bekasi."])
>>> book.save(path)
>>> workbook_fields(path)
['kode', 'judul', 'isi']
>>> from kliping.io.tables import _FieldPicker
>>> [(row["id"], row["status"], row["text"]) for row in read_xlsx(path, _FieldPicker(None, None, None, None))]
[('b-1', 'ok', 'Hujan deras merendam Bekasi.')]
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import zipfile
from pathlib import Path

from kliping.io import files
from kliping.io.problems import CorpusFormatError, _row, _warn, repeated_names_reason, unique_names

#: The most characters an Excel cell holds: a longer text (a whole page) was cut to it when the workbook was saved.
EXCEL_CELL_LIMIT = 32_767
#: Rows of one filled cell above a header taken for titles (:func:`header_row`); a fourth such row makes the sheet
#: one column wide, its first row the header.
MAX_TITLE_ROWS = 3


@contextlib.contextmanager
def open_workbook(path: Path, limits: files.ReadLimits | None = None):
    """The workbook at ``path``, read-only, opened as the reader opens files (regular files only); its parts'
    inflated size checked against the limit first. :class:`CorpusFormatError` when it is no workbook,
    :class:`kliping.io.files.NotRegularError` (``too_large``) when it inflates past the limit."""
    import openpyxl

    limits = limits or files.ReadLimits.from_environ()
    with files.open_regular(path, limits) as handle:
        try:
            with zipfile.ZipFile(handle) as archive:
                inflated = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile:
            raise CorpusFormatError(f"{path} is not an .xlsx workbook (not a zip archive)") from None
        if inflated > limits.max_bytes:
            raise files.NotRegularError(
                "too_large",
                f"a workbook that inflates to {inflated / 2**20:,.1f} MB, over the {limits.max_file_mb:g} MB limit "
                "(raise it with --max-file-mb)",
            )
        handle.seek(0)
        try:
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises KeyError, InvalidFileException... for a damaged workbook
            why = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise CorpusFormatError(f"cannot read {path} as an .xlsx workbook: {why}") from error
        try:
            yield book
        finally:
            book.close()


def _cell(value):
    """A cell as a record value: text as it is (empty: None), a date or time as ISO text, numbers as they are."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return value


def _header(cells) -> list[str]:
    """Field names from the header row: stripped text; an empty header cell is ``column_<n>`` (1-based)."""
    names = []
    for number, cell in enumerate(cells, start=1):
        name = str(cell).strip() if cell is not None else ""
        names.append(name or f"column_{number}")
    while names and names[-1].startswith("column_") and cells[len(names) - 1] is None:
        names.pop()  # blank columns right of the last named one
    return names


def _rows(sheet):
    """``(row number, values)`` of the sheet's rows from row 1, values as :func:`_cell` gives them."""
    for number, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        yield number, [_cell(value) for value in cells]


def _filled(values) -> int:
    return sum(value is not None for value in values)


def header_row(rows):
    """The header of a sheet's ``rows`` (:func:`_rows`): ``(its number, its values, the title rows above it, the
    rows after it)``, or None for a blank sheet. The header is the first non-blank row, unless that row fills one
    cell and a later row more (a title such as "Hasil scraping Desember" over the columns, often merged across
    them, which openpyxl gives as one cell): such rows are titles. Taken for the header, a title named one field,
    which was no text field, and the run stopped (every row had more cells than that header).

    Examples
    --------
    >>> rows = [(1, ["Berita Desember", None]), (2, [None, None]), (3, ["judul", "isi"]), (4, ["Banjir", "Hujan"])]
    >>> number, values, titles, rest = header_row(iter(rows))
    >>> number, values, titles, list(rest)
    (3, ['judul', 'isi'], [(1, 'Berita Desember')], [(4, ['Banjir', 'Hujan'])])
    >>> header_row(iter([(1, ["isi"]), (2, ["Hujan deras"])]))[:3]  # one column: its first row is the header
    (1, ['isi'], [])
    """
    titles = []
    for number, values in rows:
        filled = _filled(values)
        if not filled:
            continue
        if filled > 1 and titles:  # the header, below its titles
            return number, values, [(n, next(v for v in vs if v is not None)) for n, vs in titles], rows
        if filled > 1 or len(titles) == MAX_TITLE_ROWS:  # no title above it, or a sheet one column wide
            held = [*titles, (number, values)]
            break
        titles.append((number, values))
    else:
        held = titles
    if not held:
        return None
    (number, values), rest = held[0], held[1:]
    return number, values, [], itertools.chain(rest, rows)


def _sheet_fields(sheet) -> list[str] | None:
    found = header_row(_rows(sheet))
    return unique_names(_header(found[1]))[0] if found else None


def workbook_fields(path: Path, wanted=None) -> list[str] | None:
    """The field names of the sheet :func:`read_xlsx` reads given ``wanted`` (:func:`_data_sheet`); None when
    it is blank."""
    with open_workbook(path) as book:
        return _sheet_fields(_data_sheet(book, wanted))


def _data_sheet(book, wanted):
    """The sheet to read: the first whose field names ``wanted`` takes (a function of them: whether they hold
    the text field, :func:`kliping.io.fields.has_text_field`), else the first. A workbook whose first sheet is a
    cover or notes ("Keterangan") read nothing of its articles before."""
    for sheet in book.worksheets if wanted else ():
        if wanted(_sheet_fields(sheet) or []):
            return sheet
    return book.worksheets[0]


def read_xlsx(path: Path, picker, limits: files.ReadLimits | None = None, wanted=None) -> list[dict]:
    """Read one sheet of a workbook (:func:`_data_sheet`): its :func:`header_row` names the fields, every later
    non-blank row is one record (one row of the manifest, its source ``path:<row number>`` as Excel numbers it)."""
    try:
        with open_workbook(path, limits) as book:
            sheet = _data_sheet(book, wanted)
            others = ", ".join(repr(name) for name in book.sheetnames if name != sheet.title)
            if others:
                which = "first sheet" if sheet is book.worksheets[0] else "sheet"
                _warn(str(path), f"read its {which} {sheet.title!r}; not read: {others}")
            return _sheet_rows(path, sheet, picker)
    except files.NotRegularError as error:
        _warn(str(path), error.reason)
        return [_row(path.stem, str(path), error.status)]


def _sheet_rows(path: Path, sheet, picker) -> list[dict]:
    found = header_row(_rows(sheet))
    if found is None:
        _warn(str(path), "empty sheet (no header row)")
        return []
    number, values, titles, records = found
    header, repeated = unique_names(_header(values))
    if repeated:  # a name said twice: warned and renamed, as in a CSV
        _warn(str(path), repeated_names_reason(repeated))
    if titles:
        said = "; ".join(f"row {n}: {str(title)[:60]!r}" for n, title in titles[:3])
        _warn(str(path), f"the header is row {number}; the row(s) above it, one cell each, taken for titles ({said})")
    rows = []
    for number, values in records:
        if not _filled(values):
            continue
        source, default_id = f"{path}:{number}", f"{path.stem}-{number}"
        if any(value is not None for value in values[len(header) :]):
            width = max(i for i, value in enumerate(values, start=1) if value is not None)
            _warn(source, f"malformed row (cells in {width} columns, header has {len(header)})")
            rows.append(_row(default_id, source, "malformed_row"))
            continue
        values = values[: len(header)] + [None] * (len(header) - len(values))
        full = [name for name, v in zip(header, values) if isinstance(v, str) and len(v) >= EXCEL_CELL_LIMIT]
        if full:
            _warn(
                source,
                f"cell {full[0]!r} holds {EXCEL_CELL_LIMIT:,} characters, Excel's most: its text was likely "
                "cut when the workbook was saved (a CSV or JSONL keeps it whole)",
            )
        rows.append(picker.to_row(dict(zip(header, values)), default_id, source))
    return rows
