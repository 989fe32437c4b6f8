"""What the in-process reader and cleaner decide over the whole corpus, decided over all partitions.

* **Unique ids** (:func:`ids_and_duplicates`): a repeated id gets ``#2``, ``#3``... as :func:`kliping.io.read_corpus`
  gives it. The repeated ids are found by a distributed count; only their rows (and the ids holding a ``#``,
  which a new name must not take) come to the client, where the reader's own ``_unique_ids`` names them.
* **Exact duplicates** (the same pass): the reader's text hash of every readable row is counted across
  partitions; the rows of hashes seen more than once come to the client, where the first in corpus order is
  the original of the others (as :func:`kliping.io.find_duplicates`).
* **Template lines per site** (:func:`site_statistics`): each partition counts its pages' normalised line
  hashes per site (:class:`kliping.clean.SiteStats`, duplicates left out as the cleaner leaves them out); a
  distributed group-by sums them, and only the lines that reach the template share of their site come back.
  :meth:`SiteStats.is_template` answers as it does on the full counts, since a line below the share is never
  template.

Each returns a small result for the client; the partitions stay on the workers' disks.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from kliping.partitions.shards import HASH_COLUMN, SITE_COLUMN

#: Row positions: which partition, which row in it (corpus order is partition order, then row order).
PART, ROW = "_part", "_row"


def _positions(path: str, part: int, wanted: tuple) -> pd.DataFrame:
    frame = pd.read_parquet(path, columns=list(wanted))
    frame[PART] = np.int32(part)
    frame[ROW] = np.arange(len(frame), dtype=np.int32)
    return frame


def _frame(parts: list[str], columns: list[str]):
    import dask.dataframe as dd

    meta = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    meta[PART] = pd.Series(dtype=np.int32)
    meta[ROW] = pd.Series(dtype=np.int32)
    wanted = [tuple(columns)] * len(parts)
    return dd.from_map(_positions, parts, list(range(len(parts))), wanted, meta=meta, enforce_metadata=False)


def _among(frame: pd.DataFrame, column: str, values: set) -> pd.DataFrame:
    return frame[frame[column].isin(values)]


def _holding_hash_sign(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["id"].str.contains("#", regex=False).astype(bool)]


#: Up to this many rows, the corpus-wide decisions are taken on the client from columns gathered from the
#: partitions (ids and hashes, about 100 bytes a row); above, by Dask DataFrame's distributed counts. Those cost
#: the import of dask.dataframe in every process and a shuffle: on the 22k, most of the read stage's 40 s beyond
#: reading the shard (loaded machine).
GATHER_ROWS = 1_000_000


def ids_and_duplicates(
    parts: list[str], client=None, n_rows: int | None = None
) -> tuple[dict[tuple[int, int], str], dict[int, dict[int, str]]]:
    """The reader's corpus-wide decisions: ``{(partition, row): new id}`` for every row whose id repeats an
    earlier row's, and per partition ``{row: id of the first article with the same text}``.

    One pass counts ids and text hashes (only readable rows have a hash); a second brings the rows of the
    repeated ones, when there are any. With a ``client`` and at most :data:`GATHER_ROWS` rows, the three columns of
    every partition come to the client and the same decisions are taken there, by the same functions.
    """
    import dask

    wanted_columns = ["id", "status", HASH_COLUMN]
    if client is not None and n_rows is not None and n_rows <= GATHER_ROWS:
        n = len(parts)
        frames = client.gather(client.map(_positions, parts, range(n), [tuple(wanted_columns)] * n, pure=False))
        whole = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*wanted_columns, PART, ROW])
        ids, hashes = whole["id"].value_counts(), whole[HASH_COLUMN].value_counts()
        repeated_ids, repeated_hashes = set(ids[ids > 1].index), set(hashes[hashes > 1].index)
        renames = {}
        if repeated_ids:
            renames = _renames(_among(whole, "id", repeated_ids), _holding_hash_sign(whole), repeated_ids)
        copies = _copies(_among(whole, HASH_COLUMN, repeated_hashes), renames) if repeated_hashes else {}
        return renames, copies
    frame = _frame(parts, wanted_columns)
    ids, hashes = frame["id"].value_counts(), frame[HASH_COLUMN].value_counts()
    repeated_ids, repeated_hashes = map(set, dask.compute(ids[ids > 1].index, hashes[hashes > 1].index))
    wanted = []
    if repeated_ids:
        wanted.append(frame.map_partitions(_among, "id", repeated_ids, meta=frame._meta))
        wanted.append(frame.map_partitions(_holding_hash_sign, meta=frame._meta))
    if repeated_hashes:
        wanted.append(frame.map_partitions(_among, HASH_COLUMN, repeated_hashes, meta=frame._meta))
    found = iter(dask.compute(*wanted))
    renames = _renames(next(found), next(found), repeated_ids) if repeated_ids else {}
    copies = _copies(next(found), renames) if repeated_hashes else {}
    return renames, copies


def _in_order(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.sort_values([PART, ROW]).reset_index(drop=True)  # each partition's rows came numbered from 0


def _renames(rows: pd.DataFrame, hashed: pd.DataFrame, repeated: set) -> dict[tuple[int, int], str]:
    from kliping.io.corpus import _unique_ids

    rows = _in_order(rows)
    others = sorted(set(hashed["id"]) - repeated)
    # The reader's renaming, on the rows that repeat; ids holding "#" go first so no new name takes theirs.
    named = _unique_ids(pd.Series(others + rows["id"].tolist(), dtype=object)).tolist()[len(others) :]
    return {(int(p), int(r)): new for p, r, old, new in zip(rows[PART], rows[ROW], rows["id"], named) if new != old}


def _copies(rows: pd.DataFrame, renames: dict) -> dict[int, dict[int, str]]:
    rows = _in_order(rows[rows["status"] == "ok"])
    rows["id"] = [renames.get((int(p), int(r)), i) for p, r, i in zip(rows[PART], rows[ROW], rows["id"])]
    first = rows.groupby(HASH_COLUMN, sort=False)["id"].transform("first")
    copies = rows[rows["id"] != first].assign(first=first)
    found: dict[int, dict[int, str]] = {}
    for part, row, original in zip(copies[PART], copies[ROW], copies["first"]):
        found.setdefault(int(part), {})[int(row)] = original
    return found


def has_known_sites(columns: list[str]) -> bool:
    """Whether the corpus names its sites (the cleaner's test, on the whole manifest's columns)."""
    return any(c in columns for c in ("meta_site", "site", "source_site", "domain"))


def site_lines(path: str, duplicate_rows: dict, out: str, key: str) -> dict:
    """Count one partition's template candidates: ``(site, line hash, pages)`` to ``out``; its pages per site."""
    from kliping.base.atomic import EXTRA_KEY, read_parquet_metadata, write_parquet
    from kliping.clean import SiteStats

    if Path(out).is_file() and (read_parquet_metadata(Path(out)) or {}).get("key") == key:
        return (read_parquet_metadata(Path(out), EXTRA_KEY) or {}).get("pages", {})
    frame = pd.read_parquet(path, columns=["status", "text", SITE_COLUMN])
    keep = [status == "ok" and row not in duplicate_rows for row, status in enumerate(frame["status"].tolist())]
    stats = SiteStats.from_pages(frame[SITE_COLUMN][keep].tolist(), frame["text"][keep].tolist())
    counts = [
        (site, int.from_bytes(line, "little", signed=True), n)
        for site, lines in stats.lines.items()
        for line, n in lines.items()
    ]
    table = pd.DataFrame(counts, columns=["site", "line", "pages"]).astype({"line": np.int64, "pages": np.int64})
    write_parquet(table, Path(out), {"key": key}, {"pages": dict(stats.pages)})
    return dict(stats.pages)


