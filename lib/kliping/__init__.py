"""kliping: cut the article out of scraped Indonesian news pages, stem it, cluster it.

One module per stage: :mod:`kliping.io` (read), :mod:`kliping.clean`,
:mod:`kliping.stem`, :mod:`kliping.vectorize`, :mod:`kliping.cluster`;
figures in :mod:`kliping.plots`, HTML views in :mod:`kliping.views`, the
report in :mod:`kliping.report`, with paths and settings in :mod:`kliping.config`.
"""

__version__ = "0.1.0"
