"""Alias look-up for query expansion: the labels and aliases of the codes a word names."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable

from repository.knowledge.taxonomy import Taxonomy


def alias_lookup(
    taxonomy: Taxonomy, facets: Iterable[str] | None = ("sector", "theme", "population", "location")
) -> Callable[[str], list[list[str]]]:
    """A ``lookup`` for :func:`indexer.expand.expand_query`: for a word or phrase, the labels and aliases of each
    (non-retired) code it names, in the given facets (``None``: all), with its P-code when it has one; a P-code
    (``LY0101``) names its place too. ``doc_type`` is left out by default: its names are ordinary words (minutes,
    map, news) whose expansion would add noise."""
    wanted = None if facets is None else frozenset(facets)
    by_pcode: dict[str, list[str]] = {}
    for code_id, code in taxonomy.codes.items():
        if code.pcode and not code.retired:
            by_pcode.setdefault(code.pcode.casefold(), []).append(code_id)

    def lookup(text: str) -> list[list[str]]:
        groups = []
        code_ids = list(taxonomy.lookup_alias(text)) or by_pcode.get(text.strip().casefold(), [])
        for code_id in code_ids:
            code = taxonomy.codes[code_id]
            if wanted is None or code.facet in wanted:
                groups.append([*code.labels.values(), *code.aliases, *([code.pcode] if code.pcode else [])])
        return groups

    return lookup
