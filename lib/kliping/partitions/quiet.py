"""A Dask worker plugin for the ``LocalCluster`` a run starts: its worker processes leave Ctrl-C to the run.

They are in the terminal's process group, so its Ctrl-C reached each of them too, and each printed its
``KeyboardInterrupt`` traceback (30-90 lines after ``kliping run --scheduler local`` was interrupted, 2026-12-07);
the run's own process closes the cluster (:func:`kliping.partitions.scheduler.connect`'s caller). Imported only
with Dask.
"""

from __future__ import annotations

import signal
import threading

from distributed import WorkerPlugin


class QuietWorker(WorkerPlugin):
    """Set up in each worker: SIGINT ignored there (in its event loop's thread, the process's main one)."""

    def setup(self, worker) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)
