"""Stem pool workers exit when their parent is killed with SIGKILL (they once stayed, blocked, for good)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import require_shared

PARENT = """
import json, sys
from kliping.stem.corpus import stem_vocabulary
from kliping.stem.tokens import tokenize_texts
with open(sys.argv[1], encoding="utf-8") as handle:
    texts = [json.loads(line).get("content") or "" for line in handle]
words = [word for tokens in tokenize_texts(texts) for word in tokens]
words = list(dict.fromkeys(w.lower() for w in words))
words = words + [w + "nya" for w in words] + [w + "kan" for w in words] + ["meng" + w for w in words]
print("stemming", len(words), flush=True)
stem_vocabulary(words, n_jobs=2, use_cache=False, progress=False)
print("done", flush=True)
"""


def children(pid: int) -> set[int]:
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_workers_exit_when_the_parent_is_killed():
    sample = require_shared("corpora/clickid_labelled_news/sample_stratified.jsonl")
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(sample)], stdout=subprocess.PIPE, text=True)
    workers: set[int] = set()
    try:
        assert parent.stdout.readline().startswith("stemming")
        deadline = time.monotonic() + 60
        while len(workers := children(parent.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(workers) >= 2, "the pool did not start two workers"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in workers), f"workers {workers} outlived their parent"
    finally:
        parent.kill()
        for pid in workers | children(parent.pid):  # never leave a stray worker, even when the test fails
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
