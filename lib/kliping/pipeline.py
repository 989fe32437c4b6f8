"""The whole pipeline in one call: read → clean → stem → vectorize → cluster.

This is what ``kliping run`` does; the notebooks do the same steps one by one
and show them.

Examples
--------
>>> result = run("data/raw", k=2)                  # doctest: +SKIP
>>> result.assignments[["id", "topic"]].shape      # doctest: +SKIP
(2, 2)
"""

from __future__ import annotations

import json
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kliping import config


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
                    print(f"kliping: {name} done in {seconds:.1f} s (peak memory {peak_memory_mb():,.0f} MB)",
                          file=sys.stderr, flush=True)

        return _Stage()


@dataclass
class RunResult:
    """Everything one run produced."""

    articles: pd.DataFrame
    assignments: pd.DataFrame
    topics: pd.DataFrame
    metrics: dict
    k_table: pd.DataFrame = field(default_factory=pd.DataFrame)


def stem_input(clean: pd.DataFrame) -> list[str]:
    """The text that is stemmed: title and body, so the headline counts too."""
    titles = clean["title"].fillna("").astype(str)
    return (titles + "\n" + clean["content"].fillna("").astype(str)).tolist()


@dataclass
class Clustering:
    """The vectorize + cluster stages on one list of token lists."""

    vectorizer: object
    X: object
    Z: np.ndarray
    topics: object
    k_table: pd.DataFrame


def vectorize_tokens(token_lists, seed: int = config.SEED) -> tuple:
    """TF-IDF and LSA with the settings ``kliping run`` uses: the vectorizer, the TF-IDF matrix and the
    row-normalised LSA vectors."""
    from kliping import vectorize

    vectorizer, X = vectorize.tfidf(token_lists)
    return vectorizer, X, vectorize.lsa(X, seed=seed)[1]


def cluster_tokens(token_lists, k: int | None = None, seed: int = config.SEED, method: str = "auto",
                   timer: "StageTimer | None" = None) -> Clustering:
    """TF-IDF → LSA → topics, with the settings ``kliping run`` uses.

    One function, so that the notebooks, the benchmarks and the command line
    measure the same method.

    Parameters
    ----------
    token_lists : list of list of str
        Stems of the articles to cluster (none empty).
    k : int, optional
        Number of topics; :func:`kliping.cluster.choose_k` when not given.

    Examples
    --------
    >>> docs = [["banjir", "bekasi", "hujan"], ["banjir", "hujan", "genang"], ["gol", "persib", "liga"],
    ...         ["gol", "liga", "menang"]]
    >>> result = cluster_tokens(docs, k=2)
    >>> result.topics.labels.tolist()
    [0, 0, 1, 1]
    """
    from kliping import cluster

    timer = timer or StageTimer(verbose=False)
    with timer("vectorize"):
        vectorizer, X, Z = vectorize_tokens(token_lists, seed)
    k_table = pd.DataFrame()
    with timer("cluster"):
        if k is None:
            k, k_table = cluster.choose_k(Z, X, method=method, seed=seed)
        topics = cluster.fit_topics(Z, k, method=method, seed=seed)
    return Clustering(vectorizer=vectorizer, X=X, Z=Z, topics=topics, k_table=k_table)


def usable_rows(cleaned: pd.DataFrame, token_lists) -> np.ndarray:
    """Articles that can be clustered: read and cleaned fine, with at least one stem left."""
    return np.array([status == "ok" and len(tokens) > 0 for status, tokens in zip(cleaned["status"], token_lists)],
                    dtype=bool)


