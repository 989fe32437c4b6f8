"""One function per ``kliping`` command (:data:`COMMANDS`): each checks its input and ``-o`` before any work, calls
the stages and says what it did in one line."""

from __future__ import annotations

import gc
import importlib.util
import sys
import warnings

from kliping.cli.options import _fields, _settings, check_output

#: What ``kliping report`` imports to execute and render the notebooks (the ``notebooks`` extra).
NOTEBOOK_PACKAGES = ("nbformat", "nbclient", "nbconvert", "ipykernel", "jinja2")


def _cmd_read(args) -> int:
    from kliping.io import fields

    if args.output:
        check_output(args.output, [args.input])
    fields.check_fields(args.input, **_fields(args))
    from kliping import io
    from kliping.base import atomic
    from kliping.io.problems import ReadSummary

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReadSummary)  # printed below the statuses: said once, not also warned
        articles = io.read_corpus(args.input, **_fields(args))
    print(io.status_counts(articles).to_string(index=False))
    from kliping.io.problems import skipped_summary

    kept_out = skipped_summary(articles.attrs.get("skipped"))
    if kept_out:
        print(kept_out)
    note = io.html_rows_note(*io.html_row_counts(articles))
    if note:
        print(note)
    if args.output:
        atomic.write_table(articles, args.output)
        print(f"wrote {len(articles)} rows to {args.output}", file=sys.stderr)
    return 0


def _cmd_clean(args) -> int:
    from kliping import pipeline
    from kliping.clean import json_lines

    check_output(args.output, [args.input])
    warnings.simplefilter("always", UserWarning)  # every bad file or line named, not only the first
    articles = pipeline.load(args.input, **_fields(args))
    cleaned = pipeline.clean(articles)
    json_lines.write_records(cleaned, args.output)
    ok = int((cleaned["status"] == "ok").sum())
    print(f"kliping: cleaned {ok} of {len(cleaned)} rows into {args.output}", file=sys.stderr)
    return 0


def _cmd_run(args) -> int:
    from kliping.io import fields

    settings = _settings(args, args.input, args.output)
    fields.check_fields(settings.path, **settings.fields)  # before pandas is imported: a wrong field fails fast
    from kliping import io, outputs, pipeline

    # The modules' objects (pandas, scikit-learn, SciPy: over a million) live as long as the process: frozen, the
    # collector's full passes skip them (its time in the 22k run: 0.65 -> 0.37 s) and the workbook's forked child
    # shares their pages instead of copying the ones a pass would touch.
    gc.freeze()
    scheduler = args.scheduler or settings.scheduler
    if scheduler:
        return _run_distributed(args, settings, scheduler)
    io.corpus_path(settings.path)
    check_output(args.output or settings.output_dir, [settings.path], folder=True)  # as typed: a link too
    try:
        result = pipeline.run(settings)
    except ValueError as error:
        print(f"kliping: error: {error}", file=sys.stderr)
        return 1
    out = outputs.write_outputs(result, settings.output_dir, settings)  # takes the folder's lock (one run's set)
    m = result.metrics
    scores = ", ".join(f"{key} {m[key]:.3f}" for key in ("silhouette", "coherence_npmi", "nmi", "ari") if key in m)
    clustered = f"{m['n_clustered']:,} clustered into {m['k']} topics" + (f" ({scores})" if scores else "")
    if not m["n_clustered"]:
        clustered = "none clustered (the reason of every row is in assignments.csv; no model)"
    print(
        f"{m['n_articles']:,} articles, {clustered} in {m['total_seconds']:.1f} s, peak memory "
        f"{m['peak_memory_mb']:,} MB; wrote {out}/"
    )
    return 0


def _run_distributed(args, settings, scheduler: str) -> int:
    """``kliping run --scheduler``: the same stages as Dask tasks over partitions (:mod:`kliping.scale`)."""
    from kliping import scale
    from kliping.config import SettingError
    from kliping.io import CorpusFormatError
    from kliping.io.fields import FieldNotFoundError

    scale.check_address(scheduler)
    scale.require_dask()
    from kliping.partitions.scheduler import check_workers

    check_workers(args.workers, args.worker_memory)
    check_output(args.output or settings.output_dir, [settings.path], folder=True)  # as typed: a link too
    try:
        m = scale.run(settings, scheduler, workers=args.workers, worker_memory=args.worker_memory)
    except (SettingError, CorpusFormatError, FieldNotFoundError):
        raise  # one line, exit 2 (main)
    except ValueError as error:
        print(f"kliping: error: {error}", file=sys.stderr)
        return 1
    scores = ", ".join(f"{key} {m[key]:.3f}" for key in ("silhouette", "coherence_npmi", "nmi", "ari") if key in m)
    print(
        f"{m['n_articles']:,} articles in {m['partitions']} partitions, {m['n_clustered']:,} clustered into "
        f"{m['k']} topics ({scores}) in {m['total_seconds']:.1f} s on {m['workers']} Dask workers; peak memory "
        f"client {m['client_peak_memory_mb']:,} MB, largest worker {m['worker_peak_memory_mb']:,} MB; "
        f"wrote {settings.output_dir}/"
    )
    return 0


