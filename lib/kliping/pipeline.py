"""The pipeline as one function per stage: load → clean → stem → vectorize → cluster → describe → assign.

Each stage takes data and returns data (DataFrames or a small typed object); none reads or writes a
file (:mod:`kliping.store` owns the files). ``kliping run``, the notebooks and the Python API call
exactly these functions, in this order, with these defaults, so they give the same topics on the same
corpus and seed. :func:`run` is the whole chain in one call.

Examples
--------
>>> from kliping import config, pipeline
>>> articles = pipeline.load(config.RAW_DIR).head(2)  # the two seed pages of the embedded corpus
>>> cleaned = pipeline.clean(articles, progress=False)
>>> cleaned[["site", "title"]].loc[0].tolist()
['kompas.com', 'AS Maju Upayakan Gencatan Senjata yang Sempat Gagal dalam Konflik Armenia-Azerbaijan']
>>> stemmed = pipeline.stem(cleaned, progress=False, use_cache=False)
>>> vectors = pipeline.vectorize(cleaned, stemmed)
>>> clustering = pipeline.cluster(vectors, k=1)
>>> topics = pipeline.describe(cleaned, vectors, clustering)
>>> pipeline.assign(cleaned, vectors, clustering, topics)[["id", "topic"]].to_dict("records")
[{'id': '000_1ed279cb64cb3699', 'topic': 0}, {'id': '002_c58ec8ab53f2afe8', 'topic': 0}]
"""

from __future__ import annotations

import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kliping import __version__, config

#: The per-article output table (``articles.parquet``), in this order; a ``label`` column follows
#: ``content`` when the corpus has one.
ARTICLE_COLUMNS = [
    "id",
    "status",
    "duplicate_of",
    "title",
    "site",
    "published",
    "time_zone",
    "byline",
    "content",
    "language",
    "topic",
    "topic_label",
    "confidence",
    "reason",
]
#: ``assignments.csv``: one row per input item; ``reason`` says why a row has topic -1 (no usable text, far from
#: every topic).
ASSIGNMENT_COLUMNS = ["id", "status", "topic", "confidence", "topic_label", "title", "reason"]
#: Representative articles shown per topic.
N_REPRESENTATIVES = 5


# --------------------------------------------------------------------------- progress
def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class StageTimer:
    """Time each stage and note the peak memory after it, printing one line per stage to stderr."""

    def __init__(self, verbose: bool = True):
        self.verbose = verbose
        self.stages: dict[str, dict] = {}

    def __call__(self, name: str):
        timer = self

        class _Stage:
            def __enter__(self):
                if timer.verbose:
                    print(f"kliping: {name} ...", file=sys.stderr, flush=True)
                self.started = time.perf_counter()

            def __exit__(self, *exc):
                seconds = time.perf_counter() - self.started
                timer.stages[name] = {"seconds": round(seconds, 2), "peak_memory_mb": round(peak_memory_mb())}
                if timer.verbose and exc[0] is None:
                    print(
                        f"kliping: {name} done in {seconds:.1f} s (peak memory {peak_memory_mb():,.0f} MB)",
                        file=sys.stderr,
                        flush=True,
                    )

        return _Stage()


