"""kliping's topics beside the topic models a user would otherwise pick, on two CLICK-ID samples (issue 13).

For each sample, at k = the number of desks (``category_coarse``) and for each seed, this runs

* **kliping**: ``kliping run SAMPLE -o OUT --k K --seed S`` (the command line, in a subprocess, with the library
  of ``--kliping-lib``); its topics are read back from ``assignments.csv`` and its words from ``topics.csv``
  (:func:`kliping.evaluation.topics.shown_words`);
* **Top2Vec 1.0.34**, doc2vec trained on the sample (``speed="learn"``, ``min_count=5``), reduced to k topics by its
  ``hierarchical_topic_reduction``;
* **NMF** on the TF-IDF of kliping's stems (the same stems kliping clusters);
* **BERTopic 0.17** with a TF-IDF → TruncatedSVD(100) → Normalizer pipeline (LSA) as ``embedding_model``,
  its default UMAP (seeded)
  and HDBSCAN, ``nr_topics = k + 1`` (its outlier topic -1 counts as one), scored after ``reduce_outliers``
  (and ``update_topics``, so the words describe the scored topics);
* **LDA** (gensim) on kliping's stems, 10 passes;
* **scikit-learn defaults**: ``TfidfVectorizer()`` + ``KMeans(k)`` on the raw text.

Peers read the title and body as the corpus has them (``title + "\\n" + content``); they tokenize themselves.

Each is scored by one implementation (:mod:`kliping.evaluation.topics`): NMI and ARI against the desks
(mean ± sd over the seeds), NPMI of each topic's top-10 words over all 22,136 articles of
``articles.jsonl`` in kliping's stem space (every system's words mapped there by kliping's stemmer), the
diversity of the top-25 words, and the seconds per run. Beside them (issue 27): the **seeds' agreement**, the mean
ARI between every two seeds' partitions (label-free: 1 = the same topics whatever the seed); the **label cover**,
the smallest share, over topics of 30 articles or more, of a topic's articles that hold one of its three label
words (kliping's ``label`` column, a peer's first three words); and, on a sample holding both economy and
technology, NMI / ARI with those two overlapping desks merged.

The samples:

* ``stratified``: ``../shared/corpora/clickid_labelled_news/sample_stratified.jsonl`` (3,235 articles, 9 desks);
* ``held_out``: drawn by :func:`draw_held_out` from ``articles.jsonl``: no article whose id, url or content
  is in the first sample, the same recipe (up to 350 per desk, no ``lainnya``, no body under 300
  characters, round-robin over the sites, seed 20240601). religi has all its 235 articles in the first
  sample, so this one has 8 desks. It is written to ``WORK/held_out.jsonl`` (never committed).

Proxies of a corpus unlike the one settings are chosen on (issue 27), each drawn on first use into
``WORK/<name>.jsonl``: the nine sites split in two groups that share no outlet, ``DEV_SITES`` (okezone, kompas,
wowkeren, fimela, posmetro-medan: settings are chosen here) and ``CONFIRM_SITES`` (tempo, sindonews, tribunnews,
kapanlagi: only confirmed on):

* ``sites_dev`` / ``sites_confirm``: the held-out recipe on one group's articles (desks with under 100 articles
  there left out): 2,905 articles, 9 desks / 2,686 articles, 8 desks;
* ``unlike_dev`` / ``unlike_confirm``: 2,900 articles of six desks in uneven numbers (:data:`UNLIKE_MIX`: national
  900 … international 200), drawn at random inside each desk, so sites come in whatever share they happen to.

Installing the peers (a separate venv keeps the project's own clean)::

    python3 -m venv /work/benchvenv
    /work/benchvenv/bin/pip install -e '.[dev,peers]'
    # BERTopic declares sentence-transformers (and so torch): install it without its dependencies;
    # the ones it needs here (umap-learn, hdbscan, plotly) come with the peers extra.
    /work/benchvenv/bin/pip install --no-deps bertopic==0.17.4

(Top2Vec is pinned to 1.0.34: 1.0.36 imports torch.)

Usage::

    /work/benchvenv/bin/python benchmarks/bench_topics.py --seeds 0 1 2         # everything: about an hour
    /work/benchvenv/bin/python benchmarks/bench_topics.py --systems kliping nmf --samples held_out
    /work/benchvenv/bin/python benchmarks/bench_topics.py --table                # the stored results only
    # leave-sites-out and the uneven six-desk mix (kliping and NMF need no peer venv):
    .venv/bin/python benchmarks/bench_topics.py --systems kliping nmf --samples sites_confirm unlike_confirm
    # kliping from another worktree (its lib on PYTHONPATH of the kliping subprocess):
    /work/benchvenv/bin/python benchmarks/bench_topics.py --systems kliping --kliping-lib /work/wt-quality/lib

Scoring a candidate from Python (see :func:`score_candidate` and :func:`score_run_output`)::

    import sys; sys.path.insert(0, "/work/wt-bench/benchmarks")
    import bench_topics
    bench_topics.score_candidate("held_out", ids, labels, topic_words)   # -> {"nmi": .., "ari": .., ...}
    bench_topics.score_run_output("held_out", "out_dir")                # a `kliping run` output folder

Every run's scores are kept in ``WORK/results/<sample>/<system>/seed<S>.json``; the tables are printed
from them, so a subset can be rerun. ``WORK`` is ``--work-dir`` (default ``KLIPING_WORK_DIR``/bench_topics,
else ``data/interim/bench_topics``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from kliping import config
from kliping.evaluation import topics as evaluation

CORPUS_DIR = config.CORPORA_DIR / "clickid_labelled_news"
ARTICLES = CORPUS_DIR / "articles.jsonl"
FIRST_SAMPLE = CORPUS_DIR / "sample_stratified.jsonl"
LABEL_FIELD = "category_coarse"
#: The recipe of sample_stratified.jsonl (its PROVENANCE.md): up to 375 per desk, no "lainnya",
#: no body under 300 characters, round-robin over the sites inside each desk, seed 20240601. The held-out
#: sample takes 350 per desk: with 375 it had 2,806 articles, with 350 it has 2,656 (about the 2,318 of issue 13).
PER_DESK = 350
MIN_BODY = 300
SAMPLE_SEED = 20240601
#: The CLICK-ID samples, then the proxies of a corpus unlike the one settings were chosen on (issue 27): the sites
#: split in two groups that share no outlet; settings are chosen on ``DEV_SITES`` and confirmed on ``CONFIRM_SITES``.
SAMPLES = ("stratified", "held_out", "sites_dev", "sites_confirm", "unlike_dev", "unlike_confirm")
DEV_SITES = ("okezone.com", "kompas.com", "wowkeren.com", "fimela.com", "posmetro-medan.com")
CONFIRM_SITES = ("tempo.co", "sindonews.com", "tribunnews.com", "kapanlagi.com")
#: The "unlike" mix (issue 27's second corpus: ~2,900 articles, six categories, uneven desks): articles drawn at
#: random inside each desk (not round-robin over sites, so a site's share is what it happens to be). Economy and
#: technology overlap (start-ups, gadgets' prices): they are also scored merged (``nmi_merged``, ``ari_merged``).
UNLIKE_MIX = {
    "berita_nasional_daerah": 900,
    "olahraga": 650,
    "hiburan_selebriti": 500,
    "ekonomi_bisnis": 400,
    "teknologi_sains": 250,
    "internasional": 200,
}
OVERLAPPING = ("ekonomi_bisnis", "teknologi_sains")
#: A desk with fewer articles than this in a site group is left out of that group's sample.
MIN_DESK = 100
#: kliping runs with these field options (the CLICK-ID names).
KLIPING_FIELDS = {
    "--text-field": "content",
    "--title-field": "title",
    "--id-field": "id",
    "--url-field": "url",
    "--site-field": "source_site",
    "--date-field": "date",
    "--label-field": LABEL_FIELD,
}
TOP_WORDS = evaluation.DIVERSITY_WORDS  # words asked of every peer per topic


def default_work_dir() -> Path:
    if os.environ.get("KLIPING_WORK_DIR"):
        return Path(os.environ["KLIPING_WORK_DIR"]) / "bench_topics"
    return config.INTERIM_DIR / "bench_topics"


# --------------------------------------------------------------------------- samples
def read_jsonl(path: Path) -> pd.DataFrame:
    with open(path, encoding="utf-8") as handle:
        return pd.DataFrame([json.loads(line) for line in handle if line.strip()])


def _content_key(text) -> str:
    return " ".join(str(text or "").split())


def draw_held_out(articles: pd.DataFrame, first: pd.DataFrame, per_desk: int = PER_DESK, seed: int = SAMPLE_SEED):
    """A second stratified sample that shares no article (id, url or content) with ``first``.

    Same recipe as ``sample_stratified.jsonl``: up to ``per_desk`` articles per desk, ``lainnya`` and bodies
    under 300 characters left out, taken round-robin over the sites of each desk (each site's articles in a
    seeded random order). Content repeated inside the pool is kept once. Deterministic for a seed.
    """
    taken_ids, taken_urls = set(first["id"]), set(first["url"].dropna())
    taken_content = set(first["content"].map(_content_key))
    pool = articles[
        ~articles["id"].isin(taken_ids)
        & ~articles["url"].isin(taken_urls)
        & ~articles["content"].map(_content_key).isin(taken_content)
        & articles[LABEL_FIELD].notna()
        & (articles[LABEL_FIELD] != "lainnya")
        & (articles["content"].fillna("").str.len() >= MIN_BODY)
    ]
    pool = pool[~pool["content"].map(_content_key).duplicated()]
    rng = np.random.default_rng(seed)
    chosen = []
    for desk in sorted(pool[LABEL_FIELD].unique()):
        in_desk = pool[pool[LABEL_FIELD] == desk]
        queues = {
            site: list(rng.permutation(group.index.to_numpy()))
            for site, group in sorted(in_desk.groupby("source_site"), key=lambda item: item[0])
        }
        taken = []
        while len(taken) < per_desk and any(queues.values()):
            for site in sorted(queues):
                if queues[site] and len(taken) < per_desk:
                    taken.append(queues[site].pop(0))
        chosen += taken
    return articles.loc[chosen].reset_index(drop=True)


def _pool(articles: pd.DataFrame, sites) -> pd.DataFrame:
    """The articles of ``sites`` with a desk (not ``lainnya``) and a body of 300 characters, content once."""
    pool = articles[
        articles["source_site"].isin(sites)
        & articles[LABEL_FIELD].notna()
        & (articles[LABEL_FIELD] != "lainnya")
        & (articles["content"].fillna("").str.len() >= MIN_BODY)
    ]
    return pool[~pool["content"].map(_content_key).duplicated()]


def draw_sites(articles: pd.DataFrame, sites, per_desk: int = PER_DESK, seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """A stratified sample of only ``sites`` (the recipe of :func:`draw_held_out`); desks under ``MIN_DESK``
    articles there are left out."""
    pool = _pool(articles, sites)
    counts = pool[LABEL_FIELD].value_counts()
    pool = pool[pool[LABEL_FIELD].isin(counts[counts >= MIN_DESK].index)]
    return draw_held_out(pool, pool.iloc[:0], per_desk=per_desk, seed=seed)


def draw_unlike(articles: pd.DataFrame, sites, mix=None, seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """The uneven six-desk mix of :data:`UNLIKE_MIX` from ``sites``: each desk's articles at random, shuffled."""
    pool = _pool(articles, sites)
    rng = np.random.default_rng(seed)
    chosen = []
    for desk, n in (mix or UNLIKE_MIX).items():
        index = pool.index[pool[LABEL_FIELD] == desk].to_numpy()
        chosen += list(rng.choice(index, size=min(n, len(index)), replace=False))
    return articles.loc[rng.permutation(np.array(chosen))].reset_index(drop=True)


