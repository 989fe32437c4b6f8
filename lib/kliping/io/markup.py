"""HTML wherever it arrives: a ``.html`` file or a table field whose values are pages, read the same way.

:func:`html_to_text` lays a page out as block-per-line text (lxml + inscriptis, :mod:`kliping.io.deep_html` when
the page is too deep for them); :func:`page_fields` adds what its ``<head>`` says (title, address, site, date,
:func:`kliping.io.htmlmeta.head_metadata`), for :func:`kliping.io.pages.read_page` and for table rows alike.
:func:`looks_like_html` tells, per value, a page (or a fragment of one) from plain text;
:func:`strip_inline_tags` takes the few inline tags plain text may carry (``<b>``, ``<i>``, ``<br>``,
``<a>``) out of it without laying it out as a page, so its own line breaks stay.

Examples
--------
>>> looks_like_html("<!DOCTYPE html><html><body><p>Banjir di Bekasi.</p></body></html>")
True
>>> looks_like_html("Hujan <b>deras</b> mengguncang<br>Bekasi sejak pagi.")
False
>>> strip_inline_tags("Hujan <b>deras</b> sejak pagi.<br>Warga &amp; petugas mengungsi.")
'Hujan deras sejak pagi.\\nWarga & petugas mengungsi.'
"""

from __future__ import annotations

import html as _html
import re

from kliping.io import deep_html
from kliping.io.blocks import html_title as _html_title
from kliping.io.text import _WS_RUN, clean_lines

# HTML elements whose text is never article text (as in the DEV set's dump).
_HTML_DROP = ("script", "style", "noscript", "template", "iframe", "svg", "head")

