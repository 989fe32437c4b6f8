"""Cross-page statistics: a line (normalised as CCNet does) on many pages of one site is template, not body.

Examples
--------
>>> stats = SiteStats.from_pages(["a.com"] * 4, ["Beranda\\nBerita satu"] * 3 + ["Beranda\\nBerita dua"])
>>> stats.share("a.com", "beranda"), stats.share("a.com", "Berita dua"), stats.is_template("a.com", "Beranda")
(1.0, 0.25, True)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kliping.clean.measures import line_hash

#: Lines longer than this are never counted as a site's repeated template lines.
TEMPLATE_MAX_CHARS = 300


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
            seen = {line_hash(line) for line in text.split("\n") if line.strip() and len(line) <= TEMPLATE_MAX_CHARS}
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
