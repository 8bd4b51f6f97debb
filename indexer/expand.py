"""Alias expansion of search queries: a word that names a taxonomy code also searches the code's other names.

A query for ``Darnah`` becomes ``Darnah OR Derna OR درنة ...``, and the page can say "also searched: Derna,
درنة". Pure module (Whoosh only): the vocabulary comes in as a ``lookup`` callable, so this module knows nothing
of ``taxonomy.yaml`` (``repository.knowledge.coding.alias_lookup`` builds one from a
:class:`~repository.knowledge.taxonomy.Taxonomy`).

**The original words.** The parser has already analysed (normalised and stemmed) every word, so a ``Term`` holds
``درن`` where the user typed ``درنة``. The alias look-up needs the words as typed, and they are recovered so:

* a single word: Whoosh's parser records where each ``Term`` came from (``startchar``/``endchar`` in the query
  text), so the original is ``source[startchar:endchar]``;
* a quoted phrase (``"Al Kufrah"``) or a word the analyzer splits in several tokens (``Al-Kufrah``): those
  queries carry no position. The query text is pre-scanned instead: every quoted phrase and every bare word
  (outside quotes, without parentheses and operators) is analysed with the field's analyzer, and the tuple of
  tokens it gives is mapped back to the text it came from; a ``Phrase``, or an ``And`` of position-less
  ``Term`` s of one field, is looked up by its tokens.

Without the query text (:func:`expand_query` called with ``source=None``), the analysed text itself is looked
up, which works for names the analysis leaves alone.

**The expansion.** Each such leaf (in every text field) is replaced by ``leaf OR alt1 OR alt2 ...``, each
alternative analysed with the same field analyzer (one token → ``Term``, several → ``Phrase``), so the index sees
exactly what it would for a user typing the alternative. Alternatives that analyse to the leaf's own tokens, or
that contain the tokens of the leaf or of an alternative already added (``Derna city`` once ``Derna`` is
searched), are left out: they cannot match more documents. Expansion happens in place, so the query's logic is
kept: ``NOT Darnah`` excludes every spelling. Unquoted multi-word names (``Al Kufrah``, ``الاتجار بالبشر`` typed
without quotes) are consecutive words joined by AND: a run of them (at most :data:`MAX_NAME_WORDS`, longest
first) whose text is a name becomes ``(word AND word) OR alt1 OR alt2 ...``, so the words typed still find what
they found, and the other names are searched too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterable

from whoosh import query as Q  # noqa: N812

from indexer.analysis import text_analyzer
from indexer.query import parse_user_query
from indexer.schema import TEXT_FIELDS

__all__ = ["MAX_FORMS_PER_WORD", "MAX_FORMS_TOTAL", "expand_query", "expand_text_query"]

#: At most this many alternative forms for one word or phrase of the query.
MAX_FORMS_PER_WORD = 12
#: At most this many alternative forms for the whole query (each is searched in every text field).
MAX_FORMS_TOTAL = 40
#: The longest run of unquoted words looked up as one name.
MAX_NAME_WORDS = 6

#: ``lookup(word_or_phrase)`` gives, for each taxonomy code the text names, that code's labels and aliases (``[]``
#: when it names none); the caller builds it from the vocabulary, so the indexer needs no taxonomy.
Lookup = Callable[[str], list[list[str]]]

_QUOTED = re.compile(r'"([^"]*)"')
_OPERATORS = frozenset({"AND", "OR", "NOT"})


def _tokens(analyzer, text: str) -> tuple[str, ...]:
    return tuple(t.text for t in analyzer(text, mode="query"))


def _bare_words(source: str) -> list[str]:
    """The query's words outside quotes, parentheses and operators removed."""
    outside = _QUOTED.sub(" ", source)
    words = []
    for chunk in outside.split():
        chunk = chunk.strip("()")
        if chunk and chunk not in _OPERATORS:
            words.append(chunk)
    return words


