"""Figures for the notebooks and the report: matplotlib/seaborn only.

Static figures (they render everywhere, also offline), with titles and axis labels in words. HTML views and
display tables are in :mod:`kliping.report.views`.

Text from the data (topic labels, article titles, words, site names) is drawn as it is: every ``$`` in it is
escaped (:func:`literal`) where it is handed to matplotlib, so a label such as ``$\\frac{$`` or a title with
``$5 juta$`` is shown literally instead of being parsed as TeX (which fails, or silently turns the text into
italics). Mathtext itself stays on: the log axes' ticks (``10^2``) are mathtext.

A figure with nothing to show (no article with text, no topic) says so in words instead of failing.

Sections, one per stage: load, stem, vectorize/cluster, clean.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from kliping.clean import KIND_COLOURS, kind_counts


def set_style() -> None:
    """The look of every figure: seaborn's white grid (called on import)."""
    sns.set_theme(style="whitegrid", context="notebook")


set_style()

#: What a topic figure says when no article could be clustered.
NO_TOPIC = "no topic: no article has usable text"


def literal(text) -> str:
    r"""Text from the data as matplotlib draws it literally: every ``$`` escaped, so no part of it is read as TeX.

    Examples
    --------
    >>> print(literal("Harga cabai tembus $5 juta$"), literal(r"$\frac{$"), literal(2024))
    Harga cabai tembus \$5 juta\$ \$\frac{\$ 2024
    >>> ax = plt.figure().gca()
    >>> print(ax.set_title(literal(r"Naik $5 juta$ $\frac{$")).get_text()); ax.figure.canvas.draw(); plt.close("all")
    Naik \$5 juta\$ \$\frac{\$
    """
    return str(text).replace("$", r"\$")


def nothing_to_show(message: str, title: str = "", ax=None, figsize=(7, 1.6)):
    """An empty figure that says why there is nothing to draw (no article with text, no topic).

    Examples
    --------
    >>> nothing_to_show("no article has text").texts[0].get_text(); plt.close("all")
    'no article has text'
    """
    ax = ax or plt.subplots(figsize=figsize)[1]
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, fontsize=11, color="#4b5563")
    if title:
        ax.set_title(title)
    ax.axis("off")
    return ax


# --------------------------------------------------------------------------- load
def plot_length_distribution(articles: pd.DataFrame, ax=None):
    """Histogram of article lengths in words, one colour per site when known.

    Parameters
    ----------
    articles : DataFrame
        The reader's manifest (``text``, ``status`` and, if present, ``site``
        or ``source_site``).
    """
    readable = articles[articles["status"] == "ok"]
    words = readable["text"].str.split().str.len().rename("words")
    site_column = next((c for c in ("site", "source_site") if c in readable.columns), None)
    if readable.empty:
        return nothing_to_show("no item of the corpus has text", "How long are the articles?", ax)
    ax = ax or plt.subplots(figsize=(8, 3.5))[1]
    if len(readable) < 20:
        # A histogram of two articles says nothing; show each one as a bar.
        names = readable["title"].fillna(readable["id"]).str.slice(0, 50).map(literal)
        sns.barplot(x=words.values, y=names.values, ax=ax, color="#4c72b0")
        ax.set(xlabel="words in the page (before cleaning)", ylabel="")
    else:
        hue = readable[site_column].map(literal, na_action="ignore") if site_column else None
        sns.histplot(x=words, hue=hue, bins=40, log_scale=True, multiple="stack", ax=ax)
        if ax.get_legend() is not None:
            sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), frameon=False)
        ax.set(xlabel="words per article (log scale)", ylabel="articles")
    ax.set_title("How long are the articles?")
    return ax


# --------------------------------------------------------------------------- stem
def plot_vocabulary_sizes(result, ax=None):
    """Bars: distinct words before stemming and distinct stems after (a :class:`kliping.stem.StemResult`)."""
    ax = ax or plt.subplots(figsize=(6, 3))[1]
    sizes = pd.Series(
        {"distinct words\n(stopwords removed)": result.vocabulary_before, "distinct stems": result.vocabulary_after}
    )
    sns.barplot(x=sizes.values, y=sizes.index, ax=ax, color="#4c72b0")
    for position, value in enumerate(sizes.values):
        ax.text(value, position, f" {value:,}", va="center")
    ax.set(xlabel="vocabulary size", ylabel="", title="Vocabulary before and after stemming")
    ax.set_xlim(0, max(sizes.max(), 1) * 1.2)
    return ax


