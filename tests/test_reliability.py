"""Issue 25, the classes outside the reader: outputs that never clobber, CSV cells that stay one cell, a model
loader that reads only its own regular files, numeric options checked up front, scheduler addresses that do not
speak Dask, and terminal escapes in warnings. Each case ends in bounded time with exit 0, or exit 2 and one line
without a traceback; the inputs are generated, so other inputs of the same kinds go through the same defences."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import kliping
from kliping import cli, outputs, pipeline
from kliping.base import atomic
from kliping.topics import modelfiles

KLIPING = Path(sys.executable).with_name("kliping")
FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n")


def one_line_error(status: int, err: str) -> bool:
    lines = err.strip().splitlines()
    return status == 2 and "Traceback" not in err and len(lines) >= 1 and lines[-1].startswith("kliping: error:")


@pytest.fixture(scope="module")
def run_result(seed_dir):
    return pipeline.run(seed_dir, k=1, progress=False)


@pytest.fixture(scope="module")
def saved(run_result, tmp_path_factory):
    out = tmp_path_factory.mktemp("saved") / "out"
    outputs.write_outputs(run_result, out)
    return out


@pytest.fixture
def no_work(monkeypatch):
    """Any reading or running past the checks fails the test: a refusal must come before any work."""

    def refuse(*args, **kwargs):
        raise AssertionError("work started before the refusal")

    from kliping import io as kio
    from kliping import scale

    for owner, name in ((pipeline, "run"), (pipeline, "load"), (kio, "read_corpus"), (scale, "run")):
        monkeypatch.setattr(owner, name, refuse)
    monkeypatch.delenv("KLIPING_DEBUG", raising=False)
    monkeypatch.delenv("KLIPING_MAX_FILE_MB", raising=False)  # the CLI passes its read options on in os.environ


# 1. Outputs that never clobber ------------------------------------------------------------------------------


def _hostile_target(kind: str, tmp_path: Path, corpus: Path) -> Path:
    if kind == "fifo":
        os.mkfifo(tmp_path / "pipa")
        return tmp_path / "pipa"
    if kind == "symlink":
        (tmp_path / "rahasia.txt").write_text("milik pengguna")
        os.symlink(tmp_path / "rahasia.txt", tmp_path / "tautan")
        return tmp_path / "tautan"
    if kind == "dangling symlink":
        os.symlink(tmp_path / "tidak-ada", tmp_path / "tautan")
        return tmp_path / "tautan"
    if kind == "device":
        return Path("/dev/null")
    if kind == "the corpus":
        return corpus
    if kind == "a hard link to the corpus":
        os.link(corpus, tmp_path / "salinan.jsonl")
        return tmp_path / "salinan.jsonl"
    if kind == "the corpus by another path":
        return corpus.parent / "." / ".." / corpus.parent.name / corpus.name
    if kind == "inside the corpus folder":
        return corpus.parent / "hasil"
    if kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(tmp_path / "sok"))
        return tmp_path / "sok"
    raise ValueError(kind)


KINDS = [
    "fifo",
    "symlink",
    "dangling symlink",
    "device",
    "the corpus",
    "a hard link to the corpus",
    "the corpus by another path",
    "inside the corpus folder",
    "socket",
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", ["read", "clean", "assign", "run"])
def test_an_output_that_is_a_node_a_link_or_an_input_is_refused_before_any_work(
    command, kind, tmp_path, saved, capsys, no_work
):
    corpus_dir = tmp_path / "korpus"
    corpus_dir.mkdir()
    corpus = corpus_dir / "berita.jsonl"
    corpus.write_text(json.dumps({"id": "a", "title": "Banjir", "content": "Banjir di Bekasi " * 20}) + "\n")
    target = _hostile_target(kind, tmp_path, corpus)
    before = os.lstat(target) if os.path.lexists(target) else None
    content = corpus.read_bytes()
    given = corpus_dir if kind == "inside the corpus folder" else corpus  # a folder corpus: nothing inside it
    args = {
        "read": ["read", str(given), "-o", str(target) + ("" if kind != "inside the corpus folder" else ".csv")],
        "clean": ["clean", str(given), "-o", str(target)],
        "assign": ["assign", str(saved), str(given), "-o", str(target)],
        "run": ["run", str(given), "-o", str(target), "--k", "1"],
    }[command]
    status = cli.main(args)
    err = capsys.readouterr().err
    assert one_line_error(status, err), err
    assert "-o" in err.strip().splitlines()[-1]
    assert corpus.read_bytes() == content
    if before is not None:
        after = os.lstat(target)
        assert (after.st_ino, stat.S_IFMT(after.st_mode)) == (before.st_ino, stat.S_IFMT(before.st_mode))
    if kind == "symlink":
        assert (tmp_path / "rahasia.txt").read_text() == "milik pengguna"


def test_the_model_folder_is_an_input_of_assign(saved, seed_dir, tmp_path, capsys, no_work):
    status = cli.main(["assign", str(saved), str(seed_dir), "-o", str(saved / "model" / "model.json")])
    assert one_line_error(status, capsys.readouterr().err)
    # Beside the model, in the run's folder, is fine: it is not read.
    from kliping.base.safety import check_output

    assert check_output(saved / "besok.csv", [seed_dir, saved / "model"]) == saved / "besok.csv"


def test_a_corpus_named_like_a_run_file_in_the_output_folder_is_refused(tmp_path, run_result, capsys, no_work):
    out = tmp_path / "out"
    out.mkdir()
    run_result.articles.to_parquet(out / "articles.parquet")
    status = cli.main(["run", str(out / "articles.parquet"), "-o", str(out), "--k", "1"])
    assert one_line_error(status, capsys.readouterr().err)


@pytest.mark.parametrize("name", ["assignments.csv", "topics.csv", "articles.parquet", "model"])
def test_a_users_own_file_named_like_a_run_file_is_not_overwritten(name, tmp_path, seed_dir, capsys, no_work):
    out = tmp_path / "out"
    out.mkdir()
    mine = out / name
    if name == "model":
        mine.mkdir()
        (mine / "catatan.txt").write_text("model saya")
    else:
        mine.write_text("id,topik\nsaya,1\n")
    status = cli.main(["run", str(seed_dir), "-o", str(out), "--k", "1"])
    err = capsys.readouterr().err
    assert one_line_error(status, err) and name in err
    assert (mine / "catatan.txt").exists() if name == "model" else mine.read_text() == "id,topik\nsaya,1\n"


def _run_ids(out: Path) -> set:
    ids = {json.loads((out / "metrics.json").read_text())["run_id"]}
    ids.add(atomic.read_parquet_metadata(out / "articles.parquet")["run_id"])
    ids |= set(pd.read_parquet(out / "articles.parquet")["run_id"])
    ids.add(json.loads((out / "model" / "model.json").read_text())["run_id"])
    return ids


@pytest.mark.parametrize(
    "where", ["write_parquet", "csv_safe", "write_json", "save_model", "topics_table", "assignments"]
)
def test_a_failed_write_leaves_the_previous_set_whole(where, run_result, tmp_path, monkeypatch):
    out = tmp_path / "out"
    outputs.write_outputs(run_result, out)
    (out / "catatan.txt").write_text("milik pengguna")
    first = _run_ids(out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert len(first) == 1
    calls = {"n": 0}

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if where == "save_model":
        monkeypatch.setattr(modelfiles, "save_model", disk_full)
    elif where == "assignments":
        real = outputs.csv_safe

        def second_call_fails(frame):  # the assignments are the first CSV, topics the second
            calls["n"] += 1
            return real(frame) if calls["n"] > 1 else disk_full()

        monkeypatch.setattr(outputs, "csv_safe", second_call_fails)
    else:
        monkeypatch.setattr(outputs, where, disk_full)
    with pytest.raises(OSError, match="No space"):
        outputs.write_outputs(run_result, out)
    assert _run_ids(out) == first
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert not [p for p in out.iterdir() if p.name.startswith(".kliping-new")]
    monkeypatch.undo()
    outputs.write_outputs(run_result, out)
    second = _run_ids(out)
    assert len(second) == 1 and second != first and (out / "catatan.txt").read_text() == "milik pengguna"


# 2. CSV cells that stay one cell ------------------------------------------------------------------------------

BREAKS = ["\r", "\n", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1)", "\t=1", '=HYPERLINK("http://x")', " =1+1"]


def _hostile_frame(rng) -> pd.DataFrame:
    rows = []
    for number in range(40):
        brk = BREAKS[rng.integers(len(BREAKS))]
        pay = PAYLOADS[rng.integers(len(PAYLOADS))]
        rows.append(
            {
                "id": f"{pay}{brk}{pay}" if number % 3 == 0 else f"b{number}",
                "title": f"Banjir di Bekasi{brk}{pay}",
                "kanal": brk + pay,
                "topic": int(rng.integers(-1, 4)),
            }
        )
    frame = pd.DataFrame(rows)
    frame[f"=kolom{BREAKS[0]}@x"] = "nilai"  # an input's own column name is a cell of the header row
    return frame


def _is_number(cell) -> bool:
    try:
        float(cell)
    except (TypeError, ValueError):
        return False
    return True


def _no_formula_cell(cells) -> bool:
    """No text cell starts a formula (a number such as the outlier topic -1 is a number, not a formula)."""
    return all(_is_number(c) or not str(c).startswith(FORMULA) for c in cells)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_csv_cell_with_a_line_break_stays_one_cell_and_never_starts_a_formula(seed, tmp_path):
    frame = _hostile_frame(np.random.default_rng(seed))
    path = atomic.write_table(frame, tmp_path / "hasil.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == len(frame) + 1 and {len(r) for r in rows} == {frame.shape[1]}
    assert all(_no_formula_cell(row) for row in rows)
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert len(back) == len(frame) and _no_formula_cell(back.columns)
    assert all(_no_formula_cell(back[c]) for c in back.columns)
    # Whatever a line-splitting reader does: no physical line of the file starts a formula.
    lines = path.read_text(encoding="utf-8").split("\n")
    assert _no_formula_cell(line.split(",")[0] for line in lines if line)
    # A formula is only ever prefixed, never lost: the text stays readable.
    assert back["title"].str.contains("Banjir di Bekasi").all()


def test_kliping_read_writes_hostile_titles_and_ids_as_one_row_each(tmp_path):
    rng = np.random.default_rng(7)
    records = [
        {
            "id": f"{PAYLOADS[i % len(PAYLOADS)]}{BREAKS[i % len(BREAKS)]}{i}",
            "title": f"Gempa{BREAKS[i % len(BREAKS)]}{PAYLOADS[int(rng.integers(len(PAYLOADS)))]}",
            "content": "Gempa bumi mengguncang Cianjur, warga mengungsi ke lapangan. " * 5,
            "sumber": BREAKS[(i + 3) % len(BREAKS)] + "=1+1",
        }
        for i in range(25)
    ]
    corpus = tmp_path / "berita.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    done = subprocess.run(
        [str(KLIPING), "read", str(corpus), "-o", str(tmp_path / "m.csv")], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    with (tmp_path / "m.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 26 and all(_no_formula_cell(row) for row in rows)
    assert len(pd.read_csv(tmp_path / "m.csv")) == 25


# 3. A model loader that reads only its own regular files ------------------------------------------------------


def _npz(arrays: dict) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def _huge_member_npz(name: str, shape: tuple) -> bytes:
    buffer = io.BytesIO()
    header = io.BytesIO()
    np.lib.format.write_array_header_2_0(header, {"descr": "<f4", "fortran_order": False, "shape": shape})
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{name}.npy", header.getvalue() + b"\0" * 64)  # the header writes the magic too
        for other in ("terms", "idf", "centres"):
            if other != name:
                archive.writestr(f"{other}.npy", b"")
    return buffer.getvalue()


def _tamper(folder: Path, how: str, outside: Path) -> None:
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    data, name = None, "arrays.npz"
    if how == "absolute path":
        name = str(outside / "arrays.npz")
        (outside / "arrays.npz").write_bytes((folder / "arrays.npz").read_bytes())
    elif how == "dot-dot":
        name = "../luar.npz"
        (folder.parent / "luar.npz").write_bytes((folder / "arrays.npz").read_bytes())
    elif how == "a sub folder":
        (folder / "sub").mkdir()
        (folder / "sub" / "arrays.npz").write_bytes((folder / "arrays.npz").read_bytes())
        name = "sub/arrays.npz"
    elif how == "/dev/zero":
        name, data = "/dev/zero", b""
    elif how == "fifo":
        (folder / "arrays.npz").unlink()
        os.mkfifo(folder / "arrays.npz")
        data = b""
    elif how == "symlinked arrays":
        (outside / "a.npz").write_bytes((folder / "arrays.npz").read_bytes())
        (folder / "arrays.npz").unlink()
        os.symlink(outside / "a.npz", folder / "arrays.npz")
    elif how == "symlinked model.json":
        (outside / "m.json").write_text(json.dumps(meta))
        (folder / "model.json").unlink()
        os.symlink(outside / "m.json", folder / "model.json")
        return
    elif how == "deep json":
        (folder / "model.json").write_text(json.dumps(meta)[:-1] + ', "x": ' + "[" * 200_000 + "]" * 200_000 + "}")
        return
    elif how.startswith("huge "):
        data = _huge_member_npz(how.split()[1], (10**6, 10**6))
    else:
        bad = {
            "0-d idf": {"idf": np.float64(1.0)},
            "string idf": {"idf": np.array(["a"] * len(arrays["idf"]))},
            "NaN centres": {"centres": np.full_like(arrays["centres"], np.nan)},
            "inf idf": {"idf": np.full_like(arrays["idf"], np.inf)},
            "2-d terms": {"terms": arrays["terms"].reshape(1, -1)},
            "short idf": {"idf": arrays["idf"][:-1]},
            "extra member": {"kode": np.zeros(3)},
        }
        if how == "NaN outlier floor":
            meta["outlier_cosine"] = float("nan")
        elif how == "topics not a list":
            meta["topics"] = "banyak"
        elif how == "arrays not an object":
            meta["arrays"] = ["arrays.npz"]
        else:
            data = _npz({**arrays, **bad[how]})
    if data is not None and how not in ("fifo", "/dev/zero"):
        (folder / name).write_bytes(data)
    if data is not None:
        digest = hashlib.sha256(data).hexdigest()
    else:
        target = Path(name) if Path(name).is_absolute() else folder / name
        digest = hashlib.sha256(target.read_bytes()).hexdigest() if target.is_file() else meta["arrays"]["sha256"]
    if isinstance(meta.get("arrays"), dict):
        meta["arrays"] = {"file": name, "sha256": digest}
    (folder / "model.json").write_text(json.dumps(meta), encoding="utf-8")


MODEL_CASES = [
    "absolute path",
    "dot-dot",
    "a sub folder",
    "/dev/zero",
    "fifo",
    "symlinked arrays",
    "symlinked model.json",
    "deep json",
    "huge centres",
    "huge components",
    "0-d idf",
    "string idf",
    "NaN centres",
    "inf idf",
    "2-d terms",
    "short idf",
    "extra member",
    "NaN outlier floor",
    "topics not a list",
    "arrays not an object",
]


@pytest.mark.parametrize("how", MODEL_CASES)
def test_a_model_that_points_elsewhere_or_lies_about_its_arrays_is_refused_in_one_line(how, saved, tmp_path, seed_dir):
    folder = tmp_path / "model"
    folder.mkdir()
    for path in (saved / "model").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    outside = tmp_path / "luar"
    outside.mkdir()
    _tamper(folder, how, outside)
    script = (
        "import resource, sys, kliping\n"
        "resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))\n"
        "try:\n"
        f"    kliping.load_model({str(folder)!r})\n"
        "except kliping.topics.modelfiles.ModelError as error:\n"
        "    print('refused:', error); sys.exit(3)\n"
    )
    env = os.environ | {"KLIPING_WORK_DIR": str(tmp_path / "work")}
    started = time.monotonic()
    api = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env)
    assert api.returncode == 3 and "Traceback" not in api.stderr, api.stdout + api.stderr
    done = subprocess.run(
        [str(KLIPING), "assign", str(folder), str(seed_dir), "-o", str(tmp_path / "a.csv")],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert one_line_error(done.returncode, done.stderr), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and time.monotonic() - started < 60
    assert not (tmp_path / "a.csv").exists()


def test_the_untampered_copy_still_loads(saved, tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    for path in (saved / "model").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    assert kliping.load_model(folder).k == 1


# 4. Numeric options checked up front ----------------------------------------------------------------------------

BAD_OPTIONS = [
    ["--max-file-mb", "inf"],
    ["--max-file-mb", "nan"],
    ["--max-file-mb", "-1"],
    ["--max-file-mb", "1e300"],
    ["--max-file-mb", "0"],
    ["--seed", "-1"],
    ["--seed", str(2**32)],
    ["--seed", str(10**30)],
    ["--k", "0"],
    ["--k", "-4"],
    ["--k", str(10**9)],
    ["--scheduler", "local", "--workers", "0"],
    ["--scheduler", "local", "--workers", "-3"],
    ["--scheduler", "local", "--workers", "100000"],
    ["--scheduler", "local", "--worker-memory", "1kB"],
    ["--scheduler", "local", "--worker-memory", "10MB"],
    ["--scheduler", "local", "--worker-memory", "banyak"],
    ["--scheduler", "local", "--worker-memory=-2GB"],
]


@pytest.mark.parametrize("options", BAD_OPTIONS, ids=" ".join)
def test_a_bad_number_is_refused_in_one_line_before_any_work(options, seed_dir, tmp_path, capsys, no_work):
    if "--scheduler" in options:
        pytest.importorskip("distributed", reason="the scale extra is not installed")
    status = cli.main(["run", str(seed_dir), "-o", str(tmp_path / "out"), *options])
    err = capsys.readouterr().err
    assert one_line_error(status, err) and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "out" / "metrics.json").exists()


def test_max_file_mb_is_checked_for_read_too(seed_dir, capsys, no_work):
    assert one_line_error(cli.main(["read", str(seed_dir), "--max-file-mb", "inf"]), capsys.readouterr().err)


# 5. Scheduler addresses that do not speak Dask -------------------------------------------------------------------


def _serve_http():
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<html>dashboard</html>")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def _listener(answer: bytes | None):
    """A listener on loopback that accepts and then says ``answer`` (or nothing at all, for ever)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    held = []

    def serve():
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            held.append(conn)
            if answer is not None:
                conn.sendall(answer)

    threading.Thread(target=serve, daemon=True).start()
    return sock, sock.getsockname()[1]


