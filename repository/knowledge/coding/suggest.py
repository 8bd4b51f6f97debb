"""Suggested codes per facet: places, document type, and sector, theme and population, each with a reason."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field

from repository.knowledge.coding.matcher import _Gazetteer
from repository.knowledge.coding.matcher import _gazetteer
from repository.knowledge.coding.matcher import _Match
from repository.knowledge.coding.matcher import _Matcher
from repository.knowledge.coding.rules import DOC_TYPE_MIN_SCORE
from repository.knowledge.coding.rules import HEAD_CHARS
from repository.knowledge.coding.rules import LOCATION_MIN_COUNT_LONG
from repository.knowledge.coding.rules import LOCATION_MIN_SHARE
from repository.knowledge.coding.rules import LONG_DOC_WORDS
from repository.knowledge.coding.rules import MAX_TEXT_CHARS
from repository.knowledge.coding.rules import PASSING_MENTION_RATIO
from repository.knowledge.coding.rules import SHORT_DOC_WORDS
from repository.knowledge.coding.rules import TINY_DOC_WORDS
from repository.knowledge.coding.rules import TITLE_BONUS
from repository.knowledge.coding.rules import TOPIC_FACETS
from repository.knowledge.coding.tokens import _WORD
from repository.knowledge.coding.tokens import _fold
from repository.knowledge.coding.tokens import _Token
from repository.knowledge.coding.tokens import _tokens
from repository.knowledge.taxonomy import Taxonomy


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