def plot_top_stems(top, ax=None):
    """Horizontal bars of the most frequent stems, labelled "display word (stem)".

    Parameters
    ----------
    top : DataFrame
        From :func:`kliping.stem.top_stems` (``stem``, ``display_word``, ``count``).
    """
    if top.empty:
        return nothing_to_show("no stem in the corpus", "Most frequent stems", ax)
    ax = ax or plt.subplots(figsize=(7, 0.3 * len(top) + 1))[1]
    labels = [
        literal(word if word == stem else f"{word} ({stem})") for word, stem in zip(top["display_word"], top["stem"])
    ]
    sns.barplot(x=top["count"].values, y=labels, ax=ax, color="#55a868")
    ax.set(xlabel="occurrences in the corpus", ylabel="", title="Most frequent stems, shown by their display word")
    return ax


# --------------------------------------------------------------------------- vectorize / cluster
def plot_k_selection(k_table: pd.DataFrame, chosen: int):
    """The three criteria of :func:`kliping.topics.clustering.choose_k` per number of topics, the chosen k marked.

    Returns None when fewer than two k were tried (a tiny corpus).
    """
    if k_table["stability"].notna().sum() < 2:
        return None
    criteria = [
        ("stability", "stability across subsamples (ARI)", "must be high"),
        ("coherence", "coherence of the top words (NPMI)", "centre of the near-best k"),
        ("silhouette", "silhouette (cosine)", "shown, not used"),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(12, 3), sharex=True)
    for ax, (column, label, role) in zip(axes, criteria):
        sns.lineplot(data=k_table, x="k", y=column, marker="o", ax=ax)
        ax.axvline(chosen, color="#c44e52", linestyle="--")
        ax.set(title=f"{label}: {role}", xlabel="number of topics (k)", ylabel=column)
        ax.title.set_fontsize(10)
    fig.suptitle(f"How many topics? Chosen: k = {chosen} (dashed)", y=1.02)
    fig.tight_layout()
    return fig


def plot_document_frequencies(token_lists, vectorizer, ax=None):
    """How many articles each term occurs in, with the min_df and max_df cut-offs that prune the vocabulary."""
    from kliping.topics.tfidf import df_cutoffs, document_frequencies

    df = np.array(list(document_frequencies(token_lists).values()))
    if not len(df):
        return nothing_to_show("no article has a stem", "In how many articles does each term occur?", ax)
    ax = ax or plt.subplots(figsize=(7, 3))[1]
    ax.hist(df, bins=np.unique(np.geomspace(1, max(2, df.max() + 1), 40).astype(int)), color="#4c72b0")
    ax.set(
        xscale="log",
        yscale="log",
        title="In how many articles does each term occur?",
        xlabel="articles containing the term (log scale)",
        ylabel="terms (log scale)",
    )
    min_df, max_df = df_cutoffs(vectorizer, len(token_lists))
    ax.axvline(min_df, color="#c44e52", linestyle="--", label=f"min_df: kept from {min_df:,.0f} articles")
    ax.axvline(max_df, color="#dd8452", linestyle="--", label=f"max_df: kept up to {max_df:,.0f} articles")
    ax.set_xlim(0.8, max(df.max(), max_df) * 1.5)
    ax.legend(frameon=False, fontsize=8)
    return ax


def plot_top_terms(top: pd.DataFrame, ax=None):
    """The terms with the most TF-IDF weight (from :func:`kliping.topics.tfidf.top_terms`), as display words."""
    if top.empty:
        return nothing_to_show("no term in the vocabulary", "The words with the most weight in the corpus", ax)
    ax = ax or plt.subplots(figsize=(7, 0.3 * len(top) + 1))[1]
    sns.barplot(x=top["weight"].to_numpy(), y=top["word"].map(literal).tolist(), ax=ax, color="#4c72b0", orient="h")
    ax.set(title="The words with the most weight in the corpus", xlabel="total TF-IDF weight", ylabel="")
    return ax


def plot_topic_sizes(topics: pd.DataFrame, ax=None):
    """Articles per topic, labelled with the topic's words."""
    if topics.empty:
        return nothing_to_show(NO_TOPIC, "How big is each topic?", ax)
    ax = ax or plt.subplots(figsize=(8, 0.4 * len(topics) + 1))[1]
    names = [literal(f"{t}: {label}") for t, label in zip(topics["topic"], topics["label"])]
    sns.barplot(x=topics["size"].to_numpy(), y=names, ax=ax, color="#4c72b0", orient="h")
    ax.set(title="How big is each topic?", xlabel="articles", ylabel="")
    return ax


