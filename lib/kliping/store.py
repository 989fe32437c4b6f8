"""Every file that passes from one stage (or notebook) to the next, and the run's outputs.

One place, one format per kind, written atomically, stamped with what made it:

* tables (articles, cleaned pages, per-article outputs) are **parquet**; the stamp sits in the file's own
  key-value metadata, so a table and its stamp can never disagree;
* the stems are parquet too (one token list per article; display words and counts in the metadata);
* vectors are one **.npz** of plain arrays (sparse TF-IDF as data/indices/indptr, LSA vectors and
  projection, vocabulary and idf) read with ``allow_pickle=False``: no pickle, so a file from elsewhere
  cannot run code, and a newer scikit-learn still reads it;
* small figures (``summary.json``, ``metrics.json``) are JSON.

Each file is written to a temporary name in its own folder and renamed into place, so a reader sees the
old file or the new one, never half of one. The stamp names the corpus (path, size and modification
times of its files), the settings the stage depends on and the kliping version; :meth:`Store.load`
compares it with the current settings and raises :class:`StaleArtifactError` (one line naming the
notebook to run) rather than hand on another corpus's data.

Examples
--------
>>> import tempfile
>>> from kliping import config
>>> settings = config.RunSettings(config.RAW_DIR)
>>> store = Store(tempfile.mkdtemp(), settings)
>>> path = store.save("articles", pd.DataFrame({"id": ["a"], "text": ["Banjir di Bekasi"]}))
>>> store.load("articles")["text"].tolist()
['Banjir di Bekasi']
>>> other = Store(store.folder, config.RunSettings(config.RAW_DIR / "000_1ed279cb64cb3699.txt"))
>>> other.load("articles")  # doctest: +ELLIPSIS
Traceback (most recent call last):
kliping.store.StaleArtifactError: articles.parquet was made from another corpus (data/raw): run notebooks/01_load...
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import scipy.sparse as sp

from kliping import __version__, config

#: Which notebook makes each artifact, and which settings it depends on (besides the corpus and its fields).
ARTIFACTS = {
    "articles": ("01_load", "parquet", ()),
    "cleaned": ("02_clean", "parquet", ()),
    "stemmed": ("03_stem", "parquet", ("languages",)),
    "vectors": ("04_vectorize", "npz", ("seed", "languages")),
    "summary": (None, "json", ()),
}
#: The files a run leaves in its output folder (``kliping run -o DIR`` and ``make report OUT=DIR`` alike); the
#: topic model folder ``model/`` (``kliping assign`` places new articles with it, see :mod:`kliping.modelfiles`)
#: is there when the run kept one.
OUTPUT_FILES = ("assignments.csv", "topics.csv", "metrics.json", "articles.parquet", "model")
_STAMP_KEY = b"kliping.stamp"
_EXTRA_KEY = b"kliping.extra"
#: Columns of topics.csv that hold lists, written as "a | b | c".
_LIST_SEPARATOR = " | "


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


class StaleArtifactError(RuntimeError):
    """An artifact is missing, or was made from another corpus or other settings than the current ones."""


def _show_in_one_line(shell, etype, value, tb, tb_offset=None):
    """In a notebook, a stale artifact is one line saying what to run, not a traceback through the store."""
    print(f"{etype.__name__}: {value}", file=sys.stderr)


def _register_notebook_errors() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # no IPython: nothing to register
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((StaleArtifactError,), _show_in_one_line)


_register_notebook_errors()


# --------------------------------------------------------------------------- atomic writes
@contextlib.contextmanager
def atomic_path(path: Path):
    """Yield a temporary path beside ``path``; rename it onto ``path`` only when the block succeeds.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "judul.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("Banjir di Bekasi")
    >>> target.read_text(), [p.name for p in target.parent.iterdir()]
    ('Banjir di Bekasi', ['judul.txt'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes the file private; outputs get the user's usual mode
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_json(path: Path, payload) -> Path:
    """Write JSON atomically (numpy scalars as plain numbers, non-ASCII kept)."""
    return write_text(path, json.dumps(_jsonable(payload), ensure_ascii=False, indent=1))


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    return value


def write_parquet(frame: pd.DataFrame, path: Path, metadata: dict | None = None, extra: dict | None = None) -> Path:
    """Write a frame as parquet atomically, with the stamp ``metadata`` and ``extra`` values (JSON) in the file's
    key-value metadata."""
    table = pa.Table.from_pandas(_parquet_safe(frame), preserve_index=False)
    stored = {
        key: json.dumps(_jsonable(value), ensure_ascii=False)
        for key, value in ((_STAMP_KEY, metadata), (_EXTRA_KEY, extra))
        if value is not None
    }
    if stored:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **stored})
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)
    return Path(path)


