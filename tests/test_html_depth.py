"""HTML of any depth keeps its text; a page with no text says why. Real sentences from a real page."""

from __future__ import annotations

import json
import warnings

import pytest

from kliping import io
from tests.conftest import require_shared


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    path = require_shared("corpora/id_news_extraction_gt/pages.jsonl")
    with open(path, encoding="utf-8") as handle:
        page = json.loads(next(handle))
    lines = [line.strip() for line in page["clean_text"].splitlines() if len(line.strip()) > 40]
    assert len(lines) >= 5
    return (lines * (400 // len(lines) + 1))[:400]


def read_page(tmp_path, name, html):
    (tmp_path / name).write_text(html, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        row = io.read_corpus(tmp_path / name).iloc[0]
    return row, [str(w.message) for w in caught if issubclass(w.category, io.InputWarning)]


def test_100k_nested_divs_keep_their_text(tmp_path, sentences):
    body = "".join(f"<p>{s}</p>" for s in sentences[:10])
    html = "<html><body>" + "<div>" * 100_000 + body + "</div>" * 100_000 + "</body></html>"
    row, problems = read_page(tmp_path, "dalam.html", html)
    assert row["status"] == "ok" and problems == []
    assert row["text"].split("\n") == [io.clean_lines(s) for s in sentences[:10]]


@pytest.mark.parametrize("depth", [400, 1500, 5000])
def test_unclosed_div_p_keep_every_line(tmp_path, sentences, depth):
    lines = (sentences * (depth // len(sentences) + 1))[:depth]
    html = "<html><head><title>Judul</title></head><body><h1>Gempa</h1>" + "".join(f"<div><p>{s}" for s in lines)
    row, problems = read_page(tmp_path, "terbuka.html", html)
    assert row["status"] == "ok" and problems == []
    assert row["title"] == "Gempa"
    assert row["text"].split("\n") == ["Gempa"] + [io.clean_lines(s) for s in lines]


def test_a_page_without_text_says_why(tmp_path):
    html = "<html><head><title>Kosong</title></head><body><script src='app.js'></script><img src='a.png'></body></html>"
    row, problems = read_page(tmp_path, "kosong.html", html)
    assert row["status"] == "whitespace_only"
    assert problems == [f"{tmp_path / 'kosong.html'}: HTML page without visible text (it holds 1 <script>, 1 <img>; "
                        "its text may be loaded by scripts or be in images)"]  # fmt: skip
