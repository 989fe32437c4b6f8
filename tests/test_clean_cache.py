"""The clean cache on real pages: the frame read back is the frame cleaned, a change of the input or of the
cleaner is never answered from a stale file, and a damaged file or a folder that cannot hold one costs only time."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from kliping import config, io, pipeline
from kliping.clean import cache, corpus

EMBEDDED = config.RAW_DIR / "clickid_sample.jsonl.gz"


@pytest.fixture(scope="module")
def articles():
    """400 articles of the embedded CLICK-ID sample, as the reader gives them (several sites, with dates)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return io.read_corpus(EMBEDDED).head(400).reset_index(drop=True)


@pytest.fixture(scope="module")
def uncached(articles):
    return pipeline.clean(articles, progress=False, use_cache=False)


@pytest.fixture(autouse=True)
def small_corpora_too(monkeypatch):
    monkeypatch.setattr(cache, "CACHE_MIN_ROWS", 0)


def assert_same(frame: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(frame, expected, check_exact=True)
    for column in expected.columns:  # None stays None, lists stay lists, a Timestamp a Timestamp
        assert [type(v) for v in frame[column]] == [type(v) for v in expected[column]], column


def cache_files(folder):
    return sorted(folder.glob("clean_*.parquet"))


def test_a_second_clean_reads_the_same_frame_back_without_cleaning(articles, uncached, tmp_path, monkeypatch):
    first = pipeline.clean(articles, progress=False, cache_dir=tmp_path)
    assert_same(first, uncached)
    assert len(cache_files(tmp_path)) == 1

    def no_cleaning(*args):
        raise AssertionError("cleaned again instead of reading the cache")

    monkeypatch.setattr(corpus, "_clean_columns", no_cleaning)
    assert_same(pipeline.clean(articles, progress=False, cache_dir=tmp_path), uncached)


#: A sentence a site might add under its stories; on half its pages or more it is template, cut from the body.
FOOTER = "Ikuti terus perkembangan berita terkini seputar politik, ekonomi dan olahraga hanya di sini setiap hari."


def test_pages_whose_site_statistics_changed_are_cleaned_afresh_not_read_from_the_old_file(articles, tmp_path):
    site = articles["meta_site"].value_counts().index[0]  # okezone.com, 90 of the 400
    rows = articles.index[articles["meta_site"] == site]
    footed, plain = rows[: len(rows) * 2 // 5], rows[len(rows) * 2 // 5 :]
    before = articles.copy()
    before.loc[footed, "text"] = before.loc[footed, "text"] + "\n" + FOOTER
    kept = pipeline.clean(before, progress=False, cache_dir=tmp_path)
    assert kept.loc[footed, "content"].str.contains(FOOTER).all()  # on 40 % of the site's pages: body
    # Half the plain pages move to another site: the footed pages, unchanged, are now half the site's pages.
    after = before.copy()
    after.loc[plain[: len(plain) // 2 + 1], "meta_site"] = "lain.example"
    expected = pipeline.clean(after, progress=False, use_cache=False)
    assert not expected.loc[footed, "content"].str.contains(FOOTER).any()  # template now
    assert_same(pipeline.clean(after, progress=False, cache_dir=tmp_path), expected)
    assert len(cache_files(tmp_path)) == 2


@pytest.mark.parametrize("column", ["status", "title", "duplicate_of", "origin", "meta_site", "meta_date"])
def test_every_column_cleaning_reads_is_in_the_key(articles, column):
    edited = articles.copy()
    edited[column] = edited[column].astype(object)
    edited.loc[5, column] = None if edited.loc[5, column] is not None else "None"
    assert cache.input_key(edited) != cache.input_key(articles)


def test_another_cleaner_makes_another_file(articles, tmp_path, monkeypatch):
    lexicon = tmp_path / "clean_lexicon.json"
    lexicon.write_text('{"read_also": ["Baca juga"]}', encoding="utf-8")
    monkeypatch.setattr(cache, "_CLEANER_FILES", (lexicon,))
    cache.cleaner_version.cache_clear()
    before = cache.cache_file(articles, tmp_path)
    lexicon.write_text('{"read_also": ["Baca juga", "Simak juga"]}', encoding="utf-8")
    cache.cleaner_version.cache_clear()
    after = cache.cache_file(articles, tmp_path)
    cache.cleaner_version.cache_clear()
    assert before != after and before.parent == after.parent == tmp_path


@pytest.mark.parametrize("damage", ["garbage", "cut_off", "other_corpus"])
def test_a_damaged_cache_file_is_cleaned_again_and_replaced(articles, uncached, tmp_path, damage):
    pipeline.clean(articles, progress=False, cache_dir=tmp_path)
    (path,) = cache_files(tmp_path)
    if damage == "garbage":
        path.write_bytes(b"PAR1 this is not parquet")
    elif damage == "cut_off":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    else:  # a file of another corpus's rows under this name
        other = pipeline.clean(articles.head(10), progress=False, cache_dir=tmp_path)
        other_path = next(p for p in cache_files(tmp_path) if p != path)
        other_path.replace(path)
        assert len(other) == 10
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a damaged file is no news: it is replaced in silence
        assert_same(pipeline.clean(articles, progress=False, cache_dir=tmp_path), uncached)
    assert cache.read(path, len(articles), corpus.CACHED_COLUMNS) is not None


def test_a_folder_that_cannot_hold_the_cache_gives_one_warning_and_the_same_frame(articles, uncached, tmp_path):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file", encoding="utf-8")
    with pytest.warns(cache.CleanCacheWarning, match="clean cache off"):
        assert_same(pipeline.clean(articles, progress=False, cache_dir=not_a_folder), uncached)


def test_a_cleaner_whose_files_cannot_be_read_is_not_cached(articles, uncached, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "_CLEANER_FILES", (tmp_path / "gone.py",))
    cache.cleaner_version.cache_clear()
    try:
        assert_same(pipeline.clean(articles, progress=False, cache_dir=tmp_path), uncached)
    finally:
        cache.cleaner_version.cache_clear()
    assert cache_files(tmp_path) == []


def test_small_corpora_and_given_site_statistics_are_not_cached(articles, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "CACHE_MIN_ROWS", 2000)
    pipeline.clean(articles, progress=False, cache_dir=tmp_path)
    stats = corpus.corpus_site_stats(articles)
    monkeypatch.setattr(cache, "CACHE_MIN_ROWS", 0)
    corpus.clean_articles(articles, progress=False, site_stats=stats, cache_dir=tmp_path, use_cache=True)
    assert cache_files(tmp_path) == []
