"""Execute the notebooks and render them as a readable, offline HTML report.

``make report`` calls :func:`main`: every ``notebooks/NN_*.ipynb`` runs in
order in a fresh kernel (the committed notebooks are not touched), is rendered
to ``reports/html/NN_name.html`` with code inputs tagged ``hide-input`` hidden
(``collapse-input``: folded under "Show code") and stderr (warnings, progress
bars) left out, and an ``index.html`` links the pages with their one-line
summaries and the run's headline figures. Headless Chromium then keeps one
screenshot per page.

The pages load nothing from the network and run no script: the template drops
require.js, MathJax and Mermaid (which nbconvert would fetch from a CDN), and
every page carries a Content-Security-Policy that allows only inline styles
and ``data:`` images. Article text is escaped where it is turned into HTML
(:mod:`kliping.report.views`, pandas tables, nbconvert's text outputs); the policy is
a second fence, should a view ever forget.

Where things go: the pages to ``KLIPING_HTML_DIR`` (default ``reports/html``),
the notebooks' work files to ``KLIPING_WORK_DIR`` (see :mod:`kliping.config`).
Screenshots of the embedded sample rendered to the default folder go to
``reports/screenshots`` (committed, shown in the README); any other run keeps
them beside its pages, in ``<html dir>/screenshots``.

Notebooks add headline figures with :meth:`kliping.store.Store.update_summary`; the index shows
whatever is there, for example ``n_articles``, ``n_ok``, ``lines_in``,
``lines_removed``, ``lines_removed_by_kind`` (a dict), ``n_topics``,
``topic_labels`` (a list), ``nmi`` and ``ari``.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kliping import config
from kliping.report.notebooks import execute

TEMPLATE_DIR = Path(__file__).parent.parent / "templates"
HIDE_INPUT_TAGS = {"hide-input", "remove-input"}
SCREENSHOT_DIR = config.REPORTS_DIR / "screenshots"

#: Every page may use its own inline styles and ``data:`` images, and nothing else: no script runs, nothing is
#: fetched. Both templates put it in a page with ``csp_meta`` (``kliping_macros.html.j2``).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'"
)

#: Flags for headless Chromium on a machine without network or display.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--hide-scrollbars",
]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


# --------------------------------------------------------------------------- settings
def html_dir(settings: config.RunSettings | None = None) -> Path:
    """Where the pages go: ``KLIPING_HTML_DIR``, else ``reports/html`` for the embedded corpus and
    ``reports/<corpus name>/html`` for another (a run on one corpus leaves another's report in place)."""
    value = config.env_setting("KLIPING_HTML_DIR")
    if value:
        return Path(value)
    slug = None if settings is None else config.corpus_slug(settings.path)
    return config.HTML_DIR if slug is None else config.REPORTS_DIR / slug / "html"


def find_chromium() -> str | None:
    """The Chromium executable on ``PATH``, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


# --------------------------------------------------------------------------- notebooks
def notebook_paths(notebooks_dir: Path = config.NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks, in order."""
    return sorted(p for p in Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb"))


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*_`\"“(])")


def notebook_title_and_summary(nb, min_chars: int = 60) -> tuple[str, str]:
    """The first heading of a notebook, and the opening sentences of its first paragraph.

    Sentences are added until the summary has ``min_chars`` characters, so a
    short opener ("The point of the whole pipeline.") gets its explanation.
    The summary is Markdown, as written in the notebook.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
    ...     "# 05 · Topics\\n\\nThe point. We group the articles\\ninto topics. Then we measure them.")])
    >>> notebook_title_and_summary(nb, min_chars=40)
    ('05 · Topics', 'The point. We group the articles into topics.')
    """
    title, paragraph = None, None
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for block in re.split(r"\n\s*\n", cell.source):
            lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
            if not lines:
                continue
            if lines[0].startswith("#"):
                title = title or lines[0].lstrip("#").strip()
                lines = lines[1:]
            if lines and paragraph is None and not lines[0].startswith(("|", "```", "-", "*  ", ">")):
                paragraph = " ".join(lines)
        if title and paragraph:
            break
    summary = ""
    for sentence in _SENTENCE_END.split(paragraph or ""):
        summary = f"{summary} {sentence}".strip()
        if len(summary) >= min_chars:
            break
    return title or "Notebook", summary


def inline_markdown(text: str) -> str:
    """Escape ``text`` and render the inline Markdown of a summary line: bold, italics, code, links.

    Examples
    --------
    >>> inline_markdown("*kliping* reads `data/raw` & [PySastrawi](https://example.org) <b>")
    '<em>kliping</em> reads <code>data/raw</code> &amp; PySastrawi &lt;b&gt;'
    """
    out = html.escape(text, quote=False)
    out = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", out)  # a link's words only: the index links pages, not the web
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", out)
    out = re.sub(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", r"<em>\1</em>", out)
    return re.sub(r"(?<!\w)_([^_\s][^_]*)_(?!\w)", r"<em>\1</em>", out)


def _strip_stderr(nb) -> list[str]:
    """Drop stderr outputs (warnings, progress bars) from the page; return their text."""
    dropped = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            kept = []
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    dropped.append(output.get("text", ""))
                else:
                    kept.append(output)
            cell.outputs = kept
    return dropped


def render(nb, prev_page: str | None = None, next_page: str | None = None, title: str | None = None) -> str:
    """Render an executed notebook to one self-contained, script-free HTML page."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    _strip_stderr(nb)
    if title:
        nb.metadata["title"] = f"{title} · kliping"
    cfg = Config()
    cfg.TagRemovePreprocessor.remove_input_tags = HIDE_INPUT_TAGS
    cfg.TagRemovePreprocessor.remove_cell_tags = {"remove-cell"}
    cfg.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(config=cfg, template_name="lab", template_file=str(TEMPLATE_DIR / "kliping.html.j2"))
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.register_preprocessor(TagRemovePreprocessor(config=cfg), enabled=True)
    body, _ = exporter.from_notebook_node(
        nb, resources={"kliping_prev": prev_page, "kliping_next": next_page, "kliping_csp": CONTENT_SECURITY_POLICY}
    )
    return body


# --------------------------------------------------------------------------- index
#: The headline figures the index shows, in order, with the words it shows them with.
HEADLINE_FIGURES = {
    "n_articles": "articles read",
    "n_ok": "articles with usable text",
    "lines_in": "page lines with text",
    "lines_removed": "lines removed as noise",
    "n_topics": "topics found",
    "outliers": "articles far from every topic (topic -1)",
    "nmi": "NMI against the labels",
    "ari": "ARI against the labels",
}


def headline_figures(summary: dict) -> list[tuple[str, str]]:
    """The figures of a summary the index shows, as ``(value as shown, label)``, in :data:`HEADLINE_FIGURES` order.

    Examples
    --------
    >>> headline_figures({"nmi": 0.51234, "n_articles": 1234, "n_topics": None})
    [('1,234', 'articles read'), ('0.512', 'NMI against the labels')]
    """
    figures = []
    for key, label in HEADLINE_FIGURES.items():
        value = summary.get(key)
        if value is None:
            continue
        shown = f"{value:,.3f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else value
        figures.append((str(shown), label))
    return figures


def removed_by_kind(summary: dict) -> list[dict]:
    """The index's rows of lines removed per kind: most first, with the clean page's colour and a bar width in %.

    Examples
    --------
    >>> [(row["kind"], row["lines"], row["width"]) for row in removed_by_kind(
    ...     {"lines_removed_by_kind": {"read_also": 5, "promo": 20, "blank": 0}})]
    [('promo', 20, '100'), ('read also', 5, '25')]
    """
    from kliping.clean import KIND_COLOURS  # the clean page's colours, so the legend matches

    removed = {k: int(v) for k, v in (summary.get("lines_removed_by_kind") or {}).items() if int(v) > 0}
    most = max(removed.values(), default=1)
    return [
        {
            "kind": str(kind).replace("_", " "),
            "lines": n,
            "width": f"{100 * n / most:.0f}",
            "colour": KIND_COLOURS.get(kind, "#6b7280"),
        }
        for kind, n in sorted(removed.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def render_index(pages: list[dict], summary: dict, corpus: str) -> str:
    """The report's front page: introduction, headline figures, the pages in order, lines removed, topics.

    Rendered from ``templates/index.html.j2`` with autoescape on; it shares the Content-Security-Policy tag with
    the notebook pages (``templates/kliping_macros.html.j2``).

    Parameters
    ----------
    pages : list of dict
        ``file``, ``title`` and ``summary`` (Markdown) of every page, in order.
    summary : dict
        Headline figures written by the notebooks (:func:`update_summary`).
    corpus : str
        How to name the corpus to the reader.

    Examples
    --------
    >>> page = render_index([{"file": "01_load.html", "title": "01 · Load <b>", "summary": "Reads *all*."}],
    ...                     {"n_articles": 2, "topic_labels": ["banjir · <script>"]}, corpus="data/raw")
    >>> "01 · Load &lt;b&gt;" in page, "<em>all</em>" in page, "banjir · &lt;script&gt;" in page
    (True, True, True)
    """
    template = _index_environment().get_template("index.html.j2")
    return template.render(
        pages=pages,
        corpus=corpus,
        csp=CONTENT_SECURITY_POLICY,
        figures=headline_figures(summary),
        removed=removed_by_kind(summary),
        topics=[str(label) for label in summary.get("topic_labels") or []],
    )


def _index_environment():
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    # inline_markdown escapes the summary before it adds its own tags, so its output is safe as it stands.
    env.filters["inline_markdown"] = lambda text: Markup(inline_markdown(text))
    return env


# --------------------------------------------------------------------------- browser
def screenshot(page: Path, png: Path, width: int = 1200, height: int = 1400) -> bool:
    """Save a PNG of the top of a page with headless Chromium; False when that did not work."""
    browser = find_chromium()
    if browser is None:
        return False
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)  # an old screenshot must not pass for a new one
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={png}",
                Path(page).resolve().as_uri(),
            ],
            capture_output=True,
            timeout=120,
        )
    return png.exists() and png.stat().st_size > 0


# --------------------------------------------------------------------------- main
def _execute_all(paths: list[Path], env: dict, pages: list, executed: list) -> bool:
    """Execute the notebooks in order into ``executed`` (and their titles into ``pages``); True when one failed."""
    from nbclient.exceptions import CellExecutionError

    for number, path in enumerate(paths, start=1):
        started = time.perf_counter()
        print(f"[{number}/{len(paths)}] {path.name} ...", file=sys.stderr, flush=True)
        try:
            nb = execute(path, env=env)
        except CellExecutionError as error:
            lines = _ANSI.sub("", str(error)).strip().splitlines()
            print(f"kliping report: {path.name} failed:\n" + "\n".join(lines[-15:]), file=sys.stderr)
            return True
        dropped = _strip_stderr(nb)
        warnings = sorted({line.strip() for text in dropped for line in text.splitlines() if "Warning" in line})
        note = f"; {len(warnings)} warning(s) left out of the page: " + " | ".join(warnings)[:300] if warnings else ""
        print(f"      done in {time.perf_counter() - started:.0f} s{note}", file=sys.stderr)
        title, summary = notebook_title_and_summary(nb)
        pages.append({"file": path.with_suffix(".html").name, "title": title, "summary": summary})
        executed.append(nb)
    return False


def _write_pages(output_dir: Path, executed, pages, work, settings) -> None:
    """Every executed notebook as a page linked to its neighbours, then the index with the run's figures."""
    from kliping.base import atomic

    for i, (nb, page) in enumerate(zip(executed, pages)):
        prev_page = pages[i - 1]["file"] if i > 0 else None
        next_page = pages[i + 1]["file"] if i + 1 < len(pages) else None
        atomic.write_text(output_dir / page["file"], render(nb, prev_page, next_page, page["title"]))
    summary = work.load("summary")
    shown_corpus = config.shown(settings.path)
    if settings.is_embedded_sample:
        shown_corpus += (
            " (the embedded corpus: two scraped pages from kompas.com and inews.id and 3,235 CLICK-ID articles, "
            "William & Sari 2020, CC BY 4.0)"
        )
    atomic.write_text(output_dir / "index.html", render_index(pages, summary, shown_corpus))
    print(
        f"wrote {len(pages) + 1} pages to {config.shown(output_dir)}; open {config.shown(output_dir / 'index.html')}",
        file=sys.stderr,
    )


def _take_screenshots(output_dir: Path, pages, screenshot_dir: Path) -> None:
    """One screenshot per page with headless chromium, when it is installed."""
    if find_chromium() is None:
        print("no screenshots: chromium is not installed (`make browser` installs it)", file=sys.stderr)
    else:
        names = ["index.html"] + [page["file"] for page in pages]
        failed = [
            name
            for name in names
            if not screenshot(output_dir / name, screenshot_dir / Path(name).with_suffix(".png").name)
        ]
        where = config.shown(screenshot_dir)
        print(
            f"screenshots in {where}" + (f"; chromium failed on {', '.join(failed)}" if failed else ""),
            file=sys.stderr,
        )


def main(
    settings: config.RunSettings | None = None,
    notebooks_dir: Path | None = None,
    output_dir: Path | None = None,
    screenshot_dir: Path | str | None = "auto",
    work: Path | None = None,
) -> int:
    """Execute and render every numbered notebook, write the index and the screenshots; return an exit status.

    Parameters
    ----------
    settings : RunSettings, optional
        The run: corpus, fields, k, seed, method and the folder of its four output files. They reach the
        kernels as ``KLIPING_*`` variables (default: this process's environment, see
        :func:`kliping.config.run_settings`).
    notebooks_dir : Path, optional
        Folder of ``NN_*.ipynb`` (default ``notebooks/``).
    output_dir : Path, optional
        Where the pages go (default :func:`html_dir`).
    screenshot_dir : Path, "auto" or None
        Where the screenshots go; ``"auto"``: ``reports/screenshots`` for the embedded sample rendered to
        ``reports/html``, else ``<output_dir>/screenshots``; None: no screenshots.
    work : Path, optional
        The folder for work files (the store and the stem cache; default :func:`kliping.config.work_dir`).
    """
    from kliping import store

    settings = settings if settings is not None else config.run_settings()
    env = dict(os.environ) | config.settings_environ(settings)
    if work is not None:
        env["KLIPING_WORK_DIR"] = str(Path(work).resolve())
    notebooks_dir = Path(notebooks_dir or config.NOTEBOOKS_DIR)
    output_dir = Path(output_dir or html_dir(settings))
    if screenshot_dir == "auto":
        default_run = output_dir.resolve() == config.HTML_DIR.resolve() and settings.is_embedded_sample
        screenshot_dir = SCREENSHOT_DIR if default_run else output_dir / "screenshots"

    paths = notebook_paths(notebooks_dir)
    if not paths:
        print(f"kliping report: no numbered notebooks in {notebooks_dir}", file=sys.stderr)
        return 2
    output_dir.mkdir(parents=True, exist_ok=True)
    work = store.Store(config.work_dir(env) / "interim", settings)  # where the kernels' store is
    work.path("summary").unlink(missing_ok=True)  # figures of an earlier run must not leak into this one
    print(
        f"kliping report: corpus {config.shown(settings.path)}, outputs to {config.shown(settings.output_dir)}, "
        f"pages to {config.shown(output_dir)}",
        file=sys.stderr,
    )
    pages, executed = [], []
    with contextlib.ExitStack() as cluster:
        if settings.scheduler:
            from kliping.partitions import frames

            # One cluster for the whole report: every kernel connects to it (a LocalCluster per notebook would
            # start and stop workers five times).
            env["KLIPING_SCHEDULER"] = cluster.enter_context(frames.shared_cluster(settings.scheduler))
        failed = _execute_all(paths, env, pages, executed)
    if failed:
        return 1
    _write_pages(output_dir, executed, pages, work, settings)
    if screenshot_dir is not None:
        _take_screenshots(output_dir, pages, Path(screenshot_dir))
    return 0
