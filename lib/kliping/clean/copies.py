"""Near-copies: the same story republished (syndicated) with a line dropped, a "Baca juga" inserted or an agency tag
added, found on the cleaned text.

Each article's cleaned body becomes the set of its word 5-shingles; a MinHash signature of :data:`N_PERM` values
(one multiply-shift hash per permutation, the minimum per article) estimates the Jaccard similarity of two sets;
locality-sensitive hashing (:data:`BANDS` bands of :data:`ROWS` values) proposes the pairs that share a band, and
a pair whose estimated similarity reaches :data:`THRESHOLD` is the same story. The stories are the connected
groups of such pairs (with the reader's exact duplicates); the original of a group is its earliest published
article (ties, and undated articles, by id), and every other article whose similarity to it reaches the threshold
is its copy: ``duplicate_of`` names the original, ``copy_similarity`` the estimate.

All of it is numpy over whole blocks of texts, with no Python object per word or shingle: the words are found on
the texts' code points (a table of ``\\w``), told apart by a polynomial key of their characters, and hashed with
crc32 once per distinct word; the shingles are a mix of five word hashes; each permutation is one multiply, add
and segmented minimum over all the block's shingles. On the 22,136 CLICK-ID articles that takes 1.0 s of CPU
against 5.5-9.3 s for one ``re.findall`` list and a factorize of the words, and the whole (shingles, 64) matrix
hashed at once (``benchmarks/bench_copies.py stage``), with the same signatures.

The signatures of an article depend on its text alone, so the Dask run computes them per partition with
:func:`signatures` and decides the copies over the whole corpus with :func:`find_copies`, as one process does.

Examples
--------
>>> asli = ("Banjir merendam ratusan rumah warga di Kecamatan Bekasi Utara setelah hujan deras turun sejak "
...         "sore. Petugas mengevakuasi warga ke masjid terdekat. Ketinggian air mencapai satu meter di "
...         "beberapa titik. Warga berharap pemerintah segera memperbaiki saluran air yang tersumbat sampah.")
>>> salinan = "(ANTARA) - " + asli.replace("Petugas mengevakuasi warga ke masjid terdekat. ", "Baca juga: Gempa. ")
>>> lain = ("Persib Bandung menang dua gol tanpa balas atas Persija Jakarta di Stadion Si Jalak Harupat "
...         "pada Sabtu malam. Pelatih Persib memuji kerja keras para pemain di lini tengah sepanjang laga.")
>>> table = pd.DataFrame({"id": ["b", "a", "c"], "status": "ok", "duplicate_of": None,
...                       "published": pd.to_datetime(["2020-10-14", "2020-10-13", "2020-10-13"]),
...                       "content": [salinan, asli, lain]})
>>> marked = mark_copies(table)
>>> marked["duplicate_of"].tolist(), marked["copy_similarity"].round(1).tolist()
(['a', None, None], [0.7, nan, nan])
"""

from __future__ import annotations

import dataclasses
import functools
import re
import zlib

import numpy as np
import pandas as pd

#: Words per shingle: 5 keeps two articles of one topic apart (their shared 5-word phrases are few: measured
#: similarity of same-category CLICK-ID pairs under 0.05 at the 99.9th percentile) while a copy with a line
#: dropped and one added keeps most of its shingles.
SHINGLE = 5
#: MinHash values per article; with :data:`BANDS` x :data:`ROWS` = 64 (32 bands of 2), a pair of similarity 0.5
#: shares a band with probability 1 - (1 - 0.5**2)**32 = 0.9999, of 0.3: 0.95, of 0.1: 0.28 (16 bands of 4 gave
#: 0.64 at 0.5 and missed copies the cleaner had cut down). The candidates are then checked on the whole signature;
#: pairs of unrelated articles share no shingle and are never candidates.
N_PERM = 64
BANDS, ROWS = 32, 2
#: Estimated Jaccard similarity from which two articles are the same story (see benchmarks/bench_copies.py:
#: synthetic syndicated copies of CLICK-ID articles score 0.55-1.0, same-category non-copies under 0.1).
THRESHOLD = 0.5
#: Articles with fewer shingles than this (a caption, a one-line brief) are never near-copies: a few shared
#: words would make two different briefs look alike. Exact duplicates are still found by the reader.
MIN_SHINGLES = 8
#: Texts hashed per block: at most this many characters (and :data:`_TEXTS` texts) at once, so a block's arrays
#: (4 to 8 bytes per character and per shingle) stay some tens of MB; a longer text is a block of its own. Blocks
#: of 1, 2 and 4 million characters took the same CPU time on the 22k CLICK-ID articles (1.0-1.1 s for the
#: signatures).
_BLOCK_CHARS = 2_000_000
_TEXTS = 2_000
_WORD = re.compile(r"\w+")
_rng = np.random.default_rng(20201013)
#: Odd 64-bit multipliers and offsets of the multiply-shift hashes (fixed: every process gives the same values).
_A = _rng.integers(1, 2**63, size=N_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.integers(0, 2**63, size=N_PERM, dtype=np.uint64)
_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5, 0xFF51AFD7ED558CCD],
    dtype=np.uint64,
)
#: The signature of an article without enough shingles: it matches nothing.
EMPTY = np.iinfo(np.uint32).max


