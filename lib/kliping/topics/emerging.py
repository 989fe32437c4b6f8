"""Tomorrow's new story: the new articles that fit no topic of a saved model, as candidate new topics.

``kliping assign`` places new articles among a run's topics; an article far from every topic (an outlier of the
model, :func:`kliping.topics.model.outlier_floor`) is a story the run did not have. :func:`kliping.pipeline.new_topics`
runs the stages themselves (vectorize, cluster, describe) on those articles alone, with their own vocabulary, since a
new story brings words the model's vocabulary never had; :func:`candidate_table` keeps the groups of at least
:data:`MIN_ARTICLES` articles, most cohesive first (``new_topics.csv``).

Examples
--------
>>> no_candidates().columns.tolist()
['candidate', 'size', 'cohesion', 'label', 'top_terms', 'representatives', 'ids']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: A group of fewer outliers is not a story (one article on a subject is an outlier, not a new topic).
MIN_ARTICLES = 3
#: Fewer outliers than this are not grouped (two groups of :data:`MIN_ARTICLES` need six).
MIN_OUTLIERS = 2 * MIN_ARTICLES
#: The columns of ``new_topics.csv``.
CANDIDATE_COLUMNS = ["candidate", "size", "cohesion", "label", "top_terms", "representatives", "ids"]


def far_from_every_topic(assigned: pd.DataFrame) -> np.ndarray:
    """The rows of :meth:`TopicModel.predict`'s table that are new stories no topic holds: far from every topic, and
    no copy (a copy of a story the run or the batch has is that story again, wherever it was placed).

    Examples
    --------
    >>> far_from_every_topic(pd.DataFrame({"reason": ["", "far from every topic (cosine 0.10 < 0.12)",
    ...     "far from every topic (cosine 0.10 < 0.12)"], "duplicate_of": [None, None, "kemarin-1"]})).tolist()
    [False, True, False]
    """
    far = assigned["reason"].fillna("").astype(str).str.startswith("far from").to_numpy()
    copies = assigned["duplicate_of"].notna().to_numpy() if "duplicate_of" in assigned else False
    return far & ~copies


def no_candidates() -> pd.DataFrame:
    """``new_topics.csv`` without a candidate: its columns, no row."""
    return pd.DataFrame(columns=CANDIDATE_COLUMNS)


def candidate_table(topics: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The candidate new topics (:data:`CANDIDATE_COLUMNS`) from the topics table and the article table of the
    outliers clustered alone: the groups of at least :data:`MIN_ARTICLES` articles, most cohesive first (``cohesion``
    is the mean confidence of a group's articles, their cosine to its centre); ``top_terms`` its first ten words,
    ``ids`` every article of it, joined with `` | `` as ``topics.csv`` joins lists.

    Examples
    --------
    >>> topics = pd.DataFrame({"topic": [0, 1], "size": [3, 1], "label": ["gempa · palu", "x"],
    ...     "top_terms": [["gempa", "palu", "tsunami"], ["x"]], "representatives": [["Gempa Palu", "Tsunami"], ["X"]],
    ...     "confidence": [0.81, 0.9]})
    >>> articles = pd.DataFrame({"id": ["a", "b", "c", "d"], "topic": [0, 0, 0, 1]})
    >>> candidate_table(topics, articles)[["candidate", "size", "label", "ids"]].values.tolist()
    [[0, 3, 'gempa · palu', 'a | b | c']]
    """
    rows = []
    for topic in topics.itertuples():
        ids = articles.loc[articles["topic"] == topic.topic, "id"].astype(str).tolist()
        if len(ids) < MIN_ARTICLES:
            continue
        rows.append(
            {
                "size": len(ids),
                "cohesion": round(float(topic.confidence), 3),
                "label": topic.label,
                "top_terms": " | ".join(list(topic.top_terms)[:10]),
                "representatives": " | ".join(topic.representatives),
                "ids": " | ".join(ids),
            }
        )
    if not rows:
        return no_candidates()
    table = pd.DataFrame(rows).sort_values(["cohesion", "size"], ascending=False, kind="stable")
    return table.reset_index(drop=True).assign(candidate=lambda t: range(len(t)))[CANDIDATE_COLUMNS]
