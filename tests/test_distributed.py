"""The distributed run (kliping.scale) on a real LocalCluster: the in-process answers, across partitions.

One cluster of two worker processes (127.0.0.1 only) serves every test; the corpus is 600 articles of the
embedded CLICK-ID sample written as three .jsonl.gz shards, with an exact copy of an article of the first shard
in the third (under another id), an id repeated across shards and a malformed line; a shard cut off halfway and one
damaged from the start; and a page (.txt) after them, whose partition has no label column.
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

from kliping import cli, config, outputs, pipeline
from kliping.io import files
from kliping.partitions import shards
from kliping.topics.centres import refine

distributed = pytest.importorskip("distributed", reason="the scale extra (dask, distributed) is not installed")
scale = pytest.importorskip("kliping.scale")

K = 5


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0",
        silence_logs=logging.ERROR, memory_limit="2GB",
    ) as cluster, distributed.Client(cluster) as client:  # fmt: skip
        yield client


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    with gzip.open(config.RAW_DIR / "clickid_sample.jsonl.gz", "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for _, line in zip(range(600), lines)]
    copy = dict(records[10], id="salinan-dari-shard-0")  # the same text as an article of the first shard
    records[450]["id"] = records[20]["id"]  # an id repeated across shards
    folder = tmp_path_factory.mktemp("corpus")
    for number, start in enumerate(range(0, 600, 200)):
        lines = [json.dumps(r, ensure_ascii=False) for r in records[start : start + 200]]
        if number == 2:
            lines.insert(50, json.dumps(copy, ensure_ascii=False))
            lines.insert(60, '{"id": "rusak", "content": "Banjir di Bek')  # a malformed line
        with gzip.open(folder / f"shard-{number}.jsonl.gz", "wt", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
    # A shard cut off in the middle (its first lines are read) and one damaged from the start.
    whole = gzip.compress("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[:100]).encode())
    (folder / "shard-3.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    (folder / "shard-4.jsonl.gz").write_bytes(whole[:10] + bytes(range(256)) * 4)
    (folder / "zz-halaman.txt").write_text(config.SEED_PAGE.read_text(encoding="utf-8"), encoding="utf-8")
    # Pages without a word to cluster, and one whose stems no other article has (cut from the vocabulary).
    from test_one_pipeline import TAGALOG, WORDLESS

    with gzip.open(folder / "shard-5.jsonl.gz", "wt", encoding="utf-8") as out:
        out.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in [*WORDLESS, TAGALOG]))
    return folder


def settings(corpus: Path, out: Path) -> config.RunSettings:
    return config.RunSettings(path=corpus, label_field="category_coarse", k=K, seed=0, output_dir=out)


@pytest.fixture(scope="module")
def in_process(corpus, tmp_path_factory) -> Path:
    run = settings(corpus, tmp_path_factory.mktemp("in_process"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outputs.write_outputs(pipeline.run(run, progress=False), run.output_dir, run)
    return run.output_dir


def run_distributed(client, corpus: Path, out: Path, **options) -> dict:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        metrics = scale.run(settings(corpus, out), client=client, progress=False, **options)
    metrics["warnings"] = [str(w.message) for w in caught]
    return metrics


@pytest.fixture(scope="module")
def undisturbed(client, corpus, tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("distributed")
    return out, run_distributed(client, corpus, out)


def test_the_same_assignments_and_topics_as_in_process(in_process, undisturbed):
    out, metrics = undisturbed
    assert (out / "assignments.csv").read_bytes() == (in_process / "assignments.csv").read_bytes()
    assert (out / "topics.csv").read_bytes() == (in_process / "topics.csv").read_bytes()
    assert (out / "topics_over_time.csv").read_bytes() == (in_process / "topics_over_time.csv").read_bytes()
    expected = json.loads((in_process / "metrics.json").read_text())
    assert metrics["period"] == expected["period"]
    keys = ("k", "nmi", "ari", "silhouette", "coherence_npmi", "n_articles", "n_clustered", "n_terms", "n_outliers")
    for key in keys + ("outlier_share", "lsa_dims"):
        assert metrics[key] == expected[key], key
    assert metrics["partitions"] == 7 and metrics["n_articles"] == 603 + 46 + 2 + 4
    reasons = pd.read_csv(out / "assignments.csv", keep_default_na=False).set_index("id")["reason"]
    assert reasons["tagalog"] == "no word of the topics' vocabulary"  # its stems are in no other article
    assert reasons["angka"] == "no words left after stemming"


def test_the_article_table_has_the_in_process_columns_and_rows(in_process, undisturbed):
    out, _ = undisturbed
    whole = pd.read_parquet(in_process / "articles.parquet").drop(columns="run_id")
    parts = pd.read_parquet(out / "articles").drop(columns="run_id")
    assert list(parts.columns) == list(whole.columns)
    pd.testing.assert_frame_equal(
        parts[["id", "status", "duplicate_of", "topic"]], whole[["id", "status", "duplicate_of", "topic"]]
    )


def test_duplicates_and_repeated_ids_are_found_across_partitions(undisturbed):
    out, metrics = undisturbed
    table = pd.read_parquet(out / "articles").set_index("id")
    original = table.index[10]
    assert table.loc["salinan-dari-shard-0", "duplicate_of"] == original
    assert f"{table.index[20]}#2" in table.index  # the reader's renaming of a repeated id
    assert table.index.is_unique
    assert table.loc["shard-2.jsonl-61", "status"] == "malformed_json"
    assert any("shard-2.jsonl.gz:61: malformed JSON" in message for message in metrics["warnings"])
    # The damaged shards as the in-process reader gives them: the cut-off one's lines before the cut, then one row
    # for its rest; the one damaged from the start, one row; each named in a warning.
    assert table.loc["shard-3.jsonl-47", "status"] == table.loc["shard-4.jsonl.gz", "status"] == "unreadable"
    exact = table["copy_similarity"] == 1.0
    assert exact.sum() == 1 + 46  # the cut-off shard's lines copy the first shard's
    # Two near copies among these CLICK-ID articles (issue 23), found as one process finds them.
    assert table.loc[~exact, "duplicate_of"].notna().sum() == 2
    assert any("shard-3.jsonl.gz:47: unreadable from this line on" in message for message in metrics["warnings"])
    assert any("shard-4.jsonl.gz: cannot read the file" in message for message in metrics["warnings"])


def test_a_corpus_above_the_spectral_graph_s_size_is_clustered_on_landmarks_as_in_process(
    client, corpus, tmp_path, monkeypatch
):
    """Issue 27: above ``SPECTRAL_MAX_ARTICLES`` the clustering is the spectral method's on evenly spaced landmarks,
    every article at its nearest landmark topic. The distributed run calls the same ``pipeline.cluster``: with the
    limit lowered to 200, its ~600 articles take that route, and the files are the in-process run's; a corpus larger
    than the fit sample (the route above 100,000 articles, here ``sample_size=400``) is fitted on landmarks of its
    sample and every article placed by the model."""
    from kliping.topics import clustering

    monkeypatch.setattr(clustering, "SPECTRAL_MAX_ARTICLES", 200)
    placed = []  # every landmark clustering of the run, by how many articles it placed
    monkeypatch.setattr(clustering, "refine", lambda Z, *rest: placed.append(len(Z)) or refine(Z, *rest))
    run = settings(corpus, tmp_path / "in_process")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outputs.write_outputs(pipeline.run(run, progress=False), run.output_dir, run)
    metrics = run_distributed(client, corpus, tmp_path / "distributed")
    assert len(placed) == 2 and placed[0] == placed[1] == metrics["n_clustered"] > 200, placed
    for name in ("assignments.csv", "topics.csv"):
        assert (tmp_path / "distributed" / name).read_bytes() == (run.output_dir / name).read_bytes(), name
    sampled = run_distributed(client, corpus, tmp_path / "sampled", sample_size=400)
    assert placed[2:] == [400] and sampled["fit_sample"] == 400 and sampled["method"] == "spectral"
    table = pd.read_csv(tmp_path / "sampled" / "assignments.csv")
    assert (table.loc[table["status"] == "ok", "topic"] >= 0).mean() > 0.95


def test_a_worker_killed_mid_run_changes_nothing(client, corpus, undisturbed, tmp_path):
    pids = list(client.run(os.getpid).values())
    killed = []

    def kill_when_cleaning_starts():
        deadline = time.time() + 120
        while time.time() < deadline and not killed:
            if any((tmp_path / "partitions" / "clean").glob("*.parquet")):
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])
            time.sleep(0.05)

    watcher = threading.Thread(target=kill_when_cleaning_starts)
    watcher.start()
    run_distributed(client, corpus, tmp_path)
    watcher.join()
    assert killed, "no worker was killed during the run"
    out, _ = undisturbed
    assert (tmp_path / "assignments.csv").read_bytes() == (out / "assignments.csv").read_bytes()
    assert (tmp_path / "topics.csv").read_bytes() == (out / "topics.csv").read_bytes()
    client.wait_for_workers(2, timeout=60)


def test_a_run_started_again_reuses_the_finished_partitions(client, corpus, undisturbed, tmp_path):
    first = run_distributed(client, corpus, tmp_path)
    cleaned = sorted((tmp_path / "partitions" / "clean").glob("*.parquet"))
    stamps = {path: path.stat().st_mtime_ns for path in cleaned}
    cleaned[1].unlink()  # as if the run had stopped before this partition was cleaned
    (tmp_path / "assignments.csv").unlink()
    again = run_distributed(client, corpus, tmp_path)
    assert [p.stat().st_mtime_ns == stamps[p] for p in cleaned] == [True, False, True, True, True, True, True]
    out, _ = undisturbed
    assert (tmp_path / "assignments.csv").read_bytes() == (out / "assignments.csv").read_bytes()
    assert again["n_clustered"] == first["n_clustered"]


def test_a_corpus_larger_than_the_sample_is_fitted_on_a_sample_and_every_article_assigned(client, corpus, tmp_path):
    metrics = run_distributed(client, corpus, tmp_path, sample_size=300)
    assert metrics["fit_sample"] == 300
    table = pd.read_csv(tmp_path / "assignments.csv")
    topics = pd.read_csv(tmp_path / "topics.csv")
    assert len(table) == 603 + 46 + 2 + 4 and table["id"].is_unique
    assert (table.loc[table["status"] == "ok", "topic"] >= 0).mean() > 0.95
    # Sizes count each story once: a copy (issue 23) takes its original's topic but is not counted again.
    stories = pd.read_parquet(tmp_path / "articles", columns=["topic", "duplicate_of"])
    in_topic = ((stories["topic"] >= 0) & stories["duplicate_of"].isna()).sum()
    assert topics["size"].sum() == in_topic == metrics["n_clustered"] - metrics["n_outliers"]
    assert 0 < metrics["nmi"] <= 1
    wordless = table["id"].isin(["angka", "stopword", "navigasi", "tagalog"])
    outliers = table[(table["status"] == "ok") & (table["topic"] == -1) & ~wordless]
    # A page in a language that is not clustered says so (a few CLICK-ID stories are told Malay or Javanese).
    other_language = outliers["reason"].str.match(r"language (\w+, not clustered \(--languages id\)|unknown)")
    assert other_language.sum() <= 0.01 * len(table)
    assert outliers.loc[~other_language, "reason"].str.startswith("far from every topic").all()
    assert table.loc[wordless, "reason"].tolist() == ["no words left after stemming"] * 3 + [
        "no word of the topics' vocabulary"
    ]
    # The saved model is the one that placed the articles: `kliping assign` gives every article the run's topic.
    assert cli.main(["assign", str(tmp_path / "model"), str(corpus), "-o", str(tmp_path / "again.csv")]) == 0
    again = pd.read_csv(tmp_path / "again.csv")
    assert again["topic"].tolist() == table["topic"].tolist()
    assert again["topic_label"].fillna("").tolist() == table["topic_label"].fillna("").tolist()
    # An edit would place every article again in one process, which a run fitted on a sample never held: refused.
    before = {p: p.read_bytes() for p in (tmp_path / "metrics.json", tmp_path / "topics.csv")}
    assert cli.main(["topics", str(tmp_path), "--rename", "0=Sepak bola"]) == 2
    assert {p: p.read_bytes() for p in before} == before


def test_a_distributed_run_is_edited_as_the_in_process_run_and_keeps_its_partitions(
    in_process, undisturbed, tmp_path, capsys
):
    import shutil

    from kliping.topics.model import load_model

    dask_out, one_out = tmp_path / "dask", tmp_path / "one"
    shutil.copytree(undisturbed[0], dask_out)
    shutil.copytree(in_process, one_out)
    # The Dask run keeps the fitted articles' copy signatures as the in-process run does.
    kept = [load_model(folder).fitted.arrays() for folder in (dask_out, one_out)]
    assert all((kept[0][name] == kept[1][name]).all() for name in kept[0]) and len(kept[0]["ids"]) > 500
    parts_before = sorted(p.name for p in (dask_out / outputs.ARTICLES_DIR).iterdir())
    for folder in (dask_out, one_out):
        assert cli.main(["topics", str(folder), "--rename", "0=Sepak bola", "--merge", "1,2"]) == 0
    said = capsys.readouterr()
    assert f"{K - 1} topics after the edit" in said.out and "error" not in said.err
    # The same edited files as the in-process run's edit, byte for byte ...
    for name in ("assignments.csv", "topics.csv", "topics_over_time.csv"):
        assert (dask_out / name).read_bytes() == (one_out / name).read_bytes(), name
    assert pd.read_csv(dask_out / "topics.csv")["label"][0] == "Sepak bola"
    # ... in the Dask run's layout: the same partitions, with the new run id, and no articles.parquet.
    assert sorted(p.name for p in (dask_out / outputs.ARTICLES_DIR).iterdir()) == parts_before
    assert not (dask_out / "articles.parquet").exists()
    metrics = json.loads((dask_out / "metrics.json").read_text())
    articles = pd.read_parquet(dask_out / outputs.ARTICLES_DIR)
    placed = pd.read_parquet(dask_out / outputs.ASSIGNMENTS_DIR)
    assert set(articles["run_id"]) == {metrics["run_id"]} and metrics["k"] == K - 1
    assert placed["topic"].tolist() == pd.read_csv(one_out / "assignments.csv")["topic"].tolist()
    assert load_model(dask_out).labels == load_model(one_out).labels
    assert metrics["edits"][0]["merge"] == [[1, 2]] and metrics["partitions"] == len(parts_before)


def test_a_scheduler_address_without_a_scheme_is_one_line_and_exit_2(capsys, tmp_path):
    assert cli.main(["run", str(config.RAW_DIR), "-o", str(tmp_path), "--scheduler", "localhost:8786"]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0


def test_the_notebooks_clean_and_stem_on_the_cluster_as_in_process(client, corpus):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = pipeline.load(corpus, label_field="category_coarse")
    address = client.scheduler.address
    on_cluster = pipeline.clean(articles, progress=False, scheduler=address)
    pd.testing.assert_frame_equal(on_cluster, pipeline.clean(articles, progress=False))
    stemmed = pipeline.stem(on_cluster, progress=False, use_cache=False, scheduler=address)
    alone = pipeline.stem(on_cluster, progress=False, use_cache=False)
    assert stemmed.tokens == alone.tokens and stemmed.display_words == alone.display_words


def test_a_report_with_kliping_scheduler_local_gives_the_in_process_files(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for page in sorted(config.RAW_DIR.glob("*.txt")):
        (pages / page.name).write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if not name.startswith("KLIPING_")}
    kliping = [sys.executable, "-m", "kliping.cli"]
    html = ["--html", str(tmp_path / "html"), "--no-screenshots"]
    report = subprocess.run(
        [*kliping, "report", str(pages), "-o", str(tmp_path / "a"), *html],
        env=env | {"KLIPING_SCHEDULER": "local", "KLIPING_WORK_DIR": str(tmp_path / "wa")},
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert report.returncode == 0, report.stderr[-3000:]
    assert "dashboard" in report.stderr  # the cluster the notebooks shared
    alone = subprocess.run([*kliping, "run", str(pages), "-o", str(tmp_path / "b")], capture_output=True, text=True,
                           env=env | {"KLIPING_WORK_DIR": str(tmp_path / "wb")}, timeout=900)  # fmt: skip
    assert alone.returncode == 0, alone.stderr[-3000:]
    for name in ("assignments.csv", "topics.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_a_crawl_read_in_byte_spans_on_the_cluster_gives_the_in_process_run(client, tmp_path, monkeypatch):
    """A .warc.gz of 240 CLICK-ID articles as HTML responses (and records that are no page) is read by several
    tasks, each from its own span of bytes, and gives the in-process assignments and topics."""
    from html import escape

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from kliping.io import warc

    with gzip.open(config.RAW_DIR / "clickid_sample.jsonl.gz", "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for _, line in zip(range(240), lines)]
    crawl = tmp_path / "crawl" / "cc-news.warc.gz"
    crawl.parent.mkdir()
    with open(crawl, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for number, record in enumerate(records):
            body = "".join(f"<p>{escape(line)}</p>" for line in record["content"].splitlines())
            html = f"<html><head><title>{escape(record['title'])}</title></head><body>{body}</body></html>"
            uri = record["url"]
            for kind, status, content_type, payload in [
                ("request", None, None, b""),
                ("response", "200 OK", "text/html; charset=utf-8", html.encode()),
                ("response", "404 Not Found", "text/html", b"<html>hilang</html>"),
            ][: 3 if number % 40 == 0 else 2]:
                if kind == "request":
                    headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True)
                else:
                    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
                writer.write_record(
                    writer.create_warc_record(uri, kind, payload=io.BytesIO(payload), http_headers=headers)
                )  # fmt: skip
    monkeypatch.setattr(warc, "PART_BYTES", crawl.stat().st_size // 5 + 1)
    assert [shard.kind for shard in shards.list_shards(crawl.parent, files.ReadLimits())] == ["warc"] * 5
    run = config.RunSettings(path=crawl.parent, k=K, seed=0, output_dir=tmp_path / "alone")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outputs.write_outputs(pipeline.run(run, progress=False), run.output_dir, run)
    on_cluster = dataclasses.replace(run, output_dir=tmp_path / "cluster")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        metrics = scale.run(on_cluster, client=client, progress=False)
    assert metrics["n_articles"] == 240
    summary = "WARC records that are not article pages (no row): 246 (request 240, response HTTP 404 6)"
    assert summary in [str(w.message) for w in caught]
    for name in ("assignments.csv", "topics.csv"):
        assert (tmp_path / "cluster" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes(), name


@pytest.mark.parametrize("where", ["write_run_files", "write_assignments_csv", "write_workbook"])
def test_a_failed_write_leaves_the_previous_distributed_set_whole(where, client, corpus, undisturbed, tmp_path):
    """The Dask run writes its set into a staging folder swapped in whole, as the single-machine writer does: a
    full disk at any of its writes leaves the previous run's files as they were (they were rewritten in place)."""
    import shutil

    out, _ = undisturbed
    shutil.copytree(out, tmp_path / "out")  # its finished partitions too, so the second run starts at the write
    before = {p.relative_to(tmp_path / "out"): p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    before = {path: data for path, data in before.items() if path.parts[0] != "partitions"}

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(outputs, where, disk_full)
        with pytest.raises(OSError):
            run_distributed(client, corpus, tmp_path / "out")
    after = {p.relative_to(tmp_path / "out"): p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    after = {path: data for path, data in after.items() if path.parts[0] != "partitions"}
    assert after == before
    assert not list((tmp_path / "out").glob(".kliping-new-*"))


def test_a_shard_is_cut_into_even_partitions_a_multiple_of_the_workers(tmp_path):
    """One file of 3,235 real articles: a single partition for one worker (under PART_ROWS), two even halves for
    two workers, and the partitions hold the rows of the single one, in order, whatever the cut."""
    corpus = tmp_path / "berita.jsonl.gz"
    corpus.write_bytes((config.RAW_DIR / "clickid_sample.jsonl.gz").read_bytes())
    [shard] = shards.list_shards(corpus, files.ReadLimits())
    fields = config.RunSettings(path=corpus).fields
    read = {}
    for cut_for in (1, 2, 3):
        folder = tmp_path / f"cut-{cut_for}"
        done = shards.read_shard(shard, fields, files.ReadLimits(), str(folder), stamp="k", cut_for=cut_for)
        read[cut_for] = [pd.read_parquet(folder / name) for name in done["parts"]]
    assert [len(part) for part in read[1]] == [3235]
    assert [len(part) for part in read[2]] == [1617, 1618]
    assert [len(part) for part in read[3]] == [1078, 1078, 1079]
    whole = read[1][0]
    for parts in read.values():
        pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), whole)
    assert whole["title"].str.len().gt(0).mean() > 0.9  # real articles, not empty rows


