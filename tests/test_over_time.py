"""News over time and every article reachable: ``topics_over_time.csv`` adds up to the dated, clustered articles,
rising topics follow their stated rule, every placed article's title is in the report's listing, and ``kliping
assign`` groups the new articles that fit no topic into candidate new topics.

On real CLICK-ID articles of the embedded corpus (data/raw).
"""

from __future__ import annotations

import collections
import html
import json
import re

import pandas as pd
import pytest
from test_edit_run import embedded_records, kliping_cli, write_jsonl

from kliping import config, outputs, pipeline
from kliping.report import listing
from kliping.topics import timeline


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """400 real articles (Mar to Nov 2019), k = 8, seed 0, written to ``out/``."""
    folder = tmp_path_factory.mktemp("over_time")
    corpus = write_jsonl(folder / "berita.jsonl", embedded_records(400, 800))
    settings = config.RunSettings(corpus, k=8, seed=0, output_dir=folder / "out")
    result = pipeline.run(settings, progress=False, cache_dir=folder / "work" / "cache")
    outputs.write_outputs(result, settings.output_dir, settings)
    return {"folder": folder, "corpus": corpus, "result": result, "out": settings.output_dir}


def test_topics_over_time_adds_up_to_the_dated_clustered_articles(run):
    articles = run["result"].articles
    table = pd.read_csv(run["out"] / outputs.OVER_TIME_FILE)
    assert list(table.columns) == timeline.OVER_TIME_COLUMNS
    dated_in_a_topic = int(((articles["topic"] >= 0) & articles["published"].notna()).sum())
    assert table["articles"].sum() == dated_in_a_topic > 300
    for topic, group in table.groupby("topic"):
        in_topic = (articles["topic"] == topic) & articles["published"].notna()
        assert group["articles"].sum() == in_topic.sum()
    # Every period's shares add up to 1 (rounded to 4 places each).
    assert (table.groupby("period")["share"].sum() - 1).abs().max() < 1e-3
    # A span of months is counted by week (Monday to Sunday), and the choice is in metrics.json.
    assert json.loads((run["out"] / "metrics.json").read_text())["period"] == "week"
    assert table["period"].str.fullmatch(r"\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}").all()
    assert table.equals(pipeline.topics_over_time(run["result"]))


def test_the_period_can_be_chosen(run, tmp_path):
    done = kliping_cli("run", run["corpus"], "-o", tmp_path / "out", "--k", "8", "--seed", "0", "--period", "month",
                       work=run["folder"] / "work")  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    table = pd.read_csv(tmp_path / "out" / outputs.OVER_TIME_FILE)
    assert table["period"].str.fullmatch(r"\d{4}-\d{2}").all()
    weekly = pd.read_csv(run["out"] / outputs.OVER_TIME_FILE)
    assert table["articles"].sum() == weekly["articles"].sum()
    months = weekly.assign(month=weekly["period"].str[:7])  # a week belongs to the month of its Monday
    assert table["period"].nunique() <= months["month"].nunique() + 1


def test_a_bad_period_is_refused_in_one_line(run, tmp_path):
    done = kliping_cli("run", run["corpus"], "-o", tmp_path / "o", "--period", "year", work=run["folder"] / "work")
    assert done.returncode == 2 and "invalid choice: 'year'" in done.stderr
    with pytest.raises(config.SettingError, match="period 'year'"):
        config.run_settings({"KLIPING_PERIOD": "year"})


