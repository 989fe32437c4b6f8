"""kliping: cut the article out of scraped Indonesian news pages, stem it, cluster it.

One module per stage: :mod:`kliping.io` (read), :mod:`kliping.clean`,
:mod:`kliping.stem`, :mod:`kliping.topics.tfidf`, :mod:`kliping.topics.clustering`;
figures in :mod:`kliping.report.plots`, HTML views in :mod:`kliping.report.views`, the
report in :mod:`kliping.report.render`, with paths and settings in :mod:`kliping.config`.
A run's topic model (:mod:`kliping.topics.model`, saved by :mod:`kliping.topics.modelfiles`)
assigns new articles: ``kliping.load_model("out/model").assign("besok.jsonl")``.
"""

from kliping.base.version import __version__ as __version__


def load_model(path):
    """The topic model a run saved (its ``model/`` folder, or the run's output folder): a
    :class:`kliping.topics.model.TopicModel`, whose ``assign`` places new articles among its topics."""
    from kliping.topics.model import load_model as read

    return read(path)
