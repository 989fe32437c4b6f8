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


def test_input_without_any_usable_text_writes_every_row_with_its_reason(tmp_path):
    """Nothing to cluster is said once, and the files are still written: every row with topic -1 and its reason,
    no topic, no model (an earlier run's model in that folder is removed, not left beside these files)."""
    path = tmp_path / "kosong.jsonl"
    path.write_text('{"id": 1, "content": ""}\n{"id": 2, "content": null}\n{"id": 3, "content": "2024 10.000"}\n')
    out = tmp_path / "out"
    assert cli.main(["run", str(config.SEED_PAGE), "-o", str(out), "--k", "1"]) == 0
    assert (out / "model" / "model.json").exists()
    said = run_cli("run", str(path), "-o", str(out), tmp_path=tmp_path)
    assert said.returncode == 0, said.stderr
    assert said.stderr.count("kliping: warning: no article has usable text: nothing to cluster") == 1
    assert "3 articles, none clustered" in said.stdout
    assignments = pd.read_csv(out / "assignments.csv")
    assert assignments["topic"].tolist() == [-1, -1, -1]
    assert assignments["reason"].tolist() == [
        "no usable text (empty_text)",
        "no usable text (null_text)",
        "no words left after stemming",
    ]
    assert len(pd.read_csv(out / "topics.csv")) == 0 and not (out / "model").exists()
    assert json.loads((out / "metrics.json").read_text())["k"] == 0


def test_k_below_one_is_refused(messy_jsonl, tmp_path, capsys):
    assert cli.main(["run", str(messy_jsonl), "-o", str(tmp_path / "out"), "--k", "0"]) == 2
    assert "k must be at least 1" in capsys.readouterr().err


# --------------------------------------------------------------------------- the Python API on data
@pytest.fixture(scope="module")
def berita_records() -> list[dict]:
    """40 CLICK-ID articles of the embedded shard with an Indonesian desk field, one of them without text."""
    from test_one_pipeline import clickid_records

    records = [
        {"id": r["id"], "judul": r["title"], "isi": r["content"], "tanggal": r["date"], "kanal": r["category_coarse"]}
        for r in clickid_records(40)
    ]
    records[7]["isi"] = None
    return records


def comparable(result: pipeline.RunResult) -> tuple:
    timings = {"stages", "total_seconds", "peak_memory_mb"}
    return result.articles, result.topics, {k: v for k, v in result.metrics.items() if k not in timings}


def test_run_takes_a_dataframe_or_dicts_and_gives_what_the_same_rows_as_jsonl_give(berita_records, tmp_path):
    frame = pd.DataFrame(berita_records)
    path = tmp_path / "berita.jsonl"
    frame.to_json(path, orient="records", lines=True, force_ascii=False)
    options = dict(text_field="isi", label_field="kanal", k=4, seed=1, progress=False)
    from_path = pipeline.run(path, **options)
    for data in (frame, berita_records):
        articles, topics, metrics = comparable(pipeline.run(data, **options))
        pd.testing.assert_frame_equal(articles, from_path.articles)
        pd.testing.assert_frame_equal(topics, from_path.topics)
        assert metrics == comparable(from_path)[2]
    # The reader's contract: a status per row, the title and date fields guessed, the desk carried along.
    table = from_path.articles.set_index("id")
    assert table.loc[berita_records[7]["id"], "status"] == "null_text"
    assert table.loc[berita_records[7]["id"], "reason"] == "no usable text (null_text)"
    assert table["title"].tolist()[:2] == [r["judul"] for r in berita_records[:2]]
    assert table["published"].notna().sum() >= 39 and table["label"].notna().all()


def test_rows_without_an_id_field_are_numbered_from_one():
    rows = pipeline.load([{"judul": "Banjir di Bekasi", "isi": "Hujan deras merendam rumah warga Bekasi."}] * 2)
    assert rows["id"].tolist() == ["data-1", "data-2"] and rows["duplicate_of"].tolist() == [None, "data-1"]


def test_errors_name_the_argument_in_python_and_the_option_on_the_command_line(berita_records, tmp_path, capsys):
    from kliping.io.fields import FieldNotFoundError

    path = tmp_path / "berita.jsonl"
    pd.DataFrame(berita_records).to_json(path, orient="records", lines=True, force_ascii=False)
    for corpus in (pd.DataFrame(berita_records), berita_records, path):
        with pytest.raises(FieldNotFoundError) as error:
            pipeline.run(corpus, text_field="konten", progress=False)
        assert str(error.value).startswith("text_field='konten': no such field in ")
        assert "--text-field" not in str(error.value) and "isi" in str(error.value)
    assert cli.main(["run", str(path), "-o", str(tmp_path / "out"), "--text-field", "konten"]) == 2
    line = capsys.readouterr().err.strip()
    assert line.startswith("kliping: error: --text-field konten: no such field in berita.jsonl (its fields: id,")


