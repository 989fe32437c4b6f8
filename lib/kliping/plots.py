"""Figures and small HTML views for the notebooks and the report.

Static matplotlib/seaborn figures (they render everywhere, also offline),
with titles and axis labels in words. Every HTML view escapes the article
text it shows: pages are scraped from the web and may carry ``<script>``.

Sections, one per stage: load, clean, stem, vectorize/cluster, report.
"""

from __future__ import annotations

import html

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from kliping.clean import KIND_COLOURS, kind_counts

sns.set_theme(style="whitegrid", context="notebook")


def escape(text) -> str:
    """Escape article text for HTML; ``None`` and NaN become an empty string.

    Examples
    --------
    >>> escape('<img src=x onerror="alert(1)"> Banjir & longsor')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Banjir &amp; longsor'
    """
    if is_missing(text):
        return ""
    return html.escape(str(text), quote=True)


def is_missing(value) -> bool:
    """True for ``None``, NaN and NaT: a value a table or a card shows as blank.

    Examples
    --------
    >>> [is_missing(v) for v in (None, float("nan"), pd.NaT, "", "Anton")]
    [True, True, True, False, False]
    """
    return value is None or value is pd.NaT or (isinstance(value, float) and bool(np.isnan(value)))


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
    ax = ax or plt.subplots(figsize=(8, 3.5))[1]
    if len(readable) < 20:
        # A histogram of two articles says nothing; show each one as a bar.
        names = readable["title"].fillna(readable["id"]).str.slice(0, 50)
        sns.barplot(x=words.values, y=names.values, ax=ax, color="#4c72b0")
        ax.set(xlabel="words in the page (before cleaning)", ylabel="")
    else:
        hue = readable[site_column] if site_column else None
        sns.histplot(x=words, hue=hue, bins=40, log_scale=True, multiple="stack", ax=ax)
        if ax.get_legend() is not None:
            sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), frameon=False)
        ax.set(xlabel="words per article (log scale)", ylabel="articles")
    ax.set_title("How long are the articles?")
    return ax


def preview(frame: pd.DataFrame, columns: list[str], n: int = 5, width: int = 100) -> pd.DataFrame:
    """The first ``n`` rows of some columns, long strings cut to ``width`` characters.

    Examples
    --------
    >>> preview(pd.DataFrame({"text": ["Banjir " * 30]}), ["text"], width=20).iloc[0, 0]
    'Banjir Banjir Banji…'
    """
    def cut(value):
        if isinstance(value, str) and len(value) > width:
            return value[: width - 1] + "…"
        if is_missing(value):
            return ""  # a missing byline or date reads better as a blank than as NaN
        return value

    shown = frame[columns].head(n).copy()
    for column in shown.columns:
        shown[column] = shown[column].map(cut)
    return shown


# --------------------------------------------------------------------------- stem
def plot_vocabulary_sizes(result, ax=None):
    """Bars: distinct words before stemming and distinct stems after (a :class:`kliping.stem.StemResult`)."""
    ax = ax or plt.subplots(figsize=(6, 3))[1]
    sizes = pd.Series({"distinct words\n(stopwords removed)": result.vocabulary_before,
                       "distinct stems": result.vocabulary_after})
    sns.barplot(x=sizes.values, y=sizes.index, ax=ax, color="#4c72b0")
    for position, value in enumerate(sizes.values):
        ax.text(value, position, f" {value:,}", va="center")
    ax.set(xlabel="vocabulary size", ylabel="", title="Vocabulary before and after stemming")
    ax.set_xlim(0, sizes.max() * 1.2)
    return ax


def plot_top_stems(top, ax=None):
    """Horizontal bars of the most frequent stems, labelled "display word (stem)".

    Parameters
    ----------
    top : DataFrame
        From :func:`kliping.stem.top_stems` (``stem``, ``display_word``, ``count``).
    """
    ax = ax or plt.subplots(figsize=(7, 0.3 * len(top) + 1))[1]
    labels = [word if word == stem else f"{word} ({stem})" for word, stem in zip(top["display_word"], top["stem"])]
    sns.barplot(x=top["count"].values, y=labels, ax=ax, color="#55a868")
    ax.set(xlabel="occurrences in the corpus", ylabel="", title="Most frequent stems, shown by their display word")
    return ax


