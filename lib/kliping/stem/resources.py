"""The word lists kliping ships for stemming: stopwords, the override table and how often each root is written.

All three live in ``lib/kliping/data/`` and are read once per process.

Examples
--------
>>> "yang" in load_stopwords(), load_overrides()["pemilu"]
(True, 'pemilu')
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
STOPWORDS_FILE = DATA_DIR / "stopwords_id.txt"
OVERRIDES_FILE = DATA_DIR / "stem_overrides.tsv"
ROOT_FREQUENCY_FILE = DATA_DIR / "root_frequency.tsv"


def _read_list(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def load_stopwords() -> frozenset[str]:
    """The merged stopword list shipped with kliping (see the header of ``data/stopwords_id.txt``).

    Examples
    --------
    >>> stopwords = load_stopwords()
    >>> "yang" in stopwords, "wib" in stopwords, "menteri" in stopwords
    (True, True, False)
    """
    return frozenset(_read_list(STOPWORDS_FILE))


@lru_cache(maxsize=1)
def load_overrides() -> dict[str, str]:
    """The override table ``data/stem_overrides.tsv`` as ``{word: stem}``.

    Examples
    --------
    >>> load_overrides()["pemilu"]
    'pemilu'
    """
    rows = _read_list(OVERRIDES_FILE)
    table = {}
    for row in rows[1:]:  # first row is the column header
        word, stem, _why = row.split("\t")
        table[word] = stem
    return table


@lru_cache(maxsize=1)
def load_root_frequency() -> dict[str, int]:
    """How often each Sastrawi root is written as a word of its own in news (``data/root_frequency.tsv``).

    Examples
    --------
    >>> frequency = load_root_frequency()
    >>> frequency["hati"] > 100 * frequency.get("perhati", 0)
    True
    """
    if not ROOT_FREQUENCY_FILE.exists():
        return {}
    rows = _read_list(ROOT_FREQUENCY_FILE)
    return {root: int(count) for root, count in (row.split("\t") for row in rows[1:])}