def _cmd_assign(args) -> int:
    from kliping.io import fields

    settings = _settings(args, args.input, None)
    fields.check_fields(settings.path, **settings.fields)  # before pandas is imported: a wrong field fails fast
    from kliping import io
    from kliping.base import atomic
    from kliping.config import SettingError
    from kliping.topics import modelfiles

    # The model's own folder is an input (the run's output folder around it is not: -o out/besok.csv is fine).
    check_output(args.output, [settings.path, modelfiles.model_folder(args.model)])
    from kliping.topics.model import load_model

    model = load_model(args.model)  # a missing, damaged or foreign model: one line, before any work
    io.corpus_path(settings.path)
    if args.output.suffix.lower() not in (".csv", ".jsonl", ".ndjson", ".parquet"):
        raise SettingError(f"{args.output}: write the assignments as .csv, .jsonl or .parquet")
    new_topics = args.output.with_name(NEW_TOPICS_FILE)
    check_output(new_topics, [settings.path, modelfiles.model_folder(args.model)])
    from kliping.topics import emerging

    if model.fitted is None:
        print(
            f"kliping: {modelfiles.model_folder(args.model)} keeps no signatures of its run's articles (saved by an "
            "older kliping): copies of them cannot be found, only copies among the new articles; run it again to keep "
            "them",
            file=sys.stderr,
        )
    cleaned, stemmed = model.prepare(settings.path, progress=True, **settings.fields)
    table = model.predict(cleaned, stemmed)
    far = int(emerging.far_from_every_topic(table).sum())  # copies are known stories, never new ones
    candidates = emerging.no_candidates()
    if far >= emerging.MIN_OUTLIERS:  # only then the clustering (and scikit-learn's second of imports)
        from kliping import pipeline

        candidates = pipeline.new_topics(cleaned, stemmed, table, seed=int(model.settings.get("seed") or 0))
    atomic.write_table(table, args.output)
    atomic.write_table(candidates, new_topics)
    placed = int((table["topic"] >= 0).sum())
    copies = table["duplicate_of"].dropna()
    of_run = int((~copies.isin(table["id"])).sum())
    print(
        f"kliping: {placed} of {len(table)} articles placed among {model.k} topics ({len(copies)} copies: {of_run} "
        f"of the run's articles, {len(copies) - of_run} of other new ones), {far} far from every topic "
        f"({len(candidates)} candidate new topics in {new_topics}); wrote {args.output}",
        file=sys.stderr,
    )
    return 0


#: What ``kliping assign`` writes beside its output: the new articles that fit no topic, grouped.
NEW_TOPICS_FILE = "new_topics.csv"


def _cmd_topics(args) -> int:
    from kliping.topics.edit import parse_merge, parse_rename

    rename = dict(parse_rename(text) for text in args.rename)
    merge = [parse_merge(text) for text in args.merge]
    from kliping import outputs

    if not rename and not merge:
        result, _ = outputs.read_run(args.output)
        print(result.topics[["topic", "size", "label"]].to_string(index=False))
        return 0
    edited = outputs.edit_outputs(args.output, rename, merge)
    m = edited.metrics
    before = m["edits"][-1]["edited_run_id"]
    print(f"{m['k']} topics after the edit (run {before} -> {m['run_id']}); wrote {args.output}/")
    print(edited.topics[["topic", "size", "label"]].to_string(index=False))
    return 0


def _cmd_report(args) -> int:
    from kliping import config
    from kliping.io import fields

    settings = _settings(args, args.input, args.output)
    fields.check_fields(settings.path, **settings.fields)  # before pandas is imported: a wrong field fails fast
    from kliping import io

    io.corpus_path(settings.path)
    check_output(args.output or settings.output_dir, [settings.path], folder=True)  # as typed: a link too
    missing = [name for name in NOTEBOOK_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        print(
            f"kliping: error: kliping report needs the notebooks extra ({', '.join(missing)} missing): "
            "pip install 'kliping[notebooks]'",
            file=sys.stderr,
        )
        return 2
    from kliping.base import locks
    from kliping.report import render

    html = args.html or (None if config.IN_CHECKOUT else settings.output_dir / "html")
    with locks.hold(config.work_dir()):  # a second report in this work folder waits: never a mixed report
        status = render.main(settings=settings, output_dir=html, screenshot_dir=None if args.no_screenshots else "auto")
    if status == 0:
        _warn_about_the_run(settings)
    return status


def _warn_about_the_run(settings) -> None:
    """What the notebooks' kernels warned about the run, said on the command line as ``kliping run`` says it:
    nothing to cluster, or a k lowered to the articles that can be clustered (read back from ``metrics.json``)."""
    import json

    from kliping import pipeline

    try:
        m = json.loads((settings.output_dir / "metrics.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    n = m.get("n_clustered", 0)
    if not n:
        print(f"kliping: warning: {pipeline.NOTHING_TO_CLUSTER}", file=sys.stderr)
    elif settings.k and settings.k > n:
        print(f"kliping: warning: {pipeline.k_lowered(settings.k, n)}", file=sys.stderr)


COMMANDS = {
    "read": _cmd_read,
    "clean": _cmd_clean,
    "run": _cmd_run,
    "assign": _cmd_assign,
    "report": _cmd_report,
    "topics": _cmd_topics,
}
