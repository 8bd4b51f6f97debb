"""Validation of a parsed taxonomy file: every entry checked, then parents, cycles, replacements and aliases
across entries; the facets built."""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from repository.knowledge.taxonomy.fields import _Fields
from repository.knowledge.taxonomy.fields import _kind
from repository.knowledge.taxonomy.model import Code
from repository.knowledge.taxonomy.model import Facet
from repository.knowledge.taxonomy.model import normalise_term

FORMAT_VERSION = 1

FACET_ID = re.compile(r"^[a-z0-9_]+$")
CODE_ID = re.compile(r"^[A-Za-z0-9_\-]+$")

_TOP_KEYS = frozenset({"version", "facets"})
_FACET_KEYS = frozenset({"id", "labels", "hierarchical", "codes"})
_CODE_KEYS = frozenset(
    {"id", "labels", "aliases", "shared_aliases", "parent", "pcode", "retired", "replaced_by", "keywords"}
)


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


class _Validator(_Fields):
    """Checks a parsed file entry by entry, then across entries (parents, replacements, aliases), and builds the
    facets."""

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
        if not self.valid_id(line, f"facet #{i + 1}", facet_id, FACET_ID):
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
        if not self.valid_id(line, f"code #{j + 1} of facet {facet_id!r}", short_id, CODE_ID):
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
