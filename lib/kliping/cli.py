"""The ``kliping`` command line.

Examples
--------
Read a corpus and count what came in::

    kliping read data/raw

Cut the articles out of their pages::

    kliping clean data/raw -o clean.jsonl

Run the whole pipeline (read, clean, stem, vectorize, cluster) and write its files and its topic model::

    kliping run articles.jsonl -o out/ --label-field category_coarse

Place tomorrow's articles among today's topics (the model ``kliping run`` saved in ``out/model``)::

    kliping assign out/model besok.jsonl -o besok_topics.csv

Name and merge a run's topics (its files, model and report follow)::

    kliping topics out/ --rename 0="Sepak bola" --merge 1,2

Execute the notebooks on a corpus and render them as HTML pages::

    kliping report articles.jsonl --label-field category_coarse -o out/
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import os
import sys
import warnings
from pathlib import Path

from kliping.base.version import __version__

#: What ``kliping report`` imports to execute and render the notebooks (the ``notebooks`` extra).
NOTEBOOK_PACKAGES = ("nbformat", "nbclient", "nbconvert", "ipykernel", "jinja2")
INPUT_HELP = "a folder of .txt/.html pages, a page, a .jsonl or a .csv"


def _short_warning(message, category, filename, lineno, file=None, line=None) -> str:
    # One line per warning, without the source line of kliping's own code.
    from kliping.base.safety import printable

    return f"kliping: warning: {printable(message)}\n"


def _add_field_options(parser: argparse.ArgumentParser, label: bool = False) -> None:
    parser.add_argument(
        "--text-field",
        metavar="F",
        help="JSONL/CSV field with the article text (default: the first of text, content, body, ...)",
    )
    parser.add_argument("--title-field", metavar="F", help="field with the title (default: title)")
    parser.add_argument("--id-field", metavar="F", help="field with a stable id (default: id, else file and line)")
    parser.add_argument(
        "--date-field", metavar="F", help="field with the publication date (default: date, tanggal or published)"
    )
    parser.add_argument(
        "--url-field", metavar="F", help="field with the article's address (default: url, link, tautan)"
    )
    parser.add_argument("--site-field", metavar="F", help="field with the site (default: site, source; else the url's)")
    if label:
        parser.add_argument(
            "--label-field", metavar="F", help="field with a known category, to score the topics against (NMI, ARI)"
        )


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--k", type=int, default=None, help="number of topics (default: chosen automatically)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: 42)")
    parser.add_argument(
        "--method",
        choices=("auto", "spectral", "kmeans"),
        default=None,
        help="clustering method (default: auto, spectral up to 5,000 articles)",
    )
    parser.add_argument(
        "--languages",
        metavar="CODES",
        default=None,
        help="languages to cluster, ISO 639-1 codes among id, ms, en (default: id); articles in other languages "
        "keep their row with topic -1 and their language in the reason",
    )
    parser.add_argument(
        "--period",
        choices=("day", "week", "month"),
        default=None,
        help="the period topics_over_time.csv counts in (default: chosen from the span of the dates)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kliping",
        description="Cut the article out of scraped Indonesian news pages, stem it, cluster it into topics.",
    )
    parser.add_argument("--version", action="version", version=f"kliping {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error (also KLIPING_DEBUG=1)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    read = commands.add_parser("read", help="read a corpus and count its articles by status")
    read.add_argument("input", type=Path, help=INPUT_HELP)
    read.add_argument("-o", "--output", type=Path, help="write the manifest here (.csv, .jsonl or .parquet)")
    _add_field_options(read, label=True)

    clean = commands.add_parser("clean", help="cut the article out of each page, line by line")
    clean.add_argument("input", type=Path, help=INPUT_HELP)
    clean.add_argument("-o", "--output", type=Path, required=True, help="the JSONL file to write")
    _add_field_options(clean)

    run = _add_run_command(commands)
    assign = _add_assign_command(commands)
    report = _add_report_command(commands)
    _add_topics_command(commands)
    for command in (read, clean, run, assign, report):
        _add_read_options(command)
    return parser


def _add_run_command(commands) -> argparse.ArgumentParser:
    run = commands.add_parser("run", help="read, clean, stem, vectorize and cluster a corpus")
    run.add_argument("input", type=Path, help=INPUT_HELP)
    run.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        help="the folder to write assignments.csv, topics.csv, kliping.xlsx, metrics.json, articles.parquet and the "
        "topic model (model/) into",
    )
    _add_field_options(run, label=True)
    _add_run_options(run)
    run.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="run on Dask: local (a LocalCluster on this machine) or tcp://host:8786 (a running scheduler); "
        "default: $KLIPING_SCHEDULER, else in this process. Needs pip install 'kliping[scale]'",
    )
    run.add_argument(
        "--workers", type=int, metavar="N", default=None, help="workers of --scheduler local (default: cores)"
    )
    run.add_argument(
        "--worker-memory", metavar="SIZE", default=None, help="memory limit per local worker (default: 2GB)"
    )
    return run


def _add_assign_command(commands) -> argparse.ArgumentParser:
    assign = commands.add_parser(
        "assign",
        help="place new articles among the topics of an earlier run (its model/ folder)",
        description="Read, clean and stem the articles, then give each the nearest topic of a saved model; an "
        "article far from every topic gets topic -1 and the reason. On the articles the model was fitted on it "
        "gives the run's topics.",
    )
    assign.add_argument(
        "model", type=Path, help="the model/ folder of an earlier `kliping run` or `make report` (or its output folder)"
    )
    assign.add_argument("input", type=Path, help=INPUT_HELP)
    assign.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        help="the file to write, with the columns of assignments.csv (.csv, .jsonl or .parquet)",
    )
    _add_field_options(assign, label=True)
    return assign


def _add_topics_command(commands) -> None:
    topics = commands.add_parser(
        "topics",
        help="list, rename and merge the topics of a run (its files, model and report follow)",
        description="Without options, list the run's topics. --rename and --merge (topic numbers before the edit) "
        "rewrite the run's files and model as one set, with a new run id and the edit in metrics.json and model/.",
    )
    topics.add_argument("output", type=Path, help="the -o folder of `kliping run` or `kliping report`")
    topics.add_argument(
        "--rename", action="append", default=[], metavar="N=LABEL", help='name topic N, e.g. --rename 0="Sepak bola"'
    )
    topics.add_argument(
        "--merge", action="append", default=[], metavar="N,M", help="merge topics N, M, ... into one, e.g. --merge 1,2"
    )


def _add_report_command(commands) -> argparse.ArgumentParser:
    report = commands.add_parser(
        "report",
        help="execute the notebooks on a corpus and render them as HTML pages (as `make report`)",
        description="Execute the numbered notebooks top to bottom on a corpus, write the run's files and model "
        "(as `kliping run`) and render the notebooks as HTML pages with an index. "
        "Needs the notebooks extra: pip install 'kliping[notebooks]'.",
    )
    report.add_argument(
        "input",
        type=Path,
        nargs="?",
        help=INPUT_HELP + " (default: $KLIPING_CORPUS, else the embedded sample in data/raw)",
    )
    report.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="folder for the run's files and model (default: $KLIPING_OUT, else data/processed, or "
        "data/processed/<corpus name> for a corpus other than the embedded one)",
    )
    report.add_argument(
        "--html",
        type=Path,
        default=None,
        help="folder for the HTML pages (default: $KLIPING_HTML_DIR, else reports/html for the embedded "
        "corpus and reports/<corpus name>/html for another in a checkout, else OUTPUT/html)",
    )
    report.add_argument("--no-screenshots", action="store_true", help="skip the screenshots of the pages")
    _add_field_options(report, label=True)
    _add_run_options(report)
    return report


def _add_read_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--follow-links",
        action="store_true",
        default=None,
        help="follow symlinks that lead out of the corpus folder (default: such links get status link_outside)",
    )
    parser.add_argument(
        "--max-file-mb",
        type=float,
        metavar="MB",
        default=None,
        help="largest file read, in MB; a larger one gets status too_large (default: 50)",
    )


def _apply_read_options(args) -> None:
    """Pass the read options on as ``KLIPING_*`` variables, so notebook kernels read with the same limits."""
    from kliping.io import files

    given = {"KLIPING_MAX_FILE_MB": str(args.max_file_mb)} if getattr(args, "max_file_mb", None) is not None else {}
    files.ReadLimits.from_environ({**os.environ, **given})  # a bad value is one line now, before it is passed on
    os.environ.update(given)
    if getattr(args, "follow_links", None):
        os.environ["KLIPING_FOLLOW_LINKS"] = "1"


def _cmd_read(args) -> int:
    from kliping.io import fields

    if args.output:
        check_output(args.output, [args.input])
    fields.check_fields(args.input, **_fields(args))
    from kliping import io
    from kliping.base import atomic

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


def _fields(args) -> dict:
    """The field options given (``label_field`` only where the command has it)."""
    from kliping.config import FIELD_NAMES

    return {name: getattr(args, name, None) for name in FIELD_NAMES}


def _settings(args, path: Path | None, output: Path | None):
    """The run settings the options name; options not given fall back to the ``KLIPING_*`` environment.

    Paths given on the command line are taken from the current folder (``KLIPING_*`` paths from the project root).
    """
    from kliping import config

    environ = dict(os.environ)
    if path is not None:
        environ["KLIPING_CORPUS"] = str(Path(path).expanduser().absolute())
    if output is not None:
        environ["KLIPING_OUT"] = str(Path(output).expanduser().absolute())
    defaults = config.run_settings(environ)
    chosen = {
        **_fields(args),
        "k": getattr(args, "k", None),
        "seed": getattr(args, "seed", None),
        "method": getattr(args, "method", None),
        "languages": getattr(args, "languages", None),
        "period": getattr(args, "period", None),
    }
    given = {name: value for name, value in chosen.items() if value is not None}
    return dataclasses.replace(defaults, **given)


def check_output(path: Path, inputs, folder: bool = False) -> None:
    """Stop before any work when ``-o`` cannot be written or would replace what is not kliping's to replace
    (:func:`kliping.base.safety.check_output`; a run's folder also by :func:`kliping.outputs.check_run_folder`)."""
    if folder:
        from kliping.outputs import check_run_folder

        check_run_folder(path, inputs)
    else:
        from kliping.base.safety import check_output as check

        check(path, inputs)


def _cmd_run(args) -> int:
    from kliping.io import fields

    settings = _settings(args, args.input, args.output)
    fields.check_fields(settings.path, **settings.fields)  # before pandas is imported: a wrong field fails fast
    from kliping import io, outputs, pipeline

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


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    from kliping.config import SettingError
    from kliping.io import CorpusFormatError, CorpusNotFoundError
    from kliping.io.fields import FieldNotFoundError

    args = build_parser().parse_args(argv)
    warnings.formatwarning = _short_warning
    debug = args.debug or os.environ.get("KLIPING_DEBUG", "").strip() not in ("", "0")
    interrupted = _note_interrupts()
    try:
        _apply_read_options(args)
        return COMMANDS[args.command](args)
    except FieldNotFoundError as error:
        print(f"kliping: error: {error.option_message}", file=sys.stderr)
        return 2
    except (CorpusNotFoundError, CorpusFormatError, SettingError) as error:
        print(f"kliping: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kliping: interrupted", file=sys.stderr)
        return 130
    except OSError as error:
        if debug:
            raise
        # A full or read-only disk, a vanished folder: one line naming the file, not a traceback after the work.
        where = f"{error.filename}: " if error.filename else ""
        print(
            f"kliping: error: {where}{error.strerror or error} "
            "(free some space or fix the permissions, or choose another folder with -o; --debug for details)",
            file=sys.stderr,
        )
        return 2
    except Exception as error:
        if interrupted and type(error).__name__ == "DeadKernelError":
            # Ctrl-C reaches the notebook kernel too; its death is the interruption, not a second failure.
            print("kliping: interrupted", file=sys.stderr)
            return 130
        raise


def _note_interrupts() -> list:
    """A list that gets an item when SIGINT arrives (Ctrl-C still raises KeyboardInterrupt as usual)."""
    import signal

    seen: list = []
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:

        def handler(signum, frame):
            seen.append(signum)
            signal.default_int_handler(signum, frame)

        try:
            signal.signal(signal.SIGINT, handler)
        except ValueError:  # not the main thread
            pass
    return seen


if __name__ == "__main__":
    sys.exit(main())
