"""The stem stage without holding every text and token list at once (issue 24's memory), on real CLICK-ID articles:
the texts made a run at a time from the frame (StemTexts), the tokens numbered in steps, the token lists made from
the numbers when read (TokenLists), and the vectorize stage that reads only the numbers. Every result must be the one
the eager lists gave."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from conftest import embedded_records

from kliping import pipeline, stem
from kliping.base.articles import StemTexts, stem_input
from kliping.stem import counting, numbering
from kliping.stem.cache import corpus_cache_file
from kliping.stem.corpus import StemResult


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """300 real articles' titles and bodies, a few without a title or a body (as the clean stage leaves them)."""
    records = embedded_records(0, 300)
    titles = [None if i % 17 == 0 else r.get("title") for i, r in enumerate(records)]
    contents = [None if i % 29 == 5 else r.get("content") for i, r in enumerate(records)]
    return pd.DataFrame({"title": titles, "content": contents})


@pytest.fixture(scope="module")
def modes(frame) -> list[str]:
    return ["en" if i % 9 == 0 else "" if i % 13 == 0 else "id" for i in range(len(frame))]


def test_stem_texts_are_stem_input_made_a_run_at_a_time(frame, monkeypatch):
    monkeypatch.setattr("kliping.base.articles.STEP_ROWS", 7)  # many steps, the last one short
    texts = StemTexts(frame)
    expected = stem_input(frame)
    assert len(texts) == len(expected) == 300
    assert list(texts) == expected and texts[5:40] == expected[5:40] and texts[::50] == expected[::50]
    assert texts[-1] == expected[-1] and texts[17] == expected[17] and texts[17].startswith("\n")
    with pytest.raises(IndexError):
        texts[300]
    # The corpus cache is keyed by the same texts, so a run with either finds the other's cache.
    assert corpus_cache_file(texts, "cache") == corpus_cache_file(expected, "cache")


def test_stem_corpus_of_streamed_texts_is_the_eager_result(frame, modes, monkeypatch):
    from kliping.stem import corpus

    eager = stem.stem_corpus(stem_input(frame), progress=False, use_cache=False, n_jobs=1, modes=modes)
    monkeypatch.setattr(corpus, "PARALLEL_MIN_CHARACTERS", 1)  # tokenize and stem in the pool
    monkeypatch.setattr(counting, "TEXTS_PER_TASK", 23)  # 14 runs, at most 3 handed out at a time
    monkeypatch.setattr(counting, "RUNS_AHEAD", 3)
    monkeypatch.setattr(numbering, "STEP_TOKENS", 500)  # mapped in steps; some articles are longer than a step
    streamed = stem.stem_corpus(StemTexts(frame), progress=False, use_cache=False, n_jobs=2, modes=modes)
    assert streamed.word_ids.tolist() == eager.word_ids.tolist() and streamed.words == eager.words
    assert streamed.offsets.tolist() == eager.offsets.tolist() and streamed.tokens == eager.tokens
    assert list(streamed.stem_of.items()) == list(eager.stem_of.items())
    assert streamed.display_words == eager.display_words and streamed.proper_nouns == eager.proper_nouns
    assert streamed.n_tokens == eager.n_tokens > 10_000
    assert streamed.tokens[13] == [] and modes[13] == "" and streamed.tokens[1] and modes[1] == "id"


def test_token_lists_are_made_from_the_numbers_when_read(frame, monkeypatch):
    monkeypatch.setattr(numbering, "STEP_TEXTS", 11)
    result = stem.stem_corpus(stem_input(frame), progress=False, use_cache=False)
    tokens = result.tokens
    assert isinstance(tokens, numbering.TokenLists)
    words, ids, offsets = result.words, result.word_ids, result.offsets
    lists = [[words[i] for i in ids[a:b]] for a, b in zip(offsets[:-1], offsets[1:])]
    assert list(tokens) == lists and tokens == lists and lists == tokens and len(tokens) == 300
    assert [tokens[i] for i in range(300)] == lists and tokens[-3:] == lists[-3:] and tokens[-1] == lists[-1]
    assert tokens.lengths.tolist() == [len(x) for x in lists]
    assert pickle.loads(pickle.dumps(tokens)) == lists
    assert tokens + [["banjir"]] == lists + [["banjir"]] and [["banjir"]] + tokens == [["banjir"]] + lists
    assert tokens != lists[:-1] and tokens != lists[:-1] + [["banjir"]]
    with pytest.raises(IndexError):
        tokens[300]
    assert repr(tokens[:2]) == repr(lists[:2])
    # Every text's words are its tokens looked up one by one in the stem table (an independent reference).
    for i, text in enumerate(stem_input(frame)[:40]):
        assert tokens[i] == [result.stem_of[t.lower()] for t in stem.tokenize(text) if t.lower() in result.stem_of]


def test_vectorize_from_the_numbers_is_vectorize_from_the_lists(frame):
    cleaned = frame.assign(id=[f"a{i}" for i in range(len(frame))], status="ok", duplicate_of=None)
    cleaned.loc[7, "duplicate_of"] = "a3"  # a copy is not clustered either way
    stemmed = stem.stem_corpus(StemTexts(cleaned), progress=False, use_cache=False)
    listed = StemResult([list(tokens) for tokens in stemmed.tokens], stemmed.display_words, stemmed.stem_of)
    numbers, lists = pipeline.vectorize(cleaned, stemmed, seed=0), pipeline.vectorize(cleaned, listed, seed=0)
    assert numbers.usable.tolist() == lists.usable.tolist() and not numbers.usable[7]
    assert numbers.vectorizer.vocabulary_ == lists.vectorizer.vocabulary_
    assert (numbers.X != lists.X).nnz == 0 and numbers.X.shape[0] > 250
    assert np.allclose(numbers.Z, lists.Z, atol=1e-6)


def test_reader_names_the_same_duplicates_reading_its_texts_in_steps(tmp_path, monkeypatch):
    """The reader frees its rows before naming duplicates, and reads the text column a step at a time."""
    from conftest import write_jsonl

    from kliping.io import corpus

    records = embedded_records(0, 120)
    copies = [dict(records[i], id=f"copy-{i}", content=records[i]["content"] + "  \n") for i in (3, 40, 41, 99)]
    path = write_jsonl(tmp_path / "berita.jsonl", records[:60] + copies + records[60:] + [dict(records[3], id="x")])
    monkeypatch.setattr(corpus, "TEXT_STEP", 7)
    frame = corpus.read_corpus(path)
    first = {}  # the first article with each text, its lines stripped (an independent reference)
    for id_, text in zip(frame["id"], frame["text"]):
        first.setdefault("\n".join(line.strip() for line in text.strip().split("\n")), id_)
    expected = [
        None if first[key] == id_ else first[key]
        for id_, key in zip(
            frame["id"], ["\n".join(line.strip() for line in t.strip().split("\n")) for t in frame["text"]]
        )
    ]
    assert frame["duplicate_of"].tolist() == expected
    assert frame.set_index("id").loc[["copy-3", "copy-40", "x"], "duplicate_of"].tolist() == [
        records[3]["id"],
        records[40]["id"],
        records[3]["id"],
    ]
