"""The article table's layout: the columns a run writes, what is stemmed, which rows can be clustered, and why
the others have no topic.

Every path shares these: the in-process run (:mod:`kliping.pipeline`), the Dask tasks
(:mod:`kliping.partitions.tasks`), ``kliping assign`` (:class:`kliping.topics.model.TopicModel`) and the outputs.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence

import numpy as np
import pandas as pd

#: The per-article output table (``articles.parquet``), in this order; a ``label`` column follows
#: ``content`` when the corpus has one.
ARTICLE_COLUMNS = [
    "id",
    "status",
    "duplicate_of",
    "copy_similarity",
    "title",
    "site",
    "published",
    "time_zone",
    "byline",
    "content",
    "language",
    "topic",
    "topic_label",
    "confidence",
    "reason",
]
#: ``assignments.csv``: one row per input item; ``reason`` says why a row has topic -1 (no usable text, far from
#: every topic); ``duplicate_of`` names the original of an exact or near copy (which takes its topic) and
#: ``copy_similarity`` says how alike they are, so ``kliping assign`` can say which new article republishes a story
#: of the run (last, so that readers of the columns before them are not moved).
ASSIGNMENT_COLUMNS = [
    "id",
    "status",
    "topic",
    "confidence",
    "topic_label",
    "title",
    "reason",
    "duplicate_of",
    "copy_similarity",
]
#: The topic of an article that has none (no usable text, or far from every topic).
NO_TOPIC = -1
#: Columns of the reader and the clean stage that are not the input's own (never carried to the output).
_OWN_COLUMNS = {
    "source",
    "text",
    "encoding",
    "origin",
    "meta_site",
    "meta_date",
    "markup",
    "label",
    "labels",
    "kinds",
    "reasons",
}
#: Columns of the reader and the clean stage that no stage after the copies reads (the page as read, what the cleaner
#: said of each of its lines): :func:`kliping.pipeline.run` drops them there. The page text alone is a copy of the
#: corpus (0.4 GB of the 221k perturbed articles').
PAGE_COLUMNS = ["text", "markup", "labels", "kinds", "reasons"]
#: Every column name a run makes (the reader, the clean stage, the article table, the run's stamp): an input
#: field of one of these names is carried as ``input_<name>`` by the reader, never dropped or replaced (an
#: input's own ``topic`` or ``confidence`` column was silently overwritten by the run's).
MADE_COLUMNS = frozenset(ARTICLE_COLUMNS) | _OWN_COLUMNS | {"dateline_city", "run_id", "time_zone", "decode_errors"}


def stem_input(cleaned: pd.DataFrame) -> list[str]:
    """The text that is stemmed: title and body, so the headline counts too.

    Examples
    --------
    >>> stem_input(pd.DataFrame({"title": ["Banjir Bekasi", None], "content": ["Hujan deras.", "Gol!"]}))
    ['Banjir Bekasi\\nHujan deras.', '\\nGol!']
    """
    return list(StemTexts(cleaned))


class StemTexts(Sequence):
    """:func:`stem_input`'s texts made from the frame's columns when read, :data:`STEP_ROWS` rows at a time.

    The list of every text is a copy of the corpus as Python strings (about 0.45 GB for the 221k perturbed
    articles) held through the whole stem stage; the frame's columns are Arrow strings already there.

    Examples
    --------
    >>> texts = StemTexts(pd.DataFrame({"title": ["Banjir Bekasi", None], "content": ["Hujan deras.", None]}))
    >>> len(texts), texts[1], texts[:1], list(texts) == stem_input(texts.frame)
    (2, '\\n', ['Banjir Bekasi\\nHujan deras.'], True)
    """

    def __init__(self, cleaned: pd.DataFrame):
        self.frame = cleaned[["title", "content"]]

    def __len__(self) -> int:
        return len(self.frame)

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            texts = self._rows(start, max(start, stop)) if step == 1 else None
            return texts if texts is not None else [self[i] for i in range(start, stop, step)]
        i = operator.index(index)
        i = i + len(self) if i < 0 else i
        if not 0 <= i < len(self):
            raise IndexError(f"row {index} of {len(self)}")
        return self._rows(i, i + 1)[0]

    def __iter__(self):
        for start in range(0, len(self), STEP_ROWS):
            yield from self._rows(start, start + STEP_ROWS)

    def _rows(self, start: int, stop: int) -> list[str]:
        rows = self.frame.iloc[start:stop]
        titles = rows["title"].fillna("").astype(str)
        return (titles + "\n" + rows["content"].fillna("").astype(str)).tolist()


#: Rows of :class:`StemTexts` made at once.
STEP_ROWS = 2_000


def usable_rows(cleaned: pd.DataFrame, token_lists) -> np.ndarray:
    """Articles that can be clustered: read and cleaned fine, with at least one stem left, and no copy of another
    (an exact or near copy, ``duplicate_of``, takes its original's topic: :func:`follow_originals`), so that
    topic sizes, words and typical articles count each story once.

    Examples
    --------
    >>> rows = pd.DataFrame({"status": ["ok", "ok", "empty", "ok"], "duplicate_of": [None, None, None, "a"]})
    >>> usable_rows(rows, [["banjir"], [], [], ["banjir"]]).tolist()
    [True, False, False, False]
    """
    copies = cleaned["duplicate_of"].notna().tolist() if "duplicate_of" in cleaned else [False] * len(cleaned)
    # The stem stage's token lists know their lengths (kliping.stem.numbering.TokenLists): no list is made.
    lengths = getattr(token_lists, "lengths", None)
    sizes = lengths.tolist() if lengths is not None else map(len, token_lists)
    return np.array(
        [status == "ok" and size > 0 and not copy for status, size, copy in zip(cleaned["status"], sizes, copies)],
        dtype=bool,
    )


#: What a copy takes from its original.
FOLLOWED = ["topic", "confidence", "reason"]


def originals_of(table: pd.DataFrame) -> dict:
    """``{original id: (topic, confidence, reason)}`` for every article of ``table`` that a copy names.

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["a", "b"], "duplicate_of": [None, "a"], "topic": [3, -1],
    ...                       "confidence": [0.9, 0.0], "reason": ["", "x"]})
    >>> originals_of(table)
    {'a': (3, 0.9, '')}
    """
    return placed_as(table, set(table["duplicate_of"].dropna()))


def placed_as(table: pd.DataFrame, ids) -> dict:
    """``{id: (topic, confidence, reason)}`` for the articles of ``table`` whose id is in ``ids``."""
    rows = table[table["id"].isin(set(ids))]
    return {id_: tuple(values) for id_, *values in zip(rows["id"], *(rows[c] for c in FOLLOWED))}


def follow_originals(table: pd.DataFrame, known: dict | None = None) -> pd.DataFrame:
    """Every copy placed as its original: its topic, confidence and reason (the originals in ``table``, and those
    of ``known``, :func:`originals_of` another part of the corpus). Changes ``table`` in place and returns it.

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["a", "b"], "duplicate_of": [None, "a"], "topic": [3, -1],
    ...                       "confidence": [0.9, 0.0], "reason": ["", "no words left after stemming"]})
    >>> follow_originals(table)[["topic", "confidence", "reason"]].values.tolist()
    [[3, 0.9, ''], [3, 0.9, '']]
    """
    if "duplicate_of" not in table or not table["duplicate_of"].notna().any():
        return table
    found = {**(known or {}), **originals_of(table)}
    copies = table["duplicate_of"].map(found).dropna()
    for n, column in enumerate(FOLLOWED):
        table.loc[copies.index, column] = [values[n] for values in copies]
    return table


#: Why an article with stems has no topic: none of them is in the vocabulary (in the run: each is in one article
#: only, or in more than half; for a saved model: none was in the run's articles).
NO_VOCABULARY_WORD = "no word of the topics' vocabulary"
#: What every path says once when no article can be clustered (the files and the report are still written).
NOTHING_TO_CLUSTER = (
    "no article has usable text: nothing to cluster; every row has topic -1 and its reason (see the status column)"
)


def unusable_reasons(statuses, usable, has_stems=None) -> list[str]:
    """Why a row cannot be placed at all (``""`` when it can): it has no usable text, no stem was left, or none of
    its stems is in the topics' vocabulary (``has_stems``: which rows kept a stem; None: the ``usable`` ones).

    Examples
    --------
    >>> unusable_reasons(["ok", "empty", "ok", "ok"], [True, False, False, False], [True, False, False, True])
    ['', 'no usable text (empty)', 'no words left after stemming', "no word of the topics' vocabulary"]
    """
    has_stems = usable if has_stems is None else has_stems
    reasons = []
    for status, ok, stems in zip(statuses, usable, has_stems):
        if status != "ok":
            reasons.append(f"no usable text ({status})")
        elif ok:
            reasons.append("")
        else:
            reasons.append(NO_VOCABULARY_WORD if stems else "no words left after stemming")
    return reasons


def input_columns(cleaned: pd.DataFrame) -> list[str]:
    """The input's other columns (``kanal``, ``tanggal``, ``tautan``, ``url``...), carried to the output table
    after the standard ones, in input order.

    Examples
    --------
    >>> input_columns(pd.DataFrame(columns=["id", "text", "kanal", "title", "url", "meta_date", "kinds"]))
    ['kanal', 'url']
    """
    standard = set(ARTICLE_COLUMNS) | _OWN_COLUMNS | {"dateline_city"}
    return [c for c in cleaned.columns if c not in standard]
