"""A newcomer's own scrape, saved the ways real tools save it: each case read whole, every row accounted for.

The inputs are real CLICK-ID articles of the embedded corpus (``data/raw``), written at run time as Excel's
"Unicode text", with a stray NUL byte, or as a workbook with a title row above its header; the largest is
cleaned in worker processes and compared with one process.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io as stdio
import json
import warnings

import openpyxl
import pytest
from conftest import embedded_records, write_jsonl

from kliping import cli
from kliping import io as kio
from kliping.clean import clean_articles
from kliping.clean.corpus import PARALLEL_MIN_ROWS

FIELDS = ["kode", "judul", "isi", "kanal"]


def read(path, **fields):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = kio.read_corpus(path, **fields)
    return frame, [str(w.message) for w in caught]


def rows_of(records: list[dict]) -> list[list[str]]:
    return [[r["id"], r["title"], r["content"], r["category_coarse"]] for r in records if r["content"]]


def tab_text(rows: list[list[str]]) -> str:
    """The rows as Excel's "Unicode text" writes them: tab-separated, CRLF, quoted where a cell needs it."""
    buffer = stdio.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\r\n")
    writer.writerow(FIELDS)
    writer.writerows(rows)
    return buffer.getvalue()


ENCODINGS = {
    "utf-16 LE with BOM": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16 BE with BOM": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "utf-16 LE without BOM": lambda text: text.encode("utf-16-le"),
    "utf-16 LE with BOM, gzipped": lambda text: gzip.compress(codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
}


@pytest.mark.parametrize("how", ENCODINGS)
def test_a_utf16_table_named_as_the_corpus_gives_every_row(how, tmp_path):
    # Main read the header as UTF-8 for the field check ("\ufffd\ufffdi\x00d\x00...") and stopped: no text field.
    rows = rows_of(embedded_records(0, 30))
    path = tmp_path / ("berita.csv.gz" if "gzipped" in how else "berita.csv")
    path.write_bytes(ENCODINGS[how](tab_text(rows)))
    frame, _ = read(path)
    assert frame["status"].eq("ok").all(), frame["status"].value_counts().to_dict()
    assert frame["id"].tolist() == [row[0] for row in rows]
    assert frame["text"].tolist() == [kio.normalise_text(row[2]).strip() for row in rows]
    assert frame["kanal"].tolist() == [row[3] for row in rows]
    frame, _ = read(path, text_field="isi", label_field="kanal")  # named fields pass the check too
    assert frame["label"].tolist() == [row[3] for row in rows]


MARK = "\u2603"  # where the NUL byte goes, after the first space of the text


def with_mark(text: str) -> str:
    return text.replace(" ", " " + MARK, 1)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".txt"])
def test_a_stray_nul_byte_is_dropped_and_the_file_read_whole(suffix, tmp_path):
    # Main called the whole file binary for one NUL in its first 8 KiB: 1 row in place of the table's 25.
    records = [r for r in embedded_records(30, 60) if r["content"]][:25]
    texts = [with_mark(r["content"]) if k == 1 else r["content"] for k, r in enumerate(records)]
    if suffix == ".csv":
        buffer = stdio.StringIO()
        csv.writer(buffer).writerows([FIELDS] + [[r["id"], r["title"], t, ""] for r, t in zip(records, texts)])
        body = buffer.getvalue()
    elif suffix == ".jsonl":  # a raw NUL byte in the line, as a C scraper leaves it (JSON would escape it)
        body = "".join(
            json.dumps({"kode": r["id"], "isi": t}, ensure_ascii=False) + "\n" for r, t in zip(records, texts)
        )
    else:
        records, texts = records[1:2], texts[1:2]
        body = texts[0] + "\n"
    path = tmp_path / f"berita{suffix}"
    path.write_bytes(body.replace(MARK, "\x00").encode("utf-8"))
    frame, _ = read(path)
    assert frame["status"].eq("ok").all(), frame["status"].value_counts().to_dict()
    assert frame["text"].tolist() == [kio.normalise_text(r["content"]).strip() for r in records]


