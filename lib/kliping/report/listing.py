"""Every article reachable from the report, and which topics are rising: HTML without a script.

:func:`topic_articles_html` lists every article of every topic (and those far from every topic) in collapsed
``<details>`` sections: title, site, date and confidence, the title a link to the article's address only when that
address is ``http``/``https`` (``rel="noopener"``), every piece of text escaped (:func:`kliping.report.views.escape`),
copies (rows whose ``duplicate_of`` is set) folded under their original. A topic of thousands of articles opens as
blocks of :data:`BLOCK_ROWS` rows, each its own section, so the page stays readable and nothing needs a script
(the report's Content-Security-Policy runs none).

Examples
--------
>>> table = pd.DataFrame({"id": ["a", "b", "c"], "title": ["Banjir <b>Bekasi</b>", "Rob di Jakarta", "Banjir Bekasi"],
...     "site": ["kompas.com", "detik.com", "antaranews.com"], "topic": [0, 0, 0], "confidence": [0.9, 0.8, 0.9],
...     "url": ["https://kompas.com/a", "javascript:alert(1)", None], "duplicate_of": [None, None, "a"],
...     "published": pd.to_datetime(["2019-09-02", "2019-09-03", "2019-09-02"])})
>>> page = topic_articles_html(table, pd.DataFrame({"topic": [0], "label": ["banjir · rob"]}))
>>> "Banjir &lt;b&gt;Bekasi&lt;/b&gt;" in page, 'href="https://kompas.com/a" rel="noopener"' in page
(True, True)
>>> "javascript" in page, "1 copy" in page, "<script" in page
(False, True, False)
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd

from kliping.base.articles import NO_TOPIC
from kliping.report.views import escape, is_missing, shown_time

#: Rows per block of a topic's list: a topic of 2,000 articles opens as 10 blocks.
BLOCK_ROWS = 200
#: The columns a row may hold an article's address in, best first.
URL_COLUMNS = ("url", "input_url", "link", "tautan")


def safe_url(value) -> str | None:
    """``value`` when it is an ``http``/``https`` address with a host, else None (no ``javascript:``, ``data:``,
    file or relative links in the report).

    Examples
    --------
    >>> safe_url("https://kompas.com/read/1"), safe_url("javascript:alert(1)"), safe_url(" HTTP://x.id/a ")
    ('https://kompas.com/read/1', None, 'HTTP://x.id/a')
    """
    if is_missing(value) or not isinstance(value, str):
        return None
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    ok = parts.scheme.lower() in ("http", "https") and parts.netloc and not any(c.isspace() for c in value)
    return value if ok else None


def _title_cell(row, url_column: str | None) -> str:
    title = escape(row.get("title") or "") or "(untitled)"
    url = safe_url(row.get(url_column)) if url_column else None
    return f'<a href="{escape(url)}" rel="noopener">{title}</a>' if url else title


def _when(row) -> str:
    return shown_time(row.get("published"), row.get("time_zone")) or ""


def _cells(row, url_column: str | None, copies: str) -> str:
    confidence = row.get("confidence")
    shown = "" if is_missing(confidence) else f"{float(confidence):.2f}"
    return (
        f"<td>{_title_cell(row, url_column)}{copies}</td><td>{escape(row.get('site') or '')}</td>"
        f"<td style='white-space:nowrap'>{escape(_when(row))}</td><td style='text-align:right'>{shown}</td>"
    )


def _copies_html(copies: list[dict], url_column: str | None) -> str:
    if not copies:
        return ""
    items = "".join(
        f"<li>{_title_cell(row, url_column)} <span style='color:#888'>"
        f"({escape(', '.join(part for part in (row.get('site') or '', _when(row)) if part))})</span></li>"
        for row in copies
    )
    word = "copy" if len(copies) == 1 else "copies"
    return (
        f"<details style='margin:0.1em 0 0 1em;font-size:0.9em'><summary>{len(copies)} {word}</summary>"
        f"<ul style='margin:0.2em 0'>{items}</ul></details>"
    )


def _table(rows: list[dict], copies_of: dict, url_column: str | None) -> str:
    head = (
        "<tr><th style='text-align:left'>title</th><th style='text-align:left'>site</th>"
        "<th style='text-align:left'>published</th><th>confidence</th></tr>"
    )
    body = "".join(
        f"<tr>{_cells(row, url_column, _copies_html(copies_of.get(str(row['id']), []), url_column))}</tr>"
        for row in rows
    )
    return f"<table style='font-size:0.85em;border-collapse:collapse;width:100%'>{head}{body}</table>"


def _section(summary: str, rows: list[dict], copies_of: dict, url_column: str | None, block: int) -> str:
    if len(rows) <= block:
        inner = _table(rows, copies_of, url_column)
    else:
        inner = "".join(
            f"<details style='margin-left:1em'><summary>articles {start + 1:,}–{min(start + block, len(rows)):,}"
            f"</summary>{_table(rows[start : start + block], copies_of, url_column)}</details>"
            for start in range(0, len(rows), block)
        )
    return f"<details style='margin:0.3em 0'><summary>{summary}</summary>{inner}</details>"


def topic_articles_html(articles: pd.DataFrame, topics: pd.DataFrame, block: int = BLOCK_ROWS) -> str:
    """Every article of every topic, most confident first, and the articles far from every topic, as collapsed
    sections (see the module's docstring).

    ``articles`` is a run's article table (``articles.parquet``: ``id``, ``title``, ``site``, ``published``,
    ``topic``, ``confidence``, ``reason`` and, when known, ``duplicate_of`` and ``url``); ``topics`` its topics
    table (``topic``, ``label``).
    """
    url_column = next((c for c in URL_COLUMNS if c in articles.columns), None)
    original = articles["duplicate_of"] if "duplicate_of" in articles else pd.Series(None, index=articles.index)
    original = original.where(original.notna(), "").astype(str)
    # A copy is folded under its original; one whose original is not in the table is listed as an article.
    folded = (original != "") & original.isin(set(articles["id"].astype(str)))
    copies_of: dict = {}
    for key, row in zip(original[folded], articles[folded].to_dict("records")):
        copies_of.setdefault(key, []).append(row)
    listed = articles[~folded].sort_values("confidence", ascending=False, kind="stable")
    sections = []
    for topic, label in zip(topics["topic"], topics["label"]):
        rows = listed[listed["topic"] == topic].to_dict("records")
        summary = f"Topic {int(topic)}: {escape(label)} <span style='color:#888'>· {len(rows):,} articles</span>"
        sections.append(_section(summary, rows, copies_of, url_column, block))
    far = listed["reason"].fillna("").astype(str).str.startswith("far from") if "reason" in listed else None
    if far is not None and far.any():
        rows = listed[(listed["topic"] == NO_TOPIC) & far].to_dict("records")
        summary = f"No topic: far from every topic <span style='color:#888'>· {len(rows):,} articles</span>"
        sections.append(_section(summary, rows, copies_of, url_column, block))
    return "<div>" + "".join(sections) + "</div>"


def rising_html(rising: pd.DataFrame, names: dict, last_period: str, rule: str) -> str:
    """The rising topics of :func:`kliping.topics.timeline.rising_topics` in a sentence each, and the rule.

    Examples
    --------
    >>> table = pd.DataFrame({"topic": [1], "last_articles": [8], "last_share": [0.5], "mean_share": [0.2],
    ...                       "ratio": [2.5], "rising": [True]})
    >>> html = rising_html(table, {1: "banjir <b>rob</b>"}, "2019-12", "the rule")
    >>> "Topic 1: banjir &lt;b&gt;rob&lt;/b&gt;" in html, "50% of the period's articles (8)" in html
    (True, True)
    """
    up = rising[rising["rising"]] if not rising.empty else rising
    if up.empty:
        items = f"<li>No topic is rising in the last period ({escape(last_period)}).</li>"
    else:
        items = "".join(
            f"<li><b>Topic {int(r.topic)}: {escape(names.get(r.topic, ''))}</b>: {r.last_share:.0%} of the period's "
            f"articles ({int(r.last_articles)}) against {r.mean_share:.0%} on average before</li>"
            for r in up.itertuples()
        )
    return (
        f"<div><div><b>Rising in the last period ({escape(last_period)})</b></div><ul>{items}</ul>"
        f"<div style='color:#555;font-size:0.9em'>The rule: {escape(rule)}.</div></div>"
    )
