"""Cleaning pages: split into lines, measured, scored by the model, body chosen, kinds and metadata named.

Examples
--------
>>> page = clean_page("Kanal\\nGempa Magnitudo 5 Guncang Bali\\nDENPASAR, iNews.id - Gempa magnitudo 5 mengguncang "
...                   "Bali pada Kamis, 05/11/2015 10:08 WIB dan warga berlarian keluar rumah.")
>>> page.labels, page.site, page.title
([0, 0, 1], 'inews.id', 'Gempa Magnitudo 5 Guncang Bali')
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kliping.clean.dates import first_date
from kliping.clean.features import pages_features
from kliping.clean.kinds import name_kinds
from kliping.clean.lexicon import load_lexicon
from kliping.clean.metadata import byline_name, dateline_of, guess_site
from kliping.clean.model import HTML_MODEL_FILE, LineModel, html_model, load_model, pick_bodies, start_at_dateline
from kliping.clean.rules import LINE_MEMOS
from kliping.clean.site_stats import SiteStats

#: A text of one line with at least this many words is an article body scraped into one field.
SINGLE_BLOCK_MIN_WORDS = 30
# len(re.findall(r"\w+", line)) >= SINGLE_BLOCK_MIN_WORDS, reading no further than that many words.
_SINGLE_BLOCK_WORDS = re.compile(rf"\W*(?:\w+\W+){{{SINGLE_BLOCK_MIN_WORDS - 1}}}\w")
# Two runs of at least two letters, a non-letter between them: the first run of two letters, then a
# non-letter followed by two letters from two characters further on. Two searches rather than one pattern
# with ".*?" between: that one is tried from every position of a line without a second word, quadratic in
# its length (200,000 letters took about 20 minutes).
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")
_LETTERS_AFTER_BREAK = re.compile(r"[\W\d_][^\W\d_]{2}")
#: Without a body dateline, a page's date is looked for in this many lines above the body first.
DATE_LINES_ABOVE_BODY = 10
#: The body's dateline zone: a date in the first sentence of its first line, within this many characters
#: ("WASHINGTON, iNews.id - Menlu AS ... pada Selasa (13/10/2020)"), dates the article; one further in is about
#: something else (a birth date, a match).
DATELINE_DATE_CHARS = 240
_FIRST_SENTENCE = re.compile(r"^.*?(?:[.!?](?=\s+[A-Z\"'])|$)", re.DOTALL)


@dataclass
class CleanedPage:
    """One page, cut into its article and its noise.

    ``labels``, ``kinds`` and ``reasons`` have one entry per line of ``text.splitlines()``.
    """

    title: str | None
    site: str | None
    published: pd.Timestamp
    byline: str | None
    dateline_city: str | None
    content: str
    labels: list[int]
    kinds: list[str]
    reasons: list[str]

    @property
    def lines(self) -> list[tuple[int, str, str]]:
        """The per-line audit: (line number from 1, kind, reason)."""
        return [(i + 1, k, r) for i, (k, r) in enumerate(zip(self.kinds, self.reasons))]


def clean_page(
    text: str,
    title: str | None = None,
    site_stats: SiteStats | None = None,
    site: str | None = None,
    model: LineModel | None = None,
    decode: dict | None = None,
    structure: np.ndarray | None = None,
) -> CleanedPage:
    """Cut the article out of one page of text.

    Parameters
    ----------
    text : str
        The page, one block per line (a single long line is fine).
    title : str, optional
        The title when known (e.g. a JSONL field); else it is found on the page.
    site_stats : SiteStats, optional
        Cross-page line counts of the corpus; lines that repeat on many pages of ``site`` are noise.
    site : str, optional
        The page's site; else guessed from the page.
    model, decode : optional
        Another line model and decoding settings (``benchmarks/train_clean.py`` scores its candidates so).
    structure : numpy.ndarray, optional
        What the markup says of every non-blank line (:attr:`kliping.io.blocks.Blocks.structure`): the page
        comes from HTML and is cleaned by the HTML line model (:func:`clean_html`). One that does not match the
        lines is not used: the page is cleaned as text.
    """
    if not isinstance(text, str):
        raise TypeError(f"clean_page needs the page as a str, not {type(text).__name__}")
    split = split_page(text)
    if structure is None or len(structure) != len(split[2]):
        return clean_split_pages([split], [title], [site], site_stats, model, decode)[0]
    return clean_split_pages([split], [title], [site], site_stats, model, decode, [structure])[0]


def clean_html(html: str, **options) -> CleanedPage:
    """Cut the article out of one HTML page, with what its markup says of every block (the HTML line model).

    The lines are the page's blocks (:func:`kliping.io.blocks.html_blocks`); a page too deep for a tree is
    cleaned as text. ``options`` are :func:`clean_page`'s (``title``, ``site_stats``, ``site``, ``model``,
    ``decode``); the title is ``title``, else the page's first ``<h1>`` or ``<title>``.

    Examples
    --------
    >>> page = clean_html(
    ...     "<html><body><nav><a href='/'>Beranda</a> <a href='/n'>Nasional</a></nav><article>"
    ...     "<h1>Banjir Rendam Bekasi</h1><p>BEKASI, KOMPAS.com - Banjir merendam ratusan rumah di Bekasi pada "
    ...     "Selasa setelah hujan deras yang turun sejak sore, kata petugas di lokasi.</p><p>Warga mengungsi ke "
    ...     "masjid dan sekolah terdekat sambil menunggu air surut.</p></article><div class='related'>"
    ...     "<a href='/x'>Baca juga: Hujan Deras di Jakarta</a></div></body></html>")
    >>> page.labels, page.kinds[-1], page.title, page.dateline_city
    ([0, 0, 1, 1, 0], 'read_also', 'Banjir Rendam Bekasi', 'BEKASI')
    """
    from kliping.io.blocks import html_blocks

    if not isinstance(html, str):
        raise TypeError(f"clean_html needs the page as a str, not {type(html).__name__}")
    blocks = html_blocks(html)
    options["title"] = options.get("title") or blocks.title
    return clean_page("\n".join(blocks.lines), structure=blocks.structure, **options)  # no tree: as text


def split_page(text: str) -> tuple[list[str], list[int], list[str], int | None]:
    """A page's lines as ``str.splitlines`` cuts them, the indices of the non-blank ones, those stripped,
    and which of those is the page's one block of text (:func:`single_block`), if it is one."""
    all_lines = text.splitlines()
    stripped = list(map(str.strip, all_lines))
    kept = list(itertools.compress(range(len(stripped)), stripped))  # the non-blank ones
    lines = stripped if len(kept) == len(stripped) else [stripped[i] for i in kept]
    return all_lines, kept, lines, single_block(lines)


