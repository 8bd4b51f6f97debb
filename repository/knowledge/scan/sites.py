"""Sensitive sites and severe topics (``sensitive_site``, ``severe_topic``)."""

from __future__ import annotations

import re

from repository.knowledge.scan.common import Hit
from repository.knowledge.scan.common import _Doc
from repository.knowledge.scan.lists import pattern

_SITE = re.compile(pattern("site"), re.IGNORECASE)
_SEVERE = re.compile(pattern("severe"), re.IGNORECASE)
_SEVERE_LABEL = re.compile(pattern("severe_label"), re.IGNORECASE)
_AGE = re.compile(pattern("age"), re.IGNORECASE)
_SEVERE_WINDOW = 3


def _keyword_example(word: str) -> str:
    return re.sub(r"\s+", " ", word.strip()).lower() if word.isascii() else re.sub(r"\s+", " ", word.strip())


def _find_sites(doc: _Doc) -> list[Hit]:
    hits = []
    for n, m in enumerate(_SITE.finditer(doc.text)):
        word = m.group().strip()
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        span = (start, start + len(word))
        hits.append(Hit("sensitive_site", word, f"{n}", doc.line_of(m.start() + 1), _keyword_example(word), span))
    return hits


def _find_severe(doc: _Doc, detail_lines: set[int]) -> list[Hit]:
    mentions = [(doc.line_of(m.start()), m.group(), m.span()) for m in _SEVERE.finditer(doc.text)]
    if not mentions:
        return []
    details = set(detail_lines)
    for li, line in enumerate(doc.lines):
        if _AGE.search(line):
            details.add(li)
    labelled = any(_SEVERE_LABEL.search(line) for line in doc.lines)
    near = any(any(abs(li - d) <= _SEVERE_WINDOW for d in details) for li, _, _ in mentions)
    if not (labelled or near):
        return []
    return [Hit("severe_topic", w, f"{n}", li, _keyword_example(w), s) for n, (li, w, s) in enumerate(mentions)]
