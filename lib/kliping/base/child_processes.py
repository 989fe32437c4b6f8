"""Worker processes that exit when their parent dies.

``kill -9`` of ``kliping run`` while the stem pool worked left its workers blocked on a pipe, about 0.8 GB
each, for good: nothing tells a worker that the process it serves is gone. :func:`die_with_parent`, run as a
pool's initializer, asks Linux to send the worker SIGTERM when its parent dies (``prctl(PR_SET_PDEATHSIG)``);
elsewhere a daemon thread polls the parent's pid once a second.

Examples
--------
>>> import os
>>> from concurrent.futures import ProcessPoolExecutor
>>> with ProcessPoolExecutor(1, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
...     pool.submit(os.getppid).result() == os.getpid()
True
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Make this process exit when ``parent_pid`` (its parent) dies; call it first thing in the child."""
    armed = False
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch, args=(parent_pid,), daemon=True, name="kliping-parent-watch").start()


def quiet_worker(parent_pid: int) -> None:
    """A pool worker's initializer: :func:`die_with_parent`, and Ctrl-C left to the parent. The terminal sends
    SIGINT to the whole process group; the parent's ``KeyboardInterrupt`` ends the pool (SIGTERM to its workers),
    where each worker's own would print its traceback. Fork the workers under :func:`interrupt_held`: until this
    runs, a worker has the parent's handler."""
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def interrupt_held():
    """Hold Ctrl-C back while the ``with`` block forks processes, and raise it after (through the handler of
    SIGINT there was); yields that handler (for a child to put back).

    A SIGINT that comes while ``os.fork`` runs is handled at the next Python line, which is an at-fork hook
    (``logging``'s, in the parent and in the child), and an error there is printed and dropped: the parent went
    on as if no Ctrl-C had come (``kliping run`` of the 22k CLICK-ID articles interrupted 0.5 s into the stem stage
    ran to the end and exited 0, 2026-12-07), and a child printed a traceback. The handler here only notes the
    signal; a child forked meanwhile inherits it, harmless until the child sets its own (:func:`quiet_worker`).
    In a thread other than the main one (no signal handler can be set there) nothing is held.

    Examples
    --------
    >>> seen = []
    >>> usual = signal.signal(signal.SIGINT, lambda signum, frame: seen.append("Ctrl-C"))
    >>> with interrupt_held():
    ...     signal.raise_signal(signal.SIGINT)
    ...     print(seen)  # only noted here
    []
    >>> seen, signal.signal(signal.SIGINT, usual) is not usual  # handled after the block, by the usual handler
    (['Ctrl-C'], True)
    """
    previous = signal.getsignal(signal.SIGINT)
    if previous is None or threading.current_thread() is not threading.main_thread():
        yield previous
        return
    seen: list = []
    signal.signal(signal.SIGINT, lambda signum, frame: seen.append(signum))
    try:
        yield previous
    finally:
        signal.signal(signal.SIGINT, previous)
        if seen:
            signal.raise_signal(signal.SIGINT)  # handled as it would have been: KeyboardInterrupt, as a rule


def can_fork() -> bool:
    """Whether a child process can be forked here: on Linux (macOS lists fork too, but system libraries there may
    crash in a forked child of a process with threads, why Python made spawn its default there; Windows has none).
    """
    import multiprocessing

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(1.0)
    os._exit(1)


class Forked:
    """``function(*args)`` run in a forked child process while the caller goes on; :meth:`join` waits for it and
    returns what the call returned (pickled back), or raises what the call raised (the same type and message: a full
    disk is an ``OSError`` as in the caller). Where the system is not Linux (no fork on Windows, an unsafe one on
    macOS), the call runs at once, in this process, and :meth:`join` returns its value or raises its error.

    The child sees the caller's memory as it was at the fork, so nothing is copied or pickled to start it: a run's
    tables go to the child for free, and only the value or an error comes back. Used for work that only writes a
    file, such as the run's workbook (:func:`kliping.outputs.write_set`), and for a corpus's site statistics
    counted while the caller loads a model (:mod:`kliping.clean.corpus`).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "berita.txt"
    >>> Forked(path.write_text, "banjir di Bekasi").join(), path.read_text()
    (16, 'banjir di Bekasi')
    >>> Forked(int, "bukan angka").join()
    Traceback (most recent call last):
    ValueError: invalid literal for int() with base 10: 'bukan angka'
    """

    def __init__(self, function, *args):
        import multiprocessing

        self._process = self._error = self._value = None
        if can_fork():
            context = multiprocessing.get_context("fork")
            self._reader, writer = context.Pipe(duplex=False)
            with interrupt_held() as handler:  # the child puts the handler back (Ctrl-C stops it, as the caller)
                call = (function, args, writer, os.getpid(), handler)
                self._process = context.Process(target=_run_and_report, args=call)
                self._process.start()
            writer.close()
            return
        try:
            self._value = function(*args)
        except Exception as error:  # raised by join, as the child's would be
            self._error = error

    def join(self):
        """Wait for the call to end; return its value, or raise its error (:class:`ChildFailed` when the child died
        without one)."""
        if self._process is not None:
            try:
                error, value = self._reader.recv()  # (None, the value) when the call returned
            except EOFError:  # the child died before it could say (killed)
                error = value = None
            self._process.join()
            self._reader.close()
            if error is None and self._process.exitcode != 0:
                error = ChildFailed(f"the child process ended with exit code {self._process.exitcode}")
            self._process, self._error, self._value = None, error, value
        if self._error is not None:
            raise self._error
        return self._value


class ChildFailed(RuntimeError):
    """A :class:`Forked` call's child that died without saying why, or whose error could not be sent back."""


def _run_and_report(function, args, writer, parent_pid: int, handler) -> None:
    import pickle

    die_with_parent(parent_pid)
    try:
        if handler is not None:
            signal.signal(signal.SIGINT, handler)
        value = function(*args)
    except BaseException as error:  # everything, so the parent never waits for a message that does not come
        try:
            writer.send((error, None))
        except (pickle.PicklingError, TypeError, AttributeError):
            writer.send((ChildFailed(f"{type(error).__name__}: {error}"), None))
        writer.close()
        raise SystemExit(1) from None
    try:
        writer.send((None, value))
    except (pickle.PicklingError, TypeError, AttributeError) as error:
        writer.send((ChildFailed(f"the value could not be sent back: {type(error).__name__}: {error}"), None))
    writer.close()