def single_block(lines: list[str]) -> int | None:
    """The index of the page's one block of text (a body scraped into one field), or None when the page has
    lines to separate: a block of :data:`SINGLE_BLOCK_MIN_WORDS` words or more is the only line with two
    words of letters.

    Examples
    --------
    >>> single_block(["-", " ".join(["kata"] * 30)]), single_block(["Beranda", "Baca juga"])
    (1, None)
    """
    worded = []  # the lines with two words of letters, as far as the second one (the test is for one)
    for j, line in enumerate(lines):
        if has_two_letter_words(line):
            worded.append(j)
            if len(worded) == 2:
                return None
    if len(worded) == 1 and _SINGLE_BLOCK_WORDS.match(lines[worded[0]]):
        return worded[0]
    return None


@LINE_MEMOS.memoise
def has_two_letter_words(line: str) -> bool:
    """Whether a line holds two words of letters (remembered per line).

    Examples
    --------
    >>> has_two_letter_words("Baca juga"), has_two_letter_words("x 1 a")
    (True, False)
    """
    first = _TWO_LETTERS.search(line)
    return first is not None and _LETTERS_AFTER_BREAK.search(line, first.start() + 2) is not None


def clean_split_pages(
    splits: list,
    titles: list,
    sites: list,
    site_stats: SiteStats | None = None,
    model: LineModel | None = None,
    decode: dict | None = None,
    structures: list | None = None,
) -> list[CleanedPage]:
    """:func:`clean_page` of several pages already cut by :func:`split_page`, with their titles and sites
    (or None). The pages with lines to separate are measured and go through features, model, body choice
    and naming together; each page's output is what it gets alone.

    ``structures`` (one per page, the rows of :data:`kliping.io.blocks.STRUCTURE_NAMES` of its non-blank lines)
    says the pages come from HTML: they are cleaned by the HTML line model of their language (``model`` else
    :func:`~kliping.clean.model.html_model`, with its decoding settings unless ``decode``)."""
    sites = list(sites)  # a page without one gets the site it names
    # The pages with lines to separate (not one block of text, not empty).
    parts = [k for k, (_, _, lines, block) in enumerate(splits) if lines and block is None]
    named = {}
    if parts:
        markup = None if structures is None else [structures[k] for k in parts]
        features, columns, bounds = pages_features([(splits[k][2], titles[k]) for k in parts], load_lexicon(), markup)
        if markup is None:
            log_odds = (model or load_model()).log_odds(features)
        else:  # each page by the HTML model of its language, decoded with the HTML model's settings
            log_odds = np.concatenate(
                [
                    (model or html_model(language)).log_odds(features[first:stop])
                    for language, first, stop in zip(columns["page_language"], bounds[:-1], bounds[1:])
                ]
            )
            decode = decode or (model or load_model(name=HTML_MODEL_FILE)).meta.get("decode")
        body = pick_bodies(log_odds, columns, bounds, decode)
        dateline = columns["dateline_prefix"]
        templates = {}
        for k, first, stop in zip(parts, bounds[:-1].tolist(), bounds[1:].tolist()):
            lines = splits[k][2]
            sites[k] = sites[k] or guess_site(lines, body[first:stop])
            if site_stats is not None:
                template = np.array([site_stats.is_template(sites[k], line) for line in lines]) & (
                    dateline[first:stop] == 0
                )  # a dateline opens the body: never template
                body[first:stop] &= ~template
                templates[k] = template
            start_at_dateline(body[first:stop], dateline[first:stop])
        kinds, reasons = name_kinds([splits[k][2] for k in parts], body, columns, bounds)
        labels = body.astype(int).tolist()
        for k, first, stop in zip(parts, bounds[:-1].tolist(), bounds[1:].tolist()):
            named[k] = (labels[first:stop], kinds[first:stop], reasons[first:stop], templates.get(k))
    pages = []
    for k, ((all_lines, kept, lines, block), title, site) in enumerate(zip(splits, titles, sites)):
        kinds_all = ["blank"] * len(all_lines)
        reasons_all = ["empty line"] * len(all_lines)
        labels_all = [0] * len(all_lines)
        if block is not None:
            # One long block (a body scraped into one field), maybe beside crumbs such as a lone "-":
            # nothing to separate, keep the block whole.
            for j, i in enumerate(kept):
                if j == block:
                    labels_all[i], kinds_all[i], reasons_all[i] = 1, "body", "the whole text is one block"
                else:
                    kinds_all[i], reasons_all[i] = "other", "a crumb beside the one block of text"
            site = site or guess_site(lines, [j == block for j in range(len(lines))])
        elif k in named:
            labels, kinds, reasons, template = named[k]
            if len(kept) == len(all_lines) and (template is None or not template.any()):
                labels_all, kinds_all, reasons_all = labels, kinds, reasons  # no blank line, no template
            else:
                for j, i in enumerate(kept):
                    labels_all[i] = labels[j]
                    kinds_all[i] = kinds[j]
                    reasons_all[i] = (
                        reasons[j] if template is None or not template[j] else f"repeated on many pages of {site}"
                    )
        assert len(labels_all) == len(kinds_all) == len(reasons_all) == len(all_lines)  # lines in = lines out
        if site_stats is not None:
            all_lines = cut_signatures(all_lines, labels_all, reasons_all, site, site_stats)
        pages.append(_record(all_lines, labels_all, kinds_all, reasons_all, title, site))
    return pages


