"""Figures draw text from the data as it is: a ``$`` in a topic label or an article title is not TeX; the log axes'
ticks are mathtext and read as numbers.

A topic label such as ``$\\frac{$`` (words are data; a scraped page can carry anything) used to kill the
notebook with a matplotlib mathtext parse error, and ``$5 juta$`` in a title was set in math italics. Switching
mathtext off for every text fixed that but printed ``$\\mathdefault{10^{2}}$`` on every log axis.
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
    figure.canvas.draw()  # raises here if a text were parsed as broken mathtext
    return [text for text in figure.findobj(Text) if text.get_text()]


def width_as_plain_text(text: Text, shown: str) -> float:
    """The width ``shown`` takes when drawn as plain text (mathtext off) in ``text``'s font."""
    figure = text.figure
    plain = figure.text(0, 0, shown, fontproperties=text.get_fontproperties(), parse_math=False)
    width = plain.get_window_extent(figure.canvas.get_renderer()).width
    plain.remove()
    return width


def assert_drawn_literally(figure, *expected: str) -> None:
    """Each expected string is drawn, dollars and all, at the width it has as plain text (italic maths would be
    narrower, and mathtext drops the dollars)."""
    texts = drawn_texts(figure)
    renderer = figure.canvas.get_renderer()
    for literal in expected:
        matches = [text for text in texts if literal in text.get_text().replace(r"\$", "$")]
        assert matches, f"{literal!r} is not drawn; drawn: {[text.get_text() for text in texts]}"
        text = matches[0]
        shown = text.get_text().replace(r"\$", "$")
        assert text.get_window_extent(renderer).width == pytest.approx(width_as_plain_text(text, shown), rel=0.02)
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
    from kliping.topics.timeline import topics_over_time

    dates = pd.Series(pd.date_range("2024-01-01", periods=len(topics), freq="3D"))
    over_time = topics_over_time(dates, topics)
    ax = plots.plot_topic_timeline(over_time, NAMES)
    assert_drawn_literally(ax.figure, f"0: {LABEL}", f"2: {TITLE}")
    # The whole span on the axis, with units: every period from the first date to the last, empty ones too.
    from kliping.topics.timeline import PERIODS, share_table

    freq = PERIODS[over_time.attrs["period"]]
    periods = len(pd.period_range(dates.min(), dates.max(), freq=freq))
    assert ax.collections[0].get_array().size == len(set(topics)) * periods == share_table(over_time).size
    assert "share of the period's articles (%)" in ax.figure.axes[-1].get_ylabel()


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


def test_log_axes_read_as_numbers_not_as_mathtext_source():
    """The ticks of a log axis are drawn as maths (10 with a raised exponent), never as ``$\\mathdefault...$``."""
    from kliping.topics import tfidf as vectorize

    token_lists = [["banjir", "bekasi"], ["banjir", "garut"], ["gol", "persib"]] * 40
    vectorizer, _ = vectorize.tfidf(token_lists)
    ax = plots.plot_document_frequencies(token_lists, vectorizer)
    texts = drawn_texts(ax.figure)
    renderer = ax.figure.canvas.get_renderer()
    ticks = [t for t in ax.get_xticklabels() + ax.get_yticklabels() if "mathdefault" in t.get_text()]
    assert ticks, "the log axes have no 10^n ticks"
    for tick in ticks:
        # Drawn as maths: far narrower than its source drawn as plain text (about 0.2 of it).
        assert tick.get_window_extent(renderer).width < 0.5 * width_as_plain_text(tick, tick.get_text())
    assert not any("mathdefault" in t.get_text() and not t.get_parse_math() for t in texts)
    plots.plt.close(ax.figure)


def test_figures_with_nothing_to_show_say_so():
    """A corpus with no article to cluster: every topic figure says so in words instead of failing."""
    empty_topics = pd.DataFrame(columns=["topic", "size", "label"])
    figures = [
        plots.plot_topic_sizes(empty_topics).figure,
        plots.plot_top_terms_grid(empty_topics, []),
        plots.plot_topic_map(np.zeros((0, 0)), np.zeros(0, int), {}).figure,
        plots.plot_topic_tree(np.zeros((0, 0)), empty_topics).figure,
        plots.plot_nearest_similarity(np.zeros(0), 0.0).figure,
        plots.plot_topics_vs_labels(np.zeros(0, int), []).figure,
    ]
    for figure in figures:
        assert plots.NO_TOPIC in [t.get_text() for t in drawn_texts(figure)]
        plots.plt.close(figure)
    figure = plots.plot_document_frequencies([], None).figure
    assert "no article has a stem" in [t.get_text() for t in drawn_texts(figure)]
