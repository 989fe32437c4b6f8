"""``kliping assign`` end to end: this checkout against a baseline (``main`` by default), cold and warm cache.

Issue 13's goal: assigning the 22,136 CLICK-ID articles with a warm cache runs at >= 2,000 articles/s, timed as a
user runs it (``kliping assign MODEL CORPUS -o OUT.csv``, process start to exit). Under ``--work-dir`` (never the
repository) it

1. fits a model with ``kliping run`` of this checkout on the corpus (once; ``--model`` and ``--assignments`` take
   a run's model folder and ``assignments.csv`` instead);
2. checks out ``--baseline-ref`` as a detached git worktree (``WORK/baseline``) when it is not there yet;
3. runs ``kliping assign`` of each version in a subprocess: once with an empty work folder (cold: every word is
   stemmed, every page cleaned) and ``--repeat`` times more with the cache that run left (warm), the two versions
   taking turns so a busy machine slows both alike;
4. prints wall seconds (cold; warm min and median), articles/s and the baseline/this ratio, and whether each
   version gave every article the run's topic and confidence (``assignments.csv``).

The machine is shared: compare the two columns of one run, and read ``uptime`` beside them.

    python benchmarks/bench_assign.py --work-dir /tmp/bench-assign [--baseline-ref main] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT.parent / "shared" / "corpora" / "clickid_labelled_news" / "articles.jsonl"
GOAL_ARTICLES_PER_SECOND = 2000


def kliping(lib: Path, work: Path, *args: str) -> float:
    """Run ``kliping ARGS`` with the package in ``lib`` and the work folder ``work``; its wall seconds."""
    env = os.environ | {"PYTHONPATH": str(lib), "KLIPING_WORK_DIR": str(work)}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "kliping.cli", *args], env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"kliping {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds


def baseline_checkout(ref: str, folder: Path) -> Path:
    """A detached worktree of ``ref`` at ``folder`` (made once; checked out again when the ref moved)."""
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", ref], capture_output=True, text=True, check=True)
    wanted = commit.stdout.strip()
    if not (folder / ".git").exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), wanted], check=True)
    else:
        subprocess.run(["git", "-C", str(folder), "checkout", "--detach", "--quiet", wanted], check=True)
    return folder


def same_topics(table: Path, reference: Path) -> str:
    """Whether every article of ``table`` has the reference's topic and confidence (a short verdict)."""
    ours = pd.read_csv(table, dtype={"id": str}).set_index("id")
    theirs = pd.read_csv(reference, dtype={"id": str}).set_index("id")
    if sorted(ours.index) != sorted(theirs.index):
        return "other ids"
    theirs = theirs.loc[ours.index]
    topics = int((ours["topic"] != theirs["topic"]).sum())
    confidence = int((ours["confidence"] != theirs["confidence"]).sum())
    return "identical" if not topics and not confidence else f"{topics} topics, {confidence} confidences differ"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ARTICLES)
    parser.add_argument("--work-dir", type=Path, required=True)
    parser.add_argument("--baseline-ref", default="main", help="git ref to compare with (default: main)")
    parser.add_argument("--model", type=Path, help="a run's model folder (default: fit one on the corpus)")
    parser.add_argument("--assignments", type=Path, help="that run's assignments.csv (with --model)")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs per version (default 3)")
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"skipped: {args.corpus} is not here (the shared corpora sit beside the checkout as ../shared)")
        return
    work = args.work_dir.absolute()
    work.mkdir(parents=True, exist_ok=True)
    n_articles = sum(1 for line in args.corpus.open(encoding="utf-8", errors="replace") if line.strip())

    if args.model:
        model, reference = args.model, args.assignments or args.model.parent / "assignments.csv"
    else:
        run = work / "run"
        if not (run / "model").exists():
            print(f"fitting a model: kliping run {args.corpus} -o {run}", flush=True)
            seconds = kliping(ROOT / "lib", work / "run-work", "run", str(args.corpus), "-o", str(run))
            print(f"  {seconds:.1f} s", flush=True)
        model, reference = run / "model", run / "assignments.csv"

    versions = {
        f"baseline ({args.baseline_ref})": baseline_checkout(args.baseline_ref, work / "baseline") / "lib",
        "this checkout": ROOT / "lib",
    }
    cold, warm, verdict = {}, {name: [] for name in versions}, {}
    for i, (name, lib) in enumerate(versions.items()):
        cache = work / f"assign-work-{i}"
        subprocess.run(["rm", "-rf", str(cache)], check=True)  # cold: an empty work folder, no stems, no clean
        out = work / f"assign-{i}.csv"
        cold[name] = kliping(lib, cache, "assign", str(model), str(args.corpus), "-o", str(out))
        verdict[name] = same_topics(out, reference)
        print(f"{name}: cold {cold[name]:.1f} s ({verdict[name]})", flush=True)
    for _ in range(args.repeat):
        for i, (name, lib) in enumerate(versions.items()):
            out = work / f"assign-{i}.csv"
            warm[name].append(
                kliping(lib, work / f"assign-work-{i}", "assign", str(model), str(args.corpus), "-o", str(out))
            )
            print(f"{name}: warm {warm[name][-1]:.1f} s", flush=True)

    print(f"\nkliping assign of {n_articles:,} articles ({args.corpus.name}), {args.repeat} warm runs each")
    print(f"{'':24} {'cold s':>8} {'warm min':>9} {'median':>8} {'articles/s':>11}  topics vs the run")
    for name in versions:
        best, median = min(warm[name]), statistics.median(warm[name])
        print(f"{name:24} {cold[name]:8.1f} {best:9.1f} {median:8.1f} {n_articles / median:11,.0f}  {verdict[name]}")
    base, this = (statistics.median(warm[name]) for name in versions)
    cold_base, cold_this = cold.values()
    print(f"warm median ratio baseline / this checkout: {base / this:.2f}x (cold {cold_base / cold_this:.2f}x)")
    rate = n_articles / statistics.median(warm["this checkout"])
    goal = "met" if rate >= GOAL_ARTICLES_PER_SECOND else "NOT met"
    print(f"goal >= {GOAL_ARTICLES_PER_SECOND:,} articles/s warm (median): {goal} ({rate:,.0f})")


if __name__ == "__main__":
    main()