def _reaching(counts: pd.DataFrame, floor: dict) -> pd.DataFrame:
    return counts[counts["pages"] >= counts["site"].map(floor).astype(float)]


def _candidate_lines(path: str, sites: list) -> pd.DataFrame:
    lines = pd.read_parquet(path, columns=["site", "line", "pages"])
    return lines[lines["site"].isin(sites)]


def site_statistics(client, parts: list[str], dups: dict, folder: Path, key: str):
    """The corpus's :class:`~kliping.clean.SiteStats`, with only the lines that can be template (summed on the
    client up to :data:`GATHER_ROWS` pages, by a distributed group-by above)."""

    from kliping.clean import SiteStats

    folder.mkdir(parents=True, exist_ok=True)
    outs = [str(folder / Path(p).name) for p in parts]
    futures = client.map(
        site_lines, parts, [dups.get(i, {}) for i in range(len(parts))], outs, [key] * len(parts), pure=False
    )
    pages: Counter = Counter()
    for counted in client.gather(futures):
        pages.update(counted)
    stats = SiteStats(pages=pages)
    candidates = {site for site, n in pages.items() if n >= stats.min_pages}
    if not candidates:
        stats.lines = {site: Counter() for site in pages}
        return stats
    # A little under the share: SiteStats.is_template decides again on the kept counts, exactly.
    floor = {site: n * stats.min_share - 1 for site, n in pages.items()}
    if sum(pages.values()) <= GATHER_ROWS:  # each partition's candidate lines summed on the client
        found = client.gather(client.map(_candidate_lines, outs, sites=sorted(candidates), pure=False))
        summed = pd.concat(found, ignore_index=True).groupby(["site", "line"])["pages"].sum()
        kept = _reaching(summed.reset_index(), floor)
    else:
        import dask.dataframe as dd

        lines = dd.read_parquet(outs, columns=["site", "line", "pages"])
        lines = lines[lines["site"].isin(sorted(candidates))]
        summed = lines.groupby(["site", "line"])["pages"].sum(split_out=max(1, len(parts) // 4))
        kept = summed.reset_index().map_partitions(_reaching, floor, meta=lines._meta).compute()
    stats.lines = {site: Counter() for site in pages}
    for site, line, n in zip(kept["site"], kept["line"], kept["pages"]):
        stats.lines[site][int(line).to_bytes(8, "little", signed=True)] = int(n)
    return stats
