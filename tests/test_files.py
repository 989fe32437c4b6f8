"""The reader opens regular files only, and decodes tables per line: hostile folders and a real corpus.

Every read of a hostile input runs in a child process under a timeout, so a regression (a FIFO that blocks,
``/dev/zero`` read to the end) fails the test instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

from kliping import io
from kliping.io.files import ReadLimits
from tests.conftest import require_shared

TIMEOUT = 120  # seconds; the reads below take well under 10


def read_in_child(path, *options, tmp_path: Path) -> tuple[pd.DataFrame, str]:
    """``kliping read PATH -o manifest.parquet`` in a child process; a hang is a TimeoutExpired, i.e. a failure."""
    out = tmp_path / "manifest.parquet"
    result = subprocess.run(
        [sys.executable, "-m", "kliping.cli", "read", str(path), "-o", str(out), *options],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return pd.read_parquet(out).set_index("id"), result.stderr


@pytest.fixture
def hostile_folder(tmp_path: Path, seed_dir: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for page in seed_dir.glob("*.txt"):
        (folder / page.name).write_bytes(page.read_bytes())
    os.mkfifo(folder / "pipa.txt")  # a FIFO placed directly in the folder
    os.mkfifo(tmp_path / "fifo-luar")
    (folder / "ke-fifo.txt").symlink_to(tmp_path / "fifo-luar")  # a link to a FIFO
    (folder / "nol.txt").symlink_to("/dev/zero")  # a device that never ends
    secret = tmp_path / "rahasia.txt"
    secret.write_text("KATA SANDI: jangan dibaca\n", encoding="utf-8")
    (folder / "secret.txt").symlink_to(secret)  # a file outside the folder
    (folder / "hilang.txt").symlink_to(tmp_path / "tidak-ada")  # dangling
    first_seed = sorted(seed_dir.glob("*.txt"))[0]
    (folder / "salinan.txt").symlink_to(folder / first_seed.name)  # a link inside the folder is fine
    return folder


def test_a_hostile_folder_is_read_without_hanging(hostile_folder, tmp_path):
    frame, stderr = read_in_child(hostile_folder, tmp_path=tmp_path)
    status = frame["status"].to_dict()
    assert status["pipa"] == status["ke-fifo"] == status["nol"] == "unsupported"
    assert status["secret"] == "link_outside" and status["hilang"] == "unreadable"
    assert status["salinan"] == "ok"
    assert (frame["status"] == "ok").sum() == 3  # the two seeds and the link to one of them
    assert "jangan dibaca" not in "".join(frame["text"].fillna(""))
    for name, words in [("pipa.txt", "FIFO"), ("ke-fifo.txt", "FIFO"), ("nol.txt", "character device"),
                        ("secret.txt", "--follow-links")]:  # fmt: skip
        assert any(name in line and words in line for line in stderr.splitlines()), (name, stderr)


def test_follow_links_reads_a_file_outside_but_never_a_fifo_or_device(hostile_folder, tmp_path):
    frame, _ = read_in_child(hostile_folder, "--follow-links", tmp_path=tmp_path)
    assert frame.loc["secret", "status"] == "ok" and "jangan dibaca" in frame.loc["secret", "text"]
    assert frame.loc["ke-fifo", "status"] == frame.loc["nol", "status"] == "unsupported"


@pytest.mark.parametrize("name", ["x.jsonl", "x.txt", "x.csv"])
def test_a_fifo_named_as_the_corpus_is_a_row_not_a_hang(tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    frame, stderr = read_in_child(fifo, tmp_path=tmp_path)
    assert frame["status"].tolist() == ["unsupported"] and "FIFO" in stderr


def test_a_link_to_dev_zero_named_as_the_corpus(tmp_path):
    link = tmp_path / "nol.jsonl"
    link.symlink_to("/dev/zero")
    frame, stderr = read_in_child(link, tmp_path=tmp_path)
    assert frame["status"].tolist() == ["unsupported"] and "character device" in stderr


def test_a_file_over_the_limit_is_too_large(tmp_path, seed_dir):
    folder = tmp_path / "corpus"
    folder.mkdir()
    page = sorted(seed_dir.glob("*.txt"))[0].read_bytes()
    (folder / "kecil.txt").write_bytes(page)
    (folder / "besar.txt").write_bytes(page * (2 * 1024 * 1024 // len(page) + 1))  # just over 2 MB
    frame, stderr = read_in_child(folder, "--max-file-mb", "2", tmp_path=tmp_path)
    assert frame["status"].to_dict() == {"besar": "too_large", "kecil": "ok"}
    assert "besar.txt" in stderr and "--max-file-mb" in stderr
    frame, _ = read_in_child(folder, tmp_path=tmp_path)  # the default 50 MB reads both
    assert set(frame["status"]) == {"ok"}


def test_a_bad_limit_is_one_line(tmp_path, seed_dir):
    result = subprocess.run(
        [sys.executable, "-m", "kliping.cli", "read", str(seed_dir), "--max-file-mb", "0"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr


# --------------------------------------------------------------------------- decoding per record
def clickid_lines(n: int) -> list[bytes]:
    path = require_shared("corpora/clickid_labelled_news/articles.jsonl")
    with open(path, "rb") as handle:
        return [next(handle) for _ in range(n)]


def read_quietly(path, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = io.read_corpus(path, **kwargs)
    return frame, [str(w.message) for w in caught if issubclass(w.category, io.InputWarning)]


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_one_bad_byte_in_a_thousand_real_lines_stays_utf8(tmp_path, suffix):
    lines = clickid_lines(1000)
    records = [json.loads(line) for line in lines]
    source = tmp_path / f"asli{suffix}"
    if suffix == ".jsonl":
        source.write_bytes(b"".join(lines))
    else:
        pd.DataFrame(records)[["id", "title", "content"]].to_csv(source, index=False)
    data = source.read_bytes()
    # One invalid byte (0xff never occurs in UTF-8) after the first words of the 500th article's text.
    words = records[499]["content"][:12]
    assert words.isascii()
    at = data.index(words.encode(), data.index(records[499]["id"].encode())) + len(words)
    broken = tmp_path / f"rusak{suffix}"
    broken.write_bytes(data[:at] + b"\xff" + data[at:])

    good, _ = read_quietly(source)
    frame, problems = read_quietly(broken)
    assert len(frame) == 1000 and set(frame["status"]) == {"ok"}
    assert frame["id"].tolist() == good["id"].tolist() and frame["title"].tolist() == good["title"].tolist()
    same = frame["text"] == good["text"]
    assert same.sum() == 999 and not same.iloc[499]
    assert frame.loc[499, "text"] == good.loc[499, "text"].replace(words, words + "\ufffd", 1)
    assert frame["decode_errors"].tolist() == [0] * 499 + [1] + [0] * 500
    assert len(problems) == 1 and "invalid UTF-8" in problems[0] and f"rusak{suffix}:" in problems[0]
    assert not frame["text"].str.contains("â\x80|Â\xa0").any()  # no mojibake anywhere


def test_a_cp1252_table_is_still_read_as_cp1252(tmp_path):
    lines = clickid_lines(200)
    texts = [json.loads(line)["content"] for line in lines]
    path = tmp_path / "lama.jsonl"
    path.write_bytes(
        b"".join(json.dumps({"text": t}, ensure_ascii=False).encode("cp1252", "replace") + b"\n" for t in texts)
    )
    frame, problems = read_quietly(path)
    assert problems == [] and set(frame["status"]) == {"ok"}
    expected = [t.encode("cp1252", "replace").decode("cp1252").strip() for t in texts]
    assert frame["text"].tolist() == [io.normalise_text(t) for t in expected]
    assert (frame["text"].str.contains("[“”–]")).any()  # the curly quotes and dashes came through


def test_a_csv_cell_larger_than_the_csv_default_limit(tmp_path):
    lines = clickid_lines(50)
    body = " ".join(json.loads(line)["content"] for line in lines)
    body = (body + " ") * (200_000 // len(body) + 1)  # over 131,072 characters, the csv module's default
    path = tmp_path / "panjang.csv"
    pd.DataFrame({"id": ["a", "b"], "text": [body, "Gempa di Bali"]}).to_csv(path, index=False)
    frame, problems = read_quietly(path)
    assert problems == [] and frame["status"].tolist() == ["ok", "ok"]
    assert frame.loc[0, "text"] == body.strip()


def test_limits_from_the_environment():
    assert ReadLimits.from_environ({}) == ReadLimits(follow_links=False, max_file_mb=50.0)
