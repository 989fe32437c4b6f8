"""The per-partition tasks: each runs a stage of :mod:`kliping.pipeline` on one partition and writes its file.

Every task writes its output atomically (:func:`kliping.base.atomic.atomic_path`) with the run's key in it, and first
looks for that file: a task rerun after a lost worker, or a whole run started again after an interruption,
reuses what was finished. What a task returns is small (counts, a summary); the rows stay in the files.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from kliping.partitions.shards import HASH_COLUMN, SITE_COLUMN
from kliping.topics.vocabulary import in_vocabulary_order


def _current(path: Path, key: str) -> bool:
    """Whether ``path`` holds a partition written with ``key`` (by this run, or an interrupted one)."""
    from kliping.base.atomic import read_parquet_metadata

    if not path.is_file():
        return False
    if path.suffix == ".npz":
        with np.load(path, allow_pickle=False) as data:
            return "key" in data.files and str(data["key"]) == key
    try:
        return (read_parquet_metadata(path) or {}).get("key") == key
    except Exception:  # a damaged file from a crash: written again
        return False


# --------------------------------------------------------------------------- clean
def clean_part(read_path: str, out: str, key: str, columns: list, renames: dict, copies: dict, stats) -> int:
    """Clean one partition with the corpus's site statistics, ids and duplicates; the number of rows."""
    from kliping.base import articles
    from kliping.base.atomic import write_parquet
    from kliping.clean import clean_articles

    out = Path(out)
    if _current(out, key):
        return pd.read_parquet(out, columns=["id"]).shape[0]
    frame = pd.read_parquet(read_path).drop(columns=[HASH_COLUMN, SITE_COLUMN])
    frame = frame.reindex(columns=columns)  # the whole manifest's columns, as in one frame
    if renames:
        ids = frame["id"].tolist()
        for row, new in renames.items():
            ids[row] = new
        frame["id"] = pd.Series(ids, index=frame.index, dtype=object)
    frame["duplicate_of"] = pd.Series([copies.get(row) for row in range(len(frame))], index=frame.index, dtype=object)
    # One process: the cluster's workers are the parallelism (a worker's own forks would oversubscribe the cores).
    cleaned = clean_articles(frame, progress=False, site_stats=stats, processes=1)
    # What the later stages and the output table use: the text, the clean stage's lines and the reader's
    # metadata stay behind (the whole text would double the partition).
    carried = set(articles.input_columns(cleaned))
    kept = [c for c in cleaned.columns if c in articles.ARTICLE_COLUMNS or c == "label" or c in carried]
    write_parquet(cleaned[kept], out, {"key": key})
    return len(cleaned)


# --------------------------------------------------------------------------- copies
def copy_signatures(clean_path: str) -> tuple:
    """The partition's ids, publication times and MinHash signatures
    (:func:`kliping.clean.copies.table_signatures`, as one process computes them)."""
    from kliping.clean.copies import published_of, table_signatures

    cleaned = pd.read_parquet(clean_path, columns=["id", "status", "content", "published"])
    return cleaned["id"].tolist(), pd.Series(published_of(cleaned)), table_signatures(cleaned)


def set_copies(clean_path: str, key: str, found: pd.DataFrame) -> int:
    """Write the copies decided over the whole corpus (:func:`kliping.clean.copies.find_copies`, this partition's
    rows) into the cleaned partition; the number of copies."""
    from kliping.base.atomic import write_parquet
    from kliping.clean.copies import with_copies

    before = pd.read_parquet(clean_path)
    cleaned = with_copies(before, found.reset_index(drop=True))
    # A partition of a run started again keeps its file when its copies are already written.
    if "copy_similarity" not in before or not (
        before["duplicate_of"].fillna("").tolist() == cleaned["duplicate_of"].fillna("").tolist()
        and np.array_equal(before["copy_similarity"], cleaned["copy_similarity"], equal_nan=True)
    ):
        write_parquet(cleaned, Path(clean_path), {"key": key})
    return int(cleaned["duplicate_of"].notna().sum())


# --------------------------------------------------------------------------- stem
def part_texts(cleaned: pd.DataFrame, languages) -> tuple[list[str], list[str]]:
    """The partition's texts to stem and how each becomes words (:func:`kliping.stem.languages.word_modes`; a
    language that is not clustered gives ``""``), as :func:`kliping.pipeline.stem` makes them in one process."""
    from kliping.base import articles
    from kliping.stem.languages import word_modes

    texts = articles.stem_input(cleaned)
    modes = word_modes(cleaned["language"], languages) if "language" in cleaned else ["id"] * len(texts)
    return [text if mode else "" for text, mode in zip(texts, modes)], modes