def test_binary_files_named_as_text_are_still_binary(tmp_path):
    (tmp_path / "gambar.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 30)
    (tmp_path / "acak.txt").write_bytes(bytes((k * 7919 + 13) % 256 for k in range(9000)))
    frame, _ = read(tmp_path)
    assert frame["status"].tolist() == ["binary", "binary"]


def workbook(path, records, titles=("Hasil scraping berita, Desember 2026",)):
    """A workbook as people make one: a title merged over the columns above the header, a second sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Berita"
    for title in titles:
        sheet.append([title] + [None] * (len(FIELDS) - 1))
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=len(FIELDS))
    sheet.append([])
    sheet.append(FIELDS)
    for row in rows_of(records):
        sheet.append(row)
    book.create_sheet("Catatan").append(["dibuat oleh", "tim data"])
    book.save(path)
    return rows_of(records)


@pytest.mark.parametrize("titles", [1, 2])
def test_a_title_row_above_the_header_is_no_header(titles, tmp_path, capsys):
    # Main took the merged title for the header: one field, no text field, the run stopped before any work.
    rows = workbook(tmp_path / "berita.xlsx", embedded_records(60, 90), ["Rekap", "Sumber: portal berita"][:titles])
    frame, warned = read(tmp_path / "berita.xlsx")
    assert frame["status"].eq("ok").all()
    assert frame["id"].tolist() == [row[0] for row in rows]
    assert frame["text"].tolist() == [kio.normalise_text(row[2]).strip() for row in rows]
    assert any("the header is row" in w and "Rekap" in w for w in warned)
    assert cli.main(["read", str(tmp_path / "berita.xlsx"), "--text-field", "isi", "--label-field", "kanal"]) == 0
    assert f"ok        {len(rows)}" in capsys.readouterr().out


def test_a_one_column_sheet_keeps_its_first_row_as_the_header(tmp_path):
    texts = [row[2] for row in rows_of(embedded_records(90, 100))]
    book = openpyxl.Workbook()
    for value in ["isi", *texts]:
        book.active.append([value])
    book.save(tmp_path / "satu.xlsx")
    frame, _ = read(tmp_path / "satu.xlsx")
    assert frame["text"].tolist() == [kio.normalise_text(t).strip() for t in texts]


def test_a_large_workbook_with_a_title_row_is_cleaned_alike_in_workers(tmp_path):
    rows = workbook(tmp_path / "besar.xlsx", embedded_records(0, PARALLEL_MIN_ROWS + 150))
    assert len(rows) >= PARALLEL_MIN_ROWS
    frame, _ = read(tmp_path / "besar.xlsx")
    assert len(frame) == len(rows) and frame["status"].eq("ok").all()
    forked = clean_articles(frame, progress=False, processes=2)
    alone = clean_articles(frame, progress=False, processes=1)
    assert forked.equals(alone)
    assert forked["content"].str.len().gt(0).mean() > 0.99


def crawl(path, records, gzipped=True, without_uri=(), encoding="utf-8"):
    """A crawl of the records' articles as pages, one response each, declared ``charset=utf-8`` and written in
    ``encoding``; those numbered in ``without_uri`` lack their ``WARC-Target-URI`` (a broken crawler's; warcio
    fails on them)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzipped)
        for number, r in enumerate(records):
            page = f"<html><head><title>{r['title']}</title></head><body><h1>{r['title']}</h1><p>{r['content']}</p>"
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            uri = None if number in without_uri else r["url"]
            body = stdio.BytesIO((page + "</body></html>").encode(encoding))
            writer.write_record(writer.create_warc_record(uri, "response", payload=body, http_headers=headers))
    return path


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
def test_a_damaged_record_costs_itself_not_the_rest_of_the_crawl(gzipped, tmp_path, monkeypatch):
    # Main stopped at the first record without a URI (the 4th): 3 pages and one unreadable row in place of 38
    # and two, and that row took the id of the page before it (renamed "...#2").
    from kliping.io import files, warc
    from kliping.partitions import shards

    records = [r for r in embedded_records(100, 160) if r["content"]][:40]
    path = crawl(tmp_path / ("arsip.warc.gz" if gzipped else "arsip.warc"), records, gzipped, without_uri=(3, 25))
    sound = crawl(tmp_path / "utuh.warc", [r for k, r in enumerate(records) if k not in (3, 25)], gzipped)
    frame, warned = read(path)
    assert frame["status"].tolist() == ["ok"] * 3 + ["unreadable"] + ["ok"] * 21 + ["unreadable"] + ["ok"] * 14
    assert frame["text"][frame["status"] == "ok"].tolist() == read(sound)[0]["text"].tolist()
    assert not frame["id"].str.contains("#").any() and not any("repeats" in w for w in warned)
    assert sum("a damaged record" in w for w in warned) == 2
    # Read in byte spans, as partitions of a Dask run are, the rows are the same, each once.
    for part_bytes in (5_000, path.stat().st_size // 3 + 1):
        monkeypatch.setattr(warc, "PART_BYTES", part_bytes)
        rows = [row for shard in shards.list_shards(path, files.ReadLimits()) for row in
                shards.shard_rows(shard, {}, files.ReadLimits())[0]]  # fmt: skip
        assert [[row["id"], row["status"]] for row in rows] == frame[["id", "status"]].values.tolist()


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
def test_a_crawl_cut_off_inside_its_last_page_says_so(gzipped, tmp_path):
    # Main read the cut page as a whole one: status ok, a third of its text, no word of it.
    records = [r for r in embedded_records(160, 200) if len(r["content"] or "") > 1500][:10]
    data = crawl(tmp_path / "penuh.warc", records, gzipped).read_bytes()
    path = tmp_path / ("potong.warc.gz" if gzipped else "potong.warc")
    path.write_bytes(data[: len(data) - 1000])
    frame, warned = read(path)
    assert frame["status"].tolist() == ["ok"] * 9 + ["unreadable"]
    assert any("short of this record's end" in w for w in warned)


@pytest.mark.parametrize("name", ["isi ", " Isi", "artikel", "ARTIKEL "])
def test_a_text_column_typed_with_spaces_or_named_artikel_is_found(name, tmp_path, capsys):
    # Main: "no text field (... its fields: kode, judul, isi )", and --text-field isi refused as no such field.
    rows = rows_of(embedded_records(200, 210))
    buffer = stdio.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(
        [["kode ", "judul", name]] + [r[:3] for r in rows]
    )
    path = tmp_path / "berita.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    frame, _ = read(path)
    assert frame["id"].tolist() == [row[0] for row in rows]
    assert frame["text"].tolist() == [kio.normalise_text(row[2]).strip() for row in rows]
    assert cli.main(["read", str(path), "--text-field", name.strip(), "--id-field", "kode"]) == 0
    assert f"ok        {len(rows)}" in capsys.readouterr().out


def western_records(start: int, stop: int) -> list[dict]:
    """Embedded articles with curly quotes, dashes or accents, all of them in cp1252."""

    def western(text: str) -> bool:
        try:
            text.encode("cp1252")
        except UnicodeEncodeError:
            return False
        return sum(char > "\x7f" for char in text) >= 4

    return [r for r in embedded_records(start, stop) if r["content"] and western(r["content"])]


def test_a_utf8_page_cut_inside_a_character_stays_utf8(tmp_path):
    # Main read such a page whole as latin-1: every “ – é of it mojibake (“ as â\x80\x9c), status ok.
    records = western_records(0, 400)[:5]
    for number, r in enumerate(records):
        data = (r["title"] + "\n" + r["content"]).encode()
        (tmp_path / f"halaman{number}.txt").write_bytes(data + "“".encode()[:2])  # a byte limit's cut
    frame, _ = read(tmp_path)
    assert frame["encoding"].eq("utf-8").all()
    for text, r in zip(frame["text"], records):
        assert text == kio.normalise_text(r["title"] + "\n" + r["content"] + "\ufffd").strip()


def test_a_cp1252_page_declared_utf8_by_its_server_is_read_as_cp1252(tmp_path):
    # Main trusted the HTTP header: each “ – é of the page a U+FFFD, status ok.
    records = western_records(400, 800)[:6]
    honest, _ = read(crawl(tmp_path / "jujur.warc.gz", records))
    frame, _ = read(crawl(tmp_path / "bohong.warc.gz", records, encoding="cp1252"))  # the header still says utf-8
    assert frame["encoding"].eq("cp1252").all() and not frame["text"].str.contains("\ufffd").any()
    assert frame["text"].tolist() == honest["text"].tolist()


def test_ids_written_as_whole_floats_read_as_the_integers_they_are(tmp_path):
    # pandas writes an integer id column with a gap as floats (7.0); main's ids were "7.0", a workbook's "7".
    import pandas as pd

    records = [r for r in embedded_records(220, 240) if r["content"]][:6]
    ids = [4058864123456789, None, 7, 12, 13, 14][: len(records)]
    table = pd.DataFrame({"id": pd.array(ids, dtype="Float64").astype(float), "isi": [r["content"] for r in records]})
    table.to_json(tmp_path / "berita.jsonl", orient="records", lines=True, force_ascii=False, double_precision=15)
    frame, _ = read(tmp_path / "berita.jsonl")
    assert frame["id"].tolist() == ["4058864123456789", "berita-2", "7", "12", "13", "14"][: len(records)]


def test_a_compressed_body_under_a_plain_name_and_the_reverse_are_read(tmp_path):
    # Main: the gzip body saved as .html a "binary" row, the gzipped .csv refused, the plain .html.gz "unreadable".
    records = [r for r in embedded_records(240, 260) if r["content"]][:3]
    pages = [
        f"<html><head><title>{r['title']}</title></head><body><p>{r['content']}</p></body></html>" for r in records
    ]
    plain = tmp_path / "biasa"
    plain.mkdir()
    for number, page in enumerate(pages):
        (plain / f"h{number}.html").write_text(page, encoding="utf-8")
    named = tmp_path / "salah"
    named.mkdir()
    (named / "h0.html").write_bytes(gzip.compress(pages[0].encode()))  # wget without --compressed
    (named / "h1.html.gz").write_text(pages[1], encoding="utf-8")  # named .gz, never compressed
    (named / "h2.html").write_bytes(gzip.compress(pages[2].encode()))
    expected, _ = read(plain)
    frame, _ = read(named)
    assert frame["status"].tolist() == ["ok"] * 3
    assert frame["text"].tolist() == expected["text"].tolist()
    table, buffer = tmp_path / "tabel.csv", stdio.StringIO()
    csv.writer(buffer).writerows([["kode", "isi"]] + [[r["id"], r["content"]] for r in records])
    table.write_bytes(gzip.compress(buffer.getvalue().encode()))  # a gzipped table under a plain name
    assert read(table)[0]["text"].tolist() == [kio.normalise_text(r["content"]).strip() for r in records]


def test_a_workbook_whose_first_sheet_is_a_cover_reads_the_sheet_with_the_articles(tmp_path):
    # Main read the cover sheet: one record of no text field, the articles of the second sheet never read.
    records = embedded_records(260, 280)
    book = openpyxl.Workbook()
    book.active.title = "Keterangan"
    book.active.append(["Hasil scraping portal berita", "Desember 2026"])
    book.active.append(["Sumber", "CLICK-ID"])
    data = book.create_sheet("Data")
    data.append(FIELDS)
    for row in rows_of(records):
        data.append(row)
    book.save(tmp_path / "laporan.xlsx")
    frame, warned = read(tmp_path / "laporan.xlsx")
    assert frame["status"].eq("ok").all() and frame["id"].tolist() == [row[0] for row in rows_of(records)]
    assert any("read its sheet 'Data'; not read: 'Keterangan'" in w for w in warned)
    frame, _ = read(tmp_path / "laporan.xlsx", text_field="isi", label_field="kanal")
    assert frame["label"].tolist() == [row[3] for row in rows_of(records)]


@pytest.mark.parametrize("shape", ["jsonl", "parquet", "csv"])
def test_a_text_field_holding_a_list_of_paragraphs_is_read_a_paragraph_a_line(shape, tmp_path):
    # Scrapers often keep a page's <p> texts as a list; each row was one not_text row, its article lost.
    import pandas as pd

    records = [r for r in embedded_records(0, 40) if r["content"]]
    paragraphs = [[p for p in r["content"].split(". ") if p] for r in records]
    lists = [dict(r, content=ps + [None]) for r, ps in zip(records, paragraphs)]
    joined = [dict(r, content="\n".join(ps)) for r, ps in zip(records, paragraphs)]
    for name, rows in (("lists", lists), ("joined", joined)):
        path = tmp_path / name / f"paragraphs.{shape}"
        path.parent.mkdir()
        if shape == "jsonl":
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        elif shape == "parquet":
            pd.DataFrame(rows).to_parquet(path)
        else:  # a DataFrame's list column saved by to_csv: the list's repr in the cell
            pd.DataFrame(rows).to_csv(path, index=False)
    frame, _ = read(tmp_path / "lists" / f"paragraphs.{shape}")
    as_text, _ = read(tmp_path / "joined" / f"paragraphs.{shape}")
    assert (frame["status"] == "ok").all(), frame["status"].value_counts()
    assert frame["text"].tolist() == as_text["text"].tolist()
    assert frame["text"].str.count("\n").sum() >= len(records)  # a paragraph a line, not one run-on line
    assert clean_articles(frame, progress=False)["content"].str.len().gt(0).all()


def test_a_shard_merged_from_two_scrapers_reads_each_rows_own_text_field(tmp_path):
    # Rows of "content" and rows of "body" in one JSONL: the rows whose field was not the first row's were
    # missing_text, their articles lost. A field the user names is still the only one read.
    records = [r for r in embedded_records(0, 30) if r["content"]]
    rows = [
        {"id": r["id"], "judul": r["title"], ("content" if n % 2 else "body"): r["content"]}
        for n, r in enumerate(records)
    ]
    path = tmp_path / "merged.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    frame, said = read(path)
    assert (frame["status"] == "ok").all(), said
    one = [{"id": r["id"], "judul": r["title"], "content": r["content"]} for r in records]
    plain, _ = read(write_jsonl(tmp_path / "one.jsonl", one))
    assert frame["text"].tolist() == plain["text"].tolist()
    assert "body" not in frame.columns and "content" not in frame.columns  # the text is not carried twice
    named, _ = read(path, text_field="content")
    assert (named["status"] == "missing_text").sum() == (len(records) + 1) // 2


@pytest.mark.parametrize("shape", ["array", "object", "gzipped"])
def test_a_json_file_of_articles_is_read_as_the_jsonl_of_the_same_records(shape, tmp_path):
    # Scrapy's `-o items.json` writes a JSON array; APIs answer {"data": [...]}: both were refused whole.
    records = [{"id": r["id"], "judul": r["title"], "isi": r["content"]} for r in embedded_records(0, 25)]
    document = records if shape != "object" else {"status": "ok", "data": records}
    text = json.dumps(document, ensure_ascii=False, indent=2)
    path = tmp_path / ("berita.json.gz" if shape == "gzipped" else "berita.json")
    path.write_bytes(gzip.compress(text.encode()) if shape == "gzipped" else text.encode())
    frame, said = read(path)
    lines, _ = read(write_jsonl(tmp_path / "berita.jsonl", records))
    columns = ["id", "status", "title", "text"]
    assert frame[columns].equals(lines[columns]), said
    assert frame["status"].value_counts().to_dict() == lines["status"].value_counts().to_dict()


def test_a_json_file_that_is_no_array_of_articles_is_said_in_one_line(tmp_path, capsys):
    one = tmp_path / "satu.json"
    one.write_text(json.dumps({"judul": "Banjir", "isi": "Banjir merendam Bekasi.", "foto": [{"src": "a.jpg"}]}))
    frame, _ = read(one)
    assert frame[["status", "text"]].values.tolist() == [["ok", "Banjir merendam Bekasi."]]
    mixed = tmp_path / "campur.json"
    mixed.write_text(json.dumps([{"isi": "Gempa mengguncang Cianjur."}, "bukan artikel", 7]))
    assert read(mixed)[0]["status"].tolist() == ["ok", "not_an_object", "not_an_object"]
    cut = tmp_path / "putus.json"
    cut.write_text(json.dumps([{"isi": "Gempa mengguncang Cianjur."}])[:-5])
    assert cli.main(["read", str(cut)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "putus.json" in err[0] and "JSON" in err[0], err
    folder = tmp_path / "korpus"
    folder.mkdir()
    cut.rename(folder / "putus.json")
    mixed.rename(folder / "campur.json")
    # A cache or settings file beside the articles (a word -> stem table): no row of 2,000 columns, one row.
    words = [w for r in embedded_records(0, 40) for w in r["content"].lower().split()][:2000]
    (folder / "stems.json").write_text(json.dumps({w: w.strip(".,") for w in words}))
    frame = read(folder)[0]
    assert len(frame.columns) < 30, len(frame.columns)
    statuses = frame.set_index("source")["status"]
    assert statuses.filter(like="stems").tolist() == ["unreadable"]
    assert statuses.filter(like="putus").tolist() == ["unreadable"]
    assert statuses.filter(like="campur").tolist() == ["ok", "not_an_object", "not_an_object"]


def test_a_line_holding_a_word_table_does_not_widen_every_row(tmp_path):
    # One JSONL line of 5,000 keys (a cache written into the scrape) made 5,000 columns for every row of the run.
    records = [r for r in embedded_records(0, 60) if r["content"]]
    words = list(dict.fromkeys(w for r in records for w in r["content"].lower().split()))[:5000]
    table = {"id": "kata", **{w: w.strip(".,") for w in words}}
    path = write_jsonl(tmp_path / "berita.jsonl", records[:30] + [table] + records[30:])
    frame, said = read(path)
    assert len(frame) == len(records) + 1 and (frame.loc[frame["id"] != "kata", "status"] == "ok").all()
    assert len(frame.columns) < 250, len(frame.columns)
    assert "category_coarse" in frame.columns  # the records' own fields still ride along
    assert sum("not carried" in m for m in said) == 1, said
