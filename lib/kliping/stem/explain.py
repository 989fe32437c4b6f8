"""Views for the notebooks: the commonest stems, the proper nouns kept whole, kliping beside PySastrawi.

Examples
--------
>>> stem_text("Pasukan memasuki Bekasi")
'pasukan masuk bekasi'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import chain

from kliping.stem.corpus import StemResult
from kliping.stem.stemmer import raw_sastrawi_stemmer, stem_word
from kliping.stem.tokens import token_kind, tokenize


def stem_text(text: str) -> str:
    """Stem every word of a short text with kliping, no stopword removal (for side-by-side views).

    Examples
    --------
    >>> stem_text("Pasukan memasuki Bekasi")
    'pasukan masuk bekasi'
    """
    return " ".join(stem_word(token.lower()) for token in tokenize(text) if token_kind(token) == "word")


_SENTENCE = re.compile(r"[^.!?\n]{20,300}[.!?]")


def corrected_sentences(texts: Iterable[str], n: int = 8, max_texts: int = 2000):
    """Real sentences where kliping and raw PySastrawi stem some word differently, side by side.

    Parameters
    ----------
    texts : iterable of str
        Article bodies.
    n : int
        Sentences to return, each showing a different corrected word.
    max_texts : int
        Look at the first texts only (enough to find examples, quick).

    Returns
    -------
    DataFrame
        ``word``, ``sastrawi`` and ``kliping`` (the word's two stems), ``sentence``,
        and the whole sentence stemmed by each (``sastrawi_sentence``, ``kliping_sentence``).
    """
    import pandas as pd

    raw = raw_sastrawi_stemmer()
    rows, seen = [], set()
    for index, text in enumerate(texts):
        if index >= max_texts or len(rows) >= n:
            break
        for sentence in _SENTENCE.findall(text if isinstance(text, str) else ""):
            for token in tokenize(sentence):
                word = token.lower()
                if word in seen or token_kind(token) != "word" or not token.islower():
                    continue
                ours, theirs = stem_word(word), raw.stem(word)
                if ours != theirs:
                    seen.add(word)
                    rows.append(
                        {
                            "word": word,
                            "sastrawi": theirs,
                            "kliping": ours,
                            "sentence": sentence.strip(),
                            "sastrawi_sentence": raw.stem(sentence),
                            "kliping_sentence": stem_text(sentence),
                        }
                    )
                    break
            if len(rows) >= n:
                break
    return pd.DataFrame(
        rows, columns=["word", "sastrawi", "kliping", "sentence", "sastrawi_sentence", "kliping_sentence"]
    )


def top_stems(result: StemResult, n: int = 20):
    """The ``n`` most frequent stems with their display word and count.

    Examples
    --------
    >>> from kliping.stem import stem_corpus
    >>> top = top_stems(stem_corpus(["Pemerintah dan pemerintahan."], progress=False, use_cache=False), 1)
    >>> top.values.tolist()
    [['perintah', 'pemerintah', 2]]
    """
    import pandas as pd

    counts = Counter(chain.from_iterable(result.tokens))
    rows = [(stem, result.display_words.get(stem, stem), count) for stem, count in counts.most_common(n)]
    return pd.DataFrame(rows, columns=["stem", "display_word", "count"])


def proper_noun_examples(result: StemResult, n: int = 10):
    """The most frequent words kept whole as proper nouns, those raw PySastrawi would have stemmed first.

    Returns
    -------
    DataFrame
        ``word``, ``count`` in the corpus and ``sastrawi`` (what PySastrawi makes of it).
    """
    import pandas as pd

    raw = raw_sastrawi_stemmer()
    counts = Counter(token for tokens in result.tokens for token in tokens if token in result.proper_nouns)
    rows = [(word, count, raw.stem(word)) for word, count in counts.most_common(max(50, n))]
    rows.sort(key=lambda row: row[2] == row[0])  # stable: the words Sastrawi would change come first
    return pd.DataFrame(rows[:n], columns=["word", "count", "sastrawi"])
