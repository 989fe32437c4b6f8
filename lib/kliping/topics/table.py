"""The per-article table both runs write (:func:`article_table`: every input row with its topic, confidence and
reason) and what a run measures over it (:func:`measure`: scores and counts for ``metrics.json``)."""

from __future__ import annotations

import pandas as pd

from kliping import config
from kliping.base.articles import ARTICLE_COLUMNS, NO_TOPIC, follow_originals, input_columns
from kliping.base.version import __version__
from kliping.topics.results import Clustering, Vectors


def article_table(
    cleaned: pd.DataFrame,
    usable,
    topic,
    confidence,
    reasons,
    topics: pd.DataFrame,
    has_stems=None,
    languages=config.DEFAULT_LANGUAGES,
    originals: dict | None = None,
) -> pd.DataFrame:
    """The per-article table of :func:`assign`, from the topic, confidence and reason (None: none) of every usable
    row, which rows kept a stem (``has_stems``, for the reason of the others) and the languages clustered; the Dask
    run writes each partition's rows with it. A copy takes its original's place
    (:func:`kliping.base.articles.follow_originals`; ``originals``: those in other partitions)."""
    columns = [c for c in ARTICLE_COLUMNS if c in cleaned.columns]
    if "label" in cleaned.columns:
        columns.insert(columns.index("content") + 1, "label")
    table = cleaned[columns].copy()
    table["topic"] = NO_TOPIC
    table["confidence"] = 0.0
    table.loc[usable, "topic"] = topic
    table.loc[usable, "confidence"] = confidence
    from kliping.clean.language import row_reasons

    table["reason"] = row_reasons(cleaned, usable, languages, has_stems)
    if reasons is not None:
        table.loc[usable, "reason"] = reasons
    follow_originals(table, originals)
    table["topic_label"] = table["topic"].map(dict(zip(topics["topic"], topics["label"])))
    order = [c for c in ARTICLE_COLUMNS if c in table.columns]
    if "label" in table.columns:
        order.insert(order.index("content") + 1, "label")
    carried = input_columns(cleaned)
    for column in carried:
        table[column] = cleaned[column]
    return table[order + carried]


def measure(vectors: Vectors, clustering: Clustering, articles: pd.DataFrame) -> dict:
    """How good the topics are (silhouette, NPMI coherence and, with labels, NMI and ARI, all on the articles that
    are not outliers) and what was clustered: ``n_outliers`` and ``outlier_share`` (of the clustered articles)."""
    from kliping.clean.language import mix_metrics
    from kliping.topics import clustering as clustering_

    usable = vectors.usable
    held, keep = clustering.held()
    labels_true = articles.loc[usable, "label"].to_numpy()[keep].tolist() if "label" in articles else None
    n_copies = int(articles["duplicate_of"].notna().sum()) if "duplicate_of" in articles else 0
    metrics = clustering_.evaluate(vectors.Z[keep], vectors.X[keep], held, labels_true, seed=clustering.seed)
    metrics.update(
        {
            "n_articles": int(len(articles)),
            "n_clustered": int(usable.sum()),
            "n_without_topic": int((~usable).sum()) - n_copies,
            "n_copies": n_copies,
            "n_outliers": int((~keep).sum()),
            **(mix_metrics(articles, vectors.languages) if "language" in articles else {}),
            "outlier_share": round(float((~keep).mean()), 4) if len(keep) else 0.0,
            "seed": clustering.seed,
            "n_terms": int(vectors.X.shape[1]),
            "lsa_dims": int(vectors.Z.shape[1]),
            "kliping_version": __version__,
        }
    )
    return metrics
