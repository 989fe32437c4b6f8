"""What an HTML page says about itself in its ``<head>``: title, address, site and publication date.

:mod:`kliping.io` drops ``<head>`` from the text it lays out; before that, :func:`head_metadata` reads
``og:title``/``twitter:title``/JSON-LD ``headline``/``<title>``, the canonical link/``og:url``,
``og:site_name`` and ``article:published_time``/JSON-LD ``datePublished``/``meta name=date|pubdate``
into plain values the clean stage prefers over what it finds in the text.

Examples
--------
>>> meta = head_metadata(
...     "<html><head><title>Banjir Rendam Bekasi - Kompas.com</title>"
...     "<link rel='canonical' href='https://megapolitan.kompas.com/read/2020/01/01/banjir'>"
...     "<meta property='article:published_time' content='2020-01-01T08:30:00+07:00'></head>"
...     "<body><h1>Megapolitan</h1></body></html>")
>>> meta["title"], meta["site"], meta["published"]
('Banjir Rendam Bekasi', 'kompas.com', '2020-01-01T08:30:00+07:00')
>>> meta["url"]
'https://megapolitan.kompas.com/read/2020/01/01/banjir'
>>> head_metadata("<html><head><meta itemprop='dateCreated datePublished' content='2020-01-01T08:30:00Z'>"
...               "</head><body></body></html>")["published"]
'2020-01-01T08:30:00Z'
"""

from __future__ import annotations

import collections
import re
from urllib.parse import urlsplit

from kliping.io.text import JSONLineError, load_json

#: Second-level labels under a country code that are not a registrant's name: ``kompas.co.id``,
#: ``jakarta.go.id``, ``ui.ac.id``, ``bbc.co.uk`` keep three labels.
SECOND_LEVEL = {"co", "com", "go", "ac", "or", "org", "net", "web", "sch", "my", "mil", "gov", "edu", "ne", "ponpes"}
#: Hosts that every page links to and no news page is published on.
SOCIAL_HOSTS = {
    "facebook.com",
    "twitter.com",
    "x.com",
    "instagram.com",
    "youtube.com",
    "google.com",
    "linkedin.com",
    "pinterest.com",
    "whatsapp.com",
    "t.me",
    "tiktok.com",
    "line.me",
    "apple.com",
}
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
# Title pieces: " - ", " | ", " :: ", " » ", " – ", " — ", " · ".
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|\u2013|\u2014|::|\u00bb|\u00b7)\s+")
_WS = re.compile(r"\s+")
_DATE_META = (
    "article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "dc.date",
    "og:published_time",
)
_TITLE_META = ("og:title", "twitter:title")


def registered_domain(value) -> str | None:
    """The registered domain of a URL or host name: the name a site registered, without ``www.`` or sections.

    Examples
    --------
    >>> registered_domain("https://regional.kompas.com/read/2020/10/24/x")
    'kompas.com'
    >>> registered_domain("nasional.republika.co.id"), registered_domain("www.jakarta.go.id")
    ('republika.co.id', 'jakarta.go.id')
    >>> registered_domain("Kompas.com"), registered_domain("Antara News") is None
    ('kompas.com', True)
    """
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip().lower()
    host = urlsplit(value).hostname if "//" in value else value.split("/")[0].split(":")[0]
    if not host or not _DOMAIN.match(host):
        return None
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def _text(element) -> str:
    return _WS.sub(" ", element.text_content() if hasattr(element, "text_content") else str(element)).strip()


def _json_ld(tree) -> list[dict]:
    """The JSON-LD objects of the page (``@graph`` members and lists flattened); bad JSON is skipped."""
    found = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:  # the reader's JSON loader: a block nested 100,000 deep or holding a lone surrogate fails alone
            data = load_json(script.text_content().strip() or "null")[0]
        except JSONLineError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                stack.extend(v for v in item.get("@graph", []) if isinstance(item.get("@graph"), list))
    return found