@pytest.mark.parametrize("kind", ["http", "silent", "garbage", "huge length", "closes"])
def test_a_scheduler_address_that_does_not_speak_dask_is_refused_within_a_bound(
    kind, seed_dir, tmp_path, capsys, monkeypatch
):
    pytest.importorskip("distributed", reason="the scale extra is not installed")
    from kliping.partitions import scheduler

    monkeypatch.setattr(scheduler, "HANDSHAKE_SECONDS", 2.0)
    monkeypatch.delenv("KLIPING_DEBUG", raising=False)
    if kind == "http":
        server, port = _serve_http()
    elif kind == "closes":
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        threading.Thread(target=lambda: server.accept()[0].close(), daemon=True).start()
    else:
        answer = {"silent": None, "garbage": b"SSH-2.0-OpenSSH\r\n", "huge length": b"\xff" * 8}[kind]
        server, port = _listener(answer)
    try:
        started, done = time.monotonic(), []
        argv = ["run", str(seed_dir), "-o", str(tmp_path / "out"), "--scheduler", f"tcp://127.0.0.1:{port}"]
        # In a thread joined with a bound: a broken defence fails the test instead of hanging it.
        worker = threading.Thread(target=lambda: done.append(cli.main(argv)), daemon=True)
        worker.start()
        worker.join(30)
        took = time.monotonic() - started
        assert done, f"kliping run --scheduler on a {kind} port still waits after {took:.0f} s"
        status = done[0]
    finally:
        (server.shutdown if kind == "http" else server.close)()
    err = capsys.readouterr().err
    assert one_line_error(status, err) and took < 15, (took, err)
    assert "Dask" in err.strip().splitlines()[-1]


