"""Navigation is never the article, and the headline is the title (kliping.clean.navigation, kliping.io.blocks).

Pages built from real CLICK-ID articles (the shard embedded in data/raw), wrapped as scraped pages are: a menu,
a breadcrumb or a list of section links above the headline, with and without ``<nav>``, links or a class, in
several page shapes, one paragraph or several; read as HTML files (``clean_html``) and as an HTML field of a
JSONL table with and without a site and a url column. On main 1cb0d16 the menu and the headline were body on
the pages whose headline had ten words or more (the whole ``<body>`` was the page's densest block).
"""

from __future__ import annotations

import html
import re
import warnings
from collections import Counter
from functools import cache

import pytest
from conftest import embedded_records, write_jsonl

from kliping import io, pipeline
from kliping.clean import clean_html, clean_page
from kliping.clean.navigation import menu_line
from kliping.io.blocks import html_blocks

# Navigation forms: a menu of section names (pipes, middle dots, bullets), a breadcrumb, a list of section
# links, a masthead of links; inside <nav>/<header>/<aside>, in a classed <div>, or in a bare <div>/<ul>.
NAVIGATIONS = {
    "nav of pipes": "<nav>Beranda | Berita | Olahraga</nav>",
    "nav of links and dots": "<nav><a href='/'>Beranda</a> · <a href='/nasional'>Nasional</a> · "
    "<a href='/ekonomi'>Ekonomi</a></nav>",
    "breadcrumb div": "<div class='breadcrumb'><a href='/'>Home</a> &gt; <a href='/news'>News</a> &gt; "
    "<a href='/politik'>Politik</a></div>",
    "bare breadcrumb": "<div>Home &gt; News &gt; Politik</div>",
    "bare bullets": "<div>Beranda • Regional • Hiburan • Tekno</div>",
    "bare dashes": "<p>Beranda - Nasional - Sepak Bola - Gaya Hidup</p>",
    "list of section links": "<ul><li><a href='/'>Beranda</a></li><li><a href='/nasional'>Nasional</a></li>"
    "<li><a href='/ekonomi'>Ekonomi</a></li><li><a href='/olahraga'>Olahraga</a></li></ul>",
    "header of links": "<header><a href='/'>Beranda</a> <a href='/news'>Berita Terkini</a> "
    "<a href='/tekno'>Tekno</a></header>",
    "aside menu": "<aside class='menu'><p>Kanal</p><p>Nasional · Megapolitan · Otomotif</p></aside>",
}
_PARAGRAPH_BREAK = re.compile(r"(?<=[.!?\"\u201d])\s*,+(?=\S)")
_TOKEN = re.compile(r"\w+")


@cache
def articles(count: int = 6) -> tuple:
    """Real articles with paragraphs of 20 words or more, half of them with headlines of ten words or more."""
    chosen, long_titles, short_titles = [], 0, 0
    for record in embedded_records(0, 200):
        paragraphs = [p.strip(" ,") for p in _PARAGRAPH_BREAK.split(record["content"]) if len(p.split()) >= 20]
        is_long = len(record["title"].split()) >= 10
        if len(paragraphs) < 3 or (long_titles if is_long else short_titles) >= count // 2:
            continue
        long_titles += is_long
        short_titles += not is_long
        chosen.append({"id": record["id"], "title": record["title"].strip(), "paragraphs": paragraphs[:3]})
        if len(chosen) == count:
            break
    assert len(chosen) == count
    return tuple(chosen)


def page(article: dict, navigation: str, shape: str, paragraphs: int) -> str:
    """A scraped page around ``article``: ``shape`` bare (as the lead's pages), in <article>, without <title>, with
    the site's name in <title>, or with the navigation below the headline."""
    title = html.escape(article["title"])
    body = "".join(f"<p>{html.escape(p)}</p>" for p in article["paragraphs"][:paragraphs])
    head = "" if shape == "no head title" else f"<head><title>{title}</title></head>"
    if shape == "site in the head title":
        head = f"<head><title>{title} | Kompas.com</title></head>"
    main = f"<h1>{title}</h1>{body}<p>Baca juga: Berita lain hari ini</p>"
    if shape == "below the headline":  # a breadcrumb or menu between the headline and the article
        main, navigation = f"<h1>{title}</h1>{navigation}{body}", ""
    if shape == "article":
        main = f"<article>{main}</article><aside><a href='/x'>Terpopuler</a></aside>"
    return f"<html>{head}<body>{navigation}{main}<footer>Copyright 2020</footer></body></html>"


def navigation_lines(navigation: str) -> list[str]:
    return html_blocks(f"<html><body>{navigation}</body></html>").lines


def check(cleaned_lines, labels, kinds, title, content, article, navigation, paragraphs) -> None:
    """The navigation's lines are not body, the headline is the title, every paragraph is in the content."""
    menu = set(navigation_lines(navigation))
    for line, label, kind in zip(cleaned_lines, labels, kinds):
        if line.strip() in menu:
            assert label == 0 and kind != "body", (line, kind)
    assert not menu & set(content.splitlines())
    assert title == article["title"]
    assert [kind for kind in kinds if kind == "title"] == ["title"]
    assert article["title"] not in content.splitlines()
    expected = Counter(_TOKEN.findall(" ".join(article["paragraphs"][:paragraphs]).lower()))
    got = Counter(_TOKEN.findall(content.lower()))
    assert sum((expected & got).values()) / sum(expected.values()) >= 0.99  # the article is never lost
    assert sum((expected & got).values()) / sum(got.values()) >= 0.99  # and nothing else is kept


