"""The topic measures (kliping.evaluation.topics) on real articles of the embedded CLICK-ID corpus."""

from __future__ import annotations

import gzip
import itertools
import json
import math

import pandas as pd
import pytest

from kliping import config
from kliping.evaluation import topics as evaluation
from kliping.stem import stem_corpus

PER_DESK = 30


@pytest.fixture(scope="module")
def corpus():
    """The first 30 articles of every desk of the embedded corpus, stemmed by kliping, as a reference."""
    with gzip.open(config.RAW_DIR / "clickid_sample.jsonl.gz", "rt", encoding="utf-8") as handle:
        records = pd.DataFrame([json.loads(line) for line in handle])
    records = records.groupby("category_coarse").head(PER_DESK).reset_index(drop=True)
    texts = (records["title"].fillna("") + "\n" + records["content"].fillna("")).tolist()
    stemmed = stem_corpus(texts, progress=False, use_cache=False)
    return records, stemmed, evaluation.Reference.from_token_lists(stemmed.tokens, stemmed.stem_of)


def test_the_reference_counts_the_articles_each_stem_occurs_in(corpus):
    records, stemmed, ref = corpus
    assert ref.n_documents == len(records) == PER_DESK * records["category_coarse"].nunique()
    for stem in ("gol", "mobil", "perintah"):
        expected = sum(stem in tokens for tokens in stemmed.tokens)
        assert expected > 0
        assert ref.presence[:, ref.index[stem]].sum() == expected


def test_words_as_shown_written_or_stemmed_reach_the_same_stems(corpus):
    _, _, ref = corpus
    assert evaluation.to_stems(["Pemerintah", "pemerintahan", "yang", "dan", "mobil", "2019"], ref) == [
        "perintah",
        "mobil",
    ]
    assert evaluation.to_stems(["pelatih", "kendaraan"], ref) == ["latih", "kendara"]
    assert evaluation.to_stems(["perintah", "mobil", "kataasing"], ref, stems=True) == ["perintah", "mobil"]


def test_npmi_is_the_mean_over_pairs_of_whole_article_co_occurrence(corpus):
    """Against a count with Python sets, one pair at a time."""
    _, stemmed, ref = corpus
    words = ["gol", "main", "laga", "liga", "latih"]  # stems: pemain, pelatih
    sets = [set(tokens) for tokens in stemmed.tokens]
    n = len(sets)
    expected = []
    for a, b in itertools.combinations(words, 2):
        pa, pb = sum(a in s for s in sets) / n, sum(b in s for s in sets) / n
        pab = sum(a in s and b in s for s in sets) / n
        expected.append(-1.0 if pab == 0 else math.log(pab / (pa * pb)) / -math.log(pab))
    assert evaluation.topic_npmi(words, ref) == pytest.approx(sum(expected) / len(expected))


def test_a_desk_s_words_cohere_and_words_of_different_desks_do_not(corpus):
    _, _, ref = corpus
    football = ["gol", "pemain", "laga", "liga", "pelatih"]
    mixed = ["gol", "mobil", "ponsel", "film", "saham"]
    assert evaluation.npmi([football], ref) > 0.3
    assert evaluation.npmi([mixed], ref) < 0.1 < evaluation.npmi([football], ref) - 0.2


def test_diversity_counts_a_stem_once_however_it_is_written(corpus):
    _, _, ref = corpus
    assert evaluation.diversity([["gol", "liga"], ["mobil", "motor"]], ref) == 1.0
    assert evaluation.diversity([["gol", "liga"], ["gol", "liga"]], ref) == 0.5
    # pemerintah and pemerintahan are one stem (perintah): four stems listed, three distinct
    assert evaluation.diversity([["pemerintah", "pemerintahan", "presiden"], ["presiden", "mobil"]], ref) == 0.75


def test_the_desks_themselves_score_one_and_a_shuffle_about_zero(corpus):
    records, _, ref = corpus
    truth = records["category_coarse"]
    words = [["gol", "liga"], ["mobil", "motor"]]
    perfect = evaluation.score(truth.tolist(), truth, words, ref)
    assert perfect["nmi"] == pytest.approx(1.0) and perfect["ari"] == pytest.approx(1.0)
    shuffled = evaluation.score(truth.sample(frac=1, random_state=0).tolist(), truth, words, ref)
    assert shuffled["ari"] < 0.05 and shuffled["nmi"] < 0.1
    with pytest.raises(ValueError, match="labels for"):
        evaluation.score([0, 1], truth, words, ref)


def test_shown_words_read_both_formats_of_topics_csv():
    old = pd.DataFrame({"topic": [0, 1], "top_terms": ["asap, kpk, kebakaran", "mobil, kendaraan"]})
    new = pd.DataFrame({"topic": [1, 0, -1], "top_terms": ["mobil | kendaraan", "asap | kpk, bpk", "lain"]})
    assert evaluation.shown_words(old) == [["asap", "kpk", "kebakaran"], ["mobil", "kendaraan"]]
    assert evaluation.shown_words(new) == [["asap", "kpk, bpk"], ["mobil", "kendaraan"]]
