"""The HTML line model's training (``benchmarks/train_clean.py --html``): pages, labels, site-split folds, fit.

Kept apart from ``train_clean.py`` for length only; it fits with that script's :func:`train_clean.fit` (one
logistic regression, each line weighted by the square root of its words, each page counting the same) and
cleans with :func:`kliping.clean.page.clean_split_pages`, the shipped cleaner, so the scores are the cleaner's.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

import kliping
from kliping import clean, config
from kliping.clean.features import pages_features
from kliping.clean.lexicon import load_lexicon
from kliping.clean.page import clean_split_pages, split_page
from kliping.evaluation import extraction
from kliping.io.blocks import html_blocks

HTML_MODEL_PATH = Path(kliping.__file__).parent / "data" / clean.HTML_MODEL_FILE
PAGE_FILES = (
    config.CORPORA_DIR / "id_news_extraction_gt" / "pages.jsonl",
    config.CORPORA_DIR / "en_extraction_readability" / "pages.jsonl",
)
#: Site-split folds: every site's pages in one fold, the folds about the same size.
HTML_FOLDS = 8
CS = (0.001, 0.01)
#: Each Indonesian page counts this many times in the fit (kliping's own language; 28 of the 116 pages).
ID_WEIGHT = 2
DECODES = (
    {"keep_inside": -1.0, "keep_outside": 3.0, "outside_min_words": 20},
    {"keep_inside": -0.5, "keep_outside": 2.0, "outside_min_words": 20},
    {"keep_inside": -0.5, "keep_outside": 3.0, "outside_min_words": 30},
)


def load_pages() -> list[dict]:
    """Every page with HTML and a reference one may train on (``bench_extract_html.py`` scores the same pages):
    ``id``, ``html``, ``gold`` (the reference text), ``site`` (for the folds), ``lang`` (of its reference) and
    ``corpus`` (``id_news`` or ``readability``)."""
    from kliping.clean.language import detect

    pages = []
    for path in PAGE_FILES:
        if not path.exists():
            sys.exit(f"{Path(sys.argv[0]).name}: {path} is not here (../shared must sit beside the checkout)")
        with open(path, encoding="utf-8") as handle:
            for record in map(json.loads, filter(str.strip, handle)):
                pages.append(
                    {
                        "id": record["id"],
                        "html": record["raw_html"],
                        "gold": record["clean_text"],
                        "site": extraction.site_of(record),
                        "lang": detect(None, record["clean_text"]) or "?",
                        "corpus": "id_news" if path == PAGE_FILES[0] else "readability",
                    }
                )
    return pages


def prepare(pages: list[dict]) -> list[dict]:
    """Each page's blocks, split, title, line labels and features (computed once for every fold and setting)."""
    lexicon = load_lexicon()
    for page in pages:
        blocks = html_blocks(page["html"])
        page["split"] = split_page("\n".join(blocks.lines))
        page["title"] = blocks.title
        page["structure"] = blocks.structure
        lines = page["split"][2]
        page["labels"] = np.array(extraction.line_labels(lines, page["gold"]))
        features, columns, _ = pages_features([(lines, page["title"])], lexicon, [page["structure"]])
        page["page_language"] = columns["page_language"][0]
        page["featured"] = (features, [{"words": w} for w in columns["words"]], page["labels"])
    return pages


def folds(pages: list[dict], k: int = HTML_FOLDS) -> list[int]:
    """The fold of every page: whole sites, largest first into the smallest fold (deterministic)."""
    by_site = Counter(page["site"] for page in pages)
    load, fold_of = [0] * k, {}
    for site, count in sorted(by_site.items(), key=lambda item: (-item[1], item[0])):
        fold_of[site] = int(np.argmin(load))
        load[fold_of[site]] += count
    return [fold_of[page["site"]] for page in pages]


def training(pages: list[dict]) -> list:
    """The featured pages a model is fitted on, each Indonesian one :data:`ID_WEIGHT` times."""
    return [p["featured"] for p in pages for _ in range(ID_WEIGHT if p["lang"] == "id" else 1)]


def clean_pages(pages: list[dict], model, decode) -> list[str]:
    """The content the shipped cleaner gives each page with ``model`` and ``decode``."""
    cleaned = clean_split_pages(
        [p["split"] for p in pages],
        [p["title"] for p in pages],
        [None] * len(pages),
        model=model,
        decode=decode,
        structures=[p["structure"] for p in pages],
    )
    return [c.content for c in cleaned]


