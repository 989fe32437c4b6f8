"""Fit the topics on the client, from TF-IDF rows gathered from the partitions; assign every partition on workers.

* A corpus of at most ``sample_size`` usable articles (100,000 by default) is fitted whole: its TF-IDF rows come
  to the client and go through the very functions of the in-process run (:func:`kliping.vectorize.lsa`,
  :func:`kliping.pipeline.cluster`, :func:`kliping.cluster.describe_topics`, :func:`kliping.cluster.evaluate`),
  so the topics and assignments are the in-process ones.
* A larger corpus is fitted on a seeded sample of ``sample_size`` articles: the LSA projection and the topic
  centres come from the sample, then each partition is projected and every article given its nearest centre
  (as :meth:`kliping.topicmodel.TopicModel.assign` does); sizes, topic words (per-topic sums of TF-IDF rows,
  :func:`kliping.cluster.class_tfidf_of_sums`), representatives, site mix and the scores against labels are
  reduced over all partitions (:func:`assign_part`, :func:`add_topic_stats`, :func:`describe_from_stats`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from kliping.cluster import NO_TOPIC
from kliping.scale.tasks import load_matrix

#: Usable articles the projection and clusters are fitted on; a corpus up to this size is fitted whole.
FIT_SAMPLE = 100_000


def sample_rows(n_usable: int, sample_size: int, seed: int) -> np.ndarray:
    """The usable articles (by corpus position) a larger corpus is fitted on: seeded, sorted, without repeats.

    Examples
    --------
    >>> sample_rows(10, 4, seed=42).tolist() == sample_rows(10, 4, seed=42).tolist(), len(sample_rows(3, 4, 42))
    (True, 3)
    """
    if n_usable <= sample_size:
        return np.arange(n_usable)
    return np.sort(np.random.default_rng(seed).choice(n_usable, size=sample_size, replace=False))


def per_part(positions: np.ndarray, counts: list[int]) -> list[np.ndarray]:
    """Corpus positions of usable articles as row numbers within each partition's usable rows.

    Examples
    --------
    >>> [rows.tolist() for rows in per_part(np.array([0, 2, 3, 6]), [3, 0, 4])]
    [[0, 2], [], [0, 3]]
    """
    starts = np.concatenate([[0], np.cumsum(counts)])
    return [positions[(positions >= a) & (positions < b)] - a for a, b in zip(starts[:-1], starts[1:])]


def project(X, components) -> np.ndarray:
    """Unit-length LSA vectors of TF-IDF rows (:func:`kliping.pipeline.project`, from the rows themselves)."""
    projected = X @ components.T if components is not None else X.toarray()
    return normalize(np.asarray(projected, dtype=np.float32))


# --------------------------------------------------------------------------- assigning a larger corpus
@dataclass
class TopicStats:
    """What the partitions tell about the topics, summed: sizes, term sums, confidences, best articles, sites."""

    k: int
    sizes: np.ndarray
    term_sums: object  # sparse k × terms
    confidence_sums: np.ndarray
    best: pd.DataFrame  # per topic the most confident articles: topic, confidence, part, row, id, title, site
    sites: Counter = field(default_factory=Counter)  # (topic, site) -> articles
    contingency: Counter = field(default_factory=Counter)  # (label, topic) -> articles


def assign_part(tfidf_path, clean_path, part, components, centres, n_best, with_label):
    """Topic and confidence of every usable article of one partition, and its :class:`TopicStats`."""
    X, where = load_matrix(tfidf_path)
    k = len(centres)
    if X.shape[0]:
        similarity = project(X, components) @ centres.T
        known = np.diff(X.indptr) > 0
        topics = np.where(known, similarity.argmax(axis=1), NO_TOPIC)
        confidence = np.where(known, np.clip(similarity.max(axis=1), 0.0, 1.0), 0.0).astype(np.float32)
    else:
        topics, confidence = np.zeros(0, dtype=int), np.zeros(0, dtype=np.float32)
    columns = ["id", "title", "site"] + (["label"] if with_label else [])
    kept = pd.read_parquet(clean_path, columns=columns).iloc[where].reset_index(drop=True)
    placed = topics >= 0
    indicator = sp.csr_matrix((np.ones(placed.sum()), (topics[placed], np.flatnonzero(placed))), shape=(k, X.shape[0]))
    best = kept.assign(topic=topics, confidence=confidence, part=part, row=np.arange(len(kept)))[placed]
    best = _most_confident(best, n_best)
    stats = TopicStats(
        k=k,
        sizes=np.bincount(topics[placed], minlength=k),
        term_sums=(indicator @ X).tocsr(),
        confidence_sums=np.bincount(topics[placed], weights=confidence[placed].astype(np.float64), minlength=k),
        best=best[["topic", "confidence", "part", "row", "id", "title", "site"]],
        sites=Counter(zip(topics[placed].tolist(), kept["site"][placed].tolist())),
    )
    if with_label:
        labels = kept["label"][placed]
        known_label = labels.notna().to_numpy()
        stats.contingency = Counter(zip(labels[known_label].astype(str).tolist(), topics[placed][known_label].tolist()))
    return topics, confidence, stats


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
        confidence_sums=sum(p.confidence_sums for p in parts),
        best=_most_confident(pd.concat([p.best for p in parts], ignore_index=True), n_best),
    )
    for p in parts:
        total.sites.update(p.sites)
        total.contingency.update(p.contingency)
    return total


def describe_from_stats(stats: TopicStats, vectorizer, display_words: dict, n_terms: int = 10) -> pd.DataFrame:
    """The topics table of :func:`kliping.cluster.describe_topics`, from the summed statistics."""
    from kliping.cluster import class_tfidf_of_sums

    terms = vectorizer.get_feature_names_out()
    show = np.array([display_words.get(t, t) for t in terms], dtype=object)
    sums = np.asarray(stats.term_sums.todense())
    weights = class_tfidf_of_sums(sums)
    rows = []
    for t in range(stats.k):
        special = [show[i] for i in np.argsort(-weights[t], kind="stable")[:n_terms]]
        top = show[np.argsort(-sums[t], kind="stable")[:n_terms]]
        best = stats.best[stats.best["topic"] == t]
        sites = Counter({site: n for (topic, site), n in stats.sites.items() if topic == t and site is not None})
        size = int(stats.sizes[t])
        mix = sorted(sites.items(), key=lambda item: (-item[1], item[0]))[:4]
        rows.append(
            {
                "topic": t,
                "size": size,
                "label": " · ".join(_dedupe(special)[:3]),
                "top_terms": ", ".join(_dedupe(top)),
                "distinctive_terms": ", ".join(_dedupe(special)),
                "representatives": best["title"].fillna("(untitled)").tolist(),
                "representative_sites": best["site"].fillna("").tolist(),
                "representative_ids": best["id"].tolist(),
                "site_mix": ", ".join(f"{site} {n / max(1, sum(sites.values())):.0%}" for site, n in mix),
                "confidence": round(float(stats.confidence_sums[t] / max(size, 1)), 3),
            }
        )
    return pd.DataFrame(rows)


def _dedupe(words) -> list[str]:
    seen, out = set(), []
    for word in words:
        if word.lower() not in seen:
            seen.add(word.lower())
            out.append(word)
    return out


def size_order(sizes: np.ndarray) -> np.ndarray:
    """New number of each topic so that topic 0 is the largest (ties keep their order), as the in-process run.

    Examples
    --------
    >>> size_order(np.array([5, 9, 5])).tolist()
    [1, 0, 2]
    """
    order = np.lexsort((np.arange(len(sizes)), -sizes))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank


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
