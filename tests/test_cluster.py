"""Tests for kliping.topics.clustering on real articles: 450 labelled CLICK-ID articles (50 per category)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from test_vectorize import clean_and_stem_subset

from kliping import pipeline
from kliping.topics import clustering as cluster
from kliping.topics import coherence, describe, mixed
from kliping.topics import words as topicwords


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Cleaned articles with labels, their stems, and kliping's vectors (seed 0)."""
    cleaned, stemmed = clean_and_stem_subset(tmp_path_factory.mktemp("cluster"))
    assert pipeline.usable_rows(cleaned, stemmed.tokens).all()
    vectors = pipeline.vectorize(cleaned, stemmed, seed=0)
    clustering = pipeline.cluster(vectors, k=9, seed=0)
    return {
        "articles": cleaned,
        "stemmed": stemmed,
        "vectors": vectors,
        "topics": clustering.topics,
        "truth": cleaned["label"].to_numpy(),
    }


@pytest.mark.parametrize("method", ["spectral", "kmeans"])
def test_same_seed_same_topics(corpus, method):
    Z = corpus["vectors"].Z
    first = cluster.fit_topics(Z, 9, method=method, seed=3)
    second = cluster.fit_topics(Z, 9, method=method, seed=3)
    np.testing.assert_array_equal(first.labels, second.labels)
    np.testing.assert_array_equal(first.confidence, second.confidence)
    assert first.k == 9 and first.method == method
    # Topic 0 is the largest, and the numbering follows size.
    sizes = np.bincount(first.labels)
    assert list(sizes) == sorted(sizes, reverse=True)
    assert ((first.confidence >= 0) & (first.confidence <= 1)).all()


def test_topics_agree_with_editors_categories_far_above_chance(corpus):
    labels, truth = corpus["topics"].labels, corpus["truth"]
    score = normalized_mutual_info_score(truth, labels)
    shuffled = normalized_mutual_info_score(np.random.default_rng(0).permutation(truth), labels)
    assert score > 0.35, score
    assert shuffled < 0.05 and score > 5 * shuffled
    metrics = cluster.evaluate(corpus["vectors"].Z, corpus["vectors"].X, corpus["topics"], truth, seed=0)
    assert metrics["nmi"] == pytest.approx(score, abs=1e-4) and metrics["n_labelled"] == len(truth)
    assert -1 <= metrics["coherence_npmi"] <= 1 and -1 <= metrics["silhouette"] <= 1
    assert metrics["ari"] > 0.15


def test_sport_articles_form_their_own_topic(corpus):
    """Football, badminton and MotoGP share words (laga, juara, menang): most sport lands in one topic."""
    table = pd.crosstab(corpus["truth"], corpus["topics"].labels, normalize="index")
    assert table.loc["olahraga"].max() > 0.6


def test_unlabelled_rows_are_left_out_of_nmi(corpus):
    truth = corpus["truth"].astype(object).copy()
    truth[:100] = None
    metrics = cluster.evaluate(corpus["vectors"].Z, corpus["vectors"].X, corpus["topics"], truth, seed=0)
    assert metrics["n_labelled"] == len(truth) - 100


def test_choose_k_prefers_stable_coherent_topics_and_reports_all_criteria(corpus):
    k, table = cluster.choose_k(corpus["vectors"].Z, corpus["vectors"].X, k_range=range(4, 9), seed=0, sample=300)
    assert list(table.columns) == ["k", "stability", "coherence", "silhouette", "chosen"]
    assert table["k"].tolist() == [4, 5, 6, 7, 8] and table["chosen"].sum() == 1
    chosen = table[table["chosen"]].iloc[0]
    assert chosen["k"] == k
    near, centre = near_best(table)
    assert 4 < k < 8 and k == near_k(near, centre)
    assert k == cluster.choose_k(corpus["vectors"].Z, corpus["vectors"].X, k_range=range(4, 9), seed=0, sample=300)[0]


