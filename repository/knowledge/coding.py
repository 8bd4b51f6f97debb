"""Code suggestions from a document's text, and alias look-up for query expansion.

Pure module: text and a :class:`~repository.knowledge.taxonomy.Taxonomy` in, suggestions out (no Flask, no database).

:func:`suggest_codes` returns ``{facet_id: [{"code": ..., "reason": ...}, ...]}``, strongest first, only for
facets with suggestions (facets in taxonomy order). How each facet is suggested:

* **location**: gazetteer matching of every label and alias (English and Arabic) of the location codes, on whole
  words (``Ghat`` does not match inside ``Ghatwa``). Words are compared after normalisation: case, Latin accents
  and Arabic harakat/tatweel are ignored, hamza forms and ة/ه, ى/ي are folded (:func:`indexer.analysis
  .normalize_word`), an English plural ``s`` is ignored. An Arabic name may carry the prefixes و ف ب ل ك (and
  their pairs) and the article ال (بسبها, ومصراتة, للكفرة; names of three letters take only و and ب, since
  ل + غات is لغات, "languages"); a Latin name may be written without its article (``Al Jabal Al Akhdar`` also
  matches ``Jabal Al Akhdar``). Acronym aliases (two capitals or more: ``LBY``) only match words written with
  two capitals or more. A few names that are also ordinary words (East, West, South, الشرق, الواحات, ...) are
  never matched alone. When one name belongs to a code and to its ancestor (Sebha the district and the city),
  the ancestor is suggested: it is the code the name usually means, and its descendants stay available.

  Which places are kept: any place named in the title; in a document of fewer than :data:`SHORT_DOC_WORDS`
  words, any place named once or more, except a *passing mention* (named once, unrelated by hierarchy to the
  places named more often, and at least :data:`PASSING_MENTION_RATIO` times weaker than the strongest place); in
  a longer document, places named :data:`LOCATION_MIN_COUNT_LONG` times or more, or making up
  :data:`LOCATION_MIN_SHARE` of all place mentions. A country is dropped when a place inside it is kept (the
  hierarchy implies it).
* **doc_type**: title and structure cues. A label or alias of the type in the title weighs most (``Minutes``,
  ``محضر اجتماع``, ``Terms of reference``), then in the first :data:`HEAD_CHARS` characters of the text
  (``Minutes of the meeting held on ...``); the type's ``keywords`` (``taxonomy.yaml``) count more when they open
  a short line or a line ending in a colon, as headings do (``Agenda:``, ``Participants``, ``Action points``,
  ``الحضور``), than elsewhere. At most two types are suggested, each with a score of at least
  :data:`DOC_TYPE_MIN_SCORE` and half the best score.
* **sector, theme, population**: keyword rules kept in ``taxonomy.yaml``: the labels, aliases and ``keywords`` of
  each code are counted, compared after the search stemmer (Porter for English, light Snowball for Arabic: so
  نازحة, النازحين and نازحون all count for النازحين; ``displaced`` and ``displacement`` are one cue). Single
  words too common to mean anything alone (``access``, ``solutions``, ``protection``, ...) are not cues. A code
  is suggested when it is in the title or reaches a count that grows with the document's length
  (:func:`_topic_min_count`: 1 below :data:`TINY_DOC_WORDS` words, 2 below :data:`LONG_DOC_WORDS`, then 3).

Within places and within topics, matches do not overlap: the longest name wins (``child protection`` is not also
``protection``), but one span can count for several codes that share it (``GBV``: the sector and the theme).
"""

from __future__ import annotations

import functools
import re
import unicodedata
import weakref
from collections import Counter
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import NamedTuple

from indexer.analysis import normalize_word
from indexer.analysis import stem_word
from repository.knowledge.taxonomy import Taxonomy

__all__ = [
    "alias_lookup",
    "accept_suggestions",
    "suggest_codes",
]

