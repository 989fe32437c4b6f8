"""Reading and rewriting the lexicon's regular expressions: the literals a match must hold, lower-cased
literals, patterns that stay on one line.

The lexicon (``data/clean_lexicon.json``) uses a small subset of Python's regex syntax: literal characters,
escapes (``\\b``, ``\\d``, ``\\s``, ``\\.``...), groups with ``|`` (plain, ``(?:`` and lookarounds), classes
``[...]`` and the quantifiers ``?``, ``*``, ``+`` and ``{m,n}``. :func:`required_literals` reads that subset with its
own small parser (no private module of Python's ``re``); anything else makes it answer "not known", which only
costs speed.
"""

from __future__ import annotations

import re

#: Literals shorter than this are too common to skip a pattern with.
MIN_LITERAL_CHARS = 3
#: At most this many literal strings per pattern (products of alternatives grow fast).
MAX_LITERALS = 64
#: Letters that, escaped, stand for a class or a position (``\\d``, ``\\b``...); other escapes are literal.
_SPECIAL_ESCAPES = frozenset("bBdDsSwWAZ")
#: The groups the parser reads: plain, non-capturing and the four lookarounds (longest first).
_GROUP_OPENINGS = ("(?<=", "(?<!", "(?:", "(?=", "(?!", "(")


# A parsed pattern is a list of items (a sequence); an item is one of
#   ("char", c)                       a literal character
#   ("set", chars or None)            a class: its characters when it is a plain short list, else None
#   ("other", None)                   an escape class, a position, "." or an anchor
#   ("group", [sequence, ...])        a group: its alternatives
#   ("repeat", (low, high, item))     a quantified item (high None: unbounded)
def _parse(pattern: str) -> list:
    """Parse a pattern of the lexicon's subset; ``ValueError`` when it is outside it."""
    items, end = _parse_alternatives(pattern, 0)
    if end != len(pattern):
        raise ValueError(f"unbalanced ')' in {pattern!r}")
    return [("group", items)] if len(items) > 1 else items[0]


def _parse_alternatives(pattern: str, i: int) -> tuple[list, int]:
    """The ``|``-separated sequences from ``i`` up to an unmatched ``)`` or the end."""
    alternatives, sequence = [], []
    while i < len(pattern) and pattern[i] != ")":
        char = pattern[i]
        if char == "|":
            alternatives.append(sequence)
            sequence, i = [], i + 1
            continue
        if char == "(":
            opening = next((o for o in _GROUP_OPENINGS if pattern.startswith(o, i)), None)
            if opening is None:
                raise ValueError(f"unsupported group in {pattern!r}")
            inner, i = _parse_alternatives(pattern, i + len(opening))
            if i >= len(pattern):
                raise ValueError(f"unclosed group in {pattern!r}")
            # A lookaround matches no text: like "\\b", it holds no literal of the match.
            item, i = ("group", inner) if opening in ("(", "(?:") else ("other", None), i + 1
        elif char == "[":
            item, i = _parse_class(pattern, i + 1)
        elif char == "\\":
            if i + 1 >= len(pattern):
                raise ValueError(f"trailing backslash in {pattern!r}")
            escaped = pattern[i + 1]
            if escaped.isalnum() and escaped not in _SPECIAL_ESCAPES:
                raise ValueError(f"unsupported escape in {pattern!r}")
            item, i = (("other", None) if escaped in _SPECIAL_ESCAPES else ("char", escaped)), i + 2
        elif char in ".^$":
            item, i = ("other", None), i + 1
        elif char in "?*+{":
            raise ValueError(f"nothing to repeat in {pattern!r}")
        else:
            item, i = ("char", char), i + 1
        item, i = _parse_quantifier(pattern, i, item)
        sequence.append(item)
    alternatives.append(sequence)
    return alternatives, i


def _parse_class(pattern: str, i: int) -> tuple[tuple, int]:
    """A class whose ``[`` is just before ``i``: its characters when it lists a few plain ones, else None."""
    negated = pattern[i : i + 1] == "^"
    i += negated
    chars, plain, first = [], not negated, True
    while i < len(pattern) and (pattern[i] != "]" or first):  # a "]" right after "[" or "[^" is a character
        first = False
        if pattern[i] == "\\" and i + 1 < len(pattern):
            plain = plain and not pattern[i + 1].isalnum()
            chars.append(pattern[i + 1])
            i += 2
        else:
            plain = plain and pattern[i] != "-"
            chars.append(pattern[i])
            i += 1
    if i >= len(pattern):
        raise ValueError(f"unclosed class in {pattern!r}")
    return ("set", tuple(dict.fromkeys(chars)) if plain and chars else None), i + 1


_QUANTIFIER = re.compile(r"\?|\*|\+|\{(\d*)(,?)(\d*)\}")


def _parse_quantifier(pattern: str, i: int, item: tuple) -> tuple[tuple, int]:
    match = _QUANTIFIER.match(pattern, i)
    if not match:
        return item, i
    text = match.group()
    if text.startswith("{"):
        low, comma, high = match.groups()
        low = int(low or 0)
        high = (int(high) if high else None) if comma else low
    else:
        low, high = {"?": (0, 1), "*": (0, None), "+": (1, None)}[text]
    lazy = pattern[match.end() : match.end() + 1] == "?"
    # A lazy "x??" is not read as an optional x: it is rare, and reading it otherwise is never wrong.
    return ("repeat", (low, high, item, lazy)), match.end() + lazy


