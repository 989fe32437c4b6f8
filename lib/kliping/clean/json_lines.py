"""The plain-JSON line model: one ``kliping clean`` output record per article, as JSON, one per line.

Examples
--------
>>> record = output_record({"id": "a", "status": "ok", "duplicate_of": None, "title": "Judul",
...     "site": "kompas.com", "published": pd.Timestamp("2020-10-24 11:53", tz="Asia/Jakarta"),
...     "byline": None, "dateline_city": "WASHINGTON", "content": "Isi.", "labels": [0, 1],
...     "kinds": ["title", "body"], "reasons": ["the page's headline", "inside the body run"]})
>>> record["metadata"]["published"], list(record)
('2020-10-24T11:53:00+07:00', ['id', 'status', 'duplicate_of', 'metadata', 'content', 'labels', 'kinds', 'reasons'])
>>> output_record({**record["metadata"], **record, "published": pd.Timestamp("2015-11-05 13:56", tz="Asia/Jakarta"),
...     "time_zone": "WITA"})["metadata"]["published"]  # on the page's own clock: 14:56 WITA
'2015-11-05T14:56:00+08:00'
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

#: The fields of each output record of ``kliping clean``; ``metadata`` holds :data:`METADATA_FIELDS`.
OUTPUT_FIELDS = ["id", "status", "duplicate_of", "metadata", "content", "labels", "kinds", "reasons"]
#: ``published`` is written on the clock of the zone the page gave (``+08:00`` for WITA); ``time_zone`` names it.
METADATA_FIELDS = ["title", "site", "published", "time_zone", "byline", "dateline_city", "language"]


def output_record(row: dict) -> dict:
    """One ``kliping clean`` output record from a row of :func:`kliping.clean.clean_articles` (JSON-ready)."""
    from kliping.clean.dates import local_time

    published = local_time(row["published"], row.get("time_zone"))
    metadata = {name: row.get(name) if isinstance(row.get(name), str) else None for name in METADATA_FIELDS}
    metadata["published"] = None if published is None or pd.isna(published) else published.isoformat()
    duplicate_of = row["duplicate_of"] if isinstance(row["duplicate_of"], str) else None
    return {
        "id": row["id"],
        "status": row["status"],
        "duplicate_of": duplicate_of,
        "metadata": metadata,
        "content": row["content"] or "",
        "labels": [int(v) for v in row["labels"]],
        "kinds": list(row["kinds"]),
        "reasons": list(row["reasons"]),
    }


def write_records(cleaned: pd.DataFrame, path) -> Path:
    """Write one JSON record per row of :func:`kliping.pipeline.clean`'s table to ``path``, in order, atomically.

    Each record holds ``id, status, duplicate_of, metadata`` (title, site, published, byline,
    dateline_city), ``content``, and one entry per line of the text in ``labels`` (0/1), ``kinds`` and
    ``reasons``. Bad rows keep their record, with the reader's status saying why and empty lists.
    """
    from kliping.base.atomic import atomic_path

    columns = ["id", "status", "duplicate_of", *METADATA_FIELDS, "content", "labels", "kinds", "reasons"]
    columns = [c for c in columns if c in cleaned.columns]  # a table cleaned before time_zone existed has none
    with atomic_path(Path(path)) as tmp, tmp.open("w", encoding="utf-8") as handle:
        for row in cleaned[columns].to_dict("records"):
            handle.write(json.dumps(output_record(row), ensure_ascii=False) + "\n")
    return Path(path)
