"""Benchmark the CLEAN stage on the line-labelled DEV pages, beside its baselines, in one run.

1. **Scores** of everything-is-content, jusText 3.0.2 (one ``<p>`` per line, escaped, its Indonesian or
   English stoplist, default settings, as in BASELINES.md) and kliping, on the same block-per-line text,
   scored by the shared ``score_extraction.py`` itself: token P/R/F1 macro and micro, line F1.
2. **Per-kind confusion** on the two hand-labelled seeds (``fine_labels``).
3. **Speed**: pages per second of ``kliping.clean.clean_articles`` (what ``kliping clean`` runs), of
   ``clean_page`` page by page, and of jusText on the same 30 texts, and the ratios. The jobs run in
   alternation, several rounds, and each keeps its best wall-clock round, so that the other programs on a
   shared machine weigh on all alike. kliping remembers the measures of lines it has seen (a site's menus
   and footers repeat from page to page); that memo is emptied before every round, so only the repetition
   within one pass over the texts counts. ``--clickid`` times the same on the CLICK-ID sample too (one
   long line per article; slower: jusText takes a while), with ``clean_articles`` in two forked processes
   beside the serial run. ``--baseline-lib DIR`` times another checkout's ``clean_articles`` (its ``lib`` first on
   ``PYTHONPATH``, in a worker process that times its own rounds) in the same alternating rounds, beside this
   checkout's in a worker of the same make: before and after a change, under the same load; the two workers' best
   CPU seconds per round are printed too (CPU time moves less with the other programs' load than wall time).

Usage::

    .venv/bin/python benchmarks/bench_clean.py [--rounds 7] [--clickid] [--baseline-lib /tmp/base/lib]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from kliping import clean, config
from kliping.evaluation import extraction

DEV_FILE = config.DEV_LINES_FILE
CLICKID_FILE = config.CORPORA_DIR / "clickid_labelled_news" / "sample_stratified.jsonl"


#: The worker that cleans the texts (one JSON list on its first input line) with another checkout's kliping, one
#: round per further input line, emptying its memos first, and prints each round's wall-clock and CPU seconds.
BASELINE_WORKER = """
import json, sys, time
import pandas as pd
from kliping import clean
texts = json.loads(sys.stdin.readline())
frame = pd.DataFrame({"id": [str(i) for i in range(len(texts))], "status": "ok", "duplicate_of": None, "text": texts})
for line in sys.stdin:
    clean.clear_caches()
    start, cpu = time.perf_counter(), time.process_time()
    clean.clean_articles(frame, progress=False)
    print(time.perf_counter() - start, time.process_time() - cpu, flush=True)
