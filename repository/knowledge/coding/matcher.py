"""Whole-word matching of every name of the taxonomy at once, and the matchers built once per taxonomy."""

from __future__ import annotations

import unicodedata
import weakref
from collections import Counter
from dataclasses import dataclass
from dataclasses import field

from repository.knowledge.coding.rules import TOPIC_FACETS
from repository.knowledge.coding.tokens import _ARABIC
from repository.knowledge.coding.tokens import _GENERIC_NAMES
from repository.knowledge.coding.tokens import _GENERIC_TOPIC_WORDS
from repository.knowledge.coding.tokens import _LATIN_ARTICLES
from repository.knowledge.coding.tokens import _WORD
from repository.knowledge.coding.tokens import _arabic_variants
from repository.knowledge.coding.tokens import _fold
from repository.knowledge.coding.tokens import _is_acronym
from repository.knowledge.coding.tokens import _stem
from repository.knowledge.coding.tokens import _Token
from repository.knowledge.taxonomy import Taxonomy


@dataclass(frozen=True)
class _Entry:
    keys: tuple[str, ...]
    acronym: tuple[bool, ...]
    code: str
    name: str


@dataclass(frozen=True)
class _Match:
    start: int  # token index
    end: int
    code: str
    surface: str
    at_line_start: bool
    heading: bool


class _Matcher:
    """Whole-word, normalised matching of many names at once (first word → candidate names)."""

    def __init__(self, *, stemmed: bool = False) -> None:
        self._by_first: dict[str, list[_Entry]] = {}
        self.stemmed = stemmed
        self._key = _stem if stemmed else _fold

    def add(self, name: str, code: str, *, drop_latin_article: bool = False) -> None:
        words = [m.group() for m in _WORD.finditer(unicodedata.normalize("NFKC", name))]
        if not words:
            return
        keys = tuple(self._key(w) for w in words)
        if len(words) == 1 and _fold(words[0]) in _GENERIC_NAMES:
            return
        self._add(keys, tuple(_is_acronym(w) for w in words), code, name)
        if drop_latin_article and len(keys) > 1 and keys[0] in _LATIN_ARTICLES and len(keys[1]) >= 4:
            rest = keys[1:]
            if not (len(rest) == 1 and _fold(words[1]) in _GENERIC_NAMES):
                self._add(rest, tuple(_is_acronym(w) for w in words[1:]), code, name)

    def _add(self, keys: tuple[str, ...], acronym: tuple[bool, ...], code: str, name: str) -> None:
        entry = _Entry(keys, acronym, code, name)
        if not _ARABIC.search(keys[0]):
            firsts = {keys[0]}
        else:
            firsts = _arabic_variants(keys[0], allow_article=not self.stemmed)
        for first in firsts:
            bucket = self._by_first.setdefault(first, [])
            if not any(e.keys == keys and e.code == code for e in bucket):
                bucket.append(entry)

    def find(self, tokens: list[_Token], text: str) -> list[_Match]:
        """Every match, overlaps resolved: longest span first; equal spans may name several codes."""
        found: list[_Match] = []
        line_counts = Counter(t.line for t in tokens)
        keys = [t.stem for t in tokens] if self.stemmed else [t.key for t in tokens]
        candidates = self._by_first.get
        for i, key in enumerate(keys):
            entries = candidates(key)
            if not entries:
                continue
            tok = tokens[i]
            for entry in entries:
                n = len(entry.keys)
                if i + n > len(tokens):
                    continue
                ok = True
                for j in range(n):
                    t = tokens[i + j]
                    if j and keys[i + j] != entry.keys[j]:
                        ok = False
                        break
                    if entry.acronym[j] and not _is_acronym(t.raw):
                        ok = False
                        break
                    if j and t.line != tok.line:
                        ok = False
                        break
                if ok:
                    last = tokens[i + n - 1]
                    surface = text[tok.start : last.end]
                    line_end = text.find("\n", last.end)
                    rest_of_line = text[last.end : line_end if line_end >= 0 else len(text)]
                    short_line = line_counts[tok.line] <= 8
                    heading = tok.first_in_line and (rest_of_line.lstrip().startswith(":") or short_line)
                    found.append(_Match(i, i + n, entry.code, surface, tok.first_in_line, heading))
        found.sort(key=lambda m: (-(m.end - m.start), m.start))
        taken: dict[int, tuple[int, int]] = {}
        kept: list[_Match] = []
        seen: set[tuple[int, int, str]] = set()
        for m in found:
            span = (m.start, m.end)
            if (m.start, m.end, m.code) in seen:
                continue
            if any(taken.get(k, span) != span for k in range(m.start, m.end)):
                continue
            for k in range(m.start, m.end):
                taken[k] = span
            seen.add((m.start, m.end, m.code))
            kept.append(m)
        kept.sort(key=lambda m: m.start)
        return kept


@dataclass
class _Gazetteer:
    places: _Matcher = field(default_factory=_Matcher)
    topics: _Matcher = field(default_factory=lambda: _Matcher(stemmed=True))
    doc_type_names: _Matcher = field(default_factory=_Matcher)
    doc_type_keywords: _Matcher = field(default_factory=_Matcher)


_CACHE: weakref.WeakKeyDictionary[Taxonomy, _Gazetteer] = weakref.WeakKeyDictionary()


def _gazetteer(taxonomy: Taxonomy) -> _Gazetteer:
    cached = _CACHE.get(taxonomy)
    if cached is not None:
        return cached
    gaz = _Gazetteer()
    for facet in taxonomy.facets:
        for code in facet.codes:
            if code.retired:
                continue
            names = [*code.labels.values(), *code.aliases]
            if facet.id == "location":
                for name in names:
                    gaz.places.add(name, code.id, drop_latin_article=True)
            elif facet.id == "doc_type":
                for name in names:
                    gaz.doc_type_names.add(name, code.id)
                for keyword in code.keywords:
                    gaz.doc_type_keywords.add(keyword, code.id)
            elif facet.id in TOPIC_FACETS:
                for name in [*names, *code.keywords]:
                    if _fold(name) not in _GENERIC_TOPIC_WORDS:
                        gaz.topics.add(name, code.id)
    _CACHE[taxonomy] = gaz
    return gaz
