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
from kliping.io.pages import FOLDER_NOTES, page_kind, read_page
from kliping.io.problems import (
    BASE_COLUMNS,
    MAX_WARNINGS,
    CorpusFormatError,
    CorpusNotFoundError,
    InputWarning,
    _flush_warnings,
    _problems,
    _row,
    _skipped,
    _warn,
    count_skipped,
    emit_html_note,
)
from kliping.io.tables import _FieldPicker, frame_rows, read_table, read_table_shard, table_kind
from kliping.io.warc import is_warc, read_warc


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
    fields = dict(text_field=text_field, title_field=title_field, id_field=id_field, label_field=label_field)
    fields.update(date_field=date_field, url_field=url_field, site_field=site_field)
    if is_data(path):
        _problems.clear()
        frame = rows_frame(read_data(path, _FieldPicker(**fields)))
        _flush_warnings()
        return _manifest(frame)
    path = corpus_path(path)
    limits = limits or files.ReadLimits.from_environ()
    status, reason = ("ok", "") if path.is_dir() else files.check(path, None, limits, sized=not is_warc(path))
    if status == "ok":
        from kliping.io.fields import check_fields

        check_fields(path, **fields)  # a named field that is not there: one error line before any work
    picker = _FieldPicker(**fields)
    _problems.clear()
    _skipped.clear()
    frame = rows_frame(_read_rows(path, status, reason, picker, limits))  # the rows as dicts are freed here
    skipped = _flush_warnings()
    frame = _manifest(frame)
    emit_html_note(*html_row_counts(frame), stacklevel=3)  # the read's summary, never capped with the problems
    frame.attrs["skipped"] = skipped  # what `kliping read` prints below the statuses
    return frame


def _read_rows(path: Path, status: str, reason: str, picker, limits: files.ReadLimits) -> list[dict]:
    """The rows of a corpus path: a folder's items, one page, a table's records or a crawl's pages."""
    kind = None if path.is_dir() else file_kind(path)
    if status != "ok" and kind is not None:
        # A FIFO, device or oversized file named as the corpus: one row that says why, never a hang.
        _warn(str(path), reason)
        rows = [_row(path.stem, str(path), status)]
    elif path.is_dir():
        rows = read_folder(path, picker, limits)
    elif kind == "page":
        rows = [read_page(path, limits=limits)]
    elif kind == "table":
        rows = read_table(path, picker, limits)
    elif kind == "warc":
        rows, skipped = read_warc(path, None, limits)
        count_skipped(skipped)
    else:
        raise not_a_corpus(path)
    return rows


def _manifest(frame: pd.DataFrame) -> pd.DataFrame:
    """The reader's rows (:func:`rows_frame`) as the manifest: the base columns first, unique ids, exact duplicates
    named. The rows as dicts are no longer held then: about 6 KB an article, ~1.3 GB for the 221k perturbed
    articles, beside the frame and its texts."""
    if frame.empty:
        frame = pd.DataFrame(columns=BASE_COLUMNS)
    frame = frame[BASE_COLUMNS + [c for c in frame.columns if c not in BASE_COLUMNS]]
    frame["id"] = _unique_ids(frame["id"].astype(str))
    frame["duplicate_of"] = find_duplicates(frame)
    return frame


def rows_frame(rows: list[dict]) -> pd.DataFrame:
    """The reader's rows as a DataFrame, every text in it writable as UTF-8 (:func:`_no_surrogates`)."""
    try:
        return pd.DataFrame(rows)
    except UnicodeEncodeError:  # pandas' Arrow strings refuse a lone surrogate: rare, so mended only then
        return pd.DataFrame([_no_surrogates(row) for row in rows])


