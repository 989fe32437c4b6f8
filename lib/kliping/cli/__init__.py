"""The ``kliping`` command line (``kliping.cli:main``): the parser in :mod:`kliping.cli.parser`, the options
turned into settings in :mod:`kliping.cli.options`, one function per command in :mod:`kliping.cli.commands`.

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

import os
import sys
import warnings

from kliping.cli.commands import COMMANDS, NEW_TOPICS_FILE, NOTEBOOK_PACKAGES
from kliping.cli.options import _apply_read_options, check_output
from kliping.cli.parser import INPUT_HELP, build_parser

__all__ = ["COMMANDS", "INPUT_HELP", "NEW_TOPICS_FILE", "NOTEBOOK_PACKAGES", "build_parser", "check_output", "main"]


def _short_warning(message, category, filename, lineno, file=None, line=None) -> str:
    # One line per warning, without the source line of kliping's own code.
    from kliping.base.safety import printable

    return f"kliping: warning: {printable(message)}\n"


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (130 after Ctrl-C)."""
    interrupted = _note_interrupts()
    try:
        return _main(argv)
    except KeyboardInterrupt:
        pass
    except Exception:
        # After Ctrl-C, an error is the interruption's: a notebook kernel it reached died (DeadKernelError), an
        # import it stopped failed as an ImportError (numpy's, seen 0.3 s into a run), not a second failure.
        if not interrupted:
            raise
    # Said once the interrupted work has unwound (its pools ended, its progress bars closed, a bar once printed
    # after this line): the last line, the only one besides those of the work.
    print("kliping: interrupted", file=sys.stderr)
    return 130


def _main(argv: list[str] | None) -> int:
    """:func:`main` but for Ctrl-C, which raises :class:`KeyboardInterrupt` (or the error it caused)."""
    args = build_parser().parse_args(argv)  # first: --help and a wrong option import no pandas (1.8 s before)
    from kliping.config import SettingError
    from kliping.io import CorpusFormatError, CorpusNotFoundError
    from kliping.io.fields import FieldNotFoundError

    warnings.formatwarning = _short_warning
    debug = args.debug or os.environ.get("KLIPING_DEBUG", "").strip() not in ("", "0")
    try:
        _apply_read_options(args)
        return COMMANDS[args.command](args)
    except FieldNotFoundError as error:
        print(f"kliping: error: {error.option_message}", file=sys.stderr)
        return 2
    except (CorpusNotFoundError, CorpusFormatError, SettingError) as error:
        print(f"kliping: error: {error}", file=sys.stderr)
        return 2
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
