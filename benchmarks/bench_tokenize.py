"""Tokenizing time of one long line, and the read stage's peak memory as a multiple of its input.

1. ``stem.tokens.tokenize`` on single-line texts of 1, 4, 16 and 64 MB made of real CLICK-ID article bodies
   joined by spaces (site names, URLs and e-mail addresses included, as scraped pages hold them), with the
   ratio of each time to the previous one: linear cost gives about 4 per 4x size, quadratic about 16.
   ``--clean`` also times cleaning (``pipeline.clean``) of a one-line page of each size.
2. ``io.read_corpus`` of the 22k-article CLICK-ID corpus in a fresh process: peak resident memory above the
   interpreter's and kliping's own (measured after importing) divided by the file size.

Usage::

    .venv/bin/python benchmarks/bench_tokenize.py                  # 1, 4, 16, 64 MB and the read memory
    .venv/bin/python benchmarks/bench_tokenize.py --sizes 1 4 16   # other sizes (MB)

Timings on a shared, noisy machine vary by some 10-20 %; no assertion is made.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from kliping import config
from kliping.stem.tokens import tokenize

CLICKID = config.CORPORA_DIR / "clickid_labelled_news"

# VmHWM (peak resident set) is per process image; ru_maxrss would carry over the parent's peak across exec.
_READ_MEMORY = """
import os, sys, warnings
from kliping import io
def peak():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
warnings.simplefilter("ignore")
before = peak()
frame = io.read_corpus(sys.argv[1])
print(len(frame), before, peak(), os.path.getsize(sys.argv[1]))
"""


def one_line(megabytes: float) -> str:
    """Real article bodies joined by spaces into one line of about ``megabytes`` MB."""
    bodies = []
    with open(CLICKID / "sample_stratified.jsonl", encoding="utf-8") as handle:
        for line in handle:
            bodies.append(" ".join((json.loads(line).get("content") or "").split()))
    unit = " ".join(bodies)
    size = int(megabytes * 2**20)
    return (unit * (size // len(unit) + 1))[:size]


def time_tokenize(sizes) -> None:
    print("tokenize, one line of real text:")
    previous = previous_mb = None
    for megabytes in sizes:
        text = one_line(megabytes)
        started = time.perf_counter()
        tokens = tokenize(text)
        seconds = time.perf_counter() - started
        ratio = f"  x{seconds / previous:.1f} for x{megabytes / previous_mb:g} size" if previous else ""
        print(f"  {megabytes:>5g} MB  {seconds:7.2f} s  {len(tokens):>11,} tokens{ratio}", flush=True)
        previous, previous_mb = seconds, megabytes


def time_clean(sizes) -> None:
    import pandas as pd

    from kliping import pipeline

    print("clean, a page of one line of real text:")
    for megabytes in sizes:
        articles = pd.DataFrame(
            {"id": ["a"], "source": ["-"], "status": ["ok"], "duplicate_of": [None], "title": [None],
             "text": [one_line(megabytes)]}
        )  # fmt: skip
        started = time.perf_counter()
        pipeline.clean(articles, progress=False)
        print(f"  {megabytes:>5g} MB  {time.perf_counter() - started:7.2f} s", flush=True)


def read_memory() -> None:
    path = CLICKID / "articles.jsonl"
    out = subprocess.run([sys.executable, "-c", _READ_MEMORY, str(path)], capture_output=True, text=True, check=True)
    rows, before, after, size = map(int, out.stdout.split())
    print(
        f"read {path.name}: {rows:,} rows, {size / 2**20:.0f} MB; peak memory {after / 2**20:,.0f} MB "
        f"({before / 2**20:,.0f} MB before reading): {(after - before) / size:.1f}x the input"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 4, 16, 64], help="line sizes in MB")
    parser.add_argument("--clean", action="store_true", help="also time cleaning a one-line page of each size")
    parser.add_argument("--no-memory", action="store_true", help="skip the read stage's memory")
    args = parser.parse_args()
    if not args.no_memory:
        read_memory()
    time_tokenize(args.sizes)
    if args.clean:
        time_clean(args.sizes)


if __name__ == "__main__":
    main()
