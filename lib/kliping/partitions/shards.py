"""The corpus as partitions: shards listed in the in-process reader's order, each read by one task.

A corpus path (a folder, a glob, one file) becomes a list of :class:`Shard` s in the order
:func:`kliping.io.read_corpus` reads it: every table file (``.jsonl(.gz)``, ``.csv``, ``.tsv``, ``.parquet``)
is a shard, runs of pages (``.txt``/``.html``) between them are shards of up to :data:`PART_ROWS` pages, and a
WARC file is a shard per byte span of :data:`kliping.io.warc.PART_BYTES` (its records read lazily, by the span's
own task, with the in-process reader's :func:`kliping.io.warc.read_warc`).
:func:`read_shard` reads one shard with the reader's own functions (:func:`kliping.io.read_table`,
:func:`kliping.io.read_page`), so every input item keeps its row, status and warning, and writes it as parquet
partitions of at most :data:`PART_ROWS` rows. Later stages read those partitions; no process holds the corpus.

Examples
--------
>>> from kliping import config
>>> [(shard.kind, len(shard.paths)) for shard in list_shards(config.RAW_DIR, files.ReadLimits())]
[('pages', 2), ('table', 1)]
"""

from __future__ import annotations

import glob
import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path

from kliping.io import files

#: Rows per partition: 5,000 cleaned pages fit a worker many times over (about 60 MB of text) and give a 22k
#: corpus five partitions, so two workers share even one big file.
PART_ROWS = 5_000
#: The most rows a partition takes when a shard's partitions are made a multiple of the workers by making fewer
#: (a quarter above :data:`PART_ROWS`): the 22k on two workers was 5,000 × 4 + 2,136 rows, three rounds of tasks
#: with one worker idle in the last, and is 4 × 5,534, two rounds.
MAX_PART_ROWS = PART_ROWS * 5 // 4
#: The fewest rows a partition takes when a shard is cut into more partitions for the workers: below, a task's
#: fixed costs (reading its files, numbering its words) outweigh a second worker's help.
MIN_PART_ROWS = 1_000
#: Warnings a shard sends back by name (the reader names the first 20 of the corpus, then counts).
MAX_SHARD_WARNINGS = 20
#: A column the read partitions add: the hash of the text that finds exact duplicates (as the reader's).
HASH_COLUMN = "_text_hash"
#: A column the read partitions add: the site :func:`kliping.io.site_column` gives the row.
SITE_COLUMN = "_site"

#: Bumped when the reader reads the same files differently, so partitions read before are not reused
#: (2: pages in table fields, .xlsx, CSV delimiters sniffed).
READER_VERSION = 2

# The reader collects warnings in one module-level list: one shard at a time per worker process.
_READ_LOCK = threading.Lock()


@dataclass(frozen=True)
class Shard:
    """One unit of reading: a table file, a run of pages, or a file that cannot be read (a status row)."""

    index: int
    kind: str  # "table", "pages", "warc" or "status"
    paths: tuple
    root: str | None = None
    status: str = "ok"
    reason: str = ""
    span: tuple = (0, None)  # a WARC shard's bytes: the records that start in them


def list_shards(path, limits: files.ReadLimits) -> list[Shard]:
    """The shards of a corpus path, in the order the in-process reader reads its items."""
    from kliping.io import FOLDER_NOTES, CorpusFormatError
    from kliping.io.corpus import file_kind, not_a_corpus, say_own_folders

    text = str(path)
    if any(char in text for char in "*?[") and not Path(text).exists():
        matches = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
        if not matches:
            raise CorpusFormatError(f"{text}: the pattern matches no file")
        return _group(matches, None, limits)
    path = Path(path)
    if path.is_dir():
        own: list = []
        entries = [
            p
            for p in files.iter_folder(path, own)
            if not (p.suffix.lower() in (".md", "") and p.stem.upper() in FOLDER_NOTES)
        ]
        say_own_folders(path, own)
        return _group(entries, path, limits)
    kind = file_kind(path)
    if kind is None:
        raise not_a_corpus(path)
    status, reason = files.check(path, None, limits, sized=kind != "warc")
    if status != "ok":
        return [Shard(0, "status", (str(path),), None, status, reason)]
    if kind == "warc":
        return _warc_shards(path, None, 0)
    return [Shard(0, "table" if kind == "table" else "pages", (str(path),))]


