"""Tables as one Excel workbook, one sheet each, readable in Excel (a run's ``kliping.xlsx``, see
:func:`kliping.outputs.write_run_workbook`).

Newsrooms read results in Excel: every text cell is guarded against formulas as the CSVs are
(:func:`kliping.base.atomic.csv_safe`) and written as text, each sheet has its header in bold, frozen and
filtered, and its columns as wide as their text (within bounds).

Examples
--------
>>> import tempfile, pathlib, openpyxl, pandas as pd
>>> path = pathlib.Path(tempfile.mkdtemp()) / "kliping.xlsx"
>>> articles = pd.DataFrame({"id": ["b-1"], "topic": [0], "title": ["=HYPERLINK(\\"http://x\\")"]})
>>> _ = write_workbook(path, {"topics": pd.DataFrame({"topic": [0], "label": ["banjir · bekasi"]}),
...                           "articles": articles})
>>> sheet = openpyxl.load_workbook(path)["articles"]
>>> [cell.value for cell in sheet[2]], sheet.freeze_panes
(['b-1', 0, '\\'=HYPERLINK("http://x")'], 'A2')
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
from pathlib import Path

import numpy as np
import pandas as pd

#: The most rows a sheet holds (Excel's 1,048,576 less the header).
MAX_SHEET_ROWS = 1_048_575
#: The most characters an Excel cell holds.
MAX_CELL_CHARS = 32_767
#: Column widths, in characters: at least the header, at most this (a title wraps past it in the formula bar).
MIN_WIDTH, MAX_WIDTH = 6, 60
#: Rows measured for a column's width (the rest of a long sheet looks the same).
WIDTH_SAMPLE = 500
# Characters an XML 1.0 document cannot hold (openpyxl refuses them): scraped titles sometimes carry them.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell_value(value):
    """A table value as a cell holds it: numbers as numbers, missing values empty, a date or anything else as the
    text the CSV shows (Excel has no time zones), without characters XML cannot hold, at most Excel's length.

    Examples
    --------
    >>> cell_value(np.int64(3)), cell_value(float("nan")), cell_value(pd.Timestamp("2019-09-19 08:00", tz="UTC"))
    (3, None, '2019-09-19 08:00:00+00:00')
    """
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return None if np.isnan(value) else float(value)
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return str(value)
    return _ILLEGAL.sub("", str(value))[:MAX_CELL_CHARS]


def column_width(header: str, values) -> float:
    """A column's width in characters: its longest header or value among the first :data:`WIDTH_SAMPLE`, plus
    a margin, within :data:`MIN_WIDTH` and :data:`MAX_WIDTH`.

    Examples
    --------
    >>> column_width("id", ["b-1", "b-22"]), column_width("title", ["x" * 300])
    (6, 60)
    """
    longest = max([len(str(header))] + [len(str(v)) for v in list(values)[:WIDTH_SAMPLE] if v is not None])
    return max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))


def _column_values(column: pd.Series) -> list:
    """A column's cell values (:func:`cell_value`), numbers converted for the whole column at once."""
    if pd.api.types.is_integer_dtype(column.dtype) or pd.api.types.is_bool_dtype(column.dtype):
        return column.tolist()
    if pd.api.types.is_float_dtype(column.dtype):
        return column.astype(object).where(column.notna(), None).tolist()
    values = column.tolist()
    texts = [value for value in values if type(value) is str]
    if _ILLEGAL.search("".join(texts)) or max(map(len, texts), default=0) > MAX_CELL_CHARS:
        return [cell_value(value) for value in values]
    # No text needs cell_value's cleaning: the 22k run's articles sheet took 0.08-0.11 s here, 0.36-0.41 s per cell.
    return [value if type(value) is str else cell_value(value) for value in values]


def _sheet(book, name: str, chunks) -> None:
    """One sheet from a table given as chunks (DataFrames of the same columns), streamed row by row.

    Text cells were guarded by :func:`kliping.base.atomic.csv_safe`, so none starts with ``=`` and openpyxl writes
    every one as text (a 22,136-row sheet of plain values took a third of the time of typed cells)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from kliping.base.atomic import csv_safe

    sheet = book.create_sheet(name)
    chunks = iter(chunks)
    first = csv_safe(next(chunks, pd.DataFrame()))
    columns = [str(c) for c in first.columns]
    # Widths and the frozen header are written before the rows (a write-only sheet streams in order).
    for number, header in enumerate(columns, start=1):
        values = _column_values(first.iloc[:WIDTH_SAMPLE, number - 1])
        sheet.column_dimensions[get_column_letter(number)].width = column_width(header, values)
    sheet.freeze_panes = "A2"  # the header stays in view while scrolling
    bold = Font(bold=True)
    header_cells = []
    for header in columns:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    rows = 0
    for frame in (first, *map(csv_safe, chunks)):
        for row in zip(*(_column_values(frame.iloc[:, i]) for i in range(frame.shape[1]))):
            sheet.append(row)
        rows += len(frame)
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{rows + 1}"


def write_workbook(path, sheets: dict) -> Path | None:
    """Write ``sheets`` (name -> a table, or an iterable of tables of the same columns written one after the
    other, in order) as one workbook, atomically; text cells guarded against formulas
    (:func:`kliping.base.atomic.csv_safe`). None, and no file, when a table has more rows than a sheet holds (the
    caller that streams tables checks their count first).
    """
    import openpyxl

    from kliping.base.atomic import atomic_path

    path = Path(path)
    sheets = {name: [table] if isinstance(table, pd.DataFrame) else table for name, table in sheets.items()}
    if any(isinstance(chunks, list) and sum(map(len, chunks)) > MAX_SHEET_ROWS for chunks in sheets.values()):
        path.unlink(missing_ok=True)  # an earlier, smaller run's workbook would not be this run's
        return None
    book = openpyxl.Workbook(write_only=True)
    for name, chunks in sheets.items():
        _sheet(book, name, chunks)
    with atomic_path(path) as tmp:
        book.save(tmp)
    return path
