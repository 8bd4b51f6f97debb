"""The controlled vocabulary (``taxonomy.yaml``): loading, validation and look-ups.

Pure module: standard library and PyYAML only, no Flask, no database. The file format is documented in the
comment header of ``taxonomy.yaml``; this module enforces it.

A code is named everywhere by its full id ``facet:code`` (``location:LY0319``, ``theme:gbv``). Inside the
file a code's ``parent`` and ``replaced_by`` use the short id of the same facet (a full id is also accepted).

:func:`load_taxonomy` validates the whole file and reports *every* problem at once (one per line, each
naming the file, the line, the facet or code and what is wrong) before anything uses it;
:func:`check_taxonomy` returns the same problems as a list, for the ``taxonomy check`` command.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

__all__ = [
    "Code",
    "Facet",
    "Taxonomy",
    "TaxonomyError",
    "check_taxonomy",
    "load_taxonomy",
    "normalise_term",
]

FORMAT_VERSION = 1
REQUIRED_LANGUAGES = ("en", "ar")

FACET_ID = re.compile(r"^[a-z0-9_]+$")
CODE_ID = re.compile(r"^[A-Za-z0-9_\-]+$")

_TOP_KEYS = frozenset({"version", "facets"})
_FACET_KEYS = frozenset({"id", "labels", "hierarchical", "codes"})
_CODE_KEYS = frozenset(
    {"id", "labels", "aliases", "shared_aliases", "parent", "pcode", "retired", "replaced_by", "keywords"}
)


class TaxonomyError(Exception):
    """``taxonomy.yaml`` cannot be used. ``str(error)`` lists every problem, one per line.

    :ivar path: the file that was read.
    :ivar problems: the problems, each a line that names the file, the facet or code and what is wrong.
    """

    def __init__(self, path: str | Path, problems: Iterable[str]) -> None:
        self.path = str(path)
        self.problems = list(problems) or [f"{path}: invalid taxonomy"]
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Code:
    """One code of a facet.

    :ivar id: full id, ``facet:code``.
    :ivar short_id: the id inside its facet, as written in the file.
    :ivar label: the English label.
    :ivar labels: label per language code (at least ``en`` and ``ar``).
    :ivar aliases: every alias, the shared ones included, in file order.
    :ivar parent: full id of the parent code, or ``None``.
    :ivar pcode: the COD P-code of a location, or ``None`` when it is not a P-coded unit or not confirmed.
    :ivar retired: a retired code stays known but may no longer be given to documents.
    :ivar replaced_by: full id of the replacement of a retired code.
    :ivar keywords: cue words for code suggestions.
    :ivar shared_aliases: the aliases this code deliberately shares with other codes.
    """

    id: str
    facet: str
    short_id: str
    label: str
    labels: Mapping[str, str] = field(hash=False)
    aliases: tuple[str, ...]
    parent: str | None
    pcode: str | None
    retired: bool
    replaced_by: str | None
    keywords: tuple[str, ...]
    shared_aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Facet:
    """A facet (dimension) of the vocabulary and its codes, in file order."""

    id: str
    label: str
    labels: Mapping[str, str] = field(hash=False)
    hierarchical: bool
    codes: tuple[Code, ...]


_TEXT_FOLD = str.maketrans(
    {
        "\u0623": "\u0627",  # أ → ا
        "\u0625": "\u0627",  # إ → ا
        "\u0622": "\u0627",  # آ → ا
        "\u0671": "\u0627",  # ٱ → ا
        "\u0649": "\u064a",  # ى → ي
        "\u0629": "\u0647",  # ة → ه
        "\u0640": None,  # tatweel
        "'": None,
        "\u2019": None,  # ’
        "\u2018": None,  # ‘
        "\u02bc": None,  # ʼ
        "`": None,
    }
)
_SEPARATORS = re.compile(r"[\W_]+")


def normalise_term(text: str) -> str:
    """Fold a word or phrase to the key used to compare aliases and labels.

    Latin: case and diacritics are dropped (``Sabhā`` → ``sabha``). Arabic: harakat and tatweel are removed
    and hamza forms folded (أ إ آ → ا, ؤ → و, ئ → ي), ى → ي, ة → ه. Apostrophes vanish; other punctuation
    and runs of spaces become one space (``Al-Mawsil`` → ``al mawsil``).
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = bare.translate(_TEXT_FOLD).casefold()
    return _SEPARATORS.sub(" ", folded).strip()


