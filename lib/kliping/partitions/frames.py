"""The notebooks' heavy stages on a Dask cluster, over a table the kernel holds.

With ``KLIPING_SCHEDULER`` set (``make report``, ``kliping report``, ``make lab``), the notebooks pass
``scheduler=`` to :func:`kliping.pipeline.clean` and :func:`kliping.pipeline.stem`. The kernel keeps the tables it
shows, and the work per page and per word goes to the cluster's workers:

* clean: the whole corpus's site statistics are counted once (:func:`kliping.clean.corpus.corpus_site_stats`),
  then the pages are cleaned on the workers with them (:func:`kliping.clean.clean_articles`), in partitions of
  up to :data:`kliping.partitions.shards.PART_ROWS` rows as many as a multiple of the workers
  (:func:`kliping.partitions.shards.part_bounds`);
* stem: the kernel tokenizes and counts, each distinct word missing from the stem cache is stemmed once on a
  worker, and the kernel applies the table (:func:`kliping.stem.corpus.stem_corpus`).

The results are the in-process ones, row for row. The notebooks hold the corpus in memory (they show it), so this
is for corpora that fit one machine; ``kliping run --scheduler`` (:func:`kliping.scale.run`) is for those that do
not.
"""

from __future__ import annotations

import contextlib

import pandas as pd

from kliping.partitions.shards import part_bounds

# One client per scheduler and process: a kernel's notebook connects once (``local`` starts one LocalCluster).
_CLIENTS: dict = {}


def client_for(scheduler: str, progress: bool = True):
    """The ``distributed.Client`` of ``scheduler`` (``local`` or an address) in this process, made once."""
    from kliping.partitions.scheduler import check_address, connect

    address = check_address(scheduler)
    if address not in _CLIENTS:
        _CLIENTS[address] = connect(address, None, None, progress)
    return _CLIENTS[address][0]


@contextlib.contextmanager
def shared_cluster(scheduler: str, progress: bool = True):
    """The scheduler address for several processes to share: ``local`` starts a LocalCluster for the ``with``
    block (``kliping report`` gives its address to every notebook's kernel); an address is passed through."""
    from kliping.partitions.scheduler import check_address, connect

    address = check_address(scheduler)
    if address != "local":
        yield address
        return
    client, cluster = connect(address, None, None, progress)
    try:
        yield cluster.scheduler_address
    finally:
        client.close()
        cluster.close()


def clean(articles: pd.DataFrame, scheduler: str, progress: bool = True) -> pd.DataFrame:
    """:func:`kliping.clean.clean_articles` of ``articles``, partition by partition on the cluster's workers
    (``tests/test_distributed.py`` checks the table equals the in-process one)."""
    from kliping.clean import clean_articles
    from kliping.clean.corpus import corpus_site_stats
    from kliping.partitions.client import gather, share

    client = client_for(scheduler, progress)
    stats = share(client, corpus_site_stats(articles))
    bounds = part_bounds(len(articles), len(client.nthreads()))
    parts = [articles.iloc[start:stop] for start, stop in zip(bounds, bounds[1:]) if stop > start]
    if not parts:
        return clean_articles(articles, progress=False)
    # One process per partition: the cluster's workers are the parallelism.
    futures = client.map(clean_articles, parts, progress=False, site_stats=stats, processes=1, pure=False)
    return pd.concat(gather(client, futures, "clean", progress))


def stem(texts: list[str], scheduler: str, cache_dir=None, progress: bool = True, use_cache: bool = True, modes=None):
    """:func:`kliping.stem.corpus.stem_corpus` of ``texts`` (with their ``modes``), each new distinct word stemmed
    on a worker."""
    from kliping.partitions.client import stem_words
    from kliping.stem.corpus import stem_corpus

    client = client_for(scheduler, progress)
    return stem_corpus(
        texts,
        cache_dir=cache_dir,
        progress=progress,
        use_cache=use_cache,
        stem_words=lambda words: stem_words(client, words, cache_dir, use_cache),
        modes=modes,
    )