def head_metadata(html_or_tree) -> dict:
    """Title, URL, site (registered domain), site name and publication date as the page's head states them.

    Every value is a string or None; ``published`` is the stamp as written (see
    :func:`kliping.clean.dates.parse_date_value`).
    """
    import lxml.html

    tree = html_or_tree
    if isinstance(html_or_tree, str):
        html = re.sub(r"^\s*<\?xml[^>]*>", "", html_or_tree)
        if not html.strip():
            return {"title": None, "url": None, "site": None, "site_name": None, "published": None}
        tree = lxml.html.fromstring(html)
    metas = {}
    for meta in tree.iter("meta"):
        # itemprop may name several properties at once: itemprop="datePublished dateCreated".
        keys = (meta.get("property") or meta.get("name") or "").strip().lower().split()[:1]
        keys = keys or (meta.get("itemprop") or "").strip().lower().split()
        content = (meta.get("content") or "").strip()
        for key in keys if content else ():
            metas.setdefault(key, content)
    for element in tree.xpath("//time[@itemprop][@datetime]"):  # <time itemprop="datePublished" datetime=...>
        for key in element.get("itemprop").strip().lower().split():
            metas.setdefault(key, element.get("datetime").strip())
    ld = [item for item in _json_ld(tree) if "headline" in item or "datePublished" in item or "url" in item]
    canonical = next(
        (link.get("href").strip() for link in tree.iter("link") if _rel(link) == "canonical" and link.get("href")), None
    )
    url = next((u for u in (canonical, metas.get("og:url")) if u and registered_domain(u)), None)
    url = url or next(
        (str(i["url"]) for i in ld if isinstance(i.get("url"), str) and registered_domain(i["url"])), None
    )
    site_name = metas.get("og:site_name") or metas.get("application-name")
    site = registered_domain(url) or registered_domain(site_name) or _linked_site(tree)
    published = best_stamp(
        [metas[k] for k in _DATE_META if metas.get(k)] + [str(i["datePublished"]) for i in ld if i.get("datePublished")]
    )
    titles = [metas[k] for k in _TITLE_META if metas.get(k)]
    titles += [str(i["headline"]) for i in ld if isinstance(i.get("headline"), str)]
    titles += [_text(t) for t in tree.xpath("//head/title | //title")[:1]]
    title = next((t for t in (cut_site(t, site, site_name) for t in titles) if t), None)
    return {"title": title, "url": url, "site": site, "site_name": site_name, "published": published}


_ZONED = re.compile(r"(?:\d\s*(?:Z|[+-]\d\d:?\d\d)|\b(?:WIB|WITA|WIT|UTC|GMT)\b)\s*$", re.IGNORECASE)


def best_stamp(stamps: list[str]) -> str | None:
    """The first date the head states with its zone (an offset, ``Z``, WIB/WITA/WIT), else the first at all: a
    JSON-LD ``datePublished`` of ``2020-01-01T08:30:00+07:00`` beats a zone-less meta tag of the same page.

    Examples
    --------
    >>> best_stamp(["2020-01-01 08:30:00", "2020-01-01T08:30:00+07:00"])
    '2020-01-01T08:30:00+07:00'
    >>> best_stamp(["2020-01-01 08:30", "2020-01-01"]), best_stamp([])
    ('2020-01-01 08:30', None)
    """
    stamps = [stamp for stamp in stamps if stamp and stamp.strip()]
    return next((stamp for stamp in stamps if _ZONED.search(stamp)), stamps[0] if stamps else None)


def _rel(link) -> str:
    return (link.get("rel") or "").strip().lower()


def _linked_site(tree) -> str | None:
    """The site the page's own links point to, when its head and body name no address of the page: the
    registered domain of the head's feed and home links, else of most of its absolute links (a site's
    navigation links to itself; a single link to another site never wins)."""
    feeds = collections.Counter(
        registered_domain(link.get("href"))
        for link in tree.iter("link")
        if _rel(link) in ("alternate", "home", "index", "shortlink") and registered_domain(link.get("href"))
    )
    feeds = collections.Counter({d: n for d, n in feeds.items() if d not in SOCIAL_HOSTS})
    if feeds:
        return feeds.most_common(1)[0][0]
    hosts = collections.Counter(
        registered_domain(a.get("href"))
        for a in tree.iter("a")
        if (a.get("href") or "").startswith(("http:", "https:"))
    )
    hosts = collections.Counter({d: n for d, n in hosts.items() if d and d not in SOCIAL_HOSTS})
    total = sum(hosts.values())
    if total:
        domain, count = hosts.most_common(1)[0]
        if count >= 5 and count >= 0.5 * total:
            return domain
    return None


