"""News over time: how many of each topic's articles appeared per day, week or month, and which topics are rising.

:func:`topics_over_time` counts the dated articles of every topic per period (``topics_over_time.csv``: ``topic``,
``period``, ``articles``, ``share``); ``share`` is the topic's part of all the dated, clustered articles of that
period, so a period with fewer articles (a weekend, a crawl that ended on a Tuesday) does not read as a fall of
every topic. The rows add up to the dated, clustered articles: an article without a date, or without a topic
(an outlier, a row without text), is in no row.

Periods are bucketed on the clock of Western Indonesia (WIB, UTC+7), the clock most of the articles were
published on, so a story published at 06:00 WIB on Monday counts for Monday, not Sunday in UTC.

Examples
--------
>>> dates = pd.Series(pd.to_datetime(["2019-09-02", "2019-09-03", "2019-09-03", None]).tz_localize("UTC"))
>>> topics_over_time(dates, np.array([0, 1, 0, 0]), period="day").to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
[{'topic': 0, 'period': '2019-09-02', 'articles': 1, 'share': 1.0},
 {'topic': 0, 'period': '2019-09-03', 'articles': 1, 'share': 0.5},
 {'topic': 1, 'period': '2019-09-03', 'articles': 1, 'share': 0.5}]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kliping.base.articles import NO_TOPIC

#: The columns of ``topics_over_time.csv``.
OVER_TIME_COLUMNS = ["topic", "period", "articles", "share"]
#: The periods a timeline is counted in, with the pandas frequency of each.
PERIODS = {"day": "D", "week": "W-SUN", "month": "M"}
#: The clock periods are counted on (see the module's docstring).
CLOCK = "Asia/Jakarta"
#: A span of up to this many days is counted by day, up to :data:`WEEKS_UP_TO` days by week, longer by month: from
#: about 10 to 60 periods in each case, what a chart's axis can label. The embedded corpus spans 7 months (Jul 2019 to
#: Jan 2020 for 98 % of its dated articles): 30 weeks.
DAYS_UP_TO, WEEKS_UP_TO = 60, 366
#: The dates that choose the period: the 1st to the 99th percentile, so one story dated in 1998 by its page does not
#: turn a 7-month corpus into a 21-year one counted by month (the table still counts that story, in its own period).
BULK = (0.01, 0.99)

#: A topic is rising when, in the last period, it has at least this many articles ...
RISING_MIN_ARTICLES = 3
#: ... at least this many earlier periods to compare with ...
RISING_MIN_HISTORY = 3
#: ... and a share of the period at least this many times its mean share in the earlier periods and above the mean
#: by this many standard deviations of those shares.
RISING_RATIO, RISING_SDS = 2.0, 2.0
#: The last period is the last one with at least this part of the mean period's articles: a page dated a year
#: after the rest (the embedded corpus's seed page, Oct 2020, after 3,233 articles of 2019) is not "the last week".
LAST_PERIOD_SHARE = 0.1
RISING_RULE = (
    f"the last period is the last one holding at least {LAST_PERIOD_SHARE:.0%} of the mean period's articles; "
    f"a topic is rising when, in it, it has at least {RISING_MIN_ARTICLES} articles and its share of "
    f"the period's articles is at least {RISING_RATIO:g} times its mean share over the earlier periods (at least "
    f"{RISING_MIN_HISTORY} of them, a period without its articles counting as 0) and above that mean by more than "
    f"{RISING_SDS:g} standard deviations of those shares"
)


def local_dates(dates) -> pd.Series:
    """Dates as naive timestamps on the :data:`CLOCK` (a date without a zone is taken as already on it)."""
    dates = pd.to_datetime(pd.Series(dates).reset_index(drop=True), errors="coerce", utc=False)
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        return dates.dt.tz_convert(CLOCK).dt.tz_localize(None)
    converted = pd.to_datetime(dates, errors="coerce", utc=True)
    if dates.dtype == object and converted.notna().any():  # mixed zones: each converted, then on the clock
        return converted.dt.tz_convert(CLOCK).dt.tz_localize(None)
    return dates


def choose_period(dates) -> str:
    """``day``, ``week`` or ``month``, from the span of the bulk of the dates (:data:`DAYS_UP_TO`,
    :data:`WEEKS_UP_TO`); ``week`` without dates.

    Examples
    --------
    >>> choose_period(pd.date_range("2019-07-01", "2020-01-31", freq="D"))
    'week'
    >>> choose_period(pd.date_range("2019-09-01", "2019-09-20"))
    'day'
    >>> choose_period(pd.date_range("2018-01-01", "2020-01-01"))
    'month'
    """
    known = local_dates(dates).dropna()
    if known.empty:
        return "week"
    low, high = known.quantile(BULK[0]), known.quantile(BULK[1])
    days = (high - low).days
    return "day" if days <= DAYS_UP_TO else "week" if days <= WEEKS_UP_TO else "month"


def period_labels(dates, period: str) -> pd.Series:
    """Each date's period as text: ``2019-09-02`` (day), ``2019-09-02/2019-09-08`` (a week, Monday to Sunday),
    ``2019-09`` (month); None without a date.

    Examples
    --------
    >>> period_labels(pd.Series(pd.to_datetime(["2019-09-04", None])), "week").tolist()
    ['2019-09-02/2019-09-08', None]
    """
    if period not in PERIODS:
        raise ValueError(f"period {period!r}: choose one of {', '.join(PERIODS)}")
    periods = local_dates(dates).dt.to_period(PERIODS[period])
    return pd.Series([None if pd.isna(p) else str(p) for p in periods], index=periods.index, dtype=object)


def topics_over_time(dates, topics, period: str | None = None) -> pd.DataFrame:
    """Articles and share of every topic per period (the columns :data:`OVER_TIME_COLUMNS`), sorted by period
    and topic; only the periods in which a topic has articles.

    Parameters
    ----------
    dates : Series
        Every article's publication time (``published``), NaT when unknown.
    topics : array of int
        Every article's topic; -1 (no topic) is left out.
    period : {"day", "week", "month"} or None
        None: chosen from the span of the dates (:func:`choose_period`).
    """
    topics = np.asarray(topics)
    clustered = topics != NO_TOPIC
    dates = pd.Series(dates).reset_index(drop=True)[clustered].reset_index(drop=True)
    period = period or choose_period(dates)
    frame = pd.DataFrame({"topic": topics[clustered].astype(int), "period": period_labels(dates, period)})
    frame = frame.dropna(subset=["period"])
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(OVER_TIME_COLUMNS, (int, str, int, float))})
    counts = frame.groupby(["period", "topic"]).size().rename("articles").reset_index()
    totals = counts.groupby("period")["articles"].transform("sum")
    counts["share"] = (counts["articles"] / totals).round(4)
    table = counts[OVER_TIME_COLUMNS].sort_values(["period", "topic"], kind="stable").reset_index(drop=True)
    table.attrs["period"] = period
    return table


def share_table(over_time: pd.DataFrame) -> pd.DataFrame:
    """The shares as topics × periods (every period from the first to the last, empty ones as 0), for a chart or
    :func:`rising_topics`.

    Examples
    --------
    >>> table = pd.DataFrame({"topic": [0, 1, 0], "period": ["2019-09", "2019-09", "2019-11"],
    ...                       "articles": [3, 1, 2], "share": [0.75, 0.25, 1.0]})
    >>> share_table(table).to_dict("index")
    {0: {'2019-09': 0.75, '2019-10': 0.0, '2019-11': 1.0}, 1: {'2019-09': 0.25, '2019-10': 0.0, '2019-11': 0.0}}
    """
    if over_time.empty:
        return pd.DataFrame()
    table = over_time.pivot_table(index="topic", columns="period", values="share", aggfunc="sum", fill_value=0.0)
    return table.reindex(columns=_all_periods(list(table.columns)), fill_value=0.0)


def _all_periods(labels: list[str]) -> list[str]:
    """Every period from the first label to the last, in the labels' own format (a gap is an empty period)."""
    periods = [pd.Period(label.split("/")[0], freq=_freq_of(label)) for label in labels]
    everything = pd.period_range(min(periods), max(periods), freq=periods[0].freq)
    return [str(p) for p in everything]


