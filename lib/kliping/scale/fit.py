"""Fit the topics on the client, from rows gathered from the partitions; place every partition on the workers.

* A corpus of at most ``sample_size`` usable articles (:data:`FIT_SAMPLE`) is fitted whole: its TF-IDF rows come
  to the client with every token's vocabulary column, whose co-occurrences are counted there
  (:func:`kliping.topics.wordvectors.cooccurrence_of_ids`), and both go through the very functions of the in-process
  run (:func:`kliping.topics.wordvectors.document_space`, :func:`kliping.pipeline.cluster`, ``describe``, ``measure``,
  ``fit_model``), so the topics, outliers and assignments are the in-process ones.
* A larger corpus is fitted the same way on ``sample_size`` evenly spaced articles
  (:func:`kliping.topics.clustering.sample_rows`: the same sample whatever the seed, issue 27). The fitted
  :class:`kliping.topics.model.TopicModel` (word vectors, topic centres, outlier floor) then places every
  partition's articles as ``kliping assign`` would (:func:`assign_part`); sizes, topic words, representatives,
  site mix, span in time and the scores against labels are summed over all partitions (:func:`add_topic_stats`,
  :func:`describe_from_stats`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from kliping.partitions.tasks import load_matrix

#: Usable articles the projection and clusters are fitted on; a corpus up to this size is fitted whole.
FIT_SAMPLE = 100_000


def per_part(positions: np.ndarray, counts: list[int]) -> list[np.ndarray]:
    """Corpus positions of usable articles as row numbers within each partition's usable rows.

    Examples
    --------
    >>> [rows.tolist() for rows in per_part(np.array([0, 2, 3, 6]), [3, 0, 4])]
    [[0, 2], [], [0, 3]]
    """
    starts = np.concatenate([[0], np.cumsum(counts)])
    return [positions[(positions >= a) & (positions < b)] - a for a, b in zip(starts[:-1], starts[1:])]


# --------------------------------------------------------------------------- assigning a larger corpus
@dataclass
class TopicStats:
    """What the partitions tell about the topics, summed: sizes, word counts, confidences, best articles, sites,
    dates. Outliers (topic -1) count in none of them."""

    k: int
    sizes: np.ndarray
    term_sums: object  # sparse k × terms: the topics' TF-IDF rows summed
    presence: object  # sparse k × terms: the topics' articles with each word
    confidence_sums: np.ndarray
    best: pd.DataFrame  # per topic the most confident articles: topic, confidence, part, row, id, title, site
    sites: Counter = field(default_factory=Counter)  # (topic, site) -> articles
    contingency: Counter = field(default_factory=Counter)  # (label, topic) -> articles, outliers as -1
    first: dict = field(default_factory=dict)  # topic -> earliest publication
    last: dict = field(default_factory=dict)  # topic -> latest publication
    n_outliers: int = 0


def assign_part(tfidf_path, clean_path, part, model, n_best, with_label):
    """Every usable article of one partition placed by the fitted ``model``
    (:class:`kliping.topics.model.TopicModel`, as ``kliping assign`` places it): topics (-1 for an outlier),
    confidences, reasons, and the partition's :class:`TopicStats`."""
    X, where = load_matrix(tfidf_path)
    k = model.k
    placement = model.place_rows(X)
    topics, confidence = placement.topics, placement.confidence
    columns = ["id", "title", "site", "published"] + (["label"] if with_label else [])
    kept = pd.read_parquet(clean_path, columns=columns).iloc[where].reset_index(drop=True)
    placed = topics >= 0
    indicator = sp.csr_matrix((np.ones(placed.sum()), (topics[placed], np.flatnonzero(placed))), shape=(k, X.shape[0]))
    best = kept.assign(topic=topics, confidence=confidence, part=part, row=np.arange(len(kept)))[placed]
    dates = pd.to_datetime(kept["published"], errors="coerce")[placed].groupby(topics[placed])
    stats = TopicStats(
        k=k,
        sizes=np.bincount(topics[placed], minlength=k),
        term_sums=(indicator @ X).tocsr(),
        presence=(indicator @ (X > 0).astype(np.float64)).tocsr(),
        confidence_sums=np.bincount(topics[placed], weights=confidence[placed].astype(np.float64), minlength=k),
        best=_most_confident(best[["topic", "confidence", "part", "row", "id", "title", "site"]], n_best),
        sites=Counter(zip(topics[placed].tolist(), kept["site"][placed].tolist())),
        first=dates.min().dropna().to_dict(),
        last=dates.max().dropna().to_dict(),
        n_outliers=int((~placed).sum()),
    )
    if with_label:
        # Scored on the articles with a topic, as the in-process run scores them.
        known_label = kept["label"].notna().to_numpy() & placed
        stats.contingency = Counter(zip(kept["label"][known_label].astype(str).tolist(), topics[known_label].tolist()))
    return topics, confidence, placement.reasons, stats


def _most_confident(best: pd.DataFrame, n: int) -> pd.DataFrame:
    # Highest confidence first, ties in corpus order (the in-process stable argsort).
    best = best.assign(_minus=-best["confidence"].astype(np.float64))
    best = best.sort_values(["topic", "_minus", "part", "row"], kind="stable")
    return best.groupby("topic", sort=False).head(n).drop(columns="_minus")


def add_topic_stats(*parts: TopicStats, n_best: int = 5) -> TopicStats:
    """Sum the :class:`TopicStats` of several partitions (a tree of these reduces them all)."""
    first = parts[0]
    total = TopicStats(
        k=first.k,
        sizes=sum(p.sizes for p in parts),
        term_sums=sum((p.term_sums for p in parts[1:]), first.term_sums),
        presence=sum((p.presence for p in parts[1:]), first.presence),
        confidence_sums=sum(p.confidence_sums for p in parts),
        best=_most_confident(pd.concat([p.best for p in parts], ignore_index=True), n_best),
        n_outliers=sum(p.n_outliers for p in parts),
    )
    for p in parts:
        total.sites.update(p.sites)
        total.contingency.update(p.contingency)
        for topic, when in p.first.items():
            total.first[topic] = min(when, total.first.get(topic, when))
        for topic, when in p.last.items():
            total.last[topic] = max(when, total.last.get(topic, when))
    return total


def label_scores(contingency: Counter) -> dict:
    """NMI and ARI of the topics against the corpus's labels, from the (label, topic) counts of all partitions.

    Examples
    --------
    >>> label_scores(Counter({("bola", 0): 3, ("politik", 1): 2}))
    {'nmi': 1.0, 'ari': 1.0, 'n_labelled': 5}
    """
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    if not contingency:
        return {}
    keys = list(contingency)
    counts = np.array([contingency[key] for key in keys])
    truth = np.repeat([label for label, _ in keys], counts)
    found = np.repeat([topic for _, topic in keys], counts)
    return {
        "nmi": round(float(normalized_mutual_info_score(truth, found)), 4),
        "ari": round(float(adjusted_rand_score(truth, found)), 4),
        "n_labelled": int(counts.sum()),
    }
