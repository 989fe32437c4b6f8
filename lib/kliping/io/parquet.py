"""Parquet shards, read a batch at a time with the size they decode to counted before it is made.

A parquet file stores a column of repeated values once, in a dictionary, and each row as a small index: a
420 KB file of 2 M rows of one 200-byte text decodes to 400 MB of strings and 2 M Python rows (``pd.read_parquet``
ended in a ``MemoryError`` at 2.7 GB). So text columns are read as dictionaries (never decoded whole), and
every batch's decoded size (the bytes of its values, plus :data:`CELL_BYTES` per cell for the row it becomes) is
added up before the batch is decoded: past the reader's limit the shard is one ``too_large`` row, as a gzip bomb
is (:class:`kliping.io.files.NotRegularError`).

Integers with a null stay integers (``"1"`` as an id, not ``"1.0"``); timestamps, dates, decimals and durations
reach the reader as Python values, which it keeps as text.

Examples
--------
>>> import os, tempfile
>>> import pyarrow as pa, pyarrow.parquet as pq
>>> from kliping.io.files import ReadLimits
>>> path = os.path.join(tempfile.mkdtemp(), "berita.parquet")
>>> ids = pa.array([7, None], pa.int64())
>>> pq.write_table(pa.table({"id": ids, "isi": ["Gempa di Palu", "Banjir di Bekasi"]}), path)
>>> [frame.to_dict("records") for frame in parquet_frames(path, ReadLimits())]
[[{'id': 7, 'isi': 'Gempa di Palu'}, {'id': None, 'isi': 'Banjir di Bekasi'}]]
"""

from __future__ import annotations

import pandas as pd

from kliping.io import files

#: Rows decoded at a time: about 1 MB of news text per batch at 1 kB an article.
BATCH_ROWS = 1024
#: What a cell costs beyond its value's bytes once it is a Python row (a key and a reference in its dict, as
#: a JSONL line's quotes and separator cost bytes): a shard of 2 M empty rows is not free either.
CELL_BYTES = 16


def _decoded_bytes(column) -> int:
    """The bytes a column of a batch takes once decoded: a dictionary column's values counted per row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(column.type):
        values = column.dictionary
        if pa.types.is_string(values.type) or pa.types.is_binary(values.type) or pa.types.is_large_string(values.type):
            lengths = pc.binary_length(values).fill_null(0)
            return int(pc.sum(pc.take(lengths, column.indices.fill_null(0))).as_py() or 0)
        return column.indices.nbytes * max(1, values.nbytes // max(1, len(values)))
    return column.nbytes


def _text_columns(schema) -> list[str]:
    import pyarrow as pa

    def texty(kind) -> bool:
        return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_binary(kind)

    return [field.name for field in schema if texty(field.type) or pa.types.is_dictionary(field.type)]


def _pandas_type(kind):
    """Integers as pandas' Arrow integers, so a null leaves the others integers (not floats)."""
    import pyarrow as pa

    return pd.ArrowDtype(kind) if pa.types.is_integer(kind) else None


def parquet_frames(path, limits: files.ReadLimits):
    """Yield a parquet shard's rows as DataFrames of :data:`BATCH_ROWS` rows, nulls as None, every value a
    scalar the reader keeps; :class:`kliping.io.files.NotRegularError` ``too_large`` once the decoded size
    passes ``limits.max_bytes``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with files.open_regular(path, limits) as handle:
        parquet = pq.ParquetFile(handle)
        parquet = pq.ParquetFile(handle, read_dictionary=_text_columns(parquet.schema_arrow))
        # Every batch counted before any is decoded: a bomb is refused in the time of reading its indices,
        # not after its first rows were made (17 s for the first 220 k of 2 M rows at the 50 MB limit).
        batches, total = [], 0
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
            total += sum(_decoded_bytes(column) for column in batch.columns)
            total += CELL_BYTES * batch.num_rows * max(1, batch.num_columns)
            if total > limits.max_bytes:
                raise files.NotRegularError("too_large", files.too_large(total, limits, "decoded past"))
            batches.append(batch)
    for batch in batches:
        columns = [c.dictionary_decode() if pa.types.is_dictionary(c.type) else c for c in batch.columns]
        frame = pa.Table.from_arrays(columns, names=batch.schema.names).to_pandas(types_mapper=_pandas_type)
        frame = frame.astype(object)
        yield frame.where(frame.notna(), None)
