"""Stem a whole corpus: tokenize, drop stopwords, keep proper nouns whole and stem each distinct word once.

Each distinct word is stemmed once, in a process pool when the vocabulary is
large, and remembered in the on-disk cache (:mod:`kliping.stem.cache`).

Examples
--------
>>> stem_documents(["Perbankan syariah di Bali tumbuh.", ""])
[['bank', 'syariah', 'bali', 'tumbuh'], []]
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate, chain
from pathlib import Path

import numpy as np
from tqdm import tqdm  # plain bars: no ipywidgets warning in notebooks

from kliping.base.child_processes import interrupt_held, quiet_worker
from kliping.stem.cache import (
    cache_folder,
    corpus_cache_file,
    load_cache,
    read_arrays,
    save_cache,
    write_arrays_atomically,
)
from kliping.stem.counting import PARALLEL_MIN_CHARACTERS, CorpusTokens, Texts, sentence_starts, tokenize_corpus
from kliping.stem.languages import english_in_indonesian, english_table
from kliping.stem.numbering import NumberedTokens, number_tokens  # noqa: F401 (NumberedTokens: the stem stage's API)
from kliping.stem.resources import load_stopwords
from kliping.stem.stemmer import get_stemmer, stem_word  # noqa: F401 (stem_word: doctest)
from kliping.stem.tokens import token_kind, tokenize  # noqa: F401 (tokenize: doctest)

#: Below this many new words the process pool costs more than it saves.
PARALLEL_MIN_WORDS = 20_000
CHUNK_SIZE = 2_000


def _stem_chunk(words: list[str]) -> list[str]:
    """Worker: stem a chunk of words (module level so a process pool can pickle it)."""
    stemmer = get_stemmer()
    return [stemmer.stem(word) for word in words]


class WorkerPool(ProcessPoolExecutor):
    """A :class:`~concurrent.futures.ProcessPoolExecutor` whose workers leave Ctrl-C to this process
    (:func:`~kliping.base.child_processes.quiet_worker`), and whose ``with`` block, left by an error or Ctrl-C,
    cancels the tasks not begun and waits for the running ones only.

    A worker that got the terminal's SIGINT too printed its ``KeyboardInterrupt`` traceback, one per idle worker
    (the 22k CLICK-ID articles' run interrupted at the end of its stem stage printed 41 lines, 2026-12-07). A
    worker ignoring it finishes its task: a run of texts or a chunk of words, a fraction of a second.
    """

    def __init__(self, n_jobs: int):
        # Workers exit when this process dies (kill -9 once left them blocked on a pipe, 0.8 GB each, for good).
        super().__init__(max_workers=n_jobs, initializer=quiet_worker, initargs=(os.getpid(),))

    def submit(self, fn, /, *args, **kwargs):
        """:meth:`ProcessPoolExecutor.submit`, with Ctrl-C held back while it forks the workers (the first)."""
        with interrupt_held():
            return super().submit(fn, *args, **kwargs)

    def __exit__(self, kind, error, trace):
        self.shutdown(wait=True, cancel_futures=kind is not None)
        return False


def worker_pool(n_jobs: int) -> WorkerPool:
    """A pool of ``n_jobs`` processes that inherit the built stemmer and exit when this process dies."""
    get_stemmer()  # build it before forking, so the workers inherit it
    return WorkerPool(n_jobs)


def stem_vocabulary(
    words: Iterable[str],
    cache_dir: Path | str | None = None,
    n_jobs: int | None = None,
    progress: bool = True,
    use_cache: bool = True,
    pool: ProcessPoolExecutor | None = None,
) -> dict[str, str]:
    """Stem each distinct lowercase word once, reusing and filling the on-disk cache.

    Parameters
    ----------
    words : iterable of str
        Lowercase words; duplicates are stemmed once.
    cache_dir : path, optional
        Folder of the cache (default ``config.CACHE_DIR``); one that cannot be
        used gives a :class:`~kliping.stem.cache.StemCacheWarning` and no cache.
    n_jobs : int, optional
        Processes for the new words; default: all cores when there are at
        least ``PARALLEL_MIN_WORDS`` new words, else 1.
    progress : bool
        Show a tqdm bar (on stderr) while stemming new words.
    use_cache : bool
        ``False`` ignores and leaves the cache alone (for measurements).
    pool : ProcessPoolExecutor, optional
        A running :func:`worker_pool` to stem in (:func:`stem_corpus` tokenized in it); then ``n_jobs`` is not
        used.

    Returns
    -------
    dict
        ``{word: stem}`` for every word.

    Examples
    --------
    >>> stem_vocabulary(["pemerintahan", "perbankan"], use_cache=False, progress=False)
    {'pemerintahan': 'perintah', 'perbankan': 'bank'}
    """
    distinct = list(dict.fromkeys(words))
    folder = cache_folder(cache_dir) if use_cache else None
    cached = load_cache(folder) if folder is not None else {}
    stems = {word: cached[word] for word in distinct if word in cached}
    new = [word for word in distinct if word not in stems]
    if not new:
        return stems
    if n_jobs is None:
        n_jobs = (os.cpu_count() or 1) if len(new) >= PARALLEL_MIN_WORDS else 1
    chunks = [new[i : i + CHUNK_SIZE] for i in range(0, len(new), CHUNK_SIZE)]
    bar = tqdm(total=len(new), desc="stemming new words", unit="word", disable=not progress, file=sys.stderr)
    with bar:  # closed when Ctrl-C stops it too (by the collector, it drew itself after "kliping: interrupted")
        if len(chunks) > 1 and (pool is not None or n_jobs > 1):
            with nullcontext(pool) if pool is not None else worker_pool(n_jobs) as workers:
                for chunk, result in zip(chunks, workers.map(_stem_chunk, chunks)):
                    stems.update(zip(chunk, result))
                    bar.update(len(chunk))
        else:
            for chunk in chunks:
                stems.update(zip(chunk, _stem_chunk(chunk)))
                bar.update(len(chunk))
    if folder is not None:
        save_cache({word: stems[word] for word in new}, folder)
    return stems


# --------------------------------------------------------------------------- corpus


@dataclass
class StemResult:
    """What :func:`stem_corpus` returns.

    Attributes
    ----------
    tokens : list of list of str
        One list of stems per text, stopwords, numbers and web addresses removed (from the stem stage, a
        :class:`~kliping.stem.numbering.TokenLists`: the lists made from ``word_ids`` when read).
    display_words : dict
        For every stem, its most frequent surface form in the corpus
        (``"perintah" -> "pemerintah"``), to show topic words readably.
    stem_of : dict
        ``{lowercase word: stem}`` for every kept word of the corpus.
    proper_nouns : set
        Lowercase words kept unstemmed because they are mostly capitalised.
    vocabulary_before, vocabulary_after : int
        Distinct lowercase words kept, and distinct stems.
    n_tokens : int
        Tokens kept in all texts.
    """

    tokens: list[list[str]]
    display_words: dict[str, str]
    stem_of: dict[str, str]
    proper_nouns: set[str] = field(default_factory=set)
    vocabulary_before: int = 0
    vocabulary_after: int = 0
    n_tokens: int = 0
    #: The languages that got words (set by :func:`kliping.pipeline.stem`; not part of the cache).
    languages: tuple = ("id",)
    #: The same tokens as numbers, when the stem stage made them (None otherwise): ``words[word_ids[offsets[i]:
    #: offsets[i + 1]]]`` are ``tokens[i]``. The vectorize stage counts them without looking a string up again.
    word_ids: object = field(default=None, repr=False)
    offsets: object = field(default=None, repr=False)
    words: list | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return (
            f"StemResult({len(self.tokens):,} texts, {self.n_tokens:,} tokens, {self.vocabulary_before:,} words -> "
            f"{self.vocabulary_after:,} stems)"
        )


def find_proper_nouns(texts: list[str], surface_counts: Counter) -> set[str]:
    """Lowercase words written with a capital in most occurrences that do not start a sentence.

    Parameters
    ----------
    texts : list of str
        The corpus (to find sentence starts).
    surface_counts : Counter
        Counts of the tokens of ``texts`` with their case.

    Examples
    --------
    >>> texts = ["Banjir di Bekasi. Warga Bekasi mengungsi.", "Warga kota Bekasi dan warga desa."]
    >>> sorted(find_proper_nouns(texts, Counter(t for x in texts for t in tokenize(x))))
    ['bekasi']
    """
    return proper_nouns_from_counts(surface_counts, sentence_starts(texts))


def proper_nouns_from_counts(surface_counts: Counter, at_start: Counter) -> set[str]:
    """:func:`find_proper_nouns` from the corpus's counts: tokens with their case, and sentence starts."""
    capitalised, total = Counter(), Counter()
    for token, count in surface_counts.items():
        lower = token.lower()
        inside = count - at_start.get(token, 0)  # occurrences not opening a sentence
        if inside <= 0:
            continue
        total[lower] += inside
        if token[0].isupper():
            capitalised[lower] += inside
    return {word for word, count in capitalised.items() if count * 2 > total[word]}


@dataclass
class StemTable:
    """What a corpus's word counts decide: which surface token becomes which stem, and the display words."""

    final: dict[str, str]  # surface token -> stem, for every token kept
    stem_of: dict[str, str]  # lowercase word -> stem
    lower_counts: Counter
    proper_nouns: set[str]

    @property
    def display_words(self) -> dict[str, str]:
        return _display_words(self.lower_counts, self.stem_of)


def stem_table(surface_counts: Counter, at_start: Counter, stem_words) -> StemTable:
    """Decide once per distinct surface token: drop it, or which stem it becomes.

    ``stem_words`` maps a sorted list of lowercase words to ``{word: stem}`` (:func:`stem_vocabulary`, or the
    distributed path's version of it); the counts are the whole corpus's, from one process or summed over
    partitions.

    Examples
    --------
    >>> counts = Counter(["Pemerintah", "Bekasi", "menagih", "pajak", "di", "Bekasi"])
    >>> table = stem_table(counts, Counter(["Pemerintah"]), lambda words: {w: stem_word(w) for w in words})
    >>> table.final["Pemerintah"], table.final["Bekasi"], "di" in table.final, sorted(table.proper_nouns)
    ('perintah', 'bekasi', False, ['bekasi'])
    """
    stopwords, english = load_stopwords(), english_in_indonesian()
    lower_of: dict[str, str] = {}
    lower_counts: Counter = Counter()
    for token, count in surface_counts.items():
        lower = token.lower()
        if (
            len(lower) > 1
            and lower not in stopwords
            and lower not in english
            and (token.isalpha() or token_kind(token) == "word")
        ):
            lower_of[token] = lower
            lower_counts[lower] += count
    kept_counts = Counter({token: surface_counts[token] for token in lower_of})
    proper_nouns = proper_nouns_from_counts(kept_counts, at_start)
    to_stem = sorted(lower for lower in lower_counts if lower not in proper_nouns)
    stems = stem_words(to_stem)
    stem_of = {lower: (lower if lower in proper_nouns else stems[lower]) for lower in lower_counts}
    stem_of = {lower: stem for lower, stem in stem_of.items() if stem not in stopwords}
    final = {token: stem_of[lower] for token, lower in lower_of.items() if lower in stem_of}
    return StemTable(final=final, stem_of=stem_of, lower_counts=lower_counts, proper_nouns=proper_nouns)


def stem_corpus(
    texts: Iterable[str],
    cache_dir: Path | str | None = None,
    progress: bool = True,
    n_jobs: int | None = None,
    use_cache: bool = True,
    stem_words=None,
    modes=None,
) -> StemResult:
    """Tokenize, drop stopwords and stem a whole corpus, each distinct word once.

    Parameters
    ----------
    texts : iterable of str
        Article bodies; ``None`` or NaN count as empty text. A sequence (a list, or
        :class:`kliping.base.articles.StemTexts`, which makes its texts when read) is read a run at a time.
    cache_dir : path, optional
        Folder of the stem cache (default ``config.CACHE_DIR``); one that cannot be used gives one
        :class:`~kliping.stem.cache.StemCacheWarning` and no cache.
    progress, n_jobs : bool, int
        tqdm bars (stderr) for tokenizing and stemming; processes for new words (see :func:`stem_vocabulary`).
    use_cache : bool
        ``False`` neither reads nor writes the caches.
    stem_words : callable, optional
        Maps a sorted list of lowercase words to ``{word: stem}`` (default :func:`stem_vocabulary` with the
        cache; :mod:`kliping.scale` passes one that stems on a Dask cluster's workers).
    modes : list of str, optional
        Per text (:func:`kliping.stem.languages.word_modes`): ``"id"`` Sastrawi (default), ``"en"``, ``""`` none.

    Returns
    -------
    StemResult

    Notes
    -----
    Two caches sit in ``cache_dir``: word -> stem for every word ever stemmed (shared by all corpora), and the
    whole result for exactly these texts (a second run of the notebooks on the same corpus just reads it).

    Examples
    --------
    >>> result = stem_corpus(["Pemerintah Bekasi menagih pajak.", "Pemerintahan baru di Bekasi."],
    ...                      progress=False, use_cache=False)
    >>> result.tokens
    [['perintah', 'bekasi', 'tagih', 'pajak'], ['perintah', 'bekasi']]
    >>> result.display_words["perintah"]
    'pemerintah'
    """
    texts = texts if isinstance(texts, Sequence) else list(texts)  # a Sequence is read a run at a time
    modes = ["id"] * len(texts) if modes is None else list(modes)  # "": a language not clustered, no words
    texts = Texts(texts, [bool(mode) for mode in modes])
    folder = cache_folder(cache_dir) if use_cache else None
    if folder is not None:
        corpus_path = corpus_cache_file(texts, folder, modes)
        cached = _read_corpus_cache(corpus_path)
        if cached is not None:
            return cached
    with _corpus_pool(texts, n_jobs, stem_words) as pool:
        # One pool tokenizes the texts and then stems the new words: started once, busy from the start.
        corpus = tokenize_corpus(texts, [mode == "id" for mode in modes], pool, progress)
        here = partial(stem_vocabulary, cache_dir=folder, n_jobs=n_jobs, progress=progress, use_cache=bool(folder))
        table, english, numbered = _words_by_language(corpus, modes, stem_words or partial(here, pool=pool))
    stem_of = {**english.stem_of, **table.stem_of}
    result = StemResult(
        tokens=numbered.token_lists(),
        display_words={**english.stem_of, **table.display_words},
        stem_of=stem_of,
        proper_nouns=table.proper_nouns,
        vocabulary_before=len(stem_of),
        vocabulary_after=len(set(stem_of.values())),
        n_tokens=len(numbered.word_ids),
        word_ids=numbered.word_ids,
        offsets=numbered.offsets,
        words=numbered.words,
    )
    if folder is not None:
        write_corpus_cache(corpus_path, result)
    return result


def _corpus_pool(texts: list[str], n_jobs: int | None, stem_words):
    """A :func:`worker_pool` for a large corpus (:data:`~kliping.stem.counting.PARALLEL_MIN_CHARACTERS`) when the
    words are stemmed here, else none (``nullcontext``); ``n_jobs`` as in :func:`stem_vocabulary`."""
    n_jobs = (os.cpu_count() or 1) if n_jobs is None else n_jobs
    large = any(total >= PARALLEL_MIN_CHARACTERS for total in accumulate(map(len, texts)))  # stops there
    return worker_pool(n_jobs) if stem_words is None and n_jobs > 1 and large else nullcontext()


def _words_by_language(corpus: CorpusTokens, modes: list[str], stem_words):
    """The stem table of the Indonesian texts, the English words of the English ones, and every text's words.

    Examples
    --------
    >>> texts = ["Pemerintah Bekasi menagih pajak.", "The government of Bekasi collects taxes."]
    >>> stem = lambda words: {w: stem_word(w) for w in words}
    >>> _words_by_language(tokenize_corpus(texts, [True, False]), ["id", "en"], stem)[2].token_lists()
    [['perintah', 'bekasi', 'tagih', 'pajak'], ['government', 'bekasi', 'collects', 'taxes']]
    """
    table = stem_table(corpus.counts([mode == "id" for mode in modes]), corpus.at_start, stem_words)
    english = english_table(corpus.counts([mode == "en" for mode in modes]))
    return table, english, number_tokens(corpus, modes, {"id": table.final, "en": english.final})


def write_corpus_cache(path: Path, result: StemResult) -> None:
    """The stem result of a corpus, compactly: the word numbers as int32 and every list of words as one string of
    lines (an uncompressed ``.npz``), the counts as JSON.

    The tokens written as JSON lists of strings were 29 MB for the 22k CLICK-ID articles and took 2.6 s to write
    (issue 13's profile); as numbers, with the word lists and maps as JSON, 0.67 s CPU, of which 0.5 s was the JSON
    (sorted keys) that a join of lines makes in 0.08 s. No word holds a line break (:func:`tokenize` splits at
    every space); one that did would make the count of lines wrong, and the cache would be ignored, not misread.
    """
    lists = _cached_lists(result)
    header = {
        "vocabulary_before": result.vocabulary_before,
        "vocabulary_after": result.vocabulary_after,
        "lengths": [len(values) for values in lists],
    }
    arrays = {
        "word_ids": result.word_ids,
        "offsets": result.offsets,
        "header": np.frombuffer(json.dumps(header).encode(), np.uint8),
        "lines": np.frombuffer("\n".join(chain.from_iterable(lists)).encode(), np.uint8),
    }
    write_arrays_atomically(path, arrays)


def _cached_lists(result: StemResult) -> list[list[str]]:
    """The word lists of a cached result, in the order :func:`_read_corpus_cache` reads them."""
    return [
        list(result.stem_of),
        list(result.stem_of.values()),
        list(result.display_words),
        list(result.display_words.values()),
        sorted(result.proper_nouns),
        list(result.words),
    ]


def _read_corpus_cache(path: Path) -> StemResult | None:
    arrays = read_arrays(path, ("word_ids", "offsets", "header", "lines"))
    if arrays is None:
        return None
    try:
        header = json.loads(arrays["header"].tobytes().decode("utf-8"))
        lengths = header.pop("lengths")
        lines = arrays["lines"].tobytes().decode("utf-8").split("\n") if sum(lengths) else []
        if len(lengths) != 6 or len(lines) != sum(lengths):
            return None
        ends = np.cumsum(lengths).tolist()
        keys, stems, display_stems, display, proper, words = (lines[e - n : e] for n, e in zip(lengths, ends))
        numbered = NumberedTokens(arrays["word_ids"], arrays["offsets"], words)
        if not _consistent(numbered):
            return None
        tokens = numbered.token_lists()
    except (KeyError, ValueError, TypeError, IndexError, AttributeError):  # damaged, or written by another version
        return None
    return StemResult(
        tokens=tokens,
        display_words=dict(zip(display_stems, display)),
        stem_of=dict(zip(keys, stems)),
        proper_nouns=set(proper),
        **header,
        n_tokens=len(numbered.word_ids),
        word_ids=numbered.word_ids,
        offsets=numbered.offsets,
        words=numbered.words,
    )


def _consistent(numbered: NumberedTokens) -> bool:
    """Whether every word number names a word and the offsets span the numbers (the token lists are made when
    read, so a damaged cache is found here, not in a later stage)."""
    ids, offsets = numbered.word_ids, numbered.offsets
    in_range = not len(ids) or (int(ids.min()) >= 0 and int(ids.max()) < len(numbered.words))
    spans = len(offsets) > 0 and offsets[0] == 0 and offsets[-1] == len(ids)
    return in_range and spans and bool(np.all(np.diff(offsets) >= 0))


def _display_words(lower_counts: Counter, stem_of: dict[str, str]) -> dict[str, str]:
    """Most frequent lowercase surface form per stem; ties go to the shorter, then alphabetical form."""
    best: dict[str, tuple] = {}
    for form, stem in stem_of.items():
        key = (-lower_counts[form], len(form), form)
        if stem not in best or key < best[stem]:
            best[stem] = key
    return {stem: best[stem][2] for stem in sorted(best)}


def stem_documents(texts: Iterable[str], cache_dir: Path | str | None = None) -> list[list[str]]:
    """One list of stems per text, stopwords removed (thin wrapper of :func:`stem_corpus`).

    Examples
    --------
    >>> stem_documents(["Perbankan syariah di Bali tumbuh.", ""])
    [['bank', 'syariah', 'bali', 'tumbuh'], []]
    """
    return stem_corpus(texts, cache_dir=cache_dir, progress=False).tokens
