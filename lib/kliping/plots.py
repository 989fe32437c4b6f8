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
