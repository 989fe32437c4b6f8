"""A topic model that lives on: today's topics, saved, assign tomorrow's articles.

A run's topics are kept as what is needed to place a new article among them: the TF-IDF vocabulary and idf
weights, the projection to document vectors, and each topic's centre (the unit-length mean document vector of its
articles) with its
label and words. An article is stemmed as the corpus was, projected into the same document space, and given the topic
whose centre is nearest (cosine); its confidence is that cosine. Nothing is refitted: a saved model assigns the same
topic to the same text every time, like BERTopic's ``transform`` after ``load``.

The run's own articles are placed by the same rule (:func:`settle_topics`): after the clustering, every article
goes to its nearest topic centre, so ``kliping assign`` on the corpus a model was fitted on gives the run's topics,
to the last article. On the embedded corpus that moves 6 % of the articles from the spectral clustering's choice
(k = 14, seed 42) and raises NMI against the desks from 0.492 to 0.507 (k = 9: 0.483 to 0.491).

An article far from every topic is an **outlier**: topic -1, with the reason, rather than forced into the nearest
topic (below :func:`outlier_floor`, kept in the model). :mod:`kliping.topics.modelfiles` writes a model as documented
JSON
and ``.npz`` files.

Examples
--------
>>> from kliping import config, pipeline
>>> articles = pipeline.load(config.RAW_DIR).head(2)  # the two seed pages of the embedded corpus
>>> cleaned = pipeline.clean(articles, progress=False)
>>> stemmed = pipeline.stem(cleaned, progress=False, use_cache=False)
>>> vectors = pipeline.vectorize(cleaned, stemmed)
>>> clustering = pipeline.cluster(vectors, k=2)
>>> model = TopicModel.fit(vectors, clustering, pipeline.describe(cleaned, vectors, clustering))
>>> placed = model.place(stemmed.tokens)
>>> placed.topics.tolist() == clustering.topics.labels.tolist(), model.place([["kata", "asing"]]).reasons
(True, ["no word of the topics' vocabulary"])
>>> model  # doctest: +ELLIPSIS
TopicModel(2 topics: '...', '...'; ... terms, kliping ...)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kliping.base.articles import ASSIGNMENT_COLUMNS, NO_TOPIC, NO_VOCABULARY_WORD, follow_originals, usable_rows
from kliping.base.version import __version__
from kliping.topics.describe import topic_words  # noqa: F401 - also importable from here, as before
from kliping.topics.vocabulary import project_rows

#: The outlier floor of a placement that has none of its own (an unsettled clustering, :func:`place`'s default).
OUTLIER_COSINE = 0.2


#: Fewer articles than this have no outliers: their cosines are too few to tell the tail from the body.
FENCE_MIN_ARTICLES = 20
#: Cosines are fenced on a log scale (:func:`outlier_floor`); one at or below 0 counts as this.
LOWEST_COSINE = 1e-3


def outlier_floor(cosine) -> float:
    """The cosine below which an article is an outlier: Tukey's lower fence (Q1 - 1.5 IQR) of the logarithm of
    every article's cosine to its nearest topic centre, back as a cosine rounded to 2 places.

    Read off each run's own cosines, because a fixed floor belongs to one vector space: 0.20 flagged 0.8 % of the
    embedded corpus with LSA vectors and none with word-vector document vectors (median 0.68, lowest 0.23). The
    logarithm because the cosines are bounded below by 0 and their spread grows with their level: in the SIF
    document vectors (:func:`kliping.topics.wordvectors.projection`, median 0.41, Q1 0.30, IQR 0.25 on the embedded
    corpus) the
    fence on the cosines themselves fell below 0, and flagged nothing; on their logarithm it is 0.12 and flags 1.0 %
    (seed 0, k = 9): Jack Ma's retirement, the PB Djarum dispute, travel tips, a horoscope, stories with no topic of
    their own. A fence, unlike a percentile, flags nothing when the topics hold every article tightly.

    Examples
    --------
    >>> cosines = np.array([0.61, 0.64, 0.68, 0.70, 0.72, 0.75, 0.66, 0.69, 0.71, 0.63] * 2 + [0.23])
    >>> outlier_floor(cosines), outlier_floor(cosines[:5])  # under 20 articles: no distribution to fence
    (0.55, 0.0)
    """
    cosine = np.asarray(cosine, dtype=float)
    if len(cosine) < FENCE_MIN_ARTICLES:
        return 0.0
    q1, q3 = np.percentile(np.log(np.clip(cosine, LOWEST_COSINE, None)), [25, 75])
    return round(float(np.exp(q1 - 1.5 * (q3 - q1))), 2)


@dataclass
class Placement:
    """Where articles land among topics: the nearest topic of each and its cosine; outliers below ``floor``.

    Examples
    --------
    >>> placed = place(np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 0.0]]), np.array([[1.0, 0.0], [0.0, 1.0]]))
    >>> placed.topics.tolist(), placed.confidence.tolist()
    ([0, 1, -1], [1.0, 0.8, 0.0])
    >>> placed.reasons
    ['', '', 'far from every topic (cosine 0.00 < 0.20)']
    """

    nearest: np.ndarray
    cosine: np.ndarray
    floor: float = OUTLIER_COSINE
    known: np.ndarray | None = None  # False for an article without a word of the vocabulary

    @property
    def outlier(self) -> np.ndarray:
        known = np.ones(len(self.cosine), bool) if self.known is None else self.known
        return (self.cosine < self.floor) | ~known

    @property
    def topics(self) -> np.ndarray:
        """The topic of every article; -1 for an outlier."""
        return np.where(self.outlier, NO_TOPIC, self.nearest)

    @property
    def confidence(self) -> np.ndarray:
        """The cosine to the topic's centre in [0, 1], rounded to 4 places; 0 for an outlier."""
        return np.where(self.outlier, 0.0, np.clip(self.cosine, 0.0, 1.0)).round(4)

    @property
    def reasons(self) -> list[str]:
        """Why an article has no topic (``""`` when it has one); the cosine is cut, not rounded, to 2 places, so
        0.199 reads 0.19 < 0.20."""
        known = np.ones(len(self.cosine), bool) if self.known is None else self.known
        return [
            ("" if c >= self.floor else f"far from every topic (cosine {_cut(c, self.floor):.2f} < {self.floor:.2f})")
            if k
            else NO_VOCABULARY_WORD
            for c, k in zip(self.cosine.tolist(), known.tolist())
        ]