def _freq_of(label: str) -> str:
    return PERIODS["week"] if "/" in label else PERIODS["day"] if label.count("-") == 2 else PERIODS["month"]


def last_period(over_time: pd.DataFrame) -> str | None:
    """The last period that holds at least :data:`LAST_PERIOD_SHARE` of the mean period's articles.

    Examples
    --------
    >>> table = pd.DataFrame({"topic": 0, "period": ["2019-09", "2019-10", "2020-10"], "articles": [40, 50, 1],
    ...                       "share": 1.0})
    >>> last_period(table)
    '2019-10'
    """
    if over_time.empty:
        return None
    totals = over_time.groupby("period")["articles"].sum().sort_index()
    return str(totals[totals >= LAST_PERIOD_SHARE * totals.mean()].index[-1])


def rising_topics(over_time: pd.DataFrame) -> pd.DataFrame:
    """Every topic's share in the last period against its own history, and whether it is rising
    (:data:`RISING_RULE`): ``topic``, ``last_articles``, ``last_share``, ``mean_share`` (earlier periods),
    ``ratio``, ``rising``; the rising topics first.

    Examples
    --------
    >>> rows = [(0, p, 8, 0.8) for p in ("2019-09", "2019-10", "2019-11", "2019-12")]
    >>> rows += [(1, p, 2, 0.2) for p in ("2019-09", "2019-10", "2019-11")] + [(1, "2019-12", 8, 0.5)]
    >>> table = pd.DataFrame(rows, columns=OVER_TIME_COLUMNS)
    >>> rising_topics(table)[["topic", "last_share", "mean_share", "rising"]].values.tolist()
    [[1, 0.5, 0.2, True], [0, 0.8, 0.8, False]]
    """
    columns = ["topic", "last_articles", "last_share", "mean_share", "ratio", "rising"]
    shares = share_table(over_time)
    if shares.empty:
        return pd.DataFrame(columns=columns)
    last = last_period(over_time)
    shares = shares.loc[:, :last]
    earlier = shares[shares.columns[:-1]]
    counts = over_time[over_time["period"] == last].set_index("topic")["articles"]
    rows = []
    for topic in shares.index:
        mean = float(earlier.loc[topic].mean()) if earlier.shape[1] else 0.0
        sd = float(earlier.loc[topic].std(ddof=0)) if earlier.shape[1] else 0.0
        share, n = float(shares.loc[topic, last]), int(counts.get(topic, 0))
        rising = (
            earlier.shape[1] >= RISING_MIN_HISTORY
            and n >= RISING_MIN_ARTICLES
            and share >= RISING_RATIO * mean
            and share > mean + RISING_SDS * sd
        )
        ratio = round(share / mean, 2) if mean > 0 else float("inf") if share > 0 else 0.0
        rows.append([int(topic), n, round(share, 4), round(mean, 4), ratio, bool(rising)])
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["rising", "ratio"], ascending=False, kind="stable").reset_index(drop=True)