def test_rising_topics_follow_the_stated_rule(run):
    table = pipeline.topics_over_time(run["result"])
    rising = timeline.rising_topics(table)
    shares = timeline.share_table(table).loc[:, : timeline.last_period(table)]
    history = shares[shares.columns[:-1]]
    assert sorted(rising["topic"]) == sorted(shares.index)
    for row in rising.itertuples():
        earlier = history.loc[row.topic]
        expected = (
            len(earlier) >= timeline.RISING_MIN_HISTORY
            and row.last_articles >= timeline.RISING_MIN_ARTICLES
            and row.last_share >= timeline.RISING_RATIO * earlier.mean() - 1e-4
            and row.last_share > earlier.mean() + timeline.RISING_SDS * earlier.std(ddof=0) - 1e-4
        )
        assert row.rising == expected, row
    # A topic that takes most of a late period of its own is rising; the others' shares are not.
    burst = pd.concat([table, pd.DataFrame([{"topic": 7, "period": "2019-12-02/2019-12-08", "articles": 40,
                                              "share": 0.8}, {"topic": 0, "period": "2019-12-02/2019-12-08",
                                              "articles": 10, "share": 0.2}])])  # fmt: skip
    assert timeline.rising_topics(burst).set_index("topic").loc[7, "rising"]


def test_every_placed_article_is_in_the_listing_with_safe_links(run):
    articles = run["result"].articles.copy()
    articles.loc[articles.index[0], "url"] = "javascript:alert(1)"
    articles.loc[articles.index[1], "title"] = "Banjir <script>alert(1)</script> & rob"
    # Make row 3 a copy of row 2: it is folded under its original.
    articles.loc[articles.index[3], "duplicate_of"] = articles.loc[articles.index[2], "id"]
    page = listing.topic_articles_html(articles, run["result"].topics, block=50)
    assert "<script" not in page and "javascript:" not in page
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    placed = articles[(articles["topic"] >= 0) | articles["reason"].str.startswith("far from")]
    for title in placed["title"]:
        assert re.sub(r"\s+", " ", title).strip() in text
    links = re.findall(r'<a href="([^"]*)" rel="noopener">', page)
    assert links and all(link.startswith(("http://", "https://")) for link in links)
    assert "1 copy" in page
    biggest = run["result"].topics["size"].max()
    assert page.count("<details") >= len(run["result"].topics) + biggest // 50  # large topics in blocks


def test_kliping_assign_groups_new_articles_that_fit_no_topic_into_candidate_topics(tmp_path):
    """A model of sport and cars; tomorrow brings religion and world news, which it has no topic for."""
    by_desk = collections.defaultdict(list)
    for record in embedded_records(0, 3235):
        by_desk[record["category_coarse"]].append(record)
    train = by_desk["olahraga"][:150] + by_desk["otomotif"][:150]
    new = by_desk["olahraga"][150:170] + by_desk["otomotif"][150:170] + by_desk["religi"][:30]
    new += by_desk["internasional"][:30]
    write_jsonl(tmp_path / "train.jsonl", train)
    write_jsonl(tmp_path / "new.jsonl", new)
    done = kliping_cli("run", tmp_path / "train.jsonl", "-o", tmp_path / "out", "--k", "2", "--seed", "0",
                       work=tmp_path / "work")  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    done = kliping_cli("assign", tmp_path / "out" / "model", tmp_path / "new.jsonl", "-o", tmp_path / "placed.csv",
                       work=tmp_path / "work")  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    candidates = pd.read_csv(tmp_path / "new_topics.csv")
    placed = pd.read_csv(tmp_path / "placed.csv")
    assert re.search(r"\d+ far from every topic \([1-9]\d* candidate new topics in ", done.stderr)
    far = set(placed.loc[placed["reason"].fillna("").str.startswith("far from"), "id"])
    members = [ids.split(" | ") for ids in candidates["ids"]]
    assert all(set(group) <= far and len(group) >= 3 for group in members)
    desk = {r["id"]: r["category_coarse"] for r in new}
    in_candidates = [desk[i] for group in members for i in group]
    # Mostly the desks the model never saw.
    unseen = sum(d in ("religi", "internasional") for d in in_candidates)
    assert unseen >= 0.7 * len(in_candidates), collections.Counter(in_candidates)
    assert candidates["label"].str.len().gt(0).all() and candidates["top_terms"].str.contains(" | ").all()
