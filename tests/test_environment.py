"""environment.yml and pyproject.toml name the same packages at the same versions."""

from __future__ import annotations

import re

import tomllib
import yaml

from kliping import config


def _split(requirement: str) -> tuple[str, str]:
    # An extra ("dask[dataframe]") is pip's way to name what conda-forge's package of that name holds: dropped.
    name, spec = re.match(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)$", requirement).groups()
    return re.sub(r"[-_.]+", "-", name).lower(), spec.replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    return dict(_split(r) for r in requirements)


def environment_requirements() -> tuple[dict[str, str], list[str]]:
    env = yaml.safe_load((config.PROJECT_ROOT / "environment.yml").read_text())
    conda, pip = {}, []
    for item in env["dependencies"]:
        if isinstance(item, dict):
            pip = item["pip"]
        else:
            name, spec = _split(item)
            conda[name] = spec
    for item in pip:
        if not item.startswith("-e"):
            name, spec = _split(item)
            conda[name] = spec
    return conda, pip


def test_environment_yml_names_the_pyproject_dependencies():
    conda, pip = environment_requirements()
    conda.pop("python"), conda.pop("pip")
    assert conda == pyproject_requirements()


def test_environment_yml_installs_the_project_and_the_right_sastrawi():
    conda, pip = environment_requirements()
    assert pip[-1] == "-e ."
    assert conda["pysastrawi"] == "==1.2.1"
    assert "sastrawi" not in conda  # the old 1.0.1 package scans a list per lookup
    env = yaml.safe_load((config.PROJECT_ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]


def test_the_wheel_carries_every_numbered_notebook():
    """`kliping report` from a wheel finds the notebooks under share/kliping/notebooks (pyproject data-files)."""
    setuptools = tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    shipped = setuptools["data-files"]["share/kliping/notebooks"]
    numbered = sorted(
        f"notebooks/{p.name}"
        for p in (config.PROJECT_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
        if not p.name.endswith(".nbconvert.ipynb")
    )
    assert shipped == numbered


def test_the_license_file_is_the_one_pyproject_names():
    project = tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    text = (config.PROJECT_ROOT / "LICENSE").read_text()
    assert project["license"] == "MIT" and text.startswith("MIT License")