def _warc_shards(path: Path, root: Path | None, first: int) -> list[Shard]:
    """The shards of a WARC file: one per byte span, numbered from ``first``."""
    from kliping.io import warc

    where = None if root is None else str(root)
    spans = warc.spans(path.stat().st_size, warc.PART_BYTES)
    return [Shard(first + i, "warc", (str(path),), where, span=span) for i, span in enumerate(spans)]


def _group(entries: list[Path], root: Path | None, limits: files.ReadLimits) -> list[Shard]:
    from kliping.io import table_kind, warc

    shards: list[Shard] = []
    pages: list[str] = []

    def flush():
        if pages:
            shards.append(Shard(len(shards), "pages", tuple(pages), None if root is None else str(root)))
            pages.clear()

    for entry in entries:
        is_warc = warc.is_warc(entry)
        if table_kind(entry) is None and not is_warc:
            pages.append(str(entry))
            if len(pages) == PART_ROWS:
                flush()
            continue
        flush()
        status, reason = files.check(entry, root, limits, sized=not is_warc)
        if is_warc and status == "ok":
            shards += _warc_shards(entry, root, len(shards))
            continue
        where = None if root is None else str(root)
        shards.append(Shard(len(shards), "table" if status == "ok" else "status", (str(entry),), where, status, reason))
    flush()
    return shards


def shard_rows(shard: Shard, fields: dict, limits: files.ReadLimits) -> tuple[list[dict], list[str], dict]:
    """The manifest rows of one shard, the warnings the reader gave about them and the items it kept out."""
    from kliping.io import read_page
    from kliping.io.problems import _problems, _row, _warn
    from kliping.io.tables import _FieldPicker, read_table, read_table_shard
    from kliping.io.warc import read_warc

    skipped = {}
    with _READ_LOCK:
        _problems.clear()
        try:
            if shard.kind == "table":
                path, picker = Path(shard.paths[0]), _FieldPicker(**fields)
                # A shard of a folder that cannot be read is a status row, as the in-process reader gives it; a
                # corpus of one file that cannot be read stops the run with its one-line error.
                if shard.root is None:
                    rows = read_table(path, picker, limits)
                else:
                    rows = read_table_shard(path, Path(shard.root), picker, limits)
            elif shard.kind == "pages":
                root = Path(shard.root) if shard.root is not None else None
                rows = [read_page(Path(p), root=root, limits=limits) for p in shard.paths]
            elif shard.kind == "warc":
                root = Path(shard.root) if shard.root is not None else None
                rows, skipped = read_warc(Path(shard.paths[0]), root, limits, tuple(shard.span))
            else:
                path = Path(shard.paths[0])
                _warn(str(path), shard.reason)
                rows = [
                    _row(path.relative_to(shard.root).as_posix() if shard.root else path.stem, str(path), shard.status)
                ]
            return rows, list(_problems), dict(skipped)
        finally:
            _problems.clear()


