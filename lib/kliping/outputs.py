"""A run's output files, written by one writer for the in-process run and the Dask run alike.

``assignments.csv``, ``topics.csv``, both as the sheets of ``kliping.xlsx`` (:func:`write_run_workbook`),
``metrics.json``, ``articles.parquet`` and the topic model in ``model/`` (:func:`write_outputs`). The Dask run
writes ``articles/`` and ``assignments/`` as parquet partitions instead of one table: each partition's rows go
through :func:`kliping.pipeline.article_table` on a worker (the same columns, rounding and topic labels as
``articles.parquet`` of an in-process run) and are written atomically (:func:`write_part`); the client then writes
``assignments.csv`` and ``kliping.xlsx`` from the partitions in corpus order while they stay under
:data:`CSV_MAX_ROWS` rows, and ``topics.csv``, ``model/`` and ``metrics.json`` with :func:`write_run_files`, the
very function :func:`write_outputs` ends with.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

from kliping import config
from kliping.base import locks
from kliping.base.articles import ASSIGNMENT_COLUMNS
from kliping.base.atomic import atomic_path, csv_safe, write_json, write_parquet
from kliping.base.child_processes import Forked
from kliping.base.safety import OutputPathError, printable
from kliping.store import stamp

#: The files a run leaves in its output folder (``kliping run -o DIR`` and ``make report OUT=DIR`` alike); the
#: topic model folder ``model/`` (``kliping assign`` places new articles with it, see
#: :mod:`kliping.topics.modelfiles`) is there when the run kept one.
OUTPUT_FILES = (
    "assignments.csv",
    "topics.csv",
    "topics_over_time.csv",
    "kliping.xlsx",
    "metrics.json",
    "articles.parquet",
    "model",
)
#: Every topic's articles per day, week or month (:mod:`kliping.topics.timeline`).
OVER_TIME_FILE = "topics_over_time.csv"
#: The workbook with the topics and the articles as sheets, for Excel.
WORKBOOK_NAME = "kliping.xlsx"
#: Columns of topics.csv that hold lists, written as "a | b | c".
_LIST_SEPARATOR = " | "
#: ``assignments.csv`` is written while the corpus has fewer rows; above, ``assignments/`` alone holds them.
CSV_MAX_ROWS = 1_000_000
#: The partition folders of a distributed run's output.
ARTICLES_DIR, ASSIGNMENTS_DIR = "articles", "assignments"


def new_run_id() -> str:
    """A unique id for one run's set of output files (in ``metrics.json`` and ``articles.parquet``)."""
    return uuid.uuid4().hex[:12]


def topics_table(topics: pd.DataFrame) -> pd.DataFrame:
    """The topics as ``topics.csv`` holds them: list cells joined with ``" | "``, plain strings throughout."""
    topics = topics.copy()
    for column in topics.columns:
        if topics[column].map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any():
            topics[column] = topics[column].map(lambda items: _LIST_SEPARATOR.join(map(str, items)))
    return topics


def part_name(number: int) -> str:
    return f"part-{number:05d}.parquet"


def part_table(clean_path, tfidf_path, assigned, topics, languages=None, originals=None) -> pd.DataFrame:
    """The output rows of one partition (:func:`kliping.pipeline.article_table`); ``assigned`` holds the topic (-1
    for an outlier), confidence and reason of each usable article, ``originals`` the place of the originals of its
    copies that are in other partitions."""
    # The function from its own module: ``kliping.pipeline`` imports scikit-learn and scipy.stats, which a Dask
    # worker writing its rows never uses (1.1 s CPU per worker quiet, 2-5 s at load 5; the 22k's write stage).
    from kliping.topics.table import article_table

    cleaned = pd.read_parquet(clean_path)
    with np.load(tfidf_path, allow_pickle=False) as data:
        where = data["rows"]
        stemmed = data["stemmed"] if "stemmed" in data.files else where  # a work file of an earlier version
    usable = np.zeros(len(cleaned), dtype=bool)
    usable[where] = True
    has_stems = np.zeros(len(cleaned), dtype=bool)
    has_stems[stemmed] = True
    topic, confidence, reasons = np.asarray(assigned[0]), np.asarray(assigned[1]), assigned[2]
    languages = languages or config.DEFAULT_LANGUAGES
    return article_table(cleaned, usable, topic, confidence, reasons, topics, has_stems, languages, originals)


