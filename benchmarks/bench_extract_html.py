"""Article extraction from HTML: kliping beside trafilatura and jusText on the same pages, one scorer, per language.

Pages: the 28 DEV pages of ``../shared/corpora/id_news_extraction_gt/pages.jsonl`` (27 Indonesian, 1 English,
their ``raw_html``) and the 88 pages of ``../shared/corpora/en_extraction_readability/pages.jsonl`` (74 English,
14 in 7 other languages; the reference is Readability's own output, silver). Each page's language is
:func:`kliping.clean.language.detect` of its reference text (py3langid, Indonesian told from Malay).

Systems, each given the page's HTML and nothing else:

* ``kliping text`` -- today's reader and line model: the page laid out as text lines, the plain-text model;
* ``kliping html`` -- the page's blocks with what the markup says of them, the HTML line model
  (``data/clean_model_html.json``), the model shipped, which was trained on these very pages;
* ``kliping html (site-split)`` -- the same features, each page cleaned by a model trained without its site
  (``--folds`` sites out at a time): the honest estimate for pages not seen (only with ``--cv``);
* ``trafilatura`` -- ``trafilatura.extract(html)``, default settings (2.3.1);
* ``jusText`` -- ``justext.justext(html, stoplist)`` with the stoplist of the page's language (jusText's own
  list), the language-independent setting (empty stoplist, no stopword thresholds) where it has none.

Score: the shared ``score_extraction.py``'s bag-of-tokens F1 (lowercased ``\\w+`` with multiplicity) against the
reference text, the mean over pages (macro), by language and over all. Speed: pages per second of each system
over all the pages, from the HTML string to the article text, best of ``--rounds`` alternating rounds.

Needs the benchmark extra: ``.venv/bin/pip install -e ".[bench]"``.

Usage::

    .venv/bin/python benchmarks/bench_extract_html.py [--rounds 2] [--cv] [--pages-out scores.csv]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict

import train_html

from kliping.evaluation import extraction

# jusText's stoplist names (justext.get_stoplists()) for the languages of these pages.
JUSTEXT_STOPLISTS = {
    "en": "English",
    "id": "Indonesian",
    "ms": "Malay",
    "fr": "French",
    "es": "Spanish",
    "de": "German",
    "pt": "Portuguese",
    "cs": "Czech",
    "it": "Italian",
    "ru": "Russian",
    "nl": "Dutch",
}


def kliping_text(html: str) -> str:
    """Today's path from HTML: the page laid out as lines (inscriptis), the plain-text line model."""
    from kliping.clean import clean_page
    from kliping.io.markup import page_fields

    fields = page_fields(html)
    return clean_page(fields["text"], title=fields["title"]).content


def trafilatura_text(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def justext_text(html: str, lang: str) -> str:
    import justext

    name = JUSTEXT_STOPLISTS.get(lang)
    if name:
        paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist(name), encoding="utf-8")
    else:  # no stoplist for this language: jusText's language-independent setting
        paragraphs = justext.justext(
            html.encode("utf-8"), frozenset(), stopwords_low=0, stopwords_high=0, encoding="utf-8"
        )
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def systems(pages: list[dict]) -> dict:
    """name -> function(page) -> article text."""
    jobs = {
        "kliping text": lambda page: kliping_text(page["html"]),
        "trafilatura": lambda page: trafilatura_text(page["html"]),
        "jusText": lambda page: justext_text(page["html"], page["lang"]),
    }
    try:
        from kliping.clean import clean_html

        jobs["kliping html"] = lambda page: clean_html(page["html"]).content
    except ImportError:  # before the HTML-aware model exists
        pass
    return jobs


def f1(scorer, gold: str, got: str) -> float:
    gold_tokens, got_tokens = Counter(scorer.tokens(gold)), Counter(scorer.tokens(got))
    overlap = sum((gold_tokens & got_tokens).values())
    return scorer.prf(overlap, sum(got_tokens.values()), sum(gold_tokens.values()))[2]


def run(pages: list[dict], jobs: dict, rounds: int) -> tuple[dict, dict]:
    """Outputs of every system on every page, and each system's best seconds over all pages."""
    from kliping import clean

    outputs = {name: [None] * len(pages) for name in jobs}
    best = {name: float("inf") for name in jobs}
    for _ in range(rounds):
        for name, job in jobs.items():
            clean.clear_caches()  # no round profits from lines remembered in an earlier one
            started = time.perf_counter()
            for i, page in enumerate(pages):
                outputs[name][i] = job(page)
            best[name] = min(best[name], time.perf_counter() - started)
    return outputs, best


def table(pages: list[dict], scores: dict) -> str:
    """Mean token F1 per language group and system."""
    groups = defaultdict(list)
    for i, page in enumerate(pages):
        groups[page["lang"]].append(i)
        if page["lang"] != "id":
            groups["all but id"].append(i)
        groups["all"].append(i)
    order = sorted(groups, key=lambda g: (g in ("id", "all but id", "all"), g == "all", -len(groups[g]), g))
    names = list(scores)
    width = max(14, *map(len, names))
    lines = [f"{'language':<12} {'pages':>5} " + " ".join(f"{n:>{width}}" for n in names)]
    for group in order:
        at = groups[group]
        row = " ".join(f"{sum(scores[n][i] for i in at) / len(at):{width}.3f}" for n in names)
        lines.append(f"{group:<12} {len(at):>5} {row}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="timing rounds (the best one counts)")
    parser.add_argument("--cv", action="store_true", help="add the site-split estimate of the HTML model")
    parser.add_argument("--pages-out", help="write every page's F1 per system to this CSV")
    args = parser.parse_args(argv)
    scorer = extraction.load_scorer()
    pages = train_html.load_pages()  # the pages the HTML model is trained on, read by one loader
    print(f"{len(pages)} pages with HTML and a reference; languages {dict(Counter(p['lang'] for p in pages))}")
    jobs = systems(pages)
    for job in jobs.values():  # warm up: imports, models, compiled patterns
        job(pages[0])
    outputs, seconds = run(pages, jobs, args.rounds)
    if args.cv:
        outputs["kliping html (site-split)"] = train_html.html_site_split(pages)
    scores = {name: [f1(scorer, p["gold"], got) for p, got in zip(pages, out)] for name, out in outputs.items()}
    print("\nMean token F1 (score_extraction.py's tokens), by the language of the reference text:")
    print(table(pages, scores))
    print(f"\nSpeed over the same {len(pages)} pages (HTML string to article text, best of {args.rounds} rounds):")
    for name, spent in seconds.items():
        print(f"  {name:<14} {len(pages) / spent:7.1f} pages/s  ({1000 * spent / len(pages):.1f} ms/page)")
    if args.pages_out:
        import pandas as pd

        frame = pd.DataFrame({"id": [p["id"] for p in pages], "lang": [p["lang"] for p in pages], **scores})
        frame.to_csv(args.pages_out, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
