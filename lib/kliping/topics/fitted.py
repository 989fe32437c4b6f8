"""The articles a model was fitted on, as much of them as ``kliping assign`` needs to find their copies.

A new article that republishes a story of the run (an exact copy, or a near copy with a line dropped or a "Baca
juga" added) is that story again, not a new one: ``kliping assign`` names its original in ``duplicate_of`` and
places it in the original's topic. To find such copies after the run, the saved model keeps every fitted article's
MinHash signature (:func:`kliping.clean.copies.signatures`: 64 uint32 values), its id and publication time (the
original of a story is its earliest published article, as in the run), and where the run placed it (topic,
confidence, reason), in ``model/signatures.npz`` (:mod:`kliping.topics.modelfiles`). On 22,136 CLICK-ID articles
that is 5.4 MB (21,961 articles long enough to have a signature); the text itself is not kept.

Examples
--------
>>> articles = pd.DataFrame({"id": ["a", "b", "c"], "status": ["ok", "ok", "empty"],
...     "published": pd.to_datetime(["2020-10-13 08:00", None, None]).tz_localize("Asia/Jakarta"),
...     "content": ["Banjir merendam ratusan rumah warga di Kecamatan Bekasi Utara setelah hujan deras turun "
...                 "sejak sore kemarin", "Gol!", ""], "topic": [0, 1, -1], "confidence": [0.8, 0.7, 0.0],
...     "reason": ["", "", "no usable text (empty)"]})
>>> fitted = FittedArticles.of(articles)  # "Gol!" and the empty page are too short to be copied: not kept
>>> fitted.ids.tolist(), fitted.signatures.shape, str(fitted.published[0])
(['a'], (1, 64), '2020-10-13 01:00:00+00:00')
>>> fitted.originals({"a", "x"})
{'a': (0, 0.8, '')}
>>> fitted.renumbered([0, 0]).topic.tolist()  # topics 0 and 1 merged into 0
[0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kliping.clean import copies

#: The stand-in for an undated article in the saved times (int64 nanoseconds since 1970, UTC).
UNDATED = np.iinfo(np.int64).min


@dataclass
class FittedArticles:
    """Every fitted article that can have a copy (one with a signature), in the run's order.

    Attributes
    ----------
    ids : ndarray of str
    published : pandas.Series of datetime64[ns, UTC]
        NaT for an undated article (after every dated one, as in the run).
    signatures : ndarray of uint32, shape (n, :data:`kliping.clean.copies.N_PERM`)
    topic, confidence, reason : ndarray
        Where the run placed each article (topic -1 and the reason for one it did not).
    """

    ids: np.ndarray
    published: pd.Series
    signatures: np.ndarray
    topic: np.ndarray
    confidence: np.ndarray
    reason: np.ndarray

    @classmethod
    def of(cls, articles: pd.DataFrame, signatures: np.ndarray | None = None) -> FittedArticles:
        """The run's article table (``id``, ``status``, ``content``, ``published``, ``topic``, ``confidence``,
        ``reason``) and the signatures of its rows, in its order (computed from ``content`` when not given:
        :func:`kliping.clean.copies.table_signatures`: 1.0-1.3 s CPU for 22,136 CLICK-ID articles, 17 s wall before
        they were computed without a Python object per word)."""
        if signatures is None:
            signatures = copies.table_signatures(articles)
        keep = ~(np.asarray(signatures) == copies.EMPTY).all(axis=1)
        rows = articles[keep]
        published = pd.to_datetime(pd.Series(copies.published_of(rows)), utc=True, errors="coerce")
        return cls(
            ids=np.array(rows["id"].astype(str).tolist(), dtype=str),
            published=published.reset_index(drop=True),
            signatures=np.ascontiguousarray(np.asarray(signatures)[keep], dtype=np.uint32),
            topic=rows["topic"].to_numpy(dtype=np.int64),
            confidence=rows["confidence"].to_numpy(dtype=np.float64),
            reason=np.array(rows["reason"].fillna("").astype(str).tolist(), dtype=str),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def originals(self, wanted) -> dict:
        """``{id: (topic, confidence, reason)}`` of the fitted articles among ``wanted`` (ids), as
        :func:`kliping.base.articles.follow_originals` takes them."""
        rows = np.flatnonzero(np.isin(self.ids, list(wanted)))
        return {str(self.ids[i]): (int(self.topic[i]), float(self.confidence[i]), str(self.reason[i])) for i in rows}

    def renumbered(self, new_topic) -> FittedArticles:
        """The articles with their topics numbered as after an edit (``new_topic[t]``: topic t's new number; a
        merged topic holds exactly its members' articles, :mod:`kliping.topics.edit`)."""
        mapping = np.asarray(list(new_topic), dtype=np.int64)
        topic = np.where(self.topic >= 0, mapping[np.clip(self.topic, 0, None)] if len(mapping) else -1, self.topic)
        return FittedArticles(self.ids, self.published, self.signatures, topic, self.confidence, self.reason)

    def arrays(self) -> dict:
        """The arrays ``model/signatures.npz`` holds (plain numpy: no pickle)."""
        when = self.published.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
        return {
            "ids": self.ids,
            "published": np.where(np.isnat(when), UNDATED, when.astype(np.int64)),
            "signatures": self.signatures,
            "topic": self.topic,
            "confidence": self.confidence,
            "reason": self.reason,
        }

    @classmethod
    def from_arrays(cls, arrays: dict) -> FittedArticles:
        """The articles as :meth:`arrays` saved them."""
        ns = np.asarray(arrays["published"], dtype=np.int64)
        return cls(
            ids=np.asarray(arrays["ids"], dtype=str),
            published=pd.Series(pd.to_datetime(ns, utc=True)).where(ns != UNDATED),
            signatures=np.asarray(arrays["signatures"], dtype=np.uint32),
            topic=np.asarray(arrays["topic"], dtype=np.int64),
            confidence=np.asarray(arrays["confidence"], dtype=np.float64),
            reason=np.asarray(arrays["reason"], dtype=str),
        )

    def fits(self, k: int) -> bool:
        """Whether the arrays hold together for a model of ``k`` topics: one row each, 64 values per signature,
        unique ids, topics from -1 to k - 1, confidences in [0, 1]."""
        n = len(self.ids)
        return bool(
            self.signatures.shape == (n, copies.N_PERM)
            and len(self.published) == len(self.topic) == len(self.confidence) == len(self.reason) == n
            and len(set(self.ids.tolist())) == n
            and ((self.topic >= -1) & (self.topic < k)).all()
            and np.isfinite(self.confidence).all()
            and ((self.confidence >= 0) & (self.confidence <= 1)).all()
        )
