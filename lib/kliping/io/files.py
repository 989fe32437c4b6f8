"""Which files the reader opens, and how: regular files only, inside the corpus folder, up to a size limit.

A corpus folder is input from elsewhere, so nothing in it is trusted. A FIFO or a socket blocks ``open`` or
``read`` forever, a device such as ``/dev/zero`` never ends, and a symlink can lead anywhere on the machine
(``secret.txt -> ~/.bashrc`` would become an article in the outputs). So every path is checked with
``os.stat`` before it is opened, and opened with ``O_NONBLOCK`` and checked again on the open descriptor
(the file may have been swapped between the two), and read no further than the limit. A compressed file
(``.gz``, ``.bz2``, ``.xz``) is inflated by one reader, :func:`open_inflated`, that counts the bytes it produces:
the limit holds for what a file inflates to, so a gzip bomb is refused without being inflated.

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

import bz2
import contextlib
import gzip
import io
import lzma
import os
import re
import stat
import zlib
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
    from kliping.base.safety import node_kind

    return node_kind(mode) or ("a folder" if stat.S_ISDIR(mode) else "not a regular file")


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def check(path, root, limits: ReadLimits, sized: bool = True) -> tuple[str, str]:
    """Tell whether ``path`` may be read: ``("ok", "")`` or ``(status, reason)`` without opening it.

    Statuses: ``unreadable`` (vanished, no permission, a dangling link), ``unsupported`` (a FIFO, socket,
    device or folder, also behind a link), ``link_outside`` (a symlink to a file outside ``root`` while links
    are not followed), ``too_large`` (over ``limits.max_bytes``). ``root`` None means the path was
    named by the user, so a link is followed wherever it leads (but never to a FIFO or a device). ``sized``
    False leaves the size to the reader (a WARC file, whose limit holds for each record).
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
    if sized and info.st_size > limits.max_bytes:
        return "too_large", too_large(info.st_size, limits)
    return "ok", ""


def too_large(size: int, limits: ReadLimits, what: str = "") -> str:
    size_mb = f"{what + ' ' if what else ''}{size / 2**20:,.1f} MB"
    return f"{size_mb}, over the {limits.max_file_mb:g} MB limit (raise it with --max-file-mb)"


class NotRegularError(OSError):
    """The path turned out not to be a regular file (or to be over the limit) once opened."""

    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def open_regular(path, limits: ReadLimits, sized: bool = True):
    """Open a regular file for binary reading without ever blocking; :class:`NotRegularError` otherwise.

    ``O_NONBLOCK`` keeps ``open`` of a FIFO from waiting for a writer; the check on the open descriptor
    catches a file swapped for a FIFO or device after :func:`check`.
    """
    fd = os.open(os.fspath(path), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularError("unsupported", f"{_kind(info.st_mode)}, not a file kliping reads")
        if sized and info.st_size > limits.max_bytes:
            raise NotRegularError("too_large", too_large(info.st_size, limits))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


#: Compressions read on the fly, by the name's last suffix (``berita.html.gz``, ``arsip.jsonl.bz2``,
#: ``tabel.csv.xz``); members of any count (``cat a.gz b.gz``) are read one after another.
COMPRESSIONS = {".gz": "gzip", ".bz2": "bz2", ".xz": "lzma"}

#: What a damaged or cut-off compressed file raises while it is inflated (gzip: OSError, EOFError or zlib.error,
#: depending on where the damage is; bz2: OSError; xz: lzma.LZMAError).
INFLATE_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError)


def compression(path) -> str | None:
    """The compression a file name says (``gzip``, ``bz2``, ``lzma``), None for a plain file.

    Examples
    --------
    >>> compression("berita.html.gz"), compression("arsip.JSONL.BZ2"), compression("tabel.csv.xz")
    ('gzip', 'bz2', 'lzma')
    >>> compression("berita.html") is None
    True
    """
    return COMPRESSIONS.get(os.path.splitext(os.fspath(path))[1].lower())


