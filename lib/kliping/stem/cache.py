"""The on-disk stem caches: word -> stem for every word ever stemmed, and whole results per corpus.

Both live in one folder (``config.CACHE_DIR`` unless ``cache_dir`` says
otherwise) under names holding :func:`cache_key`, so a change of PySastrawi,
of the override table, of the root frequencies or of :data:`ALGORITHM_VERSION`
starts new files instead of reusing stale stems. A cache is only a speed-up:
a folder that cannot be created, read or written gives one
:class:`StemCacheWarning` and stemming goes on without it.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     _ = save_cache({"perbankan": "bank"}, folder)
...     load_cache(folder)
{'perbankan': 'bank'}
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import warnings
from pathlib import Path

from kliping import config
from kliping.base.atomic import atomic_path
from kliping.stem.resources import OVERRIDES_FILE, ROOT_FREQUENCY_FILE, STOPWORDS_FILE

#: Bump when a change of the stemmer changes any stem, so old caches are not reused.
ALGORITHM_VERSION = "3"


class StemCacheWarning(UserWarning):
    """The stem cache could not be used; stemming went on without it."""


def sastrawi_version() -> str:
    """Installed PySastrawi version, part of the cache key."""
    return importlib.metadata.version("PySastrawi")


def cache_key() -> str:
    """Key of the on-disk stem cache: PySastrawi version, override table, root frequencies and algorithm version.

    Examples
    --------
    >>> len(cache_key())
    16
    """
    digest = hashlib.sha256()
    digest.update(sastrawi_version().encode())
    digest.update(OVERRIDES_FILE.read_bytes())
    if ROOT_FREQUENCY_FILE.exists():
        digest.update(ROOT_FREQUENCY_FILE.read_bytes())
    digest.update(ALGORITHM_VERSION.encode())
    return digest.hexdigest()[:16]


def stemmer_version() -> str:
    """The version of the stems kliping makes: :data:`ALGORITHM_VERSION` and a hash of all they depend on.

    That is PySastrawi's version (its root dictionary and affix rules), kliping's override table, the root
    frequencies and the stopword list. A topic model stores it: its vocabulary is a set of stems, so a model whose
    stems were made by another stemmer would silently miss words, and :mod:`kliping.topics.modelfiles` refuses it.

    Examples
    --------
    >>> version = stemmer_version()
    >>> version.startswith(f"{ALGORITHM_VERSION}-"), len(version) == len(ALGORITHM_VERSION) + 17
    (True, True)
    """
    digest = hashlib.sha256(cache_key().encode())
    digest.update(STOPWORDS_FILE.read_bytes())
    return f"{ALGORITHM_VERSION}-{digest.hexdigest()[:16]}"


def _warn_cache_off(place: Path, error: OSError) -> None:
    warnings.warn(
        f"stem cache off: cannot use {place} ({error.strerror or error}); stemming goes on without it",
        StemCacheWarning,
        stacklevel=3,
    )


def cache_folder(cache_dir: Path | str | None = None) -> Path | None:
    """The cache folder (``config.CACHE_DIR`` by default), created if needed; ``None`` when it cannot be.

    Examples
    --------
    >>> import tempfile, warnings
    >>> with tempfile.NamedTemporaryFile() as not_a_folder, warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     cache_folder(not_a_folder.name), len(caught)
    (None, 1)
    """
    folder = Path(cache_dir) if cache_dir is not None else config.CACHE_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _warn_cache_off(folder, error)
        return None
    return folder


def cache_file(cache_dir: Path | str | None = None) -> Path:
    """Where the word -> stem cache for the current :func:`cache_key` lives."""
    folder = Path(cache_dir) if cache_dir is not None else config.CACHE_DIR
    return folder / f"stems_{cache_key()}.json"


def corpus_cache_file(texts: list[str], cache_dir: Path | str | None = None, modes=None) -> Path:
    """Where the whole result of stemming exactly ``texts`` is cached.

    The name holds :func:`cache_key` and a hash of the stopword list and of
    every text in order: proper nouns depend on the whole corpus, so a result
    is only reused for exactly the same texts. ``modes`` (how each text becomes words, see
    :func:`kliping.stem.languages.word_modes`) count too when a text is not stemmed as Indonesian, with the
    English stopword list's version.
    """
    from importlib.metadata import version

    digest = hashlib.blake2b(digest_size=12)
    digest.update(STOPWORDS_FILE.read_bytes())
    # The English stopwords (dropped from Indonesian articles too), how English words are made and how the
    # corpus's table of stems is made (an edit of either gave a run the old table from the cache).
    digest.update(f"stopwordsiso {version('stopwordsiso')}\x00".encode())
    for source in ("languages.py", "corpus.py", "counting.py", "numbering.py"):
        digest.update((Path(__file__).parent / source).read_bytes())
    if modes is not None and any(mode != "id" for mode in modes):
        digest.update("\x00".join(modes).encode())
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    folder = Path(cache_dir) if cache_dir is not None else config.CACHE_DIR
    return folder / f"corpus_{cache_key()}_{digest.hexdigest()}.npz"


def read_json(path: Path):
    """The JSON value in ``path``; ``None`` when there is none, or it is damaged (the next write replaces it)."""
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return None
    except OSError as error:  # a folder where the file should be, no permission, ...
        _warn_cache_off(path, error)
        return None


def write_json_atomically(path: Path, payload) -> bool:
    """Write JSON to ``path`` whole (:func:`kliping.base.atomic.atomic_path`: a reader never sees half a file, and
    the file gets the user's usual mode, as the run's outputs do).

    When the write fails, a :class:`StemCacheWarning` is given, ``False`` returned and no temporary file is left
    behind.
    """
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    try:
        with atomic_path(path) as temporary:
            temporary.write_text(text, encoding="utf-8")
    except OSError as error:
        _warn_cache_off(path, error)
        return False
    return True


def write_arrays_atomically(path: Path, arrays: dict) -> bool:
    """Write numpy arrays to ``path`` as one uncompressed ``.npz``, whole (as :func:`write_json_atomically`)."""
    import numpy as np

    try:
        with atomic_path(path) as temporary, temporary.open("wb") as handle:
            np.savez(handle, **arrays)
    except OSError as error:
        _warn_cache_off(path, error)
        return False
    return True


def read_arrays(path: Path, names) -> dict | None:
    """The arrays ``names`` of the ``.npz`` at ``path`` (never a pickled object); None when there is no such file or
    it is damaged (the next write replaces it)."""
    import zipfile

    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as stored:
            return {name: stored[name] for name in names}
    except (FileNotFoundError, KeyError, ValueError, EOFError, zipfile.BadZipFile):
        return None
    except OSError as error:
        _warn_cache_off(path, error)
        return None


def load_cache(cache_dir: Path | str | None = None) -> dict[str, str]:
    """The cached ``{word: stem}`` map; empty when there is none or it is unreadable."""
    cached = read_json(cache_file(cache_dir))
    return cached if isinstance(cached, dict) else {}


def save_cache(stems: dict[str, str], cache_dir: Path | str | None = None) -> Path | None:
    """Merge ``stems`` into the cache file, safely when two processes write at once.

    The file is re-read just before writing (another run may have added
    words) and replaced atomically (:func:`write_json_atomically`).

    Returns
    -------
    Path or None
        The cache file, or ``None`` when it could not be written.
    """
    path = cache_file(cache_dir)
    merged = load_cache(cache_dir)
    merged.update(stems)
    return path if write_json_atomically(path, merged) else None
