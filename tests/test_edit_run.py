"""Topics a newsroom names and merges: ``kliping topics OUT --rename/--merge`` rewrites a run's files and model as
one set, ``kliping assign`` and the report follow, bad edits are refused with one line (exit 2).

On 400 real CLICK-ID articles of the embedded corpus (data/raw), k = 8, seed 0.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import embedded_records, write_jsonl

import kliping
from kliping import config, outputs, pipeline
from kliping.report import listing, views
from kliping.topics.edit import EditError

KLIPING = Path(sys.executable).with_name("kliping")
NAME = 'Musik & "selebriti" <b>'  # a name with characters HTML and CSV must keep as text


def kliping_cli(*args: str, work: Path) -> subprocess.CompletedProcess:
    env = os.environ | {"KLIPING_WORK_DIR": str(work)}
    return subprocess.run([str(KLIPING), *map(str, args)], capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A run on 400 real articles written to ``pristine/``; each test edits its own copy."""
    folder = tmp_path_factory.mktemp("edit_run")
    corpus = write_jsonl(folder / "berita.jsonl", embedded_records(0, 400))
    settings = config.RunSettings(corpus, label_field="category_coarse", k=8, seed=0, output_dir=folder / "pristine")
    result = pipeline.run(settings, progress=False, cache_dir=folder / "work" / "cache")
    outputs.write_outputs(result, settings.output_dir, settings)
    return {"folder": folder, "corpus": corpus, "settings": settings, "result": result}


@pytest.fixture
def out(run, tmp_path):
    shutil.copytree(run["folder"] / "pristine", tmp_path / "out")
    return tmp_path / "out"


def metrics_of(folder: Path) -> dict:
    return json.loads((folder / "metrics.json").read_text(encoding="utf-8"))


def test_rename_and_merge_rewrite_the_runs_files_as_one_set(run, out):
    before = pd.read_csv(out / "assignments.csv")
    old_run = metrics_of(out)["run_id"]
    done = kliping_cli("topics", out, "--rename", f"0={NAME}", "--merge", "1,2", work=run["folder"] / "work")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "7 topics after the edit" in done.stdout and NAME in done.stdout

    topics = pd.read_csv(out / "topics.csv")
    assert len(topics) == 7 and topics["topic"].tolist() == list(range(7))
    assert topics.loc[0, "label"] == NAME
    # One run id across the set, a new one, and the edit recorded in metrics.json and the model.
    metrics, meta = metrics_of(out), json.loads((out / "model" / "model.json").read_text(encoding="utf-8"))
    articles = pd.read_parquet(out / "articles.parquet")
    assert metrics["run_id"] != old_run
    assert meta["run_id"] == metrics["run_id"] == articles["run_id"].iloc[0]
    assert metrics["k"] == 7 and metrics["edits"][0]["merge"] == [[1, 2]]
    assert metrics["edits"][0]["rename"] == {"0": NAME} and metrics["edits"][0]["edited_run_id"] == old_run
    assert meta["edits"] == metrics["edits"] and [t["label"] for t in meta["topics"]][0] == NAME
    # The merged partition: topics 1 and 2 are one topic (1), the topics after them move down; nobody else moves.
    after = pd.read_csv(out / "assignments.csv")
    expected = before["topic"].map(lambda t: t if t < 2 else t - 1).where(before["topic"] >= 0, -1)
    assert (after["topic"] == expected).all()
    assert (after["confidence"] == before["confidence"]).all()
    assert set(after.loc[before["topic"] == 0, "topic_label"]) == {NAME}
    merged = topics.loc[1]
    # Sizes count each story once: a copy (duplicate_of set) takes its original's topic but is not counted again.
    stories = articles.set_index("id")["duplicate_of"].isna().reindex(before["id"]).to_numpy()
    assert merged["size"] == (before["topic"].isin([1, 2]).to_numpy() & stories).sum()
    # One set of words and a label of three of the merged topic's words, chosen for the articles they cover (issue
    # 27's rule): a topic of two stories (singers, parliament) is named by words written in its articles of both.
    texts = articles.set_index("id").reindex(before.loc[before["topic"].isin([1, 2]), "id"])
    written = set(
        re.findall(r"[\w-]+", " ".join(texts["title"].fillna("") + " " + texts["content"].fillna("")).lower())
    )
    named = merged["label"].split(" · ")
    assert len(named) == 3 and set(named) <= written, (named, merged["top_terms"])
    # The untouched topics keep their words.
    old_topics = pd.read_csv(run["folder"] / "pristine" / "topics.csv")
    assert topics.loc[2:, "top_terms"].tolist() == old_topics.loc[3:, "top_terms"].tolist()
    over_time = pd.read_csv(out / outputs.OVER_TIME_FILE)
    assert set(over_time["topic"]) <= set(range(7))


def test_kliping_assign_with_the_edited_model_gives_the_edited_run(run, out, tmp_path):
    kliping_cli("topics", out, "--rename", f"0={NAME}", "--merge", "1,2", work=run["folder"] / "work")
    done = kliping_cli("assign", out / "model", run["corpus"], "-o", tmp_path / "a.csv", work=run["folder"] / "work")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "among 7 topics" in done.stderr
    # Byte for byte: the edited labels and the merged partition, as the edited run's assignments.csv.
    assert (tmp_path / "a.csv").read_bytes() == (out / "assignments.csv").read_bytes()


