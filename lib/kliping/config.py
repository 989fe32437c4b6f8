"""Paths and run settings, in one place.

Paths follow cookiecutter-data-science: ``data/raw`` is immutable input,
``data/interim`` holds what one notebook hands to the next, ``data/processed``
the run's outputs. The settings of a run (corpus, fields, k, seed, output
folder) come from ``KLIPING_*`` environment variables, so that ``make report``,
nbval and a plain ``jupyter lab`` all see the same ones; ``kliping run`` takes
the same settings as options.

Installed from a wheel rather than run from a checkout, kliping writes its work
files and caches to the user's cache folder (``platformdirs``) or to
``KLIPING_WORK_DIR``, never next to the installed package.

Examples
--------
>>> from kliping import config
>>> config.RAW_DIR.name
'raw'
>>> settings = config.run_settings({"KLIPING_CORPUS": "/data/berita.jsonl", "KLIPING_K": "8"})
>>> settings.path.name, settings.k, settings.seed
('berita.jsonl', 8, 42)
"""

from __future__ import annotations

import operator
import os
import sysconfig
from dataclasses import asdict, dataclass, field
from pathlib import Path

#: The checkout: ``lib/kliping/config.py`` -> two levels up from ``lib``.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: True when running from a checkout (editable install or ``PYTHONPATH=lib``), False when installed from a wheel.
IN_CHECKOUT = (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / "lib" / "kliping").is_dir()
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
#: The two seed pages of the embedded corpus (kompas.com, inews.id), for examples.
SEED_PAGE = RAW_DIR / "000_1ed279cb64cb3699.txt"


def env_setting(name: str, environ=None) -> str | None:
    """A setting of ``environ`` (default: this process's environment), stripped; None when unset or blank.

    Examples
    --------
    >>> env_setting("KLIPING_CORPUS", {"KLIPING_CORPUS": " berita.jsonl "}), env_setting("X", {"X": "  "})
    ('berita.jsonl', None)
    """
    return (os.environ if environ is None else environ).get(name, "").strip() or None


def work_dir(environ=None) -> Path:
    """Where work files go: ``KLIPING_WORK_DIR``, else ``data/`` in a checkout, else the user's cache folder.

    Examples
    --------
    >>> work_dir({"KLIPING_WORK_DIR": "/tmp/run"}), work_dir({}) == (DATA_DIR if IN_CHECKOUT else work_dir({}))
    (PosixPath('/tmp/run'), True)
    """
    value = env_setting("KLIPING_WORK_DIR", environ)
    if value:
        return Path(value).expanduser()
    if IN_CHECKOUT:
        return DATA_DIR
    import platformdirs

    return Path(platformdirs.user_cache_dir("kliping"))


WORK_DIR = work_dir()
INTERIM_DIR = WORK_DIR / "interim"
PROCESSED_DIR = WORK_DIR / "processed"
#: The stem cache (optional: a folder that cannot be written only costs speed).
CACHE_DIR = WORK_DIR / "cache"
REPORTS_DIR = PROJECT_ROOT / "reports"
HTML_DIR = REPORTS_DIR / "html"


def notebooks_dir() -> Path:
    """The numbered notebooks: ``notebooks/`` of the checkout, else the copy a wheel installs under ``share/``."""
    if IN_CHECKOUT:
        return PROJECT_ROOT / "notebooks"
    return Path(sysconfig.get_path("data")) / "share" / "kliping" / "notebooks"


NOTEBOOKS_DIR = notebooks_dir()

#: The read-only shared corpora, when the checkout sits beside them.
SHARED_DIR = Path(os.environ.get("KLIPING_SHARED", PROJECT_ROOT.parent / "shared"))
CORPORA_DIR = SHARED_DIR / "corpora"
#: The line-labelled pages that cleaning is scored and trained on (read where they are, never copied).
DEV_LINES_FILE = CORPORA_DIR / "id_news_extraction_gt" / "dev_lines.jsonl"

