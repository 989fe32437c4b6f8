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

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from kliping import config

# The names marked F401 are still importable from here, as the notebooks, tests and docs name them (each is
# defined in its own layer: base.articles, base.version, topics.*).
from kliping.base.articles import (
    ARTICLE_COLUMNS,  # noqa: F401
    ASSIGNMENT_COLUMNS,  # noqa: F401
    NO_TOPIC,  # noqa: F401
    NOTHING_TO_CLUSTER,
    PAGE_COLUMNS,
    StemTexts,
    follow_originals,  # noqa: F401
    input_columns,  # noqa: F401
    stem_input,
    usable_rows,
)
from kliping.base.usage import StageTimer, run_figures
from kliping.base.version import __version__  # noqa: F401
from kliping.topics.clustering import k_lowered  # noqa: F401 - what kliping report says, as the stage warns
from kliping.topics.edit import edit_topics  # noqa: F401
from kliping.topics.results import Clustering, RunResult, Vectors, empty_vectors
from kliping.topics.table import article_table, measure
from kliping.topics.vocabulary import Vocabulary

#: Representative articles shown per topic.
N_REPRESENTATIVES = 5
#: The columns of the clustered articles that :func:`describe` reads (its representatives, site mix and span).
DESCRIBED_COLUMNS = ("id", "title", "site", "published")


# --------------------------------------------------------------------------- the stages
def load(path, **fields) -> pd.DataFrame:
    """Read a corpus, a path or the articles as data (a DataFrame, a list of dicts): one row per input item, with
    a ``status`` (see :func:`kliping.io.read_corpus`, whose options ``fields`` are: ``text_field``,
    ``title_field``, ``id_field``, ``label_field``, ``date_field``, ``url_field``, ``site_field``).

    Examples
    --------
    >>> load(config.SEED_PAGE)["status"].tolist()
    ['ok']
    >>> rows = load([{"judul": "Gempa di Bali", "isi": "Gempa mengguncang Bali."}, {"judul": "Kosong", "isi": None}])
    >>> rows[["id", "status", "title"]].values.tolist()
    [['data-1', 'ok', 'Gempa di Bali'], ['data-2', 'null_text', 'Kosong']]
    """
    from kliping import io

    return io.read_corpus(path, **fields)


def clean(
    articles: pd.DataFrame,
    progress: bool = True,
    scheduler: str | None = None,
    cache_dir=None,
    use_cache: bool = True,
    copies: bool = True,
) -> pd.DataFrame:
    """Cut the article out of every page, line by line (see :func:`kliping.clean.clean_articles`).

    The site is the one a page names (or the input's ``site`` field), never a stand-in: a page without
    one keeps ``None``, so pages of unknown origin are never pooled as one "site" whose repeated lines
    would count as template. With a ``scheduler`` (``local``, ``tcp://host:8786``) the pages are cleaned
    on a Dask cluster's workers, with the same result (:func:`kliping.partitions.frames.clean`). A corpus of
    2,000 rows or more cleaned before by the same cleaner is read back from the clean cache in ``cache_dir``
    (default ``config.CACHE_DIR``; :mod:`kliping.clean.cache`), unless ``use_cache`` is False. A corpus of
    :data:`kliping.clean.corpus.PARALLEL_MIN_ROWS` rows or more is cleaned on every core, in forked processes
    (where the system can fork), with the same result.

    Exact and near copies (the same story republished) are then named over the whole corpus: ``duplicate_of``
    holds the story's original (its earliest published article) and ``copy_similarity`` the estimated
    similarity (:mod:`kliping.clean.copies`); a copy is not clustered but takes its original's topic. With
    ``copies=False`` they are not (only the reader's exact duplicates are named): :func:`run` marks them as a stage
    of its own, timed apart.
    """
    from kliping.clean.copies import mark_copies

    if scheduler:
        from kliping.partitions import frames

        cleaned = frames.clean(articles, scheduler, progress=progress)
    else:
        from kliping import clean as cleaning

        cleaned = cleaning.clean_articles(articles, progress=progress, cache_dir=cache_dir, use_cache=use_cache)
    return mark_copies(cleaned) if copies else cleaned