def near_best(table):
    """The stable k whose plateau coherence is within COHERENCE_TIE of the best, and their centre weighted towards
    the best (each k by how far it clears best - COHERENCE_TIE), computed here from choose_k's own table."""
    stable = table[table["stability"] >= min(0.9, table["stability"].max() - 0.05)]
    plateau = table["coherence"].rolling(3, center=True).mean()[stable.index]
    weight = plateau - (plateau.max() - cluster.COHERENCE_TIE)
    near = stable.loc[weight > 0, "k"]
    return near, float((near * weight[near.index]).sum() / weight[near.index].sum())


def near_k(near, centre):
    return int(near.iloc[np.argmin(np.abs(near.to_numpy() - centre))])


def test_choose_k_takes_the_centre_of_a_near_tie_not_its_fewest_topics(corpus):
    """Issue 27: a near tie of coherence is settled by its centre, weighted towards the best, not by its fewest
    topics. On these 450 articles of 9 desks k = 7 and 8 tie (plateau 0.314-0.315 and 0.324-0.333, seeds 0-2);
    main's rule took 7, the tie's lower edge, for every seed (its topics: NMI 0.472 against 0.480 at 8)."""
    Z, X, truth = corpus["vectors"].Z, corpus["vectors"].X, corpus["truth"]
    k, table = cluster.choose_k(Z, X, seed=0)
    near, centre = near_best(table)
    assert len(near) >= 2, table  # a genuine near tie, or the test says nothing
    assert k == near_k(near, centre) and k > near.min(), (k, near.tolist(), centre)
    fewest = pipeline.cluster(corpus["vectors"], k=int(near.min()), seed=0).topics.labels
    chosen = pipeline.cluster(corpus["vectors"], k=k, seed=0).topics.labels
    # Labels only score: the centre's topics match the desks at least as well as the fewest's.
    assert normalized_mutual_info_score(truth, chosen) >= normalized_mutual_info_score(truth, fewest) - 0.005


def test_choose_k_gives_the_same_k_and_topics_whatever_the_seed(corpus):
    """Issue 27: with k chosen, the seed must not decide the topics. On these 450 articles main's choose_k took
    k = 9, 7, 7 for seeds 0, 1, 2 (two restarts and random subsamples); on a 300-article sample of them it also
    drew a different sample per seed."""
    Z, X = corpus["vectors"].Z, corpus["vectors"].X
    whole = [cluster.choose_k(Z, X, seed=seed)[0] for seed in (0, 1, 2)]
    sampled = [cluster.choose_k(Z, X, seed=seed, sample=300)[0] for seed in (0, 1, 2)]
    assert len(set(whole)) == 1 and len(set(sampled)) == 1, (whole, sampled)
    # ... and so the same topics: the partitions of the three seeds at that k agree.
    labels = [cluster.fit_topics(Z, whole[0], seed=seed).labels for seed in (0, 1, 2)]
    agreement = [adjusted_rand_score(labels[a], labels[b]) for a, b in ((0, 1), (0, 2), (1, 2))]
    assert min(agreement) >= 0.95, agreement


def test_choose_k_degrades_gracefully_on_tiny_corpora():
    Z = np.eye(3)
    k, table = cluster.choose_k(Z)
    assert k == 3 and len(table) == 1
    topics = cluster.fit_topics(Z, k)
    assert sorted(topics.labels) == [0, 1, 2]
    assert cluster.fit_topics(Z[:1], 5).labels.tolist() == [0]


def test_describe_topics_in_display_words_with_representatives(corpus):
    stemmed, vectors, topics = corpus["stemmed"], corpus["vectors"], corpus["topics"]
    described = describe.describe_topics(
        corpus["articles"], vectors.X, vectors.vectorizer, topics, stemmed.display_words, n_terms=8, n_articles=3
    )
    # The columns of an empty run's table (no_topics), in its order; the span in time and "mixed" come after.
    assert list(described.columns) == list(describe.no_topics().columns)[: len(described.columns)]
    assert len(described.columns) >= 9 and described["confidence"].between(0, 1).all()
    assert described["size"].sum() == len(corpus["articles"]) and described["topic"].tolist() == list(range(9))
    surface = set(stemmed.stem_of)  # the words as written in the corpus (lowercased)
    for _, topic in described.iterrows():
        words = topic["top_terms"]
        assert 1 <= len(words) <= 8 and all(word in surface for word in words)
        named = topic["label"].split(" · ")
        assert len(set(named)) == 3 and all(word in surface for word in named)
        assert len(topic["representatives"]) == min(3, topic["size"])
        members = set(corpus["articles"]["id"][topics.labels == topic["topic"]])
        assert set(topic["representative_ids"]) <= members
    # Stems never show when the corpus wrote the word otherwise: "perintah" is shown as "pemerintah".
    all_words = [word for words in described["top_terms"] for word in words]
    assert "perintah" not in all_words


