"""The reader: real pages, real bad input, one manifest row per input item."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from kliping import io
from kliping.io.fields import FieldNotFoundError

SEED_FIRST_LINES = {
    "000_1ed279cb64cb3699": "AS Maju Upayakan Gencatan Senjata yang Sempat Gagal dalam Konflik Armenia-Azerbaijan",
    "002_c58ec8ab53f2afe8": "Prihatin Banyak Warga Sipil Tewas, AS Desak Armenia dan Azerbaijan Patuhi Gencatan Senjata",  # noqa: E501 (a real line of text, kept whole)
}


def read_quietly(path, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = io.read_corpus(path, **kwargs)
    return frame, [str(w.message) for w in caught if issubclass(w.category, io.InputWarning)]


# --------------------------------------------------------------------------- seeds
def test_seeds_are_read_as_they_are(seed_dir):
    frame, problems = read_quietly(seed_dir)
    assert problems == []
    assert list(frame["id"]) == sorted(SEED_FIRST_LINES)
    assert set(frame["status"]) == {"ok"}
    for id_, text in zip(frame["id"], frame["text"]):
        assert text.splitlines()[0] == SEED_FIRST_LINES[id_]
        raw = (seed_dir / f"{id_}.txt").read_text(encoding="utf-8")
        assert text == raw.strip("\n")  # nothing else is changed in a clean UTF-8 page
    assert frame["duplicate_of"].isna().all()


def test_seed_read_from_a_single_file(seed_dir):
    frame, _ = read_quietly(seed_dir / "002_c58ec8ab53f2afe8.txt")
    assert len(frame) == 1 and frame.loc[0, "id"] == "002_c58ec8ab53f2afe8"
    assert "Nagorno-Karabakh" in frame.loc[0, "text"]


# --------------------------------------------------------------------------- bad pages
@pytest.fixture()
def messy_folder(tmp_path: Path, seed_dir: Path) -> Path:
    folder = tmp_path / "pages"
    (folder / "kompas").mkdir(parents=True)
    seed = (seed_dir / "000_1ed279cb64cb3699.txt").read_text(encoding="utf-8")
    (folder / "kompas" / "good.txt").write_text(seed, encoding="utf-8")
    (folder / "kompas" / "copy.txt").write_text(seed.replace("\n", "\r\n"), encoding="utf-8", newline="")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("  \n\t\n   \n", encoding="utf-8")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01")
    (folder / "broken.txt").symlink_to(folder / "nowhere.txt")
    (folder / "bom.txt").write_bytes("\ufeffPresiden Jokowi meresmikan jalan tol.\r\nDi Bekasi.".encode("utf-8"))
    (folder / "latin.txt").write_bytes(
        "Menlu AS \u2013 Pompeo: \u201ckemajuan yang baik\u201d di Pr\u00e9sidence".encode("cp1252")
    )
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 something")
    (folder / ".gitkeep").write_bytes(b"")
    return folder


def test_every_bad_page_gets_a_row_with_a_reason(messy_folder):
    frame, problems = read_quietly(messy_folder)
    status = dict(zip(frame["id"], frame["status"]))
    assert status == {
        "blank": "whitespace_only",
        "bom": "ok",
        "broken": "unreadable",
        "empty": "empty",
        "image": "binary",
        "kompas/copy": "ok",
        "kompas/good": "ok",
        "latin": "ok",
        "notes": "unsupported",
    }
    # Each bad file is named in a warning, and hidden files are not input.
    for name in ("blank.txt", "broken.txt", "empty.txt", "image.txt", "notes.pdf"):
        assert any(name in message for message in problems), name
    assert len(problems) == 5


def test_encodings_and_line_ends_never_give_mojibake(messy_folder):
    frame, _ = read_quietly(messy_folder)
    text = dict(zip(frame["id"], frame["text"]))
    assert text["bom"] == "Presiden Jokowi meresmikan jalan tol.\nDi Bekasi."
    assert text["latin"] == "Menlu AS \u2013 Pompeo: \u201ckemajuan yang baik\u201d di Pr\u00e9sidence"
    assert frame.set_index("id").loc["latin", "encoding"] == "cp1252"
    assert "\r" not in "".join(text.values())
    assert not any(marker in "".join(text.values()) for marker in ("\u00e2\u20ac", "\ufffd", "\u00c3"))


def test_exact_duplicates_are_flagged_not_dropped(messy_folder):
    frame, _ = read_quietly(messy_folder)
    row = frame.set_index("id")
    # copy.txt sorts before good.txt, so the CRLF copy is the first one seen.
    assert row.loc["kompas/good", "duplicate_of"] == "kompas/copy"
    assert row.loc["kompas/copy", "duplicate_of"] is None
    assert row.loc["kompas/good", "status"] == "ok"


def test_html_page_becomes_block_per_line_text_without_script(tmp_path):
    page = tmp_path / "berita.html"
    page.write_text(
        "<html><head><title>Judul di head</title><script>var iklan = 1;</script></head><body>"
        "<nav><ul><li>Beranda</li><li>Nasional</li></ul></nav>"
        "<h1>Banjir Rendam Bekasi</h1><p>BEKASI, KOMPAS.com - Banjir <a href='/x'>setinggi 1 meter</a> "
        "merendam permukiman.</p><p>Warga mengungsi &amp; menunggu bantuan.</p>"
        "<style>p {color: red}</style><script>document.write('iklan')</script></body></html>",
        encoding="utf-8",
    )
    frame, problems = read_quietly(page)
    assert problems == []
    assert frame.loc[0, "title"] == "Judul di head"  # the head's title first (issue 12), the <h1> only without one
    assert frame.loc[0, "text"].splitlines() == [
        "Beranda",
        "Nasional",
        "Banjir Rendam Bekasi",
        "BEKASI, KOMPAS.com - Banjir setinggi 1 meter merendam permukiman.",
        "Warga mengungsi & menunggu bantuan.",
    ]


def test_html_in_latin1_with_meta_charset(tmp_path):
    page = tmp_path / "lama.htm"
    page.write_bytes("<html><body><p>Caf\u00e9 di Jakarta \u2013 ramai</p></body></html>".encode("cp1252"))
    frame, _ = read_quietly(page)
    assert frame.loc[0, "text"] == "Caf\u00e9 di Jakarta \u2013 ramai"


# --------------------------------------------------------------------------- tables
def test_jsonl_bad_lines_get_rows_and_good_lines_are_read(tmp_path):
    lines = [
        json.dumps({"id": "a1", "title": "Gempa Bali", "content": "Gempa mengguncang Bali.", "kategori": "nasional"}),
        '{"id": "a2", "title": "Rusak", "content": "tanpa penutup"',
        json.dumps({"id": "a3", "title": "Kosong", "content": None}),
        json.dumps({"id": "a4", "title": "Tanpa isi"}),
        json.dumps({"id": "a5", "content": "   "}),
        "",
        json.dumps(["bukan", "objek"]),
        json.dumps({"id": "a6", "content": 42}),
        json.dumps({"id": "a7", "title": "Gempa lagi", "content": "Gempa mengguncang Bali."}),
    ]
    path = tmp_path / "berita.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame, problems = read_quietly(path, label_field="kategori")
    assert list(zip(frame["id"], frame["status"])) == [
        ("a1", "ok"),
        ("berita-2", "malformed_json"),
        ("a3", "null_text"),
        ("a4", "missing_text"),
        ("a5", "empty_text"),
        ("berita-7", "not_an_object"),
        ("a6", "not_text"),
        ("a7", "ok"),
    ]
    assert frame.loc[0, "label"] == "nasional" and frame.loc[0, "title"] == "Gempa Bali"
    assert frame.set_index("id").loc["a7", "duplicate_of"] == "a1"
    assert frame.loc[1, "source"].endswith("berita.jsonl:2")
    assert any("berita.jsonl:2" in m and "malformed JSON" in m for m in problems)
    assert any("berita.jsonl:3" in m and "null" in m for m in problems)
    assert len(problems) == 6


def _gzip_lines(records) -> bytes:
    import gzip

    return gzip.compress("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode())


def test_damaged_gz_shards_keep_what_can_be_read_and_say_what_cannot(tmp_path):
    records = [
        {"id": f"b{i}", "title": f"Banjir {i}", "content": f"Banjir merendam {i} rumah warga di Bekasi. " * 20}
        for i in range(400)
    ]
    whole = _gzip_lines(records)
    (tmp_path / "a.jsonl.gz").write_bytes(_gzip_lines(records[:3]))
    (tmp_path / "b.jsonl.gz").write_bytes(whole[: len(whole) // 2])  # cut off halfway through a transfer
    (tmp_path / "c.jsonl.gz").write_bytes(whole[:10] + bytes(range(256)) * 4)  # damaged from the start
    (tmp_path / "d.csv.gz").write_bytes(b"\x1f\x8b" + b"bukan gzip")
    frame, problems = read_quietly(tmp_path)
    by_file = frame.assign(file=frame["source"].str.extract(r"/([a-d])\.", expand=False))
    statuses = by_file.groupby(["file", "status"]).size().to_dict()
    cut = statuses[("b", "ok")]
    assert statuses == {("a", "ok"): 3, ("b", "ok"): cut, ("b", "unreadable"): 1, ("c", "unreadable"): 1,
                        ("d", "unreadable"): 1}  # fmt: skip
    assert 10 < cut < 400  # the lines before the cut are kept
    rest = frame[(by_file["file"] == "b") & (frame["status"] == "unreadable")].iloc[0]
    assert rest["source"].endswith(f"b.jsonl.gz:{cut + 1}") and rest["id"] == f"b.jsonl-{cut + 1}"
    assert any(f"b.jsonl.gz:{cut + 1}: unreadable from this line on" in m for m in problems)
    assert any(m.startswith(f"{tmp_path / 'c.jsonl.gz'}: cannot read the file") for m in problems)
    assert frame.set_index("id").loc["d.csv.gz", "status"] == "unreadable"


def test_one_damaged_gz_file_as_the_corpus_is_one_line_and_exit_2(tmp_path):
    path = tmp_path / "berita.jsonl.gz"
    path.write_bytes(_gzip_lines([{"id": "a", "content": "Gempa."}])[:10] + bytes(range(256)))
    result = run_cli("read", str(path))
    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"kliping: error: cannot read {path}")
    assert "Traceback" not in result.stderr and result.stderr.strip().count("\n") == 0


def test_csv_with_named_fields_and_a_malformed_row(tmp_path):
    path = tmp_path / "berita.csv"
    path.write_text(
        'kode,judul,isi\nx1,Harga BBM,"Harga BBM naik, kata menteri.\nWarga mengeluh."\nx2,Rusak\nx3,Kosong,\n',
        encoding="utf-8",
    )
    frame, problems = read_quietly(path, text_field="isi", title_field="judul", id_field="kode")
    assert list(zip(frame["id"], frame["status"])) == [("x1", "ok"), ("berita-4", "malformed_row"), ("x3", "null_text")]
    assert frame.loc[0, "text"] == "Harga BBM naik, kata menteri.\nWarga mengeluh."
    assert frame.loc[0, "title"] == "Harga BBM"
    assert any("berita.csv:4" in m for m in problems)


def test_no_text_field_is_one_error_naming_the_fields(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "1", "naskah": "Teks"}) + "\n", encoding="utf-8")
    with pytest.raises(
        FieldNotFoundError, match=r"no text field in a\.jsonl .*its fields: id, naskah\).*text_field="
    ) as caught:
        io.read_corpus(path)
    # The command line names its option instead of the Python argument.
    assert caught.value.option_message.endswith("with --text-field")
    assert "its fields: id, naskah" in caught.value.option_message


def test_no_text_field_in_a_folder_shard_is_one_warning_naming_its_fields(tmp_path):
    """In a folder, a shard without a text field keeps its rows (no_text_field), said once with its fields."""
    (tmp_path / "a.jsonl").write_text(
        "\n".join(json.dumps({"id": str(i), "naskah": "Teks"}) for i in range(3)) + "\n", encoding="utf-8"
    )
    (tmp_path / "b.txt").write_text("Banjir merendam Bekasi sejak pagi.\n", encoding="utf-8")
    frame, problems = read_quietly(tmp_path)
    assert frame["status"].tolist().count("no_text_field") == 3
    assert len(problems) == 1 and "its fields: id, naskah" in problems[0] and "--text-field" in problems[0]


def test_repeated_ids_are_made_unique(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps({"id": "7", "text": t}) for t in ("Satu", "Dua")), encoding="utf-8")
    frame, problems = read_quietly(path)
    assert list(frame["id"]) == ["7", "7#2"]
    assert frame["id"].is_unique


def test_many_problems_are_summed_up(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join("{rusak" for _ in range(30)), encoding="utf-8")
    frame, problems = read_quietly(path)
    assert len(frame) == 30 and set(frame["status"]) == {"malformed_json"}
    assert len(problems) == io.MAX_WARNINGS + 1 and "10 more" in problems[-1]


# --------------------------------------------------------------------------- real corpus
def test_clickid_sample(sample_path):
    frame, problems = read_quietly(sample_path, label_field="category_coarse")
    assert len(frame) == 3235 and problems == []
    assert frame["id"].is_unique and set(frame["status"]) == {"ok"}
    assert frame["label"].nunique() == 9
    assert {"source_site", "date", "url"} <= set(frame.columns)
    assert frame["text"].str.len().min() >= 300  # the sample keeps bodies of 300+ characters


# --------------------------------------------------------------------------- command line
def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "kliping.cli", *args], capture_output=True, text=True)


def test_missing_path_is_one_clear_message(tmp_path):
    result = run_cli("read", str(tmp_path / "tidak-ada"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"kliping: error: no such file or folder: {tmp_path / 'tidak-ada'}"
    assert "Traceback" not in result.stderr


def test_cli_read_counts_and_writes_a_manifest(messy_folder, tmp_path):
    out = tmp_path / "manifest.csv"
    result = run_cli("read", str(messy_folder), "-o", str(out))
    assert result.returncode == 0
    assert "ok (duplicate)" in result.stdout
    assert "kliping: warning:" in result.stderr and "image.txt: binary" in result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) > 9  # header + 9 rows (texts span lines)
