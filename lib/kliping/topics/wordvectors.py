"""Document vectors from word vectors trained on the corpus itself.

Words that stand near each other in the corpus's own sentences (``gol`` and ``laga``, ``saham`` and ``investor``)
get similar vectors; an article's vector is a weighted sum of its words' vectors. Two articles on the same
beat then lie close even when they share few words, which a bag of words (or LSA of it) only sees when the words
co-occur in whole articles.

The word vectors are the classic count-based kind (Levy, Goldberg & Dagan 2015): co-occurrence counts in a window
of 5 words each side (nearer words count more: 1/distance), positive pointwise mutual information with the context
counts smoothed to the power 0.75, then a truncated SVD, ``U · sqrt(S)``, rows at unit length. Everything is
learnt from the corpus being clustered, so it works offline for any Indonesian corpus and needs no model download.
An article's vector weighs its words as SIF does and leaves out the direction every article shares
(:func:`projection`).

Measured on the CLICK-ID samples (k = number of desks, seeds 0-2, ``benchmarks/bench_topics_quality.py``, spectral):
NMI against the desks 0.538 ± 0.001, ARI 0.459 on the 3,235-article sample and 0.542 ± 0.002, ARI 0.465 on a
disjoint 2,806-article sample; with plain TF-IDF-weighted sums 0.490 / 0.379 and 0.504 / 0.348, with LSA of the same
TF-IDF 0.488 and 0.457 (NMI). On all 22k articles at k = 10 (KMeans, ``kliping run``) 0.501 against 0.486 (sums).
A desk's mean vector, as the centre of a topic, would place articles at NMI 0.63 / 0.64: a bound on these vectors.

Because an article's vector is ``normalize(X @ P.T)``, ``X`` its TF-IDF row and ``P`` = :func:`projection`, ``P`` is
a linear projection, exactly as LSA's components were: a saved model places new articles with the same product.

Examples
--------
>>> docs = [["gol", "laga", "menang"], ["laga", "gol", "liga"], ["saham", "investor", "bursa"],
...         ["bursa", "saham", "rupiah"]] * 10
>>> vocabulary = {w: i for i, w in enumerate(sorted({w for d in docs for w in d}))}
>>> counts = cooccurrence(docs, vocabulary, window=2)
>>> counts.shape, bool((counts != counts.T).nnz == 0)
((8, 8), True)
>>> W, _ = word_vectors(counts, dims=3)
>>> near = lambda a, b: float(W[vocabulary[a]] @ W[vocabulary[b]])
>>> near("gol", "laga") > near("gol", "saham")
True
"""

from __future__ import annotations

import math
from itertools import chain, repeat

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds
from sklearn.preprocessing import normalize

from kliping import config

#: Words each side that count as context. 5 is the common choice for topical (not syntactic) similarity;
#: 2 and 15 gave the same topics within ±0.01 NMI on the CLICK-ID samples.
WINDOW = 5
#: Dimensions of the word vectors, as many as the LSA they replace.
DIMS = 100
#: Context counts are raised to this power before PMI, so rare contexts do not get huge PMI (Levy et al. 2015).
CONTEXT_SMOOTHING = 0.75
#: The word vectors' SVD is taken among this many most frequent words; the others are placed by their PPMI with them.
CORE_WORDS = 5000
#: SIF's ``a`` (:func:`projection`): a word weighs ``a / (a + p(w))``. Arora et al. recommend 1e-4 to 1e-3; on the
#: CLICK-ID samples (spectral, 100 neighbours, k = desks, seeds 0-2) 3e-5 and 1e-4 gave NMI 0.538 and 0.544/0.540
#: (3,235 / 2,806 articles), 3e-4 0.531/0.533 and 1e-3 0.525/0.524: the lower end, where only words more common
#: than 1 in 10,000 lose weight.
SIF_SMOOTHING = 1e-4
#: Tokens whose co-occurrences are counted at once (:func:`cooccurrence_of_ids`): 4 M tokens take about 0.5 GB of
#: pair keys; the 22k CLICK-ID articles (2.85 M tokens) are one chunk.
COOCCURRENCE_CHUNK = 4_000_000


