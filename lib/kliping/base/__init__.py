"""The bottom layer: what every stage and tool of kliping stands on, importing no other kliping package.

:mod:`~kliping.base.atomic` (writing files whole), :mod:`~kliping.base.articles` (the article table's layout),
:mod:`~kliping.base.usage` (stage times and peak memory), :mod:`~kliping.base.memo` (bounded memos),
:mod:`~kliping.base.locks` (one run per folder) and :mod:`~kliping.base.child_processes` (workers that end with
their parent). :mod:`kliping.config` (paths and settings) sits beside it.
"""