def test_a_report_rendered_again_makes_the_edits_again_and_shows_the_new_name(run, out):
    kliping_cli("topics", out, "--rename", f"0={NAME}", "--merge", "1,2", work=run["folder"] / "work")
    # What notebook 05 does before it saves: the same corpus and settings run again, the recorded edits made again.
    again = outputs.replay_edits(run["result"], out, run["folder"] / "work" / "cache")
    assert again.topics["label"].tolist() == pd.read_csv(out / "topics.csv")["label"].tolist()
    assert again.model.labels[0] == NAME and again.model.k == 7
    cards = views.topic_cards_html(again.topics)
    assert f"Topic 0: {views.escape(NAME)}" in cards and NAME not in cards  # shown, and escaped
    assert f"Topic 0: {views.escape(NAME)}" in listing.topic_articles_html(again.articles, again.topics)


def test_edits_made_for_other_topics_are_not_made_again(run, out):
    kliping_cli("topics", out, "--merge", "1,2", work=run["folder"] / "work")
    other = pipeline.run(run["corpus"], k=5, seed=0, progress=False, cache_dir=run["folder"] / "work" / "cache")
    with pytest.warns(UserWarning, match="made for other topics"):
        kept = outputs.replay_edits(other, out, run["folder"] / "work" / "cache")
    assert kept.model.k == 5 and "edits" not in kept.metrics


def test_a_second_edit_is_recorded_after_the_first(run, out, tmp_path):
    kliping_cli("topics", out, "--merge", "1,2", work=run["folder"] / "work")
    done = kliping_cli("topics", out, "--merge", "0,1", "--rename", "3=Otomotif", work=run["folder"] / "work")
    assert done.returncode == 0, done.stderr[-2000:]
    metrics = metrics_of(out)
    assert metrics["k"] == 6 and [e["merge"] for e in metrics["edits"]] == [[[1, 2]], [[0, 1]]]
    # The model places the corpus's articles exactly as the twice-edited run has them.
    placed = kliping.load_model(out).assign(run["corpus"], label_field="category_coarse")
    run_table = pd.read_csv(out / "assignments.csv")
    assert (placed["topic"].to_numpy() == run_table["topic"].to_numpy()).all()
    assert "Otomotif" in placed["topic_label"].tolist()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--rename", "99=Bola"], "--rename 99=...: there is no topic 99 (the run has topics 0 to 7)"),
        (["--merge", "1"], "--merge 1: name at least two different topics to merge"),
        (["--merge", "1,x"], "--merge '1,x': 'x' is not a topic number"),
        (["--merge", "3,8"], "--merge 3,8: there is no topic 8"),
        (["--merge", "1,2", "--merge", "2,3"], "topic 2 is in two merges"),
        (["--rename", "0="], "--rename 0=: the label is empty"),
        (["--rename", "Sepak bola"], "write it as N=LABEL"),
        (["--rename", "0=a\x1bb"], "without control characters"),
        (["--rename", "1=Satu", "--rename", "2=Dua", "--merge", "1,2"], "gets one label, not 2"),
        (["--rename", "0=Sama", "--rename", "3=sama"], "would name two topics"),
    ],
)
def test_a_bad_edit_is_refused_in_one_line_and_changes_nothing(run, out, options, message):
    before = (out / "metrics.json").read_bytes(), (out / "topics.csv").read_bytes()
    done = kliping_cli("topics", out, *options, work=run["folder"] / "work")
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("kliping: error: ") and done.stderr.count("\n") == 1, done.stderr
    assert message in done.stderr
    assert ((out / "metrics.json").read_bytes(), (out / "topics.csv").read_bytes()) == before


def test_a_folder_without_a_run_is_refused_in_one_line(run, tmp_path):
    done = kliping_cli("topics", tmp_path, "--rename", "0=Bola", work=run["folder"] / "work")
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "holds no run (no metrics.json)" in done.stderr


def test_listing_the_topics_of_a_run(run, out):
    done = kliping_cli("topics", out, work=run["folder"] / "work")
    assert done.returncode == 0
    for label in pd.read_csv(out / "topics.csv")["label"]:
        assert label in done.stdout


def test_the_python_api_renames_merges_and_saves_a_model(run, tmp_path):
    model = run["result"].model
    edited = model.rename({0: "Sepak bola"}).merge([1, 2], label="Politik")
    assert edited.labels[:2] == ["Sepak bola", "Politik"] and edited.k == model.k - 1
    assert model.labels[0] != "Sepak bola"  # the model given is left as it was
    edited.save(tmp_path / "model")
    loaded = kliping.load_model(tmp_path / "model")
    assert loaded.labels == edited.labels and loaded.sizes == edited.sizes and len(loaded.edits) == 2
    assert (loaded.centre_topics == edited.centre_topics).all()
    # The merged topic holds exactly the articles of both (the run's own articles, placed by the saved model).
    placed = loaded.assign(run["corpus"])
    before = run["result"].assignments["topic"].to_numpy()
    assert (placed["topic"].to_numpy()[np.isin(before, [1, 2])] == 1).all()
    with pytest.raises(EditError, match="there is no topic 9"):
        model.merge([1, 9])