# --------------------------------------------------------------------------- vectorize / cluster
def plot_k_selection(k_table: pd.DataFrame, chosen: int):
    """The three criteria of :func:`kliping.cluster.choose_k` per number of topics, the chosen k marked.

    Returns None when fewer than two k were tried (a tiny corpus).
    """
    if k_table["stability"].notna().sum() < 2:
        return None
    criteria = [("stability", "stability across seeds (ARI)", "must be high"),
                ("coherence", "coherence of the top words (NPMI)", "highest wins"),
                ("silhouette", "silhouette (cosine)", "shown, not used")]
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
    from kliping.vectorize import df_cutoffs, document_frequencies

    df = np.array(list(document_frequencies(token_lists).values()))
    ax = ax or plt.subplots(figsize=(7, 3))[1]
    ax.hist(df, bins=np.unique(np.geomspace(1, max(2, df.max() + 1), 40).astype(int)), color="#4c72b0")
    ax.set(xscale="log", yscale="log", title="In how many articles does each term occur?",
           xlabel="articles containing the term (log scale)", ylabel="terms (log scale)")
    min_df, max_df = df_cutoffs(vectorizer, len(token_lists))
    ax.axvline(min_df, color="#c44e52", linestyle="--", label=f"min_df: kept from {min_df:,.0f} articles")
    ax.axvline(max_df, color="#dd8452", linestyle="--", label=f"max_df: kept up to {max_df:,.0f} articles")
    ax.set_xlim(0.8, max(df.max(), max_df) * 1.5)
    ax.legend(frameon=False, fontsize=8)
    return ax


def plot_top_terms(top: pd.DataFrame, ax=None):
    """The terms with the most TF-IDF weight (from :func:`kliping.vectorize.top_terms`), as display words."""
    ax = ax or plt.subplots(figsize=(7, 0.3 * len(top) + 1))[1]
    sns.barplot(x=top["weight"].to_numpy(), y=top["word"].tolist(), ax=ax, color="#4c72b0", orient="h")
    ax.set(title="The words with the most weight in the corpus", xlabel="total TF-IDF weight", ylabel="")
    return ax


def plot_topic_sizes(topics: pd.DataFrame, ax=None):
    """Articles per topic, labelled with the topic's words."""
    ax = ax or plt.subplots(figsize=(8, 0.4 * len(topics) + 1))[1]
    names = [f"{t}: {label}" for t, label in zip(topics["topic"], topics["label"])]
    sns.barplot(x=topics["size"].to_numpy(), y=names, ax=ax, color="#4c72b0", orient="h")
    ax.set(title="How big is each topic?", xlabel="articles", ylabel="")
    return ax


def plot_top_terms_grid(topics: pd.DataFrame, weights: list[list[tuple[str, float]]], n_terms: int = 8):
    """A small bar chart of the top terms of every topic, in a grid."""
    n = len(topics)
    cols = min(3, n)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.6 * rows), squeeze=False)
    for ax, (_, topic), terms in zip(axes.ravel(), topics.iterrows(), weights):
        words = [w for w, _ in terms[:n_terms]][::-1]
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
    """Articles on a 2-D map (the first two principal axes of the LSA vectors), coloured by topic."""
    from sklearn.decomposition import PCA

    ax = ax or plt.subplots(figsize=(8, 6))[1]
    if len(Z) < 3:
        xy = np.zeros((len(Z), 2)) + np.arange(len(Z))[:, None]
    else:
        xy = PCA(2, random_state=seed).fit_transform(Z)
    hue = [f"{t}: {names.get(t, '')}" if names else str(t) for t in labels]
    order = sorted(set(hue), key=lambda h: int(h.split(":")[0]))
    sns.scatterplot(x=xy[:, 0], y=xy[:, 1], hue=hue, hue_order=order, s=12 if len(Z) > 200 else 60,
                    alpha=0.7, linewidth=0, palette="tab10" if len(order) <= 10 else "tab20", ax=ax)
    ax.set(title="Map of the articles, coloured by topic", xlabel="first principal axis of the LSA space",
           ylabel="second principal axis")
    sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8, title="topic")
    return ax


def plot_topics_vs_labels(topics: np.ndarray, truth, names: dict | None = None, ax=None):
    """Heatmap of topics against known labels, as the share of each topic's articles."""
    table = pd.crosstab(pd.Series(topics, name="topic"), pd.Series(truth, name="label"), normalize="index")
    if names:
        table.index = [f"{t}: {names.get(t, '')}"[:40] for t in table.index]
    ax = ax or plt.subplots(figsize=(1.0 * table.shape[1] + 4, 0.45 * table.shape[0] + 2))[1]
    sns.heatmap(table, annot=True, fmt=".0%", cmap="Blues", cbar=False, ax=ax, annot_kws={"size": 8})
    ax.set(title="Which known label do the articles of each topic carry?", xlabel="label (editors' category)",
           ylabel="topic")
    return ax


