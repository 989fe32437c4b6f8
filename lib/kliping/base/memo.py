"""Bounded memos: remember what a pure function gave for a key, and forget it all in one call.

A stage that sees the same input again and again (a site's menus and footers on every page) keeps its
results in a :class:`BoundedMemo`; the memos of one stage belong to one :class:`MemoGroup`, which makes them
and empties them together. A memo never changes an output, only how long it takes.

Examples
--------
>>> memos = MemoGroup(max_items=100, max_key_chars=10)
>>> @memos.memoise
... def kata(line):
...     return len(line.split())
>>> kata("Baca juga"), kata("Baca juga: Gempa di Bali"), len(kata.memo)  # the long key is not remembered
(2, 5, 1)
>>> memos.clear(); len(kata.memo)
0
"""

from __future__ import annotations

import functools
import itertools

_MISSING = object()


class BoundedMemo(dict):
    """A dict that forgets its oldest quarter when it holds more than ``max_items`` (first in, first out).

    Keys longer than ``max_key_chars`` (when set) are never remembered: a long line is seldom seen twice.

    Examples
    --------
    >>> memo = BoundedMemo(max_items=4)
    >>> for word in ["satu", "dua", "tiga", "empat", "lima"]:
    ...     _ = memo.remember(word, len(word))
    >>> list(memo)  # at five, the two oldest went
    ['tiga', 'empat', 'lima']
    """

    def __init__(self, max_items: int, max_key_chars: int | None = None):
        super().__init__()
        self.max_items = max_items
        self.max_key_chars = max_key_chars
        self.owner = None

    def trim(self) -> None:
        """Forget the oldest entries down to three quarters of ``max_items``, when over it."""
        if len(self) > self.max_items:
            for key in list(itertools.islice(self, len(self) - self.max_items * 3 // 4)):
                del self[key]

    def remember(self, key, value):
        """Keep ``value`` for ``key`` (unless the key is too long) and return it."""
        if self.max_key_chars is None or len(key) <= self.max_key_chars:
            self[key] = value
            self.trim()
        return value

    def remember_all(self, pairs) -> None:
        """:meth:`remember` every ``(key, value)`` pair, trimming once at the end."""
        limit = self.max_key_chars
        for key, value in pairs:
            if limit is None or len(key) <= limit:
                self[key] = value
        self.trim()

    def owned_by(self, owner) -> BoundedMemo:
        """The memo, emptied first when its entries were made for another ``owner`` (e.g. another lexicon).

        The owner is compared by identity: the memo's values hold for the one object they were made with.

        Examples
        --------
        >>> memo, kamus_a, kamus_b = BoundedMemo(10), {"yang"}, {"yang"}
        >>> _ = memo.owned_by(kamus_a).remember("kata", 1)
        >>> len(memo.owned_by(kamus_a)), len(memo.owned_by(kamus_b))
        (1, 0)
        """
        if self.owner is not owner:
            self.clear()
            self.owner = owner
        return self


class MemoGroup:
    """The memos of one stage: made with the same bounds, emptied together by :meth:`clear`."""

    def __init__(self, max_items: int, max_key_chars: int | None = None):
        self.max_items = max_items
        self.max_key_chars = max_key_chars
        self._memos: list[BoundedMemo] = []

    def new(self) -> BoundedMemo:
        """A new, empty memo of this group."""
        memo = BoundedMemo(self.max_items, self.max_key_chars)
        self._memos.append(memo)
        return memo

    def memoise(self, function):
        """Wrap a function of one hashable argument with a memo of this group (``wrapped.memo``)."""
        memo = self.new()

        @functools.wraps(function)
        def remembered(key):
            value = memo.get(key, _MISSING)
            return memo.remember(key, function(key)) if value is _MISSING else value

        remembered.memo = memo
        return remembered

    def clear(self) -> None:
        """Forget everything every memo of the group remembers."""
        for memo in self._memos:
            memo.clear()

    def __iter__(self):
        return iter(self._memos)
