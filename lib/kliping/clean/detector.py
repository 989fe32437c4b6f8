"""py3langid's language detector run over many texts at once, with its own model, label for label.

py3langid (a maintained fork of langid.py, Lui & Baldwin 2012) walks each text's bytes through a tokenizer
automaton in a Python loop and scores the features it meets with a naive Bayes table (about 100,000 features ×
142 language columns). Here the walk is one numpy step per byte position for a block of texts, the features are
counted for a whole block at once, and each text's product is the one py3langid computes (the same float32 BLAS
call on the same rows, in the same order), so the scores are the same bit for bit. What the article's language
is made of (the sample, Indonesian told from Malay) is :mod:`kliping.clean.language`'s.

Examples
--------
>>> classify_many(["Hujan deras membuat ratusan rumah terendam banjir.", "Heavy rain flooded hundreds of homes."])
['id', 'en']
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd

#: Texts walked through the automaton together, longest first: one numpy step per byte position for all of them,
#: their features counted in one :func:`pandas.factorize`. On the 22,136 CLICK-ID samples (CPU, 2026-12-07): the
#: walk 1.3–1.6 s in blocks of 64 (one 64-article batch of the clean stage at a time), 0.78–0.92 s in blocks of 512;
#: counting a whole corpus's 13 M visits in one block was slower (``np.unique``: 3.2 s, against 0.6 s in blocks).
WALK_ROWS = 512


@functools.lru_cache(maxsize=1)
def identifier():
    """py3langid's identifier with its shipped model, probabilities normalised (loaded once, about 1 s).

    Examples
    --------
    >>> identifier().classify("Ratusan rumah di Bekasi terendam banjir sejak Senin malam.")[0]
    'id'
    """
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def prepare() -> None:
    """Load the model and its tables now (each once per process): processes forked after it share them instead
    of each loading its own (0.6 s CPU and some 150 MB apiece)."""
    _automaton()


@functools.lru_cache(maxsize=1)
def _automaton():
    """py3langid's tokenizer automaton and naive Bayes tables as numpy arrays (its public model attributes)."""
    model = identifier()
    # 32-bit tables (the 9.8 M moves lead to 104,583 states, whose rows start below 9.9 M): half the memory the
    # walk's random gathers read, 0.9-1.2 against 1.3 s for the 22,136 CLICK-ID samples' walk.
    nextmove = np.asarray(memoryview(model.tk_nextmove)).astype(np.int32)
    rowbase = np.asarray(memoryview(model.tk_row)).astype(np.int32) << 8
    output = np.asarray(model.tk_output, dtype=np.int32)
    first: dict = {}
    for column, label in enumerate(model.nb_classes):
        first.setdefault(label, column)
    aliases = [(first[label], column) for column, label in enumerate(model.nb_classes) if first[label] != column]
    # The float16 table made float32 once (57 MB): numpy makes py3langid's float16 rows float32 for its product
    # anyway, which is what cost the time (0.3 ms of the 0.4 ms of scoring a text). Gathering float16 rows and
    # casting them per text instead was 5x slower (2.8 against 0.53 s on the 22,136 CLICK-ID samples).
    return nextmove, rowbase, output, aliases, np.asarray(model.nb_ptc, dtype=np.float32)


def _encode(text: str) -> bytes:
    """The bytes py3langid reads of a text: lowercased when all in capitals, NFC, UTF-8."""
    import unicodedata

    text = text.lower() if text.isupper() else text
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")


