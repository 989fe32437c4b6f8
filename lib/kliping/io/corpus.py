"""The one entry point: any corpus path to one manifest DataFrame, ids made unique, duplicates named.

:func:`read_corpus` checks the path (:func:`corpus_path`) and the named fields, reads a folder, a page or a
table shard, emits the collected warnings and builds the frame; :func:`_unique_ids`, :func:`find_duplicates`
and :func:`status_counts` work on that frame.
"""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import pandas as pd

from kliping.io import files
from kliping.io.pages import PAGE_SUFFIXES, read_folder, read_page
from kliping.io.problems import (
    BASE_COLUMNS,
    CorpusFormatError,
    CorpusNotFoundError,
    InputWarning,
    _flush_warnings,
    _problems,
    _row,
    _warn,
)
from kliping.io.tables import _FieldPicker, read_table, table_kind


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
    limits : kliping.io.files.ReadLimits, optional
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
    status, reason = ("ok", "") if path.is_dir() else files.check(path, None, limits)
    if status == "ok":
        from kliping.io.fields import check_fields

        check_fields(path, **fields)  # a named field that is not there: one error line before any work
    picker = _FieldPicker(**fields)
    _problems.clear()
    rows = _read_rows(path, status, reason, picker, limits)
    _flush_warnings()
    return _manifest(rows)


def _read_rows(path: Path, status: str, reason: str, picker, limits: files.ReadLimits) -> list[dict]:
    """The rows of a corpus path: a folder's items, one page, or a table's records."""
    suffix = path.suffix.lower()
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
    return rows


def _manifest(rows: list[dict]) -> pd.DataFrame:
    """The rows as the manifest: the base columns first, unique ids, exact duplicates named."""
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
    for id_ in ids.tolist():
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
    for id_, status, text in zip(frame["id"].tolist(), frame["status"].tolist(), frame["text"].tolist()):
        if status != "ok":
            out.append(None)
            continue
        text = text.strip()
        if "\n" in text:  # a one-line text (a table row's, mostly) is already its stripped self
            text = "\n".join(line.strip() for line in text.split("\n"))
        key = hashlib.blake2b(text.encode(), digest_size=16).digest()
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
