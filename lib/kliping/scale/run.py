"""The whole distributed run: each stage of :func:`kliping.pipeline.run` as tasks over partitions.

Work files go to ``<output>/partitions/<stage>/`` (read, sitelines, clean, tokens, tfidf), each written
atomically with a key of the corpus and its settings, so a run started again after an interruption reuses every
finished partition.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import operator
import resource
import sys
import time
from pathlib import Path

import numpy as np

from kliping.scale import client as client_api
from kliping.scale import corpuswide, fit, outputs, partitions, tasks


def _note(progress: bool, message: str) -> None:
    if progress:
        print(f"kliping:   {message} ({time.strftime('%H:%M:%S')})", file=sys.stderr, flush=True)


def corpus_key(shards, settings, limits) -> tuple[str, str]:
    """A key of the corpus's files (names, sizes, times), its field settings, the reader's limits and kliping's
    version; and the fingerprint of the files alone."""
    from kliping import __version__

    stated = hashlib.blake2b(digest_size=8)
    for shard in shards:
        for name in shard.paths:
            info = Path(name).stat() if Path(name).exists() else None
            stated.update(f"{name}\0{info and info.st_size}\0{info and info.st_mtime_ns}\n".encode("utf-8", "replace"))
    fingerprint = stated.hexdigest()
    digest = hashlib.blake2b(digest_size=8)
    payload = [fingerprint, settings.fields, str(limits), __version__, partitions.PART_ROWS, settings.languages]
    digest.update(json.dumps(payload, sort_keys=True, default=str).encode())
    return digest.hexdigest(), fingerprint


def _emit_warnings(read: list[dict]) -> None:
    from kliping.io.problems import emit_warnings

    named = [message for done in read for message in done["warnings"]]
    emit_warnings(named, sum(done["n_warnings"] for done in read), stacklevel=4)


def vocabulary(df, order: dict, n_docs: int):
    """The fitted TF-IDF vectorizer of the corpus from its document frequencies (min_df / max_df as
    :func:`kliping.vectorize.tfidf`, idf as scikit-learn computes it), and each term's first-appearance rank."""
    from numbers import Integral

    from kliping import vectorize

    small = n_docs < vectorize.SMALL_CORPUS
    min_df, max_df = (1, 1.0) if small else (vectorize.MIN_DF, vectorize.MAX_DF)
    high = max_df if isinstance(max_df, Integral) else max_df * n_docs
    low = min_df if isinstance(min_df, Integral) else min_df * n_docs
    terms = sorted(term for term, count in df.items() if low <= count <= high)
    if not terms:
        raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    counts = np.array([df[term] for term in terms], dtype=np.float32)
    counts += 1.0  # scikit-learn's smoothing, in its order of operations and dtype
    idf = np.full_like(counts, fill_value=n_docs + 1, dtype=np.float32)
    idf /= counts
    np.log(idf, out=idf)
    idf += 1.0
    vectorizer = vectorize.tfidf_vectorizer(min_df=min_df, max_df=max_df)
    vectorizer.vocabulary_ = {term: i for i, term in enumerate(terms)}
    vectorizer.idf_ = idf
    position = {term: i for i, term in enumerate(order)}
    return vectorizer, np.array([position[term] for term in terms], dtype=np.int64)


def peak_memory(client) -> dict:
    """Peak resident memory (MB) of the client, the scheduler and the largest worker."""

    def peak():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    workers = client.run(peak)
    return {
        "client_peak_memory_mb": round(peak()),
        "scheduler_peak_memory_mb": round(client.run_on_scheduler(peak)),
        "worker_peak_memory_mb": round(max(workers.values(), default=0)),
    }


def run(
    settings,
    scheduler: str = "local",
    workers: int | None = None,
    worker_memory: str | None = None,
    sample_size: int = fit.FIT_SAMPLE,
    progress: bool = True,
    cache_dir=None,
    client=None,
) -> dict:
    """Run every stage over the corpus's partitions and write the outputs; the run's metrics.

    ``client`` is a ``distributed.Client`` to use (and leave open); otherwise one is made for ``scheduler``
    (``local`` or ``tcp://host:8786``) and closed at the end.
    """
    from kliping.scale.scheduler import connect

    own = client is None
    cluster = None
    if own:
        client, cluster = connect(scheduler, workers, worker_memory, progress)
    try:
        metrics = _run(client, settings, sample_size, progress, cache_dir)
        metrics["scheduler"] = "local" if cluster is not None else str(client.scheduler.address)
        return metrics
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()