def cooccurrence(token_lists, vocabulary: dict, window: int = WINDOW) -> sp.csr_matrix:
    """Symmetric co-occurrence counts of the vocabulary's words within ``window`` tokens, weighted 1/distance.

    Tokens outside the vocabulary keep their place (they separate words) but are not counted. One pass of numpy
    per distance over the whole corpus, with a gap of ``window`` blanks between articles so that no pair spans two.

    Examples
    --------
    >>> cooccurrence([["banjir", "rendam", "bekasi"]], {"banjir": 0, "bekasi": 1}, window=2).toarray()
    array([[0. , 0.5],
           [0.5, 0. ]], dtype=float32)
    """
    return scaled_counts(integer_cooccurrence(token_lists, vocabulary, window), window)


def integer_cooccurrence(token_lists, vocabulary: dict, window: int = WINDOW) -> sp.csr_matrix:
    """:func:`cooccurrence` in whole numbers: each pair weighted ``lcm(1..window) / distance`` (60, 30, 20, 15,
    12 for a window of 5), in float64, where sums of whole numbers are exact.

    Counts of parts of a corpus therefore add up, in any order, to the counts of the whole, bit for bit: the
    distributed run (:mod:`kliping.scale`) sums them over partitions and learns the in-process word vectors.

    Examples
    --------
    >>> vocabulary = {"banjir": 0, "bekasi": 1, "rendam": 2}
    >>> whole = integer_cooccurrence([["banjir", "rendam", "bekasi"], ["bekasi", "banjir"]], vocabulary, window=2)
    >>> parts = integer_cooccurrence([["banjir", "rendam", "bekasi"]], vocabulary, 2) + integer_cooccurrence(
    ...     [["bekasi", "banjir"]], vocabulary, 2)
    >>> whole.toarray().tolist() == parts.toarray().tolist(), float(whole[0, 1])
    (True, 3.0)
    """
    token_lists = token_lists if isinstance(token_lists, list) else list(token_lists)
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    # Every token's word id in one pass over the tokens (-1: not in the vocabulary). The ids were once extended token
    # by token in a generator: 8 of the 20 s of this function on the 22k articles (profiled, loaded machine).
    ids = np.fromiter(
        map(vocabulary.get, chain.from_iterable(token_lists), repeat(-1)), dtype=np.int64, count=int(lengths.sum())
    )
    return cooccurrence_of_ids(ids, lengths, len(vocabulary), window)


def cooccurrence_of_ids(ids: np.ndarray, lengths: np.ndarray, size: int, window: int = WINDOW) -> sp.csr_matrix:
    """:func:`integer_cooccurrence` of articles given as word ids (``lengths`` per article, -1: not counted, but
    keeps its place), over ``size`` words: what the run counts, from the stem stage's word numbers.

    Articles are counted :data:`COOCCURRENCE_CHUNK` tokens at a time and the whole-number counts added, which gives
    the same matrix: the pair keys of the 221k perturbed articles at once (five distances, int64, then sorted) held
    about 2 GB.

    Examples
    --------
    >>> cooccurrence_of_ids(np.array([0, -1, 1, 1, 0]), np.array([3, 2]), 2, window=2).toarray().tolist()
    [[0.0, 3.0], [3.0, 0.0]]
    """
    ids, lengths = np.asarray(ids, dtype=np.int64), np.asarray(lengths, dtype=np.int64)
    ends = np.cumsum(lengths)
    cuts = np.unique(np.searchsorted(ends, np.arange(COOCCURRENCE_CHUNK, len(ids), COOCCURRENCE_CHUNK), "right"))
    bounds = [0, *[int(c) for c in cuts if 0 < c < len(lengths)], len(lengths)]
    counts = None
    for a, b in zip(bounds, bounds[1:]):
        start, stop = int(ends[a - 1]) if a else 0, int(ends[b - 1]) if b else 0
        part = _cooccurrence_one_way(ids[start:stop], lengths[a:b], size, window)
        counts = part if counts is None else counts + part
    if counts is None or not counts.nnz:
        return sp.csr_matrix((size, size), dtype=np.float64)
    return (counts + counts.T).tocsr()


