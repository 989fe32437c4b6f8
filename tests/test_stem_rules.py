"""kliping's prefix rule table (kliping.stem.rules) against PySastrawi, on real Indonesian words.

The table is kliping's own data, written from Sastrawi's documented rules. These tests check it on the roots of
Sastrawi's dictionary with prefixes attached: each alternative must read a word exactly as PySastrawi's rule of
the same number does, and every root PySastrawi's public ``stem()`` finds must be reachable with the table.
"""

from __future__ import annotations

import csv
import importlib
from functools import lru_cache

import pytest
from conftest import require_shared

from kliping.stem import raw_sastrawi_stemmer
from kliping.stem.rules import (
    DERIVATIONALS,
    PARTICLES,
    PLAIN_PREFIXES,
    POSSESSIVES,
    PREFIX_RULES,
    PREFIX_RULES_BY_LETTER,
)

PREFIXES = (
    "ber",
    "be",
    "bel",
    "ter",
    "te",
    "me",
    "mem",
    "men",
    "meng",
    "meny",
    "pe",
    "per",
    "pem",
    "pen",
    "peng",
    "peny",
    "pel",
    "ku",
    "kau",
    "memper",
    "diper",
)
# A sample of the roots keeps the tests quick: the rules see every 25th root (29,509 words, 6 s), PySastrawi's
# slow stem() every 100th (7,376 words, 3 s). The one-off run of the rule comparison on every root (800,905 words)
# found no difference.
RULES_ROOT_STEP = 25
STEM_ROOT_STEP = 100


@lru_cache(maxsize=2)
def prefixed_words(step: int) -> list[str]:
    """Every ``step``-th single root of Sastrawi's dictionary with each prefix and infix attached."""
    path = require_shared("corpora/id_stemming_gold/sastrawi_kata-dasar.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    roots = sorted({line.strip() for line in lines if line.strip() and "-" not in line})  # plurals are not rules
    sample = roots[::step]
    words = {prefix + root for root in sample for prefix in PREFIXES}
    words |= {root[0] + infix + root[1:] for root in sample for infix in ("er", "el", "em", "in")}
    return sorted(words)


def sastrawi_rule(number: str) -> list:
    """PySastrawi's public disambiguator classes of one rule, in their order (1a, 1b, ...)."""
    module = importlib.import_module(f"Sastrawi.Morphology.Disambiguator.DisambiguatorPrefixRule{number}")
    name = f"DisambiguatorPrefixRule{number}"
    if hasattr(module, name):
        return [getattr(module, name)()]
    return [getattr(module, name + letter)() for letter in "abcd" if hasattr(module, name + letter)]


@pytest.mark.parametrize("rule", PREFIX_RULES, ids=lambda rule: f"rule{rule.number}")
def test_each_rule_reads_words_as_sastrawi_does(rule):
    theirs_rule = sastrawi_rule(rule.number)
    differences = []
    for word in prefixed_words(RULES_ROOT_STEP):
        ours = [
            result
            for result in (alternative.apply(word) for alternative in rule.alternatives)
            if result and result != word
        ]
        theirs = [
            result
            for result in (alternative.disambiguate(word) for alternative in theirs_rule)
            if result and result != word
        ]  # 37a-40a give the word back unchanged: not in the table
        if ours != theirs:
            differences.append((word, ours, theirs))
        if ours:
            assert word[0] in rule.letters
    assert not differences[:10]


def test_rules_are_grouped_by_every_first_letter_they_can_change():
    for rule in PREFIX_RULES:
        for letter in rule.letters:
            assert rule in PREFIX_RULES_BY_LETTER[letter]


def suffix_forms(word: str) -> set[str]:
    forms = {word}
    for suffixes in (PARTICLES, POSSESSIVES, DERIVATIONALS):
        forms |= {form[: -len(suffix)] for form in forms for suffix in suffixes if form.endswith(suffix)}
    return forms


def reachable(word: str) -> set[str]:
    """Everything the table reaches from ``word``: suffixes off, then up to three prefix layers."""
    found = suffix_forms(word)
    layer = set(found)
    for _ in range(3):
        layer = {
            result
            for form in layer
            if form
            for rule in PREFIX_RULES_BY_LETTER.get(form[0], ())
            for result in (alternative.apply(form) for alternative in rule.alternatives)
            if result
        } | {form[2:] for form in layer if form[:2] in PLAIN_PREFIXES}
        layer = {form for stripped in layer for form in suffix_forms(stripped)}
        found |= layer
    return found


def test_every_root_sastrawi_stem_finds_is_reachable_with_the_table():
    raw = raw_sastrawi_stemmer()
    path = require_shared("corpora/id_stemming_gold/sastrawi_functional_test_pairs.tsv")
    with path.open(encoding="utf-8") as handle:
        pairs = [row["word"] for row in csv.DictReader(handle, delimiter="\t")]
    pairs = [word for word in pairs if word.isalpha() and word.islower()]  # not the sentence, nor the capitalised one
    missed = [
        (word, stem)
        for word in prefixed_words(STEM_ROOT_STEP) + pairs
        if (stem := raw.stem(word)) != word and stem not in reachable(word)
    ]
    assert not missed[:10]