def _site_words(site: str | None, site_name: str | None) -> set[str]:
    words = set()
    if site:
        words.add(site.split(".")[0])
    if site_name:
        words.add(re.sub(r"\W+", "", site_name.lower()))
        words.update(w for w in re.findall(r"\w{4,}", site_name.lower()))
    return {w for w in words if len(w) >= 3}


def _is_site_piece(piece: str, words: set[str]) -> bool:
    """A title piece that names the site ("Kompas.com", "Tekno Liputan6.com", "ANTARA News", "Republika Online")."""
    flat = re.sub(r"\W+", "", piece.lower())
    if not flat:
        return True
    if registered_domain(piece.split()[-1]) and len(piece.split()) <= 3:
        return True  # "Kompas.com", "Tekno Liputan6.com"
    return any(word in flat for word in words) and len(piece.split()) <= 4


def cut_site(title: str | None, site: str | None = None, site_name: str | None = None) -> str | None:
    """A head title without the site's name before or after it.

    Examples
    --------
    >>> cut_site("Samsul Arif Tak Beban Lawan Arema - Kompas.com", "kompas.com")
    'Samsul Arif Tak Beban Lawan Arema'
    >>> cut_site("Kapanlagi.com: Musik - Bikin Gaduh Kota, Rumah Penyanyi Ini Digrebek Polisi", "kapanlagi.com")
    'Bikin Gaduh Kota, Rumah Penyanyi Ini Digrebek Polisi'
    >>> cut_site("Sering Depresi Berat, Hati-Hati Diabetes! - Health :: Okezone Lifestyle", "okezone.com")
    'Sering Depresi Berat, Hati-Hati Diabetes!'
    >>> cut_site("Tri Indonesia: Broadband Dorong Ekosistem Digital", "liputan6.com")
    'Tri Indonesia: Broadband Dorong Ekosistem Digital'
    """
    if not isinstance(title, str):
        return None
    title = _WS.sub(" ", title).strip()
    words = _site_words(site, site_name)
    # "KapanLagi.com: ..." : a site name as a prefix before a colon.
    prefix = re.match(r"^([^:]{2,40}):\s+(?=\S)", title)
    if prefix and _is_site_piece(prefix.group(1), words):
        title = title[prefix.end() :]
        opening = _TITLE_SEPARATOR.split(title)
        # "Musik - Bikin Gaduh Kota": after the site, a one-word section may open the title.
        if len(opening) > 1 and len(opening[0].split()) == 1:
            title = title[title.index(opening[1], len(opening[0])) :]
    pieces = _TITLE_SEPARATOR.split(title)
    if len(pieces) > 1:
        # The site's piece and everything on its far side (a section such as "Health" or "Musik") go.
        sited = [i for i, piece in enumerate(pieces) if _is_site_piece(piece, words)]
        if sited:
            last, first = sited[-1], sited[0]
            if last >= len(pieces) // 2 and first > 0:  # a suffix: keep what precedes, less a section beside it
                keep = pieces[:first]
                longest = max(range(len(keep)), key=lambda i: len(keep[i]))
                pieces = keep[: longest + 1]
            else:  # a prefix: keep what follows
                keep = pieces[last + 1 :]
                pieces = keep[max(range(len(keep)), key=lambda i: len(keep[i])) :] if keep else []
        title = " - ".join(pieces) if len(pieces) > 1 else (pieces[0] if pieces else "")
    title = title.strip(" -|:")
    return title if len(title.split()) >= 2 or (title and len(title) >= 12) else None
