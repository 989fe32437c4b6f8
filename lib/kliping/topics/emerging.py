"""Tomorrow's new story: the new articles that fit no topic of a saved model, grouped into candidate new topics.

``kliping assign`` places new articles among a run's topics; an article far from every topic (an outlier of the
model, :func:`kliping.topics.model.outlier_floor`) is a story the run did not have. Several such articles about one
story form a group: :func:`candidate_topics` clusters the outliers with the run's own functions (the number of
groups by :func:`kliping.topics.clustering.choose_k`, the groups by :func:`~kliping.topics.clustering.fit_topics`,
their words and typical articles by :func:`kliping.topics.describe.describe_topics`) and keeps the groups of at
least :data:`MIN_ARTICLES` articles, most cohesive first (``new_topics.csv``).

Examples
--------
>>> candidate_topics(pd.DataFrame({"id": [], "title": []}), None, None, {}).columns.tolist()[:4]
['candidate', 'size', 'cohesion', 'label']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kliping import config

#: A group of fewer outliers is not a story (one article on a subject is an outlier, not a new topic).
MIN_ARTICLES = 3
#: Fewer outliers than this are not grouped (two groups of :data:`MIN_ARTICLES` need six).
MIN_OUTLIERS = 2 * MIN_ARTICLES
#: The columns of ``new_topics.csv``.
CANDIDATE_COLUMNS = ["candidate", "size", "cohesion", "label", "top_terms", "representatives", "ids"]


def candidate_topics(articles: pd.DataFrame, X, model, display_words: dict, seed: int = config.SEED) -> pd.DataFrame:
    """The outliers grouped into candidate new topics (:data:`CANDIDATE_COLUMNS`), most cohesive first.

    Parameters
    ----------
    articles : DataFrame
        The outliers (``id``, ``title``, ``site``), in the order of the rows of ``X``.
    X : sparse matrix
        Their TF-IDF rows in the model's vocabulary.
    model : kliping.topics.model.TopicModel
        The model they fit no topic of (its vocabulary and projection).
    display_words : dict
        Stem -> the word shown.

    Returns
    -------
    DataFrame
        ``cohesion`` is the mean cosine of a group's articles to its own centre; ``ids`` every article of it
        (`` | ``-joined as ``topics.csv`` joins lists).
    """
    from kliping.topics.clustering import choose_k, fit_topics
    from kliping.topics.describe import describe_topics
    from kliping.topics.vocabulary import project_rows

    if len(articles) < MIN_OUTLIERS:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    Z = project_rows(X, model.components)
    k, _ = choose_k(Z, X, k_range=range(2, max(3, len(articles) // MIN_ARTICLES) + 1), method="kmeans", seed=seed)
    groups = fit_topics(Z, max(k, 1), method="kmeans", seed=seed)
    described = describe_topics(articles.reset_index(drop=True), X, model.vectorizer, groups, display_words)
    rows = []
    for topic in described.itertuples():
        members = np.flatnonzero(groups.labels == topic.topic)
        if len(members) < MIN_ARTICLES:
            continue
        rows.append(
            {
                "size": len(members),
                "cohesion": round(float(groups.confidence[members].mean()), 3),
                "label": topic.label,
                "top_terms": " | ".join(topic.top_terms[:10]),
                "representatives": " | ".join(topic.representatives),
                "ids": " | ".join(articles["id"].iloc[members].astype(str)),
            }
        )
    table = pd.DataFrame(rows, columns=CANDIDATE_COLUMNS[1:])
    table = table.sort_values(["cohesion", "size"], ascending=False, kind="stable").reset_index(drop=True)
    return table.assign(candidate=range(len(table)))[CANDIDATE_COLUMNS]
