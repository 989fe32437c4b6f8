"""Spreadsheets as people save them: Excel's CSVs (``;``, BOM, CRLF), ``.xlsx`` in, ``kliping.xlsx`` out.

The inputs are real CLICK-ID articles of the embedded corpus (``data/raw``), written as a newsroom's Excel
would write them; every row must come back with its fields, whatever the delimiter and wherever the commas are.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import json
import warnings
import zipfile

import openpyxl
import pandas as pd
import pytest

from kliping import config, io, outputs
from kliping.base import spreadsheet
from kliping.base.atomic import csv_safe
from kliping.io import fields, files
from kliping.partitions import shards as partitions

COLUMNS = ["kode", "judul", "isi", "tanggal", "kanal"]


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    """40 real articles (their texts hold commas, semicolons and quotes), two with line breaks inside."""
    with gzip.open(config.RAW_DIR / "clickid_sample.jsonl.gz", "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in itertools.islice(handle, 40)]
    rows = [[r["id"], r["title"], r["content"], r["date"], r["category_coarse"]] for r in records]
    rows[3][2] = rows[3][2].replace(". ", ".\n", 2)  # a cell with line breaks, as Alt+Enter makes
    rows[5][1] = '=HYPERLINK("http://contoh.id","Klik")'
    return [dict(zip(COLUMNS, row)) for row in rows]


def write_csv(path, records, delimiter=";", encoding="utf-8-sig", newline="\r\n") -> None:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator=newline)
        writer.writerow(COLUMNS)
        writer.writerows([r[c] for c in COLUMNS] for r in records)


def read_quietly(path, **named):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = io.read_corpus(path, **named)
    return frame, [str(w.message) for w in caught]


def assert_every_row(frame: pd.DataFrame, records: list[dict]) -> None:
    assert len(frame) == len(records)
    assert frame["status"].eq("ok").all(), frame["status"].value_counts().to_dict()
    assert frame["id"].tolist() == [r["kode"] for r in records]
    assert frame["text"].tolist() == [io.normalise_text(r["isi"]).strip() for r in records]
    assert frame["kanal"].tolist() == [r["kanal"] for r in records]


# --------------------------------------------------------------------------- CSV
def test_an_excel_csv_with_semicolons_bom_and_crlf_gives_every_row(tmp_path, articles):
    assert any("," in r["isi"] for r in articles)  # commas inside the quoted text do not split it
    path = tmp_path / "berita.csv"
    write_csv(path, articles)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfkode;judul;isi") and b"\r\n" in path.read_bytes()
    frame, problems = read_quietly(path, text_field="isi", id_field="kode", title_field="judul")
    assert_every_row(frame, articles)
    assert not problems
    assert "\n" in frame.loc[3, "text"]
    assert fields.shard_fields(path) == COLUMNS


@pytest.mark.parametrize(("delimiter", "suffix"), [(",", ".csv"), ("\t", ".csv"), ("\t", ".tsv"), (";", ".csv")])
def test_the_delimiter_is_sniffed_whatever_the_text_holds(tmp_path, articles, delimiter, suffix):
    records = [dict(r, isi=r["isi"] + " Harga: Rp 5.000; naik 10%, kata dia.") for r in articles]
    path = tmp_path / f"berita{suffix}"
    write_csv(path, records, delimiter=delimiter, encoding="utf-8", newline="\n")
    frame, _ = read_quietly(path, id_field="kode")
    assert_every_row(frame, records)  # isi guessed from the header, whatever the delimiter


def test_a_one_column_excel_csv_keeps_its_commas(tmp_path, articles):
    path = tmp_path / "isi.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")  # quotes only cells holding ; " or breaks
        writer.writerow(["isi"])
        writer.writerows([r["isi"]] for r in articles)
    frame, problems = read_quietly(path)
    assert frame["status"].eq("ok").all() and not problems
    assert frame["text"].tolist() == [io.normalise_text(r["isi"]).strip() for r in articles]


def test_sniffing_chooses_by_the_rows_not_the_first_line_alone():
    head = ["judul;isi,kanal\n"] + [f'"Banjir {i}";"Hujan, deras",berita\n' for i in range(5)]
    assert fields.sniff_delimiter(head) == ";"  # three ;-columns in every row: two , cells would be cut
    assert fields.sniff_delimiter(["judul,isi\n", '"Banjir; Bekasi","Hujan; deras"\n']) == ","


def test_a_named_field_of_an_excel_csv_is_checked_by_its_header(tmp_path, articles):
    path = tmp_path / "berita.csv"
    write_csv(path, articles)
    fields.check_fields(path, text_field="isi", date_field="tanggal")
    with pytest.raises(fields.FieldNotFoundError, match=r"its fields: kode, judul, isi, tanggal, kanal\)"):
        fields.check_fields(path, label_field="kategori")


# --------------------------------------------------------------------------- xlsx in
def write_xlsx(path, records, extra_sheet=False) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Berita"
    sheet.append(COLUMNS)
    for i, r in enumerate(records):
        sheet.append([r[c] for c in COLUMNS])
        if i == 1:
            sheet.append([None] * len(COLUMNS))  # an empty row between records
    for cell in (c for row in sheet.iter_rows() for c in row):
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # a text cell that starts with "=" (Excel keeps it as typed after a ')
    if extra_sheet:
        book.create_sheet("Rekap").append(["kanal", "jumlah"])
    book.save(path)


def test_an_xlsx_with_named_fields_gives_every_row(tmp_path, articles):
    path = tmp_path / "berita.xlsx"
    write_xlsx(path, articles, extra_sheet=True)
    assert fields.shard_fields(path) == COLUMNS
    fields.check_fields(path, text_field="isi", label_field="kanal")
    frame, problems = read_quietly(path, text_field="isi", id_field="kode", title_field="judul", label_field="kanal")
    assert_every_row(frame, articles)
    assert frame["label"].tolist() == [r["kanal"] for r in articles]
    assert frame["source"].tolist()[:3] == [f"{path}:2", f"{path}:3", f"{path}:5"]  # Excel's row numbers
    assert frame.loc[5, "title"] == articles[5]["judul"]  # read as text, never run
    assert any("first sheet 'Berita'" in p and "'Rekap'" in p for p in problems)


def test_xlsx_rows_keep_the_status_contract(tmp_path):
    path = tmp_path / "kacau.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "judul", "isi"])
    sheet.append(["a", "Banjir", "Hujan deras merendam Bekasi."])
    sheet.append(["b", "Kosong", None])
    sheet.append(["c", "Angka", 12345])
    sheet.append(["d", "Lebih", "Gempa di Bali.", "sel tanpa kepala"])
    book.save(path)
    frame, problems = read_quietly(path)
    assert frame["status"].tolist() == ["ok", "null_text", "not_text", "malformed_row"]
    assert any("malformed row" in p for p in problems)


def test_an_xlsx_that_inflates_past_the_limit_is_one_row_never_unpacked(tmp_path):
    path = tmp_path / "besar.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["id", "isi"])
    for i in range(200):
        book.active.append([str(i), "Banjir merendam Bekasi. " * 200])  # ~1 MB of text, compressed to little
    book.save(path)
    assert path.stat().st_size < 200_000
    frame, problems = read_quietly(tmp_path, limits=files.ReadLimits(max_file_mb=0.5))
    assert frame["status"].tolist() == ["too_large"]
    assert len(problems) == 1 and "inflates to" in problems[0] and "--max-file-mb" in problems[0]
    frame, _ = read_quietly(path, limits=files.ReadLimits(max_file_mb=0.5))  # named alone: the same row
    assert frame["status"].tolist() == ["too_large"]


def test_a_file_named_xlsx_that_is_no_workbook_is_one_unreadable_row_in_a_folder(tmp_path):
    (tmp_path / "palsu.xlsx").write_text("id,isi\n1,Banjir\n", encoding="utf-8")
    (tmp_path / "halaman.txt").write_text("Banjir merendam Bekasi sejak pagi.\n", encoding="utf-8")
    frame, problems = read_quietly(tmp_path)
    assert sorted(frame["status"]) == ["ok", "unreadable"]
    assert any("not an .xlsx workbook" in p for p in problems)


def test_an_xlsx_cell_holding_a_page_is_read_as_a_page(tmp_path):
    page = (
        "<!DOCTYPE html><html><head><title>Gempa Guncang Bali - Kompas.com</title>"
        "<meta property='article:published_time' content='2019-07-16T08:18:00+08:00'></head>"
        "<body><nav>Beranda</nav><p>Gempa magnitudo 6 mengguncang Bali pagi ini.</p>"
        "<p>Warga berhamburan keluar rumah.</p></body></html>"
    )
    path = tmp_path / "scrape.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["id", "html"])
    book.active.append(["g-1", page])
    book.save(path)
    frame, problems = read_quietly(path)
    row = frame.iloc[0]
    assert row["origin"] == "html" and row["title"] == "Gempa Guncang Bali"
    assert row["meta_date"] == "2019-07-16T08:18:00+08:00" and "<" not in row["text"]
    assert any(p.startswith("1 of 1 table rows held an HTML page") for p in problems)


def test_the_distributed_reader_reads_an_xlsx_and_an_excel_csv_as_the_reader_does(tmp_path, articles):
    write_xlsx(tmp_path / "a.xlsx", articles[:10])
    write_csv(tmp_path / "b.csv", articles[10:20])
    limits = files.ReadLimits()
    shards = partitions.list_shards(tmp_path, limits)
    assert [s.kind for s in shards] == ["table", "table"]
    named = dict(text_field="isi", title_field="judul", id_field="kode", label_field=None)
    rows = [row for shard in shards for row in partitions.shard_rows(shard, named, limits)[0]]
    frame, _ = read_quietly(tmp_path, **{k: v for k, v in named.items() if v})
    assert [r["text"] for r in rows] == frame["text"].tolist()
    assert [r["status"] for r in rows] == ["ok"] * 20


# --------------------------------------------------------------------------- kliping.xlsx out
def test_the_output_workbook_holds_the_csvs_guarded_and_readable(tmp_path):
    topics = pd.DataFrame({"topic": [0, 1], "size": [2, 1], "label": ["banjir · bekasi", "@gempa · bali"]})
    assignments = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "status": ["ok", "ok", "empty"],
            "topic": [0, 0, -1],
            "confidence": [0.91, 0.8765, 0.0],
            "topic_label": ["banjir · bekasi", "banjir · bekasi", None],
            "title": ['=HYPERLINK("http://x","klik")', "-2 korban banjir", "+62 812"],
            "reason": [None, None, "no text"],
        }
    )
    path = outputs.write_run_workbook(tmp_path, topics, assignments)
    assert path == tmp_path / "kliping.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["topics", "articles"]
    sheet = book["articles"]
    assert [c.value for c in sheet[1]] == list(assignments.columns)
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)  # no formula anywhere
    titles = [c.value for c in sheet["F"][1:]]
    assert titles == csv_safe(assignments)["title"].tolist()  # the CSV's guard: a leading '
    assert all(t.startswith("'") for t in titles)
    assert book["topics"]["C3"].value == "'@gempa · bali"
    assert [c.value for c in sheet["C"][1:]] == [0, 0, -1] and sheet["D3"].value == 0.8765  # numbers stay numbers
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    assert sheet.column_dimensions["F"].width > sheet.column_dimensions["A"].width
    assert sheet.auto_filter.ref == "A1:G4"


def test_the_output_workbook_is_dropped_when_the_articles_outgrow_a_sheet(tmp_path, monkeypatch):
    (tmp_path / "kliping.xlsx").write_bytes(b"an earlier run's")
    monkeypatch.setattr(spreadsheet, "MAX_SHEET_ROWS", 2)
    frame = pd.DataFrame({"id": ["a", "b", "c"]})
    assert outputs.write_run_workbook(tmp_path, pd.DataFrame({"topic": [0]}), frame) is None
    assert not (tmp_path / "kliping.xlsx").exists()


def test_a_scraped_title_with_control_characters_is_written(tmp_path):
    frame = pd.DataFrame({"id": ["a"], "title": ["Banjir\x0b di\x00 Bekasi"]})
    path = spreadsheet.write_workbook(tmp_path / "k.xlsx", {"articles": frame})
    # The NUL is dropped (no XML holds it); the vertical tab is one of the line breaks every text cell of the
    # run's files turns into a plain newline (base.atomic.csv_cell), so the cell holds two lines.
    assert openpyxl.load_workbook(path)["articles"]["B2"].value == "Banjir\n di Bekasi"
    assert zipfile.is_zipfile(path)
