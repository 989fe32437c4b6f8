"""Pages: one ``.txt``/``.html`` file to one manifest row, folders walked.

:func:`read_page` reads a single page (regular files only, see :mod:`kliping.io.files`; HTML laid out as
block-per-line text by :func:`kliping.io.markup.page_fields`, as a table field holding pages is), and
:func:`read_folder` reads every page and table shard below a folder.
"""

from __future__ import annotations

from pathlib import Path

from kliping.io import deep_html, files
from kliping.io.markup import _HTML_DROP, _html_title, html_to_text, page_fields  # noqa: F401 (kliping.io's names)
from kliping.io.problems import _row, _warn
from kliping.io.tables import _FieldPicker, read_table_shard, table_kind
from kliping.io.text import decode_bytes, looks_binary

#: Suffixes read as single pages.
PAGE_SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html"}

#: Notes beside a corpus (``README.md``, ``LICENSE``...): not read as pages.
FOLDER_NOTES = {"README", "LICENSE", "PROVENANCE", "NOTICE", "CITATION"}


def read_page(path: Path, root: Path | None = None, limits: files.ReadLimits | None = None) -> dict:
    """Read one ``.txt`` or ``.html`` page into a manifest row.

    The id is the path below ``root`` without its suffix (the file name for a
    single page), so it is stable across machines. Only a regular file is
    opened (see :mod:`kliping.io.files`): a FIFO, device or socket gets status
    ``unsupported``, a link out of ``root`` ``link_outside``, a file over the
    limit ``too_large``.
    """
    limits = limits or files.ReadLimits.from_environ()
    source = str(path)
    rel = path.relative_to(root) if root is not None else Path(path.name)
    id_ = rel.with_suffix("").as_posix()
    status, reason = files.check(path, root, limits)
    if status != "ok":
        _warn(source, reason)
        return _row(id_, source, status)
    kind = PAGE_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        _warn(source, f"not a page kliping reads (suffix {path.suffix or 'none'}), kept as unsupported")
        return _row(id_, source, "unsupported")
    try:
        data = files.read_regular(path, limits)
    except files.NotRegularError as error:
        _warn(source, error.reason)
        return _row(id_, source, error.status)
    except OSError as error:
        _warn(source, f"unreadable ({error.strerror or error})")
        return _row(id_, source, "unreadable")
    if not data:
        _warn(source, "empty file")
        return _row(id_, source, "empty")
    if looks_binary(data):
        _warn(source, "binary file, not text")
        return _row(id_, source, "binary")
    text, encoding = decode_bytes(data)
    title, meta = None, {}
    if kind == "html":
        meta = page_fields(text)
        text, title = meta.pop("text"), meta.pop("title")
    meta["origin"] = "page"
    if not text.strip():
        _warn(
            source,
            deep_html.why_no_text(data.decode(encoding, errors="replace"))
            if kind == "html"
            else "no text (whitespace only)",
        )
        return _row(id_, source, "whitespace_only", title=title, **meta)
    return _row(id_, source, "ok", text=text.strip("\n"), title=title, encoding=encoding, **meta)


def read_folder(folder: Path, picker: _FieldPicker | None = None, limits: files.ReadLimits | None = None) -> list[dict]:
    """Read every page and every table shard below ``folder`` (recursively, sorted by path; hidden names such as
    ``.gitkeep`` and notes such as ``README.md`` skipped)."""
    picker = picker or _FieldPicker(None, None, None, None)
    limits = limits or files.ReadLimits.from_environ()
    rows = []
    for path in files.iter_folder(folder):
        if path.suffix.lower() in (".md", "") and path.stem.upper() in FOLDER_NOTES:
            continue  # a corpus folder's README says where its files come from: it is no article
        if table_kind(path) is None:
            rows.append(read_page(path, root=folder, limits=limits))
            continue
        status, reason = files.check(path, folder, limits)
        if status == "ok":
            rows += read_table_shard(path, folder, picker, limits)
        else:  # a FIFO named x.jsonl, a link out of the folder, a shard over the limit: one row, never a hang
            _warn(str(path), reason)
            rows.append(_row(path.relative_to(folder).as_posix(), str(path), status))
    if not rows:
        _warn(str(folder), "folder holds no files")
    return rows
