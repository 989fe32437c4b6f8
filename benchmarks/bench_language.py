"""The language detector (:mod:`kliping.clean.language`): Indonesian against Malay, English and other pages, cost.

1. All 22,136 CLICK-ID articles (Indonesian news), read and cleaned as ``kliping run`` does: the share that
   comes out ``id`` (issue 21's floor: 99.5 %), what the others came out, and the detector's seconds, beside
   the same detector on the whole text (no sample) and without the Malay rule.
2. The 88 pages of Mozilla Readability's tests (``en_extraction_readability``), written as ``.html`` files and
   read and cleaned as a folder: the detected language against each page's ``lang`` attribute (its primary
   subtag: ``en-US`` -> ``en``).

The machine is shared: read ``uptime`` beside the seconds.

    python benchmarks/bench_language.py [--limit N] [--work-dir /tmp/bench-language]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpora"
CLICKID = SHARED / "clickid_labelled_news" / "articles.jsonl"
READABILITY = SHARED / "en_extraction_readability" / "pages.jsonl"


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def clickid(limit: int | None) -> None:
    from kliping import pipeline
    from kliping.clean import detector, language

    articles = pipeline.load(CLICKID, text_field="content")
    if limit:
        articles = articles.head(limit)
    cleaned, clean_seconds = timed(lambda: pipeline.clean(articles, progress=False, use_cache=False))
    detector.identifier()  # the model loads once (about 1 s), not part of the per-article cost
    titles, contents = cleaned["title"].tolist(), cleaned["content"].tolist()
    found, seconds = timed(language.detect_all, titles, contents)
    counts = collections.Counter(found)
    n = len(found)
    print(f"CLICK-ID: {n:,} articles, cleaned in {clean_seconds:.1f} s")
    print(
        f"  kliping (title + {language.SAMPLE_CHARS} chars, Malay rule): id {counts['id']:,} = "
        f"{counts['id'] / n:.2%}; others {dict(counts.most_common()[1:])}; {seconds:.1f} s "
        f"({seconds / n * 1000:.2f} ms/article)"
    )
    ident = detector.identifier()
    raw, raw_seconds = timed(lambda: [ident.classify(language.sample(t, c))[0] for t, c in zip(titles, contents)])
    raw_counts = collections.Counter(raw)
    print(
        f"  without the Malay rule: id {raw_counts['id']:,} = {raw_counts['id'] / n:.2%}; "
        f"others {dict(raw_counts.most_common()[1:6])}; {raw_seconds:.1f} s"
    )
    whole, whole_seconds = timed(lambda: [ident.classify(f"{t}\n{c}")[0] for t, c in zip(titles, contents)])
    whole_counts = collections.Counter(whole)
    print(
        f"  whole text, no rule: id {whole_counts['id']:,} = {whole_counts['id'] / n:.2%}; "
        f"others {dict(whole_counts.most_common()[1:6])}; {whole_seconds:.1f} s"
    )
    for (title, content), code in zip(zip(titles, contents), found):
        if code != "id":
            print(f"    {code or '(none)'}: {(title or '')[:60]!r} {(content or '')[:80]!r}")


def readability(work: Path) -> None:
    from kliping import pipeline

    folder = work / "readability"
    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    for line in READABILITY.open(encoding="utf-8"):
        page = json.loads(line)
        name = page["id"]
        (folder / f"{name}.html").write_text(page["raw_html"], encoding="utf-8")
        expected[name] = (page.get("lang") or "").split("-")[0].lower()
    cleaned = pipeline.clean(pipeline.load(folder), progress=False, use_cache=False)
    found = dict(zip((Path(s).stem for s in cleaned["source"]), cleaned["language"]))
    right = sum(found.get(name) == lang for name, lang in expected.items())
    english = [name for name, lang in expected.items() if lang == "en"]
    english_right = sum(found.get(name) == "en" for name in english)
    print(
        f"Readability pages: {right} of {len(expected)} right ({right / len(expected):.1%}); "
        f"English {english_right} of {len(english)}"
    )
    for name, lang in sorted(expected.items()):
        if found.get(name) != lang:
            print(f"    {name}: lang={lang} detected {found.get(name)!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N CLICK-ID articles")
    parser.add_argument("--work-dir", type=Path, help="where the Readability pages are written (default: a temp dir)")
    args = parser.parse_args()
    if not CLICKID.is_file() or not READABILITY.is_file():
        sys.exit(f"needs the shared corpora beside the checkout ({SHARED})")
    print(f"load average {os.getloadavg()[0]:.2f}")
    clickid(args.limit)
    with tempfile.TemporaryDirectory() as temporary:
        readability(args.work_dir or Path(temporary))


if __name__ == "__main__":
    main()
