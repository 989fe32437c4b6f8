"""``kliping.xlsx`` of a run, written by a forked child while the run writes its other files
(:func:`kliping.outputs.write_set`): the same sheets, cells and cell types as the CSVs beside it, and a failure in
the child fails the run's set as a failure of the run itself would (the previous set stays whole).

The run is on 150 real articles of the embedded CLICK-ID shard.
"""

from __future__ import annotations

import errno
import os
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import embedded_records, write_jsonl
from test_one_pipeline import csv_cells, workbook_cells

from kliping import config, outputs, pipeline
from kliping.base import spreadsheet
from kliping.base.child_processes import ChildFailed, Forked


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("run")
    corpus = write_jsonl(folder / "berita.jsonl", embedded_records(0, 150))
    settings = config.RunSettings(path=corpus, label_field="category_coarse", k=4, seed=0, output_dir=folder / "out")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = pipeline.run(settings, progress=False)
    return result, settings


def files_of(folder) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_workbook_holds_the_csvs_cell_for_cell_with_their_types(run, tmp_path):
    result, settings = run
    outputs.write_outputs(result, tmp_path, settings)
    book = openpyxl.load_workbook(tmp_path / "kliping.xlsx")
    assert book.sheetnames == ["topics", "articles"]
    cells = workbook_cells(tmp_path / "kliping.xlsx")
    assert cells["articles"] == csv_cells(tmp_path / "assignments.csv")
    assert cells["topics"] == csv_cells(tmp_path / "topics.csv")
    articles = book["articles"]
    assert len(cells["articles"]) == 151 and articles.freeze_panes == "A2" and articles["A1"].font.b
    assert articles.auto_filter.ref == f"A1:{articles.cell(1, articles.max_column).column_letter}151"
    # Numbers are numbers and texts are texts, column by column, as the table holds them.
    table = result.assignments
    for number, column in enumerate(table.columns, start=1):
        kinds = {
            articles.cell(row, number).data_type
            for row in range(2, 152)
            if articles.cell(row, number).value is not None
        }
        expected = "n" if pd.api.types.is_numeric_dtype(table[column]) else "s"
        assert kinds <= {expected}, (column, kinds)
    read = pd.read_excel(tmp_path / "kliping.xlsx", sheet_name="articles", engine="openpyxl")
    assert read["id"].astype(str).tolist() == table["id"].astype(str).tolist()
    assert np.array_equal(read["topic"].to_numpy(), table["topic"].to_numpy())
    assert np.allclose(read["confidence"].to_numpy(), table["confidence"].to_numpy(), rtol=0, atol=0)


def test_a_failed_workbook_leaves_the_previous_set_whole(run, tmp_path, monkeypatch):
    result, settings = run
    outputs.write_outputs(result, tmp_path, settings)
    before = files_of(tmp_path)

    def disk_full(path, sheets):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(spreadsheet, "write_workbook", disk_full)  # the child is forked: it writes with this
    with pytest.raises(OSError, match="No space left on device") as raised:
        outputs.write_outputs(result, tmp_path, settings)
    assert raised.value.errno == errno.ENOSPC  # the child's error as it was: the CLI says it in one line
    assert files_of(tmp_path) == before
    assert not list(tmp_path.glob(".kliping-new-*"))


def test_a_child_killed_before_it_could_say_fails_the_call():
    def killed():
        os._exit(3)

    with pytest.raises(ChildFailed, match="exit code 3"):
        Forked(killed).join()