def plot_top_terms_grid(topics: pd.DataFrame, weights: list[list[tuple[str, float]]], n_terms: int = 8):
    """A small bar chart of the top terms of every topic, in a grid."""
    n = len(topics)
    if n == 0:
        return nothing_to_show(NO_TOPIC, "The words that set each topic apart").figure
    cols = min(3, n)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.6 * rows), squeeze=False)
    for ax, (_, topic), terms in zip(axes.ravel(), topics.iterrows(), weights):
        words = [literal(w) for w, _ in terms[:n_terms]][::-1]
        values = [v for _, v in terms[:n_terms]][::-1]
        ax.barh(words, values, color=sns.color_palette("tab10", 10)[topic["topic"] % 10])
        ax.set_title(f"topic {topic['topic']} ({topic['size']} articles)", fontsize=10)
        ax.tick_params(axis="x", labelsize=8)
        ax.set_xlabel("distinctiveness (c-TF-IDF)", fontsize=8)
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    fig.suptitle("The words that set each topic apart", y=1.0)
    fig.tight_layout()
    return fig


def plot_topic_map(Z: np.ndarray, labels: np.ndarray, names: dict | None = None, seed: int = 42, ax=None):
    """Articles on a 2-D map (the first two principal axes of the document vectors), coloured by topic."""
    from sklearn.decomposition import PCA

    if not len(Z):
        return nothing_to_show(NO_TOPIC, "Map of the articles, coloured by topic", ax)
    ax = ax or plt.subplots(figsize=(8, 6))[1]
    if len(Z) < 3:
        xy = np.zeros((len(Z), 2)) + np.arange(len(Z))[:, None]
    else:
        xy = PCA(2, random_state=seed).fit_transform(Z)
    hue = [literal(f"{t}: {names.get(t, '')}") if names else str(t) for t in labels]
    order = sorted(set(hue), key=lambda h: int(h.split(":")[0]))
    sns.scatterplot(
        x=xy[:, 0],
        y=xy[:, 1],
        hue=hue,
        hue_order=order,
        s=12 if len(Z) > 200 else 60,
        alpha=0.7,
        linewidth=0,
        palette="tab10" if len(order) <= 10 else "tab20",
        ax=ax,
    )
    ax.set(
        title="Map of the articles, coloured by topic",
        xlabel="first principal axis of the document space",
        ylabel="second principal axis",
    )
    sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8, title="topic")
    return ax


def plot_topic_tree(centres: np.ndarray, topics: pd.DataFrame, ax=None):
    """The topics' merge tree: a dendrogram of the topic centres (average linkage, cosine distance), one leaf per
    topic labelled with its number, label and size; topics that join low use the same words."""
    from scipy.cluster.hierarchy import dendrogram

    from kliping.topics.hierarchy import topic_tree

    ax = ax or plt.subplots(figsize=(8, 0.38 * len(centres) + 1.2))[1]
    if len(centres) < 2:
        return nothing_to_show("one topic: nothing to merge" if len(centres) else NO_TOPIC, ax=ax)
    order = topics.sort_values("topic")
    names = [
        literal(f"{t}: {label} ({size:,})") for t, label, size in zip(order["topic"], order["label"], order["size"])
    ]
    dendrogram(
        topic_tree(centres),
        labels=names,
        orientation="right",
        ax=ax,
        color_threshold=0,
        above_threshold_color="#4c72b0",
    )
    ax.set(
        title="Which topics are close? The merge tree of the topic centres",
        xlabel="cosine distance at which topics join (average linkage of the topic centres)",
    )
    ax.tick_params(axis="y", labelsize=9)
    return ax


def plot_nearest_similarity(cosine: np.ndarray, floor: float, ax=None):
    """How close every article lies to its nearest topic centre (cosine), with the floor below which it is an
    outlier (topic -1) and their share."""
    cosine = np.asarray(cosine, dtype=float)
    if not len(cosine):
        return nothing_to_show(NO_TOPIC, "Outliers", ax)
    ax = ax or plt.subplots(figsize=(7, 3))[1]
    far = cosine < floor
    bins = np.linspace(min(0.0, cosine.min(initial=0.0)), 1.0, 41)
    ax.hist(cosine[~far], bins=bins, color="#4c72b0", label="in a topic")
    ax.hist(cosine[far], bins=bins, color="#c44e52", label="far from every topic (topic -1)")
    ax.axvline(floor, color="#c44e52", linestyle="--")
    ax.set(
        title=f"Outliers: {far.sum():,} of {len(cosine):,} articles ({far.mean() if len(far) else 0:.1%}) "
        f"lie below cosine {floor:.2f}",
        xlabel="cosine similarity to the nearest topic centre",
        ylabel="articles",
    )
    ax.legend(frameon=False, fontsize=8)
    return ax


