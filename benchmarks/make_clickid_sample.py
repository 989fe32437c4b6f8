"""Build ``data/raw/clickid_sample.jsonl.gz``, the embedded corpus, from the shared CLICK-ID sample.

Run from the checkout, beside ``../shared``::

    python benchmarks/make_clickid_sample.py

It keeps the 3,235 articles of ``sample_stratified.jsonl`` in their order with the fields id, url, title,
date, site (the source's ``source_site``), category, category_coarse and content, one JSON object per line,
gzipped with a fixed mtime so the same input gives the same bytes.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "corpora" / "clickid_labelled_news" / "sample_stratified.jsonl"
TARGET = ROOT / "data" / "raw" / "clickid_sample.jsonl.gz"
FIELDS = {
    "id": "id",
    "url": "url",
    "title": "title",
    "date": "date",
    "site": "source_site",
    "category": "category",
    "category_coarse": "category_coarse",
    "content": "content",
}


def main() -> int:
    lines = []
    with open(SOURCE, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                lines.append(json.dumps({k: record.get(v) for k, v in FIELDS.items()}, ensure_ascii=False))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    TARGET.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"wrote {len(lines)} articles to {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
