"""A page's blocks, one line each, with what its markup says of every one: element, ancestors, class words, links.

:func:`html_to_text` keeps only the text; the line model from HTML (:mod:`kliping.clean.markup_features`) also
wants to know that a line sits in ``<nav>`` or in ``<div class="related-posts">``, that most of its characters
are link text, how deep it is, and whether it lies in the element that holds the page's densest run of
paragraphs. :func:`html_blocks` walks the lxml tree once without recursion (``etree.iterwalk``), a line ending
at every block element as in :mod:`kliping.io.deep_html`, and returns the lines with one row of
:data:`STRUCTURE_NAMES` per line. A page deeper than lxml builds gets no structure (its text is laid out by
:func:`kliping.io.deep_html.flat_text` and cleaned as text).

Examples
--------
>>> blocks = html_blocks(
...     "<html><body><nav><a href='/'>Beranda</a> <a href='/n'>Nasional</a></nav><article>"
...     "<h1>Gempa di Bali</h1><p>Gempa magnitudo 5 mengguncang Bali, <a href='/x'>warga</a> berlarian.</p>"
...     "</article><div class='related-posts'><a href='/y'>Banjir di Bekasi</a></div></body></html>")
>>> blocks.lines
['Beranda Nasional', 'Gempa di Bali', 'Gempa magnitudo 5 mengguncang Bali, warga berlarian.', 'Banjir di Bekasi']
>>> [bool(row[STRUCTURE_NAMES.index("in_nav")]) for row in blocks.structure]
[True, False, False, False]
>>> [bool(row[STRUCTURE_NAMES.index("class_related")]) for row in blocks.structure]
[False, False, False, True]
>>> round(float(blocks.structure[2, STRUCTURE_NAMES.index("link_share")]), 2), blocks.title
(0.1, 'Gempa di Bali')
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from kliping.io.deep_html import BLOCK_TAGS
from kliping.io.text import _WS_RUN, _ZERO_WIDTH

#: Elements whose content is never article text (as :data:`kliping.io.markup._HTML_DROP`), and form controls.
DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "head", "button", "select", "textarea")

# Ancestors that say where a block is: flag name -> the tags that set it.
_ANCESTOR_TAGS = {
    "in_article": ("article",),
    "in_main": ("main",),
    "in_nav": ("nav", "menu"),
    "in_aside": ("aside",),
    "in_footer": ("footer",),
    "in_header": ("header",),
    "in_form": ("form",),
    "in_list": ("li", "dd", "dt"),
    "in_table": ("td", "th"),
    "in_figure": ("figure", "figcaption"),
    "in_blockquote": ("blockquote",),
}
# Words of class and id attributes (any ancestor's), in groups: a whole word of the attribute (split at
# non-letters and case changes) or, for the longer ones, a part of one ("relatedposts").
_CLASS_WORDS = {
    "class_body": "article artikel content konten body post entry story text txt detail isi read main",
    "class_related": "related terkait recommended recommendation rekomendasi popular populer terpopuler trending "
    "more lainnya also baca most read-also readmore latest terbaru terkini",
    "class_share": "share sharing social sosmed facebook twitter whatsapp follow",
    "class_comment": "comment comments komentar disqus respond reply replies discussion",
    "class_promo": "ad ads advert advertisement iklan banner promo sponsor sponsored newsletter subscribe signup "
    "subscription widget sidebar outbrain taboola dfp gpt",
    "class_nav": "nav navbar navigation menu breadcrumb breadcrumbs footer header masthead topbar pagination pager "
    "tags tag topics copyright",
    "class_byline": "byline author penulis editor reporter meta date time timestamp dateline credit caption",
}
#: The columns of :attr:`Blocks.structure`, in order.
STRUCTURE_NAMES = (
    *_ANCESTOR_TAGS,
    "hidden",
    "tag_p",
    "tag_heading",
    "tag_li",
    "tag_cell",
    *_CLASS_WORDS,
    "link_share",
    "log_depth",
    "in_best_block",
)
_BIT = {name: 1 << k for k, name in enumerate(STRUCTURE_NAMES[: len(_ANCESTOR_TAGS) + 1 + 4 + len(_CLASS_WORDS)])}
_TAG_BITS = {}
for _name, _tags in _ANCESTOR_TAGS.items():
    for _tag in _tags:
        _TAG_BITS[_tag] = _TAG_BITS.get(_tag, 0) | _BIT[_name]
_OWN_TAG = {"p": "tag_p", "li": "tag_li", "dd": "tag_li", "dt": "tag_li", "td": "tag_cell", "th": "tag_cell"}
_OWN_TAG.update((f"h{k}", "tag_heading") for k in range(1, 7))
_OWN_MASK = sum(_BIT[name] for name in ("tag_p", "tag_heading", "tag_li", "tag_cell"))
_CLASS_MASK = sum(_BIT[name] for name in _CLASS_WORDS)
_TAGS_MASK = ~_CLASS_MASK
_NOT_PARAGRAPH_MASK = sum(_BIT[name] for name in ("tag_heading", "in_nav", "in_header", "in_footer", "in_aside"))
#: Class words count from the block and this many levels above it, and never from ``<html>`` or ``<body>``: a
#: page-wide class (``<div class="page comments-on sharing">`` around everything) marked every line of a page
#: "comment" and "share", and its paragraphs were cut (readability-lazy-image-2: token F1 0.39).
CLASS_LEVELS = 5
_ATTR_WORD = re.compile(r"[a-z]+|[A-Z][a-z]*|[0-9]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# A paragraph of the page's main text, for the element that holds the densest run of them: at least this many
# words, at most this share of them link text.
_PARAGRAPH_WORDS, _PARAGRAPH_LINK_SHARE = 10, 0.35
# A word: a run of word characters, except in scripts written without spaces (Chinese, Japanese kana and
# kanji, Korean), where each character counts as one (a Chinese paragraph is otherwise one "word").
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")


class Blocks(NamedTuple):
    """A page's stripped non-empty lines, its title, and one row of :data:`STRUCTURE_NAMES` per line (None for a
    page too deep for a tree, whose lines are laid out without markup)."""

    lines: list
    title: str | None
    structure: np.ndarray | None


@lru_cache(maxsize=4096)
def count_words(line: str) -> int:
    """The words of a line, a character of Chinese, Japanese or Korean script counting as one.

    Examples
    --------
    >>> count_words("Gempa di Bali"), count_words("日本の首都は東京です。")
    (3, 10)
    """
    return len(WORD.findall(line))


def _class_bits(value: str) -> int:
    """The class-word groups an attribute value (class and id joined) names."""
    words = {w.lower() for w in _ATTR_WORD.findall(value)}
    lowered = value.lower()
    bits = 0
    for name, group in _CLASS_WORDS.items():
        for word in group.split():
            if word in words or (len(word) >= 6 and word in lowered):
                bits |= _BIT[name]
                break
    return bits


def _own_bits(element, tag: str) -> int:
    bits = _TAG_BITS.get(tag, 0)
    if tag in _OWN_TAG:
        bits |= _BIT[_OWN_TAG[tag]]
    attrib = element.attrib
    if attrib:
        names = (attrib.get("class") or "") + " " + (attrib.get("id") or "")
        if names.strip():
            bits |= _class_bits(names)
        if "hidden" in attrib or attrib.get("aria-hidden") == "true" or _HIDDEN_STYLE.search(attrib.get("style", "")):
            bits |= _BIT["hidden"]
    return bits


class _Walk:
    """The state of one walk: the open line and the lines done."""

    def __init__(self):
        self.lines, self.bits, self.links, self.depths = [], [], [], []
        self.pieces, self.linked, self.line_bits, self.line_depth = [], 0, 0, 0

    def add(self, text: str, bits: int, depth: int, in_link: bool) -> None:
        if not self.pieces and not text.strip():
            return
        if not self.pieces:
            self.line_bits, self.line_depth = bits, depth
        self.pieces.append(text)
        if in_link:
            self.linked += len(text.strip())

    def flush(self) -> None:
        if not self.pieces:
            return
        line = _WS_RUN.sub(" ", " ".join(_ZERO_WIDTH.sub("", "".join(self.pieces)).split())).strip()
        if line:
            self.lines.append(line)
            self.bits.append(self.line_bits)
            self.links.append(min(self.linked / len(line), 1.0))
            self.depths.append(self.line_depth)
        self.pieces, self.linked = [], 0


def html_blocks(html: str) -> Blocks:
    """The lines of an HTML page (a line per block, scripts, styles, forms' controls and ``<head>`` left out),
    its title (first ``<h1>``, else ``<title>``) and each line's :data:`STRUCTURE_NAMES`."""
    import lxml.html
    from lxml import etree

    from kliping.io.deep_html import flat_text

    if not html.strip():
        return Blocks([], None, np.zeros((0, len(STRUCTURE_NAMES))))
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)  # lxml refuses str input that declares its own encoding
    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    tree = lxml.html.fromstring(html, parser=parser)
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        text, title = flat_text(html)  # deeper than lxml builds: no tree, so no structure
        return Blocks(text.split("\n") if text else [], title, None)
    title = html_title(tree)
    for element in list(tree.iter(*DROP_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    walk, ranges = _walk(etree.iterwalk(tree, events=("start", "end")))
    return Blocks(walk.lines, title, _structure(walk, ranges))


def html_title(tree) -> str | None:
    """A parsed page's first non-empty ``<h1>``, else its ``<title>``."""
    for xpath in ("//h1", "//title"):
        for element in tree.xpath(xpath):
            title = _WS_RUN.sub(" ", element.text_content()).strip()
            if title:
                return title
    return None


def _walk(events) -> tuple[_Walk, list]:
    """Lines and their markup from lxml's start/end events; the line range of every element that holds lines."""
    walk = _Walk()
    stack = [0]  # the bits in force: the element's own, its ancestors' tags, its near ancestors' class words
    own = [0]  # each open element's own class-word bits
    links = 0
    starts, ranges = [], []
    for event, element in events:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            block = tag in BLOCK_TAGS
            if block:
                walk.flush()
            # A block's own tag is a property of that line only, not of blocks inside it.
            bits = _own_bits(element, tag) if tag and tag not in ("html", "body") else 0
            own.append(bits & _CLASS_MASK)
            near = 0
            for ancestor in own[-CLASS_LEVELS:]:
                near |= ancestor
            stack.append((stack[-1] & _TAGS_MASK & ~_OWN_MASK) | bits | near)
            if tag == "a":
                links += 1
            starts.append(len(walk.lines))
            if element.text:
                walk.add(element.text, stack[-1], len(stack), links > 0)
        else:
            if tag in BLOCK_TAGS:
                walk.flush()
            first = starts.pop()
            if len(walk.lines) > first:
                ranges.append((first, len(walk.lines)))
            stack.pop()
            own.pop()
            if tag == "a":
                links -= 1
            if element.tail:
                walk.add(element.tail, stack[-1], len(stack), links > 0)
    walk.flush()
    return walk, ranges


def _structure(walk: _Walk, ranges: list) -> np.ndarray:
    """The rows of :data:`STRUCTURE_NAMES`; ``in_best_block`` marks the lines of the element whose paragraphs
    outweigh its other lines the most (each paragraph counts its words, every other line one plus its link
    words: a tree-shaped maximum-sum segment, so neither ``<body>`` nor one paragraph wins)."""
    n = len(walk.lines)
    rows = np.zeros((n, len(STRUCTURE_NAMES)))
    if not n:
        return rows
    bits = np.array(walk.bits, dtype=np.int64)
    for name, bit in _BIT.items():
        rows[:, STRUCTURE_NAMES.index(name)] = (bits & bit) != 0
    link = np.array(walk.links)
    rows[:, STRUCTURE_NAMES.index("link_share")] = link
    rows[:, STRUCTURE_NAMES.index("log_depth")] = np.log1p(walk.depths)
    words = np.array([count_words(line) for line in walk.lines], dtype=float)
    # A heading is no paragraph, nor is a line of a menu, masthead, footer or sidebar: a headline of ten words
    # counted as one made the whole <body> outweigh the one <p> of an article wrapped in <nav>, <h1>, <footer>,
    # and the menu above it was taken for body (9 of 20 CLICK-ID pages so wrapped).
    not_text = (bits & _NOT_PARAGRAPH_MASK) != 0
    paragraph = (words >= _PARAGRAPH_WORDS) & (link <= _PARAGRAPH_LINK_SHARE) & ~not_text
    weight = np.where(paragraph, words, -(1.0 + words * link))
    total = np.concatenate(([0.0], np.cumsum(weight)))
    if ranges:
        spans = np.array(ranges)
        best = int(np.argmax(total[spans[:, 1]] - total[spans[:, 0]]))
        first, stop = ranges[best]
        rows[first:stop, STRUCTURE_NAMES.index("in_best_block")] = 1.0
    return rows