def _cut(cosine: float, floor: float) -> float:
    """A cosine below ``floor`` cut to 2 places, never shown as the floor itself (0.1999 -> 0.19)."""
    return max(0, min(int(cosine * 100 + 1e-6), round(floor * 100) - 1)) / 100


def place(
    Z: np.ndarray, centres: np.ndarray, floor: float = OUTLIER_COSINE, known=None, centre_topics=None
) -> Placement:
    """Every row of ``Z`` (unit length) at its nearest centre (cosine); ties go to the lower topic number.
    ``centre_topics`` gives the topic of every centre when a topic has several (merged topics); None: centre t is
    topic t.

    The cosines are summed by ``einsum`` in float64, row by row: a BLAS product in float32 gave a row other
    cosines (by 1e-7) in a matrix of another height, so 2 articles would not get what they got among 3,000."""
    similarity = np.einsum("ij,kj->ik", np.asarray(Z, dtype=np.float64), np.asarray(centres, dtype=np.float64))
    nearest = similarity.argmax(axis=1) if similarity.shape[1] else np.zeros(len(Z), int)
    cosine = similarity.max(axis=1) if similarity.shape[1] else np.zeros(len(Z))
    if centre_topics is not None and len(nearest):
        nearest = np.asarray(centre_topics)[nearest]
    return Placement(nearest=nearest, cosine=cosine, floor=floor, known=known)


