"""The one fitted TF-IDF vocabulary (:class:`Vocabulary`), which turns stems into rows without scikit-learn.

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
>>> saved = Vocabulary.of(fitted)
>>> rows = saved.transform([["banjir", "banjir", "garut"], ["kata", "asing"]])
>>> rows.shape, rows.nnz, (rows != fitted.transform([["banjir", "banjir", "garut"], ["kata", "asing"]])).nnz
((2, 5), 2, 0)
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np

#: Below this many articles every term counts (min_df=1, max_df=1.0): a tiny corpus has no "rare" terms.
SMALL_CORPUS = 50
#: A term must be in at least this many articles...
MIN_DF = 2
#: ...and in at most this share of them.
MAX_DF = 0.5


@dataclass
class Vocabulary:
    """The one fitted TF-IDF vocabulary: terms, idf weights and settings, and :meth:`transform` to rows.

    Every path uses it: the in-process run (:meth:`of` scikit-learn's vectorizer fitted on the corpus), the Dask
    run (:meth:`from_frequencies`, the document frequencies summed over the partitions), ``kliping assign`` and the
    notebooks (:meth:`from_saved`, a saved model's or vectors file's terms and weights). Its attributes are the
    public ones of scikit-learn's ``TfidfVectorizer`` that kliping uses, and :meth:`settings` is what is saved
    beside the terms and weights.
    """

    vocabulary_: dict
    idf_: np.ndarray
    min_df: int | float = MIN_DF
    max_df: float = MAX_DF
    sublinear_tf: bool = True
    max_features: int | None = None

    @classmethod
    def of(cls, vectorizer) -> Vocabulary:
        """The vocabulary, weights and settings of a fitted ``TfidfVectorizer``."""
        return cls(
            vocabulary_=dict(vectorizer.vocabulary_),
            idf_=np.asarray(vectorizer.idf_, dtype=np.float64),
            min_df=vectorizer.min_df,
            max_df=vectorizer.max_df,
            sublinear_tf=vectorizer.sublinear_tf,
            max_features=vectorizer.max_features,
        )

    @classmethod
    def from_frequencies(cls, df: dict, n_docs: int) -> Vocabulary:
        """The vocabulary of a corpus from its document frequencies ``{term: articles}``, which add up over
        partitions: pruned by min_df / max_df as :func:`kliping.topics.tfidf.tfidf` prunes, idf as scikit-learn
        computes it (float32, smoothed), terms in sorted order.

        Examples
        --------
        >>> vocabulary = Vocabulary.from_frequencies({"banjir": 2, "bekasi": 1, "garut": 1}, 2)
        >>> sorted(vocabulary.vocabulary_), [round(float(w), 3) for w in vocabulary.idf_]
        (['banjir', 'bekasi', 'garut'], [1.0, 1.405, 1.405])
        """
        from numbers import Integral

        small = n_docs < SMALL_CORPUS
        min_df, max_df = (1, 1.0) if small else (MIN_DF, MAX_DF)
        high = max_df if isinstance(max_df, Integral) else max_df * n_docs
        low = min_df if isinstance(min_df, Integral) else min_df * n_docs
        terms = sorted(term for term, count in df.items() if low <= count <= high)
        if not terms:
            raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
        counts = np.array([df[term] for term in terms], dtype=np.float32)
        counts += 1.0  # scikit-learn's smoothing, in its order of operations and dtype
        idf = np.full_like(counts, fill_value=n_docs + 1, dtype=np.float32)
        idf /= counts
        np.log(idf, out=idf)
        idf += 1.0
        return cls({term: i for i, term in enumerate(terms)}, idf, min_df, max_df)

    @classmethod
    def from_saved(cls, settings: dict, terms, idf) -> Vocabulary:
        """The vocabulary saved as :meth:`settings`, its terms in column order and its idf weights."""
        return cls(
            vocabulary_={str(term): i for i, term in enumerate(terms)},
            idf_=idf,
            min_df=settings["min_df"],
            max_df=settings["max_df"],
            sublinear_tf=settings["sublinear_tf"],
            max_features=settings["max_features"],
        )

    def settings(self) -> dict:
        """The settings saved beside the terms and weights (a model's ``model.json``, the notebooks' vectors)."""
        return {
            "min_df": self.min_df,
            "max_df": self.max_df,
            "sublinear_tf": self.sublinear_tf,
            "max_features": self.max_features,
        }

    def get_feature_names_out(self) -> np.ndarray:
        """The terms in column order."""
        terms = np.empty(len(self.vocabulary_), dtype=object)
        for term, column in self.vocabulary_.items():
            terms[column] = term
        return terms

    def transform(self, token_lists):
        """TF-IDF rows (float32 CSR, L2-normalised) of token lists, over this vocabulary."""
        return tfidf_rows(token_lists, self.vocabulary_, self.idf_, self.sublinear_tf)

    def columns_of(self, words) -> np.ndarray:
        """The column of each of ``words`` (-1: not in the vocabulary), to turn word numbers into columns.

        Examples
        --------
        >>> Vocabulary({"banjir": 0, "garut": 1}, np.ones(2)).columns_of(["garut", "hujan", "banjir"]).tolist()
        [1, -1, 0]
        """
        return np.fromiter(map(self.vocabulary_.get, words, repeat(-1)), dtype=np.int64, count=len(words))

    def first_appearance_rank(self, order) -> np.ndarray:
        """Each term's position in ``order`` (the corpus's terms in order of first appearance), in column order:
        the order in which scikit-learn's fit numbers a row's entries (see
        :func:`kliping.partitions.tasks.in_vocabulary_order`).

        Examples
        --------
        >>> Vocabulary({"banjir": 0, "garut": 1}, np.ones(2)).first_appearance_rank(["garut", "hujan", "banjir"])
        array([2, 0])
        """
        position = {term: i for i, term in enumerate(order)}
        return np.array([position[term] for term in self.get_feature_names_out()], dtype=np.int64)


def fit_rows(token_lists) -> tuple[Vocabulary, object]:
    """Fit the vocabulary of token lists and their TF-IDF rows, equal to scikit-learn's ``fit_transform`` with
    kliping's settings (:func:`kliping.topics.tfidf.tfidf`): the same terms, idf weights and rows, each row's
    entries in the same order (the order of the terms' first appearance in the corpus, see
    :func:`in_vocabulary_order`), so every later sum rounds the same.

    Examples
    --------
    >>> vocabulary, X = fit_rows([["banjir", "bekasi"], ["gol"], ["bekasi", "banjir", "banjir"]])
    >>> sorted(vocabulary.vocabulary_), X.shape, X.indices.tolist()
    (['banjir', 'bekasi', 'gol'], (3, 3), [0, 1, 2, 0, 1])
    """
    token_lists = token_lists if isinstance(token_lists, list) else list(token_lists)
    order = dict.fromkeys(chain.from_iterable(token_lists))  # every term, by its first appearance
    term_ids = dict(zip(order, range(len(order))))
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    ids = np.fromiter(map(term_ids.__getitem__, chain.from_iterable(token_lists)), np.int64, int(lengths.sum()))
    return fit_numbered(ids, lengths, list(order))


def fit_numbered(word_ids: np.ndarray, lengths: np.ndarray, words: list) -> tuple[Vocabulary, object]:
    """:func:`fit_rows` of token lists given as word numbers (``words[word_ids]``, ``lengths`` tokens per article,
    as the stem stage makes them): no string is looked up.

    Examples
    --------
    >>> vocabulary, X = fit_numbered(np.array([1, 0, 2, 0, 1, 1]), np.array([2, 1, 3]), ["bekasi", "banjir", "gol"])
    >>> _, Y = fit_rows([["banjir", "bekasi"], ["gol"], ["bekasi", "banjir", "banjir"]])
    >>> sorted(vocabulary.vocabulary_), X.indices.tolist() == Y.indices.tolist(), (X != Y).nnz
    (['banjir', 'bekasi', 'gol'], True, 0)
    """
    word_ids, lengths = np.asarray(word_ids, dtype=np.int64), np.asarray(lengths, dtype=np.int64)
    n_words = max(len(words), 1)
    rows = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    keys = np.sort(rows * n_words + word_ids)  # sorted, not np.unique's hash table: 4 s less on the 22k
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, dtype=np.int64)
    once, counts = keys[starts], np.diff(np.r_[starts, len(keys)])  # each word once per article, and how often
    df = np.bincount(once % n_words, minlength=len(words))
    order = [words[number] for number in first_appearance(word_ids, len(words))]
    vocabulary = Vocabulary.from_frequencies({words[i]: int(df[i]) for i in np.flatnonzero(df)}, len(lengths))
    # The counts per (article, word) are known: their cells are only put in column order, not counted again from the
    # tokens as rows_of_columns counts them (0.37 s CPU on the 22k CLICK-ID articles).
    columns, n_terms = vocabulary.columns_of(words)[once % n_words], len(vocabulary.vocabulary_)
    known = columns >= 0
    cells = (once[known] // n_words) * n_terms + columns[known]
    by_cell = np.argsort(cells)  # each cell once: any sort gives one order
    X = rows_of_cells(
        cells[by_cell], counts[known][by_cell], len(lengths), n_terms, vocabulary.idf_, vocabulary.sublinear_tf
    )
    return vocabulary, in_vocabulary_order(X, vocabulary.first_appearance_rank(order))


def in_vocabulary_order(X, rank: np.ndarray):
    """``X`` with each row's entries ordered by ``rank`` of their column (the fitted vectorizer's order).

    The values are the same; the order decides how sums over a row round, so the vectors of the gathered rows are the
    in-process run's to the last bit.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> X = sp.csr_matrix(np.array([[1.0, 2.0, 0.0], [0.0, 3.0, 4.0]], dtype=np.float32))
    >>> in_vocabulary_order(X, np.array([2, 0, 1])).indices.tolist()
    [1, 0, 1, 2]
    """
    import scipy.sparse as sp

    rank = np.asarray(rank, dtype=np.int64)
    rows = np.repeat(np.arange(X.shape[0], dtype=np.int64), np.diff(X.indptr))
    # One int64 key per entry, (row, rank of its column), each once: the order np.lexsort of the two gives, from one
    # argsort (0.23 -> 0.01-0.05 s CPU for the 2.0 M entries of the 22k CLICK-ID articles).
    order = np.argsort(rows * (int(rank.max(initial=0)) + 1) + rank[X.indices], kind="stable")
    return sp.csr_matrix((X.data[order], X.indices[order], X.indptr.copy()), shape=X.shape)


def first_appearance(word_ids: np.ndarray, n_words: int) -> np.ndarray:
    """The word numbers that occur in ``word_ids``, in the order of their first occurrence.

    Examples
    --------
    >>> first_appearance(np.array([2, 0, 2, 3, 0]), 5).tolist()
    [2, 0, 3]
    """
    word_ids = np.asarray(word_ids, dtype=np.int64)
    # Each word's first position: np.unique(return_index=True) sorted the 2.85 M tokens of the 22k CLICK-ID articles
    # stably for it (0.31 s CPU); np.minimum.at reads them once (0.01 s).
    first = np.full(n_words, len(word_ids), dtype=np.int64)
    np.minimum.at(first, word_ids, np.arange(len(word_ids), dtype=np.int64))
    seen = np.flatnonzero(first < len(word_ids))
    return seen[np.argsort(first[seen], kind="stable")]


def tfidf_rows(token_lists, vocabulary: dict, idf: np.ndarray, sublinear_tf: bool = True):
    """Float32 TF-IDF rows of token lists over a fitted vocabulary, equal to ``TfidfVectorizer.transform``'s.

    Unknown tokens are dropped; a row without a known token is empty.

    Examples
    --------
    >>> rows = tfidf_rows([["gol", "gol", "persib"], ["hujan"]], {"gol": 0, "persib": 1}, np.array([1.0, 2.0]))
    >>> [[round(float(v), 3) for v in row] for row in rows.toarray()]
    [[0.646, 0.763], [0.0, 0.0]]
    """
    token_lists = token_lists if isinstance(token_lists, list) else list(token_lists)
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    columns = np.fromiter(
        map(vocabulary.get, chain.from_iterable(token_lists), repeat(-1)), dtype=np.int64, count=int(lengths.sum())
    )
    return rows_of_columns(columns, lengths, len(vocabulary), idf, sublinear_tf)


def rows_of_columns(columns: np.ndarray, lengths: np.ndarray, n_terms: int, idf: np.ndarray, sublinear_tf: bool = True):
    """:func:`tfidf_rows` of articles given as the columns of their tokens (-1: not in the vocabulary, dropped),
    ``lengths`` tokens per article."""
    n_rows = len(lengths)
    rows = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
    known = columns >= 0
    # One key per (row, column): sorted, they are the CSR layout with sorted indices; their run lengths the counts.
    keys, counts = np.unique(rows[known] * max(n_terms, 1) + columns[known], return_counts=True)
    return rows_of_cells(keys, counts, n_rows, n_terms, idf, sublinear_tf)


def rows_of_cells(keys: np.ndarray, counts: np.ndarray, n_rows: int, n_terms: int, idf: np.ndarray, sublinear_tf=True):
    """The TF-IDF rows of :func:`rows_of_columns` from each (row, column) cell's token count: ``keys`` are the
    cells, ``row * n_terms + column``, sorted and each once.

    Examples
    --------
    >>> X = rows_of_cells(np.array([0, 1, 3]), np.array([2, 1, 4]), 2, 2, np.array([1.0, 2.0]))
    >>> X.indices.tolist(), [round(float(v), 3) for v in X.data]
    ([0, 1, 1], [0.646, 0.763, 1.0])
    """
    import scipy.sparse as sp

    indptr = np.zeros(n_rows + 1, dtype=np.int32)
    np.cumsum(np.bincount(keys // max(n_terms, 1), minlength=n_rows), out=indptr[1:])
    data = counts.astype(np.float32)
    indices = (keys % max(n_terms, 1)).astype(np.int32)
    if sublinear_tf:
        np.log(data, data)
        data += 1.0
    data *= np.asarray(idf)[indices]
    _normalise_rows_l2(data, indptr)
    return sp.csr_matrix((data, indices, indptr), shape=(n_rows, n_terms))


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
    """Unit-length document vectors of TF-IDF rows (the rows themselves when there is no projection).

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
