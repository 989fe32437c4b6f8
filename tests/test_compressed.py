"""Compressed pages (.html.gz, .htm.gz, .txt.gz, .bz2, .xz) and shards (.jsonl.bz2, .csv.xz, ...): read as their
plain selves, and a compression bomb is refused with a ``too_large`` row without being inflated past the limit."""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
import time
import tracemalloc
import warnings
from pathlib import Path

import pytest
from conftest import require_shared

from kliping import cli, config
from kliping import io as kio
from kliping.io import files, warc

COMPRESS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}


def read(path, **options):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = kio.read_corpus(path, **options)
    return frame, [str(w.message) for w in caught]


def seed_html(text: str) -> str:
    """A real-looking page of a seed's text: a head with a title, one paragraph per line, a script."""
    lines = text.strip().splitlines()
    body = "".join(f"<p>{line}</p>" for line in lines[1:])
    return (
        f"<html><head><meta charset='utf-8'><title>{lines[0]} - Kompas.com</title></head><body>"
        f"<h1>{lines[0]}</h1>{body}<script>var iklan = 1;</script></body></html>"
    )


@pytest.fixture(scope="module")
def pages() -> dict[str, bytes]:
    """Pages of the seeds (as .txt and .html) and, with ../shared, the DEV pages as .html."""
    found = {}
    for number, seed in enumerate(sorted(config.RAW_DIR.glob("*.txt"))):
        text = seed.read_text(encoding="utf-8")
        found[f"seed-{number}.txt"] = text.encode()
        found[f"web-{number}.html"] = seed_html(text).encode()
    return found


