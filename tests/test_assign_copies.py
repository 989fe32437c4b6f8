"""``kliping assign`` knows the stories its model was fitted on: a new article that republishes one of them (an exact
copy, or a near copy with a few sentences edited, a line dropped, a "Baca juga" and an agency tag added) names it
in ``duplicate_of``, with ``copy_similarity``, takes its topic and is never a candidate new topic; a copy of another
new article follows it the same way; an unrelated article is placed on its own. A model folder saved before the
signatures were kept still loads, and says in one line what it cannot do.

On 300 real CLICK-ID articles of the embedded corpus (data/raw), k = 6, seed 0; the new articles are other articles
of the same corpus and copies made from them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import embedded_records, write_jsonl

from kliping import config, outputs, pipeline
from kliping.clean import copies
from kliping.evaluation.copies import near_copy, pieces
from kliping.topics.model import load_model

KLIPING = Path(sys.executable).with_name("kliping")
FIELDS = dict(text_field="content", id_field="id", date_field="date", site_field="site")


def edited(text: str, rng: np.random.Generator) -> str:
    """A republished text with a few sentences edited (their last word dropped, a clause added), then a piece
    dropped, a "Baca juga" line and an agency tag added (:func:`kliping.evaluation.copies.near_copy`)."""
    parts = pieces(text)
    for n in range(1, min(len(parts), 4)):
        parts[n] = " ".join(parts[n].split()[:-1]) + ", kata sumber tersebut kepada wartawan."
    return near_copy("\n".join(parts), "Harga Cabai Naik Jelang Natal", rng)


def long_articles(records: list[dict], n: int, skip: int = 0) -> list[dict]:
    """``n`` records of at least 150 words (a copy of a short brief is too short to tell from another brief)."""
    return [r for r in records if len(r["content"].split()) >= 150][skip : skip + n]


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("assign_copies")
    records = embedded_records(0, 300)
    corpus = write_jsonl(folder / "berita.jsonl", records)
    settings = config.RunSettings(corpus, label_field="category_coarse", k=6, seed=0, output_dir=folder / "out")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = pipeline.run(settings, progress=False, cache_dir=folder / "work" / "cache")
    outputs.write_outputs(result, settings.output_dir, settings)
    run = pd.read_csv(folder / "out" / "assignments.csv", keep_default_na=False).set_index("id")
    return {"folder": folder, "records": records, "out": folder / "out", "run": run, "result": result}


@pytest.fixture(scope="module")
def batch(fitted):
    """New articles: an exact copy and an edited near copy of two fitted articles (other sites, later), a new
    article with an edited copy of it in the same batch, an article dated before the fitted one it copies, and six
    unrelated articles."""
    rng = np.random.default_rng(5)
    old = long_articles(fitted["records"], 3)
    fresh = long_articles(embedded_records(1000, 1400), 7)
    exact = dict(old[0], id="salinan-persis", site="suara.com", date="2019-12-30 10:00:00")
    near = dict(old[1], id="salinan-sunting", site="jpnn.com", date="2019-12-30 11:00:00")
    near["content"] = edited(old[1]["content"], rng)
    own = dict(fresh[0], id="berita-baru", date="2019-12-29 08:00:00")
    own_copy = dict(fresh[0], id="berita-baru-disalin", site="merdeka.com", date="2019-12-30 08:00:00")
    own_copy["content"] = edited(fresh[0]["content"], rng)
    earlier = dict(old[2], id="terbit-lebih-dulu", site="antaranews.com", date="2019-01-01 00:00:00")
    unrelated = [dict(r) for r in fresh[1:]]
    rows = [exact, near, own, own_copy, earlier, *unrelated]
    return {"rows": rows, "old": old, "unrelated": [r["id"] for r in unrelated]}


def assigned(model, rows: list[dict]) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.assign(pd.DataFrame(rows), **FIELDS).set_index("id")


def test_copies_of_the_runs_articles_and_of_each_other_follow_their_original(fitted, batch):
    model = load_model(fitted["out"])
    table = assigned(model, batch["rows"])
    run, old = fitted["run"], batch["old"]
    # The exact and the edited copy name the fitted article and carry its topic, confidence and label.
    for copy, original in (("salinan-persis", old[0]["id"]), ("salinan-sunting", old[1]["id"])):
        assert table.loc[copy, "duplicate_of"] == original
        assert table.loc[copy, "topic"] == run.loc[original, "topic"]
        assert table.loc[copy, "confidence"] == run.loc[original, "confidence"]
        assert table.loc[copy, "topic_label"] == run.loc[original, "topic_label"]
    assert table.loc["salinan-persis", "copy_similarity"] == 1.0
    assert copies.THRESHOLD <= table.loc["salinan-sunting", "copy_similarity"] < 1.0
    # A copy within the batch names the earlier new article and lands with it.
    assert table.loc["berita-baru-disalin", "duplicate_of"] == "berita-baru"
    assert copies.THRESHOLD <= table.loc["berita-baru-disalin", "copy_similarity"] < 1.0
    assert table.loc["berita-baru-disalin", "topic"] == table.loc["berita-baru", "topic"]
    # The earliest published is the original, as in the run: an article dated before the fitted one is no copy.
    assert pd.isna(table.loc["terbit-lebih-dulu", "duplicate_of"])
    # Unrelated articles are placed on their own, as without the fitted articles' signatures.
    alone = assigned(dataclass_without_signatures(model), batch["rows"])
    mine = batch["unrelated"] + ["berita-baru", "terbit-lebih-dulu"]
    assert table.loc[mine, "duplicate_of"].isna().all()
    pd.testing.assert_frame_equal(table.loc[mine], alone.loc[mine])
    assert (table.loc[batch["unrelated"], "topic"] >= 0).sum() >= 3  # placed among the run's topics


def dataclass_without_signatures(model):
    import dataclasses

    return dataclasses.replace(model, fitted=None)


@pytest.fixture(scope="module")
def two_desks():
    """A run on 200 sport and car articles and 20 of other desks, k = 2: some articles are far from both topics."""
    records = embedded_records(0, 3235)
    two = [r for r in records if r["category_coarse"] in ("olahraga", "otomotif")][:200]
    others = [r for r in records if r["category_coarse"] not in ("olahraga", "otomotif")][:400:20]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = pipeline.run(pd.DataFrame(two + others), k=2, seed=0, progress=False, **FIELDS)
    return result, {r["id"]: r for r in two + others}


def test_copies_of_the_runs_outliers_are_no_candidate_new_topics(two_desks):
    result, by_id = two_desks
    run = result.articles
    far = run.loc[run["reason"].str.startswith("far from") & run["duplicate_of"].isna(), "id"].tolist()
    assert len(far) >= 8, "the run has too few outliers for this test"
    rows = [dict(by_id[i], id=f"{i}-ulang", site="suara.com", date="2019-12-31 00:00:00") for i in far[:8]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table, candidates = pipeline.assign_new(result.model, pd.DataFrame(rows), **FIELDS)
        # Without the signatures the same articles are new stories far from both topics, grouped as candidates.
        alone, new = pipeline.assign_new(dataclass_without_signatures(result.model), pd.DataFrame(rows), **FIELDS)
    assert table["duplicate_of"].tolist() == far[:8]
    assert table["reason"].str.startswith("far from").all()  # placed as their originals were: far from every topic
    assert len(candidates) == 0  # but they are stories the run had, not a new one
    assert alone["duplicate_of"].isna().all() and alone["reason"].str.startswith("far from").sum() >= 6
    assert len(new) >= 1


def test_a_copy_follows_its_original_into_a_merged_topic(fitted, batch):
    model = load_model(fitted["out"])
    original = batch["old"][0]["id"]
    topic = int(fitted["run"].loc[original, "topic"])
    other = 1 if topic == 0 else 0
    merged = model.merge([topic, other])
    table = assigned(merged, batch["rows"][:1])
    assert table.loc["salinan-persis", "topic"] == min(topic, other)
    assert table.loc["salinan-persis", "topic_label"] == merged.labels[min(topic, other)]


def test_kliping_assign_on_the_command_line(fitted, batch, tmp_path):
    new = write_jsonl(tmp_path / "besok.jsonl", batch["rows"])
    env = os.environ | {"KLIPING_WORK_DIR": str(fitted["folder"] / "work")}
    done = subprocess.run(
        [str(KLIPING), "assign", str(fitted["out"] / "model"), str(new), "-o", str(tmp_path / "a.csv")],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "(3 copies: 2 of the run's articles, 1 of other new ones)" in done.stderr
    table = pd.read_csv(tmp_path / "a.csv").set_index("id")
    assert list(table.columns)[-2:] == ["duplicate_of", "copy_similarity"]
    assert table.loc["salinan-persis", "duplicate_of"] == batch["old"][0]["id"]
    assert table.loc["berita-baru-disalin", "duplicate_of"] == "berita-baru"


def test_an_old_model_folder_without_signatures_still_loads_and_says_so(fitted, batch, tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(fitted["out"] / "model", folder)
    (folder / "signatures.npz").unlink()
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    del meta["signatures"]
    (folder / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    model = load_model(folder)
    assert model.fitted is None and model.k == 6
    new = write_jsonl(tmp_path / "besok.jsonl", batch["rows"])
    env = os.environ | {"KLIPING_WORK_DIR": str(fitted["folder"] / "work")}
    done = subprocess.run(
        [str(KLIPING), "assign", str(folder), str(new), "-o", str(tmp_path / "a.csv")],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    said = [line for line in done.stderr.splitlines() if "signatures" in line]
    assert len(said) == 1 and "copies of them cannot be found" in said[0]
    table = pd.read_csv(tmp_path / "a.csv").set_index("id")
    assert pd.isna(table.loc["salinan-persis", "duplicate_of"])  # the run's articles are not known
    assert table.loc["berita-baru-disalin", "duplicate_of"] == "berita-baru"  # copies among the new ones still are


def test_the_saved_signatures_are_the_runs_articles(fitted):
    model = load_model(fitted["out"])
    articles = fitted["result"].articles.set_index("id")
    kept = model.fitted
    assert set(kept.ids) <= set(articles.index) and len(kept) >= 0.95 * len(articles)
    assert (kept.topic == articles.loc[kept.ids, "topic"].to_numpy()).all()
    again = copies.table_signatures(articles.loc[kept.ids].reset_index())
    assert np.array_equal(kept.signatures, again)
    assert (fitted["out"] / "model" / "signatures.npz").stat().st_size < 400 * len(kept)  # small beside the text