def _draw(name: str) -> pd.DataFrame:
    articles = read_jsonl(ARTICLES)
    if name == "held_out":
        return draw_held_out(articles, read_jsonl(FIRST_SAMPLE))
    sites = DEV_SITES if name.endswith("_dev") else CONFIRM_SITES
    return draw_sites(articles, sites) if name.startswith("sites_") else draw_unlike(articles, sites)


def sample_path(name: str, work_dir: Path) -> Path:
    """The JSONL of a sample; every one but the stratified is drawn and written on first use."""
    if name == "stratified":
        return FIRST_SAMPLE
    if name not in SAMPLES:
        raise ValueError(f"unknown sample {name!r}: use one of {', '.join(SAMPLES)}")
    path = work_dir / f"{name}.jsonl"
    if not path.exists():
        drawn = _draw(name)
        work_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=work_dir, delete=False, encoding="utf-8") as handle:
            for record in drawn.to_dict("records"):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        os.replace(handle.name, path)
    return path


@dataclass
class Sample:
    """A labelled sample: its articles (``id``, ``text`` = title + body as given, ``truth``) and kliping's stems."""

    name: str
    path: Path
    frame: pd.DataFrame
    tokens: list  # kliping's stems of each article (title and cleaned body), in frame order

    @property
    def k(self) -> int:
        return int(self.frame["truth"].nunique())


