"""Ctrl-C at many moments of ``kliping run`` (or ``kliping clean``): each must end in one line and exit status 130.

A terminal's Ctrl-C sends SIGINT to its whole foreground process group: the command and every worker it forked.
Each round starts the command in a process group of its own, on a cold (empty) ``KLIPING_WORK_DIR``, sends SIGINT
to the group at one moment, and checks:

* the exit status is 130, within ``--timeout`` seconds (no hang);
* stderr says ``kliping: interrupted`` once, as its last line, and nothing a normal run does not say (its lines
  starting ``kliping:``, but an error, and its progress bars): no traceback from the command or any worker;
* no process of the run is left: neither a descendant seen at the signal nor any process whose environment names
  the round's work folder (a worker reparented to init), 10 s after the exit (psutil).

The moments: a first uninterrupted run times its stages (its ``kliping: STAGE done in`` lines); then each stage is
interrupted at ``--fractions`` of its length after its ``kliping: STAGE ...`` line, the start-up (imports) at 0.3
and 1 s, and what follows the last stage (the model and the output files of ``run``) at the same fractions.

Usage::

    .venv/bin/python benchmarks/interrupt_sweep.py                    # kliping run on the 22k CLICK-ID articles
    .venv/bin/python benchmarks/interrupt_sweep.py --command clean --fractions 0.1,0.5,0.9
    PYTHONPATH=/tmp/base/lib .venv/bin/python benchmarks/interrupt_sweep.py    # another lib (main's, to compare)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

CORPUS = Path("/work/shared/corpora/clickid_labelled_news/articles.jsonl")
#: What a normal run writes to stderr, line by line (progress bars split at their carriage returns).
NORMAL = re.compile(r"kliping: (?!error|interrupted).*|[\w ]+: +\d+%\|.*|\s*")
STAGE = re.compile(r"kliping: (\w+) (\.\.\.|done in ([\d.]+) s.*)")


def command_line(command: str, corpus: Path, out: Path, scheduler: str | None) -> list[str]:
    line = [sys.executable, "-m", "kliping.cli", command, str(corpus), "-o", str(out)]
    line += ["--label-field", "category_coarse"] if command == "run" else []
    return line + (["--scheduler", scheduler] if scheduler else [])


class Round:
    """One run of the command in its own process group, its stderr read line by line as it comes (with the time
    each line came)."""

    def __init__(self, command: list[str], work: Path):
        self.work = work
        self.lines: list[tuple[float, str]] = []
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            command,
            env={**os.environ, "KLIPING_WORK_DIR": str(work)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # a terminal's foreground process group, as Ctrl-C reaches it
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # not a shell's background job's
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            for piece in line.rstrip("\n").split("\r"):
                self.lines.append((time.monotonic() - self.started, piece))

    def wait_for(self, prefix: str, timeout: float) -> float | None:
        """Seconds from the start to the first stderr line starting with ``prefix`` (None: the run ended first)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for when, line in list(self.lines):
                if line.startswith(prefix):
                    return when
            if self.process.poll() is not None and not self.reader.is_alive():
                return None
            time.sleep(0.01)
        return None

    def family(self) -> set[int]:
        try:
            return {child.pid for child in psutil.Process(self.process.pid).children(recursive=True)}
        except psutil.NoSuchProcess:
            return set()

    def left_behind(self, seen: set[int]) -> list[int]:
        """Live processes of this round other than the command itself: seen at the signal, or naming its work
        folder in their environment."""
        marker = f"KLIPING_WORK_DIR={self.work}"
        left = []
        for process in psutil.process_iter(["pid", "status"]):
            if process.pid == self.process.pid or process.info["status"] == psutil.STATUS_ZOMBIE:
                continue
            if process.pid in seen:
                left.append(process.pid)
                continue
            try:
                environ = process.environ()
            except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
                continue
            if f"KLIPING_WORK_DIR={environ.get('KLIPING_WORK_DIR')}" == marker:
                left.append(process.pid)
        return left


def timed_run(command: list[str], folder: Path, timeout: float) -> tuple[float, dict[str, tuple[float, float]]]:
    """One uninterrupted cold run: its length, and each stage's (start, length) in seconds from the start (``kliping
    clean`` names no stage: its one, from its progress bar's first line to the end)."""
    work = Path(tempfile.mkdtemp(prefix="work-", dir=folder))
    run = Round(command, work)
    status = run.process.wait(timeout=timeout)
    run.reader.join()
    length = time.monotonic() - run.started
    if status != 0:
        sys.exit("the uninterrupted run failed:\n" + "\n".join(line for _, line in run.lines[-20:]))
    stages, starts = {}, {}
    for when, line in run.lines:
        match = STAGE.fullmatch(line)
        if match and match[3] is None:
            starts[match[1]] = when
        elif match:
            stages[match[1]] = (starts[match[1]], float(match[3]))
    bars = [when for when, line in run.lines if line.startswith("clean:")]
    if not stages and bars:
        stages["clean:"] = (bars[0], length - bars[0])
    return length, stages


