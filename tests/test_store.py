"""kliping.store on real articles: every artifact comes back as it went in, stamped, and writes are atomic."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from test_vectorize import clean_and_stem_subset

from kliping import config, outputs, pipeline, store
from kliping.base import atomic


@pytest.fixture(scope="module")
def stages(tmp_path_factory):
    """450 real labelled articles through clean, stem and vectorize, and a store for them."""
    folder = tmp_path_factory.mktemp("store")
    cleaned, stemmed = clean_and_stem_subset(folder)
    vectors = pipeline.vectorize(cleaned, stemmed, seed=0)
    settings = config.RunSettings(folder / "subset.jsonl", label_field="category_coarse", seed=0)
    return {
        "cleaned": cleaned,
        "stemmed": stemmed,
        "vectors": vectors,
        "store": store.Store(folder / "interim", settings),
    }


def test_cleaned_articles_come_back_whole(stages):
    work, cleaned = stages["store"], stages["cleaned"]
    work.save("cleaned", cleaned)
    loaded = work.load("cleaned")
    assert loaded["id"].tolist() == cleaned["id"].tolist()
    assert loaded["content"].tolist() == cleaned["content"].tolist()
    assert [list(k) for k in loaded["kinds"]] == [list(k) for k in cleaned["kinds"]]
    assert loaded["published"].equals(cleaned["published"])  # time zones kept


def test_stems_come_back_with_their_display_words(stages):
    work, stemmed = stages["store"], stages["stemmed"]
    work.save("stemmed", stemmed)
    loaded = work.load("stemmed")
    assert loaded.tokens == stemmed.tokens and loaded.display_words == stemmed.display_words
    assert loaded.proper_nouns == stemmed.proper_nouns and loaded.vocabulary_after == stemmed.vocabulary_after


def test_vectors_come_back_without_pickle_and_still_place_new_articles(stages):
    work, vectors = stages["store"], stages["vectors"]
    path = work.save("vectors", vectors)
    with np.load(path, allow_pickle=False) as data:  # plain arrays only
        assert "Z" in data.files and "terms" in data.files
    loaded = work.load("vectors")
    assert (loaded.X != vectors.X).nnz == 0 and np.array_equal(loaded.Z, vectors.Z)
    assert loaded.ids == vectors.ids and np.array_equal(loaded.usable, vectors.usable)
    new = [["banjir", "bekasi", "hujan"], ["gol", "persib", "liga"]]
    np.testing.assert_allclose(loaded.transform(new), vectors.transform(new), atol=1e-6)
    # An article already in the corpus lands where the corpus put it.
    first = stages["stemmed"].tokens[0]
    np.testing.assert_allclose(loaded.transform([first])[0], vectors.Z[0], atol=1e-4)


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "assignments.csv"
    target.write_text("id,topic\na,1\n")
    with pytest.raises(RuntimeError), atomic.atomic_path(target) as tmp:
        tmp.write_text("id,topic\nb,")
        raise RuntimeError("disk full")
    assert target.read_text() == "id,topic\na,1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["assignments.csv"]


def test_outputs_carry_one_run_id_and_spreadsheet_formulas_are_neutralised(tmp_path):
    articles = pd.DataFrame(
        {
            "id": ["a", "b"],
            "status": ["ok", "ok"],
            "topic": [0, 0],
            "confidence": [0.9, 0.8],
            "topic_label": ["banjir", "banjir"],
            "title": ['=HYPERLINK("http://x")', "-5 korban"],
            "reason": ["", ""],
        }
    )
    topics = pd.DataFrame({"topic": [0], "size": [2], "label": ["banjir"], "representatives": [["a", "b"]]})
    result = pipeline.RunResult(articles=articles, topics=topics, metrics={"k": 1})
    outputs.write_outputs(result, tmp_path, config.RunSettings(config.RAW_DIR, k=1))
    run_id = json.loads((tmp_path / "metrics.json").read_text())["run_id"]
    assert set(pd.read_parquet(tmp_path / "articles.parquet")["run_id"]) == {run_id}
    assert pd.read_csv(tmp_path / "assignments.csv")["title"].tolist() == ['\'=HYPERLINK("http://x")', "'-5 korban"]
    assert pd.read_csv(tmp_path / "topics.csv")["representatives"].tolist() == ["a | b"]