def _no_surrogates(row: dict) -> dict:
    """The row with every text writable as UTF-8: a file name that is not UTF-8 (in ``id`` and ``source``) shown
    with its bytes escaped as ``\\xNN``, as the warnings show it; a lone surrogate anywhere else (a record given
    as data) replaced with U+FFFD. Before, one such name or string failed every write of the run (exit 1).

    Examples
    --------
    >>> name = b"berita\\xff.txt".decode("utf-8", "surrogateescape")
    >>> _no_surrogates({"id": name, "title": "Gempa \\ud83d", "views": 3})
    {'id': 'berita\\\\xff.txt', 'title': 'Gempa \ufffd', 'views': 3}
    """
    from kliping.base.safety import printable
    from kliping.io.text import scrub_surrogates

    fixed = {}
    for key, value in row.items():
        if isinstance(value, str) and not _utf8(value):
            value = printable(value) if key in ("id", "source") else scrub_surrogates(value)[0]
        fixed[key] = value
    return fixed


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_folder(folder: Path, picker: _FieldPicker | None = None, limits: files.ReadLimits | None = None) -> list[dict]:
    """Read every page, table shard and WARC crawl below ``folder`` (recursively, sorted by path; hidden names such as
    ``.gitkeep`` and notes such as ``README.md`` skipped)."""
    picker = picker or _FieldPicker(None, None, None, None)
    limits = limits or files.ReadLimits.from_environ()
    rows = []
    own: list = []
    for path in files.iter_folder(folder, own):
        if path.suffix.lower() in (".md", "") and path.stem.upper() in FOLDER_NOTES:
            continue  # a corpus folder's README says where its files come from: it is no article
        if not _utf8(str(path)):  # read as any file; its row names it with the bytes escaped (_no_surrogates)
            _warn(str(path), "the file name is not UTF-8; its id and source show its bytes as \\xNN")
        warc = is_warc(path)
        if table_kind(path) is None and not warc:
            rows.append(read_page(path, root=folder, limits=limits))
            continue
        status, reason = files.check(path, folder, limits, sized=not warc)
        if status == "ok" and warc:
            found, skipped = read_warc(path, folder, limits)
            rows += found
            count_skipped(skipped)
            continue
        if status == "ok":
            rows += read_table_shard(path, folder, picker, limits)
        else:  # a FIFO named x.jsonl, a link out of the folder, a shard over the limit: one row, never a hang
            _warn(str(path), reason)
            rows.append(_row(path.relative_to(folder).as_posix(), str(path), status))
    say_own_folders(folder, own)
    if not rows:
        _warn(str(folder), "folder holds no files")
    return rows


def say_own_folders(folder: Path, own: list) -> None:
    """Say once which of kliping's own folders inside a corpus folder were not read (:func:`files.iter_folder`)."""
    if own:
        listed = ", ".join(f"{path.relative_to(folder).as_posix()} ({kind})" for path, kind in own[:10])
        more = f" and {len(own) - 10} more" if len(own) > 10 else ""
        warnings.warn(f"not read: kliping's own folders inside the corpus: {listed}{more}", InputWarning, stacklevel=3)


def file_kind(path: Path) -> str | None:
    """``page``, ``table`` or ``warc``: how a corpus file is read; None for a file kliping does not read.

    Examples
    --------
    >>> [file_kind(Path(name)) for name in ("a.html.gz", "a.csv.xz", "a.warc.gz", "a.pdf")]
    ['page', 'table', 'warc', None]
    """
    if is_warc(path):
        return "warc"
    if table_kind(path) is not None:
        return "table"
    return "page" if page_kind(path) is not None else None


def not_a_corpus(path: Path) -> CorpusFormatError:
    """The one-line error for a corpus file of a kind kliping does not read."""
    return CorpusFormatError(
        f"{path}: kliping reads a folder of pages and shards, .txt/.html pages, .jsonl/.json/.csv/.tsv/.parquet/.xlsx "
        f"tables, .warc(.gz) crawls (pages and text tables compressed as .gz/.bz2/.xz too), "
        f"not {path.suffix or 'files without a suffix'}"
    )


def html_row_counts(frame: pd.DataFrame) -> tuple[int, int]:
    """How many table rows were read as HTML pages (their text field held one), and how many table rows there are.

    Examples
    --------
    >>> html_row_counts(pd.DataFrame({"origin": ["page", "record", "html", "html", None]}))
    (2, 3)
    """
    if "origin" not in frame.columns:
        return 0, 0
    origin = frame["origin"]
    return int((origin == "html").sum()), int(origin.isin(["record", "html"]).sum())


#: What a corpus given as data (not a path) is called in ids and warnings: row i's default id is ``data-<i>``.
DATA_NAME = "data"


