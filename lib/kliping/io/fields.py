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
...     print(error)
--label-field kategori: no such field in berita.csv (its fields: kode, judul, isi, tanggal)
"""

from __future__ import annotations

import contextlib
import csv
import io as _stdio
import itertools
import json
from pathlib import Path

#: Suffixes of table shards (``.gz`` of the text ones is read too).
TABLE_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv", ".parquet": "parquet"}

#: JSONL records read to learn a shard's fields (fields missing from the first record may come later).
HEAD_RECORDS = 50


def table_kind(path: Path) -> str | None:
    """``jsonl``, ``csv``, ``tsv`` or ``parquet`` for a table shard (``.gz`` of the text ones too), else None.

    Examples
    --------
    >>> table_kind(Path("berita.jsonl.gz")), table_kind(Path("a.parquet")), table_kind(Path("a.html"))
    ('jsonl', 'parquet', None)
    """
    name = path.name.lower()
    if name.endswith(".gz") and not name.endswith(".parquet.gz"):
        name = name[:-3]
    return TABLE_SUFFIXES.get(Path(name).suffix)


class FieldNotFoundError(ValueError):
    """A field named by an option or a ``KLIPING_*_FIELD`` variable is not in the corpus."""


@contextlib.contextmanager
def _open_text(path: Path):
    """A shard's text, opened as the reader opens it: regular files only, never blocking, ``.gz`` unpacked."""
    from kliping.io import files

    with files.open_table(path, files.ReadLimits.from_environ()) as raw:
        yield _stdio.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")


def shard_fields(path: Path) -> list[str] | None:
    """The field names of a table shard, from its head; None when they cannot be read (the reader says why)."""
    kind = table_kind(path)
    try:
        if kind == "parquet":
            import pyarrow.parquet as pq

            return list(pq.read_schema(path).names)
        with _open_text(path) as handle:
            if kind in ("csv", "tsv"):
                header = next(csv.reader(handle, delimiter="\t" if kind == "tsv" else ","), None)
                return [name.lstrip("\ufeff") for name in header] if header else None
            names: dict[str, None] = {}
            for line in itertools.islice((line for line in handle if line.strip()), HEAD_RECORDS):
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict):
                    names.update(dict.fromkeys(record))
            return list(names) or None
    except (OSError, EOFError, ValueError, UnicodeError):
        return None
    except Exception:  # pyarrow's own errors for a file that is not parquet: the reader reports it
        return None


def check_fields(path, **fields) -> None:
    """Raise :class:`FieldNotFoundError` when a named field (``text_field="isi"``, ...) is in no table shard
    of ``path``; a field found in any shard of a folder passes. Pages have no fields: not checked."""
    path = Path(path)
    named = {name: value for name, value in fields.items() if value}
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
        names = shard_fields(shard)
        if names is not None:
            readable = True
            found.update(dict.fromkeys(names))
    if not readable:
        return
    for name, value in named.items():
        if value not in found:
            option = "--" + name.replace("_", "-")
            where = path.name if not path.is_dir() else f"the shards of {path}"
            raise FieldNotFoundError(
                f"{option} {value}: no such field in {where} (its fields: {', '.join(map(str, found))})"
            )