class _Expander:
    def __init__(self, lookup: Lookup, fieldnames: Iterable[str], source: str | None, analyzers) -> None:
        self.lookup = lookup
        self.fields = frozenset(fieldnames)
        self.source = source
        self.analyzers = analyzers  # fieldname -> analyzer
        self.originals: dict[tuple[str, tuple[str, ...]], str] = {}
        self.forms_cache: dict[str, list[str]] = {}
        self.token_cache: dict[tuple[str, str], tuple[str, ...]] = {}
        self.also: dict[str, None] = {}
        if source:
            pieces = [m.strip() for m in _QUOTED.findall(source)] + _bare_words(source)
            for fieldname in sorted(self.fields):
                for piece in pieces:
                    toks = self.tokens(fieldname, piece)
                    if toks:
                        self.originals.setdefault((fieldname, toks), piece)

    def tokens(self, fieldname: str, text: str) -> tuple[str, ...]:
        key = (fieldname, text)
        if key not in self.token_cache:
            self.token_cache[key] = _tokens(self.analyzers(fieldname), text)
        return self.token_cache[key]

    def forms(self, original: str) -> list[str]:
        if original not in self.forms_cache:
            seen: dict[str, str] = {}
            for group in self.lookup(original) or ():
                for form in group:
                    form = form.replace('"', " ").strip()
                    if form and form.casefold() not in seen:
                        seen[form.casefold()] = form
            self.forms_cache[original] = list(seen.values())
        return self.forms_cache[original]

    def leaf(self, node: Q.Query) -> tuple[str, tuple[str, ...], str] | None:
        """``(field, tokens, original text)`` when ``node`` is one word or phrase of the user's query."""
        if isinstance(node, Q.Term) and node.fieldname in self.fields and isinstance(node.text, str):
            toks = (node.text,)
            start, end = getattr(node, "startchar", None), getattr(node, "endchar", None)
            if self.source is not None and start is not None and end is not None:
                return node.fieldname, toks, self.source[start:end]
            return node.fieldname, toks, self.originals.get((node.fieldname, toks), node.text)
        if isinstance(node, Q.Phrase) and node.fieldname in self.fields:
            toks = tuple(node.words)
            return node.fieldname, toks, self.originals.get((node.fieldname, toks), " ".join(toks))
        if isinstance(node, Q.And) and node.subqueries:
            subs = node.subqueries
            if all(
                isinstance(s, Q.Term) and getattr(s, "startchar", None) is None and s.fieldname == subs[0].fieldname
                for s in subs
            ):
                fieldname = subs[0].fieldname
                toks = tuple(s.text for s in subs)
                original = self.originals.get((fieldname, toks))
                if fieldname in self.fields and original is not None:
                    return fieldname, toks, original
        return None

    def expand_leaf(self, node: Q.Query, fieldname: str, toks: tuple[str, ...], original: str) -> Q.Query:
        candidates = []
        for form in self.forms(original)[: MAX_FORMS_PER_WORD * 2]:
            form_toks = self.tokens(fieldname, form)
            if form_toks:
                candidates.append((len(form_toks), form, form_toks))
        candidates.sort(key=lambda c: c[0])
        searched: list[tuple[str, ...]] = [toks]
        alternatives: list[Q.Query] = []
        for _, form, form_toks in candidates:
            if len(alternatives) >= MAX_FORMS_PER_WORD:
                break
            if any(_contains(form_toks, done) for done in searched):
                continue
            if form not in self.also and len(self.also) >= MAX_FORMS_TOTAL:
                break
            searched.append(form_toks)
            self.also.setdefault(form, None)
            if len(form_toks) == 1:
                alternatives.append(Q.Term(fieldname, form_toks[0]))
            else:
                alternatives.append(Q.Phrase(fieldname, list(form_toks)))
        if not alternatives:
            return node
        return Q.Or([node, *alternatives])

    def rewrite(self, node: Q.Query) -> Q.Query:
        found = self.leaf(node)
        if found is not None:
            return self.expand_leaf(node, *found)
        if isinstance(node, Q.And) and self.source is not None:
            return self.expand_runs(node)
        if node.is_leaf():
            return node
        return node.apply(self.rewrite)

    def word_span(self, node: Q.Query) -> tuple[int, int] | None:
        """Where in the query text a word of the user's query came from: a ``Term`` of a text field, or the
        ``Or`` of one word over several text fields (what the parser makes of a bare word)."""
        terms = [node] if isinstance(node, Q.Term) else list(node.subqueries) if isinstance(node, Q.Or) else []
        spans = set()
        for t in terms:
            if not isinstance(t, Q.Term) or t.fieldname not in self.fields:
                return None
            start, end = getattr(t, "startchar", None), getattr(t, "endchar", None)
            if start is None or end is None:
                return None
            spans.add((start, end))
        return spans.pop() if len(spans) == 1 else None

    def expand_runs(self, node: Q.And) -> Q.Query:
        """An ``And`` whose consecutive bare words spell a name (``الاتجار بالبشر``, ``تل عفر``, ``Tal Afar``
        typed without quotes): the run becomes ``(word AND word ...) OR alt1 OR alt2 ...``, longest names first;
        every other child is rewritten as usual."""
        subs = list(node.subqueries)
        spans = [self.word_span(s) for s in subs]
        out: list[Q.Query] = []
        i = 0
        while i < len(subs):
            found = None
            if spans[i] is not None:
                for j in range(min(len(subs), i + MAX_NAME_WORDS) - 1, i, -1):
                    if any(spans[k] is None for k in range(i, j + 1)):
                        continue
                    text = " ".join(self.source[spans[i][0] : spans[j][1]].split())
                    if '"' in text or any(w in _OPERATORS or "(" in w or ")" in w for w in text.split()):
                        continue
                    if self.forms(text):
                        found = (j, text)
                        break
            if found is None:
                out.append(self.rewrite(subs[i]))
                i += 1
                continue
            j, text = found
            run = [self.rewrite(s) for s in subs[i : j + 1]]
            alternatives = self.name_alternatives(text)
            out.append(Q.Or([Q.And(run), *alternatives]) if alternatives else Q.And(run))
            i = j + 1
        return Q.And(out)

    def name_alternatives(self, text: str) -> list[Q.Query]:
        """The other names of the name ``text`` (several words typed without quotes), each searched in every
        text field; left out when it contains the words typed or a form already added (see module docstring), or
        when it is a part of the words typed (a broader name the user did not ask for)."""
        fields = sorted(self.fields)
        typed = {f: self.tokens(f, text) for f in fields}
        candidates = []
        for form in self.forms(text)[: MAX_FORMS_PER_WORD * 2]:
            per_field = {f: self.tokens(f, form) for f in fields}
            if all(per_field.values()):
                candidates.append((len(per_field[fields[0]]), form, per_field))
        candidates.sort(key=lambda c: c[0])
        searched = [typed]
        alternatives: list[Q.Query] = []
        for _, form, per_field in candidates:
            if len(alternatives) >= MAX_FORMS_PER_WORD:
                break
            if any(all(_contains(per_field[f], done[f]) for f in fields) for done in searched):
                continue
            if all(_contains(typed[f], per_field[f]) for f in fields):
                continue  # a part of the words typed (مراكز الاحتجاز → الاحتجاز): broader than what was asked
            if form not in self.also and len(self.also) >= MAX_FORMS_TOTAL:
                break
            searched.append(per_field)
            self.also.setdefault(form, None)
            alternatives.append(
                Q.Or([Q.Term(f, t[0]) if len(t) == 1 else Q.Phrase(f, list(t)) for f, t in per_field.items()])
            )
        return alternatives


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Whether ``shorter`` occurs as a contiguous run in ``longer``."""
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def expand_query(
    q: Q.Query,
    lookup: Lookup,
    fieldnames: Iterable[str],
    *,
    source: str | None = None,
    analyzer=None,
    schema=None,
) -> tuple[Q.Query, list[str]]:
    """Expand every word or phrase of ``q`` (in ``fieldnames``) that ``lookup`` knows; see the module docstring.

    :param q: a parsed user query.
    :param lookup: ``lookup(original_text)`` returns, for each code the text names, the list of that code's
        labels and aliases (``[]`` when the text names no code).
    :param fieldnames: the text fields whose terms are expanded.
    :param source: the query text ``q`` was parsed from, to recover the words as typed (recommended).
    :param analyzer: the analyzer for the alternative forms; by default the field's analyzer from ``schema``,
        else :func:`indexer.analysis.text_analyzer`.
    :param schema: the schema the query was parsed with.
    :returns: the expanded query and the alternative forms searched, in query order, without repeats.
    """
    if analyzer is not None:

        def analyzers(_fieldname):
            return analyzer
    elif schema is not None:

        def analyzers(fieldname):
            return schema[fieldname].analyzer
    else:
        default = text_analyzer()

        def analyzers(_fieldname):
            return default

    expander = _Expander(lookup, fieldnames, source, analyzers)
    return expander.rewrite(q), list(expander.also)


def expand_text_query(text: str, schema, lookup: Lookup) -> tuple[Q.Query | None, list[str]]:
    """Parse a user's query like :func:`indexer.query.parse_user_query` (same restricted parser, same limits and
    :class:`~indexer.query.QueryError`), then expand it with :func:`expand_query`.

    Returns ``(None, [])`` when the query has no searchable word.
    """
    q = parse_user_query(schema, text)
    if q is None:
        return None, []
    return expand_query(q, lookup, TEXT_FIELDS, source=(text or "").strip(), schema=schema)
