"""What the reader says about its input: the errors that stop a read, the warnings about bad items, and the row.

:class:`CorpusNotFoundError` and :class:`CorpusFormatError` end a read with one line (the CLI exits 2);
every bad file, line or row of the input is collected with :func:`_warn` and emitted as an :class:`InputWarning`
by :func:`_flush_warnings` (the first :data:`MAX_WARNINGS` by name, then a count), and every input item, good
or bad, becomes one manifest row of :data:`BASE_COLUMNS` by :func:`_row`.
"""

from __future__ import annotations

import collections
import warnings
from pathlib import Path

#: Columns the reader adds for the clean stage (not the input's own): the page's or row's kind
#: (``page``/``record``), its address, and the site and date its metadata states (used, then dropped).
META_COLUMNS = ["origin", "url", "meta_site", "meta_date"]

#: Columns every manifest starts with, in this order.
BASE_COLUMNS = ["id", "source", "status", "duplicate_of", "title", "text"]


class InputWarning(UserWarning):
    """A file, line or row of the input could not be read as an article."""


class ReadSummary(InputWarning):
    """The read's summary (the table rows read as HTML pages, the WARC records kept out): warned by the stages,
    printed by ``kliping read`` below its statuses instead, so it says it once."""


class CorpusNotFoundError(FileNotFoundError):
    """The corpus path does not exist."""

    def __init__(self, path: Path):
        super().__init__(f"no such file or folder: {path}")
        self.path = path


class CorpusFormatError(ValueError):
    """The corpus path exists but is not a format kliping reads."""


def _row(id_, source, status, text="", title=None, **extra) -> dict:
    return {"id": id_, "source": source, "status": status, "duplicate_of": None, "title": title, "text": text, **extra}


#: How many bad items are named one by one before the rest are summed up.
MAX_WARNINGS = 20
_problems: list[str] = []


def _warn(source: str, reason: str) -> None:
    _problems.append(f"{source}: {reason}")


def emit_warnings(named: list[str], total: int, stacklevel: int = 3) -> None:
    """Warn about the first :data:`MAX_WARNINGS` of ``named`` problems by name and sum up the rest of ``total``
    (the reader's problems, or those the distributed run's shards sent back)."""
    from kliping.base.safety import printable

    for message in named[:MAX_WARNINGS]:  # file names from elsewhere: an ESC in one must not drive the terminal
        warnings.warn(printable(message), InputWarning, stacklevel=stacklevel)
    if total > MAX_WARNINGS:
        warnings.warn(
            f"... and {total - MAX_WARNINGS} more items without usable text (their rows say why in the status column)",
            InputWarning,
            stacklevel=stacklevel,
        )


def html_rows_note(html_rows: int, table_rows: int) -> str | None:
    """What the read summary says of table rows whose text field held a page (None when none did).

    Examples
    --------
    >>> html_rows_note(28, 30)  # doctest: +ELLIPSIS
    '28 of 30 table rows held an HTML page in their text field: read as .html pages are (body text; ...)'
    """
    if not html_rows:
        return None
    return (
        f"{html_rows:,} of {table_rows:,} table rows held an HTML page in their text field: read as .html pages "
        "are (body text; title, url, site and date from <head> where the row has none)"
    )


def emit_html_note(html_rows: int, table_rows: int, stacklevel: int = 3) -> None:
    """Say in the warnings how many table rows were read as HTML pages."""
    note = html_rows_note(html_rows, table_rows)
    if note:
        warnings.warn(note, ReadSummary, stacklevel=stacklevel)


#: Input items that are no article and get no row, by kind: the records of a WARC file that are not pages.
_skipped: collections.Counter = collections.Counter()


def count_skipped(counts) -> None:
    """Count input items that are not articles and get no row (``{"request": 3, "response HTTP 404": 1}``)."""
    _skipped.update(counts)


def skipped_summary(counts) -> str | None:
    """One line that counts the records kept out, most frequent kind first; None when there are none.

    Examples
    --------
    >>> skipped_summary({"request": 3, "dns": 1, "response HTTP 404": 1})
    'WARC records that are not article pages (no row): 5 (request 3, dns 1, response HTTP 404 1)'
    """
    if not counts:
        return None
    kinds = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    listed = ", ".join(f"{kind} {count:,}" for kind, count in kinds[:12])
    more = f", {len(kinds) - 12} more kinds" if len(kinds) > 12 else ""
    return f"WARC records that are not article pages (no row): {sum(counts.values()):,} ({listed}{more})"


def emit_skipped(counts, stacklevel: int = 3) -> None:
    """Warn once with :func:`skipped_summary` (never capped with the problems: it is the read's summary)."""
    summary = skipped_summary(counts)
    if summary:
        warnings.warn(summary, ReadSummary, stacklevel=stacklevel)


def _flush_warnings() -> dict:
    """Emit the collected problems (the first few by name, then a count) and the count of the items kept out;
    returns that count."""
    emit_warnings(_problems, len(_problems), stacklevel=4)
    _problems.clear()
    skipped = dict(_skipped)
    emit_skipped(skipped, stacklevel=4)
    _skipped.clear()
    return skipped


def unique_names(header) -> tuple[list[str], list[str]]:
    """A header's field names made unique, and the names it repeats: the first keeps its name, a later one of
    the same name (compared without case, as fields are guessed) is ``<name>_2``, ``<name>_3``... Before, with
    ``id,content,title,content`` the last column won silently. Names are stripped of the spaces around them,
    as a cell typed in Excel keeps them: ``isi `` was no ``isi`` (no text field guessed, ``--text-field isi``
    refused, and the error's list of fields showed no difference).

    Examples
    --------
    >>> unique_names(["id", "content", "judul", "content", "ID"])
    (['id', 'content', 'judul', 'content_2', 'ID_2'], ['content', 'ID'])
    >>> unique_names(["kode ", " isi"])
    (['kode', 'isi'], [])
    """
    header = [str(name).strip() for name in header]
    seen = {name.lower() for name in header}
    used: set[str] = set()
    names, repeated = [], []
    for name in header:
        new, number = name, 1
        # A new name takes neither one already used nor one a later column has (content_2 may be in the header).
        while new.lower() in used or (new != name and new.lower() in seen):
            number += 1
            new = f"{name}_{number}"
        if new != name:
            repeated.append(name)
        used.add(new.lower())
        names.append(new)
    return names, list(dict.fromkeys(repeated))


def repeated_names_reason(repeated) -> str:
    """What the reader says of a header that repeats names (:func:`unique_names`)."""
    listed = ", ".join(repr(name) for name in repeated[:10])
    return f"column name(s) repeated in the header: {listed}; the first keeps the name, the next read as <name>_2, ..."
