"""Every notebook tells its reader, in its opening cells, how to point it at their own corpus from JupyterLab."""

from __future__ import annotations

import re

import nbformat
import pytest

from kliping import config
from kliping.report import render as report


@pytest.mark.parametrize("path", report.notebook_paths(), ids=lambda p: p.name)
def test_the_opening_cells_say_how_to_use_another_corpus(path):
    nb = nbformat.read(path, as_version=4)
    opening = " ".join(cell.source for cell in nb.cells[:2] if cell.cell_type == "markdown")
    for needed in ("make lab CORPUS=", "KLIPING_CORPUS", "TEXT_FIELD=", "DATE_FIELD=", "before JupyterLab starts"):
        assert needed in opening, f"{path.name}: its opening cells do not mention {needed!r}"


def test_make_lab_passes_every_corpus_variable_to_jupyterlab():
    makefile = (config.RAW_DIR.parents[1] / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^lab:", makefile, flags=re.M), "no make lab"
    for field in ("TEXT", "TITLE", "ID", "LABEL", "DATE", "URL", "SITE"):
        assert f"export KLIPING_{field}_FIELD = $({field}_FIELD)" in makefile
