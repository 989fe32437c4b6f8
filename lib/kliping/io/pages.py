"""Pages: one ``.txt``/``.html`` file to one manifest row, HTML laid out as block-per-line text, folders walked.

:func:`read_page` reads a single page (regular files only, see :mod:`kliping.io.files`), :func:`html_to_text`
lays out HTML with lxml + inscriptis (:mod:`kliping.io.deep_html` when the page is too deep for them), and
:func:`read_folder` reads every page and table shard below a folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from kliping.io import deep_html, files
from kliping.io.problems import _row, _warn
from kliping.io.tables import _FieldPicker, read_table_shard, table_kind
from kliping.io.text import _WS_RUN, clean_lines, decode_bytes, looks_binary

#: Suffixes read as single pages.
PAGE_SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html"}

#: Notes beside a corpus (``README.md``, ``LICENSE``...): not read as pages.
FOLDER_NOTES = {"README", "LICENSE", "PROVENANCE", "NOTICE", "CITATION"}

# HTML elements whose text is never article text (as in the DEV set's dump).
_HTML_DROP = ("script", "style", "noscript", "template", "iframe", "svg", "head")


def html_to_text(html: str) -> tuple[str, str | None]:
    """Turn an HTML page into block-per-line text and its title.

    The page is parsed with lxml; scripts, styles, iframes and the ``<head>``
    are removed and inscriptis lays out the rest, one block (paragraph,
    heading, list item, table row) per line, links kept inline with their
    paragraph. Lines are stripped and empty lines dropped, as in the seed
    pages. The title is the first ``<h1>``, else ``<title>``.

    Examples
    --------
    >>> text, title = html_to_text(
    ...     "<html><head><title>Berita</title></head><body><h1>Gempa di Bali</h1>"
    ...     "<p>Gempa <a href='/x'>magnitudo 5</a> mengguncang Bali.</p>"
    ...     "<script>alert(1)</script></body></html>")
    >>> text
    'Gempa di Bali\\nGempa magnitudo 5 mengguncang Bali.'
    >>> title
    'Gempa di Bali'
    """
    import lxml.html
    from inscriptis import Inscriptis
    from inscriptis.css_profiles import CSS_PROFILES
    from inscriptis.model.config import ParserConfig

    if not html.strip():
        return "", None
    # lxml refuses str input that declares its own encoding.
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    # huge_tree: libxml2 otherwise stops 256 elements deep and drops the rest (400 unclosed <div><p> kept 254).
    parser = lxml.html.HTMLParser(huge_tree=True)
    tree = lxml.html.fromstring(html, parser=parser)
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        return deep_html.flat_text(html)  # deeper than even huge_tree builds (2,048): a reader without a tree
    title = _html_title(tree)
    for element in list(tree.iter(*_HTML_DROP)):
        if element.getparent() is not None:
            element.drop_tree()
    # List items become plain blocks: no "* " bullets or indentation.
    for element in tree.iter("li", "ul", "ol", "dl", "dd", "dt"):
        element.tag = "div"
    config = ParserConfig(css=CSS_PROFILES["strict"], display_images=False, display_links=False)
    try:
        # Serialised and parsed again as a whole document, as inscriptis.get_text does, with huge_tree too.
        serialised = lxml.html.tostring(tree, encoding="unicode").strip()
        document = lxml.html.document_fromstring(serialised, parser=lxml.html.HTMLParser(huge_tree=True))
        text = Inscriptis(document, config).get_text()
    except RecursionError:  # inscriptis recurses per level: some 1,000 levels are too deep for it
        return deep_html.flat_text(html)
    return clean_lines(text), title


def _html_title(tree) -> str | None:
    for xpath in ("//h1", "//title"):
        for element in tree.xpath(xpath):
            title = _WS_RUN.sub(" ", element.text_content()).strip()
            if title:
                return title
    return None


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
        from kliping.io.htmlmeta import head_metadata

        head = head_metadata(text)  # before html_to_text drops <head>
        text, title = html_to_text(text)
        title = head["title"] or title  # og:title, headline or <title>, site cut; else the first <h1>
        meta = {"url": head["url"], "meta_site": head["site"], "meta_date": head["published"]}
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
