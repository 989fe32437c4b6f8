"""The house's rules, read from the code: no import cycle (imports inside functions counted), no function body
over 80 lines, at most 14 top-level modules, every module named in docs/architecture.md, and one atomic write
whose files get the user's usual mode."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parents[1] / "lib" / "kliping"
ARCHITECTURE = LIB.parents[1] / "docs" / "architecture.md"
#: The longest function body the project allows, in lines (the median is 12).
MAX_BODY_LINES = 80
#: Top-level modules of kliping (a package counts as one).
MAX_TOP_LEVEL = 14


def module_name(path: Path) -> str:
    parts = list(path.relative_to(LIB.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(LIB.rglob("*.py"))}


def _under_type_checking(tree: ast.AST) -> set[int]:
    """The ids of the nodes inside ``if TYPE_CHECKING:`` blocks (never run: no import at run time)."""
    hidden = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hidden.update(id(sub) for sub in ast.walk(node))
    return hidden


def _known(name: str) -> str | None:
    """The kliping module an imported name lives in (``kliping.io.fields.guess`` -> ``kliping.io.fields``)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name: str) -> set[str]:
    """Every kliping module ``name`` imports, at any depth (in functions too), but not under TYPE_CHECKING."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    hidden = _under_type_checking(tree)
    found = set()
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            found.update(_known(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base]).strip(".")
            for alias in node.names:  # ``from kliping.io import fields`` imports the module kliping.io.fields
                found.add(_known(f"{base}.{alias.name}") or _known(base))
    return {module for module in found if module and module != name}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path that ends where it starts, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = 2
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    hidden = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from kliping import pipeline\n")
    assert len(_under_type_checking(hidden)) > 1


def test_no_module_of_kliping_reaches_itself_through_imports_even_inside_functions():
    graph = {name: imports_of(name) for name in MODULES}
    assert "kliping.partitions.frames" in graph["kliping.pipeline"]  # an import inside a function counts
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph))


def test_no_function_body_is_over_80_lines():
    long = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1  # from ``def`` to the end: signature and docstring too
                if lines > MAX_BODY_LINES:
                    long.append(f"{name}.{node.name}: {lines} lines")
    assert not long, long


def test_kliping_has_at_most_14_top_level_modules():
    top = {path.relative_to(LIB).parts[0].removesuffix(".py") for path in LIB.rglob("*.py")} - {"__init__"}
    assert len(top) <= MAX_TOP_LEVEL, sorted(top)


def test_the_architecture_map_names_every_module_and_package():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    missing = []
    for name, path in MODULES.items():
        short = name.removeprefix("kliping.").replace(".", "/")
        shown = short.rpartition("/")[2] + ("/" if path.name == "__init__.py" else ".py")
        if name != "kliping" and not re.search(rf"(?<![\w/]){re.escape(shown)}", text):
            missing.append(name)
    assert not missing, missing


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_stem_cache_file_gets_the_users_usual_mode_as_every_atomic_write(tmp_path):
    from kliping.base.atomic import write_text
    from kliping.stem.cache import cache_file, save_cache

    save_cache({"perbankan": "bank", "pemerintah": "perintah"}, tmp_path)
    written = write_text(tmp_path / "judul.txt", "Banjir di Bekasi")
    mask = os.umask(0o022)
    os.umask(mask)
    assert cache_file(tmp_path).stat().st_mode & 0o777 == written.stat().st_mode & 0o777 == 0o666 & ~mask
