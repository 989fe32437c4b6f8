"""Benchmark kliping.stem against PySastrawi, side by side, in one run.

Measures, on the same machine and in the same process:

1. accuracy on the UD gold (lowercase NOUN/VERB/ADJ forms, weighted by
   count): raw PySastrawi beside kliping, plus Sastrawi's functional test pairs
   that either gets wrong;
2. time of a fresh PySastrawi stemmer's ``stem(doc)`` over every article,
   beside ``stem_documents`` with an empty cache (cold) and a filled one (warm);
3. vocabulary size before and after stemming.

Usage::

    .venv/bin/python benchmarks/bench_stem.py                 # the 3,235-article sample
    .venv/bin/python benchmarks/bench_stem.py --full          # also cold time on all 22,136 articles
    .venv/bin/python benchmarks/bench_stem.py --jobs 1 2      # serial vs parallel cold stemming (full corpus)
    .venv/bin/python benchmarks/bench_stem.py --floor         # what Sastrawi itself costs on all 22,136 articles
    .venv/bin/python benchmarks/bench_stem.py --cold-rounds 3 --baseline-lib /tmp/base/lib   # side by side

``--floor`` (issue 24's bound) times, in CPU seconds of one process (steadier than wall time on a shared machine),
PySastrawi's ``stem(doc)`` over every article with the part spent in Sastrawi's own ``stem`` of each distinct word
counted apart, kliping's stemmer on the words a cold ``stem_corpus`` stems (those not proper nouns or stopwords),
the cheapest tokenizing (the plain-token pattern's ``findall`` per text) and a cold ``stem_corpus`` itself (wall, and
CPU of this process and its workers). The floor of the cold stem stage is the tokenizing plus kliping's stemmer on
the words over the cores.

``--cold-rounds N`` times, on all 22,136 articles, PySastrawi's ``stem(doc)`` and a cold ``stem_corpus`` (empty
caches, the stemmer built anew, the default workers), each in a fresh process, N rounds, and with ``--baseline-lib
DIR`` a cold ``stem_corpus`` of another checkout's ``lib`` (first on ``PYTHONPATH``, e.g. a ``git archive`` of
main) too, the three taken in turn within each round so that they share the machine's load. It reports CPU seconds
(the process and its workers; the load moves them far less than wall time) and the ratio to PySastrawi's.

Timings on a shared, noisy machine vary by some 10-20 %; no assertion is made.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kliping import config, stem
from kliping.evaluation import stemming

CLICKID = config.CORPORA_DIR / "clickid_labelled_news"


def read_contents(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line).get("content") or "" for line in handle if line.strip()]


def time_sastrawi_per_document(texts: list[str]) -> tuple[float, list[str]]:
    """A fresh PySastrawi stemmer (its in-memory cache starts empty), ``stem(doc)`` per article."""
    start = time.perf_counter()
    stemmer = stem.raw_sastrawi_stemmer()
    outputs = [stemmer.stem(text) for text in texts]
    return time.perf_counter() - start, outputs


def time_kliping(texts: list[str], cache_dir: Path, n_jobs: int | None = None) -> tuple[float, stem.StemResult]:
    """``stem_corpus`` (what ``stem_documents`` wraps) with its caches in ``cache_dir``."""
    start = time.perf_counter()
    result = stem.stem_corpus(texts, cache_dir=cache_dir, progress=False, n_jobs=n_jobs)
    return time.perf_counter() - start, result


def fresh_process_state() -> None:
    """Forget everything kliping built in this process, so "cold" includes building the stemmer."""
    stem.get_stemmer.cache_clear()
    stem.load_stopwords.cache_clear()
    stem.load_overrides.cache_clear()
    stem.load_root_frequency.cache_clear()


def accuracy_section() -> None:
    scores, table = stemming.compare_with_sastrawi()
    print("== accuracy on the UD gold (lowercase NOUN/VERB/ADJ, weighted by count)")
    print(f"   forms {scores['forms']:,}, tokens {scores['tokens']:,}")
    print(
        f"   PySastrawi {scores['sastrawi']:.4f}   kliping {scores['kliping']:.4f}   "
        f"difference {100 * (scores['kliping'] - scores['sastrawi']):+.2f} points"
    )
    changed = table[table["sastrawi"] != table["kliping"]]
    better = changed[changed["kliping"] == changed["lemma"]]["count"].sum()
    worse = changed[changed["sastrawi"] == changed["lemma"]]["count"].sum()
    print(f"   forms stemmed differently: {len(changed)}; tokens now right {better}, now wrong {worse}")
    differences = stemming.functional_differences()
    print(f"== Sastrawi functional test pairs wrong in either stemmer ({len(differences)} of 173)")
    print(differences.to_string(index=False))


def speed_section(texts: list[str], label: str, repeats: int = 3) -> None:
    """Time PySastrawi and kliping alternately, ``repeats`` times each, and keep each one's best run.

    Alternating the two within one run means both see the same load on a noisy, shared machine.
    """
    print(f"== speed on {label}: {len(texts):,} articles (best of {repeats}, run alternately)")
    best = {"raw": float("inf"), "cold": float("inf"), "words": float("inf"), "warm": float("inf")}
    for _ in range(repeats):
        raw_seconds, _ = time_sastrawi_per_document(texts)
        with tempfile.TemporaryDirectory() as cache_dir:
            fresh_process_state()
            cold_seconds, cold = time_kliping(texts, Path(cache_dir))
            for corpus_file in Path(cache_dir).glob("corpus_*.npz"):
                corpus_file.unlink()  # keep only the word cache
            words_seconds, words_warm = time_kliping(texts, Path(cache_dir))
            warm_seconds, warm = time_kliping(texts, Path(cache_dir))
        for name, seconds in (
            ("raw", raw_seconds),
            ("cold", cold_seconds),
            ("words", words_seconds),
            ("warm", warm_seconds),
        ):
            best[name] = min(best[name], seconds)
    same = cold.tokens == words_warm.tokens == warm.tokens and cold.display_words == warm.display_words
    print(f"   PySastrawi stem(doc), fresh stemmer        : {best['raw']:7.2f} s")
    for label, name in (
        ("kliping, empty caches (cold)             ", "cold"),
        ("kliping, word cache warm, no corpus cache", "words"),
        ("kliping, both caches warm (warm)         ", "warm"),
    ):
        print(f"   {label} : {best[name]:7.2f} s   {best['raw'] / best[name]:5.1f}x faster")
    print(f"   cold, word-cache and warm outputs identical: {same}")
    print(
        f"   vocabulary: {cold.vocabulary_before:,} distinct words -> {cold.vocabulary_after:,} stems "
        f"({cold.n_tokens:,} tokens kept, {len(cold.proper_nouns):,} proper nouns kept unstemmed)"
    )


def cold_full_section(texts: list[str], jobs: list[int | None]) -> None:
    print(f"== cold stemming of all {len(texts):,} articles (empty cache)")
    for n_jobs in jobs:
        with tempfile.TemporaryDirectory() as cache_dir:
            fresh_process_state()
            seconds, result = time_kliping(texts, Path(cache_dir), n_jobs=n_jobs)
        label = "auto" if n_jobs is None else str(n_jobs)
        print(
            f"   n_jobs={label:>4}: {seconds:7.2f} s   ({result.vocabulary_before:,} words -> "
            f"{result.vocabulary_after:,} stems, {result.n_tokens:,} tokens)"
        )


def _cpu(children: bool = True) -> float:
    import resource

    usage = [resource.getrusage(resource.RUSAGE_SELF)] + [resource.getrusage(resource.RUSAGE_CHILDREN)] * children
    return sum(u.ru_utime + u.ru_stime for u in usage)


def floor_section(texts: list[str]) -> None:
    """Issue 24's bound: how much of ``stem(doc)`` is Sastrawi on the distinct words, and the cold stem floor."""
    import os
    import re

    from kliping.stem import corpus
    from kliping.stem.tokens import tokenize_texts

    plain = re.compile(r"\d+(?:[.,:/]\d+)+|\w+(?:[-'’]\w+)*")  # the plain-token pattern, in Python's re

    print(f"== the floor, all {len(texts):,} articles (CPU seconds of one process unless said)")
    naive = stem.raw_sastrawi_stemmer()
    inner, spent = naive.delegatedStemmer, [0.0, 0]

    class Timed:  # counts the CPU time of Sastrawi's own stem of each word the cached stemmer has not seen
        def stem(self, word):
            started = time.process_time()
            result = inner.stem(word)
            spent[0] += time.process_time() - started
            spent[1] += 1
            return result

    naive.delegatedStemmer = Timed()
    started = _cpu(False)
    for text in texts:
        naive.stem(text)
    total = _cpu(False) - started
    print(f"   PySastrawi stem(doc), fresh stemmer       : {total:6.2f} s")
    print(f"     of which Sastrawi on {spent[1]:,} distinct words : {spent[0]:6.2f} s ({spent[0] / total:.0%})")
    print(f"     the rest (normalise, split, cache lookups): {total - spent[0]:6.2f} s")
    started = _cpu(False)
    for text in texts:
        plain.findall(text)
    findall = _cpu(False) - started
    print(f"   tokenizing, findall per text (Python re)  : {findall:6.2f} s")
    started = _cpu(False)
    tokenize_texts(texts)
    column = _cpu(False) - started
    print(f"   tokenizing, kliping's column kernels      : {column:6.2f} s (token lists made, too)")
    tokenizing = min(findall, column)
    words, stem_vocabulary = [], corpus.stem_vocabulary

    def recorded(to_stem, *args, **kwargs):  # the words the cold run stems
        words.extend(to_stem)
        return stem_vocabulary(to_stem, *args, **kwargs)

    with tempfile.TemporaryDirectory() as cache_dir:
        fresh_process_state()
        corpus.stem_vocabulary = recorded
        started, cpu = time.perf_counter(), _cpu()
        stem.stem_corpus(texts, cache_dir=cache_dir, progress=False)
        wall, cpu = time.perf_counter() - started, _cpu() - cpu
        corpus.stem_vocabulary = stem_vocabulary
    fresh_process_state()
    kliping_stemmer = stem.get_stemmer()
    started = _cpu(False)
    for word in words:
        kliping_stemmer.stem(word)
    stemming = _cpu(False) - started
    cores = os.cpu_count() or 1
    print(f"   kliping's stemmer on {len(words):,} words          : {stemming:6.2f} s")
    floor = tokenizing + stemming / cores
    print(f"   floor of the cold stem stage: tokenizing + stemmer / {cores} cores = {floor:.2f} s")
    print(f"   kliping stem_corpus cold: {wall:6.2f} s wall, {cpu:6.2f} s CPU (this process and its workers)")


