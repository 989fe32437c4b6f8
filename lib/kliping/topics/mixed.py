"""Mixed topics: a topic whose articles fall into two well-separated groups may be two stories in one (issue 27).

Measured without labels, on the document vectors the topics were made from; ``topics.csv`` and the report flag such a
topic (:func:`kliping.pipeline.describe`), and the topic is kept whole (splitting it when k is chosen was measured and
did not pay: ``docs/topics-issue27.md``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kliping import config
from kliping.topics.centres import kmeans_labels, topic_centres

#: A topic is looked at for two groups only from this many articles (two groups of 30, the size issue 27 holds a
#: topic's label to).
MIXED_MIN_ARTICLES = 60
#: A topic is flagged ``mixed`` when its two halves are at least this share of the usual distance between
#: neighbouring topics apart, and its smaller half holds at least :data:`MIXED_MIN_SHARE` of it. On the development
#: proxies (issue 27, k = desks, seed 0) the 15 topics ran 0.45-0.89: economy beside technology 0.89, national news
#: beside traffic and vehicles 0.83, football beside MotoGP 0.85; one-desk topics 0.45-0.64.
MIXED_RATIO = 0.8
MIXED_MIN_SHARE = 0.15


def mixed_topics(Z: np.ndarray, labels: np.ndarray, seed: int = config.SEED) -> pd.DataFrame:
    """Topics whose articles fall into two well-separated groups: a topic that may be two stories in one.

    Each topic of :data:`MIXED_MIN_ARTICLES` articles or more is cut in two by KMeans on its document vectors; the
    cosine distance between the two halves' centres is set against the median, over all topics, of a topic's
    distance to its nearest other topic (``split_ratio``). A topic is ``mixed`` when its halves lie at least
    :data:`MIXED_RATIO` of that apart and the smaller holds :data:`MIXED_MIN_SHARE` of it or more. No labels: it
    reads only the vectors the topics were made from.

    Returns
    -------
    DataFrame
        ``topic``, ``split_ratio`` (nan for a small topic, or with fewer than 3 topics), ``mixed`` (bool).

    Examples
    --------
    >>> from sklearn.preprocessing import normalize
    >>> rng = np.random.default_rng(0)
    >>> axes = np.eye(4)
    >>> Z = np.vstack([rng.normal(c, 0.05, (60, 4)) for c in (axes[0], axes[1], axes[2], axes[3])])
    >>> labels = np.repeat([0, 0, 1, 2], 60)  # topic 0 holds two stories
    >>> mixed_topics(normalize(Z), labels)["mixed"].tolist()
    [True, False, False]
    """
    k = int(labels.max()) + 1 if len(labels) else 0
    ratios = np.full(k, np.nan)
    minority = np.zeros(k)
    if k >= 3:
        centres = topic_centres(Z, labels)
        similarity = centres @ centres.T
        np.fill_diagonal(similarity, -np.inf)
        usual = float(np.median(1 - similarity.max(axis=1)))
        for t in range(k):
            members = np.flatnonzero(labels == t)
            if len(members) < MIXED_MIN_ARTICLES or usual <= 0:
                continue
            halves = kmeans_labels(Z[members], 2, seed, n_init=4)
            a, b = topic_centres(Z[members], halves)
            ratios[t] = (1 - float(a @ b)) / usual
            minority[t] = min(halves.mean(), 1 - halves.mean())
    mixed = (ratios >= MIXED_RATIO) & (minority >= MIXED_MIN_SHARE)
    return pd.DataFrame({"topic": np.arange(k), "split_ratio": ratios.round(3), "mixed": mixed})
