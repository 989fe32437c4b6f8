"""How well cleaning extracts the article: the line-labelled DEV pages, the shared scorer, the baselines.

Scores everything-is-content, jusText 3.0.2 (as in ``BASELINES.md``) and kliping on the same block-per-line
text with the shared ``score_extraction.py`` itself, and compares kliping's line kinds with the hand-labelled
kinds of the seed pages.

Examples
--------
>>> justext_page("Beranda\\nKontak\\nBaca juga: Banjir di Bekasi")
[0, 0, 0]
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pandas as pd

from kliping.clean import KINDS, clean_page

#: Systems compared on DEV, in the order of the score table.
SYSTEMS = ("everything is content", "jusText", "kliping")


def load_scorer(path=None):
    """Import the shared ``score_extraction.py`` by path (it is read where it is, never copied)."""
    import importlib.util

    from kliping import config

    path = Path(path) if path else config.SHARED_DIR / "tools" / "score_extraction.py"
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_dev(path) -> list[dict]:
    """The line-labelled DEV pages (``dev_lines.jsonl``), one dict per page."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def justext_page(text: str, lang: str = "id") -> list[int]:
    """jusText 3.0.2 as in BASELINES.md: one ``<p>`` per line (escaped), its stoplist, default settings.

    Returns one 0/1 per line of ``text.split("\\n")`` (1 = not boilerplate).
    """
    import html

    import justext

    lines = text.split("\n")
    stoplist = _justext_stoplist("English" if lang == "en" else "Indonesian")
    document = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>"
    paragraphs = justext.justext(document, stoplist)
    if len(paragraphs) != len(lines):  # an empty <p> gives no paragraph: align by text instead
        kept = Counter(" ".join(p.text.split()) for p in paragraphs if not p.is_boilerplate)
        labels = []
        for line in lines:
            key = " ".join(line.split())
            labels.append(int(kept[key] > 0))
            kept[key] -= kept[key] > 0
        return labels
    return [int(not p.is_boilerplate) for p in paragraphs]


@cache
def _justext_stoplist(language: str) -> frozenset:
    import justext

    return frozenset(justext.get_stoplist(language))


def predict_dev(pages: list[dict], system: str) -> list[dict]:
    """Predictions of one of :data:`SYSTEMS` for DEV pages: ``{"id", "content", "labels"}`` per page.

    Examples
    --------
    >>> predict_dev([{"id": "a", "text": "Beranda\\nBaca juga: Banjir"}], "everything is content")[0]["labels"]
    [1, 1]
    """
    predictions = []
    for page in pages:
        lines = page["text"].split("\n")
        if system == "everything is content":
            labels = [1] * len(lines)
            content = page["text"]
        elif system == "jusText":
            labels = justext_page(page["text"], page.get("lang", "id"))
            content = "\n".join(line for line, label in zip(lines, labels) if label)
        elif system == "kliping":
            cleaned = clean_page(page["text"])
            labels, content = cleaned.labels, cleaned.content
        else:
            raise ValueError(f"unknown system {system!r}; choose one of {SYSTEMS}")
        predictions.append({"id": page["id"], "content": content, "labels": labels})
    return predictions


def score_predictions(gold_file, predictions: list[dict], scorer=None) -> dict:
    """Score predictions with the shared scorer itself (its ``--json`` output, as a dict)."""
    import contextlib
    import io as stdio
    import tempfile

    scorer = scorer or load_scorer()
    with tempfile.TemporaryDirectory() as folder:
        pred_file = Path(folder) / "pred.jsonl"
        pred_file.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions), encoding="utf-8")
        out, err = stdio.StringIO(), stdio.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = scorer.main([str(gold_file), str(pred_file), "--json"])
    if status != 0:
        raise RuntimeError(f"the scorer failed: {err.getvalue().strip()}")
    return json.loads(out.getvalue())


