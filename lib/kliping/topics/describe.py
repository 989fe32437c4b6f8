"""The topics table: one row per topic, from per-topic counts that either run gives.

The in-process run (:func:`describe_topics`, from the clustered articles' TF-IDF rows) and the Dask run
(:func:`describe_from_stats`, from :class:`kliping.scale.fit.TopicStats` summed over the partitions) both hand
:func:`topic_rows` the same things: each topic's candidate words, its distinctive words, its most confident
articles, its site mix and its mean confidence. The label rule (three of its words that between them occur in most
of its articles, :func:`kliping.topics.words.label_choice`), the dedupe of words shown by an earlier topic and the
columns are therefore one.

Examples
--------
>>> month_span(pd.Timestamp("2019-09-02"), pd.Timestamp("2019-10-30")), month_span(pd.NaT, pd.NaT)
('Sep 2019 – Oct 2019', '')
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from kliping.topics.results import Topics
from kliping.topics.words import (
    LABEL_AIM,
    LABEL_LIFT,
    LABEL_POOL,
    LABEL_STEPS,
    LABEL_WORDS,
    TOP_TERMS,
    class_tfidf_of_sums,
    dedupe,
    distinctive_terms,
    label_choice,
    presence,
    share_and_lift,
    terms_of_counts,
    topic_sums,
)

#: The columns of the topics table (:func:`describe_topics`, then the span in time of :func:`topic_spans`).
TOPIC_COLUMNS = [
    "topic",
    "size",
    "label",
    "top_terms",
    "distinctive_terms",
    "representatives",
    "representative_sites",
    "representative_ids",
    "site_mix",
    "confidence",
    "first_published",
    "last_published",
    "span",
    "mixed",
]


def no_topics() -> pd.DataFrame:
    """The topics table of a corpus in which nothing was clustered: every column, no row.

    Examples
    --------
    >>> no_topics().empty, list(no_topics().columns[:3])
    (True, ['topic', 'size', 'label'])
    """
    return pd.DataFrame(columns=TOPIC_COLUMNS)


def topic_rows(
    show, own_words, distinctive, best, site_mix, sizes, confidence, n_terms: int = TOP_TERMS, cover=None, lift=None
) -> list:
    """One dict per topic: size, label, top and distinctive words, representatives, site mix, confidence.

    Parameters
    ----------
    show : ndarray of str
        The word shown for every term (stem -> display word).
    own_words : list of arrays
        Per topic, term indices best first, with a few spare (two stems may show as one word).
    distinctive : list of lists of str
        Per topic, its distinctive words, best first.
    best : list of DataFrame
        Per topic, its most confident articles, best first (``id``, ``title`` and, when known, ``site``).
    site_mix : list of list of (site, share)
        Per topic, its main sites with their share of its articles.
    sizes, confidence : sequences
        Per topic, its number of articles and their mean confidence.
    cover : list, optional
        Per topic, which of its articles hold each term (a sparse articles × terms matrix), or each term's share of
        its articles (a 1-D array): the label is then three of its words that name most of them (:func:`_label`);
        without it, the first three top words.
    lift : ndarray, optional
        Topics × terms, each term's lift in each topic (:func:`kliping.topics.words.share_and_lift`): a label word
        has at least :data:`kliping.topics.words.LABEL_LIFT`. Without it, any of the topic's own words may be one.
    """
    shown: set[str] = set()
    labelled: set[str] = set()
    rows = []
    for t, size in enumerate(sizes):
        seen, words, columns = set(shown), [], []
        for column in own_words[t]:  # the topic's own words, each display word once, none an earlier topic's
            if show[column].lower() not in seen:
                seen.add(show[column].lower())
                words.append(show[column])
                columns.append(column)
        top = words[:n_terms]
        shown.update(word.lower() for word in top)
        special = dedupe(distinctive[t])
        named = top[:LABEL_WORDS]
        if cover is not None and top:
            # No label word is an earlier topic's (two stems may show as one word).
            usable = [
                not (lift is not None and lift[t, c] < LABEL_LIFT) and w.lower() not in labelled
                for w, c in zip(words, columns)
            ]
            named = _label(words, columns, cover[t], usable) or named
        labelled.update(word.lower() for word in named)
        chosen = best[t]
        sites = chosen["site"].fillna("").tolist() if "site" in chosen else [""] * len(chosen)
        rows.append(
            {
                "topic": t,
                "size": int(size),
                "label": " · ".join(named or special[:LABEL_WORDS]),
                "top_terms": top,
                "distinctive_terms": ", ".join(special),
                "representatives": chosen["title"].fillna("(untitled)").tolist(),
                "representative_sites": sites,
                "representative_ids": chosen["id"].tolist(),
                "site_mix": ", ".join(f"{site} {share:.0%}" for site, share in site_mix[t]),
                "confidence": round(float(confidence[t]), 3),
            }
        )
    return rows


def _label(words: list, columns: list, cover, usable: list) -> list:
    """A topic's label words (:func:`kliping.topics.words.label_choice`), chosen in the steps of
    :data:`kliping.topics.words.LABEL_STEPS`: among its shown words at a falling place cost, then among more and more
    of its own words, until they name :data:`kliping.topics.words.LABEL_AIM` of its articles (else the step's words
    that name most); only its ``usable`` words (lift, not an earlier label's) are candidates."""
    best, best_share = [], -1.0
    for width, place_cost in LABEL_STEPS:
        pool = [i for i in range(min(width, len(words))) if usable[i]]
        if not pool:
            continue
        wanted = [columns[i] for i in pool]
        chosen, share = label_choice(cover[:, wanted] if cover.ndim == 2 else cover[wanted], place_cost=place_cost)
        if share > best_share:
            best, best_share = [words[pool[i]] for i in chosen], share
        if share >= LABEL_AIM:
            break
    return best


def describe_topics(
    articles: pd.DataFrame,
    X,
    vectorizer,
    topics: Topics,
    display_words: dict | None = None,
    n_terms: int = TOP_TERMS,
    n_articles: int = 5,
    n_distinctive: int = 10,
) -> pd.DataFrame:
    """One row per topic: size, label, top terms, distinctive terms, representatives, site mix.

    Parameters
    ----------
    articles : DataFrame
        The clustered articles, in the order of the rows of ``X``, with
        ``title`` and, when known, ``site``.
    X : sparse matrix
        Their TF-IDF rows.
    display_words : dict
        Stem -> surface form (``"perintah" -> "pemerintah"``).
    n_terms, n_articles, n_distinctive : int
        How many top terms (:func:`kliping.topics.words.topic_terms`), representative articles and distinctive
        terms (:func:`kliping.topics.words.class_tfidf`) to keep per topic.

    Returns
    -------
    DataFrame
        ``label`` is three of the topic's words joined with `` · ``, chosen to occur between them in as many of its
        articles as they can (60 %, when its words can: :func:`_label`); ``top_terms`` is a list of
        display words, best first, none of them in another topic's list (``topics.csv`` joins it with `` | ``).
    """
    display_words = display_words or {}
    terms = vectorizer.get_feature_names_out()
    show = np.array([display_words.get(t, t) for t in terms], dtype=object)
    labels, k = topics.labels, topics.k
    distinctive = distinctive_terms(X, vectorizer, topics, display_words, n_distinctive)
    # A few spare words: two stems may show as one word, and a word shown by an earlier topic is not repeated.
    # The topics' article counts per word, counted once: for their own words (topic_terms' steps) and the lift.
    present = presence(X)
    in_topic, sizes = topic_sums(present, labels, k), np.bincount(labels, minlength=k)
    own_words = terms_of_counts(in_topic, sizes, max(n_terms + 10, LABEL_POOL), presence=present)
    members = [np.flatnonzero(labels == t) for t in range(k)]
    _, lift = share_and_lift(in_topic, sizes)
    best = [m[np.argsort(-topics.confidence[m], kind="stable")[:n_articles]] for m in members]
    has_site = "site" in articles
    mix = [articles["site"].iloc[m].value_counts(normalize=True).head(4).items() if has_site else [] for m in members]
    rows = topic_rows(
        show,
        own_words,
        [[word for word, _ in distinctive[t]] for t in range(k)],
        [articles.iloc[b] for b in best],
        mix,
        [len(m) for m in members],
        [topics.confidence[m].mean() for m in members],
        n_terms,
        cover=[X[m] for m in members],
        lift=lift,
    )
    return pd.DataFrame(rows)


def describe_from_stats(stats, vectorizer, display_words: dict, n_distinctive: int = 10, presence=None) -> pd.DataFrame:
    """The topics table of :func:`kliping.pipeline.describe`, from the statistics summed over all partitions
    (a :class:`kliping.scale.fit.TopicStats`): the same columns, the top words by
    :func:`kliping.topics.words.terms_of_counts` and the distinctive ones by c-TF-IDF, as the in-process run chooses
    them. ``presence`` (articles × terms, e.g. the fitted sample's TF-IDF rows) tells which words occur together,
    for the choice of each topic's first ten words."""
    terms = vectorizer.get_feature_names_out()
    show = np.array([display_words.get(t, t) for t in terms], dtype=object)
    weights = class_tfidf_of_sums(np.asarray(stats.term_sums.todense()))
    in_topic = np.asarray(stats.presence.todense())
    own_words = terms_of_counts(in_topic, stats.sizes, max(TOP_TERMS + 10, LABEL_POOL), presence=presence)
    share, lift = share_and_lift(in_topic, stats.sizes)
    mix = []
    for t in range(stats.k):
        sites = Counter({site: n for (topic, site), n in stats.sites.items() if topic == t and site is not None})
        size = max(1, int(stats.sizes[t]))
        mix.append([(site, n / size) for site, n in sorted(sites.items(), key=lambda item: (-item[1], item[0]))[:4]])
    rows = topic_rows(
        show,
        own_words,
        [show[np.argsort(-weights[t], kind="stable")[:n_distinctive]] for t in range(stats.k)],
        [stats.best[stats.best["topic"] == t] for t in range(stats.k)],
        mix,
        stats.sizes,
        [stats.confidence_sums[t] / max(int(stats.sizes[t]), 1) for t in range(stats.k)],
        cover=list(share),
        lift=lift,
    )
    first = [stats.first.get(t, pd.NaT) for t in range(stats.k)]
    last = [stats.last.get(t, pd.NaT) for t in range(stats.k)]
    for row, a, b in zip(rows, first, last):
        row.update({"first_published": a, "last_published": b, "span": month_span(a, b)})
    return pd.DataFrame(rows)


def topic_words(topics: pd.DataFrame) -> list[list[str]]:
    """Every topic's top words as a list, from a topics table (list cells, or text joined by ``|`` or ``,``).

    Examples
    --------
    >>> topic_words(pd.DataFrame({"topic": [1, 0], "top_terms": ["gol | persib", "banjir, rob"]}))
    [['banjir', 'rob'], ['gol', 'persib']]
    """
    words = []
    for value in topics.sort_values("topic")["top_terms"]:
        if isinstance(value, str):
            value = value.split("|") if "|" in value else value.split(",")
        words.append([str(word).strip() for word in value if str(word).strip()])
    return words


def month_span(first, last) -> str:
    """A span in time as a reader says it: ``"Sep 2019 – Oct 2019"``, one month once, ``""`` without dates.

    Examples
    --------
    >>> month_span(pd.Timestamp("2019-09-02"), pd.Timestamp("2019-09-30"))
    'Sep 2019'
    """
    if pd.isna(first) or pd.isna(last):
        return ""
    first, last = first.strftime("%b %Y"), last.strftime("%b %Y")
    return first if first == last else f"{first} – {last}"


def topic_spans(dates: pd.Series, labels: np.ndarray, k: int) -> pd.DataFrame:
    """When each topic was in the news: the first and last publication date of its articles, and the span as text.

    Examples
    --------
    >>> dates = pd.Series(pd.to_datetime(["2019-09-02", "2019-10-30", None, "2020-01-05"]))
    >>> topic_spans(dates, np.array([0, 0, 1, 2]), 3)["span"].tolist()
    ['Sep 2019 – Oct 2019', '', 'Jan 2020']
    """
    dates = pd.to_datetime(pd.Series(dates).reset_index(drop=True), errors="coerce")
    grouped = dates.groupby(np.asarray(labels))
    spans = pd.DataFrame({"first_published": grouped.min(), "last_published": grouped.max()}).reindex(range(k))
    spans["span"] = [month_span(a, b) for a, b in zip(spans["first_published"], spans["last_published"])]
    return spans
