"""Write word -> stem for a fixed set of real words, to check that a refactoring changes no stem.

The words: every distinct word of the CLICK-ID sample (``sample_stratified.jsonl``, field ``content``,
lowercased) and every word of the stemming gold (UD forms, Sastrawi's functional test pairs and test
dictionary, Sastrawi's root list ``sastrawi_kata-dasar.txt``). Each is stemmed with
``kliping.stem.stem_word``; the output is one ``word<TAB>stem`` line per word, sorted. Compare two
snapshots with ``diff``.

Usage::

    .venv/bin/python benchmarks/stems_snapshot.py /tmp/stems_before.tsv
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from kliping import config
from kliping.stem import stem_word, token_kind, tokenize_texts

SAMPLE = config.CORPORA_DIR / "clickid_labelled_news" / "sample_stratified.jsonl"
GOLD = config.CORPORA_DIR / "id_stemming_gold"


def snapshot_words() -> list[str]:
    """The distinct lowercase words stemmed by the snapshot, sorted."""
    words: set[str] = set()
    with SAMPLE.open(encoding="utf-8") as handle:
        texts = [json.loads(line).get("content") or "" for line in handle]
    for tokens in tokenize_texts(texts):
        words.update(token.lower() for token in tokens if token_kind(token) == "word")
    with (GOLD / "ud_indonesian_form_lemma.tsv").open(encoding="utf-8") as handle:
        words.update(row["form"].lower() for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    with (GOLD / "sastrawi_functional_test_pairs.tsv").open(encoding="utf-8") as handle:
        words.update(row["word"].lower() for row in csv.DictReader(handle, delimiter="\t"))
    for name in ("sastrawi_functional_test_dictionary.txt", "sastrawi_kata-dasar.txt"):
        words.update(line.strip().lower() for line in (GOLD / name).read_text(encoding="utf-8").splitlines())
    return sorted(word for word in words if word)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="TSV file to write (word, stem)")
    args = parser.parse_args()
    words = snapshot_words()
    args.output.write_text("".join(f"{word}\t{stem_word(word)}\n" for word in words), encoding="utf-8")
    print(f"wrote {len(words):,} words to {args.output}")


if __name__ == "__main__":
    main()