def score_table(scores: dict) -> pd.DataFrame:
    """One row per system: token P/R/F1 macro and micro, line F1 micro and macro."""
    rows = {}
    for system, result in scores.items():
        lines = result.get("lines", {})
        rows[system] = {
            "macro P": result["macro"]["precision"],
            "macro R": result["macro"]["recall"],
            "macro F1": result["macro"]["f1"],
            "micro P": result["micro"]["precision"],
            "micro R": result["micro"]["recall"],
            "micro F1": result["micro"]["f1"],
            "line F1 (micro)": lines.get("micro", {}).get("f1"),
            "line F1 (macro)": lines.get("macro", {}).get("f1"),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("system").round(3)


def score_dev(dev_file, systems=SYSTEMS) -> pd.DataFrame:
    """Score every system of :data:`SYSTEMS` on the DEV pages with the shared scorer, side by side.

    Examples
    --------
    >>> from kliping import config
    >>> table = score_dev(config.DEV_LINES_FILE)  # doctest: +SKIP
    >>> table.loc["kliping", "macro F1"] >= 0.97  # doctest: +SKIP
    True
    """
    pages = read_dev(dev_file)
    scorer = load_scorer()
    return score_table({system: score_predictions(dev_file, predict_dev(pages, system), scorer) for system in systems})


def kind_confusion(pages: list[dict]) -> pd.DataFrame:
    """Hand-labelled kind (rows) against kliping's kind (columns), over the pages that have ``fine_labels``."""
    gold, predicted = [], []
    for page in pages:
        if "fine_labels" not in page:
            continue
        gold += page["fine_labels"]
        predicted += clean_page(page["text"]).kinds
    order = [k for k in KINDS if k in set(gold) | set(predicted)]
    table = pd.crosstab(pd.Categorical(gold, order), pd.Categorical(predicted, order), dropna=False)
    return table.rename_axis(index="hand label", columns="kliping")


def site_of(record: dict) -> str:
    """The site a page of a shared corpus comes from, for splits by site: the first label of the registered
    domain of its ``site`` or ``url`` (``nasional.kompas.com`` -> ``kompas``, ``next.liberation.fr`` ->
    ``liberation``), else its id without the corpus prefix and a trailing number (``readability-webmd-2`` ->
    ``webmd``).

    Examples
    --------
    >>> site_of({"id": "anpandu-kompas-singlepage2", "site": "regional.kompas.com"})
    'kompas'
    >>> site_of({"id": "readability-wikipedia-4", "url": None}), site_of({"id": "x", "url": "https://en.wikipedia.org/a"})
    ('wikipedia', 'wikipedia')
    """
    import re

    from kliping.io.htmlmeta import registered_domain

    domain = registered_domain(record.get("site") or record.get("url"))
    if domain:
        return domain.split(".")[0]
    name = record["id"].split("-", 1)[-1]
    return re.sub(r"-\d+$", "", name)


def line_labels(lines: list[str], gold: str, min_share: float = 0.6) -> list[int]:
    """0/1 per line: whether the line is reference text, by aligning the page's tokens with the reference's in
    order, as the DEV labels were made (``id_news_extraction_gt/PROVENANCE.md``): ``difflib.SequenceMatcher``
    without autojunk, matching blocks of 3 tokens or more (or 2 that are a whole line), a line is body when
    ``min_share`` of its tokens are matched.

    Examples
    --------
    >>> line_labels(["Beranda", "Gempa mengguncang Bali pagi ini", "Baca juga: Banjir"],
    ...             "Gempa mengguncang Bali pagi ini.")
    [0, 1, 0]
    """
    import difflib
    import re

    token = re.compile(r"\w+")
    line_tokens = [token.findall(line.lower()) for line in lines]
    owner = [i for i, tokens in enumerate(line_tokens) for _ in tokens]
    page = [t for tokens in line_tokens for t in tokens]
    matched = [0] * len(lines)
    matcher = difflib.SequenceMatcher(None, page, token.findall(gold.lower()), autojunk=False)
    for block in matcher.get_matching_blocks():
        if block.size >= 3 or (block.size == 2 and len(line_tokens[owner[block.a]]) == 2):
            for at in range(block.a, block.a + block.size):
                matched[owner[at]] += 1
    return [int(bool(tokens) and matched[i] >= min_share * len(tokens)) for i, tokens in enumerate(line_tokens)]
