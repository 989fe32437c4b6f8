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
import re
import sys
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path

import numpy as np
from tqdm import tqdm  # plain bars: no ipywidgets warning in notebooks

from kliping.base.child_processes import die_with_parent
from kliping.stem.cache import (
    cache_folder,
    corpus_cache_file,
    load_cache,
    read_arrays,
    save_cache,
    write_arrays_atomically,
)
from kliping.stem.languages import english_in_indonesian, english_table
from kliping.stem.numbering import (  # noqa: F401 (number_tokens: the stem stage's API, kept importable here)
    NumberedTokens,
    language_counts,
    map_surface_numbers,
    number_tokens,
    surface_numbers,
)
from kliping.stem.resources import load_stopwords
from kliping.stem.stemmer import get_stemmer, stem_word  # noqa: F401 (stem_word: doctest)
from kliping.stem.tokens import token_kind, tokenize

#: Below this many new words the process pool costs more than it saves.
PARALLEL_MIN_WORDS = 20_000
CHUNK_SIZE = 2_000


def _stem_chunk(words: list[str]) -> list[str]:
    """Worker: stem a chunk of words (module level so a process pool can pickle it)."""
    stemmer = get_stemmer()
    return [stemmer.stem(word) for word in words]


def stem_vocabulary(
    words: Iterable[str],
    cache_dir: Path | str | None = None,
    n_jobs: int | None = None,
    progress: bool = True,
    use_cache: bool = True,
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
    if n_jobs > 1 and len(chunks) > 1:
        get_stemmer()  # build it before forking, so the workers inherit it
        # Workers exit when this process dies (kill -9 once left them blocked on a pipe, 0.8 GB each, for good).
        with ProcessPoolExecutor(max_workers=n_jobs, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            for chunk, result in zip(chunks, pool.map(_stem_chunk, chunks)):
                stems.update(zip(chunk, result))
                bar.update(len(chunk))
    else:
        for chunk in chunks:
            stems.update(zip(chunk, _stem_chunk(chunk)))
            bar.update(len(chunk))
    bar.close()
    if folder is not None:
        save_cache({word: stems[word] for word in new}, folder)
    return stems


# --------------------------------------------------------------------------- corpus
# The first word of a sentence or paragraph (its capital says nothing about being a name).
_OPENING = r"[\s,;“”\"'‘’()\-–—]*([^\W\d_][\w'’-]*)"
_SENTENCE_START = re.compile(r"[.!?…\n]" + _OPENING)
_TEXT_START = re.compile(_OPENING)


@dataclass
class StemResult:
    """What :func:`stem_corpus` returns.

    Attributes
    ----------
    tokens : list of list of str
        One list of stems per text, stopwords, numbers and web addresses removed.
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
        Article bodies; ``None`` or NaN count as empty text.
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
    texts = list(texts)
    modes = ["id"] * len(texts) if modes is None else list(modes)  # "": a language not clustered, no words
    texts = [text if isinstance(text, str) and mode else "" for text, mode in zip(texts, modes)]
    folder = cache_folder(cache_dir) if use_cache else None
    if folder is not None:
        corpus_path = corpus_cache_file(texts, folder, modes)
        cached = _read_corpus_cache(corpus_path)
        if cached is not None:
            return cached
    bar = tqdm(texts, desc="tokenizing", unit="text", disable=not progress, file=sys.stderr)
    surface = surface_numbers(map(tokenize, bar))  # numbered as made: all token lists of the 221k held ~2 GB
    if stem_words is None:

        def stem_words(words):
            return stem_vocabulary(words, cache_dir=folder, n_jobs=n_jobs, progress=progress, use_cache=bool(folder))

    table, english, numbered = _words_by_language(texts, surface, modes, stem_words)
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


def _words_by_language(texts: list[str], surface, modes: list[str], stem_words):
    """The stem table of the Indonesian texts, the English words of the English ones, and every text's words, from
    the texts' :func:`surface_numbers`.

    Examples
    --------
    >>> texts = ["Pemerintah Bekasi menagih pajak.", "The government of Bekasi collects taxes."]
    >>> stem = lambda words: {w: stem_word(w) for w in words}
    >>> surface = surface_numbers(map(tokenize, texts))
    >>> _words_by_language(texts, surface, ["id", "en"], stem)[2].token_lists()
    [['perintah', 'bekasi', 'tagih', 'pajak'], ['government', 'bekasi', 'collects', 'taxes']]
    """
    indonesian = [mode == "id" for mode in modes]
    table = stem_table(language_counts(surface, modes, "id"), sentence_starts(compress(texts, indonesian)), stem_words)
    english = english_table(language_counts(surface, modes, "en"))
    return table, english, map_surface_numbers(*surface, modes, {"id": table.final, "en": english.final})


def write_corpus_cache(path: Path, result: StemResult) -> None:
    """The stem result of a corpus, compactly: the word numbers as int32 (an ``.npz``), the rest as JSON inside it.

    The tokens written as JSON lists of strings were 29 MB for the 22k CLICK-ID articles and took 2.6 s to write
    (issue 13's profile), longer than making them; as numbers they are a third of that, written in well under a second.
    """
    header = {
        "display_words": result.display_words,
        "stem_of": result.stem_of,
        "proper_nouns": sorted(result.proper_nouns),
        "vocabulary_before": result.vocabulary_before,
        "vocabulary_after": result.vocabulary_after,
        "words": result.words,
    }
    text = json.dumps(header, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    arrays = {"word_ids": result.word_ids, "offsets": result.offsets, "header": np.frombuffer(text.encode(), np.uint8)}
    write_arrays_atomically(path, arrays)


def _read_corpus_cache(path: Path) -> StemResult | None:
    arrays = read_arrays(path, ("word_ids", "offsets", "header"))
    if arrays is None:
        return None
    try:
        header = json.loads(arrays["header"].tobytes().decode("utf-8"))
        numbered = NumberedTokens(arrays["word_ids"], arrays["offsets"], header.pop("words"))
        header["proper_nouns"] = set(header["proper_nouns"])
        tokens = numbered.token_lists()
    except (KeyError, ValueError, TypeError, IndexError):  # damaged, or written by another version
        return None
    return StemResult(
        tokens=tokens,
        **header,
        n_tokens=len(numbered.word_ids),
        word_ids=numbered.word_ids,
        offsets=numbered.offsets,
        words=numbered.words,
    )


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