def shingles(text: str) -> np.ndarray:
    """The 32-bit hashes of a text's word 5-shingles (lowercase words), in text order (repeats kept: a minimum
    does not mind them).

    Examples
    --------
    >>> len(shingles("Banjir merendam ratusan rumah warga di Bekasi")), len(shingles("Banjir di Bekasi"))
    (3, 0)
    >>> bool((shingles("BANJIR merendam ratusan rumah warga") == shingles("banjir merendam ratusan rumah warga")).all())
    True
    """
    values, _ = _corpus_shingles([text])
    return values


@functools.cache
def _bmp_word_chars() -> np.ndarray:
    """Which characters of the Basic Multilingual Plane :data:`_WORD`'s ``\\w`` matches (built once: 10 ms)."""
    table = np.zeros(0x10000, dtype=bool)
    table[[m.start() for m in re.finditer(r"\w", "".join(map(chr, range(0x10000))))]] = True
    return table


def _word_spans(lowered: list[str]) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
    """The texts joined by newlines, its code points, and the start and end of every word in it (what
    ``_WORD.findall`` of each text finds), found with numpy: no Python object per word."""
    joined = "\n".join(lowered)
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    is_word = np.zeros(len(points) + 2, dtype=bool)
    np.take(_bmp_word_chars(), points, mode="clip", out=is_word[1:-1])  # U+FFFF and above: not a word character
    astral = np.flatnonzero(points > 0xFFFF)
    if len(astral):  # emoji and rarer scripts: each distinct one asked of the regex itself
        distinct, which = np.unique(points[astral], return_inverse=True)
        is_word[1 + astral] = np.array([_WORD.fullmatch(chr(p)) is not None for p in distinct.tolist()])[which]
    edges = np.flatnonzero(is_word[1:] != is_word[:-1])
    return joined, points, edges[0::2], edges[1::2]


#: The base of the words' polynomial keys (odd, so invertible modulo 2**64) and its inverse.
_BASE = 0x9E3779B97F4A7C15
_BASE_INVERSE = pow(_BASE, -1, 2**64)


