"""Every file that passes from one stage (or notebook) to the next (a run's outputs: :mod:`kliping.outputs`).

One place, one format per kind, written atomically, stamped with what made it:

* tables (articles, cleaned pages, per-article outputs) are **parquet**; the stamp sits in the file's own
  key-value metadata, so a table and its stamp can never disagree;
* the stems are parquet too (one token list per article; display words and counts in the metadata);
* vectors are one **.npz** of plain arrays (sparse TF-IDF as data/indices/indptr, document vectors and
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

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import scipy.sparse as sp

from kliping import config
from kliping.base.atomic import EXTRA_KEY, atomic_path, jsonable, read_parquet_metadata, write_json, write_parquet
from kliping.base.version import __version__

#: Which notebook makes each artifact, and which settings it depends on (besides the corpus and its fields).
ARTIFACTS = {
    "articles": ("01_load", "parquet", ()),
    "cleaned": ("02_clean", "parquet", ()),
    "signatures": ("02_clean", "npz", ()),  # the cleaned rows' copy signatures: notebook 05's model keeps them
    "stemmed": ("03_stem", "parquet", ("languages",)),
    "vectors": ("04_vectorize", "npz", ("seed", "languages")),
    "summary": (None, "json", ()),
}


class StaleArtifactError(RuntimeError):
    """An artifact is missing, or was made from another corpus or other settings than the current ones."""


def _show_in_one_line(shell, etype, value, tb, tb_offset=None):
    """In a notebook, a stale artifact is one line saying what to run, not a traceback through the store."""
    print(f"{etype.__name__}: {value}", file=sys.stderr)


def _register_notebook_errors() -> None:
    # Only in a process that runs IPython already (a notebook imported it first): importing it here cost every
    # `kliping run` 0.1-0.24 s for nothing (python -X importtime, 2026-12-07).
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return
    shell = ipython.get_ipython()
    if shell is not None:
        shell.set_custom_exc((StaleArtifactError,), _show_in_one_line)


_register_notebook_errors()


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
        if name == "signatures":
            return _save_signatures(value, path, made)
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
        elif name == "signatures":
            found, value = _load_signatures(path)
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
        summary.update(jsonable(figures))
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

    extra = read_parquet_metadata(path, EXTRA_KEY)
    extra["proper_nouns"] = set(extra["proper_nouns"])
    extra["languages"] = tuple(extra.get("languages", ("id",)))  # a file written before languages: Indonesian
    tokens = [list(tokens) for tokens in pq.read_table(path).column("tokens").to_pylist()]
    return StemResult(tokens=tokens, **extra)


def _save_vectors(vectors, path: Path, made: dict) -> Path:
    X = sp.csr_matrix(vectors.X)
    vectorizer = vectors.vectorizer
    terms = vectorizer.get_feature_names_out()
    settings = {
        **vectorizer.settings(),
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
        "meta": np.array(json.dumps(jsonable(settings), ensure_ascii=False)),
    }
    if vectors.components is not None:
        arrays["components"] = vectors.components
    if vectors.has_stems is not None:
        arrays["has_stems"] = vectors.has_stems
    with atomic_path(path) as tmp:
        with tmp.open("wb") as handle:
            np.savez_compressed(handle, **arrays)
    return path


def _save_signatures(signatures: np.ndarray, path: Path, made: dict) -> Path:
    # Not compressed: MinHash values are uniform random numbers (22,136 articles: 11 MB either way).
    meta = np.array(json.dumps(jsonable({"stamp": made}), ensure_ascii=False))
    with atomic_path(path) as tmp:
        with tmp.open("wb") as handle:
            np.savez(handle, signatures=np.asarray(signatures, dtype=np.uint32), meta=meta)
    return path


def _load_signatures(path: Path):
    with np.load(path, allow_pickle=False) as data:
        return json.loads(str(data["meta"]))["stamp"], data["signatures"]


def _load_vectors(path: Path):
    from kliping.topics.results import Vectors
    from kliping.topics.vocabulary import Vocabulary

    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        arrays = {name: data[name] for name in data.files}
    vectorizer = Vocabulary.from_saved(meta, arrays["terms"], arrays["idf"])
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
        has_stems=arrays.get("has_stems"),
    )
    return meta["stamp"], vectors
