"""HTML of any depth to block-per-line text, for the pages lxml and inscriptis cannot lay out.

libxml2 stops building a tree 256 elements deep (2,048 with ``huge_tree``) and drops what lies deeper, and
inscriptis walks the tree recursively, so some 1,000 levels raise ``RecursionError``: a page of 100k nested
``<div>`` lost all its text, one of 400 unclosed ``<div><p>`` kept 254 lines. This reader keeps no tree: the
standard library's streaming parser emits text as it comes, a line break at every block element, so its
cost grows with the page's length whatever the nesting.

Examples
--------
>>> flat_text("<html><head><title>T</title></head><body>" + "<div>" * 5000 + "<p>Gempa di <b>Bali</b></p>"
...           "<script>x()</script><p>Warga mengungsi")
('Gempa di Bali\\nWarga mengungsi', 'T')
"""

from __future__ import annotations

from html.parser import HTMLParser

#: Elements that start a new line (as block elements in a browser).
BLOCK_TAGS = frozenset(
    "address article aside blockquote br caption dd details div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table td th tr ul".split()
)
#: Elements whose content is never article text (as ``io.pages._HTML_DROP``).
DROP_TAGS = frozenset(("script", "style", "noscript", "template", "iframe", "svg", "head"))


class _Flattener(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropping: list[str] = []  # open elements whose content is dropped
        self.title: list[str] = []
        self.h1: list[str] = []
        self.in_title = self.in_h1 = False

    def handle_starttag(self, tag, attrs):
        if tag in DROP_TAGS:
            self.dropping.append(tag)
        if tag == "title" and not self.title:
            self.in_title = True
        if tag == "h1" and not self.h1:
            self.in_h1 = True
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.dropping:
            while self.dropping and self.dropping.pop() != tag:
                pass
        if tag == "title":
            self.in_title = False
        if tag == "h1":
            self.in_h1 = False
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        if self.dropping:
            return
        if self.in_h1:
            self.h1.append(data)
        self.parts.append(data)


def flat_text(html: str) -> tuple[str, str | None]:
    """Block-per-line text and title (first ``<h1>``, else ``<title>``) of an HTML page of any depth."""
    from kliping.io.text import _WS_RUN, clean_lines

    parser = _Flattener()
    parser.feed(html)
    parser.close()
    text = clean_lines("".join(parser.parts))
    title = None
    for pieces in (parser.h1, parser.title):
        title = _WS_RUN.sub(" ", " ".join("".join(pieces).split())).strip() or None
        if title:
            break
    return text, title


def why_no_text(html: str) -> str:
    """Say why a page gave no text: what it holds instead (scripts, images, frames) or that it is empty markup.

    Examples
    --------
    >>> why_no_text("<html><body><script src=a.js></script><img src=b.png><img src=c.png></body></html>")
    'HTML page without visible text (it holds 1 <script>, 2 <img>; its text may be loaded by scripts or be in images)'
    """
    lowered = html.lower()
    held = [f"{lowered.count('<' + tag)} <{tag}>" for tag in ("script", "img", "iframe", "svg", "noscript")]
    held = [h for h in held if not h.startswith("0 ")]
    if not held:
        return "HTML page without visible text (only markup and whitespace)"
    return (
        f"HTML page without visible text (it holds {', '.join(held)}; "
        "its text may be loaded by scripts or be in images)"
    )