# A whole document: a doctype or an <html>, <head> or <body> tag. Every one of the 28 DEV pages of
# id_news_extraction_gt and the 88 English pages of en_extraction_readability has one; none of the 22,136
# CLICK-ID article texts has (5 hold a "<", 1 a tag: <em>).
_DOCUMENT = re.compile(r"<!doctype\s+html|<(?:html|head|body)[\s>]", re.IGNORECASE)
# An opening or closing tag: a letter right after "<" and a tag end ("suhu <30 derajat", "a<b" are no tags).
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)(?=[\s/>])[^<>]*>")
# Tags that make blocks of a page: two of them make a fragment of one (body_html, content_html), laid out as a
# page. The DEV pages have at least 146 of them, the English pages 24; plain text with inline tags has none.
_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol table tr td th article section blockquote figure header footer nav main "
    "aside pre dl dt dd form".split()
)
#: Block-level opening tags from which a value without a doctype, ``<html>`` or ``<body>`` is a fragment of a page.
MIN_BLOCK_TAGS = 2
# Tags that end a line when plain text's inline tags are taken out.
_LINE_ENDS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"})
# Elements whose content is never text, taken out whole from plain text (a stray <script> in a scraped row).
_DROPPED_ELEMENTS = re.compile(r"<(script|style|noscript|template)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def looks_like_html(text) -> bool:
    """Whether a text value is an HTML page or a fragment of one: a doctype, ``<html>``, ``<head>`` or ``<body>``,
    or at least :data:`MIN_BLOCK_TAGS` block-level tags (``<p>``, ``<div>``, ``<h1>``, ``<li>``...).

    A few inline tags (``<b>``, ``<i>``, ``<br>``, ``<a>``, ``<em>``) do not make plain text a page.

    Examples
    --------
    >>> looks_like_html("<p>Gempa mengguncang Bali.</p><p>Warga panik.</p>")
    True
    >>> looks_like_html("Gempa <a href='/x'>magnitudo 5</a> mengguncang Bali, suhu <30 derajat.")
    False
    """
    if not isinstance(text, str) or "<" not in text:
        return False
    if _DOCUMENT.search(text):
        return True
    blocks = 0
    for match in _TAG.finditer(text):
        if not match.group(1) and match.group(2).lower() in _BLOCK_TAGS:
            blocks += 1
            if blocks >= MIN_BLOCK_TAGS:
                return True
    return False


def strip_inline_tags(text: str) -> str:
    """Plain text without its tags: ``<br>`` and a closed paragraph end a line, other tags go, entities are
    decoded; the text's own line breaks stay. A text without tags is returned as it is.

    Examples
    --------
    >>> strip_inline_tags('<h1 class="jeg_post_title">Banjir Rendam Bekasi</h1>')
    'Banjir Rendam Bekasi'
    >>> strip_inline_tags("Harga naik 5% & turun <3 kali")
    'Harga naik 5% & turun <3 kali'
    """
    if "<" not in text or not _TAG.search(text):
        return text
    text = _DROPPED_ELEMENTS.sub(" ", text)

    def replace(match: re.Match) -> str:
        name = match.group(2).lower()
        if name in _LINE_ENDS and (name == "br" or match.group(1)):
            return "\n"
        return ""

    text = _html.unescape(_TAG.sub(replace, text))
    return "\n".join(_WS_RUN.sub(" ", line).strip() for line in text.split("\n")).strip("\n")


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


def page_fields(html: str) -> dict:
    """A page's text and what it says about itself: ``text``, ``title`` (``og:title``, JSON-LD ``headline`` or
    ``<title>`` with the site's name cut, else the first ``<h1>``), ``url``, ``meta_site`` and ``meta_date``
    (from the ``<head>`` only, never from the body's markup), and ``markup``: what the markup says of each line
    of ``text`` (:func:`kliping.io.blocks.html_blocks`, as :func:`markup_bytes`), which the cleaner's HTML
    line model reads; None for a page too deep for a tree.

    Examples
    --------
    >>> page = page_fields(
    ...     "<html><head><title>Banjir Rendam Bekasi - Kompas.com</title>"
    ...     "<link rel='canonical' href='https://megapolitan.kompas.com/read/2020/01/01/banjir'>"
    ...     "<meta property='article:published_time' content='2020-01-01T08:30:00+07:00'></head>"
    ...     "<body><h1>Megapolitan</h1><p>Hujan deras sejak pagi merendam Bekasi.</p></body></html>")
    >>> page["title"], page["meta_site"], page["meta_date"]
    ('Banjir Rendam Bekasi', 'kompas.com', '2020-01-01T08:30:00+07:00')
    >>> page["text"], len(page["markup"]) == 2 * markup_row_bytes()
    ('Megapolitan\\nHujan deras sejak pagi merendam Bekasi.', True)
    """
    from kliping.io.blocks import html_blocks
    from kliping.io.htmlmeta import head_metadata

    head = head_metadata(html)  # before the body is laid out
    blocks = html_blocks(html)
    return {
        "text": "\n".join(blocks.lines),
        "title": head["title"] or blocks.title,
        "url": head["url"],
        "meta_site": head["site"],
        "meta_date": head["published"],
        "markup": None if blocks.structure is None else markup_bytes(blocks.structure),
    }


def markup_row_bytes() -> int:
    """The bytes of one line's row in :func:`markup_bytes`."""
    from kliping.io.blocks import STRUCTURE_NAMES

    return 4 * len(STRUCTURE_NAMES)


def markup_bytes(structure) -> bytes:
    """A page's rows of :data:`kliping.io.blocks.STRUCTURE_NAMES` as bytes (float32), for a table column
    (parquet, Dask partitions); :func:`markup_rows` reads them back."""
    import numpy as np

    return np.ascontiguousarray(structure, dtype=np.float32).tobytes()


def markup_rows(value):
    """The rows :func:`markup_bytes` wrote (a float array, one row per line), None for anything else.

    Examples
    --------
    >>> import numpy as np
    >>> markup_rows(markup_bytes(np.ones((2, markup_row_bytes() // 4)))).shape == (2, markup_row_bytes() // 4)
    True
    >>> markup_rows(None) is None, markup_rows(b"abc") is None
    (True, True)
    """
    import numpy as np

    if not isinstance(value, bytes | bytearray | memoryview) or len(value) % markup_row_bytes():
        return None
    return np.frombuffer(value, dtype=np.float32).reshape(-1, markup_row_bytes() // 4).astype(float)
