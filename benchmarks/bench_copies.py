"""Near-copies (issue 23): how well syndicated copies are found and placed, and what finding them costs.

``quality`` (default): the CLICK-ID stratified sample (3,235 articles) plus near copies and exact copies of some of
its articles on other sites, later (:func:`kliping.evaluation.copies.syndicate`), run through
:func:`kliping.pipeline.run`. Prints

* the share of copies whose ``duplicate_of`` is their original (or the original's own original, when CLICK-ID
  itself holds an earlier copy of the story) and that carry its topic;
* the share of CLICK-ID's own articles marked as copies (with examples: some are true copies in CLICK-ID);
* the estimated similarity of the synthetic near copies to their originals, and of same-category non-copies
  (random pairs of one desk, and the most similar LSH candidate pairs below the threshold), which is what
  :data:`kliping.clean.copies.THRESHOLD` is chosen from.

``time``: the 22k run (``articles.jsonl``) with and without near-copy detection, side by side, each in a fresh
process with a cold work folder (``KLIPING_WORK_DIR`` in a new temporary folder: no clean or stem cache). The share
added is the ``copies`` stage's seconds against the rest of the same run (on a machine shared with other jobs two
whole runs differ by more than that); the ratio of the two totals is printed too.

``stage --baseline-copies FILE``: the copies stage alone (:func:`kliping.pipeline.name_copies`'s
``marked_and_signatures``) of this checkout and of another checkout's ``clean/copies.py`` (e.g. from ``git archive``),
in one process on the same cleaned corpus, alternately for ``--rounds`` rounds, in CPU seconds
(``time.process_time``); the two must give the same signatures, ``duplicate_of`` and ``copy_similarity``. Then this
checkout's parts, as many rounds: the signatures (``table_signatures``; the rest of the stage is finding the pairs
and groups) and of them the shingles (``_corpus_shingles`` in the blocks ``signatures`` uses).

Usage::

    .venv/bin/python benchmarks/bench_copies.py [quality] [--near 300 --exact 100]
    .venv/bin/python benchmarks/bench_copies.py time [--corpus ../shared/corpora/clickid_labelled_news/articles.jsonl]
    .venv/bin/python benchmarks/bench_copies.py stage --baseline-copies /tmp/base/lib/kliping/clean/copies.py
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

from kliping import config

CLICKID = config.CORPORA_DIR / "clickid_labelled_news"
FIELDS = dict(text_field="content", id_field="id", date_field="date", site_field="source_site")


def quality(near: int, exact: int, seed: int) -> dict:
    from kliping import pipeline
    from kliping.clean import copies
    from kliping.evaluation.copies import syndicate

    sample = pd.read_json(CLICKID / "sample_stratified.jsonl", lines=True, dtype={"date": str})
    made = syndicate(sample, near=near, exact=exact, seed=seed)
    corpus = pd.concat([sample, made.drop(columns=["original", "kind"])], ignore_index=True)
    start = time.perf_counter()
    result = pipeline.run(corpus, progress=False, label_field="category_coarse", **FIELDS)
    seconds = time.perf_counter() - start
    table = result.articles.set_index("id")
    story = table["duplicate_of"].fillna(pd.Series(table.index, index=table.index))
    want = story.loc[made["original"]].to_numpy()
    got = table.loc[made["id"], "duplicate_of"].to_numpy()
    found = got == want
    same_topic = table.loc[made["id"], "topic"].to_numpy() == table.loc[want, "topic"].to_numpy()
    own = table.loc[sample["id"]]
    marked = own[own["duplicate_of"].notna()]
    near_ids = made.loc[made["kind"] == "near", "id"]
    out = {
        "articles": len(corpus),
        "copies": {"near": near, "exact": exact},
        "copies_to_original": round(float(found.mean()), 4),
        "near_to_original": round(float(found[made["kind"].to_numpy() == "near"].mean()), 4),
        "copies_with_its_topic": round(float((found & same_topic).mean()), 4),
        "originals_marked_as_copies": round(len(marked) / len(own), 4),
        "near_copy_similarity": np.percentile(table.loc[near_ids, "copy_similarity"].fillna(0), [0, 1, 5, 50]).tolist(),
        "run_seconds": round(seconds, 1),
        "metrics": {k: result.metrics.get(k) for k in ("k", "nmi", "ari", "n_clustered", "n_copies")},
    }
    out["marked_examples"] = [
        [i, table.at[i, "site"], d, table.at[d, "site"], table.at[i, "copy_similarity"], str(table.at[i, "title"])[:60]]
        for i, d in marked["duplicate_of"].head(8).items()
    ]
    # Same-desk non-copies: random pairs, and the closest pairs LSH proposes that are no copies.
    ok = result.articles[(result.articles["status"] == "ok") & result.articles["id"].isin(sample["id"])]
    sig = copies.signatures(ok["content"].tolist())
    rng = np.random.default_rng(seed)
    labels = ok["label"].to_numpy()
    left, right = rng.integers(len(ok), size=(2, 200_000))
    same = (labels[left] == labels[right]) & (left != right)
    scores = copies.similarity(sig[left[same]], sig[right[same]])
    pairs = copies.candidate_pairs(sig)
    candidates = copies.similarity(sig[pairs[:, 0]], sig[pairs[:, 1]]) if len(pairs) else np.zeros(0)
    out["same_desk_pairs"] = {
        "pairs": int(same.sum()),
        "p99.9": float(np.percentile(scores, 99.9)),
        "max": float(scores.max()),
    }
    below = np.sort(candidates[candidates < copies.THRESHOLD])[::-1]
    out["lsh_candidates"] = {"pairs": len(candidates), "top_below_threshold": below[:5].round(3).tolist()}
    return out


_TIMED = """
import json, sys, time
from kliping import pipeline
import kliping.clean.copies as copies
if sys.argv[2] == "without":
    copies.mark_copies = lambda cleaned: cleaned  # the run as before near copies
