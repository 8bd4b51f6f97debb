"""Snippets: a few escaped lines of a document's text around the query's matches, the matches in ``<mark>``.

The index records where each term occurs in ``body`` and ``summary`` (``chars=True``, see
:mod:`indexer.schema`): :func:`match_spans` reads those positions for the shown page only, and
:func:`make_snippet` cuts the snippet around them without analysing the text again, checking that each marked
word still analyses to its term; without positions (or when the text changed since it was indexed) Whoosh's
highlighter analyses the text instead.
"""

from __future__ import annotations

from html import escape

from whoosh import highlight
from whoosh import query as Q  # noqa: N812
from whoosh.analysis import Token

from indexer.schema import SNIPPET_FIELDS
from indexer.schema import TEXT_FIELDS
from indexer.snapshot import Snapshot
from indexer.snapshot import matching_docnums


class MarkFormatter(highlight.Formatter):
    """Highlight formatter: escaped text, matches wrapped in ``<mark>``, fragments joined by an ellipsis."""

    between = " … "

    def _text(self, text: str) -> str:
        return escape(text, quote=False)

    def format_token(self, text, token, replace=False):  # noqa: D102 - whoosh formatter protocol
        return f"<mark>{escape(highlight.get_text(text, token, replace), quote=False)}</mark>"


#: Matches of a document considered for its snippet (the first ones; enough to pick two good fragments).
MAX_SNIPPET_SPANS = 64


def make_snippet(
    text: str,
    terms: frozenset[str],
    analyzer,
    max_chars: int = 300,
    spans: list[tuple[int, int, str]] | None = None,
) -> str:
    """An HTML snippet of ``text``: escaped, with the matches of ``terms`` in ``<mark>`` (``analyzer``: the
    ``body`` field's); see :meth:`indexer.index.SearchIndex.snippet`."""
    if not text:
        return ""
    if terms and spans:
        html = _pinpoint_snippet(text, spans, analyzer, max_chars)
        if html is not None:
            return html
    if terms:
        fragmenter = highlight.ContextFragmenter(maxchars=max_chars, surround=60)
        html = highlight.highlight(text, terms, analyzer, fragmenter, MarkFormatter(), top=2)
        if html:
            return html
    plain = " ".join(text.split())
    if len(plain) > max_chars:
        plain = plain[:max_chars].rsplit(" ", 1)[0] + " …"
    return escape(plain, quote=False)


def highlight_terms(q: Q.Query | None) -> frozenset[str]:
    """The analysed words of a (possibly expanded) query, in the text fields: what snippets mark."""
    if q is None:
        return frozenset()
    return frozenset(text for fname, text in q.iter_all_terms(phrases=True) if fname in TEXT_FIELDS)


def match_spans(snap: Snapshot, page: list[tuple], terms: frozenset[str]) -> dict[int, dict[str, list[tuple]]]:
    """Character positions of the query's terms in the ``body`` and ``summary`` of the shown page's documents,
    read from the index (``{doc id: {field: [(start, end, term), ...]}}``). ``page`` holds ``(sort key, segment
    number, local docnum, document id)`` tuples, as :meth:`indexer.index.SearchIndex.search` collects them."""
    by_segment: dict[int, list[tuple[int, int]]] = {}
    for _key, seg_no, local, doc_id in page:
        by_segment.setdefault(seg_no, []).append((local, doc_id))
    out: dict[int, dict[str, list[tuple]]] = {}
    for seg_no, docs in by_segment.items():
        _sub, leaf, _offset, _facts = snap.segments[seg_no]
        doc_ids = dict(docs)
        locals_ = sorted(doc_ids)
        for fieldname in SNIPPET_FIELDS:
            for term in terms:
                if (fieldname, term) not in leaf:
                    continue
                matcher = leaf.postings(fieldname, term)
                for local in matching_docnums(matcher, locals_):
                    chars = matcher.value_as("characters")
                    field_spans = out.setdefault(doc_ids[local], {}).setdefault(fieldname, [])
                    field_spans.extend((start, end, term) for _pos, start, end in chars)
    for fields in out.values():
        for field_spans in fields.values():
            field_spans.sort()
    return out


