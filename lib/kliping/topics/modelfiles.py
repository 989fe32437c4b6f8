"""A topic model on disk: the ``model/`` folder ``kliping run`` writes and ``kliping assign`` reads.

Two files, no pickle, so a model from elsewhere cannot run code and a newer scikit-learn still reads it:

``model/model.json`` (UTF-8 JSON)
    ``format``           ``"kliping-topic-model"``
    ``format_version``   :data:`FORMAT_VERSION`; a model of another format version is refused
    ``kliping_version``  the kliping that wrote it
    ``stemmer_version``  :func:`kliping.stem.stemmer_version` of the stems the vocabulary is made of; a model made
                         with other stems is refused (its words would silently not match)
    ``run_id``           the run's id, as in ``metrics.json`` and ``articles.parquet``
    ``settings``         the run's settings (corpus, fields, k, seed, method)
    ``vectorizer``       the TF-IDF settings (``min_df``, ``max_df``, ``sublinear_tf``, ``max_features``) and
                         ``n_terms``
    ``projection``       ``{"dims": d}``, or null when the corpus was too small to project
    ``outlier_cosine``   an article whose cosine to every topic centre is below this gets topic -1
    ``topics``           one object per topic, in topic order: ``topic``, ``label``, ``words`` (best first) and
                         ``size`` (its articles in the run; absent in a model saved before sizes were kept)
    ``edits``            the renames and merges made since the run (``kliping topics --rename/--merge``, see
                         :mod:`kliping.topics.edit`), oldest first; absent when there were none
    ``arrays``           ``{"file": "arrays.npz", "sha256": ...}``: the arrays file and its hash, so a damaged
                         file, or one of another run, is refused
    ``signatures``       ``{"file": "signatures.npz", "sha256": ..., "articles": n}``: the fitted articles' copy
                         signatures (below), checked as the arrays are; absent in a model saved before they were
                         kept (``kliping assign`` then finds copies among the new articles only)

``model/arrays.npz`` (numpy, read with ``allow_pickle=False``)
    ``terms``       the vocabulary (unicode strings), column order of the TF-IDF matrix
    ``idf``         float64, one idf weight per term
    ``components``  float32, ``(d, n_terms)``: the projection to document vectors (absent without one)
    ``centres``     float32, ``(c, d)``: the unit-length centres in the document space, one per topic (c = k)
    ``centre_topics`` int64, ``(c,)``: the topic of every centre, when merged topics keep their members' centres
                    (``kliping topics --merge``); absent when centre t is topic t

``model/signatures.npz`` (numpy, ``allow_pickle=False``; :mod:`kliping.topics.fitted`), one row per fitted
article that can have a copy (enough words for a MinHash signature), in the run's order
    ``ids``         unicode, the article ids (unique)
    ``published``   int64, the publication time in nanoseconds since 1970 UTC (int64's lowest: undated)
    ``signatures``  uint32, ``(n, 64)``: the MinHash signature (:func:`kliping.clean.copies.signatures`)
    ``topic``, ``confidence``, ``reason``  int64, float64, unicode: where the run placed it (topic -1: none)

An article is placed by stemming it, weighting its stems by TF-IDF (``1 + log tf`` times idf, rows of unit
length), projecting onto ``components``, normalising, and taking the centre of highest cosine
(:mod:`kliping.topics.model`). The arrays file is written first and ``model.json`` last, each atomically.

Examples
--------
>>> import tempfile
>>> from kliping import config, pipeline
>>> result = pipeline.run(config.RAW_DIR / "000_1ed279cb64cb3699.txt", k=1, progress=False)
>>> folder = save_model(result.model, Path(tempfile.mkdtemp()) / "model")
>>> sorted(p.name for p in folder.iterdir())
['arrays.npz', 'model.json', 'signatures.npz']
>>> read_model(folder.parent)["labels"] == result.model.labels
True
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np

from kliping.base.version import __version__
from kliping.config import SettingError

FORMAT = "kliping-topic-model"
#: Bump when a file of the format changes meaning; models of another format version are refused.
FORMAT_VERSION = 1
#: The folder a run's model goes to, inside the output folder.
MODEL_DIR = "model"
META_FILE = "model.json"
ARRAYS_FILE = "arrays.npz"
SIGNATURES_FILE = "signatures.npz"


class ModelError(SettingError):
    """A model folder that cannot be used: missing, damaged, or written by an incompatible version (one line)."""


def save_model(model, folder, run_id: str | None = None) -> Path:
    """Write a :class:`kliping.topics.model.TopicModel` into ``folder`` (``arrays.npz``, then ``model.json``)."""
    from kliping.base.atomic import atomic_path, write_json

    folder = Path(folder)
    vectorizer = model.vectorizer
    arrays = {
        "terms": np.array(vectorizer.get_feature_names_out(), dtype=str),
        "idf": np.asarray(vectorizer.idf_, dtype=np.float64),
        "centres": np.asarray(model.centres, dtype=np.float32),
    }
    if model.components is not None:
        arrays["components"] = np.asarray(model.components, dtype=np.float32)
    if getattr(model, "centre_topics", None) is not None:
        arrays["centre_topics"] = np.asarray(model.centre_topics, dtype=np.int64)
    data = _npz_bytes(arrays)
    with atomic_path(folder / ARRAYS_FILE) as tmp:
        tmp.write_bytes(data)
    signatures = _save_signatures(getattr(model, "fitted", None), folder)
    words = list(model.words) or [[] for _ in model.labels]
    sizes = list(getattr(model, "sizes", []))
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kliping_version": __version__,
        "stemmer_version": model.stemmer_version,
        "about": "a kliping topic model: the format is described in kliping.topics.modelfiles",
        "run_id": run_id,
        "settings": model.settings,
        "vectorizer": {**vectorizer.settings(), "n_terms": len(arrays["terms"])},
        "projection": None if model.components is None else {"dims": int(model.components.shape[0])},
        "outlier_cosine": model.outlier_cosine,
        "topics": [
            {"topic": t, "label": label, "words": list(topic_words)}
            | ({"size": int(sizes[t])} if len(sizes) == len(model.labels) else {})
            for t, (label, topic_words) in enumerate(zip(model.labels, words))
        ],
        **({"edits": list(model.edits)} if getattr(model, "edits", None) else {}),
        "arrays": {"file": ARRAYS_FILE, "sha256": hashlib.sha256(data).hexdigest()},
        **({"signatures": signatures} if signatures else {}),
    }
    write_json(folder / META_FILE, meta)
    return folder


#: Arrays stored as they are, not deflated: the projection's float32 components and the copy signatures are
#: near-random numbers, which zlib shrank by 7 and 10 % (14.9 -> 13.8 MB, 5.6 -> 5.1 MB) for 0.95 and 0.38 s of
#: a 22k run's CPU; the words, ids and reasons (UTF-32 text) it shrinks 10-400 times.
STORED_ARRAYS = ("components", "signatures")


def _npz_bytes(arrays: dict) -> bytes:
    """``arrays`` as the bytes of an ``.npz`` file (``np.load`` reads it): each array deflated as by
    ``np.savez_compressed``, but the :data:`STORED_ARRAYS`."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, array in arrays.items():
            member = zipfile.ZipInfo(f"{name}.npy")
            member.compress_type = zipfile.ZIP_STORED if name in STORED_ARRAYS else zipfile.ZIP_DEFLATED
            with archive.open(member, "w", force_zip64=True) as handle:
                np.lib.format.write_array(handle, np.asanyarray(array), allow_pickle=False)
    return buffer.getvalue()