@cache
def load_sample(name: str, work_dir: Path) -> Sample:
    from kliping import pipeline

    path = sample_path(name, work_dir)
    raw = read_jsonl(path)
    frame = pd.DataFrame(
        {
            "id": raw["id"].astype(str),
            "text": (raw["title"].fillna("") + "\n" + raw["content"].fillna("")).tolist(),
            "truth": raw[LABEL_FIELD],
        }
    )
    fields = {f[2:].replace("-", "_"): v for f, v in KLIPING_FIELDS.items()}
    articles = pipeline.load(path, **fields)
    cleaned = pipeline.clean(articles, progress=False)
    stemmed = pipeline.stem(cleaned, cache_dir=work_dir / "cache", progress=False)
    usable = pipeline.usable_rows(cleaned, stemmed.tokens)
    by_id = {i: (t if ok else []) for i, t, ok in zip(cleaned["id"].astype(str), stemmed.tokens, usable)}
    return Sample(name=name, path=path, frame=frame, tokens=[by_id.get(i, []) for i in frame["id"]])


# --------------------------------------------------------------------------- the reference corpus
@cache
def reference(work_dir: Path) -> evaluation.Reference:
    """The 22,136 articles as sets of kliping stems (read, cleaned and stemmed as ``kliping run`` does), cached."""
    folder = work_dir / "reference"
    if (folder / "reference.json").exists():
        return evaluation.Reference.load(folder)
    from kliping import pipeline

    fields = {f[2:].replace("-", "_"): v for f, v in KLIPING_FIELDS.items()}
    with warnings.catch_warnings():  # 90 articles without a body: they are articles of the corpus all the same
        warnings.simplefilter("ignore")
        articles = pipeline.load(ARTICLES, **fields)
    cleaned = pipeline.clean(articles, progress=False)
    stemmed = pipeline.stem(cleaned, cache_dir=work_dir / "cache", progress=False)
    ref = evaluation.Reference.from_token_lists(stemmed.tokens, stemmed.stem_of)
    ref.save(folder)
    return ref


