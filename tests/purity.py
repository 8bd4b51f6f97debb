"""What a module imports, read with ``ast`` without running it: for the tests that keep a module pure."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path


def imported_modules(paths: Iterable[Path]) -> set[str]:
    """The full names of the modules that the files at ``paths`` import (``import a.b``, ``from a.b import c``).

    A relative import (``from . import x``) is named by its dots and module, as written (``.``, ``..x``).
    """
    imported: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add("." * node.level + (node.module or ""))
    return imported


def top_level(modules: Iterable[str]) -> set[str]:
    """The top-level package of each module name (``collections.abc`` -> ``collections``)."""
    return {name.split(".")[0] for name in modules}
