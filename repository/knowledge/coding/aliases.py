"""Alias look-up for query expansion: the labels and aliases of the codes a word names."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable

from repository.knowledge.taxonomy import Taxonomy


def alias_lookup(
    taxonomy: Taxonomy, facets: Iterable[str] | None = ("sector", "theme", "population", "location")
) -> Callable[[str], list[list[str]]]:
    """A ``lookup`` for :func:`indexer.expand.expand_query`: for a word or phrase, the labels and aliases of each
    (non-retired) code it names, in the given facets (``None``: all). ``doc_type`` is left out by default: its
    names are ordinary words (minutes, map, news) whose expansion would add noise."""
    wanted = None if facets is None else frozenset(facets)

    def lookup(text: str) -> list[list[str]]:
        groups = []
        for code_id in taxonomy.lookup_alias(text):
            code = taxonomy.codes[code_id]
            if wanted is None or code.facet in wanted:
                groups.append([*code.labels.values(), *code.aliases])
        return groups

    return lookup
