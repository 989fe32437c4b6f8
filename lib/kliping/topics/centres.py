"""Topic centres, and every article placed at its nearest one: how a large corpus gets the topics its landmarks found.

Above :data:`kliping.topics.clustering.SPECTRAL_MAX_ARTICLES` articles the spectral graph is built on evenly spaced
landmark articles only (:func:`kliping.topics.clustering.fit_topics`); every article then joins the landmark topic
whose centre is nearest (cosine), and :func:`refine` moves the centres to their articles' mean a few times, as a
spherical KMeans started from the landmarks' topics. Nothing here draws a random number: the partition is the
landmarks' partition, whatever the seed did not already decide there.

Examples
--------
>>> Z = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])  # "banjir Jakarta", "banjir Bekasi", "gol Persija"
>>> refine(Z, topic_centres(Z[[0, 2]], np.array([0, 1])), steps=1).tolist()
[0, 0, 1]
"""

from __future__ import annotations

import functools

import numpy as np
from sklearn.cluster import KMeans
from threadpoolctl import ThreadpoolController


def unit_rows(M: np.ndarray) -> np.ndarray:
    """``M`` with every non-zero row scaled to length 1 (zero rows stay zero).

    Examples
    --------
    >>> unit_rows(np.array([[3.0, 4.0], [0.0, 0.0]])).tolist()
    [[0.6, 0.8], [0.0, 0.0]]
    """
    norms = np.linalg.norm(M, axis=1, keepdims=True)
    return M / np.where(norms > 0, norms, 1.0)


def topic_centres(Z: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The unit-length mean vector of every topic (row t for topic t; a topic without articles: a zero row).

    Examples
    --------
    >>> topic_centres(np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]), np.array([0, 1, 1]))
    array([[1., 0.],
           [0., 1.]])
    """
    k = int(labels.max()) + 1
    sums = np.zeros((k, Z.shape[1]), dtype=np.result_type(Z.dtype, np.float32))
    np.add.at(sums, labels, Z)
    return unit_rows(sums)


def nearest_centre(Z: np.ndarray, centres: np.ndarray, chunk: int = 20_000) -> np.ndarray:
    """Each row of ``Z`` (unit length) labelled with its nearest centre by cosine, in chunks of ``chunk`` rows so
    that a corpus of any size needs ``chunk × k`` numbers at a time (ties: the lower topic number)."""
    return np.concatenate(
        [np.argmax(Z[a : a + chunk] @ centres.T, axis=1) for a in range(0, len(Z), chunk)] or [np.zeros(0, int)]
    )


def refine(Z: np.ndarray, centres: np.ndarray, steps: int) -> np.ndarray:
    """Every row of ``Z`` at its nearest of ``centres``, then ``steps`` times: the centres moved to the mean of
    their articles (a topic left empty keeps its centre), the articles placed again.

    Deterministic: the same centres give the same labels. Fewer topics than centres come back only when a centre
    is nearest to no article at all.

    Examples
    --------
    The landmarks' "gol" topic leans towards "banjir"; the second article joins it, and goes back to "banjir" once
    the centres have followed their articles:

    >>> Z = np.array([[1.0, 0.0], [0.9, 0.44], [0.62, 0.78], [0.0, 1.0]])
    >>> landmark_centres = np.array([[1.0, 0.0], [0.8, 0.6]])
    >>> refine(Z, landmark_centres, steps=0).tolist(), refine(Z, landmark_centres, steps=2).tolist()
    ([0, 1, 1, 1], [0, 0, 1, 1])
    """
    labels = nearest_centre(Z, centres)
    for _ in range(steps):
        held = np.bincount(labels, minlength=len(centres)) > 0
        centres = np.where(held[:, None], _pad(topic_centres(Z, labels), len(centres)), centres)
        new = nearest_centre(Z, centres)
        if np.array_equal(new, labels):
            break
        labels = new
    return labels


def _pad(centres: np.ndarray, k: int) -> np.ndarray:
    """``centres`` with zero rows added up to ``k`` rows (topic_centres stops at the highest topic held)."""
    return np.vstack([centres, np.zeros((k - len(centres), centres.shape[1]), dtype=centres.dtype)])


@functools.cache
def thread_pools() -> ThreadpoolController:
    """The process's thread pools (OpenMP, BLAS), found once: ``threadpool_limits`` looks for them again on every
    call (13 ms each, 0.5 s of the 22k run's 38 KMeans fits), and they are all loaded by the first call (numpy, scipy
    and scikit-learn's compiled parts are imported by then)."""
    return ThreadpoolController()


def kmeans_labels(features: np.ndarray, k: int, seed: int, n_init: int = 10) -> np.ndarray:
    """KMeans labels, on one OpenMP thread: on this 2-core machine the thread pool's start-up and
    spin-waits cost more than they save (22k × 100-dimensional document vectors, k = 12: 2.0 s on one thread, 6.8 s on
    two)."""
    with thread_pools().limit(limits=1):  # and one BLAS thread: the same bits on any number of cores
        return KMeans(k, n_init=n_init, random_state=seed).fit_predict(features)
