"""Repeated ids get a suffix no other id has, with a warning; the notebooks' own checks then hold."""

from __future__ import annotations

import json
import warnings

import nbformat
import pytest

from kliping import config, io, pipeline
from tests.conftest import require_shared


def load_quietly(path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = pipeline.load(path)
    return frame, [str(w.message) for w in caught if issubclass(w.category, io.InputWarning)]


@pytest.mark.parametrize(
    "ids, expected",
    [
        (["a", "a#2", "a"], ["a", "a#2", "a#3"]),
        (["a", "a", "a#2"], ["a", "a#3", "a#2"]),
        (["a#2", "a", "a", "a"], ["a#2", "a", "a#3", "a#4"]),
        (["a", "a#3", "a", "a", "a#3"], ["a", "a#3", "a#2", "a#4", "a#3#2"]),
    ],
)
def test_repeated_ids_of_real_articles_stay_unique(tmp_path, ids, expected):
    path = require_shared("corpora/clickid_labelled_news/sample_stratified.jsonl")
    with open(path, encoding="utf-8") as handle:
        records = [json.loads(next(handle)) for _ in ids]
    corpus = tmp_path / "ids.jsonl"
    corpus.write_text("".join(json.dumps({**r, "id": i}) + "\n" for r, i in zip(records, ids)), encoding="utf-8")
    articles, problems = load_quietly(corpus)
    assert articles["id"].tolist() == expected
    assert articles["id"].is_unique  # the check notebook 01 makes (below)
    renamed = [new for old, new in zip(ids, expected) if old != new]
    assert len(problems) == len(renamed) and all("repeats; renamed" in p for p in problems)


def test_notebook_01_checks_exactly_this():
    notebook = nbformat.read(config.PROJECT_ROOT / "notebooks" / "01_load.ipynb", as_version=4)
    assert any('assert articles["id"].is_unique' in cell.source for cell in notebook.cells)
