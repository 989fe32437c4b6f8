"""Turn stemmed articles into TF-IDF rows (scikit-learn's fit), and LSA for a corpus too small for word vectors.

The tokens come from :mod:`kliping.stem` (already lowercased, stemmed, with
stopwords removed), so the vectorizer only counts them.

Examples
--------
>>> docs = [["banjir", "rendam", "bekasi"], ["banjir", "bandang", "garut"], ["gol", "persib", "menang"]]
>>> vectorizer, X = tfidf(docs)
>>> X.shape
(3, 8)
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer, normalize

from kliping import config

# The pruning settings live with the one fitted vocabulary (kliping.topics.vocabulary), which the Dask run fits
# from document frequencies without this module.
from kliping.topics.vocabulary import MAX_DF, MIN_DF, SMALL_CORPUS  # noqa: E402


def identity(tokens):
    """The analyzer for pre-tokenized text (module level, so a fitted vectorizer pickles)."""
    return tokens


def tfidf(
    token_lists,
    min_df: int | float | None = None,
    max_df: float = MAX_DF,
    max_features: int | None = None,
    sublinear_tf: bool = True,
):
    """Fit a TF-IDF vectorizer on token lists.

    Parameters
    ----------
    token_lists : list of list of str
        One list of stems per article (see :func:`kliping.stem.stem_corpus`).
    min_df : int or float, optional
        Drop terms in fewer articles (default 2, or 1 for a corpus under 50).
    max_df : float
        Drop terms in a larger share of articles (0.5: "kata", "tahun" say
        nothing about a topic).
    sublinear_tf : bool
        ``1 + log(tf)``, so one word repeated in one article does not dominate it.

    Returns
    -------
    vectorizer : TfidfVectorizer
    X : scipy.sparse.csr_matrix of float32, rows L2-normalised
    """
    small = len(token_lists) < SMALL_CORPUS
    vectorizer = tfidf_vectorizer(
        min_df=1 if small else (MIN_DF if min_df is None else min_df),
        max_df=1.0 if small else max_df,
        max_features=max_features,
        sublinear_tf=sublinear_tf,
    )
    X = vectorizer.fit_transform(token_lists)
    return vectorizer, X


def tfidf_vectorizer(
    min_df: int | float = 2, max_df: float = 0.5, max_features: int | None = None, sublinear_tf: bool = True
) -> TfidfVectorizer:
    """The (unfitted) TF-IDF vectorizer for token lists, with kliping's settings; :func:`tfidf` fits it (and
    :class:`kliping.topics.vocabulary.Vocabulary` keeps what it learnt).

    Examples
    --------
    >>> vectorizer = tfidf_vectorizer(min_df=1).fit([["banjir", "bekasi"], ["banjir", "garut"]])
    >>> sorted(vectorizer.vocabulary_)  # "banjir" is in every article: max_df drops it
    ['bekasi', 'garut']
    """
    return TfidfVectorizer(
        analyzer=identity,
        min_df=min_df,
        max_df=max_df,
        max_features=max_features,
        sublinear_tf=sublinear_tf,
        dtype=np.float32,
    )


def lsa(X, n_components: int = 100, seed: int = config.SEED):
    """Project TF-IDF rows onto ``n_components`` latent dimensions, rows normalised.

    Words that occur in the same articles (``gempa``, ``magnitudo``, ``bmkg``)
    end up on shared dimensions, which makes distances between short
    articles meaningful. The size is clipped to what the matrix allows.

    Returns
    -------
    model : Pipeline or None
        ``TruncatedSVD`` + ``Normalizer``; ``None`` when the corpus is too small
        to project (then the normalised TF-IDF rows are returned as they are).
    Z : ndarray of shape (n_articles, n_components)
    """
    n_components = min(n_components, X.shape[0] - 1, X.shape[1] - 1)
    if n_components < 2:
        return None, normalize(X).toarray()
    # 3 power iterations instead of scikit-learn's 5: the same topics (NMI 0.488 vs 0.487 over 5 seeds on the
    # CLICK-ID sample) for about a third less time, which matters on 22k articles.
    model = make_pipeline(
        TruncatedSVD(n_components, random_state=seed, algorithm="randomized", n_iter=3), Normalizer(copy=False)
    )
    Z = model.fit_transform(X).astype(np.float32)
    return model, Z


def explained_variance(model) -> float:
    """Share of the TF-IDF variance that the LSA projection keeps."""
    return float(model[0].explained_variance_ratio_.sum()) if model is not None else 1.0


def document_frequencies(token_lists) -> Counter:
    """In how many articles each term occurs."""
    df: Counter = Counter()
    for tokens in token_lists:
        df.update(set(tokens))
    return df


def df_cutoffs(vectorizer, n_docs: int) -> tuple[float, float]:
    """The vectorizer's min_df and max_df as numbers of articles (a float is a share of the ``n_docs``).

    Examples
    --------
    >>> from sklearn.feature_extraction.text import TfidfVectorizer
    >>> df_cutoffs(TfidfVectorizer(min_df=2, max_df=0.5), 100)
    (2, 50.0)
    """
    return tuple(cut if isinstance(cut, int) else cut * n_docs for cut in (vectorizer.min_df, vectorizer.max_df))


def pruned_terms(token_lists, vectorizer, display_words: dict | None = None, n: int = 10) -> pd.DataFrame:
    """What min_df / max_df removed: counts and examples for each reason.

    Examples
    --------
    >>> docs = [["banjir", "bekasi"], ["banjir", "garut"], ["banjir", "bekasi"]] * 20  # bekasi: 2 in 3
    >>> vectorizer, _ = tfidf(docs)
    >>> pruned_terms(docs, vectorizer)[["reason", "terms"]].to_dict("records")
    [{'reason': 'in too many articles (max_df)', 'terms': 2}, {'reason': 'in too few articles (min_df)', 'terms': 0}]
    """
    df = document_frequencies(token_lists)
    kept = set(vectorizer.vocabulary_)
    _, max_df = df_cutoffs(vectorizer, len(token_lists))
    display_words = display_words or {}
    frequent = sorted((t for t in df if t not in kept and df[t] > max_df), key=lambda t: -df[t])
    rare = sorted((t for t in df if t not in kept and df[t] <= max_df), key=lambda t: (-df[t], t))
    # Rare terms are many and mostly seen once; examples spread over the alphabet (words first) show them better
    # than the first few in order ("0-1dari", "000-rp14", ...).
    words = [t for t in rare if t.isalpha()] or rare
    rare_examples = words[:: max(1, len(words) // n)][:n]
    rows = []
    for reason, terms, shown in (
        ("in too many articles (max_df)", frequent, frequent[:n]),
        ("in too few articles (min_df)", rare, rare_examples),
    ):
        examples = ", ".join(f"{display_words.get(t, t)} ({df[t]})" for t in shown)
        rows.append({"reason": reason, "terms": len(terms), "examples (articles)": examples})
    return pd.DataFrame(rows)


def top_terms(X, vectorizer, display_words: dict | None = None, n: int = 20) -> pd.DataFrame:
    """The terms with the largest total TF-IDF weight in the corpus, as display words."""
    weights = np.asarray(X.sum(axis=0)).ravel()
    terms = vectorizer.get_feature_names_out()
    order = np.argsort(-weights, kind="stable")[:n]
    display_words = display_words or {}
    return pd.DataFrame(
        {
            "stem": terms[order],
            "word": [display_words.get(t, t) for t in terms[order]],
            "weight": weights[order].round(2),
        }
    )


def fit_tfidf(token_lists, numbered=None):
    """The fitted :class:`~kliping.topics.vocabulary.Vocabulary` and TF-IDF rows of the token lists, as :func:`tfidf`
    fits them, bit for bit; None when they leave no term (none given, or every term cut: 60 copies of one article
    have only terms in more than half of the articles).

    The counting is numpy's (:func:`kliping.topics.vocabulary.fit_rows`): scikit-learn's fit counted the 2.9
    million stems of the 22,136 CLICK-ID articles in a Python loop (11 of 12 s, profiled on a loaded machine).
    ``numbered`` (word ids, tokens per article, words: the stem stage's numbers of the same tokens) skips even the
    lookup of each token's string (:func:`kliping.topics.vocabulary.fit_numbered`); the token lists are not read
    then (None will do).

    Examples
    --------
    >>> fit_tfidf([["banjir", "bekasi"]] * 60) is None, fit_tfidf([["banjir", "bekasi"], ["gol"]])[1].shape
    (True, (2, 3))
    >>> docs = [["banjir", "rendam", "bekasi"], ["banjir", "bandang", "garut"], ["gol", "persib", "menang"]] * 20
    >>> vocabulary, X = fit_tfidf(docs)
    >>> fitted, Y = tfidf(docs)
    >>> vocabulary.vocabulary_ == fitted.vocabulary_, (X != Y).nnz, X.indices.tolist() == Y.indices.tolist()
    (True, 0, True)
    """
    from kliping.topics.vocabulary import fit_numbered, fit_rows

    if not (token_lists if numbered is None else len(numbered[1])):  # no article
        return None
    try:
        return fit_rows(token_lists) if numbered is None else fit_numbered(*numbered)
    except ValueError as error:
        if "no terms remain" in str(error):  # scikit-learn's words for a vocabulary cut to nothing
            return None
        raise
