"""Writing files atomically: a reader sees the old file or the new one, never half of one.

Each file is written to a temporary name in its own folder and renamed into place, with the user's usual mode
(``mkstemp`` alone would leave it private, 0600). Every kliping file goes through :func:`atomic_path`: the
notebooks' hand-over files (:mod:`kliping.store`), a run's outputs (:mod:`kliping.outputs`), the model
(:mod:`kliping.topics.modelfiles`), the clean and stem caches and the distributed run's partitions.
Parquet tables carry a stamp and extra values (JSON) in their own key-value metadata.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

#: The parquet metadata keys of a table's stamp (what made it) and of its extra values.
STAMP_KEY = b"kliping.stamp"
EXTRA_KEY = b"kliping.extra"


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


@contextlib.contextmanager
def atomic_path(path: Path):
    """Yield a temporary path beside ``path``; rename it onto ``path`` only when the block succeeds.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "judul.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("Banjir di Bekasi")
    >>> target.read_text(), [p.name for p in target.parent.iterdir()]
    ('Banjir di Bekasi', ['judul.txt'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes the file private; outputs get the user's usual mode
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_json(path: Path, payload) -> Path:
    """Write JSON atomically (numpy scalars as plain numbers, non-ASCII kept)."""
    return write_text(path, json.dumps(jsonable(payload), ensure_ascii=False, indent=1))


def jsonable(value):
    """``value`` as plain JSON types: numpy scalars as numbers, paths as strings, NaN as None."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    return value


def write_parquet(frame: pd.DataFrame, path: Path, metadata: dict | None = None, extra: dict | None = None) -> Path:
    """Write a frame as parquet atomically, with the stamp ``metadata`` and ``extra`` values (JSON) in the file's
    key-value metadata."""
    table = pa.Table.from_pandas(parquet_safe(frame), preserve_index=False)
    stored = {
        key: json.dumps(jsonable(value), ensure_ascii=False)
        for key, value in ((STAMP_KEY, metadata), (EXTRA_KEY, extra))
        if value is not None
    }
    if stored:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **stored})
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)
    return Path(path)


def parquet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns that mix scalar types (ids as 7 and "7a") become strings; tuples become lists."""
    frame = frame.copy()
    for column in [c for c in frame.columns if pd.api.types.is_object_dtype(frame[c])]:
        values = frame[column].dropna()
        kinds = {type(v) for v in values}
        if kinds & {tuple}:
            frame[column] = frame[column].map(lambda v: list(v) if isinstance(v, tuple) else v)
        elif len(kinds) > 1 and not kinds & {list, dict}:
            frame[column] = frame[column].map(lambda v: None if pd.isna(v) else str(v))
    return frame


def read_parquet_metadata(path: Path, key: bytes = STAMP_KEY) -> dict | None:
    """The stamp (or, with ``key=EXTRA_KEY``, the extra values) :func:`write_parquet` stored, or None."""
    raw = (pq.read_schema(path).metadata or {}).get(key)
    return json.loads(raw) if raw else None


def write_table(frame: pd.DataFrame, path) -> Path:
    """Write a frame as ``.parquet``, ``.csv`` or ``.jsonl``, chosen by the suffix, atomically (``kliping read -o``).

    Examples
    --------
    >>> import tempfile
    >>> write_table(pd.DataFrame({"id": ["a"], "judul": ["=1+1"]}), Path(tempfile.mkdtemp()) / "t.csv").read_text()
    "id,judul\\na,'=1+1\\n"
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return write_parquet(frame, path)
    if suffix not in (".csv", ".jsonl", ".ndjson"):
        raise ValueError(f"{path}: write .parquet, .csv or .jsonl")
    with atomic_path(path) as tmp:
        if suffix == ".csv":
            csv_safe(frame).to_csv(tmp, index=False)
        else:
            frame.to_json(tmp, orient="records", lines=True, force_ascii=False, date_format="iso")
    return path


#: Characters some reader takes for the end of a row: CR, LF, vertical tab, form feed, the file/group/record
#: separators, NEL, U+2028 and U+2029 (Python's ``str.splitlines`` breaks on all of them; pandas quotes a cell for
#: ``\n`` only, so a title with a bare ``\r=cmd|...`` became a second row starting with a formula).
LINE_BREAKS = re.compile("\r\n|[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
#: What a spreadsheet takes for the start of a formula (OWASP's list, with the tab and the line breaks).
FORMULA_START = ("=", "+", "-", "@", "\t", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: The start of a line (after spaces) that a spreadsheet would read as a formula.
_LINE_START = re.compile("(^|\n)(?=[ \u00a0\u3000]*[" + re.escape("".join(FORMULA_START)) + "])")


def csv_cell(value):
    """A text cell as every CSV file of kliping holds it: every line break a plain ``\\n`` (so the writer quotes
    the cell, and every reader sees one cell), then a ``'`` in front of each line that would start a formula;
    other values unchanged.

    Examples
    --------
    >>> csv_cell("Judul\\r=cmd|' /C calc'!A0"), csv_cell(" =1+1"), csv_cell("Banjir"), csv_cell(-1)
    ("Judul\\n'=cmd|' /C calc'!A0", "' =1+1", 'Banjir', -1)
    """
    if not isinstance(value, str):
        return value
    # Every line of the cell is guarded, not only the first: a reader that splits the file on line breaks
    # (a shell tool, a naive import) sees each line as a row. Leading spaces do not stop every spreadsheet from
    # reading a formula (LibreOffice trims them).
    return _LINE_START.sub("\\1'", LINE_BREAKS.sub("\n", value))


#: What :func:`csv_cell` changes in a column's texts joined behind a NUL each: a line break anywhere, or a formula
#: start (after spaces) at the start of a text (a NUL inside a text can only add a match, never hide one).
_GUARDED = re.compile(LINE_BREAKS.pattern + "|\x00[ \u00a0\u3000]*[" + re.escape("".join(FORMULA_START)) + "]")


def _all_safe(values: list) -> bool:
    """Whether ``values`` hold texts and :func:`csv_cell` would change none of them (a column without a text
    keeps the per-cell path, whose ``map`` may give it another type).

    Examples
    --------
    >>> _all_safe(["Banjir di Bekasi", None, "Skor 2-1"]), _all_safe(["Banjir", " -2+3"]), _all_safe(["a\\rb"])
    (True, False, False)
    """
    texts = [value for value in values if isinstance(value, str)]
    return bool(texts) and _GUARDED.search("\x00" + "\x00".join(texts)) is None


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell (and column name) through :func:`csv_cell`: line breaks made plain ``\\n`` so the cell is
    quoted, and a ``'`` in front of what a spreadsheet would run as a formula (leading ``= + - @``, tab or a line
    break), as OWASP advises for CSV files; numbers are left alone.

    Examples
    --------
    >>> csv_safe(pd.DataFrame({"title": ["=HYPERLINK(\\"x\\")", "Banjir"], "topic": [-1, 2]})).to_dict("list")
    {'title': ['\\'=HYPERLINK("x")', 'Banjir'], 'topic': [-1, 2]}
    """
    frame = frame.copy()
    for column in frame.columns:
        kind = frame[column].dtype
        if (
            pd.api.types.is_object_dtype(kind)
            or pd.api.types.is_string_dtype(kind)
            or isinstance(kind, pd.CategoricalDtype)
        ):
            values = frame[column].astype(object)
            # A column with no cell to change keeps its values (with the type map would infer): on the 22k
            # run's assignments (7 text columns, 155k cells) csv_safe took 0.09 s against 0.61 s with csv_cell
            # per cell, and it runs twice per run (assignments.csv and kliping.xlsx).
            frame[column] = values.infer_objects() if _all_safe(values.tolist()) else values.map(csv_cell)
    frame.columns = [csv_cell(name) for name in frame.columns]
    return frame