#: The first bytes of each compression's stream: enough to tell a file whose name says none (gzip with deflate,
#: bz2's header and first block, xz), and the prefix that a file named for it must start with.
_MAGIC = {"gzip": b"\x1f\x8b\x08", "bz2": re.compile(rb"BZh[1-9]1AY&SY"), "lzma": b"\xfd7zXZ\x00"}
_PREFIX = {"gzip": b"\x1f\x8b", "bz2": b"BZh", "lzma": b"\xfd7zXZ"}


def stored_compression(head: bytes, path) -> str | None:
    """The compression of a file whose first bytes are ``head``: the one its name says unless its bytes do not
    start as that compression's do (a plain page named ``.html.gz`` was ``unreadable``), else the one its bytes
    show (a gzip body saved under the page's own name, as ``wget`` and ``curl`` without ``--compressed`` save what
    a server sent compressed, was a ``binary`` row).

    Examples
    --------
    >>> import gzip
    >>> page = b"<html><body><p>Banjir merendam Bekasi.</p></body></html>"
    >>> stored_compression(gzip.compress(page), "berita.html"), stored_compression(page, "berita.html.gz")
    ('gzip', None)
    >>> stored_compression(b"BZh9 damaged", "rusak.html.bz2"), stored_compression(b"", "kosong.txt.gz")
    ('bz2', 'gzip')
    """
    named = compression(path)
    if named is not None and (head.startswith(_PREFIX[named]) or len(head) < len(_PREFIX[named])):
        return named
    for kind, magic in _MAGIC.items():
        if head.startswith(magic) if isinstance(magic, bytes) else magic.match(head):
            return kind
    return None


def inner_name(path) -> str:
    """The file's name without its compression suffix: what the inflated bytes are.

    Examples
    --------
    >>> inner_name("halaman/berita.html.gz"), inner_name("berita.txt")
    ('berita.html', 'berita.txt')
    """
    name = os.path.basename(os.fspath(path))
    return os.path.splitext(name)[0] if compression(name) else name


class _Counted(io.RawIOBase):
    """The bytes of a (decompressing) stream, counted as they are produced: past ``limit`` it raises
    :class:`NotRegularError` ``too_large``, so a few-MB gzip bomb is never inflated in memory past the limit
    (each read asks the decompressor for at most the buffer's size, and the count stops it at limit + 1)."""

    def __init__(self, inner, limit: int, limits: ReadLimits):
        self._inner, self._limit, self._limits, self._count = inner, limit, limits, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        # One read of the decompressor at a time (readinto1): what a cut-off .gz inflated before its end is handed
        # on before the EOFError, so every whole line before the cut is kept (a full readinto lost the last ones).
        read = getattr(self._inner, "readinto1", None) or self._inner.readinto
        done = read(buffer)
        self._count += done or 0
        if self._count > self._limit:
            raise NotRegularError("too_large", too_large(self._count, self._limits, "inflated past"))
        return done

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._count

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if (offset, whence) != (0, io.SEEK_SET):  # only a rewind is needed (a second pass over a table)
            raise io.UnsupportedOperation("an inflated stream only rewinds to its start")
        self._inner.seek(0)
        self._count = 0
        return 0

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


@contextlib.contextmanager
def open_inflated(path, limits: ReadLimits):
    """:func:`open_regular`, inflated on the fly when the name ends in ``.gz``, ``.bz2`` or ``.xz``: the one
    reader of every page and table file, plain or compressed.

    The limit applies to the file as stored and to the bytes it inflates to: a read past it raises
    :class:`NotRegularError` ``too_large``. Lines are streamed (a line with no end is cut off at the limit
    too), never the file held whole.

    Examples
    --------
    >>> import gzip, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "bom.txt.gz")
    >>> with gzip.open(path, "wb") as f:
    ...     _ = f.write(b"Gempa " * 400_000)  # 2.4 MB of text in a file of about 10 kB
    >>> try:
    ...     with open_inflated(path, ReadLimits(max_file_mb=1)) as handle:
    ...         _ = handle.read()
    ... except NotRegularError as error:
    ...     print(error.status, error.reason)
    too_large inflated past 1.0 MB, over the 1 MB limit (raise it with --max-file-mb)
    """
    with open_regular(path, limits) as stored:
        kind = stored_compression(stored.read(16), path)
        stored.seek(0)
        if kind is None:
            inner = stored
        elif kind == "gzip":
            inner = gzip.GzipFile(fileobj=stored, mode="rb")
        elif kind == "bz2":
            inner = bz2.BZ2File(stored, mode="rb")
        else:
            inner = lzma.LZMAFile(stored, mode="rb")
        with io.BufferedReader(_Counted(inner, limits.max_bytes, limits)) as handle:
            yield handle