def test_one_file_on_two_workers_is_read_into_two_partitions_with_the_in_process_result(client, tmp_path):
    """A single .jsonl of 2,100 real articles was one partition (at most PART_ROWS rows): one worker did every
    per-partition task while the other waited. It is cut in two now, and the result is the in-process one."""
    from conftest import embedded_records, write_jsonl

    corpus = write_jsonl(tmp_path / "berita.jsonl", embedded_records(0, 2100))
    alone = config.RunSettings(path=corpus, label_field="category_coarse", k=K, seed=0, output_dir=tmp_path / "a")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outputs.write_outputs(pipeline.run(alone, progress=False), alone.output_dir, alone)
        metrics = scale.run(dataclasses.replace(alone, output_dir=tmp_path / "d"), client=client, progress=False)
    assert metrics["partitions"] == 2 and metrics["n_articles"] == 2100
    sizes = [len(pd.read_parquet(p)) for p in sorted((tmp_path / "d" / "articles").glob("*.parquet"))]
    assert sizes == [1050, 1050]
    for name in ("assignments.csv", "topics.csv"):
        assert (tmp_path / "d" / name).read_bytes() == (tmp_path / "a" / name).read_bytes(), name


def test_the_local_cluster_runs_without_dask_s_profiler_unless_the_user_asks(monkeypatch):
    """connect('local') makes Dask's housekeeping quieter in the workers it starts (no stack sampling every 10 ms,
    a 500 ms tick); a user's own Dask setting is kept."""
    import dask

    from kliping.partitions.scheduler import connect

    client, cluster = connect("local", workers=1, worker_memory="1GB", progress=False)
    try:
        seen = list(client.run(lambda: (dask.config.get("distributed.worker.profile.enabled"),
                                        dask.config.get("distributed.admin.tick.interval"))).values())  # fmt: skip
    finally:
        client.close()
        cluster.close()
    assert seen == [(False, "500ms")]
    # A user's own setting (here an environment variable, as a Dask config file would be) is kept.
    code = (
        "import dask; from kliping.partitions.scheduler import quiet_housekeeping; quiet_housekeeping(); "
        "get = dask.config.get; "
        "print(get('distributed.admin.tick.interval'), get('distributed.worker.profile.enabled'))"
    )
    lib = str(config.PROJECT_ROOT / "lib")
    env = {**os.environ, "DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL": "50ms", "PYTHONPATH": lib}
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["50ms", "False"]


def test_a_corpus_larger_than_the_sample_gets_the_same_topics_whatever_the_seed(client, corpus, tmp_path):
    """Issue 27: the fit sample of a corpus above ``sample_size`` is evenly spaced, not drawn with the seed, so the
    topics do not move with it (with a seeded sample of 300 of these ~600 articles, seeds 0 and 1 placed them
    differently)."""
    from sklearn.metrics import adjusted_rand_score

    topics = []
    for seed in (0, 1):
        out = tmp_path / f"seed{seed}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run = config.RunSettings(path=corpus, label_field="category_coarse", k=K, seed=seed, output_dir=out)
            metrics = scale.run(run, client=client, progress=False, sample_size=300)
        assert metrics["fit_sample"] == 300
        table = pd.read_csv(out / "assignments.csv")
        topics.append(table.loc[table["status"] == "ok", "topic"].to_numpy())
    assert adjusted_rand_score(*topics) >= 0.95, adjusted_rand_score(*topics)
