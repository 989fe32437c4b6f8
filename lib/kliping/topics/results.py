"""What the topic stages hand on: the articles' vectors, the clustering, the topics.

:class:`Vectors` (TF-IDF rows and document vectors), :class:`Topics` (one topic per article) and
:class:`Clustering` (the topics, the k table, the centres and outliers) are made by :mod:`kliping.pipeline`'s
stages and read by every later one, the model (:mod:`kliping.topics.model`), the tree
(:mod:`kliping.topics.hierarchy`), the store and the outputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kliping.base.articles import ASSIGNMENT_COLUMNS


def size_order(sizes) -> np.ndarray:
    """The topics from largest to smallest, ties in topic order: topic ``size_order(sizes)[0]`` becomes topic 0.

    Examples
    --------
    >>> size_order(np.array([3, 9, 3, 1])).tolist()
    [1, 0, 2, 3]
    """
    sizes = np.asarray(sizes)
    return np.lexsort((np.arange(len(sizes)), -sizes))


@dataclass
class Topics:
    """A clustering: one topic per article and a confidence in [0, 1]."""

    labels: np.ndarray
    confidence: np.ndarray
    k: int
    method: str


@dataclass
class Vectors:
    """The vectorize stage's result: TF-IDF rows and document vectors of the articles that can be clustered.

    Attributes
    ----------
    ids : list of str
        The id of every input row, in input order.
    usable : ndarray of bool
        Which input rows have vectors (read and cleaned fine, at least one stem left).
    vectorizer : TfidfVectorizer
        Fitted on the usable rows' stems.
    X : scipy.sparse.csr_matrix
        TF-IDF rows of the usable articles.
    Z : ndarray
        Their unit-length document vectors: TF-IDF-weighted sums of word vectors learnt from the corpus
        (:mod:`kliping.topics.wordvectors`), or LSA vectors for a corpus under 50 articles.
    components : ndarray or None
        The projection (``Z = normalize(X @ components.T)``): the word vectors, one column per term, or LSA's
        components; None when the corpus was too small to project.
    explained_variance : float
        Share of the co-occurrence (PPMI) matrix's squared norm the word vectors keep (for LSA: of the TF-IDF
        variance).
    display_words : dict
        Stem -> the word to show (``"perintah" -> "pemerintah"``).
    has_stems : ndarray of bool or None
        Which input rows kept a stem (``usable`` and the rows whose stems are all cut from the vocabulary); None:
        the same as ``usable``.
    """

    ids: list
    usable: np.ndarray
    vectorizer: object
    X: object
    Z: np.ndarray
    components: np.ndarray | None
    explained_variance: float
    display_words: dict = field(default_factory=dict)
    #: The languages clustered (:func:`kliping.config.parse_languages`); other rows have no vector.
    languages: tuple = ("id",)
    has_stems: np.ndarray | None = None

    def __repr__(self) -> str:
        return (
            f"Vectors({int(np.sum(self.usable)):,} of {len(self.ids):,} articles usable, "
            f"{self.X.shape[1]:,} terms, {self.Z.shape[1] if self.Z.ndim == 2 else 0} dimensions)"
        )

    @property
    def usable_ids(self) -> list:
        return [id_ for id_, ok in zip(self.ids, self.usable) if ok]

    @property
    def empty(self) -> bool:
        """No article could be clustered (no usable text, or no stem kept in the vocabulary)."""
        return not np.any(self.usable)

    def transform(self, token_lists) -> np.ndarray:
        """Document vectors of new articles' stems, in this corpus's space (to assign them to its topics)."""
        return project(self.vectorizer, self.components, token_lists)[0]


def project(vectorizer, components, token_lists) -> tuple[np.ndarray, np.ndarray]:
    """Document vectors of articles given as stems, in a fitted corpus's space, and which articles had a known stem.

    Examples
    --------
    >>> from kliping.topics import tfidf as vectorize
    >>> vectorizer, X = vectorize.tfidf([["banjir", "bekasi"], ["gol", "persib"], ["banjir", "garut"]])
    >>> Z, known = project(vectorizer, None, [["banjir"], ["kata", "asing"]])
    >>> known.tolist(), Z.shape
    ([True, False], (2, 5))
    """
    from kliping.topics.vocabulary import project_rows

    X = vectorizer.transform(token_lists)
    return project_rows(X, components), np.diff(X.indptr) > 0


@dataclass
class Clustering:
    """The cluster stage's result: the topics and, when k was chosen, the table it was chosen from.

    ``topics.labels`` is every clustered article's nearest topic; ``placement`` (a
    :class:`kliping.topics.model.Placement`) marks the outliers among them, which the per-article table shows as
    topic -1, and ``centres`` are the topic centres a saved model places articles with.
    """

    topics: object  # kliping.topics.clustering.Topics
    k_table: pd.DataFrame
    seed: int
    centres: np.ndarray | None = None
    placement: object = None  # kliping.topics.model.Placement

    def __repr__(self) -> str:
        topics = self.topics
        return (
            f"Clustering({topics.k} topics of {len(topics.labels):,} articles, {int(self.outlier.sum()):,} far from "
            f"every topic, method {topics.method!r}, seed {self.seed})"
        )

    @property
    def outlier(self) -> np.ndarray:
        """Which clustered articles are far from every topic (none when the clustering was not settled)."""
        if self.placement is None:
            return np.zeros(len(self.topics.labels), dtype=bool)
        return self.placement.outlier

    def held(self):
        """The topics of the articles that are not outliers (a :class:`kliping.topics.clustering.Topics`), and which
        they are."""
        keep = ~self.outlier
        topics = self.topics
        return Topics(topics.labels[keep], topics.confidence[keep], topics.k, topics.method), keep


def empty_vectors(ids: list, has_stems=None, display_words: dict | None = None) -> Vectors:
    """The vectors of a corpus in which no article can be clustered: no row, no term.

    Examples
    --------
    >>> vectors = empty_vectors(["a", "b"])
    >>> vectors.empty, vectors.X.shape, vectors.usable.tolist()
    (True, (0, 0), [False, False])
    """
    import scipy.sparse as sp

    from kliping.topics.vocabulary import Vocabulary

    return Vectors(
        ids=list(ids),
        usable=np.zeros(len(ids), dtype=bool),
        vectorizer=Vocabulary(vocabulary_={}, idf_=np.zeros(0, dtype=np.float32), min_df=1, max_df=1.0),
        X=sp.csr_matrix((0, 0), dtype=np.float32),
        Z=np.zeros((0, 0), dtype=np.float32),
        components=None,
        explained_variance=0.0,
        display_words=dict(display_words or {}),
        has_stems=None if has_stems is None else np.asarray(has_stems, dtype=bool),
    )


@dataclass
class RunResult:
    """Everything one run produced: the per-article table, the topics, the metrics."""

    articles: pd.DataFrame
    topics: pd.DataFrame
    metrics: dict
    k_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    model: object = None  # a kliping.topics.model.TopicModel, to assign new articles to these topics

    def __repr__(self) -> str:
        m = self.metrics
        return (
            f"RunResult({len(self.articles):,} articles, {m.get('n_clustered', 0):,} clustered into "
            f"{len(self.topics)} topics; .articles, .topics, .metrics, .model)"
        )

    @property
    def assignments(self) -> pd.DataFrame:
        """``assignments.csv``: id, status, topic, confidence, topic label and title of every input row, and the
        original of each copy (``duplicate_of``, ``copy_similarity``: empty in an article table made without them,
        by hand or by a kliping before copies were found).

        Examples
        --------
        >>> table = pd.DataFrame({"id": ["a"], "status": ["ok"], "topic": [0], "confidence": [0.9],
        ...                       "topic_label": ["banjir"], "title": ["Banjir di Bekasi"], "reason": [""]})
        >>> RunResult(articles=table, topics=pd.DataFrame(), metrics={}).assignments.columns[-2:].tolist()
        ['duplicate_of', 'copy_similarity']
        """
        copies = {c: None for c in ("duplicate_of", "copy_similarity") if c not in self.articles.columns}
        return self.articles.assign(**copies)[ASSIGNMENT_COLUMNS]