def name_copies(cleaned: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The cleaned articles with their copies named (as :func:`clean` names them), and every row's MinHash
    signature (:func:`kliping.clean.copies.marked_and_signatures`), which :func:`fit_model` keeps so that
    ``kliping assign`` finds copies of the run's articles without computing them again (1.0-1.3 s CPU for the
    22,136 CLICK-ID articles; 5.5-8 s before the words were hashed without a Python object each).

    Examples
    --------
    >>> page = load(config.RAW_DIR / "000_1ed279cb64cb3699.txt")
    >>> twice = pd.concat([page, page.assign(id="salinan")], ignore_index=True)  # the story republished
    >>> cleaned, signatures = name_copies(clean(twice, progress=False, copies=False))
    >>> cleaned["duplicate_of"].tolist(), signatures.shape
    ([None, '000_1ed279cb64cb3699'], (2, 64))
    """
    from kliping.clean.copies import marked_and_signatures

    return marked_and_signatures(cleaned)


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
    workers (:func:`kliping.partitions.frames.stem`).

    Only articles in ``languages`` (``"id,en"``; see :mod:`kliping.clean.language`) get words: Indonesian (and
    Malay) stemmed with Sastrawi, English as lowercase words without English stopwords
    (:mod:`kliping.stem.languages`); another language's article gets none, and no topic."""
    from kliping.stem.languages import word_modes

    languages = config.parse_languages(languages)
    modes = word_modes(cleaned["language"], languages) if "language" in cleaned else None
    if scheduler:
        from kliping.partitions import frames

        stemmed = frames.stem(stem_input(cleaned), scheduler, cache_dir, progress, use_cache, modes=modes)
    else:
        from kliping import stem as stemming

        stemmed = stemming.stem_corpus(  # the texts made a run at a time, not all held (StemTexts)
            StemTexts(cleaned), cache_dir=cache_dir, progress=progress, use_cache=use_cache, modes=modes
        )
    stemmed.languages = languages
    return stemmed


def vectorize(cleaned: pd.DataFrame, stemmed, seed: int = config.SEED) -> Vectors:
    """TF-IDF of the usable articles' stems (see :mod:`kliping.topics.tfidf`), then document vectors from word
    vectors learnt on these articles (:mod:`kliping.topics.wordvectors`; LSA for a corpus under 50 articles).

    An article whose stems are all cut from the vocabulary (each in a single article, or in more than half of them:
    a page of another language among Indonesian ones) has no vector and is not clustered: it gets topic -1 and
    :data:`kliping.base.articles.NO_VOCABULARY_WORD` as its reason, as a saved model would give it. When no article
    is left, the vectors are empty (:attr:`Vectors.empty`) and the later stages give every row topic -1 and its
    reason; :data:`kliping.base.articles.NOTHING_TO_CLUSTER` is warned once.

    Examples
    --------
    >>> from kliping.stem import StemResult
    >>> cleaned = pd.DataFrame({"id": ["a", "b"], "status": ["ok", "ok"]})
    >>> vectors = vectorize(cleaned, StemResult([["banjir", "bekasi"], []], {}, {}))
    >>> vectors.usable.tolist(), vectors.Z.shape[0], vectors.empty
    ([True, False], 1, False)
    """
    from kliping.topics import tfidf, wordvectors

    usable = usable_rows(cleaned, stemmed.tokens)
    has_stems = usable.copy()
    numbered = _numbered(stemmed, usable)
    # With the stem stage's numbers no token list is made (the 221k perturbed articles' lists: ~0.5 GB).
    token_lists = None if numbered is not None else [tokens for tokens, ok in zip(stemmed.tokens, usable) if ok]
    fitted = tfidf.fit_tfidf(token_lists, numbered)
    if fitted is None:
        usable[:] = False
    else:
        in_vocabulary = np.diff(fitted[1].indptr) > 0
        usable[usable] = in_vocabulary
        if token_lists is not None:
            token_lists = [tokens for tokens, ok in zip(token_lists, in_vocabulary) if ok]
    if not usable.any():
        warnings.warn(NOTHING_TO_CLUSTER, stacklevel=2)
        return empty_vectors(cleaned["id"].tolist(), has_stems, stemmed.display_words)
    vectorizer, X = fitted[0], fitted[1][in_vocabulary]
    counts = None
    if numbered is not None and X.shape[0] >= tfidf.SMALL_CORPUS:  # the word numbers counted, no string looked up
        ids, lengths, words = numbered
        columns = vectorizer.columns_of(words)[ids]
        counts = wordvectors.cooccurrence_of_ids(columns, lengths, len(vectorizer.vocabulary_))
    Z, components, kept = wordvectors.document_space(
        X, token_lists, vectorizer.vocabulary_, seed=seed, idf=vectorizer.idf_, counts=counts
    )
    return Vectors(
        ids=cleaned["id"].tolist(),
        usable=usable,
        vectorizer=Vocabulary.of(vectorizer),
        X=X,
        Z=Z,
        components=components,
        explained_variance=kept,
        display_words=stemmed.display_words,
        languages=getattr(stemmed, "languages", config.DEFAULT_LANGUAGES),
        has_stems=has_stems,
    )