def run(path, text_field=None, title_field=None, id_field=None, label_field=None, k: int | None = None,
        seed: int | None = None, method: str = "auto", progress: bool = True,
        cache_dir=None) -> RunResult:
    """Run every stage on a corpus and return the tables (nothing is written).

    Parameters
    ----------
    path : str or Path
        Anything :func:`kliping.io.read_corpus` reads.
    k : int, optional
        Number of topics; chosen by :func:`kliping.cluster.choose_k` when not given.
    seed : int, optional
        Seed of every random step (default ``config.SEED``).
    method : {"auto", "spectral", "kmeans"}
        Clustering algorithm (see :mod:`kliping.cluster`).
    """
    from kliping import clean, cluster, io, stem

    seed = config.SEED if seed is None else seed
    path = io.corpus_path(path)  # before any progress line: a wrong path is one error line
    timer = StageTimer(verbose=progress)
    with timer("read"):
        articles = io.read_corpus(path, text_field=text_field, title_field=title_field, id_field=id_field,
                                  label_field=label_field)
    with timer("clean"):
        cleaned = clean.clean_articles(articles, progress=progress)
    with timer("stem"):
        stemmed = stem.stem_corpus(stem_input(cleaned), cache_dir=cache_dir, progress=progress)
    usable = usable_rows(cleaned, stemmed.tokens)
    if not usable.any():
        raise ValueError("no article has usable text: nothing to cluster (see the status column)")
    kept = cleaned[usable].reset_index(drop=True)
    tokens = [t for t, ok in zip(stemmed.tokens, usable) if ok]
    clustering = cluster_tokens(tokens, k=k, seed=seed, method=method, timer=timer)
    X, Z, topics, k_table = clustering.X, clustering.Z, clustering.topics, clustering.k_table
    with timer("describe"):
        described = cluster.describe_topics(kept, X, clustering.vectorizer, topics, stemmed.display_words)
        labels_true = kept["label"].tolist() if "label" in kept else None
        metrics = cluster.evaluate(Z, X, topics, labels_true, seed=seed)
    assignments = cleaned[["id", "status"]].copy()
    assignments["topic"] = cluster.NO_TOPIC
    assignments["confidence"] = 0.0
    assignments.loc[usable, "topic"] = topics.labels
    assignments.loc[usable, "confidence"] = topics.confidence.round(4)
    assignments["topic_label"] = assignments["topic"].map(dict(zip(described["topic"], described["label"])))
    assignments["title"] = cleaned["title"]
    metrics.update({
        "n_articles": int(len(articles)), "n_clustered": int(usable.sum()),
        "n_without_topic": int((~usable).sum()), "seed": seed, "n_terms": int(X.shape[1]),
        "lsa_dims": int(Z.shape[1]), "vocabulary_before_stemming": stemmed.vocabulary_before,
        "vocabulary_after_stemming": stemmed.vocabulary_after, "stages": timer.stages,
        "total_seconds": round(sum(s["seconds"] for s in timer.stages.values()), 2),
        "peak_memory_mb": round(peak_memory_mb()),
    })
    return RunResult(articles=cleaned, assignments=assignments, topics=described, metrics=metrics, k_table=k_table)


def write_outputs(result: RunResult, output_dir) -> Path:
    """Write ``assignments.csv``, ``topics.csv`` and ``metrics.json`` into ``output_dir``."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    result.assignments.to_csv(output_dir / "assignments.csv", index=False)
    topics = result.topics.copy()
    for column in ("representatives", "representative_sites", "representative_ids"):
        topics[column] = topics[column].map(lambda items: " | ".join(map(str, items)))
    topics.to_csv(output_dir / "topics.csv", index=False)
    (output_dir / "metrics.json").write_text(json.dumps(result.metrics, indent=1, ensure_ascii=False))
    return output_dir


def run_command(input_path, output_dir, text_field=None, title_field=None, id_field=None, label_field=None,
                k: int | None = None, seed: int | None = None) -> int:
    """``kliping run``: run the pipeline and write its three files; return the exit status."""
    if k is not None and k < 1:
        print("kliping: error: --k must be at least 1", file=sys.stderr)
        return 2
    try:
        result = run(input_path, text_field=text_field, title_field=title_field, id_field=id_field,
                     label_field=label_field, k=k, seed=seed)
    except ValueError as error:
        print(f"kliping: error: {error}", file=sys.stderr)
        return 1
    out = write_outputs(result, output_dir)
    m = result.metrics
    scores = ", ".join(f"{key} {m[key]:.3f}" for key in ("silhouette", "coherence_npmi", "nmi", "ari") if key in m)
    print(f"{m['n_articles']:,} articles, {m['n_clustered']:,} clustered into {m['k']} topics ({scores}) "
          f"in {m['total_seconds']:.1f} s, peak memory {m['peak_memory_mb']:,} MB; wrote {out}/")
    return 0
