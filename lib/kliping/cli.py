"""The ``kliping`` command line.

Examples
--------
Read a corpus and count what came in::

    kliping read data/raw

Cut the articles out of their pages::

    kliping clean data/raw -o clean.jsonl

Run the whole pipeline (read, clean, stem, vectorize, cluster)::

    kliping run articles.jsonl -o out/ --label-field category_coarse
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from kliping import __version__


def _short_warning(message, category, filename, lineno, file=None, line=None) -> str:
    # One line per warning, without the source line of kliping's own code.
    return f"kliping: warning: {message}\n"


def _add_field_options(parser: argparse.ArgumentParser, label: bool = False) -> None:
    parser.add_argument("--text-field", metavar="F", help="JSONL/CSV field with the article text "
                        "(default: the first of text, content, body, ...)")
    parser.add_argument("--title-field", metavar="F", help="field with the title (default: title)")
    parser.add_argument("--id-field", metavar="F", help="field with a stable id (default: id, else file and line)")
    if label:
        parser.add_argument("--label-field", metavar="F",
                            help="field with a known category, to score the topics against (NMI, ARI)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kliping",
        description="Cut the article out of scraped Indonesian news pages, stem it, cluster it into topics.")
    parser.add_argument("--version", action="version", version=f"kliping {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    read = commands.add_parser("read", help="read a corpus and count its articles by status")
    read.add_argument("input", type=Path, help="a folder of .txt/.html pages, a page, a .jsonl or a .csv")
    read.add_argument("-o", "--output", type=Path, help="write the manifest here (.csv, .jsonl or .parquet)")
    _add_field_options(read, label=True)

    clean = commands.add_parser("clean", help="cut the article out of each page, line by line")
    clean.add_argument("input", type=Path, help="a folder of .txt/.html pages, a page, a .jsonl or a .csv")
    clean.add_argument("-o", "--output", type=Path, required=True, help="the JSONL file to write")
    _add_field_options(clean)

    run = commands.add_parser("run", help="read, clean, stem, vectorize and cluster a corpus")
    run.add_argument("input", type=Path, help="a folder of .txt/.html pages, a page, a .jsonl or a .csv")
    run.add_argument("-o", "--output", type=Path, required=True, help="the folder to write "
                     "assignments.csv, topics.csv and metrics.json into")
    _add_field_options(run, label=True)
    run.add_argument("--k", type=int, default=None, help="number of topics (default: chosen automatically)")
    run.add_argument("--seed", type=int, default=None, help="random seed (default: 42)")

    commands.add_parser("report", help="execute the notebooks and render the HTML report (as `make report`)")
    return parser


def _cmd_read(args) -> int:
    from kliping import io

    articles = io.read_corpus(args.input, text_field=args.text_field, title_field=args.title_field,
                              id_field=args.id_field, label_field=args.label_field)
    print(io.status_counts(articles).to_string(index=False))
    if args.output:
        io.write_table(articles, args.output)
        print(f"wrote {len(articles)} rows to {args.output}", file=sys.stderr)
    return 0


def _cmd_clean(args) -> int:
    from kliping import records as clean  # the output format of kliping clean

    return clean.clean_command(args.input, args.output, text_field=args.text_field,
                               title_field=args.title_field, id_field=args.id_field)


def _cmd_run(args) -> int:
    from kliping import pipeline

    return pipeline.run_command(args.input, args.output, text_field=args.text_field,
                                title_field=args.title_field, id_field=args.id_field,
                                label_field=args.label_field, k=args.k, seed=args.seed)


def _cmd_report(args) -> int:
    from kliping import report

    return report.main()


COMMANDS = {"read": _cmd_read, "clean": _cmd_clean, "run": _cmd_run, "report": _cmd_report}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    from kliping.io import CorpusFormatError, CorpusNotFoundError

    args = build_parser().parse_args(argv)
    warnings.formatwarning = _short_warning
    try:
        return COMMANDS[args.command](args)
    except (CorpusNotFoundError, CorpusFormatError) as error:
        print(f"kliping: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kliping: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
