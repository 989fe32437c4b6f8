"""HTML in a table field against the same pages as ``.html`` files: token F1 of the article, titles, dates.

The 28 DEV pages of ``../shared/corpora/id_news_extraction_gt/pages.jsonl`` are written to a temporary folder
as ``.html`` files and as JSONL, CSV (Excel's ``;``, BOM, CRLF) and xlsx tables with the page in a field, read
by :func:`kliping.pipeline.load` with nothing named, cleaned, and scored with the shared
``score_extraction.py``. A record holding both a naive text dump (``content``, the corpus's own ``raw_text``:
BeautifulSoup's ``get_text``) and the page (``html``) is read both ways, which decides the guess order.

Usage::

    .venv/bin/python benchmarks/bench_html_field.py
"""

from __future__ import annotations

import csv
import json
import re
import sys
import tempfile
import time
import warnings
from pathlib import Path

from kliping import config, pipeline
from kliping.evaluation.extraction import load_scorer, score_predictions

PAGES = config.CORPORA_DIR / "id_news_extraction_gt" / "pages.jsonl"
_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")


def read_pages() -> list[dict]:
    with open(PAGES, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_inputs(pages: list[dict], folder: Path) -> dict[str, tuple[Path, dict]]:
    """Every shape of the same pages, with the fields each is read with."""
    html_dir = folder / "html"
    html_dir.mkdir()
    for page in pages:
        (html_dir / f"{page['id']}.html").write_text(page["raw_html"], encoding="utf-8")
    jsonl = folder / "pages.jsonl"
    jsonl.write_text("".join(json.dumps({"id": p["id"], "html": p["raw_html"]}) + "\n" for p in pages))
    both = folder / "both.jsonl"
    both.write_text(
        "".join(json.dumps({"id": p["id"], "content": p["raw_text"], "html": p["raw_html"]}) + "\n" for p in pages)
    )
    excel = folder / "pages.csv"
    with open(excel, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(["id", "raw_html"])
        writer.writerows([p["id"], p["raw_html"]] for p in pages)
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["id", "body_html"])
    for page in pages:
        book.active.append([page["id"], page["raw_html"]])
    workbook = folder / "pages.xlsx"
    book.save(workbook)
    return {
        ".html files": (html_dir, {}),
        "JSONL, field html": (jsonl, {}),
        "CSV (Excel ;, BOM, CRLF), field raw_html": (excel, {}),
        "xlsx, field body_html": (workbook, {}),
        "JSONL content + html, guessed": (both, {}),
        "JSONL content + html, text_field=content": (both, {"text_field": "content"}),
        "JSONL content + html, text_field=html": (both, {"text_field": "html"}),
    }


def cut_cells(path: Path) -> int:
    """Cells of a workbook at Excel's 32,767-character limit (openpyxl, as Excel, cuts a longer text when saving)."""
    if path.suffix != ".xlsx":
        return 0
    import openpyxl

    from kliping.io.workbook import EXCEL_CELL_LIMIT

    book = openpyxl.load_workbook(path, read_only=True)
    cells = book.worksheets[0].iter_rows(values_only=True)
    return sum(isinstance(v, str) and len(v) >= EXCEL_CELL_LIMIT for row in cells for v in row)


def measure(path: Path, fields: dict, pages: list[dict], scorer) -> dict:
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = pipeline.load(path, **fields)
        cleaned = pipeline.clean(articles, progress=False, use_cache=False)
    seconds = time.perf_counter() - started
    predictions = [{"id": i, "content": c or ""} for i, c in zip(cleaned["id"], cleaned["content"])]
    scores = score_predictions(PAGES, predictions, scorer)
    by_id = {p["id"]: p for p in pages}
    titles = cleaned["title"].fillna("").tolist()
    gold_titles = [by_id[i]["title"] for i in cleaned["id"]]
    years = cleaned["published"].dropna().map(lambda t: t.year)
    return {
        "macro F1": scores["macro"]["f1"],
        "micro F1": scores["micro"]["f1"],
        "rows as HTML": int((articles.get("origin") == "html").sum()) if "origin" in articles else 0,
        "titles = gold": sum(t.strip().lower() == g.strip().lower() for t, g in zip(titles, gold_titles)),
        "tags in titles or content": sum(bool(_TAG.search(t)) for t in titles + cleaned["content"].fillna("").tolist()),
        "dated": int(cleaned["published"].notna().sum()),
        "years": f"{years.min()}-{years.max()}" if len(years) else "-",
        "pages cut by Excel's cell limit": cut_cells(path),
        "seconds": round(seconds, 2),
    }


def main() -> int:
    if not PAGES.is_file():
        print(f"needs {PAGES} (the shared corpora)", file=sys.stderr)
        return 2
    pages = read_pages()
    scorer = load_scorer()
    with tempfile.TemporaryDirectory() as folder:
        inputs = write_inputs(pages, Path(folder))
        rows = {name: measure(path, fields, pages, scorer) for name, (path, fields) in inputs.items()}
    import pandas as pd

    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis(f"{len(pages)} DEV pages given as")
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.round(4).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