def test_a_real_scheduler_passes_the_probe():
    pytest.importorskip("distributed", reason="the scale extra is not installed")
    import asyncio

    from distributed import Scheduler

    from kliping.partitions.scheduler import probe

    async def main():
        async with Scheduler(host="127.0.0.1", port=0, dashboard_address="127.0.0.1:0") as running:
            await asyncio.get_running_loop().run_in_executor(None, probe, running.address, 5.0)

    asyncio.run(main())


# 6. Terminal escapes in warnings ----------------------------------------------------------------------------------

ESCAPES = ["\x1b]0;dibajak\x07", "\x1b[2J", "\x1bc", "\x9b31m", "\u202e", "\x08\x08\x08"]


@pytest.mark.parametrize("escape", ESCAPES, ids=lambda e: e.encode("unicode_escape").decode())
def test_a_file_name_with_terminal_escapes_is_shown_escaped(escape, tmp_path):
    corpus = tmp_path / "korpus"
    corpus.mkdir()
    (corpus / "berita.txt").write_text("Banjir melanda Bekasi. " * 30, encoding="utf-8")
    bad = corpus / f"kosong{escape}.txt"
    bad.write_bytes(b"")
    done = subprocess.run([str(KLIPING), "read", str(corpus)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "kosong" in done.stderr and escape not in done.stderr
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr and "\u202e" not in done.stderr
    assert escape.encode("unicode_escape").decode("ascii") in done.stderr


# 3b. The fitted articles' signatures (model/signatures.npz) are checked as the arrays are ----------------------


def _tamper_signatures(folder: Path, how: str, outside: Path) -> None:
    """``signatures.npz`` or what ``model.json`` says of it changed as a damaged disk or a hostile hand would; the
    hash in ``model.json`` made to match, except for the plain changed byte."""
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    with np.load(folder / "signatures.npz", allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    n = len(arrays["ids"])
    name = "signatures.npz"
    if how == "a changed byte":
        data = bytearray((folder / name).read_bytes())
        data[len(data) // 2] ^= 0xFF
        (folder / name).write_bytes(bytes(data))
        return
    if how == "missing file":
        (folder / name).unlink()
        return
    if how == "not an object":
        meta["signatures"] = "signatures.npz"
        (folder / "model.json").write_text(json.dumps(meta), encoding="utf-8")
        return
    if how == "symlinked":
        (outside / "s.npz").write_bytes((folder / name).read_bytes())
        (folder / name).unlink()
        os.symlink(outside / "s.npz", folder / name)
        return
    if how == "dot-dot":
        name = "../s.npz"
        (folder.parent / "s.npz").write_bytes((folder / "signatures.npz").read_bytes())
        data = (folder.parent / "s.npz").read_bytes()
    else:
        bad = {
            "a topic the model has not": {"topic": np.full(n, 7, dtype=np.int64)},
            "short ids": {"ids": arrays["ids"][:-1]},
            "half a signature": {"signatures": arrays["signatures"][:, :32]},
            "signed signatures": {"signatures": arrays["signatures"].astype(np.int64)},
            "a repeated id": {"ids": np.array([arrays["ids"][0]] * n)},
            "NaN confidence": {"confidence": np.full(n, np.nan)},
            "pickled ids": {"ids": np.array(arrays["ids"].tolist(), dtype=object)},
            "a member of its own": {"kode": np.zeros(3)},
        }
        data = _npz({**arrays, **bad[how]}) if how in bad else None
        if how == "pickled ids":
            buffer = io.BytesIO()
            np.savez(buffer, **{**arrays, **bad[how]})  # an object array is pickled: never loaded
            data = buffer.getvalue()
        if how == "a count model.json does not say":
            meta["signatures"]["articles"] = n + 5
            data = (folder / name).read_bytes()
        (folder / name).write_bytes(data)
    meta["signatures"] = {**meta["signatures"], "file": name, "sha256": hashlib.sha256(data).hexdigest()}
    (folder / "model.json").write_text(json.dumps(meta), encoding="utf-8")


SIGNATURE_CASES = [
    "a changed byte",
    "missing file",
    "not an object",
    "symlinked",
    "dot-dot",
    "a topic the model has not",
    "short ids",
    "half a signature",
    "signed signatures",
    "a repeated id",
    "NaN confidence",
    "pickled ids",
    "a member of its own",
    "a count model.json does not say",
]


def _copied_model(saved: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    folder.mkdir()
    for path in (saved / "model").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


@pytest.mark.parametrize("how", SIGNATURE_CASES)
def test_a_tampered_signature_file_is_refused_in_one_line(how, saved, tmp_path):
    folder = _copied_model(saved, tmp_path)
    assert len(kliping.load_model(folder).fitted) == 2  # the two seed pages, before the change
    (tmp_path / "luar").mkdir()
    _tamper_signatures(folder, how, tmp_path / "luar")
    with pytest.raises(kliping.topics.modelfiles.ModelError) as refused:
        kliping.load_model(folder)
    assert "\n" not in str(refused.value) and "signatures" in str(refused.value)


@pytest.mark.parametrize("how", ["a changed byte", "a topic the model has not"])
def test_kliping_assign_refuses_a_tampered_signature_file_before_any_work(how, saved, seed_dir, tmp_path):
    folder = _copied_model(saved, tmp_path)
    (tmp_path / "luar").mkdir()
    _tamper_signatures(folder, how, tmp_path / "luar")
    env = os.environ | {"KLIPING_WORK_DIR": str(tmp_path / "work")}
    done = subprocess.run(
        [str(KLIPING), "assign", str(folder), str(seed_dir), "-o", str(tmp_path / "a.csv")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert one_line_error(done.returncode, done.stderr) and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not (tmp_path / "a.csv").exists()
