"""Tests for kliping.topics.wordvectors on real stemmed text: 450 CLICK-ID articles (50 per category)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from test_vectorize import clean_and_stem_subset

from kliping import pipeline, stem
from kliping.topics import tfidf as vectorize
from kliping.topics import wordvectors as embed


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    cleaned, stemmed = clean_and_stem_subset(tmp_path_factory.mktemp("embed"))
    vectorizer, X = vectorize.tfidf(stemmed.tokens)
    counts = embed.cooccurrence(stemmed.tokens, vectorizer.vocabulary_)
    W, kept = embed.word_vectors(counts)
    return {"cleaned": cleaned, "stemmed": stemmed, "vectorizer": vectorizer, "X": X, "W": W, "kept": kept}


def test_cooccurrence_counts_each_pair_once_per_distance_within_an_article(corpus):
    first = corpus["stemmed"].tokens[0]
    vocabulary = {word: i for i, word in enumerate(dict.fromkeys(first))}
    counts = embed.cooccurrence([first, first], vocabulary, window=1)
    neighbours = sum(a != b for a, b in zip(first, first[1:]))
    # Two copies of the article: each adjacent pair counted twice in each direction, none across the two copies.
    assert counts.sum() == pytest.approx(2 * 2 * (len(first) - 1)) and (counts != counts.T).nnz == 0
    assert neighbours > 0


def test_word_vectors_put_a_beats_words_together(corpus):
    W, vocabulary = corpus["W"], corpus["vectorizer"].vocabulary_
    assert W.shape == (len(vocabulary), embed.DIMS) and W.dtype == np.float32 and 0 < corpus["kept"] < 1
    norms = np.linalg.norm(W, axis=1)
    assert np.allclose(norms[norms > 0], 1, atol=1e-4)

    def nearest(word, n=15):
        similarity = W @ W[vocabulary[word]]
        terms = corpus["vectorizer"].get_feature_names_out()
        return set(terms[np.argsort(-similarity)[1 : n + 1]])

    assert nearest("gol") & {"gawang", "cetak", "bobol", "assist", "laga", "babak", "menit", "skor"}
    assert nearest("saham") & {"bursa", "investor", "ihsg", "emiten", "harga", "persen", "pasar", "investasi"}


def test_ppmi_of_real_counts_is_the_definition_whatever_the_sparse_format(corpus):
    """PPMI of the real co-occurrence counts as its definition gives it (dense, float64), and the same bits whether
    the counts come as canonical CSR (as the run hands them) or as shuffled COO triplets."""
    vocabulary = corpus["vectorizer"].vocabulary_
    counts = embed.scaled_counts(embed.integer_cooccurrence(corpus["stemmed"].tokens, vocabulary))
    ppmi = embed._ppmi(counts, embed.CONTEXT_SMOOTHING)
    dense = counts.toarray().astype(np.float64)
    contexts = dense.sum(axis=0) ** embed.CONTEXT_SMOOTHING
    with np.errstate(divide="ignore"):
        pmi = np.log(dense / dense.sum()) - np.log(dense.sum(axis=1, keepdims=True) / dense.sum())
        pmi -= np.log(contexts / contexts.sum())
    expected = np.where(dense > 0, np.maximum(pmi, 0), 0)
    assert ppmi.dtype == np.float32 and ppmi.nnz > 1000 and ppmi.has_sorted_indices
    assert np.allclose(ppmi.toarray(), expected, atol=1e-4)
    coo = counts.tocoo()
    shuffled = np.random.default_rng(0).permutation(coo.nnz)
    triplets = sp.coo_matrix((coo.data[shuffled], (coo.row[shuffled], coo.col[shuffled])), shape=coo.shape)
    again = embed._ppmi(triplets, embed.CONTEXT_SMOOTHING)
    assert (again != ppmi).nnz == 0


def test_core_svd_is_the_exact_truncated_svd_of_real_ppmi(corpus):
    """The word vectors' SVD is converged: the largest singular values and subspace of a real core PPMI matrix as a
    dense LAPACK SVD gives them, so no seed can move the topics (a randomized SVD of 3 iterations did)."""
    vocabulary = corpus["vectorizer"].vocabulary_
    counts = embed.cooccurrence(corpus["stemmed"].tokens, vocabulary)
    frequency = np.asarray(counts.sum(axis=1)).ravel()
    core = np.sort(np.argsort(-frequency, kind="stable")[:800])
    inner = embed._ppmi(counts, embed.CONTEXT_SMOOTHING)[core][:, core]
    S, VT = embed.core_svd(inner, 50)
    _, exact, exact_VT = np.linalg.svd(inner.toarray().astype(np.float64))
    assert list(S) == sorted(S, reverse=True)
    assert np.allclose(S, exact[:50], rtol=1e-3)
    shared = np.linalg.norm(VT.astype(np.float64) @ exact_VT[:50].T) ** 2 / 50  # 1: the same subspace
    assert shared > 0.999


def test_document_vectors_find_an_articles_desk_among_its_neighbours_better_than_lsa(corpus):
    """A 10-nearest-neighbour vote (5-fold, shown the labels) is a bound on how well any clustering of the vectors
    can follow the desks; on these 450 articles the word-vector documents beat LSA of the same TF-IDF."""
    truth = corpus["cleaned"]["label"].to_numpy()
    D = embed.document_vectors(corpus["X"], corpus["W"])
    _, Z = vectorize.lsa(corpus["X"], seed=0)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)

    def knn(V):
        return cross_val_score(KNeighborsClassifier(10, metric="cosine"), V, truth, cv=folds).mean()

    assert knn(D) > knn(Z) + 0.02, (knn(D), knn(Z))


def test_vectorize_uses_word_vectors_and_projects_new_articles_the_same_way(corpus):
    vectors = pipeline.vectorize(corpus["cleaned"], corpus["stemmed"], seed=0)
    assert vectors.components.shape == (embed.DIMS, len(vectors.vectorizer.vocabulary_))
    again = vectors.transform(corpus["stemmed"].tokens[:20])
    np.testing.assert_allclose(again, vectors.Z[:20], atol=1e-5)
    tiny = pd.DataFrame({"id": ["a", "b", "c"], "status": "ok"})
    few = stem.StemResult(tokens=[["banjir", "bekasi"], ["gol"], ["banjir"]], display_words={}, stem_of={})
    small = pipeline.vectorize(tiny, few)
    assert small.Z.shape[0] == 3  # under 50 articles: LSA (here the TF-IDF rows), no word vectors


def test_sif_projection_takes_out_what_every_article_shares_and_keeps_the_desks_apart(corpus):
    """On these 450 articles the plain TF-IDF-weighted sums share a direction (their mean has length 0.47: every pair
    of articles has cosine 0.21 on average); the SIF projection leaves a mean of length 0.003, and a 10-nearest-
    neighbour desk vote stays where it was (0.72 against 0.73)."""
    X, W, tokens = corpus["X"], corpus["W"], corpus["stemmed"].tokens
    vocabulary = corpus["vectorizer"].vocabulary_
    frequency = embed.word_frequency(embed.integer_cooccurrence(tokens, vocabulary))
    assert frequency.sum() == pytest.approx(1) and (frequency > 0).all()
    P = embed.projection(X, W, frequency, corpus["vectorizer"].idf_)
    assert P.shape == (embed.DIMS, len(vocabulary)) and P.dtype == np.float32
    plain, sif = embed.document_vectors(X, W), embed.document_vectors(X, P.T)
    assert np.linalg.norm(plain.mean(axis=0)) > 0.3 and np.linalg.norm(sif.mean(axis=0)) < 0.05
    truth = corpus["cleaned"]["label"].to_numpy()
    folds = StratifiedKFold(5, shuffle=True, random_state=0)

    def knn(V):
        return cross_val_score(KNeighborsClassifier(10, metric="cosine"), V, truth, cv=folds).mean()

    assert knn(sif) > knn(plain) - 0.03, (knn(sif), knn(plain))
    # The commonest word kept ("indonesia", in almost half of the articles) weighs less against a rarer one ("gol")
    # than idf alone made it.
    sif_over_idf = (embed.SIF_SMOOTHING / (embed.SIF_SMOOTHING + frequency)) / corpus["vectorizer"].idf_
    assert sif_over_idf[vocabulary["indonesia"]] < 0.5 * sif_over_idf[vocabulary["gol"]]
