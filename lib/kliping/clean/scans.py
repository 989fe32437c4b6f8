"""Running the lexicon's marker groups over a whole page at once, instead of line by line.

A page is scanned as one text (its lines joined by newlines): ``^``/``$`` anchor per line, no match crosses a
line end (:func:`kliping.clean.patterns.one_line`), and each "anywhere" pattern runs only on the lines that
hold one of its required literals, found for all groups in one Aho-Corasick pass (:class:`AnywhereScan`).
The lines found are those the per-line regex finds, several times faster.

Examples
--------
>>> text = "beranda\\nbaca juga: gempa di bali"
>>> sorted(lines_hit(re.compile("gempa"), text, starts_of([7, 24])))
[1]
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from kliping.clean.patterns import lower_literals, one_line, required_literals, without_captures

# An "anywhere" pattern that starts a word: a letter or digit, or a group of plain word alternatives.
_WORD_START = re.compile(r"^(?:\\b)?(?:[A-Za-z0-9]|\\d|\((?:[A-Za-z][^|()\\]*\|)*[A-Za-z][^|()\\]*\))")


def starts_of(lengths: list[int]) -> list[int]:
    """Offsets of the lines of a text whose lines have these lengths (joined by newlines)."""
    return list(itertools.accumulate(map((1).__add__, lengths[:-1]), initial=0)) if lengths else []


# A page has a few dozen matches at most: bisect in plain lists finds their lines faster than numpy's calls.
def lines_hit(pattern: re.Pattern | tuple, text: str, line_starts: list[int]) -> set[int]:
    """The lines of the page ``text`` (lines joined by newlines, starting at ``line_starts``) that hold a match
    of ``pattern`` (of any of a tuple of patterns)."""
    patterns = pattern if isinstance(pattern, tuple) else (pattern,)
    return {
        bisect.bisect_right(line_starts, match.start()) - 1 for pattern in patterns for match in pattern.finditer(text)
    }


def lines_count(patterns: tuple, text: str, line_starts: list[int]) -> list[int]:
    """How many matches of the ``patterns`` (together) each line of the page holds."""
    counts = [0] * len(line_starts)
    for pattern in patterns:
        for match in pattern.finditer(text):
            counts[bisect.bisect_right(line_starts, match.start()) - 1] += 1
    return counts


@dataclass(frozen=True)
class PageGroup:
    """One marker group, ready to run over a whole page.

    Whole-line patterns run over the page's short lines only (a widget line is short), line-start
    patterns over the first characters of each line, and each "anywhere" pattern carries the literal
    strings one of which any match must contain (lower case), so that a pattern runs only on the lines
    that hold one of its literals (:class:`AnywhereScan`).
    """

    whole_line: str | None
    line_start: str | None
    anywhere: tuple  # of (pattern, literals or None, starts_a_word)

    def any_case_hits(self, text: str, line_starts: list[int]) -> set[int]:
        """The lines of ``text`` (lines joined by newlines, not lower-cased) that hold an "anywhere" match."""
        return lines_hit(anywhere_regex(self, tuple(range(len(self.anywhere))), False), text, line_starts)


def compile_page_group(group: dict) -> PageGroup:
    """One marker group of the lexicon (its ``line``, ``start`` and ``anywhere`` patterns) as a :class:`PageGroup`.

    Examples
    --------
    >>> group = compile_page_group({"anywhere": [r"\\bhak cipta", "©"]})
    >>> group.anywhere
    (('hak cipta', frozenset({'hak cipta'}), True), ('©', None, False))
    """
    whole_line = r"^(?:" + "|".join(group["line"]) + r")\s*[:.!]?\s*$" if group.get("line") else None
    line_start = r"^(?:" + "|".join(group["start"]) + ")" if group.get("start") else None
    anywhere = []
    for pattern in group.get("anywhere", []):
        starts_word = bool(_WORD_START.match(pattern))
        body = re.sub(r"^\\b", "", pattern) if starts_word else pattern
        anywhere.append((body, required_literals(lower_literals(pattern)), starts_word))
    return PageGroup(whole_line, line_start, tuple(anywhere))


class AnywhereScan:
    """The "anywhere" patterns of several marker groups, to find in one pass over a lower-cased page.

    One Aho-Corasick automaton holds the literals of every pattern (:func:`literal_cover`); its hits
    over the page name, per group, the lines worth searching and the patterns worth searching them for
    (those whose literal the line holds). Patterns without a literal run over the whole page.
    """

    def __init__(self, groups: tuple):
        import ahocorasick

        self.groups = groups
        owners = {}  # literal -> group -> indices of the patterns it stands for
        for g, group in enumerate(groups):
            for i, cover in enumerate(literal_cover(group)):
                for literal in cover or ():
                    owners.setdefault(literal, {}).setdefault(g, []).append(i)
        self.automaton = ahocorasick.Automaton()
        for literal, by_group in owners.items():
            self.automaton.add_word(literal, (len(literal), tuple((g, tuple(i)) for g, i in by_group.items())))
        self.automaton.make_automaton()
        self.without_literal = tuple(
            anywhere_regex(group, tuple(i for i, cover in enumerate(literal_cover(group)) if cover is None), True)
            if None in literal_cover(group)
            else None
            for group in groups
        )
        self._regexes = {}  # (group, pattern indices) -> the regex of those patterns

    def hits(self, lower: str, starts: list[int], lengths: list[int]) -> list[set[int]]:
        """Per group, the lines of ``lower`` (lines of these ``lengths`` joined by newlines, starting at ``starts``)
        that hold a match.

        Each line is searched alone (``pos``/``endpos``: ``^``, ``$`` and ``\\b`` see the line ends, as in
        the line by itself).
        """
        wanted = {}  # (group, line) -> indices of the patterns to search the line for
        for end, (length, owners) in self.automaton.iter(lower):
            line = bisect.bisect_right(starts, end - length + 1) - 1
            for g, patterns in owners:
                wanted.setdefault((g, line), set()).update(patterns)
        hits = [set() if pattern is None else lines_hit(pattern, lower, starts) for pattern in self.without_literal]
        for (g, line), patterns in wanted.items():
            start = starts[line]
            if line not in hits[g] and self._regex(g, patterns).search(lower, start, start + lengths[line]):
                hits[g].add(line)
        return hits

    def _regex(self, g: int, patterns: set) -> re.Pattern:
        key = (g, tuple(sorted(patterns)))
        regex = self._regexes.get(key)
        if regex is None:
            regex = self._regexes[key] = anywhere_regex(self.groups[g], key[1], True)
        return regex


@lru_cache(maxsize=8)
def anywhere_scan(groups: tuple) -> AnywhereScan:
    """The :class:`AnywhereScan` of these groups (built once: the automaton takes a while)."""
    return AnywhereScan(groups)


@cache
def literal_cover(group: PageGroup) -> tuple:
    """Per "anywhere" pattern, the fewest strings one of which each match holds (``None``: unknown).

    A literal that holds another literal of the group needs no search of its own: where it is, the
    shorter one is too ("berkomentar", "komentar"). Searching these finds every line that can match.
    """
    every = {literal for _, literals, _ in group.anywhere if literals for literal in literals}
    minimal = {literal for literal in every if not any(other != literal and other in literal for other in every)}
    return tuple(
        None
        if literals is None
        else tuple(sorted({next(m for m in sorted(minimal) if m in literal) for literal in literals}))
        for _, literals, _ in group.anywhere
    )


@lru_cache(maxsize=4096)
def anywhere_regex(group: PageGroup, active: tuple, lower: bool) -> re.Pattern:
    """One page regex of the "anywhere" patterns ``active`` (indices) of a group; those that start a word
    share one leading ``\\b``, so that the engine tries them at word starts only."""
    word_start = [group.anywhere[i][0] for i in active if group.anywhere[i][2]]
    other = [group.anywhere[i][0] for i in active if not group.anywhere[i][2]]
    parts = ([r"\b(?:" + "|".join(word_start) + ")"] if word_start else []) + other
    return page_regex("|".join(f"(?:{p})" for p in parts), lower)


def line_regex(pattern: str | None, lower: bool) -> re.Pattern | None:
    """A page regex of a pattern anchored at line starts (``^...``), to run over ``"\\n" + page``.

    The ``^`` becomes the newline before each line: a literal first character lets the regex engine jump
    from line to line instead of trying every position of the page. A match starts where its line does
    in the page without that newline.
    """
    if pattern is None:
        return None
    if not pattern.startswith("^"):
        raise ValueError(f"not anchored at the line start: {pattern!r}")
    return page_regex("\n" + pattern[1:], lower)


def page_regex(pattern: str, lower: bool) -> re.Pattern:
    """A per-line pattern compiled to run over a page: for lower-cased text (its literals lower-cased, no case
    folding to pay), or for text in any case; its groups capture nothing (see
    :func:`~kliping.clean.patterns.without_captures`)."""
    pattern = without_captures(one_line(pattern))
    return (
        re.compile(lower_literals(pattern), re.MULTILINE)
        if lower
        else re.compile(pattern, re.IGNORECASE | re.MULTILINE)
    )