def placed_originals(clean_path, tfidf_path, assigned, wanted, topics, languages=None) -> dict:
    """Where the partition's articles among ``wanted`` (originals of copies in other partitions) were placed:
    ``{id: (topic, confidence, reason)}`` (:func:`kliping.base.articles.placed_as`)."""
    from kliping.base.articles import placed_as

    return placed_as(part_table(clean_path, tfidf_path, assigned, topics, languages), wanted)


def write_part(
    clean_path,
    tfidf_path,
    assigned,
    articles_out,
    assignments_out,
    topics,
    run_id,
    made,
    languages=None,
    originals=None,
):
    """The output rows of one partition (:func:`part_table`), to its two parquet files."""
    table = part_table(clean_path, tfidf_path, assigned, topics, languages, originals)
    table = table.assign(run_id=run_id)
    for column in table.columns[table.isna().all().to_numpy()]:
        # Empty here, typed elsewhere (a label column of pages without labels beside table rows with them):
        # null, which unify_parts can type as the other partitions have it.
        table[column] = pd.Series([None] * len(table), index=table.index, dtype=object)
    write_parquet(table, Path(articles_out), {**made, "run_id": run_id})
    write_parquet(table[ASSIGNMENT_COLUMNS], Path(assignments_out), {"run_id": run_id})
    return len(table)


def unify_parts(paths: list[Path]) -> int:
    """Give every partition of a table the same schema (a column all null in one partition is typed as in the
    others, an integer column with gaps in another becomes float), so ``pd.read_parquet(folder)`` reads them as
    one table; the number of partitions rewritten."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schemas = [pq.read_schema(path) for path in paths]
    unified = pa.unify_schemas(schemas, promote_options="permissive").remove_metadata()
    rewritten = 0
    for path, schema in zip(paths, schemas):
        if schema.remove_metadata().equals(unified):
            continue
        table = pq.read_table(path)
        table = table.select(unified.names).cast(unified.with_metadata(schema.metadata))
        with atomic_path(path) as tmp:
            pq.write_table(table, tmp)
        rewritten += 1
    return rewritten


def clear_stale_parts(folder: Path, keep: set[str]) -> None:
    """Remove partition files of an earlier run that this run did not write (it had more partitions)."""
    if folder.is_dir():
        for path in folder.glob("part-*.parquet"):
            if path.name not in keep:
                path.unlink()


def write_assignments_csv(parts: list[Path], path: Path) -> bool:
    """``assignments.csv`` from the partitions, in order, with the in-process file's format; False when the
    corpus has :data:`CSV_MAX_ROWS` rows or more (then no file is written)."""
    import pyarrow.parquet as pq

    if sum(pq.ParquetFile(p).metadata.num_rows for p in parts) >= CSV_MAX_ROWS:
        path.unlink(missing_ok=True)
        return False
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as handle:
        for number, part in enumerate(parts):
            frame = pd.read_parquet(part)
            csv_safe(frame).to_csv(handle, index=False, header=number == 0)
    return True


def remove_model(folder: Path) -> None:
    """Delete a model folder kliping wrote (it holds ``model.json``); anything else is left alone."""
    import shutil

    from kliping.topics import modelfiles

    if (folder / modelfiles.META_FILE).is_file():
        shutil.rmtree(folder)


def write_run_workbook(output_dir, topics: pd.DataFrame, assignments) -> Path | None:
    """A run's ``kliping.xlsx``: the ``topics`` sheet (the columns of ``topics.csv``) and the ``articles`` sheet
    (those of ``assignments.csv``: a table, or its partitions in order); none when the articles outgrow a sheet."""
    from kliping.base import spreadsheet

    sheets = {"topics": topics_table(topics), "articles": assignments}
    return spreadsheet.write_workbook(Path(output_dir) / WORKBOOK_NAME, sheets)


def write_workbook(parts: list[Path], topics: pd.DataFrame, output_dir: Path) -> bool:
    """``kliping.xlsx`` from the assignment partitions, in order, as :func:`write_run_workbook` writes it in process;
    False (and no file) when the corpus has :data:`CSV_MAX_ROWS` rows or more."""
    import pyarrow.parquet as pq

    if sum(pq.ParquetFile(p).metadata.num_rows for p in parts) >= CSV_MAX_ROWS:
        (output_dir / WORKBOOK_NAME).unlink(missing_ok=True)
        return False
    # One partition in memory at a time, as assignments.csv is written.
    return write_run_workbook(output_dir, topics, (pd.read_parquet(part) for part in parts)) is not None


def write_run_files(output_dir: Path, topics: pd.DataFrame, model, metrics: dict, run_id: str, settings, made) -> None:
    """``topics.csv``, the model in ``model/`` (when there is one) and, last, ``metrics.json`` with the run id and,
    when known, the settings and the corpus's fingerprint."""
    from kliping.topics import modelfiles

    with atomic_path(output_dir / "topics.csv") as tmp:
        csv_safe(topics_table(topics)).to_csv(tmp, index=False)
    if model is not None:
        modelfiles.save_model(model, output_dir / modelfiles.MODEL_DIR, run_id)
    else:
        remove_model(output_dir / modelfiles.MODEL_DIR)  # an earlier run's model is not this run's
    metrics = {**metrics, "run_id": run_id}
    if settings is not None:
        metrics["settings"] = settings.as_dict()
        metrics["corpus_fingerprint"] = made["corpus_fingerprint"]
    write_json(output_dir / "metrics.json", metrics)


