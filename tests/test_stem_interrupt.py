"""Ctrl-C during the stem stage's process pool stops ``kliping run`` in one line: exit status 130, no traceback from
a worker, no worker left.

It once did not: the pool's idle workers each got the terminal's SIGINT too, and each printed its
``KeyboardInterrupt`` traceback (41 lines after ``kliping run`` of the 22k CLICK-ID articles was interrupted at the end
of its stem stage, 2026-12-07)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import embedded_records, live_children, outliving, write_jsonl

from kliping import config
from kliping.base.child_processes import can_fork
from kliping.stem.counting import PARALLEL_MIN_CHARACTERS

pytestmark = pytest.mark.skipif(not can_fork(), reason="the stem pool's workers are forked on Linux")

#: ``kliping run`` on a corpus, saying on stdout when the stem pool's workers have tokenized it (they wait for the
#: words then) and when they stem, with a pause there (argv[3], seconds) for the test's Ctrl-C; a chunk of words
#: takes a tenth of a second more (argv[4]), so that the workers are at work when it comes.
RUN_COMMAND = """
import sys, time
from kliping import cli
from kliping.stem import corpus

tokenized, stem_chunk = corpus.stem_vocabulary, corpus._stem_chunk

def stem_vocabulary(words, **options):
    print("tokenized", flush=True)
    time.sleep(float(sys.argv[3]))
    return tokenized(words, **options)

def slow_chunk(words):
    time.sleep(float(sys.argv[4]))
    return stem_chunk(words)

corpus.stem_vocabulary, corpus._stem_chunk = stem_vocabulary, slow_chunk
sys.exit(cli.main(["run", sys.argv[1], "-o", sys.argv[2], "--k", "4"]))
"""


@pytest.mark.parametrize(
    "moment, pause, chunk_pause",
    [
        ("idle", 30.0, 0.0),  # the workers have tokenized the corpus and wait for the words: on main, 2 tracebacks
        ("stemming", 0.0, 0.1),  # the workers stem the words (the waiting chunks are cancelled, not stemmed)
    ],
)
def test_ctrl_c_in_the_stem_pool_stops_the_run_in_one_line(tmp_path, moment, pause, chunk_pause):
    records = embedded_records(0, 3235)  # 3,235 real articles, 5.4 million characters: tokenized in the pool
    assert sum(len(record["content"] or "") for record in records) > 2 * PARALLEL_MIN_CHARACTERS
    source = write_jsonl(tmp_path / "articles.jsonl", records)
    lib = str(Path(config.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": lib, "KLIPING_WORK_DIR": str(tmp_path / "work")}
    command = [sys.executable, "-c", RUN_COMMAND, str(source), str(tmp_path / "out"), str(pause), str(chunk_pause)]
    run = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a terminal sends Ctrl-C to its foreground process group: so do we
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as in a terminal's foreground job
    )
    try:
        said = run.stdout.readline()  # the workers have tokenized (read and clean done: seconds)
        assert said == "tokenized\n", said + run.communicate(timeout=60)[1]
        workers = live_children(run.pid)
        assert len(workers) >= 2, "no stem pool"
        time.sleep(0.5)  # in the pause, or at work on the first chunks of words
        assert run.poll() is None
        os.killpg(run.pid, signal.SIGINT)
        _, said = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert run.returncode == 130, said
    lines = said.strip().splitlines()
    assert lines[-1] == "kliping: interrupted" and said.count("kliping: interrupted") == 1, said
    assert "Traceback" not in said and "KeyboardInterrupt" not in said, said
    assert not outliving(workers), "a stem worker outlived the run"
    assert not (tmp_path / "out" / "assignments.csv").exists()
