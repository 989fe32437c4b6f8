"""Which files the reader opens, and how: regular files only, inside the corpus folder, up to a size limit.

A corpus folder is input from elsewhere, so nothing in it is trusted. A FIFO or a socket blocks ``open`` or
``read`` forever, a device such as ``/dev/zero`` never ends, and a symlink can lead anywhere on the machine
(``secret.txt -> ~/.bashrc`` would become an article in the outputs). So every path is checked with
``os.stat`` before it is opened, and opened with ``O_NONBLOCK`` and checked again on the open descriptor
(the file may have been swapped between the two), and read no further than the limit.

Examples
--------
>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> with open(os.path.join(folder, "berita.txt"), "w") as f:
...     _ = f.write("Gempa di Bali")
>>> os.mkfifo(os.path.join(folder, "pipa.txt"))
>>> os.symlink("/etc/hostname", os.path.join(folder, "luar.txt"))
>>> limits = ReadLimits()
>>> [check(os.path.join(folder, name), folder, limits)[0] for name in ("berita.txt", "pipa.txt", "luar.txt")]
['ok', 'unsupported', 'link_outside']
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

#: Default largest file read, in MB (``--max-file-mb``, ``KLIPING_MAX_FILE_MB``).
DEFAULT_MAX_FILE_MB = 50.0
#: The largest limit one may set (1 TB): a file larger than memory is never read whole anyway.
MAX_FILE_MB = 1024.0 * 1024.0


@dataclass(frozen=True)
class ReadLimits:
    """What the reader may open: links that leave the corpus folder (``follow_links``) and the largest file."""

    follow_links: bool = False
    max_file_mb: float = DEFAULT_MAX_FILE_MB

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @classmethod
    def from_environ(cls, environ=None) -> ReadLimits:
        """The limits ``KLIPING_FOLLOW_LINKS`` and ``KLIPING_MAX_FILE_MB`` set (the CLI sets them from its options,
        so notebook kernels started by ``kliping report`` read with the same limits).

        Examples
        --------
        >>> ReadLimits.from_environ({"KLIPING_FOLLOW_LINKS": "1", "KLIPING_MAX_FILE_MB": "2.5"})
        ReadLimits(follow_links=True, max_file_mb=2.5)
        """
        from kliping.config import SettingError

        environ = os.environ if environ is None else environ
        follow = environ.get("KLIPING_FOLLOW_LINKS", "").strip().lower() in ("1", "true", "yes")
        raw = environ.get("KLIPING_MAX_FILE_MB", "").strip()
        try:
            max_mb = float(raw) if raw else DEFAULT_MAX_FILE_MB
        except ValueError:
            raise SettingError(f"KLIPING_MAX_FILE_MB={raw!r} is not a number of MB (e.g. 50)") from None
        if not 0 < max_mb <= MAX_FILE_MB:  # nan and inf too: inf overflowed int() later, a traceback
            raise SettingError(
                f"the file size limit must be above 0 and at most {MAX_FILE_MB:,.0f} MB (1 TB), not {raw}"
            )
        return cls(follow_links=follow, max_file_mb=max_mb)


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def check(path, root, limits: ReadLimits) -> tuple[str, str]:
    """Tell whether ``path`` may be read: ``("ok", "")`` or ``(status, reason)`` without opening it.

    Statuses: ``unreadable`` (vanished, no permission, a dangling link), ``unsupported`` (a FIFO, socket,
    device or folder, also behind a link), ``link_outside`` (a symlink to a file outside ``root`` while links
    are not followed), ``too_large`` (over ``limits.max_bytes``). ``root`` None means the path was
    named by the user, so a link is followed wherever it leads (but never to a FIFO or a device).
    """
    path = os.fspath(path)
    try:
        info = os.stat(path)  # follows links: what would be opened (stat never opens, so never blocks)
    except OSError as error:
        what = "a dangling link" if os.path.islink(path) else (error.strerror or str(error))
        return "unreadable", f"unreadable ({what})"
    if not stat.S_ISREG(info.st_mode):
        via = f" (via a link to {os.path.realpath(path)})" if os.path.islink(path) else ""
        return "unsupported", f"{_kind(info.st_mode)}{via}, not a file kliping reads"
    if root is not None and not limits.follow_links and os.path.islink(path):
        target = os.path.realpath(path)
        if not _inside(target, os.path.realpath(root)):
            return "link_outside", f"a link to {target}, outside the corpus folder (not followed; --follow-links)"
    if info.st_size > limits.max_bytes:
        return "too_large", _too_large(info.st_size, limits)
    return "ok", ""


def _too_large(size: int, limits: ReadLimits) -> str:
    return f"{size / 2**20:,.1f} MB, over the {limits.max_file_mb:g} MB limit (raise it with --max-file-mb)"


class NotRegularError(OSError):
    """The path turned out not to be a regular file (or to be over the limit) once opened."""

    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def open_regular(path, limits: ReadLimits):
    """Open a regular file for binary reading without ever blocking; :class:`NotRegularError` otherwise.

    ``O_NONBLOCK`` keeps ``open`` of a FIFO from waiting for a writer; the check on the open descriptor
    catches a file swapped for a FIFO or device after :func:`check`.
    """
    fd = os.open(os.fspath(path), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularError("unsupported", f"{_kind(info.st_mode)}, not a file kliping reads")
        if info.st_size > limits.max_bytes:
            raise NotRegularError("too_large", _too_large(info.st_size, limits))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


@contextlib.contextmanager
def open_table(path, limits: ReadLimits):
    """:func:`open_regular`, decompressing on the fly when the name ends in ``.gz`` (a ``.jsonl.gz`` shard).

    The size limit applies to the file as stored; its lines are streamed, never held whole.
    """
    with open_regular(path, limits) as handle:
        if not os.fspath(path).lower().endswith(".gz"):
            yield handle
            return
        import gzip

        with gzip.GzipFile(fileobj=handle, mode="rb") as unzipped:
            yield unzipped


def read_regular(path, limits: ReadLimits) -> bytes:
    """All bytes of a regular file, never more than the limit (a file that grows while read is cut off there)."""
    with open_regular(path, limits) as handle:
        data = handle.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise NotRegularError("too_large", _too_large(len(data), limits))
    return data


def iter_folder(folder: Path):
    """Every entry below ``folder`` that is not a folder, sorted by path, hidden names skipped.

    Symlinks to folders are not descended into (a link could loop or leave the corpus); they are yielded
    like any other entry, so :func:`check` gives them a row. FIFOs, sockets and devices are yielded too:
    nothing in the folder is skipped without a row.
    """
    found = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        base = Path(dirpath)
        # os.walk lists a symlink to a folder among dirnames without descending; keep it as an entry.
        found += [base / name for name in dirnames if os.path.islink(base / name)]
        found += [base / name for name in filenames if not name.startswith(".")]
    return sorted(found)
