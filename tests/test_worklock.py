"""Two runs in one work folder never overlap: the second waits for the first's lock, which dies with it."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from kliping.base import locks as worklock

HOLDER = """
import sys, time
from pathlib import Path
from kliping.base import locks as worklock
with worklock.hold(sys.argv[1], name=sys.argv[3] if len(sys.argv) > 3 else worklock.LOCK_NAME):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    Path(sys.argv[1], "first-done").write_text("x")
"""


def test_a_second_run_waits_for_the_first(tmp_path, capfd):
    first = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path), "2"], stdout=subprocess.PIPE, text=True)
    try:
        assert first.stdout.readline().strip() == "held"
        with worklock.hold(tmp_path):
            assert (tmp_path / "first-done").exists()  # the first run had finished its work
        assert f"waiting for kliping run (pid {first.pid})" in capfd.readouterr().err
    finally:
        first.kill()
        first.wait(timeout=30)


def test_the_lock_dies_with_a_killed_run(tmp_path):
    first = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path), "600"], stdout=subprocess.PIPE, text=True)
    try:
        assert first.stdout.readline().strip() == "held"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        with worklock.hold(tmp_path, wait=False):  # would raise BlockingIOError if still held
            pass
    finally:
        first.kill()
        first.wait(timeout=30)


def test_kliping_run_waits_for_another_run_writing_into_the_same_folder(tmp_path):
    """Two runs with one -o take turns: the folder ends with one run's whole set of files, one run id."""
    import json
    import os
    from pathlib import Path

    import pandas as pd

    from kliping import config

    out = tmp_path / "out"
    first = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(out), "600", worklock.OUTPUTS_LOCK_NAME], stdout=subprocess.PIPE, text=True
    )
    second = None
    try:
        assert first.stdout.readline().strip() == "held"
        env = {**os.environ, "KLIPING_WORK_DIR": str(tmp_path / "work")}
        env["PYTHONPATH"] = str(Path(worklock.__file__).resolve().parents[1])
        second = subprocess.Popen(
            [sys.executable, "-m", "kliping.cli", "run", str(config.SEED_PAGE), "-o", str(out), "--k", "1"],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        said = []
        while not said or said[-1] and "waiting for" not in said[-1]:
            said.append(second.stderr.readline())
        assert f"waiting for kliping run (pid {first.pid})" in said[-1], "".join(said)
        assert not (out / "metrics.json").exists()  # nothing written while the first run holds the folder
        first.kill()  # the first run ends: its lock goes with it
        rest = second.stderr.read()
        assert second.wait(timeout=300) == 0, "".join(said) + rest
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=30)
    run_id = json.loads((out / "metrics.json").read_text(encoding="utf-8"))["run_id"]
    assert set(pd.read_parquet(out / "articles.parquet")["run_id"]) == {run_id}


def test_a_finished_run_leaves_no_lock_file_and_the_next_two_still_take_turns(tmp_path):
    """The holder deletes the lock file when done; a run that waited on the deleted file locks the new one, so a
    third run started then still finds the folder held."""
    import threading

    held, release = threading.Event(), threading.Event()
    with worklock.hold(tmp_path, name=worklock.OUTPUTS_LOCK_NAME) as path:
        assert path.exists()

        def second_run():
            with worklock.hold(tmp_path, name=worklock.OUTPUTS_LOCK_NAME):
                held.set()
                release.wait(30)

        waiter = threading.Thread(target=second_run)
        waiter.start()
        assert not held.wait(0.5)  # the second run waits for the first
    assert held.wait(30)  # the first ended: the second holds the folder now
    try:
        with pytest.raises(BlockingIOError):
            with worklock.hold(tmp_path, wait=False, name=worklock.OUTPUTS_LOCK_NAME):
                pass
    finally:
        release.set()
        waiter.join(30)
    assert not (tmp_path / worklock.OUTPUTS_LOCK_NAME).exists()
