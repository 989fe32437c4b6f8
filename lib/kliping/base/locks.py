"""One run at a time per work folder: ``kliping report`` holds an exclusive lock on the folder while it works.

Two ``make report`` runs in one checkout shared ``data/interim``: both exited 0, and report A said "3,235
items read" on its first page while pages 2-5 showed B's 128 articles. Now the second run waits for the
first (saying so) and then works alone; runs in separate work folders (``KLIPING_WORK_DIR``) never wait.
The lock is ``fcntl.flock`` on ``.kliping.lock`` in the folder, released by the kernel when the process
ends, however it ends (no stale lock after ``kill -9``). The holder deletes the file before it lets go, so a
finished run leaves no lock file behind; a waiter that then gets the lock of the deleted file sees that the name
no longer leads to it and locks the new file instead, so two runs never both hold the folder.
:func:`kliping.outputs.write_outputs` takes another lock, ``.kliping-outputs.lock``, on the output folder while
it writes a run's files, so two runs with one ``-o`` leave one run's whole set (another name, so that an output
folder that is also the work folder cannot deadlock).

Examples
--------
>>> import tempfile
>>> with hold(tempfile.mkdtemp()) as lock_file:
...     lock_file.name, lock_file.exists()
('.kliping.lock', True)
>>> lock_file.exists()  # gone after the run
False
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

LOCK_NAME = ".kliping.lock"
OUTPUTS_LOCK_NAME = ".kliping-outputs.lock"


@contextlib.contextmanager
def hold(folder, wait: bool = True, name: str = LOCK_NAME):
    """Hold the work folder's lock for the ``with`` block; wait (saying so on stderr) while another run holds it.

    On a platform without ``fcntl`` (Windows) runs are not serialised; use separate ``KLIPING_WORK_DIR``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield path
        return
    while True:
        handle = open(path, "a+", encoding="utf-8")
        try:
            _lock(handle, folder, wait)
        except BaseException:
            handle.close()
            raise
        if _names(handle, path):
            break
        handle.close()  # the holder before deleted the file we waited on: lock the one the name leads to now
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"kliping run (pid {os.getpid()})\n")
        handle.flush()
        yield path
    finally:
        # Deleted while still held: a run that opens the name from now on makes a new file (see _names).
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _lock(handle, folder: Path, wait: bool) -> None:
    """Take the lock of an open lock file; when another run holds it, wait (saying who) or raise."""
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another run"
        if not wait:
            raise
        print(f"kliping: waiting for {holder} to finish with {folder} ...", file=sys.stderr, flush=True)
        fcntl.flock(handle, fcntl.LOCK_EX)


def _names(handle, path: Path) -> bool:
    """Whether ``path`` still names the open file (its holder deletes it when done)."""
    try:
        return os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
    except FileNotFoundError:
        return False