def _save_signatures(fitted, folder: Path) -> dict | None:
    """Write the fitted articles' signatures (:class:`kliping.topics.fitted.FittedArticles`) into ``folder``; what
    ``model.json`` says of the file (None: there are none)."""
    from kliping.base.atomic import atomic_path

    if fitted is None:
        return None
    arrays = fitted.arrays()
    if sum(a.nbytes for a in arrays.values()) > MAX_ARRAYS_BYTES:  # about 4 million articles: never loaded again
        import warnings

        warnings.warn(
            f"the model keeps no copy signatures of its {len(fitted):,} articles (over "
            f"{MAX_ARRAYS_BYTES / 2**30:g} GB): kliping assign will find copies among new articles only",
            stacklevel=3,
        )
        return None
    data = _npz_bytes(arrays)
    with atomic_path(folder / SIGNATURES_FILE) as tmp:
        tmp.write_bytes(data)
    return {"file": SIGNATURES_FILE, "sha256": hashlib.sha256(data).hexdigest(), "articles": len(fitted)}


def model_folder(path) -> Path:
    """The model folder ``path`` names: the folder itself, its ``model.json``, or a run's output folder.

    Raises
    ------
    ModelError
        When there is no model there.
    """
    path = Path(path)
    for folder in (path.parent if path.name == META_FILE else path, path / MODEL_DIR):
        if (folder / META_FILE).is_file():
            return folder
    raise ModelError(f"no topic model at {path}: give the model folder of a `kliping run` output (OUT/{MODEL_DIR})")