# --------------------------------------------------------------------------- the systems
@dataclass
class Fit:
    """One system's result on one sample: each article's topic (frame order) and each topic's words."""

    labels: np.ndarray
    words: list  # per topic (no outlier topic), best first
    stems: bool = False  # the words are kliping stems already
    label_words: list | None = None  # per topic, the three words it is labelled with (default: its first three)


def run_kliping(sample: Sample, k: int, seed: int, work_dir: Path, kliping_lib: Path) -> Fit:
    """``kliping run`` in a subprocess (the library of ``kliping_lib``), read back from its output files."""
    out = work_dir / "runs" / sample.name / f"kliping_seed{seed}"
    env = dict(os.environ, PYTHONPATH=str(kliping_lib), KLIPING_WORK_DIR=str(work_dir))
    command = [sys.executable, "-c", "import sys; from kliping.cli import main; sys.exit(main())", "run"]
    command += [str(sample.path), "-o", str(out), "--k", str(k), "--seed", str(seed)]
    command += [part for pair in KLIPING_FIELDS.items() for part in pair]
    finished = subprocess.run(command, env=env, capture_output=True, text=True)
    if finished.returncode != 0:
        raise RuntimeError(f"kliping run failed ({finished.returncode}): {finished.stderr.strip()[-2000:]}")
    return read_run_output(sample, out)


def read_run_output(sample: Sample, out: Path | str) -> Fit:
    """A ``kliping run`` output folder as a :class:`Fit` on ``sample`` (articles it left out get topic -1)."""
    out = Path(out)
    assignments = pd.read_csv(out / "assignments.csv", dtype={"id": str})
    topic_of = dict(zip(assignments["id"], assignments["topic"]))
    labels = np.array([topic_of.get(i, -1) for i in sample.frame["id"]])
    topics = pd.read_csv(out / "topics.csv")
    named = [str(label).split(" · ") for label in topics.sort_values("topic")["label"].fillna("")]
    return Fit(labels=labels, words=evaluation.shown_words(topics), label_words=named)