def _numbered(stemmed, usable):
    """The usable rows' tokens as the stem stage's word numbers: (word ids, tokens per row, words), or None when
    the stem result has no numbers (one made from token lists)."""
    if getattr(stemmed, "word_ids", None) is None:
        return None
    lengths = np.diff(stemmed.offsets)
    return stemmed.word_ids[np.repeat(usable, lengths)], lengths[usable], stemmed.words


def cluster(vectors: Vectors, k: int | None = None, seed: int = config.SEED, method: str = "auto") -> Clustering:
    """Group the usable articles into ``k`` topics; k is chosen by :func:`kliping.topics.clustering.choose_k` when
    None.

    A ``k`` above the number of articles that can be clustered is warned about once and lowered to it (one article
    per topic, :func:`kliping.topics.clustering.usable_k`); the topics kept are ``clustering.topics.k``
    (``metrics.json``'s ``k``). Empty vectors give no topic.
    """
    from kliping.topics import clustering
    from kliping.topics.model import empty_clustering, settle

    if vectors.empty:
        return empty_clustering(seed, clustering.resolve_method(method))
    k_table = pd.DataFrame()
    if k is None:
        k, k_table = clustering.choose_k(vectors.Z, vectors.X, method=method, seed=seed)
    else:
        k = clustering.usable_k(k, len(vectors.Z))
    topics = clustering.fit_topics(vectors.Z, k, method=method, seed=seed)
    # Every article at its nearest topic centre, outliers marked, as a saved model will place them.
    return settle(vectors, Clustering(topics=topics, k_table=k_table, seed=seed))


def describe(
    cleaned: pd.DataFrame, vectors: Vectors, clustering: Clustering, n_articles: int = N_REPRESENTATIVES
) -> pd.DataFrame:
    """One row per topic: size, label, top and distinctive words, typical articles, site mix, the span in time
    of its articles (``first_published``, ``last_published``, ``span``) and ``mixed``, whether its articles fall into
    two well-separated groups (:func:`kliping.topics.mixed.mixed_topics`). Outliers belong to no topic: left
    out."""
    from kliping.topics.describe import describe_topics, no_topics, topic_spans
    from kliping.topics.mixed import mixed_topics

    if clustering.topics.k == 0:  # nothing was clustered: a table of no topics, with every column
        return no_topics()
    held, keep = clustering.held()
    # Only the columns a topic's row reads: taking every column (the articles' text among them) of the clustered
    # rows twice cost 1.0 s of the 22k run's 1.9 s describe stage.
    columns = [column for column in DESCRIBED_COLUMNS if column in cleaned]
    kept = cleaned.loc[vectors.usable, columns].reset_index(drop=True)[keep].reset_index(drop=True)
    table = describe_topics(
        kept, vectors.X[keep], vectors.vectorizer, held, vectors.display_words, n_articles=n_articles
    )
    dates = kept["published"] if "published" in kept else pd.Series(pd.NaT, index=kept.index)
    table = table.join(topic_spans(dates, held.labels, held.k), on="topic")
    # Two well-separated groups in one topic are said (a column of topics.csv, a line of the report's card).
    table["mixed"] = mixed_topics(vectors.Z[keep], held.labels, clustering.seed)["mixed"].to_numpy()
    return table


