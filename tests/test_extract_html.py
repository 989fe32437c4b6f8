"""Extraction from HTML with the markup's help (kliping.io.blocks, kliping.clean.markup_features, clean_html).

Real pages: the DEV pages of ``id_news_extraction_gt`` and the Readability pages of ``en_extraction_readability``
(skipped visibly when ``../shared`` is absent), and pages built from their reference texts with a real site's
furniture around them (a menu, a related-articles box, share links, a footer).
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from conftest import require_shared

from kliping import clean, io
from kliping.base.articles import input_columns
from kliping.clean import clean_html, clean_page
from kliping.io.blocks import STRUCTURE_NAMES, html_blocks

ID_PAGES = "corpora/id_news_extraction_gt/pages.jsonl"
EN_PAGES = "corpora/en_extraction_readability/pages.jsonl"
_TOKEN = re.compile(r"\w+")


def token_f1(gold: str, got: str) -> float:
    """The shared scorer's bag-of-tokens F1 (lowercased \\w+ with multiplicity)."""
    g, t = Counter(_TOKEN.findall(gold.lower())), Counter(_TOKEN.findall(got.lower()))
    overlap = sum((g & t).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(t.values()), overlap / sum(g.values())
    return 2 * p * r / (p + r)


def read_records(relative: str) -> list[dict]:
    with open(require_shared(relative), encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def furnished_page(paragraphs: list[str], language: str) -> str:
    """A page around real paragraphs: a menu, the article, a related box, share links and a footer, in the
    markup news sites use (class names of WordPress and of Indonesian portals)."""
    words = {
        "id": ("Beranda", "Nasional", "Baca juga", "Bagikan", "Hak cipta dilindungi undang-undang"),
        "en": ("Home", "World", "Related stories", "Share on Facebook", "All rights reserved"),
    }[language]
    related = [p.split(".")[0][:70] for p in paragraphs[1:4]]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html><html><head><title>Page</title></head><body>"
        f"<header class='site-header'><nav class='main-menu'><ul><li><a href='/'>{words[0]}</a></li>"
        f"<li><a href='/n'>{words[1]}</a></li><li><a href='/e'>Ekonomi</a></li></ul></nav></header>"
        f"<main><article class='post'><div class='entry-content'>{body}</div>"
        f"<div class='share-buttons'><a href='#'>{words[3]}</a> <a href='#'>Twitter</a></div></article>"
        f"<aside class='related-posts'><h3>{words[2]}</h3><ul>"
        + "".join(f"<li><a href='/r{i}'>{html.escape(r)}</a></li>" for i, r in enumerate(related))
        + f"</ul></aside></main><footer class='site-footer'><p>{words[4]} 2024</p>"
        "<a href='/about'>About</a> | <a href='/contact'>Contact</a></footer></body></html>"
    )


def test_blocks_say_where_each_line_sits():
    blocks = html_blocks(furnished_page(["Gempa mengguncang Bali pada Kamis pagi. Warga berlarian."] * 2, "id"))
    row = {line: dict(zip(STRUCTURE_NAMES, values)) for line, values in zip(blocks.lines, blocks.structure)}
    assert row["Beranda"]["in_nav"] and row["Beranda"]["link_share"] == 1.0
    assert row["Baca juga"]["in_aside"] and row["Baca juga"]["class_related"] and row["Baca juga"]["tag_heading"]
    paragraph = row["Gempa mengguncang Bali pada Kamis pagi. Warga berlarian."]
    assert paragraph["in_article"] and paragraph["tag_p"] and paragraph["class_body"] and not paragraph["in_nav"]
    assert paragraph["link_share"] == 0.0


@pytest.mark.parametrize("relative, language", [(ID_PAGES, "id"), (EN_PAGES, "en")])
def test_furniture_around_real_paragraphs_is_cut_and_the_body_kept(relative, language):
    records = [r for r in read_records(relative) if r["lang"].lower().startswith(language)]
    checked = 0
    for record in records[::4]:
        paragraphs = [line for line in record["clean_text"].split("\n") if len(line.split()) >= 8][:12]
        if len(paragraphs) < 4:
            continue
        page = clean_html(furnished_page(paragraphs, language))
        kept = page.content.split("\n")
        assert "Beranda" not in kept and "Home" not in kept
        assert not any("rights reserved" in line.lower() or "hak cipta" in line.lower() for line in kept)
        assert not any(line.startswith(("Bagikan", "Share on")) for line in kept)
        assert token_f1("\n".join(paragraphs), page.content) >= 0.9, record["id"]
        checked += 1
    assert checked >= 4


def test_english_pages_nav_and_footer_out_body_in():
    """On the real Readability pages: lines inside <nav> or <footer> are hardly ever kept, and the article text
    is (the model was fitted on these pages; benchmarks/bench_extract_html.py --cv gives the site-split figure)."""
    records = read_records(EN_PAGES)[::3]
    nav_or_footer = kept_there = 0
    scores = []
    for record in records:
        blocks = html_blocks(record["raw_html"])
        page = clean_html(record["raw_html"])
        where = blocks.structure[:, [STRUCTURE_NAMES.index("in_nav"), STRUCTURE_NAMES.index("in_footer")]].any(1)
        nav_or_footer += int(where.sum())
        kept_there += int(np.asarray(page.labels)[where].sum())
        scores.append(token_f1(record["clean_text"], page.content))
    assert nav_or_footer > 100
    assert kept_there <= 0.02 * nav_or_footer
    assert np.mean(scores) >= 0.93


def test_indonesian_html_pages_read_as_files_use_the_markup(tmp_path):
    """The reader keeps each .html page's markup rows; clean_articles cleans those pages with the HTML model."""
    records = read_records(ID_PAGES)
    for record in records:
        (tmp_path / f"{record['id']}.html").write_text(record["raw_html"], encoding="utf-8")
    articles = io.read_corpus(tmp_path)
    assert articles["markup"].map(lambda m: isinstance(m, bytes)).all()
    cleaned = clean.clean_articles(articles, progress=False)
    gold = {r["id"]: r["clean_text"] for r in records}
    scores = [token_f1(gold[i], c) for i, c in zip(cleaned["id"], cleaned["content"])]
    assert np.mean(scores) >= 0.95
    assert "markup" not in input_columns(cleaned)  # the rows are the cleaner's, never an output column
    one = cleaned.iloc[0]
    first = next(r for r in records if r["id"] == one["id"])
    assert one["content"] == clean_html(first["raw_html"], title=one["title"]).content


def test_plain_text_rows_keep_the_text_model(dev_lines_path):
    """A text row beside HTML rows is cleaned exactly as before: the same lines as clean_page gives alone."""
    dev = [json.loads(line) for line in open(dev_lines_path, encoding="utf-8") if line.strip()][:3]
    records = read_records(ID_PAGES)[:2]
    page = io.markup.page_fields(records[0]["raw_html"])
    frame = pd.DataFrame(
        {
            "id": ["t0", "h0", "t1", "t2"],
            "status": "ok",
            "duplicate_of": None,
            "text": [dev[0]["text"], page["text"], dev[1]["text"], dev[2]["text"]],
            "markup": [None, page["markup"], None, None],
        }
    )
    cleaned = clean.clean_articles(frame, progress=False)
    for row, text in zip((0, 2, 3), (dev[0]["text"], dev[1]["text"], dev[2]["text"])):
        assert cleaned["labels"].iloc[row] == clean_page(text).labels
    assert cleaned["content"].iloc[1] == clean_html(records[0]["raw_html"]).content


def test_a_page_too_deep_for_a_tree_is_cleaned_as_text():
    paragraph = "Banjir merendam ratusan rumah di Bekasi setelah hujan deras yang turun sejak sore kemarin."
    deep = "<html><body>" + "<div>" * 5000 + f"<p>{paragraph}</p><p>{paragraph}</p>" + "</body></html>"
    blocks = html_blocks(deep)
    assert blocks.structure is None and blocks.lines == [paragraph, paragraph]
    assert clean_html(deep).content == clean_page("\n".join(blocks.lines)).content