def run_top2vec(sample: Sample, k: int, seed: int, **_) -> Fit:
    from top2vec import Top2Vec

    umap_args = {"n_neighbors": 15, "n_components": 5, "metric": "cosine", "random_state": seed}
    # min_count 5, as Top2Vec's documentation advises for small corpora: with its default 50 (seed 0, held-out
    # sample) doc2vec kept 1,897 words and HDBSCAN found 4 topics, fewer than the 8 desks (NMI 0.20); with 5,
    # 11,582 words, 32 topics reduced to 8, NMI 0.40 (KMeans(8) on its document vectors: 0.40 too).
    model = Top2Vec(
        sample.frame["text"].tolist(),
        embedding_model="doc2vec",
        speed="learn",
        min_count=5,
        workers=2,
        umap_args=umap_args,
    )
    reduced = model.get_num_topics() > k
    if reduced:
        model.hierarchical_topic_reduction(k)
    labels = np.asarray(model.doc_top_reduced if reduced else model.doc_top)
    words, _, _ = model.get_topics(reduced=reduced)
    return Fit(labels=labels, words=[list(w[:TOP_WORDS]) for w in words])


def _stem_tfidf(sample: Sample):
    from kliping.topics import tfidf as vectorize

    usable = np.array([len(t) > 0 for t in sample.tokens])
    vectorizer, X = vectorize.tfidf([t for t, ok in zip(sample.tokens, usable) if ok])
    return usable, vectorizer, X


def run_nmf(sample: Sample, k: int, seed: int, **_) -> Fit:
    from sklearn.decomposition import NMF

    usable, vectorizer, X = _stem_tfidf(sample)
    model = NMF(k, init="nndsvda", random_state=seed, max_iter=400)
    labels = np.full(len(usable), -1)
    labels[usable] = model.fit_transform(X).argmax(axis=1)
    terms = vectorizer.get_feature_names_out()
    words = [list(terms[np.argsort(-row, kind="stable")[:TOP_WORDS]]) for row in model.components_]
    return Fit(labels=labels, words=words, stems=True)


def run_bertopic(sample: Sample, k: int, seed: int, **_) -> Fit:
    from bertopic import BERTopic
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import Normalizer
    from umap import UMAP

    docs = sample.frame["text"].tolist()
    # The LSA recipe of scikit-learn's text-clustering example. With TfidfVectorizer() and unnormalised SVD rows
    # (seed 0, held-out sample) BERTopic's merge down to k + 1 topics put 2,154 of 2,656 articles in one topic
    # and scored NMI 0.05; with this recipe 0.31.
    embedder = make_pipeline(
        TfidfVectorizer(sublinear_tf=True, min_df=2, max_df=0.5), TruncatedSVD(100, random_state=seed), Normalizer()
    )
    # BERTopic's own UMAP settings, with a seed.
    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    model = BERTopic(embedding_model=embedder, umap_model=umap_model, nr_topics=k + 1, top_n_words=TOP_WORDS)
    topics, _ = model.fit_transform(docs)
    topics = model.reduce_outliers(docs, topics)
    model.update_topics(docs, topics=topics, top_n_words=TOP_WORDS)
    kept = sorted(t for t in set(topics) if t != -1)
    words = [[w for w, _ in model.get_topic(t)][:TOP_WORDS] for t in kept]
    return Fit(labels=np.asarray(topics), words=words)


def run_lda(sample: Sample, k: int, seed: int, **_) -> Fit:
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    dictionary = Dictionary(sample.tokens)
    dictionary.filter_extremes(no_below=2, no_above=0.5, keep_n=None)
    corpus = [dictionary.doc2bow(t) for t in sample.tokens]
    model = LdaModel(corpus, num_topics=k, id2word=dictionary, random_state=seed, passes=10)
    labels = np.array([max(model.get_document_topics(bow), key=lambda p: p[1])[0] if bow else -1 for bow in corpus])
    words = [[w for w, _ in model.show_topic(t, TOP_WORDS)] for t in range(k)]
    return Fit(labels=labels, words=words, stems=True)