def dev_pages() -> list[dict]:
    path = require_shared("corpora/id_news_extraction_gt/pages.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


#: How each page is compressed: every compression, and every page kind (.html.gz and .html.xz in other tests).
PACKED = {
    "web-0.html": "web-0.htm.gz",
    "web-1.html": "web-1.html.bz2",
    "seed-0.txt": "seed-0.txt.gz",
    "seed-1.txt": "seed-1.txt.xz",
}


def compressed_copy(plain: dict[str, bytes], folder: Path) -> None:
    for name, data in plain.items():
        packed = PACKED[name]
        (folder / packed).write_bytes(COMPRESS[Path(packed).suffix](data))


def same_reading(plain, compressed):
    columns = ["id", "status", "title", "text", "url", "meta_site", "meta_date", "encoding"]
    assert len(plain) == len(compressed) > 0
    assert plain[columns].fillna("").to_dict("records") == compressed[columns].fillna("").to_dict("records")


def test_compressed_pages_read_as_the_plain_pages(pages, tmp_path):
    (tmp_path / "plain").mkdir()
    (tmp_path / "packed").mkdir()
    for name, data in pages.items():
        (tmp_path / "plain" / name).write_bytes(data)
    compressed_copy(pages, tmp_path / "packed")
    plain, _ = read(tmp_path / "plain")
    packed, problems = read(tmp_path / "packed")
    assert problems == []
    html = packed["source"].str.contains(".htm")
    assert (packed["status"] == "ok").all() and html.sum() == 2 and packed.loc[html, "title"].str.len().gt(10).all()
    assert not packed["text"].str.contains("iklan|<p>").any()  # laid out as HTML, not kept as markup
    same_reading(plain, packed)


def test_the_dev_pages_as_html_gz_read_as_html(tmp_path):
    plain = {f"{row['id']}.html": row["raw_html"].encode() for row in dev_pages()}
    (tmp_path / "plain").mkdir()
    (tmp_path / "gz").mkdir()
    for name, data in plain.items():
        (tmp_path / "plain" / name).write_bytes(data)
        (tmp_path / "gz" / (name + ".gz")).write_bytes(gzip.compress(data))
    html, _ = read(tmp_path / "plain")
    gz, _ = read(tmp_path / "gz")
    assert (gz["status"] == "ok").sum() == len(plain) == 28
    same_reading(html, gz)


def test_a_single_compressed_page_as_the_corpus(pages, tmp_path):
    path = tmp_path / "berita.html.xz"
    path.write_bytes(lzma.compress(pages["web-0.html"]))
    frame, _ = read(path)
    assert frame[["id", "status"]].values.tolist() == [["berita", "ok"]]
    assert frame.loc[0, "text"].startswith(frame.loc[0, "title"].split(" - ")[0][:20])


@pytest.mark.parametrize("suffix", [".jsonl.bz2", ".jsonl.xz", ".csv.xz", ".csv.bz2", ".tsv.gz", ".ndjson.xz"])
def test_compressed_shards_read_as_the_plain_shards(suffix, tmp_path):
    with gzip.open(config.RAW_DIR / "clickid_sample.jsonl.gz", "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for _, line in zip(range(120), lines)]
    kind = suffix.split(".")[1]
    if kind in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(records[0]), delimiter="\t" if kind == "tsv" else ",")
        writer.writeheader()
        writer.writerows(records)
        data = buffer.getvalue().encode()
    else:
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    plain_path = tmp_path / f"berita.{kind}"
    plain_path.write_bytes(data)
    packed_path = tmp_path / f"berita{suffix}"
    packed_path.write_bytes(COMPRESS["." + suffix.rsplit(".", 1)[1]](data))
    plain, _ = read(plain_path, label_field="category_coarse")
    packed, problems = read(packed_path, label_field="category_coarse")
    assert problems == [] and (packed["status"] == "ok").sum() == 120
    assert packed[["id", "title", "text", "label"]].equals(plain[["id", "title", "text", "label"]])


def gzip_bomb(inflated_mb: int, member_mb: int = 1, line: bytes = b"") -> bytes:
    """``inflated_mb`` MB of zeros (after ``line``) as repeated gzip members: a file of a few kB per 1 MB member
    that inflates a thousandfold, as a crafted bomb does."""
    member = gzip.compress(b"0" * (member_mb * 2**20), compresslevel=9)
    return gzip.compress(line) + member * (inflated_mb // member_mb)


def test_bombs_are_too_large_rows_and_never_inflated_past_the_limit(pages, tmp_path, recwarn, monkeypatch):
    folder = tmp_path / "korpus"
    folder.mkdir()
    (folder / "baik.html.gz").write_bytes(gzip.compress(pages["web-0.html"]))
    (folder / "baik.jsonl.bz2").write_bytes(bz2.compress(b'{"id": "b-1", "text": "Banjir merendam Bekasi."}\n'))
    bomb = gzip_bomb(4096)  # 4 GB inflated from a file of about 4 MB
    assert 2**20 < len(bomb) < 8 * 2**20
    (folder / "bom.html.gz").write_bytes(bomb)
    # One JSON line that never ends: the line is never buffered whole either.
    (folder / "bom.jsonl.gz").write_bytes(gzip_bomb(2048, line=b'{"id": "x", "text": "'))
    (folder / "bom.csv.bz2").write_bytes(bz2.compress(b"id,text\n" + b"1,banjir " * 1_000_000))  # 9 MB
    (folder / "bom.txt.xz").write_bytes(lzma.compress(b"Gempa di Bali. " * 500_000))  # 7.5 MB
    assert max(p.stat().st_size for p in folder.iterdir()) < 6 * 2**20  # every file under the limit as stored
    monkeypatch.setenv("KLIPING_MAX_FILE_MB", "50")  # the CLI sets it from --max-file-mb: restored after
    tracemalloc.start()
    began = time.perf_counter()
    assert cli.main(["read", str(folder), "--max-file-mb", "6", "-o", str(tmp_path / "manifest.csv")]) == 0
    seconds = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 100 * 2**20, f"{peak / 2**20:.0f} MB held while refusing bombs of 2-4 GB"
    assert seconds < 60  # 6 GB would take minutes to inflate
    with open(tmp_path / "manifest.csv", encoding="utf-8") as handle:
        rows = {row["source"].rsplit("/", 1)[1].split(":")[0]: row["status"] for row in csv.DictReader(handle)}
    assert rows == {
        "baik.html.gz": "ok",
        "baik.jsonl.bz2": "ok",
        "bom.html.gz": "too_large",
        "bom.jsonl.gz": "too_large",
        "bom.csv.bz2": "too_large",
        "bom.txt.xz": "too_large",
    }
    assert any("bom.html.gz: inflated past 6.0 MB, over the 6 MB limit" in str(w.message) for w in recwarn)


def test_the_one_reader_counts_inflated_bytes_of_every_compression(tmp_path):
    limits = files.ReadLimits(max_file_mb=1)
    data = b"Banjir merendam Bekasi.\n" * 50_000  # 1.1 MB
    for suffix, compress in COMPRESS.items():
        path = tmp_path / f"berita.txt{suffix}"
        path.write_bytes(compress(data))
        with pytest.raises(files.NotRegularError) as refused:
            files.read_inflated(path, limits)
        assert refused.value.status == "too_large"
        assert files.read_inflated(path, files.ReadLimits(max_file_mb=2)) == data
    # gzip members of any count, and a rewind for the second pass over a table
    path = tmp_path / "anggota.jsonl.gz"
    path.write_bytes(b"".join(gzip.compress(f'{{"text": "Berita {n}"}}\n'.encode()) for n in range(300)))
    with files.open_inflated(path, limits) as handle:
        first = handle.read(100)
        handle.seek(0)
        assert handle.read(100) == first and len(handle.read()) + 100 == sum(
            len(f'{{"text": "Berita {n}"}}\n') for n in range(300)
        )


def test_a_damaged_compressed_page_is_unreadable_and_the_others_are_read(pages, tmp_path):
    whole = gzip.compress(pages["web-1.html"])
    (tmp_path / "rusak.html.gz").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "acak.html.bz2").write_bytes(b"BZh9" + bytes(range(256)))
    (tmp_path / "baik.html.gz").write_bytes(whole)
    frame, problems = read(tmp_path)
    assert dict(zip(frame["id"], frame["status"])) == {"acak": "unreadable", "baik": "ok", "rusak": "unreadable"}
    assert any("rusak.html.gz" in p for p in problems)


def test_compressed_names_are_told_apart():
    assert [kio.corpus.file_kind(Path(n)) for n in ("a.htm.gz", "a.txt.bz2", "a.jsonl.xz", "a.warc.gz", "a.gz")] == [
        "page",
        "page",
        "table",
        "warc",
        None,
    ]
    assert warc.is_warc("a.warc") and not warc.is_warc("a.warc.bz2")