#: Documents shorter than this (in words) need a single mention of a place or topic.
SHORT_DOC_WORDS = 300
#: Below this many words a single mention of a topic is enough; from LONG_DOC_WORDS on, three are needed.
TINY_DOC_WORDS = 60
LONG_DOC_WORDS = 1000
#: In a short document, a place named once is dropped when another place scores this many times more.
PASSING_MENTION_RATIO = 4
#: Mentions of a place needed in a longer document (unless in the title or a large share of place mentions).
LOCATION_MIN_COUNT_LONG = 2
#: A place that makes up at least this share of all place mentions is suggested even if named once.
LOCATION_MIN_SHARE = 0.15
#: Only the start of very long texts is read (about 1 s per 150,000 characters).
MAX_TEXT_CHARS = 300_000
#: Score a doc_type needs to be suggested.
DOC_TYPE_MIN_SCORE = 4
#: Facets matched on topic keywords.
TOPIC_FACETS = ("sector", "theme", "population")
#: How many characters of the text count as its "head" (the first lines) for doc_type cues.
HEAD_CHARS = 400
TITLE_BONUS = 3

# Names that are also ordinary words: never matched on their own (normalised forms).
_GENERIC_NAMES = frozenset(
    normalize_word(w)
    for w in ("east", "west", "south", "الشرق", "الغرب", "الجنوب", "الواحات", "الشاطئ", "tamim", "التأميم")
)
_LATIN_ARTICLES = frozenset({"al", "el", "as", "ash", "az", "ad", "an", "ar", "at", "aj"})
_AR_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "فك")
_AR_SHORT_PREFIXES = ("", "و", "ب", "وب")  # for names of three letters or fewer (ل + غات is لغات, "languages")

