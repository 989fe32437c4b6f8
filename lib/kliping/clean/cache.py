"""The clean cache: a corpus's cleaned columns, kept on disk and reused for exactly the same input and cleaner.

Cleaning the 22,136 CLICK-ID articles takes 4.3 s on a quiet 2-core machine; reading their cleaned columns back
from a parquet file takes 0.3 s, which is most of what made a second ``kliping assign`` of a corpus reach 2,000
articles/s. Like the stem stage's corpus cache (:mod:`kliping.stem.cache`) the result is kept for the whole corpus,
in the same folder (``config.CACHE_DIR``), under a name holding two hashes:

- :func:`cleaner_version`: the source of :mod:`kliping.clean`, the modules it takes the sites from
  (:mod:`kliping.io.sites`) and its memos (:mod:`kliping.base.memo`), its lexicon and line model, the language
  detector (:mod:`kliping.clean.language` and py3langid's version: the ``language`` column, and the zone of a
  foreign page's dates), and the Python and pandas versions (dates are parsed by pandas): any edit of the
  cleaner starts new files;
- :func:`input_key`: every column of the reader's table that cleaning reads (:data:`INPUT_COLUMNS`), row by row
  in order. A site's repeated lines (:class:`kliping.clean.site_stats.SiteStats`) are counted from these same
  columns over the whole corpus, so they are covered too: one page more or less makes another key, even for the
  pages that did not change.

A cache is only a speed-up: a file that is damaged, cut off or of another shape is ignored (and replaced), and a
folder that cannot be used gives one :class:`CleanCacheWarning` and the pages are cleaned as usual.

Examples
--------
>>> import pandas as pd
>>> a = pd.DataFrame({"status": ["ok"], "text": ["Banjir di Bekasi."]})
>>> b = pd.DataFrame({"status": ["ok"], "text": ["Banjir di Bekasi!"]})
>>> input_key(a) == input_key(a.copy()), input_key(a) == input_key(b)
(True, False)
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
import warnings
from array import array
from pathlib import Path

#: Corpora under this many rows are cleaned every time: 2,000 pages clean in about 0.4 s, while the cache's
#: parquet reader (pyarrow) alone takes 0.2-0.3 s to import. Tests lower it.
CACHE_MIN_ROWS = 2000
#: The reader's columns cleaning reads (:func:`kliping.clean.clean_articles`, :func:`kliping.io.site_column`);
#: a column that is absent counts as absent in the key.
INPUT_COLUMNS = (
    "status",
    "text",
    "title",
    "duplicate_of",
    "origin",
    "meta_site",
    "site",
    "source_site",
    "domain",
    "meta_date",
    "warc_date",
    "markup",
)
#: Bump when what the cache file holds changes.
FORMAT_VERSION = "2"

_PACKAGE = Path(__file__).resolve().parents[1]  # lib/kliping
_CLEANER_FILES = (
    *sorted(Path(__file__).resolve().parent.glob("*.py")),
    _PACKAGE / "io" / "sites.py",
    _PACKAGE / "base" / "memo.py",
    _PACKAGE / "data" / "clean_lexicon.json",
    _PACKAGE / "data" / "clean_model.json",
    _PACKAGE / "data" / "clean_model_html.json",
    _PACKAGE / "data" / "clean_model_html_id.json",
    _PACKAGE / "io" / "blocks.py",
)


class CleanCacheWarning(UserWarning):
    """The clean cache could not be used; the pages were cleaned without it."""


@functools.lru_cache(maxsize=1)
def cleaner_version() -> str | None:
    """A hash of everything the cleaned columns depend on besides the input (see the module's text); None when
    the cleaner's files cannot be read (then nothing is cached: a change of them would go unseen).

    Examples
    --------
    >>> len(cleaner_version())
    16
    """
    import pandas as pd

    digest = hashlib.blake2b(digest_size=8)
    from kliping.clean.language import detector_version

    digest.update(f"{FORMAT_VERSION} {sys.version_info[:2]} pandas {pd.__version__}".encode())
    digest.update(detector_version().encode())  # the language column
    try:
        for path in _CLEANER_FILES:
            digest.update(path.name.encode() + b"\x00")
            digest.update(path.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def input_key(articles) -> str:
    """A hash of the columns cleaning reads (:data:`INPUT_COLUMNS`), every row in order, missing values apart
    from the text ``"None"``.

    The short columns are hashed as JSON, which tells None, NaN, numbers and strings apart. The texts (38 MB for
    the 22k CLICK-ID articles) as three runs: which values are text, every value's length in UTF-8 bytes (a
    non-text one's ``repr``), and all of them end to end, which tells the values apart without escaping a byte.
    With SHA-256 (in hardware on x86 and ARM) the 22k articles take 0.2 s, where BLAKE2 updated three times per
    text took 0.4 s.
    """
    digest = hashlib.sha256(str(len(articles)).encode())
    for column in INPUT_COLUMNS:
        if column not in articles.columns:
            digest.update(f"\x00-{column}".encode())
            continue
        digest.update(f"\x00+{column}".encode())
        values = articles[column].tolist()
        if column != "text":
            digest.update(json.dumps(values, ensure_ascii=False, default=repr).encode("utf-8", "surrogatepass"))
            continue
        is_text = [isinstance(value, str) for value in values]
        shown = (value if text else repr(value) for value, text in zip(values, is_text))
        data = [value.encode("utf-8", "surrogatepass") for value in shown]
        digest.update(bytes(is_text))
        digest.update(array("q", map(len, data)).tobytes())
        digest.update(b"".join(data))
    return digest.hexdigest()[:32]


def cache_file(articles, cache_dir=None) -> Path | None:
    """Where the cleaned columns of exactly ``articles`` are kept (``cache_dir``, default ``config.CACHE_DIR``);
    None when the cleaner's version cannot be told."""
    from kliping import config

    version = cleaner_version()
    if version is None:
        return None
    folder = Path(cache_dir) if cache_dir is not None else config.CACHE_DIR
    return folder / f"clean_{version}_{input_key(articles)}.parquet"


def read(path: Path, n_rows: int, columns: list[str]) -> dict | None:
    """The cleaned columns kept in ``path`` as lists (``published`` as a DatetimeIndex); None when there is no
    such file, or it is damaged or not of ``n_rows`` rows and these columns."""
    if not path.is_file():
        return None
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError, ValueError):
        return None  # damaged or cut off: cleaned again and written anew
    if table.num_rows != n_rows or sorted(table.column_names) != sorted(columns):
        return None
    cleaned = {name: table.column(name).to_pylist() for name in columns if name != "published"}
    cleaned["published"] = pd.DatetimeIndex(table.column("published").to_pandas())
    return cleaned


def write(path: Path, cleaned: dict) -> bool:
    """Keep the cleaned columns (lists; ``published`` a DatetimeIndex) in ``path``, atomically; False, with a
    :class:`CleanCacheWarning`, when the folder cannot take it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pa.table({name: pa.array(values) for name, values in cleaned.items()})
    except (pa.ArrowException, TypeError, ValueError) as error:  # a value parquet cannot hold: no cache
        _warn_off(path, error)
        return False
    from kliping.base.atomic import atomic_path

    try:
        with atomic_path(path) as temporary:  # a reader never sees half a file
            pq.write_table(table, temporary)
    except OSError as error:
        _warn_off(path, error)
        return False
    return True


def _warn_off(path: Path, error: BaseException) -> None:
    warnings.warn(
        f"clean cache off: cannot use {path} ({getattr(error, 'strerror', None) or error}); cleaning goes on "
        "without it",
        CleanCacheWarning,
        stacklevel=3,
    )
