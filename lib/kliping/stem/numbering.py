"""Tokens as numbers mapped to words: each surface token's number (:class:`~kliping.stem.counting.CorpusTokens`)
through a language's table of stems, with numpy, not a lookup per token.

The stem stage (:func:`kliping.stem.corpus.stem_corpus`) and the distributed one (:mod:`kliping.partitions.tasks`)
map their tokens with :func:`number_tokens`, so the vectorize stage counts word numbers and no string is looked up
twice. The token lists of the texts (:class:`TokenLists`) are made from the numbers when they are read.

Examples
--------
>>> from kliping.stem.counting import tokenize_corpus
>>> number_tokens(tokenize_corpus(["Banjir di Bekasi"]), ["id"], {"id": {"Banjir": "banjir"}}).token_lists()
[['banjir']]
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np
import pandas as pd

from kliping.stem.counting import CorpusTokens, tokenize_corpus  # noqa: F401 (tokenize_corpus: doctest)

#: Tokens mapped in one step of :func:`number_tokens`: its temporaries stay a few tens of MB. Mapped all at once,
#: the 221k perturbed articles' 53 M tokens made five int64 arrays of 0.4 GB each, alive together.
STEP_TOKENS = 4_000_000
#: Texts whose token lists one step of iterating :class:`TokenLists` makes at once.
STEP_TEXTS = 2_000


class TokenLists(Sequence):
    """Every text's tokens as a list of words, made from the word numbers when a text is read: the same lists as
    ``words[word_ids[offsets[i]:offsets[i + 1]]]``, without holding them all.

    The stem stage's result held every text's list at once (about 8 bytes a token plus a list per text, and an
    object array as large while they were made: 0.5 GB for the 221k perturbed articles), though the run reads only
    the numbers. It compares equal to the same lists, indexes (a slice gives a list), iterates and adds as a list.

    Examples
    --------
    >>> tokens = TokenLists(np.array([0, 1, 0], np.int32), np.array([0, 2, 2, 3]), ["banjir", "bekasi"])
    >>> tokens, len(tokens), tokens[-1], tokens[:2]
    ([['banjir', 'bekasi'], [], ['banjir']], 3, ['banjir'], [['banjir', 'bekasi'], []])
    >>> tokens == [["banjir", "bekasi"], [], ["banjir"]], tokens.lengths.tolist()
    (True, [2, 0, 1])
    """

    def __init__(self, word_ids: np.ndarray, offsets: np.ndarray, words: list):
        self.word_ids, self.offsets, self.words = word_ids, offsets, words
        self._words = np.array(words, dtype=object)  # the word of a number, looked up by numpy

    @property
    def lengths(self) -> np.ndarray:
        """Tokens per text."""
        return np.diff(self.offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        i = operator.index(index)
        i = i + len(self) if i < 0 else i
        if not 0 <= i < len(self):
            raise IndexError(f"text {index} of {len(self)}")
        return self._words[self.word_ids[self.offsets[i] : self.offsets[i + 1]]].tolist()

    def __iter__(self):
        offsets = self.offsets
        for first in range(0, len(self), STEP_TEXTS):
            last = min(first + STEP_TEXTS, len(self))
            start = offsets[first]
            words = self._words[self.word_ids[start : offsets[last]]]
            bounds = (offsets[first : last + 1] - start).tolist()
            for begin, end in zip(bounds[:-1], bounds[1:]):
                yield words[begin:end].tolist()

    def __eq__(self, other) -> bool:
        if not isinstance(other, (Sequence, np.ndarray)) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == list(b) for a, b in zip(self, other))

    __hash__ = None  # equal to a list, so unhashable as one

    def __add__(self, other):
        return list(self) + list(other)

    def __radd__(self, other):
        return list(other) + list(self)

    def __repr__(self) -> str:
        return repr(list(self))

    def __reduce__(self):  # pickled as its numbers, not as the lists
        return TokenLists, (self.word_ids, self.offsets, self.words)


@dataclass
class NumberedTokens:
    """Every text's tokens as word numbers: ``words[word_ids[offsets[i]:offsets[i + 1]]]`` are text i's."""

    word_ids: np.ndarray  # int32, all texts' tokens one after the other
    offsets: np.ndarray  # int64, len(texts) + 1
    words: list  # the word of each number

    def token_lists(self) -> TokenLists:
        """The tokens as lists of words, one per text (made when read: :class:`TokenLists`)."""
        return TokenLists(self.word_ids, self.offsets, self.words)


def number_tokens(corpus: CorpusTokens, modes: list[str], finals: dict) -> NumberedTokens:
    """Each text's tokens mapped through its language's table (``finals[mode]``: surface token -> word; a token
    missing is dropped), as numbers, without a per-token lookup.

    The tables are arrays over the corpus's surface-token numbers (:class:`~kliping.stem.counting.CorpusTokens`),
    and the mapping is numpy's, :data:`STEP_TOKENS` tokens at a time. Mapping each token of the 22k CLICK-ID
    articles through the table's dict, per text, took 7.4 s of the stem stage (profiled, loaded machine).

    Examples
    --------
    >>> numbered = number_tokens(tokenize_corpus(["Banjir di Bekasi", "Floods in"]), ["id", "en"],
    ...                          {"id": {"Banjir": "banjir", "Bekasi": "bekasi"}, "en": {"Floods": "floods"}})
    >>> numbered.token_lists(), numbered.word_ids.tolist(), numbered.offsets.tolist()
    ([['banjir', 'bekasi'], ['floods']], [0, 1, 2], [0, 2, 3])
    """
    surface = dict(zip(corpus.surface, range(len(corpus.surface))))
    # One row per language (id, en, none), one column per surface token: a token's word number, -1 when dropped.
    # The words are numbered in the order the tables' entries come, id then en (pandas.factorize, where a dict's
    # setdefault per entry took 0.5 s on the 22k).
    tables = np.full((3, len(surface) + 1), -1, dtype=np.int32)
    places, kept_words = [], []
    for mode in ("id", "en"):
        final = finals.get(mode, {})
        place = np.fromiter(map(surface.get, final, repeat(-1)), np.int64, len(final))
        kept = (place >= 0) & np.fromiter(map(bool, final.values()), bool, len(final))  # an empty word is no word
        places.append(place[kept])
        kept_words.append(np.array(list(final.values()), dtype=object)[kept])
    numbers, distinct = pd.factorize(np.concatenate(kept_words))
    words = distinct.tolist()
    tables[0, places[0]] = numbers[: len(places[0])]
    tables[1, places[1]] = numbers[len(places[0]) :]
    language = np.array([{"id": 0, "en": 1}.get(mode, 2) for mode in modes], np.int8)
    ids, lengths = corpus.codes, np.asarray(corpus.lengths, dtype=np.int64)
    starts = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    kept_ids, kept_counts = [], []
    first = 0
    while first < len(lengths):  # texts first..last-1, at most STEP_TOKENS tokens (or one longer text)
        last = max(int(np.searchsorted(starts, starts[first] + STEP_TOKENS, side="right")) - 1, first + 1)
        mapped = tables[np.repeat(language[first:last], lengths[first:last]), ids[starts[first] : starts[last]]]
        kept = mapped >= 0
        text = np.repeat(np.arange(last - first), lengths[first:last])
        kept_ids.append(mapped[kept])
        kept_counts.append(np.bincount(text[kept], minlength=last - first))
        first = last
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    if kept_counts:
        np.cumsum(np.concatenate(kept_counts), out=offsets[1:])
    word_ids = np.concatenate(kept_ids) if kept_ids else np.zeros(0, dtype=np.int32)
    return NumberedTokens(word_ids.astype(np.int32, copy=False), offsets, words)
