"""kliping's topics against the CLICK-ID desks, on the issue-13 measures, on two disjoint samples.

For ``sample_stratified.jsonl`` (3,235 articles, 9 desks) and a held-out stratified sample drawn from
``articles.jsonl`` that shares no article with it (up to 375 per desk, round-robin over sites, ``lainnya`` and
bodies under 300 characters left out, seed 20251203: 2,806 articles, 8 desks), at k = number of desks and seeds
0, 1, 2, this prints for kliping (``pipeline.vectorize`` → ``cluster`` → ``describe``, exactly what ``kliping run``
does) and for kliping before issue 13 (LSA + spectral, c-TF-IDF words):

* NMI and ARI against ``category_coarse`` (mean ± sd over the seeds);
* NPMI: c_npmi of each topic's first 10 ``top_terms`` by whole-article co-occurrence over all 22,136 articles,
  in kliping's stem space (the words are taken as stems, before they are shown as display words);
* diversity: the unique share of all topics' first 25 words;

both scored by :mod:`kliping.evaluation.topics`, as ``bench_topics.py`` scores every system.

The labels are only scored, never used to fit or choose anything. Stems are cached (``--cache``).

Usage::

    .venv/bin/python benchmarks/bench_topics_quality.py        # about 4 minutes on 2 cores
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from kliping import config, pipeline, stem
from kliping.evaluation import topics as scoring
from kliping.topics import clustering as cluster
from kliping.topics import tfidf as vectorize
from kliping.topics import words as topicwords

FOLDER = config.CORPORA_DIR / "clickid_labelled_news"
LABEL_FIELD = "category_coarse"


def held_out_sample(path: Path, per_desk: int = 375, seed: int = 20251203) -> int:
    """Write the held-out stratified sample to ``path``; returns its size."""
    taken = {json.loads(line)["id"] for line in (FOLDER / "sample_stratified.jsonl").open(encoding="utf-8")}
    pools: dict = defaultdict(lambda: defaultdict(list))
    for line in (FOLDER / "articles.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        if record["id"] in taken or record[LABEL_FIELD] == "lainnya" or len(record.get("content") or "") < 300:
            continue
        pools[record[LABEL_FIELD]][record["source_site"]].append(record)
    rng = random.Random(seed)
    chosen = []
    for desk in sorted(pools):
        sites = pools[desk]
        for site in sites:
            rng.shuffle(sites[site])
        picked: list = []
        while len(picked) < per_desk and any(sites.values()):
            for site in sorted(sites):
                if sites[site] and len(picked) < per_desk:
                    picked.append(sites[site].pop())
        chosen += picked
    rng.shuffle(chosen)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen), encoding="utf-8")
    return len(chosen)


def stems(path, cache) -> tuple[list, np.ndarray, list]:
    """Read, clean and stem a labelled corpus as ``kliping run`` does; the usable articles' stems and labels."""
    cleaned = pipeline.clean(pipeline.load(path, label_field=LABEL_FIELD), progress=False)
    stemmed = pipeline.stem(cleaned, cache_dir=cache, progress=False)
    usable = pipeline.usable_rows(cleaned, stemmed.tokens)
    tokens = [t for t, ok in zip(stemmed.tokens, usable) if ok]
    return tokens, cleaned.loc[usable, "label"].astype(str).to_numpy(), cleaned.loc[usable, "title"].tolist()


def kliping_now(tokens, titles, k, seed):
    """What ``kliping run --k K`` does: its topics and the words of its topics.csv (as stems)."""
    frame = pd.DataFrame({"id": [str(i) for i in range(len(tokens))], "status": "ok", "title": titles})
    vectors = pipeline.vectorize(frame, stem.StemResult(tokens=tokens, display_words={}, stem_of={}), seed=seed)
    clustering = pipeline.cluster(vectors, k=k, seed=seed)
    return clustering.topics.labels, pipeline.describe(frame, vectors, clustering)["top_terms"].tolist()


def kliping_before(tokens, titles, k, seed):
    """kliping before issue 13: LSA (100 dims) + spectral, each topic's 25 most c-TF-IDF-weighted words."""
    vectorizer, X = vectorize.tfidf(tokens)
    _, Z = vectorize.lsa(X, seed=seed)
    topics = cluster.fit_topics(Z, k, seed=seed, n_neighbors=50)  # its fixed graph of 50 neighbours
    words = [[w for w, _ in t] for t in topicwords.distinctive_terms(X, vectorizer, topics, n=25)]
    return topics.labels, words


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--cache", default=None, help="stem cache folder (default: kliping's)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        held = Path(tmp) / "held_out.jsonl"
        held_out_sample(held)
        reference = scoring.Reference.from_token_lists(stems(FOLDER / "articles.jsonl", args.cache)[0])
        samples = {
            "sample_stratified": stems(FOLDER / "sample_stratified.jsonl", args.cache),
            "held-out": stems(held, args.cache),
        }
    for name, (tokens, truth, titles) in samples.items():
        k = len(set(truth))
        print(f"\n{name}: {len(truth):,} articles, {k} desks, k = {k}, seeds {args.seeds}")
        print(f"{'system':<34} {'NMI':>13} {'ARI':>6} {'NPMI':>6} {'div':>6}")
        for system, method in (("kliping", kliping_now), ("kliping before issue 13", kliping_before)):
            runs = []
            for seed in args.seeds:
                labels, words = method(tokens, titles, k, seed)
                words = [list(topic) for topic in words]
                runs.append(
                    {
                        "nmi": normalized_mutual_info_score(truth, labels),
                        "ari": adjusted_rand_score(truth, labels),
                        "npmi": scoring.npmi(words, reference, stems=True),
                        "diversity": scoring.diversity(words, reference, stems=True),
                    }
                )
            r = pd.DataFrame(runs)
            print(
                f"{system:<34} {r.nmi.mean():.3f} ± {r.nmi.std(ddof=0):.3f} {r.ari.mean():6.3f} "
                f"{r.npmi.mean():6.3f} {r.diversity.mean():6.3f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
