"""A fitted TF-IDF vocabulary that turns stems into rows without scikit-learn: what a saved model places with.

``kliping assign`` needs only a saved model's vocabulary and idf weights to weight new articles' stems, yet
scikit-learn's ``TfidfVectorizer`` brought 1.0 s of imports (``sklearn`` pulls in ``scipy.stats``) and counted
the 2.9 million stems of the 22,136 CLICK-ID articles in a Python loop, 1.75 s, on a 2-core machine. Here the
counting is numpy's (:func:`tfidf_rows`) and gives scikit-learn's rows bit for bit: the same float32 counts,
``1 + log(tf)``, the same idf product and each row's L2 norm summed in the same order, in float64, as scikit-learn's
``inplace_csr_row_normalize_l2`` does (``tests/test_topicmodel.py`` compares the two).

Examples
--------
>>> from kliping.topics import tfidf as vectorize
>>> fitted, _ = vectorize.tfidf([["banjir", "bekasi"], ["gol", "persib"], ["banjir", "garut"]])
>>> saved = SavedVectorizer.of(fitted)
>>> rows = saved.transform([["banjir", "banjir", "garut"], ["kata", "asing"]])
>>> rows.shape, rows.nnz, (rows != fitted.transform([["banjir", "banjir", "garut"], ["kata", "asing"]])).nnz
((2, 5), 2, 0)
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np


@dataclass
class SavedVectorizer:
    """A fitted TF-IDF vectorizer over token lists, as a topic model keeps it: its vocabulary, idf weights and
    settings (the public attributes of scikit-learn's ``TfidfVectorizer`` that kliping uses)."""

    vocabulary_: dict
    idf_: np.ndarray
    min_df: int | float = 2
    max_df: float = 0.5
    sublinear_tf: bool = True
    max_features: int | None = None

    @classmethod
    def of(cls, vectorizer) -> SavedVectorizer:
        """The vocabulary, weights and settings of a fitted ``TfidfVectorizer``."""
        return cls(
            vocabulary_=dict(vectorizer.vocabulary_),
            idf_=np.asarray(vectorizer.idf_, dtype=np.float64),
            min_df=vectorizer.min_df,
            max_df=vectorizer.max_df,
            sublinear_tf=vectorizer.sublinear_tf,
            max_features=vectorizer.max_features,
        )

    def get_feature_names_out(self) -> np.ndarray:
        """The terms in column order."""
        terms = np.empty(len(self.vocabulary_), dtype=object)
        for term, column in self.vocabulary_.items():
            terms[column] = term
        return terms

    def transform(self, token_lists):
        """TF-IDF rows (float32 CSR, L2-normalised) of token lists, over this vocabulary."""
        return tfidf_rows(token_lists, self.vocabulary_, self.idf_, self.sublinear_tf)


def tfidf_rows(token_lists, vocabulary: dict, idf: np.ndarray, sublinear_tf: bool = True):
    """Float32 TF-IDF rows of token lists over a fitted vocabulary, equal to ``TfidfVectorizer.transform``'s.

    Unknown tokens are dropped; a row without a known token is empty.

    Examples
    --------
    >>> rows = tfidf_rows([["gol", "gol", "persib"], ["hujan"]], {"gol": 0, "persib": 1}, np.array([1.0, 2.0]))
    >>> [[round(float(v), 3) for v in row] for row in rows.toarray()]
    [[0.646, 0.763], [0.0, 0.0]]
    """
    import scipy.sparse as sp

    token_lists = token_lists if isinstance(token_lists, list) else list(token_lists)
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    n_terms = len(vocabulary)
    columns = np.fromiter(
        map(vocabulary.get, chain.from_iterable(token_lists), repeat(-1)), dtype=np.int64, count=int(lengths.sum())
    )
    rows = np.repeat(np.arange(len(token_lists), dtype=np.int64), lengths)
    known = columns >= 0
    # One key per (row, column): sorted, they are the CSR layout with sorted indices; their run lengths the counts.
    keys, counts = np.unique(rows[known] * max(n_terms, 1) + columns[known], return_counts=True)
    indptr = np.zeros(len(token_lists) + 1, dtype=np.int32)
    np.cumsum(np.bincount(keys // max(n_terms, 1), minlength=len(token_lists)), out=indptr[1:])
    data = counts.astype(np.float32)
    indices = (keys % max(n_terms, 1)).astype(np.int32)
    if sublinear_tf:
        np.log(data, data)
        data += 1.0
    data *= np.asarray(idf)[indices]
    _normalise_rows_l2(data, indptr)
    return sp.csr_matrix((data, indices, indptr), shape=(len(token_lists), n_terms))


def _normalise_rows_l2(data: np.ndarray, indptr: np.ndarray) -> None:
    """Divide each CSR row's values by their L2 norm, in place, as scikit-learn does: the squares in float32,
    summed one after the other in float64, in column order (a pairwise sum would differ in the last bit)."""
    lengths = np.diff(indptr)
    order = np.argsort(-lengths, kind="stable")  # longest rows first: at position p the first rows are the live ones
    starts = indptr[:-1][order].astype(np.int64)
    live_by_position = np.bincount(lengths, minlength=int(lengths.max(initial=0)) + 1)[::-1].cumsum()[::-1]
    squares = (data * data).astype(np.float64)
    sums = np.zeros(len(order), dtype=np.float64)
    for position in range(int(lengths.max(initial=0))):
        live = int(live_by_position[position + 1])
        sums[:live] += squares[starts[:live] + position]
    norms = np.empty(len(order), dtype=np.float64)
    norms[order] = np.sqrt(sums)
    per_value = np.repeat(norms, lengths)
    data[:] = (data.astype(np.float64) / np.where(per_value == 0.0, 1.0, per_value)).astype(np.float32)


def normalise_dense_rows(X: np.ndarray) -> np.ndarray:
    """Unit-length rows of a dense matrix, in place (zero rows stay zero), as ``sklearn.preprocessing.normalize``.

    Examples
    --------
    >>> normalise_dense_rows(np.array([[3.0, 4.0], [0.0, 0.0]], dtype=np.float32)).tolist()
    [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]
    """
    norms = np.sqrt(np.einsum("ij,ij->i", X, X))
    norms[norms < 10 * np.finfo(norms.dtype).eps] = 1.0
    X /= norms[:, None]
    return X


def project_rows(X, components) -> np.ndarray:
    """Unit-length LSA vectors of TF-IDF rows (the rows themselves when there is no projection).

    The one piece of arithmetic that places an article, for the run's articles and a saved model's alike, so the
    two agree to the last bit. The row's terms are summed in column order: a fitted vectorizer's own matrix keeps
    its columns unsorted after pruning and ``transform``'s are sorted, and the two orders gave cosines 5e-7 apart
    (one confidence in 3,235 rounded the other way).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> Z = project_rows(sp.csr_matrix([[3.0, 0.0, 4.0]]), np.array([[1.0, 0, 0], [0, 0, 1.0]]))
    >>> Z.dtype, [[round(float(v), 2) for v in row] for row in Z]
    (dtype('float32'), [[0.6, 0.8]])
    """
    import scipy.sparse as sp

    X = sp.csr_matrix(X, dtype=np.float32, copy=True)
    X.sort_indices()
    projected = np.asarray(X @ components.T if components is not None else X.toarray(), dtype=np.float32)
    # No rows: nothing to place (an empty partition).
    return normalise_dense_rows(projected) if len(projected) else projected