def test_label_words_name_most_of_their_topics_articles(corpus):
    """Issue 27: the label is three of a topic's own words that between them occur in 60 % of its articles (every
    topic of 30 or more here; main's rule, which aimed at half, named 0.51 of the singers' topic by ``penyanyi · lagu
    · tayang`` and 0.56 of the haze topic), and in at least as many as its first three ranked words, which name a
    topic by its most distinctive words; the ranked words stay in top_terms. Each label word is one of the topic's
    own words, at least 1.5 times as frequent in it as in the corpus, and no two topics share a label word."""
    stemmed, vectors, topics = corpus["stemmed"], corpus["vectors"], corpus["topics"]
    described = describe.describe_topics(
        corpus["articles"], vectors.X, vectors.vectorizer, topics, stemmed.display_words
    )
    column = vectors.vectorizer.vocabulary_
    present = (vectors.X > 0).tocsc()
    own = topicwords.topic_terms(vectors.X, topics.labels, topics.k, topicwords.LABEL_POOL)
    # A word's lift in a topic: its share of the topic's articles over its share of all of them.
    in_topic = np.stack([np.asarray(present[topics.labels == t].sum(axis=0)).ravel() for t in range(topics.k)])
    lift = (
        in_topic / np.bincount(topics.labels)[:, None] / (np.asarray(present.sum(axis=0)).ravel() / len(topics.labels))
    )

    def columns_of(words):
        return [column[stemmed.stem_of.get(w.lower(), w.lower())] for w in words]

    def cover(words, members):
        return float((present[members][:, columns_of(words)].sum(axis=1) > 0).mean())

    gains, covers, used = [], [], []
    for _, topic in described.iterrows():
        members = np.flatnonzero(topics.labels == topic["topic"])
        named = topic["label"].split(" · ")
        if len(members) >= 30:
            covers.append((cover(named, members), topic["label"]))
        gains.append(cover(named, members) - cover(topic["top_terms"][:3], members))
        assert set(columns_of(named)) <= set(own[topic["topic"]]), topic["label"]
        assert lift[topic["topic"], columns_of(named)].min() >= 1.5, topic["label"]
        used += [word.lower() for word in named]
    assert min(covers)[0] >= 0.6, sorted(covers)
    assert len(set(used)) == len(used) == 3 * topics.k, used
    assert min(gains) >= -0.05 and np.mean(gains) > 0.05, gains


def test_label_of_counts_aims_at_the_same_share():
    """The distributed run knows each word's share of a topic's articles only: the label is chosen by the same
    steps, words taken as independent. Shares of a diffuse topic (no shown word in a quarter of it): the shown words'
    label names 1 - 0.8 × 0.85 × 0.9 = 0.39; with the wider pool's most frequent word it reaches the aim."""
    show = np.array([f"w{i}" for i in range(60)], dtype=object)
    shares = np.full(60, 0.05)
    shares[:25] = [0.2, 0.15, 0.1] + [0.05] * 22
    shares[40:43] = [0.45, 0.3, 0.25]
    lift = np.full((1, 60), 3.0)
    lift[0, 42] = 1.2  # too common in the corpus to name the topic
    best = pd.DataFrame({"id": ["a"], "title": ["t"]})
    (row,) = describe.topic_rows(show, [np.arange(60)], [["w0"]], [best], [[]], [100], [1.0], cover=[shares], lift=lift)
    named = row["label"].split(" · ")
    assert row["top_terms"][:3] == ["w0", "w1", "w2"] and "w42" not in named
    assert "w40" in named and 1 - np.prod([1 - shares[int(w[1:])] for w in named]) >= 0.6


