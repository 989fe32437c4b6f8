"""Execute the notebooks and render them as a readable, offline HTML report.

``make report`` calls :func:`main`: every ``notebooks/NN_*.ipynb`` runs in
order in a fresh kernel (the committed notebooks are not touched), is rendered
to ``reports/html/NN_name.html`` with code inputs tagged ``hide-input`` hidden
and stderr (warnings, progress bars) left out, and an ``index.html`` links the
pages with their one-line summaries and the run's headline figures. The pages
load nothing from the network: the template drops require.js, MathJax and
Mermaid, which nbconvert would fetch from a CDN.

Notebooks add headline figures with :func:`update_summary`; the index shows
whatever is there, for example ``n_articles``, ``n_ok``, ``lines_in``,
``lines_removed_by_kind`` (a dict), ``n_topics``, ``topic_labels`` (a list)
and ``nmi``.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kliping import config

TEMPLATE_DIR = Path(__file__).parent / "templates"
HIDE_INPUT_TAGS = {"hide-input", "remove-input"}

INTRO = (
    "Like a newspaper clipping cut out of its page, <b>kliping</b> cuts the news article out of scraped "
    "Indonesian news pages, stems it with Sastrawi, turns it into TF-IDF vectors and groups the articles "
    "into topics. Each page below is one step of that pipeline, executed from a fresh kernel on the corpus "
    "named here; read them in order."
)


def update_summary(**figures) -> dict:
    """Merge headline figures into ``data/processed/summary.json`` and return them all.

    Examples
    --------
    >>> update_summary(n_articles=2, n_ok=2)["n_articles"]  # doctest: +SKIP
    2
    """
    config.ensure_dirs()
    path = config.SUMMARY_FILE
    summary = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    summary.update({k: _jsonable(v) for k, v in figures.items()})
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary


def _jsonable(value):
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def notebook_paths(notebooks_dir: Path = config.NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks, in order."""
    return sorted(p for p in Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb"))


def notebook_title_and_summary(nb) -> tuple[str, str]:
    """The first heading of a notebook and the first sentence of its prose."""
    title, summary = None, ""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            line = line.strip()
            if not line:
                continue
            if title is None and line.startswith("#"):
                title = line.lstrip("#").strip()
            elif not line.startswith("#") and not summary:
                summary = line.split(". ")[0].rstrip(".") + "."
        if title and summary:
            break
    return title or "Notebook", summary


def execute(path: Path, timeout: int = 3600):
    """Run a notebook top to bottom in a fresh kernel, in its own folder; return it executed."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return nb


def _strip_stderr(nb) -> None:
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]


def render(nb, prev_page: str | None = None, next_page: str | None = None) -> str:
    """Render an executed notebook to one self-contained HTML page."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    _strip_stderr(nb)
    cfg = Config()
    cfg.TagRemovePreprocessor.remove_input_tags = HIDE_INPUT_TAGS
    cfg.TagRemovePreprocessor.remove_cell_tags = {"remove-cell"}
    cfg.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(config=cfg, template_name="lab",
                            template_file=str(TEMPLATE_DIR / "kliping.html.j2"))
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.register_preprocessor(TagRemovePreprocessor(config=cfg), enabled=True)
    body, _ = exporter.from_notebook_node(
        nb, resources={"kliping_prev": prev_page, "kliping_next": next_page})
    return body


def render_index(pages: list[dict], summary: dict, corpus: str) -> str:
    """The report's front page: introduction, headline figures, the pages in order."""
    esc = html.escape
    figures = []
    labels = {"n_articles": "articles read", "n_ok": "articles with usable text",
              "lines_in": "page lines read", "lines_removed": "lines removed as noise",
              "n_topics": "topics found", "nmi": "NMI against the labels", "ari": "ARI against the labels"}
    for key, label in labels.items():
        if key in summary and summary[key] is not None:
            value = summary[key]
            shown = f"{value:,.3f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else value
            figures.append(f"<div class='fig'><span>{esc(str(shown))}</span>{esc(label)}</div>")
    removed = summary.get("lines_removed_by_kind") or {}
    removed_html = ""
    if removed:
        rows = "".join(f"<tr><td>{esc(str(k))}</td><td>{int(v):,}</td></tr>"
                       for k, v in sorted(removed.items(), key=lambda kv: -kv[1]))
        removed_html = f"<h2>Lines removed, by kind</h2><table>{rows}</table>"
    topics = summary.get("topic_labels") or []
    topics_html = ""
    if topics:
        topics_html = "<h2>Topics</h2><ol>" + "".join(f"<li>{esc(str(t))}</li>" for t in topics) + "</ol>"
    items = "".join(f"<li><a href='{esc(p['file'])}'>{esc(p['title'])}</a> — {esc(p['summary'])}</li>"
                    for p in pages)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>kliping report</title>
<style>
 body {{ font-family: -apple-system, 'Segoe UI', Roboto, sans-serif; max-width: 900px; margin: 2em auto;
        padding: 0 1.5em; line-height: 1.5; color: #222; }}
 h1 {{ margin-bottom: 0.2em; }} .corpus {{ color: #666; margin-top: 0; }}
 .figs {{ display: flex; flex-wrap: wrap; gap: 1em; margin: 1.5em 0; }}
 .fig {{ background: #f3f6fa; border-radius: 8px; padding: 0.8em 1.2em; min-width: 9em; color: #555; }}
 .fig span {{ display: block; font-size: 1.8em; font-weight: 600; color: #1f4e79; }}
 table {{ border-collapse: collapse; }} td {{ padding: 0.2em 1em 0.2em 0; border-bottom: 1px solid #eee; }}
 ol.pages li {{ margin: 0.5em 0; }}
</style></head><body>
<h1>kliping report</h1>
<p class="corpus">Corpus: {esc(corpus)}</p>
<p>{INTRO}</p>
<div class="figs">{''.join(figures)}</div>
<h2>The pages</h2>
<ol class="pages">{items}</ol>
{removed_html}
{topics_html}
</body></html>
"""


def screenshot(page: Path, png: Path, width: int = 1200, height: int = 1400) -> bool:
    """Save a PNG of a page with headless Chromium; False when Chromium is not installed."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        return False
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                        f"--window-size={width},{height}", f"--screenshot={png}", page.resolve().as_uri()],
                       capture_output=True, timeout=120)
    return png.exists()


#: Flags for headless Chromium on a machine without network or display.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                  "--hide-scrollbars"]


def main(notebooks_dir: Path = config.NOTEBOOKS_DIR, output_dir: Path = config.HTML_DIR,
         screenshot_dir: Path | None = config.REPORTS_DIR / "screenshots") -> int:
    """Execute and render every numbered notebook, then write the index; return an exit status."""
    from nbclient.exceptions import CellExecutionError

    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    paths = notebook_paths(notebooks_dir)
    if not paths:
        print(f"kliping report: no numbered notebooks in {notebooks_dir}", file=sys.stderr)
        return 2
    if config.SUMMARY_FILE.exists():
        config.SUMMARY_FILE.unlink()  # figures of an earlier run must not leak into this one
    corpus = config.corpus_settings().path
    pages = []
    executed = []
    for number, path in enumerate(paths, start=1):
        started = time.perf_counter()
        print(f"[{number}/{len(paths)}] {path.name} ...", file=sys.stderr, flush=True)
        try:
            nb = execute(path)
        except CellExecutionError as error:
            first = str(error).strip().splitlines()
            print(f"kliping report: {path.name} failed:\n" + "\n".join(first[-15:]), file=sys.stderr)
            return 1
        print(f"      done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        title, summary = notebook_title_and_summary(nb)
        pages.append({"file": path.with_suffix(".html").name, "title": title, "summary": summary})
        executed.append(nb)
    for i, (nb, page) in enumerate(zip(executed, pages)):
        prev_page = pages[i - 1]["file"] if i > 0 else None
        next_page = pages[i + 1]["file"] if i + 1 < len(pages) else None
        (output_dir / page["file"]).write_text(render(nb, prev_page, next_page), encoding="utf-8")
    summary = json.loads(config.SUMMARY_FILE.read_text()) if config.SUMMARY_FILE.exists() else {}
    shown_corpus = os.path.relpath(corpus, config.PROJECT_ROOT) if corpus.is_absolute() else str(corpus)
    index = output_dir / "index.html"
    index.write_text(render_index(pages, summary, shown_corpus), encoding="utf-8")
    print(f"wrote {len(pages) + 1} pages to {output_dir}", file=sys.stderr)
    if screenshot_dir is not None:
        shots = [screenshot(output_dir / p, Path(screenshot_dir) / Path(p).with_suffix(".png").name)
                 for p in ["index.html"] + [page["file"] for page in pages]]
        if all(shots):
            print(f"screenshots in {screenshot_dir}", file=sys.stderr)
        else:
            print("no screenshots: chromium is not installed (make browser installs it)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
