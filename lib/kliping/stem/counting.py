"""Tokenize a whole corpus into numbers: every distinct surface token once, every token as its number.

The stem stage needs each distinct token's count (which words to stem, which are proper nouns) and each text's
tokens mapped to stems. Both come from :class:`CorpusTokens`: ``surface[codes[...]]`` are the tokens, so the
counts are one ``np.bincount`` and the mapping one numpy indexing, and the parent process never holds millions of
token strings. On a large corpus the texts are tokenized in a process pool (:func:`tokenize_corpus`), the same
pool that then stems the new words (:func:`kliping.stem.corpus.stem_corpus`).

Measured on the 22,136 CLICK-ID articles (37.6 M characters, 5.2 M tokens, CPU seconds of one process): tokenizing
3.6 s, of which 2.4 s is the regular expression itself; counting with a ``Counter`` 1.4 s and numbering each token
with a ``dict`` 1.7 s more, where ``pandas.factorize`` does both in 1.3 s.

Examples
--------
>>> corpus = tokenize_corpus(["Banjir di Bekasi. Warga Bekasi mengungsi.", "Banjir lagi"])
>>> corpus.surface, corpus.codes.tolist(), corpus.lengths.tolist()
(['Banjir', 'di', 'Bekasi', 'Warga', 'mengungsi', 'lagi'], [0, 1, 2, 3, 2, 4, 0, 5], [6, 2])
>>> corpus.counts([True, False]), corpus.at_start
(Counter({'Bekasi': 2, 'Banjir': 1, 'di': 1, 'Warga': 1, 'mengungsi': 1}), Counter({'Banjir': 2, 'Warga': 1}))
"""

from __future__ import annotations

import re
import sys
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, compress, count

import numpy as np
from tqdm import tqdm  # plain bars: no ipywidgets warning in notebooks

from kliping.stem.tokens import tokenize

#: Below this many characters a corpus is tokenized in this process (a pool's start costs more than it saves).
PARALLEL_MIN_CHARACTERS = 2_000_000
#: Texts per task of the pool: small enough that two busy workers finish close together on a noisy machine.
TEXTS_PER_TASK = 1_000
#: Runs handed to the pool before the first is collected: enough to keep a few workers busy.
RUNS_AHEAD = 8

# The first word of a sentence or paragraph (its capital says nothing about being a name).
_OPENING = r"[\s,;“”\"'‘’()\-–—]*([^\W\d_][\w'’-]*)"
_SENTENCE_START = re.compile(r"[.!?…\n]" + _OPENING)
_TEXT_START = re.compile(_OPENING)


def sentence_starts(texts: Iterable[str]) -> Counter:
    """How often each word opens a sentence, a paragraph or a text (its capital there says nothing).

    Counts add up over parts of a corpus, so the distributed path (:mod:`kliping.scale`) sums them per partition.

    Examples
    --------
    >>> sentence_starts(["Banjir di Bekasi. Warga mengungsi.", "Warga kota"])
    Counter({'Warga': 2, 'Banjir': 1})
    """
    at_start = Counter()
    for text in texts:
        at_start.update(_SENTENCE_START.findall(text))
        first = _TEXT_START.match(text)
        if first:
            at_start[first.group(1)] += 1
    return at_start


class Texts(Sequence):
    """A corpus's texts as the stem stage reads them: a text that is not a string (None, NaN) or is not ``kept`` (a
    language that gets no words) is ``""``; read a slice at a time from ``texts``, a sequence that may make its
    texts when read (:class:`kliping.base.articles.StemTexts`).

    Examples
    --------
    >>> texts = Texts(["Banjir di Bekasi", None, "The flood"], [True, True, False])
    >>> len(texts), texts[0], texts[1:], list(texts)
    (3, 'Banjir di Bekasi', ['', ''], ['Banjir di Bekasi', '', ''])
    """

    def __init__(self, texts, kept):
        self.texts, self.kept = texts, kept

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, index):
        if isinstance(index, slice):
            pairs = zip(self.texts[index], self.kept[index])
            return [text if ok and isinstance(text, str) else "" for text, ok in pairs]
        text = self.texts[index]
        return text if self.kept[index] and isinstance(text, str) else ""

    def __iter__(self):
        for start in range(0, len(self), TEXTS_PER_TASK):
            yield from self[start : start + TEXTS_PER_TASK]


@dataclass
class CorpusTokens:
    """A corpus's tokens as numbers: ``surface[codes[offsets[i]:offsets[i + 1]]]`` are :func:`tokenize` of text i.

    ``surface`` holds each distinct token once, in the order of its first appearance in the corpus; ``at_start``
    counts the sentence starts of the Indonesian texts (:func:`sentence_starts`).
    """

    codes: np.ndarray  # int32, all texts' tokens one after the other
    lengths: np.ndarray  # int64, tokens per text
    surface: list
    at_start: Counter

    def counts(self, chosen) -> Counter:
        """How often each surface token occurs in the texts where ``chosen`` is true, in the order of first
        appearance in those texts (as ``Counter`` of their tokens one after the other gives them)."""
        chosen = np.asarray(chosen, dtype=bool)
        everything = bool(chosen.all())
        codes = self.codes if everything else self.codes[np.repeat(chosen, self.lengths)]
        counts = np.bincount(codes, minlength=len(self.surface))
        if everything:  # the surface tokens are numbered in their order of first appearance in the corpus
            present = np.flatnonzero(counts)
        else:
            present, first = np.unique(codes, return_index=True)
            present = present[np.argsort(first, kind="stable")]
        surface = self.surface
        return Counter(dict(zip([surface[code] for code in present.tolist()], counts[present].tolist())))


