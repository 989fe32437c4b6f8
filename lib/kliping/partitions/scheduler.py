"""Where the distributed run's tasks go: a ``LocalCluster`` on this machine, or a running Dask scheduler.

``local`` starts one worker process per core (``--workers N``), one thread each (the stages are pure Python: a
second thread in a worker only waits for the GIL), with a memory limit per worker (``--worker-memory 2GB``), all
bound to 127.0.0.1. ``tcp://host:8786`` connects to a scheduler started with ``dask scheduler``, whose workers
(``dask worker tcp://host:8786``) must have kliping installed and see the corpus and output folder at the same
paths (a shared file system).

Examples
--------
>>> check_address("tcp://10.0.0.5:8786"), check_address("local")
('tcp://10.0.0.5:8786', 'local')
>>> check_address("10.0.0.5")
Traceback (most recent call last):
kliping.partitions.scheduler.SchedulerError: scheduler '10.0.0.5': use local or an address such as tcp://host:8786
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys

from kliping.config import SettingError

#: Schemes of scheduler addresses Dask's comms understand.
SCHEMES = ("tcp://", "tls://", "ws://", "wss://", "inproc://", "ucx://")
#: How long to wait for a scheduler that does not answer.
CONNECT_TIMEOUT = "10s"
#: The worker memory limit when none is given.
WORKER_MEMORY = "2GB"


class SchedulerError(SettingError):
    """Dask is missing, or the scheduler cannot be reached (one line; the CLI exits 2)."""


def check_address(address: str) -> str:
    """``local`` or a scheduler address with a scheme; a :class:`SchedulerError` otherwise."""
    address = address.strip()
    if address == "local" or address.startswith(SCHEMES):
        return address
    raise SchedulerError(f"scheduler {address!r}: use local or an address such as tcp://host:8786")


def require_dask() -> None:
    """One line naming the missing packages when the ``scale`` extra is not installed."""
    missing = [name for name in ("dask", "distributed", "pandas") if importlib.util.find_spec(name) is None]
    if not missing and importlib.util.find_spec("dask.dataframe") is None:
        missing = ["dask[dataframe]"]
    if missing:
        raise SchedulerError(f"--scheduler needs Dask ({', '.join(missing)} missing): pip install 'kliping[scale]'")


def connect(address: str, workers: int | None = None, worker_memory: str | None = None, progress: bool = True):
    """A ``distributed.Client`` for ``address`` (and the ``LocalCluster`` it started, or None).

    Raises
    ------
    SchedulerError
        When Dask is not installed, or no scheduler answers at ``address``.
    """
    address = check_address(address)
    require_dask()
    import dask
    from distributed import Client, LocalCluster

    # Tasks are retried on another worker when theirs dies (a killed worker, an out-of-memory kill): three
    # deaths of the same task mean the task itself kills workers, and the run stops with its error.
    dask.config.set({"distributed.scheduler.allowed-failures": 3})
    cluster = None
    try:
        if address == "local":
            n_workers = workers or os.cpu_count() or 1
            # Its HTTP server (and, with bokeh, the dashboard) on a free port of this machine only.
            dashboard = "127.0.0.1:0"
            cluster = LocalCluster(
                n_workers=n_workers,
                threads_per_worker=1,
                processes=True,
                memory_limit=worker_memory or WORKER_MEMORY,
                host="127.0.0.1",
                dashboard_address=dashboard,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        else:
            client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as error:
        if cluster is not None:
            cluster.close()
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise SchedulerError(f"cannot reach the Dask scheduler at {address}: {reason}") from None
    if progress:
        print(f"kliping: Dask scheduler {client.scheduler.address}, {describe_workers(client)}", file=sys.stderr)
        if importlib.util.find_spec("bokeh") is not None:
            print(f"kliping: dashboard {client.dashboard_link}", file=sys.stderr)
        else:
            print("kliping: no dashboard (it needs bokeh: pip install 'bokeh>=3.1')", file=sys.stderr)
    return client, cluster


def describe_workers(client) -> str:
    """``2 workers, 2 threads``: what the scheduler has now."""
    threads = client.nthreads()
    return f"{len(threads)} workers, {sum(threads.values())} threads"