def settle_topics(X, components, topics, floor: float | None = None):
    """The clustering's topics as a model places articles: each article at its nearest topic centre.

    Centres are the unit-length means of the clustering's topics. A topic left without any article above
    ``floor`` (default: :func:`outlier_floor` of the cosines) is dropped, and topics are renumbered by size (topic 0
    the largest), as the clustering numbers them.

    Parameters
    ----------
    X : sparse matrix
        TF-IDF rows of the clustered articles.
    components : ndarray or None
        The projection to document vectors (word vectors, or LSA's components for a tiny corpus).
    topics : kliping.topics.clustering.Topics
        The clustering.

    Returns
    -------
    topics : kliping.topics.clustering.Topics
        Labels are every article's nearest topic (outliers included), confidence its cosine.
    centres : ndarray of float32, shape (k, dims)
    placement : Placement
        With the outliers (below ``placement.floor``).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> from kliping.topics.results import Topics
    >>> X = sp.csr_matrix([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.2, 0.8]])
    >>> clustered = Topics(labels=np.array([0, 1, 1, 1]), confidence=np.ones(4), k=2, method="kmeans")
    >>> settled, centres, placed = settle_topics(X, None, clustered)
    >>> settled.labels.tolist(), placed.topics.tolist()  # the second article lies nearer the first topic
    ([0, 0, 1, 1], [0, 0, 1, 1])
    """
    from kliping.topics.centres import topic_centres
    from kliping.topics.results import Topics, size_order

    Z = project_rows(X, components)
    centres = topic_centres(Z, topics.labels).astype(np.float32)
    if floor is None:
        floor = outlier_floor(place(Z, centres, 0.0).cosine)
    first = place(Z, centres, floor)
    held = first.nearest[~first.outlier]
    sizes = np.bincount(held, minlength=len(centres))
    order = [t for t in size_order(sizes) if sizes[t] > 0] or [0]
    centres = centres[order]
    placement = place(Z, centres, floor)
    settled = Topics(
        labels=placement.nearest,
        confidence=np.clip(placement.cosine, 0.0, 1.0),
        k=len(centres),
        method=topics.method,
    )
    return settled, centres, placement


def settle(vectors, clustering):
    """A :class:`kliping.pipeline.Clustering` with every article at its nearest topic centre and the outliers
    marked (:func:`settle_topics`), as a saved model will place them."""
    from kliping.topics.results import Clustering

    topics, centres, placement = settle_topics(vectors.X, vectors.components, clustering.topics)
    return Clustering(topics, clustering.k_table, clustering.seed, centres=centres, placement=placement)


def empty_clustering(seed: int, method: str):
    """The clustering of a corpus in which no article can be clustered: no topic, no article."""
    from kliping.topics.results import Clustering, Topics

    nothing = np.zeros(0)
    return Clustering(
        topics=Topics(labels=np.zeros(0, dtype=int), confidence=nothing, k=0, method=method),
        k_table=pd.DataFrame(),
        seed=seed,
        centres=np.zeros((0, 0), dtype=np.float32),
        placement=Placement(nearest=np.zeros(0, dtype=int), cosine=nothing, floor=0.0),
    )


def run_settings(settings) -> dict:
    """The settings a model keeps: what was read and how it was clustered (not where the outputs went).

    Examples
    --------
    >>> from kliping import config
    >>> sorted(run_settings(config.RunSettings("berita.jsonl", k=9)))[:4]
    ['date_field', 'id_field', 'k', 'label_field']
    """
    values = settings.as_dict() if hasattr(settings, "as_dict") else dict(settings or {})
    return {key: value for key, value in values.items() if key != "output_dir"}


def load_model(path) -> TopicModel:
    """The model a run saved (its ``model/`` folder, or the run's output folder; :mod:`kliping.topics.modelfiles`).

    Raises
    ------
    kliping.topics.modelfiles.ModelError
        One line: no model there, a damaged file, or a model of another format version or stemmer.
    """
    from kliping.topics.modelfiles import read_model

    return TopicModel(**read_model(path))


