"""The cold clean stage of ``kliping run`` on the 22,136 CLICK-ID articles: one process against forked workers, this
checkout's lib against another's, in alternating rounds.

The corpus is read once (:func:`kliping.io.read_corpus`, as ``kliping run`` reads it) and pickled to a temporary
folder. Each job is then a fresh interpreter (with its own empty ``KLIPING_WORK_DIR``: cold, as a run is) that
loads that table and times ``clean_articles(frame, progress=False, processes=P)`` alone: wall seconds, its own CPU
seconds and its children's, its peak resident memory and its largest child's. The jobs run in turn, round after
round, so that the other programs on a shared machine weigh on all alike; the medians are printed with the load
average before and after.

``P`` is ``1``, ``2`` or ``auto`` (the default of the lib: :func:`kliping.clean.corpus.worker_count`; a lib before
it had ``processes=1``). ``--sizes`` takes random subsets (seed 0) of that many rows too, to see from which size
the workers pay.

Usage::

    .venv/bin/python benchmarks/bench_clean_cores.py --baseline-lib /tmp/base/lib [--rounds 5] [--sizes 0 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

from kliping import config

ARTICLES = config.CORPORA_DIR / "clickid_labelled_news" / "articles.jsonl"

#: One job: the pickled table cleaned once, cold, in a fresh interpreter; its figures as one JSON line.
WORKER = """
import json, os, pickle, resource, sys, time, warnings
warnings.simplefilter("ignore")
from kliping import clean
with open(sys.argv[1], "rb") as handle:
    frame = pickle.load(handle)
options = {} if sys.argv[2] == "auto" else {"processes": int(sys.argv[2])}
start, cpu = time.perf_counter(), time.process_time()
clean.clean_articles(frame, progress=False, **options)
wall, cpu = time.perf_counter() - start, time.process_time() - cpu
own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": cpu, "children": children.ru_utime + children.ru_stime,
                  "peak_mb": own.ru_maxrss / 1024, "child_peak_mb": children.ru_maxrss / 1024}))
"""


def run_job(lib: Path, table: Path, processes: str) -> dict:
    """One cold clean of ``table`` with the kliping of ``lib``, in ``processes`` processes."""
    with tempfile.TemporaryDirectory(prefix="kliping-bench-work-") as work:
        env = {**os.environ, "PYTHONPATH": str(lib), "KLIPING_WORK_DIR": work}
        done = subprocess.run(
            [sys.executable, "-c", WORKER, str(table), processes], env=env, capture_output=True, text=True, check=True
        )
    return json.loads(done.stdout.splitlines()[-1])


def write_tables(sizes: list[int], folder: Path) -> dict[int, Path]:
    """The corpus read as ``kliping run`` reads it, and its random subsets (seed 0, in file order), pickled."""
    from kliping.io import read_corpus

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = read_corpus(ARTICLES)
    tables = {}
    for size in sizes:
        part = frame if not size or size >= len(frame) else frame.sample(size, random_state=0).sort_index()
        tables[len(part)] = folder / f"articles-{len(part)}.pkl"
        with open(tables[len(part)], "wb") as handle:
            pickle.dump(part, handle)
    return tables


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-lib", type=Path, default=None, help="another checkout's lib, timed beside")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (medians printed)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[0], help="rows (0: the whole corpus)")
    parser.add_argument("--processes", nargs="+", default=["1", "2", "auto"], help="1, 2, auto")
    args = parser.parse_args(argv)
    if not ARTICLES.exists():
        sys.exit(f"bench_clean_cores: {ARTICLES} is not here")
    libs = {"this": Path(__file__).resolve().parents[1] / "lib"}
    if args.baseline_lib is not None:
        libs["baseline"] = args.baseline_lib.resolve()
    with tempfile.TemporaryDirectory(prefix="kliping-bench-clean-") as folder:
        tables = write_tables(args.sizes, Path(folder))
        jobs = [(size, lib, p) for size in tables for lib in libs for p in args.processes]
        figures = {job: [] for job in jobs}
        load_before = os.getloadavg()
        for number in range(args.rounds):
            for job in jobs if number % 2 == 0 else jobs[::-1]:
                size, lib, processes = job
                figures[job].append(run_job(libs[lib], tables[size], processes))
        load_after = os.getloadavg()
    print(f"cold clean_articles, medians of {args.rounds} alternating rounds (seconds; CPU = own + children's)")
    before, after = (f"{load[0]:.2f} {load[1]:.2f}" for load in (load_before, load_after))
    print(f"load average (1 and 5 min) before {before}, after {after}")
    print(f"{'rows':>7} {'lib':<9} {'procs':<5} {'wall':>6} {'cpu':>6} {'parent':>6} {'peak MB':>8} {'child MB':>8}")
    for job, runs in figures.items():
        size, lib, processes = job
        wall = statistics.median(r["wall"] for r in runs)
        cpu = statistics.median(r["cpu"] + r["children"] for r in runs)
        parent = statistics.median(r["cpu"] for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        child = max(r["child_peak_mb"] for r in runs)
        print(f"{size:>7} {lib:<9} {processes:<5} {wall:6.2f} {cpu:6.2f} {parent:6.2f} {peak:8.0f} {child:8.0f}")
        walls = " ".join(f"{r['wall']:.2f}" for r in runs)
        print(f"{'':>29}walls: {walls}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