def _number_chunk(texts: list[str], indonesian: list[bool]):
    """Worker: one run of texts as ``(codes, lengths, distinct tokens, sentence starts of the Indonesian ones)``
    (module level, so a process pool can pickle it)."""
    tokenized = [tokenize(text) for text in texts]
    lengths = np.fromiter(map(len, tokenized), dtype=np.int64, count=len(tokenized))
    # Each token's number is the place of its first occurrence (setdefault over one running count, mapped in C:
    # no object array, no Python step per token), then the places are ranked: numbers in order of first
    # appearance, as pandas.factorize gave them (flattening and factorize took 1.35 s of the 22k's 4.0 s here).
    first: dict[str, int] = {}
    places = np.fromiter(map(first.setdefault, chain.from_iterable(tokenized), count()), np.int64, int(lengths.sum()))
    return _ranks(first, len(places))[places], lengths, list(first), sentence_starts(compress(texts, indonesian))


def _ranks(numbers: dict, handed: int) -> np.ndarray:
    """Each of ``handed`` numbers given out in rising order with gaps (``numbers``' values, as inserted): its rank
    among those kept, the token numbers in order of first appearance without the gaps."""
    rank = np.zeros(handed, dtype=np.int32)
    rank[np.fromiter(numbers.values(), np.int64, len(numbers))] = np.arange(len(numbers), dtype=np.int32)
    return rank


def tokenize_corpus(texts: list[str], indonesian=None, pool=None, progress: bool = False) -> CorpusTokens:
    """:func:`tokenize` every text and number the tokens (see :class:`CorpusTokens`), in ``pool`` when given.

    Parameters
    ----------
    texts : list of str
        The corpus.
    indonesian : list of bool, optional
        Whose sentence starts to count (default: all texts).
    pool : concurrent.futures.Executor, optional
        Runs of :data:`TEXTS_PER_TASK` texts are tokenized there; the parts are joined in order, so the result is
        the same as without a pool.
    progress : bool
        A tqdm bar (stderr) over the runs.

    Examples
    --------
    >>> tokenize_corpus(["KOMPAS.com - Banjir", ""]).surface
    ['KOMPAS.com', 'Banjir']
    """
    indonesian = [True] * len(texts) if indonesian is None else list(indonesian)
    size = TEXTS_PER_TASK  # also without a pool: only one run's token lists are alive at once (221k: ~2 GB)
    runs = ((texts[i : i + size], indonesian[i : i + size]) for i in range(0, len(texts), size))
    parts = _in_order(pool, runs) if pool is not None else (_number_chunk(*run) for run in runs)
    n_runs = -(-len(texts) // size)
    parts = tqdm(parts, total=n_runs, desc="tokenizing", unit="run", disable=not progress, file=sys.stderr)
    # Each run's distinct tokens come in their order of first appearance, and the runs in text order: numbering
    # them one run after the other gives the corpus's order of first appearance. A run's strings are dropped as soon
    # as they are numbered (all runs' at once were ~3 M strings for the 221k perturbed articles).
    # A token new to ``numbers`` gets the next number of one count that runs over every run's distinct tokens, the
    # known ones too (``map`` of ``setdefault``: no Python step per token, 0.5 s -> 0.05 s on the 22k); the numbers
    # so given rise in order of first appearance with gaps, closed at the end by their rank.
    numbers: dict[str, int] = {}
    handed = 0  # numbers handed out so far, gaps included
    codes, lengths, at_start = [], [], Counter()
    for part_codes, part_lengths, distinct, starts in parts:
        mine = np.fromiter(map(numbers.setdefault, distinct, count(handed)), np.int64, len(distinct))
        handed += len(distinct)
        codes.append(mine[part_codes].astype(np.int32))
        lengths.append(part_lengths)
        at_start.update(starts)
    if not lengths:
        return CorpusTokens(np.zeros(0, np.int32), np.zeros(0, np.int64), [], Counter())
    rank = _ranks(numbers, handed)
    ranked, end = np.empty(sum(map(len, codes)), np.int32), 0
    for part in codes:  # a run at a time: no int64 array of every token
        ranked[end : end + len(part)] = rank[part]
        end += len(part)
    return CorpusTokens(ranked, np.concatenate(lengths), list(numbers), at_start)


def _in_order(pool, runs):
    """``pool.map(_number_chunk, ...)`` over ``runs``, at most :data:`RUNS_AHEAD` runs handed out at a time (``map``
    hands them all out at once, so every text of a lazy corpus would be made at once)."""
    waiting = deque()
    for run in runs:
        waiting.append(pool.submit(_number_chunk, *run))
        if len(waiting) >= RUNS_AHEAD:
            yield waiting.popleft().result()
    while waiting:
        yield waiting.popleft().result()