@dataclass
class TopicModel:
    """The fitted pieces that place a new article among a run's topics.

    Attributes
    ----------
    vectorizer : kliping.topics.vocabulary.Vocabulary
        Fitted: vocabulary and idf weights of the corpus.
    components : ndarray or None
        The projection to document vectors (None when the corpus was too small to project).
    centres : ndarray of shape (n_centres, dims)
        Unit-length centre of every topic in the document space: one per topic, or the centres of the topics a merge
        joined (:attr:`centre_topics`).
    labels : list of str
        Every topic's label (its most distinctive words).
    words : list of list of str
        Every topic's top words, best first.
    outlier_cosine : float
        Articles whose cosine to every centre is below this get topic -1.
    settings : dict
        The run's settings (corpus, fields, k, seed, method) and the vectorizer's.
    kliping_version, stemmer_version : str
        What made the model (:func:`kliping.stem.stemmer_version`: a model is only used with the same stems).
    centre_topics : ndarray of int or None
        The topic of every centre, when merged topics keep their members' centres; None: centre t is topic t.
    sizes : list of int
        Every topic's number of articles in the run (weights of a merge; empty in a model saved without them).
    edits : list of dict
        The renames and merges made since the run (:mod:`kliping.topics.edit`), oldest first.
    fitted : kliping.topics.fitted.FittedArticles or None
        The run's articles as :meth:`predict` needs them to find copies of them (signatures, ids, dates, topics);
        None in a model saved before they were kept: then only copies among the new articles are found.
    """

    vectorizer: object
    components: np.ndarray | None
    centres: np.ndarray
    labels: list
    words: list = field(default_factory=list)
    outlier_cosine: float = OUTLIER_COSINE
    settings: dict = field(default_factory=dict)
    kliping_version: str = __version__
    stemmer_version: str = ""
    sizes: list = field(default_factory=list)
    edits: list = field(default_factory=list)
    centre_topics: np.ndarray | None = None
    fitted: object = None

    @classmethod
    def fit(cls, vectors, clustering, topics: pd.DataFrame, settings=None) -> TopicModel:
        """The model of a run: its vectors (:func:`kliping.pipeline.vectorize`), clustering and topics table."""
        from kliping.stem import stemmer_version

        centres = clustering.centres
        if centres is None:  # a clustering that was not settled (see settle_topics)
            from kliping.topics.centres import topic_centres

            centres = topic_centres(project_rows(vectors.X, vectors.components), clustering.topics.labels)
        floor = clustering.placement.floor if clustering.placement is not None else OUTLIER_COSINE
        return cls(
            vectorizer=vectors.vectorizer,
            components=vectors.components,
            centres=np.asarray(centres, dtype=np.float32),
            labels=topics.sort_values("topic")["label"].astype(str).tolist(),
            words=topic_words(topics),
            outlier_cosine=float(floor),
            settings=run_settings(settings) | {"languages": ",".join(vectors.languages)},
            stemmer_version=stemmer_version(),
            sizes=topics.sort_values("topic")["size"].astype(int).tolist(),
        )

    def __repr__(self) -> str:
        labels = ", ".join(repr(label) for label in self.labels[:3]) + (", ..." if self.k > 3 else "")
        return (
            f"TopicModel({self.k} topics: {labels}; {len(self.vectorizer.vocabulary_):,} terms, "
            f"kliping {self.kliping_version})"
        )

    def rename(self, labels: dict) -> TopicModel:
        """A model whose topics ``labels`` names (topic -> label) carry those labels; words and centres stay.

        Examples
        --------
        >>> model = TopicModel(None, None, np.eye(3), ["gol · laga", "banjir · rob", "saham · bank"], sizes=[5, 3, 2])
        >>> model.rename({0: "Sepak bola"}).labels
        ['Sepak bola', 'banjir · rob', 'saham · bank']
        """
        from kliping.topics.edit import edit_model, plan_edit

        return edit_model(self, plan_edit(self.labels, rename=labels))

    def merge(self, topics, label: str | None = None) -> TopicModel:
        """A model in which ``topics`` (a list of topic numbers, or a list of such lists) are each one topic, with one
        set of words and its members' centres (:func:`kliping.topics.edit.edit_model`); ``label`` names a single
        merge.

        Examples
        --------
        >>> words = [["gol", "laga"], ["banjir", "rob"], ["hujan", "banjir"]]
        >>> model = TopicModel(None, None, np.eye(3), ["gol · laga", "banjir · rob", "hujan · banjir"], words,
        ...                    sizes=[5, 3, 1])
        >>> merged = model.merge([1, 2])
        >>> merged.labels, merged.sizes, merged.centre_topics.tolist()
        (['gol · laga', 'banjir · rob'], [5, 4], [0, 1, 1])
        >>> merged.place_rows(__import__("scipy.sparse").sparse.csr_matrix(np.eye(3))).topics.tolist()
        [0, 1, 1]
        """
        from kliping.topics.edit import edit_model, plan_edit

        groups = [list(topics)] if all(isinstance(t, (int, np.integer)) for t in topics) else [list(g) for g in topics]
        rename = {groups[0][0]: label} if label and len(groups) == 1 else {}
        return edit_model(self, plan_edit(self.labels, rename=rename, merge=groups))

    def save(self, path, run_id: str | None = None):
        """Write the model into the folder ``path`` (:func:`kliping.topics.modelfiles.save_model`)."""
        from kliping.topics.modelfiles import save_model

        return save_model(self, path, run_id)

    @property
    def k(self) -> int:
        return len(self.labels)

    @property
    def languages(self) -> tuple:
        """The languages the model's run clustered (a model saved before languages existed: Indonesian)."""
        from kliping.config import parse_languages

        return parse_languages(self.settings.get("languages"))

    def place(self, token_lists) -> Placement:
        """Where articles given as stems land: topic, confidence and, for an outlier, the reason."""
        return self.place_rows(self.vectorizer.transform(token_lists))

    def place_rows(self, X) -> Placement:
        """Where articles given as TF-IDF rows of this model's vocabulary land (an article without a word of it:
        no topic)."""
        known = np.diff(X.indptr) > 0
        Z = project_rows(X, self.components)
        return place(Z, self.centres, self.outlier_cosine, known, self.centre_topics)

    def predict(self, cleaned: pd.DataFrame, stemmed) -> pd.DataFrame:
        """New articles (cleaned and stemmed as the corpus was) assigned to this model's topics.

        Returns the columns of ``assignments.csv`` (:data:`kliping.base.articles.ASSIGNMENT_COLUMNS`) for every
        input row; a row without usable text, without a word the model knows, or far from every topic gets topic -1
        and the reason. On the articles the model was fitted on it gives the run's topics.
        """
        placed = self.place(stemmed.tokens)
        ok = usable_rows(cleaned, stemmed.tokens)
        table = cleaned[["id", "status", "title"]].copy()
        table["topic"] = np.where(ok, placed.topics, NO_TOPIC)
        table["confidence"] = np.where(ok, placed.confidence, 0.0)
        table["topic_label"] = table["topic"].map(dict(enumerate(self.labels)))
        from kliping.clean.language import row_reasons

        why_not = row_reasons(cleaned, ok, self.languages)  # a language the model does not cluster says so
        table["reason"] = [why or reason for why, reason in zip(why_not, placed.reasons)]
        # A copy (of a new article or of one the model was fitted on) lands with its original.
        table["duplicate_of"] = cleaned["duplicate_of"] if "duplicate_of" in cleaned else None
        table["copy_similarity"] = cleaned["copy_similarity"] if "copy_similarity" in cleaned else np.nan
        wanted = set(table["duplicate_of"].dropna()) - set(table["id"])
        follow_originals(table, self.fitted.originals(wanted) if self.fitted is not None and wanted else None)
        table["topic_label"] = table["topic"].map(dict(enumerate(self.labels)))
        return table[ASSIGNMENT_COLUMNS]

    def prepare(self, articles, progress: bool = False, **fields):
        """Articles read (a corpus path, the articles as data, or a table that :func:`kliping.pipeline.load`
        returned), cleaned and stemmed as the model's corpus was: ``(cleaned, stemmed)`` for :meth:`predict`."""
        from kliping import io
        from kliping.base.articles import stem_input
        from kliping.clean import clean_articles
        from kliping.stem import stem_corpus
        from kliping.stem.languages import word_modes

        read = isinstance(articles, pd.DataFrame) and set(io.BASE_COLUMNS) <= set(articles.columns)
        if not read:
            articles = io.read_corpus(articles, **fields)
        from kliping.clean.copies import mark_copies

        # As pipeline.clean: the clean cache, then the copies among these articles and of the model's own.
        cleaned = mark_copies(clean_articles(articles, progress=progress, use_cache=True), self.fitted)
        modes = word_modes(cleaned["language"], self.languages)
        return cleaned, stem_corpus(stem_input(cleaned), progress=progress, modes=modes)

    def assign(self, articles, progress: bool = False, **fields) -> pd.DataFrame:
        """Assign articles to this model's topics: a corpus path or the articles as data (a DataFrame, a list of
        dicts; read with ``fields``, as :func:`kliping.pipeline.load`), or a table that ``load`` returned; cleaned
        and stemmed by the stage functions :func:`kliping.pipeline.clean` and :func:`kliping.pipeline.stem` call in
        process (:meth:`prepare`). Returns the columns of ``assignments.csv``."""
        return self.predict(*self.prepare(articles, progress=progress, **fields))
