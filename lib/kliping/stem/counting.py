"""Tokenize a whole corpus into numbers: every distinct surface token once, every token as its number.

The stem stage needs each distinct token's count (which words to stem, which are proper nouns) and each text's
tokens mapped to stems. Both come from :class:`CorpusTokens`: ``surface[codes[...]]`` are the tokens, so the
counts are one ``np.bincount`` and the mapping one numpy indexing, and the parent process never holds millions of
token strings. On a large corpus the texts are cut into units (:func:`kliping.stem.tokens.text_units`) in a process
pool (:func:`tokenize_corpus`), the same pool that then stems the new words
(:func:`kliping.stem.corpus.stem_corpus`); the parent tokenizes each distinct unit once
(:func:`kliping.stem.tokens.unit_tokens`).

Measured on the 22,136 CLICK-ID articles (37.6 M characters, 5.2 M tokens, CPU seconds of one process): tokenizing
and numbering 2.1-2.8 s over whole columns with Arrow's kernels, where Python's ``re.findall`` per text and a
``dict`` number per token took 6.1-6.5 s.

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
from itertools import compress

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from tqdm import tqdm  # plain bars: no ipywidgets warning in notebooks

from kliping.stem.tokens import TextUnits, text_units, unit_tokens

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
    """A corpus's tokens as numbers: ``surface[codes[offsets[i]:offsets[i + 1]]]`` are
    :func:`kliping.stem.tokens.tokenize` of text i.

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


def _number_chunk(texts: list[str], indonesian: list[bool]) -> tuple[TextUnits, Counter]:
    """Worker: one run of texts as units (:func:`kliping.stem.tokens.text_units`) and the sentence starts of the
    Indonesian ones (module level, so a process pool can pickle it)."""
    units = text_units(texts)
    pa.default_memory_pool().release_unused()  # see tokenize_corpus
    return units, sentence_starts(compress(texts, indonesian))


def tokenize_corpus(texts: list[str], indonesian=None, pool=None, progress: bool = False) -> CorpusTokens:
    """:func:`kliping.stem.tokens.tokenize` every text and number the tokens (see :class:`CorpusTokens`), in
    ``pool`` when given.

    Parameters
    ----------
    texts : list of str
        The corpus.
    indonesian : list of bool, optional
        Whose sentence starts to count (default: all texts).
    pool : concurrent.futures.Executor, optional
        Runs of :data:`TEXTS_PER_TASK` texts are cut into units there; the parts are joined in order, so the result
        is the same as without a pool.
    progress : bool
        A tqdm bar (stderr) over the runs.

    Examples
    --------
    >>> tokenize_corpus(["KOMPAS.com - Banjir", ""]).surface
    ['KOMPAS.com', 'Banjir']
    """
    indonesian = [True] * len(texts) if indonesian is None else list(indonesian)
    size = TEXTS_PER_TASK  # also without a pool: only one run's texts are alive at once as a column
    runs = ((texts[i : i + size], indonesian[i : i + size]) for i in range(0, len(texts), size))
    parts = _in_order(pool, runs) if pool is not None else (_number_chunk(*run) for run in runs)
    n_runs = -(-len(texts) // size)
    units, at_start = [], Counter()
    with tqdm(parts, total=n_runs, desc="tokenizing", unit="run", disable=not progress, file=sys.stderr) as parts:
        for part, starts in parts:  # the bar closed when Ctrl-C stops it too (see stem_vocabulary)
            units.append(part)
            at_start.update(starts)
    if not units:
        return CorpusTokens(np.zeros(0, np.int32), np.zeros(0, np.int64), [], Counter())
    # Each run's distinct units come in their order of first appearance, and the runs in text order: one dictionary
    # encoding of them all numbers the corpus's distinct units in their order of first appearance (in C++).
    joined = pc.dictionary_encode(pa.concat_arrays([part.distinct for part in units]))
    number = joined.indices.to_numpy().astype(np.int32, copy=False)
    words = unit_tokens(joined.dictionary)
    codes, lengths, first = [], [], 0
    units.reverse()
    while units:  # a run at a time (no int64 array of every token), each run's units dropped once mapped
        part = units.pop()
        mine = number[first : first + len(part.distinct)]
        first += len(part.distinct)
        part_codes, part_lengths = words.tokens_of(mine[part.codes], part.counts)
        codes.append(part_codes)
        lengths.append(part_lengths)
    # Arrow's allocator (mimalloc) keeps freed pages for reuse: 130 MB on the 22k after the runs, given back here
    # (the process's resident memory after tokenizing the 22k serially: 417 MB kept, 285 MB given back; 264 MB for
    # the tokenizer before, in Python's re).
    pa.default_memory_pool().release_unused()
    return CorpusTokens(np.concatenate(codes), np.concatenate(lengths), words.surface, at_start)


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