def read_model(path) -> dict:
    """Read a model folder (or a run's output folder holding one): the fields of a
    :class:`kliping.topics.model.TopicModel` (:func:`kliping.topics.model.load_model` makes the model of them; this
    module does not import the model's, so the model can save itself with :func:`save_model`).

    Raises
    ------
    ModelError
        One line: no model there, a damaged file, or a model of another format version or stemmer.
    """
    from kliping.stem import stemmer_version
    from kliping.topics.vocabulary import Vocabulary

    folder = model_folder(path)
    meta = _read_meta(folder / META_FILE)
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(
            f"{folder} was saved in model format {meta.get('format_version')!r} by kliping "
            f"{meta.get('kliping_version', '?')}; kliping {__version__} reads format {FORMAT_VERSION}: "
            "fit it again with `kliping run`"
        )
    if meta.get("stemmer_version") != stemmer_version():
        raise ModelError(
            f"{folder} was made with another stemmer (version {meta.get('stemmer_version')!r}, now "
            f"{stemmer_version()!r}), so its words would not match new articles: fit it again with `kliping run`"
        )
    arrays = _read_arrays(folder, meta)
    try:
        # Not scikit-learn's vectorizer: placing needs only the vocabulary and weights (see kliping.topics.vocabulary).
        vectorizer = Vocabulary.from_saved(meta["vectorizer"], arrays["terms"].tolist(), arrays["idf"])
        topics = meta["topics"]
        fields = dict(
            vectorizer=vectorizer,
            components=arrays.get("components"),
            centres=arrays["centres"],
            labels=[str(topic["label"]) for topic in topics],
            words=[[str(word) for word in topic["words"]] for topic in topics],
            outlier_cosine=float(meta["outlier_cosine"]),
            settings=dict(meta.get("settings") or {}),
            kliping_version=str(meta["kliping_version"]),
            stemmer_version=str(meta["stemmer_version"]),
            sizes=[int(topic["size"]) for topic in topics] if all("size" in topic for topic in topics) else [],
            edits=[dict(edit) for edit in meta.get("edits") or []],
            centre_topics=arrays.get("centre_topics"),
        )
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        raise ModelError(f"{folder / META_FILE} is damaged (missing or bad {error})") from None
    _check_shapes(folder, fields, arrays)
    fields["fitted"] = _read_signatures(folder, meta, len(fields["labels"]))
    return fields


#: The largest ``model.json`` and ``arrays.npz`` read, and the most bytes the arrays may take once loaded: a
#: model of 22,000 articles has a 60 MB arrays file (50,000 terms by 300 dimensions of float32).
MAX_META_BYTES = 64 * 2**20
MAX_ARRAYS_BYTES = 2 * 2**30
#: What each array must be (numpy kind letters) and how many dimensions it has.
ARRAY_KINDS = {
    "terms": ("U", 1),
    "idf": ("f", 1),
    "centres": ("f", 2),
    "components": ("f", 2),
    "centre_topics": ("i", 1),
}