def assign(cleaned: pd.DataFrame, vectors: Vectors, clustering: Clustering, topics: pd.DataFrame) -> pd.DataFrame:
    """The per-article table: every input row with its metadata, content, topic and confidence.

    Rows without usable text and outliers get topic -1, confidence 0 and a ``reason``; the confidence is rounded
    to 4 places.
    """
    placement = clustering.placement
    if placement is None:  # a clustering that was not settled: every clustered article keeps its topic
        held = clustering.topics
        return article_table(
            cleaned,
            vectors.usable,
            held.labels,
            held.confidence.round(4),
            None,
            topics,
            vectors.has_stems,
            vectors.languages,
        )
    return article_table(
        cleaned,
        vectors.usable,
        placement.topics,
        placement.confidence,
        placement.reasons,
        topics,
        vectors.has_stems,
        vectors.languages,
    )


def fit_model(
    vectors: Vectors, clustering: Clustering, topics: pd.DataFrame, settings=None, articles=None, signatures=None
):
    """The run's topics as a :class:`kliping.topics.model.TopicModel`, which assigns new articles to them
    (``settings``, the run's :class:`kliping.config.RunSettings`, are kept with it); None when there is no topic.

    With the run's article table (:func:`assign`) the model also keeps its articles' copy signatures (``signatures``,
    from :func:`kliping.clean.copies.marked_and_signatures`, or computed from ``content``), so ``kliping assign``
    names a new article that republishes one of them (:mod:`kliping.topics.fitted`)."""
    from kliping.topics.fitted import FittedArticles
    from kliping.topics.model import TopicModel

    if clustering.topics.k == 0:
        return None  # no topic to place an article in
    model = TopicModel.fit(vectors, clustering, topics, settings)
    if articles is not None:
        model.fitted = FittedArticles.of(articles, signatures)
    return model


def merge_topics(vectors: Vectors, clustering: Clustering, n: int) -> Clustering:
    """Fewer topics: the clustering's topics merged along their tree into ``n`` (see
    :mod:`kliping.topics.hierarchy`)."""
    from kliping.topics.hierarchy import merge_topics as merge

    return merge(vectors, clustering, n)


def topics_over_time(result: RunResult, period: str | None = None) -> pd.DataFrame:
    """How many articles of every topic appeared per period (``topics_over_time.csv``: ``topic``, ``period``,
    ``articles``, ``share``; see :mod:`kliping.topics.timeline`); ``period`` is ``day``, ``week`` or ``month``, or
    chosen from the span of the dates (None). The rows add up to the dated, clustered articles.

    Examples
    --------
    >>> result = run(config.RAW_DIR / "000_1ed279cb64cb3699.txt", k=1, progress=False)
    >>> topics_over_time(result).to_dict("records")
    [{'topic': 0, 'period': '2020-10-24', 'articles': 1, 'share': 1.0}]
    """
    from kliping.topics.timeline import topics_over_time as over_time

    articles = result.articles
    dates = articles["published"] if "published" in articles else pd.Series(pd.NaT, index=articles.index)
    return over_time(dates, articles["topic"].to_numpy(), period)


def new_topics(cleaned: pd.DataFrame, stemmed, assigned: pd.DataFrame, seed: int = config.SEED) -> pd.DataFrame:
    """The new articles that fit no topic of a model (``assigned``: :meth:`TopicModel.predict`'s table, far from
    every topic and no copy: :func:`kliping.topics.emerging.far_from_every_topic`) grouped into candidate new topics:
    :func:`vectorize`, :func:`cluster` and :func:`describe` run on
    them alone, with their own words, so a story the model's corpus never had (its names, its words) can show up
    (``new_topics.csv``; :mod:`kliping.topics.emerging`)."""
    from kliping.stem.corpus import StemResult
    from kliping.topics.emerging import MIN_OUTLIERS, candidate_table, far_from_every_topic, no_candidates

    far = far_from_every_topic(assigned)
    if far.sum() < MIN_OUTLIERS:
        return no_candidates()
    kept = cleaned[far].reset_index(drop=True)
    tokens = [tokens for tokens, outlier in zip(stemmed.tokens, far) if outlier]
    words = StemResult(tokens, stemmed.display_words, {})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # too few words to cluster is no candidate, not a warning
        vectors = vectorize(kept, words, seed=seed)
        clustering = cluster(vectors, seed=seed)
        if clustering.topics.k == 0:
            return no_candidates()
        table = describe(kept, vectors, clustering)
    groups = assign(kept, vectors, clustering, table)
    return candidate_table(table, groups)


