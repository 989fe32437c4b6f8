"""Kill a Dask worker halfway through a distributed run on a cluster started from the command line.

Starts ``dask scheduler`` and two ``dask worker`` processes (one thread each, all on 127.0.0.1), then runs
``kliping run CORPUS -o OUT --scheduler tcp://127.0.0.1:PORT --k 10 --seed 0`` twice:

1. undisturbed (skipped with ``--reference DIR``, an earlier run's output folder on the same corpus and settings);
2. disturbed: when half of the corpus's partitions have been cleaned, the first worker is killed with SIGKILL
   (the worker and its nanny) and a new ``dask worker`` is started in its place.

It prints the times and whether ``assignments.csv`` and ``topics.csv`` of the two runs are byte for byte the same,
and whether every input id got a row. Every run gets a fresh work folder (stem cache included).

Usage::

    .venv/bin/python benchmarks/kill_worker.py --corpus /tmp/bench-dask/corpus_10x --work-dir /tmp/kill-worker
    .venv/bin/python benchmarks/kill_worker.py --corpus data/raw/clickid_sample.jsonl.gz --work-dir /tmp/kw --k 9
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def dask_command() -> str:
    """The ``dask`` command of this Python's environment."""
    return shutil.which("dask", path=str(Path(sys.executable).parent)) or "dask"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: list[str], log: Path, env: dict) -> subprocess.Popen:
    # A process group of its own, so the worker and the nanny that restarts it die together.
    return subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT, env=env, start_new_session=True)


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def worker(address: str, name: str, work: Path, env: dict) -> subprocess.Popen:
    command = [
        dask_command(), "worker", address,
        "--nthreads", "1", "--nworkers", "1", "--memory-limit", "2GB", "--host", "127.0.0.1",
        "--dashboard-address", "127.0.0.1:0", "--name", name, "--local-directory", str(work / "dask" / name),
    ]  # fmt: skip
    return start(command, work / f"{name}.log", env)


def wait_for_workers(address: str, n: int, timeout: float = 120) -> None:
    from distributed import Client

    with Client(address, timeout="30s") as client:
        client.wait_for_workers(n, timeout=timeout)


def run(corpus: Path, out: Path, address: str, args, env: dict, on_half=None) -> float:
    shutil.rmtree(out, ignore_errors=True)
    command = [
        sys.executable, "-m", "kliping.cli", "run", str(corpus), "-o", str(out), "--scheduler", address,
        "--k", str(args.k), "--seed", "0", *(["--label-field", args.label_field] if args.label_field else []),
    ]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=(out.parent / f"{out.name}.log").open("w"), stderr=subprocess.STDOUT,
                               env=env)  # fmt: skip
    fired = on_half is None
    while process.poll() is None:
        if not fired:
            read = list((out / "partitions" / "read").glob("*.parquet"))
            cleaned = list((out / "partitions" / "clean").glob("*.parquet"))
            if read and len(cleaned) >= max(1, len(read) // 2):
                on_half()
                fired = True
        time.sleep(0.2)
    if process.returncode != 0:
        raise SystemExit(f"kliping run failed (exit {process.returncode}): see {out.parent / (out.name + '.log')}")
    if not fired:
        print("warning: the run ended before half of its partitions were cleaned: no worker was killed")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/kliping-kill-worker"))
    parser.add_argument("--reference", type=Path, help="an undisturbed run's output folder (skips that run)")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--label-field", default="category_coarse")
    args = parser.parse_args()
    work = args.work_dir
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "lib"), "KLIPING_WORK_DIR": str(work / "kliping-work")}
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = start(
        [dask_command(), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--dashboard-address", "127.0.0.1:0"],
        work / "scheduler.log",
        env,
    )
    workers = [worker(address, f"w{i}", work, env) for i in (1, 2)]
    try:
        wait_for_workers(address, 2)
        print(f"scheduler {address}, 2 workers (dask scheduler / dask worker from the command line)", flush=True)
        reference = args.reference
        if reference is None:
            reference = work / "undisturbed"
            seconds = run(args.corpus, reference, address, args, env)
            print(f"undisturbed run: {seconds:.1f} s", flush=True)
        events = []

        def kill_and_replace():
            stop(workers[0], signal.SIGKILL)
            events.append(time.strftime("%H:%M:%S"))
            workers[0] = worker(address, "w3", work, env)

        shutil.rmtree(work / "kliping-work", ignore_errors=True)
        disturbed = work / "disturbed"
        seconds = run(args.corpus, disturbed, address, args, env, on_half=kill_and_replace)
        print(f"disturbed run: {seconds:.1f} s; worker w1 killed (SIGKILL) and w3 started at {events}", flush=True)
        for name in ("assignments.csv", "topics.csv"):
            same = (disturbed / name).read_bytes() == (reference / name).read_bytes()
            print(f"{name} identical to the undisturbed run's: {same}")
        import pandas as pd

        ids = pd.read_parquet(disturbed / "assignments", columns=["id"])["id"]
        print(f"assignments: {len(ids):,} rows, {ids.nunique():,} unique ids")
    finally:
        for process in [*workers, scheduler]:
            stop(process)


if __name__ == "__main__":
    main()
