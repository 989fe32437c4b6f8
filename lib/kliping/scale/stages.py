"""The distributed run's stages, read to describe, each as tasks over the corpus's partitions.

Each stage takes the :class:`Job` (the cluster's client, the settings, the work folder and its key) and what the
stage before it left, and calls the single-machine functions per partition (:mod:`kliping.partitions.tasks`) or on
the gathered columns; :mod:`kliping.scale.run` runs them in order and writes the outputs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import operator
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kliping.partitions import client as client_api
from kliping.partitions import corpuswide, shards, tasks
from kliping.scale import fit


def _note(progress: bool, message: str) -> None:
    if progress:
        print(f"kliping:   {message} ({time.strftime('%H:%M:%S')})", file=sys.stderr, flush=True)


def corpus_key(listed, settings, limits) -> tuple[str, str]:
    """A key of the corpus's files (names, sizes, times), its field settings, the reader's limits and kliping's
    version; and the fingerprint of the files alone."""
    from kliping.base.version import __version__

    stated = hashlib.blake2b(digest_size=8)
    for shard in listed:
        for name in shard.paths:
            info = Path(name).stat() if Path(name).exists() else None
            stated.update(f"{name}\0{info and info.st_size}\0{info and info.st_mtime_ns}\n".encode("utf-8", "replace"))
    fingerprint = stated.hexdigest()
    digest = hashlib.blake2b(digest_size=8)
    payload = [fingerprint, settings.fields, str(limits), __version__, shards.PART_ROWS, shards.READER_VERSION]
    payload.append(settings.languages)
    digest.update(json.dumps(payload, sort_keys=True, default=str).encode())
    return digest.hexdigest(), fingerprint


def _emit_warnings(read: list[dict]) -> None:
    import collections

    from kliping.io.problems import emit_html_note, emit_skipped, emit_warnings

    named = [message for done in read for message in done["warnings"]]
    emit_warnings(named, sum(done["n_warnings"] for done in read), stacklevel=4)
    emit_skipped(sum((collections.Counter(done.get("skipped", {})) for done in read), collections.Counter()))
    # A shard read by an earlier version has no counts: 0.
    emit_html_note(*(sum(done.get(key, 0) for done in read) for key in ("html_rows", "table_rows")), stacklevel=4)


@dataclass
class Job:
    """One distributed run: the cluster's client, the settings, where its work files go and their key."""

    client: object
    settings: object
    progress: bool = True
    cache_dir: object = None
    key: str = ""
    timer: object = None
    signatures: object = None  # (ids, published, MinHash signatures) of every row: the model keeps them

    def __post_init__(self):
        from kliping.base.usage import StageTimer

        self.timer = StageTimer(verbose=self.progress)

    @property
    def out(self) -> Path:
        return Path(self.settings.output_dir)

    @property
    def work(self) -> Path:
        return self.out / "partitions"

    def gather(self, futures, desc: str):
        return client_api.gather(self.client, futures, desc, self.progress)

    def share(self, value):
        return client_api.share(self.client, value)


@dataclass
class Corpus:
    """What the read stage leaves: the partitions, their columns, and the ids and duplicates decided over all."""

    parts: list
    columns: list
    renames: dict
    copies: dict
    fingerprint: str

    @property
    def names(self) -> list:
        return [Path(p).name for p in self.parts]

    def paths(self, folder: Path, suffix: str | None = None) -> list:
        return [str(folder / (name if suffix is None else Path(name).stem + suffix)) for name in self.names]


@dataclass
class Stems:
    """What the stem stage leaves: each partition's token file and usable rows, and the corpus's term counts."""

    tokens: list
    usable_counts: list
    df: dict
    order: dict
    n_usable: int
    display_words: dict = field(default_factory=dict)