def _pinpoint_snippet(text: str, spans: list[tuple[int, int, str]], analyzer, max_chars: int) -> str | None:
    """A snippet cut around recorded match positions (Whoosh's non-re-tokenising fragmenter), or ``None`` when
    a position no longer holds its term in ``text``."""
    tokens = []
    last_start = -1
    for start, end, term in spans[:MAX_SNIPPET_SPANS]:
        if end > len(text):
            return None
        if start == last_start:  # two terms at one place (a word and its alias): keep the longer span
            if end > tokens[-1].endchar:
                tokens[-1] = Token(text=term, startchar=start, endchar=end, boost=1.0, matched=True)
            continue
        last_start = start
        tokens.append(Token(text=term, startchar=start, endchar=end, boost=1.0, matched=True))
    fragments = _best_fragments(text, tokens, max_chars)
    if not fragments:
        return None
    term_of = getattr(analyzer, "term", None)
    for fragment in fragments:
        for token in fragment.matches:
            word = text[token.startchar : token.endchar]
            if term_of is not None:
                found = [term_of(word)]
            else:
                found = [t.text for t in analyzer(word, mode="query")]
            if token.text not in found:
                return None
    return MarkFormatter()(text, _widen(text, fragments, max_chars))


def _best_fragments(text: str, tokens: list, max_chars: int, count: int = 2) -> list:
    """Up to ``count`` fragments of ``text`` around the matches, the best first chosen: the windows of at most
    ``max_chars / count`` characters (match to match) with the most distinct terms, then the most matches, the
    earliest winning ties; returned in text order. One pass over the matches (two pointers), where Whoosh's
    fragmenter and scorer build and score a fragment per match."""
    width = max(1, max_chars // count)
    chosen: list[tuple[int, int]] = []
    used = [False] * len(tokens)
    for _round in range(count):
        best = None
        j = 0
        seen: dict[str, int] = {}
        for i in range(len(tokens)):
            if j < i:
                j, seen = i, {}
            while j < len(tokens) and tokens[j].endchar - tokens[i].startchar <= width and not used[j]:
                seen[tokens[j].text] = seen.get(tokens[j].text, 0) + 1
                j += 1
            if not used[i] and j > i:
                key = (len(seen), j - i, -i)
                if best is None or key > best[0]:
                    best = (key, i, j)
            if j > i:
                term = tokens[i].text
                seen[term] -= 1
                if not seen[term]:
                    del seen[term]
        if best is None:
            break
        _key, i, j = best
        for k in range(i, j):
            used[k] = True
        chosen.append((i, j))
    fragments = []
    for i, j in sorted(chosen):
        matches = tokens[i:j]  # context is added by _widen
        fragments.append(highlight.Fragment(text, matches, matches[0].startchar, matches[-1].endchar))
    return fragments


def _widen(text: str, fragments: list, max_chars: int) -> list:
    """Give the fragments the context the snippet has room for (about ``max_chars`` in all), ending on word
    boundaries, and merge fragments that come to overlap."""
    share = max_chars // len(fragments)
    for fragment in fragments:
        room = share - (fragment.endchar - fragment.startchar)
        if room <= 0:
            continue
        start = max(0, fragment.startchar - room // 3)
        end = min(len(text), fragment.endchar + room - room // 3)
        if start > 0:
            space = text.find(" ", start, fragment.matches[0].startchar)
            start = space + 1 if space >= 0 else fragment.startchar
        if end < len(text):
            space = text.rfind(" ", fragment.matches[-1].endchar, end)
            end = space if space >= 0 else fragment.endchar
        fragment.startchar, fragment.endchar = min(start, fragment.startchar), max(end, fragment.endchar)
    merged = [fragments[0]]
    for fragment in fragments[1:]:
        last = merged[-1]
        if fragment.startchar <= last.endchar:
            last.endchar = max(last.endchar, fragment.endchar)
            last.matches = last.matches + [t for t in fragment.matches if t.startchar >= last.matches[-1].endchar]
        else:
            merged.append(fragment)
    return merged