SHAPES = ["bare", "article", "no head title", "site in the head title", "below the headline"]


@pytest.mark.parametrize("name", sorted(NAVIGATIONS))
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("paragraphs", [1, 3])
def test_navigation_above_the_headline_is_not_body_and_the_headline_is_the_title(name, shape, paragraphs):
    navigation = NAVIGATIONS[name]
    for article in articles():
        cleaned = clean_html(page(article, navigation, shape, paragraphs))
        lines = html_blocks(page(article, navigation, shape, paragraphs)).lines
        check(lines, cleaned.labels, cleaned.kinds, cleaned.title, cleaned.content, article, navigation, paragraphs)


@pytest.mark.parametrize("columns", [(), ("site",), ("url",)])
def test_pages_in_a_jsonl_field_lose_their_menu_with_or_without_a_site(tmp_path, columns):
    forms = sorted(NAVIGATIONS)
    records, expected = [], []
    for k, article in enumerate(articles()):
        navigation = NAVIGATIONS[forms[k % len(forms)]]
        record = {"id": article["id"], "page": page(article, navigation, SHAPES[k % len(SHAPES)], 1 + k % 3)}
        if "site" in columns:
            record["site"] = "kompas.com"
        if "url" in columns:
            record["url"] = f"https://www.tribunnews.com/read/{k}"
        records.append(record)
        expected.append((article, navigation, 1 + k % 3))
    path = write_jsonl(tmp_path / "pages.jsonl", records)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cleaned = pipeline.clean(io.read_corpus(path, text_field="page"), progress=False, use_cache=False)
    for row, text, (article, navigation, paragraphs) in zip(cleaned.itertuples(), cleaned["text"], expected):
        check(text.splitlines(), row.labels, row.kinds, row.title, row.content, article, navigation, paragraphs)
    sites = {(): None, ("site",): "kompas.com", ("url",): "tribunnews.com"}[columns]
    assert cleaned["site"].tolist() == [sites] * len(records)


def test_a_site_the_article_names_is_not_the_pages_site(tmp_path):
    """A domain in a sentence of the article ("Founder Bubu.com") is not the page's site; a dateline's is."""
    article = articles()[0]
    named = dict(
        article,
        paragraphs=[
            article["paragraphs"][0] + " Pendiri Bubu.com dan Chairwoman IDBYTE, Shinta "
            "Dhanuwardoyo, mengatakan kompetisi ini terbuka untuk umum.",
            *article["paragraphs"][1:],
        ],
    )
    assert clean_html(page(named, NAVIGATIONS["nav of pipes"], "bare", 3)).site is None
    path = write_jsonl(tmp_path / "pages.jsonl", [{"id": "a", "page": page(named, "", "bare", 3)}])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cleaned = pipeline.clean(io.read_corpus(path, text_field="page"), progress=False, use_cache=False)
    assert cleaned["site"].tolist() == [None]
    dated = dict(article, paragraphs=["JAKARTA, KOMPAS.com - " + article["paragraphs"][0], *article["paragraphs"][1:]])
    assert clean_html(page(dated, "", "bare", 3)).site == "kompas.com"


@pytest.mark.parametrize(
    "menu", ["Home &gt; News &gt; Politik", "Beranda | Berita | Olahraga", "Beranda · Nasional · Ekonomi"]
)
def test_a_menu_under_the_headline_is_navigation_not_a_headline_link(menu):
    for article in articles():
        cleaned = clean_html(page(article, f"<div>{menu}</div>", "below the headline", 3))
        assert (cleaned.kinds[1], cleaned.reasons[1]) == ("other", "navigation under the headline")


def test_a_menu_line_above_the_headline_of_a_text_page_is_not_body():
    for article in articles():
        text = "\n".join(
            ["Beranda | Berita | Olahraga", "Home > News > Politik", article["title"], *article["paragraphs"]]
        )
        cleaned = clean_page(text, title=article["title"])
        assert cleaned.kinds[:3] == ["other", "other", "title"] and cleaned.labels[:3] == [0, 0, 0]
        assert cleaned.content.splitlines() == article["paragraphs"]


def test_menu_lines_are_runs_of_section_names_and_no_real_headline_or_paragraph_is_one():
    for line in (
        "Beranda | Berita | Olahraga",
        "Home > News > Politik",
        "Beranda · Nasional · Ekonomi",
        "Berita » Sepak Bola",
        "Beranda – Nasional – Ekonomi",
        "News / Sport / Tekno",
        "| Home | Video | Foto |",
    ):
        assert menu_line(line), line
    for line in (
        "Skor 2 | 1",
        "Berita | Olahraga",
        "Harga emas naik 9/12/2020 di Jakarta",
        "Gempa Magnitudo 5 Guncang Bali | Kompas.com",
        "A > B adalah syarat. C > D",
        "Persija - Persib",
        "JAKARTA - Hujan deras mengguyur ibu kota sejak pagi.",
    ):
        assert not menu_line(line), line
    records = embedded_records(0, 500)
    lines = [r["title"] for r in records] + [p for r in records for p in _PARAGRAPH_BREAK.split(r["content"])]
    assert not [line for line in lines if menu_line(line.strip())]
