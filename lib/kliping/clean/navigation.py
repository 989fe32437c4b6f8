"""Navigation lines: menus, breadcrumbs and the page's masthead, which are never the article.

The line model weighs many features, and on a short page a few of them can outweigh the markup: three CLICK-ID
articles wrapped alike (``<nav>Beranda | Berita | Olahraga</nav><h1>...</h1><p>...</p>``) got the menu and the
headline as body on 9 of 20 pages, because a headline of ten words or more counted as a paragraph for the
page's densest block (:mod:`kliping.io.blocks`), which then took in the whole ``<body>``. The line model is
not asked about navigation: a line that is not a paragraph (:data:`~kliping.clean.features.LONG_LINE_WORDS`
words with function words) is navigation when

* it stands above the page's headline (the line that repeats its title), when that headline stands above the
  article's first paragraph: 3 of the 2,290 such lines of the 116 HTML pages of the extraction benchmark are
  reference body, each a quirk of Readability's silver text (a section name, a photo credit);
* it lies inside ``<nav>``, ``<menu>``, ``<header>``, ``<footer>`` or ``<aside>`` (a page read from HTML): 15 of
  7,244 such lines there are reference body;
* it is a run of section names, two or more joined by ``>``, ``»`` or ``›`` (a breadcrumb) or three or more by
  ``|``, ``·``, ``•``, ``/`` or a dash (a menu), each of at most :data:`MENU_ITEM_WORDS` words.

Examples
--------
>>> [menu_line(line) for line in ("Beranda | Berita | Olahraga", "Home > News > Politik", "Skor 2 | 1")]
[True, True, False]
"""

from __future__ import annotations

import itertools
import re

import numpy as np

from kliping.clean.rules import LINE_MEMOS
from kliping.io.blocks import STRUCTURE_NAMES

#: A menu item or a crumb has at most this many words ("Sepak Bola Nasional").
MENU_ITEM_WORDS = 3
#: The markup's flags of a navigation block: ``<nav>``/``<menu>``, ``<header>``, ``<footer>``, ``<aside>``.
NAVIGATION_FLAGS = ("in_nav", "in_header", "in_footer", "in_aside")
# Menu separators: these anywhere, "/", ">" and dashes only with a space either side (dates, fractions, "a>b",
# "Ondel-Ondel").
_ANYWHERE, _SPACED = r"|\u00b7\u2022\u00bb\u203a", r"/>\-\u2013\u2014"
_MENU_SEPARATOR = re.compile(rf"\s*[{_ANYWHERE}]\s*|\s+[{_SPACED}]\s+")
_CRUMB_SEPARATOR = re.compile(r"[\u00bb\u203a]|\s>\s")
_ITEM_WORD = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"[.!?:;,]$")
#: A character that every menu separator holds (a line without one is no menu), to its line's end: one match a line.
_SEPARATOR_CHAR = re.compile(rf"[{_ANYWHERE}{_SPACED}][^\n]*")
#: The longest menu line (:func:`menu_line`).
MENU_MAX_CHARS = 200


@LINE_MEMOS.memoise
def menu_line(line: str) -> bool:
    """Whether a line is a run of section names: a breadcrumb of two or more or a menu of three or more.

    Examples
    --------
    >>> menu_line("Beranda · Nasional · Ekonomi"), menu_line("| Home | Berita | Video |"), menu_line("Home » Nasional")
    (True, True, True)
    >>> menu_line("Gempa Magnitudo 5 Guncang Bali | Kompas.com"), menu_line("Harga emas naik 9/12/2020")
    (False, False)
    >>> menu_line("Beranda - Nasional - Ekonomi"), menu_line("Persija - Persib"), menu_line("JAKARTA - Hujan deras.")
    (True, False, False)
    """
    if len(line) > MENU_MAX_CHARS or not _MENU_SEPARATOR.search(line):
        return False
    items = [item for item in _MENU_SEPARATOR.split(line) if item]
    if any(not 1 <= len(_ITEM_WORD.findall(item)) <= MENU_ITEM_WORDS or _SENTENCE_END.search(item) for item in items):
        return False
    return len(items) >= (2 if _CRUMB_SEPARATOR.search(line) else 3)


