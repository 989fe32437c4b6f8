"""The distributed run (``kliping run --scheduler local``) against the in-process run, on 22k and 221k articles.

Builds, under ``--work-dir`` (never the repository), a corpus of ten perturbed copies of the 22,136 CLICK-ID
articles: copy ``c`` drops ``3·c`` % of each article's sentences (seeded per copy) and suffixes its ids with
``~c``, so no copy is an exact duplicate of another; the 221,360 rows go into 16 ``.jsonl.gz`` shards. Then it
runs ``kliping`` in a subprocess per measurement, sampling the resident memory of the process and of every
descendant (client and scheduler, nannies, workers) every 0.2 s:

* in-process on 22k (the original file), on 66k (three copies) and, unless ``--skip-inprocess-large``, on 221k;
* ``--scheduler local --workers 2`` on 22k and on 221k.

It prints wall time, peak memory of the largest single process and of all together, and articles per second per
core; the goals (issue 14): on 221k no process above 2.5 GB, and wall time at most 1.2 × 10 × the in-process 22k
time. Every run gets a fresh work folder, so the stem cache starts empty for each.

    python benchmarks/bench_dask.py --work-dir /tmp/bench-dask [--skip-inprocess-large]

The 22k pair alone, three rounds, beside another checkout's ``lib`` (``git archive REV lib | tar -x -C DIR``) run
the same way in each round (``dask-22k-baseline``); every round prints the ratios to its own in-process run:

    python benchmarks/bench_dask.py --work-dir /tmp/bench-dask --copies 1 --shards 1 --rounds 3 \\
        --baseline-lib DIR/lib --only inprocess-22k dask-22k dask-22k-baseline
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT.parent / "shared" / "corpora" / "clickid_labelled_news" / "articles.jsonl"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
GOAL_PROCESS_GB = 2.5
GOAL_TIME_FACTOR = 1.2


def perturbed(record: dict, copy: int, rng: np.random.Generator) -> dict:
    """A copy of an article with a share of its sentences dropped (copy 0 is the article as it is)."""
    record = dict(record)
    record["id"] = f"{record['id']}~{copy}"
    content = record.get("content")
    if copy and isinstance(content, str):
        share = 0.03 * copy
        lines = []
        for line in content.split("\n"):
            sentences = SENTENCE_END.split(line)
            kept = [s for s in sentences if rng.random() >= share]
            lines.append(" ".join(kept or sentences[:1]))
        record["content"] = "\n".join(lines)
    return record


def build(work: Path, copies: int, n_shards: int) -> tuple[Path, Path]:
    """The sharded corpus of ``copies`` copies, and a 3-copy single file (for the in-process 66k run)."""
    shards_dir, medium = work / f"corpus_{copies}x", work / "corpus_3x.jsonl.gz"
    done = work / f"corpus_{copies}x.done"  # beside the corpus folder: a file in it would be read as a page
    if done.exists() and medium.exists():
        return shards_dir, medium
    shards_dir.mkdir(parents=True, exist_ok=True)
    records = [json.loads(line) for line in ARTICLES.open(encoding="utf-8") if line.strip()]
    rows = [
        json.dumps(perturbed(r, c, rng), ensure_ascii=False)
        for c in range(copies)
        for rng in [np.random.default_rng(c)]
        for r in records
    ]
    bounds = np.linspace(0, len(rows), n_shards + 1).astype(int)
    for i, (a, b) in enumerate(zip(bounds, bounds[1:])):
        with gzip.open(shards_dir / f"shard-{i:02d}.jsonl.gz", "wt", encoding="utf-8") as out:
            out.write("\n".join(rows[a:b]) + "\n")
    with gzip.open(medium, "wt", encoding="utf-8") as out:
        out.write("\n".join(rows[: 3 * len(records)]) + "\n")
    done.write_text(str(len(rows)))
    return shards_dir, medium


def measure(name: str, command: list[str], work: Path, lib: Path = ROOT / "lib") -> dict:
    """Run ``command`` with kliping from ``lib``, sampling the memory of it and its descendants; wall time, CPU
    seconds and peaks."""
    run_dir = work / "runs" / name
    env = {**os.environ, "PYTHONPATH": str(lib), "KLIPING_WORK_DIR": str(run_dir / "work")}
    shutil.rmtree(run_dir, ignore_errors=True)  # a fresh work folder: no stem cache from an earlier run
    run_dir.mkdir(parents=True, exist_ok=True)
    log = (run_dir / "log.txt").open("w")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    parent = psutil.Process(process.pid)
    largest = total = 0
    while process.poll() is None:
        try:
            procs = [parent, *parent.children(recursive=True)]
            sizes = []
            for proc in procs:
                try:
                    sizes.append(proc.memory_info().rss)
                except psutil.Error:
                    pass
            largest, total = max(largest, max(sizes, default=0)), max(total, sum(sizes))
        except psutil.Error:
            pass
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the run and every process it waited for (its workers)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    log.close()
    if process.returncode != 0:
        raise SystemExit(f"{name} failed (exit {process.returncode}): see {run_dir / 'log.txt'}")
    return {
        "name": name,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "largest_gb": largest / 1e9,
        "total_gb": total / 1e9,
    }


def kliping(corpus: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "kliping.cli", "run", str(corpus), "-o", str(out),
            "--label-field", "category_coarse", "--k", "10", "--seed", "0", *extra]  # fmt: skip


def check_ids(out: Path, expected: int) -> str:
    import pandas as pd

    ids = pd.read_parquet(out / "assignments", columns=["id"])["id"]
    return f"{len(ids):,} rows, {ids.nunique():,} unique ids (input {expected:,})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/kliping-bench-dask"))
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--shards", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-memory", default="2GB")
    parser.add_argument("--skip-inprocess-large", action="store_true", help="no in-process run on the 221k corpus")
    parser.add_argument("--only", nargs="*", help="run only these measurements (names as printed)")
    parser.add_argument("--baseline-lib", type=Path, help="also run the Dask 22k with this lib (dask-22k-baseline)")
    parser.add_argument("--rounds", type=int, default=1, help="run the measurements this many times, in turn")
    args = parser.parse_args()
    if not ARTICLES.exists():
        raise SystemExit(f"{ARTICLES} not found: the benchmark needs the shared CLICK-ID corpus")
    work = args.work_dir
    shards, medium = build(work, args.copies, args.shards)
    n_large = int((work / f"corpus_{args.copies}x.done").read_text())
    dask = ["--scheduler", "local", "--workers", str(args.workers), "--worker-memory", args.worker_memory]
    lib = ROOT / "lib"
    plan = [
        ("inprocess-22k", kliping(ARTICLES, work / "out" / "inprocess-22k"), 22_136, 1, lib),
        ("dask-22k", kliping(ARTICLES, work / "out" / "dask-22k", *dask), 22_136, args.workers, lib),
        ("dask-221k", kliping(shards, work / "out" / "dask-221k", *dask), n_large, args.workers, lib),
        ("inprocess-66k", kliping(medium, work / "out" / "inprocess-66k", "--max-file-mb", "500"), 3 * 22_136, 1, lib),
    ]
    if args.baseline_lib:
        baseline = kliping(ARTICLES, work / "out" / "dask-22k-baseline", *dask)
        plan.append(("dask-22k-baseline", baseline, 22_136, args.workers, args.baseline_lib.resolve()))
    if not args.skip_inprocess_large:
        plan.append(("inprocess-221k", kliping(shards, work / "out" / "inprocess-221k"), n_large, 1, lib))
    plan = [step for step in plan if not args.only or step[0] in args.only]
    for number in range(1, args.rounds + 1):
        if args.rounds > 1:
            print(f"round {number} of {args.rounds}", flush=True)
        results = {name: run_one(name, command, n, cores, lib, work) for name, command, n, cores, lib in plan}
        report(results, work, n_large)


def run_one(name: str, command: list[str], n: int, cores: int, lib: Path, work: Path) -> dict:
    """One measurement, printed on one line and added to ``results.json``."""
    shutil.rmtree(command[command.index("-o") + 1], ignore_errors=True)
    result = measure(name, command, work, lib)
    result.update(articles=n, cores=cores, per_core=round(n / result["seconds"] / cores, 1))
    print(
        f"{name:17s} {n:>8,} articles {result['seconds']:>7.1f} s ({result['cpu_seconds']:.1f} s CPU)"
        f"  largest process {result['largest_gb']:.2f} GB  all {result['total_gb']:.2f} GB"
        f"  {result['per_core']:>6.1f} articles/s/core",
        flush=True,
    )
    saved = work / "results.json"
    earlier = json.loads(saved.read_text()) if saved.exists() else {}
    saved.write_text(json.dumps({**earlier, name: result}, indent=1))
    return result


def report(results: dict, work: Path, n_large: int) -> None:
    """The goals: the 221k's memory and time, the Dask 22k's ratios to the in-process 22k of the same round and
    whether its tables are the in-process run's, byte for byte."""
    if "dask-221k" in results:
        print("dask-221k:", check_ids(work / "out" / "dask-221k", n_large))
        big = results["dask-221k"]
        print(f"goal: no process above {GOAL_PROCESS_GB} GB -> {big['largest_gb']:.2f} GB")
        if "inprocess-22k" in results:
            limit = GOAL_TIME_FACTOR * 10 * results["inprocess-22k"]["seconds"]
            print(f"goal: wall time <= {limit:.0f} s (1.2 x 10 x in-process 22k) -> {big['seconds']:.0f} s")
    if "inprocess-22k" not in results:
        return
    alone = results["inprocess-22k"]
    for name in ("dask-22k", "dask-22k-baseline"):
        if name not in results:
            continue
        for table in ("assignments.csv", "topics.csv"):
            same = (work / "out" / name / table).read_bytes() == (work / "out" / "inprocess-22k" / table).read_bytes()
            print(f"22k at k = 10, seed 0: {table} of {name} and inprocess-22k identical: {same}")
        dask = results[name]
        print(
            f"goal: {name} <= 1.3 x in-process 22k -> {dask['seconds'] / alone['seconds']:.2f} x wall, "
            f"{dask['cpu_seconds'] / alone['cpu_seconds']:.2f} x CPU (load average {os.getloadavg()[0]:.1f})",
            flush=True,
        )


if __name__ == "__main__":
    main()