def is_data(corpus) -> bool:
    """Whether a corpus is given as data: a DataFrame, or a list (or tuple) of dicts, one per article.

    Examples
    --------
    >>> is_data([{"judul": "Banjir", "isi": "Air merendam Bekasi."}]), is_data(pd.DataFrame()), is_data("berita.csv")
    (True, True, False)
    """
    if isinstance(corpus, pd.DataFrame):
        return True
    return isinstance(corpus, (list, tuple)) and all(isinstance(item, dict) for item in corpus)


def read_data(corpus, picker: _FieldPicker) -> list[dict]:
    """The manifest rows of a corpus given as data (:func:`is_data`), read as the same records in a JSONL file
    would be: named fields checked (:class:`kliping.io.fields.FieldNotFoundError`), others guessed, one row per
    record with its status, every other field carried along.

    Examples
    --------
    >>> rows = read_data([{"judul": "Banjir Bekasi", "isi": "Air merendam rumah warga.", "kanal": "regional"}],
    ...                  _FieldPicker(None, None, None, None))
    >>> rows[0]["id"], rows[0]["status"], rows[0]["title"], rows[0]["kanal"]
    ('data-1', 'ok', 'Banjir Bekasi', 'regional')
    """
    from kliping.io.fields import TEXT_FIELD_GUESSES, FieldNotFoundError, guess_field, missing_field

    if isinstance(corpus, pd.DataFrame):
        frame = corpus.rename(columns=str).reset_index(drop=True)
        columns = list(frame.columns)
    else:  # dicts as they are: a key one record lacks is missing there, as in a JSONL line
        columns = list(dict.fromkeys(str(key) for record in corpus for key in record))
    named = {**picker.named, "label_field": picker.label_field}
    for name, value in named.items():
        if value and value not in columns:
            raise missing_field(name, value, f"the {DATA_NAME}", columns)
    if not picker.named.get("text_field") and guess_field(columns, TEXT_FIELD_GUESSES) is None:
        raise FieldNotFoundError("text_field", None, f"the {DATA_NAME}", columns)  # every row would be "no text"
    picker.reset()
    picker.source_name = f"the {DATA_NAME}"
    picker.guess(columns)  # from every record's fields, as a table's from its header
    if isinstance(corpus, pd.DataFrame):
        rows = frame_rows(frame, picker, DATA_NAME, DATA_NAME)
    else:
        rows = [picker.to_row(dict(r), f"{DATA_NAME}-{i}", f"{DATA_NAME}:{i}") for i, r in enumerate(corpus, 1)]
    for row in rows:
        row["decode_errors"] = 0  # as a JSONL line's: text given as str had no byte to decode
    return rows


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
    from kliping.base.safety import printable

    taken = set(ids)  # every id as given, so a renamed id never takes the name of a later one
    used: set[str] = set()
    next_suffix: dict[str, int] = {}
    out = []
    renamed_count = 0
    for id_ in ids.tolist():
        if id_ in used:
            count = next_suffix.get(id_, 2)
            while f"{id_}#{count}" in taken:
                count += 1
            next_suffix[id_] = count + 1
            renamed = f"{id_}#{count}"
            taken.add(renamed)
            renamed_count += 1
            if renamed_count <= MAX_WARNINGS:  # a shard of 2 M rows of one id printed 2 M lines before
                message = f"id {id_[:80]!r} repeats; renamed to {renamed[:80]!r}"
                warnings.warn(printable(message), InputWarning, stacklevel=4)
            id_ = renamed
        used.add(id_)
        out.append(id_)
    if renamed_count > MAX_WARNINGS:
        more = renamed_count - MAX_WARNINGS
        warnings.warn(f"... and {more:,} more repeated ids renamed with #2, #3, ...", InputWarning, stacklevel=4)
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
    for id_, status, text in zip(frame["id"].tolist(), frame["status"].tolist(), _texts(frame["text"])):
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


#: Rows of a text column made into Python strings at once (:func:`_texts`).
TEXT_STEP = 10_000


def _texts(column: pd.Series):
    """The column's values one after the other, made as Python objects :data:`TEXT_STEP` rows at a time (the whole
    text column as a list is a copy of the corpus: ~0.45 GB for the 221k perturbed articles)."""
    for start in range(0, len(column), TEXT_STEP):
        yield from column.iloc[start : start + TEXT_STEP].tolist()


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
