"""Tokens as numbers: every surface form numbered once, then mapped to words through a language's table.

The stem stage (:func:`kliping.stem.corpus.stem_corpus`) and the distributed one (:mod:`kliping.partitions.tasks`)
number tokens with these functions, so the vectorize stage counts word numbers and no string is looked up twice.

Examples
--------
>>> number_tokens([["Banjir", "di", "Bekasi"]], ["id"], {"id": {"Banjir": "banjir", "Bekasi": "bekasi"}}).token_lists()
[['banjir', 'bekasi']]
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import chain, islice

import numpy as np

#: Texts tokenized and numbered together (:func:`surface_numbers`): only their token lists are alive at once.
NUMBER_CHUNK = 2_000


@dataclass
class NumberedTokens:
    """Every text's tokens as word numbers: ``words[word_ids[offsets[i]:offsets[i + 1]]]`` are text i's."""

    word_ids: np.ndarray  # int32, all texts' tokens one after the other
    offsets: np.ndarray  # int64, len(texts) + 1
    words: list  # the word of each number

    def token_lists(self) -> list[list[str]]:
        """The tokens as lists of words, one per text."""
        words = np.array(self.words, dtype=object)[self.word_ids]
        return [words[start:end].tolist() for start, end in zip(self.offsets[:-1], self.offsets[1:])]


def number_tokens(tokenized: list[list[str]], modes: list[str], finals: dict) -> NumberedTokens:
    """Each text's tokens mapped through its language's table (``finals[mode]``: surface token -> word; a token
    missing is dropped), as numbers, without a per-token lookup per table.

    Every surface token gets a number once, in one pass over all tokens (:func:`surface_numbers`); the tables are
    then arrays over those numbers, and the mapping is numpy's (:func:`map_surface_numbers`). Mapping each token of
    the 22k CLICK-ID articles through the table's dict, per text, took 7.4 s of the stem stage (profiled, loaded
    machine).

    Examples
    --------
    >>> numbered = number_tokens([["Banjir", "di", "Bekasi"], ["Floods", "in"]], ["id", "en"],
    ...                          {"id": {"Banjir": "banjir", "Bekasi": "bekasi"}, "en": {"Floods": "floods"}})
    >>> numbered.token_lists(), numbered.word_ids.tolist(), numbered.offsets.tolist()
    ([['banjir', 'bekasi'], ['floods']], [0, 1, 2], [0, 2, 3])
    """
    return map_surface_numbers(*surface_numbers(tokenized), modes, finals)


def surface_numbers(tokenized) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Every token as the number of its surface form (in order of first appearance): (numbers, tokens per text,
    surface forms). ``tokenized`` may be a generator: texts are numbered :data:`NUMBER_CHUNK` at a time, so only
    that many token lists are alive at once. The distributed stem stage keeps these between its two passes
    instead of tokenizing again.

    Examples
    --------
    >>> ids, lengths, surface = surface_numbers([["Banjir", "di", "Bekasi"], ["Bekasi", "banjir"]])
    >>> ids.tolist(), lengths.tolist(), surface
    ([0, 1, 2, 2, 3], [3, 2], ['Banjir', 'di', 'Bekasi', 'banjir'])
    """
    surface: dict[str, int] = {}
    number = surface.setdefault
    ids, lengths = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    tokenized = iter(tokenized)
    while chunk := list(islice(tokenized, NUMBER_CHUNK)):
        sizes = np.fromiter(map(len, chunk), dtype=np.int64, count=len(chunk))
        ids.append(np.fromiter((number(t, len(surface)) for t in chain.from_iterable(chunk)), np.int64, sizes.sum()))
        lengths.append(sizes)
    return np.concatenate(ids), np.concatenate(lengths), list(surface)


def language_counts(surface, modes, mode: str) -> Counter:
    """How often each surface form occurs in the texts of word mode ``mode``, in order of first appearance there
    (as ``Counter`` over those texts' token lists gives it), from :func:`surface_numbers`.

    Examples
    --------
    >>> language_counts(surface_numbers([["Floods"], ["Banjir", "di"], ["Banjir"]]), ["en", "id", "id"], "id")
    Counter({'Banjir': 2, 'di': 1})
    """
    ids, lengths, words = surface
    mine = ids[np.repeat(np.asarray(modes, dtype=object) == mode, lengths)] if len(lengths) else ids[:0]
    numbers, first, counts = np.unique(mine, return_index=True, return_counts=True)
    by_first = np.argsort(first, kind="stable")
    return Counter(dict(zip([words[i] for i in numbers[by_first]], counts[by_first].tolist())))


def map_surface_numbers(
    ids: np.ndarray, lengths: np.ndarray, surface: list, modes: list, finals: dict
) -> NumberedTokens:
    """:func:`number_tokens` of tokens given as :func:`surface_numbers`."""
    position = dict(zip(surface, range(len(surface))))
    words: dict[str, int] = {}
    language_of_token = np.repeat(np.array([{"id": 0, "en": 1}.get(mode, 2) for mode in modes], np.int8), lengths)
    mapped = np.full(len(ids), -1, dtype=np.int64)
    for code, mode in enumerate(("id", "en")):
        table = np.full(len(surface) + 1, -1, dtype=np.int64)
        for token, word in finals.get(mode, {}).items():
            if word and token in position:  # an empty word is no word (as filter(None, ...) dropped it)
                table[position[token]] = words.setdefault(word, len(words))
        mine = language_of_token == code
        mapped[mine] = table[ids[mine]]
    kept = mapped >= 0
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    text_of_token = np.repeat(np.arange(len(lengths)), lengths)
    np.cumsum(np.bincount(text_of_token[kept], minlength=len(lengths)), out=offsets[1:])
    return NumberedTokens(mapped[kept].astype(np.int32), offsets, list(words))
