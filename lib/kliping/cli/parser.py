"""The parser of the ``kliping`` command line: its commands and their options (:func:`build_parser`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from kliping.base.version import __version__

INPUT_HELP = "a folder of .txt/.html pages, a page, a .jsonl or a .csv"


def _add_input_output(command: argparse.ArgumentParser, output_help: str, required: bool = True) -> None:
    """The corpus a command reads and its ``-o`` (``read``, ``clean``, ``run``, ``assign``)."""
    command.add_argument("input", type=Path, help=INPUT_HELP)
    command.add_argument("-o", "--output", type=Path, required=required, help=output_help)


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
        help="clustering method (default: auto, spectral; above 5,000 articles on 2,000 landmarks)",
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
    _add_input_output(read, "write the manifest here (.csv, .jsonl or .parquet)", required=False)
    _add_field_options(read, label=True)

    clean = commands.add_parser("clean", help="cut the article out of each page, line by line")
    _add_input_output(clean, "the JSONL file to write")
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
    _add_input_output(
        run,
        "the folder to write assignments.csv, topics.csv, kliping.xlsx, metrics.json, articles.parquet and the "
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
    _add_input_output(assign, "the file to write, with the columns of assignments.csv (.csv, .jsonl or .parquet)")
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
