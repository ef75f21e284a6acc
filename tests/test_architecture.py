"""The import graph: no cycles between llmx modules, and no import from a lower layer to a higher one.

Every `import` / `from ... import` in every module counts, wherever it stands (module level,
inside a function, under `if TYPE_CHECKING:`), so a late import cannot hide a cycle.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "llmx"

# Lowest first. A module may import from its own layer or any layer below it, never above.
LAYERS: list[tuple[str, ...]] = [
    ("llmx.schema", "llmx.hashing", "llmx.dirs", "llmx._secrets", "llmx.testing"),
    ("llmx.errors",),
    ("llmx.recognize",),
    ("llmx.validation",),
    ("llmx.rules",),
    ("llmx.backends",),
    ("llmx.options", "llmx.extraction"),
    ("llmx.readers",),  # files (HTML, PDF, EDGAR, tables) to the text extraction sees
    ("llmx.batch", "llmx.ray", "llmx.config"),
    ("llmx.evaluate",),
    ("llmx.cli",),
    ("llmx",),  # the package's __init__: the public API
]


def module_name(path: Path) -> str:
    parts = ["llmx", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The llmx modules `path` imports (a `from package import submodule` counts as the submodule)."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            submodules = {f"{target}.{alias.name}" for alias in node.names} & known
            found.update(submodules)
            if len(submodules) < len(node.names):  # names defined in `target` itself
                found.add(target)
    return {target for target in found if target in known and target != name}


@functools.lru_cache(maxsize=1)
def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(name, path, known) for name, path in found.items()}


def layer_of(name: str) -> int:
    best, best_len = None, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    if best is None:
        raise AssertionError(f"{name} is in no layer; add it to LAYERS in tests/test_architecture.py")
    return best


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle_and_accepts_a_tree() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_relative_and_submodule_imports_are_resolved(tmp_path: Path) -> None:
    source = tmp_path / "mod.py"
    source.write_text("from . import sibling\nfrom .pkg import thing\nimport llmx.other\n", encoding="utf-8")
    known = {"llmx.sub.sibling", "llmx.sub.pkg", "llmx.other"}
    assert imports_of("llmx.sub.mod", source, known) == known


def test_every_module_is_in_a_layer() -> None:
    for name in modules():
        layer_of(name)


def test_no_import_cycles() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_import_from_a_lower_layer_to_a_higher_one(name: str) -> None:
    edges = graph()[name]
    upward = sorted(target for target in edges if layer_of(target) > layer_of(name) and not name == "llmx")
    assert not upward, f"{name} (layer {layer_of(name)}) imports higher layers: {upward}"
