"""Redaction: a text with every finding of the chosen scan kinds masked. Pure (standard library and the scan).

:func:`redact` takes a document's text and the kinds to mask and returns the masked text: each value the scan
detects (:func:`repository.knowledge.scan.detect`, with its position) is replaced by a placeholder naming its
kind (``[phone]``, ``[e-mail]``, ``[name]``…; a small count becomes ``<5``; in a line that holds Arabic the
label is Arabic, between squares: ``■هاتف■``). The scan is run again on the result
and whatever it still finds of those kinds is masked too, a few rounds at most; :func:`remaining` says which of the
kinds a text still shows (the service checks the regenerated file's text with it and refuses when any is left).

The text is the scan's *prepared* text (Arabic-Indic digits as ASCII, Arabic diacritics and tatweel removed, see
:func:`repository.knowledge.scan.prepare`), since the positions of the hits are in that text; page breaks (form
feeds) and line breaks are kept.

Where a hit's position covers only part of its value (a name or a pair of coordinates spread over the cells of a
table row), the parts of the value are also masked wherever they stand as whole words on the hit's line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Sequence

from repository.knowledge.scan import KINDS
from repository.knowledge.scan import Hit
from repository.knowledge.scan import detect
from repository.knowledge.scan import prepare

#: What stands in the text for a masked value of each kind.
PLACEHOLDERS: dict[str, str] = {
    "person_name": "[name]",
    "phone": "[phone]",
    "email": "[e-mail]",
    "id_number": "[id]",
    "coordinates": "[location]",
    "sensitive_site": "[site]",
    "severe_topic": "[case detail]",
    "small_count": "<5",
}
#: The same in a line that holds Arabic, without brackets: a right-to-left line mirrors brackets (a PDF's text layer
#: then reads "]phone[") and Latin words in it are reordered by text extractors.
PLACEHOLDERS_AR: dict[str, str] = {
    "person_name": "■اسم■",
    "phone": "■هاتف■",
    "email": "■بريد■",
    "id_number": "■رقم■",
    "coordinates": "■موقع■",
    "sensitive_site": "■مكان■",
    "severe_topic": "■تفاصيل■",
    "small_count": "■أقل من ٥■",
}
MAX_ROUNDS = 4
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")

_SPACE = re.compile(r"\s+")
_PART_SPLIT = re.compile(r"[\s,;|]+")


def check_kinds(kinds: Iterable[str]) -> list[str]:
    """The kinds in scan order, without repeats; a ``ValueError`` naming any that is not a scan kind."""
    kinds = list(kinds)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown scan kind(s): {', '.join(unknown[:5])}; the kinds are {', '.join(KINDS)}.")
    return [k for k in KINDS if k in kinds]


def redact(text: str, kinds: Iterable[str]) -> str:
    """``text`` (prepared as the scan prepares it) with every detected value of ``kinds`` masked."""
    chosen = set(check_kinds(kinds))
    out = prepare(text or "")
    for _ in range(MAX_ROUNDS):
        hits = [h for h in detect(out) if h.kind in chosen]
        if not hits:
            break
        out = mask(out, hits)
    return out


def remaining(text: str, kinds: Iterable[str]) -> list[str]:
    """The kinds of ``kinds`` the scan still finds in ``text`` (in scan order; empty when none is left)."""
    found = {h.kind for h in detect(text or "")}
    return [k for k in check_kinds(kinds) if k in found]


def mask(prepared: str, hits: Sequence[Hit]) -> str:
    """Replace the values of ``hits`` (positions in ``prepared``, the scan's prepared text) by placeholders."""
    spans = _spans(prepared, hits)
    if not spans:
        return prepared
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    merged: list[list] = []
    for start, end, kind in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, kind])
    parts = []
    pos = 0
    for start, end, kind in merged:
        parts.append(prepared[pos:start])
        parts.append((PLACEHOLDERS_AR if _arabic_line(prepared, start, end) else PLACEHOLDERS)[kind])
        pos = end
    parts.append(prepared[pos:])
    return "".join(parts)


def _arabic_line(text: str, start: int, end: int) -> bool:
    """Whether the line around ``text[start:end]`` holds an Arabic letter."""
    line_start = max(text.rfind("\n", 0, start), text.rfind("\f", 0, start)) + 1
    ends = [i for i in (text.find("\n", end), text.find("\f", end)) if i >= 0]
    return bool(_ARABIC.search(text, line_start, min(ends, default=len(text))))


def _spans(prepared: str, hits: Sequence[Hit]) -> list[tuple[int, int, str]]:
    """Where each hit's value is: its own span, and (when the span does not hold the whole value) every whole-word
    occurrence of the value's parts on its line. Spans never cross a line break."""
    lines = _line_starts(prepared)
    spans: list[tuple[int, int, str]] = []
    for hit in hits:
        start, end = hit.span
        if 0 <= start < end <= len(prepared):
            spans.append((start, end, hit.kind))
            if _same(prepared[start:end], hit.value):
                continue
        spans.extend(_parts_on_line(prepared, lines, hit))
    return spans


def _same(segment: str, value: str) -> bool:
    return _SPACE.sub(" ", segment).strip() == _SPACE.sub(" ", value).strip()


def _line_starts(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, counted as the scan counts them (form feeds and newlines both end a line)."""
    out = []
    pos = 0
    for line in re.split(r"[\n\f]", text):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _parts_on_line(prepared: str, lines: list[tuple[int, int]], hit: Hit) -> list[tuple[int, int, str]]:
    if not 0 <= hit.line < len(lines):
        return []
    line_start, line_end = lines[hit.line]
    line = prepared[line_start:line_end]
    value = hit.value.strip()
    candidates = [value, *(p for p in _PART_SPLIT.split(value) if len(p) >= 2 or hit.kind == "small_count")]
    out = []
    for part in dict.fromkeys(candidates):
        if not part:
            continue
        for m in re.finditer(r"(?<![\w@.+-])" + re.escape(part) + r"(?![\w@])", line):
            out.append((line_start + m.start(), line_start + m.end(), hit.kind))
    return out
