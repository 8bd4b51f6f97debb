"""Reading ``taxonomy.yaml``: safe YAML, duplicate keys reported, the line of each facet and code remembered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def _read_yaml(path: Path, text: str) -> tuple[Any, _Lines, list[str]]:
    """Parse YAML safely; also report duplicate mapping keys and remember the line of each facet and code."""
    # libyaml's parser when PyYAML was built with it (about ten times faster); the same nodes and marks either way
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, _Lines(), [f"{path}: the file is empty"]
        problems = _duplicate_keys(path, node)
        if problems:
            return None, _Lines(), problems
        data = loader.construct_document(node)
        return data, _Lines.from_node(node), []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        column = f", column {mark.column + 1}" if mark is not None else ""
        what = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        return None, _Lines(), [f"{where}: YAML syntax error{column}: {what or exc}"]
    except yaml.YAMLError as exc:
        return None, _Lines(), [f"{path}: YAML error: {' '.join(str(exc).split())}"]
    finally:
        loader.dispose()


def _duplicate_keys(path: Path, root: yaml.Node) -> list[str]:
    """YAML silently keeps the last of two equal keys; report them instead, in line order."""
    found: list[tuple[int, str]] = []
    seen_nodes: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, int] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    line = key_node.start_mark.line + 1
                    if key_node.value in keys:
                        first = keys[key_node.value]
                        found.append((line, f"duplicate key {key_node.value!r} (first at line {first})"))
                    else:
                        keys[key_node.value] = line
                todo.append(value_node)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
    return [f"{path}:{line}: {message}" for line, message in sorted(found)]


class _Lines:
    """Line numbers (1-based) of each facet and code entry, to point problems at the file."""

    def __init__(self, facets: dict[int, int] | None = None, codes: dict[tuple[int, int], int] | None = None):
        self.facets = facets or {}
        self.codes = codes or {}

    @classmethod
    def from_node(cls, root: yaml.Node) -> _Lines:
        """Walk ``facets[i].codes[j]`` in the node tree."""
        facets: dict[int, int] = {}
        codes: dict[tuple[int, int], int] = {}
        facet_list = _mapping_value(root, "facets")
        if isinstance(facet_list, yaml.SequenceNode):
            for i, facet_node in enumerate(facet_list.value):
                facets[i] = facet_node.start_mark.line + 1
                code_list = _mapping_value(facet_node, "codes")
                if isinstance(code_list, yaml.SequenceNode):
                    for j, code_node in enumerate(code_list.value):
                        codes[(i, j)] = code_node.start_mark.line + 1
        return cls(facets, codes)


def _mapping_value(node: yaml.Node, key: str) -> yaml.Node | None:
    """The value node of ``key`` in a mapping node, or ``None``."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    return None
