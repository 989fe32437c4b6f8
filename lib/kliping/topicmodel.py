"""A topic model that lives on: today's topics, saved, assign tomorrow's articles.

A run's topics are kept as what is needed to place a new article among them: the TF-IDF vocabulary and idf
weights, the LSA projection, and each topic's centre (the unit-length mean LSA vector of its articles) with its
label. A new article is stemmed as the corpus was, projected into the same LSA space, and given the topic whose
centre is nearest (cosine); its confidence is that cosine, as for the corpus's own articles. Nothing is refitted:
a saved model assigns the same topic to the same text every time, like BERTopic's ``transform`` after ``load``.

:mod:`kliping.store` saves it as plain arrays (``topic_model.npz``, no pickle) beside the run's other outputs.

Examples
--------
>>> from kliping import config, pipeline
>>> articles = pipeline.load(config.RAW_DIR).head(2)  # the two seed pages of the embedded corpus
>>> cleaned = pipeline.clean(articles, progress=False)
>>> stemmed = pipeline.stem(cleaned, progress=False, use_cache=False)
>>> vectors = pipeline.vectorize(cleaned, stemmed)
>>> clustering = pipeline.cluster(vectors, k=2)
>>> model = TopicModel.fit(vectors, clustering, pipeline.describe(cleaned, vectors, clustering))
>>> topics, confidence = model.assign(stemmed.tokens)
>>> topics.tolist() == clustering.topics.labels.tolist(), model.assign([[]])[0].tolist()
(True, [-1])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kliping.cluster import NO_TOPIC


@dataclass
class TopicModel:
    """The fitted pieces that place a new article among a run's topics.

    Attributes
    ----------
    vectorizer : TfidfVectorizer
        Fitted: vocabulary and idf weights of the corpus.
    components : ndarray or None
        The LSA projection (None when the corpus was too small to project).
    centres : ndarray of shape (k, dims)
        Unit-length centre of every topic in LSA space.
    labels : list of str
        Every topic's label (its most distinctive words).
    """

    vectorizer: object
    components: np.ndarray | None
    centres: np.ndarray
    labels: list

    @classmethod
    def fit(cls, vectors, clustering, topics: pd.DataFrame) -> TopicModel:
        """The model of a run: its vectors (:func:`kliping.pipeline.vectorize`), clustering and topics table."""
        from kliping.cluster import topic_centres

        order = topics.sort_values("topic")
        return cls(
            vectorizer=vectors.vectorizer,
            components=vectors.components,
            centres=topic_centres(vectors.Z, clustering.topics.labels).astype(np.float32),
            labels=order["label"].astype(str).tolist(),
        )

    @property
    def k(self) -> int:
        return len(self.centres)

    def assign(self, token_lists) -> tuple[np.ndarray, np.ndarray]:
        """Topic and confidence of every article given as stems; topic -1 and confidence 0 when none of its stems
        is in the model's vocabulary."""
        from kliping.pipeline import project

        Z, known = project(self.vectorizer, self.components, token_lists)
        similarity = Z @ self.centres.T
        topics = np.where(known, similarity.argmax(axis=1), NO_TOPIC)
        confidence = np.where(known, np.clip(similarity.max(axis=1), 0.0, 1.0), 0.0)
        return topics, confidence.round(4)