fields = json.loads(sys.argv[3])
start = time.perf_counter()
result = pipeline.run(sys.argv[1], progress=False, **fields)
print(json.dumps({"seconds": time.perf_counter() - start, "stages": result.metrics["stages"],
                  "n_copies": result.metrics.get("n_copies"), "k": result.metrics["k"]}))
"""


def timing(corpus: str) -> dict:
    out = {}
    for mode in ("without", "with"):
        with tempfile.TemporaryDirectory() as work:
            env = {**os.environ, "KLIPING_WORK_DIR": work}
            done = subprocess.run(
                [sys.executable, "-c", _TIMED, corpus, mode, json.dumps(FIELDS)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            out[mode] = json.loads(done.stdout.strip().splitlines()[-1])
        print(mode, json.dumps(out[mode]), flush=True)
    # The runs of a shared machine vary by more than the copies cost: the copies stage's own time, against the rest
    # of the same run, is the figure; the two totals are shown beside it.
    copies_seconds = out["with"]["stages"]["copies"]["seconds"]
    out["copies_seconds"] = copies_seconds
    out["added_share"] = round(copies_seconds / (out["with"]["seconds"] - copies_seconds), 4)
    out["added_share_of_totals"] = round(out["with"]["seconds"] / out["without"]["seconds"] - 1, 4)
    return out


def stage(corpus: str, baseline_file: str, rounds: int) -> dict:
    import importlib.util
    import warnings

    from kliping import io, pipeline
    from kliping.clean import copies

    spec = importlib.util.spec_from_file_location("baseline_copies", baseline_file)
    baseline = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(baseline)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cleaned = pipeline.clean(io.read_corpus(corpus), progress=False, copies=False)
    seconds: dict[str, list] = {"baseline": [], "new": []}
    results = {}
    for _ in range(rounds):
        for name, module in (("baseline", baseline), ("new", copies)):
            start = time.process_time()
            results[name] = module.marked_and_signatures(cleaned)
            seconds[name].append(round(time.process_time() - start, 3))
        print(json.dumps(seconds), flush=True)
    (old_table, old_sig), (new_table, new_sig) = results["baseline"], results["new"]
    columns = ["duplicate_of", "copy_similarity"]
    parts: dict[str, list] = {"signatures": [], "shingles": []}
    ok = (cleaned["status"] == "ok").to_numpy()
    texts = [text if keep else "" for text, keep in zip(cleaned["content"].tolist(), ok)]
    for _ in range(rounds):
        start = time.process_time()
        copies.table_signatures(cleaned)
        parts["signatures"].append(round(time.process_time() - start, 3))
        start, words = time.process_time(), copies._Words()
        for first in range(0, len(texts), copies._TEXTS):  # as signatures() hashes them, in blocks
            copies._corpus_shingles(texts[first : first + copies._TEXTS], words)
        parts["shingles"].append(round(time.process_time() - start, 3))
    return {
        "articles": len(cleaned),
        "cpu_seconds": seconds,
        "median": {name: float(np.median(values)) for name, values in seconds.items()},
        "new_parts_cpu_seconds": parts,
        "new_parts_median": {name: float(np.median(values)) for name, values in parts.items()},
        "same_signatures": bool(np.array_equal(old_sig, new_sig)),
        "same_copies": bool(old_table[columns].equals(new_table[columns])),
        "copies": int(new_table["duplicate_of"].notna().sum()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="?", choices=["quality", "time", "stage"], default="quality")
    parser.add_argument("--near", type=int, default=300)
    parser.add_argument("--exact", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", default=str(CLICKID / "articles.jsonl"))
    parser.add_argument("--baseline-copies", help="stage: another checkout's lib/kliping/clean/copies.py")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.what == "stage":
        if not args.baseline_copies:
            parser.error("stage needs --baseline-copies FILE")
        result = stage(args.corpus, args.baseline_copies, args.rounds)
    elif args.what == "quality":
        result = quality(args.near, args.exact, args.seed)
    else:
        result = timing(args.corpus)
    print(json.dumps(result, indent=1, default=str))


if __name__ == "__main__":
    main()
