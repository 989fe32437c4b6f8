"""kliping: cut the article out of scraped Indonesian news pages, stem it, cluster it.

One module per stage: :mod:`kliping.io` (read), :mod:`kliping.clean`,
:mod:`kliping.stem`, :mod:`kliping.vectorize`, :mod:`kliping.cluster`;
figures in :mod:`kliping.plots`, HTML views in :mod:`kliping.views`, the
report in :mod:`kliping.report`, with paths and settings in :mod:`kliping.config`.
A run's topic model (:mod:`kliping.topicmodel`, saved by :mod:`kliping.modelfiles`)
assigns new articles: ``kliping.load_model("out/model").assign("besok.jsonl")``.
"""

__version__ = "0.1.0"


def load_model(path):
    """The topic model a run saved (its ``model/`` folder, or the run's output folder): a
    :class:`kliping.topicmodel.TopicModel`, whose ``assign`` places new articles among its topics."""
    from kliping.modelfiles import load_model as read

    return read(path)
