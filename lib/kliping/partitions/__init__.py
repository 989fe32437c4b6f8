"""The engine for Dask partitions: the stages' work on one partition and the talk with the cluster.

:mod:`~kliping.partitions.scheduler` (where tasks go), :mod:`~kliping.partitions.client` (gather, share, reduce),
:mod:`~kliping.partitions.shards` (a corpus as partitions), :mod:`~kliping.partitions.tasks` (one stage on one
partition), :mod:`~kliping.partitions.corpuswide` (ids, duplicates and site statistics over all partitions) and
:mod:`~kliping.partitions.frames` (the notebooks' clean and stem on a cluster). Below :mod:`kliping.pipeline`, which
hands its clean and stem stages to :mod:`~kliping.partitions.frames` when given a scheduler; the whole distributed
run is :mod:`kliping.scale`.
"""
