"""Figures draw text from the data as it is: a ``$`` in a topic label or an article title is not TeX.

A topic label such as ``$\\frac{$`` (words are data; a scraped page can carry anything) used to kill the
notebook with a matplotlib mathtext parse error, and ``$5 juta$`` in a title was set in math italics.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

from kliping.report import plots

matplotlib.use("Agg")

LABEL = r"$\frac{$"  # unbalanced TeX: mathtext raises ValueError on it
TITLE = "Harga cabai tembus $5 juta$ per kuintal"
NAMES = {0: LABEL, 1: "banjir · rob", 2: TITLE}


def drawn_texts(figure) -> list[Text]:
    """Every text of a figure after drawing it (tick labels only exist once the figure is drawn)."""
    figure.canvas.draw()  # raises here if a text were parsed as mathtext
    return [text for text in figure.findobj(Text) if text.get_text()]


def assert_drawn_literally(figure, *expected: str) -> None:
    texts = drawn_texts(figure)
    assert all(not text.get_parse_math() for text in texts), "a text of the figure is parsed as mathtext"
    shown = [text.get_text() for text in texts]
    for literal in expected:
        assert any(literal in text for text in shown), f"{literal!r} is not drawn; drawn: {shown}"
        # What the renderer is given: the string itself, not flagged as math.
        match = next(text for text in texts if literal in text.get_text())
        assert match._preprocess_math(match.get_text()) == (match.get_text(), False)
    plots.plt.close(figure)


@pytest.fixture
def topics() -> np.ndarray:
    return np.array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])


def test_topic_sizes():
    table = pd.DataFrame({"topic": [0, 1, 2], "label": [NAMES[t] for t in range(3)], "size": [4, 4, 4]})
    assert_drawn_literally(plots.plot_topic_sizes(table).figure, f"0: {LABEL}", f"2: {TITLE}")


def test_topic_map(topics):
    Z = np.random.default_rng(0).normal(size=(len(topics), 5))
    assert_drawn_literally(plots.plot_topic_map(Z, topics, NAMES).figure, f"0: {LABEL}", f"2: {TITLE}")


def test_topic_timeline(topics):
    dates = pd.Series(pd.date_range("2024-01-01", periods=len(topics), freq="3D"))
    ax = plots.plot_topic_timeline(dates, topics, NAMES)
    assert_drawn_literally(ax.figure, f"0: {LABEL}", f"2: {TITLE}")


def test_topics_vs_labels(topics):
    truth = [LABEL, "$5 juta$"] * (len(topics) // 2)
    ax = plots.plot_topics_vs_labels(topics, truth, NAMES)
    assert_drawn_literally(ax.figure, f"0: {LABEL}", "$5 juta$")


def test_top_terms_grid():
    table = pd.DataFrame({"topic": [0, 1], "size": [4, 4]})
    weights = [[(LABEL, 0.9), ("banjir", 0.5)], [("$5", 0.7), ("juta$", 0.6)]]
    assert_drawn_literally(plots.plot_top_terms_grid(table, weights), LABEL, "$5", "juta$")


def test_article_titles():
    articles = pd.DataFrame(
        {
            "id": ["a", "b"],
            "status": ["ok", "ok"],
            "title": [TITLE, LABEL],
            "text": ["Harga cabai naik " * 20, "Banjir rob " * 30],
        }
    )
    assert_drawn_literally(plots.plot_length_distribution(articles).figure, TITLE, LABEL)


def test_topic_tree_names_every_topic_with_its_size():
    centres = np.array([[1.0, 0.0, 0.0], [0.9, 0.2, 0.0], [0.0, 0.1, 1.0]])
    table = pd.DataFrame({"topic": [0, 1, 2], "label": [NAMES[t] for t in range(3)], "size": [1200, 4, 4]})
    ax = plots.plot_topic_tree(centres, table)
    assert_drawn_literally(ax.figure, f"0: {LABEL} (1,200)", f"2: {TITLE} (4)")


def test_nearest_similarity_shows_the_share_of_outliers():
    ax = plots.plot_nearest_similarity(np.array([0.05, 0.15, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]), 0.2)
    assert "2 of 8 articles (25.0%) lie below cosine 0.20" in ax.get_title()
    plots.plt.close(ax.figure)
