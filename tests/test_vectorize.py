"""Tests for kliping.topics.tfidf on real stemmed text: the CLICK-ID sample and the seeds."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import require_shared

from kliping import clean, io, pipeline, stem
from kliping.topics import tfidf as vectorize


def labelled_subset(per_category: int = 50) -> list[dict]:
    """The first ``per_category`` articles of every coarse category of the CLICK-ID sample."""
    path = require_shared("corpora/clickid_labelled_news/sample_stratified.jsonl")
    taken, records = {}, []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            category = record["category_coarse"]
            if taken.get(category, 0) < per_category:
                taken[category] = taken.get(category, 0) + 1
                records.append(record)
    return records


def clean_and_stem_subset(folder):
    """The labelled subset written to ``folder``, read, cleaned and stemmed with an empty cache there."""
    corpus = folder / "subset.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in labelled_subset()), encoding="utf-8")
    cleaned = clean.clean_articles(io.read_corpus(corpus, label_field="category_coarse"), progress=False)
    return cleaned, stem.stem_corpus(pipeline.stem_input(cleaned), cache_dir=folder / "cache", progress=False)


@pytest.fixture(scope="module")
def stemmed(tmp_path_factory):
    """450 real articles (50 per category), cleaned and stemmed with an empty cache."""
    return clean_and_stem_subset(tmp_path_factory.mktemp("vectorize"))[1]


def test_tfidf_keeps_only_terms_within_the_document_frequency_limits(stemmed):
    vectorizer, X = vectorize.tfidf(stemmed.tokens, min_df=2, max_df=0.5)
    df = vectorize.document_frequencies(stemmed.tokens)
    n = len(stemmed.tokens)
    kept = vectorizer.get_feature_names_out()
    assert X.shape == (n, len(kept)) and X.dtype == np.float32
    assert all(2 <= df[term] <= 0.5 * n for term in kept)
    # What was dropped is exactly what breaks a limit.
    dropped = set(df) - set(kept)
    assert dropped == {term for term in df if df[term] < 2 or df[term] > 0.5 * n}
    table = vectorize.pruned_terms(stemmed.tokens, vectorizer, stemmed.display_words)
    assert table["terms"].sum() == len(dropped)
    # Rows are unit length (cosine = dot product); sublinear tf caps a repeated word.
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    assert np.allclose(norms[norms > 0], 1.0, atol=1e-5)


def test_news_words_survive_and_junk_is_pruned(stemmed):
    vectorizer, _ = vectorize.tfidf(stemmed.tokens)
    vocabulary = set(vectorizer.vocabulary_)
    assert {"presiden", "pemain", "film", "harga"} <= {stemmed.display_words.get(t, t) for t in vocabulary}
    frequent = vectorize.pruned_terms(stemmed.tokens, vectorizer)
    assert frequent.loc[frequent["reason"].str.contains("min_df"), "terms"].item() > 1000  # names, typos


def test_a_tiny_corpus_keeps_every_term(tmp_path):
    docs = stem.stem_documents(
        ["Banjir merendam Bekasi.", "Persib menang atas Persija.", "Harga cabai naik."], cache_dir=tmp_path
    )
    vectorizer, X = vectorize.tfidf(docs)
    assert set(vectorizer.vocabulary_) == {t for d in docs for t in d}
    _, Z = vectorize.lsa(X)
    assert Z.shape[0] == 3 and np.allclose(np.linalg.norm(Z, axis=1), 1, atol=1e-5)


def test_lsa_is_deterministic_under_seed_and_rows_are_unit_length(stemmed):
    _, X = vectorize.tfidf(stemmed.tokens)
    model, Z = vectorize.lsa(X, n_components=50, seed=7)
    _, again = vectorize.lsa(X, n_components=50, seed=7)
    assert Z.shape == (X.shape[0], 50)
    np.testing.assert_array_equal(Z, again)
    assert np.allclose(np.linalg.norm(Z, axis=1), 1, atol=1e-4)
    assert 0 < vectorize.explained_variance(model) < 1


def test_top_terms_are_shown_as_surface_words(stemmed):
    vectorizer, X = vectorize.tfidf(stemmed.tokens)
    top = vectorize.top_terms(X, vectorizer, stemmed.display_words, n=30)
    assert len(top) == 30 and top["weight"].is_monotonic_decreasing
    # Every shown word is a word of the corpus, not a bare stem: "pemerintah", never "perintah".
    surface = set(stemmed.stem_of)
    assert all(word in surface for word in top["word"])
    if "perintah" in stemmed.display_words:
        assert stemmed.display_words["perintah"] == "pemerintah"


def test_seed_pages_vectorize(tmp_path, seed_dir):
    cleaned = clean.clean_articles(io.read_corpus(seed_dir), progress=False)
    tokens = stem.stem_corpus(pipeline.stem_input(cleaned), cache_dir=tmp_path, progress=False).tokens
    vectorizer, X = vectorize.tfidf(tokens)
    assert X.shape[0] == 2 and X.shape[1] > 50


def test_the_numbers_of_the_stem_stage_give_scikit_learns_fit_bit_for_bit(stemmed):
    # The stem stage's word numbers and the token lists are the same tokens; both fits equal scikit-learn's.
    tokens = [t for t in stemmed.tokens if t]
    lengths = np.diff(stemmed.offsets)
    numbered = (stemmed.word_ids[np.repeat(lengths > 0, lengths)], lengths[lengths > 0], stemmed.words)
    fitted, expected = vectorize.tfidf(tokens)
    for vocabulary, X in (vectorize.fit_tfidf(tokens), vectorize.fit_tfidf(tokens, numbered)):
        assert vocabulary.vocabulary_ == fitted.vocabulary_
        assert np.array_equal(vocabulary.idf_, fitted.idf_)
        assert X.dtype == expected.dtype and np.array_equal(X.indptr, expected.indptr)
        assert np.array_equal(X.indices, expected.indices) and np.array_equal(X.data, expected.data)


def test_cooccurrence_of_the_numbers_equals_that_of_the_tokens(stemmed):
    from kliping.topics import wordvectors

    vocabulary, _ = vectorize.fit_tfidf(stemmed.tokens)
    columns = vocabulary.columns_of(stemmed.words)[stemmed.word_ids]
    from_ids = wordvectors.cooccurrence_of_ids(columns, np.diff(stemmed.offsets), len(vocabulary.vocabulary_))
    from_tokens = wordvectors.integer_cooccurrence(stemmed.tokens, vocabulary.vocabulary_)
    assert from_ids.nnz > 10_000 and (from_ids != from_tokens).nnz == 0
    assert np.array_equal(from_ids.indices, from_tokens.indices) and (from_ids != from_ids.T).nnz == 0


def test_presence_of_real_tfidf_rows_is_x_above_zero_and_leaves_x_alone(stemmed):
    from kliping.topics.words import presence

    _, X = vectorize.fit_tfidf(stemmed.tokens)
    indices, data = X.indices.copy(), X.data.copy()
    present = presence(X)
    assert present.dtype == np.float32 and present.nnz == X.nnz > 10_000
    assert (present != (X.copy() > 0).astype(np.float32)).nnz == 0  # scipy's X > 0 sorts X's own indices
    present.sort_indices()  # sorting its own indices in place (scipy does, when an operation needs them sorted)
    assert np.array_equal(X.indices, indices) and np.array_equal(X.data, data)