def test_top_terms_are_25_words_no_topic_shares_and_that_occur_together(corpus):
    """What topics.csv shows: at least 25 words per topic, no word in two topics, the first ten more coherent (NPMI
    within these 450 articles: 0.54) than the ten most weighted c-TF-IDF words (0.27), which share words between
    topics, and the sport topic's words are sport words."""
    vectors, topics = corpus["vectors"], corpus["topics"]
    described = describe.describe_topics(corpus["articles"], vectors.X, vectors.vectorizer, topics)
    words = [word for top in described["top_terms"] for word in top]
    assert described["top_terms"].map(len).min() >= 25 and len(set(words)) == len(words)
    shown = topicwords.coherence_npmi(vectors.X, topics.labels, topics.k)
    ctfidf = _npmi_of_class_tfidf_words(vectors.X, topics.labels, topics.k)
    # Over the 22,136-article reference the shown words score 0.51 against 0.35 (bench_topics_quality.py).
    assert shown > 0.4 and shown >= ctfidf + 0.1, (shown, ctfidf)
    sport = pd.crosstab(topics.labels, corpus["truth"])["olahraga"].idxmax()
    own = topicwords.topic_terms(vectors.X, topics.labels, topics.k)[sport][:10]
    assert set(vectors.vectorizer.get_feature_names_out()[own]) & {"laga", "gol", "liga", "tanding", "juara"}


def test_first_ten_words_are_chosen_to_occur_together(corpus):
    """The ranked words of each topic, reordered: the same words, the same first word, and first ten that share
    articles far more often (NPMI within these 450 articles 0.35 ranked, 0.54 chosen; the music topic's ranked
    ten mixed in ``tayang``, ``cerita``, ``aktor``, ``film``: 0.10 -> 0.52)."""
    vectors, topics = corpus["vectors"], corpus["topics"]
    present = (vectors.X > 0).astype(np.float32)
    counts = topicwords.topic_sums(present, topics.labels, topics.k)
    ranked = topicwords.terms_of_counts(counts, np.bincount(topics.labels), coherence.CANDIDATES)
    chosen = topicwords.topic_terms(vectors.X, topics.labels, topics.k, coherence.CANDIDATES)

    def npmi(columns):
        pairs = coherence.npmi_matrix(present.tocsc()[:, columns[:10]])
        return pairs[np.triu_indices(10, 1)].mean()

    gains = []
    for before, after in zip(ranked, chosen):
        assert after[0] == before[0] and sorted(after) == sorted(before)
        gains.append(npmi(after) - npmi(before))
    assert min(gains) > -1e-9 and np.mean(gains) > 0.1, gains


def _npmi_of_class_tfidf_words(X, labels, k, n=10):
    """The coherence the topics had when the ten most c-TF-IDF-weighted words were shown."""
    present = (X > 0).astype(np.float64).tocsc()
    weights = topicwords.class_tfidf(X, labels, k)
    scores = []
    for t in range(k):
        cols = present[:, np.argsort(-weights[t], kind="stable")[:n]]
        co = (cols.T @ cols).toarray() / X.shape[0]
        p = np.diag(co)
        for i in range(n):
            for j in range(i + 1, n):
                pij = co[i, j]
                scores.append(-1.0 if pij == 0 else np.log(pij / (p[i] * p[j])) / -np.log(pij))
    return float(np.mean(scores))


def test_class_tfidf_ranks_a_topics_own_words_first(corpus):
    vectors, topics = corpus["vectors"], corpus["topics"]
    weights = topicwords.class_tfidf(vectors.X, topics.labels, topics.k)
    assert weights.shape == (9, vectors.X.shape[1]) and (weights >= 0).all()
    terms = vectors.vectorizer.get_feature_names_out()
    sport = pd.crosstab(topics.labels, corpus["truth"])["olahraga"].idxmax()
    top = set(terms[np.argsort(-weights[sport])[:30]])
    assert top & {"main", "laga", "gol", "liga", "tim", "menang", "juara", "tanding"}


