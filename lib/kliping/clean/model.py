"""The line model and the choice of the body: log-odds per line, then the best run of evidence.

The model (``data/clean_model.json``, plain JSON coefficients, trained on the DEV pages by
``benchmarks/train_clean.py``) turns a line's features into the log-odds that it is body. The body is mostly
one contiguous run, so the run of lines with the largest summed evidence (a maximum-sum segment, as in
Kadane's algorithm) is taken; inside it, lines that a marker keeps out (``Baca juga: ...``) are left out, and
outside it only strong, long paragraphs are kept.

Examples
--------
>>> best_segment(np.array([-1.0, 2.0, -0.5, 3.0, -4.0]))
(1, 4)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from kliping.clean.features import FEATURE_NAMES, HTML_FEATURE_NAMES
from kliping.clean.rules import SENTENCE_MIN_WORDS, boilerplate

#: The model's file in ``kliping/data``.
MODEL_FILE = "clean_model.json"
#: The model of pages read from HTML (:data:`~kliping.clean.features.HTML_FEATURE_NAMES`), beside it; its JSON
#: carries its own decoding settings (``decode``), tuned by ``benchmarks/train_clean.py --html``.
HTML_MODEL_FILE = "clean_model_html.json"
#: The same features fitted for Indonesian (and Malay) pages: on those, site-split cross-validation wanted ten
#: times the regularisation the other languages did (token F1 0.965 at C=0.001 against 0.949 at C=0.01, where
#: the other languages gave 0.952 and 0.958).
HTML_ID_MODEL_FILE = "clean_model_html_id.json"
#: The page languages (:func:`kliping.clean.markup_features.page_language`) cleaned by that model.
HTML_ID_LANGUAGES = ("id", "ms")


def html_model(language: str) -> LineModel:
    """The HTML line model of a page in ``language``.

    Examples
    --------
    >>> html_model("id").meta["C"] < html_model("en").meta["C"]
    True
    """
    return load_model(name=HTML_ID_MODEL_FILE if language in HTML_ID_LANGUAGES else HTML_MODEL_FILE)


#: Decoding settings (tuned with leave-one-site-out cross-validation in benchmarks/train_clean.py).
DECODE = {"keep_inside": -1.0, "keep_outside": 3.0, "outside_min_words": 20}
#: A line's log-odds count up to this size either way: one extreme line cannot outweigh a paragraph run.
LOG_ODDS_CLIP = 6


@dataclass(frozen=True)
class LineModel:
    """A logistic model over :data:`~kliping.clean.features.FEATURE_NAMES`, read from JSON."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    meta: dict = field(default_factory=dict)

    def log_odds(self, features: np.ndarray) -> np.ndarray:
        """Log-odds that each line (row of ``features``) is body.

        Summed row by row (not by a matrix product, whose rounding depends on how many rows it gets): a
        line's log-odds are the same whether its page is cleaned alone or in a batch.
        """
        return (((np.ascontiguousarray(features) - self.mean) / self.scale) * self.coef).sum(axis=1) + self.intercept


@cache
def load_model(path: str | None = None, name: str = MODEL_FILE) -> LineModel:
    """Load the line model (default: ``kliping/data/clean_model.json``; ``name=HTML_MODEL_FILE`` the one of
    pages read from HTML).

    Examples
    --------
    >>> len(load_model().coef) == len(FEATURE_NAMES), len(load_model(name=HTML_MODEL_FILE).coef) > len(FEATURE_NAMES)
    (True, True)
    """
    if path is None:
        raw = resources.files("kliping").joinpath(f"data/{name}").read_text(encoding="utf-8")
    else:
        raw = Path(path).read_text(encoding="utf-8")
    data = json.loads(raw)
    if tuple(data["features"]) not in (FEATURE_NAMES, HTML_FEATURE_NAMES):
        raise ValueError("the line model was trained on other features; retrain it with benchmarks/train_clean.py")
    return LineModel(
        np.array(data["mean"]),
        np.array(data["scale"]),
        np.array(data["coef"]),
        float(data["intercept"]),
        {k: v for k, v in data.items() if k not in ("mean", "scale", "coef")},
    )


