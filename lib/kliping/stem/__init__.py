"""Stem Indonesian news text with Sastrawi: faster, and right more often.

Calling PySastrawi's ``stemmer.stem(doc)`` on every article is slow (it
normalises and looks up every token of every document) and it gets frequent
news words wrong: ``pasukan -> pasu``, ``perbankan -> perban``,
``menikah -> meni``. This package

* tokenizes keeping what matters for news (case, ``Nagorno-Karabakh``,
  ``KOMPAS.com``, URLs and e-mail addresses as single tokens):
  :mod:`~kliping.stem.tokens`; a whole corpus's tokens as numbers of its
  distinct tokens, in a process pool when large: :mod:`~kliping.stem.counting`,
* corrects Sastrawi with general rules: all affix readings whose root is in
  Sastrawi's own dictionary are collected and the most plausible one is kept
  (longest root, letters kept as written, a confix reading before a root that
  still looks prefixed), plus a small documented override table
  (``data/stem_overrides.tsv``): :mod:`~kliping.stem.stemmer`, with the affix
  rules as data in :mod:`~kliping.stem.rules` and the word lists in
  :mod:`~kliping.stem.resources`,
* stems every *distinct* word of a corpus once, in parallel when the
  vocabulary is large, keeps proper nouns (a word written with a capital in
  most of its occurrences that do not start a sentence: Bekasi, Bali, Pompeo)
  and drops stopwords (``data/stopwords_id.txt``: Sastrawi ∪ Tala ∪ news
  words): :mod:`~kliping.stem.corpus`, with a persistent on-disk cache in
  :mod:`~kliping.stem.cache`,
* shows its work in the notebooks: :mod:`~kliping.stem.explain`.

Numbers are dropped on purpose: years and amounts say nothing about a topic.
URLs, e-mail addresses and site names are kept whole by :func:`tokenize` (so
they leave no ``https``/``com`` junk) and then dropped by the stemmer: they name
the publisher, not the topic. How well kliping stems is measured in
:mod:`kliping.evaluation.stemming`.

Examples
--------
>>> from kliping.stem import stem_word, tokenize
>>> stem_word("perbankan"), stem_word("menikah"), stem_word("pemerintahan")
('bank', 'nikah', 'perintah')
>>> tokenize("Baca juga: KOMPAS.com - Konflik Nagorno-Karabakh, 2.500 orang mengungsi.")
['Baca', 'juga', 'KOMPAS.com', 'Konflik', 'Nagorno-Karabakh', '2.500', 'orang', 'mengungsi']
"""

from kliping.stem.cache import (
    ALGORITHM_VERSION,
    StemCacheWarning,
    cache_file,
    cache_key,
    corpus_cache_file,
    load_cache,
    save_cache,
    stemmer_version,
)
from kliping.stem.corpus import (
    CHUNK_SIZE,
    PARALLEL_MIN_WORDS,
    StemResult,
    find_proper_nouns,
    stem_corpus,
    stem_documents,
    stem_vocabulary,
)
from kliping.stem.explain import corrected_sentences, proper_noun_examples, stem_text, top_stems
from kliping.stem.resources import (
    OVERRIDES_FILE,
    ROOT_FREQUENCY_FILE,
    STOPWORDS_FILE,
    load_overrides,
    load_root_frequency,
    load_stopwords,
)
from kliping.stem.rules import ORDINALS
from kliping.stem.stemmer import KlipingStemmer, Reading, get_stemmer, raw_sastrawi_stemmer, stem_word
from kliping.stem.tokens import token_kind, tokenize, tokenize_texts

__all__ = [
    "ALGORITHM_VERSION",
    "CHUNK_SIZE",
    "KlipingStemmer",
    "ORDINALS",
    "OVERRIDES_FILE",
    "PARALLEL_MIN_WORDS",
    "ROOT_FREQUENCY_FILE",
    "Reading",
    "STOPWORDS_FILE",
    "StemCacheWarning",
    "StemResult",
    "cache_file",
    "cache_key",
    "corpus_cache_file",
    "corrected_sentences",
    "find_proper_nouns",
    "get_stemmer",
    "load_cache",
    "load_overrides",
    "load_root_frequency",
    "load_stopwords",
    "proper_noun_examples",
    "raw_sastrawi_stemmer",
    "save_cache",
    "stem_corpus",
    "stem_documents",
    "stem_text",
    "stem_vocabulary",
    "stem_word",
    "stemmer_version",
    "token_kind",
    "tokenize",
    "tokenize_texts",
    "top_stems",
]
