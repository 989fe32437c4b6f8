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

sns.set_theme(style="whitegrid", context="notebook")


def escape(text) -> str:
    """Escape article text for HTML; ``None`` and NaN become an empty string.

    Examples
    --------
    >>> escape('<img src=x onerror="alert(1)"> Banjir & longsor')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Banjir &amp; longsor'
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ""
    return html.escape(str(text), quote=True)


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
