"""Cleaning a whole corpus (a reader manifest): site statistics, batches of pages, optional forked workers.

Examples
--------
>>> from kliping import io, config
>>> cleaned = clean_articles(io.read_corpus(config.SEED_PAGE), progress=False)
>>> cleaned[["dateline_city", "site"]].values.tolist()
[['WASHINGTON', 'kompas.com']]
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import os
import sys

import pandas as pd

from kliping.clean.dates import DEFAULT_TIME_ZONE, zone_name, zone_unstated
from kliping.clean.detector import prepare
from kliping.clean.language import UNDETERMINED, detect_many
from kliping.clean.page import clean_split_pages, split_page
from kliping.clean.site_stats import SiteStats

#: The progress bar (stderr) shows for runs of at least this many rows.
PROGRESS_MIN_ROWS = 200
#: Pages cleaned together (:func:`kliping.clean.page.clean_split_pages`): their new lines are measured in one
#: pass and their features computed at once. Each scan of the text and each numpy call has a fixed cost, which
#: a batch pays once instead of once per page.
MEASURE_BATCH_ROWS = 64
#: Pages whose languages are told together (:func:`kliping.clean.language.detect_many`): the detector walks its
#: texts in blocks of :data:`kliping.clean.detector.WALK_ROWS`, longest first, one numpy step per byte position
#: for a whole block; told 64 pages at a time (one batch above) the blocks were an eighth full. The 22,136
#: CLICK-ID articles' languages, CPU: 3.5-3.9 s told 64 at a time, 2.8-3.4 s 2,048 at a time or all at once, 3.0-3.8 s
#: 512 at a time (2026-12-07, a loaded machine).
LANGUAGE_BATCH_ROWS = 1024
#: Pages per chunk handed to a worker process (``clean_articles(..., processes=2)``): one batch of
#: :data:`LANGUAGE_BATCH_ROWS`, so that a worker tells languages in blocks as full as one process does.
PARALLEL_CHUNK_ROWS = LANGUAGE_BATCH_ROWS
#: From this many rows on, :func:`clean_articles` cleans in forked processes unless told otherwise: two chunks. Random
#: CLICK-ID subsets, cold, one process against two (``bench_clean_cores.py --sizes 2000 4000 8000``, medians of 3,
#: load 1.0, 2026-12-07): 2,000 rows 1.23 -> 0.98 s wall (1.23 -> 1.32 s CPU), 4,000 1.67 -> 1.26, 8,000 2.36 -> 1.95.
PARALLEL_MIN_ROWS = 2_000
#: The columns :func:`clean_articles` adds (or fills, for ``title``).
CLEAN_COLUMNS = [
    "title",
    "site",
    "published",
    "byline",
    "dateline_city",
    "content",
    "labels",
    "kinds",
    "reasons",
    "language",
]
#: What the clean cache keeps (:mod:`kliping.clean.cache`): those and the zone of each date.
CACHED_COLUMNS = [*CLEAN_COLUMNS, "time_zone"]


def clean_articles(
    articles: pd.DataFrame,
    progress: bool = True,
    processes: int | None = None,
    site_stats: SiteStats | None = None,
    cache_dir=None,
    use_cache: bool = False,
) -> pd.DataFrame:
    """Clean every article of a reader manifest (:func:`kliping.io.read_corpus`).

    Returns the same rows in the same order with all input columns, plus
    ``title`` (from the page when the input has none), ``site``, ``published``,
    ``time_zone``, ``byline``, ``dateline_city``, ``content``, ``language`` (ISO 639-1, ``""`` when too little
    text tells; :mod:`kliping.clean.language`), ``labels``, ``kinds`` and ``reasons``.
    When the corpus has several pages of one site, lines repeated
    across many of them are treated as template. Rows whose status is not
    ``"ok"`` keep their row with empty content and empty lists.

    ``processes`` > 1 cleans the pages in that many forked processes, in chunks of
    :data:`PARALLEL_CHUNK_ROWS`, where the platform can fork; the output is the same. By default (None) a corpus
    of :data:`PARALLEL_MIN_ROWS` rows or more is cleaned on every core (:func:`worker_count`;
    ``benchmarks/bench_clean_cores.py``).

    ``site_stats`` are the cross-page statistics of the whole corpus when ``articles`` is only a part of it (the
    distributed path, :mod:`kliping.scale`, counts them over every partition first); by default they are counted
    on ``articles``.

    ``use_cache`` keeps the cleaned columns of a corpus of at least :data:`kliping.clean.cache.CACHE_MIN_ROWS`
    rows in ``cache_dir`` (default ``config.CACHE_DIR``) and reads them back when the same columns are cleaned
    again by the same cleaner (:mod:`kliping.clean.cache`); the frame is the same either way. Statistics given in
    ``site_stats`` are not part of its key: with them nothing is cached.
    """
    from kliping.clean import cache

    missing = {"id", "status", "text"} - set(articles.columns)
    if missing:
        raise ValueError(f"clean_articles needs the reader's columns; missing: {sorted(missing)}")
    kept = None
    if use_cache and site_stats is None and len(articles) >= cache.CACHE_MIN_ROWS:
        kept = cache.cache_file(articles, cache_dir)
    cleaned = cache.read(kept, len(articles), CACHED_COLUMNS) if kept else None
    if cleaned is None:
        cleaned = _clean_columns(articles, progress, processes, site_stats)
        if kept:
            cache.write(kept, cleaned)
    columns = {c: cleaned[c] if c in cleaned else articles[c] for c in articles.columns}
    columns.update((c, cleaned[c]) for c in CLEAN_COLUMNS if c not in columns)
    columns = _after(columns, "published", "time_zone", cleaned["time_zone"])
    columns = _after(columns, "content", "language", cleaned["language"])
    return pd.DataFrame(columns, index=articles.index)


def _clean_columns(articles: pd.DataFrame, progress: bool, processes: int, site_stats: SiteStats | None) -> dict:
    """The columns :func:`clean_articles` adds, as lists (``published`` a DatetimeIndex), and ``time_zone``."""
    from tqdm import tqdm  # plain bars: tqdm.auto warns in a kernel without ipywidgets

    from kliping.io import site_column

    # Plain lists from here on: pandas costs milliseconds per operation, which a small corpus feels.
    texts = articles["text"].tolist()
    ok = [status == "ok" and isinstance(text, str) for status, text in zip(articles["status"].tolist(), texts)]
    # A corpus field such as source_site names the site; otherwise it is guessed per page, as clean_page does.
    known_site = any(c in articles.columns for c in ("meta_site", "site", "source_site", "domain"))
    sites = site_column(articles).tolist() if len(articles) and known_site else [None] * len(articles)
    processes = worker_count(len(articles), processes)
    stats = site_stats
    if known_site and site_stats is None:
        stats = _counted_stats(articles, sites, processes > 1 and any(ok))

    titles = articles["title"].tolist() if "title" in articles.columns else [None] * len(articles)
    # Pages read from HTML carry what their markup says of each line (kliping.io.markup.page_fields).
    markups = articles["markup"].tolist() if "markup" in articles.columns else [None] * len(articles)
    rows = list(zip(texts, titles, sites, ok, markups))
    show_bar = progress and len(rows) >= PROGRESS_MIN_ROWS
    metadata = _metadata(articles, sites)
    metadata.update(texts=texts, titles=titles)
    cleaned = {column: [] for column in [*CLEAN_COLUMNS, "time_zone"]}
    with tqdm(total=len(rows), disable=not show_bar, desc="clean", unit="page", file=sys.stderr) as bar:
        batches = _forked_batches(rows, stats, processes) if processes > 1 else _cleaned_batches(rows, stats)
        done = 0
        for batch in batches:
            # Each batch finished as it comes: this process's share of the work overlaps the workers'.
            size = len(batch[0])
            part = {name: values[done : done + size] for name, values in metadata.items()}
            for column, values in _finished(batch, part).items():
                cleaned[column] += values
            done += size
            bar.update(size)
    if not rows:  # object columns, as the cleaned values would be
        cleaned.update((c, pd.Series([], index=articles.index, dtype=object)) for c in CLEAN_COLUMNS)
    cleaned["published"] = _as_datetimes(cleaned["published"])
    return cleaned


def _counted_stats(articles: pd.DataFrame, sites: list, forking: bool) -> SiteStats | None:
    """:func:`corpus_site_stats` of the corpus. Before workers are forked (``forking``) they are counted in a
    forked child while this process loads the language detector's model, which the workers then share (both take
    0.4-0.8 s; in a thread beside the counting, the model took 1.5 s: its LZMA stream is read in 688 pieces, each
    waiting for the GIL)."""
    from kliping.base.child_processes import Forked

    if not forking:
        return corpus_site_stats(articles, sites)
    counting = Forked(corpus_site_stats, articles, sites)
    prepare()
    return counting.join()


def _metadata(articles: pd.DataFrame, sites: list) -> dict:
    """What :func:`_prefer_metadata` weighs beside the cleaned columns, as lists: the sites, and the stated dates,
    the WARC dates and the origins where the input has them. Stated dates are parsed here, for the whole corpus:
    each distinct text once (:func:`kliping.clean.dates.parse_date_values`)."""
    from kliping.clean.dates import parse_date_values

    metadata = {"sites": sites}
    if "meta_date" in articles.columns:
        metadata["stated"] = parse_date_values(articles["meta_date"].tolist())
    for column in ("warc_date", "origin"):
        if column in articles.columns:
            metadata[column] = articles[column].tolist()
    return metadata


def _finished(columns: list, metadata: dict) -> dict:
    """The columns of a batch of cleaned rows (lists in :data:`CLEAN_COLUMNS` order) with their ``metadata``
    (:func:`_metadata` of the same rows) weighed in, and ``time_zone``; ``published`` a list."""
    cleaned = dict(zip(CLEAN_COLUMNS, columns))
    # A worker's values come back as copies: where the content is the whole text (or the title the given one), the
    # input's own string is kept, as one process keeps it (460 MB more at the 221k's clean stage otherwise).
    for column, given in (("content", "texts"), ("title", "titles")):
        if given in metadata:
            pairs = zip(cleaned[column], metadata[given])
            cleaned[column] = [old if type(old) is str and new == old else new for new, old in pairs]
    _prefer_metadata(metadata, cleaned)
    # A page that is not Indonesian keeps a zone-less stamp on its own clock instead of labelling it WIB.
    cleaned["published"] = [
        stamp if language in ("id", UNDETERMINED) else zone_unstated(stamp)
        for stamp, language in zip(cleaned["published"], cleaned["language"])
    ]
    # The zone each date was given in (WITA in Makassar), kept beside one WIB column that sorts and plots.
    cleaned["time_zone"] = [zone_name(stamp) for stamp in cleaned["published"]]
    return cleaned


def corpus_site_stats(articles: pd.DataFrame, sites: list | None = None) -> SiteStats | None:
    """The cross-page statistics :func:`clean_articles` counts on a corpus (each site's repeated lines, over its
    readable pages that are not exact duplicates); None when the corpus names no site. ``sites`` is
    :func:`kliping.io.site_column` of ``articles`` as a list, when the caller has it.

    The distributed paths count them once over the whole corpus and hand them to every partition."""
    from kliping.io import site_column

    if not len(articles) or not any(c in articles.columns for c in ("meta_site", "site", "source_site", "domain")):
        return None
    texts = articles["text"].tolist()
    ok = [status == "ok" and isinstance(text, str) for status, text in zip(articles["status"].tolist(), texts)]
    duplicate = (
        articles["duplicate_of"].notna().tolist() if "duplicate_of" in articles.columns else [False] * len(articles)
    )
    unique = [is_ok and not dup for is_ok, dup in zip(ok, duplicate)]
    sites = site_column(articles).tolist() if sites is None else sites
    return SiteStats.from_pages(itertools.compress(sites, unique), itertools.compress(texts, unique))


def _prefer_metadata(metadata: dict, cleaned: dict) -> None:
    """Best source first: the input's (or the page head's) date and site over what the text shows, and a WARC
    record's date where nothing else dates the page (``metadata``: :func:`_metadata` of the cleaned rows).

    A table row's site is its site or url field's, never one guessed from its text (a domain the article
    mentions is not its site); a page keeps the site its opening lines name when its head names none.
    """
    from kliping.clean.dates import parse_date_values

    if "stated" in metadata:
        cleaned["published"] = [_better_date(*pair) for pair in zip(metadata["stated"], cleaned["published"])]
    if "warc_date" in metadata:  # when a WARC record's page was fetched: the date of last resort
        undated = [found is pd.NaT or found is None for found in cleaned["published"]]
        fetched = iter(parse_date_values(itertools.compress(metadata["warc_date"], undated)))
        cleaned["published"] = [
            next(fetched) if no_date else found for found, no_date in zip(cleaned["published"], undated)
        ]
    if "origin" in metadata:
        cleaned["site"] = [
            known if origin == "record" else (known or found)
            for known, origin, found in zip(metadata["sites"], metadata["origin"], cleaned["site"])
        ]


def _better_date(stated, found):
    """The stated date (field or head), unless its zone is plainly wrong: a head stamp whose clock reads within
    two hours of the page's own WIB clock but whose instant lies five or more hours away is local time labelled
    UTC. detik.com writes "2016-02-23 T16:00:20Z" beside "23/02/2016 15:32 WIB" (the page's first date, when
    the story was created) for a story published at 16:00:20 WIB; read as UTC it would be 23:00 WIB. The stated
    clock is kept (to the second) on the page's zone.

    Examples
    --------
    >>> head, page = pd.Timestamp("2016-02-23T16:00:20Z"), pd.Timestamp("2016-02-23 15:32", tz="Asia/Jakarta")
    >>> _better_date(head, page)
    Timestamp('2016-02-23 16:00:20+0700', tz='Asia/Jakarta')
    >>> _better_date(pd.Timestamp("2016-02-23T08:32:00Z"), page)  # a true UTC stamp of the same moment
    Timestamp('2016-02-23 08:32:00+0000', tz='UTC')
    """
    if stated is pd.NaT or stated is None:
        return found
    if found is not pd.NaT and found is not None and abs(stated - found) >= pd.Timedelta(hours=5):
        clock = stated.tz_localize(None)
        if abs(clock - found.tz_localize(None)) < pd.Timedelta(hours=2):
            return clock.tz_localize(found.tzinfo)
    return stated


def worker_count(n_rows: int, processes: int | None = None) -> int:
    """How many processes :func:`clean_articles` cleans ``n_rows`` rows in: ``processes`` when given, else every
    core (``os.cpu_count()``) from :data:`PARALLEL_MIN_ROWS` rows on; never more than the chunks of
    :data:`PARALLEL_CHUNK_ROWS` rows, and one where no process can be forked (not Linux, or a daemonic process
    such as a Dask worker's, which may have no children).

    Examples
    --------
    >>> worker_count(100), worker_count(100_000, processes=1), worker_count(1_000, processes=2)
    (1, 1, 1)
    """
    from kliping.base.child_processes import can_fork

    if processes is None:
        processes = (os.cpu_count() or 1) if n_rows >= PARALLEL_MIN_ROWS else 1
    if processes > 1 and (not can_fork() or multiprocessing.current_process().daemon):
        return 1
    return max(1, min(processes, -(-n_rows // PARALLEL_CHUNK_ROWS)))


def _forked_batches(rows: list, stats: SiteStats | None, processes: int):
    """:func:`_cleaned_batches` of the rows in ``processes`` forked workers, chunk by chunk, in order: each page's
    output depends on the page and the statistics alone. The workers inherit the statistics and the language
    detector's model from this process (loaded first, once: :func:`_counted_stats`), and are handed
    :data:`PARALLEL_CHUNK_ROWS` rows at a time: only the chunks at work are copied, not every text at once."""
    from kliping.base.child_processes import interrupt_held

    prepare()  # loaded once here (when _counted_stats has not), not once per worker
    chunks = (rows[at : at + PARALLEL_CHUNK_ROWS] for at in range(0, len(rows), PARALLEL_CHUNK_ROWS))
    # The workers' collector leaves what they inherit alone (frozen here for the forks only): a full collection
    # in a worker walked this process's whole heap, copying its pages, 0.15-0.2 s CPU per worker on the 22,136
    # CLICK-ID articles against 0.03-0.07 s frozen (2026-12-07).
    thawed = gc.get_freeze_count() == 0
    gc.freeze()
    with contextlib.ExitStack() as ending:  # the pool's end (here, on an error or Ctrl-C) terminates the workers
        try:
            with interrupt_held():  # a Ctrl-C while forking: raised after it (not lost), ending the pool
                pool = multiprocessing.get_context("fork").Pool(processes, _init_worker, (os.getpid(), stats))
                ending.callback(_terminated, pool)
        finally:
            if thawed:
                gc.unfreeze()
        for batches in pool.imap(_clean_chunk, chunks):
            yield from batches


#: The longest wait for the pool's end after an error or Ctrl-C (it takes well under a second when it ends).
POOL_END_SECONDS = 10.0


def _terminated(pool) -> None:
    """``pool.terminate()``, waited for at most :data:`POOL_END_SECONDS`. A worker stopped by it while it sends its
    large result holds the result queue's lock for good, and the pool's own threads wait on it: one Ctrl-C of
    ``kliping clean`` in a CI run (2026-12-08) never returned (a likely cause, not proven: 1 run in about 20 beside
    busy loops shows it). The workers are ended by it, or at the latest at the process's exit (they are daemonic),
    and an abandoned daemon thread does not hold up that exit."""
    import threading

    ender = threading.Thread(target=pool.terminate, daemon=True, name="kliping-clean-pool-end")
    ender.start()
    ender.join(POOL_END_SECONDS)


_worker_stats: SiteStats | None = None  # in a worker process: the statistics of the corpus being cleaned


def _init_worker(parent_pid: int, stats: SiteStats | None) -> None:
    from kliping.base.child_processes import quiet_worker

    quiet_worker(parent_pid)
    global _worker_stats
    _worker_stats = stats


def _clean_chunk(rows: list) -> list:
    return list(_cleaned_batches(rows, _worker_stats))


def _cleaned_batches(rows: list, stats: SiteStats | None):
    """:func:`_clean_rows` of the rows, :data:`MEASURE_BATCH_ROWS` at a time, with the language of each
    (:data:`LANGUAGE_BATCH_ROWS` rows told at once): the :data:`CLEAN_COLUMNS` of each :data:`LANGUAGE_BATCH_ROWS`
    rows, one list each (what a worker hands back: pickled as ten lists, half the time of a tuple per row)."""
    for start in range(0, len(rows), LANGUAGE_BATCH_ROWS):
        part = rows[start : start + LANGUAGE_BATCH_ROWS]
        records = [
            record
            for at in range(0, len(part), MEASURE_BATCH_ROWS)
            for record in _clean_rows(part[at : at + MEASURE_BATCH_ROWS], stats)
        ]
        # The language of the cleaned title and content (detect_many).
        columns = [list(column) for column in zip(*records)]
        yield [*columns, detect_many(columns[0], columns[5])]


def _clean_rows(rows: list, stats: SiteStats | None) -> list[tuple]:
    """The cleaned columns of corpus rows ``(text, title, site or None, ok, markup or None)``, each in
    :data:`CLEAN_COLUMNS` order but the language; what :func:`kliping.clean.clean_page` (or, for a page read from HTML,
    :func:`kliping.clean.clean_html`) gives page by page, with the pages cleaned together."""
    good = [row for row in rows if row[3]]
    splits = [split_page(text) for text, *_ in good]
    titles = [title if isinstance(title, str) and title.strip() else None for _, title, *_ in good]
    sites = [site for _, _, site, *_ in good]
    structures = [_structure(row[4], split) for row, split in zip(good, splits)]
    cleaned = [None] * len(good)
    for from_html in (False, True):  # the text line model, then the HTML one, each on its own pages
        at = [k for k, structure in enumerate(structures) if (structure is not None) == from_html]
        if at:
            given = [structures[k] for k in at] if from_html else None
            pages = clean_split_pages(
                [splits[k] for k in at], [titles[k] for k in at], [sites[k] for k in at], stats, structures=given
            )
            for k, page in zip(at, pages):
                cleaned[k] = page
    pages = iter(cleaned)
    records = []
    for _, title, _, is_ok, _ in rows:
        if not is_ok:
            title = title if isinstance(title, str) else None
            # A row without text may still have a title: its language, when the title is long enough to tell.
            records.append((title, None, pd.NaT, None, None, "", [], [], []))
            continue
        page = next(pages)
        records.append(
            (
                page.title,
                page.site,
                page.published,
                page.byline,
                page.dateline_city,
                page.content,
                page.labels,
                page.kinds,
                page.reasons,
            )
        )
    return records


def _structure(markup, split):
    """A page's markup rows when they describe its lines (one row per non-blank line), else None."""
    from kliping.io.markup import markup_rows

    rows = markup_rows(markup)
    return rows if rows is not None and len(rows) == len(split[2]) and split[3] is None else None


def _after(columns: dict, anchor: str, name: str, values) -> dict:
    """``columns`` with ``name`` placed right after ``anchor`` (replacing an input column of that name)."""
    out = {}
    for column, value in columns.items():
        if column != name:
            out[column] = value
        if column == anchor:
            out[name] = values
    return out


def _as_datetimes(values: list) -> pd.DatetimeIndex:
    """One tz-aware column: every stamp converted to Asia/Jakarta (WITA/WIT keep their instant)."""
    return pd.to_datetime(list(values), utc=True).tz_convert(DEFAULT_TIME_ZONE)