def run_sklearn_defaults(sample: Sample, k: int, seed: int, **_) -> Fit:
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer()
    X = vectorizer.fit_transform(sample.frame["text"])
    model = KMeans(k, random_state=seed).fit(X)
    terms = vectorizer.get_feature_names_out()
    words = [list(terms[np.argsort(-c, kind="stable")[:TOP_WORDS]]) for c in model.cluster_centers_]
    return Fit(labels=model.labels_, words=words)


SYSTEMS = {
    "kliping": ("kliping (topics.csv top_terms)", run_kliping),
    "top2vec": ("Top2Vec 1.0.34, doc2vec on the sample", run_top2vec),
    "nmf": ("NMF on TF-IDF of kliping's stems", run_nmf),
    "bertopic": ("BERTopic 0.17 (TF-IDF→SVD, UMAP, HDBSCAN, reduce_outliers)", run_bertopic),
    "lda": ("LDA (gensim), kliping's stems", run_lda),
    "sklearn": ("TfidfVectorizer + KMeans defaults", run_sklearn_defaults),
}


# --------------------------------------------------------------------------- scoring
def _work_dir(work_dir) -> Path:
    return Path(work_dir) if work_dir is not None else default_work_dir()


def score_fit(sample: Sample, fit: Fit, work_dir: Path) -> dict:
    """The issue-13 measures, the label words' cover of their topics, and (with two overlapping desks) NMI and ARI
    with those desks merged."""
    ref = reference(work_dir)
    scores = evaluation.score(fit.labels, sample.frame["truth"], fit.words, ref, stems=fit.stems)
    named = fit.label_words if fit.label_words is not None else [words[:3] for words in fit.words]
    scores["label_cover"] = evaluation.label_cover(fit.labels, sample.tokens, named, ref, stems=fit.stems)
    truth = sample.frame["truth"]
    if set(OVERLAPPING) <= set(truth):
        merged = truth.replace({OVERLAPPING[1]: OVERLAPPING[0]})
        both = evaluation.score(fit.labels, merged, fit.words[:0], ref, stems=fit.stems)
        scores |= {"nmi_merged": both["nmi"], "ari_merged": both["ari"]}
    return scores


def score_candidate(sample: str, ids, labels, topic_words, stems: bool = False, work_dir=None) -> dict:
    """Score a candidate method's topics on one sample: NMI, ARI, NPMI, diversity (one seed).

    Parameters
    ----------
    sample : {"stratified", "held_out"}
        Which sample the topics are of (:func:`sample_path` gives its JSONL to run the method on).
    ids : sequence of str
        Article ids (the sample's ``id`` field), in the order of ``labels``; sample articles missing
        here count as topic -1.
    labels : sequence of int
        Each article's topic (-1: none).
    topic_words : list of list of str
        Per topic 0, 1, ..., its words best first (as shown; at least 25 for diversity).
    stems : bool
        The words are kliping stems rather than words as shown (they are mapped to stems otherwise).
    work_dir : path, optional
        Where the reference corpus and the held-out sample are cached (default as the script's).

    Returns
    -------
    dict
        ``nmi``, ``ari``, ``npmi``, ``diversity``, ``n_topics``.
    """
    work_dir = _work_dir(work_dir)
    data = load_sample(sample, work_dir)
    topic_of = dict(zip(map(str, ids), labels))
    fit = Fit(labels=np.array([topic_of.get(i, -1) for i in data.frame["id"]]), words=topic_words, stems=stems)
    return score_fit(data, fit, work_dir)


def score_run_output(sample: str, out_dir, work_dir=None) -> dict:
    """Score a ``kliping run`` output folder (``assignments.csv``, ``topics.csv``) made on one sample."""
    work_dir = _work_dir(work_dir)
    data = load_sample(sample, work_dir)
    return score_fit(data, read_run_output(data, out_dir), work_dir)


def result_file(work_dir: Path, sample: str, system: str, seed: int) -> Path:
    return work_dir / "results" / sample / system / f"seed{seed}.json"


def run_one(sample: Sample, system: str, seed: int, work_dir: Path, kliping_lib: Path) -> dict:
    _, function = SYSTEMS[system]
    started = time.perf_counter()
    fit = function(sample, sample.k, seed, work_dir=work_dir, kliping_lib=kliping_lib)
    seconds = time.perf_counter() - started
    scores = score_fit(sample, fit, work_dir) | {"seconds": seconds, "seed": seed, "k": sample.k}
    scores["labels"] = np.asarray(fit.labels).tolist()  # for the seeds' agreement (:func:`seed_agreement`)
    if system == "kliping":
        scores["kliping_lib"] = str(kliping_lib)
    path = result_file(work_dir, sample.name, system, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(scores, indent=1))
    return scores


