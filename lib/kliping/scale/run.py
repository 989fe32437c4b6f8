"""The whole distributed run: each stage of :func:`kliping.pipeline.run` as tasks over partitions.

Work files go to ``<output>/partitions/<stage>/`` (read, sitelines, clean, surface, tokens, tfidf), each written
atomically with a key of the corpus and its settings, so a run started again after an interruption reuses every
finished partition. The stages, read to describe, are in :mod:`kliping.scale.stages`; this module runs them and
writes the run's files.
"""

from __future__ import annotations

from pathlib import Path

from kliping import outputs
from kliping.scale import fit
from kliping.scale.stages import (
    Corpus,
    Described,
    Job,
    clean_stage,
    cluster_stage,
    copies_stage,
    describe_stage,
    read_stage,
    stem_stage,
    vectorize_stage,
)


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
    from kliping.partitions.scheduler import connect

    own = client is None
    cluster = None
    if own:
        client, cluster = connect(scheduler, workers, worker_memory, progress)
    try:
        metrics = _run(Job(client, settings, progress, cache_dir), sample_size)
        metrics["scheduler"] = "local" if cluster is not None else str(client.scheduler.address)
        return metrics
    except KeyboardInterrupt:
        if own:  # a gather cut short ends in AllExit as the client closes: not logged as "never retrieved"
            import logging

            logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        raise
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()


def write_stage(
    job: Job, corpus: Corpus, cleaned, tfidf, described: Described, out: Path, run_id: str, wanted=()
) -> tuple[dict, int]:
    """Every partition's output rows, written on the workers into ``out`` (the run's staging folder; a copy placed
    as its original, ``wanted``: per partition, the ids of its originals with a copy in another partition), then
    ``assignments.csv`` and ``kliping.xlsx``; the stamp and the number of rows."""
    from kliping.store import stamp

    settings = job.settings
    made = stamp(settings, ("k", "seed", "method")) if Path(settings.path).exists() else {}
    made.setdefault("corpus_fingerprint", corpus.fingerprint)
    out_names = [outputs.part_name(i) for i in range(len(corpus.parts))]
    for folder in (outputs.ARTICLES_DIR, outputs.ASSIGNMENTS_DIR):
        (out / folder).mkdir(parents=True, exist_ok=True)
    articles_out = [str(out / outputs.ARTICLES_DIR / n) for n in out_names]
    assignments_out = [str(out / outputs.ASSIGNMENTS_DIR / n) for n in out_names]
    originals = {}
    # Where the originals of copies in other partitions landed: only their partitions' rows are made twice.
    holding = [number for number, ids in enumerate(wanted) if ids]
    if holding:
        placed = job.client.map(
            outputs.placed_originals,
            [cleaned[number] for number in holding],
            [tfidf[number] for number in holding],
            [described.assigned[number] for number in holding],
            [wanted[number] for number in holding],
            topics=job.share(described.topics[["topic", "label"]]),
            languages=job.settings.languages,
            pure=False,
        )
        for found in job.gather(placed, "copies"):
            originals.update(found)
    written = job.client.map(
        outputs.write_part,
        cleaned,
        tfidf,
        described.assigned,
        articles_out,
        assignments_out,
        topics=job.share(described.topics[["topic", "label"]]),
        run_id=run_id,
        made=made,
        languages=job.settings.languages,
        originals=job.share(originals),
        pure=False,
    )
    n_rows = job.gather(written, "write")
    for folder in (outputs.ARTICLES_DIR, outputs.ASSIGNMENTS_DIR):
        outputs.unify_parts([out / folder / n for n in out_names])
    assignment_parts = [out / outputs.ASSIGNMENTS_DIR / n for n in out_names]
    outputs.write_assignments_csv(assignment_parts, out / "assignments.csv")
    outputs.write_workbook(assignment_parts, described.topics, out)
    return made, int(sum(n_rows))


def articles_parts(out: Path, corpus) -> list[Path]:
    """The partitions of ``articles/`` the write stage left, in corpus order."""
    return [out / outputs.ARTICLES_DIR / outputs.part_name(i) for i in range(len(corpus.parts))]


def copies_count(parts: list[Path]) -> int:
    """The copies among the written rows (``metrics.json``'s ``n_copies``)."""
    import pandas as pd

    return int(sum(pd.read_parquet(p, columns=["duplicate_of"])["duplicate_of"].notna().sum() for p in parts))


def language_mix_of(parts: list[Path], languages) -> dict:
    """The language mix of every row, as :func:`kliping.pipeline.measure` counts it in one process."""
    import pandas as pd

    from kliping.clean.language import mix_metrics

    return mix_metrics(pd.concat([pd.read_parquet(p, columns=["status", "language"]) for p in parts]), languages)


def _run(job: Job, sample_size: int) -> dict:
    from kliping.base import locks
    from kliping.io import files

    timer = job.timer
    with timer("read"):
        corpus = read_stage(job, files.ReadLimits.from_environ())
    with timer("clean"):
        cleaned = clean_stage(job, corpus)
    with timer("copies"):
        originals = copies_stage(job, corpus, cleaned)
    with timer("stem"):
        stems = stem_stage(job, corpus, cleaned)
    with timer("vectorize"):
        vectorizer, tfidf = vectorize_stage(job, corpus, stems)
    with timer("cluster"):
        positions, kept, vectors, clustering = cluster_stage(
            job, corpus, cleaned, stems, vectorizer, tfidf, sample_size
        )
    with timer("describe"):
        described = describe_stage(job, corpus, cleaned, stems, tfidf, kept, vectors, clustering)
    # One run's files per output folder, as outputs.write_outputs: a second run into it waits for this one, and
    # the set is written into a staging folder and swapped in whole (a failed write leaves the previous set whole).
    with locks.hold(job.out, name=locks.OUTPUTS_LOCK_NAME):
        run_id = outputs.new_run_id()
        with outputs.staged(job.out, run_id) as staging:
            metrics = _write_run(
                job, corpus, cleaned, tfidf, stems, described, staging, run_id, timer, positions, originals
            )
    return metrics


def _write_run(
    job: Job, corpus, cleaned, tfidf, stems, described, out: Path, run_id: str, timer, positions, originals
) -> dict:
    """The run's files, into ``out``: the partitions and tables (:func:`write_stage`), then ``metrics.json``."""
    from kliping.base.usage import run_figures
    from kliping.partitions.client import peak_memory

    made, n_articles = write_stage(job, corpus, cleaned, tfidf, described, out, run_id, originals)
    n_usable, n_outliers = stems.n_usable, described.n_outliers
    n_copies = copies_count(articles_parts(out, corpus))
    metrics = described.metrics
    metrics.update(language_mix_of(articles_parts(out, corpus), job.settings.languages))
    metrics.update(
        {
            "n_articles": n_articles,
            "n_clustered": n_usable,
            "n_without_topic": n_articles - n_usable - n_copies,
            "n_copies": n_copies,
            "n_outliers": int(n_outliers),
            "outlier_share": round(n_outliers / max(n_usable, 1), 4),
            **run_figures(timer),
            "partitions": len(corpus.parts),
            "workers": len(job.client.nthreads()),
            "fit_sample": len(positions),
            **peak_memory(job.client),
        }
    )
    metrics["period"] = outputs.write_over_time(articles_parts(out, corpus), out, job.settings.period)
    model = outputs.with_fitted_articles(described.model, articles_parts(out, corpus), job.signatures)
    outputs.write_run_files(out, described.topics, model, metrics, run_id, job.settings, made)
    return metrics
