"""Shared test fixtures: the read-only corpora beside the checkout.

Tests that need ``../shared`` skip with a visible reason when it is absent,
except under CI (``CI=true``), where its absence is a failure.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from kliping import config

#: The plain-token pattern as first written, for Python's re: the reference the tokenizer (which runs it in RE2 over
#: whole columns, kliping.stem.tokens) is checked against.
PLAIN_TOKEN = re.compile(r"\d+(?:[.,:/]\d+)+|\w+(?:[-'’]\w+)*")


def skip_or_fail(message: str) -> None:
    """Skip the test with a visible reason; under CI (``CI=true``) the missing piece is a failure instead."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + "; CI=true requires it")
    pytest.skip(message)


def require_shared(relative: str) -> Path:
    """Return ``config.SHARED_DIR / relative``, or skip (fail under CI) when it is missing."""
    path = config.SHARED_DIR / relative
    if not path.exists():
        skip_or_fail(f"{path} is not here (the shared corpora sit beside the checkout as ../shared)")
    return path


@pytest.fixture(scope="session")
def dev_lines_path() -> Path:
    return require_shared(str(config.DEV_LINES_FILE.relative_to(config.SHARED_DIR)))


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return require_shared("corpora/clickid_labelled_news/sample_stratified.jsonl")


@pytest.fixture(scope="session")
def seed_dir(tmp_path_factory) -> Path:
    """A folder of the two seed pages alone (data/raw also holds the embedded CLICK-ID shard)."""
    import shutil

    folder = tmp_path_factory.mktemp("seeds")
    for page in sorted(config.RAW_DIR.glob("*.txt")):
        shutil.copy(page, folder / page.name)
    return folder


def embedded_records(start: int, stop: int) -> list[dict]:
    """Records ``start:stop`` of the embedded CLICK-ID shard (real articles, always in the checkout)."""
    import gzip
    import json

    with gzip.open(config.RAW_DIR / "clickid_sample.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [json.loads(line) for number, line in enumerate(handle) if start <= number < stop]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    """``records`` as a JSONL file at ``path`` (UTF-8, one object a line)."""
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def live_children(pid: int) -> list[int]:
    """The live (not zombie) children of process ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid) and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def outliving(pids: list[int], seconds: float = 10.0) -> list[int]:
    """The processes of ``pids`` still alive after waiting up to ``seconds`` for them to end."""
    import time

    deadline = time.monotonic() + seconds
    while any(Path(f"/proc/{pid}").exists() for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [pid for pid in pids if Path(f"/proc/{pid}").exists()]