def seed_agreement(partitions) -> float:
    """Mean ARI between every two seeds' partitions of the same articles (label-free: 1 = the same topics whatever
    the seed); nan for fewer than two.

    Examples
    --------
    >>> seed_agreement([[0, 0, 1, 1], [1, 1, 0, 0], [0, 1, 0, 1]])
    0.0
    """
    from itertools import combinations

    from sklearn.metrics import adjusted_rand_score

    pairs = [adjusted_rand_score(a, b) for a, b in combinations([np.asarray(p) for p in partitions], 2)]
    return round(float(np.mean(pairs)), 3) if pairs else float("nan")


def table(work_dir: Path, sample: str, systems, seeds) -> pd.DataFrame:
    """One row per system from the stored results: NMI, ARI (mean ± sd), the seeds' agreement (pairwise ARI), NPMI,
    diversity, the worst topic's label cover, NMI/ARI with the overlapping desks merged, seconds."""
    rows = []
    for system in systems:
        runs = [
            json.loads(result_file(work_dir, sample, system, s).read_text())
            for s in seeds
            if result_file(work_dir, sample, system, s).exists()
        ]
        if not runs:
            continue
        frame = pd.DataFrame(runs)
        row = {
            "system": SYSTEMS[system][0],
            "NMI": f"{frame.nmi.mean():.3f} ± {frame.nmi.std(ddof=0):.3f}",
            "ARI": f"{frame.ari.mean():.3f} ± {frame.ari.std(ddof=0):.3f}",
            "seed ARI": f"{seed_agreement([r['labels'] for r in runs if 'labels' in r]):.3f}",
            "NPMI": f"{frame.npmi.mean():.3f}",
            "diversity": f"{frame.diversity.mean():.3f}",
            "label cover": f"{frame['label_cover'].min():.2f}" if "label_cover" in frame else "",
        }
        if "nmi_merged" in frame:
            row["NMI / ARI merged"] = f"{frame.nmi_merged.mean():.3f} / {frame.ari_merged.mean():.3f}"
        rows.append(row | {"topics": f"{frame.n_topics.mean():.1f}", "seconds": f"{frame.seconds.mean():.0f}"})
        rows[-1]["seeds"] = len(frame)
    return pd.DataFrame(rows)


def markdown(frame: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--systems", nargs="+", choices=list(SYSTEMS), default=list(SYSTEMS))
    parser.add_argument("--samples", nargs="+", choices=SAMPLES, default=list(SAMPLES))
    parser.add_argument("--work-dir", type=Path, default=None, help="caches, the held-out sample, results")
    parser.add_argument("--kliping-lib", type=Path, default=config.PROJECT_ROOT / "lib", help="kliping to run")
    parser.add_argument("--table", action="store_true", help="print the stored results, run nothing")
    args = parser.parse_args(argv)
    work_dir = _work_dir(args.work_dir).resolve()

    if not args.table:
        reference(work_dir)  # built once (a few minutes), before any system is timed
        for name in args.samples:
            sample = load_sample(name, work_dir)
            print(f"{name}: {len(sample.frame):,} articles, k = {sample.k} desks", file=sys.stderr, flush=True)
            for system in args.systems:
                for seed in args.seeds:
                    s = run_one(sample, system, seed, work_dir, args.kliping_lib.resolve())
                    print(
                        f"  {system:<9} seed {seed}: NMI {s['nmi']:.3f} ARI {s['ari']:.3f} NPMI {s['npmi']:.3f} "
                        f"diversity {s['diversity']:.3f} ({s['n_topics']} topics, {s['seconds']:.0f} s)",
                        file=sys.stderr,
                        flush=True,
                    )
    for name in args.samples:
        path = sample_path(name, work_dir)
        frame = read_jsonl(path)
        print(f"\n{name}: {path} ({len(frame):,} articles, k = {frame[LABEL_FIELD].nunique()}, seeds {args.seeds})\n")
        print(markdown(table(work_dir, name, args.systems, args.seeds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
