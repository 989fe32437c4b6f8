"""How well do kliping's topics agree with editors' categories? Side by side with baselines, in one run.

On the CLICK-ID stratified sample (3,235 articles, 9 coarse categories in
``category_coarse``), at k = 9 and for 5 seeds, this prints NMI and ARI
(mean ± sd) of

* **kliping**: clean → stem → TF-IDF → document vectors → spectral clustering, exactly what
  ``kliping run --k 9`` does (:func:`kliping.pipeline.vectorize` and :func:`kliping.pipeline.cluster`);
* other clusterers on kliping's vectors (KMeans on its document vectors, NMF on TF-IDF), to show
  why the spectral method is the default;
* **baselines** on the raw text: scikit-learn defaults (``TfidfVectorizer()`` +
  ``KMeans(9)``), a tuned TF-IDF + LSA + KMeans (no cleaning, no stemming), and
  the supervised ceiling (5-fold logistic regression on TF-IDF);
* two **bounds** on kliping's own vectors, which use the answers: a 10-nearest-
  neighbour classifier (5-fold), and 100 fine KMeans topics each given their
  majority category. They show how far any partition of these vectors could
  agree with the categories;
* an **ablation**: kliping without cleaning, without stopword removal,
  without stemming, and without all three.

The seed changes everything random: word vectors, clustering, folds. Stems are cached
by :mod:`kliping.stem` (in ``KLIPING_WORK_DIR``/cache, or ``data/cache``).

Usage::

    .venv/bin/python benchmarks/bench_cluster.py                # about 3 minutes on 2 cores
    .venv/bin/python benchmarks/bench_cluster.py --seeds 0 1    # fewer seeds, faster
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import NMF, TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer

from kliping import clean, config, io, pipeline, stem
from kliping.topics import tfidf as vectorize

SAMPLE = config.CORPORA_DIR / "clickid_labelled_news" / "sample_stratified.jsonl"
LABEL_FIELD = "category_coarse"
K = 9


# --------------------------------------------------------------------------- token variants (ablation)
def plain_tokens(texts: list[str], stem_of: dict[str, str] | None, stopwords: frozenset[str] | None) -> list[list[str]]:
    """Lowercase words of kliping's tokenizer, optionally stemmed and without stopwords.

    ``stem_of`` is the word -> stem map of a :class:`kliping.stem.StemResult`
    (None: keep words as written); ``stopwords`` None keeps them. Numbers and
    web addresses are dropped as :func:`kliping.stem.stem_corpus` does, so
    only the switched step differs.
    """
    out = []
    for text_tokens in stem.tokenize_texts(list(texts)):
        tokens = []
        for token in text_tokens:
            word = token.lower()
            if len(word) < 2 or not (token.isalpha() or stem.token_kind(token) == "word"):
                continue
            if stopwords is not None and word in stopwords:
                continue
            tokens.append(stem_of.get(word, word) if stem_of is not None else word)
        out.append(tokens)
    return out


# --------------------------------------------------------------------------- methods
def kliping_vectors(tokens: list[list[str]], seed: int) -> pipeline.Vectors:
    """``pipeline.vectorize``, the stage ``kliping run`` uses, on token lists (every article read fine)."""
    frame = pd.DataFrame({"id": [str(i) for i in range(len(tokens))], "status": "ok"})
    return pipeline.vectorize(frame, stem.StemResult(tokens=tokens, display_words={}, stem_of={}), seed=seed)


def kliping_method(tokens: list[list[str]], seed: int, method: str = "auto") -> np.ndarray:
    """``pipeline.vectorize`` + ``pipeline.cluster`` at k = 9; an article left without a stem gets -1."""
    vectors = kliping_vectors(tokens, seed)
    labels = np.full(len(tokens), -1)
    labels[vectors.usable] = pipeline.cluster(vectors, k=K, seed=seed, method=method).topics.labels
    return labels


def kmeans_on_kliping_vectors(tokens, seed):
    return kliping_method(tokens, seed, method="kmeans")


def nmf_on_kliping_vectors(tokens, seed):
    _, X = vectorize.tfidf(tokens)
    return NMF(K, init="nndsvda", random_state=seed, max_iter=400).fit_transform(X).argmax(axis=1)


def sklearn_defaults(texts, seed):
    """What a first try looks like: every default of TfidfVectorizer and KMeans."""
    return KMeans(K, random_state=seed).fit_predict(TfidfVectorizer().fit_transform(texts))


def tuned_lsa_kmeans(texts, seed):
    """scikit-learn's text-clustering example, tuned: sublinear TF-IDF, df limits, LSA(100), KMeans."""
    X = TfidfVectorizer(sublinear_tf=True, min_df=2, max_df=0.5).fit_transform(texts)
    Z = make_pipeline(TruncatedSVD(100, random_state=seed), Normalizer(copy=False)).fit_transform(X)
    return KMeans(K, n_init=10, random_state=seed).fit_predict(Z)


def supervised_ceiling(texts, seed, truth):
    """Logistic regression trained on the labels themselves, 5-fold out-of-fold predictions."""
    model = make_pipeline(
        TfidfVectorizer(sublinear_tf=True, min_df=2, max_df=0.5), LogisticRegression(C=10, max_iter=1000)
    )
    folds = StratifiedKFold(5, shuffle=True, random_state=seed)
    return cross_val_predict(model, texts, truth, cv=folds)


