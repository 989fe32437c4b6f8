"""HTML wherever it arrives: a table field whose values are pages is read as a ``.html`` file is.

The rule that tells a page from plain text is checked on real pages and real article texts (skipped visibly
without ``../shared``) and on small generated rows; the DEV pages given in a JSONL field score as the same
pages given as ``.html`` files.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings

import pandas as pd
import pytest
from conftest import require_shared

from kliping import io, pipeline
from kliping.evaluation.extraction import load_scorer, score_predictions
from kliping.io import files
from kliping.io.markup import looks_like_html, strip_inline_tags
from kliping.partitions import shards as partitions

TAG = re.compile(r"<[a-zA-Z/!][^>]*>")

#: A small page as a news site serves it: head metadata, navigation, the article, related links, markup noise
#: full of numbers that look like years (an image 1930 pixels wide, a 1930 data id) and no date in the body.
PAGE = """<!DOCTYPE html><html><head>
<title>Banjir Rendam Ribuan Rumah di Bekasi - Kompas.com</title>
<link rel="canonical" href="https://megapolitan.kompas.com/read/2020/01/02/banjir-bekasi">
<meta property="og:site_name" content="KOMPAS.com">
<meta property="article:published_time" content="2020-01-02T08:30:00+07:00">
</head><body>
<nav><a href="/">Beranda</a> <a href="/news">News</a> <a href="/bola">Bola</a></nav>
<img src="/logo.png" width="1930" height="1930" data-id="19300101">
<h1 class="jeg_post_title">Banjir Rendam Ribuan Rumah di Bekasi</h1>
<p>Hujan deras yang mengguyur sejak Rabu malam membuat ribuan rumah di Bekasi terendam banjir.</p>
<p>Ketinggian air di beberapa perumahan mencapai dua meter, dan warga mengungsi ke masjid terdekat.</p>
<p>Petugas pemadam kebakaran dan relawan mengevakuasi warga lanjut usia dengan perahu karet.</p>
<div class="related"><a href="/x">Baca juga: Jalan Tol Cikampek Tergenang</a></div>
<script>var pubdate = "1930-05-01";</script>
</body></html>"""


def read_quietly(path, **fields) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return io.read_corpus(path, **fields)


def write_jsonl(path, records) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


# --------------------------------------------------------------------------- the rule, measured on real text
def test_every_real_page_is_taken_as_html_and_no_real_article_text_is():
    dev = require_shared("corpora/id_news_extraction_gt/pages.jsonl")
    english = require_shared("corpora/en_extraction_readability/pages.jsonl")
    clickid = require_shared("corpora/clickid_labelled_news/articles.jsonl")
    for path in (dev, english):
        pages = [json.loads(line)["raw_html"] for line in path.open(encoding="utf-8")]
        assert len(pages) >= 28 and all(looks_like_html(page) for page in pages), path
    with clickid.open(encoding="utf-8") as handle:
        texts = [json.loads(line)["content"] or "" for line in handle]
    assert len(texts) == 22_136
    assert not any(looks_like_html(text) for text in texts)


@pytest.mark.parametrize(
    "text",
    [
        "Hujan <b>deras</b> mengguyur Bekasi.<br>Warga <i>mengungsi</i> ke masjid.",
        "Menurut <a href='https://bmkg.go.id'>BMKG</a>, suhu <30 derajat dan 5 > 3.",
        "Gempa <em>magnitudo</em> 5,2 mengguncang Bali.\nWarga panik.<br/>Tidak ada korban.",
        "<strong>JAKARTA</strong> - Presiden meresmikan jalan tol.",
    ],
)
def test_plain_text_with_a_few_inline_tags_is_no_page_and_loses_its_tags(text):
    assert not looks_like_html(text)
    stripped = strip_inline_tags(text)
    assert not TAG.search(stripped)
    assert "\n" in stripped or "<br" not in text  # <br> and the text's own line breaks end lines


@pytest.mark.parametrize(
    "fragment",
    [
        "<p>Hujan deras mengguyur Bekasi.</p><p>Warga mengungsi.</p>",
        "<div class='content'><h2>Banjir</h2><p>Air setinggi dua meter.</p></div>",
        "<html><p>Satu paragraf saja.</p></html>",
    ],
)
def test_fragments_and_pages_are_taken_as_html(fragment):
    assert looks_like_html(fragment)


# --------------------------------------------------------------------------- generated rows
def test_a_page_in_a_field_gives_body_head_title_site_and_date(tmp_path):
    path = tmp_path / "scrape.jsonl"
    write_jsonl(path, [{"id": "a", "html": PAGE}, {"id": "b", "html": PAGE.replace("Bekasi", "Karawang")}])
    articles = read_quietly(path)
    assert articles["status"].tolist() == ["ok", "ok"] and articles["origin"].tolist() == ["html", "html"]
    row = articles.iloc[0]
    assert row["title"] == "Banjir Rendam Ribuan Rumah di Bekasi"  # from <head>, site's name cut, no <h1> markup
    assert row["meta_site"] == "kompas.com" and row["url"].endswith("/banjir-bekasi")
    assert row["meta_date"] == "2020-01-02T08:30:00+07:00"
    assert "Ketinggian air" in row["text"] and not TAG.search(row["text"]) and "pubdate" not in row["text"]
    cleaned = pipeline.clean(articles, progress=False, use_cache=False)
    assert cleaned["title"].tolist()[0] == "Banjir Rendam Ribuan Rumah di Bekasi"
    # The date is the head's, never one of the markup's 1930s.
    assert cleaned["published"].dt.year.tolist() == [2020, 2020]
    assert cleaned["site"].tolist() == ["kompas.com", "kompas.com"]
    assert all("Petugas pemadam" in c and not TAG.search(c) for c in cleaned["content"])


def test_the_rows_own_fields_win_over_the_head(tmp_path):
    path = tmp_path / "scrape.jsonl"
    record = {
        "id": "a",
        "judul": "<h1 class='jeg_post_title'>Judul <b>dari</b> Baris</h1>",
        "tanggal": "2021-03-04 10:00",
        "tautan": "https://www.tempo.co/read/123/banjir",
        "html": PAGE,
    }
    write_jsonl(path, [record])
    row = read_quietly(path, title_field="judul", date_field="tanggal", url_field="tautan").iloc[0]
    assert row["title"] == "Judul dari Baris"  # the row's title, its tags taken out
    assert row["meta_date"] == "2021-03-04 10:00" and row["meta_site"] == "tempo.co"
    assert row["url"] == "https://www.tempo.co/read/123/banjir"


def test_a_page_without_a_date_gets_none_from_markup(tmp_path):
    page = re.sub(r"<meta property=\"article:published_time\"[^>]*>", "", PAGE)
    path = tmp_path / "scrape.jsonl"
    write_jsonl(path, [{"id": "a", "html": page}])
    cleaned = pipeline.clean(read_quietly(path), progress=False, use_cache=False)
    assert cleaned["published"].isna().all()


def test_plain_text_rows_keep_their_lines_and_lose_inline_tags(tmp_path):
    path = tmp_path / "berita.jsonl"
    text = (
        "JAKARTA - Hujan <b>deras</b> mengguyur ibu kota.<br>Banjir merendam <a href='/x'>Kemang</a>.\nWarga mengungsi."
    )
    write_jsonl(path, [{"id": "a", "title": "<i>Banjir</i> Jakarta", "text": text}])
    row = read_quietly(path).iloc[0]
    assert row["origin"] == "record" and row["title"] == "Banjir Jakarta"
    assert row["text"].split("\n") == [
        "JAKARTA - Hujan deras mengguyur ibu kota.",
        "Banjir merendam Kemang.",
        "Warga mengungsi.",
    ]


def test_the_page_field_is_guessed_before_the_text_dump_and_an_empty_page_reads_the_dump(tmp_path):
    path = tmp_path / "scrape.jsonl"
    dump = "Beranda\nNews\nBanjir Rendam Ribuan Rumah di Bekasi\nHujan deras mengguyur sejak Rabu malam."
    write_jsonl(path, [{"id": "a", "content": dump, "html": PAGE}, {"id": "b", "content": dump, "html": ""}])
    articles = read_quietly(path)
    assert articles["origin"].tolist() == ["html", "record"]
    assert articles["text"].tolist()[1] == dump
    assert "content" not in articles.columns and "html" not in articles.columns  # neither rides along


def test_pages_stored_escaped_or_as_parquet_bytes_are_read_as_pages(tmp_path):
    import html

    path = tmp_path / "escaped.jsonl"
    write_jsonl(path, [{"id": "a", "html": html.escape(PAGE)}])
    row = read_quietly(path).iloc[0]
    assert row["origin"] == "html" and row["title"] == "Banjir Rendam Ribuan Rumah di Bekasi"
    path = tmp_path / "pages.parquet"
    pd.DataFrame({"id": ["a"], "raw_html": [PAGE.encode("utf-8")]}).to_parquet(path)
    row = read_quietly(path).iloc[0]
    assert row["status"] == "ok" and row["origin"] == "html" and row["meta_site"] == "kompas.com"
    assert "Ketinggian air" in row["text"] and not TAG.search(row["text"])


def test_fields_are_guessed_from_the_head_not_the_first_record(tmp_path):
    path = tmp_path / "scrape.jsonl"
    write_jsonl(path, [{"id": "0", "status_code": 404}] + [{"id": str(i), "raw_html": PAGE} for i in range(1, 4)])
    articles = read_quietly(path)
    assert articles["status"].tolist() == ["missing_text", "ok", "ok", "ok"]


def test_the_read_summary_says_how_many_rows_were_read_as_html(tmp_path):
    path = tmp_path / "scrape.jsonl"
    write_jsonl(path, [{"id": "a", "text": PAGE}, {"id": "b", "text": "Banjir merendam Bekasi sejak pagi."}])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        io.read_corpus(path)
    notes = [str(w.message) for w in caught if "HTML page" in str(w.message)]
    assert notes and notes[0].startswith("1 of 2 table rows held an HTML page")


def test_kliping_read_says_how_many_rows_were_html_once(tmp_path):
    path = tmp_path / "scrape.jsonl"
    write_jsonl(path, [{"id": "a", "text": PAGE}, {"id": "b", "text": "Banjir merendam Bekasi sejak pagi."}])
    done = subprocess.run(
        [sys.executable, "-m", "kliping.cli", "read", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    said = [line for line in (done.stdout + done.stderr).splitlines() if "held an HTML page" in line]
    assert said == [io.html_rows_note(1, 2)]  # on stdout below the statuses, not also as a warning


def test_the_distributed_reader_reads_pages_in_fields_the_same(tmp_path):
    path = tmp_path / "scrape.jsonl"
    write_jsonl(path, [{"id": "a", "html": PAGE}, {"id": "b", "text": "Hujan <b>deras</b> di Bekasi."}])
    limits = files.ReadLimits()
    shard = partitions.list_shards(path, limits)[0]
    fields = dict.fromkeys(["text_field", "title_field", "id_field", "label_field"])
    rows, _, _ = partitions.shard_rows(shard, fields, limits)
    expected = read_quietly(path).astype(object)
    expected = expected.where(expected.notna(), None)
    for column in ("text", "title", "origin", "meta_date", "meta_site"):
        assert [r[column] for r in rows] == expected[column].tolist(), column
    assert [r["origin"] for r in rows] == ["html", "record"]


# --------------------------------------------------------------------------- the DEV pages, both ways
def _scores(path, gold, scorer, **fields):
    cleaned = pipeline.clean(read_quietly(path, **fields), progress=False, use_cache=False)
    predictions = [{"id": i, "content": c or ""} for i, c in zip(cleaned["id"], cleaned["content"])]
    return score_predictions(gold, predictions, scorer)["macro"]["f1"], cleaned


def test_dev_pages_in_a_jsonl_field_score_as_the_same_pages_as_html_files(tmp_path):
    gold = require_shared("corpora/id_news_extraction_gt/pages.jsonl")
    require_shared("tools/score_extraction.py")
    pages = [json.loads(line) for line in gold.open(encoding="utf-8")]
    folder = tmp_path / "html"
    folder.mkdir()
    for page in pages:
        (folder / f"{page['id']}.html").write_text(page["raw_html"], encoding="utf-8")
    jsonl = tmp_path / "pages.jsonl"
    write_jsonl(jsonl, [{"id": p["id"], "raw_html": p["raw_html"]} for p in pages])
    scorer = load_scorer()
    f1_files, by_files = _scores(folder, gold, scorer)
    f1_field, by_field = _scores(jsonl, gold, scorer)
    by_files = by_files.set_index("id").loc[by_field["id"]].reset_index()
    assert f1_files >= 0.95 and abs(f1_field - f1_files) <= 0.02, (f1_files, f1_field)
    assert by_field["title"].tolist() == by_files["title"].tolist()
    assert by_field["title"].notna().sum() >= 27
    texts = by_field["title"].fillna("").tolist() + by_field["content"].fillna("").tolist()
    assert not any(TAG.search(t) for t in texts)
    # Dates from the head or the page's header, never markup noise: within the pages' own years.
    years = by_field["published"].dropna().dt.year
    assert len(years) >= 25 and years.between(2015, 2017).all()
    assert by_field["published"].tolist() == by_files["published"].tolist()
