"""What a run costs: each stage's time and the peak memory after it, in this process or on a Dask worker."""

from __future__ import annotations

import resource
import sys
import time


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB).

    Examples
    --------
    >>> peak_memory_mb() > 0
    True
    """
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
                    print(
                        f"kliping: {name} done in {seconds:.1f} s (peak memory {peak_memory_mb():,.0f} MB)",
                        file=sys.stderr,
                        flush=True,
                    )

        return _Stage()


def run_figures(timer: StageTimer) -> dict:
    """What a run cost, for ``metrics.json``: each stage's time and peak memory, their total time, the peak memory
    of this process."""
    return {
        "stages": timer.stages,
        "total_seconds": round(sum(s["seconds"] for s in timer.stages.values()), 2),
        "peak_memory_mb": round(peak_memory_mb()),
    }
