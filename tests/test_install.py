"""kliping installed from a wheel (not editable) works from any folder and writes nothing next to itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pandas as pd
import pytest

from kliping import config


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with kliping installed from its wheel by pip; the dependencies are borrowed from this
    environment (linked one by one, kliping's own editable install left out) so no download is needed."""
    root = tmp_path_factory.mktemp("install")
    wheels = root / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(config.PROJECT_ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if built.returncode != 0:
        pytest.fail("could not build the wheel: " + built.stderr[-2000:])
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    borrowed = root / "borrowed"
    borrowed.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.lower().startswith(("kliping", "__editable__")):
            (borrowed / entry.name).symlink_to(entry)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "borrowed.pth").write_text(str(borrowed) + "\n")
    pip = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            *map(str, wheels.glob("kliping-*.whl")),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert pip.returncode == 0, pip.stderr[-2000:]
    return venv


def test_a_wheel_install_runs_from_another_folder_and_writes_nothing_under_the_venv(installed, tmp_path):
    pages = tmp_path / "halaman"
    pages.mkdir()
    for seed in config.RAW_DIR.glob("*.txt"):  # the two seed pages, not the embedded CLICK-ID shard
        shutil.copy(seed, pages / seed.name)
    home, elsewhere = tmp_path / "home", tmp_path / "di_mana_saja"
    home.mkdir(), elsewhere.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "LANG": "C.UTF-8"}
    before = _files(installed)
    done = subprocess.run(
        [str(installed / "bin" / "kliping"), "run", "../halaman", "-o", "hasil", "--k", "1"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert pd.read_csv(elsewhere / "hasil" / "assignments.csv")["topic"].tolist() == [0, 0]
    assert _files(installed) == before  # no cache, no work file next to the installed package
    assert any((home / ".cache" / "kliping").rglob("stems_*.json"))  # the stem cache went to the user's cache


def test_the_installed_report_command_finds_its_notebooks_and_names_its_options(installed, tmp_path):
    python = installed / "bin" / "python"
    found = subprocess.run(
        [
            str(python),
            "-c",
            "from kliping import config; print(config.IN_CHECKOUT, "
            "sorted(p.name for p in config.NOTEBOOKS_DIR.glob('*.ipynb')))",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert found.stdout.split(" ", 1) == [
        "False",
        "['01_load.ipynb', '02_clean.ipynb', '03_stem.ipynb', '04_vectorize.ipynb', '05_cluster.ipynb']\n",
    ]
    helped = subprocess.run(
        [str(installed / "bin" / "kliping"), "report", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    for option in ("--text-field", "--title-field", "--id-field", "--label-field", "--k", "--seed", "--output"):
        assert option in helped.stdout


def test_report_without_the_notebooks_extra_says_which_extra_to_install(installed, tmp_path):
    """The same venv with nbclient hidden: one line naming the extra, exit 2, no traceback."""
    script = (
        "import importlib.util, sys; real = importlib.util.find_spec; "
        "importlib.util.find_spec = lambda name, *a: None if name == 'nbclient' else real(name, *a); "
        "from kliping import cli; sys.exit(cli.main(['report', '" + str(config.RAW_DIR) + "']))"
    )
    done = subprocess.run(
        [str(installed / "bin" / "python"), "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "kliping: error: kliping report needs the notebooks extra (nbclient missing): pip install 'kliping[notebooks]'"
    ]
