"""Failures a user can cause end with one line naming the file, exit 2, no traceback (unless --debug)."""

from __future__ import annotations

import errno

import pytest

from kliping import cli, outputs


@pytest.fixture
def full_disk(monkeypatch, tmp_path):
    target = tmp_path / "out" / "assignments.csv"

    def write_outputs(result, output_dir, settings=None):
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(outputs, "write_outputs", write_outputs)
    return target


def test_a_full_disk_is_one_line(full_disk, seed_dir, capsys, monkeypatch):
    monkeypatch.delenv("KLIPING_DEBUG", raising=False)
    status = cli.main(["run", str(seed_dir), "-o", str(full_disk.parent), "--k", "1"])
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]
    assert status == 2 and "Traceback" not in err
    assert last.startswith(f"kliping: error: {full_disk}: No space left on device") and "-o" in last


def test_debug_shows_the_traceback(full_disk, seed_dir, monkeypatch):
    monkeypatch.setenv("KLIPING_DEBUG", "1")
    with pytest.raises(OSError, match="No space left"):
        cli.main(["run", str(seed_dir), "-o", str(full_disk.parent), "--k", "1"])