def count_words(clean_path: str, out: str, languages=None) -> tuple[Counter, Counter, Counter]:
    """The partition's Indonesian tokens with their case and how often each opens a sentence (for the stem
    table), and its English tokens (for :func:`kliping.stem.languages.english_table`).

    The partition is tokenized once: its tokens go to ``out`` as the numbers of their surface forms
    (:func:`kliping.stem.counting.tokenize_corpus`, as the in-process stem stage numbers them), which
    :func:`tokens_part` maps to stems. Tokenizing again there was a second pass over all the text (the Dask run of
    the 22k: 28 s counting, 33 s mapping, loaded machine).
    """
    from kliping import config
    from kliping.stem.counting import tokenize_corpus

    cleaned = pd.read_parquet(clean_path, columns=["title", "content", "language"])
    texts, modes = part_texts(cleaned, languages or config.DEFAULT_LANGUAGES)
    indonesian = [mode == "id" for mode in modes]
    corpus = tokenize_corpus(texts, indonesian)
    _save_words(Path(out), corpus.surface, ids=corpus.codes, lengths=corpus.lengths, modes=np.array(modes, dtype="U2"))
    return corpus.counts(indonesian), corpus.at_start, corpus.counts([mode == "en" for mode in modes])


def _save_words(path: Path, words: list, **arrays) -> None:
    """Arrays and a list of words (newline-joined UTF-8: a token holds no newline) in one ``.npz``."""
    from kliping.base.atomic import atomic_path

    joined = np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8)
    with atomic_path(path) as tmp, tmp.open("wb") as handle:
        np.savez(handle, words=joined, n_words=np.array(len(words)), **arrays)


def _load_words(path) -> dict:
    """What :func:`_save_words` wrote: its arrays, and ``words`` as a list of str."""
    with np.load(path, allow_pickle=False) as data:
        found = {name: data[name] for name in data.files}
    words = found["words"].tobytes().decode("utf-8")
    found["words"] = words.split("\n") if int(found.pop("n_words")) else []
    return found


def add_counts(*parts) -> tuple[Counter, Counter, Counter]:
    """Sum :func:`count_words` results (a tree of these reduces all partitions)."""
    surface, starts, english = Counter(), Counter(), Counter()
    for words, opening, english_words in parts:
        surface.update(words)
        starts.update(opening)
        english.update(english_words)
    return surface, starts, english


def stem_words(words: list[str]) -> list[str]:
    """Stem a chunk of distinct words on a worker (its stemmer is built once per process)."""
    from kliping.stem.corpus import _stem_chunk

    return _stem_chunk(words)


def tokens_part(clean_path: str, words_path: str, out: str, key: str, final: dict) -> tuple[Counter, dict, int]:
    """Stems per usable article of the partition, as word numbers to ``out``; its document frequencies and order.

    The partition's surface numbers (:func:`count_words`) are mapped through the corpus's tables by
    :func:`kliping.stem.numbering.number_tokens`, as :func:`kliping.stem.corpus.stem_corpus` maps them in one
    process. Returns the document frequency of every stem, the stems in order of first appearance (the order the
    in-process vectorizer numbers them in, which decides the order of a row's entries), and the number of usable
    articles.
    """
    from kliping.base import articles
    from kliping.stem.counting import CorpusTokens
    from kliping.stem.numbering import number_tokens

    out = Path(out)
    if _current(out, key):
        numbered = _load_words(out)
        word_ids, lengths, words = numbered["word_ids"], numbered["lengths"], numbered["words"]
    else:
        cleaned = pd.read_parquet(clean_path, columns=["status", "duplicate_of"])
        surface = _load_words(words_path)
        finals = {**final, "": {}}  # final: surface token -> stem, per word mode ("id", "en")
        corpus = CorpusTokens(surface["ids"], surface["lengths"], surface["words"], Counter())
        numbered = number_tokens(corpus, surface["modes"].tolist(), finals)
        lengths = np.diff(numbered.offsets)
        usable = articles.usable_rows(cleaned, [range(n) for n in lengths.tolist()])  # only the counts matter
        word_ids, lengths, words = numbered.word_ids[np.repeat(usable, lengths)], lengths[usable], numbered.words
        _save_words(out, words, word_ids=word_ids, lengths=lengths, row=np.flatnonzero(usable), key=np.array(key))
    # A term counts once per article; the first-appearance order is that of the token stream.
    rows = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    pairs = np.unique(rows * max(len(words), 1) + word_ids)
    df = np.bincount(pairs % max(len(words), 1), minlength=len(words))
    numbers, first = np.unique(word_ids, return_index=True)
    order = dict.fromkeys(words[i] for i in numbers[np.argsort(first, kind="stable")])
    return Counter({word: int(df[i]) for i, word in enumerate(words) if df[i]}), order, len(lengths)


