"""The controlled vocabulary (``taxonomy.yaml``): loading, validation and look-ups.

Pure package: standard library and PyYAML only, no Flask, no database. The file format is documented in the
comment header of ``taxonomy.yaml``; this package enforces it.

A code is named everywhere by its full id ``facet:code`` (``location:LY0319``, ``theme:gbv``). Inside the
file a code's ``parent`` and ``replaced_by`` use the short id of the same facet (a full id is also accepted).

:func:`load_taxonomy` validates the whole file and reports *every* problem at once (one per line, each
naming the file, the line, the facet or code and what is wrong) before anything uses it;
:func:`check_taxonomy` returns the same problems as a list, for the ``taxonomy check`` command.

The package: ``model`` (:class:`Taxonomy`, :class:`Facet`, :class:`Code`, :class:`TaxonomyError`,
:func:`normalise_term`), ``reading`` (the YAML file and the line of each entry), ``fields`` and ``validation``
(every problem of the file, the facets built).
"""

from __future__ import annotations

from pathlib import Path

from repository.knowledge.taxonomy.fields import REQUIRED_LANGUAGES
from repository.knowledge.taxonomy.model import Code
from repository.knowledge.taxonomy.model import Facet
from repository.knowledge.taxonomy.model import Taxonomy
from repository.knowledge.taxonomy.model import TaxonomyError
from repository.knowledge.taxonomy.model import normalise_term
from repository.knowledge.taxonomy.reading import _read_yaml
from repository.knowledge.taxonomy.validation import CODE_ID
from repository.knowledge.taxonomy.validation import FACET_ID
from repository.knowledge.taxonomy.validation import FORMAT_VERSION
from repository.knowledge.taxonomy.validation import _Validator

__all__ = [
    "Code",
    "Facet",
    "Taxonomy",
    "TaxonomyError",
    "check_taxonomy",
    "load_taxonomy",
    "normalise_term",
    "CODE_ID",
    "FACET_ID",
    "FORMAT_VERSION",
    "REQUIRED_LANGUAGES",
]


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