def test_a_topic_of_two_desks_is_flagged_mixed(corpus):
    """Issue 27: a topic whose articles fall into two well-separated groups is flagged, from the vectors alone. Two
    of the run's topics, sport and cars, put into one are flagged; most of the run's own topics are not."""
    Z, labels, truth = corpus["vectors"].Z, corpus["topics"].labels, corpus["truth"]
    table = pd.crosstab(labels, truth)
    sport, cars = table["olahraga"].idxmax(), table["otomotif"].idxmax()
    assert sport != cars
    merged = np.where(labels == cars, sport, labels)
    merged = np.unique(merged, return_inverse=True)[1]  # topics numbered 0.. again
    flagged = mixed.mixed_topics(Z, merged, seed=0)
    assert flagged.loc[merged[labels == sport][0], "mixed"], flagged
    own = mixed.mixed_topics(Z, labels, seed=0)
    assert own["split_ratio"].max() < flagged["split_ratio"].max(), (own, flagged)
    # No false alarm: a topic of the run that is flagged holds two desks or more (its largest desk under 60 % of it),
    # and at most a third are flagged. (Locally scaled graph edges, issue 27: the run's topics are more even, four of
    # 60 articles or more where one was, and the three flagged hold 40 %, 32 % and 52 % of their largest desk.)
    largest_share = (table.max(axis=1) / table.sum(axis=1)).to_numpy()
    assert (largest_share[own["mixed"].to_numpy()] < 0.6).all(), (own, table)
    assert own["mixed"].sum() <= len(own) // 3, own
    described = pipeline.describe(corpus["articles"], corpus["vectors"], pipeline.cluster(corpus["vectors"], 9, 0))
    assert described["mixed"].dtype == bool and len(described) == 9


def test_a_k_that_leaves_one_or_two_articles_per_topic_is_warned(corpus):
    """Issue 25: ``--k`` just below the number of articles made many one-article topics without a word."""
    vectors = corpus["vectors"]
    n = int(vectors.usable.sum())
    high = n // 2
    with pytest.warns(UserWarning, match=rf"k={high} leaves 2\.0 articles per topic") as said:
        clustering = pipeline.cluster(vectors, k=high, seed=0, method="kmeans")
    assert clustering.topics.k == high and len(said) == 1
    sizes = np.bincount(clustering.topics.labels)
    assert (sizes <= 2).mean() > 0.5  # what the warning says does happen on real articles
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pipeline.cluster(vectors, k=n // cluster.FEW_PER_TOPIC, seed=0, method="kmeans")


def test_a_corpus_above_the_graph_s_size_gets_the_same_k_and_topics_whatever_the_seed(corpus, monkeypatch):
    """Issue 27, large corpora: above :data:`cluster.SPECTRAL_MAX_ARTICLES` articles the spectral graph is built on
    evenly spaced landmarks and every article joins its nearest landmark topic, so the seed decides neither k nor
    the topics. Here the limit is lowered to 200 so that these 450 articles take that route (200 landmarks): k = 8
    for seeds 0-2, their topics agreeing at ARI 0.971-1.000, NMI 0.457-0.462 (the whole graph at k = 8: 0.480).
    Main clustered such a corpus by KMeans of the raw vectors, k chosen the same way: k = 4 / 5 / 4 for seeds 0 / 1
    / 2, the seeds' topics agreeing at ARI 0.58-0.76."""
    monkeypatch.setattr(cluster, "SPECTRAL_MAX_ARTICLES", 200)
    vectors, truth = corpus["vectors"], corpus["truth"]
    runs = [pipeline.cluster(vectors, seed=seed) for seed in (0, 1, 2)]
    ks = [run.topics.k for run in runs]
    assert len(set(ks)) == 1, ks
    agreement = [adjusted_rand_score(runs[a].topics.labels, runs[b].topics.labels) for a, b in ((0, 1), (0, 2), (1, 2))]
    assert min(agreement) >= 0.95, agreement
    # Labels only score: the landmarks' topics match the desks about as well as the whole graph's at that k.
    whole = pipeline.cluster(vectors, k=ks[0], seed=0).topics.labels
    nmi = [normalized_mutual_info_score(truth, run.topics.labels) for run in runs]
    assert min(nmi) >= normalized_mutual_info_score(truth, whole) - 0.05, (nmi, ks)
