"""The command line's options as what the stages take: the fields named, the run settings (options first, then
the ``KLIPING_*`` environment), the read limits passed on to notebook kernels, and the ``-o`` check before any work."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path


def _apply_read_options(args) -> None:
    """Pass the read options on as ``KLIPING_*`` variables, so notebook kernels read with the same limits."""
    from kliping.io import files

    given = {"KLIPING_MAX_FILE_MB": str(args.max_file_mb)} if getattr(args, "max_file_mb", None) is not None else {}
    files.ReadLimits.from_environ({**os.environ, **given})  # a bad value is one line now, before it is passed on
    os.environ.update(given)
    if getattr(args, "follow_links", None):
        os.environ["KLIPING_FOLLOW_LINKS"] = "1"


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
