"""Benchmark the READ stage on the same pages in every shape a scrape arrives in, side by side, in one run.

The pages are the 28 Indonesian DEV pages (``id_news_extraction_gt``) and the 88 mostly English pages of
``en_extraction_readability`` (raw HTML and url of each), ``--copies`` times over, written to a temporary folder as:

* ``.html`` files, one per page (the reference);
* ``.html.gz`` files (:func:`kliping.io.files.open_inflated`);
* one ``.warc.gz`` crawl, a gzip member per record, each page a request + a 200 ``text/html`` response
  (:mod:`kliping.io.warc`);
* one ``.jsonl`` shard whose ``html`` field holds the page (``--text-field html``);

and each is read with :func:`kliping.io.read_corpus` (what ``kliping read`` runs). The floor is warcio's bare
iteration of the same crawl, each response body read and nothing else done. The jobs run in alternation: the
first round is cold (imports, first parse), the best of ``--rounds`` rounds the warm figure; pages/s and the ratio
to the ``.html`` files are printed, and whether each shape gave the ``.html`` files' text.

Usage::

    .venv/bin/python benchmarks/bench_read.py [--copies 1] [--rounds 3]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import shutil
import tempfile
import time
import warnings
from pathlib import Path

from kliping import config
from kliping import io as kio

CORPORA = ("id_news_extraction_gt", "en_extraction_readability")


def load_pages(copies: int) -> list[tuple[str, str]]:
    """(url, raw html) of the DEV and readability pages, ``copies`` times (each copy at its own url)."""
    pages = []
    for name in CORPORA:
        path = config.CORPORA_DIR / name / "pages.jsonl"
        if not path.exists():
            raise SystemExit(f"{path} is not here (the shared corpora sit beside the checkout as ../shared)")
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            pages.append((row.get("url") or f"https://{name}.example/{row['id']}", row["raw_html"]))
    return [(f"{url}#{copy}" if copy else url, html) for copy in range(copies) for url, html in pages]


def write_shapes(pages: list[tuple[str, str]], folder: Path) -> dict[str, Path]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    shapes = {name: folder / name for name in ("html", "html.gz", "warc.gz", "jsonl")}
    for path in shapes.values():
        path.mkdir()
    with open(shapes["warc.gz"] / "crawl.warc.gz", "wb") as crawl, open(shapes["jsonl"] / "pages.jsonl", "w") as jsonl:
        writer = WARCWriter(crawl, gzip=True)
        for number, (url, html) in enumerate(pages):
            data = html.encode()
            (shapes["html"] / f"{number:05d}.html").write_bytes(data)
            (shapes["html.gz"] / f"{number:05d}.html.gz").write_bytes(gzip.compress(data, compresslevel=6))
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(data), http_headers=headers)
            )
            jsonl.write(json.dumps({"id": f"{number:05d}", "url": url, "html": html}, ensure_ascii=False) + "\n")
    return shapes


def bare_warcio(path: Path) -> int:
    """The floor: warcio's iteration of the crawl, every response body read, nothing else done."""
    from warcio.archiveiterator import ArchiveIterator

    count = 0
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type == "response":
                record.content_stream().read()
                count += 1
    return count


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=1, help="copies of the 116 pages (default 1)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; the best is the warm figure")
    args = parser.parse_args(argv)
    pages = load_pages(args.copies)
    folder = Path(tempfile.mkdtemp(prefix="bench_read-"))
    shapes = write_shapes(pages, folder)
    jobs = {
        ".html files": lambda: kio.read_corpus(shapes["html"]),
        ".html.gz files": lambda: kio.read_corpus(shapes["html.gz"]),
        ".warc.gz crawl": lambda: kio.read_corpus(shapes["warc.gz"]),
        "HTML in JSONL": lambda: kio.read_corpus(shapes["jsonl"], text_field="html"),
        "warcio bare (floor)": lambda: bare_warcio(shapes["warc.gz"] / "crawl.warc.gz"),
    }
    cold, best, results = {}, {name: float("inf") for name in jobs}, {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(args.rounds):
            for name, job in jobs.items():
                start = time.perf_counter()
                results[name] = job()
                spent = time.perf_counter() - start
                cold.setdefault(name, spent)
                best[name] = min(best[name], spent)
    sizes = {name: sum(f.stat().st_size for f in path.iterdir()) for name, path in shapes.items()}
    print(
        f"Read {len(pages):,} pages (28 DEV + 88 readability, x{args.copies}; {sizes['html'] / 2**20:,.0f} MB of "
        f"HTML, {sizes['html.gz'] / 2**20:,.0f} MB as .html.gz, {sizes['warc.gz'] / 2**20:,.0f} MB as .warc.gz), "
        f"wall clock, one process, {args.rounds} alternating rounds:"
    )
    print(f"  {'shape':<20} {'cold pages/s':>12} {'warm pages/s':>12} {'warm vs .html':>14}  same text as .html")
    reference = results[".html files"]
    for name in jobs:
        result = results[name]
        if isinstance(result, int):
            same = f"({result:,} bodies)"
        else:
            equal = result["text"].tolist() == reference["text"].tolist()
            same = f"{(result['status'] == 'ok').sum():,} ok; {'yes' if equal else 'NO'}"
        ratio = best[".html files"] / best[name]
        print(f"  {name:<20} {len(pages) / cold[name]:12,.1f} {len(pages) / best[name]:12,.1f} {ratio:13.2f}x  {same}")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
