"""Each stage of ``kliping run`` beside its floor, cold and warm, on the 22,136 CLICK-ID articles.

Every part of a ``kliping run`` process (its imports; the stages read, clean, copies, stem, vectorize, cluster,
describe; then the outputs: the metrics, the model and the files written) is timed in a fresh process
(wall seconds and CPU seconds, the stem stage's worker processes included), first with an empty
``KLIPING_WORK_DIR`` (cold: a user's first run of a corpus) and then again with the caches that run left (warm).
In the same process, after the run, the cheapest way to do each stage's work is timed on the same data:

* read: ``json.loads`` of every line of the file;
* clean: a compiled regex word count of every line of every text (each character read once), and
  py3langid alone on the language samples, a block of texts at a time as the clean stage runs it (shown, not
  part of the floor);
* stem: a compiled tokenizer (Arrow: whitespace split, each distinct piece cut by RE2 once) over the stem input,
  counting the tokens and mapping them through the finished stem table (``stem_floor``); cold, plus a fresh
  stemmer of kliping's own on every distinct word of the stem table (CPU seconds over the cores);
* vectorize: TF-IDF rows from integer word ids (``np.unique``), the 5-word-window co-occurrence of the id stream
  with ``np.bincount``, and the SVD of the core PPMI matrix alone (``core_svd``);
* copies: the MinHash arithmetic alone, each of the 64 permutations as one multiply, add and segmented minimum
  (``np.minimum.reduceat``) over the run's shingle hashes (found before the clock starts);
* cluster: one KMeans (k = 10, one init) on the document vectors;
* describe: the per-topic term sums (one sparse product).

``--baseline-lib DIR`` runs the same stages with another checkout's ``lib`` first on ``PYTHONPATH`` (e.g. a
``git archive`` of main), in the same run, so the two are measured under the same load.

Usage::

    .venv/bin/python benchmarks/bench_stages.py                          # all 22,136 articles, cold and warm
    .venv/bin/python benchmarks/bench_stages.py --limit 3000             # a quick run on the first 3,000
    .venv/bin/python benchmarks/bench_stages.py --baseline-lib /tmp/base/lib

The machine is shared: timings vary by 10-20 %, so compare only figures from one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARTICLES_NAME = Path("clickid_labelled_news") / "articles.jsonl"
#: The parts of a `kliping run` process, in order: its imports, the stages, the outputs after them.
STAGES = ("import", "read", "clean", "copies", "stem", "vectorize", "cluster", "describe", "outputs")


class Clock:
    """Wall and CPU seconds of a block, this process's threads and its finished children's."""

    def __init__(self):
        self.times: dict[str, dict] = {}

    def __call__(self, name: str):
        clock = self

        class _Block:
            def __enter__(self):
                self.wall, self.cpu = time.perf_counter(), _cpu()

            def __exit__(self, *exc):
                clock.times[name] = {
                    "wall": round(time.perf_counter() - self.wall, 3),
                    "cpu": round(_cpu() - self.cpu, 3),
                }

        return _Block()


def _cpu() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# --------------------------------------------------------------------------- the child: one run and its floors
def child(corpus: Path) -> dict:
    import warnings

    clock = Clock()
    with clock("import"):  # what `kliping run` imports before its first stage (sklearn for the clustering)
        from kliping import config, outputs, pipeline

    warnings.simplefilter("ignore")
    with clock("read"):
        articles = pipeline.load(corpus)
    with clock("clean"):
        cleaned = pipeline.clean(articles, progress=False, copies=False)
    with clock("copies"):  # its own stage in `kliping run` (pipeline.run)
        cleaned, signatures = pipeline.name_copies(cleaned)
    with clock("stem"):
        stemmed = pipeline.stem(cleaned, progress=False)
    with clock("vectorize"):
        vectors = pipeline.vectorize(cleaned, stemmed, seed=0)
    with clock("cluster"):
        clustering = pipeline.cluster(vectors, k=10, seed=0)
    with clock("describe"):
        topics = pipeline.describe(cleaned, vectors, clustering)
        table = pipeline.assign(cleaned, vectors, clustering, topics)
    with clock("outputs"):  # after the stages, as `kliping run`: the metrics, the model and the files it writes
        from kliping.topics.results import RunResult
        from kliping.topics.table import measure

        metrics = measure(vectors, clustering, table)
        model = pipeline.fit_model(vectors, clustering, topics, None, table, signatures)
        result = RunResult(articles=table, topics=topics, metrics=metrics, k_table=clustering.k_table, model=model)
        with tempfile.TemporaryDirectory(prefix="bench_stages_out_") as out:
            outputs.write_outputs(result, out)
    stages = clock.times
    floors = measure_floors(corpus, articles, cleaned, stemmed, vectors, clustering)
    return {
        "stages": stages,
        "floors": floors,
        "n_articles": len(articles),
        "n_chars": int(articles["text"].fillna("").str.len().sum()) if "text" in articles else None,
        "n_tokens": stemmed.n_tokens,
        "cache_dir": str(config.CACHE_DIR),
    }


def measure_floors(corpus, articles, cleaned, stemmed, vectors, clustering) -> dict:
    """The cheapest way to do each stage's work, timed on this run's data."""
    import re

    from kliping.base.articles import stem_input

    clock = Clock()
    with clock("read"):
        with open(corpus, encoding="utf-8") as handle:
            [json.loads(line) for line in handle if line.strip()]
    texts = [text for text in articles.get("text", articles.get("content")).fillna("") if isinstance(text, str)]
    word = re.compile(r"\w+")
    with clock("clean"):
        [len(word.findall(line)) for text in texts for line in text.split("\n")]
    with clock("language detector"):
        from kliping.clean.language import sample

        samples = [sample(t, c) for t, c in zip(cleaned["title"], cleaned["content"])]
        try:  # the detector as the clean stage runs it: blocks of texts at once, bit for bit py3langid's scores
            from kliping.clean.detector import classify_many
        except ImportError:  # a --baseline-lib from before clean.detector (2026-12-07): one text at a time
            from kliping.clean.language import identifier

            [identifier().classify(text) for text in samples]
        else:
            classify_many(samples)
    stem_texts = [text if isinstance(text, str) else "" for text in stem_input(cleaned)]
    with clock("stem"):
        stem_floor(stem_texts, stemmed.stem_of)
    copies_floor(cleaned, clock)
    floors = clock.times
    if os.environ.get("BENCH_COLD"):
        # A cold run stems every distinct word it kept: timed again with a fresh stemmer of kliping's own (the
        # cheapest that gives its stems; PySastrawi's takes ~10x its CPU a word), over the cores as the run does.
        from kliping import stem

        words = sorted({word.lower() for word in stemmed.stem_of})
        stem.get_stemmer.cache_clear()
        stemmer = stem.get_stemmer()
        started = time.process_time()  # CPU: the machine's load would inflate a wall time
        for word_ in words:
            stemmer.stem(word_)
        floors["stem"]["stemmer_new_words"] = round((time.process_time() - started) / (os.cpu_count() or 1), 3)
        floors["stem"]["n_new_words"] = len(words)
    if not vectors.empty:
        floors.update(vectorize_floor(stemmed, vectors))
        floors.update(cluster_floors(vectors, clustering))
    return floors


def stem_floor(texts: list[str], stem_of: dict) -> None:
    """Tokenize, count and map to stems with Arrow's compiled kernels: each text split at whitespace, each
    distinct piece lower-cased and cut at non-word characters once (RE2), the counts by ``np.bincount`` and the
    stem numbers of each text's tokens gathered with numpy. Cheaper than ``re.findall`` and a ``Counter``
    (4.7 s CPU against 1.0 s on the 22k, 2026-12-07): the floor is the cheapest way known, not kliping's own."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    pieces = pc.dictionary_encode(pc.list_flatten(pc.utf8_split_whitespace(pa.array(texts, pa.large_string()))))
    per_piece = pc.split_pattern_regex(pc.utf8_lower(pieces.dictionary), r"[^\w]+")
    piece_ids = pieces.indices.to_numpy(zero_copy_only=False)
    tokens = pc.dictionary_encode(pc.list_flatten(per_piece))
    token_ids = tokens.indices.to_numpy(zero_copy_only=False)
    lengths = pc.list_value_length(per_piece).to_numpy(zero_copy_only=False)
    starts = np.cumsum(lengths) - lengths
    # the counts: each piece's occurrences given to its tokens
    np.bincount(token_ids, weights=np.repeat(np.bincount(piece_ids, minlength=len(lengths)), lengths))
    # the mapping: a stem number per distinct token, then every token of every text in order
    lookup = {stem: i for i, stem in enumerate(set(stem_of.values()))}
    table = np.array([lookup.get(stem_of.get(token), -1) for token in tokens.dictionary.to_pylist()], dtype=np.int32)
    run = lengths[piece_ids]
    first = np.repeat(starts[piece_ids] - (np.cumsum(run) - run), run) + np.arange(int(run.sum()))
    table[token_ids[first]]


