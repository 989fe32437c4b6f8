"""HTML views and display tables for the notebooks: article text shown as text, never as markup.

Pages are scraped from the web and may carry ``<script>`` or ``<img onerror>`` in a title, a line or a site name,
so every view escapes each piece of text it places into HTML (:func:`escape`); the report's
Content-Security-Policy is a second fence, should a view ever forget. Figures live in :mod:`kliping.report.plots`.

Sections, one per stage: text, load, clean, cluster.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from kliping.clean import KIND_COLOURS


# --------------------------------------------------------------------------- text
def escape(text) -> str:
    """Escape article text for HTML; ``None`` and NaN become an empty string.

    Examples
    --------
    >>> escape('<img src=x onerror="alert(1)"> Banjir & longsor')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Banjir &amp; longsor'
    """
    if is_missing(text):
        return ""
    return html.escape(str(text), quote=True)


def is_missing(value) -> bool:
    """True for ``None``, NaN and NaT: a value a table or a card shows as blank.

    Examples
    --------
    >>> [is_missing(v) for v in (None, float("nan"), pd.NaT, "", "Anton")]
    [True, True, True, False, False]
    """
    return value is None or value is pd.NaT or (isinstance(value, float) and bool(np.isnan(value)))


# --------------------------------------------------------------------------- load
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
        if is_missing(value):
            return ""  # a missing byline or date reads better as a blank than as NaN
        return value

    shown = frame[columns].head(n).copy()
    for column in shown.columns:
        shown[column] = shown[column].map(cut)
    return shown


# --------------------------------------------------------------------------- clean
def _kind_badge(kind: str) -> str:
    """A small label in the colour of a kind of line (:data:`kliping.clean.KIND_COLOURS`), its name escaped.

    Examples
    --------
    >>> _kind_badge("body")[:40], "&lt;b&gt;" in _kind_badge("<b>")
    ("<span style='background:#1a7f37;color:wh", True)
    """
    return (
        f"<span style='background:{KIND_COLOURS.get(kind, '#6b7280')};color:white;padding:1px 6px;"
        f"border-radius:3px;font-size:0.8em'>{escape(kind)}</span>"
    )


def page_lines_html(text: str, kinds: list[str], title: str = "", max_chars: int = 160, fold_after: int = 3) -> str:
    """A page as coloured lines, one colour per kind, with a legend; all article text escaped.

    Runs of more than ``fold_after`` noise lines of one kind (a list of related headlines) show their first
    lines and a count of the rest, so the body stays in view; body lines are never folded.

    Examples
    --------
    >>> "&lt;script&gt;" in page_lines_html("<script>alert(1)</script>", ["other"])
    True
    >>> "3 more related lines" in page_lines_html("\\n".join(["Berita lain"] * 6), ["related"] * 6)
    True
    """
    all_lines = text.splitlines()
    # Blank lines are left out of the view (the line numbers show where they were).
    numbered = [(i, line, kind) for i, (line, kind) in enumerate(zip(all_lines, kinds)) if kind != "blank"]
    legend = " ".join(_kind_badge(k) for k in KIND_COLOURS if k in set(kinds) and k != "blank")
    rows, number = [], 0
    while number < len(numbered):
        kind = numbered[number][2]
        run_end = number
        while run_end < len(numbered) and numbered[run_end][2] == kind:
            run_end += 1
        shown_end = run_end if kind == "body" or run_end - number <= fold_after + 1 else number + fold_after
        colour = KIND_COLOURS.get(kind, "#6b7280")
        weight = "600" if kind in ("body", "title") else "400"
        for i, line, _ in numbered[number:shown_end]:
            line = line if len(line) <= max_chars else line[: max_chars - 1] + "…"
            rows.append(
                f"<tr><td style='color:#999;text-align:right;padding-right:6px'>{i + 1}</td>"
                f"<td style='color:{colour};font-size:0.75em;padding-right:8px;white-space:nowrap'>{escape(kind)}</td>"
                f"<td style='color:{colour};font-weight:{weight};text-align:left'>{escape(line)}</td></tr>"
            )
        if shown_end < run_end:
            rows.append(
                f"<tr><td></td><td></td><td style='color:{colour};font-style:italic;text-align:left'>"
                f"… {run_end - shown_end} more {escape(kind)} lines</td></tr>"
            )
        number = run_end
    head = f"<div style='font-weight:600;margin:0.8em 0 0.3em'>{escape(title)}</div>" if title else ""
    return (
        f"<div>{head}<div style='margin-bottom:0.4em'>{legend}</div>"
        f"<table style='font-size:0.85em;border-collapse:collapse'>{''.join(rows)}</table></div>"
    )


def shown_time(stamp, zone=None) -> str | None:
    """A publication time as a reader of the page saw it: on the page's clock, with its zone.

    Examples
    --------
    >>> shown_time(pd.Timestamp("2015-11-05 13:56", tz="Asia/Jakarta"), "WITA")
    '2015-11-05 14:56 WITA'
    >>> shown_time(pd.Timestamp("2019-09-19", tz="Asia/Jakarta"), "WIB"), shown_time(pd.NaT)
    ('2019-09-19', None)
    >>> shown_time(pd.Timestamp("2019-09-19 14:56", tz="UTC"), "unknown")
    '2019-09-19 14:56 (zone not stated)'
    """
    from kliping.clean.dates import UNKNOWN_ZONE, local_time

    if is_missing(stamp) or not isinstance(stamp, pd.Timestamp):
        return None if is_missing(stamp) else str(stamp)
    local = local_time(stamp, zone)
    day = local.strftime("%Y-%m-%d")
    if (local.hour, local.minute) == (0, 0):  # a date without a time: no clock to show
        return day
    if zone == UNKNOWN_ZONE:  # a foreign page's zone-less clock
        return f"{day} {local.strftime('%H:%M')} (zone not stated)"
    return f"{day} {local.strftime('%H:%M')} {zone or local.strftime('%Z')}".strip()


def clipping_html(record) -> str:
    """The article as kliping cut it out: title, metadata and body paragraphs, all escaped.

    ``record`` is one row of :func:`kliping.clean.clean_articles` (``title``, ``site``, ``published``,
    ``byline``, ``dateline_city``, ``content``).

    Examples
    --------
    >>> page = clipping_html({"title": "Banjir <b>Bekasi</b>", "site": "kompas.com",
    ...                       "content": "Air naik.\\nWarga mengungsi."})
    >>> "Banjir &lt;b&gt;Bekasi&lt;/b&gt;" in page, page.count("<p")
    (True, 2)
    """
    get = record.get if isinstance(record, dict) else lambda key, default=None: getattr(record, key, default)
    facts = []
    for label, key in (("site", "site"), ("published", "published"), ("by", "byline"), ("from", "dateline_city")):
        value = get(key)
        if key == "published":
            value = shown_time(value, get("time_zone"))
        if not is_missing(value) and str(value):
            facts.append(f"{label}: {escape(value)}")
    paragraphs = "".join(
        f"<p style='margin:0 0 0.6em'>{escape(paragraph)}</p>"
        for paragraph in str(get("content") or "").split("\n")
        if paragraph.strip()
    )
    return (
        f"<div style='font-family:Georgia,serif;line-height:1.45'>"
        f"<div style='font-size:1.15em;font-weight:700;margin-bottom:0.2em'>{escape(get('title') or '')}</div>"
        f"<div style='color:#666;font-size:0.85em;margin-bottom:0.8em'>{' · '.join(facts)}</div>"
        f"{paragraphs or '<p><i>no body found</i></p>'}</div>"
    )


def before_after_html(record, fold_after: int = 3) -> str:
    """A page before cleaning (every line coloured by its kind) beside the clipping kliping cut out of it.

    ``record`` is one row of :func:`kliping.clean.clean_articles` as a named tuple (``text``, ``kinds`` and the
    fields :func:`clipping_html` shows).

    Examples
    --------
    >>> from collections import namedtuple
    >>> Row = namedtuple("Row", "text kinds title content")
    >>> row = Row("Banjir <b>Bekasi</b>\\nAir naik.", ["title", "body"], "Banjir <b>Bekasi</b>", "Air naik.")
    >>> before_after_html(row).count("Banjir &lt;b&gt;Bekasi&lt;/b&gt;"), "<b>" in before_after_html(row)
    (2, False)
    """
    before = page_lines_html(record.text, list(record.kinds), fold_after=fold_after)
    return (
        "<div style='display:flex;gap:1.5em;align-items:flex-start;margin:1em 0 2em'>"
        "<div style='flex:3;min-width:0'><div style='font-weight:600;margin-bottom:0.3em'>Before: the page, "
        f"line by line</div>{before}</div>"
        "<div style='flex:2;min-width:0;border-left:3px solid #1a7f37;padding-left:1em'>"
        "<div style='font-weight:600;margin-bottom:0.3em'>After: the clipping</div>"
        f"{clipping_html(record)}</div></div>"
    )


# --------------------------------------------------------------------------- cluster
def topic_cards_html(topics: pd.DataFrame) -> str:
    """Topic cards: label, display words, representative titles with sites, site mix, span in time (all escaped).

    ``topics`` is :func:`kliping.pipeline.describe`'s table, one row per topic (``topic``, ``size``,
    ``label``, ``top_terms``, ``distinctive_terms``, ``representatives``, ``representative_sites`` and, if known,
    ``site_mix``, ``span`` and ``mixed``: a topic of two well-separated groups says so).

    Examples
    --------
    >>> card = topic_cards_html(pd.DataFrame([{
    ...     "topic": 0, "size": 1200, "label": "banjir · <script>", "top_terms": ["banjir", "rob"],
    ...     "distinctive_terms": "rob", "representatives": ["Rob <img src=x onerror=alert(1)>"],
    ...     "representative_sites": ["kompas.com"], "site_mix": "kompas.com 100%", "span": "Sep 2019 – Oct 2019"}]))
    >>> "Topic 0: banjir · &lt;script&gt;" in card, "1,200 articles" in card, "<img" in card, "banjir, rob" in card
    (True, True, False, True)
    >>> "Sep 2019 –" in card
    True
    """
    if topics.empty:
        return "<p>No topic: no article has usable text (the reason of every row is in its status).</p>"
    cards = []
    for _, topic in topics.iterrows():
        items = "".join(
            f"<li>{escape(title)}" + (f" <span style='color:#888'>({escape(site)})</span>" if site else "") + "</li>"
            for title, site in zip(topic["representatives"], topic["representative_sites"])
        )
        cards.append(
            "<div style='border:1px solid #ddd;border-radius:8px;padding:0.6em 1em;margin:0.5em 0;"
            "background:#fafbfc'>"
            f"<div style='font-weight:600;font-size:1.05em'>Topic {int(topic['topic'])}: {escape(topic['label'])}"
            f" <span style='color:#888;font-weight:400'>· {int(topic['size']):,} articles</span></div>"
            f"<div style='margin:0.3em 0'><b>Words:</b> {escape(_words(topic['top_terms']))}</div>"
            f"<div style='margin:0.3em 0'><b>Sets it apart:</b> {escape(topic['distinctive_terms'])}</div>"
            f"<div style='margin:0.3em 0'><b>Typical articles:</b><ul style='margin:0.2em 0'>{items}</ul></div>"
            + (
                f"<div style='color:#555'><b>Sites:</b> {escape(topic['site_mix'])}</div>"
                if topic.get("site_mix")
                else ""
            )
            + (
                "<div style='color:#a15c00'><b>Two stories?</b> Its articles fall into two groups about as far apart"
                " as two topics: the label names the words most of them share.</div>"
                if str(topic.get("mixed")) == "True"  # a bool, numpy's, or read back from topics.csv
                else ""
            )
            + (
                f"<div style='color:#555'><b>In the news:</b> {escape(topic['span'])}</div>"
                if not is_missing(topic.get("span")) and topic.get("span")
                else ""
            )
            + "</div>"
        )
    return "<div>" + "".join(cards) + "</div>"


def _words(terms) -> str:
    """A topic's words for a card: a list (as :func:`kliping.topics.describe.describe_topics` gives them) joined
    with commas,
    a string (as ``topics.csv`` holds them) as it is."""
    return ", ".join(map(str, terms)) if isinstance(terms, (list, tuple, np.ndarray)) else str(terms)


# --------------------------------------------------------------------------- syndication
def syndication_html(articles: pd.DataFrame, n_stories: int = 10, n_sites: int = 10) -> str:
    """Syndication: the stories republished most (original title, site and date, the copies' sites) and which
    sites republish which (a table of copies, original site by copying site, shaded by count), all escaped.

    ``articles`` is the per-article table (``id``, ``duplicate_of``, ``title``, ``site``, ``published``;
    ``copy_similarity`` when the copies were measured, :mod:`kliping.clean.copies`).

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["a", "b", "c", "d"], "duplicate_of": [None, "a", "a", None],
    ...     "copy_similarity": [None, 1.0, 0.8, None], "title": ["Banjir <b>Bekasi</b>", "x", "y", "Gol"],
    ...     "site": ["antaranews.com", "suara.com", "jpnn.com", "bola.com"], "published": pd.NaT})
    >>> page = syndication_html(table)
    >>> "2 copies (1 exact, 1 near) of 1 story" in page, "Banjir &lt;b&gt;" in page, "<b>Bekasi" in page
    (True, True, False)
    """
    if "duplicate_of" not in articles or not articles["duplicate_of"].notna().any():
        return "<p>No story appears twice: no article is an exact or near copy of another.</p>"
    copies = articles[articles["duplicate_of"].notna()]
    exact = int((copies["copy_similarity"] >= 1.0).sum()) if "copy_similarity" in copies else len(copies)
    originals = articles.set_index("id").loc[copies["duplicate_of"].unique()]
    n_stories_all = len(originals)
    head = (
        f"<p>{len(copies):,} copies ({exact:,} exact, {len(copies) - exact:,} near) of {n_stories_all:,} "
        f"{'story' if n_stories_all == 1 else 'stories'}; each story counts once in its topic.</p>"
    )
    counts = copies.groupby("duplicate_of")["site"].agg(list)
    ranked = counts.map(len).sort_values(ascending=False, kind="stable").head(n_stories)
    rows = "".join(
        f"<tr><td>{escape(originals.at[id_, 'title'])}</td><td>{escape(originals.at[id_, 'site'])}</td>"
        f"<td>{escape(shown_time(originals.at[id_, 'published']) or '')}</td><td style='text-align:right'>{n}</td>"
        f"<td>{escape(', '.join(sorted({str(s) for s in counts[id_] if not is_missing(s)})))}</td></tr>"
        for id_, n in ranked.items()
    )
    stories = (
        "<h4>The stories republished most</h4><table><tr><th>Original</th><th>Site</th><th>Published</th>"
        f"<th>Copies (articles)</th><th>Copied by</th></tr>{rows}</table>"
    )
    return head + stories + _republishing_table(copies, originals, n_sites)


def _republishing_table(copies: pd.DataFrame, originals: pd.DataFrame, n_sites: int) -> str:
    """Copies by original site (rows) and copying site (columns), the busiest ``n_sites`` of each, shaded."""
    pairs = pd.DataFrame(
        {
            "from": originals.loc[copies["duplicate_of"], "site"].fillna("(no site)").to_numpy(),
            "by": copies["site"].fillna("(no site)").to_numpy(),
        }
    )
    grid = pd.crosstab(pairs["from"], pairs["by"])
    grid = grid.loc[grid.sum(axis=1).nlargest(n_sites).index, grid.sum(axis=0).nlargest(n_sites).index]
    top = max(int(grid.to_numpy().max()), 1)

    def cell(n: int) -> str:
        shade = 255 - int(180 * n / top)
        return f"<td style='text-align:right;background:rgb({shade},{shade},255)'>{n or ''}</td>"

    header = "".join(f"<th>{escape(site)}</th>" for site in grid.columns)
    body = "".join(
        f"<tr><th>{escape(site)}</th>" + "".join(cell(int(n)) for n in grid.loc[site]) + "</tr>" for site in grid.index
    )
    return (
        "<h4>Who republishes whom (copies, in articles: original's site down, copying site across)</h4>"
        f"<table><tr><th></th>{header}</tr>{body}</table>"
    )
