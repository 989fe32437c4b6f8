"""WARC crawls: the 2xx HTML responses are the pages, read exactly as the same pages given as .html files, with
sites from their URIs; every other record is counted in the read summary and never becomes an article.

The WARC files are written here with warcio's writer, a gzip member per record as real crawls are, from the
DEV pages (../shared) and from pages made of the seed texts."""

from __future__ import annotations

import gzip
import io
import json
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from conftest import require_shared
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from kliping import cli, config, pipeline
from kliping import io as kio
from kliping.io import files, warc
from kliping.partitions import shards as partitions

#: Records of a crawl that are no article page, and the kind the read summary counts them as.
NOT_PAGES = {
    "request": 1,
    "dns": 1,
    "metadata": 1,
    "revisit": 1,
    "warcinfo": 1,
    "response HTTP 404": 1,
    "response HTTP 301": 1,
    "response image/png": 1,
    "response application/json": 1,
}


def read(path, **options):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = kio.read_corpus(path, **options)
    return frame, [str(w.message) for w in caught]


def http(status: str, content_type: str | None, extra=()) -> StatusAndHeaders:
    headers = [("Content-Type", content_type)] if content_type else []
    return StatusAndHeaders(status, headers + list(extra), protocol="HTTP/1.1")


def write_crawl(path: Path, pages: list[tuple[str, bytes, str]], gzipped: bool = True, date: str | None = None):
    """A crawl of ``pages`` (uri, body, content type), each fetched as a request + response + metadata, and the
    records that are no page between them: warcinfo, a DNS lookup, a revisit, a 404, a redirect, an image, JSON."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "kliping tests"}))
        writer.write_record(
            writer.create_warc_record(
                "dns:news.detik.com", "response", payload=io.BytesIO(b"news.detik.com. 300 IN A 203.190.242.69"),
                warc_content_type="text/dns",
            )
        )  # fmt: skip
        for number, (uri, body, content_type) in enumerate(pages):
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.detik.com")], is_http_request=True)
            warc_headers = {"WARC-Date": date} if date else None
            if number == 0:
                writer.write_record(writer.create_warc_record(uri, "request", http_headers=request))
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=http("200 OK", content_type),
                warc_headers_dict=warc_headers,
            )  # fmt: skip
            writer.write_record(record)
            if number == 0:
                writer.write_record(
                    writer.create_warc_record(uri, "metadata", payload=io.BytesIO(b"via: https://news.detik.com/"))
                )
                revisit = writer.create_revisit_record(
                    uri, digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", refers_to_uri=uri,
                    refers_to_date="2024-01-01T00:00:00Z", http_headers=http("200 OK", "text/html"),
                )  # fmt: skip
                writer.write_record(revisit)
        for uri, status, content_type, body in [
            (
                "https://news.detik.com/hilang",
                "404 Not Found",
                "text/html",
                b"<html><body>Halaman tidak ada</body></html>",
            ),
            ("https://detik.com/", "301 Moved Permanently", "text/html", b"<html><body>Pindah</body></html>"),
            ("https://news.detik.com/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
            ("https://news.detik.com/api", "200 OK", "application/json", b'{"judul": "Banjir"}'),
        ]:
            writer.write_record(
                writer.create_warc_record(
                    uri, "response", payload=io.BytesIO(body), http_headers=http(status, content_type)
                )
            )


def seed_pages() -> list[tuple[str, bytes, str]]:
    pages = []
    for number, seed in enumerate(sorted(config.RAW_DIR.glob("*.txt"))):
        lines = seed.read_text(encoding="utf-8").strip().splitlines()
        body = "".join(f"<p>{line}</p>" for line in lines[1:] if line.strip())
        html = f"<html><head><title>{lines[0]}</title></head><body><h1>{lines[0]}</h1>{body}</body></html>"
        pages.append((f"https://www.kompas.com/read/2020/10/2{number}/berita-{number}", html.encode(), "text/html"))
    return pages


def dev_pages() -> list[tuple[str, bytes, str]]:
    path = require_shared("corpora/id_news_extraction_gt/pages.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [(row["url"], row["raw_html"].encode(), "text/html; charset=utf-8") for row in rows]


def same_as_html_files(pages, crawl, tmp_path):
    """The crawl's rows against the same pages as .html files: the same text, title and date, and the URI's site."""
    folder = tmp_path / "html"
    folder.mkdir()
    for number, (_, body, _) in enumerate(pages):
        (folder / f"{number:03d}.html").write_bytes(body)
    html, _ = read(folder)
    assert len(crawl) == len(pages) and (crawl["status"] == "ok").all()
    columns = ["title", "text", "meta_date", "encoding"]
    assert crawl[columns].fillna("").to_dict("records") == html[columns].fillna("").to_dict("records")
    from kliping.io.htmlmeta import registered_domain

    assert crawl["url"].tolist() == [uri for uri, _, _ in pages]
    assert crawl["meta_site"].tolist() == [registered_domain(uri) for uri, _, _ in pages]


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
def test_a_crawl_gives_exactly_its_article_pages(gzipped, tmp_path):
    pages = seed_pages()
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    write_crawl(path, pages, gzipped)
    crawl, problems = read(path)
    same_as_html_files(pages, crawl, tmp_path)
    assert crawl.attrs["skipped"] == NOT_PAGES
    assert any(p.startswith("WARC records that are not article pages (no row): 9 (") for p in problems)
    assert crawl["id"].str.fullmatch(r"crawl@\d+").all()


def test_the_dev_pages_in_a_crawl_read_as_the_html_files(tmp_path):
    pages = dev_pages()
    write_crawl(tmp_path / "dev.warc.gz", pages)
    crawl, _ = read(tmp_path / "dev.warc.gz")
    same_as_html_files(pages, crawl, tmp_path)
    assert crawl["meta_site"].nunique() > 3  # antaranews.com, detik.com, kompas.com, ...


def test_the_cli_read_summary_counts_the_records_kept_out(tmp_path, capsys):
    write_crawl(tmp_path / "crawl.warc.gz", seed_pages())
    assert cli.main(["read", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^ +ok +2$", out, re.MULTILINE)
    assert "WARC records that are not article pages (no row): 9 (" in out and "response HTTP 404 1" in out


def test_kliping_read_says_the_warc_summary_once_and_the_stages_still_warn_it(tmp_path):
    write_crawl(tmp_path / "crawl.warc.gz", seed_pages())
    done = subprocess.run(
        [sys.executable, "-m", "kliping.cli", "read", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    said = [line for line in (done.stdout + done.stderr).splitlines() if "WARC records that are not article" in line]
    assert len(said) == 1 and said[0].startswith("WARC records") and "response HTTP 404 1" in said[0]
    with pytest.warns(kio.InputWarning, match="WARC records that are not article pages"):
        pipeline.load(tmp_path)  # the notebooks and kliping run hear it as a warning, once


def test_the_http_charset_decodes_the_page(tmp_path):
    text = "Wali Kota Bogor meresmikan kafe “Café Sentosa” – pengunjung membludak."
    body = f"<html><head><title>Kafe baru</title></head><body><p>{text}</p></body></html>".encode("cp1252")
    write_crawl(
        tmp_path / "a.warc.gz",
        [
            ("https://kota.kompas.com/a", body, "text/html; charset=windows-1252"),
            (
                "https://kota.kompas.com/b",
                text.encode("utf-8").join([b"<p>", b"</p>"]),
                "text/html; charset=ISO-8859-1",
            ),
            ("https://kota.kompas.com/c", body, "text/html"),  # no charset: sniffed as a file is
        ],
    )
    crawl, _ = read(tmp_path / "a.warc.gz")
    assert crawl["text"].tolist() == [text, text, text]
    assert crawl["encoding"].tolist() == ["cp1252", "utf-8", "cp1252"]


def test_content_encoding_and_chunks_are_undone(tmp_path):
    html = seed_pages()[0][1]
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(html[i : i + 500]), html[i : i + 500]) for i in range(0, len(html), 500))
    path = tmp_path / "enc.warc.gz"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for uri, payload, extra in [
            ("https://www.kompas.com/gz", gzip.compress(html), [("Content-Encoding", "gzip")]),
            ("https://www.kompas.com/chunked", chunked + b"0\r\n\r\n", [("Transfer-Encoding", "chunked")]),
        ]:
            headers = http("200 OK", "text/html; charset=utf-8", extra)
            writer.write_record(
                writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=headers)
            )
    crawl, _ = read(path)
    plain, _ = read(write_html(tmp_path, html))
    assert crawl["text"].tolist() == [plain.loc[0, "text"]] * 2


def write_html(folder: Path, html: bytes) -> Path:
    (folder / "halaman.html").write_bytes(html)
    return folder / "halaman.html"


def test_the_warc_date_dates_a_page_nothing_else_dates(tmp_path):
    undated = (
        b"<html><head><title>Banjir</title></head><body><h1>Banjir</h1><p>Banjir merendam Bekasi.</p></body></html>"
    )
    dated = undated.replace(
        b"<title>", b'<meta property="article:published_time" content="2019-09-19T10:15:00+07:00"><title>'
    )
    pages = [("https://news.detik.com/a", undated, "text/html"), ("https://news.detik.com/b", dated, "text/html")]
    write_crawl(tmp_path / "d.warc.gz", pages, date="2024-03-01T02:03:04Z")
    articles, _ = read(tmp_path / "d.warc.gz")
    cleaned = pipeline.clean(articles, progress=False, use_cache=False)
    published = cleaned["published"].tolist()
    assert str(published[0].tz_convert("UTC")) == "2024-03-01 02:03:04+00:00"  # the fetch: nothing else dates it
    assert str(published[1].tz_convert("UTC")) == "2019-09-19 03:15:00+00:00"  # the head's, not the fetch's


def test_a_page_body_over_the_limit_is_too_large_and_the_rest_is_read(tmp_path):
    pages = seed_pages()
    huge = b"<html><body>" + b"<p>Banjir merendam Bekasi.</p>" * 80_000 + b"</body></html>"  # 2.3 MB
    write_crawl(tmp_path / "c.warc.gz", [pages[0], ("https://news.detik.com/besar", huge, "text/html"), pages[1]])
    frame, problems = read(tmp_path / "c.warc.gz", limits=files.ReadLimits(max_file_mb=1))
    assert frame["status"].tolist() == ["ok", "too_large", "ok"]
    assert frame.loc[1, "url"] == "https://news.detik.com/besar"
    assert any("page body over the 1 MB limit" in p for p in problems)


def test_a_damaged_crawl_keeps_the_pages_before_the_damage(tmp_path):
    write_crawl(tmp_path / "ok.warc.gz", seed_pages())
    data = (tmp_path / "ok.warc.gz").read_bytes()
    cut = data.rfind(b"\x1f\x8b\x08", 0, data.find(b"\x1f\x8b\x08", len(data) // 2))  # inside the crawl's second half
    (tmp_path / "ok.warc.gz").unlink()
    (tmp_path / "rusak.warc.gz").write_bytes(data[:cut] + b"\x1f\x8b\x08" + bytes(range(200)))
    (tmp_path / "bukan.warc").write_bytes(b"Ini bukan arsip WARC.\n")
    frame, problems = read(tmp_path)
    assert frame.loc[frame["source"].str.contains("bukan"), "status"].tolist() == ["unreadable"]
    damaged = frame[frame["source"].str.contains("rusak")]
    assert damaged["status"].tolist()[-1] == "unreadable" and (damaged["status"] == "ok").sum() >= 1
    assert any("unreadable as WARC" in p for p in problems)


def test_a_folder_of_crawls_pages_and_shards(tmp_path):
    pages = seed_pages()
    write_crawl(tmp_path / "a.warc.gz", pages[:1])
    write_crawl(tmp_path / "b.warc", pages[1:], gzipped=False)
    shutil.copy(sorted(config.RAW_DIR.glob("*.txt"))[0], tmp_path / "halaman.txt")
    frame, _ = read(tmp_path)
    assert frame["status"].tolist() == ["ok"] * 3
    assert frame["id"].str.replace(r"@\d+", "@", regex=True).tolist() == ["a@", "b@", "halaman"]
    assert sum(frame.attrs["skipped"].values()) == 2 * sum(NOT_PAGES.values())


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
def test_byte_spans_read_every_record_once(gzipped, tmp_path, monkeypatch):
    """The partitions of a WARC file (as a Dask run reads it) give the in-process reading, at any span size."""
    pages = seed_pages() * 6
    pages = [(f"{uri}-{n}", body, kind) for n, (uri, body, kind) in enumerate(pages)]
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    write_crawl(path, pages, gzipped)
    whole, _ = read(path)
    size = path.stat().st_size
    for part_bytes in (3_000, 17_777, size // 3 + 1, size + 1):
        monkeypatch.setattr(warc, "PART_BYTES", part_bytes)
        shards = partitions.list_shards(path, files.ReadLimits())
        assert [s.kind for s in shards] == ["warc"] * -(-size // part_bytes)
        rows, skipped = [], {}
        for shard in shards:
            found, _, kept_out = partitions.shard_rows(shard, {}, files.ReadLimits())
            rows += found
            for kind, count in kept_out.items():
                skipped[kind] = skipped.get(kind, 0) + count
        assert [r["id"] for r in rows] == whole["id"].tolist()
        assert [r["text"] for r in rows] == whole["text"].tolist()
        assert skipped == whole.attrs["skipped"]


def test_a_crawl_gzipped_whole_is_read_too(tmp_path):
    pages = seed_pages()
    write_crawl(tmp_path / "crawl.warc", pages, gzipped=False)
    plain, _ = read(tmp_path / "crawl.warc")
    (tmp_path / "whole").mkdir()
    (tmp_path / "whole" / "crawl.warc.gz").write_bytes(gzip.compress((tmp_path / "crawl.warc").read_bytes()))
    whole, problems = read(tmp_path / "whole")
    assert whole[["id", "status", "text", "url"]].equals(plain[["id", "status", "text", "url"]])
    assert whole.attrs["skipped"] == NOT_PAGES and not any("unreadable" in p for p in problems)


def test_a_bomb_in_a_record_is_too_large_and_never_held(tmp_path):
    """A response whose gzip Content-Encoding inflates to 512 MB, and a record whose own gzip member does (300 MB),
    in a crawl of 0.3 MB: both too_large, the pages around them read, the memory held bounded by the limit and
    warcio's blocks, not by the bomb."""
    import time
    import tracemalloc
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"a" * 2**20
    bomb = packer.compress(b"<p>") + b"".join(packer.compress(chunk) for _ in range(512)) + packer.flush()
    path = tmp_path / "bom.warc.gz"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for uri, body, extra in [
            ("https://news.detik.com/bom", bomb, [("Content-Encoding", "gzip")]),
            ("https://news.detik.com/a", b"<p>Banjir merendam Bekasi.</p>", []),
            ("https://news.detik.com/besar", b"<p>" + b"b" * 300_000_000 + b"</p>", []),
            ("https://news.detik.com/b", b"<p>Gempa mengguncang Bali.</p>", []),
        ]:
            headers = http("200 OK", "text/html", extra)
            writer.write_record(
                writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
            )
    assert path.stat().st_size < 2**20
    tracemalloc.start()
    began = time.perf_counter()
    frame, _ = read(path, limits=files.ReadLimits(max_file_mb=5))
    seconds, peak = time.perf_counter() - began, tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert frame["status"].tolist() == ["too_large", "ok", "too_large", "ok"]
    assert frame.loc[frame["status"] == "ok", "text"].tolist() == ["Banjir merendam Bekasi.", "Gempa mengguncang Bali."]
    assert peak < 120 * 2**20, f"{peak / 2**20:.0f} MB held"  # 63 MB measured: warcio inflates 16 kB blocks at once
    assert seconds < 60