def _powers(base: int, n: int) -> np.ndarray:
    """``base ** i`` modulo 2**64 for ``i`` in ``range(n)``: 1,024 consecutive powers times every 1,024th."""
    low = np.cumprod(np.r_[np.uint64(1), np.full(1023, base, dtype=np.uint64)])
    high = np.cumprod(np.r_[np.uint64(1), np.full(max(n - 1, 0) // 1024, pow(base, 1024, 2**64), dtype=np.uint64)])
    return (high[:, None] * low).ravel()[:n]


@dataclasses.dataclass
class _Words:
    """What the blocks of one :func:`signatures` call share: the keys of the distinct words seen (in the order
    met) and their crc32, and the powers of the keys' base (and of its inverse) as far as a block needs them."""

    keys: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    crc: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    powers: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    inverse: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0, dtype=np.uint64))

    def powers_to(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if len(self.powers) < n:
            self.powers, self.inverse = _powers(_BASE, n), _powers(_BASE_INVERSE, n)
        return self.powers[:n], self.inverse[:n]


def _word_hashes(joined: str, points: np.ndarray, starts: np.ndarray, ends: np.ndarray, words: _Words) -> np.ndarray:
    """The crc32 of every word's UTF-8 bytes (the same in every process), computed once per distinct word
    (``words`` keeps them from block to block). The words are told apart by a 64-bit polynomial key of their code
    points, ``sum(c[j] * BASE**j)`` modulo 2**64 (a difference of prefix sums, divided by the start's power), plus
    the length times an odd constant: two words of real text share a key with odds of about 2**-64 a pair (strings
    built for it, such as Thue-Morse words of 2,048 letters and more, can collide modulo 2**64; the two words would
    then share one crc32, which changes a few shingle hashes, not what counts as a copy)."""
    if not len(starts):
        return np.zeros(0, dtype=np.uint64)
    powers, inverse = words.powers_to(len(points))
    prefix = np.zeros(len(points) + 1, dtype=np.uint64)
    np.cumsum(points * powers, out=prefix[1:])
    key = (prefix[ends] - prefix[starts]) * inverse[starts]
    key += (ends - starts).astype(np.uint64) * _MIX[1]
    # The words seen before keep their codes (factorize numbers keys in the order met); the rest are new.
    seen = len(words.keys)
    codes, uniques = pd.factorize(np.concatenate([words.keys, key]))
    codes = codes[seen:]
    if len(uniques) > seen:
        new = np.flatnonzero(codes >= seen)
        first = np.empty(len(uniques) - seen, dtype=np.int64)
        first[codes[new[::-1]] - seen] = new[::-1]  # each new key's first word
        crc = [zlib.crc32(joined[a:b].encode()) for a, b in zip(starts[first].tolist(), ends[first].tolist())]
        words.keys, words.crc = uniques, np.concatenate([words.crc, np.array(crc, dtype=np.uint64)])
    return words.crc[codes]


def _corpus_shingles(texts, words: _Words | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Every text's shingle hashes, one array in text order, and how many each text has (0 under
    :data:`SHINGLE` words); ``words`` keeps the words' hashes for the next block."""
    lowered = [text.lower() if isinstance(text, str) else "" for text in texts]
    joined, points, starts, ends = _word_spans(lowered)
    # Text i begins after the i texts before it and their newlines; its words are those that begin in it.
    offsets = np.cumsum([0] + [len(text) + 1 for text in lowered])
    counts = np.diff(np.searchsorted(starts, offsets))
    n_shingles = np.maximum(counts - SHINGLE + 1, 0)
    if not n_shingles.any():
        return np.zeros(0, dtype=np.uint64), n_shingles
    hashed = _word_hashes(joined, points, starts, ends, _Words() if words is None else words)
    # Shingle k of a text starts at word k; those that would run into the next text are left out.
    first = np.repeat(np.cumsum(counts) - counts, n_shingles) + (
        np.arange(n_shingles.sum()) - np.repeat(np.cumsum(n_shingles) - n_shingles, n_shingles)
    )
    mixed = np.zeros(len(first), dtype=np.uint64)
    for k in range(SHINGLE):  # a position-dependent mix of the 5 words' hashes (wrapping uint64 arithmetic)
        mixed += hashed[first + k] * _MIX[k]
    return mixed >> np.uint64(32), n_shingles


def signatures(texts) -> np.ndarray:
    """The MinHash signature of every text: an ``(n, N_PERM)`` uint32 array; a text with fewer than
    :data:`MIN_SHINGLES` shingles gets the empty signature (all ``2**32 - 1``), which matches nothing.

    Examples
    --------
    >>> sig = signatures(["Banjir merendam ratusan rumah warga di Kecamatan Bekasi Utara setelah hujan deras "
    ...                   "turun sejak sore kemarin", "Gol!"])
    >>> sig.shape, sig.dtype, bool((sig[1] == 2**32 - 1).all())
    ((2, 64), dtype('uint32'), True)
    """
    texts = list(texts)
    sizes = np.array([len(text) if isinstance(text, str) else 0 for text in texts], dtype=np.int64)
    blocks, first, words = [], 0, _Words()
    while first < len(texts):  # whole texts, at most _TEXTS of them and _BLOCK_CHARS characters (at least one)
        ends = np.cumsum(sizes[first : first + _TEXTS])
        last = first + max(int(np.searchsorted(ends, _BLOCK_CHARS, side="right")), 1)
        blocks.append(_block_signatures(texts[first:last], words))
        first = last
    return np.concatenate(blocks) if blocks else np.full((0, N_PERM), EMPTY, dtype=np.uint32)


def _block_signatures(texts: list, words: _Words) -> np.ndarray:
    """:func:`signatures` of a block of texts (a text's signature depends on its text alone). One permutation at a
    time over all the block's shingles: the minimum of ``(a * x + b) >> 32`` is the minimum of ``a * x + b``
    shifted, so the shift is done on the minima only; 0.07 s for 2,000 CLICK-ID articles (484k shingles) against
    0.18 s for the whole ``(shingles, 64)`` matrix in blocks of 65,536 rows (wall, best of 3, loaded machine)."""
    values, counts = _corpus_shingles(texts, words)
    out = np.full((len(counts), N_PERM), EMPTY, dtype=np.uint32)
    enough = np.flatnonzero(counts >= MIN_SHINGLES)
    if not len(enough):
        return out
    keep = np.repeat(counts >= MIN_SHINGLES, counts)
    values, counts = values[keep], counts[enough]
    starts = np.cumsum(counts) - counts
    hashed = np.empty(len(values), dtype=np.uint64)
    minima = np.empty((N_PERM, len(enough)), dtype=np.uint64)
    for p in range(N_PERM):
        np.multiply(values, _A[p], out=hashed)
        hashed += _B[p]
        minima[p] = np.minimum.reduceat(hashed, starts)
    out[enough] = (minima.T >> np.uint64(32)).astype(np.uint32)
    return out


def similarity(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The estimated Jaccard similarity of signature rows: the share of equal values (0 for an empty one).

    Examples
    --------
    >>> sig = signatures(["Banjir merendam ratusan rumah warga di Kecamatan Bekasi Utara setelah hujan deras"] * 2)
    >>> similarity(sig[:1], sig[1:]).tolist()
    [1.0]
    """
    equal = (left == right).mean(axis=1)
    return np.where((left == EMPTY).all(axis=1) | (right == EMPTY).all(axis=1), 0.0, equal)


def candidate_pairs(sig: np.ndarray) -> np.ndarray:
    """Pairs of rows ``(i, j)``, ``i < j``, that share at least one band of their signatures (LSH).

    Examples
    --------
    >>> sig = np.array([[1] * N_PERM, [1] * N_PERM, [2] * N_PERM], dtype=np.uint32)
    >>> candidate_pairs(sig).tolist()
    [[0, 1]]
    """
    has = ~(sig == EMPTY).all(axis=1)
    rows = np.flatnonzero(has)
    found = []
    for band in range(BANDS):
        part = np.ascontiguousarray(sig[rows, band * ROWS : (band + 1) * ROWS])
        keys = part.view(np.dtype((np.void, part.dtype.itemsize * ROWS))).ravel()
        order = np.argsort(keys, kind="stable")
        same = keys[order][1:] == keys[order][:-1]
        # Every member of a bucket paired with the bucket's first: the groups (connected pairs) are the same.
        first = np.maximum.accumulate(np.where(np.r_[True, ~same], np.arange(len(order)), 0))
        members = np.flatnonzero(np.r_[False, same])
        found.append(np.stack([rows[order[first[members]]], rows[order[members]]], axis=1))
    pairs = np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)
    pairs = np.sort(pairs, axis=1)
    return np.unique(pairs, axis=0) if len(pairs) else pairs.reshape(0, 2)


def find_copies(ids, published, sig: np.ndarray, exact=None) -> pd.DataFrame:
    """The original of every article that copies another (None otherwise) and its similarity to it.

    Parameters
    ----------
    ids, published : sequences
        Every article's id and publication time (NaT: undated, after every dated one).
    sig : ndarray
        :func:`signatures` of the articles' cleaned text, in the same order.
    exact : sequence, optional
        The reader's ``duplicate_of`` (the first article with the same text, or None): joined to its story.

    Returns
    -------
    DataFrame
        ``duplicate_of`` and ``copy_similarity`` (NaN for an article that is no copy), one row per article.
    """
    ids = pd.Series(ids, dtype=object).reset_index(drop=True)
    n = len(ids)
    pairs = candidate_pairs(sig)
    keep = similarity(sig[pairs[:, 0]], sig[pairs[:, 1]]) >= THRESHOLD if len(pairs) else np.zeros(0, bool)
    edges = [pairs[keep]]
    if exact is not None:
        where = {id_: i for i, id_ in enumerate(ids)}
        linked = [(i, where[o]) for i, o in enumerate(exact) if isinstance(o, str) and o in where]
        edges.append(np.array(linked, dtype=np.int64).reshape(-1, 2))
    edges = np.concatenate(edges)
    original = np.arange(n)
    if len(edges):
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        graph = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
        _, group = connected_components(graph, directed=False)
        when = pd.to_datetime(pd.Series(published).reset_index(drop=True), utc=True, errors="coerce")
        order = pd.DataFrame({"group": group, "undated": when.isna(), "when": when, "id": ids.astype(str)})
        order = order.sort_values(["group", "undated", "when", "id"], kind="stable")
        first = order.groupby("group").head(1)
        original = pd.Series(first.index.to_numpy(), index=first["group"].to_numpy())[group].to_numpy()
    score = similarity(sig, sig[original])
    exact_rows = np.zeros(n, dtype=bool)
    if exact is not None:
        exact_rows = np.array([isinstance(o, str) for o in exact], dtype=bool)
        score = np.where(exact_rows, 1.0, score)
    is_copy = (original != np.arange(n)) & ((score >= THRESHOLD) | exact_rows)
    # A group's member too far from its original (joined through a third article) stays a story of its own.
    return pd.DataFrame(
        {
            "duplicate_of": pd.Series(np.where(is_copy, ids.to_numpy()[original], None), dtype=object),
            "copy_similarity": np.where(is_copy, np.round(score, 4), np.nan),
        }
    )


def table_signatures(cleaned: pd.DataFrame) -> np.ndarray:
    """:func:`signatures` of a cleaned table's bodies (a row that is not readable gets the empty one); the Dask
    run calls it on each partition."""
    ok = (cleaned["status"] == "ok").to_numpy()
    return signatures([text if keep else "" for text, keep in zip(cleaned["content"].tolist(), ok)])


def published_of(cleaned: pd.DataFrame):
    """The ``published`` column, or NaT for every row of a table without one."""
    return cleaned["published"] if "published" in cleaned else [pd.NaT] * len(cleaned)


def mark_copies(cleaned: pd.DataFrame, known=None) -> pd.DataFrame:
    """The cleaned table with ``duplicate_of`` naming each exact or near copy's original (the earliest published
    of its story, ties by id) and ``copy_similarity`` beside it. Only readable rows take part.

    ``known`` holds articles seen before (``ids``, ``published`` and ``signatures`` attributes, as
    :class:`kliping.topics.fitted.FittedArticles` of a saved model): a row of ``cleaned`` that copies one of them
    names it, when it is the earlier published; a known article with the id of a row of ``cleaned`` is that row,
    never its copy (``kliping assign`` on the corpus a model was fitted on gives the run's copies).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> asli = ("Banjir merendam ratusan rumah warga di Kecamatan Bekasi Utara setelah hujan deras turun sejak "
    ...         "sore. Petugas mengevakuasi warga ke masjid terdekat. Ketinggian air mencapai satu meter.")
    >>> seen = SimpleNamespace(ids=np.array(["kemarin-1"]), published=pd.Series(pd.to_datetime(["2020-10-13"])),
    ...                        signatures=signatures([asli]))
    >>> today = pd.DataFrame({"id": ["baru-1"], "status": "ok", "published": pd.to_datetime(["2020-10-14"]),
    ...                       "content": ["(ANTARA) - " + asli]})
    >>> mark_copies(today, seen)[["duplicate_of", "copy_similarity"]].values.tolist()
    [['kemarin-1', 0.9219]]
    """
    return marked_and_signatures(cleaned, known)[0]


def marked_and_signatures(cleaned: pd.DataFrame, known=None) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`mark_copies` and the signatures of ``cleaned``'s rows it computed (a saved model keeps them)."""
    exact = cleaned["duplicate_of"].tolist() if "duplicate_of" in cleaned else [None] * len(cleaned)
    ids, published, sig = cleaned["id"].tolist(), published_of(cleaned), table_signatures(cleaned)
    before = 0
    if known is not None and len(known.ids):
        # The batch's own article stands for a known one of the same id (the same article, read again).
        seen = ~np.isin(np.asarray(known.ids, dtype=str), [str(i) for i in ids])
        before = int(seen.sum())
        ids = [str(i) for i in np.asarray(known.ids)[seen]] + ids
        when = pd.Series(known.published).reset_index(drop=True)[seen]
        published = pd.concat([pd.to_datetime(w, utc=True, errors="coerce") for w in (when, pd.Series(published))])
        sig = np.concatenate([np.asarray(known.signatures, dtype=np.uint32)[seen], sig])
        exact = [None] * before + exact
    found = find_copies(ids, published, sig, exact).iloc[before:].reset_index(drop=True)
    return with_copies(cleaned, found), sig[before:]


def with_copies(cleaned: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
    """``cleaned`` with the columns :func:`find_copies` decided, ``copy_similarity`` after ``duplicate_of``."""
    out = cleaned.copy()
    out["duplicate_of"] = pd.Series(found["duplicate_of"].to_numpy(), index=cleaned.index, dtype=object)
    similarity_ = pd.Series(found["copy_similarity"].to_numpy(), index=cleaned.index, dtype=float)
    if "copy_similarity" in out:
        out = out.drop(columns="copy_similarity")
    out.insert(out.columns.get_loc("duplicate_of") + 1, "copy_similarity", similarity_)
    return out