def menu_lines(lines: list[str], skip: np.ndarray) -> np.ndarray:
    """:func:`menu_line` of every line but those ``skip`` marks (False there), from one search over the text.

    Only a line of at most :data:`MENU_MAX_CHARS` characters that holds a separator's character is asked: on the
    30 DEV pages that is 462 of 5,429 lines; asking every line (a memo lookup and a numpy read each) took 13 of
    about 60 ms of their cleaning, 3.7 this way.

    Examples
    --------
    >>> menu_lines(["Beranda | Berita | Video", "Skor 2 | 1", "Beranda | Berita | Video"], np.array([0, 0, 1])).tolist()
    [True, False, False]
    """
    menu = np.zeros(len(lines), dtype=bool)
    lengths = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    asked = np.flatnonzero(~skip & (lengths <= MENU_MAX_CHARS)).tolist()
    if not asked:
        return menu
    asked_lines = [lines[i] for i in asked]
    starts = np.cumsum(lengths[asked] + 1) - lengths[asked] - 1
    found = np.searchsorted(starts, [hit.start() for hit in _SEPARATOR_CHAR.finditer("\n".join(asked_lines))], "right")
    for j in np.unique(found - 1).tolist():
        menu[asked[j]] = menu_line(asked_lines[j])
    return menu


def navigation_lines(
    lines: list[str],
    is_title: np.ndarray,
    paragraph: np.ndarray,
    structure: np.ndarray | None = None,
    menu: np.ndarray | None = None,
) -> np.ndarray:
    """Which lines of one page are navigation (see the module): ``is_title`` marks the lines that repeat its
    title, ``paragraph`` its paragraphs, ``structure`` (a page read from HTML) its rows of
    :data:`~kliping.io.blocks.STRUCTURE_NAMES`, ``menu`` its :func:`menu_lines` when known.

    Examples
    --------
    >>> lines = ["Beranda", "Nasional", "Banjir Rendam Bekasi", "Banjir merendam ratusan rumah di Bekasi pada Selasa."]
    >>> navigation_lines(lines, np.array([0, 0, 1, 0]), np.array([0, 0, 0, 1])).tolist()
    [True, True, False, False]
    """
    navigation = menu_lines(lines, np.asarray(paragraph, dtype=bool)) if menu is None else menu.copy()
    titles, paragraphs = np.flatnonzero(is_title), np.flatnonzero(paragraph)
    if len(titles) and (not len(paragraphs) or titles[0] < paragraphs[0]):
        navigation[: titles[0]] = True  # above the headline, and the headline above the article
    if structure is not None and len(structure):
        flags = [STRUCTURE_NAMES.index(name) for name in NAVIGATION_FLAGS]
        navigation |= structure[:, flags].any(axis=1)
    return navigation & ~np.asarray(paragraph, dtype=bool)


def pages_navigation(
    pages_lines: list[list[str]], is_title: np.ndarray, paragraph: np.ndarray, bounds: np.ndarray, structures=None
) -> np.ndarray:
    """:func:`navigation_lines` of several pages, their lines one after the other (page ``k`` holds lines
    ``bounds[k]`` to ``bounds[k + 1]``; ``structures``, per page, its rows of markup when read from HTML)."""
    menu = menu_lines(list(itertools.chain.from_iterable(pages_lines)), np.asarray(paragraph, dtype=bool))
    pages = [
        navigation_lines(
            lines,
            is_title[first:stop],
            paragraph[first:stop],
            None if structures is None else structures[k],
            menu[first:stop],
        )
        for k, (lines, first, stop) in enumerate(zip(pages_lines, bounds[:-1].tolist(), bounds[1:].tolist()))
    ]
    return np.concatenate(pages) if pages else np.zeros(0, dtype=bool)