def best_segment(evidence: np.ndarray) -> tuple[int, int]:
    """The contiguous run ``[start, stop)`` with the largest summed evidence (Kadane).

    Examples
    --------
    >>> best_segment(np.array([-1.0, -2.0]))
    (0, 0)
    """
    values = np.asarray(evidence, dtype=float).tolist()
    return _best_run(values, 0, len(values))


def _best_run(values: list, first: int, stop: int) -> tuple[int, int]:
    """:func:`best_segment` of ``values[first:stop]``, as offsets into ``values`` (``(first, first)`` when no
    run sums above 0)."""
    best, best_start, best_stop = 0.0, first, first
    total, start = 0.0, first
    for i in range(first, stop):
        if total <= 0:
            total, start = 0.0, i
        total += values[i]
        if total > best:
            best, best_start, best_stop = total, start, i + 1
    return best_start, best_stop


def pick_bodies(log_odds: np.ndarray, columns: dict, bounds: np.ndarray, decode: dict | None) -> np.ndarray:
    """Choose the body lines of each page from their log-odds (pages as
    :func:`kliping.clean.features.pages_features` gives them).

    Per page, the run of lines with the best summed evidence (:func:`best_segment`, each line weighted by
    the square root of its words); inside it the lines that are not boilerplate, navigation or clearly noise,
    outside it only strong, long paragraphs; the line that repeats the title is the headline, not body. A page
    left without a body line keeps its most sentence-like line, when it has one.
    """
    decode = {**DECODE, **(decode or {})}
    words = columns["words"]
    evidence = (np.clip(log_odds, -LOG_ODDS_CLIP, LOG_ODDS_CLIP) * np.sqrt(np.maximum(words, 1))).tolist()
    inside = np.zeros(len(log_odds), dtype=bool)
    pages = list(zip(bounds[:-1].tolist(), bounds[1:].tolist()))
    for first, stop in pages:
        run_start, run_stop = _best_run(evidence, first, stop)
        inside[run_start:run_stop] = True
    kept_out = boilerplate(columns)
    if "navigation" in columns:  # menus, breadcrumbs, the masthead (kliping.clean.navigation)
        kept_out = kept_out | columns["navigation"]
    body = (inside & ~kept_out & (log_odds >= decode["keep_inside"])) | (
        ~inside & ~kept_out & (log_odds >= decode["keep_outside"]) & (words >= decode["outside_min_words"])
    )
    if len(body):
        # The line that repeats the page's title is its headline, not body, when the page has other body.
        headline = (columns["is_title"] != 0) & body
        has_other = np.logical_or.reduceat(body & ~headline, bounds[:-1])
        body &= ~(headline & np.repeat(has_other, np.diff(bounds)))
        for k in np.flatnonzero(~np.logical_or.reduceat(body, bounds[:-1])).tolist():
            # Already-clean input with one short line, or a page of headlines: keep the best line when it
            # reads like a sentence rather than a menu.
            first, stop = pages[k]
            sentences = first + np.flatnonzero(
                (words[first:stop] >= SENTENCE_MIN_WORDS)
                & (columns["function_share"][first:stop] > 0)
                & ~columns.get("navigation", np.zeros(len(words), dtype=bool))[first:stop]
            )
            if len(sentences):
                body[sentences[np.argmax(log_odds[sentences])]] = True  # the first of the best, as max() takes
    return body


def start_at_dateline(body: np.ndarray, dateline_prefix: np.ndarray, max_skip: int = 2) -> None:
    """A body whose second or third line opens with a dateline ("WASHINGTON, KOMPAS.com -") starts there
    (``body`` is changed in place).

    The body-looking lines just before it are a photo caption or a teaser, not the article.

    Examples
    --------
    >>> body = np.array([True, True, True]); start_at_dateline(body, np.array([0, 1, 0])); body.tolist()
    [False, True, True]
    """
    starts = np.flatnonzero(body)
    for j in starts[1 : max_skip + 1]:
        if dateline_prefix[j]:
            body[starts[starts < j]] = False
            break