def test_data_without_a_text_field_is_one_error_naming_its_fields_as_a_table_is(berita_records, tmp_path):
    from kliping.io.fields import FieldNotFoundError

    renamed = [{("naskah" if key == "isi" else key): value for key, value in r.items()} for r in berita_records]
    path = tmp_path / "berita.jsonl"
    pd.DataFrame(renamed).to_json(path, orient="records", lines=True, force_ascii=False)
    for corpus in (pd.DataFrame(renamed), renamed, path):
        with pytest.raises(FieldNotFoundError) as error:
            pipeline.run(corpus, progress=False)
        assert "no text field in " in str(error.value) and "naskah" in str(error.value)
        assert str(error.value).endswith("with text_field=")


def test_a_k_above_the_usable_articles_warns_once_and_metrics_hold_the_k_used(berita_records, tmp_path):
    five = berita_records[:5]
    with pytest.warns(UserWarning) as said:
        result = pipeline.run(five, text_field="isi", k=9, progress=False)
    about_k = [w for w in said if "k=9" in str(w.message)]
    assert len(about_k) == 1
    assert str(about_k[0].message) == (
        "k=9 is more than the 5 articles that can be clustered: k=5 used, one article per topic"
    )
    assert result.metrics["k"] == len(result.topics) == 5
    path = tmp_path / "lima.jsonl"
    pd.DataFrame(five).to_json(path, orient="records", lines=True, force_ascii=False)
    out = tmp_path / "out"
    said = run_cli("run", str(path), "-o", str(out), "--text-field", "isi", "--k", "9", tmp_path=tmp_path)
    assert said.returncode == 0, said.stderr
    assert said.stderr.count("kliping: warning: k=9 is more than the 5 articles") == 1
    assert json.loads((out / "metrics.json").read_text())["k"] == 5


def test_results_models_and_stage_objects_print_as_one_short_line(berita_records):
    articles = pipeline.load(berita_records, text_field="isi")
    cleaned = pipeline.clean(articles, progress=False)
    stemmed = pipeline.stem(cleaned, progress=False, use_cache=False)
    vectors = pipeline.vectorize(cleaned, stemmed)
    clustering = pipeline.cluster(vectors, k=3)
    topics = pipeline.describe(cleaned, vectors, clustering)
    model = pipeline.fit_model(vectors, clustering, topics)
    result = pipeline.run(berita_records, text_field="isi", k=3, progress=False)
    for shown in map(repr, (stemmed, vectors, clustering, model, result, result.model)):
        assert "\n" not in shown and len(shown) < 200, shown
    assert repr(vectors) == f"Vectors(39 of 40 articles usable, {vectors.X.shape[1]:,} terms, 38 dimensions)"
    assert repr(result).startswith("RunResult(40 articles, 39 clustered into 3 topics")


def test_sixty_articles_of_the_same_words_leave_no_term_and_nothing_to_cluster():
    """Every term in more than half of the articles (max_df) is cut: no vocabulary, which scikit-learn raises on;
    the run gives every row its reason instead. (Sixty copies of one text are one story since issue 23: below.)"""
    import itertools

    words = ["Banjir", "merendam", "Bekasi", "kata", "warga"]
    orders = itertools.islice(itertools.permutations(words), 60)
    articles = [{"id": f"kata-{i}", "judul": "Banjir", "isi": " ".join(order) + "."} for i, order in enumerate(orders)]
    with pytest.warns(UserWarning, match="nothing to cluster"):
        result = pipeline.run(articles, progress=False)
    assert result.metrics["k"] == 0 and result.model is None and result.topics.empty
    assert (result.articles["reason"] == topicmodel.NO_VOCABULARY_WORD).all()


def test_sixty_copies_of_one_article_are_one_story_in_one_topic():
    article = {"judul": "Banjir Bekasi", "isi": "Banjir merendam Bekasi, kata warga."}
    copies = [{"id": f"salinan-{i}", **article} for i in range(60)]
    result = pipeline.run(copies, progress=False)
    assert result.topics["size"].tolist() == [1] and result.metrics["n_copies"] == 59
    assert (result.articles["duplicate_of"].iloc[1:] == "salinan-0").all()
    assert (result.articles["topic"] == 0).all()