def copies_floor(cleaned, clock: Clock) -> None:
    """The 64 permutations of the MinHash over the shingle hashes of the readable articles, nothing else."""
    import numpy as np

    from kliping.clean import copies

    ok = (cleaned["status"] == "ok").to_numpy()
    texts = [text if keep else "" for text, keep in zip(cleaned["content"].tolist(), ok)]
    blocks = [copies._corpus_shingles(texts[i : i + 2000]) for i in range(0, len(texts), 2000)]
    blocks = [(values, np.cumsum(counts[counts > 0]) - counts[counts > 0]) for values, counts in blocks if len(values)]
    with clock("copies"):
        for values, starts in blocks:
            for a, b in zip(copies._A, copies._B):
                np.minimum.reduceat(values * a + b, starts)


def vectorize_floor(stemmed, vectors) -> dict:
    """TF-IDF from ids, the windowed co-occurrence of the id stream in numpy/scipy, and the SVD alone."""
    import numpy as np
    import scipy.sparse as sp

    from kliping.topics.wordvectors import core_svd

    vocabulary = vectors.vectorizer.vocabulary_
    tokens = [tokens for tokens, ok in zip(stemmed.tokens, vectors.usable) if ok]
    lengths = np.array([len(t) for t in tokens], dtype=np.int64)
    n, size, window = len(tokens), len(vocabulary), 5
    stream = np.full(int(lengths.sum()) + window * n, -1, dtype=np.int32)  # a gap of `window` after each article
    starts = np.concatenate([[0], np.cumsum(lengths + window)[:-1]])
    ids = np.array([vocabulary.get(token, -1) for t in tokens for token in t], dtype=np.int32)
    stream[np.repeat(starts, lengths) + np.arange(len(ids)) - np.repeat(np.cumsum(lengths) - lengths, lengths)] = ids
    clock = Clock()
    with clock("vectorize"):
        known = ids >= 0
        rows = np.repeat(np.arange(n), lengths)
        np.unique(rows[known].astype(np.int64) * size + ids[known], return_counts=True)
        left_parts, right_parts, weights = [], [], []
        for distance in range(1, window + 1):
            left, right = stream[:-distance], stream[distance:]
            both = (left >= 0) & (right >= 0)
            left_parts.append(left[both])
            right_parts.append(right[both])
            weights.append(np.full(int(both.sum()), 60 // distance, dtype=np.float64))
        counts = sp.csr_matrix(
            (np.concatenate(weights), (np.concatenate(left_parts), np.concatenate(right_parts))), shape=(size, size)
        )
        counts = (counts + counts.T).tocsr()
    core = np.sort(np.argsort(-np.asarray(counts.sum(axis=1)).ravel(), kind="stable")[:5000])
    inner = counts[core][:, core].astype(np.float32)
    inner.data = np.log1p(inner.data)
    from threadpoolctl import threadpool_limits

    with clock("svd"), threadpool_limits(1, user_api="blas"):  # one BLAS thread, as the run's SVD has
        core_svd(inner, 100)
    return {"vectorize": {**clock.times["vectorize"], "svd": clock.times["svd"]}}


def cluster_floors(vectors, clustering) -> dict:
    import numpy as np
    import scipy.sparse as sp
    from sklearn.cluster import KMeans

    clock = Clock()
    with clock("cluster"):
        KMeans(10, n_init=1, random_state=0).fit(vectors.Z)
    held, keep = clustering.held()
    with clock("describe"):
        labels = np.asarray(held.labels)
        onehot = sp.csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))))
        onehot @ vectors.X[keep]
    return clock.times