_WORD = re.compile("(?:[^\\W_]|[\u064b-\u065f\u0670\u0640])+")
_ARABIC = re.compile("[\u0600-\u06ff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_UPPER = re.compile("[A-Z\u00c0-\u00de]")


# ------------------------------------------------------------------------------------------------------------
# Tokens and normalisation
# ------------------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def _bare(word: str) -> str:
    """:func:`normalize_word` with Latin accents dropped."""
    key = normalize_word(word)
    if not _ARABIC.search(key):
        key = "".join(ch for ch in unicodedata.normalize("NFKD", key) if not unicodedata.combining(ch))
    return key


@functools.lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    """The key names are compared on: :func:`_bare`, and an English plural s dropped."""
    key = _bare(word)
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss") and not _ARABIC.search(key):
        key = key[:-1]
    return key


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """The key topic cues are compared on: :func:`_bare`, then the search stemmer (Porter / light Arabic)."""
    return stem_word(_bare(word))


# Single words that are aliases of a sector, theme or population but too common to count as a cue on their own
# (they still work for search): "access to services", "find solutions", "recovery of costs".
_GENERIC_TOPIC_WORDS = frozenset(
    _fold(w)
    for w in (
        *("access", "solutions", "employment", "jobs", "recovery", "remedies", "accessibility"),
        *("protection", "الحماية"),  # in a protection repository nearly every text says it
    )
)


def _is_acronym(word: str) -> bool:
    return len(_UPPER.findall(word)) >= 2


class _Token(NamedTuple):  # a tuple: a report has thousands of them, made much faster than dataclass instances
    key: str
    stem: str
    raw: str
    start: int
    end: int
    line: int
    first_in_line: bool


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    append = out.append
    line = 0
    line_start = 0
    pos = 0
    prev_line = -1
    numbering = True  # only numbering tokens seen so far on this line
    keys: dict[str, tuple[str, str, bool]] = {}  # raw word -> (fold, stem, keeps a line "numbering")
    count = text.count
    for m in _WORD.finditer(text):
        start = m.start()
        newlines = count("\n", pos, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", 0, start) + 1
        pos = start
        raw = m.group()
        known = keys.get(raw)
        if known is None:
            numbers = raw.isdigit() or len(raw) <= 2 and raw.isalpha() and raw.isascii()
            known = keys[raw] = (_fold(raw), _stem(raw), numbers)
        if line != prev_line:
            numbering = True
            prev_line = line
        first = numbering and not text[line_start:start].strip(" \t-•·*–—.)(0123456789ivxabcdefgh:")
        append(_Token(known[0], known[1], raw, start, m.end(), line, first))
        if not known[2]:
            numbering = False
    return out


def _arabic_variants(key: str, *, allow_article: bool = True) -> set[str]:
    """The written forms of an Arabic word with the prefixes it may carry (و ف ب ل ك, ال)."""
    if len(key) <= 3:
        return {p + key for p in _AR_SHORT_PREFIXES}
    forms: set[str] = set()
    if key.startswith("ال"):
        lam_form = "ل" + key[2:] if key.startswith("الل") else "ل" + key[1:]
        forms.update(p + key for p in _AR_PREFIXES if not p.endswith("ل"))
        forms.update(p + lam_form for p in ("", "و", "ف"))
    else:
        forms.update(p + key for p in _AR_PREFIXES)
        if allow_article:
            forms.update(p + "ال" + key for p in _AR_PREFIXES if not p.endswith("ل"))
            forms.update(p + "لل" + key for p in ("", "و", "ف"))
    return forms


# ------------------------------------------------------------------------------------------------------------
# The matcher
# ------------------------------------------------------------------------------------------------------------


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


# ------------------------------------------------------------------------------------------------------------
# Suggestions
# ------------------------------------------------------------------------------------------------------------


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def _mentions(surfaces: Counter[str]) -> str:
    """``mentions 'Tawargha' 9 times, 'Tawaragha' once``: forms differing only in case, accents or Arabic marks
    are counted together, shown as their most frequent spelling."""
    groups: dict[str, Counter[str]] = {}
    for surface, n in surfaces.items():
        key = " ".join(_fold(m.group()) for m in _WORD.finditer(surface))
        groups.setdefault(key, Counter())[surface] += n
    ranked = sorted(groups.values(), key=lambda c: -sum(c.values()))
    parts = [f"'{c.most_common(1)[0][0]}' {_times(sum(c.values()))}" for c in ranked[:3]]
    return "mentions " + ", ".join(parts)


def _topic_min_count(n_words: int) -> int:
    """Mentions a sector, theme or population needs: 1 in short texts, more in long ones."""
    if n_words < TINY_DOC_WORDS:
        return 1
    if n_words < LONG_DOC_WORDS:
        return 2
    return 3


def _collapse_ancestors(taxonomy: Taxonomy, matches: list[_Match]) -> list[_Match]:
    """Where one span names a code and its ancestor, keep the ancestor (the shallowest)."""
    by_span: dict[tuple[int, int], list[_Match]] = {}
    for m in matches:
        by_span.setdefault((m.start, m.end), []).append(m)
    out: list[_Match] = []
    for group in by_span.values():
        codes = {m.code for m in group}
        for m in group:
            if not any(a in codes for a in taxonomy.ancestors(m.code)):
                out.append(m)
    out.sort(key=lambda m: m.start)
    return out


@dataclass
class _Tally:
    count: int = 0
    surfaces: Counter[str] = field(default_factory=Counter)
    in_title: bool = False
    title_surface: str = ""


def _tally(
    taxonomy: Taxonomy,
    matchers: Iterable[_Matcher],
    text: str,
    tokens: list[_Token],
    title: str,
    title_tokens: list[_Token],
) -> dict[str, _Tally]:
    tallies: dict[str, _Tally] = {}
    for matcher in matchers:
        for m in _collapse_ancestors(taxonomy, matcher.find(tokens, text)):
            t = tallies.setdefault(m.code, _Tally())
            t.count += 1
            t.surfaces[m.surface] += 1
        for m in _collapse_ancestors(taxonomy, matcher.find(title_tokens, title)):
            t = tallies.setdefault(m.code, _Tally())
            if not t.in_title:
                t.in_title = True
                t.title_surface = m.surface
    return tallies


def _reason(t: _Tally) -> str:
    parts = []
    if t.in_title:
        parts.append(f"in the title ('{t.title_surface}')")
    if t.count:
        parts.append(_mentions(t.surfaces))
    return "; ".join(parts)


def _suggest_locations(taxonomy: Taxonomy, tallies: dict[str, _Tally], n_words: int) -> list[dict[str, str]]:
    places = {c: t for c, t in tallies.items() if taxonomy.facet_of(c) == "location"}
    total = sum(t.count for t in places.values())
    min_count = 1 if n_words < SHORT_DOC_WORDS else LOCATION_MIN_COUNT_LONG
    # Places named more than once or in the title, and their ancestors and descendants, are the document's
    # focus; a place named once, unrelated to the focus, is a passing mention when the focus is much stronger.
    strong = [c for c, t in places.items() if t.in_title or t.count > 1]
    related = set(strong)
    for c in strong:
        related.update(taxonomy.ancestors(c))
        related.update(taxonomy.descendants(c))
    top = max((_score(t) for c, t in places.items() if taxonomy.get(c).parent is not None), default=0)

    def keep(code: str, t: _Tally) -> bool:
        if t.in_title:
            return True
        if n_words >= SHORT_DOC_WORDS and total and t.count / total >= LOCATION_MIN_SHARE:
            return True
        if t.count < min_count:
            return False
        return t.count > 1 or code in related or t.count * PASSING_MENTION_RATIO >= top

    chosen = {c: t for c, t in places.items() if keep(c, t)}
    for code in list(chosen):
        if taxonomy.get(code).parent is None and any(code in taxonomy.ancestors(o) for o in chosen if o != code):
            del chosen[code]  # a country is implied by any place in it
    return _ordered(taxonomy, chosen)


def _score(t: _Tally) -> int:
    return t.count + TITLE_BONUS * t.in_title


def _ordered(taxonomy: Taxonomy, chosen: Mapping[str, _Tally]) -> list[dict[str, str]]:
    order = {c: i for i, c in enumerate(taxonomy.codes)}
    ranked = sorted(chosen.items(), key=lambda kv: (-_score(kv[1]), order[kv[0]]))
    return [{"code": c, "reason": _reason(t)} for c, t in ranked]


def _suggest_topics(taxonomy: Taxonomy, tallies: dict[str, _Tally], n_words: int) -> dict[str, list]:
    min_count = _topic_min_count(n_words)
    out: dict[str, list] = {}
    for facet in TOPIC_FACETS:
        chosen = {
            c: t for c, t in tallies.items() if taxonomy.facet_of(c) == facet and (t.in_title or t.count >= min_count)
        }
        if chosen:
            out[facet] = _ordered(taxonomy, chosen)
    return out


def _suggest_doc_type(
    taxonomy: Taxonomy,
    gaz: _Gazetteer,
    text: str,
    tokens: list[_Token],
    title: str,
    title_tokens: list[_Token],
) -> list[dict[str, str]]:
    scores: Counter[str] = Counter()
    reasons: dict[str, list[str]] = {}

    def note(code: str, points: int, why: str) -> None:
        scores[code] += points
        reasons.setdefault(code, []).append(why)

    for matcher, points in ((gaz.doc_type_names, 6), (gaz.doc_type_keywords, 3)):
        done: set[str] = set()
        for m in matcher.find(title_tokens, title):
            if m.code not in done:
                done.add(m.code)
                note(m.code, points, f"title says '{m.surface}'")
    head_tokens = [t for t in tokens if t.end <= HEAD_CHARS]
    done = set()
    for m in gaz.doc_type_names.find(head_tokens, text):
        if m.code not in done and scores[m.code] < 6:
            done.add(m.code)
            note(m.code, 3, f"opens with '{m.surface}'")
    headings: dict[str, list[str]] = {}
    mentions: dict[str, list[str]] = {}
    for m in gaz.doc_type_keywords.find(tokens, text):
        key = _fold(m.surface)
        bucket = headings if m.heading else mentions
        names = bucket.setdefault(m.code, [])
        if all(_fold(n) != key for n in names):
            names.append(m.surface)
    for code, names in headings.items():
        note(code, 2 * len(names), "headings " + ", ".join(f"'{n}'" for n in names[:4]))
    for code, names in mentions.items():
        fresh = [n for n in names if all(_fold(n) != _fold(h) for h in headings.get(code, ()))]
        if fresh:
            note(code, min(len(fresh), 2), "mentions " + ", ".join(f"'{n}'" for n in fresh[:3]))
    if not scores:
        return []
    top = max(scores.values())
    order = {c: i for i, c in enumerate(taxonomy.codes)}
    ranked = sorted(
        (c for c, s in scores.items() if s >= DOC_TYPE_MIN_SCORE and s * 2 >= top),
        key=lambda c: (-scores[c], order[c]),
    )
    return [{"code": c, "reason": "; ".join(reasons[c])} for c in ranked[:2]]


def suggest_codes(text: str, title: str, taxonomy: Taxonomy) -> dict[str, list[dict[str, str]]]:
    """Suggested codes per facet, strongest first, each ``{"code": full id, "reason": why}`` (see module doc).

    Only facets with at least one suggestion appear, in taxonomy order. Retired codes are never suggested. Only
    the first :data:`MAX_TEXT_CHARS` characters of ``text`` are read.
    """
    text = unicodedata.normalize("NFKC", (text or "")[:MAX_TEXT_CHARS])
    title = unicodedata.normalize("NFKC", (title or "")[:1000])
    gaz = _gazetteer(taxonomy)
    tokens = _tokens(text)
    title_tokens = _tokens(title)
    n_words = len(tokens)
    tallies = _tally(taxonomy, (gaz.places, gaz.topics), text, tokens, title, title_tokens)
    found: dict[str, list[dict[str, str]]] = {}
    doc_types = _suggest_doc_type(taxonomy, gaz, text, tokens, title, title_tokens)
    if doc_types:
        found["doc_type"] = doc_types
    found.update(_suggest_topics(taxonomy, tallies, n_words))
    locations = _suggest_locations(taxonomy, tallies, n_words)
    if locations:
        found["location"] = locations
    rank = {f.id: i for i, f in enumerate(taxonomy.facets)}
    return dict(sorted(found.items(), key=lambda kv: rank.get(kv[0], len(rank))))


def accept_suggestions(
    current: Iterable[str],
    suggestions: Mapping[str, Iterable[Mapping[str, Any]]],
    accepted: Iterable[str],
    *,
    single_valued: Iterable[str] = ("doc_type",),
) -> list[str]:
    """The document's codes after accepting some suggestions in one step.

    ``accepted`` codes are added to ``current`` (order kept, no repeats). An accepted code of a single-valued
    facet (``doc_type``) replaces the current code of that facet. Raises :class:`ValueError` naming any
    accepted code that was not among ``suggestions``.
    """
    suggested = {str(s.get("code")) for items in suggestions.values() for s in items}
    accepted = list(dict.fromkeys(accepted))
    stray = [c for c in accepted if c not in suggested]
    if stray:
        raise ValueError(f"not suggested: {', '.join(stray)}")
    single = set(single_valued)
    replaced = {c.partition(":")[0] for c in accepted if c.partition(":")[0] in single}
    kept = [c for c in current if c.partition(":")[0] not in replaced]
    chosen_single: set[str] = set()
    additions = []
    for c in accepted:
        facet = c.partition(":")[0]
        if facet in single:
            if facet in chosen_single:
                continue  # one code per single-valued facet: the first accepted wins
            chosen_single.add(facet)
        additions.append(c)
    return list(dict.fromkeys([*kept, *additions]))


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