class Taxonomy:
    """The loaded vocabulary. Immutable; build it with :func:`load_taxonomy`.

    Methods that take one code id raise :class:`KeyError` for an id that does not exist; methods that take a
    collection (:meth:`unknown`, :meth:`with_ancestors`, :meth:`group`) accept any ids, since stored documents
    may hold codes that have since left the file.
    """

    def __init__(self, facets: Iterable[Facet]) -> None:
        """Index the facets and codes. The input is assumed valid (see :func:`load_taxonomy`)."""
        self.facets: tuple[Facet, ...] = tuple(facets)
        self.codes: dict[str, Code] = {c.id: c for f in self.facets for c in f.codes}
        self._facets = {f.id: f for f in self.facets}
        self._order = {code_id: i for i, code_id in enumerate(self.codes)}
        self._children: dict[str, list[str]] = {}
        for code in self.codes.values():
            if code.parent is not None:
                self._children.setdefault(code.parent, []).append(code.id)
        self._ancestors: dict[str, tuple[str, ...]] = {}
        for code in self.codes.values():
            chain: list[str] = []
            parent = code.parent
            while parent is not None and parent in self.codes and parent not in chain:
                chain.append(parent)
                parent = self.codes[parent].parent
            self._ancestors[code.id] = tuple(chain)
        self._terms: dict[str, list[str]] = {}
        for code in self.codes.values():
            if code.retired:
                continue
            for term in (*code.labels.values(), *code.aliases):
                key = normalise_term(term)
                ids = self._terms.setdefault(key, [])
                if key and code.id not in ids:
                    ids.append(code.id)

    def __contains__(self, code_id: object) -> bool:
        """Whether ``code_id`` is a code of the file (retired or not)."""
        return code_id in self.codes

    def __len__(self) -> int:
        """The number of codes, retired ones included."""
        return len(self.codes)

    def __repr__(self) -> str:
        return f"<Taxonomy {len(self.facets)} facets, {len(self.codes)} codes>"

    def get(self, code_id: str) -> Code | None:
        """The code with this full id, or ``None``."""
        return self.codes.get(code_id)

    def facet(self, facet_id: str) -> Facet:
        """The facet with this id; :class:`KeyError` if there is none."""
        return self._facets[facet_id]

    def facet_of(self, code_id: str) -> str:
        """The facet id of a known code; :class:`KeyError` for an unknown code."""
        return self.codes[code_id].facet

    def unknown(self, code_ids: Iterable[str]) -> list[str]:
        """Ids that may not be given to a document: not in the file, or retired. Input order, no repeats."""
        out: list[str] = []
        for code_id in code_ids:
            code = self.codes.get(code_id) if isinstance(code_id, str) else None
            if (code is None or code.retired) and code_id not in out:
                out.append(code_id)
        return out

    def current(self, code_id: str) -> str:
        """The id to use instead of ``code_id``: its replacement when it is retired, else itself."""
        code = self.codes[code_id]
        return code.replaced_by if code.retired and code.replaced_by else code.id

    def ancestors(self, code_id: str) -> list[str]:
        """Full ids of the code's parent, grandparent, ... (nearest first, without the code itself)."""
        if code_id not in self.codes:
            raise KeyError(code_id)
        return list(self._ancestors[code_id])

    def children(self, code_id: str) -> list[str]:
        """Full ids of the code's direct children, in file order."""
        if code_id not in self.codes:
            raise KeyError(code_id)
        return list(self._children.get(code_id, ()))

    def descendants(self, code_id: str) -> set[str]:
        """The code and every code below it (retired ones included)."""
        if code_id not in self.codes:
            raise KeyError(code_id)
        found = {code_id}
        todo = [code_id]
        while todo:
            for child in self._children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found

    def with_ancestors(self, code_ids: Iterable[str]) -> set[str]:
        """The given ids plus all their ancestors. Unknown ids are kept as they are, without ancestors."""
        out: set[str] = set()
        for code_id in code_ids:
            out.add(code_id)
            out.update(self._ancestors.get(code_id, ()))
        return out

    def group(self, code_ids: Iterable[str]) -> dict[str, list[str]]:
        """Group ids by facet: ``{facet_id: [code_id, ...]}``, facets and codes in file order, no repeats.

        Only facets that have codes appear. Unknown ids are kept, under the facet named by their prefix, after
        the known codes (unknown facets come after the known ones).
        """
        known: list[str] = []
        strangers: list[str] = []
        for code_id in dict.fromkeys(code_ids):
            (known if code_id in self.codes else strangers).append(code_id)
        known.sort(key=self._order.__getitem__)
        out: dict[str, list[str]] = {}
        for code_id in known:
            out.setdefault(self.codes[code_id].facet, []).append(code_id)
        for code_id in strangers:
            out.setdefault(str(code_id).partition(":")[0], []).append(code_id)
        facet_rank = {f.id: i for i, f in enumerate(self.facets)}
        return dict(sorted(out.items(), key=lambda item: facet_rank.get(item[0], len(facet_rank))))

    def lookup_alias(self, word: str) -> list[str]:
        """Codes whose label (any language) or alias matches ``word`` after :func:`normalise_term`.

        Retired codes are left out. Several codes may match (``Benghazi`` is a district and a municipality).
        """
        return list(self._terms.get(normalise_term(word), ()))

    def to_api(self) -> dict[str, Any]:
        """The ``GET /api/v1/taxonomy`` answer (a fresh, JSON-ready structure)."""
        return {
            "facets": [
                {
                    "id": facet.id,
                    "label": facet.label,
                    "labels": dict(facet.labels),
                    "hierarchical": facet.hierarchical,
                    "codes": [
                        {
                            "id": code.id,
                            "label": code.label,
                            "labels": dict(code.labels),
                            "aliases": list(code.aliases),
                            "parent": code.parent,
                            "pcode": code.pcode,
                            "retired": code.retired,
                            "replaced_by": code.replaced_by,
                        }
                        for code in facet.codes
                    ],
                }
                for facet in self.facets
            ]
        }


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Read and validate a taxonomy file; :class:`TaxonomyError` lists every problem found."""
    facets, problems = _parse(Path(path))
    if problems:
        raise TaxonomyError(path, problems)
    return Taxonomy(facets)


def check_taxonomy(path: str | Path) -> list[str]:
    """The problems of a taxonomy file, one message per problem; an empty list means the file is valid."""
    return _parse(Path(path))[1]


# --- reading and validation -----------------------------------------------------------------------------


def _parse(path: Path) -> tuple[list[Facet], list[str]]:
    """Read, validate and build the facets: ``(facets, problems)``; the facets are unusable if problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], [f"{path}: file not found"]
    except UnicodeDecodeError as exc:
        return [], [f"{path}: not UTF-8 text (byte {exc.start})"]
    except OSError as exc:
        return [], [f"{path}: cannot read the file ({exc.strerror or exc})"]
    data, lines, problems = _read_yaml(path, text)
    if problems:
        return [], problems
    validator = _Validator(path, lines)
    facets = validator.run(data)
    return facets, validator.problems


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


