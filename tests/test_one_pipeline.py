"""One pipeline: the notebooks (through ``kliping report``) and ``kliping run`` give the same files on the same
corpus, k and seed, and a notebook never shows another corpus's data."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_vectorize import labelled_subset

from kliping import config, outputs, store
from kliping.report import notebooks as kernels
from kliping.topics import model as topicmodel

KLIPING = Path(sys.executable).with_name("kliping")


def kliping(*args: str, work: Path, timeout: int = 900, **variables: str) -> subprocess.CompletedProcess:
    """Run the installed ``kliping`` command with its own work folder (stores and stem cache) and ``variables``."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("KLIPING_")}
    env["KLIPING_WORK_DIR"] = str(work)
    env.update(variables)
    return subprocess.run([str(KLIPING), *args], capture_output=True, text=True, env=env, timeout=timeout)


def both_paths(corpus: Path, tmp_path: Path, *options: str, said=None, **variables: str) -> tuple[Path, Path]:
    """The output folders of the notebooks (``kliping report``, with ``variables`` set) and of ``kliping run`` on
    one corpus; what each command wrote on stderr is appended to ``said`` when given."""
    by_notebooks, by_run = tmp_path / "notebooks_out", tmp_path / "run_out"
    done = kliping(
        "report",
        str(corpus),
        "-o",
        str(by_notebooks),
        "--html",
        str(tmp_path / "html"),
        "--no-screenshots",
        *options,
        work=tmp_path / "work_notebooks",
        **variables,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    stderr = [done.stderr]
    done = kliping("run", str(corpus), "-o", str(by_run), *options, work=tmp_path / "work_run")
    assert done.returncode == 0, done.stderr[-3000:]
    if said is not None:
        said.extend([*stderr, done.stderr])
    return by_notebooks, by_run


def shown_files(folder: Path) -> list[str]:
    """A run's files, without the hidden lock file that outputs.write_outputs holds while it writes."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def workbook_cells(path: Path) -> dict[str, list[list[str]]]:
    """Every sheet of a workbook as rows of cell texts (empty cells as "")."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    sheets = {}
    for sheet in book.worksheets:
        rows = [["" if v is None else _number_text(str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
        width = max((len(row) for row in rows), default=0)  # a read-only sheet ends a row at its last written cell
        sheets[sheet.title] = [row + [""] * (width - len(row)) for row in rows]
    return sheets


def csv_cells(path: Path) -> list[list[str]]:
    """A CSV's rows of cell texts, numbers as Python prints them (as :func:`workbook_cells` gives them)."""
    frame = pd.read_csv(path, dtype=object, keep_default_na=False)
    rows = [list(frame.columns)] + frame.to_numpy().tolist()
    return [[_number_text(v) for v in row] for row in rows]


def _number_text(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    return str(int(number)) if number.is_integer() else str(number)  # a 0.0 cell reads back as 0


def assert_same_outputs(first: Path, second: Path) -> None:
    """The same files, byte for byte where they carry no run id; no lock file left behind."""
    clustered = json.loads((second / "metrics.json").read_text())["n_clustered"]
    expected = sorted(name for name in outputs.OUTPUT_FILES if clustered or name != "model")  # no topic: no model
    assert shown_files(first) == shown_files(second) == expected
    for folder in (first, second):
        assert not (folder / ".kliping-outputs.lock").exists()
    for name in ("assignments.csv", "topics.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    # The workbook: the same cells (its zip carries the time it was written, so not the same bytes), the CSVs' own.
    books = [workbook_cells(folder / "kliping.xlsx") for folder in (first, second)]
    assert books[0] == books[1]
    assert books[0]["articles"] == csv_cells(first / "assignments.csv")
    assert books[0]["topics"] == csv_cells(first / "topics.csv")
    a = pd.read_parquet(first / "articles.parquet").drop(columns="run_id")
    b = pd.read_parquet(second / "articles.parquet").drop(columns="run_id")
    pd.testing.assert_frame_equal(a, b)
    if clustered:
        models = [topicmodel.load_model(folder / "model") for folder in (first, second)]
        assert models[0].labels == models[1].labels and np.array_equal(models[0].centres, models[1].centres)
        assert models[0].words == models[1].words and models[0].settings == models[1].settings
        # The run's articles kept for kliping assign to find their copies: the same from the notebooks (computed
        # from the article table) as from kliping run (the copies stage's own signatures).
        kept = [model.fitted.arrays() for model in models]
        assert all(np.array_equal(kept[0][name], kept[1][name]) for name in kept[0]) and len(kept[0]["ids"]) > 0
    m1, m2 = (json.loads((folder / "metrics.json").read_text()) for folder in (first, second))
    timings = {"stages", "total_seconds", "peak_memory_mb", "run_id", "settings"}
    assert {k: v for k, v in m1.items() if k not in timings} == {k: v for k, v in m2.items() if k not in timings}


def test_notebooks_and_kliping_run_agree_on_the_embedded_sample(tmp_path):
    by_notebooks, by_run = both_paths(config.RAW_DIR, tmp_path, "--seed", "3")
    assert_same_outputs(by_notebooks, by_run)
    assignments = pd.read_csv(by_run / "assignments.csv")
    assert list(assignments.columns) == [
        "id",
        "status",
        "topic",
        "confidence",
        "topic_label",
        "title",
        "reason",
        "duplicate_of",
        "copy_similarity",
    ]
    # The embedded corpus: the two seed pages and 3,235 CLICK-ID articles, in at least 6 topics; under 3 % of them
    # far from every topic (0.8 % at seed 42), each with its reason.
    far = assignments["topic"] < 0
    assert len(assignments) == 3237 and far.mean() < 0.03
    # A few CLICK-ID stories are told Malay or Acehnese (under 0.5 %): their reason names the language.
    other_language = assignments["reason"].fillna("").str.match(r"language \w+, not clustered \(--languages id\)")
    assert other_language.mean() < 0.005
    assert assignments.loc[far & ~other_language, "reason"].str.startswith("far from every topic").all()
    topics = pd.read_csv(by_run / "topics.csv")
    assert len(topics) >= 6
    assert not topics["representatives"].str.startswith("[").any()  # plain strings, no list reprs
    # The saved model places the run's own articles where the run put them, to the last digit.
    done = kliping(
        "assign", str(by_run / "model"), str(config.RAW_DIR), "-o", str(tmp_path / "a.csv"), work=tmp_path / "work_run"
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "a.csv").read_bytes() == (by_run / "assignments.csv").read_bytes()


@pytest.fixture(scope="module")
def berita_csv(tmp_path_factory) -> Path:
    """300 real CLICK-ID articles as a CSV with Indonesian column names, as a newsroom would export them."""
    records = labelled_subset(per_category=40)[:300]
    path = tmp_path_factory.mktemp("csv") / "berita.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kode", "judul", "isi", "tanggal", "kanal"])
        for r in records:
            writer.writerow([r["id"], r["title"], r["content"], r["date"], r["category_coarse"]])
    return path


def test_notebooks_and_kliping_run_agree_on_a_300_article_csv(berita_csv, tmp_path):
    fields = ("--text-field", "isi", "--title-field", "judul", "--id-field", "kode", "--label-field", "kanal")
    by_notebooks, by_run = both_paths(berita_csv, tmp_path, *fields, "--k", "7", "--seed", "5")
    assert_same_outputs(by_notebooks, by_run)
    articles = pd.read_parquet(by_run / "articles.parquet")
    assert len(articles) == 300 and set(articles["topic"]) - {-1} == set(range(7))  # -1: far from every topic
    assert articles["label"].notna().all()
    assert "nmi" in json.loads((by_run / "metrics.json").read_text())


def siteless_pages(folder: Path) -> Path:
    """Six real articles as plain pages without any site name, each under the same two-line header."""
    folder.mkdir()
    for i, record in enumerate(labelled_subset(per_category=1)[:6]):
        body = record["content"].replace(".,", ".\n")
        (folder / f"halaman_{i}.txt").write_text(f"{record['title']}\n{body}\n", encoding="utf-8")
    return folder


def test_site_less_pages_keep_the_same_body_lines_on_both_paths(tmp_path):
    corpus = siteless_pages(tmp_path / "tanpa_situs")
    by_notebooks, by_run = both_paths(corpus, tmp_path, "--k", "2")
    assert_same_outputs(by_notebooks, by_run)
    articles = pd.read_parquet(by_run / "articles.parquet")
    assert not (articles["site"] == "unknown").any()  # no shared stand-in site that pools the pages
    cleaned = store.Store(tmp_path / "work_notebooks" / "interim", config.RunSettings(corpus.resolve(), k=2)).load(
        "cleaned"
    )
    assert cleaned["content"].tolist() == articles["content"].tolist()
    assert not any("repeated on many pages" in reason for reasons in cleaned["reasons"] for reason in reasons)


def test_a_notebook_run_alone_on_another_corpus_stops_with_one_line(tmp_path):
    """After a run on corpus A, notebook 05 alone with KLIPING_CORPUS=B stops and writes nothing."""
    work, out = tmp_path / "work", tmp_path / "out"
    done = kliping(
        "report",
        str(config.RAW_DIR),
        "-o",
        str(out),
        "--html",
        str(tmp_path / "html"),
        "--no-screenshots",
        "--k",
        "2",
        work=work,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    other = siteless_pages(tmp_path / "lain")
    env = dict(os.environ) | config.settings_environ(config.RunSettings(other, output_dir=out, label_field="kanal"))
    env["KLIPING_WORK_DIR"] = str(work)
    from nbclient.exceptions import CellExecutionError

    with pytest.raises(CellExecutionError) as stopped:
        kernels.execute(config.NOTEBOOKS_DIR / "05_cluster.ipynb", env=env)
    assert stopped.value.ename == "StaleArtifactError"
    assert stopped.value.evalue == (
        "cleaned.parquet was made from another corpus (data/raw): run notebooks/02_clean.ipynb first"
    )
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before  # nothing overwritten


def test_an_artifact_of_other_settings_or_a_changed_corpus_is_refused(tmp_path):
    corpus = siteless_pages(tmp_path / "korpus")
    work = store.Store(tmp_path / "interim", config.RunSettings(corpus, seed=1))
    work.save("articles", pd.DataFrame({"id": ["a"]}))
    with pytest.raises(store.StaleArtifactError, match="other settings .fields"):
        store.Store(work.folder, config.RunSettings(corpus, text_field="isi")).load("articles")
    (corpus / "halaman_baru.txt").write_text("Banjir di Bekasi\nWarga mengungsi.\n", encoding="utf-8")
    with pytest.raises(store.StaleArtifactError, match="earlier state of this corpus"):
        work.load("articles")
    with pytest.raises(store.StaleArtifactError, match="vectors.npz does not exist yet: run notebooks/04"):
        work.load("vectors")


def test_notebooks_and_kliping_run_agree_on_a_mixed_language_folder_with_english_clustered(tmp_path):
    """Indonesian news, English and Portuguese pages (``tests/data/languages``) with ``--languages id,en``: the
    notebooks pass the run's languages to every stage, as ``kliping run`` does."""
    import gzip
    import shutil

    folder = tmp_path / "mixed"
    folder.mkdir()
    with gzip.open(config.RAW_DIR / "clickid_sample.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line, _ in zip(handle, range(40)):
            row = json.loads(line)
            (folder / f"clickid_{row['id']}.txt").write_text(f"{row['title']}\n\n{row['content']}", encoding="utf-8")
    for page in (config.PROJECT_ROOT / "tests" / "data" / "languages").iterdir():
        shutil.copy(page, folder / page.name)
    by_notebooks, by_run = both_paths(folder, tmp_path, "--languages", "id,en", "--k", "4", "--seed", "1")
    assert_same_outputs(by_notebooks, by_run)
    articles = pd.read_parquet(by_run / "articles.parquet").set_index("id")
    english = articles[articles.index.str.startswith("en_")]
    assert len(english) == 4 and (english["language"] == "en").all() and (english["topic"] >= 0).any()
    # Clustered: a topic, or far from every topic (4 English pages among 40 Indonesian stories), never "language".
    assert not english["reason"].fillna("").str.startswith("language").any()
    assert articles.loc["pt_futebol", "reason"] == "language pt, not clustered (--languages id,en)"
    metrics = json.loads((by_run / "metrics.json").read_text())
    assert metrics["languages"] == "id,en" and metrics["language_counts"]["pt"] == 2


# --------------------------------------------------------------------------- corpora at the edges
def clickid_records(n: int) -> list[dict]:
    """The first ``n`` CLICK-ID articles of the embedded shard (data/raw), as JSON records."""
    import gzip
    import itertools

    with gzip.open(config.RAW_DIR / "clickid_sample.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in itertools.islice(handle, n)]


#: Pages without a word to cluster: numbers and times only, only stopwords, a navigation bar.
WORDLESS = [
    {"id": "angka", "title": "", "content": "2024 10.000 15:30 WIB 1.250.000 99 %"},
    {"id": "stopword", "title": "", "content": "yang dan di ke dari untuk dengan pada itu ini adalah"},
    {"id": "navigasi", "title": "", "content": "Home | Berita | Login | Daftar"},
]
#: A page in another language among Indonesian ones: it has stems, but none is in another article (min_df), so
#: its vector would be all zeros.
TAGALOG = {
    "id": "tagalog",
    "title": "Pag-ulan sa Maynila",
    "content": "Malakas na pag-ulan sa Maynila kahapon, ayon sa mga opisyal sa lungsod. Maraming residente ang "
    "lumikas patungo sa mga paaralan habang tumataas ang tubig sa kanilang mga bahay.",
}
#: English news briefs: a corpus with no Indonesian at all.
ENGLISH = [
    "Heavy rain flooded hundreds of homes in the eastern suburbs overnight, and residents were moved to schools.",
    "The central bank held its benchmark interest rate steady, citing slowing inflation and a stronger currency.",
    "The national football team won two goals to one in a friendly match, with the captain scoring a late header.",
    "Floodwater reached the roofs of several houses as the river burst its banks after three days of rain.",
    "Shares of state banks rose after the rate decision, as analysts expected lending to grow next year.",
    "The coach praised the discipline of his young squad ahead of the regional qualifying tournament next month.",
]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


EDGE_CORPORA = {
    # 60 articles (word vectors, min_df 2) beside pages with no word to cluster and a page no other shares a word with
    "wordless-pages": lambda: clickid_records(60) + WORDLESS + [TAGALOG],
    "one-article": lambda: clickid_records(1),
    "two-articles": lambda: clickid_records(2),
    "nothing-usable": lambda: WORDLESS + [{"id": "kosong", "title": "", "content": ""}],
    "english-only": lambda: [{"id": f"en-{i}", "title": t.split(",")[0], "content": t} for i, t in enumerate(ENGLISH)],
}


@pytest.mark.parametrize("name", list(EDGE_CORPORA))
def test_notebooks_and_kliping_run_agree_at_the_edges(name, tmp_path):
    """Any corpus the reader accepts: both paths finish, write the same files and the report, and every row keeps
    its reason. On the 60 articles with wordless pages notebook 04 used to stop on the zero vector of the page in
    Tagalog, and a corpus with nothing usable made `kliping run` exit 1 with no file."""
    records = EDGE_CORPORA[name]()
    corpus = write_jsonl(tmp_path / name / "berita.jsonl", records)
    # A user's machine: no shared corpora, no gold data beside the checkout.
    said: list[str] = []
    by_notebooks, by_run = both_paths(corpus, tmp_path, said=said, KLIPING_SHARED=str(tmp_path / "tidak-ada"))
    assert_same_outputs(by_notebooks, by_run)
    assert (tmp_path / "html" / "05_cluster.html").exists()
    assignments = pd.read_csv(by_run / "assignments.csv", keep_default_na=False).set_index("id")
    assert list(assignments.index) == [r["id"] for r in records]
    metrics = json.loads((by_run / "metrics.json").read_text())
    placed = assignments["topic"] >= 0
    assert metrics["n_clustered"] == placed.sum() + metrics["n_outliers"]
    assert (assignments.loc[~placed, "reason"] != "").all() and (assignments.loc[placed, "reason"] == "").all()
    for page in sorted((tmp_path / "html").glob("0*.html")):  # no developer message in a user's report
        text = page.read_text(encoding="utf-8")
        for message in ("shared corpora", "not beside", "gold is not", "skipped", "Traceback"):
            assert message not in text, (page.name, message)
    if name == "wordless-pages":
        assert (assignments.loc[[r["id"] for r in WORDLESS], "reason"] == "no words left after stemming").all()
        assert assignments.loc["tagalog", "reason"] == topicmodel.NO_VOCABULARY_WORD
        assert placed.sum() >= 55
    if name == "nothing-usable":
        assert not placed.any() and metrics["k"] == 0 and len(pd.read_csv(by_run / "topics.csv")) == 0
        page = (tmp_path / "html" / "05_cluster.html").read_text(encoding="utf-8")
        assert "no article has usable text" in page
        for stderr in said:  # kliping report and kliping run say it once
            assert stderr.count("kliping: warning: no article has usable text: nothing to cluster") == 1, stderr
    if name in ("one-article", "two-articles"):
        assert metrics["k"] == len(records) and placed.all()
