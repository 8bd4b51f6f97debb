"""The loaded vocabulary: :class:`Taxonomy`, its :class:`Facet` and :class:`Code` records, :class:`TaxonomyError`
and :func:`normalise_term`, the key aliases and labels are compared on."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any


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
