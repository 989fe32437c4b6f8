"""Issue 25, the reader's classes: each bad item fails alone (nesting, huge integers, lone surrogates, file names
that are not UTF-8), compression and dictionary bombs are ``too_large`` rows, and the quiet errors (the field
guess, repeated column names, nullable integer ids, UTF-16 without BOM, line separators between words,
zero-width characters, input columns named like outputs, timestamps and decimals, repeated ids, kliping's own
folders inside a corpus). Inputs are generated from real sentences with a seeded random mix, so other inputs of
the same kinds go through the same defences; each read also writes its manifest, as ``kliping read -o`` does."""

from __future__ import annotations

import bz2
import datetime
import decimal
import gzip
import json
import lzma
import os
import random
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kliping import config, io
from kliping.io.problems import MAX_WARNINGS

KLIPING = Path(sys.executable).with_name("kliping")
SENTENCES = [
    "Banjir merendam ratusan rumah warga di Bekasi sejak Minggu pagi.",
    "Gempa bermagnitudo 5,2 mengguncang Palu dan sekitarnya pada Senin malam.",
    "Harga cabai rawit di Pasar Induk Kramat Jati naik dua kali lipat pekan ini.",
    "Timnas Indonesia menang 2-0 atas Vietnam di Stadion Utama Gelora Bung Karno.",
    "Pemerintah provinsi membuka posko pengungsian di halaman masjid raya.",
    "Kepolisian menutup sementara jalan tol akibat longsor di kilometer 97.",
]


def article(rng: random.Random, n: int = 6) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(n))