def add_frequencies(*parts) -> tuple[Counter, dict, int]:
    """Sum :func:`tokens_part` results of consecutive partitions, keeping the first-appearance order."""
    df: Counter = Counter()
    order: dict = {}
    n = 0
    for part_df, part_order, part_n in parts:
        df.update(part_df)
        order.update(part_order)  # new terms go to the end; a term seen before keeps its place
        n += part_n
    return df, order, n


# --------------------------------------------------------------------------- vectorize
def tfidf_part(tokens_path: str, out: str, key: str, vectorizer, rank: np.ndarray) -> int:
    """TF-IDF rows of the partition's articles with a term of the vocabulary (the ones clustered, as
    :func:`kliping.pipeline.vectorize` keeps them), entries in the in-process order; the number of rows. The rows
    of every article with stems are kept too (``stemmed``), for the reason of those without such a term."""
    from kliping.topics.vocabulary import rows_of_columns

    out = Path(out)
    if _current(out, key):
        with np.load(out, allow_pickle=False) as data:
            return int(data["shape"][0])
    numbered = _load_words(tokens_path)
    stemmed = numbered["row"]
    # The word numbers as columns of the vocabulary (Vocabulary.transform's rows, no string looked up per token).
    columns = vectorizer.columns_of(numbered["words"])[numbered["word_ids"]]
    X = rows_of_columns(
        columns, numbered["lengths"], len(vectorizer.vocabulary_), vectorizer.idf_, vectorizer.sublinear_tf
    )
    X = in_vocabulary_order(X, rank)
    in_vocabulary = np.diff(X.indptr) > 0
    X = X[in_vocabulary]
    save_matrix(out, X, key, rows=stemmed[in_vocabulary], stemmed=stemmed)
    return X.shape[0]


def save_matrix(path: Path, X, key: str, **arrays) -> None:
    from kliping.base.atomic import atomic_path

    with atomic_path(path) as tmp, tmp.open("wb") as handle:
        np.savez(
            handle,
            data=X.data,
            indices=X.indices,
            indptr=X.indptr,
            shape=np.array(X.shape),
            key=np.array(key),
            **arrays,
        )


def load_matrix(path: str, rows=None):
    """A partition's TF-IDF rows (all, or the ``rows`` given), and the partition rows they belong to."""
    with np.load(path, allow_pickle=False) as data:
        X = sp.csr_matrix((data["data"], data["indices"], data["indptr"]), shape=tuple(data["shape"]))
        where = data["rows"]
    if rows is not None:
        X, where = X[rows], where[rows]
    return X, where


def kept_rows(clean_path: str, tfidf_path: str, rows=None, label: bool = False) -> pd.DataFrame:
    """What describing the topics needs of the partition's usable articles (``id``, ``title``, ``site``,
    ``published`` and ``label``), in TF-IDF row order."""
    with np.load(tfidf_path, allow_pickle=False) as data:
        where = data["rows"]
    if rows is not None:
        where = where[rows]
    columns = ["id", "title", "site", "published"] + (["label"] if label else [])
    return pd.read_parquet(clean_path, columns=columns).iloc[where].reset_index(drop=True)


def vocabulary_columns(tokens_path: str, tfidf_path: str, rows, vectorizer) -> tuple[np.ndarray, np.ndarray]:
    """The vocabulary column of every token of the partition's clustered articles (all, or the ``rows`` given, in
    TF-IDF row order; -1: not in the vocabulary, keeping its place) and the tokens per article: what
    :func:`kliping.topics.wordvectors.cooccurrence_of_ids` counts, on the client, over all partitions at once.

    Gathering these int32 numbers (11 MB for the 22k) replaced summing each partition's co-occurrence matrix on the
    workers, which moved and added 5 sparse matrices of millions of entries (the 22k's cluster stage: 62 s on
    two workers against 5 s in one process, loaded machine).
    """
    numbered = _load_words(tokens_path)
    lengths = numbered["lengths"]
    with np.load(tfidf_path, allow_pickle=False) as data:
        clustered = np.isin(numbered["row"], data["rows"])
    if rows is not None:  # positions among the clustered rows, sorted (kliping.topics.clustering.sample_rows)
        chosen = np.flatnonzero(clustered)[rows]
        clustered[:] = False
        clustered[chosen] = True
    columns = vectorizer.columns_of(numbered["words"]).astype(np.int32)[numbered["word_ids"]]
    return columns[np.repeat(clustered, lengths)], lengths[clustered]
