"""The HTML report: article text is escaped everywhere, and the rendered pages open cleanly in a real browser.

The fast tests feed hostile article text (``<script>`` and ``<img onerror>`` lines, as a scraper can leave them in
a page) through every path that turns text into HTML. The end-to-end test renders the report on the two seed pages
plus such a page and opens every page in headless Chromium (Debian's ``chromium``; ``make browser`` installs it):
the page loads, no injected script ran, the markup reads as text, the figures are there, and nothing is fetched
from the network. Without Chromium it skips, except under CI (``CI=true``), where that is a failure.

Injected script is detected in the DOM Chromium dumps after the page has loaded: the payload would set the
document title and a ``data-pwned`` attribute on the body. A control page that does run the payload proves the
detector sees it.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import skip_or_fail

from kliping import config
from kliping.report import notebooks as kernels
from kliping.report import plots, views
from kliping.report import render as report

SCRIPT = "<script>document.title='PWNED'</script>"
ONERROR = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"

#: A flood report whose scrape kept markup as text: in the title, a caption and a body line.
HOSTILE_PAGE = f"""\
Banjir Rob Rendam Pesisir Jakarta Utara {SCRIPT}

Kompas.com - 12/11/2020, 08:15 WIB
{ONERROR}Warga menyelamatkan barang dari rumah yang terendam banjir rob di Muara Angke. KOMPAS.com/Dian Sari

JAKARTA, KOMPAS.com - Banjir rob kembali merendam permukiman warga di pesisir utara Jakarta pada Kamis (12/11/2020) pagi, setelah air laut pasang melampaui tanggul di Muara Angke dan Kamal Muara.

Kepala Pelaksana BPBD DKI Jakarta mengatakan ketinggian air di sejumlah RT mencapai 40 hingga 60 sentimeter, dan sebagian warga memilih mengungsi ke masjid serta balai warga terdekat.

{SCRIPT} Petugas gabungan menurunkan pompa air portabel dan perahu karet untuk membantu warga lanjut usia dan anak-anak keluar dari rumah yang terendam.

Menurut BMKG, pasang maksimum air laut masih akan terjadi hingga akhir pekan, sehingga warga pesisir diminta waspada dan mengamankan barang berharga serta dokumen penting.

Pemerintah Provinsi DKI Jakarta menyatakan perbaikan tanggul pantai yang jebol akan dikebut bersama Kementerian PUPR agar rob tidak kembali meluas ke jalan utama.

Baca juga: Rob di Pantai Utara Jawa, Ribuan Rumah Terendam

Halaman:
1
2

Tulis komentar dengan menyertakan tagar #JernihBerkomentar di kolom komentar artikel Kompas.com.
Berita Terkini
"""

TAGS_WITH_NETWORK_ATTRIBUTES = {"src", "srcset", "poster", "data", "action", "formaction", "background"}


# --------------------------------------------------------------------------- helpers
class Page(HTMLParser):
    """What a page is made of: elements with their attributes, its visible text and its inline CSS."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.text_parts: list[str] = []
        self.css: list[str] = []
        self._skip = 0
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if "style" in attributes:
            self.css.append(attributes["style"])
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self._skip:
            self.css.append(data)
        else:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)

    def tags(self) -> set[str]:
        return {tag for tag, _ in self.elements}

    def event_handlers(self) -> list[tuple[str, str]]:
        return [(tag, name) for tag, attributes in self.elements for name in attributes if name.startswith("on")]

    def network_references(self) -> list[str]:
        """Everything the page would fetch that is not inline ``data:``; links to follow (``<a href>``) are not."""
        found = []
        for tag, attributes in self.elements:
            for name, value in attributes.items():
                fetched = name in TAGS_WITH_NETWORK_ATTRIBUTES or (name == "href" and tag in ("link", "base"))
                if fetched and value.strip() and not value.strip().startswith("data:"):
                    found.append(f"<{tag} {name}={value[:80]}>")
        for css in self.css:
            found += [
                f"url({u[:80]})"
                for u in re.findall(r"url\(\s*['\"]?([^'\")]*)", css)
                if not u.strip().startswith("data:")
            ]
            found += [f"@import {i[:80]}" for i in re.findall(r"@import\s+([^;]+)", css)]
        return found


def assert_no_live_markup(markup: str, allowed_tags: set[str]) -> Page:
    """The hostile text is there, as text; no element or handler came from it."""
    page = Page(markup)
    assert page.tags() <= allowed_tags, page.tags() - allowed_tags
    assert page.event_handlers() == []
    assert "script" not in page.tags()
    return page


def require_chromium() -> str:
    browser = report.find_chromium()
    if browser is None:
        skip_or_fail("chromium is not installed (`make browser` installs Debian's chromium)")
    return browser