"""


def baseline_job(lib, texts: list[str]):
    """A job that cleans ``texts`` once with the kliping of ``lib`` (a worker process) and returns its own time.

    A worker's heap is smaller than this process's (no jusText, no scores), which makes Python's collector
    cheaper: compare two workers with each other, not a worker with ``kliping clean`` here."""
    worker = subprocess.Popen(
        [sys.executable, "-c", BASELINE_WORKER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(lib)},
    )
    worker.stdin.write(json.dumps(texts) + "\n")

    def job() -> float:
        worker.stdin.write("\n")
        worker.stdin.flush()
        wall, cpu = map(float, worker.stdout.readline().split())
        job.cpu.append(cpu)
        return wall

    job.cpu = []  # the worker's CPU seconds of each round: other programs' share of the cores is not in them
    return job


def time_rounds(jobs: dict, rounds: int) -> dict:
    """Best wall-clock seconds of each job over ``rounds`` alternating rounds (a job that returns a float
    timed itself: that number counts).

    kliping's line memo is emptied before every job (untimed): no round profits from an earlier one.
    """
    best = {name: float("inf") for name in jobs}
    for _ in range(rounds):
        for name, job in jobs.items():
            clean.clear_caches()
            start = time.perf_counter()
            own = job()
            best[name] = min(best[name], own if isinstance(own, float) else time.perf_counter() - start)
    return best


def speed(label: str, texts: list[str], langs: list[str], rounds: int, parallel: bool = False, baseline=None) -> None:
    """Time kliping (``clean_articles`` and ``clean_page``) against jusText on the same texts; print the ratios.

    ``parallel`` times ``clean_articles`` in two forked processes too; ``baseline`` (a ``lib`` folder) another
    checkout's ``clean_articles``.
    """
    frame = pd.DataFrame(
        {"id": [str(i) for i in range(len(texts))], "status": "ok", "duplicate_of": None, "text": texts}
    )
    jobs = {
        "kliping clean": lambda: clean.clean_articles(frame, progress=False),
        "clean_page": lambda: [clean.clean_page(text) for text in texts],
        "jusText": lambda: [extraction.justext_page(text, lang) for text, lang in zip(texts, langs)],
    }
    if parallel:
        jobs["clean, 2 procs"] = lambda: clean.clean_articles(frame, progress=False, processes=2)
    if baseline is not None:  # both in worker processes of the same make: the same heap, the same collector work
        jobs["this lib, worker"] = baseline_job(Path(clean.__file__).parents[2], texts)
        jobs["baseline, worker"] = baseline_job(baseline, texts)
    for job in jobs.values():  # warm up: imports, compiled patterns, the model file
        job()
    seconds = time_rounds(jobs, rounds)
    print(
        f"\nSpeed on the same {len(texts):,} {label} texts (wall clock, best of {rounds} alternating rounds, "
        "one process;\nkliping's line memo emptied before every round: only repetition within one pass counts):"
    )
    for name, spent in seconds.items():
        print(f"  {name:<14} {len(texts) / spent:8.1f} pages/s  ({1000 * spent / len(texts):.2f} ms/page)")
    for name in ("kliping clean", "clean_page", "clean, 2 procs", "this lib, worker", "baseline, worker"):
        if name in seconds:
            print(f"  {name} is {seconds['jusText'] / seconds[name]:.1f}x as fast as jusText")
    if parallel:
        print(f"  clean_articles in 2 processes / in 1: {seconds['kliping clean'] / seconds['clean, 2 procs']:.2f}x")
    if baseline is not None:  # CPU time moves less with the load than wall time: the firmer before/after figure
        mine, theirs = (
            1000 * min(jobs[name].cpu[1:]) / len(texts) for name in ("this lib, worker", "baseline, worker")
        )
        print(
            f"  workers' best CPU (not the warm-up): this lib {mine:.2f} ms/page, "
            f"baseline {theirs:.2f} ms/page ({mine / theirs:.2f}x)"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="timing rounds (best one counts)")
    parser.add_argument("--clickid", action="store_true", help="time the CLICK-ID sample too")
    parser.add_argument("--baseline-lib", default=None, help="another checkout's lib, timed beside (before/after)")
    args = parser.parse_args(argv)
    if not DEV_FILE.exists():
        sys.exit(f"bench_clean: {DEV_FILE} is not here (../shared must sit beside the checkout)")
    pages = extraction.read_dev(DEV_FILE)
    pd.set_option("display.width", 200)

    print(
        f"DEV: {len(pages)} pages, {sum(len(p['labels']) for p in pages):,} lines "
        f"({DEV_FILE.relative_to(config.SHARED_DIR.parent)}), scored by score_extraction.py\n"
    )
    print(extraction.score_dev(DEV_FILE).to_string())
    print("\nSeeds, hand-labelled kind (rows) against kliping's kind (columns):")
    confusion = extraction.kind_confusion(pages)
    print(confusion.to_string())
    right = sum(confusion.at[k, k] for k in confusion.index if k in confusion.columns)
    print(f"{right} of {int(confusion.to_numpy().sum())} seed lines get their hand-labelled kind")

    speed(
        "DEV", [p["text"] for p in pages], [p.get("lang", "id") for p in pages], args.rounds, baseline=args.baseline_lib
    )
    if args.clickid:
        with open(CLICKID_FILE, encoding="utf-8") as handle:
            articles = [json.loads(line) for line in handle if line.strip()]
        texts = [a["content"] for a in articles if isinstance(a.get("content"), str) and a["content"].strip()]
        speed("CLICK-ID sample", texts, ["id"] * len(texts), max(1, args.rounds // 3), True, baseline=args.baseline_lib)
    return 0


if __name__ == "__main__":
    sys.exit(main())
