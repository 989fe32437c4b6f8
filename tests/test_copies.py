"""Near copies (syndication) and site signatures on real text: articles of the embedded CLICK-ID sample, republished
on other sites by :func:`kliping.evaluation.copies.syndicate` (a paragraph dropped, a "Baca juga" inserted, an
agency tag added, one to three days later), and sites' own sign-offs."""

from __future__ import annotations

import gzip
import json
import warnings

import numpy as np
import pandas as pd
import pytest

from kliping import config, pipeline
from kliping.clean import copies
from kliping.clean.site_stats import line_tail
from kliping.evaluation.copies import syndicate
from kliping.report import views

FIELDS = dict(text_field="content", id_field="id", date_field="date", site_field="source_site")


def embedded(n: int | None = None) -> pd.DataFrame:
    """The embedded CLICK-ID sample (its ``site`` named ``source_site`` as in the shared corpus)."""
    with gzip.open(config.RAW_DIR / "clickid_sample.jsonl.gz", "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    frame = pd.DataFrame(records).rename(columns={"site": "source_site"})
    return frame if n is None else frame.iloc[:: len(frame) // n].head(n).reset_index(drop=True)


def cleaned_with(frame: pd.DataFrame) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pipeline.clean(pipeline.load(frame, **FIELDS), progress=False, use_cache=False)


@pytest.fixture(scope="module")
def syndicated():
    sample = embedded(400)
    made = syndicate(sample, near=40, exact=15, seed=3)
    corpus = pd.concat([sample, made.drop(columns=["original", "kind"])], ignore_index=True)
    return sample, made, corpus


@pytest.fixture(scope="module")
def syndicated_clean(syndicated):
    return cleaned_with(syndicated[2]).set_index("id")


def test_copies_point_to_their_original_and_originals_stay_originals(syndicated, syndicated_clean):
    sample, made, _ = syndicated
    table = syndicated_clean
    got = table.loc[made["id"], "duplicate_of"].to_numpy()
    assert (got == made["original"].to_numpy()).mean() >= 0.95
    exact = made["kind"] == "exact"
    assert (table.loc[made.loc[exact, "id"], "copy_similarity"] == 1.0).all()
    near = table.loc[made.loc[~exact, "id"]]
    assert near["copy_similarity"].dropna().between(copies.THRESHOLD, 1.0).all()
    marked = table.loc[sample["id"], "duplicate_of"].notna().mean()
    assert marked <= 0.02
    assert table.loc[made["original"], "duplicate_of"].isna().all()  # an original never points elsewhere


def test_same_desk_articles_are_far_below_the_threshold():
    cleaned = cleaned_with(embedded(600))
    sig = copies.table_signatures(cleaned)
    labels = cleaned["category_coarse"].to_numpy()
    left, right = np.random.default_rng(0).integers(len(cleaned), size=(2, 20_000))
    same = (labels[left] == labels[right]) & (left != right)
    assert same.sum() > 1000
    assert copies.similarity(sig[left[same]], sig[right[same]]).max() < copies.THRESHOLD / 2


def test_the_earliest_published_article_is_the_original_ties_by_id():
    article = embedded(50).iloc[[7]]
    text = article["content"].iloc[0]
    rows = pd.concat([article] * 3, ignore_index=True)
    rows["id"] = ["z-terbit-kemudian", "b-terbit-dulu", "a-terbit-dulu"]
    rows["date"] = ["2019-10-03 00:00:00", "2019-10-01 00:00:00", "2019-10-01 00:00:00"]
    rows["source_site"] = ["suara.com", "antaranews.com", "jpnn.com"]
    rows["content"] = ["(ANTARA) - " + text, text, text + "\nBaca juga: Harga Emas Naik"]
    table = cleaned_with(rows).set_index("id")
    assert table["duplicate_of"].to_dict() == {
        "z-terbit-kemudian": "a-terbit-dulu",
        "b-terbit-dulu": "a-terbit-dulu",
        "a-terbit-dulu": None,
    }


def test_signatures_are_the_same_in_any_partition():
    texts = embedded(120)["content"].tolist()
    whole = copies.signatures(texts)
    parts = np.concatenate([copies.signatures(texts[:37]), copies.signatures(texts[37:])])
    assert (whole == parts).all()


def test_copies_take_their_originals_topic_and_count_once(syndicated):
    sample, made, corpus = syndicated
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = pipeline.run(corpus, progress=False, k=5, label_field="category_coarse", **FIELDS)
    table = result.articles.set_index("id")
    found = table.loc[made["id"], "duplicate_of"].to_numpy() == made["original"].to_numpy()
    assert found.mean() >= 0.95
    placed = made[found]
    assert (table.loc[placed["id"], "topic"].to_numpy() == table.loc[placed["original"], "topic"].to_numpy()).all()
    labels = table["topic_label"].fillna("(none)")
    assert (labels.loc[placed["id"]].to_numpy() == labels.loc[placed["original"]].to_numpy()).all()
    n_copies = int(table["duplicate_of"].notna().sum())
    assert result.metrics["n_copies"] == n_copies
    clustered = (table["duplicate_of"].isna() & (table["reason"] == "")).sum()
    assert result.topics["size"].sum() == clustered  # sizes count each story once
    typical = {title for titles in result.topics["representatives"] for title in titles}
    copy_titles = set(table.loc[placed["id"], "title"]) - set(table.loc[placed["original"], "title"])
    assert not typical & copy_titles
    page = views.syndication_html(result.articles)
    assert f"{n_copies:,} copies" in page and "antaranews.com" in page + "".join(made["source_site"])


def test_a_site_signature_is_cut_and_the_rest_of_the_text_kept():
    frame = embedded()
    fimela = frame[frame["source_site"] == "fimela.com"]
    signed = fimela[fimela["content"].str.contains("#GrowFearless", case=False)]
    assert len(signed) >= 20
    table = cleaned_with(frame).set_index("id")
    kept = table.loc[signed["id"], "content"]
    assert not kept.str.contains("GrowFearless", case=False).any()
    # Only the sign-off went: the cleaned text is the page without it (a dateline may open it).
    for raw, clean in zip(signed["content"], kept):
        raw = " ".join(raw.split())
        expected = raw[: -len(line_tail(raw))].rstrip()
        clean = " ".join(clean.split())
        assert expected.endswith(clean) and len(clean) >= 0.9 * len(expected)


def test_a_signature_of_an_unknown_site_is_found_without_a_list():
    pages = embedded(200)
    pages = pages[pages["content"].str.len() > 300].head(60).copy()
    pages["source_site"] = "beritabaru.example"
    sign = "Ikuti terus kabar terbaru hanya di BeritaBaru Online"
    signed = pages.index[: int(len(pages) * 0.7)]
    pages.loc[signed, "content"] = pages.loc[signed, "content"] + ".," + sign
    pages.loc[pages.index[-3:], "content"] += ". Kabar ini ditulis ulang oleh redaksi kami"  # rare: kept
    table = cleaned_with(pages).set_index("id")
    assert not table["content"].str.contains("BeritaBaru Online").any()
    assert table.loc[pages["id"].iloc[-3:], "content"].str.contains("ditulis ulang oleh redaksi").all()
    assert table.loc[pages["id"].iloc[signed.size :], "content"].str.len().gt(200).all()


def test_dask_run_finds_the_same_copies_across_partitions(syndicated, tmp_path):
    distributed = pytest.importorskip("distributed", reason="the scale extra (dask, distributed) is not installed")
    scale = pytest.importorskip("kliping.scale")
    from kliping import outputs

    _, made, corpus = syndicated
    corpus = corpus.sample(frac=1.0, random_state=1)  # copies and originals spread over the partitions
    folder = tmp_path / "corpus"
    folder.mkdir()
    for n, rows in enumerate(np.array_split(np.arange(len(corpus)), 3)):
        corpus.iloc[rows].to_json(folder / f"shard-{n}.jsonl", orient="records", lines=True, force_ascii=False)
    run = config.RunSettings(path=folder, k=4, seed=0, output_dir=tmp_path / "one", **FIELDS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outputs.write_outputs(pipeline.run(run, progress=False), run.output_dir, run)
        spread = config.RunSettings(path=folder, k=4, seed=0, output_dir=tmp_path / "dask", **FIELDS)
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0",
            memory_limit="2GB",
        ) as cluster, distributed.Client(cluster) as client:  # fmt: skip
            metrics = scale.run(spread, client=client, progress=False)
    one = pd.read_parquet(tmp_path / "one" / "articles.parquet").set_index("id").sort_index()
    parts = pd.read_parquet(tmp_path / "dask" / "articles").set_index("id").sort_index()
    columns = ["duplicate_of", "copy_similarity", "topic", "confidence"]
    pd.testing.assert_frame_equal(parts[columns], one[columns])
    assert metrics["n_copies"] == int(one["duplicate_of"].notna().sum()) >= 0.95 * len(made)
    assert (tmp_path / "dask" / "topics.csv").read_bytes() == (tmp_path / "one" / "topics.csv").read_bytes()