def part_bounds(n_rows: int, workers: int = 1) -> list[int]:
    """Where a shard of ``n_rows`` rows is cut into partitions: the fewest of at most :data:`PART_ROWS` rows, their
    number then made a multiple of ``workers`` (fewer while each keeps at most :data:`MAX_PART_ROWS` rows, else
    more while each keeps :data:`MIN_PART_ROWS`), the rows shared evenly, so no worker waits alone on a short last
    partition. Always at least one partition (an empty shard's is empty).

    Examples
    --------
    >>> part_bounds(22_136, workers=2)  # the CLICK-ID corpus, one file, on two workers: 4 × 5,534
    [0, 5534, 11068, 16602, 22136]
    >>> part_bounds(22_136)  # one worker: 5 × 4,427 (not 4 × 5,000 and 2,136)
    [0, 4427, 8854, 13281, 17708, 22136]
    >>> part_bounds(13_835, workers=2), part_bounds(1_500, workers=2), part_bounds(0, workers=2)
    ([0, 3458, 6917, 10376, 13835], [0, 1500], [0, 0])
    """
    parts = max(1, -(-n_rows // PART_ROWS))
    if workers > 1 and parts % workers:
        fewer, more = parts - parts % workers, parts + workers - parts % workers
        if fewer and n_rows <= fewer * MAX_PART_ROWS:
            parts = fewer
        elif n_rows >= more * MIN_PART_ROWS:
            parts = more
    return [n_rows * i // parts for i in range(parts + 1)]


def text_hash(text: str) -> str:
    """The reader's duplicate key (:func:`kliping.io.find_duplicates`): lines stripped, hashed.

    Examples
    --------
    >>> text_hash("Gempa di Bali") == text_hash("Gempa di Bali  \\n")
    True
    """
    return hashlib.blake2b(
        "\n".join(line.strip() for line in text.strip().split("\n")).encode(), digest_size=16
    ).hexdigest()


def read_shard(shard: Shard, fields: dict, limits: files.ReadLimits, folder: str, stamp: str, cut_for: int = 1) -> dict:
    """Read one shard into parquet partitions under ``folder``, cut by :func:`part_bounds` for ``cut_for`` workers;
    what was written, or reused from a run before.

    Returns ``{"parts": [file names], "columns": [...], "rows": n, "warnings": [...], "n_warnings": n,
    "html_rows": n, "table_rows": n, "skipped": {...}}`` (the table rows read as HTML pages, all table rows, and
    the WARC records kept out by kind).
    """
    import pandas as pd

    from kliping.base.atomic import write_json, write_parquet
    from kliping.io import BASE_COLUMNS, html_row_counts, site_column
    from kliping.io.corpus import rows_frame

    folder = Path(folder)
    marker = folder / f"{shard.index:05d}.json"
    key = stamp  # (``key`` names the task in Dask's client.map)
    done = _read_json(marker)
    if done and done.get("key") == key and all((folder / name).is_file() for name in done["parts"]):
        return done
    rows, problems, skipped = shard_rows(shard, fields, limits)
    frame = rows_frame(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=BASE_COLUMNS)
    columns = list(frame.columns)
    ok = frame["status"].eq("ok").tolist()
    frame[HASH_COLUMN] = [text_hash(t) if good else None for t, good in zip(frame["text"].tolist(), ok)]
    frame[SITE_COLUMN] = site_column(frame) if len(frame) else pd.Series(dtype=object)
    parts = []
    bounds = part_bounds(len(frame), cut_for)
    for number, (start, stop) in enumerate(zip(bounds, bounds[1:])):
        name = f"{shard.index:05d}-{number:04d}.parquet"
        write_parquet(frame.iloc[start:stop].reset_index(drop=True), folder / name, {"key": key})
        parts.append(name)
    html_rows, table_rows = html_row_counts(frame)
    done = {
        "key": key,
        "parts": parts,
        "columns": columns,
        "rows": len(rows),
        "warnings": problems[:MAX_SHARD_WARNINGS],
        "n_warnings": len(problems),
        "skipped": skipped,
        "html_rows": html_rows,
        "table_rows": table_rows,
    }
    write_json(marker, done)
    return done


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def merged_columns(column_lists) -> list[str]:
    """The columns of the whole manifest: the reader's first, then every other in order of first appearance.

    Examples
    --------
    >>> merged_columns([["id", "source", "status", "duplicate_of", "title", "text", "kanal"], ["id", "tautan"]])
    ['id', 'source', 'status', 'duplicate_of', 'title', 'text', 'kanal', 'tautan']
    """
    from kliping.io import BASE_COLUMNS

    seen = dict.fromkeys(BASE_COLUMNS)
    for columns in column_lists:
        seen.update(dict.fromkeys(columns))
    return list(seen)