@dataclass
class _RawCode:
    """A code entry that passed the per-entry checks; cross-references are checked afterwards."""

    short_id: str
    where: str
    line: int | None
    labels: dict[str, str]
    aliases: list[str]
    shared: list[str]
    parent: str | None
    pcode: str | None
    retired: bool
    replaced_by: str | None
    keywords: list[str]


@dataclass
class _RawFacet:
    """A facet entry that passed the per-entry checks."""

    id: str
    line: int | None
    labels: dict[str, str]
    hierarchical: bool
    codes: list[_RawCode]


class _Validator:
    """Collects every problem of a parsed file, then builds the facets."""

    def __init__(self, path: Path, lines: _Lines) -> None:
        self.path = path
        self.lines = lines
        self.problems: list[str] = []

    def problem(self, line: int | None, subject: str, message: str) -> None:
        """Record one problem: ``file:line: subject: message``."""
        where = f"{self.path}:{line}" if line else str(self.path)
        self.problems.append(f"{where}: {subject}: {message}" if subject else f"{where}: {message}")

    def run(self, data: Any) -> list[Facet]:
        """Validate the whole document and return the facets (meaningless when problems were found)."""
        if not isinstance(data, dict):
            self.problem(1, "", f"the top level must be a mapping with 'version' and 'facets', not {_kind(data)}")
            return []
        for key in sorted(set(data) - _TOP_KEYS, key=str):
            self.problem(None, "", f"unknown top-level key {key!r} (allowed: version, facets)")
        if "version" not in data:
            self.problem(None, "", f"missing 'version' (expected {FORMAT_VERSION})")
        elif data["version"] != FORMAT_VERSION or isinstance(data["version"], bool):
            self.problem(None, "", f"unsupported version {data['version']!r} (expected {FORMAT_VERSION})")
        raw_facets = data.get("facets")
        if not isinstance(raw_facets, list) or not raw_facets:
            self.problem(None, "", "'facets' must be a non-empty list")
            return []

        facets: list[_RawFacet] = []
        first_line: dict[str, int | None] = {}
        for i, raw in enumerate(raw_facets):
            facet = self._facet(i, raw, self.lines.facets.get(i))
            if facet is None:
                continue
            if facet.id in first_line:
                message = f"duplicate facet id (first at line {first_line[facet.id]})"
                self.problem(facet.line, f"facet {facet.id!r}", message)
                continue
            first_line[facet.id] = facet.line
            facets.append(facet)

        all_ids = {f"{f.id}:{c.short_id}" for f in facets for c in f.codes}
        retired_ids = {f"{f.id}:{c.short_id}" for f in facets for c in f.codes if c.retired}
        built = [self._build_facet(f, all_ids, retired_ids) for f in facets]
        self._check_aliases(facets)
        return built

    # -- one facet ------------------------------------------------------------------------------------------

    def _facet(self, i: int, raw: Any, line: int | None) -> _RawFacet | None:
        """Check a facet entry and its codes one by one; ``None`` when it is too broken to go on."""
        if not isinstance(raw, dict):
            self.problem(line, f"facet #{i + 1}", f"must be a mapping, not {_kind(raw)}")
            return None
        facet_id = raw.get("id")
        if not isinstance(facet_id, str) or not FACET_ID.fullmatch(facet_id):
            subject = f"facet #{i + 1}"
            if facet_id is None:
                self.problem(line, subject, "missing 'id'")
            else:
                self.problem(line, subject, f"id {facet_id!r} must match {FACET_ID.pattern}")
            return None
        subject = f"facet {facet_id!r}"
        self._unknown_keys(line, subject, raw, _FACET_KEYS)
        labels = self._labels(line, subject, raw)
        hierarchical = raw.get("hierarchical", False)
        if not isinstance(hierarchical, bool):
            self.problem(line, subject, f"'hierarchical' must be true or false, not {hierarchical!r}")
            hierarchical = False
        raw_codes = raw.get("codes")
        if not isinstance(raw_codes, list) or not raw_codes:
            self.problem(line, subject, "'codes' must be a non-empty list")
            return None
        codes: list[_RawCode] = []
        seen: dict[str, int | None] = {}
        for j, raw_code in enumerate(raw_codes):
            code_line = self.lines.codes.get((i, j))
            code = self._code(facet_id, j, raw_code, code_line)
            if code is None:
                continue
            if code.short_id in seen:
                message = f"duplicate code id in facet {facet_id!r} (first at line {seen[code.short_id]})"
                self.problem(code_line, code.where, message)
                continue
            seen[code.short_id] = code_line
            codes.append(code)
        return _RawFacet(facet_id, line, labels, hierarchical, codes)

    def _build_facet(self, facet: _RawFacet, all_ids: set[str], retired_ids: set[str]) -> Facet:
        """Check parents, cycles and replacements of one facet, then build it."""
        facet_id, hierarchical, raw_codes = facet.id, facet.hierarchical, facet.codes
        own = {c.short_id for c in raw_codes}
        parents: dict[str, str | None] = {}
        for code in raw_codes:
            parents[code.short_id] = None
            if code.parent is None:
                continue
            if not hierarchical:
                self.problem(code.line, code.where, f"has a parent but facet {facet_id!r} is not hierarchical")
                continue
            short = _short_in_facet(code.parent, facet_id)
            if short is None:
                self.problem(code.line, code.where, f"parent {code.parent!r} must be a code of facet {facet_id!r}")
            elif short == code.short_id:
                self.problem(code.line, code.where, "is its own parent")
            elif short not in own:
                self.problem(code.line, code.where, f"parent {code.parent!r} does not exist in facet {facet_id!r}")
            else:
                parents[code.short_id] = short
        self._check_cycles(facet_id, raw_codes, parents)

        codes: list[Code] = []
        for code in raw_codes:
            full_id = f"{facet_id}:{code.short_id}"
            replaced_by = self._replacement(facet_id, code, full_id, all_ids, retired_ids)
            parent = parents.get(code.short_id)
            codes.append(
                Code(
                    id=full_id,
                    facet=facet_id,
                    short_id=code.short_id,
                    label=code.labels.get("en", code.short_id),
                    labels=MappingProxyType(dict(code.labels)),
                    aliases=tuple(dict.fromkeys([*code.aliases, *code.shared])),
                    parent=f"{facet_id}:{parent}" if parent else None,
                    pcode=code.pcode,
                    retired=code.retired,
                    replaced_by=replaced_by,
                    keywords=tuple(code.keywords),
                    shared_aliases=tuple(code.shared),
                )
            )
        return Facet(
            id=facet_id,
            label=facet.labels.get("en", facet_id),
            labels=MappingProxyType(dict(facet.labels)),
            hierarchical=hierarchical,
            codes=tuple(codes),
        )

    def _replacement(
        self, facet_id: str, code: _RawCode, full_id: str, all_ids: set[str], retired_ids: set[str]
    ) -> str | None:
        """Check ``retired``/``replaced_by`` and return the replacement's full id."""
        line = code.line
        if not code.retired:
            if code.replaced_by is not None:
                self.problem(line, code.where, "has 'replaced_by' but is not retired (add 'retired: true')")
            return None
        if code.replaced_by is None:
            self.problem(line, code.where, "is retired but has no 'replaced_by' (name the code that replaces it)")
            return None
        target = code.replaced_by if ":" in code.replaced_by else f"{facet_id}:{code.replaced_by}"
        if target == full_id:
            self.problem(line, code.where, "is replaced by itself")
        elif target not in all_ids:
            self.problem(line, code.where, f"replaced_by {code.replaced_by!r} does not exist")
        elif target in retired_ids:
            self.problem(line, code.where, f"replaced_by {code.replaced_by!r} is itself retired")
        return target

    def _check_cycles(self, facet_id: str, raw_codes: list[_RawCode], parents: dict[str, str | None]) -> None:
        """Report each parent cycle once."""
        by_id = {c.short_id: c for c in raw_codes}
        reported: set[frozenset[str]] = set()
        for start in parents:
            chain: list[str] = []
            current: str | None = start
            while current is not None and current not in chain:
                chain.append(current)
                current = parents.get(current)
            if current is None:
                continue
            cycle = chain[chain.index(current) :]
            key = frozenset(cycle)
            if key in reported:
                continue
            reported.add(key)
            first = by_id[cycle[0]]
            path = " -> ".join([*cycle, cycle[0]])
            self.problem(first.line, first.where, f"parent cycle in facet {facet_id!r}: {path}")

    # -- one code -------------------------------------------------------------------------------------------

    def _code(self, facet_id: str, j: int, raw: Any, line: int | None) -> _RawCode | None:
        """Check one code entry on its own; ``None`` when it has no usable id."""
        if not isinstance(raw, dict):
            self.problem(line, f"code #{j + 1} of facet {facet_id!r}", f"must be a mapping, not {_kind(raw)}")
            return None
        short_id = raw.get("id")
        if isinstance(short_id, int) and not isinstance(short_id, bool):
            short_id = str(short_id)
        if not isinstance(short_id, str) or not CODE_ID.fullmatch(short_id):
            subject = f"code #{j + 1} of facet {facet_id!r}"
            if short_id is None:
                self.problem(line, subject, "missing 'id'")
            else:
                self.problem(line, subject, f"id {short_id!r} must match {CODE_ID.pattern}")
            return None
        where = f"code '{facet_id}:{short_id}'"
        self._unknown_keys(line, where, raw, _CODE_KEYS)
        labels = self._labels(line, where, raw)
        aliases = self._strings(line, where, raw, "aliases")
        shared = self._strings(line, where, raw, "shared_aliases")
        keywords = self._strings(line, where, raw, "keywords")
        parent = self._optional_text(line, where, raw, "parent")
        pcode = self._optional_text(line, where, raw, "pcode")
        replaced_by = self._optional_text(line, where, raw, "replaced_by")
        retired = raw.get("retired", False)
        if retired is None:
            retired = False
        if not isinstance(retired, bool):
            self.problem(line, where, f"'retired' must be true or false, not {retired!r}")
            retired = False
        return _RawCode(short_id, where, line, labels, aliases, shared, parent, pcode, retired, replaced_by, keywords)

    # -- field helpers --------------------------------------------------------------------------------------

    def _unknown_keys(self, line: int | None, subject: str, raw: dict[Any, Any], allowed: frozenset[str]) -> None:
        for key in sorted(set(raw) - allowed, key=str):
            self.problem(line, subject, f"unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")

    def _labels(self, line: int | None, subject: str, raw: dict[Any, Any]) -> dict[str, str]:
        labels = raw.get("labels")
        if not isinstance(labels, dict):
            what = "missing 'labels'" if labels is None else f"'labels' must be a mapping, not {_kind(labels)}"
            self.problem(line, subject, f"{what} (needs {' and '.join(REQUIRED_LANGUAGES)})")
            return {}
        out: dict[str, str] = {}
        for lang, text in labels.items():
            if not isinstance(lang, str) or not isinstance(text, str):
                self.problem(line, subject, f"label {lang!r} must be text, not {_kind(text)}")
            elif text.strip():
                out[lang] = text.strip()
        for lang in REQUIRED_LANGUAGES:
            if lang not in out:
                name = {"en": "English", "ar": "Arabic"}.get(lang, lang)
                self.problem(line, subject, f"missing {name} label '{lang}'")
        return out

    def _strings(self, line: int | None, subject: str, raw: dict[Any, Any], key: str) -> list[str]:
        value = raw.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(line, subject, f"'{key}' must be a list, not {_kind(value)}")
            return []
        out: list[str] = []
        for item in value:
            if isinstance(item, int | float) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                self.problem(line, subject, f"'{key}' entries must be non-empty text, not {item!r}")
            else:
                out.append(item.strip())
        return out

    def _optional_text(self, line: int | None, subject: str, raw: dict[Any, Any], key: str) -> str | None:
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.problem(line, subject, f"'{key}' must be text or null, not {value!r}")
            return None
        return value.strip()

    # -- aliases --------------------------------------------------------------------------------------------

    def _check_aliases(self, facets: list[_RawFacet]) -> None:
        """An alias (normalised) belongs to one code, unless every code using it lists it as shared."""
        claims: dict[str, list[tuple[_RawCode, str, str, bool]]] = {}
        pcodes: dict[str, _RawCode] = {}
        for facet in facets:
            for code in facet.codes:
                full_id = f"{facet.id}:{code.short_id}"
                shared_keys = {normalise_term(a) for a in code.shared}
                mine: set[str] = set()
                for alias in [*code.aliases, *code.shared]:
                    key = normalise_term(alias)
                    if not key:
                        self.problem(code.line, code.where, f"alias {alias!r} is empty once normalised")
                        continue
                    if key in mine:
                        continue
                    mine.add(key)
                    claims.setdefault(key, []).append((code, full_id, alias, key in shared_keys))
                if code.pcode is not None:
                    other = pcodes.get(code.pcode)
                    if other is not None:
                        self.problem(code.line, code.where, f"pcode {code.pcode!r} is also used by {other.where}")
                    else:
                        pcodes[code.pcode] = code
        for claimants in claims.values():
            if len(claimants) < 2 or all(shared for *_, shared in claimants):
                continue
            later = claimants[1][0]
            names = ", ".join(f"{full_id} ({alias!r})" for _, full_id, alias, _ in claimants)
            self.problem(
                later.line,
                later.where,
                f"alias clash: the same alias is claimed by {names}; "
                "list it under 'shared_aliases' in each of them if that is intended",
            )


def _short_in_facet(ref: str, facet_id: str) -> str | None:
    """The short id a ``parent`` reference names in ``facet_id``, or ``None`` if it names another facet."""
    if ":" not in ref:
        return ref
    facet, _, short = ref.partition(":")
    return short if facet == facet_id else None


_KINDS = {
    dict: "a mapping",
    list: "a list",
    str: "text",
    bool: "true/false",
    int: "a number",
    float: "a number",
}


def _kind(value: Any) -> str:
    """A short name of a YAML value's type, for messages."""
    if value is None:
        return "null"
    return _KINDS.get(type(value), type(value).__name__)