def moments(length: float, stages: dict, fractions: list[float]) -> list[tuple[str, str, float]]:
    """(name, the stderr line it follows or "" for the start, delay after it) of every moment to interrupt at."""
    points = [("start-up", "", 0.3), ("start-up", "", 1.0)]
    for stage, (_, seconds) in stages.items():
        after = stage if stage.endswith(":") else f"kliping: {stage} ..."
        points += [(stage, after, fraction * seconds) for fraction in fractions]
    last = max(stages, key=lambda stage: sum(stages[stage]))
    tail = length - sum(stages[last])
    if not last.endswith(":"):
        points += [("after " + last, f"kliping: {last} done", fraction * tail) for fraction in fractions]
    return points


def interrupt(command: list[str], folder: Path, after: str, delay: float, timeout: float) -> dict:
    """One round: SIGINT to the process group ``delay`` seconds after the stderr line ``after``; what came of it."""
    work = Path(tempfile.mkdtemp(prefix="work-", dir=folder))
    run = Round(command, work)
    anchor = run.wait_for(after, timeout) if after else 0.0
    if anchor is None:
        run.process.wait()
        return {"problem": f"ended before {after!r}", "at": 0.0}
    time.sleep(max(0.0, anchor + delay - (time.monotonic() - run.started)))
    seen = run.family()
    at = time.monotonic() - run.started
    finished = run.process.poll() is not None
    os.killpg(run.process.pid, signal.SIGINT)
    try:
        status = run.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        status = "hung"
    seen |= run.family()
    if status == "hung":
        os.killpg(run.process.pid, signal.SIGKILL)
        run.process.wait()
    run.reader.join(timeout=10)
    deadline = time.monotonic() + 10
    while (left := run.left_behind(seen)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in left:  # leave nothing behind, but count it
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    shutil.rmtree(work, ignore_errors=True)
    said = [line for _, line in run.lines]
    strange = [line for line in said if not NORMAL.fullmatch(line) and line != "kliping: interrupted"]
    problems = []
    if finished:
        problems.append("had finished")
    if status != 130:
        problems.append(f"exit {status}")
    if said.count("kliping: interrupted") != 1 or said[-1:] != ["kliping: interrupted"]:
        problems.append(f"not one 'kliping: interrupted' last (the last lines {said[-3:]})")
    if strange:
        problems.append(f"{len(strange)} strange lines, first {strange[0]!r}")
    if left:
        problems.append(f"{len(left)} processes left")
    return {"problem": "; ".join(problems), "at": at, "strange": strange, "stage_lines": said}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--command", choices=["run", "clean"], default="run")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--fractions", default="0.05,0.35,0.7,0.95", help="of each stage's length")
    parser.add_argument("--scheduler", help="kliping run --scheduler (local: a Dask LocalCluster)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds at each moment")
    parser.add_argument("--timeout", type=float, default=120, help="seconds an interrupted run may take to end")
    args = parser.parse_args()
    fractions = [float(value) for value in args.fractions.split(",")]
    failures = rounds = 0
    with tempfile.TemporaryDirectory(prefix="kliping-sigint-") as folder:
        folder = Path(folder)
        command = command_line(args.command, args.corpus, folder / "out", args.scheduler)
        length, stages = timed_run(command, folder, 10 * args.timeout)
        described = ", ".join(f"{stage} {seconds:.1f}" for stage, (_, seconds) in stages.items())
        print(
            f"kliping {args.command}, cold, uninterrupted: {length:.1f} s ({described}); load {os.getloadavg()[0]:.1f}"
        )
        for name, after, delay in moments(length, stages, fractions):
            for _ in range(args.repeat):
                rounds += 1
                seen = interrupt(command, folder, after, delay, args.timeout)
                failures += bool(seen["problem"])
                print(f"  {name:>17} +{delay:5.2f} s (at {seen['at']:5.1f} s): {seen['problem'] or 'ok'}", flush=True)
                for line in seen.get("strange", [])[:12]:
                    print(f"      | {line}")
    print(f"{failures} of {rounds} rounds failed; load {os.getloadavg()[0]:.1f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
