"""Pages: one ``.txt``/``.html`` file to one manifest row, folders walked.

:func:`read_page` reads a single page (regular files only, see :mod:`kliping.io.files`; HTML laid out as
block-per-line text by :func:`kliping.io.markup.page_fields`, as a table field holding pages is), and
:func:`kliping.io.corpus.read_folder` reads every page, table shard and crawl below a folder.
"""

from __future__ import annotations

from pathlib import Path

from kliping.io import deep_html, files
from kliping.io.markup import _HTML_DROP, _html_title, html_to_text, page_fields  # noqa: F401 (kliping.io's names)
from kliping.io.problems import _row, _warn
from kliping.io.text import decode_bytes, looks_binary, resolve_breaks

#: Suffixes read as single pages (compressed too: ``.html.gz``, ``.txt.bz2``, ``.htm.xz``; see :func:`page_kind`).
PAGE_SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html"}

#: Notes beside a corpus (``README.md``, ``LICENSE``...): not read as pages.
FOLDER_NOTES = {"README", "LICENSE", "PROVENANCE", "NOTICE", "CITATION"}


def page_kind(path) -> str | None:
    """``text`` or ``html`` for a page file (compressed too: ``.html.gz``, ``.txt.bz2``, ``.htm.xz``), else None.

    Examples
    --------
    >>> page_kind("berita.html.gz"), page_kind("berita.TXT"), page_kind("berita.jsonl.gz")
    ('html', 'text', None)
    """
    return PAGE_SUFFIXES.get(Path(files.inner_name(path)).suffix.lower())


def page_id(path: Path, root: Path | None) -> str:
    """A page's id: its path below ``root`` (its name for a single page) without its suffixes, so that
    ``berita.html`` and ``berita.html.gz`` are the same page.

    Examples
    --------
    >>> page_id(Path("/korpus/2020/berita.html.gz"), Path("/korpus")), page_id(Path("/x/berita.txt"), None)
    ('2020/berita', 'berita')
    """
    rel = path.relative_to(root) if root is not None else Path(path.name)
    return rel.with_name(files.inner_name(rel.name)).with_suffix("").as_posix()


def read_page(path: Path, root: Path | None = None, limits: files.ReadLimits | None = None) -> dict:
    """Read one ``.txt`` or ``.html`` page (compressed too) into a manifest row.

    The id is the path below ``root`` without its suffixes (the file name for a
    single page), so it is stable across machines. Only a regular file is
    opened (see :mod:`kliping.io.files`): a FIFO, device or socket gets status
    ``unsupported``, a link out of ``root`` ``link_outside``, a file over the
    limit as stored or as inflated ``too_large``.
    """
    limits = limits or files.ReadLimits.from_environ()
    source = str(path)
    id_ = page_id(path, root)
    status, reason = files.check(path, root, limits)
    if status != "ok":
        _warn(source, reason)
        return _row(id_, source, status)
    kind = page_kind(path)
    if kind is None:
        _warn(source, f"not a page kliping reads (suffix {path.suffix or 'none'}), kept as unsupported")
        return _row(id_, source, "unsupported")
    try:
        data = files.read_inflated(path, limits)
    except files.NotRegularError as error:
        _warn(source, error.reason)
        return _row(id_, source, error.status)
    except files.INFLATE_ERRORS as error:
        why = getattr(error, "strerror", None) or str(error) or type(error).__name__
        _warn(source, f"unreadable ({why})")
        return _row(id_, source, "unreadable")
    return page_row(data, kind, id_, source)


def page_row(data: bytes, kind: str, id_: str, source: str, charset: str | None = None, url: str | None = None) -> dict:
    """The manifest row of one page's bytes, from a file or a WARC record alike.

    ``charset`` is the one the server declared (HTTP ``Content-Type``), ``url`` the address the page was fetched
    from: it is the row's url and its registered domain the row's site (the page's head fills what they leave).

    Examples
    --------
    >>> html = "<html><head><title>Banjir - Kompas</title></head><body><p>Banjir merendam Bekasi.</p></body></html>"
    >>> row = page_row(html.encode("cp1252"), "html", "b-1", "arsip.warc", "windows-1252",
    ...                "https://megapolitan.kompas.com/read/banjir")
    >>> row["status"], row["text"], row["url"], row["meta_site"]
    ('ok', 'Banjir merendam Bekasi.', 'https://megapolitan.kompas.com/read/banjir', 'kompas.com')
    """
    if not data:
        _warn(source, "empty file")
        return _row(id_, source, "empty")
    if looks_binary(data):
        _warn(source, "binary file, not text")
        return _row(id_, source, "binary")
    text, encoding = decode_bytes(data, declared=charset)
    title, meta = None, {}
    if kind == "html":
        from kliping.io.htmlmeta import registered_domain

        meta = page_fields(text)  # title, url, site and date from <head>, the body laid out
        text, title = meta.pop("text"), meta.pop("title")
        if url:  # the address it was fetched from (a WARC record's) wins over what the page says of itself
            meta.update(url=url, meta_site=registered_domain(url) or meta["meta_site"])
    else:  # a .txt page: its line separators and zero-width characters as a table record's (HTML's: clean_lines)
        text = resolve_breaks(text)
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