#: One seed for every random step (KMeans, NMF, LSA, sampling).
SEED = 42
#: Clustering algorithms (see :mod:`kliping.topics.clustering`).
METHODS = ("auto", "spectral", "kmeans")
#: The periods a topics-over-time table counts in (:data:`kliping.topics.timeline.PERIODS` has their frequencies).
PERIODS = ("day", "week", "month")
#: The languages clustered by default (``--languages``, ``KLIPING_LANGUAGES``; :mod:`kliping.clean.language`).
DEFAULT_LANGUAGES = ("id",)
#: Every language kliping can cluster: Indonesian and Malay stemmed with Sastrawi, English as English words
#: (:mod:`kliping.stem.languages`).
CLUSTERABLE = ("id", "ms", "en")


def parse_languages(value) -> tuple:
    """The languages to cluster from an option, a setting or a list: ``"id,en"`` -> ``("id", "en")``; blank means
    :data:`DEFAULT_LANGUAGES`.

    Examples
    --------
    >>> parse_languages("id, EN"), parse_languages(None), parse_languages(["id"])
    (('id', 'en'), ('id',), ('id',))
    >>> parse_languages("id,pt")
    Traceback (most recent call last):
    kliping.config.SettingError: kliping clusters id, ms, en (ISO 639-1), not 'pt': e.g. --languages id,en
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return DEFAULT_LANGUAGES
    items = value.split(",") if isinstance(value, str) else list(value)
    codes = []
    for item in items:
        code = str(item).strip().lower()
        if code and code not in CLUSTERABLE:
            raise SettingError(
                f"kliping clusters {', '.join(CLUSTERABLE)} (ISO 639-1), not {code!r}: e.g. --languages id,en"
            )
        if code and code not in codes:
            codes.append(code)
    return tuple(codes) or DEFAULT_LANGUAGES


#: The field settings, as :func:`kliping.io.read_corpus` names them (``KLIPING_<NAME>``, ``--<name>``).
FIELD_NAMES = ("text_field", "title_field", "id_field", "label_field", "date_field", "url_field", "site_field")
#: A field setting that means "none" (``KLIPING_LABEL_FIELD=none``: no label, even for the embedded corpus).
NO_FIELD = "none"
#: The label of the embedded corpus (``data/raw``): CLICK-ID's coarse category, set by its editors.
EMBEDDED_LABEL_FIELD = "category_coarse"


class SettingError(ValueError):
    """A ``KLIPING_*`` setting or an option that cannot be used (one line, names the setting)."""


def _whole_in(value, low: int, high: int) -> bool:
    try:
        return low <= operator.index(value) <= high
    except TypeError:
        return False


#: The largest seed numpy's and scikit-learn's random generators take (2**32 - 1).
MAX_SEED = 2**32 - 1
#: More topics than any reader could look at; a larger --k is a typo (each topic costs a centre and a c-TF-IDF row).
MAX_K = 10_000


@dataclass(frozen=True)
class RunSettings:
    """Everything that decides a run's result: the corpus, its fields, k, seed and method, and where outputs go.

    ``None`` for a field means "guess" (see :func:`kliping.io.read_corpus`); ``None`` for ``k`` means
    "choose" (see :func:`kliping.topics.clustering.choose_k`).
    """

    path: Path
    text_field: str | None = None
    title_field: str | None = None
    id_field: str | None = None
    label_field: str | None = None
    date_field: str | None = None
    url_field: str | None = None
    site_field: str | None = None
    k: int | None = None
    seed: int = SEED
    method: str = "auto"
    output_dir: Path = field(default_factory=lambda: PROCESSED_DIR)
    #: Where the run's tasks go: None runs in this process; ``local`` or ``tcp://host:8786`` on Dask
    #: (:mod:`kliping.scale`). It changes where the work happens, not the result.
    scheduler: str | None = field(default=None, compare=False)
    #: The languages clustered (ISO 639-1 codes, ``"id,en"`` or a tuple); other articles keep their row with
    #: topic -1 and their language in the reason.
    languages: tuple = DEFAULT_LANGUAGES
    #: The period ``topics_over_time.csv`` counts in (``day``, ``week``, ``month``); None: chosen from the span of
    #: the dates (:mod:`kliping.topics.timeline`). It changes a table, not the topics.
    period: str | None = field(default=None, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "languages", parse_languages(self.languages))
        if self.period is not None and self.period not in PERIODS:
            raise SettingError(
                f"period {self.period!r}: use one of {', '.join(PERIODS)} (or none: chosen from the span)"
            )
        if self.k is not None and not 1 <= self.k <= MAX_K:
            raise SettingError(f"k must be at least 1 and at most {MAX_K:,} topics, not {self.k}")
        if not _whole_in(self.seed, 0, MAX_SEED):
            # numpy and scikit-learn take seeds of 32 bits: outside, the run failed after all its work.
            raise SettingError(f"the seed must be a whole number from 0 to {MAX_SEED}, not {self.seed}")
        if self.method not in METHODS:
            raise SettingError(f"unknown clustering method {self.method!r}: use one of {', '.join(METHODS)}")

    @property
    def fields(self) -> dict:
        """The field options as ``read_corpus`` keywords.

        Examples
        --------
        >>> RunSettings(Path("berita.csv"), text_field="isi").fields["text_field"]
        'isi'
        """
        return {name: getattr(self, name) for name in FIELD_NAMES}

    @property
    def is_embedded_sample(self) -> bool:
        return self.path.resolve() == RAW_DIR.resolve()

    def as_dict(self) -> dict:
        """Plain JSON-ready values (paths as strings), for stamps and ``metrics.json``."""
        values = asdict(self)
        if values["scheduler"] is None:  # an in-process run's files stay as they were
            del values["scheduler"]
        if values["period"] is None:
            del values["period"]
        values["languages"] = ",".join(self.languages)
        return {key: str(value) if isinstance(value, Path) else value for key, value in values.items()}


def _int_setting(name: str, environ) -> int | None:
    value = env_setting(name, environ)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise SettingError(f"{name}={value!r} is not a whole number") from None


def resolve_path(value: str | Path) -> Path:
    """A path as a user gave it: ``~`` expanded, and a relative path taken from the project root in a checkout
    (notebooks run inside ``notebooks/``, ``make`` at the root: both must mean the same file).

    Examples
    --------
    >>> resolve_path("data/raw") == RAW_DIR if IN_CHECKOUT else True
    True
    """
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = (PROJECT_ROOT if IN_CHECKOUT else Path.cwd()) / path
    return path.resolve()


def corpus_slug(path) -> str | None:
    """The folder name of a corpus's outputs and report: None for the embedded corpus (``data/processed``,
    ``reports/html``), else the corpus's file or folder name without its suffixes, in safe characters.

    Examples
    --------
    >>> corpus_slug("/data/Berita Juni.jsonl.gz"), corpus_slug(RAW_DIR)
    ('berita-juni', None)
    """
    import re

    path = Path(path)
    if path.expanduser().resolve() == RAW_DIR.resolve():
        return None
    name = path.name.lower()
    for suffix in (".gz", ".jsonl", ".ndjson", ".csv", ".tsv", ".parquet", ".html", ".htm", ".txt"):
        name = name.removesuffix(suffix)
    slug = re.sub(r"[^a-z0-9_]+", "-", name).strip("-")
    return "corpus-" + slug if slug in ("", "html", "output", "screenshots") else slug


def run_settings(environ=None) -> RunSettings:
    """The run settings from the environment (``environ``, default: this process's).

    ``KLIPING_CORPUS`` (default: the embedded sample in ``data/raw``, whose label field is
    :data:`EMBEDDED_LABEL_FIELD`), ``KLIPING_TEXT_FIELD``, ``KLIPING_TITLE_FIELD``, ``KLIPING_ID_FIELD``,
    ``KLIPING_LABEL_FIELD``, ``KLIPING_DATE_FIELD``, ``KLIPING_URL_FIELD``, ``KLIPING_SITE_FIELD``, ``KLIPING_K``,
    ``KLIPING_SEED``,
    ``KLIPING_METHOD``, ``KLIPING_OUT`` (default: ``data/processed``), ``KLIPING_SCHEDULER`` (``local`` or
    ``tcp://host:8786``: run on Dask, see :mod:`kliping.scale`), ``KLIPING_LANGUAGES`` (the languages
    clustered, default ``id``; ``id,en`` clusters English articles too) and ``KLIPING_PERIOD`` (``day``, ``week``
    or ``month`` for ``topics_over_time.csv``; default: chosen from the span). Set them before JupyterLab
    starts (``make lab CORPUS=...`` does); relative paths are taken from the project root.

    Examples
    --------
    >>> run_settings({"KLIPING_SEED": "7", "KLIPING_LABEL_FIELD": "kanal"}).seed
    7
    >>> run_settings({"KLIPING_K": "lima"})
    Traceback (most recent call last):
    kliping.config.SettingError: KLIPING_K='lima' is not a whole number
    """
    corpus = env_setting("KLIPING_CORPUS", environ)
    if corpus is None and not IN_CHECKOUT:
        raise SettingError("no corpus: set KLIPING_CORPUS (or pass the corpus path to kliping report)")
    out = env_setting("KLIPING_OUT", environ)
    seed = _int_setting("KLIPING_SEED", environ)
    path = resolve_path(corpus) if corpus else RAW_DIR
    fields = {name: env_setting(f"KLIPING_{name.upper()}", environ) for name in FIELD_NAMES}
    if path == RAW_DIR.resolve() and fields["label_field"] is None:
        fields["label_field"] = EMBEDDED_LABEL_FIELD  # the embedded corpus is scored against its editors
    if fields["label_field"] == NO_FIELD:
        fields["label_field"] = None
    return RunSettings(
        path=path,
        **fields,
        k=_int_setting("KLIPING_K", environ),
        seed=SEED if seed is None else seed,
        method=env_setting("KLIPING_METHOD", environ) or "auto",
        output_dir=resolve_path(out) if out else default_output_dir(path, environ),
        scheduler=env_setting("KLIPING_SCHEDULER", environ),
        languages=env_setting("KLIPING_LANGUAGES", environ),
        period=env_setting("KLIPING_PERIOD", environ),
    )


def default_output_dir(path, environ=None) -> Path:
    """``processed/`` of the work folder for the embedded corpus, ``processed/<corpus name>/`` for another.

    Examples
    --------
    >>> default_output_dir("/data/berita.csv", {"KLIPING_WORK_DIR": "/tmp/w"})
    PosixPath('/tmp/w/processed/berita')
    """
    slug = corpus_slug(path)
    processed = work_dir(environ) / "processed"
    return processed if slug is None else processed / slug


def settings_environ(settings: RunSettings) -> dict:
    """The ``KLIPING_*`` variables that make :func:`run_settings` give ``settings`` back (for the kernels).

    Examples
    --------
    >>> s = RunSettings(Path("/data/berita.csv"), text_field="isi", k=6, output_dir=Path("/tmp/out"))
    >>> run_settings(settings_environ(s)) == s
    True
    """
    values = {
        "KLIPING_CORPUS": settings.path,
        "KLIPING_TEXT_FIELD": settings.text_field,
        "KLIPING_TITLE_FIELD": settings.title_field,
        "KLIPING_ID_FIELD": settings.id_field,
        "KLIPING_LABEL_FIELD": settings.label_field,
        "KLIPING_DATE_FIELD": settings.date_field,
        "KLIPING_URL_FIELD": settings.url_field,
        "KLIPING_SITE_FIELD": settings.site_field,
        "KLIPING_K": settings.k,
        "KLIPING_SEED": settings.seed,
        "KLIPING_METHOD": settings.method,
        "KLIPING_OUT": settings.output_dir,
        "KLIPING_SCHEDULER": settings.scheduler,
        "KLIPING_LANGUAGES": ",".join(settings.languages),
    }
    if settings.label_field is None and settings.is_embedded_sample:
        values["KLIPING_LABEL_FIELD"] = NO_FIELD
    return {name: "" if value is None else str(value) for name, value in values.items()}


def shown(path: Path) -> str:
    """``path`` relative to the project when it lies inside it (for messages), else as it is.

    Examples
    --------
    >>> shown(PROJECT_ROOT / "data" / "interim" / "articles.parquet")
    'data/interim/articles.parquet'
    """
    path = Path(path)
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
