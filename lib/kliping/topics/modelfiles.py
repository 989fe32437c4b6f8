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
    ``topics``           one object per topic, in topic order: ``topic``, ``label``, ``words`` (best first)
    ``arrays``           ``{"file": "arrays.npz", "sha256": ...}``: the arrays file and its hash, so a damaged
                         file, or one of another run, is refused

``model/arrays.npz`` (numpy, read with ``allow_pickle=False``)
    ``terms``       the vocabulary (unicode strings), column order of the TF-IDF matrix
    ``idf``         float64, one idf weight per term
    ``components``  float32, ``(d, n_terms)``: the projection to document vectors (absent without one)
    ``centres``     float32, ``(k, d)``: every topic's unit-length centre in the document space

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
['arrays.npz', 'model.json']
>>> load_model(folder.parent).labels == result.model.labels
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
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    data = buffer.getvalue()
    with atomic_path(folder / ARRAYS_FILE) as tmp:
        tmp.write_bytes(data)
    words = list(model.words) or [[] for _ in model.labels]
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
            for t, (label, topic_words) in enumerate(zip(model.labels, words))
        ],
        "arrays": {"file": ARRAYS_FILE, "sha256": hashlib.sha256(data).hexdigest()},
    }
    write_json(folder / META_FILE, meta)
    return folder


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


def load_model(path):
    """Read a model folder (or a run's output folder holding one) into a :class:`kliping.topics.model.TopicModel`.

    Raises
    ------
    ModelError
        One line: no model there, a damaged file, or a model of another format version or stemmer.
    """
    from kliping.stem import stemmer_version
    from kliping.topics.model import TopicModel
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
        model = TopicModel(
            vectorizer=vectorizer,
            components=arrays.get("components"),
            centres=arrays["centres"],
            labels=[str(topic["label"]) for topic in topics],
            words=[[str(word) for word in topic["words"]] for topic in topics],
            outlier_cosine=float(meta["outlier_cosine"]),
            settings=dict(meta.get("settings") or {}),
            kliping_version=str(meta["kliping_version"]),
            stemmer_version=str(meta["stemmer_version"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ModelError(f"{folder / META_FILE} is damaged (missing or bad {error})") from None
    _check_shapes(folder, model, arrays)
    return model


def _read_meta(path: Path) -> dict:
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(f"{path} is damaged (not JSON: {error})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelError(f'{path} is not a kliping topic model (no "format": "{FORMAT}")')
    return meta


def _read_arrays(folder: Path, meta: dict) -> dict:
    import zipfile

    about = meta.get("arrays") or {}
    path = folder / str(about.get("file", ARRAYS_FILE))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"{path} is missing: the model folder is incomplete") from None
    if hashlib.sha256(data).hexdigest() != about.get("sha256"):
        raise ModelError(f"{path} is damaged or belongs to another model (its hash differs from {META_FILE}'s)")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise ModelError(f"{path} is damaged ({error})") from None


def _check_shapes(folder: Path, model, arrays: dict) -> None:
    terms, centres, components = arrays["terms"], arrays["centres"], arrays.get("components")
    dims = len(terms) if components is None else components.shape[0]
    fits = (
        len(arrays["idf"]) == len(terms)
        and centres.ndim == 2
        and centres.shape == (len(model.labels), dims)
        and (components is None or components.shape == (dims, len(terms)))
    )
    if not fits:
        raise ModelError(f"{folder / ARRAYS_FILE} is damaged: its arrays do not fit together or with {META_FILE}")