def cold_child(what: str) -> dict:
    """In a fresh process: PySastrawi's ``stem(doc)`` over every article (``what == "sastrawi"``) or a cold
    ``stem_corpus`` (empty caches), wall and CPU seconds with the workers'."""
    import kliping

    texts = read_contents(CLICKID / "articles.jsonl")
    started, cpu = time.perf_counter(), _cpu()
    if what == "sastrawi":
        time_sastrawi_per_document(texts)
    else:
        with tempfile.TemporaryDirectory() as cache_dir:
            result = stem.stem_corpus(texts, cache_dir=cache_dir, progress=False)
    timed = {"wall": time.perf_counter() - started, "cpu": _cpu() - cpu, "lib": str(Path(kliping.__file__).parent)}
    if what == "sastrawi":
        return timed
    return timed | {"tokens": result.n_tokens, "words": result.vocabulary_before, "stems": result.vocabulary_after}


def side_by_side(rounds: int, baseline: Path | None) -> None:
    """PySastrawi and cold ``stem_corpus`` (this checkout's, and ``baseline``'s) in turn, each in a fresh process."""
    runs = {"PySastrawi stem(doc)": ("sastrawi", None), "kliping cold (this lib)": ("cold", None)}
    if baseline is not None:
        runs["kliping cold (baseline lib)"] = ("cold", baseline.resolve())
    times: dict[str, list] = {name: [] for name in runs}
    for round_number in range(rounds):
        order = list(runs) if round_number % 2 == 0 else list(runs)[::-1]
        for name in order:
            what, lib = runs[name]
            env = dict(os.environ, PYTHONWARNINGS="ignore", KLIPING_SHARED=str(config.SHARED_DIR))
            if lib is not None:
                env["PYTHONPATH"] = str(lib)
            done = subprocess.run(
                [sys.executable, __file__, "--child", what], env=env, capture_output=True, text=True, check=False
            )
            if done.returncode:
                sys.exit(f"bench_stem: the child failed:\n{done.stderr[-3000:]}")
            times[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"   round {round_number + 1}: {name}: {times[name][-1]['cpu']:.2f} s CPU", file=sys.stderr)
    print(f"== side by side, all 22,136 articles, {rounds} rounds in turn (CPU s: process and workers; wall s)")
    sastrawi = statistics.median(t["cpu"] for t in times["PySastrawi stem(doc)"])
    for name, values in times.items():
        cpus, walls = [t["cpu"] for t in values], [t["wall"] for t in values]
        detail = next((t for t in values if "tokens" in t), {})
        extra = f" ({detail['tokens']:,} tokens, {detail['words']:,} words)" if detail else ""
        cpu = statistics.median(cpus)
        print(
            f"   {name:28s}: CPU median {cpu:6.2f} (min {min(cpus):6.2f}), wall median {statistics.median(walls):6.2f};"
            f" PySastrawi / this, CPU medians: {sastrawi / cpu:4.2f}x{extra}  [{values[0]['lib']}]"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also time cold stemming of articles.jsonl")
    parser.add_argument("--jobs", type=int, nargs="*", help="n_jobs values to compare on articles.jsonl")
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--floor", action="store_true", help="only the floor section (issue 24), on articles.jsonl")
    parser.add_argument("--cold-rounds", type=int, default=0, help="PySastrawi and cold stem_corpus side by side")
    parser.add_argument("--baseline-lib", type=Path, default=None, help="another checkout's lib, timed beside")
    parser.add_argument("--child", choices=("sastrawi", "cold"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(cold_child(args.child)))
        return
    if args.cold_rounds or args.baseline_lib:
        side_by_side(args.cold_rounds or 3, args.baseline_lib)
        return
    if args.floor:
        floor_section(read_contents(CLICKID / "articles.jsonl"))
        return
    if not args.skip_accuracy:
        accuracy_section()
    speed_section(read_contents(CLICKID / "sample_stratified.jsonl"), "sample_stratified.jsonl")
    if args.full or args.jobs:
        cold_full_section(read_contents(CLICKID / "articles.jsonl"), args.jobs or [None])


if __name__ == "__main__":
    main()
