"""The kit's import graph, read statically: no cycles, and the domain never reaches the UI.

`test_isolation.py` imports the domain in a fresh interpreter and looks at `sys.modules`; that
sees only what runs at import time. This test reads every `kit/**/*.py` with `ast`, so an
import inside a function (run only when a command or a key needs it) still counts: a lazy
import is a dependency too, and a cycle through one breaks as soon as the order of first use
changes. Only imports under `if TYPE_CHECKING:` are left out, since they never run.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pytest

KIT_ROOT = Path(__file__).resolve().parents[1]

# The domain: models, storage, words and plain-text formats. Checked only where they exist.
DOMAIN = ("kit.deck", "kit.session", "kit.store", "kit.report", "kit.ballots", "kit.entries*",
          "kit.i18n", "kit.errors", "kit.view", "kit.timer", "kit.crash", "kit.demo",
          "kit.across", "kit.merge", "kit.compare", "kit.region", "kit.place")
# What the domain must never load, directly or through any kit module.
FORBIDDEN_PACKAGES = frozenset({"textual", "rich", "reportlab", "aiohttp"})
FORBIDDEN_KIT = ("kit.app", "kit.screens", "kit.widgets")
FORBIDDEN_EXPORTS = ("cards", "posters", "summary")  # plus every kit.exports module named *pdf*

Graph = dict[str, set[str]]


# --- the graph builder -----------------------------------------------------------------------


def find_modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of `package` under `root` by dotted name; a package's `__init__` is its
    own node, named like the package."""
    modules: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


class _Imports(ast.NodeVisitor):
    """Collects the module names one file imports, anywhere in it, as (name, level, names)."""

    def __init__(self) -> None:
        # (module, level, imported names): `from . import a` is ("", 1, ("a",)).
        self.found: list[tuple[str, int, tuple[str, ...]]] = []

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            for statement in node.orelse:  # the else branch runs
                self.visit(statement)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.found.append((alias.name, 0, ()))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        names = tuple(alias.name for alias in node.names if alias.name != "*")
        self.found.append((node.module or "", node.level, names))

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node.func)
        if name in ("lazy_module", "import_module", "__import__") and node.args:
            target = _literal(node.args[0])
            if target is not None:
                level = len(target) - len(target.lstrip("."))
                package = _literal(node.args[1]) if len(node.args) > 1 else None
                if level and package is not None:
                    # import_module(".x", "kit.y"): relative to the package given, not the file.
                    target = _absolute(package, level - 1, target[level:])
                    level = 0
                self.found.append((target[level:], level, ()))
        self.generic_visit(node)


def _absolute(package: str, up: int, name: str) -> str:
    base = package.split(".")
    base = base[:len(base) - up] if up else base
    return ".".join([*base, name] if name else base)


def _resolve(name: str, modules: Mapping[str, Path], package: str) -> str:
    """`name` as a node: the longest prefix that is a module of `package`, or, for a module
    outside it, its top-level package (`textual.widgets` is `textual`)."""
    if name.split(".")[0] != package:
        return name.split(".")[0]
    parts = name.split(".")
    while parts and ".".join(parts) not in modules:
        parts.pop()
    return ".".join(parts) or package


def build_graph(root: Path, package: str) -> Graph:
    """Edges from each module of `package` to the modules it imports (kit modules by their
    full name, others by top-level package)."""
    modules = find_modules(root, package)
    graph: Graph = {}
    for name, path in modules.items():
        collector = _Imports()
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        # The package a relative import starts from: the module's own for an __init__.
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for target, level, names in collector.found:
            absolute = _absolute(here, level - 1, target) if level else target
            if not names:
                edges.add(_resolve(absolute, modules, package))
            for imported in names:
                # `from kit.exports import jsonfile`: the submodule if it is one, else the package.
                full = f"{absolute}.{imported}"
                edges.add(full if full in modules else _resolve(absolute, modules, package))
        graph[name] = edges
    return graph


# --- what the graph says ---------------------------------------------------------------------


