"""Benchmark the CLEAN stage on the line-labelled DEV pages, beside its baselines, in one run.

1. **Scores** of everything-is-content, jusText 3.0.2 (one ``<p>`` per line, escaped, its Indonesian or
   English stoplist, default settings, as in BASELINES.md) and kliping, on the same block-per-line text,
   scored by the shared ``score_extraction.py`` itself: token P/R/F1 macro and micro, line F1.
2. **Per-kind confusion** on the two hand-labelled seeds (``fine_labels``).
3. **Speed**: pages per second of ``kliping.clean.clean_articles`` (what ``kliping clean`` runs) and of
   jusText on the same 30 texts, and their ratio. The two run in alternation, several rounds, and each
   keeps its best round, so that the other programs on a shared machine weigh on both alike.

Usage::

    .venv/bin/python benchmarks/bench_clean.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import sys
import time

import pandas as pd

from kliping import clean, config

DEV_FILE = config.CORPORA_DIR / "id_news_extraction_gt" / "dev_lines.jsonl"


def time_rounds(jobs: dict, rounds: int) -> dict:
    """Best wall-clock seconds of each job over ``rounds`` alternating rounds."""
    best = {name: float("inf") for name in jobs}
    for _ in range(rounds):
        for name, job in jobs.items():
            start = time.perf_counter()
            job()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds (best one counts)")
    args = parser.parse_args(argv)
    if not DEV_FILE.exists():
        sys.exit(f"bench_clean: {DEV_FILE} is not here (../shared must sit beside the checkout)")
    pages = clean.read_dev(DEV_FILE)
    pd.set_option("display.width", 200)

    print(f"DEV: {len(pages)} pages, {sum(len(p['labels']) for p in pages):,} lines "
          f"({DEV_FILE.relative_to(config.SHARED_DIR.parent)}), scored by score_extraction.py\n")
    print(clean.score_dev(DEV_FILE).to_string())
    print("\nSeeds, hand-labelled kind (rows) against kliping's kind (columns):")
    confusion = clean.kind_confusion(pages)
    print(confusion.to_string())
    right = sum(confusion.at[k, k] for k in confusion.index if k in confusion.columns)
    print(f"{right} of {int(confusion.to_numpy().sum())} seed lines get their hand-labelled kind")

    frame = pd.DataFrame({"id": [p["id"] for p in pages], "status": "ok", "duplicate_of": None,
                          "text": [p["text"] for p in pages]})
    jobs = {
        "kliping clean": lambda: clean.clean_articles(frame, progress=False),
        "jusText": lambda: [clean.justext_page(p["text"], p.get("lang", "id")) for p in pages],
    }
    for job in jobs.values():  # warm up: imports, compiled patterns, the model file
        job()
    seconds = time_rounds(jobs, args.rounds)
    print(f"\nSpeed on the same {len(pages)} texts (best of {args.rounds} alternating rounds, one process):")
    for name, spent in seconds.items():
        print(f"  {name:<14} {len(pages) / spent:8.1f} pages/s  ({1000 * spent / len(pages):.2f} ms/page)")
    print(f"  kliping clean is {seconds['jusText'] / seconds['kliping clean']:.1f}x as fast as jusText")
    return 0


if __name__ == "__main__":
    sys.exit(main())
