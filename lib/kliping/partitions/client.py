"""Talking to the Dask cluster: gather with a progress bar, share a value with every task, reduce partition
results in a tree, stem distinct words on the workers.

Used by :mod:`kliping.scale.run` (the whole distributed run) and :mod:`kliping.partitions.frames` (the notebooks'
stages on a cluster).
"""

from __future__ import annotations

import sys

from kliping.partitions import tasks

#: Partition results summed per task when reducing (a tree of these, so no process sums them all at once).
REDUCE_WIDTH = 8
#: Distinct words stemmed per task.
STEM_CHUNK = 2_000


def gather(client, futures, desc: str, progress: bool):
    """Gather ``futures`` in order, with a bar of finished partitions."""
    from distributed import as_completed
    from tqdm import tqdm

    with tqdm(total=len(futures), desc=desc, unit="part", disable=not progress, file=sys.stderr) as bar:
        for _ in as_completed(futures):
            bar.update(1)
    return client.gather(futures)


def _as_is(value):
    return value


def share(client, value):
    """``value`` as a future every task can take. Not scattered: data scattered to workers is lost with them,
    while this task keeps ``value`` in the scheduler and runs again when the worker holding its result dies."""
    return client.submit(_as_is, value, pure=False)


def reduce(client, futures, combine):
    """Combine partition results pairwise-in-groups on the workers, keeping their order; the final result."""
    while len(futures) > 1:
        futures = [
            client.submit(combine, *futures[i : i + REDUCE_WIDTH], pure=False)
            for i in range(0, len(futures), REDUCE_WIDTH)
        ]
    return futures[0].result()


def stem_words(client, words: list[str], cache_dir, use_cache: bool = True) -> dict:
    """Each distinct word stemmed once, on the workers; the stem cache read and written by the client alone."""
    from kliping.stem.cache import cache_folder, load_cache, save_cache

    folder = cache_folder(cache_dir) if use_cache else None
    cached = load_cache(folder) if folder is not None else {}
    stems = {word: cached[word] for word in words if word in cached}
    new = [word for word in words if word not in stems]
    chunks = [new[i : i + STEM_CHUNK] for i in range(0, len(new), STEM_CHUNK)]
    for chunk, result in zip(chunks, client.gather(client.map(tasks.stem_words, chunks, pure=False))):
        stems.update(zip(chunk, result))
    if folder is not None and new:
        save_cache({word: stems[word] for word in new}, folder)
    return stems


def peak_memory(client) -> dict:
    """Peak resident memory (MB) of the client, the scheduler and the largest worker."""
    from kliping.base.usage import peak_memory_mb

    workers = client.run(peak_memory_mb)
    return {
        "client_peak_memory_mb": round(peak_memory_mb()),
        "scheduler_peak_memory_mb": round(client.run_on_scheduler(peak_memory_mb)),
        "worker_peak_memory_mb": round(max(workers.values(), default=0)),
    }
