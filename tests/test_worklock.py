"""Two runs in one work folder never overlap: the second waits for the first's lock, which dies with it."""

from __future__ import annotations

import signal
import subprocess
import sys

from kliping import worklock

HOLDER = """
import sys, time
from pathlib import Path
from kliping import worklock
with worklock.hold(sys.argv[1]):
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