def assign_new(model, articles, progress: bool = False, **fields) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``kliping assign``: new articles placed among a saved model's topics (the columns of ``assignments.csv``)
    and those that fit none grouped into candidate new topics (:func:`new_topics`)."""
    cleaned, stemmed = model.prepare(articles, progress=progress, **fields)
    assigned = model.predict(cleaned, stemmed)
    return assigned, new_topics(cleaned, stemmed, assigned, seed=int(model.settings.get("seed") or config.SEED))


def predict(model, cleaned: pd.DataFrame, stemmed) -> pd.DataFrame:
    """New articles (cleaned and stemmed as the corpus was) assigned to a saved model's topics.

    Returns the columns of ``assignments.csv`` (:data:`ASSIGNMENT_COLUMNS`) for every input row; a row without
    usable text, without a word the model knows, or far from every topic gets topic -1 and the reason. On the
    articles the model was fitted on it gives the run's topics.
    """
    return model.predict(cleaned, stemmed)


# --------------------------------------------------------------------------- the whole chain
def run(corpus, progress: bool = True, cache_dir=None, **options) -> RunResult:
    """Run every stage on a corpus and return the tables (nothing is written; see
    :func:`kliping.outputs.write_outputs`).

    Parameters
    ----------
    corpus : RunSettings, a corpus path, a DataFrame or a list of dicts
        What to read: a path (folder, page, JSONL, CSV, parquet) or the articles themselves, one row or dict per
        article, read as the same records in a JSONL file are (fields named or guessed, a ``status`` per row,
        every other field carried along); or a :class:`kliping.config.RunSettings`, which also says how.
    progress : bool
        One line per stage on stderr, and progress bars for the long ones.
    **options
        ``text_field``, ``title_field``, ``id_field``, ``label_field``, ``date_field``, ``url_field``,
        ``site_field``, ``k``, ``seed``, ``method`` (see :class:`kliping.config.RunSettings`).

    Returns
    -------
    RunResult
        When no article can be clustered, every row has topic -1 and its reason, no topic and no model
        (:data:`NOTHING_TO_CLUSTER` is warned).

    Examples
    --------
    >>> result = run(config.SEED_PAGE, k=1, progress=False)
    >>> result.metrics["n_clustered"], list(result.topics["size"])
    (1, [1])
    >>> berita = pd.DataFrame({
    ...     "judul": ["Banjir Rendam Bekasi", "Persib Menang di Bandung", "Banjir Bandang di Garut"],
    ...     "isi": ["Banjir merendam ratusan rumah warga Bekasi setelah hujan deras semalam.",
    ...             "Persib menang dua gol atas Persija di stadion Bandung.",
    ...             "Banjir bandang menerjang rumah warga Garut setelah hujan deras."]})
    >>> result = run(berita, text_field="isi", k=2, progress=False)
    >>> result.articles["topic"].tolist(), result
    ([0, 1, 0], RunResult(3 articles, 3 clustered into 2 topics; .articles, .topics, .metrics, .model))
    >>> run(berita, text_field="konten", progress=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kliping.io.fields.FieldNotFoundError: text_field='konten': no such field in the data (its fields: judul, isi)
    """
    from kliping import io

    data = None
    if isinstance(corpus, config.RunSettings):
        settings = corpus
    elif io.is_data(corpus):
        data, settings = corpus, config.RunSettings(path=Path(io.DATA_NAME), **options)
    else:
        settings = config.RunSettings(path=Path(corpus), **options)
    if data is None:
        io.corpus_path(settings.path)  # before any progress line: a wrong path is one error line
    timer = StageTimer(verbose=progress)
    with timer("read"):
        articles = load(settings.path if data is None else data, **settings.fields)
    with timer("clean"):
        cleaned = clean(articles, progress=progress, cache_dir=cache_dir, copies=False)
    with timer("copies"):
        cleaned, signatures = name_copies(cleaned)
        cleaned = cleaned.drop(columns=PAGE_COLUMNS, errors="ignore")
        del articles  # the raw frame: its text was shared with cleaned's, and is no longer needed
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
    metrics.update(run_figures(timer))
    model = fit_model(vectors, clustering, topics, settings, table, signatures)
    return RunResult(articles=table, topics=topics, metrics=metrics, k_table=clustering.k_table, model=model)