def read_inflated(path, limits: ReadLimits) -> bytes:
    """All bytes of a file (inflated when compressed), never more than the limit (:func:`open_inflated`)."""
    with open_inflated(path, limits) as handle:
        return handle.read()


#: A folder that holds ``metrics.json`` beside one of these is a kliping run's output folder (``-o``).
RUN_MARKS = ("articles.parquet", "assignments.csv", "topics.csv", "model", "articles")
#: The names of kliping's cache files (:mod:`kliping.stem.cache`, :mod:`kliping.clean.cache`).
_CACHE_NAME = re.compile(r"(stems_[0-9a-f]+\.json|corpus_[0-9a-f]+_[0-9a-f]+\.json|clean_[\w.-]+\.parquet)")


def _is_cache(path: Path, names: set) -> bool:
    files_ = [name for name in names if not name.startswith(".")]
    return bool(files_) and all(_CACHE_NAME.fullmatch(name) for name in files_)


def kliping_folder(path: Path) -> str | None:
    """What kliping folder ``path`` is: ``a run's outputs`` (``metrics.json`` beside one of :data:`RUN_MARKS`),
    ``a work folder`` (the one in use, or one whose ``cache`` holds kliping's cache files alone), ``a cache``
    folder (kliping's cache files alone), or None.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("hasil/model", "kerja/cache", "berita"):
    ...     (folder / name).mkdir(parents=True)
    >>> (folder / "hasil" / "metrics.json").write_text("{}") and None
    >>> (folder / "kerja" / "cache" / "stems_0a1b.json").write_text("{}") and None
    >>> [kliping_folder(folder / name) for name in ("hasil", "kerja", "kerja/cache", "berita")]
    ["a run's outputs", 'a work folder', 'a cache', None]
    """
    from kliping import config

    try:
        names = set(os.listdir(path))
    except OSError:
        return None
    if "metrics.json" in names and names.intersection(RUN_MARKS):
        return "a run's outputs"
    if _is_cache(path, names):
        return "a cache"
    work = config.work_dir()
    if "cache" in names and (_same_folder(path, work) or _is_cache(path / "cache", _listed(path / "cache"))):
        return "a work folder"
    return None


def _listed(path: Path) -> set:
    try:
        return set(os.listdir(path))
    except OSError:
        return set()


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def iter_folder(folder: Path, own: list | None = None):
    """Every entry below ``folder`` that is not a folder, sorted by path, hidden names skipped.

    Symlinks to folders are not descended into (a link could loop or leave the corpus); they are yielded
    like any other entry, so :func:`check` gives them a row. FIFOs, sockets and devices are yielded too:
    nothing in the folder is skipped without a row, but kliping's own folders below ``folder``
    (:func:`kliping_folder`: a run's outputs, a work folder) are not read, and ``(path, kind)`` of each is
    appended to ``own``: a second run read the first one's ``articles.parquet``, ``assignments.csv`` and
    ``topics.csv`` as articles (191 rows of a 60-article corpus).
    """
    found = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        base = Path(dirpath)
        kept = []
        for name in dirnames:
            if name.startswith("."):
                continue
            kind = None if os.path.islink(base / name) else kliping_folder(base / name)
            if kind is None:
                kept.append(name)
            elif own is not None:
                own.append((base / name, kind))
        dirnames[:] = kept
        # os.walk lists a symlink to a folder among dirnames without descending; keep it as an entry.
        found += [base / name for name in dirnames if os.path.islink(base / name)]
        found += [base / name for name in filenames if not name.startswith(".")]
    return sorted(found)