def dump_dom(browser: str, page: Path, profile: Path) -> str:
    """The page's DOM after it has loaded and its scripts (if any) have run, from headless Chromium."""
    result = subprocess.run(
        [browser, *report.CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "<body" in result.stdout, f"{page.name} did not load: {result.stderr[-2000:]}"
    return result.stdout


def script_ran(dom: str) -> bool:
    """Whether the payload of :data:`SCRIPT` or :data:`ONERROR` ran: it leaves these marks in the DOM."""
    title = re.search(r"<title>(.*?)</title>", dom, re.S)
    body = re.search(r"<body[^>]*>", dom)
    return bool((title and "PWNED" in title.group(1)) or (body and "data-pwned" in body.group(0)))


#: Appended to a copy of a page (without its policy, which would block it): lists every image once loaded.
PROBE = """<script>window.addEventListener('load', function () {
  var images = Array.from(document.images).map(function (i) { return [i.naturalWidth, i.naturalHeight]; });
  document.body.setAttribute('data-probe', JSON.stringify(images));
});</script>"""


def probe_images(browser: str, page: Path, profile: Path) -> tuple[list, str]:
    """Chromium's view of a page's images, ``[[width, height], ...]``, and the DOM, for a copy without the CSP.

    Without the policy only escaping stands between article text and the browser, so the same DOM also shows
    whether escaping alone keeps the payload inert.
    """
    source = page.read_text(encoding="utf-8")
    without_policy = re.sub(r"<meta[^>]*Content-Security-Policy[^>]*>", "", source)
    assert without_policy != source, f"{page.name} has no Content-Security-Policy"
    copy = page.with_name(f"probe-{page.name}")
    copy.write_text(without_policy.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    try:
        dom = dump_dom(browser, copy, profile)
    finally:
        copy.unlink()
    found = re.search(r"data-probe=\"([^\"]*)\"", dom)
    assert found, f"the image probe did not run on {page.name}"
    return json.loads(html.unescape(found.group(1))), dom


# --------------------------------------------------------------------------- fast: every HTML path escapes
def test_escape_turns_markup_into_text():
    for hostile in (SCRIPT, ONERROR, '" onmouseover="alert(1)', "' onfocus='alert(1)"):
        escaped = views.escape(hostile)
        assert not set("<>\"'") & set(escaped)
        assert html.unescape(escaped) == hostile
    assert views.escape(None) == "" and views.escape(float("nan")) == ""


def test_page_lines_show_hostile_lines_as_text():
    lines = HOSTILE_PAGE.splitlines()
    kinds = ["body" if len(line) > 120 else "other" for line in lines]
    markup = views.page_lines_html(HOSTILE_PAGE, kinds, title=f"Banjir {SCRIPT}", max_chars=400)
    page = assert_no_live_markup(markup, {"div", "span", "table", "tr", "td"})
    assert page.text.count(SCRIPT) == 3  # the title given, the title line and a body line
    assert ONERROR in page.text


def test_page_lines_cut_long_lines_without_breaking_an_entity():
    line = "Banjir " * 20 + SCRIPT
    markup = views.page_lines_html(line, ["body"], max_chars=len(line) - 5)
    page = assert_no_live_markup(markup, {"div", "span", "table", "tr", "td"})
    assert "<script>document.title='PW" in page.text


def test_topic_cards_show_hostile_titles_labels_and_sites_as_text():
    topics = pd.DataFrame(
        [
            {
                "topic": 0,
                "size": 3,
                "label": f"banjir · {SCRIPT}",
                "top_terms": f"banjir, rob, {ONERROR}",
                "distinctive_terms": f"rob, {SCRIPT}",
                "representatives": [f"Banjir Rob {SCRIPT}", ONERROR],
                "representative_sites": [f"kompas.com{ONERROR}", None],
                "site_mix": f"kompas.com 100% {SCRIPT}",
            }
        ]
    )
    page = assert_no_live_markup(views.topic_cards_html(topics), {"div", "span", "b", "ul", "li"})
    assert page.text.count(SCRIPT) == 4
    assert page.text.count(ONERROR) == 3


def test_index_shows_hostile_titles_summaries_labels_and_kinds_as_text():
    pages = [{"file": "01_load.html", "title": f"01 · Load {SCRIPT}", "summary": f"Reads *every* item {ONERROR}."}]
    summary = {
        "n_articles": 3,
        "n_topics": 2,
        "lines_removed_by_kind": {f"promo{SCRIPT}": 4},
        "topic_labels": [f"banjir · {ONERROR}", "gencatan · senjata"],
    }
    markup = report.render_index(pages, summary, corpus=f"corpus/{SCRIPT}")
    page = Page(markup)
    assert "script" not in page.tags() and page.event_handlers() == []
    assert page.text.count(SCRIPT) == 4  # corpus, page title (listed, and named by the topics), kind of line
    assert page.text.count(ONERROR) == 2
    assert ("em", {}) in page.elements  # the summary's Markdown is rendered, after escaping
    assert report.CONTENT_SECURITY_POLICY in markup
    assert page.network_references() == []


def test_index_without_figures_shows_the_pages_only():
    """An early run (no notebook wrote a figure yet) still gets a front page: no empty sections."""
    page = Page(report.render_index([{"file": "01_load.html", "title": "01 · Load", "summary": ""}], {}, "data/raw"))
    assert "Lines removed" not in page.text and "Topics found" not in page.text
    assert [a["href"] for tag, a in page.elements if tag == "a"] == ["01_load.html"]


def test_rendered_notebook_escapes_outputs_drops_stderr_and_fetches_nothing():
    """A notebook whose outputs carry hostile text, as the libraries produce them, rendered by the report."""
    frame = pd.DataFrame({"title": [f"Banjir {SCRIPT}"], "text": [ONERROR]})
    with pd.option_context("display.max_colwidth", None):  # whole cells, so the count below holds
        table = frame._repr_html_()
    png = io.BytesIO()
    plots.plt.figure(figsize=(2, 1)).savefig(png, format="png")
    plots.plt.close("all")
    v4 = nbformat.v4
    nb = v4.new_notebook(
        cells=[
            v4.new_markdown_cell("# 09 · Hostile page\n\nText from the web."),
            v4.new_code_cell(
                "print(title)",
                outputs=[
                    v4.new_output("stream", name="stdout", text=f"{SCRIPT}\n{ONERROR}\n"),
                    v4.new_output("stream", name="stderr", text="UserWarning: something the reader need not see\n"),
                ],
            ),
            v4.new_code_cell(
                "frame",
                outputs=[
                    v4.new_output(
                        "execute_result", data={"text/html": table, "text/plain": repr(frame)}, execution_count=1
                    )
                ],
            ),
            v4.new_code_cell(
                "HTML(views.page_lines_html(...))",
                metadata={"tags": ["hide-input"]},
                outputs=[
                    v4.new_output(
                        "display_data",
                        data={
                            "text/html": views.page_lines_html(SCRIPT, ["other"]),
                            "image/png": base64.b64encode(png.getvalue()).decode(),
                        },
                    )
                ],
            ),
            v4.new_code_cell("views.preview(...)", metadata={"tags": ["collapse-input"]}),
        ]
    )
    markup = report.render(nb, prev_page="08_before.html", title="09 · Hostile page")
    page = Page(markup)
    assert "script" not in page.tags() and page.event_handlers() == []
    assert page.text.count(SCRIPT) >= 3 and page.text.count(ONERROR) >= 2
    assert "UserWarning" not in page.text
    assert "HTML(views.page_lines_html" not in page.text  # hide-input: the code is not shown
    assert ("details", {"class": "kliping-code"}) in page.elements  # collapse-input: folded, not gone
    assert page.network_references() == []
    assert f'content="{report.CONTENT_SECURITY_POLICY}"' in markup
    assert "<title>09 · Hostile page · kliping</title>" in markup


def test_a_notebook_runs_without_a_warning_in_the_log(tmp_path, capfd):
    """The kernel talks over IPC: ipykernel's "running over TCP without encryption" is not in the report's log."""
    path = tmp_path / "01_tiny.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os\nos.getcwd()")]), path)
    nb = kernels.execute(path)
    assert nb.cells[0].outputs[0]["data"]["text/plain"] == repr(str(tmp_path))  # ran, in the notebook's folder
    log = capfd.readouterr().err  # the kernel writes its log to the stderr it inherits from us
    assert "without encryption" not in log and "WARNING" not in log, log