# --------------------------------------------------------------------------- the parent: variants side by side
def run_child(corpus: Path, work_dir: Path, lib: Path | None, cold: bool) -> dict:
    env = dict(os.environ, KLIPING_WORK_DIR=str(work_dir), PYTHONWARNINGS="ignore")
    if lib is not None:
        env["PYTHONPATH"] = str(lib)
    if cold:
        env["BENCH_COLD"] = "1"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(corpus)], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"bench_stages: the child failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_wall"] = round(time.perf_counter() - started, 2)
    return result


def table(results: dict[str, dict]) -> str:
    lines = [
        "| stage | " + " | ".join(f"{name} wall / CPU s" for name in results) + " | floor wall / CPU s (what) |",
        "|---|" + "---|" * len(results) + "---|",
    ]
    first = next(iter(results.values()))
    what = {
        "read": "json.loads per line",
        "clean": "regex word count per line; py3langid alone {}",
        "stem": "compiled tokenizer + count + map{}",
        "vectorize": "ids → TF-IDF counts (np.unique) + numpy/scipy co-occurrence {} + SVD alone {}",
        "cluster": "one KMeans, k=10",
        "describe": "per-topic term sums",
        "import": "",
        "copies": "the MinHash arithmetic alone: 64 × multiply, add, segmented min over the shingles",
        "outputs": "",
    }
    for stage in STAGES:
        cells = [f"{r['stages'][stage]['wall']:.1f} / {r['stages'][stage]['cpu']:.1f}" for r in results.values()]
        floor = first["floors"].get(stage, {})
        note = what[stage]
        if stage == "clean":
            note = note.format(f"{first['floors']['language detector']['wall']:.1f} s")
        elif stage == "stem":
            extra = floor.get("stemmer_new_words")
            note = note.format(
                f" (+ kliping's stemmer on {floor['n_new_words']:,} new words ≈ {extra:.1f} s cold)" if extra else ""
            )
        elif stage == "vectorize":
            svd = floor.get("svd", {}).get("wall", 0.0)
            note = note.format(f"{floor.get('wall', 0.0):.1f} s", f"{svd:.1f} s")
            svd_cpu = floor.get("svd", {}).get("cpu", 0.0)
            floor = {"wall": floor.get("wall", float("nan")) + svd, "cpu": floor.get("cpu", float("nan")) + svd_cpu}
        cost = f"{floor.get('wall', float('nan')):.2f} / {floor.get('cpu', float('nan')):.2f} ({note})" if note else ""
        lines.append(f"| {stage} | " + " | ".join(cells) + f" | {cost} |")
    totals = [sum(r["stages"][s]["wall"] for s in STAGES) for r in results.values()]
    cpus = [sum(r["stages"][s]["cpu"] for s in STAGES) for r in results.values()]
    lines.append("| **total** | " + " | ".join(f"**{t:.1f}** / {c:.1f}" for t, c in zip(totals, cpus)) + " | |")
    lines.append("| process | " + " | ".join(f"{r['process_wall']:.1f}" for r in results.values()) + " | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--baseline-lib", type=Path, default=None, help="another checkout's lib, run beside")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child)))
        return
    from kliping import config

    source = config.CORPORA_DIR / ARTICLES_NAME
    if not source.exists():
        print(f"SKIPPED: {source} is not there (the shared corpora sit beside the checkout)")
        return
    with tempfile.TemporaryDirectory(prefix="bench_stages_") as folder:
        folder = Path(folder)
        corpus = source
        if args.limit:
            corpus = folder / "articles.jsonl"
            with source.open(encoding="utf-8") as handle, corpus.open("w", encoding="utf-8") as out:
                for _, line in zip(range(args.limit), handle):
                    out.write(line)
        variants = {"new": None} | ({"baseline": args.baseline_lib.resolve()} if args.baseline_lib else {})
        results = {}
        for name, lib in variants.items():
            work = folder / f"work_{name}"
            for state in ("cold", "warm"):
                print(f"bench_stages: {name} {state} ...", file=sys.stderr, flush=True)
                results[f"{name} {state}"] = run_child(corpus, work, lib, state == "cold")
        first = next(iter(results.values()))
        print(f"\n{first['n_articles']:,} articles, {first['n_chars'] or 0:,} characters, {first['n_tokens']:,} tokens")
        print(table(results))


if __name__ == "__main__":
    main()
