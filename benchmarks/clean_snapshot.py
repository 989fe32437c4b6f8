"""Snapshot what the CLEAN stage gives on a fixed set of pages, to show that a refactoring changes nothing.

Cleans, with :func:`kliping.clean.clean_articles` (what ``kliping clean`` runs), in this order:

1. the seed pages of ``data/raw/`` (read by :func:`kliping.io.read_corpus`);
2. the 30 line-labelled DEV pages (``dev_lines.jsonl``), once with the site of each page guessed from its
   text and once with the ``site`` of the file (so that the cross-page template statistics run too);
3. the 3,235 articles of the CLICK-ID stratified sample;
4. the first :data:`ARTICLES_HEAD` articles of CLICK-ID ``articles.jsonl``.

Every output record (:func:`kliping.clean.json_lines.output_record`, as ``kliping clean`` writes it) goes to OUT, one
JSON line each; the record count and the file's sha256 are printed. ``--compare OLD`` then names the first
records that differ from an earlier snapshot. Snapshots hold corpus text: keep them outside the repository.

Usage::

    .venv/bin/python benchmarks/clean_snapshot.py /tmp/clean_snapshot_after.jsonl \\
        [--compare /tmp/clean_snapshot_before.jsonl]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
import tempfile
from pathlib import Path

import pandas as pd

from kliping import clean, config, io
from kliping.clean.json_lines import METADATA_FIELDS, output_record

CLICKID_DIR = config.CORPORA_DIR / "clickid_labelled_news"
#: How many articles of ``articles.jsonl`` (from its start) are cleaned.
ARTICLES_HEAD = 3000
#: At most this many differing records are shown by ``--compare``.
SHOW_DIFFERENCES = 5


def dev_frame(with_site: bool) -> pd.DataFrame:
    """The DEV pages as a reader manifest (ids prefixed so that both passes stay apart in the snapshot)."""
    with open(config.DEV_LINES_FILE, encoding="utf-8") as handle:
        pages = [json.loads(line) for line in handle if line.strip()]
    frame = pd.DataFrame(
        {
            "id": [("site:" if with_site else "dev:") + p["id"] for p in pages],
            "status": "ok",
            "duplicate_of": None,
            "text": [p["text"] for p in pages],
        }
    )
    if with_site:
        frame["site"] = [p["site"] for p in pages]
    return frame


def articles_head(folder: Path) -> Path:
    """The first :data:`ARTICLES_HEAD` lines of ``articles.jsonl``, copied into ``folder``."""
    head = folder / "articles_head.jsonl"
    with open(CLICKID_DIR / "articles.jsonl", encoding="utf-8") as source:
        head.write_text("".join(itertools.islice(source, ARTICLES_HEAD)), encoding="utf-8")
    return head


def records(frame: pd.DataFrame):
    """The output records of one corpus, in its order."""
    cleaned = clean.clean_articles(frame, progress=False)
    columns = ["id", "status", "duplicate_of", *METADATA_FIELDS, "content", "labels", "kinds", "reasons"]
    for row in cleaned[columns].to_dict("records"):
        yield json.dumps(output_record(row), ensure_ascii=False, sort_keys=True)


def snapshot(out: Path) -> int:
    """Write every record to ``out``; the number of records."""
    count = 0
    with tempfile.TemporaryDirectory() as folder, out.open("w", encoding="utf-8") as handle:
        corpora = [
            lambda: io.read_corpus(config.RAW_DIR),
            lambda: dev_frame(False),
            lambda: dev_frame(True),
            lambda: io.read_corpus(CLICKID_DIR / "sample_stratified.jsonl"),
            lambda: io.read_corpus(articles_head(Path(folder))),
        ]
        for corpus in corpora:
            for line in records(corpus()):
                handle.write(line + "\n")
                count += 1
    return count


def compare(new: Path, old: Path) -> int:
    """Print the first records that differ; the number of differing lines (a missing line counts)."""
    differing = 0
    with new.open(encoding="utf-8") as a, old.open(encoding="utf-8") as b:
        for number, (got, expected) in enumerate(itertools.zip_longest(a, b), start=1):
            if got == expected:
                continue
            differing += 1
            if differing <= SHOW_DIFFERENCES:
                print(
                    f"record {number} differs:\n  old: {(expected or '<none>')[:400]}\n  new: {(got or '<none>')[:400]}"
                )
    print("identical" if not differing else f"{differing} records differ")
    return differing


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the JSONL snapshot to write (outside the repository)")
    parser.add_argument("--compare", type=Path, help="an earlier snapshot to compare with")
    args = parser.parse_args(argv)
    count = snapshot(args.out)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"{count} records in {args.out}, sha256 {digest}")
    return 1 if args.compare and compare(args.out, args.compare) else 0


if __name__ == "__main__":
    sys.exit(main())
