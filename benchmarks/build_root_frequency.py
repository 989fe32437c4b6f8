"""Count how often each Sastrawi root occurs as a word of its own in real news, for ``kliping.stem``.

When two affix readings of a word are equally plausible by form (``melambangkan``: me-lambang-kan or
melambang-kan; ``perhatian``: per-hati-an or perhati-an), the root that people actually write as a word
(``lambang``, ``hati``) is the better guess: some entries of Sastrawi's dictionary are derived forms that
almost never stand alone. This script counts, in the 22,136 CLICK-ID articles (CC BY 4.0, 2019, 9 sites;
read from ``../shared`` at run time), every lowercase word that is a Sastrawi root, and writes
``lib/kliping/data/root_frequency.tsv`` (root, count; roots never seen are left out). Only counts of
dictionary roots are kept, no text. The stemming gold is not read.

Usage::

    .venv/bin/python benchmarks/build_root_frequency.py
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from kliping import config
from kliping.stem.resources import ROOT_FREQUENCY_FILE

ARTICLES = config.CORPORA_DIR / "clickid_labelled_news" / "articles.jsonl"
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def count_roots(path: Path = ARTICLES) -> Counter:
    """Occurrences of every Sastrawi root as a lowercase word of the articles' text."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    roots = {word for word in StemmerFactory().get_words() if word}
    counts: Counter = Counter()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            text = f"{record.get('title') or ''}\n{record.get('content') or ''}".lower()
            counts.update(WORD.findall(text))
    return Counter({root: counts[root] for root in roots if counts[root]})


def main() -> None:
    counts = count_roots()
    header = (
        "# Sastrawi roots counted as words of their own in 22,136 CLICK-ID news articles (2019; CC BY 4.0,\n"
        "# github.com/andikawilliam/CLICK-ID), made by benchmarks/build_root_frequency.py.\n"
        "# Only counts of dictionary roots, no text. Used by kliping.stem to break ties between readings.\n"
        "root\tcount\n"
    )
    rows = "".join(f"{root}\t{n}\n" for root, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    ROOT_FREQUENCY_FILE.write_text(header + rows, encoding="utf-8")
    print(f"wrote {len(counts):,} roots to {config.shown(ROOT_FREQUENCY_FILE)}")


if __name__ == "__main__":
    main()