def read(path, **kwargs) -> tuple[pd.DataFrame, list[str]]:
    """The manifest and the reader's warnings; the manifest is also written as parquet and CSV (a row that cannot
    be written as UTF-8 failed the whole run before)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = io.read_corpus(path, **kwargs)
    out = Path(path).parent / "manifest.parquet"
    frame.to_parquet(out)
    frame.to_csv(out.with_suffix(".csv"), index=False)
    return frame, [str(w.message) for w in caught]


def good_records(rng: random.Random, count: int, prefix: str = "g") -> list[str]:
    return [json.dumps({"id": f"{prefix}{i}", "title": f"Berita {i}", "content": article(rng)}) for i in range(count)]


# 1. Each bad JSON line fails alone ---------------------------------------------------------------------------------


def _deep(rng: random.Random) -> str:
    depth = rng.choice([1_500, 20_000, 100_000])
    kind = rng.choice(["list", "object", "in a field"])
    if kind == "list":
        return "[" * depth + "]" * depth
    if kind == "object":
        return '{"a":' * depth + "1" + "}" * depth
    return json.dumps({"id": "dalam", "content": "Teks"})[:-1] + ', "x": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("seed", range(4))
def test_a_json_line_nested_too_deep_is_one_malformed_row(seed, tmp_path):
    rng = random.Random(seed)
    lines = good_records(rng, 5)
    bad_at = sorted(rng.sample(range(1, 7), 2))
    for at in bad_at:
        lines.insert(at, _deep(rng))
    (tmp_path / "berita.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame, said = read(tmp_path / "berita.jsonl")
    assert frame["status"].tolist().count("ok") == 5
    assert frame["status"].tolist().count("malformed_json") == 2
    assert sum("deeper than" in message for message in said) == 2


@pytest.mark.parametrize("block", ["deep", "surrogate", "huge integer"])
def test_a_page_whose_json_ld_is_hostile_is_read_without_it(block, tmp_path):
    rng = random.Random(len(block))
    data = {
        "deep": "[" * 100_000 + "]" * 100_000,
        "surrogate": '{"datePublished": "2024-05-06", "headline": "Banjir \\ud83d"}',
        "huge integer": '{"datePublished": "2024-05-06", "wordCount": ' + "9" * 6000 + "}",
    }[block]
    body = "".join(f"<p>{article(rng, 2)}</p>" for _ in range(4))
    page = f'<html><head><script type="application/ld+json">{data}</script></head><body><article>{body}</article>'
    (tmp_path / "halaman.html").write_text(page + "</body></html>", encoding="utf-8")
    (tmp_path / "baik.txt").write_text(article(rng, 8), encoding="utf-8")
    frame, _ = read(tmp_path)
    assert frame["status"].tolist() == ["ok", "ok"]
    if block != "deep":
        assert frame.set_index("id").loc["halaman", "meta_date"].startswith("2024-05-06")


@pytest.mark.parametrize("digits", [4_301, 5_000, 20_000])
def test_a_huge_integer_is_kept_as_its_digits(digits, tmp_path):
    rng = random.Random(digits)
    number = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(digits - 1))
    lines = good_records(rng, 3)
    lines.insert(1, '{"id": ' + number + ', "content": "' + article(rng) + '"}')
    lines.insert(2, '{"id": "lain", "views": -' + number + ', "content": "' + article(rng) + '"}')
    (tmp_path / "angka.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame, _ = read(tmp_path / "angka.jsonl")
    assert frame["status"].eq("ok").all() and len(frame) == 5
    assert number in frame["id"].tolist()
    assert frame.loc[frame["id"] == "lain", "views"].item() == "-" + number


SURROGATES = ["\\ud83d", "\\udc00", "\\uDFFF", "\\ud800\\ud800", "\\ude00"]


@pytest.mark.parametrize("surrogate", SURROGATES)
@pytest.mark.parametrize("field", ["content", "title", "id", "kanal", "key"])
def test_a_lone_surrogate_is_replaced_and_counted(surrogate, field, tmp_path):
    rng = random.Random(hash((surrogate, field)) % 1000)
    record = {"id": "s1", "title": "Judul", "content": article(rng), "kanal": "nasional"}
    text = json.dumps(record)
    if field == "key":
        text = text[:-1] + f', "k{surrogate}": 1}}'
    else:
        text = text.replace(f'"{record[field][:5]}', f'"{record[field][:5]}{surrogate}', 1)
    lines = good_records(rng, 2)
    lines.insert(1, text)
    (tmp_path / "potong.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame, said = read(tmp_path / "potong.jsonl")
    assert frame["status"].eq("ok").all() and len(frame) == 3
    row = frame.iloc[1]
    count = surrogate.count("\\u")
    assert row["decode_errors"] == count
    written = frame.to_csv(index=False)
    assert "\ufffd" in written and any("surrogate" in message for message in said)


def test_the_cli_reads_every_bad_line_kind_in_one_file_with_exit_0(tmp_path):
    rng = random.Random(7)
    lines = good_records(rng, 3)
    lines[1:1] = [_deep(rng), '{"id": ' + "7" * 6000 + ', "content": "Teks"}', '{"id": "x", "content": "a\\ud800b"}']
    (tmp_path / "campur.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    done = subprocess.run(
        [str(KLIPING), "read", str(tmp_path / "campur.jsonl"), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert len(pd.read_csv(out)) == 6


# 2. File names that are not UTF-8 -----------------------------------------------------------------------------------

BAD_NAMES = [b"berita\xff\xfe", b"caf\xe9", b"\x80awal", b"tengah\xc3(akhir", b"\xed\xa0\x80sur"]


@pytest.mark.parametrize("raw", BAD_NAMES)
@pytest.mark.parametrize("suffix", [b".txt", b".jsonl", b".html"])
def test_a_file_name_that_is_not_utf8_is_read_and_shown_escaped(raw, suffix, tmp_path):
    rng = random.Random(len(raw))
    corpus = tmp_path / "korpus"
    corpus.mkdir()
    (corpus / "baik.txt").write_text(article(rng, 8), encoding="utf-8")
    body = article(rng, 8)
    if suffix == b".jsonl":
        data = json.dumps({"id": "r1", "content": body}) + "\n"
    elif suffix == b".html":
        data = f"<html><head><title>Judul</title></head><body><article><p>{body}</p></article></body></html>"
    else:
        data = body
    with open(os.path.join(os.fsencode(corpus), raw + suffix), "wb") as handle:
        handle.write(data.encode("utf-8"))
    frame, said = read(corpus)
    assert frame["status"].eq("ok").all() and len(frame) == 2, frame[["id", "status"]]
    escaped = raw.decode("utf-8", "surrogateescape")
    shown = "".join(f"\\x{ord(c) - 0xDC00:02x}" if "\udc80" <= c <= "\udcff" else c for c in escaped)
    assert any(shown in source for source in frame["source"])
    assert any("not UTF-8" in message and shown in message for message in said)


# 3. Bombs ------------------------------------------------------------------------------------------------------------


def _repeated_bomb(path: Path, opener, chunk: bytes, times: int) -> None:
    """A compressed file that inflates to ``times`` × ``chunk``: one compressed chunk written ``times`` times is a
    valid multi-member gzip / multi-stream bz2 and xz, made in milliseconds."""
    packed = {"gzip": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress}[opener](chunk)
    with open(path, "wb") as handle:
        for _ in range(times):
            handle.write(packed)


def _streamed_gzip(path: Path, chunk: bytes, times: int) -> None:
    with gzip.open(path, "wb", compresslevel=1) as handle:
        for _ in range(times):
            handle.write(chunk)


BOMBS = [
    ("lines.jsonl.gz", "gzip", "lines"),
    ("oneline.jsonl.gz", "gzip", "one line"),
    ("lines.jsonl.bz2", "bz2", "lines"),
    ("table.csv.xz", "xz", "csv"),
    ("page.html.gz", "gzip", "page"),
    ("single.jsonl.gz", "stream", "lines"),
]


def _bomb_chunk(shape: str) -> bytes:
    if shape == "lines":
        return (json.dumps({"id": "b", "content": "a" * 5000}) + "\n").encode() * 20
    if shape == "one line":
        return b"b" * 100_000
    if shape == "csv":
        return b"z," + b"c" * 100_000 + b"\n"
    return b"<p>" + b"kata " * 20_000 + b"</p>"


@pytest.mark.parametrize("name, how, shape", BOMBS, ids=[b[0] for b in BOMBS])
def test_a_compression_bomb_is_a_too_large_row_and_the_rest_is_read(name, how, shape, tmp_path, monkeypatch):
    monkeypatch.setenv("KLIPING_MAX_FILE_MB", "2")
    corpus = tmp_path / "korpus"
    corpus.mkdir()
    (corpus / "baik.jsonl").write_text("\n".join(good_records(random.Random(1), 3)) + "\n", encoding="utf-8")
    chunk = _bomb_chunk(shape) if shape != "csv" else _bomb_chunk(shape)
    if shape == "csv":
        (corpus / name).write_bytes(lzma.compress(b"id,content\n") + lzma.compress(chunk * 30) * 20)
    elif how == "stream":
        _streamed_gzip(corpus / name, chunk, 100)
    else:
        _repeated_bomb(corpus / name, how, chunk, 200 if shape != "page" else 100)
    frame, said = read(corpus)
    assert frame["status"].tolist().count("ok") == 3
    assert frame["status"].tolist().count("too_large") == 1, frame[["id", "status"]]
    assert any("inflated past" in message for message in said)


def _dictionary_parquet(path: Path, rows: int, text_bytes: int, rng: random.Random) -> None:
    texts = pa.array([article(rng, 40)[:text_bytes] for _ in range(3)])
    indices = pa.array([rng.randrange(3) for _ in range(1000)] * (rows // 1000), pa.int32())
    ids = pa.DictionaryArray.from_arrays(pa.array([0] * len(indices), pa.int32()), pa.array(["sama"]))
    pq.write_table(pa.table({"id": ids, "content": pa.DictionaryArray.from_arrays(indices, texts)}), path)


@pytest.mark.parametrize("rows, text_bytes", [(400_000, 200), (100_000, 2_000)])
def test_a_dictionary_bomb_in_parquet_is_a_too_large_row(rows, text_bytes, tmp_path, monkeypatch):
    monkeypatch.setenv("KLIPING_MAX_FILE_MB", "20")
    corpus = tmp_path / "korpus"
    corpus.mkdir()
    _dictionary_parquet(corpus / "bom.parquet", rows, text_bytes, random.Random(rows))
    assert (corpus / "bom.parquet").stat().st_size < 2 * 2**20  # small as stored, large decoded
    (corpus / "baik.jsonl").write_text("\n".join(good_records(random.Random(2), 2)) + "\n", encoding="utf-8")
    frame, said = read(corpus)
    assert frame["status"].tolist() == ["ok", "ok", "too_large"], frame[["id", "status"]]
    assert any("decoded past" in message for message in said)


def test_a_small_dictionary_parquet_is_read_whole(tmp_path):
    _dictionary_parquet(tmp_path / "kecil.parquet", 3000, 300, random.Random(3))
    frame, _ = read(tmp_path / "kecil.parquet")
    assert len(frame) == 3000 and frame["status"].eq("ok").all()


# 4. The quiet errors -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", [1, 7, 30])
def test_the_field_guess_reads_as_many_records_as_the_field_check(missing, tmp_path):
    rng = random.Random(missing)
    lines = [json.dumps({"kode": f"m{i}", "judul": "Tanpa isi"}) for i in range(missing)]
    lines += [json.dumps({"kode": f"k{i}", "judul": "Berita", "isi": article(rng)}) for i in range(5)]
    (tmp_path / "kepala.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame, _ = read(tmp_path / "kepala.jsonl")
    assert frame["status"].tolist() == ["missing_text"] * missing + ["ok"] * 5


HEADERS = [
    (["id", "content", "title", "content"], ["content"]),
    (["id", "text", "id"], ["id"]),
    (["Content", "judul", "content", "content"], ["content"]),
    (["isi", "isi_2", "isi"], ["isi"]),
]


@pytest.mark.parametrize("header, repeated", HEADERS)
def test_a_repeated_column_name_is_renamed_and_named(header, repeated, tmp_path):
    rng = random.Random(len(header))
    texts = ("content", "text", "isi")
    rows = [[f"{name}-{i}" if name.lower() not in texts else article(rng) for name in header] for i in (1, 2)]
    path = tmp_path / "ganda.csv"
    pd.DataFrame(rows, columns=header).to_csv(path, index=False)
    frame, said = read(path)
    assert frame["status"].eq("ok").all() and len(frame) == 2
    first = header.index(next(h for h in header if h.lower() in ("content", "text", "isi")))
    assert frame["text"].tolist() == [row[first] for row in rows]  # the first of the name, never the last
    message = next(m for m in said if "repeated in the header" in m)
    assert all(repr(name) in message for name in repeated)
    assert len(set(frame.columns)) == len(frame.columns)


@pytest.mark.parametrize("kind", [pa.int8(), pa.int32(), pa.int64(), pa.uint64()])
def test_integer_ids_with_a_null_keep_their_integer_form(kind, tmp_path):
    rng = random.Random(5)
    values = [rng.randint(1, 100) for _ in range(4)]
    ids = pa.array([values[0], None, values[2], values[3]], kind)
    pq.write_table(pa.table({"id": ids, "content": [article(rng) for _ in range(4)]}), tmp_path / "angka.parquet")
    frame, _ = read(tmp_path / "angka.parquet")
    assert frame["id"].tolist() == [str(values[0]), "angka-2", str(values[2]), str(values[3])]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("suffix, sep", [(".csv", ","), (".tsv", "\t"), (".csv", ";")])
def test_utf16_without_bom_is_text(codec, suffix, sep, tmp_path):
    rng = random.Random(11)
    texts = [article(rng, 3).replace(",", "") + " Café Ñ" for _ in range(3)]
    body = sep.join(["id", "isi"]) + "\r\n" + "".join(f"{i}{sep}{t}\r\n" for i, t in enumerate(texts))
    (tmp_path / f"lebar{suffix}").write_bytes(body.encode(codec))
    (tmp_path / "gambar.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    frame, _ = read(tmp_path)
    wide = frame[frame["source"].str.contains("lebar")]
    assert wide["text"].tolist() == texts
    assert frame.loc[frame["source"].str.contains("gambar"), "status"].tolist() == ["unreadable"]


BREAKS = ["\v", "\u2028", "\u2029", "\x85", "\f", "\x1e"]


@pytest.mark.parametrize("mark", BREAKS, ids=lambda m: m.encode("unicode_escape").decode())
def test_line_separators_between_words_do_not_shred_a_text(mark, tmp_path):
    from kliping import pipeline

    rng = random.Random(ord(mark))
    words = article(rng, 4).split()
    sentences = [article(rng, 1) for _ in range(4)]
    records = [
        {"id": "kata", "content": mark.join(words)},
        {"id": "kalimat", "content": mark.join(sentences)},
    ]
    path = tmp_path / "pemisah.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    frame, _ = read(path)
    assert frame.loc[0, "text"] == " ".join(words)
    assert frame.loc[1, "text"].split("\n") == sentences
    cleaned = pipeline.clean(frame, progress=False, use_cache=False)
    kept = cleaned.loc[0, "content"].split()
    assert len(kept) >= 0.9 * len(words), cleaned.loc[0, "content"]


ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


@pytest.mark.parametrize("mark", ZERO_WIDTH, ids=lambda m: f"U+{ord(m):04X}")
def test_zero_width_characters_leave_table_records_as_they_leave_pages(mark, tmp_path):
    rng = random.Random(ord(mark))
    text = article(rng, 4)
    spoiled = "".join(c + mark if c.isalpha() and rng.random() < 0.2 else c for c in text)
    (tmp_path / "tabel.jsonl").write_text(json.dumps({"id": "a", "title": "Ban" + mark + "jir", "content": spoiled}))
    (tmp_path / "halaman.txt").write_text(spoiled, encoding="utf-8")
    frame, _ = read(tmp_path)
    assert frame["text"].tolist() == [text, text]
    assert frame.loc[frame["origin"] == "record", "title"].item() == "Banjir"


OUTPUT_NAMES = ["topic", "confidence", "topic_label", "reason", "run_id", "kinds", "language", "published"]


def test_input_columns_named_like_outputs_are_kept_with_a_prefix(tmp_path):
    from kliping import pipeline

    rng = random.Random(13)
    records = [
        {"id": f"o{i}", "content": article(rng, 8), **{name: f"milik-{name}-{i}" for name in OUTPUT_NAMES}}
        for i in range(12)
    ]
    frame, _ = read_records(tmp_path, records)
    for name in OUTPUT_NAMES:
        assert frame[f"input_{name}"].tolist() == [f"milik-{name}-{i}" for i in range(12)]
    result = pipeline.run(records, k=2, progress=False)
    for name in OUTPUT_NAMES:
        assert result.articles[f"input_{name}"].tolist() == [f"milik-{name}-{i}" for i in range(12)]
    assert result.articles["topic"].isin(range(-1, 2)).all()


def read_records(tmp_path: Path, records: list[dict]):
    path = tmp_path / "data.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return read(path)


def test_timestamp_date_decimal_and_duration_columns_are_kept_as_text(tmp_path):
    rng = random.Random(17)
    stamp = datetime.datetime(2024, 3, rng.randint(1, 28), 7, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    table = pa.table(
        {
            "id": ["a", "b"],
            "content": [article(rng), article(rng)],
            "terbit": pa.array([stamp, None], pa.timestamp("ms", tz="Asia/Jakarta")),
            "tanggal_cetak": pa.array([stamp.date(), None], pa.date32()),
            "harga": pa.array([decimal.Decimal("12500.50"), None], pa.decimal128(12, 2)),
            "durasi": pa.array([datetime.timedelta(minutes=3), None], pa.duration("s")),
        }
    )
    pq.write_table(table, tmp_path / "waktu.parquet")
    frame, _ = read(tmp_path / "waktu.parquet")
    assert pd.Timestamp(frame.loc[0, "terbit"]) == pd.Timestamp(stamp)
    assert frame.loc[0, "tanggal_cetak"] == stamp.date().isoformat()
    assert frame.loc[0, "harga"] == "12500.50"
    assert pd.Timedelta(frame.loc[0, "durasi"]) == pd.Timedelta(minutes=3)
    assert frame.loc[1, ["terbit", "tanggal_cetak", "harga", "durasi"]].isna().all()


@pytest.mark.parametrize("count", [MAX_WARNINGS + 1, 500, 5000])
def test_repeated_id_warnings_are_capped(count, tmp_path):
    rng = random.Random(count)
    lines = [json.dumps({"id": "sama", "content": article(rng, 2) + f" {i}"}) for i in range(count)]
    (tmp_path / "ulang.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame, said = read(tmp_path / "ulang.jsonl")
    assert frame["id"].is_unique and len(frame) == count
    renames = [m for m in said if "repeats; renamed" in m]
    assert len(renames) == min(count - 1, MAX_WARNINGS)
    if count - 1 > MAX_WARNINGS:
        assert any(f"{count - 1 - MAX_WARNINGS:,} more repeated ids" in m for m in said)


# 5. kliping's own folders inside a corpus ----------------------------------------------------------------------------


def _fake_run(folder: Path, rng: random.Random) -> None:
    folder.mkdir(parents=True)
    (folder / "metrics.json").write_text(json.dumps({"run_id": "abc"}))
    pd.DataFrame({"id": ["x"], "content": [article(rng)]}).to_parquet(folder / "articles.parquet")
    pd.DataFrame({"id": ["x"], "topic": [0], "title": ["Judul"]}).to_csv(folder / "assignments.csv", index=False)
    pd.DataFrame({"topic": [0], "label": ["banjir"]}).to_csv(folder / "topics.csv", index=False)


def _fake_work(folder: Path) -> None:
    (folder / "cache").mkdir(parents=True)
    (folder / "cache" / "stems_0a1b2c3d.json").write_text("{}")
    (folder / "cache" / "corpus_0a1b_99ff.json").write_text("{}")
    (folder / "cache" / "clean_3_abcdef.parquet").write_bytes(b"PAR1")


@pytest.mark.parametrize("where", ["hasil", "a/b/hasil", "kerja", "hasil+kerja"])
def test_output_and_work_folders_inside_the_corpus_are_skipped_and_said_once(where, tmp_path):
    rng = random.Random(len(where))
    corpus = tmp_path / "korpus"
    corpus.mkdir()
    records = good_records(rng, 4)
    (corpus / "berita.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    if "hasil" in where:
        _fake_run(corpus / where.split("+")[0], rng)
    if "kerja" in where:
        _fake_work(corpus / "kerja")
    frame, said = read(corpus)
    assert len(frame) == 4 and frame["status"].eq("ok").all(), frame[["id", "source", "status"]]
    notes = [m for m in said if "kliping's own folders" in m]
    assert len(notes) == 1
    assert all(part in notes[0] for part in where.replace("+", " ").split())


def test_the_work_folder_in_use_is_skipped_even_when_empty(tmp_path, monkeypatch):
    corpus = tmp_path / "korpus"
    (corpus / "kerja" / "cache").mkdir(parents=True)
    (corpus / "kerja" / "cache" / "catatan.txt").write_text("Bukan berita, file kerja.")
    monkeypatch.setenv("KLIPING_WORK_DIR", str(corpus / "kerja"))
    (corpus / "berita.txt").write_text(article(random.Random(3), 8), encoding="utf-8")
    frame, said = read(corpus)
    assert frame["id"].tolist() == ["berita"]
    assert config.work_dir() == corpus / "kerja"
    assert any("kerja (a work folder)" in m for m in said)


def test_a_plain_subfolder_is_still_read(tmp_path):
    corpus = tmp_path / "korpus"
    (corpus / "hasil").mkdir(parents=True)
    (corpus / "hasil" / "metrics.json").write_text("{}")  # a metrics.json alone is not a run's outputs
    (corpus / "hasil" / "berita.txt").write_text(article(random.Random(4), 8), encoding="utf-8")
    frame, said = read(corpus)
    assert frame.set_index("id").loc["hasil/berita", "status"] == "ok"
    assert not any("kliping's own folders" in m for m in said)