def plot_topics_vs_labels(topics: np.ndarray, truth, names: dict | None = None, ax=None):
    """Heatmap of topics against known labels, as the share of each topic's articles."""
    table = pd.crosstab(pd.Series(topics, name="topic"), pd.Series(truth, name="label"), normalize="index")
    if table.empty:
        return nothing_to_show(NO_TOPIC, "Which known label do the articles of each topic carry?", ax)
    table.index = [literal(f"{t}: {names.get(t, '')}"[:40] if names else t) for t in table.index]
    table.columns = [literal(label) for label in table.columns]
    ax = ax or plt.subplots(figsize=(1.0 * table.shape[1] + 4, 0.45 * table.shape[0] + 2))[1]
    sns.heatmap(table, annot=True, fmt=".0%", cmap="Blues", cbar=False, ax=ax, annot_kws={"size": 8})
    ax.set(
        title="Which known label do the articles of each topic carry?",
        xlabel="label (editors' category)",
        ylabel="topic",
    )
    return ax


def plot_topic_timeline(over_time: pd.DataFrame, names: dict | None = None, ax=None):
    """Every topic's share of each period's articles over the whole span, as a heatmap (a period without articles
    is an empty column); None without dated articles.

    ``over_time`` is :func:`kliping.pipeline.topics_over_time`'s table (``topic``, ``period``, ``articles``,
    ``share``). Shares rather than counts: a period with few articles (a weekend, the last, partial week) does not
    read as every topic falling.
    """
    from kliping.topics.timeline import share_table

    shares = share_table(over_time) * 100
    if shares.empty:
        return None
    period = over_time.attrs.get("period") or ("week" if "/" in shares.columns[0] else "period")
    shares.index = [literal(f"{t}: {names.get(t, '')}") if names else str(t) for t in shares.index]
    per = over_time.groupby("period")["articles"].sum().reindex(shares.columns, fill_value=0)
    # A week by its Monday, with its number of articles: a share of 100 % may rest on one article.
    shares.columns = [f"{label.split('/')[0]} ({n:,})" for label, n in zip(shares.columns, per)]
    width = min(3 + 0.28 * shares.shape[1], 18)
    ax = ax or plt.subplots(figsize=(width, 0.4 * len(shares) + 2))[1]
    sns.heatmap(shares, cmap="Blues", ax=ax, cbar_kws={"label": "share of the period's articles (%)"}, linewidths=0.2)
    axis = {"week": "week starting (Monday, WIB)", "day": "day (WIB)", "month": "month"}.get(period, period)
    axis += " (n: its dated articles in a topic)"
    ax.set(
        title=f"When were the topics in the news? Share of each {period}'s {int(per.sum()):,} dated articles, "
        f"{shares.columns[0].split()[0]} to {shares.columns[-1].split()[0]}",
        xlabel=axis,
        ylabel="",
    )
    step = max(1, shares.shape[1] // 40)  # at most about 40 labels on the axis
    ax.set_xticks([i + 0.5 for i in range(0, shares.shape[1], step)])
    ax.set_xticklabels(list(shares.columns[::step]), rotation=90, fontsize=8)
    return ax


# --------------------------------------------------------------------------- clean
def plot_removed_by_kind(clean: pd.DataFrame, ax=None):
    """Lines per kind across the corpus: what was kept as body and what was cut away."""
    counts = kind_counts(clean).drop("blank", errors="ignore")
    if counts.empty:
        return nothing_to_show("no page has a line of text", "What the cleaning kept and cut away", ax)
    ax = ax or plt.subplots(figsize=(8, 0.35 * len(counts) + 1))[1]
    colours = [KIND_COLOURS.get(k, "#6b7280") for k in counts.index]
    ax.barh(counts.index[::-1], counts.to_numpy()[::-1], color=colours[::-1])
    ax.set(title="What the cleaning kept (body) and cut away, by kind of line", xlabel="lines", ylabel="")
    return ax