def _run(client, settings, sample_size, progress, cache_dir) -> dict:
    import pandas as pd
    import scipy.sparse as sp

    from kliping import embed, files, pipeline, store, worklock
    from kliping import vectorize as vectorizing
    from kliping.language import mix_metrics
    from kliping.stem.corpus import stem_table
    from kliping.stem.languages import english_table
    from kliping.topicmodel import topic_words

    timer = pipeline.StageTimer(verbose=progress)
    limits = files.ReadLimits.from_environ()
    out = Path(settings.output_dir)
    work = out / "partitions"
    with timer("read"):
        shards = partitions.list_shards(settings.path, limits)
        key, fingerprint = corpus_key(shards, settings, limits)
        read = client_api.gather(
            client,
            client.map(
                partitions.read_shard,
                shards,
                fields=settings.fields,
                limits=limits,
                folder=str(work / "read"),
                stamp=key,
                pure=False,
            ),
            "read",
            progress,
        )
        _emit_warnings(read)
        parts = [str(work / "read" / name) for done in read for name in done["parts"]]
        names = [Path(p).name for p in parts]
        columns = partitions.merged_columns(done["columns"] for done in read)
        renames, copies = corpuswide.ids_and_duplicates(parts)
    with timer("clean"):
        stats = None
        if corpuswide.has_known_sites(columns):
            stats = corpuswide.site_statistics(client, parts, copies, work / "sitelines", key)
        stats = client_api.share(client, stats) if stats is not None else None
        cleaned = [str(work / "clean" / name) for name in names]
        by_part = [{r: new for (p, r), new in renames.items() if p == i} for i in range(len(parts))]
        client_api.gather(
            client,
            client.map(
                tasks.clean_part,
                parts,
                cleaned,
                [key] * len(parts),
                [columns] * len(parts),
                by_part,
                [copies.get(i, {}) for i in range(len(parts))],
                [stats] * len(parts),
                pure=False,
            ),
            "clean",
            progress,
        )
    with timer("stem"):
        surface, starts, english_surface = client_api.reduce(
            client, client.map(tasks.count_words, cleaned, languages=settings.languages, pure=False), tasks.add_counts
        )
        _note(progress, f"{len(surface) + len(english_surface):,} distinct tokens counted")
        table = stem_table(surface, starts, lambda words: client_api.stem_words(client, words, cache_dir))
        english = english_table(english_surface)
        _note(progress, f"{len(table.stem_of):,} words stemmed to {len(set(table.stem_of.values())):,} stems")
        del surface, starts, english_surface
        final = client_api.share(client, {"id": table.final, "en": english.final})
        tokens = [str(work / "tokens" / name) for name in names]
        counted = client.map(
            tasks.tokens_part,
            cleaned,
            tokens,
            [key] * len(parts),
            [final] * len(parts),
            languages=settings.languages,
            pure=False,
        )
        usable_counts = client.gather([client.submit(operator.itemgetter(2), f, pure=False) for f in counted])
        df, order, n_usable = client_api.reduce(client, counted, tasks.add_frequencies)
        _note(progress, f"stems of {n_usable:,} usable articles")
        display_words = {**english.stem_of, **table.display_words}
        del table, english, final
    with timer("vectorize"):
        if n_usable == 0:
            raise ValueError("no article has usable text: nothing to cluster (see the status column)")
        vectorizer, rank = vocabulary(df, order, n_usable)
        del df, order
        shared_vectorizer, shared_rank = client_api.share(client, vectorizer), client_api.share(client, rank)
        tfidf = [str(work / "tfidf" / (Path(name).stem + ".npz")) for name in names]
        client_api.gather(
            client,
            client.map(
                tasks.tfidf_part,
                tokens,
                tfidf,
                [key] * len(parts),
                vectorizer=shared_vectorizer,
                rank=shared_rank,
                pure=False,
            ),
            "vectorize",
            progress,
        )
    with timer("cluster"):
        positions = fit.sample_rows(n_usable, sample_size, settings.seed)
        whole = len(positions) == n_usable
        chosen = [None] * len(parts) if whole else fit.per_part(positions, usable_counts)
        has_label = "label" in columns
        X = sp.vstack(
            [x for x, _ in client.gather(client.map(tasks.load_matrix, tfidf, chosen, pure=False))], format="csr"
        )
        kept = pd.concat(
            client.gather(client.map(tasks.kept_rows, cleaned, tfidf, chosen, label=has_label, pure=False)),
            ignore_index=True,
        )
        counts = None
        if X.shape[0] >= vectorizing.SMALL_CORPUS:  # below, document_space takes LSA and needs no counts
            shared_vocabulary = client_api.share(client, vectorizer.vocabulary_)
            counts = client_api.reduce(
                client,
                client.map(tasks.cooccurrence_part, tokens, chosen, [shared_vocabulary] * len(parts), pure=False),
                tasks.add_matrices,
            )
        Z, components, explained = embed.document_space(X, seed=settings.seed, counts=counts, idf=vectorizer.idf_)
        del counts
        vectors = pipeline.Vectors(
            ids=kept["id"].tolist(),
            usable=np.ones(len(kept), dtype=bool),
            vectorizer=vectorizer,
            X=X,
            Z=Z,
            components=components,
            explained_variance=explained,
            display_words=display_words,
            languages=settings.languages,
        )
        clustering = pipeline.cluster(vectors, k=settings.k, seed=settings.seed, method=settings.method)
    with timer("describe"):
        topics = pipeline.describe(kept, vectors, clustering)
        model = pipeline.fit_model(vectors, clustering, topics, settings)
        metrics = pipeline.measure(vectors, clustering, kept)
        if whole:
            placement = clustering.placement
            bounds = np.concatenate([[0], np.cumsum(usable_counts)]).tolist()
            reasons = placement.reasons
            assigned = [
                (placement.topics[a:b], placement.confidence[a:b], reasons[a:b]) for a, b in zip(bounds, bounds[1:])
            ]
            n_outliers = metrics["n_outliers"]
        else:
            # The model fitted on the sample places every article, as `kliping assign` would.
            shared_model = client_api.share(client, model)
            assigned = client.map(
                fit.assign_part,
                tfidf,
                cleaned,
                range(len(parts)),
                [shared_model] * len(parts),
                n_best=pipeline.N_REPRESENTATIVES,
                with_label=has_label,
                pure=False,
            )
            summed = client_api.reduce(
                client, [client.submit(operator.itemgetter(3), f, pure=False) for f in assigned], fit.add_topic_stats
            )
            # Which words occur together is read from the articles the model was fitted on (outliers left out).
            _, keep = clustering.held()
            topics = fit.describe_from_stats(summed, vectorizer, display_words, presence=vectors.X[keep])
            model = dataclasses.replace(model, labels=topics["label"].astype(str).tolist(), words=topic_words(topics))
            for score in ("nmi", "ari", "n_labelled"):  # the sample's; the whole corpus's come from the counts
                metrics.pop(score, None)
            metrics.update(fit.label_scores(summed.contingency))
            n_outliers = summed.n_outliers
    # One run's files per output folder, as store.write_outputs: a second run into it waits for this one.
    with worklock.hold(out, name=worklock.OUTPUTS_LOCK_NAME):
        run_id = store.new_run_id()
        made = store.stamp(settings, ("k", "seed", "method")) if Path(settings.path).exists() else {}
        made.setdefault("corpus_fingerprint", fingerprint)
        out_names = [outputs.part_name(i) for i in range(len(parts))]
        for folder in (outputs.ARTICLES_DIR, outputs.ASSIGNMENTS_DIR):
            outputs.clear_stale_parts(out / folder, set(out_names))
        articles_out = [str(out / outputs.ARTICLES_DIR / n) for n in out_names]
        assignments_out = [str(out / outputs.ASSIGNMENTS_DIR / n) for n in out_names]
        written = client.map(
            outputs.write_part,
            cleaned,
            tfidf,
            assigned,
            articles_out,
            assignments_out,
            topics=client_api.share(client, topics[["topic", "label"]]),
            run_id=run_id,
            made=made,
            languages=settings.languages,
            pure=False,
        )
        n_rows = client_api.gather(client, written, "write", progress)
        for folder in (outputs.ARTICLES_DIR, outputs.ASSIGNMENTS_DIR):
            outputs.unify_parts([out / folder / n for n in out_names])
        outputs.write_assignments_csv([out / outputs.ASSIGNMENTS_DIR / n for n in out_names], out / "assignments.csv")
        n_articles = int(sum(n_rows))
        # The language mix of every row, as pipeline.measure counts it in one process.
        languages_of = pd.concat([pd.read_parquet(p, columns=["status", "language"]) for p in articles_out])
        metrics.update(mix_metrics(languages_of, settings.languages))
        metrics.update(
            {
                "n_articles": n_articles,
                "n_clustered": n_usable,
                "n_without_topic": n_articles - n_usable,
                "n_outliers": int(n_outliers),
                "outlier_share": round(n_outliers / max(n_usable, 1), 4),
                "stages": timer.stages,
                "total_seconds": round(sum(s["seconds"] for s in timer.stages.values()), 2),
                "peak_memory_mb": round(pipeline.peak_memory_mb()),
                "partitions": len(parts),
                "workers": len(client.nthreads()),
                "fit_sample": len(positions),
                **peak_memory(client),
            }
        )
        outputs.write_run_files(out, topics, model, metrics, run_id, settings, made)
    return metrics
