"""What a reader sees: HTML views and tables (:mod:`~kliping.report.views`), figures
(:mod:`~kliping.report.plots`), notebooks run in a fresh kernel (:mod:`~kliping.report.notebooks`) and the rendered
report (:mod:`~kliping.report.render`, ``kliping report``)."""
