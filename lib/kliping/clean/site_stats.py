"""Cross-page statistics: a line (normalised as CCNet does) on many pages of one site is template, not body; so is
the last sentence of a line (a site's signature, such as Fimela's "#GrowFearless with FIMELA" closing the last
paragraph) when it ends many of the site's pages.

Examples
--------
>>> stats = SiteStats.from_pages(["a.com"] * 4, ["Beranda\\nBerita satu"] * 3 + ["Beranda\\nBerita dua"])
>>> stats.share("a.com", "beranda"), stats.share("a.com", "Berita dua"), stats.is_template("a.com", "Beranda")
(1.0, 0.25, True)
>>> pages = [f"Artikel nomor {n} tentang gaya hidup.,#GrowFearless with FIMELA" for n in range(30)]
>>> SiteStats.from_pages(["fimela.com"] * 30, pages).template_tail("fimela.com", pages[0])
'#GrowFearless with FIMELA'
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from kliping.clean.measures import line_hash

#: Lines longer than this are never counted as a site's repeated template lines.
TEMPLATE_MAX_CHARS = 300
#: A line's tail (its last sentence) longer than this is never a signature.
TAIL_MAX_CHARS = 100
#: A tail is a signature only on a site with this many pages (a signature is a habit; on a small site two
#: articles ending on the same quote tag, '" katanya.', would look like one). On the 22,136 CLICK-ID articles the
#: tails at half of a site's pages are Fimela's "#GrowFearless with FIMELA" (494 of 788) and Posmetro's
#: "Loading..." (293 of 307); the next most common tail is under 4% of its site's pages.
TAIL_MIN_PAGES = 20
#: Where a line's last sentence starts: after a sentence end (the spaces after ``.``, ``!`` or ``?``; group 1), or
#: at a comma glued to the next word (paragraphs joined into one field by a scraper, "...Sahabat Fimela.,#GrowFearless
#: with FIMELA"). No two such starts overlap (the spaces are no comma), so every one is a match. The pattern opens
#: with a character, not a look-behind, so the engine jumps between candidates instead of trying every position.
_TAIL_START = re.compile(r"[.!?](\s+)|,(?=[^\s\d,])")
_LETTERS = re.compile(r"[^\W\d_]{2,}")
#: The key a tail is counted under, apart from every whole line.
_TAIL_KEY = "kliping tail "


def line_tail(line: str) -> str | None:
    """The last sentence of a line of more than one, when it holds a word and is short enough to be a signature.

    Examples
    --------
    >>> line_tail("Semua itu pilihan masing-masing, Sahabat Fimela.,#GrowFearless with FIMELA")
    '#GrowFearless with FIMELA'
    >>> line_tail("Banjir merendam Bekasi. Warga mengungsi."), line_tail("Satu kalimat saja."), line_tail("Gol. 2-1")
    ('Warga mengungsi.', None, None)
    """
    # Only the last start counts, and a tail is at most TAIL_MAX_CHARS long (it has no leading space): the starts
    # that can matter end in the line's last TAIL_MAX_CHARS + 1 characters, so only those (with the spaces and the
    # mark before them) are searched. The whole line was searched until 2026-12-07: 1.26 s against 0.13 s for
    # 71,903 CLICK-ID and DEV lines (a CLICK-ID article is one line of 1,766 characters on average), the same
    # tails for every one of them and for 20,000 random lines of marks, commas, digits and spaces.
    stripped = line.rstrip()
    window = max(0, len(stripped) - TAIL_MAX_CHARS - 1)
    while window > 0 and stripped[window - 1].isspace():  # \s is str.isspace
        window -= 1
    starts = list(_TAIL_START.finditer(stripped, max(0, window - 1)))
    if not starts:  # no start, or none close enough to the end for a short tail
        return None
    found = starts[-1]  # the last sentence's start
    start, end = found.span(1) if found.group(1) is not None else found.span()
    tail = line[end:].strip()
    if not tail or len(tail) > TAIL_MAX_CHARS or not _LETTERS.search(tail) or not line[:start].strip():
        return None
    return tail


@dataclass
class SiteStats:
    """How many pages of each site carry each normalised line (CCNet-style line hashing)."""

    pages: Counter = field(default_factory=Counter)
    lines: dict = field(default_factory=dict)  # site -> Counter of line hashes

    #: A line is template when the site has at least this many pages...
    min_pages: int = 4
    #: ...and the line is on at least this share of them.
    min_share: float = 0.5

    @classmethod
    def from_pages(cls, sites, texts) -> SiteStats:
        """Count the lines of pages given as parallel iterables of sites and texts."""
        stats = cls()
        for site, text in zip(sites, texts):
            if not site or not isinstance(text, str) or not text:
                continue
            stats.pages[site] += 1
            # Long lines are article text, never a site's template: skip hashing them.
            lines = [line for line in text.split("\n") if line.strip()]
            seen = {line_hash(line) for line in lines if len(line) <= TEMPLATE_MAX_CHARS}
            seen.update(line_hash(_TAIL_KEY + tail) for tail in map(line_tail, lines) if tail)
            stats.lines.setdefault(site, Counter()).update(seen)
        return stats

    def share(self, site: str, line: str) -> float:
        """Share of the site's pages that carry this line."""
        if not self.pages.get(site):
            return 0.0
        return self.lines[site][line_hash(line)] / self.pages[site]

    def is_template(self, site: str | None, line: str) -> bool:
        """Whether a line repeats on so many of its site's pages that it is template."""
        return (
            site is not None
            and len(line) <= TEMPLATE_MAX_CHARS
            and self.pages.get(site, 0) >= self.min_pages
            and self.share(site, line) >= self.min_share
        )

    def template_tail(self, site: str | None, line: str) -> str | None:
        """The line's last sentence when it ends so many of its site's pages that it is the site's signature
        (:data:`TAIL_MIN_PAGES` pages at least, :attr:`min_share` of them); None otherwise."""
        if site is None or self.pages.get(site, 0) < max(self.min_pages, TAIL_MIN_PAGES):
            return None
        tail = line_tail(line)
        if tail is None or self.lines[site][line_hash(_TAIL_KEY + tail)] < self.min_share * self.pages[site]:
            return None
        return tail
