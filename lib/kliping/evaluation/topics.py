"""How good a set of topics is, the same way for kliping and for any other topic model.

Every system's topics are scored by one implementation, in one word space: kliping's stems.

* :class:`Reference` is a reference corpus seen as sets of stems (one set per article, here the 22,136
  CLICK-ID articles stemmed by :func:`kliping.stem.stem_corpus`), with the word -> stem map of that run.
* :func:`to_stems` maps a topic's words (display words, raw lowercase tokens, or stems) into that space.
* :func:`npmi`: c_npmi of each topic's top-10 stems by whole-document co-occurrence in the reference,
  averaged over pairs, then over topics (1: the words always occur together; 0: independent; -1: never).
* :func:`diversity`: the unique share of all topics' top-25 stems (1: no topic shares a word).
* :func:`score`: NMI and ARI against known labels, with the two above.

Labels are only for scoring; nothing in the stages reads this module.

Examples
--------
>>> ref = Reference.from_token_lists(
...     [["banjir", "bekasi", "hujan"], ["banjir", "hujan"], ["gol", "persib"], ["gol", "persib", "hujan"]],
...     stem_of={"banjir": "banjir", "hujan": "hujan", "gol": "gol", "persib": "persib", "kebanjiran": "banjir"})
>>> topics = [["kebanjiran", "hujan"], ["gol", "persib"]]
>>> round(npmi(topics, ref), 3), diversity(topics, ref)
(0.708, 1.0)
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

#: Words per topic for NPMI (the usual c_npmi setting) and for diversity (as in the topic-model literature).
NPMI_WORDS = 10
DIVERSITY_WORDS = 25


@dataclass
class Reference:
    """A reference corpus for coherence: which stems occur in which article.

    Attributes
    ----------
    vocabulary : list of str
        Every stem of the corpus, sorted.
    presence : scipy.sparse.csc_matrix of float32
        ``presence[d, j] = 1`` when stem ``vocabulary[j]`` occurs in article ``d``.
    stem_of : dict
        Lowercase word -> stem, as kliping's stemmer saw the corpus (:attr:`kliping.stem.StemResult.stem_of`).
    """

    vocabulary: list[str]
    presence: sp.csc_matrix
    stem_of: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self.index = {stem: j for j, stem in enumerate(self.vocabulary)}

    @property
    def n_documents(self) -> int:
        return self.presence.shape[0]

    @classmethod
    def from_token_lists(cls, token_lists: Iterable[Sequence[str]], stem_of: dict | None = None) -> Reference:
        """Build a reference from one list of stems per article.

        Examples
        --------
        >>> ref = Reference.from_token_lists([["banjir", "hujan", "banjir"], ["gol"]])
        >>> ref.vocabulary, ref.presence.toarray().tolist()
        (['banjir', 'gol', 'hujan'], [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
        """
        token_lists = [set(tokens) for tokens in token_lists]
        vocabulary = sorted(set().union(*token_lists)) if token_lists else []
        index = {stem: j for j, stem in enumerate(vocabulary)}
        rows = np.repeat(np.arange(len(token_lists)), [len(tokens) for tokens in token_lists])
        cols = np.fromiter((index[t] for tokens in token_lists for t in tokens), dtype=np.int64, count=len(rows))
        presence = sp.csc_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(token_lists), len(vocabulary))
        )
        return cls(vocabulary=vocabulary, presence=presence, stem_of=dict(stem_of or {}))

    def save(self, folder: Path | str) -> None:
        """Write ``presence.npz`` and ``reference.json`` (vocabulary and word -> stem map) into ``folder``."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        sp.save_npz(folder / "presence.npz", self.presence.tocsr())
        (folder / "reference.json").write_text(
            json.dumps({"vocabulary": self.vocabulary, "stem_of": self.stem_of}, ensure_ascii=False)
        )

    @classmethod
    def load(cls, folder: Path | str) -> Reference:
        """Read a reference written by :meth:`save`."""
        folder = Path(folder)
        stored = json.loads((folder / "reference.json").read_text())
        presence = sp.load_npz(folder / "presence.npz").tocsc().astype(np.float32)
        return cls(vocabulary=stored["vocabulary"], presence=presence, stem_of=stored["stem_of"])


def shown_words(topics: pd.DataFrame) -> list[list[str]]:
    """The words ``topics.csv`` shows per topic (topics 0, 1, ... in order), best first.

    Its ``top_terms`` column: words separated by ``" | "`` (the format of issue 13), else by ``", "``
    (the format before it). The one place that knows that format.

    Examples
    --------
    >>> shown_words(pd.DataFrame({"topic": [1, 0], "top_terms": ["gol | liga", "banjir | hujan | bekasi"]}))
    [['banjir', 'hujan', 'bekasi'], ['gol', 'liga']]
    >>> shown_words(pd.DataFrame({"topic": [0], "top_terms": ["banjir, hujan"]}))
    [['banjir', 'hujan']]
    """
    rows = topics[topics["topic"] >= 0].sort_values("topic")
    cells = rows["top_terms"].fillna("").astype(str)
    separator = " | " if cells.str.contains(" | ", regex=False).any() else ", "
    return [[word.strip() for word in cell.split(separator) if word.strip()] for cell in cells]


def to_stems(words: Iterable[str], reference: Reference, stems: bool = False) -> list[str]:
    """A topic's words as distinct stems of the reference, best first.

    A word is lowercased and mapped by the reference's word -> stem map; a word the reference never saw
    is stemmed by kliping's stemmer. Words whose stem the reference does not hold (stopwords, numbers,
    words of no article) are dropped, as kliping drops them from every article; a stem reached twice
    (``pemerintah`` and ``pemerintahan``) counts once, at its first place.

    Parameters
    ----------
    words : iterable of str
        Best first: display words (``pemerintah``), raw tokens, or stems.
    reference : Reference
    stems : bool
        The words are already kliping stems (a model fitted on kliping's tokens): only drop the unknown ones.

    Examples
    --------
    >>> ref = Reference.from_token_lists([["perintah", "pajak"]], stem_of={"pemerintah": "perintah"})
    >>> to_stems(["Pemerintah", "pemerintahan", "yang", "pajak", "perpajakan"], ref)
    ['perintah', 'pajak']
    """
    from kliping.stem import stem_word

    out, seen = [], set()
    for word in words:
        word = str(word).strip().lower()
        if not word:
            continue
        stem = word if stems else reference.stem_of.get(word)
        if stem is None:
            stem = word if word in reference.index else stem_word(word)
        if stem in reference.index and stem not in seen:
            seen.add(stem)
            out.append(stem)
    return out


def topic_npmi(stems: Sequence[str], reference: Reference) -> float:
    """Mean NPMI over the pairs of ``stems`` by whole-document co-occurrence in the reference.

    A pair that never occurs together scores -1; nan for fewer than two stems.

    Examples
    --------
    >>> ref = Reference.from_token_lists([["banjir", "hujan"], ["banjir", "hujan"], ["gol"], ["gol", "banjir"]])
    >>> round(topic_npmi(["banjir", "hujan"], ref), 3), topic_npmi(["hujan", "gol"], ref)
    (0.415, -1.0)
    """
    columns = [reference.index[s] for s in stems if s in reference.index]
    if len(columns) < 2:
        return float("nan")
    cols = reference.presence[:, columns]
    co = np.asarray((cols.T @ cols).todense(), dtype=float) / reference.n_documents
    p = np.diag(co)
    scores = []
    for i in range(len(columns)):
        for j in range(i + 1, len(columns)):
            pij = co[i, j]
            if pij <= 0:
                scores.append(-1.0)
            elif pij >= 1:
                scores.append(1.0)
            else:
                scores.append(math.log(pij / (p[i] * p[j])) / -math.log(pij))
    return float(np.mean(scores))


def npmi(topic_words: Sequence[Sequence[str]], reference: Reference, n: int = NPMI_WORDS, stems: bool = False) -> float:
    """c_npmi of each topic's top-``n`` words (mapped by :func:`to_stems`), averaged over topics.

    Parameters
    ----------
    topic_words : list of list of str
        Per topic, its words best first.
    reference : Reference
    n : int
        Words per topic (after mapping to stems).
    stems : bool
        The words are kliping stems already.

    Examples
    --------
    >>> ref = Reference.from_token_lists([["banjir", "hujan"], ["banjir", "hujan"], ["gol"], ["gol", "banjir"]])
    >>> round(npmi([["banjir", "hujan"], ["gol", "hujan"]], ref), 3)
    -0.292
    """
    scores = [topic_npmi(to_stems(words, reference, stems)[:n], reference) for words in topic_words]
    scores = [s for s in scores if not math.isnan(s)]
    return float(np.mean(scores)) if scores else float("nan")


def diversity(
    topic_words: Sequence[Sequence[str]], reference: Reference, n: int = DIVERSITY_WORDS, stems: bool = False
) -> float:
    """Unique share of all topics' top-``n`` stems: 1 when no two topics share a word.

    Examples
    --------
    >>> ref = Reference.from_token_lists([["banjir", "hujan", "gol", "persib"]])
    >>> diversity([["banjir", "hujan"], ["gol", "hujan"]], ref)
    0.75
    """
    listed = [stem for words in topic_words for stem in to_stems(words, reference, stems)[:n]]
    return len(set(listed)) / len(listed) if listed else float("nan")


def score(
    labels: Sequence,
    truth: Sequence,
    topic_words: Sequence[Sequence[str]],
    reference: Reference,
    stems: bool = False,
) -> dict:
    """NMI and ARI of ``labels`` against ``truth``, NPMI and diversity of ``topic_words``.

    Parameters
    ----------
    labels, truth : sequences of the same length
        Each article's topic and its known category; articles whose truth is missing are left out.
        An article left without a topic (-1) is one more group, as a reader would see it.
    topic_words : list of list of str
        Per topic, its words best first (topic -1, if any, left out by the caller).
    reference : Reference
    stems : bool
        The words are kliping stems already.

    Returns
    -------
    dict
        ``nmi``, ``ari``, ``npmi``, ``diversity``, ``n_topics``.

    Examples
    --------
    >>> ref = Reference.from_token_lists([["banjir", "hujan"], ["banjir", "hujan"], ["gol", "persib"]])
    >>> result = score([0, 0, 1], ["bencana", "bencana", "bola"], [["banjir", "hujan"], ["gol", "persib"]], ref)
    >>> {key: round(value, 3) for key, value in result.items()}
    {'nmi': 1.0, 'ari': 1.0, 'npmi': 1.0, 'diversity': 1.0, 'n_topics': 2}
    """
    labels, truth = pd.Series(list(labels)), pd.Series(list(truth))
    if len(labels) != len(truth):
        raise ValueError(f"{len(labels)} topic labels for {len(truth)} known categories")
    known = truth.notna().to_numpy()
    labels, truth = labels[known].astype(str), truth[known].astype(str)
    return {
        "nmi": float(normalized_mutual_info_score(truth, labels)),
        "ari": float(adjusted_rand_score(truth, labels)),
        "npmi": npmi(topic_words, reference, stems=stems),
        "diversity": diversity(topic_words, reference, stems=stems),
        "n_topics": len(topic_words),
    }


#: A topic this small is not held to :func:`label_cover`'s rule (issue 27: topics of 30 articles or more).
COVER_MIN_ARTICLES = 30


def label_cover(
    labels: Sequence,
    token_lists: Sequence[Sequence[str]],
    label_words: Sequence[Sequence[str]],
    reference: Reference,
    stems: bool = False,
    min_articles: int = COVER_MIN_ARTICLES,
) -> float:
    """The worst topic's cover: the smallest share, over topics of ``min_articles`` or more, of a topic's articles
    that contain at least one of its label words (its first three, mapped by :func:`to_stems`).

    Parameters
    ----------
    labels : sequence of int
        Each article's topic (-1: none, left out).
    token_lists : sequence of lists of str
        Each article's kliping stems, in the order of ``labels``.
    label_words : list of list of str
        Per topic 0, 1, ..., its words best first; the first three are its label.
    reference : Reference
        Maps words to stems.

    Returns
    -------
    float
        1 when every article of every large topic holds one of its label words; nan without a large topic.

    Examples
    --------
    >>> ref = Reference.from_token_lists([["banjir", "hujan", "gol", "persib", "liga"]])
    >>> docs = [["banjir"], ["hujan", "rob"], ["rob"], ["gol"], ["liga"], ["liga"]]
    >>> label_cover([0, 0, 0, 1, 1, 1], docs, [["banjir", "hujan"], ["gol", "persib"]], ref, min_articles=3)
    0.3333
    """
    labels = np.asarray(labels)
    shares = []
    for t, words in enumerate(label_words):
        members = np.flatnonzero(labels == t)
        if len(members) < min_articles:
            continue
        wanted = set(to_stems(words, reference, stems)[:3])
        shares.append(np.mean([bool(wanted & set(token_lists[i])) for i in members]))
    return round(float(min(shares)), 4) if shares else float("nan")
