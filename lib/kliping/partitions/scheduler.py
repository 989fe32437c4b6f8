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
#: The smallest worker memory limit taken: a worker with kliping, pandas and the stemmer imported uses about
#: 200 MB before any task, so under this every task was killed and retried and the run sat at "read 0/1".
MIN_WORKER_MEMORY = 256 * 2**20
#: The most local workers taken (each is a process with its own memory).
MAX_WORKERS = 512
#: How long a scheduler may take to send its half of Dask's handshake (it sends it as soon as it accepts).
HANDSHAKE_SECONDS = 10.0
#: The largest first frame a scheduler's handshake could announce; more is another protocol (HTTP's first
#: bytes "HTTP/1.1" read as a length are exabytes, the allocation distributed attempted).
MAX_HANDSHAKE_BYTES = 2**20


#: Dask's housekeeping for the run's processes, in place of its defaults (which a setting of the user's, in a Dask
#: config file or a ``DASK_...`` variable, still overrides): no statistical profiler sampling every worker's stack
#: every 10 ms (it feeds only the dashboard's Profile page), the event-loop tick every 500 ms instead of 20 ms, the
#: system monitor every 2 s instead of 0.5 s, the workers' memory checked every 0.5 s instead of 0.1 s (a partition
#: of at most 6,250 rows peaks near 0.7 GB, far under the 2 GB limit). A LocalCluster of two workers left idle for
#: 60 s spent 7.1 s of CPU with Dask's defaults, about 2.8 s less for each of the first three, 1.1 s for the last:
#: 1.3 s with all four. The 22k's distributed run lasts 1.5-2 minutes on this shared machine.
HOUSEKEEPING = {
    "distributed": {
        "worker": {"profile": {"enabled": False}, "memory": {"monitor-interval": "500ms"}},
        "admin": {"tick": {"interval": "500ms"}, "system-monitor": {"interval": "2s"}},
    }
}


class SchedulerError(SettingError):
    """Dask is missing, or the scheduler cannot be reached (one line; the CLI exits 2)."""


def check_address(address: str) -> str:
    """``local`` or a scheduler address with a scheme; a :class:`SchedulerError` otherwise."""
    address = address.strip()
    if any(ord(c) < 32 for c in address):
        raise SchedulerError(f"scheduler {address!r}: an address has no control characters")
    if address == "local" or address.startswith(SCHEMES):
        return address
    raise SchedulerError(f"scheduler {address!r}: use local or an address such as tcp://host:8786")


def check_workers(workers: int | None, worker_memory: str | None) -> None:
    """Refuse, before a cluster starts, a worker count that is not 1 to :data:`MAX_WORKERS` and a memory limit
    under :data:`MIN_WORKER_MEMORY` or not a size (``2GB``, ``512MiB``).

    Examples
    --------
    >>> check_workers(2, "1GB")
    >>> check_workers(0, None)
    Traceback (most recent call last):
    kliping.partitions.scheduler.SchedulerError: --workers must be from 1 to 512, not 0
    """
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        raise SchedulerError(f"--workers must be from 1 to {MAX_WORKERS}, not {workers}")
    if worker_memory is None:
        return
    from dask.utils import parse_bytes

    try:
        size = parse_bytes(str(worker_memory).strip())
    except (ValueError, TypeError):
        raise SchedulerError(f"--worker-memory {worker_memory!r} is not a size such as 2GB or 512MiB") from None
    if not MIN_WORKER_MEMORY <= size < 2**60:
        raise SchedulerError(
            f"--worker-memory {worker_memory} is outside {MIN_WORKER_MEMORY // 2**20} MB to 1 EB: a worker needs "
            "about 200 MB before its first task (default 2GB)"
        )


def probe(address: str, seconds: float | None = None) -> None:
    """Check that a ``tcp://`` address speaks Dask before a client connects: the scheduler sends the first frame
    of its handshake on accept, a length of a few hundred bytes. A port that sends nothing within ``seconds`` (a
    web server such as the dashboard's 8787, a listener that never answers) or other bytes is refused in one line.
    """
    import socket
    import struct
    import time

    seconds = HANDSHAKE_SECONDS if seconds is None else seconds
    if not address.startswith("tcp://"):
        return  # tls/ws/ucx: their own handshakes; distributed's connect timeout bounds them
    host, _, port = address[len("tcp://") :].rstrip("/").rpartition(":")
    host = host.strip("[]")
    try:
        port_number = int(port)
    except ValueError:
        raise SchedulerError(f"scheduler {address!r}: give a port, as in tcp://host:8786") from None
    what = f"the Dask scheduler at {address}"
    deadline = time.monotonic() + seconds
    try:
        with socket.create_connection((host, port_number), timeout=seconds) as sock:
            first = b""
            while len(first) < 8:
                sock.settimeout(max(0.01, deadline - time.monotonic()))
                chunk = sock.recv(8 - len(first))
                if not chunk:
                    raise SchedulerError(f"{what} closed the connection without Dask's handshake")
                first += chunk
    except TimeoutError:
        raise SchedulerError(
            f"{what} sent no Dask handshake within {seconds:g} s: is it a web port such as the dashboard's 8787? "
            "A scheduler listens on 8786 by default"
        ) from None
    except OSError as error:
        raise SchedulerError(f"cannot reach {what}: {error.strerror or error}") from None
    if first.startswith(b"HTTP") or not 0 < struct.unpack("<Q", first)[0] <= MAX_HANDSHAKE_BYTES:
        raise SchedulerError(f"{what} does not speak Dask (it sent {first!r}): is it the dashboard's port?")


def require_dask() -> None:
    """One line naming the missing packages when the ``scale`` extra is not installed."""
    missing = [name for name in ("dask", "distributed", "pandas") if importlib.util.find_spec(name) is None]
    if not missing and importlib.util.find_spec("dask.dataframe") is None:
        missing = ["dask[dataframe]"]
    if missing:
        raise SchedulerError(f"--scheduler needs Dask ({', '.join(missing)} missing): pip install 'kliping[scale]'")


def quiet_housekeeping() -> None:
    """Make :data:`HOUSEKEEPING` Dask's defaults in this process, once; the workers a LocalCluster starts inherit
    them (a running cluster's workers keep their own configuration).

    Examples
    --------
    >>> import dask
    >>> quiet_housekeeping()
    >>> dask.config.get("distributed.worker.profile.enabled"), dask.config.get("distributed.admin.tick.interval")
    (False, '500ms')
    """
    import dask
    import distributed  # noqa: F401  (its own defaults first: loaded later, they would replace these)

    if HOUSEKEEPING not in dask.config.defaults:
        dask.config.update_defaults(HOUSEKEEPING)


def connect(address: str, workers: int | None = None, worker_memory: str | None = None, progress: bool = True):
    """A ``distributed.Client`` for ``address`` (and the ``LocalCluster`` it started, or None).

    Raises
    ------
    SchedulerError
        When Dask is not installed, or no scheduler answers at ``address``.
    """
    address = check_address(address)
    require_dask()
    check_workers(workers, worker_memory)
    import dask
    from distributed import Client, LocalCluster

    quiet_housekeeping()
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
            from kliping.partitions.quiet import QuietWorker

            client.register_plugin(QuietWorker(), name="kliping-quiet-worker")
        else:
            probe(address)
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
