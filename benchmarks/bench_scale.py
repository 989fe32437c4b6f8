"""How does ``kliping run`` scale? 1k, 4k and all 22,136 CLICK-ID articles, beside a naive pipeline, in one run.

For each size, a random subset of ``articles.jsonl`` (seed 0) is written to a
temporary folder and run through, each in a fresh process with empty caches
(``KLIPING_WORK_DIR`` points to a new temporary folder, so stemming is cold):

* ``kliping run SUBSET -o OUT --label-field category_coarse`` (read → clean →
  stem → vectorize → cluster with k chosen automatically → describe);
* the naive pipeline: ``json.loads`` per line, one fresh PySastrawi stemmer
  (``StemmerFactory().create_stemmer()``) and ``stem(doc)`` per article,
  ``TfidfVectorizer(min_df=2)``, ``KMeans(10)``.

Printed: seconds and peak memory per stage (from ``metrics.json``), the whole
process's wall time and peak resident memory (its own and its children's,
via ``wait4``), the ratio kliping / naive, and how cost grows with the corpus
(seconds per 1,000 articles and the exponent b of time ∝ n^b between sizes).

``--floors`` also runs, on the same subset and in the same run, the child of
``bench_stages.py`` (every stage in process, then the cheapest way to do each
stage's work: ``json.loads``, a regex word count per line, a compiled tokenizer
with counting and mapping plus kliping's stemmer on the new words, the MinHash
arithmetic, TF-IDF and co-occurrence from ids plus the SVD alone, one KMeans,
the per-topic sums), and a fresh interpreter's import of numpy, pandas, scipy
and scikit-learn. Their CPU seconds summed and spread over all cores with no
loss is a lower bound on the wall time of any run doing kliping's work; printed
as a ratio to the naive run, beside issue 24's target of 0.25; and again with
the imports first (one process imports before it works) and the rest spread.

Usage::

    .venv/bin/python benchmarks/bench_scale.py                   # 1k, 4k, 22k: about 5 minutes on 2 cores
    .venv/bin/python benchmarks/bench_scale.py --sizes 1000 4000 # skip the full corpus
    .venv/bin/python benchmarks/bench_scale.py --sizes 0 --floors  # the 22k, and the stages' floors beside

Timings on a shared machine vary by some 10-20 %; run it when the machine is quiet.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kliping import config

ARTICLES = config.CORPORA_DIR / "clickid_labelled_news" / "articles.jsonl"
KLIPING = Path(sys.executable).with_name("kliping")
#: Issue 24's target for the 22k cold run: at most this share of the naive pipeline's time, under this peak.
TARGET_RATIO, TARGET_PEAK_MB = 0.25, 2048
#: The stages of ``kliping run`` whose floors ``bench_stages.py`` times (its imports and outputs have none).
FLOOR_STAGES = ("read", "clean", "copies", "stem", "vectorize", "cluster", "describe")


def write_subset(source: Path, size: int | None, folder: Path, seed: int = 0) -> tuple[Path, int]:
    """A random subset of ``size`` lines of ``source`` (all when None), in file order.

    Runs in a child process: Linux hands a parent's peak memory down to the
    children it starts (``ru_maxrss`` survives fork and exec), so this process
    must never hold the corpus itself.
    """
    command = [sys.executable, __file__, "--write-subset", str(source), str(size or 0), str(folder), str(seed)]
    path, n = subprocess.run(command, check=True, capture_output=True, text=True).stdout.split()
    return Path(path), int(n)


def _write_subset_here(source: Path, size: int | None, folder: Path, seed: int) -> tuple[Path, int]:
    import numpy as np

    # Split on "\n" only: str.splitlines would also split inside records at U+2028 and friends.
    lines = [line + b"\n" for line in source.read_bytes().split(b"\n") if line.strip()]
    if size is not None and size < len(lines):
        keep = np.sort(np.random.default_rng(seed).choice(len(lines), size=size, replace=False))
        lines = [lines[i] for i in keep]
    path = folder / f"articles_{len(lines)}.jsonl"
    path.write_bytes(b"".join(lines))
    return path, len(lines)


def run_measured(command: list[str], env: dict) -> tuple[float, float, str, str, float]:
    """Run ``command``; return wall seconds, peak resident MB (process and waited children), stdout, stderr and
    CPU seconds (user and system, the process and its waited children)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0), err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{stderr[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, stdout, stderr, usage.ru_utime + usage.ru_stime


# --------------------------------------------------------------------------- the naive pipeline
def naive_pipeline(path: str) -> dict:
    """Read, stem every article with a fresh PySastrawi stemmer, TF-IDF(min_df=2), KMeans(10); time each stage."""
    import resource

    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    stages = {}

    def stage(name, started):
        stages[name] = {
            "seconds": round(time.perf_counter() - started, 2),
            "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }

    started = time.perf_counter()
    with open(path, encoding="utf-8") as handle:
        texts = [json.loads(line).get("content") or "" for line in handle if line.strip()]
    stage("read", started)
    started = time.perf_counter()
    stemmer = StemmerFactory().create_stemmer()
    stemmed = [stemmer.stem(text) for text in texts]
    stage("stem", started)
    started = time.perf_counter()
    X = TfidfVectorizer(min_df=2).fit_transform(stemmed)
    stage("vectorize", started)
    started = time.perf_counter()
    KMeans(10, random_state=config.SEED).fit(X)
    stage("cluster", started)
    return {"n_articles": len(texts), "stages": stages}


def floor_seconds(subset: Path, folder: Path) -> dict:
    """The stages' floors on ``subset`` (``bench_stages.py``'s child, cold): CPU seconds summed, and that sum
    spread over every core without loss (a lower bound on the wall time of a run doing the same work)."""
    import bench_stages  # beside this script

    floors = bench_stages.run_child(subset, folder / "floor_work", None, True)["floors"]
    cores = os.cpu_count() or 1
    cpu = {stage: floors.get(stage, {}).get("cpu", 0.0) for stage in FLOOR_STAGES}
    cpu["vectorize"] += floors.get("vectorize", {}).get("svd", {}).get("cpu", 0.0)
    # bench_stages gives the stemmer's share as CPU seconds already spread over the cores: back to CPU seconds.
    cpu["stem"] += floors.get("stem", {}).get("stemmer_new_words", 0.0) * cores
    # Any such run imports numpy, pandas, scipy and scikit-learn first (the naive run's CPU time includes them too).
    command = [sys.executable, "-c", "import numpy, pandas, scipy.sparse, sklearn.cluster"]
    cpu["import"] = run_measured(command, dict(os.environ))[4]
    total = sum(cpu.values())
    # The imports come first, in the one process that then does the work: they cannot be spread over the cores.
    serial = cpu["import"] + (total - cpu["import"]) / cores
    detector = floors.get("language detector", {}).get("cpu", 0.0)  # py3langid alone: shown, not in the sum
    return {
        "cpu": {k: round(v, 2) for k, v in cpu.items()},
        "total_cpu": round(total, 2),
        "wall": total / cores,
        "wall_imports_first": serial,
        "language_detector_cpu": round(detector, 2),
    }


# --------------------------------------------------------------------------- reporting
def stage_line(stages: dict) -> str:
    return "  ".join(f"{name} {s['seconds']:.1f} s/{s['peak_memory_mb']:,} MB" for name, s in stages.items())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", default=str(ARTICLES))
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[1000, 4000, 0],
        help="subset sizes; 0 means all articles (default: 1000 4000 0)",
    )
    parser.add_argument("--naive", help=argparse.SUPPRESS)  # internal: run the naive pipeline on this file
    parser.add_argument("--write-subset", nargs=4, help=argparse.SUPPRESS)  # internal: see write_subset
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--floors", action="store_true", help="also time the stages' floors (bench_stages.py)")
    args = parser.parse_args(argv)
    if args.write_subset:
        source, size, folder, seed = args.write_subset
        path, n = _write_subset_here(Path(source), int(size) or None, Path(folder), int(seed))
        print(path, n)
        return 0
    if args.naive:
        print(json.dumps(naive_pipeline(args.naive)))
        return 0

    rows = []
    with tempfile.TemporaryDirectory(prefix="kliping-scale-") as tmp:
        tmp = Path(tmp)
        for size in args.sizes:
            subset, n = write_subset(Path(args.articles), size or None, tmp)
            env = os.environ | {"KLIPING_WORK_DIR": str(tmp / f"work_{n}"), "PYTHONHASHSEED": "0"}
            output = tmp / f"out_{n}"
            seconds, peak, _, _, cpu = run_measured(
                [str(KLIPING), "run", str(subset), "-o", str(output), "--label-field", "category_coarse"], env
            )
            metrics = json.loads((output / "metrics.json").read_text())
            assigned = sum(1 for _ in (output / "assignments.csv").open(encoding="utf-8")) - 1
            naive_seconds, naive_peak, naive_out, _, naive_cpu = run_measured(
                [sys.executable, __file__, "--naive", str(subset)], env
            )
            naive = json.loads(naive_out)
            row = {
                "n": n,
                "kliping_seconds": round(seconds, 1),
                "kliping_cpu": round(cpu, 1),
                "kliping_peak_mb": round(peak),
                "kliping_stages": metrics["stages"],
                "k": metrics["k"],
                "nmi": metrics.get("nmi"),
                "assignments_rows": assigned,
                "naive_seconds": round(naive_seconds, 1),
                "naive_cpu": round(naive_cpu, 1),
                "naive_peak_mb": round(naive_peak),
                "naive_stages": naive["stages"],
            }
            rows.append(row)
            print(f"\n{n:,} articles")
            print(
                f"  kliping run  {seconds:6.1f} s ({cpu:.1f} s CPU)  peak {peak:,.0f} MB  (k = {metrics['k']}, "
                f"NMI {metrics.get('nmi', float('nan')):.3f}, {assigned:,} rows in assignments.csv)"
            )
            print(f"               {stage_line(metrics['stages'])}")
            print(f"  naive        {naive_seconds:6.1f} s ({naive_cpu:.1f} s CPU)  peak {naive_peak:,.0f} MB")
            print(f"               {stage_line(naive['stages'])}")
            print(
                f"  ratio kliping / naive: time {seconds / naive_seconds:.2f}, memory {peak / naive_peak:.2f}",
                flush=True,
            )
            if args.floors:
                floor = floor_seconds(subset, tmp / f"floors_{n}")
                row["floor"] = floor
                parts = "  ".join(f"{stage} {cpu:.1f}" for stage, cpu in floor["cpu"].items())
                print(f"  floors (CPU s) {parts}")
                print(
                    f"  floor: {floor['total_cpu']:.1f} s CPU, at least {floor['wall']:.1f} s on "
                    f"{os.cpu_count()} cores = {floor['wall'] / naive_seconds:.2f} of the naive run's wall time, "
                    f"{floor['wall'] / naive_cpu:.2f} of its CPU time (one core: its wall time on an idle "
                    f"machine); target {TARGET_RATIO}",
                    flush=True,
                )
                print(
                    f"  with the imports first and the rest over the cores: {floor['wall_imports_first']:.1f} s = "
                    f"{floor['wall_imports_first'] / naive_seconds:.2f} of the naive run's wall time; py3langid "
                    f"alone on every article (not in the sum) {floor['language_detector_cpu']:.1f} s CPU",
                    flush=True,
                )

    print("\ngrowth (seconds per 1,000 articles; b in time ∝ n^b from the previous size)")
    for previous, row in zip([None] + rows[:-1], rows):
        for who in ("kliping", "naive"):
            per_1k = row[f"{who}_seconds"] / row["n"] * 1000
            exponent = ""
            if previous is not None:
                b = math.log(row[f"{who}_seconds"] / previous[f"{who}_seconds"]) / math.log(row["n"] / previous["n"])
                exponent = f"  b = {b:.2f} from {previous['n']:,}"
            print(f"  {row['n']:>6,} {who:<8} {per_1k:5.2f} s per 1k{exponent}")
    largest = rows[-1]
    ratio = largest["kliping_seconds"] / largest["naive_seconds"]
    verdict = ratio <= TARGET_RATIO and largest["kliping_peak_mb"] < TARGET_PEAK_MB
    print(
        f"\ntarget on {largest['n']:,} articles (time ≤ {TARGET_RATIO} × naive, peak < {TARGET_PEAK_MB:,} MB): "
        f"{'met' if verdict else 'NOT met'} ({ratio:.2f} ×, {largest['kliping_peak_mb']:,} MB)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