def _cooccurrence_one_way(ids: np.ndarray, lengths: np.ndarray, size: int, window: int) -> sp.csr_matrix:
    """The counts of each (left word, right word) pair of the articles, before adding the transpose."""
    scale = math.lcm(*range(1, window + 1))
    # Placed with a gap of `window` blanks after each article, so that no pair spans two.
    stream = np.full(len(ids) + window * len(lengths), -1, dtype=np.int64)
    stream[np.arange(len(ids)) + window * np.repeat(np.arange(len(lengths)), lengths)] = ids
    # Each pair as one int64 key, (left word * size + right word) * slots + distance, sorted once: runs of equal keys
    # are a pair's count at a distance, runs of equal pairs its weighted sum. scipy's COO to CSR sorted the 27M
    # pairs of the 22k articles with np.lexsort (5 s) and added the transpose, twice as slow as this on one core.
    keys, slots = [np.zeros(0, dtype=np.int64)], window + 1
    for distance in range(1, window + 1):
        left, right = stream[:-distance], stream[distance:]
        both = (left >= 0) & (right >= 0)
        keys.append((left[both] * size + right[both]) * slots + distance)
    keys = np.concatenate(keys)
    if not len(keys):
        return sp.csr_matrix((size, size), dtype=np.float64)
    keys.sort()
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    keys, runs = keys[starts], np.diff(np.r_[starts, len(keys)])
    weights = runs * (scale // (keys % slots))  # whole numbers: any order of summing gives the same counts
    pairs = keys // slots
    starts = np.flatnonzero(np.r_[True, pairs[1:] != pairs[:-1]])
    sums, pairs = np.add.reduceat(weights, starts).astype(np.float64), pairs[starts]
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(pairs // max(size, 1), minlength=size), out=indptr[1:])
    return sp.csr_matrix(
        (sums, (pairs % max(size, 1)).astype(np.int32), indptr.astype(np.int32)), shape=(size, size), dtype=np.float64
    )


def scaled_counts(counts: sp.spmatrix, window: int = WINDOW) -> sp.csr_matrix:
    """Whole-number counts (:func:`integer_cooccurrence`) back to 1/distance weights, as float32."""
    scaled = sp.csr_matrix(counts, dtype=np.float64) / math.lcm(*range(1, window + 1))
    return sp.csr_matrix(scaled, dtype=np.float32)


def word_frequency(counts: sp.spmatrix) -> np.ndarray:
    """Every word's share of all co-occurrences (its row of ``counts`` summed, over all rows summed): how common
    the word is, ``p(w)``, read off the counts the word vectors come from, so parts of a corpus add up.

    On the CLICK-ID samples it gave the same topics as each word's share of the tokens (NMI 0.538 / 0.542 against
    0.537 / 0.540, 3,235 / 2,806 articles, seeds 0-2), without another pass over the tokens.

    Examples
    --------
    >>> counts = cooccurrence([["banjir", "rendam", "banjir"], ["banjir", "gol"]], {"banjir": 0, "gol": 1, "rendam": 2})
    >>> word_frequency(counts).round(2).tolist()
    [0.57, 0.14, 0.29]
    """
    mass = np.asarray(counts.sum(axis=1), dtype=np.float64).ravel()
    return mass / max(float(mass.sum()), 1e-12)


def word_vectors(
    counts: sp.spmatrix, dims: int = DIMS, smoothing: float = CONTEXT_SMOOTHING, core: int = CORE_WORDS
) -> tuple[np.ndarray, float]:
    """Unit-length word vectors from co-occurrence counts: positive PMI, then a truncated SVD.

    The SVD is taken of the PPMI among the ``core`` most frequent words only; every word's vector is then its
    PPMI row over those words projected on the core's singular vectors (``P · V / sqrt(S)``, which is
    ``U · sqrt(S)`` for the core words themselves). This keeps the cost flat as the corpus grows (the full SVD took
    7.4 s of CPU on the 38k words of the 22k CLICK-ID articles, the core one 1.4 s, both randomized) and gave the
    same topics on the CLICK-ID samples. The core SVD is converged (:func:`core_svd`), so no seed enters.

    Returns
    -------
    W : ndarray (n_words, dims) of float32
        A word that never co-occurs with a core word gets a zero row.
    kept : float
        Share of the core PPMI matrix's squared norm that the ``dims`` dimensions keep.
    """
    ppmi = _ppmi(counts, smoothing)
    frequency = np.asarray(counts.sum(axis=1)).ravel()
    kept_words = np.sort(np.argsort(-frequency, kind="stable")[:core])
    inner = ppmi[kept_words][:, kept_words]
    dims = max(1, min(dims, min(inner.shape) - 1))
    S, VT = core_svd(inner, dims)
    W = (ppmi[:, kept_words] @ VT.T) / np.sqrt(S)
    kept = float((S**2).sum() / max(inner.multiply(inner).sum(), 1e-12))
    return normalize(np.asarray(W)).astype(np.float32), kept


def core_svd(inner: sp.spmatrix, dims: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``dims`` largest singular values (largest first, at least 1e-12) and right singular vectors of ``inner``,
    converged and the same on every run: no seed.

    ARPACK (Lanczos) started from a fixed vector, where a randomized SVD's 3 power iterations (the one before)
    left the subspace depending on the seed: on the 5,000 × 5,000 core PPMI of the 22k CLICK-ID articles its 100
    singular vectors of seeds 0-2 shared 0.827 of their subspace (``||V_a V_b^T||² / 100``), and the topics of
    seeds 0-2 agreed at ARI 0.94-0.97. ARPACK took 2.1-2.2 s of CPU there (one BLAS thread) against 0.9 s, as much
    as a randomized SVD of 7 iterations and 60 oversamples (2.3 s), which still left 0.996.

    Examples
    --------
    >>> inner = sp.csr_matrix(np.diag([3.0, 2.0, 1.0, 0.5]))
    >>> S, VT = core_svd(inner, 2)
    >>> S.round(3).tolist(), np.abs(VT).round(3).tolist()
    ([3.0, 2.0], [[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]])
    """
    size = min(inner.shape)
    start = np.full(size, 1 / math.sqrt(size), dtype=inner.dtype)  # fixed: any vector not orthogonal to the answer
    _, S, VT = svds(inner, k=dims, v0=start, solver="arpack")
    order = np.argsort(-S, kind="stable")
    return np.maximum(S[order], 1e-12), VT[order]


def _ppmi(counts: sp.spmatrix, smoothing: float) -> sp.csr_matrix:
    """Positive pointwise mutual information of word-context counts, context counts smoothed to ``smoothing``."""
    counts = sp.csr_matrix(counts)
    counts.sum_duplicates()  # canonical (it is, from cooccurrence_of_ids): the COO below has its order
    counts = counts.tocoo()
    # The sum of the canonical values as they lie: scipy's COO sum first sorts the entries again (np.lexsort of the
    # 7.7 M counts of the 22k CLICK-ID articles: 1.5 of this function's 1.7 s CPU), the same values in the same order.
    total = float(counts.data.sum())
    words = np.asarray(counts.sum(axis=1)).ravel()
    contexts = np.asarray(counts.sum(axis=0)).ravel() ** smoothing
    contexts /= max(contexts.sum(), 1e-12)
    with np.errstate(divide="ignore"):
        pmi = np.log(counts.data / total) - np.log(words[counts.row] / total) - np.log(contexts[counts.col])
    keep = pmi > 0
    return sp.csr_matrix(
        (pmi[keep].astype(np.float32), (counts.row[keep], counts.col[keep])), shape=counts.shape, dtype=np.float32
    )


def projection(X, W: np.ndarray, frequency: np.ndarray, idf: np.ndarray, smoothing: float = SIF_SMOOTHING):
    """The matrix that turns a TF-IDF row into its (not yet unit-length) document vector: ``X @ projection.T``.

    Two changes to the plain TF-IDF-weighted sum ``X @ W``, both from SIF (Arora, Liang & Ma 2017, "A simple but
    tough-to-beat baseline for sentence embeddings"), both label-free and both linear, so that a saved model still
    places a new article with one matrix product:

    * each word counts ``a / (a + p(w))`` (``a`` = ``smoothing``, ``p(w)``: :func:`word_frequency`) in place of
      its idf; the article's term frequencies (``1 + log tf``) stay;
    * the direction that all the articles' vectors share (their mean) is taken out: it says "this is a news
      article", the same for every topic, and only blurs the differences between them.

    Parameters
    ----------
    X : sparse matrix (n_articles, n_words)
        TF-IDF rows, columns in vocabulary order.
    W : ndarray (n_words, dims)
        Word vectors (:func:`word_vectors`).
    frequency : ndarray (n_words,)
        :func:`word_frequency`.
    idf : ndarray (n_words,)
        The vectorizer's idf weights (``TfidfVectorizer.idf_``), divided out again.

    Returns
    -------
    ndarray (dims, n_words) of float32

    Examples
    --------
    Three one-word articles ("banjir", "rob", "gol") whose word vectors share a "news" dimension (the first); the
    flood and the tide then stay close, and the flood and the goal, once the shared dimension is out, far apart:

    >>> import scipy.sparse as sp
    >>> W = normalize(np.array([[1.0, 0.8, 0.0], [1.0, 0.7, 0.1], [1.0, -0.3, 0.6]]))
    >>> P = projection(sp.csr_matrix(np.eye(3)), W, np.full(3, 1 / 3), np.ones(3))
    >>> Z = document_vectors(sp.csr_matrix(np.eye(3)), W)
    >>> S = document_vectors(sp.csr_matrix(np.eye(3)), P.T)
    >>> P.shape, [round(float(V[0] @ V[1]), 2) for V in (Z, S)], [round(float(V[0] @ V[2]), 2) for V in (Z, S)]
    ((3, 3), [0.99, 0.99], [0.49, -1.0])
    """
    weights = (smoothing / (smoothing + np.asarray(frequency, dtype=np.float64))) / np.asarray(idf, dtype=np.float64)
    weighted = np.asarray(W, dtype=np.float64) * weights[:, None]
    common = normalize(np.asarray(X @ weighted)).mean(axis=0)
    common /= max(float(np.linalg.norm(common)), 1e-12)
    weighted -= np.outer(weighted @ common, common)
    return np.ascontiguousarray(weighted.T, dtype=np.float32)


def document_vectors(X, W: np.ndarray) -> np.ndarray:
    """Unit-length rows of ``X @ W`` (``X``: TF-IDF rows over W's vocabulary, ``W``: word vectors or
    ``projection(...).T``)."""
    return normalize(np.asarray(X @ W, dtype=np.float32))


def document_space(X, token_lists=None, vocabulary=None, seed: int = config.SEED, counts=None, idf=None):
    """The document vectors of TF-IDF rows ``X``, and the projection that makes them from new rows.

    Word vectors are learnt from the articles' ``token_lists`` (or from their whole-number co-occurrence
    ``counts``, :func:`integer_cooccurrence`, summed over parts of the corpus), and the words weighed as SIF does
    (:func:`projection`, with the vectorizer's ``idf`` weights, needed then); a corpus of fewer than
    :data:`kliping.topics.tfidf.SMALL_CORPUS` articles, too few to learn words from, gets LSA instead.

    Returns
    -------
    Z : ndarray (n_articles, dims)
        Unit-length document vectors.
    components : ndarray (dims, n_terms) or None
        ``normalize(X @ components.T)`` is ``Z`` (None: the rows themselves, for a corpus too small to project).
    kept : float
        Share of the co-occurrence (or, for LSA, of the TF-IDF) variance the dimensions keep.
    """
    from threadpoolctl import threadpool_limits

    from kliping.topics import tfidf

    # One BLAS thread: BLAS sums in another order on another number of threads, and the last bits of the vectors
    # moved 17 confidences of the 22k articles by 0.0001 between a 2-thread and a 1-thread process (a Dask
    # client's). With one, a seed gives the same vectors on any machine; the 22k run took no longer.
    with threadpool_limits(1, user_api="blas"):
        if X.shape[0] < tfidf.SMALL_CORPUS:
            model, Z = tfidf.lsa(X, seed=seed)
            components = None if model is None else model[0].components_.astype(np.float32)
            return Z, components, tfidf.explained_variance(model)
        if idf is None:
            raise ValueError("document_space needs the vectorizer's idf weights to weigh words as SIF does")
        if counts is None:
            counts = integer_cooccurrence(token_lists, vocabulary)
        W, kept = word_vectors(scaled_counts(counts))
        components = projection(X, W, word_frequency(counts), idf)
        return document_vectors(X, components.T), components, kept