def _regular_bytes(folder: Path, name, what: str) -> bytes:
    """The bytes of ``name`` in ``folder``: a plain name (no folder part, not absolute, no ``..``) of a regular
    file that is not a symlink; never a FIFO (no hang: stat first, open without blocking) or a device."""
    import os
    import stat

    from kliping.io.files import NotRegularError, ReadLimits, open_regular

    if not isinstance(name, str) or name in ("", ".", "..") or Path(name).name != name or "\\" in name:
        raise ModelError(f"{folder / META_FILE} names {what} {name!r}: a model reads only files in its own folder")
    path = folder / name
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise ModelError(f"{path} is missing: the model folder is incomplete") from None
    except OSError as error:
        raise ModelError(f"{path} cannot be read ({error.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a symlink" if stat.S_ISLNK(info.st_mode) else "not a regular file"
        raise ModelError(f"{path} is {kind}: a model reads only regular files in its own folder")
    limit = MAX_META_BYTES if what == "its description" else MAX_ARRAYS_BYTES
    try:
        with open_regular(path, ReadLimits(max_file_mb=limit / 2**20)) as handle:
            data = handle.read(limit + 1)  # a file that grows while read is cut off here
    except NotRegularError as error:
        raise ModelError(f"{path} cannot be used: {error.reason}") from None
    except OSError as error:
        raise ModelError(f"{path} cannot be read ({error.strerror or error})") from None
    if len(data) > limit:
        raise ModelError(f"{path} grew past {limit / 2**20:,.0f} MB while read: a model reads no such file")
    return data


def _read_meta(path: Path) -> dict:
    raw = _regular_bytes(path.parent, path.name, "its description")
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(f"{path} is damaged (not JSON: {error})") from None
    except RecursionError:  # a file nested thousands deep: Python's parser gives up, so does kliping
        raise ModelError(f"{path} is damaged (nested too deep)") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelError(f'{path} is not a kliping topic model (no "format": "{FORMAT}")')
    return meta


def _read_arrays(folder: Path, meta: dict, key: str = "arrays", kinds=None, required=("terms", "idf", "centres")):
    """The arrays of the file ``meta[key]`` names, checked against its hash and, before numpy allocates anything,
    each member's kind and dimensions (``kinds``, default :data:`ARRAY_KINDS`)."""
    import zipfile

    about = meta.get(key)
    about = about if isinstance(about, dict) else {}
    name = about.get("file", ARRAYS_FILE if key == "arrays" else SIGNATURES_FILE)
    data = _regular_bytes(folder, name, f"its {key}")
    path = folder / name
    if hashlib.sha256(data).hexdigest() != about.get("sha256"):
        raise ModelError(f"{path} is damaged or belongs to another model (its hash differs from {META_FILE}'s)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_headers(path, archive, kinds or ARRAY_KINDS, required)
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise ModelError(f"{path} is damaged ({error})") from None


#: What each array of ``signatures.npz`` must be (numpy kind letters) and how many dimensions it has.
SIGNATURE_KINDS = {
    "ids": ("U", 1),
    "published": ("i", 1),
    "signatures": ("u", 2),
    "topic": ("i", 1),
    "confidence": ("f", 1),
    "reason": ("U", 1),
}


def _read_signatures(folder: Path, meta: dict, k: int):
    """The fitted articles of ``signatures.npz`` (:class:`kliping.topics.fitted.FittedArticles`), checked as the
    arrays are and for fitting together; None for a model saved before they were kept."""
    from kliping.topics.fitted import FittedArticles

    if "signatures" not in meta:
        return None
    arrays = _read_arrays(folder, meta, "signatures", SIGNATURE_KINDS, tuple(SIGNATURE_KINDS))
    fitted = FittedArticles.from_arrays(arrays)
    about = meta["signatures"]
    if not fitted.fits(k) or about.get("articles") != len(fitted):
        raise ModelError(
            f"{folder / about.get('file', SIGNATURES_FILE)} is damaged: its arrays do not fit together or with "
            f"{META_FILE}"
        )
    return fitted


def _check_headers(path: Path, archive, kinds: dict, required) -> None:
    """Each member's kind, dimensions and size from its ``.npy`` header, before numpy allocates anything."""
    total = 0
    for member in archive.infolist():
        name = member.filename.removesuffix(".npy")
        if name not in kinds:
            raise ModelError(f"{path} holds {name!r}, not an array of a kliping model")
        with archive.open(member) as handle:
            version = np.lib.format.read_magic(handle)
            read_header = (
                np.lib.format.read_array_header_1_0 if version == (1, 0) else (np.lib.format.read_array_header_2_0)
            )
            shape, _, dtype = read_header(handle)
        kind, ndim = kinds[name]
        if dtype.kind != kind or len(shape) != ndim:
            raise ModelError(f"{path}: {name} is {dtype} of {len(shape)} dimensions, not what a model holds")
        total += int(np.prod(shape, dtype=object)) * dtype.itemsize
        if total > MAX_ARRAYS_BYTES:
            raise ModelError(f"{path}: its arrays would take over {MAX_ARRAYS_BYTES / 2**30:g} GB in memory")
    missing = set(required) - {m.filename.removesuffix(".npy") for m in archive.infolist()}
    if missing:
        raise ModelError(f"{path} lacks {', '.join(sorted(missing))}: the model folder is incomplete")


def _check_shapes(folder: Path, fields: dict, arrays: dict) -> None:
    terms, centres, components = arrays["terms"], arrays["centres"], arrays.get("components")
    dims = len(terms) if components is None else components.shape[0]
    owners = arrays.get("centre_topics", np.arange(len(centres)))
    fits = (
        len(arrays["idf"]) == len(terms)
        and centres.ndim == 2
        and centres.shape[1] == dims
        and len(owners) == len(centres)
        and sorted(set(owners.tolist())) == list(range(len(fields["labels"])))
        and (components is None or components.shape == (dims, len(terms)))
        and all(np.isfinite(a).all() for a in (arrays["idf"], centres, *([] if components is None else [components])))
        and np.isfinite(fields["outlier_cosine"])
        and -1.0 <= fields["outlier_cosine"] <= 1.0
    )
    if not fits:
        raise ModelError(
            f"{folder / ARRAYS_FILE} is damaged: its arrays do not fit together or with {META_FILE}, or hold "
            "values that are not finite"
        )