def knn_on_kliping_vectors(tokens, seed, truth):
    """Bound: a supervised 10-nearest-neighbour classifier on kliping's own document vectors, 5-fold.

    Clustering groups articles by the same cosine neighbourhoods; if even the
    neighbours' true categories predict an article's category only this well,
    no partition of these vectors can agree with the categories much better.
    """
    Z = kliping_vectors(tokens, seed).Z  # kliping's own document vectors
    folds = StratifiedKFold(5, shuffle=True, random_state=seed)
    return cross_val_predict(KNeighborsClassifier(10, metric="cosine"), Z, truth, cv=folds)


def oracle_merge_of_fine_topics(tokens, seed, truth, n_fine=100):
    """Bound: KMeans(100) on kliping's document vectors, each fine topic then given its majority category.

    The best any merge of fine topics into 9 could do: it uses the answers.
    """
    Z = kliping_vectors(tokens, seed).Z  # kliping's own document vectors
    fine = KMeans(n_fine, n_init=3, random_state=seed).fit_predict(Z)
    majority = pd.crosstab(fine, truth).idxmax(axis=1)
    return majority.loc[fine].to_numpy()


USES_TRUTH = (supervised_ceiling, knn_on_kliping_vectors, oracle_merge_of_fine_topics)


# --------------------------------------------------------------------------- measuring
def score(name: str, group: str, method, data, truth: np.ndarray, seeds) -> dict:
    nmis, aris = [], []
    started = time.perf_counter()
    for seed in seeds:
        labels = method(data, seed, truth) if method in USES_TRUTH else method(data, seed)
        nmis.append(normalized_mutual_info_score(truth, labels))
        aris.append(adjusted_rand_score(truth, labels))
    seconds = (time.perf_counter() - started) / len(seeds)
    row = {
        "group": group,
        "method": name,
        "nmi_mean": np.mean(nmis),
        "nmi_sd": np.std(nmis),
        "ari_mean": np.mean(aris),
        "ari_sd": np.std(aris),
        "seconds_per_seed": seconds,
    }
    print(
        f"{group:>9}  {name:<58} NMI {row['nmi_mean']:.3f} ± {row['nmi_sd']:.3f}   "
        f"ARI {row['ari_mean']:.3f} ± {row['ari_sd']:.3f}   {seconds:5.1f} s/seed",
        flush=True,
    )
    return row


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", default=str(SAMPLE), help="labelled JSONL (default: the CLICK-ID sample)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--json", help="also write the table here")
    args = parser.parse_args(argv)

    articles = io.read_corpus(args.sample, label_field=LABEL_FIELD)
    labelled = articles["status"].eq("ok") & articles["label"].notna()
    cleaned = clean.clean_articles(articles, progress=False)
    texts = pipeline.stem_input(cleaned)
    stemmed = stem.stem_corpus(texts, progress=False)
    usable = pipeline.usable_rows(cleaned, stemmed.tokens) & labelled.to_numpy()
    # The same articles for every method, so the scores compare.
    cleaned_text = [t for t, ok in zip(texts, usable) if ok]
    raw_text = [
        f"{title}\n{text}" for title, text, ok in zip(articles["title"].fillna(""), articles["text"], usable) if ok
    ]
    truth = articles.loc[usable, "label"].astype(str).to_numpy()
    tokens = [t for t, ok in zip(stemmed.tokens, usable) if ok]
    raw_stemmed = stem.stem_corpus(raw_text, progress=False)
    stopwords = stem.load_stopwords()
    print(
        f"{args.sample}: {len(truth):,} labelled articles, {len(set(truth))} categories, k = {K}, seeds {args.seeds}\n"
    )

    runs = [
        ("kliping", "kliping: clean + stem + TF-IDF + word-vector documents + spectral", kliping_method, tokens),
        ("method", "KMeans on kliping's document vectors", kmeans_on_kliping_vectors, tokens),
        ("method", "NMF on kliping's TF-IDF (argmax of the weights)", nmf_on_kliping_vectors, tokens),
        ("baseline", "sklearn defaults: TfidfVectorizer() + KMeans(9), raw text", sklearn_defaults, raw_text),
        ("baseline", "tuned TF-IDF + LSA(100) + KMeans, raw text", tuned_lsa_kmeans, raw_text),
        ("ceiling", "supervised: logistic regression, 5-fold, raw text", supervised_ceiling, raw_text),
        ("bound", "supervised: 10-NN on kliping's document vectors, 5-fold", knn_on_kliping_vectors, tokens),
        ("bound", "oracle: KMeans(100) on kliping's vectors, majority category", oracle_merge_of_fine_topics, tokens),
        ("ablation", "kliping without cleaning (raw page text)", kliping_method, raw_stemmed.tokens),
        (
            "ablation",
            "kliping without stopword removal",
            kliping_method,
            plain_tokens(cleaned_text, stemmed.stem_of, None),
        ),
        ("ablation", "kliping without stemming", kliping_method, plain_tokens(cleaned_text, None, stopwords)),
        (
            "ablation",
            "kliping without cleaning, stopword removal and stemming",
            kliping_method,
            plain_tokens(raw_text, None, None),
        ),
    ]
    rows = [score(name, group, method, data, truth, args.seeds) for group, name, method, data in runs]
    table = pd.DataFrame(rows)
    full = table.iloc[0]
    print(
        f"\nkliping: NMI {full.nmi_mean:.3f} ± {full.nmi_sd:.3f} (target ≥ 0.60, sd ≤ 0.02): "
        f"{'met' if full.nmi_mean >= 0.60 and full.nmi_sd <= 0.02 else 'NOT met'}"
    )
    for _, row in table[table["group"] == "ablation"].iterrows():
        step = re.sub(r"^kliping without ", "", row["method"])
        print(f"  {step:<40} adds {full.nmi_mean - row.nmi_mean:+.3f} NMI, {full.ari_mean - row.ari_mean:+.3f} ARI")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(table.round(4).to_dict("records"), handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
