"""Tokens as numbers mapped to words: each surface token's number (:class:`~kliping.stem.counting.CorpusTokens`)
through a language's table of stems, with numpy, not a lookup per token.

The stem stage (:func:`kliping.stem.corpus.stem_corpus`) and the distributed one (:mod:`kliping.partitions.tasks`)
map their tokens with :func:`number_tokens`, so the vectorize stage counts word numbers and no string is looked up
twice.

Examples
--------
>>> from kliping.stem.counting import tokenize_corpus
>>> number_tokens(tokenize_corpus(["Banjir di Bekasi"]), ["id"], {"id": {"Banjir": "banjir"}}).token_lists()
[['banjir']]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kliping.stem.counting import CorpusTokens, tokenize_corpus  # noqa: F401 (tokenize_corpus: doctest)


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


def number_tokens(corpus: CorpusTokens, modes: list[str], finals: dict) -> NumberedTokens:
    """Each text's tokens mapped through its language's table (``finals[mode]``: surface token -> word; a token
    missing is dropped), as numbers, without a per-token lookup.

    The tables are arrays over the corpus's surface-token numbers (:class:`~kliping.stem.counting.CorpusTokens`),
    and the mapping is numpy's. Mapping each token of the 22k CLICK-ID articles through the table's dict, per text,
    took 7.4 s of the stem stage (profiled, loaded machine).

    Examples
    --------
    >>> numbered = number_tokens(tokenize_corpus(["Banjir di Bekasi", "Floods in"]), ["id", "en"],
    ...                          {"id": {"Banjir": "banjir", "Bekasi": "bekasi"}, "en": {"Floods": "floods"}})
    >>> numbered.token_lists(), numbered.word_ids.tolist(), numbered.offsets.tolist()
    ([['banjir', 'bekasi'], ['floods']], [0, 1, 2], [0, 2, 3])
    """
    surface = {token: number for number, token in enumerate(corpus.surface)}
    ids, lengths = corpus.codes, corpus.lengths
    words: dict[str, int] = {}
    language_of_token = np.repeat(np.array([{"id": 0, "en": 1}.get(mode, 2) for mode in modes], np.int8), lengths)
    mapped = np.full(len(ids), -1, dtype=np.int64)
    for code, mode in enumerate(("id", "en")):
        table = np.full(len(surface) + 1, -1, dtype=np.int64)
        for token, word in finals.get(mode, {}).items():
            if word and token in surface:  # an empty word is no word (as filter(None, ...) dropped it)
                table[surface[token]] = words.setdefault(word, len(words))
        mine = language_of_token == code
        mapped[mine] = table[ids[mine]]
    kept = mapped >= 0
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    text_of_token = np.repeat(np.arange(len(lengths)), lengths)
    np.cumsum(np.bincount(text_of_token[kept], minlength=len(lengths)), out=offsets[1:])
    return NumberedTokens(mapped[kept].astype(np.int32), offsets, list(words))