def _parquet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns that mix scalar types (ids as 7 and "7a") become strings; tuples become lists."""
    frame = frame.copy()
    for column in [c for c in frame.columns if pd.api.types.is_object_dtype(frame[c])]:
        values = frame[column].dropna()
        kinds = {type(v) for v in values}
        if kinds & {tuple}:
            frame[column] = frame[column].map(lambda v: list(v) if isinstance(v, tuple) else v)
        elif len(kinds) > 1 and not kinds & {list, dict}:
            frame[column] = frame[column].map(lambda v: None if pd.isna(v) else str(v))
    return frame


def read_parquet_metadata(path: Path, key: bytes = _STAMP_KEY) -> dict | None:
    """The stamp (or, with ``key=_EXTRA_KEY``, the extra values) :func:`write_parquet` stored, or None."""
    raw = (pq.read_schema(path).metadata or {}).get(key)
    return json.loads(raw) if raw else None


def write_table(frame: pd.DataFrame, path) -> Path:
    """Write a frame as ``.parquet``, ``.csv`` or ``.jsonl``, chosen by the suffix, atomically (``kliping read -o``).

    Examples
    --------
    >>> import tempfile
    >>> write_table(pd.DataFrame({"id": ["a"], "judul": ["=1+1"]}), Path(tempfile.mkdtemp()) / "t.csv").read_text()
    "id,judul\\na,'=1+1\\n"
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return write_parquet(frame, path)
    if suffix not in (".csv", ".jsonl", ".ndjson"):
        raise ValueError(f"{path}: write .parquet, .csv or .jsonl")
    with atomic_path(path) as tmp:
        if suffix == ".csv":
            csv_safe(frame).to_csv(tmp, index=False)
        else:
            frame.to_json(tmp, orient="records", lines=True, force_ascii=False, date_format="iso")
    return path


# --------------------------------------------------------------------------- stamps
def corpus_fingerprint(path: Path) -> str:
    """A short hash of a corpus's files: their paths (relative), sizes and modification times.

    Cheap on any corpus (no file is read) and changes whenever a file is added, removed or rewritten.

    Examples
    --------
    >>> fingerprint = corpus_fingerprint(config.RAW_DIR)
    >>> len(fingerprint), fingerprint == corpus_fingerprint(config.RAW_DIR)
    (16, True)
    """
    path = Path(path)
    digest = hashlib.blake2b(digest_size=8)
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        info = file.stat()
        name = file.relative_to(path) if path.is_dir() else file.name
        digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def stamp(settings: config.RunSettings, depends_on=()) -> dict:
    """What an artifact was made from: the corpus, its fields, the settings named in ``depends_on``, the version."""
    made = {
        "corpus": str(settings.path),
        "corpus_fingerprint": corpus_fingerprint(settings.path),
        "fields": settings.fields,
        "kliping_version": __version__,
    }
    for name in depends_on:
        value = getattr(settings, name)
        made[name] = ",".join(value) if isinstance(value, tuple) else value  # as JSON gives it back
    return made


def _difference(found: dict, wanted: dict) -> str:
    """The first way ``found`` differs from ``wanted``, in words."""
    if found.get("corpus") != wanted["corpus"]:
        return f"another corpus ({config.shown(Path(found.get('corpus', '?')))})"
    if found.get("corpus_fingerprint") != wanted["corpus_fingerprint"]:
        return "an earlier state of this corpus (its files changed since)"
    for key in wanted:
        if found.get(key) != wanted[key]:
            return f"other settings ({key} {found.get(key)!r}, now {wanted[key]!r})"
    return "other settings"


