"""Train the line model of :mod:`kliping.clean` on the DEV pages and estimate how it generalises.

Reads ``../shared/corpora/id_news_extraction_gt/dev_lines.jsonl`` (30 pages, 0/1 labels per line),
fits a logistic regression on the features of :func:`kliping.clean.line_features` (each line weighted
by the square root of its words, each page weighted equally, as the macro token F1 does), and reports the
macro/micro token F1 of the whole cleaner (model + segment decoding) under **leave-one-site-out**
cross-validation: every site's pages are cleaned by a model that never saw that site. The regularisation
strength is chosen by that same cross-validation. Writes ``lib/kliping/data/clean_model.json`` (plain
coefficients, no pickle) unless ``--dry-run``.

``--html`` trains the model of pages read from HTML instead (``lib/kliping/data/clean_model_html.json``,
features :data:`kliping.clean.HTML_FEATURE_NAMES`) on the pages with HTML one may train on: the 28 DEV pages of
``id_news_extraction_gt/pages.jsonl`` and the 88 of ``en_extraction_readability`` (silver reference). Their
lines are the blocks of :func:`kliping.io.blocks.html_blocks`, labelled by aligning them with the reference text
(:func:`kliping.evaluation.extraction.line_labels`, as the DEV labels were made). C and the decoding settings
are chosen by **site-split** cross-validation (:data:`HTML_FOLDS` folds of whole sites, never a site on both
sides), scored by the shared scorer's token F1, the mean over pages of each language group.

Usage::

    .venv/bin/python benchmarks/train_clean.py [--dry-run] [--html]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

import kliping
from kliping import clean, config
from kliping.evaluation import extraction

DEV_FILE = config.DEV_LINES_FILE
MODEL_PATH = Path(kliping.__file__).parent / "data" / clean.MODEL_FILE


def load_dev() -> list[dict]:
    if not DEV_FILE.exists():
        sys.exit(f"train_clean: {DEV_FILE} is not here (../shared must sit beside the checkout)")
    return extraction.read_dev(DEV_FILE)


def site_group(site: str) -> str:
    """The registered domain: ``regional.kompas.com`` and ``kompas.com`` are one site."""
    parts = site.lower().split(".")
    return ".".join(parts[-3:]) if parts[-2] in ("co", "or", "ac", "go") else ".".join(parts[-2:])


def page_features(pages: list[dict]) -> list[tuple[np.ndarray, list[dict], np.ndarray]]:
    out = []
    for page in pages:
        lines = page["text"].split("\n")
        features, measures = clean.line_features(lines)
        out.append((features, measures, np.array(page["labels"])))
    return out


def fit(featured, C: float) -> clean.LineModel:
    X = np.vstack([f for f, _, _ in featured])
    y = np.concatenate([lab for _, _, lab in featured])
    weights = []
    for _features, measures, _ in featured:
        w = np.sqrt(np.maximum([m["words"] for m in measures], 1))
        weights.append(w / w.sum())  # every page counts the same
    w = np.concatenate(weights) * len(featured)
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    model.fit((X - mean) / scale, y, sample_weight=w)
    return clean.LineModel(mean, scale, model.coef_[0], float(model.intercept_[0]))


def save_model(path: Path, model: clean.LineModel, about: str, features, C: float, **chosen) -> None:
    """A fitted line model as the plain JSON :mod:`kliping.clean.model` loads (no pickle): what it is, its
    features, C, what else was chosen with it (``chosen``: its cross-validated scores, its decoding), then the
    standardisation and the coefficients. ``train_html.py`` writes the HTML models with it too."""
    data = {
        "about": about,
        "features": list(features),
        "C": C,
        **chosen,
        "mean": [round(v, 6) for v in model.mean],
        "scale": [round(v, 6) for v in model.scale],
        "coef": [round(v, 6) for v in model.coef],
        "intercept": round(model.intercept, 6),
    }
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")


def predict(page: dict, model, decode=None) -> dict:
    """Clean one DEV page exactly as :func:`kliping.clean.clean_page` does, with the given model.

    Going through clean_page means the scores below are those of the shipped cleaner (segment decoding,
    dateline start, kinds, metadata), not of a partial copy of it.
    """
    cleaned = clean.clean_page(page["text"], model=model, decode=decode)
    return {"id": page["id"], "content": cleaned.content, "labels": cleaned.labels, "kinds": cleaned.kinds}


def token_scores(scorer, pages, predictions) -> dict:
    f1s, totals = [], Counter()
    for page, pred in zip(pages, predictions):
        gold = Counter(scorer.tokens(page["clean_text"]))
        got = Counter(scorer.tokens(pred["content"]))
        overlap = sum((gold & got).values())
        f1s.append(scorer.prf(overlap, sum(got.values()), sum(gold.values()))[2])
        totals.update(overlap=overlap, pred=sum(got.values()), gold=sum(gold.values()))
    micro = scorer.prf(totals["overlap"], totals["pred"], totals["gold"])[2]
    return {"macro_f1": float(np.mean(f1s)), "micro_f1": micro, "per_page": f1s}


def leave_one_site_out(pages, featured, C, decode=None) -> list[dict]:
    groups = [site_group(p["site"]) for p in pages]
    predictions = [None] * len(pages)
    for held_out in sorted(set(groups)):
        train = [f for f, g in zip(featured, groups) if g != held_out]
        model = fit(train, C)
        for i, g in enumerate(groups):
            if g == held_out:
                predictions[i] = predict(pages[i], model, decode)
    return predictions


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="report only; do not write the model")
    parser.add_argument("--html", action="store_true", help="train the model of pages read from HTML")
    args = parser.parse_args(argv)
    if args.html:
        import train_html

        return train_html.main(args.dry_run)
    scorer = extraction.load_scorer()
    pages = load_dev()
    featured = page_features(pages)

    print(
        f"{len(pages)} DEV pages, {len({site_group(p['site']) for p in pages})} sites; "
        "leave-one-site-out token F1 by regularisation strength C:"
    )
    results = {}
    for C in (0.03, 0.1, 0.3, 1.0, 3.0):
        scores = token_scores(scorer, pages, leave_one_site_out(pages, featured, C))
        results[C] = scores
        print(f"  C={C:<5} macro F1 {scores['macro_f1']:.4f}  micro F1 {scores['micro_f1']:.4f}")
    best_C = max(results, key=lambda c: (round(results[c]["macro_f1"], 3), -abs(np.log(c))))
    model = fit(featured, best_C)
    train = token_scores(scorer, pages, [predict(p, model) for p in pages])
    print(
        f"chosen C={best_C}: leave-one-site-out macro F1 {results[best_C]['macro_f1']:.4f}, "
        f"micro F1 {results[best_C]['micro_f1']:.4f}; on the training pages macro F1 {train['macro_f1']:.4f}, "
        f"micro F1 {train['micro_f1']:.4f}"
    )
    worst = sorted(zip(results[best_C]["per_page"], (p["id"] for p in pages)))[:5]
    print("weakest pages under leave-one-site-out:", ", ".join(f"{i} {f:.3f}" for f, i in worst))
    for name, c in sorted(zip(clean.FEATURE_NAMES, model.coef), key=lambda t: -abs(t[1])):
        print(f"  {name:<22} {c:+.3f}")
    if not args.dry_run:
        save_model(
            MODEL_PATH,
            model,
            "kliping.clean line model: logistic regression on standardised line features; "
            "written by benchmarks/train_clean.py from dev_lines.jsonl",
            clean.FEATURE_NAMES,
            best_C,
            leave_one_site_out={
                "macro_f1": round(results[best_C]["macro_f1"], 4),
                "micro_f1": round(results[best_C]["micro_f1"], 4),
            },
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
