"""The boilerplate lexicon (``data/clean_lexicon.json``): function words and marker groups, compiled.

Each marker group ("read_also", "promo"...) lists Python regular expressions matched case-insensitively
against a stripped line: ``line`` patterns must match the whole line, ``start`` patterns its start,
``anywhere`` patterns anywhere in it. Each group is one 0/1 measure of a line (:mod:`kliping.clean.measures`)
and names the kind of a noise line (:mod:`kliping.clean.rules`).

Examples
--------
>>> lexicon = load_lexicon()
>>> bool(lexicon.markers["read_also"].search("Baca juga: Gempa di Bali"))
True
>>> "yang" in lexicon.function_words
True
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from kliping.clean.scans import compile_page_group, line_regex

_NOT_LETTERS = re.compile(r"[\d_]")


@dataclass(frozen=True)
class Lexicon:
    """The boilerplate markers of ``data/clean_lexicon.json``, compiled.

    ``page_markers`` maps each group to ``(page group, whole-line regex, line-start regex)`` for lower-cased
    pages, then the same two regexes for pages scanned in any case (see :mod:`kliping.clean.scans`).
    """

    function_words: frozenset  # lower case
    markers: dict  # group name -> compiled regex (one alternation over all its patterns), for one line
    page_markers: dict  # the same, to run over a whole page at once

    def __post_init__(self):
        # A normalised word has its digits as 0 and no "_": a function word with either would never be counted.
        if any(_NOT_LETTERS.search(word) for word in self.function_words):
            raise ValueError("function words are letters only (a normalised word has its digits as 0)")


def _compile_group(group: dict) -> re.Pattern:
    parts = []
    parts += [rf"(?:^(?:{p})\s*[:.!]?\s*$)" for p in group.get("line", [])]
    parts += [rf"(?:^(?:{p}))" for p in group.get("start", [])]
    parts += [rf"(?:{p})" for p in group.get("anywhere", [])]
    return re.compile("|".join(parts), re.IGNORECASE)


@cache
def load_lexicon(path: str | None = None) -> Lexicon:
    """Load the boilerplate lexicon (default: the one shipped in ``kliping/data``)."""
    if path is None:
        raw = resources.files("kliping").joinpath("data/clean_lexicon.json").read_text(encoding="utf-8")
    else:
        raw = Path(path).read_text(encoding="utf-8")
    data = json.loads(raw)
    markers = {name: _compile_group(group) for name, group in data["markers"].items()}
    page_markers = {}
    for name, group in data["markers"].items():
        page_group = compile_page_group(group)
        page_markers[name] = (
            page_group,
            line_regex(page_group.whole_line, True),
            line_regex(page_group.line_start, True),
            line_regex(page_group.whole_line, False),
            line_regex(page_group.line_start, False),
        )
    return Lexicon(frozenset(w.lower() for w in data["function_words"]["words"]), markers, page_markers)