# --------------------------------------------------------------------------- the store
class Store:
    """The work folder of one run's settings: what one notebook saves, the next one loads.

    Parameters
    ----------
    folder : path
        Where the files go (default ``interim/`` under :func:`kliping.config.work_dir`: ``data/interim``, or
        ``$KLIPING_WORK_DIR/interim``).
    settings : RunSettings
        The current run's settings; every save is stamped with them and every load checked against them.
    """

    def __init__(self, folder=None, settings: config.RunSettings | None = None):
        self.folder = Path(folder) if folder is not None else config.work_dir() / "interim"
        self.settings = settings if settings is not None else config.run_settings()

    def path(self, name: str) -> Path:
        notebook, kind, _ = ARTIFACTS[name]
        return self.folder / f"{name}.{kind}"

    def _stamp(self, name: str) -> dict:
        return stamp(self.settings, ARTIFACTS[name][2])

    def _stale(self, name: str, why: str) -> StaleArtifactError:
        notebook = ARTIFACTS[name][0]
        todo = f"run notebooks/{notebook}.ipynb first" if notebook else "run the notebooks in order"
        return StaleArtifactError(f"{self.path(name).name} {why}: {todo}")

    def save(self, name: str, value) -> Path:
        """Save an artifact (a DataFrame, a :class:`kliping.stem.StemResult`, :class:`kliping.pipeline.Vectors`
        or a dict), stamped with the current settings."""
        path, made = self.path(name), self._stamp(name)
        if name == "stemmed":
            return _save_stemmed(value, path, made)
        if name == "vectors":
            return _save_vectors(value, path, made)
        if name == "summary":
            return write_json(path, {"stamp": made, "figures": value})
        return write_parquet(value, path, made)

    def load(self, name: str):
        """Load an artifact saved with the same corpus and settings; :class:`StaleArtifactError` otherwise."""
        path = self.path(name)
        if not path.exists():
            raise self._stale(name, "does not exist yet")
        wanted = self._stamp(name)
        if name == "vectors":
            found, value = _load_vectors(path)
        elif name == "summary":
            payload = json.loads(path.read_text(encoding="utf-8"))
            found, value = payload.get("stamp", {}), payload.get("figures", {})
        else:
            found = read_parquet_metadata(path) or {}
            value = None
        if found != wanted:
            raise self._stale(name, f"was made from {_difference(found, wanted)}")
        if name == "stemmed":
            return _load_stemmed(path)
        return pd.read_parquet(path) if value is None else value

    def update_summary(self, **figures) -> dict:
        """Merge headline figures for the report's index into ``summary.json`` and return them all."""
        try:
            summary = self.load("summary")
        except StaleArtifactError:
            summary = {}
        summary.update(_jsonable(figures))
        self.save("summary", summary)
        return summary


def _save_stemmed(result, path: Path, made: dict) -> Path:
    frame = pd.DataFrame({"tokens": result.tokens})
    extra = {
        "display_words": result.display_words,
        "stem_of": result.stem_of,
        "proper_nouns": sorted(result.proper_nouns),
        "vocabulary_before": result.vocabulary_before,
        "vocabulary_after": result.vocabulary_after,
        "n_tokens": result.n_tokens,
        "languages": list(result.languages),
    }
    return write_parquet(frame, path, made, extra)


def _load_stemmed(path: Path):
    from kliping.stem import StemResult

    extra = read_parquet_metadata(path, _EXTRA_KEY)
    extra["proper_nouns"] = set(extra["proper_nouns"])
    extra["languages"] = tuple(extra.get("languages", ("id",)))  # a file written before languages: Indonesian
    tokens = [list(tokens) for tokens in pq.read_table(path).column("tokens").to_pylist()]
    return StemResult(tokens=tokens, **extra)


def _save_vectors(vectors, path: Path, made: dict) -> Path:
    X = sp.csr_matrix(vectors.X)
    vectorizer = vectors.vectorizer
    terms = vectorizer.get_feature_names_out()
    settings = {
        "min_df": vectorizer.min_df,
        "max_df": vectorizer.max_df,
        "sublinear_tf": vectorizer.sublinear_tf,
        "max_features": vectorizer.max_features,
        "explained_variance": vectors.explained_variance,
        "display_words": vectors.display_words,
        "languages": list(vectors.languages),
        "stamp": made,
    }
    arrays = {
        "ids": np.array(vectors.ids, dtype=str),
        "usable": vectors.usable,
        "X_data": X.data,
        "X_indices": X.indices,
        "X_indptr": X.indptr,
        "X_shape": np.array(X.shape),
        "Z": vectors.Z,
        "terms": np.array(terms, dtype=str),
        "idf": vectorizer.idf_,
        "meta": np.array(json.dumps(_jsonable(settings), ensure_ascii=False)),
    }
    if vectors.components is not None:
        arrays["components"] = vectors.components
    with atomic_path(path) as tmp:
        with tmp.open("wb") as handle:
            np.savez_compressed(handle, **arrays)
    return path