def plot_topic_timeline(dates: pd.Series, topics: np.ndarray, names: dict | None = None, freq: str = "W", ax=None):
    """Articles per topic and week, as a heatmap; None when fewer than 10 dates are known.

    Only the bulk of the corpus is shown (the 1st to 99th percentile of the dates): a date read from an
    article's text can be one the story mentions (1998, 2045) rather than the day it was published.
    """
    dates = pd.to_datetime(dates, errors="coerce", utc=True)
    known = dates.notna().to_numpy()
    if known.sum() < 10:
        return None
    low, high = dates[known].quantile(0.01), dates[known].quantile(0.99)
    known = known & ((dates >= low) & (dates <= high)).to_numpy()
    frame = pd.DataFrame({"week": dates[known].dt.tz_convert(None).dt.to_period(freq).dt.start_time.dt.date,
                          "topic": [f"{t}: {names.get(t, '')}" if names else str(t) for t in topics[known]]})
    table = frame.groupby(["topic", "week"]).size().unstack(fill_value=0)
    table = table.loc[sorted(table.index, key=lambda label: int(label.split(":")[0]))]
    ax = ax or plt.subplots(figsize=(min(2 + 0.45 * table.shape[1], 14), 0.4 * len(table) + 1.5))[1]
    sns.heatmap(table, cmap="Blues", ax=ax, cbar_kws={"label": "articles"}, linewidths=0.3)
    ax.set(title="When were the topics in the news? Articles per topic and week", xlabel="week starting", ylabel="")
    ax.tick_params(axis="x", labelrotation=90, labelsize=8)
    return ax


def topic_cards_html(topics: pd.DataFrame) -> str:
    """Topic cards: label, display words, representative titles with sites, site mix (all escaped)."""
    cards = []
    for _, topic in topics.iterrows():
        items = "".join(
            f"<li>{escape(title)}" + (f" <span style='color:#888'>({escape(site)})</span>" if site else "") + "</li>"
            for title, site in zip(topic["representatives"], topic["representative_sites"]))
        cards.append(
            "<div style='border:1px solid #ddd;border-radius:8px;padding:0.6em 1em;margin:0.5em 0;"
            "background:#fafbfc'>"
            f"<div style='font-weight:600;font-size:1.05em'>Topic {int(topic['topic'])}: {escape(topic['label'])}"
            f" <span style='color:#888;font-weight:400'>· {int(topic['size']):,} articles</span></div>"
            f"<div style='margin:0.3em 0'><b>Words:</b> {escape(topic['top_terms'])}</div>"
            f"<div style='margin:0.3em 0'><b>Sets it apart:</b> {escape(topic['distinctive_terms'])}</div>"
            f"<div style='margin:0.3em 0'><b>Typical articles:</b><ul style='margin:0.2em 0'>{items}</ul></div>"
            + (f"<div style='color:#555'><b>Sites:</b> {escape(topic['site_mix'])}</div>" if topic.get("site_mix") else "")
            + "</div>")
    return "<div>" + "".join(cards) + "</div>"


# --------------------------------------------------------------------------- clean
def _kind_badge(kind: str) -> str:
    return (f"<span style='background:{KIND_COLOURS.get(kind, '#6b7280')};color:white;padding:1px 6px;"
            f"border-radius:3px;font-size:0.8em'>{escape(kind)}</span>")