def cut_signatures(all_lines: list, labels: list, reasons: list, site, site_stats: SiteStats) -> list:
    """The page's lines with its site's signature cut from the end of every body line that closes with it
    (:meth:`SiteStats.template_tail`); such a line's reason says what was cut. ``reasons`` changes in place.

    Examples
    --------
    >>> pages = [f"Tips ke-{n} merawat kulit wajah.,#GrowFearless with FIMELA" for n in range(30)]
    >>> stats = SiteStats.from_pages(["fimela.com"] * 30, pages)
    >>> reasons = ["the whole text is one block"]
    >>> cut_signatures(pages[:1], [1], reasons, "fimela.com", stats), reasons[0][-44:]
    (['Tips ke-0 merawat kulit wajah.,'], 'ends many pages of fimela.com: template, cut')
    """
    out = None
    for i, (line, label) in enumerate(zip(all_lines, labels)):
        tail = site_stats.template_tail(site, line.strip()) if label else None
        if tail is None:
            continue
        out = out or list(all_lines)
        out[i] = line.rstrip()[: -len(tail)].rstrip()
        reasons[i] = f"{reasons[i]}; its last sentence {tail!r} ends many pages of {site}: template, cut"
    return out or all_lines


def _record(all_lines, labels, kinds, reasons, title, site) -> CleanedPage:
    """The :class:`CleanedPage` of a page whose lines are named: its content and metadata."""
    body_at = list(itertools.compress(range(len(labels)), labels))
    body_lines = [all_lines[i].strip() for i in body_at]
    city = None
    if body_lines:
        city, dateline_site, rest = dateline_of(body_lines[0])
        if city or dateline_site:
            body_lines[0] = rest
        if not body_lines[0]:  # "Jakarta -" alone on its line
            body_lines = body_lines[1:]
    title_line = all_lines[kinds.index("title")].strip() if "title" in kinds else None
    bylines = [line.strip() for line, kind in zip(all_lines, kinds) if kind == "byline"]
    dated = [line for line, kind in zip(all_lines, kinds) if kind == "dateline"]
    first_body = body_at[0] if body_at else len(all_lines)
    # The date lines, the lines just above the body, the body's dateline zone, then the whole page above it;
    # never deeper into the body, where a date is a birth date or an event's, not the publication's.
    opening = [_FIRST_SENTENCE.match(body_lines[0][:DATELINE_DATE_CHARS]).group(0)] if body_lines else []
    published = first_date(
        itertools.chain(
            dated,
            all_lines[max(first_body - DATE_LINES_ABOVE_BODY, 0) : first_body],
            opening,
            all_lines[:first_body],
        )
    )
    return CleanedPage(
        title=title if title else title_line,
        site=site,
        published=published,
        byline=byline_name(bylines),
        dateline_city=city,
        content="\n".join(body_lines),
        labels=labels,
        kinds=kinds,
        reasons=reasons,
    )
