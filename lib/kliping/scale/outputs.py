"""The distributed run's files: ``articles/`` and ``assignments/`` as parquet partitions, the rest as in-process.

Each partition's rows go through :func:`kliping.pipeline.assign` on a worker (the same columns, rounding and
topic labels as ``articles.parquet`` of an in-process run) and are written atomically; the client then writes
``assignments.csv`` from the partitions in corpus order while it stays under :data:`CSV_MAX_ROWS` rows, and
``topics.csv``, ``model/`` and ``metrics.json`` with :mod:`kliping.store`'s own writers.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

#: ``assignments.csv`` is written while the corpus has fewer rows; above, ``assignments/`` alone holds them.
CSV_MAX_ROWS = 1_000_000
#: The partition folders of a distributed run's output.
ARTICLES_DIR, ASSIGNMENTS_DIR = "articles", "assignments"


def part_name(number: int) -> str:
    return f"part-{number:05d}.parquet"


def write_part(clean_path, tfidf_path, assigned, articles_out, assignments_out, topics, run_id, made, languages=None):
    """The output rows of one partition (:func:`kliping.pipeline.assign`), to its two parquet files.

    ``assigned`` holds the topic (-1 for an outlier), confidence and reason of each usable article."""
    from kliping import config, pipeline
    from kliping.store import write_parquet

    cleaned = pd.read_parquet(clean_path)
    with np.load(tfidf_path, allow_pickle=False) as data:
        where = data["rows"]
    usable = np.zeros(len(cleaned), dtype=bool)
    usable[where] = True
    placement = SimpleNamespace(topics=np.asarray(assigned[0]), confidence=np.asarray(assigned[1]), reasons=assigned[2])
    clustering = SimpleNamespace(placement=placement)
    vectors = SimpleNamespace(usable=usable, languages=languages or config.DEFAULT_LANGUAGES)
    table = pipeline.assign(cleaned, vectors, clustering, topics).assign(run_id=run_id)
    for column in table.columns[table.isna().all().to_numpy()]:
        # Empty here, typed elsewhere (a label column of pages without labels beside table rows with them):
        # null, which unify_parts can type as the other partitions have it.
        table[column] = pd.Series([None] * len(table), index=table.index, dtype=object)
    write_parquet(table, Path(articles_out), {**made, "run_id": run_id})
    write_parquet(table[pipeline.ASSIGNMENT_COLUMNS], Path(assignments_out), {"run_id": run_id})
    return len(table)


def unify_parts(paths: list[Path]) -> int:
    """Give every partition of a table the same schema (a column all null in one partition is typed as in the
    others, an integer column with gaps in another becomes float), so ``pd.read_parquet(folder)`` reads them as
    one table; the number of partitions rewritten."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from kliping.store import atomic_path

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

    from kliping.store import atomic_path, csv_safe

    if sum(pq.ParquetFile(p).metadata.num_rows for p in parts) >= CSV_MAX_ROWS:
        path.unlink(missing_ok=True)
        return False
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as handle:
        for number, part in enumerate(parts):
            frame = pd.read_parquet(part)
            csv_safe(frame).to_csv(handle, index=False, header=number == 0)
    return True


def write_run_files(output_dir: Path, topics: pd.DataFrame, model, metrics: dict, run_id: str, settings, made) -> None:
    """``topics.csv``, the model in ``model/`` and, last, ``metrics.json`` (as :func:`kliping.store.write_outputs`)."""
    from kliping import modelfiles
    from kliping.store import atomic_path, csv_safe, topics_table, write_json

    with atomic_path(output_dir / "topics.csv") as tmp:
        csv_safe(topics_table(topics)).to_csv(tmp, index=False)
    modelfiles.save_model(model, output_dir / modelfiles.MODEL_DIR, run_id)
    metrics = {
        **metrics,
        "run_id": run_id,
        "settings": settings.as_dict(),
        "corpus_fingerprint": made["corpus_fingerprint"],
    }
    write_json(output_dir / "metrics.json", metrics)
