"""The cleaner on real pages: seeds line by line, DEV through the shared scorer, metadata, HTML, the CLI."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import embedded_records, require_shared, write_jsonl

from kliping import clean, config, io
from kliping.clean import corpus, dates, patterns, rules
from kliping.clean import page as page_module
from kliping.clean.json_lines import METADATA_FIELDS, OUTPUT_FIELDS
from kliping.clean.measures import MEASURE_MEMOS
from kliping.evaluation import extraction

PAGES_FILE = "corpora/id_news_extraction_gt/pages.jsonl"


@pytest.fixture(scope="module")
def dev_pages(dev_lines_path):
    return extraction.read_dev(dev_lines_path)


@pytest.fixture(scope="module")
def seeds(dev_pages):
    return {page["id"]: page for page in dev_pages if "fine_labels" in page}


def token_f1(scorer, gold: str, predicted: str) -> float:
    gold_tokens, predicted_tokens = Counter(scorer.tokens(gold)), Counter(scorer.tokens(predicted))
    overlap = sum((gold_tokens & predicted_tokens).values())
    return scorer.prf(overlap, sum(predicted_tokens.values()), sum(gold_tokens.values()))[2]


# --------------------------------------------------------------------------- seeds, line by line
def test_seeds_match_the_hand_labels_on_every_line(seeds):
    assert len(seeds) == 2
    for page_id, page in seeds.items():
        cleaned = clean.clean_page(page["text"])
        wrong = [
            (number, label, got)
            for number, (label, got) in enumerate(zip(page["labels"], cleaned.labels), 1)
            if label != got
        ]
        assert wrong == [], f"{page_id}: lines whose 0/1 label differs from the hand label: {wrong}"


def test_seeds_fine_kinds_match_the_hand_labels(seeds):
    for page_id, page in seeds.items():
        kinds = clean.clean_page(page["text"]).kinds
        wrong = [
            (number, gold, got) for number, (gold, got) in enumerate(zip(page["fine_labels"], kinds), 1) if gold != got
        ]
        assert wrong == [], f"{page_id}: (line, hand kind, kliping kind) {wrong}"


def test_kind_confusion_has_every_seed_line_on_its_diagonal(dev_pages, seeds):
    table = extraction.kind_confusion(dev_pages)
    assert int(table.to_numpy().sum()) == sum(len(page["fine_labels"]) for page in seeds.values())
    hand_kinds = {kind for page in seeds.values() for kind in page["fine_labels"]}
    assert set(table.index) == hand_kinds and len(hand_kinds) >= 11  # a row for each kind the hands gave
    off_diagonal = table.to_numpy().sum() - sum(table.at[k, k] for k in table.index if k in table.columns)
    assert off_diagonal == 0


# --------------------------------------------------------------------------- DEV through the shared scorer
def test_dev_token_f1_with_the_shared_scorer(dev_lines_path, dev_pages):
    scores = extraction.score_predictions(dev_lines_path, extraction.predict_dev(dev_pages, "kliping"))
    assert scores["pages"] == 30 and scores["missing_predictions"] == 0
    assert scores["macro"]["f1"] >= 0.97
    assert scores["micro"]["f1"] >= 0.97
    assert scores["lines"]["micro"]["f1"] >= 0.9
    assert scores["lines"]["pages"] == 30  # every prediction carries one label per gold line


def test_no_dev_page_collapses(dev_lines_path, dev_pages):
    scorer = extraction.load_scorer()
    worst = min(
        (token_f1(scorer, page["clean_text"], clean.clean_page(page["text"]).content), page["id"]) for page in dev_pages
    )
    assert worst[0] >= 0.85, worst


def test_baselines_score_as_in_baselines_md(dev_lines_path, dev_pages):
    everything = extraction.score_predictions(
        dev_lines_path, extraction.predict_dev(dev_pages, "everything is content")
    )
    assert round(everything["macro"]["f1"], 3) == 0.484 and round(everything["micro"]["f1"], 3) == 0.476


# --------------------------------------------------------------------------- metadata
@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kompas.com - 24/10/2020, 11:53 WIB", "2020-10-24 11:53:00+07:00"),
        ("WASHINGTON, iNews.id - Amerika Serikat pada Selasa (13/10/2020) mendesak", "2020-10-13 00:00:00+07:00"),
        ("Kamis, 05/11/2015 10:08 WIB", "2015-11-05 10:08:00+07:00"),
        ("Kamis, 5 November 2015 14:56 WITA | 1.229 Views", "2015-11-05 14:56:00+08:00"),
        ("Senin, 12 Januari 2015 | 09:30 WIT", "2015-01-12 09:30:00+09:00"),
        ("Posted on Maret 30, 2015 by Admin", "2015-03-30 00:00:00+07:00"),
        ("Diperbarui 2020-10-25 08:00, terbit 24/10/2020", "2020-10-25 08:00:00+07:00"),  # the first date wins
        ("Jakarta,  Maret\t30 ,  2015 dan 5  Nov.  2016", "2016-11-05 00:00:00+07:00"),  # "30 ," is no day
        ("Jumat, 4 ſeptember 2015", "2015-09-04 00:00:00+07:00"),  # "ſ" matches "s" when case is ignored
        ("JAKARTA - Rabu (1/1/2020) pukul 19.00 WIT, gempa", "2020-01-01 19:00:00+09:00"),  # clock past ")"
        ("Selasa (13/10/2020) 12.000 warga", "2020-10-13 00:00:00+07:00"),  # a number, not a clock
        ("Batas pendaftaran 31 Desember 2019 pukul 24.00 WIB", "2020-01-01 00:00:00+07:00"),  # end of the day
        ("Diperbarui 2020-01-01T19:00:00Z oleh redaksi", "2020-01-01 19:00:00+00:00"),  # an ISO offset is kept
    ],
)
def test_indonesian_dates_are_time_zone_aware(text, expected):
    stamp = clean.parse_published(text)
    assert stamp.tzinfo is not None
    assert str(stamp) == expected


def test_date_forms_are_only_skipped_where_they_cannot_match(dev_pages):
    # parse_published runs a date form only where the characters around a year allow it; searching every
    # form everywhere, as a plain reading of DATE_PATTERNS does, finds the same first date.
    def every_form(text):
        found = [
            (match.start(), stamp)
            for pattern in dates.DATE_PATTERNS
            for match in pattern.finditer(text)
            if (stamp := dates.stamp(match.groupdict())) is not None
        ]
        return min(found, key=lambda item: item[0])[1] if found else pd.NaT

    pieces = [
        "5",
        "31",
        " ",
        "  ",
        "\t",
        "\xa0",
        ",",
        ".",
        "/",
        "-",
        "Nov",
        "november",
        "Mei",
        "ſeptember",
        "2015",
        "1999",
        "20",
        "19",
        "10:08",
        "WITA",
        "x",
        "Kamis",
        "٢",
        "2020-10-24",
        ")",
        "pukul",
        "Pkl.",
        "24.00",
        "T10:08:30+0900",
        "wit",
        "PM",
    ]
    rng = np.random.default_rng(0)
    texts = [line for page in dev_pages for line in page["text"].splitlines() if line.strip()]
    texts += ["".join(rng.choice(pieces, size=rng.integers(1, 12))) for _ in range(20_000)]
    assert sum(every_form(text) is not pd.NaT for text in texts) > 1_000
    for text in texts:
        assert str(clean.parse_published(text)) == str(every_form(text)), text


def test_no_date_is_nat():
    assert clean.parse_published("Baca juga: Gempa di Bali") is pd.NaT
    assert clean.parse_published("31/02/2020") is pd.NaT  # no such day
    assert clean.parse_published("Tanggal 2019-13-01 tidak ada") is pd.NaT  # no month 13, and no year-day-month
    assert clean.parse_published("Rapat 1 Januari 2020 pukul 24.30 WIB") is pd.NaT  # no such time


#: Date field values as corpora write them, and worse: Indonesian month names in any case, WIB/WITA/WIT, missing
#: parts, garbage, days a month does not have, two dates in one value; with what each must give (None: NaT).
HOSTILE_DATES = {
    "Selasa, 3 Desember 2019 | 08.15 WITA": ("2019-12-03 08:15:00+08:00", "WITA"),
    "Kamis, 5 Nopember 2015 14:56 WIT": ("2015-11-05 14:56:00+09:00", "WIT"),
    "24/10/2020, 11:53 WIB": ("2020-10-24 11:53:00+07:00", "WIB"),
    "1 JANUARI 2020 23:59 WITA": ("2020-01-01 23:59:00+08:00", "WITA"),
    "05 juli 2019": ("2019-07-05 00:00:00+07:00", "WIB"),
    "1 Okt 2019 WITA": ("2019-10-01 00:00:00+08:00", "WITA"),
    "2019-09-10 00:00:00": ("2019-09-10 00:00:00+07:00", "WIB"),
    "2016-02-16T13:01:52+0700": ("2016-02-16 13:01:52+07:00", "WIB"),
    "2016-02-23 T16:00:20Z": ("2016-02-23 16:00:20+00:00", "UTC"),
    "19-Sep-19": ("2019-09-19 00:00:00+07:00", "WIB"),
    "Sep 30, 2019 06:32": ("2019-09-30 06:32:00+07:00", "WIB"),
    "29/02/2020 07.30": ("2020-02-29 07:30:00+07:00", "WIB"),
    "12 Mei 2019 - 14 Mei 2019": ("2019-05-12 00:00:00+07:00", "WIB"),  # two dates: the first
    "Diperbarui 14/05/2019 09:00 WITA, terbit 12/05/2019 08:00 WIB": ("2019-05-14 09:00:00+08:00", "WITA"),
    "Agustus 17, 1945": ("1945-08-17 00:00:00+09:00", "WIB"),  # Jakarta's offset of 1945
    # Clocks as Indonesian pages write them: after a bracket, led by pukul/pkl./jam in any case, with seconds, AM/PM,
    # a zone in any case; the zone after the clock is the page's, not WIB assumed.
    "Rabu (1/1/2020) pukul 19.00 WIT": ("2020-01-01 19:00:00+09:00", "WIT"),
    "Rabu (1/1/2020) Pukul 19:00:30 wit": ("2020-01-01 19:00:30+09:00", "WIT"),
    "Kamis (2/1/2020), pkl. 08.15 WITA": ("2020-01-02 08:15:00+08:00", "WITA"),
    "2 Januari 2020 Pkl 07.05.09 wib": ("2020-01-02 07:05:09+07:00", "WIB"),
    "2020-01-01 19:00:30 WIT": ("2020-01-01 19:00:30+09:00", "WIT"),
    "Sep 30, 2019 06:32 PM": ("2019-09-30 18:32:00+07:00", "WIB"),
    "1 Januari 2020 12:05 a.m. WITA": ("2020-01-01 00:05:00+08:00", "WITA"),
    # 24:00 is the end of its day: 00:00 of the next (across a month and a year too); 24:30 is no time.
    "1 Januari 2020 24:00 WIB": ("2020-01-02 00:00:00+07:00", "WIB"),
    "31/12/2019 pukul 24.00 WITA": ("2020-01-01 00:00:00+08:00", "WITA"),
    "2019-02-28T24:00:00Z": ("2019-03-01 00:00:00+00:00", "UTC"),
    "1 Januari 2020 24:30 WIB": None,
    "1 Januari 2020 19.00 PM": None,  # no 19 o'clock in the afternoon
    # ISO with T, Z and offsets; year first is year, month, day, never year, day, month.
    "2020-01-01T19:00:00.5Z": ("2020-01-01 19:00:00.500000+00:00", "UTC"),
    "2020-01-01T19:00+09:00": ("2020-01-01 19:00:00+09:00", "WIT"),
    "2019/12/31": ("2019-12-31 00:00:00+07:00", "WIB"),
    "2019-13-01 00:00:00": None,
    "2019-13-01T00:00:00+07:00": None,
    "2019/31/12": None,
    "2019-04-31 10:00": None,
    # Day first as in Indonesia; month first only where that is the one order that gives a day.
    "01/02/2020": ("2020-02-01 00:00:00+07:00", "WIB"),
    "12/31/2019": ("2019-12-31 00:00:00+07:00", "WIB"),
    "13/13/2019": None,
    "31 April 2019": None,
    "29 Feb 2019": None,
    "Sep 31, 2019": None,
    # pandas would fill in what is not written: 1 January, the 1st, year 1.
    "2019": None,
    "Sep 2019": None,
    "Sep 30": None,
    "Senin, 30 Februari 2020": None,
    "31/04/2019 10:00 WIB": None,
    "29/02/2019": None,
    "2020-02-30": None,
    "tanggal 17 Agustus": None,  # no year
    "garbage 2019 xx": None,
    "99-99-99": None,
    "kemarin sore": None,
    "": None,
    "   ": None,
}


def test_a_date_column_is_parsed_once_per_text_with_each_values_answer():
    values = [*HOSTILE_DATES, None, float("nan"), pd.Timestamp("2020-01-01 08:00", tz="Asia/Makassar")]
    values += [row["date"] for row in embedded_records(0, 3235)]  # 139 distinct real dates, repeated
    values = values + values[::-1]
    shown = [(str(stamp), dates.zone_name(stamp)) for stamp in dates.parse_date_values(values)]
    assert shown == [(str(stamp), dates.zone_name(stamp)) for stamp in map(dates.parse_date_value, values)]
    for value, expected in HOSTILE_DATES.items():
        stamp = dates.parse_date_values([value, value])[1]
        assert (stamp is pd.NaT) if expected is None else ((str(stamp), dates.zone_name(stamp)) == expected), value
    # The same instant in two zones is two answers, not one remembered.
    wib, utc = pd.Timestamp("2020-01-01 07:00", tz="Asia/Jakarta"), pd.Timestamp("2020-01-01 00:00", tz="UTC")
    assert [dates.zone_name(s) for s in dates.parse_date_values([wib, utc])] == ["WIB", "UTC"]


def test_a_corpus_date_field_dates_its_rows(tmp_path):
    # Through the reader and clean_articles: each row's field value, hostile or not, gives its own date and zone.
    records = embedded_records(0, 2 * len(HOSTILE_DATES))
    values = list(HOSTILE_DATES)
    for record, value in zip(records, values + values):
        record["date"] = value
    cleaned = clean.clean_articles(io.read_corpus(write_jsonl(tmp_path / "dated.jsonl", records)), progress=False)
    for value, (stamp, zone) in zip(values + values, zip(cleaned["published"], cleaned["time_zone"])):
        expected = HOSTILE_DATES[value]
        if expected is None:  # no date in the field: the page's own first date, if any, as before
            continue
        assert (stamp, zone) == (pd.Timestamp(expected[0]), expected[1]), value  # the same instant, its own zone


@pytest.mark.parametrize(
    "line, city, rest",
    [
        ("WASHINGTON, KOMPAS.com - Amerika Serikat (AS) mencoba", "WASHINGTON", "Amerika Serikat (AS) mencoba"),
        ("Mataram, NTB (ANTARA News) - Sebanyak 29 penerbangan", "Mataram", "Sebanyak 29 penerbangan"),
        ("Liputan6.com, Jakarta - Presiden Joko Widodo meminta", "Jakarta", "Presiden Joko Widodo meminta"),
        ("Jakarta - Galaxy S6 Edge adalah smartphone jagoan", "Jakarta", "Galaxy S6 Edge adalah smartphone jagoan"),
        ("Baca juga - Gempa di Bali", None, "Baca juga - Gempa di Bali"),
    ],
)
def test_split_dateline(line, city, rest):
    found_city, _, found_rest = clean.split_dateline(line)
    assert (found_city, found_rest) == (city, rest)


def test_seed_pages_metadata_through_the_reader(seed_dir):
    cleaned = clean.clean_articles(io.read_corpus(seed_dir), progress=False).set_index("id")
    kompas, inews = cleaned.loc["000_1ed279cb64cb3699"], cleaned.loc["002_c58ec8ab53f2afe8"]
    assert kompas["title"] == "AS Maju Upayakan Gencatan Senjata yang Sempat Gagal dalam Konflik Armenia-Azerbaijan"
    assert kompas["published"] == pd.Timestamp("2020-10-24 11:53", tz="Asia/Jakarta")
    # The inews seed names its date only in its third paragraph ("Selasa (13/10/2020)"): deep in the body, an
    # event's date rather than the publication's (issue 12), so it stays unknown.
    assert inews["published"] is pd.NaT
    assert str(cleaned["published"].dt.tz) == "Asia/Jakarta"
    assert inews["byline"] == "Anton Suhartono"
    assert list(cleaned["dateline_city"]) == ["WASHINGTON", "WASHINGTON"]
    assert list(cleaned["site"]) == ["kompas.com", "inews.id"]
    # The dateline moves to the metadata; its sentence stays in the content.
    assert kompas["content"].startswith("Amerika Serikat (AS) mencoba berupaya mengakhiri pertempuran")
    assert "KOMPAS.com -" not in kompas["content"] and "Baca juga" not in kompas["content"]


# --------------------------------------------------------------------------- every line accounted for
def test_lines_in_equal_lines_accounted_for(dev_pages):
    seed = next(page for page in dev_pages if page["id"].startswith("seed-002"))
    # Blank lines, whitespace-only lines and Windows line ends, as scraped text often has them.
    text = seed["text"].replace("\n", "\r\n", 3).replace("\n", "\n\n   \n", 2) + "\n\t\n"
    cleaned = clean.clean_page(text)
    n_lines = len(text.splitlines())
    assert len(cleaned.labels) == len(cleaned.kinds) == len(cleaned.reasons) == len(cleaned.lines) == n_lines
    assert all(kind in clean.KINDS for kind in cleaned.kinds) and all(cleaned.reasons)
    blank = [k for line, k in zip(text.splitlines(), cleaned.kinds) if not line.strip()]
    assert len(blank) == 5 and set(blank) == {"blank"}
    assert cleaned.content == clean.clean_page(seed["text"]).content
    assert cleaned.lines[0][0] == 1 and cleaned.lines[-1][0] == n_lines


def test_every_dev_page_has_one_label_per_line(dev_pages):
    for page in dev_pages:
        cleaned = clean.clean_page(page["text"])
        assert len(cleaned.labels) == len(page["text"].splitlines()) == len(page["labels"])
        assert set(cleaned.labels) <= {0, 1}
        assert [kind == "body" for kind in cleaned.kinds] == [bool(label) for label in cleaned.labels]


# --------------------------------------------------------------------------- clean input keeps its body
def test_already_clean_articles_keep_their_body(sample_path):
    rows = [json.loads(line) for line in sample_path.open(encoding="utf-8")][::5]
    kept = []
    for row in rows:
        cleaned = clean.clean_page(row["content"], title=row["title"])
        kept.append(len(cleaned.content) / len(row["content"].strip()))
    assert len(rows) > 600
    assert min(kept) >= 0.9, f"an article lost {1 - min(kept):.0%} of its text"


def test_one_long_line_is_the_body():
    text = (
        "JAKARTA - Pemerintah menaikkan harga bahan bakar minyak bersubsidi mulai Sabtu (3/9/2022) pukul "
        "14.30 WIB, kata Presiden Joko Widodo di Istana Merdeka, setelah anggaran subsidi membengkak tiga "
        "kali lipat dan sebagian besar dinikmati oleh warga yang mampu."
    )
    cleaned = clean.clean_page("-\n" + text)
    assert cleaned.labels == [0, 1] and cleaned.kinds == ["other", "body"]
    assert cleaned.content.startswith("Pemerintah menaikkan") and cleaned.dateline_city == "JAKARTA"


# --------------------------------------------------------------------------- HTML and cross-page template lines
def test_html_pages_go_through_the_reader_and_the_same_cleaner(tmp_path):
    pages = [json.loads(line) for line in require_shared(PAGES_FILE).open(encoding="utf-8")]
    chosen = [
        p
        for p in pages
        if p["id"]
        in ("anpandu-kompas-singlepage", "anpandu-detik-singlepage", "anpandu-antara-singlepage3", "aeb-7837c9d66c81")
    ]
    for page in chosen:
        (tmp_path / f"{page['id']}.html").write_text(page["raw_html"], encoding="utf-8")
    cleaned = clean.clean_articles(io.read_corpus(tmp_path), progress=False).set_index("id")
    scorer = extraction.load_scorer()
    for page in chosen:
        row = cleaned.loc[page["id"]]
        assert "<" not in row["content"] or "<p" not in row["content"]  # text, not markup
        assert token_f1(scorer, page["clean_text"], row["content"]) >= 0.9, page["id"]
        assert len(row["labels"]) == len(row["text"].splitlines())


def test_lines_repeated_across_pages_of_a_site_are_template(dev_pages):
    kompas = [page for page in dev_pages if page["site"].endswith("kompas.com")]
    frame = pd.DataFrame(
        {
            "id": [p["id"] for p in kompas],
            "status": "ok",
            "duplicate_of": None,
            "text": [p["text"] for p in kompas],
            "site": "kompas.com",
        }
    )
    cleaned = clean.clean_articles(frame, progress=False)
    repeated = [r for reasons in cleaned["reasons"] for r in reasons if r.startswith("repeated on many pages")]
    assert len(repeated) > 100  # menus and footers shared by the kompas pages
    for page, labels in zip(kompas, cleaned["labels"]):
        assert sum(a != b for a, b in zip(page["labels"], labels)) <= 1, page["id"]


# --------------------------------------------------------------------------- the line memo
def cleaned_fields(page):
    return repr(dataclasses.astuple(page))  # every field of the page, NaT compared by its repr (NaT != NaT)


def test_line_memo_gives_the_output_of_a_cold_run(dev_pages):
    texts = [page["text"] for page in dev_pages]
    texts += ["İstanbul\n" + texts[0], texts[1].lower()]  # a page scanned in any case, a lower-cased one
    clean.clear_caches()
    cold = [cleaned_fields(clean.clean_page(text)) for text in texts]  # memo filling page by page
    warm = [cleaned_fields(clean.clean_page(text)) for text in texts]  # every line remembered
    assert warm == cold
    for text, expected in zip(texts[::7], cold[::7]):  # each page alone, nothing remembered
        clean.clear_caches()
        assert cleaned_fields(clean.clean_page(text)) == expected
    # A line measures the same within its page and on its own.
    lines = [line.strip() for line in texts[0].splitlines() if line.strip()]
    clean.clear_caches()
    in_page = clean.page_measures(lines)
    clean.clear_caches()
    assert [clean.page_measures([line])[0] for line in lines] == in_page


def test_a_line_that_lower_casing_lengthens_changes_no_other_line(dev_pages):
    # "İ" lower-cases to two characters, so such a page is scanned in any case: it must find the same
    # markers (an empty pattern once marked every line read_also, section_header, pagination and byline).
    for page in dev_pages:
        lines = [line.strip() for line in page["text"].splitlines() if line.strip()]
        clean.clear_caches()
        assert clean.page_measures(["İstanbul"] + lines)[1:] == clean.page_measures(lines), page["id"]
        original, with_dotted_i = clean.clean_page(page["text"]), clean.clean_page("İstanbul\n" + page["text"])
        assert with_dotted_i.labels[1:] == original.labels, page["id"]
        assert with_dotted_i.kinds[1:] == original.kinds, page["id"]
        plain_i = clean.clean_page("Istanbul\n" + page["text"])
        assert (with_dotted_i.labels, with_dotted_i.kinds) == (plain_i.labels, plain_i.kinds), page["id"]
    markers = clean.page_measures(["İstanbul", "Beranda"])[1]
    assert not any(markers[name] for name in ("read_also", "section_header", "pagination", "byline"))


def test_remembered_measures_keep_their_types(dev_pages):
    # The memo keeps a row of floats per line: read back, each measure is the int, bool or float it was.
    lines = [line.strip() for line in dev_pages[0]["text"].splitlines() if line.strip()]
    clean.clear_caches()
    cold = clean.page_measures(lines)
    warm = clean.page_measures(lines)
    for measures in (cold, warm):
        first = measures[0]
        assert {type(first[name]) for name in ("words", "chars", "sentences", "separators")} == {int}
        assert {type(first[name]) for name in ("function_share", "capital_share", "digit_share")} == {float}
        assert {type(first[name]) for name in ("ends_terminal", "has_date", "dateline_prefix", "read_also")} == {bool}
        assert isinstance(first["normalised"], str)
    assert [list(m.items()) for m in warm] == [list(m.items()) for m in cold]


def test_clean_articles_keeps_the_index_and_the_column_types(dev_pages):
    texts = [page["text"] for page in dev_pages[:3]]
    frame = pd.DataFrame({"id": ["a", "b", "c"], "status": "ok", "duplicate_of": None, "text": texts}, index=[5, 5, 2])
    cleaned = clean.clean_articles(frame, progress=False)
    assert cleaned.index.tolist() == [5, 5, 2]
    assert cleaned["content"].tolist() == [clean.clean_page(text).content for text in texts]
    assert str(cleaned["published"].dtype).endswith(", Asia/Jakarta]")
    empty = clean.clean_articles(frame.iloc[:0], progress=False)
    assert list(empty.columns) == list(cleaned.columns) and len(empty) == 0
    assert all(empty[column].dtype == object for column in ("title", "content", "labels", "kinds", "reasons"))


def test_clean_articles_in_two_processes_gives_the_same_frame(dev_pages, monkeypatch):
    texts = [page["text"] for page in dev_pages] * 2
    frame = pd.DataFrame(
        {"id": [str(i) for i in range(len(texts))], "status": "ok", "duplicate_of": None, "text": texts}
    )
    frame.loc[3, "status"] = "empty"
    monkeypatch.setattr(corpus, "PARALLEL_CHUNK_ROWS", 7)
    serial = clean.clean_articles(frame, progress=False)
    clean.clear_caches()
    pd.testing.assert_frame_equal(clean.clean_articles(frame, progress=False, processes=2), serial, check_exact=True)


@pytest.mark.parametrize("batch", [1, 5, 64])
def test_pages_cleaned_together_give_what_page_by_page_gives(dev_pages, monkeypatch, batch):
    # Pages are measured and cleaned in batches; "İ" lengthens when lower-cased: its page is measured alone.
    texts = [page["text"] for page in dev_pages] + ["İSTANBUL\n" + dev_pages[0]["text"], "", "Kanal"]
    monkeypatch.setattr(corpus, "MEASURE_BATCH_ROWS", batch)
    frame = pd.DataFrame(
        {"id": [str(i) for i in range(len(texts))], "status": "ok", "duplicate_of": None, "text": texts}
    )
    clean.clear_caches()
    cleaned = clean.clean_articles(frame, progress=False)
    clean.clear_caches()
    pages = [clean.clean_page(text) for text in texts]
    for column in ("kinds", "reasons", "labels", "content", "title", "byline", "dateline_city"):
        got = [None if not isinstance(value, (str, list)) and pd.isna(value) else value for value in cleaned[column]]
        assert got == [getattr(page, column) for page in pages], column


def test_a_long_line_without_a_second_word_is_linear():
    # The two-word test used to try ".*?" from every position: 200,000 letters took about 20 minutes.
    page = clean.clean_page("Kanal\n" + "x" * 200_000 + "\nBaca juga: Banjir di Bekasi")
    assert len(page.labels) == 3 and page.kinds[1] != "body"
    assert page_module.has_two_letter_words("x" * 50_000 + " ab")
    assert not page_module.has_two_letter_words("x" * 50_000 + " a")


def test_line_memos_are_bounded(dev_pages, monkeypatch):
    texts = [page["text"] for page in dev_pages]
    clean.clear_caches()
    expected = [cleaned_fields(clean.clean_page(text)) for text in texts]
    assert 0 < max(len(memo) for memo in rules.LINE_MEMOS) <= rules.LINE_MEMO_MAX_LINES
    for memo in rules.LINE_MEMOS:
        monkeypatch.setattr(memo, "max_items", 40)
    clean.clear_caches()
    assert [cleaned_fields(clean.clean_page(text)) for text in texts] == expected
    assert all(len(memo) <= 40 for memo in rules.LINE_MEMOS)
    long_line = "kata " * (rules.LINE_MEMO_MAX_CHARS // 5 + 1)
    clean.clear_caches()
    clean.page_measures(["Beranda", long_line.strip()])
    assert list(MEASURE_MEMOS[True]) == ["Beranda"]  # long lines are measured, not remembered
    clean.clear_caches()
    assert all(len(memo) == 0 for memo in rules.LINE_MEMOS)


# --------------------------------------------------------------------------- command line
def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "kliping.cli", *args], capture_output=True, text=True, cwd=config.PROJECT_ROOT
    )


@pytest.fixture
def bad_folder(tmp_path, seed_dir):
    folder = tmp_path / "pages"
    folder.mkdir()
    seed = (seed_dir / "002_c58ec8ab53f2afe8.txt").read_bytes()
    (folder / "a_seed.txt").write_bytes(seed)
    (folder / "b_same_seed.txt").write_bytes(seed)
    (folder / "c_empty.txt").write_bytes(b"")
    (folder / "d_spaces.txt").write_text(" \n\t\n  ", encoding="utf-8")
    (folder / "e_binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "f_latin1.txt").write_bytes(
        "Berita\nSeorang pria asal Bogor ditangkap karena menipu caf\xe9 milik warga setempat.".encode("latin-1")
    )
    return folder


def test_cli_clean_a_folder_with_bad_files(bad_folder, tmp_path):
    out = tmp_path / "clean.jsonl"
    result = run_cli("clean", str(bad_folder), "-o", str(out))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a_seed", "b_same_seed", "c_empty", "d_spaces", "e_binary", "f_latin1"]
    by_id = {r["id"]: r for r in records}
    assert by_id["c_empty"]["status"] == "empty" and by_id["d_spaces"]["status"] == "whitespace_only"
    assert by_id["e_binary"]["status"] == "binary"
    assert by_id["b_same_seed"]["duplicate_of"] == "a_seed"
    for name in ("c_empty", "d_spaces", "e_binary"):
        assert by_id[name]["content"] == "" and by_id[name]["labels"] == [] and by_id[name]["kinds"] == []
        assert f"{name}.txt" in result.stderr  # the warning names the file
    seed = by_id["a_seed"]
    assert list(seed) == OUTPUT_FIELDS and list(seed["metadata"]) == METADATA_FIELDS
    assert seed["metadata"]["published"] is None  # only deep in its body (issue 12)
    assert seed["metadata"]["byline"] == "Anton Suhartono" and seed["metadata"]["dateline_city"] == "WASHINGTON"
    text = (bad_folder / "a_seed.txt").read_text(encoding="utf-8").strip("\n")
    assert len(seed["labels"]) == len(seed["kinds"]) == len(text.splitlines())
    assert seed["content"].startswith("Menteri Luar Negeri Amerika Serikat (AS) Mike Pompeo mendesak")
    assert by_id["f_latin1"]["status"] == "ok" and "café" in by_id["f_latin1"]["content"]


def test_cli_clean_jsonl_with_bad_lines(tmp_path, seed_dir):
    body = (seed_dir / "000_1ed279cb64cb3699.txt").read_text(encoding="utf-8")
    lines = [
        json.dumps({"id": "ok-1", "isi": body, "judul": "Judul dari kolom"}),
        json.dumps({"id": "null", "isi": None}),
        json.dumps({"id": "missing", "judul": "tanpa isi"}),
        json.dumps({"id": "empty", "isi": "   "}),
        '{"id": "broken", "isi": "tidak ditutup',
        json.dumps(["bukan", "objek"]),
        json.dumps({"id": "ok-2", "isi": body}),
    ]
    corpus = tmp_path / "berita.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out" / "clean.jsonl"
    result = run_cli(
        "clean", str(corpus), "-o", str(out), "--text-field", "isi", "--title-field", "judul", "--id-field", "id"
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(lines)
    assert [r["status"] for r in records] == [
        "ok",
        "null_text",
        "missing_text",
        "empty_text",
        "malformed_json",
        "not_an_object",
        "ok",
    ]
    assert records[6]["duplicate_of"] == "ok-1"
    assert records[0]["metadata"]["title"] == "Judul dari kolom"
    assert len(records[0]["labels"]) == len(body.strip().splitlines())
    assert records[0]["content"] == records[6]["content"] != ""
    for number in (2, 3, 4, 5, 6):  # each bad JSONL line is named with its line number
        assert f"berita.jsonl:{number}" in result.stderr


def test_cli_missing_path_is_one_clear_message(tmp_path):
    result = run_cli("clean", str(tmp_path / "tidak-ada"), "-o", str(tmp_path / "out.jsonl"))
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "tidak-ada" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out.jsonl").exists()


# --------------------------------------------------------------------------- the lexicon's required literals
def test_every_derived_literal_is_in_every_match(dev_pages):
    # The page scan searches an "anywhere" pattern only on lines holding one of its required literals
    # (patterns.required_literals, an own parser of the lexicon's regex subset): a literal that a match can
    # lack would lose that line's marker. Checked on every DEV line and on random texts built from the
    # pattern's own words, for every pattern of the shipped lexicon.
    lexicon = json.loads((Path(clean.__file__).parent.parent / "data" / "clean_lexicon.json").read_text("utf-8"))
    lines = [line.strip().lower() for page in dev_pages for line in page["text"].splitlines() if line.strip()]
    rng = np.random.default_rng(0)
    checked = 0
    for group in lexicon["markers"].values():
        for pattern in group.get("anywhere", []):
            lowered = patterns.lower_literals(pattern)
            literals = patterns.required_literals(lowered)
            if literals is None:
                continue
            # The literals, the words of the pattern (its escapes left out) and a few separators.
            words = set(re.findall(r"\w+|\W", re.sub(r"\\.|[()|?*+\[\]]", " ", lowered)))
            pieces = sorted(literals) + sorted(words)
            pieces += [" ", "  ", "1", "23", ".", ",", ":", "x", "yang", "ad", "s", "(", ")", "/"]
            texts = lines + ["".join(rng.choice(pieces, size=rng.integers(1, 8))) for _ in range(3000)]
            matches = [match.group() for text in texts for match in re.finditer(lowered, text)]
            assert matches, pattern  # the random texts do reach the pattern
            for match in matches:
                assert any(literal in match for literal in literals), (pattern, match)
            checked += 1
    assert checked >= 50


@pytest.mark.parametrize(
    "pattern, expected",
    [
        (r"close ads", {"close ads"}),
        (r"\bads? x\b", {"ad x", "ads x"}),
        (r"personali[sz]e", {"personalise", "personalize"}),
        (r"\b[\d.,]+\s*(views|kali dibaca)\b", {"views", "kali dibaca"}),
        (r"(?:baca)+ juga", {" juga"}),  # the longest required run wins
        (r"\bfoto\s*:", {"foto"}),
        (r"©", None),  # too short to skip a pattern with
        (r"\d+(st|nd)", None),
        (r"(?P<nama>baca)", None),  # outside the subset: never skipped
    ],
)
def test_required_literals(pattern, expected):
    found = patterns.required_literals(pattern)
    assert (None if found is None else set(found)) == expected
