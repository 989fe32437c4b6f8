"""What kliping refuses to write over, and how it shows a name from elsewhere on a terminal.

An output path (``-o``) is checked before any work: it must be a regular file or a folder, or not exist yet;
never a symlink, a FIFO, a socket or a device (the rename that writes a file atomically would replace the node:
as root, ``-o /dev/null`` would replace the system's), and never an input of the same run (the corpus, a file
inside the corpus folder, the model folder), so ``kliping assign MODEL news.jsonl -o news.jsonl`` cannot
overwrite the corpus it reads. File names come from the input, so they are shown with their control characters
escaped (:func:`printable`): an ESC in a name could otherwise retitle or clear the terminal.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "berita.jsonl").write_text("{}")
>>> check_output(folder / "hasil.csv", inputs=[folder / "berita.jsonl"]).name
'hasil.csv'
>>> check_output(folder / "berita.jsonl", inputs=[folder / "berita.jsonl"])
Traceback (most recent call last):
kliping.base.safety.OutputPathError: output ... is an input of this run (...berita.jsonl): choose another -o
>>> printable("berita\\x1b]0;judul\\x07.txt")
'berita\\\\x1b]0;judul\\\\x07.txt'
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from kliping.config import SettingError

#: Control characters (C0 but tab, DEL, C1) and the bidirectional overrides that reorder what a terminal shows.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


class OutputPathError(SettingError):
    """An output path that would replace something not kliping's to replace (one line; the CLI exits 2)."""


def printable(text) -> str:
    """``text`` with control characters and direction overrides written as ``\\xNN`` / ``\\uNNNN`` escapes, and
    the bytes of a file name that is not UTF-8 (Python holds them as lone surrogates) as ``\\xNN``.

    Examples
    --------
    >>> printable("berita\\x1b[2J.txt"), printable(b"berita\\xff.txt".decode("utf-8", "surrogateescape"))
    ('berita\\\\x1b[2J.txt', 'berita\\\\xff.txt')
    """
    return _UNPRINTABLE.sub(_escape, str(text))


def _escape(match) -> str:
    char = match.group()
    if "\udc80" <= char <= "\udcff":  # a byte that was not UTF-8, carried by surrogateescape
        return f"\\x{ord(char) - 0xDC00:02x}"
    return char.encode("unicode_escape").decode("ascii")


def node_kind(mode: int) -> str | None:
    """What a special file is (``a symlink``, ``a FIFO (named pipe)``, a socket or a device), from its ``st_mode``;
    None for a regular file or a folder. The reader and the output check name nodes with it."""
    for test, name in (
        (stat.S_ISLNK, "a symlink"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return None


def _same(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)  # hard links and bind mounts too
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _within(inner: str, outer: str) -> bool:
    inner, outer = os.path.realpath(inner), os.path.realpath(outer)
    return inner == outer or inner.startswith(outer.rstrip(os.sep) + os.sep)


def check_output(path, inputs=(), folder: bool = False, names=()) -> Path:
    """Refuse, in one line, an output path that is not a regular file (a folder with ``folder=True``) or absent,
    or that is (or holds, or lies inside) an input of the run; ``names`` are the entries a folder output gets.

    Raises
    ------
    OutputPathError
        With the reason and what to do.
    """
    path = Path(path).expanduser()
    shown = printable(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise OutputPathError(f"output {shown} cannot be used ({error.strerror})") from None
    if info is not None:
        kind = node_kind(info.st_mode)
        if kind is None and folder != stat.S_ISDIR(info.st_mode):
            kind = "a file" if folder else "a folder"
        if kind is not None:
            want = "a folder" if folder else "a regular file"
            raise OutputPathError(f"output {shown} is {kind}; -o must name {want} or a new path")
    _check_parents(path, shown, folder and info is not None)
    # A folder output replaces its ``names`` only: an input beside them in the folder is left alone.
    targets = [path / name for name in names] if folder else [path]
    for source in [Path(p).expanduser() for p in inputs if p is not None]:
        if not os.path.lexists(source):
            continue
        if _same(path, source) or any(_within(source, t) for t in targets):
            raise OutputPathError(f"output {shown} is an input of this run ({printable(source)}): choose another -o")
        if source.is_dir() and _within(path, source):
            raise OutputPathError(
                f"output {shown} is inside the input folder {printable(source)}, whose next read would take "
                "kliping's own files for articles: choose -o outside it"
            )
    return path


def _check_parents(path: Path, shown: str, itself: bool) -> None:
    for parent in [path.absolute()] * itself + list(path.absolute().parents):
        if os.path.lexists(parent):
            if not parent.is_dir():
                raise OutputPathError(f"output {shown} is under a file ({printable(parent)}): choose another -o")
            if not os.access(parent, os.W_OK | os.X_OK):
                raise OutputPathError(f"output {shown} cannot be written (no permission on {printable(parent)})")
            return
