"""The same pipeline on a Dask cluster, for corpora one machine cannot hold.

``kliping run INPUT -o DIR --scheduler local`` (or ``tcp://host:8786``) runs every stage of
:mod:`kliping.pipeline` as tasks over partitions of the corpus, the way NVIDIA's NeMo Curator runs its text
modules over shards: no process ever holds the whole corpus. What the in-process run decides over the whole
corpus is decided over all partitions first, then handed to every partition:

1. read (:mod:`~kliping.partitions.shards`): each shard by the reader's own functions, to parquet partitions;
   ids made unique and exact duplicates found across partitions (:mod:`~kliping.partitions.corpuswide`);
2. clean: each site's template lines counted over all partitions and reduced, then every partition cleaned
   with them (:func:`kliping.clean.clean_articles`);
3. stem: word counts summed over partitions, each distinct word stemmed once on the workers (the stem cache
   read and written by the client alone), the word → stem table broadcast, stems per partition;
4. vectorize: document frequencies summed, the vocabulary pruned with :mod:`kliping.topics.tfidf`'s rules, TF-IDF
   per partition (:mod:`~kliping.partitions.tasks`);
5. fit (:mod:`~kliping.scale.fit`): word co-occurrences summed in whole numbers, then the in-process functions
   (:func:`kliping.topics.wordvectors.document_space`, :func:`kliping.pipeline.cluster`, ``describe``, ``measure``,
   ``fit_model``) on the client, on all usable articles when they are at most ``sample_size`` (100,000) -- then
   everything is the in-process run's -- else on a seeded sample, whose model then places every partition;
6. outputs (:mod:`~kliping.outputs`): ``articles/`` and ``assignments/`` as parquet partitions,
   ``assignments.csv``, ``topics.csv``, ``model/`` and ``metrics.json``.

:mod:`~kliping.partitions.frames` runs the notebooks' clean and stem stages on a cluster, over the tables they hold.
Every partition file is written atomically with a key of the corpus, so tasks rerun after a lost worker and runs
started again after an interruption reuse what was finished. :mod:`~kliping.partitions.scheduler` starts a
``LocalCluster`` or connects to a running scheduler.
"""

from kliping.partitions.scheduler import SchedulerError, check_address, connect, require_dask
from kliping.scale.fit import FIT_SAMPLE
from kliping.scale.run import run

__all__ = ["FIT_SAMPLE", "SchedulerError", "check_address", "connect", "require_dask", "run"]