def _exact(item: tuple) -> set | None:
    """The finite set of strings an item matches, or None."""
    kind, arg = item
    if kind == "char":
        return {arg}
    if kind == "group":
        options = [_exact_sequence(sequence) for sequence in arg]
        return None if any(o is None for o in options) else set().union(*options)
    if kind == "repeat":
        low, high, inner, lazy = arg
        if (low, high) == (0, 1) and not lazy:
            options = _exact(inner)
            return None if options is None else options | {""}
        return None
    if kind == "set" and arg is not None and len(arg) <= 4:
        return set(arg)
    return None


def _exact_sequence(items: list) -> set | None:
    strings = {""}
    for item in items:
        options = _exact(item)
        if options is None or len(strings) * len(options) > MAX_LITERALS:
            return None
        strings = {a + b for a in strings for b in options}
    return strings


def _required(items: list) -> frozenset | None:
    """Best literal set of a sequence: the runs of exact items, or what a group or repeated item requires."""
    candidates, run = [], {""}
    for item in items + [None]:
        options = _exact(item) if item is not None else None
        if options is not None and len(run) * len(options) <= MAX_LITERALS:
            run = {a + b for a in run for b in options}
            continue
        if run != {""}:
            candidates.append(frozenset(run))
        run = {""} if options is None else set(options)
        kind, arg = item if item is not None else (None, None)
        if kind == "group":
            branches = [_required(sequence) for sequence in arg]
            candidates.append(None if any(b is None for b in branches) else frozenset().union(*branches))
        elif kind == "repeat" and arg[0] >= 1:
            candidates.append(_required([arg[2]]))
    usable = [c for c in candidates if c and min(map(len, c)) >= MIN_LITERAL_CHARS]
    return max(usable, key=lambda c: min(map(len, c))) if usable else None


def required_literals(pattern: str) -> frozenset | None:
    """Strings one of which every match of ``pattern`` contains, or ``None`` when that is not known.

    Examples
    --------
    >>> sorted(required_literals(r"\\b(google|apple) (play|store)"))
    ['apple play', 'apple store', 'google play', 'google store']
    >>> sorted(required_literals(r"\\bads? x\\b"))
    ['ad x', 'ads x']
    >>> sorted(required_literals(r"\\d+\\s*(menit|jam|hari)\\s*(yang\\s*)?(lalu|yang lalu)\\b"))
    ['lalu', 'yang lalu']
    >>> required_literals(r"\\d+(st|nd)") is None, required_literals(r"(?P<kata>baca)") is None
    (True, True)
    """
    try:
        return _required(_parse(pattern))
    except ValueError:  # outside the subset: the pattern is never skipped
        return None


def lower_literals(pattern: str) -> str:
    """Lower-case a regex's literal letters, leaving escapes (``\\S``, ``\\W``, ``\\d``...) alone.

    Examples
    --------
    >>> lower_literals(r"\\bUU ITE\\b")
    '\\\\buu ite\\\\b'
    """
    return re.sub(r"\\.|[^\\]+", lambda m: m.group() if m.group().startswith("\\") else m.group().lower(), pattern)


def one_line(pattern: str) -> str:
    """Rewrite a per-line regex so that, run over a whole page, no match crosses a line end.

    ``\\s`` becomes "whitespace but not a newline" and ``[^...]`` classes exclude the newline;
    ``^``/``$`` are anchored per line by ``re.MULTILINE``.

    Examples
    --------
    >>> one_line(r"foto\\s*:[^)]*")
    'foto[^\\\\S\\\\n]*:[^\\\\n)]*'
    """
    out, i, in_class = [], 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            pair = pattern[i : i + 2]
            out.append((" \\t\\x0b\\x0c\\r\\xa0" if in_class else "[^\\S\\n]") if pair == "\\s" else pair)
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                out.append("[^\\n")
                i += 2
                continue
        elif char == "]" and in_class and out and out[-1] not in ("[", "[^\\n"):
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


def without_captures(pattern: str) -> str:
    """Make a regex's capturing groups non-capturing (``(`` -> ``(?:``); the page scans use only where a match
    starts, and the lexicon has no back-references (:func:`_parse` refuses ``\\1``).

    Python's engine skips an alternative whose first item is a literal that the text does not hold without
    entering it, but a capturing group opens with a mark, which it must enter: the lexicon's page regexes ran
    over the 2,692 distinct lines of the 30 DEV pages in 4.2 ms with ``(?:`` groups against 7.5 ms as written
    (2026-12-07), finding the same matches.

    Examples
    --------
    >>> without_captures(r"(baca|simak) (juga)?[(]x[^)(]\\([]()][^]()](?=a)")
    '(?:baca|simak) (?:juga)?[(]x[^)(]\\\\([]()][^]()](?=a)'
    """
    out, i, in_class = [], 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]" or out[-1] == "[" or out[-2:] == ["[", "^"]  # a "]" first in a class is a literal
        elif char == "[":
            in_class = True
        elif char == "(" and not pattern.startswith("(?", i):
            char = "(?:"
        out.append(char)
        i += 1
    return "".join(out)