def page_lines_html(text: str, kinds: list[str], title: str = "", max_chars: int = 160, fold_after: int = 3) -> str:
    """A page as coloured lines, one colour per kind, with a legend; all article text escaped.

    Runs of more than ``fold_after`` noise lines of one kind (a list of related headlines) show their first
    lines and a count of the rest, so the body stays in view; body lines are never folded.

    Examples
    --------
    >>> "&lt;script&gt;" in page_lines_html("<script>alert(1)</script>", ["other"])
    True
    >>> "3 more related lines" in page_lines_html("\\n".join(["Berita lain"] * 6), ["related"] * 6)
    True
    """
    all_lines = text.splitlines()
    # Blank lines are left out of the view (the line numbers show where they were).
    numbered = [(i, line, kind) for i, (line, kind) in enumerate(zip(all_lines, kinds)) if kind != "blank"]
    legend = " ".join(_kind_badge(k) for k in KIND_COLOURS if k in set(kinds) and k != "blank")
    rows, number = [], 0
    while number < len(numbered):
        kind = numbered[number][2]
        run_end = number
        while run_end < len(numbered) and numbered[run_end][2] == kind:
            run_end += 1
        shown_end = run_end if kind == "body" or run_end - number <= fold_after + 1 else number + fold_after
        colour = KIND_COLOURS.get(kind, "#6b7280")
        weight = "600" if kind in ("body", "title") else "400"
        for i, line, _ in numbered[number:shown_end]:
            line = line if len(line) <= max_chars else line[: max_chars - 1] + "…"
            rows.append(
                f"<tr><td style='color:#999;text-align:right;padding-right:6px'>{i + 1}</td>"
                f"<td style='color:{colour};font-size:0.75em;padding-right:8px;white-space:nowrap'>{escape(kind)}</td>"
                f"<td style='color:{colour};font-weight:{weight};text-align:left'>{escape(line)}</td></tr>")
        if shown_end < run_end:
            rows.append(f"<tr><td></td><td></td><td style='color:{colour};font-style:italic;text-align:left'>"
                        f"… {run_end - shown_end} more {escape(kind)} lines</td></tr>")
        number = run_end
    head = f"<div style='font-weight:600;margin:0.8em 0 0.3em'>{escape(title)}</div>" if title else ""
    return (f"<div>{head}<div style='margin-bottom:0.4em'>{legend}</div>"
            f"<table style='font-size:0.85em;border-collapse:collapse'>{''.join(rows)}</table></div>")


def clipping_html(record) -> str:
    """The article as kliping cut it out: title, metadata and body paragraphs, all escaped.

    ``record`` is one row of :func:`kliping.clean.clean_articles` (``title``, ``site``, ``published``,
    ``byline``, ``dateline_city``, ``content``).

    Examples
    --------
    >>> html = clipping_html({"title": "Banjir <b>Bekasi</b>", "site": "kompas.com", "content": "Air naik.\\nWarga mengungsi."})
    >>> "Banjir &lt;b&gt;Bekasi&lt;/b&gt;" in html, html.count("<p")
    (True, 2)
    """
    get = record.get if isinstance(record, dict) else lambda key, default=None: getattr(record, key, default)
    facts = []
    for label, key in (("site", "site"), ("published", "published"), ("by", "byline"), ("from", "dateline_city")):
        value = get(key)
        if not is_missing(value) and str(value):
            facts.append(f"{label}: {escape(value)}")
    paragraphs = "".join(f"<p style='margin:0 0 0.6em'>{escape(paragraph)}</p>"
                         for paragraph in str(get("content") or "").split("\n") if paragraph.strip())
    return (f"<div style='font-family:Georgia,serif;line-height:1.45'>"
            f"<div style='font-size:1.15em;font-weight:700;margin-bottom:0.2em'>{escape(get('title') or '')}</div>"
            f"<div style='color:#666;font-size:0.85em;margin-bottom:0.8em'>{' · '.join(facts)}</div>"
            f"{paragraphs or '<p><i>no body found</i></p>'}</div>")


def before_after_html(record, fold_after: int = 3) -> str:
    """A page before cleaning (every line coloured by its kind) beside the clipping kliping cut out of it."""
    before = page_lines_html(record.text, list(record.kinds), fold_after=fold_after)
    return ("<div style='display:flex;gap:1.5em;align-items:flex-start;margin:1em 0 2em'>"
            "<div style='flex:3;min-width:0'><div style='font-weight:600;margin-bottom:0.3em'>Before: the page, "
            f"line by line</div>{before}</div>"
            "<div style='flex:2;min-width:0;border-left:3px solid #1a7f37;padding-left:1em'>"
            "<div style='font-weight:600;margin-bottom:0.3em'>After: the clipping</div>"
            f"{clipping_html(record)}</div></div>")


def plot_removed_by_kind(clean: pd.DataFrame, ax=None):
    """Lines per kind across the corpus: what was kept as body and what was cut away."""
    counts = kind_counts(clean).drop("blank", errors="ignore")
    ax = ax or plt.subplots(figsize=(8, 0.35 * len(counts) + 1))[1]
    colours = [KIND_COLOURS.get(k, "#6b7280") for k in counts.index]
    ax.barh(counts.index[::-1], counts.to_numpy()[::-1], color=colours[::-1])
    ax.set(title="What the cleaning kept (body) and cut away, by kind of line", xlabel="lines", ylabel="")
    return ax