def read_stage(job: Job, limits) -> Corpus:
    """Every shard read to parquet partitions by the reader's own functions; ids and duplicates over all."""
    listed = shards.list_shards(job.settings.path, limits)
    job.key, fingerprint = corpus_key(listed, job.settings, limits)
    folder = str(job.work / "read")
    # Each shard cut for its share of the workers (one big file: as many partitions as a multiple of them).
    # (Not ``workers=``: client.map takes that as where the tasks may run.)
    cut_for = max(1, len(job.client.nthreads()) // max(len(listed), 1))
    futures = job.client.map(
        shards.read_shard,
        listed,
        fields=job.settings.fields,
        limits=limits,
        folder=folder,
        stamp=job.key,
        cut_for=cut_for,
        pure=False,
    )
    read = job.gather(futures, "read")
    _emit_warnings(read)
    parts = [str(job.work / "read" / name) for done in read for name in done["parts"]]
    columns = shards.merged_columns(done["columns"] for done in read)
    renames, copies = corpuswide.ids_and_duplicates(parts, job.client, sum(done["rows"] for done in read))
    return Corpus(parts, columns, renames, copies, fingerprint)


def clean_stage(job: Job, corpus: Corpus) -> list:
    """Every partition cleaned on the workers with the corpus's site statistics; the cleaned partitions' paths."""
    stats = None
    if corpuswide.has_known_sites(corpus.columns):
        stats = corpuswide.site_statistics(job.client, corpus.parts, corpus.copies, job.work / "sitelines", job.key)
    stats = job.share(stats) if stats is not None else None
    cleaned = corpus.paths(job.work / "clean")
    n = len(corpus.parts)
    by_part = [{r: new for (p, r), new in corpus.renames.items() if p == i} for i in range(n)]
    copies = [corpus.copies.get(i, {}) for i in range(n)]
    futures = job.client.map(
        tasks.clean_part,
        corpus.parts,
        cleaned,
        [job.key] * n,
        [corpus.columns] * n,
        by_part,
        copies,
        [stats] * n,
        pure=False,
    )
    job.gather(futures, "clean")
    return cleaned


def copies_stage(job: Job, corpus: Corpus, cleaned: list) -> list[set]:
    """Exact and near copies decided over all partitions by :func:`kliping.clean.copies.find_copies`, from each
    partition's signatures and the reader's exact duplicates, as one process decides them; written into the
    cleaned partitions. Per partition, the ids of its originals that have a copy in another partition (the write
    stage looks up where those landed; a copy beside its original finds it in its own partition's rows)."""
    import pandas as pd

    from kliping.clean.copies import find_copies

    done = job.gather(job.client.map(tasks.copy_signatures, cleaned, pure=False), "copies")
    ids = [i for part in done for i in part[0]]
    published = pd.concat([part[1] for part in done], ignore_index=True)
    exact = [corpus.copies.get(p, {}).get(r) for p, part in enumerate(done) for r in range(len(part[0]))]
    job.signatures = (ids, published, np.concatenate([part[2] for part in done]))
    found = find_copies(ids, published, job.signatures[2], exact)
    bounds = np.cumsum([0] + [len(part[0]) for part in done]).tolist()
    parts = [found.iloc[a:b] for a, b in zip(bounds, bounds[1:])]
    job.gather(job.client.map(tasks.set_copies, cleaned, [job.key] * len(cleaned), parts, pure=False), "copies")
    n = int(found["duplicate_of"].notna().sum())
    _note(job.progress, f"{n:,} copies of {found['duplicate_of'].nunique():,} stories")
    part_of = np.repeat(np.arange(len(done)), np.diff(bounds))
    holder = dict(zip(ids, part_of.tolist()))
    wanted: list[set] = [set() for _ in done]
    for original, part in zip(found["duplicate_of"].dropna(), part_of[found["duplicate_of"].notna().to_numpy()]):
        if holder[original] != part:
            wanted[holder[original]].add(original)
    return wanted


def stem_stage(job: Job, corpus: Corpus, cleaned: list) -> Stems:
    """Each distinct word stemmed once on the workers, then every partition's stems and term counts."""
    from kliping.stem.corpus import stem_table
    from kliping.stem.languages import english_table

    client, languages = job.client, job.settings.languages
    surface_files = corpus.paths(job.work / "surface", ".npz")
    counts = client.map(tasks.count_words, cleaned, surface_files, languages=languages, pure=False)
    surface, starts, english_surface = client_api.reduce(client, counts, tasks.add_counts)
    _note(job.progress, f"{len(surface) + len(english_surface):,} distinct tokens counted")
    table = stem_table(surface, starts, lambda words: client_api.stem_words(client, words, job.cache_dir))
    english = english_table(english_surface)  # English articles' words, never stemmed (kliping.stem.languages)
    _note(job.progress, f"{len(table.stem_of):,} words stemmed to {len(set(table.stem_of.values())):,} stems")
    del surface, starts, english_surface
    final = job.share({"id": table.final, "en": english.final})
    tokens = corpus.paths(job.work / "tokens", ".npz")
    n = len(cleaned)
    counted = client.map(tasks.tokens_part, cleaned, surface_files, tokens, [job.key] * n, [final] * n, pure=False)
    usable_counts = client.gather([client.submit(operator.itemgetter(2), f, pure=False) for f in counted])
    df, order, n_usable = client_api.reduce(client, counted, tasks.add_frequencies)
    _note(job.progress, f"stems of {n_usable:,} usable articles")
    return Stems(tokens, usable_counts, df, order, n_usable, {**english.stem_of, **table.display_words})


def vectorize_stage(job: Job, corpus: Corpus, stems: Stems):
    """The corpus's vocabulary and idf from the summed document frequencies; every partition's TF-IDF rows of the
    articles with a term of it, whose counts become ``stems.usable_counts`` and ``stems.n_usable``."""
    from kliping.topics.vocabulary import Vocabulary

    if stems.n_usable == 0:
        raise ValueError("no article has usable text: nothing to cluster (see the status column)")
    vectorizer = Vocabulary.from_frequencies(stems.df, stems.n_usable)
    rank = vectorizer.first_appearance_rank(stems.order)
    stems.df, stems.order = {}, {}  # no longer needed: free them before the fit
    tfidf = corpus.paths(job.work / "tfidf", ".npz")
    n = len(tfidf)
    futures = job.client.map(
        tasks.tfidf_part,
        stems.tokens,
        tfidf,
        [job.key] * n,
        vectorizer=job.share(vectorizer),
        rank=job.share(rank),
        pure=False,
    )
    # Articles per partition with a term of the vocabulary: those are clustered (pipeline.vectorize's rule).
    counts = job.gather(futures, "vectorize")
    stems.usable_counts, stems.n_usable = list(counts), int(sum(counts))
    if stems.n_usable == 0:
        raise ValueError("no article has usable text: nothing to cluster (see the status column)")
    return vectorizer, tfidf


def cluster_stage(job: Job, corpus: Corpus, cleaned, stems: Stems, vectorizer, tfidf, sample_size: int):
    """The fit on the client: the rows of the whole corpus (or an evenly spaced sample) gathered, their document space,
    the clustering of :func:`kliping.pipeline.cluster`. Returns the sample's positions, its rows, the vectors and
    the clustering."""
    import pandas as pd
    import scipy.sparse as sp

    from kliping import pipeline
    from kliping.topics import wordvectors
    from kliping.topics.vocabulary import SMALL_CORPUS

    client, settings = job.client, job.settings
    from kliping.topics.clustering import sample_rows

    positions = sample_rows(stems.n_usable, sample_size)  # evenly spaced: the same whatever the seed (issue 27)
    chosen = [None] * len(tfidf) if len(positions) == stems.n_usable else fit.per_part(positions, stems.usable_counts)
    X = sp.vstack([x for x, _ in client.gather(client.map(tasks.load_matrix, tfidf, chosen, pure=False))], format="csr")
    has_label = "label" in corpus.columns
    kept = client.gather(client.map(tasks.kept_rows, cleaned, tfidf, chosen, label=has_label, pure=False))
    kept = pd.concat(kept, ignore_index=True)
    counts = None
    if X.shape[0] >= SMALL_CORPUS:  # below, document_space takes LSA and needs no counts
        shared = [job.share(vectorizer)] * len(tfidf)
        numbered = client.gather(client.map(tasks.vocabulary_columns, stems.tokens, tfidf, chosen, shared, pure=False))
        columns, lengths = (np.concatenate(arrays) for arrays in zip(*numbered))
        del numbered
        counts = wordvectors.cooccurrence_of_ids(columns, lengths, len(vectorizer.vocabulary_))
        del columns, lengths
    Z, components, explained = wordvectors.document_space(X, seed=settings.seed, counts=counts, idf=vectorizer.idf_)
    del counts
    vectors = pipeline.Vectors(
        ids=kept["id"].tolist(),
        usable=np.ones(len(kept), dtype=bool),
        vectorizer=vectorizer,
        X=X,
        Z=Z,
        components=components,
        explained_variance=explained,
        display_words=stems.display_words,
        languages=settings.languages,
    )
    clustering = pipeline.cluster(vectors, k=settings.k, seed=settings.seed, method=settings.method)
    return positions, kept, vectors, clustering


@dataclass
class Described:
    """The topics table, the model, the metrics, and each partition's (topics, confidences, reasons)."""

    topics: object
    model: object
    metrics: dict
    assigned: list
    n_outliers: int


def describe_stage(job: Job, corpus, cleaned, stems: Stems, tfidf, kept, vectors, clustering) -> Described:
    """The topics, model and metrics of the fit; a corpus fitted whole keeps its placement, a larger one is placed
    partition by partition by the model fitted on the sample, as ``kliping assign`` would."""
    from kliping import pipeline

    topics = pipeline.describe(kept, vectors, clustering)
    model = pipeline.fit_model(vectors, clustering, topics, job.settings)
    metrics = pipeline.measure(vectors, clustering, kept)
    if len(kept) == stems.n_usable:
        placement = clustering.placement
        bounds = np.concatenate([[0], np.cumsum(stems.usable_counts)]).tolist()
        reasons = placement.reasons
        assigned = [
            (placement.topics[a:b], placement.confidence[a:b], reasons[a:b]) for a, b in zip(bounds, bounds[1:])
        ]
        return Described(topics, model, metrics, assigned, metrics["n_outliers"])
    return _place_larger_corpus(
        job, corpus, cleaned, tfidf, vectors, clustering, Described(topics, model, metrics, [], 0)
    )


def _place_larger_corpus(job: Job, corpus, cleaned, tfidf, vectors, clustering, fitted: Described) -> Described:
    from kliping import pipeline
    from kliping.topics.describe import describe_from_stats
    from kliping.topics.model import topic_words

    client, n = job.client, len(tfidf)
    model = job.share(fitted.model)
    assigned = client.map(
        fit.assign_part,
        tfidf,
        cleaned,
        range(n),
        [model] * n,
        n_best=pipeline.N_REPRESENTATIVES,
        with_label="label" in corpus.columns,
        pure=False,
    )
    stats = [client.submit(operator.itemgetter(3), f, pure=False) for f in assigned]
    summed = client_api.reduce(client, stats, fit.add_topic_stats)
    # Which words occur together is read from the articles the model was fitted on (outliers left out).
    _, keep = clustering.held()
    topics = describe_from_stats(summed, vectors.vectorizer, vectors.display_words, presence=vectors.X[keep])
    model = dataclasses.replace(fitted.model, labels=topics["label"].astype(str).tolist(), words=topic_words(topics))
    metrics = fitted.metrics
    for score in ("nmi", "ari", "n_labelled"):  # the sample's; the whole corpus's come from the counts
        metrics.pop(score, None)
    metrics.update(fit.label_scores(summed.contingency))
    return Described(topics, model, metrics, assigned, summed.n_outliers)