# --------------------------------------------------------------------------- what the stages hand on
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
        (:mod:`kliping.embed`), or LSA vectors for a corpus under 50 articles.
    components : ndarray or None
        The projection (``Z = normalize(X @ components.T)``): the word vectors, one column per term, or LSA's
        components; None when the corpus was too small to project.
    explained_variance : float
        Share of the co-occurrence (PPMI) matrix's squared norm the word vectors keep (for LSA: of the TF-IDF
        variance).
    display_words : dict
        Stem -> the word to show (``"perintah" -> "pemerintah"``).
    """

    ids: list
    usable: np.ndarray
    vectorizer: object
    X: object
    Z: np.ndarray
    components: np.ndarray | None
    explained_variance: float
    display_words: dict = field(default_factory=dict)
    #: The languages clustered (:func:`kliping.language.parse_languages`); other rows have no vector.
    languages: tuple = ("id",)

    @property
    def usable_ids(self) -> list:
        return [id_ for id_, ok in zip(self.ids, self.usable) if ok]

    def transform(self, token_lists) -> np.ndarray:
        """Document vectors of new articles' stems, in this corpus's space (to assign them to its topics)."""
        return project(self.vectorizer, self.components, token_lists)[0]


def project(vectorizer, components, token_lists) -> tuple[np.ndarray, np.ndarray]:
    """LSA vectors of articles given as stems, in a fitted corpus's space, and which articles had a known stem.

    Examples
    --------
    >>> from kliping import vectorize
    >>> vectorizer, X = vectorize.tfidf([["banjir", "bekasi"], ["gol", "persib"], ["banjir", "garut"]])
    >>> Z, known = project(vectorizer, None, [["banjir"], ["kata", "asing"]])
    >>> known.tolist(), Z.shape
    ([True, False], (2, 5))
    """
    from kliping.topicmodel import project_rows

    X = vectorizer.transform(token_lists)
    return project_rows(X, components), np.diff(X.indptr) > 0


@dataclass
class Clustering:
    """The cluster stage's result: the topics and, when k was chosen, the table it was chosen from.

    ``topics.labels`` is every clustered article's nearest topic; ``placement`` (a
    :class:`kliping.topicmodel.Placement`) marks the outliers among them, which the per-article table shows as
    topic -1, and ``centres`` are the topic centres a saved model places articles with.
    """

    topics: object  # kliping.cluster.Topics
    k_table: pd.DataFrame
    seed: int
    centres: np.ndarray | None = None
    placement: object = None  # kliping.topicmodel.Placement

    @property
    def outlier(self) -> np.ndarray:
        """Which clustered articles are far from every topic (none when the clustering was not settled)."""
        if self.placement is None:
            return np.zeros(len(self.topics.labels), dtype=bool)
        return self.placement.outlier

    def held(self):
        """The topics of the articles that are not outliers (a :class:`kliping.cluster.Topics`), and which they are."""
        from kliping.cluster import Topics

        keep = ~self.outlier
        topics = self.topics
        return Topics(topics.labels[keep], topics.confidence[keep], topics.k, topics.method), keep


@dataclass
class RunResult:
    """Everything one run produced: the per-article table, the topics, the metrics."""

    articles: pd.DataFrame
    topics: pd.DataFrame
    metrics: dict
    k_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    model: object = None  # a kliping.topicmodel.TopicModel, to assign new articles to these topics

    @property
    def assignments(self) -> pd.DataFrame:
        """``assignments.csv``: id, status, topic, confidence, topic label and title of every input row."""
        return self.articles[ASSIGNMENT_COLUMNS]


# --------------------------------------------------------------------------- the stages
def load(
    path,
    text_field: str | None = None,
    title_field: str | None = None,
    id_field: str | None = None,
    label_field: str | None = None,
    date_field: str | None = None,
    url_field: str | None = None,
    site_field: str | None = None,
) -> pd.DataFrame:
    """Read a corpus: one row per input item, with a ``status`` (see :func:`kliping.io.read_corpus`).

    Examples
    --------
    >>> load(config.SEED_PAGE)["status"].tolist()
    ['ok']
    """
    from kliping import io

    return io.read_corpus(
        path,
        text_field=text_field,
        title_field=title_field,
        id_field=id_field,
        label_field=label_field,
        date_field=date_field,
        url_field=url_field,
        site_field=site_field,
    )


def clean(
    articles: pd.DataFrame, progress: bool = True, scheduler: str | None = None, cache_dir=None, use_cache: bool = True
) -> pd.DataFrame:
    """Cut the article out of every page, line by line (see :func:`kliping.clean.clean_articles`).

    The site is the one a page names (or the input's ``site`` field), never a stand-in: a page without
    one keeps ``None``, so pages of unknown origin are never pooled as one "site" whose repeated lines
    would count as template. With a ``scheduler`` (``local``, ``tcp://host:8786``) the pages are cleaned
    on a Dask cluster's workers, with the same result (:func:`kliping.scale.frames.clean`). A corpus of
    2,000 rows or more cleaned before by the same cleaner is read back from the clean cache in ``cache_dir``
    (default ``config.CACHE_DIR``; :mod:`kliping.clean.cache`), unless ``use_cache`` is False.
    """
    if scheduler:
        from kliping.scale import frames

        return frames.clean(articles, scheduler, progress=progress)
    from kliping import clean as cleaning

    return cleaning.clean_articles(articles, progress=progress, cache_dir=cache_dir, use_cache=use_cache)


def stem_input(cleaned: pd.DataFrame) -> list[str]:
    """The text that is stemmed: title and body, so the headline counts too.

    Examples
    --------
    >>> stem_input(pd.DataFrame({"title": ["Banjir Bekasi", None], "content": ["Hujan deras.", "Gol!"]}))
    ['Banjir Bekasi\\nHujan deras.', '\\nGol!']
    """
    titles = cleaned["title"].fillna("").astype(str)
    return (titles + "\n" + cleaned["content"].fillna("").astype(str)).tolist()


def stem(
    cleaned: pd.DataFrame,
    cache_dir=None,
    progress: bool = True,
    use_cache: bool = True,
    scheduler=None,
    languages=config.DEFAULT_LANGUAGES,
):
    """Tokenize, drop stopwords and stem every article's title and body (a :class:`kliping.stem.StemResult`,
    one token list per row of ``cleaned``); with a ``scheduler``, new words are stemmed on a Dask cluster's
    workers (:func:`kliping.scale.frames.stem`).

    Only articles in ``languages`` (``"id,en"``; see :mod:`kliping.language`) get words: Indonesian (and Malay)
    stemmed with Sastrawi, English as lowercase words without English stopwords
    (:mod:`kliping.stem.languages`); another language's article gets none, and no topic."""
    from kliping.language import parse_languages
    from kliping.stem.languages import word_modes

    languages = parse_languages(languages)
    modes = word_modes(cleaned["language"], languages) if "language" in cleaned else None
    if scheduler:
        from kliping.scale import frames

        stemmed = frames.stem(stem_input(cleaned), scheduler, cache_dir, progress, use_cache, modes=modes)
    else:
        from kliping import stem as stemming

        stemmed = stemming.stem_corpus(
            stem_input(cleaned), cache_dir=cache_dir, progress=progress, use_cache=use_cache, modes=modes
        )
    stemmed.languages = languages
    return stemmed


def usable_rows(cleaned: pd.DataFrame, token_lists) -> np.ndarray:
    """Articles that can be clustered: read and cleaned fine, with at least one stem left."""
    return np.array(
        [status == "ok" and len(tokens) > 0 for status, tokens in zip(cleaned["status"], token_lists)], dtype=bool
    )


def vectorize(cleaned: pd.DataFrame, stemmed, seed: int = config.SEED) -> Vectors:
    """TF-IDF of the usable articles' stems (see :mod:`kliping.vectorize`), then document vectors from word
    vectors learnt on these articles (:mod:`kliping.embed`; LSA for a corpus under 50 articles).

    Raises
    ------
    ValueError
        When no article has usable text.
    """
    from kliping import embed
    from kliping import vectorize as vectorizing

    usable = usable_rows(cleaned, stemmed.tokens)
    if not usable.any():
        raise ValueError("no article has usable text: nothing to cluster (see the status column)")
    token_lists = [tokens for tokens, ok in zip(stemmed.tokens, usable) if ok]
    vectorizer, X = vectorizing.tfidf(token_lists)
    Z, components, kept = embed.document_space(X, token_lists, vectorizer.vocabulary_, seed=seed, idf=vectorizer.idf_)
    return Vectors(
        ids=cleaned["id"].tolist(),
        usable=usable,
        vectorizer=vectorizer,
        X=X,
        Z=Z,
        components=components,
        explained_variance=kept,
        display_words=stemmed.display_words,
        languages=getattr(stemmed, "languages", config.DEFAULT_LANGUAGES),
    )


def cluster(vectors: Vectors, k: int | None = None, seed: int = config.SEED, method: str = "auto") -> Clustering:
    """Group the usable articles into ``k`` topics; k is chosen by :func:`kliping.cluster.choose_k` when None."""
    from kliping import cluster as clustering
    from kliping.topicmodel import settle

    k_table = pd.DataFrame()
    if k is None:
        k, k_table = clustering.choose_k(vectors.Z, vectors.X, method=method, seed=seed)
    topics = clustering.fit_topics(vectors.Z, k, method=method, seed=seed)
    # Every article at its nearest topic centre, outliers marked, as a saved model will place them.
    return settle(vectors, Clustering(topics=topics, k_table=k_table, seed=seed))


def describe(
    cleaned: pd.DataFrame, vectors: Vectors, clustering: Clustering, n_articles: int = N_REPRESENTATIVES
) -> pd.DataFrame:
    """One row per topic: size, label, top and distinctive words, typical articles, site mix, and the span in time
    of its articles (``first_published``, ``last_published``, ``span``). Outliers belong to no topic: left out."""
    from kliping import cluster as clustering_
    from kliping.views import topic_spans

    held, keep = clustering.held()
    kept = cleaned[vectors.usable].reset_index(drop=True)[keep].reset_index(drop=True)
    table = clustering_.describe_topics(
        kept, vectors.X[keep], vectors.vectorizer, held, vectors.display_words, n_articles=n_articles
    )
    dates = kept["published"] if "published" in kept else pd.Series(pd.NaT, index=kept.index)
    return table.join(topic_spans(dates, held.labels, held.k), on="topic")


def assign(cleaned: pd.DataFrame, vectors: Vectors, clustering: Clustering, topics: pd.DataFrame) -> pd.DataFrame:
    """The per-article table: every input row with its metadata, content, topic and confidence.

    Rows without usable text and outliers get topic -1, confidence 0 and a ``reason``; the confidence is rounded
    to 4 places.
    """
    from kliping.topicmodel import NO_TOPIC

    columns = [c for c in ARTICLE_COLUMNS if c in cleaned.columns]
    if "label" in cleaned.columns:
        columns.insert(columns.index("content") + 1, "label")
    table = cleaned[columns].copy()
    table["topic"] = NO_TOPIC
    table["confidence"] = 0.0
    placement = clustering.placement
    placed = placement is not None
    table.loc[vectors.usable, "topic"] = placement.topics if placed else clustering.topics.labels
    table.loc[vectors.usable, "confidence"] = placement.confidence if placed else clustering.topics.confidence.round(4)
    table["reason"] = row_reasons(cleaned, vectors.usable, vectors.languages)
    if placed:
        table.loc[vectors.usable, "reason"] = placement.reasons
    table["topic_label"] = table["topic"].map(dict(zip(topics["topic"], topics["label"])))
    order = [c for c in ARTICLE_COLUMNS if c in table.columns]
    if "label" in table.columns:
        order.insert(order.index("content") + 1, "label")
    carried = input_columns(cleaned)
    for column in carried:
        table[column] = cleaned[column]
    return table[order + carried]


def row_reasons(cleaned: pd.DataFrame, usable, languages) -> list[str]:
    """Why each row cannot be clustered (``""`` when it can): no usable text, a language that is not clustered
    (``language en, not clustered (--languages id)``), or no words left after stemming.

    Examples
    --------
    >>> frame = pd.DataFrame({"status": ["ok", "ok", "empty", "ok"], "language": ["id", "en", "", "id"]})
    >>> row_reasons(frame, [True, False, False, False], ("id",))
    ['', 'language en, not clustered (--languages id)', 'no usable text (empty)', 'no words left after stemming']
    """
    from kliping.language import reason
    from kliping.topicmodel import unusable_reasons

    reasons = unusable_reasons(cleaned["status"], usable)
    if "language" not in cleaned:
        return reasons
    return [
        (reason(language, languages) or why) if status == "ok" and not ok else why
        for why, status, ok, language in zip(reasons, cleaned["status"], usable, cleaned["language"])
    ]


#: Columns of the reader and the clean stage that are not the input's own (never carried to the output).
_OWN_COLUMNS = {"source", "text", "encoding", "origin", "meta_site", "meta_date", "label", "labels", "kinds", "reasons"}


def input_columns(cleaned: pd.DataFrame) -> list[str]:
    """The input's other columns (``kanal``, ``tanggal``, ``tautan``, ``url``...), carried to the output table
    after the standard ones, in input order.

    Examples
    --------
    >>> input_columns(pd.DataFrame(columns=["id", "text", "kanal", "title", "url", "meta_date", "kinds"]))
    ['kanal', 'url']
    """
    standard = set(ARTICLE_COLUMNS) | _OWN_COLUMNS | {"dateline_city"}
    return [c for c in cleaned.columns if c not in standard]


def measure(vectors: Vectors, clustering: Clustering, articles: pd.DataFrame) -> dict:
    """How good the topics are (silhouette, NPMI coherence and, with labels, NMI and ARI, all on the articles that
    are not outliers) and what was clustered: ``n_outliers`` and ``outlier_share`` (of the clustered articles)."""
    from kliping import cluster as clustering_
    from kliping.language import mix_metrics

    usable = vectors.usable
    held, keep = clustering.held()
    labels_true = articles.loc[usable, "label"].to_numpy()[keep].tolist() if "label" in articles else None
    metrics = clustering_.evaluate(vectors.Z[keep], vectors.X[keep], held, labels_true, seed=clustering.seed)
    metrics.update(
        {
            "n_articles": int(len(articles)),
            "n_clustered": int(usable.sum()),
            "n_without_topic": int((~usable).sum()),
            "n_outliers": int((~keep).sum()),
            **(mix_metrics(articles, vectors.languages) if "language" in articles else {}),
            "outlier_share": round(float((~keep).mean()), 4),
            "seed": clustering.seed,
            "n_terms": int(vectors.X.shape[1]),
            "lsa_dims": int(vectors.Z.shape[1]),
            "kliping_version": __version__,
        }
    )
    return metrics


def fit_model(vectors: Vectors, clustering: Clustering, topics: pd.DataFrame, settings=None):
    """The run's topics as a :class:`kliping.topicmodel.TopicModel`, which assigns new articles to them
    (``settings``, the run's :class:`kliping.config.RunSettings`, are kept with it)."""
    from kliping.topicmodel import TopicModel

    return TopicModel.fit(vectors, clustering, topics, settings)


def merge_topics(vectors: Vectors, clustering: Clustering, n: int) -> Clustering:
    """Fewer topics: the clustering's topics merged along their tree into ``n`` (see :mod:`kliping.hierarchy`)."""
    from kliping.hierarchy import merge_topics as merge

    return merge(vectors, clustering, n)


def predict(model, cleaned: pd.DataFrame, stemmed) -> pd.DataFrame:
    """New articles (cleaned and stemmed as the corpus was) assigned to a saved model's topics.

    Returns the columns of ``assignments.csv`` (:data:`ASSIGNMENT_COLUMNS`) for every input row; a row without
    usable text, in a language the model does not cluster (``model.languages``), without a word the model knows,
    or far from every topic gets topic -1 and the reason. On the articles the model was fitted on it gives the
    run's topics; ``stemmed`` must be :func:`stem` with ``languages=model.languages``.
    """
    from kliping.topicmodel import NO_TOPIC

    placed = model.place(stemmed.tokens)
    ok = usable_rows(cleaned, stemmed.tokens)
    table = cleaned[["id", "status", "title"]].copy()
    table["topic"] = np.where(ok, placed.topics, NO_TOPIC)
    table["confidence"] = np.where(ok, placed.confidence, 0.0)
    table["topic_label"] = table["topic"].map(dict(enumerate(model.labels)))
    why_not = row_reasons(cleaned, ok, model.languages)
    table["reason"] = [why or reason for why, reason in zip(why_not, placed.reasons)]
    return table[ASSIGNMENT_COLUMNS]


# --------------------------------------------------------------------------- the whole chain
def run(settings: config.RunSettings | str | Path, progress: bool = True, cache_dir=None, **options) -> RunResult:
    """Run every stage on a corpus and return the tables (nothing is written; see :func:`kliping.store.write_outputs`).

    Parameters
    ----------
    settings : RunSettings, or a corpus path
        What to read and how (:class:`kliping.config.RunSettings`); a path with keyword ``options``
        (``text_field``, ``label_field``, ``k``, ``seed``, ...) builds one.
    progress : bool
        One line per stage on stderr, and progress bars for the long ones.

    Examples
    --------
    >>> result = run(config.SEED_PAGE, k=1, progress=False)
    >>> result.metrics["n_clustered"], list(result.topics["size"])
    (1, [1])
    """
    from kliping import io

    if not isinstance(settings, config.RunSettings):
        settings = config.RunSettings(path=Path(settings), **options)
    io.corpus_path(settings.path)  # before any progress line: a wrong path is one error line
    timer = StageTimer(verbose=progress)
    with timer("read"):
        articles = load(settings.path, **settings.fields)
    with timer("clean"):
        cleaned = clean(articles, progress=progress, cache_dir=cache_dir)
    with timer("stem"):
        stemmed = stem(cleaned, cache_dir=cache_dir, progress=progress, languages=settings.languages)
    with timer("vectorize"):
        vectors = vectorize(cleaned, stemmed, seed=settings.seed)
    with timer("cluster"):
        clustering = cluster(vectors, k=settings.k, seed=settings.seed, method=settings.method)
    with timer("describe"):
        topics = describe(cleaned, vectors, clustering)
        table = assign(cleaned, vectors, clustering, topics)
        metrics = measure(vectors, clustering, table)
    # Timings belong to this call only: the notebooks' metrics.json has every other key, with the same values.
    metrics.update(
        {
            "stages": timer.stages,
            "total_seconds": round(sum(s["seconds"] for s in timer.stages.values()), 2),
            "peak_memory_mb": round(peak_memory_mb()),
        }
    )
    model = fit_model(vectors, clustering, topics, settings)
    return RunResult(articles=table, topics=topics, metrics=metrics, k_table=clustering.k_table, model=model)
