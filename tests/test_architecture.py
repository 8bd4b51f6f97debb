"""The layers of ARCHITECTURE.md, checked on the source: who may import whom, no import cycle, no huge module.

Every ``import`` and ``from ... import`` of every module under ``repository/`` and ``indexer/`` is read with
``ast`` (also the ones inside functions; only ``if TYPE_CHECKING:`` blocks are skipped, they never run). A module
belongs to the first layer in :data:`LAYERS` whose prefix names it; each layer lists what it may import from
this project and which outside packages it may not use.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("repository", "indexer")


@dataclass(frozen=True)
class Layer:
    name: str
    prefixes: tuple[str, ...]
    may_import: tuple[str, ...]  # prefixes of project modules this layer may import (its own always allowed)
    never: tuple[str, ...] = ()  # outside packages it may not use


FLASK = ("flask", "flask_login", "flask_wtf", "flask_limiter", "jinja2")
WEB_ONLY = (*FLASK, "werkzeug")

#: Most specific first. The composition root (``repository`` itself and ``repository.app``) may import anything.
LAYERS: tuple[Layer, ...] = (
    Layer("root", ("repository.app",), PACKAGES),
    Layer("config", ("repository.config",), (), WEB_ONLY + ("sqlalchemy",)),
    Layer("protocol", ("repository.protocol",), (), WEB_ONLY),
    Layer("knowledge", ("repository.knowledge",), ("repository.protocol", "indexer"), FLASK + ("sqlalchemy",)),
    Layer("data", ("repository.data",), ("repository.config",), ()),
    Layer(
        "services",
        ("repository.services",),
        ("repository.protocol", "repository.knowledge", "repository.data", "repository.config", "indexer"),
        ("flask_login", "flask_wtf", "flask_limiter", "jinja2"),
    ),
    Layer(
        "web",
        ("repository.web",),
        ("repository.services", "repository.protocol", "repository.knowledge", "repository.data.models",
         "repository.data.db", "repository.config"),
    ),
    Layer(
        "cli",
        ("repository.cli",),
        ("repository.services", "repository.protocol", "repository.knowledge", "repository.data",
         "repository.config", "repository.demo"),
    ),
    Layer(
        "demo",
        ("repository.demo",),
        ("repository.services", "repository.protocol", "repository.knowledge", "repository.data.models"),
        WEB_ONLY,
    ),
    Layer("package", ("repository",), PACKAGES),
    Layer("indexer", ("indexer",), (), WEB_ONLY + ("sqlalchemy",)),
)

#: Modules that are data, not code: they may be long.
DATA_MODULES = frozenset({"repository.data.migrations.versions.0001_first_release"})
MAX_MODULE_LINES = 550
MAX_CLASS_LINES = 320


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


MODULES = project_modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(name: str, path: Path) -> set[str]:
    """The modules ``name`` imports (project modules resolved to the deepest module that exists)."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name if is_package else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in MODULES else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}


def layer_of(module: str) -> Layer:
    for layer in LAYERS:
        if any(module == p or module.startswith(p + ".") for p in layer.prefixes):
            return layer
    raise AssertionError(f"{module} is in no layer of ARCHITECTURE.md")


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def forbidden_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every import that breaks a layer rule, as ``"importer -> imported (layer)"``."""
    problems = []
    for module, imported in sorted(graph.items()):
        layer = layer_of(module)
        for target in sorted(imported):
            top = target.split(".")[0]
            if top in PACKAGES:
                if target == "repository" or _within(target, layer.prefixes):
                    continue
                if not _within(target, layer.may_import):
                    problems.append(f"{module} -> {target} ({layer.name} may not import it)")
            elif top in layer.never:
                problems.append(f"{module} -> {target} ({layer.name} may not use {top})")
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one project module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def strongconnect(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            strongconnect(v)
    return found


def _without_package_inits(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """A package ``__init__`` that re-exports its own submodules is not a cycle of the code: drop the edges from a
    package to the modules inside it."""
    return {m: {t for t in targets if not t.startswith(m + ".")} for m, targets in graph.items()}


def test_every_module_is_in_a_layer():
    assert len(MODULES) > 40
    for module in MODULES:
        layer_of(module)


def test_no_forbidden_import():
    assert forbidden_imports(GRAPH) == []


def test_no_import_cycle():
    assert cycles(_without_package_inits(GRAPH)) == []


def test_the_checks_catch_what_they_should():
    """The rules are not vacuous: a planted arrow from the index to the web layer, from a view to the index, Flask
    in the protocol and a two-module cycle are all reported."""
    planted = {k: set(v) for k, v in GRAPH.items()}
    planted["indexer.analysis"].add("repository.web.html")
    planted["repository.web.html"].add("indexer.analysis")
    planted["repository.protocol.vocabulary"].add("flask")
    problems = forbidden_imports(planted)
    assert "indexer.analysis -> repository.web.html (indexer may not import it)" in problems
    assert "repository.web.html -> indexer.analysis (web may not import it)" in problems
    assert "repository.protocol.vocabulary -> flask (protocol may not use flask)" in problems
    assert any({"indexer.analysis", "repository.web.html"} <= set(group) for group in cycles(planted))
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_size(module):
    """No module of code over about 500 lines, no class over about 300 (data modules excepted)."""
    if module in DATA_MODULES:
        return
    source = MODULES[module].read_text(encoding="utf-8")
    assert source.count("\n") <= MAX_MODULE_LINES, f"{module}: {source.count(chr(10))} lines"
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            length = node.end_lineno - node.lineno + 1
            assert length <= MAX_CLASS_LINES, f"{module}.{node.name}: {length} lines"