@pytest.mark.parametrize("path", report.notebook_paths(), ids=lambda p: p.stem)
def test_every_notebook_opens_with_a_title_and_whole_sentences(path):
    title, summary = report.notebook_title_and_summary(nbformat.read(path, as_version=4))
    assert title.startswith(path.name[:2])
    assert len(summary) >= 40 and summary.endswith((".", "!", "?", ")")), summary


# --------------------------------------------------------------------------- browser
def test_the_browser_check_sees_a_script_that_runs_and_the_policy_stops_it(tmp_path):
    """The detector is real: unescaped payload runs in a plain page, and does not under the report's policy."""
    browser = require_chromium()
    head = "<!DOCTYPE html><html><head><meta charset='utf-8'>{policy}<title>ok</title></head>"
    body = f"<body><p>Banjir rob</p>{SCRIPT}{ONERROR}</body></html>"
    plain = tmp_path / "plain.html"
    plain.write_text(head.format(policy="") + body, encoding="utf-8")
    guarded = tmp_path / "guarded.html"
    guarded.write_text(
        head.format(policy=f'<meta http-equiv="Content-Security-Policy" content="{report.CONTENT_SECURITY_POLICY}">')
        + body,
        encoding="utf-8",
    )
    assert script_ran(dump_dom(browser, plain, tmp_path / "profile"))
    assert not script_ran(dump_dom(browser, guarded, tmp_path / "profile"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The report on the two seed pages plus a hostile page, rendered into a temporary folder."""
    browser = require_chromium()
    root = tmp_path_factory.mktemp("report")
    corpus = root / "corpus"
    corpus.mkdir()
    for seed in sorted(config.RAW_DIR.glob("*.txt")):
        shutil.copy(seed, corpus / seed.name)
    # Sorts between the seeds, so the clean page's line-by-line view (the first pages) includes it.
    (corpus / "001_banjir_rob_hostile.txt").write_text(HOSTILE_PAGE, encoding="utf-8")
    settings = config.RunSettings(corpus, output_dir=root / "out")
    status = report.main(settings, output_dir=root / "html", screenshot_dir=root / "screenshots", work=root / "work")
    assert status == 0, "make report failed on the hostile corpus (its error is printed above)"
    return {"browser": browser, "root": root, "html": root / "html", "profile": root / "profile"}


NOTEBOOK_PAGES = [p.with_suffix(".html").name for p in report.notebook_paths()]
PAGES = ["index.html", *NOTEBOOK_PAGES]


@pytest.mark.parametrize("name", PAGES)
def test_page_opens_cleanly_in_chromium(rendered, name):
    page = rendered["html"] / name
    source = page.read_text(encoding="utf-8")
    dom = dump_dom(rendered["browser"], page, rendered["profile"])
    seen = Page(dom)
    assert not script_ran(dom), f"injected script ran in {name}"
    assert "script" not in seen.tags() and seen.event_handlers() == [], "article markup became live elements"
    assert seen.text.strip() and "h1" in seen.tags()
    assert not re.search(r"Traceback \(most recent call last\)|\b\w+Warning:", seen.text), "warning or traceback"
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in source
    assert Page(source).network_references() == [], "the page would fetch from the network"

    images, unguarded = probe_images(rendered["browser"], page, rendered["profile"])
    assert not script_ran(unguarded), f"escaping alone does not hold in {name}: the policy was all that stopped it"
    assert all(width > 0 and height > 0 for width, height in images), f"a broken image in {name}: {images}"
    if name != "index.html":
        notebook = nbformat.read(config.NOTEBOOKS_DIR / Path(name).with_suffix(".ipynb").name, as_version=4)
        hidden = [cell.source for cell in notebook.cells if "hide-input" in cell.metadata.get("tags", [])]
        if any("plots.plot_" in source for source in hidden):
            assert images, f"{name} draws figures, but the page shows none"


def test_hostile_markup_reads_as_text(rendered):
    texts = {
        name: Page(dump_dom(rendered["browser"], rendered["html"] / name, rendered["profile"])).text
        for name in NOTEBOOK_PAGES
    }
    clean_page = next(name for name in NOTEBOOK_PAGES if "clean" in name)
    assert SCRIPT in texts[clean_page] and ONERROR in texts[clean_page], "the line-by-line view lost the hostile page"
    showing = [name for name, text in texts.items() if SCRIPT in text]
    assert len(showing) >= 2, f"the hostile title is shown on {showing} only"


def test_index_links_every_page_in_order_with_the_headline_figures(rendered):
    index = Page((rendered["html"] / "index.html").read_text(encoding="utf-8"))
    links = [attributes["href"] for tag, attributes in index.elements if tag == "a" and "href" in attributes]
    assert [link for link in links if link in NOTEBOOK_PAGES][: len(NOTEBOOK_PAGES)] == NOTEBOOK_PAGES  # the list
    assert re.search(r"3\s*articles read", index.text)
    assert "topics found" in index.text and "Lines removed, by kind" in index.text


def test_screenshot_of_every_page(rendered):
    from PIL import Image

    for name in PAGES:
        png = rendered["root"] / "screenshots" / Path(name).with_suffix(".png").name
        assert png.exists(), f"no screenshot of {name}"
        with Image.open(png) as image:
            assert image.size == (1200, 1400)
            low, high = image.convert("L").getextrema()
            assert high - low > 100, f"the screenshot of {name} is blank"
