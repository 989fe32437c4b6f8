"""Tests for ``kliping run`` (kliping.pipeline and the CLI) end to end, on real pages and real bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from test_vectorize import labelled_subset

from kliping import cli, config, io, outputs, pipeline
from kliping.topics import model as topicmodel

KLIPING = Path(sys.executable).with_name("kliping")


@pytest.fixture(autouse=True)
def work_dir(tmp_path, monkeypatch):
    """Caches go to a temporary folder, never to data/cache."""
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    return tmp_path


@pytest.fixture(scope="module")
def messy_jsonl(tmp_path_factory) -> Path:
    """60 real labelled articles with bad lines between them: malformed JSON, null, empty and missing text."""
    records = labelled_subset(per_category=7)[:60]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines.insert(5, '{"id": "broken", "content": "Banjir di Bekasi')  # cut off mid-record
    lines.insert(10, json.dumps({"id": "null-text", "title": "Tanpa isi", "content": None}))
    lines.insert(15, json.dumps({"id": "empty-text", "title": "Kosong", "content": "   "}))
    lines.insert(20, json.dumps({"id": "no-text", "title": "Hanya judul"}))
    lines.insert(25, json.dumps({"id": "only-stopwords", "content": "dan yang di ke dari itu ini juga"}))
    path = tmp_path_factory.mktemp("messy") / "berita.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_cli(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = os.environ | {"KLIPING_WORK_DIR": str(tmp_path / "work")}
    return subprocess.run([str(KLIPING), *args], capture_output=True, text=True, env=env, timeout=300)


def test_cli_runs_end_to_end_on_the_seed_pages(tmp_path, seed_dir):
    out = tmp_path / "out"
    done = run_cli("run", str(seed_dir), "-o", str(out), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assignments = pd.read_csv(out / "assignments.csv")
    topics = pd.read_csv(out / "topics.csv")
    metrics = json.loads((out / "metrics.json").read_text())
    assert len(assignments) == 2 and {"id", "topic", "confidence"} <= set(assignments.columns)
    assert (assignments["topic"] >= 0).all()
    assert {"topic", "size", "label", "top_terms"} <= set(topics.columns) and topics["size"].sum() == 2
    assert metrics["n_articles"] == 2 and metrics["k"] == len(topics)
    assert {"read", "clean", "stem", "vectorize", "cluster"} <= set(metrics["stages"])
    assert "2 articles, 2 clustered" in done.stdout


def test_every_input_row_gets_an_assignment_and_bad_rows_get_topic_minus_one(messy_jsonl, tmp_path):
    out = tmp_path / "out"
    code = cli.main(
        ["run", str(messy_jsonl), "-o", str(out), "--label-field", "category_coarse", "--k", "5", "--seed", "3"]
    )
    assert code == 0
    assignments = pd.read_csv(out / "assignments.csv")
    assert len(assignments) == 65  # 60 articles + 5 bad lines, in input order
    bad = assignments.set_index("id").loc[["null-text", "empty-text", "no-text", "only-stopwords"]]
    assert (bad["topic"] == topicmodel.NO_TOPIC).all() and (bad["confidence"] == 0).all()
    assert (assignments["status"] == "malformed_json").sum() == 1
    assert assignments.loc[assignments["status"] == "malformed_json", "topic"].item() == topicmodel.NO_TOPIC
    good = assignments[assignments["topic"] >= 0]
    # The 60 articles have a topic, but for the few far from every topic (the run's own fence; 2 here).
    far = assignments["reason"].fillna("").str.startswith("far from every topic")
    assert len(good) + far.sum() == 60 and far.sum() <= 3 and set(good["topic"]) == set(range(5))
    assert good["confidence"].between(0, 1).all()
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["k"] == 5 and metrics["n_without_topic"] == 5 and metrics["seed"] == 3
    assert metrics["n_labelled"] == 60 - far.sum() and 0 < metrics["nmi"] <= 1


def test_topics_csv_names_topics_in_words_a_reader_knows(messy_jsonl, tmp_path):
    result = pipeline.run(messy_jsonl, label_field="category_coarse", k=5, seed=0, progress=False)
    outputs.write_outputs(result, tmp_path)
    topics = pd.read_csv(tmp_path / "topics.csv")
    assert list(topics.columns[:4]) == ["topic", "size", "label", "top_terms"]
    assert {"distinctive_terms", "representatives", "representative_sites", "site_mix"} <= set(topics.columns)
    corpus_words = set()
    for line in messy_jsonl.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        corpus_words.update(w.lower() for w in str(record.get("content") or "").replace(",", " ").split())
        corpus_words.update(w.lower() for w in str(record.get("title") or "").split())
    stripped = {w.strip(".,:;!?\"'()“”‘’") for w in corpus_words}
    for label, terms in zip(topics["label"], topics["top_terms"]):
        # Display words are surface forms written in the articles, not bare stems.
        assert all(word in stripped for word in label.split(" · ")), label
        assert sum(word in stripped for word in terms.split(" | ")) >= len(terms.split(" | ")) - 1, terms


def test_same_seed_same_assignments(messy_jsonl):
    first = pipeline.run(messy_jsonl, k=4, seed=11, progress=False).assignments
    second = pipeline.run(messy_jsonl, k=4, seed=11, progress=False).assignments
    pd.testing.assert_frame_equal(first, second)


def test_k_is_chosen_when_not_given(messy_jsonl):
    result = pipeline.run(messy_jsonl, progress=False)
    assert result.metrics["k"] == len(result.topics) >= 2
    assert result.k_table["chosen"].sum() == 1


def test_missing_input_is_one_clear_error_line(tmp_path):
    done = run_cli("run", str(tmp_path / "nowhere.jsonl"), "-o", str(tmp_path / "out"), tmp_path=tmp_path)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kliping: error:") and "nowhere.jsonl" in lines[0]
    assert not (tmp_path / "out").exists()


def test_a_home_relative_path_is_read_as_the_reader_reads_it(messy_jsonl, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(messy_jsonl.parent))
    result = pipeline.run("~/" + messy_jsonl.name, k=3, progress=False)
    assert len(result.assignments) == len(io.read_corpus(messy_jsonl)) > 50


def test_input_without_any_usable_text_is_an_error_not_a_crash(tmp_path, capsys):
    path = tmp_path / "kosong.jsonl"
    path.write_text('{"id": 1, "content": ""}\n{"id": 2, "content": null}\n', encoding="utf-8")
    assert cli.main(["run", str(path), "-o", str(tmp_path / "out")]) != 0
    assert "no article has usable text" in capsys.readouterr().err


def test_k_below_one_is_refused(messy_jsonl, tmp_path, capsys):
    assert cli.main(["run", str(messy_jsonl), "-o", str(tmp_path / "out"), "--k", "0"]) == 2
    assert "k must be at least 1" in capsys.readouterr().err