def _block_visits(encoded: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Every feature the automaton meets in each text of a block: (the text's row, the feature id), row by row,
    each row's in the order its byte-by-byte walk meets them.

    py3langid walks each text in a Python loop, byte by byte (12.6 s for the 22,136 CLICK-ID samples on a busy
    2-core machine); here one position of all the texts of the block is one numpy step (the texts longest first:
    the rows still walking lead). A step keeps its index into the move table (``rowbase[state] + byte``) and looks
    up the next state's ``rowbase`` (two gathers, where a state and its output were four); the outputs are read for
    all positions at once after the walk. Tables of the folded step (``rowbase[nextmove]``) would save one more
    gather but cost 0.5 s and 157 MB to build (9.8 M moves) on every cold run."""
    nextmove, rowbase, output, _, _ = _automaton()
    lengths = np.array([len(data) for data in encoded], dtype=np.int64)
    width = int(lengths.max()) if len(encoded) else 0
    steps = np.zeros((width, len(encoded)), dtype=np.int32)  # a byte position's row: contiguous
    for row, data in enumerate(encoded):
        steps[: lengths[row], row] = np.frombuffer(data, dtype=np.uint8)
    live = np.searchsorted(-lengths, -np.arange(1, width + 1), side="right")  # rows longer than each position
    base = np.full(len(encoded), rowbase[0], dtype=np.int32)  # every text starts in state 0
    for position, n in enumerate(live.tolist()):
        step = steps[position, :n]
        step += base[:n]  # the byte becomes the step's index
        base[:n] = rowbase[nextmove[step]]
    features = output[nextmove[steps]].T  # (text, position)
    met = (features >= 0) & (np.arange(width) < lengths[:, None])
    rows, _ = np.nonzero(met)  # row by row, each row's positions in order
    return rows, features[met]


def _block_scores(encoded: list[bytes], scores: np.ndarray) -> np.ndarray:
    """Each text's naive Bayes product (py3langid's ``log1p(counts) @ table[features]``) into its row of
    ``scores``; which texts met a feature at all.

    Each feature once per text, in the order of its first visit, with its count (py3langid's ``Counter``): one
    :func:`pandas.factorize` of (row, feature) keys gives them in first-appearance order (0.6 s for the 22,136
    CLICK-ID samples, against 0.9 s for ``np.unique`` and a sort of the first visits). Each text's product alone,
    the same BLAS call on the same float32 rows as py3langid's: the rows are gathered into one buffer reused for
    every text (``np.take`` with ``out``; with ``mode="raise"`` it buffers the output itself), 0.53 s against
    0.66–0.96 s for a new array per text."""
    _, _, _, _, table = _automaton()
    rows, features = _block_visits(encoded)
    # (row, feature) as one number: 32 bits while they fit (512 rows × 100,053 features do), a little faster
    key_type = np.int32 if len(encoded) * len(table) < 2**31 else np.int64
    codes, unique = pd.factorize(rows.astype(key_type) * key_type(len(table)) + features.astype(key_type))
    counts = np.log1p(np.bincount(codes).astype(np.float32))
    unique = unique.astype(np.int64)
    features = unique % len(table)
    bounds = np.searchsorted(unique // len(table), np.arange(len(encoded) + 1))
    sizes = np.diff(bounds)
    gathered = np.empty((int(sizes.max()), table.shape[1]), dtype=np.float32)
    for row, (low, high) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist())):
        if high > low:  # feature ids index the table: "clip" never clips
            taken = np.take(table, features[low:high], axis=0, out=gathered[: high - low], mode="clip")
            np.matmul(counts[low:high], taken, out=scores[row])
    return sizes > 0


def classify_many(texts: list[str]) -> list[str]:
    """py3langid's ``classify(text)[0]`` of every text, with its model, bit for bit: the texts walked and counted
    :data:`WALK_ROWS` at a time, longest first, then scored together, each as py3langid scores it.

    Examples
    --------
    >>> classify_many(["Hujan deras membuat ratusan rumah terendam banjir.", "Heavy rain flooded hundreds of homes."])
    ['id', 'en']
    """
    model = identifier()
    _, _, _, aliases, _ = _automaton()
    encoded = [_encode(text) for text in texts]
    order = sorted(range(len(encoded)), key=lambda i: -len(encoded[i]))  # longest first: live rows lead
    scores = np.zeros((len(encoded), len(model.nb_classes)), dtype=np.float32)  # no feature: uniform, as py3langid
    met = np.zeros(len(encoded), dtype=bool)
    for start in range(0, len(order), WALK_ROWS):
        block = order[start : start + WALK_ROWS]
        block_scores = np.zeros((len(block), len(model.nb_classes)), dtype=np.float32)
        met[block] = _block_scores([encoded[i] for i in block], block_scores)
        scores[block] = block_scores
    # Every step after the product for all texts at once, element by element as py3langid does it per text: the
    # same float32 scores, bit for bit, on the 22,136 CLICK-ID samples and six edge cases (empty, one letter,
    # Cyrillic capitals, Japanese); 2.2 s -> 1.2 s CPU on them (2026-12-07), where the per-text steps were ten
    # numpy calls each.
    scores[met] += model.nb_pc
    scores *= np.array([1.0 / math.sqrt(len(data) or 1) for data in encoded], dtype=np.float32)[:, None]
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    for kept, folded in aliases:  # one label in two columns (a script's alias): summed into the first
        scores[:, kept] += scores[:, folded]
        scores[:, folded] = 0.0
    return [model.nb_classes[i] for i in scores.argmax(axis=1).tolist()]
