"""Syndicated copies made from real articles, to measure :mod:`kliping.clean.copies` against.

A near copy is what an aggregator or a partner outlet publishes: the original with one paragraph (or sentence)
dropped, a "Baca juga: ..." line naming another article inserted, an agency tag such as "(ANTARA) -" opening
it, on another site, one to three days later. An exact copy is the original's text on another site, later.
Each copy keeps its original's label (the publisher's category), so the topics can be scored with copies in.

Examples
--------
>>> berita = pd.DataFrame({"id": ["a", "b"], "source_site": ["kompas.com", "tempo.co"],
...     "title": ["Banjir Bekasi", "Gol Persib"], "date": ["2019-10-01 00:00:00", "2019-10-02 00:00:00"],
...     "content": ["Banjir merendam Bekasi. Warga mengungsi. Air surut sore.", "Persib menang. Gol di menit 90."]})
>>> copies = syndicate(berita, near=1, exact=1, seed=1, min_words=5)
>>> copies[["original", "kind"]].values.tolist()
[['a', 'near'], ['b', 'exact']]
>>> bool((copies["source_site"] != berita.set_index("id").loc[copies["original"], "source_site"].values).all())
True
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

#: Agency tags a republished story opens with.
AGENCY_TAGS = [
    "(ANTARA) - ",
    "Jakarta (ANTARA) - ",
    "JAKARTA, KOMPAS.com - ",
    "Liputan6.com, Jakarta - ",
    "(Antara) - ",
]
#: Sites that republish (plus the corpus's own other sites).
REPUBLISHERS = ["antaranews.com", "beritasatu.com", "suara.com", "jpnn.com", "merdeka.com"]
#: Where a text is cut into paragraphs: a line end, or CLICK-ID's paragraph joint (a comma glued to the end of a
#: sentence and to the next paragraph's first word); into sentences when it has fewer than three paragraphs.
_PARAGRAPHS = re.compile(r"\n+|(?<=[.!?\"]),(?=\S)")
_SENTENCES = re.compile(r"\n+|(?<=[.!?])\s+|,(?=[^\s\d])")


def pieces(text: str) -> list[str]:
    """A text's paragraphs, or its sentences when it has fewer than three.

    Examples
    --------
    >>> pieces("Banjir merendam Bekasi. Warga mengungsi.,Air surut sore.,Jalan dibuka.")
    ['Banjir merendam Bekasi. Warga mengungsi.', 'Air surut sore.', 'Jalan dibuka.']
    >>> pieces("Banjir merendam Bekasi. Warga mengungsi.,Air surut sore.")
    ['Banjir merendam Bekasi.', 'Warga mengungsi.', 'Air surut sore.']
    """
    paragraphs = [p.strip() for p in _PARAGRAPHS.split(text) if p.strip()]
    if len(paragraphs) >= 3:
        return paragraphs
    return [p.strip() for p in _SENTENCES.split(text) if p.strip()]


def near_copy(text: str, other_title: str, rng: np.random.Generator) -> str:
    """The republished form of ``text``: one piece dropped (never the first), a "Baca juga" line inserted,
    an agency tag first; one piece per line.

    Examples
    --------
    >>> near_copy("Banjir merendam Bekasi. Warga mengungsi. Air surut sore.", "Gempa Bali",
    ...           np.random.default_rng(0)).splitlines()[0].endswith("Banjir merendam Bekasi.")
    True
    """
    parts = pieces(text)
    if len(parts) > 2:
        del parts[int(rng.integers(1, len(parts)))]
    parts.insert(int(rng.integers(1, len(parts) + 1)), f"Baca juga: {other_title}")
    parts[0] = AGENCY_TAGS[int(rng.integers(len(AGENCY_TAGS)))] + parts[0]
    return "\n".join(parts)


def syndicate(articles: pd.DataFrame, near: int, exact: int, seed: int = 0, min_words: int = 40) -> pd.DataFrame:
    """``near`` near copies and ``exact`` exact copies of distinct articles drawn at random, each on another site,
    one to three days after its original; only articles of ``min_words`` words or more are copied.

    ``articles`` has CLICK-ID's fields ``id, source_site, title, date, content`` (and any others, carried).
    Returns rows of the same fields with ``original`` (the copied article's id) and ``kind`` (near, exact).
    """
    rng = np.random.default_rng(seed)
    usable = articles[articles["content"].fillna("").str.split().str.len() >= min_words]
    chosen = usable.iloc[rng.choice(len(usable), size=near + exact, replace=False)]
    sites = sorted(set(articles["source_site"].dropna()) | set(REPUBLISHERS))
    rows = []
    for n, (_, row) in enumerate(chosen.iterrows()):
        kind = "near" if n < near else "exact"
        copy = row.to_dict()
        others = [s for s in sites if s != row["source_site"]]
        copy["source_site"] = others[int(rng.integers(len(others)))]
        later = pd.to_datetime(row["date"], errors="coerce", format="mixed") + pd.Timedelta(
            days=int(rng.integers(1, 4))
        )
        # A date pandas cannot read ("Oktober 07, 2019") stays as it is: the copy's id sorts after its original's.
        copy["date"] = str(later) if not pd.isna(later) else row["date"]
        if kind == "near":
            copy["content"] = near_copy(row["content"], articles["title"].iloc[int(rng.integers(len(articles)))], rng)
        copy.update(id=f"{row['id']}-{kind}-copy", original=row["id"], kind=kind)
        rows.append(copy)
    return pd.DataFrame(rows)
