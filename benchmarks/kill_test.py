"""Kill ``kliping run`` with SIGKILL at random moments and check its output folder is never a mixed or cut set.

Each round starts ``kliping run CORPUS -o OUT`` (the same OUT every round, so a killed write would meet the
previous round's files), kills it with SIGKILL after a random delay between 0 and 1.1x one run's length (a
third of the rounds in the last fifth, where the outputs are written), then reads OUT:

* complete: ``metrics.json`` parses, ``articles.parquet``'s ``run_id`` is one value equal to metrics',
  ``assignments.csv`` has one row per article with the same ids and topics, ``topics.csv`` one row per topic;
* mixed or truncated: any of that fails (an empty OUT before the first finished run is fine);
* stray: a ``*.tmp`` file anywhere under OUT or the work folder, or a process of the killed run still alive.

Usage::

    .venv/bin/python benchmarks/kill_test.py                        # 20 rounds, 400 CLICK-ID articles
    .venv/bin/python benchmarks/kill_test.py --rounds 5 --articles 3235
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from kliping import config

SAMPLE = config.CORPORA_DIR / "clickid_labelled_news" / "sample_stratified.jsonl"


def descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        try:
            kids = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for kid in map(int, kids):
            found.add(kid)
            todo.append(kid)
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def check_set(out: Path) -> str:
    """'empty', 'complete' or what is wrong with the output set."""
    names = ["assignments.csv", "topics.csv", "metrics.json", "articles.parquet"]
    present = [name for name in names if (out / name).exists()]
    if not present:
        return "empty"
    if len(present) < len(names):
        return f"mixed: only {present}"
    try:
        metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
        articles = pd.read_parquet(out / "articles.parquet")
        assignments = pd.read_csv(out / "assignments.csv", dtype={"id": str})
        topics = pd.read_csv(out / "topics.csv")
    except Exception as error:  # noqa: BLE001 - any unreadable file is a truncated set
        return f"truncated: {type(error).__name__}: {error}"
    if set(articles["run_id"]) != {metrics["run_id"]}:
        return "mixed: run ids differ"
    if assignments["id"].tolist() != articles["id"].astype(str).tolist():
        return "mixed or truncated: assignments.csv ids differ from articles.parquet"
    if assignments["topic"].fillna(-1).astype(int).tolist() != articles["topic"].fillna(-1).astype(int).tolist():
        return "mixed: topics differ between assignments.csv and articles.parquet"
    if len(topics) != metrics["k"]:
        return f"mixed or truncated: topics.csv has {len(topics)} rows, metrics say k={metrics['k']}"
    return "complete"


def start(corpus: Path, out: Path, env: dict) -> subprocess.Popen:
    command = [sys.executable, "-m", "kliping.cli", "run", str(corpus), "-o", str(out), "--label-field",
               "category_coarse"]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--articles", type=int, default=400, help="first N articles of the CLICK-ID sample")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    generator = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="kliping-kill-") as folder:
        folder = Path(folder)
        corpus, out, work = folder / "corpus.jsonl", folder / "out", folder / "work"
        with open(SAMPLE, encoding="utf-8") as source, open(corpus, "w", encoding="utf-8") as target:
            for _, line in zip(range(args.articles), source):
                target.write(line)
        env = {**os.environ, "KLIPING_WORK_DIR": str(work)}
        if start(corpus, out, env).wait() != 0:  # the first run fills the stem cache; time the second
            print("the uninterrupted run failed")
            return 1
        started = time.perf_counter()
        start(corpus, out, env).wait()
        length = time.perf_counter() - started
        print(f"one run of {args.articles} articles: {length:.1f} s; {args.rounds} rounds of kill -9")
        counts = {"complete": 0, "empty": 0, "bad": 0}
        strays_tmp = strays_proc = 0
        for number in range(1, args.rounds + 1):
            late = number % 3 == 0
            delay = generator.uniform(0.8 * length, 1.1 * length) if late else generator.uniform(0, 1.1 * length)
            process = start(corpus, out, env)
            time.sleep(delay)
            family = descendants(process.pid)
            finished = process.poll() is not None
            process.send_signal(signal.SIGKILL)
            process.wait()
            deadline = time.monotonic() + 10
            while any(alive(pid) for pid in family) and time.monotonic() < deadline:
                time.sleep(0.1)
            left = [pid for pid in family if alive(pid)]
            for pid in left:
                os.kill(pid, signal.SIGKILL)  # leave nothing behind, but count it
            tmp = [str(p) for p in folder.rglob("*.tmp")]
            state = check_set(out)
            counts[state if state in counts else "bad"] += 1
            strays_tmp += bool(tmp)
            strays_proc += bool(left)
            note = " (had finished)" if finished else ""
            print(f"  round {number:2}: killed after {delay:5.1f} s{note}: {state}; .tmp {len(tmp)}; "
                  f"processes left {len(left)}", flush=True)  # fmt: skip
        print(
            f"mixed or truncated sets: {counts['bad']} of {args.rounds} (complete {counts['complete']}, "
            f"empty {counts['empty']}); rounds leaving a .tmp: {strays_tmp}; rounds leaving a process: {strays_proc}"
        )
        return 1 if counts["bad"] or strays_tmp or strays_proc else 0


if __name__ == "__main__":
    sys.exit(main())
