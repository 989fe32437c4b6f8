"""Ctrl-C during ``kliping report`` stops it: exit status 130, one line, no traceback, no kernel left running.

It once did not: nbclient's own SIGINT handler shut the kernel down under the running cell, and the report
either ran on to the end or died in an ``AssertionError`` from nbclient's cleanup.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kliping import config


def kernels_of(work_dir: Path, report: int) -> list[int]:
    """Live processes other than ``report`` whose environment names ``work_dir``: the report's notebook kernels
    (and their workers)."""
    marker = f"KLIPING_WORK_DIR={work_dir}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in (os.getpid(), report):
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                if (entry / "stat").read_text().split()[2] != "Z":
                    found.append(int(entry.name))
        except OSError:  # ended meanwhile, or not ours to read
            continue
    return found


@pytest.mark.parametrize(
    "when",
    [
        "running",  # the notebook's kernel has run its first cells
        # Right after the report names the notebook: the kernel is being started (a race here left the worker
        # starting a kernel as the process exited, and nbclient's exit hook printed a traceback; CI, 2026-12-07).
        "starting",
    ],
)
def test_ctrl_c_during_a_notebook_stops_the_report_in_one_line(tmp_path, when):
    work, out, html = tmp_path / "work", tmp_path / "out", tmp_path / "html"
    env = {**os.environ, "KLIPING_WORK_DIR": str(work), "PYTHONPATH": str(Path(config.__file__).resolve().parents[1])}
    for name in [k for k in env if k.startswith("KLIPING_") and k != "KLIPING_WORK_DIR"]:
        del env[name]
    report = subprocess.Popen(
        [sys.executable, "-m", "kliping.cli", "report", str(config.SEED_PAGE), "-o", str(out), "--html", str(html)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a terminal sends Ctrl-C to its foreground process group: so do we
        # A shell's background job inherits SIGINT ignored; a terminal's foreground job does not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    said = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = report.stderr.readline()
            said.append(line)
            if not line or line.startswith("[2/"):
                break
        assert said[-1].startswith("[2/"), "".join(said)
        if when == "running":
            # The second notebook's kernel is up and running cells (its first cell imports kliping: a second or
            # two).
            deadline = time.monotonic() + 60
            while not kernels_of(work, report.pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert kernels_of(work, report.pid), "no notebook kernel started within a minute"
            time.sleep(1.5)
        os.killpg(report.pid, signal.SIGINT)
        # Bounded: the report once hung after Ctrl-C (nbclient's exit hook in ZMQ's Context.term).
        _, rest = report.communicate(timeout=180)
        status = report.returncode
    finally:
        if report.poll() is None:
            os.killpg(report.pid, signal.SIGKILL)
    assert status == 130, "".join(said) + rest
    assert rest.strip() == "kliping: interrupted", rest
    deadline = time.monotonic() + 10
    while kernels_of(work, report.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert kernels_of(work, report.pid) == [], "a notebook kernel outlived the interrupted report"
    assert not (html / "index.html").exists(), "an interrupted report must not write its index"