def foreign_files(output_dir) -> list[str]:
    """The run-file names in ``output_dir`` that kliping did not write: there are some, but no ``metrics.json``
    with a run id beside them (a user's own ``assignments.csv``, say).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "assignments.csv").write_text("id,topik")
    >>> foreign_files(folder)
    ['assignments.csv']
    """
    output_dir = Path(output_dir)
    present = [name for name in OUTPUT_FILES if os.path.lexists(output_dir / name)]
    if not present:
        return []
    try:
        stamped = "run_id" in json.loads((output_dir / "metrics.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        stamped = False
    return [] if stamped else present


def check_run_folder(output_dir, inputs=()) -> Path:
    """Refuse (one line, before any work) an output folder that is not one, holds an input of the run, or holds
    run-file names kliping did not write (:func:`foreign_files`), which it would otherwise replace unasked."""
    from kliping.base.safety import check_output

    output_dir = check_output(output_dir, inputs, folder=True, names=OUTPUT_FILES + (ARTICLES_DIR, ASSIGNMENTS_DIR))
    foreign = foreign_files(output_dir)
    if foreign:
        raise OutputPathError(
            f"output folder {printable(output_dir)} holds {', '.join(foreign)} that no kliping run wrote (no "
            "metrics.json with a run id): move them away or choose another -o"
        )
    return output_dir


def swap_in(staging: Path, output_dir: Path) -> None:
    """Move every entry of ``staging`` into ``output_dir`` (a folder such as ``model/`` replaces the old one), take
    out the run files of an earlier run that this one has not (its model, say), then remove ``staging``. Renames
    within one file system only: nothing is written here, so a full disk cannot stop it halfway (the writing,
    which can fail, happened in ``staging``)."""
    old = staging / ".old"
    old.mkdir()
    # metrics.json, the set's "done" mark, goes in last.
    entries = sorted((p for p in staging.iterdir() if p != old), key=lambda p: (p.name == "metrics.json", p.name))
    for entry in entries:
        target = output_dir / entry.name
        if entry.is_dir() and target.is_dir() and not target.is_symlink():
            os.replace(target, old / entry.name)  # a folder cannot be renamed over a full one
        os.replace(entry, target)
    # A run file this run did not write (no model, no workbook for too many rows) is an earlier run's: it goes.
    for name in set(OUTPUT_FILES + (ARTICLES_DIR, ASSIGNMENTS_DIR)) - {entry.name for entry in entries}:
        if os.path.lexists(output_dir / name):
            os.replace(output_dir / name, old / name)
    shutil.rmtree(staging, ignore_errors=True)


def write_outputs(result, output_dir, settings: config.RunSettings | None = None) -> Path:
    """Write a run's files into ``output_dir``: ``assignments.csv``, ``topics.csv``, ``topics_over_time.csv``,
    ``kliping.xlsx``, ``metrics.json``, ``articles.parquet`` and, when the run kept one, the topic model in
    ``model/``. The parquet table, the model and ``metrics.json`` carry one run id; ``metrics.json`` is written last
    and names the run's settings.

    The set is written whole into a new folder inside ``output_dir`` first and swapped in only when every file is
    written: a failed write (a full disk) leaves the previous run's set whole, never one run's model beside
    another's table.

    Returns the output folder.
    """
    output_dir = Path(output_dir)
    # Two runs writing into one folder take turns: the folder's lock keeps the set whole (one run's files and
    # run id), never A's assignments beside B's topics.
    with locks.hold(output_dir, name=locks.OUTPUTS_LOCK_NAME):
        made = stamp(settings, ("k", "seed", "method")) if settings is not None else {}
        period = settings.period if settings is not None else None
        write_set(result, output_dir, settings, made, period)
    return output_dir


def write_set(result, output_dir: Path, settings, made: dict, period: str | None = None) -> str:
    """The run's set of files written into a staging folder, then swapped in (:func:`swap_in`); its run id. The
    caller holds the folder's lock."""
    from kliping import pipeline

    run_id = new_run_id()
    with staged(output_dir, run_id) as staging:
        assignments = result.assignments
        # The workbook is openpyxl's work per cell (2.1-3.0 s CPU for the 22k's 155k cells; XlsxWriter took
        # 1.7-2.1 s): a forked child writes it while this process writes the other files (1-1.5 s on the 22k).
        workbook = Forked(write_run_workbook, staging, result.topics, assignments)
        try:
            articles = result.articles.assign(run_id=run_id)
            write_parquet(articles, staging / "articles.parquet", {**made, "run_id": run_id})
            with atomic_path(staging / "assignments.csv") as tmp:
                csv_safe(assignments).to_csv(tmp, index=False)
            over_time = pipeline.topics_over_time(result, period or result.metrics.get("period"))
            with atomic_path(staging / OVER_TIME_FILE) as tmp:
                over_time.to_csv(tmp, index=False)
            metrics = {**result.metrics, "period": over_time.attrs.get("period", period)}
            write_run_files(staging, result.topics, result.model, metrics, run_id, settings, made)
        except BaseException:
            with contextlib.suppress(Exception):  # this process's error is the one to tell
                workbook.join()
            raise
        workbook.join()
    return run_id


def pq_rows(path: Path) -> int:
    """The rows of a parquet file, from its footer."""
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def write_parts_set(result, output_dir: Path, made: dict, sizes: list[int]) -> str:
    """A Dask run's set of files written again from one table (an edited run): ``articles/`` and ``assignments/``
    partitions of the given sizes, in order, then the tables and ``metrics.json`` as the Dask run writes them, into a
    staging folder swapped in whole; its run id. The caller holds the folder's lock."""
    run_id = new_run_id()
    with staged(output_dir, run_id) as staging:
        names = [part_name(number) for number in range(len(sizes))]
        for folder in (ARTICLES_DIR, ASSIGNMENTS_DIR):
            (staging / folder).mkdir()
        bounds = np.cumsum([0, *sizes]).tolist()
        articles = result.articles.assign(run_id=run_id)
        for name, start, stop in zip(names, bounds, bounds[1:]):
            table = articles.iloc[start:stop]
            write_parquet(table, staging / ARTICLES_DIR / name, {**made, "run_id": run_id})
            write_parquet(table[ASSIGNMENT_COLUMNS], staging / ASSIGNMENTS_DIR / name, {"run_id": run_id})
        for folder in (ARTICLES_DIR, ASSIGNMENTS_DIR):
            unify_parts([staging / folder / name for name in names])
        assignment_parts = [staging / ASSIGNMENTS_DIR / name for name in names]
        write_assignments_csv(assignment_parts, staging / "assignments.csv")
        write_workbook(assignment_parts, result.topics, staging)
        period = write_over_time([staging / ARTICLES_DIR / n for n in names], staging, result.metrics.get("period"))
        write_run_files(staging, result.topics, result.model, {**result.metrics, "period": period}, run_id, None, made)
    return run_id


@contextlib.contextmanager
def staged(output_dir: Path, run_id: str):
    """A new folder inside ``output_dir`` to write one run's set into, swapped in (:func:`swap_in`) when the block
    ends well and removed when it fails, leaving the previous set whole: the single-machine and the Dask run's
    one way to replace a set (the Dask run wrote its parts and tables straight into ``-o`` before)."""
    staging = Path(output_dir) / f".kliping-new-{run_id}"
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(staging, Path(output_dir))


def write_over_time(parts: list[Path], output_dir: Path, period: str | None = None) -> str:
    """``topics_over_time.csv`` of a Dask run, from the topic and date of every row of its article partitions;
    the period counted in."""
    from kliping.topics.timeline import topics_over_time

    columns = ["topic", "published"]
    rows = pd.concat([pd.read_parquet(p, columns=columns) for p in parts]) if parts else pd.DataFrame(columns=columns)
    table = topics_over_time(rows["published"], rows["topic"].to_numpy(), period)
    with atomic_path(output_dir / OVER_TIME_FILE) as tmp:
        table.to_csv(tmp, index=False)
    return table.attrs.get("period", period)


def with_fitted_articles(model, parts: list[Path], signatures):
    """A Dask run's model keeping its articles' copy signatures (:class:`kliping.topics.fitted.FittedArticles`), as
    :func:`kliping.pipeline.fit_model` keeps them in one process: ``signatures`` are ``(ids, published, signatures)``
    of every row in corpus order (the copies stage's), the topics those the ``articles/`` partitions hold."""
    import pyarrow.parquet as pq

    from kliping.topics.fitted import FittedArticles

    if model is None or signatures is None:
        return model
    wanted = ["id", "status", "published", "topic", "confidence", "reason"]
    tables = [pd.read_parquet(p, columns=[c for c in wanted if c in pq.read_schema(p).names]) for p in parts]
    table = pd.concat(tables, ignore_index=True)
    if table["id"].astype(str).tolist() != [str(i) for i in signatures[0]]:  # never seen: said, not fatal
        import warnings

        warnings.warn(
            "the model keeps no copy signatures: the partitions' rows differ from the copies stage's", stacklevel=2
        )
        return model
    model.fitted = FittedArticles.of(table, signatures[2])
    return model


def read_run(output_dir):
    """A run's files read back as a :class:`kliping.pipeline.RunResult` (articles, topics, metrics, model) and the
    stamp of its article table; for :func:`edit_outputs`."""
    from kliping import pipeline
    from kliping.base.atomic import read_parquet_metadata
    from kliping.config import SettingError
    from kliping.topics.model import load_model

    output_dir = Path(output_dir)
    if not (output_dir / "metrics.json").is_file():
        raise SettingError(f"{printable(output_dir)} holds no run (no metrics.json): give the -o folder of kliping run")
    parts = run_parts(output_dir)
    if not (output_dir / "articles.parquet").is_file() and not parts:
        raise SettingError(
            f"{printable(output_dir)} has no articles.parquet nor {ARTICLES_DIR}/ partitions: the run's files are "
            "incomplete; run it again"
        )
    model = load_model(output_dir)
    metrics = json.loads((output_dir / "metrics.json").read_text(encoding="utf-8"))
    tables = parts or [output_dir / "articles.parquet"]
    articles = pd.concat([pd.read_parquet(path) for path in tables], ignore_index=True)
    articles = articles.drop(columns=["run_id"], errors="ignore")
    topics = pd.read_csv(output_dir / "topics.csv", keep_default_na=False)
    made = read_parquet_metadata(tables[0]) or {}
    result = pipeline.RunResult(articles=articles, topics=topics, metrics=metrics, model=model)
    return result, {key: value for key, value in made.items() if key != "run_id"}


def run_parts(output_dir) -> list[Path]:
    """The ``articles/`` partitions of a Dask run's output folder, in corpus order (none for an in-process run)."""
    folder = Path(output_dir) / ARTICLES_DIR
    if (Path(output_dir) / "articles.parquet").is_file() or not folder.is_dir():
        return []
    return sorted(folder.glob("part-*.parquet"), key=lambda path: (len(path.name), path.name))


def check_editable(output_dir, metrics: dict) -> None:
    """Refuse, in one line, to edit a Dask run whose topics were fitted on a sample of a larger corpus: an edit
    places every article again in one process (:func:`kliping.topics.edit.edit_run`), which holds what the Dask
    run spread over its workers. Up to the sample's size (100,000 articles) the Dask run's client held the whole
    fit, so the edit holds no more."""
    from kliping.config import SettingError

    sample, clustered = metrics.get("fit_sample"), metrics.get("n_clustered")
    if isinstance(sample, int) and isinstance(clustered, int) and sample < clustered:
        raise SettingError(
            f"{printable(output_dir)} is a Dask run of {clustered:,} clustered articles fitted on a sample of "
            f"{sample:,}: too many to edit in one process; rename or merge its model in Python "
            "(load_model(OUT).rename({...}) / .merge([...]), then .save(DIR)) and place the corpus with "
            "`kliping assign DIR CORPUS`"
        )


def edit_outputs(output_dir, rename: dict | None = None, merge=None):
    """Rename and merge the topics of the run in ``output_dir`` (:func:`kliping.pipeline.edit_topics`) and write
    its files again as one set, atomically, with a new run id (``kliping topics OUT --rename/--merge``); a Dask
    run's folder keeps its layout (:func:`write_parts_set`). Returns the edited :class:`kliping.pipeline.RunResult`."""
    from kliping import pipeline

    output_dir = Path(output_dir)
    with locks.hold(output_dir, name=locks.OUTPUTS_LOCK_NAME):
        parts = run_parts(output_dir)
        before, made = read_run(output_dir)
        check_editable(output_dir, before.metrics)
        edited = pipeline.edit_topics(before, rename, merge)
        if parts:
            run_id = write_parts_set(edited, output_dir, made, [pq_rows(part) for part in parts])
        else:
            run_id = write_set(edited, output_dir, None, made)
    edited.metrics["run_id"] = run_id
    return edited


def recorded_edits(output_dir) -> list[dict]:
    """The renames and merges ``kliping topics`` made on the run in ``output_dir`` (``metrics.json``'s ``edits``),
    oldest first; none when there is no run there."""
    try:
        edits = json.loads((Path(output_dir) / "metrics.json").read_text(encoding="utf-8")).get("edits")
    except (OSError, ValueError, AttributeError):
        return []
    return [edit for edit in edits or [] if isinstance(edit, dict)]


def replay_edits(result, output_dir, cache_dir=None):
    """``result`` with the edits recorded in ``output_dir`` made again (:func:`kliping.pipeline.edit_topics`), so
    a report rendered again on the corpus keeps the names and merges given with ``kliping topics``; an edit made
    for other topics (the corpus or the settings changed since: its ``topics_before`` are not this run's labels)
    is warned about and left out, with the edits after it."""
    import warnings

    from kliping import pipeline

    for edit in recorded_edits(output_dir):
        labels = list(result.model.labels) if result.model is not None else []
        if edit.get("topics_before") != labels:
            warnings.warn(
                f"the topic edits recorded in {printable(output_dir)} were made for other topics (the corpus or the "
                "settings changed since): not made again; edit this run's topics with kliping topics",
                stacklevel=2,
            )
            break
        rename = {int(topic): label for topic, label in (edit.get("rename") or {}).items()}
        result = pipeline.edit_topics(result, rename, edit.get("merge") or [], cache_dir)
    return result
