"""The topics' merge tree: which topics lie close, and fewer topics when a reader asks for them.

The tree joins the topic centres (unit-length mean document vectors) by average linkage on cosine distance, the
measure the topics were placed with: two topics whose articles use the same words join low in the tree. Cutting
it at ``n`` groups merges the closest topics into ``n`` (:func:`merge_topics`); the merged topics are settled as
the run's are (each article at its nearest merged centre), so a model saved from them gives the same topics again.

Examples
--------
>>> centres = np.array([[1.0, 0.0, 0.0], [0.9, 0.1, 0.0], [0.0, 0.0, 1.0]])  # banjir, rob, gol
>>> merge_map(centres, 2).tolist()
[0, 0, 1]
"""

from __future__ import annotations

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.preprocessing import normalize


def topic_tree(centres: np.ndarray) -> np.ndarray:
    """The merge tree of topic centres (scipy's linkage matrix: average linkage, cosine distance).

    Examples
    --------
    >>> tree = topic_tree(np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]]))
    >>> tree[:, :3].round(2).tolist()  # topics 0 and 1 join at cosine distance 0.2, topic 2 at (1 + 0.4) / 2
    [[0.0, 1.0, 0.2], [2.0, 3.0, 0.7]]
    """
    centres = normalize(np.asarray(centres, dtype=float))
    return linkage(centres, method="average", metric="cosine")


def merge_map(centres: np.ndarray, n: int) -> np.ndarray:
    """For every topic, the merged topic it falls in when the tree is cut into ``n`` (numbered by first member)."""
    k = len(centres)
    if n >= k or k < 2:
        return np.arange(k)
    groups = fcluster(topic_tree(centres), max(n, 1), criterion="maxclust")
    _, first = np.unique(groups, return_index=True)
    rank = {groups[i]: r for r, i in enumerate(sorted(first))}
    return np.array([rank[g] for g in groups])


def merge_topics(vectors, clustering, n: int):
    """A clustering with its topics merged along the tree into ``n`` (fewer topics for a reader who asks).

    Parameters
    ----------
    vectors : kliping.topics.results.Vectors
    clustering : kliping.topics.results.Clustering
        A settled clustering (:func:`kliping.pipeline.cluster`).
    n : int
        How many topics to keep; a clustering with no more than ``n`` comes back as it is.

    Returns
    -------
    kliping.topics.results.Clustering
        Settled again: each article at its nearest merged centre, topics numbered by size, outliers marked.
    """
    from kliping.topics.model import settle
    from kliping.topics.results import Clustering, Topics

    if clustering.centres is None or n >= clustering.topics.k:
        return clustering
    groups = merge_map(clustering.centres, n)
    topics = clustering.topics
    merged = Topics(groups[topics.labels], topics.confidence, int(groups.max()) + 1, topics.method)
    return settle(vectors, Clustering(merged, clustering.k_table, clustering.seed))
