"""Which words each clustered language gives: Sastrawi's stems for Indonesian (and Malay, written with the same
affixes), lowercase words without English stopwords for English, never stemmed with Indonesian rules.

English words are kept as written, lower-cased (``floods`` and ``flood`` stay two words): Sastrawi would cut
English words by Indonesian affix rules (``bisnis`` is Indonesian, but ``business``, ``keep``, ``meeting`` are not
Indonesian words with affixes), and a lemmatiser that ships without downloads is not at hand. The stopwords are
stopwords-iso's English list (:func:`english_stopwords`); the English ones that are no Indonesian word are dropped
from Indonesian articles too (:func:`english_in_indonesian`).

Examples
--------
>>> word_modes(["id", "en", "pt", "", "ms"], ("id", "en"))
['id', 'en', '', 'id', '']
>>> sorted(english_table(Counter(["The", "floods", "in", "Bekasi", "Bekasi's", "2020", "a"])).final.items())
[('Bekasi', 'bekasi'), ("Bekasi's", 'bekasi'), ('floods', 'floods')]
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from kliping.stem.tokens import token_kind

#: Languages stemmed with Sastrawi (Malay shares Indonesian's affixes).
SASTRAWI_LANGUAGES = ("id", "ms")
#: Languages kept as lowercase words with their own stopword list.
WORD_LANGUAGES = ("en",)
#: Every language kliping can cluster (``--languages``).
CLUSTERABLE = SASTRAWI_LANGUAGES + WORD_LANGUAGES  # kliping.config.CLUSTERABLE
_POSSESSIVE = re.compile(r"['\u2019]s$")


def word_modes(row_languages, languages) -> list[str]:
    """How every row's text becomes words: ``"id"`` (Sastrawi), ``"en"`` (English words), or ``""`` (not
    clustered: a language not in ``languages``). A row too short to tell its language is taken as Indonesian when
    ``languages`` holds ``id``.

    Examples
    --------
    >>> word_modes(["id", "ms", "en"], ("id",))
    ['id', '', '']
    """
    from kliping.config import parse_languages

    chosen = set(parse_languages(languages))
    modes = []
    for language in row_languages:
        if language == "" and "id" in chosen:  # too little text to tell: the corpus's default, as before languages
            modes.append("id")
        elif language not in chosen:
            modes.append("")
        else:
            modes.append("id" if language in SASTRAWI_LANGUAGES else "en")
    return modes


@functools.lru_cache(maxsize=1)
def english_stopwords() -> frozenset[str]:
    """The English stopwords of stopwords-iso (``stopwordsiso``, 1,298 words: scikit-learn's 318 and more), with
    the contracted forms the tokenizer keeps whole (``don't``, ``it's``).

    stopwords-iso rather than scikit-learn's list, which is part of scikit-learn: a saved model places articles
    without importing scikit-learn (a second of ``kliping assign``). It also holds some words a topic could use
    (``world``, ``million``); for English topics that costs little, as those are common in every story.

    Examples
    --------
    >>> {"your", "you", "he", "than", "the", "don't"} <= english_stopwords()
    True
    """
    import stopwordsiso

    words = frozenset(word.lower() for word in stopwordsiso.stopwords("en"))
    contracted = {f"{word}{tail}" for word in words for tail in ("'s", "n't", "'re", "'ll", "'ve", "'d", "'m")}
    return words | frozenset(contracted) | frozenset({"don't", "can't", "won't"})


@functools.lru_cache(maxsize=1)
def english_in_indonesian() -> frozenset[str]:
    """English stopwords dropped from Indonesian articles too (quotes, song titles, names of events: ``the``,
    ``and``, ``you`` would otherwise reach a topic's words): those of three or four letters that are no root of
    Sastrawi's dictionary (drawn from the KBBI; ``area``, ``top``, ``data`` are Indonesian words as well).

    Function words are short; stopwords-iso's longer entries (``member``, ``group``, ``world``) are loan words of
    Indonesian entertainment and sports news, and its two-letter ones Indonesian abbreviations (AS, PT, MK, BI).
    Measured on 450 CLICK-ID articles (a 10-neighbour vote for the desk, 5 folds): word-vector documents 0.733
    with no English filter, 0.727 with this one, 0.716 with every entry of three letters or more and 0.707 with
    the whole list (LSA 0.70). Dropping only the lowercase forms of the whole list (keeping AS, PT) scored 0.713
    but made the distributed run cluster 9 of 651 articles otherwise than the single-machine run.

    Examples
    --------
    >>> "the" in english_in_indonesian(), "area" in english_in_indonesian()
    (True, False)
    """
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    roots = set(StemmerFactory().get_words())
    return frozenset(word for word in english_stopwords() if word not in roots and 2 < len(word) < 5)


@dataclass
class EnglishTable:
    """The English side of a corpus's words: surface token -> word, lowercase word -> word, and its counts."""

    final: dict
    stem_of: dict
    lower_counts: Counter


def english_table(surface_counts: Counter) -> EnglishTable:
    """English tokens as words: lower-cased, a possessive ``'s`` cut, stopwords, numbers, single letters and web
    addresses left out."""
    stopwords = english_stopwords() if surface_counts else frozenset()
    final, lower_counts = {}, Counter()
    for token, count in surface_counts.items():
        lower = token.lower()
        if lower in stopwords:
            continue
        word = _POSSESSIVE.sub("", lower)
        if len(word) > 1 and word not in stopwords and (token.isalpha() or token_kind(token) == "word"):
            final[token] = word
            lower_counts[word] += count
    return EnglishTable(final=final, stem_of={word: word for word in lower_counts}, lower_counts=lower_counts)