def _load_vectors(path: Path):
    from kliping.pipeline import Vectors

    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        arrays = {name: data[name] for name in data.files}
    vectorizer = fitted_vectorizer(meta, arrays["terms"], arrays["idf"])
    X = sp.csr_matrix((arrays["X_data"], arrays["X_indices"], arrays["X_indptr"]), shape=tuple(arrays["X_shape"]))
    vectors = Vectors(
        ids=arrays["ids"].tolist(),
        usable=arrays["usable"],
        vectorizer=vectorizer,
        X=X,
        Z=arrays["Z"],
        components=arrays.get("components"),
        explained_variance=meta["explained_variance"],
        display_words=meta["display_words"],
        languages=tuple(meta.get("languages", config.DEFAULT_LANGUAGES)),  # a file of before languages: id
    )
    return meta["stamp"], vectors


def fitted_vectorizer(meta: dict, terms, idf):
    """A fitted TF-IDF vectorizer rebuilt from its settings, vocabulary and idf weights (public attributes)."""
    from kliping.vectorize import tfidf_vectorizer

    vectorizer = tfidf_vectorizer(
        min_df=meta["min_df"],
        max_df=meta["max_df"],
        sublinear_tf=meta["sublinear_tf"],
        max_features=meta["max_features"],
    )
    vectorizer.vocabulary_ = {str(term): i for i, term in enumerate(terms)}
    vectorizer.idf_ = idf
    return vectorizer


# --------------------------------------------------------------------------- a run's outputs
def new_run_id() -> str:
    """A unique id for one run's set of output files (in ``metrics.json`` and ``articles.parquet``)."""
    return uuid.uuid4().hex[:12]


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula (leading ``= + - @``, tab or CR) get a ``'`` in front,
    as OWASP advises for CSV files; numbers are left alone.

    Examples
    --------
    >>> csv_safe(pd.DataFrame({"title": ["=HYPERLINK(\\"x\\")", "Banjir"], "topic": [-1, 2]})).to_dict("list")
    {'title': ['\\'=HYPERLINK("x")', 'Banjir'], 'topic': [-1, 2]}
    """
    frame = frame.copy()
    for column in frame.select_dtypes(include=["object", "string"]).columns:
        frame[column] = frame[column].map(
            lambda v: "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v
        )
    return frame


def topics_table(topics: pd.DataFrame) -> pd.DataFrame:
    """The topics as ``topics.csv`` holds them: list cells joined with ``" | "``, plain strings throughout."""
    topics = topics.copy()
    for column in topics.columns:
        if topics[column].map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any():
            topics[column] = topics[column].map(lambda items: _LIST_SEPARATOR.join(map(str, items)))
    return topics


def write_outputs(result, output_dir, settings: config.RunSettings | None = None) -> Path:
    """Write a run's files into ``output_dir``: ``assignments.csv``, ``topics.csv``, ``metrics.json``,
    ``articles.parquet`` and, when the run kept one, the topic model in ``model/``. The parquet table, the model and
    ``metrics.json`` carry one run id; ``metrics.json`` is written last and names the run's settings.

    Returns the output folder.
    """
    from kliping import worklock

    output_dir = Path(output_dir)
    # Two runs writing into one folder take turns: each file is renamed into place whole, and the folder's lock
    # keeps the set whole too (one run's files and run id), never A's assignments beside B's topics.
    with worklock.hold(output_dir, name=worklock.OUTPUTS_LOCK_NAME):
        run_id = new_run_id()
        articles = result.articles.assign(run_id=run_id)
        made = stamp(settings, ("k", "seed", "method")) if settings is not None else {}
        write_parquet(articles, output_dir / "articles.parquet", {**made, "run_id": run_id})
        with atomic_path(output_dir / "assignments.csv") as tmp:
            csv_safe(result.assignments).to_csv(tmp, index=False)
        with atomic_path(output_dir / "topics.csv") as tmp:
            csv_safe(topics_table(result.topics)).to_csv(tmp, index=False)
        if result.model is not None:
            from kliping import modelfiles

            modelfiles.save_model(result.model, output_dir / modelfiles.MODEL_DIR, run_id)
        metrics = {**result.metrics, "run_id": run_id}
        if settings is not None:
            metrics["settings"] = settings.as_dict()
            metrics["corpus_fingerprint"] = made["corpus_fingerprint"]
        write_json(output_dir / "metrics.json", metrics)
    return output_dir
