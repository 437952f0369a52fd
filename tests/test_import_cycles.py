"""No import cycles among the project's modules (pipelines, transforms, schemas, bench, tools).

Imports are read with `ast`, not by importing anything: module-level imports and those
inside functions (a lazy import still closes a cycle the day it runs first), but not those
under `if TYPE_CHECKING:` (they never run). An edge goes from a module to each project module
it names: `import a.b` -> a.b; `from a import b` -> a.b when a/b is a module, else a (the
package's __init__); relative imports are resolved against the importing module. A cycle is
a strongly connected component of two or more modules (or a module importing itself); the
failure lists one concrete loop through each.
"""
from __future__ import annotations

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGES = ("pipelines", "transforms", "schemas", "bench", "tools")


def project_modules() -> dict[str, pathlib.Path]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST):
    """Every Import/ImportFrom node, at any depth, outside `if TYPE_CHECKING:` blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def imported_modules(name: str, path: pathlib.Path, modules) -> set[str]:
    """The project modules that module `name` (file `path`) imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in _imports(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
            base = ".".join(anchor + ([base] if base else []))
        for alias in node.names:
            sub = f"{base}.{alias.name}"
            found.add(sub if sub in modules else base)
    return {m for m in found if m in modules}


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imported_modules(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One loop (a list of modules, the first repeated at the end) per strongly connected
    component with a cycle, found with Tarjan's algorithm; sorted, so the output is stable."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []

    def visit(v):  # recursion depth is bounded by the number of project modules
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph[v]:
                components.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted((_loop(graph, c) for c in components), key=lambda loop: loop[0])


def _loop(graph, component: set[str]) -> list[str]:
    """A shortest loop from the component's smallest module back to itself (breadth first)."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & component):
            if w == start:
                return paths[v] + [start]
            if w not in paths:
                paths[w] = paths[v] + [w]
                queue.append(w)
    raise AssertionError(f"no loop in {component}")


def _shown(loops) -> str:
    return "\n".join(" -> ".join(loop) for loop in loops)


def test_the_graph_sees_module_level_and_function_level_imports():
    graph = import_graph()
    assert set(graph) >= {"pipelines.release", "schemas.input", "bench.run", "tools.generate",
                          "transforms.toxicity"}  # packages are modules too (their __init__)
    assert "transforms.link_core" in graph["transforms.link"]  # module level
    assert "pipelines.config" in graph["pipelines.report"]  # inside a function
    assert "transforms.toxicity.ngram" in graph["transforms.toxicity"]  # inside a function


def test_relative_from_and_type_checking_imports_resolve(tmp_path):
    mod = tmp_path / "mod.py"
    mod.write_text("from typing import TYPE_CHECKING\n"
                   "from . import sibling\n"           # a module of this package
                   "from .. import helper_name\n"     # a name from the parent's __init__
                   "from ..other.leaf import thing\n"
                   "if TYPE_CHECKING:\n    import pkg.typing_only\n")
    modules = {"pkg", "pkg.sub", "pkg.sub.mod", "pkg.sub.sibling", "pkg.other.leaf", "pkg.typing_only"}
    assert imported_modules("pkg.sub.mod", mod, modules) == {"pkg.sub.sibling", "pkg", "pkg.other.leaf"}


def test_cycles_are_found_and_listed():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}, "f": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"], ["e", "e"]]


def test_no_import_cycle_among_the_project_s_modules():
    loops = cycles(import_graph())
    assert not loops, "import cycles:\n" + _shown(loops)