def site_split(pages: list[dict], C: float, decodes=DECODES) -> dict:
    """Content of every page under every decoding, each page cleaned by a model that never saw its site."""
    from train_clean import fit

    fold = folds(pages)
    out = {i: [None] * len(pages) for i in range(len(decodes))}
    for held_out in sorted(set(fold)):
        model = fit(training([p for p, f in zip(pages, fold) if f != held_out]), C)
        at = [i for i, f in enumerate(fold) if f == held_out]
        for d, decode in enumerate(decodes):
            for i, content in zip(at, clean_pages([pages[i] for i in at], model, decode)):
                out[d][i] = content
    return out


def scores_by_language(scorer, pages: list[dict], contents: list[str]) -> dict:
    from bench_extract_html import f1

    groups = defaultdict(list)
    for page, content in zip(pages, contents):
        value = f1(scorer, page["gold"], content)
        groups["id" if page["lang"] == "id" else "not id"].append(value)
        groups["en"].append(value) if page["lang"] == "en" else None
        groups["all"].append(value)
    return {g: float(np.mean(v)) for g, v in groups.items()}


def main(dry_run: bool) -> int:
    from train_clean import fit

    scorer = extraction.load_scorer()
    pages = prepare(load_pages())
    print(
        f"{len(pages)} HTML pages, {len({p['site'] for p in pages})} sites, {HTML_FOLDS} site-split folds; "
        "mean token F1 of each page cleaned by a model that never saw its site:"
    )
    runs = {(C, d): contents for C in CS for d, contents in site_split(pages, C).items()}
    for (C, d), contents in runs.items():
        r = scores_by_language(scorer, pages, contents)
        print(
            f"  C={C:<5} decode {d}: id {r['id']:.4f}  not id {r['not id']:.4f}  en {r['en']:.4f}  all {r['all']:.4f}"
        )
    # One C for the pages in Indonesian (or Malay), one for the rest, one decoding: the best mean of the two sides.
    indonesian = [p["page_language"] in clean.model.HTML_ID_LANGUAGES for p in pages]
    results = {}
    for d in range(len(DECODES)):
        for c_id in CS:
            for c_other in CS:
                contents = [runs[c_id if is_id else c_other, d][i] for i, is_id in enumerate(indonesian)]
                results[c_id, c_other, d] = scores_by_language(scorer, pages, contents)
    best = max(results, key=lambda key: round(results[key]["id"] + results[key]["not id"], 4))
    c_id, c_other, d = best
    print(f"chosen C={c_id} for Indonesian pages, C={c_other} for the others, decode {DECODES[d]}: {results[best]}")
    for name, C in ((clean.HTML_ID_MODEL_FILE, c_id), (clean.HTML_MODEL_FILE, c_other)):
        model = fit(training(pages), C)
        print(f"{name}: C={C}; largest coefficients:")
        for feature, c in sorted(zip(clean.HTML_FEATURE_NAMES, model.coef), key=lambda t: -abs(t[1]))[:8]:
            print(f"  {feature:<22} {c:+.3f}")
        if not dry_run:
            write_model(HTML_MODEL_PATH.parent / name, model, C, DECODES[d], results[best])
    return 0


def write_model(path: Path, model, C: float, decode: dict, scores: dict) -> None:
    from train_clean import save_model

    save_model(
        path,
        model,
        "kliping.clean line model of pages read from HTML: logistic regression on standardised line "
        "features; written by benchmarks/train_clean.py --html from id_news_extraction_gt/pages.jsonl and "
        "en_extraction_readability/pages.jsonl",
        clean.HTML_FEATURE_NAMES,
        C,
        decode=decode,
        site_split={k: round(v, 4) for k, v in scores.items()},
    )


def html_site_split(pages: list[dict]) -> list[str]:
    """The content of every page (dicts with ``html``, ``gold``, ``site``, ``lang``) cleaned with the shipped HTML
    models' settings (the C of its language's model, the decoding), fitted without the page's fold of sites."""
    shipped = {
        name: json.loads((HTML_MODEL_PATH.parent / name).read_text(encoding="utf-8"))
        for name in (clean.HTML_MODEL_FILE, clean.HTML_ID_MODEL_FILE)
    }
    pages = prepare(pages)
    decode = shipped[clean.HTML_MODEL_FILE]["decode"]
    by_c = {}
    for model in shipped.values():
        if model["C"] not in by_c:
            by_c[model["C"]] = site_split(pages, model["C"], (decode,))[0]
    languages = clean.model.HTML_ID_LANGUAGES
    return [
        by_c[shipped[clean.HTML_ID_MODEL_FILE if p["page_language"] in languages else clean.HTML_MODEL_FILE]["C"]][i]
        for i, p in enumerate(pages)
    ]