def strongly_connected(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of the graph's own nodes (iterative, so a deep
    chain of imports cannot hit the recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    work: list[tuple[str, Iterator[str]]] = []

    def enter(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        work.append((node, iter(sorted(t for t in graph[node] if t in graph))))

    for start in sorted(graph):
        if start in index:
            continue
        enter(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    enter(target)
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return components


def _shortest_path(graph: Mapping[str, Iterable[str]], start: str, goal: str,
                   allowed: set[str] | None = None) -> list[str] | None:
    """The shortest chain of imports start -> ... -> goal (goal may be start itself)."""
    parents: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in sorted(graph.get(node, ())):
            if allowed is not None and target not in allowed:
                continue
            if target == goal:
                path = [goal]
                step: str | None = node
                while step is not None:
                    path.append(step)
                    step = parents[step]
                return path[::-1]
            if target not in parents:
                parents[target] = node
                queue.append(target)
    return None


def find_cycles(graph: Mapping[str, Iterable[str]]) -> list[str]:
    """Each import cycle as `a -> b -> a`: the shortest one through every module of each
    strongly connected component, the same cycle named once."""
    cycles: list[str] = []
    for component in strongly_connected(graph):
        members = set(component)
        if len(component) == 1 and component[0] not in graph[component[0]]:
            continue
        seen: set[frozenset[str]] = set()
        for node in component:
            path = _shortest_path(graph, node, node, members)
            if path is not None and frozenset(path) not in seen:
                seen.add(frozenset(path))
                cycles.append(" -> ".join(path))
    return sorted(cycles)


def with_parents(graph: Graph) -> Graph:
    """The graph plus what Python also runs: importing `kit.exports.csvfile` first runs the
    `__init__` of `kit.exports` (and of `kit`)."""
    full: Graph = {name: set(edges) for name, edges in graph.items()}
    for name in graph:
        parent = name.rpartition(".")[0]
        if parent in graph:
            full[name].add(parent)
    return full


def is_forbidden(node: str) -> bool:
    """Would loading `node` bring UI, PDF or network code into the domain?"""
    if node in FORBIDDEN_PACKAGES:
        return True
    if any(node == name or node.startswith(name + ".") for name in FORBIDDEN_KIT):
        return True
    if node.startswith("kit.exports."):
        leaf = node.rsplit(".", 1)[1]
        return "pdf" in leaf or leaf in FORBIDDEN_EXPORTS
    return False


def forbidden_paths(graph: Graph, start: str) -> list[str]:
    """Every forbidden module `start` reaches through kit modules, with the shortest chain."""
    full = with_parents(graph)
    reached: set[str] = set()
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in full.get(node, ()):
            if target not in reached:
                reached.add(target)
                queue.append(target)
    found = []
    for bad in sorted(t for t in reached if is_forbidden(t)):
        found.append(" -> ".join(_shortest_path(full, start, bad) or [start, bad]))
    return found


def domain_modules(graph: Mapping[str, object]) -> list[str]:
    return sorted(name for name in graph for pattern in DOMAIN
                  if name == pattern or (pattern.endswith("*")
                                         and name.startswith(pattern[:-1])))


# --- the kit ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kit_graph() -> Graph:
    return build_graph(KIT_ROOT, "kit")


def test_the_kit_has_no_import_cycles(kit_graph: Graph) -> None:
    cycles = find_cycles(kit_graph)
    assert not cycles, "import cycles in kit:\n  " + "\n  ".join(cycles)


def test_the_domain_never_reaches_ui_pdf_or_network_code(kit_graph: Graph) -> None:
    domain = domain_modules(kit_graph)
    assert {"kit.deck", "kit.session", "kit.store", "kit.crash"} <= set(domain)
    leaks = [path for name in domain for path in forbidden_paths(kit_graph, name)]
    assert not leaks, "the domain reaches UI/PDF/network code:\n  " + "\n  ".join(leaks)


def test_the_graph_sees_the_kits_lazy_imports(kit_graph: Graph) -> None:
    """A guard on the reader itself: edges the kit is known to make in unusual ways."""
    assert "kit.session" in kit_graph["kit.timer"]  # lazy_module("kit.session")
    assert "kit.app" in kit_graph["kit.cli"]  # inside cmd_app
    assert "kit.app" not in kit_graph["kit.screens.base"]  # only under TYPE_CHECKING
    assert "kit" in kit_graph["kit.timer"]  # from kit import lazy_module: the package itself


# --- the detector, on a made-up package -------------------------------------------------------


def _write_tree(root: Path, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_detector_on_a_synthetic_package(tmp_path: Path) -> None:
    _write_tree(tmp_path, {
        "pkg/__init__.py": "def lazy_module(name):\n    return name\n",
        # a -> b at the top, b -> a inside a function: a cycle all the same.
        "pkg/a.py": "from pkg import b\n",
        "pkg/b.py": "def later():\n    from . import a\n    return a\n",
        # c -> d only for the type checker: no cycle between c and d.
        "pkg/c.py": ("from typing import TYPE_CHECKING\n"
                     "if TYPE_CHECKING:\n    from pkg.d import Thing\n"
                     "else:\n    import json\n"),
        "pkg/d.py": "from pkg.c import json\n",
        "pkg/sub/__init__.py": "from .leaf import name\n",
        "pkg/sub/leaf.py": ("import importlib\n"
                            "from .. import lazy_module\n"
                            "name = lazy_module('pkg.a')\n"
                            "e = importlib.import_module('pkg.e')\n"
                            "f = importlib.import_module('.f', 'pkg.sub')\n"),
        "pkg/sub/f.py": "",
        "pkg/e.py": "import textual.widgets\n",
    })
    graph = build_graph(tmp_path, "pkg")
    assert graph == {
        "pkg": set(),
        "pkg.a": {"pkg.b"},
        "pkg.b": {"pkg.a"},
        "pkg.c": {"json", "typing"},
        "pkg.d": {"pkg.c"},
        "pkg.e": {"textual"},
        "pkg.sub": {"pkg.sub.leaf"},
        "pkg.sub.leaf": {"importlib", "pkg", "pkg.a", "pkg.e", "pkg.sub.f"},
        "pkg.sub.f": set(),
    }
    assert find_cycles(graph) == ["pkg.a -> pkg.b -> pkg.a"]
    assert forbidden_paths(graph, "pkg.sub.leaf") == ["pkg.sub.leaf -> pkg.e -> textual"]
    # Importing pkg.sub.f runs pkg/sub/__init__.py first, and that loads leaf.
    assert forbidden_paths(graph, "pkg.sub.f") == [
        "pkg.sub.f -> pkg.sub -> pkg.sub.leaf -> pkg.e -> textual"]
    assert forbidden_paths(graph, "pkg.d") == []


def test_a_cycle_of_three_and_a_self_import_are_named() -> None:
    graph: Graph = {"x.a": {"x.b"}, "x.b": {"x.c"}, "x.c": {"x.a", "x.d"}, "x.d": {"x.d"},
                    "x.e": {"x.a"}}
    assert find_cycles(graph) == ["x.a -> x.b -> x.c -> x.a", "x.d -> x.d"]
