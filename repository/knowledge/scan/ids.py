"""Identity, passport and case numbers (``id_number``)."""

from __future__ import annotations

import re

from repository.knowledge.scan.common import Hit
from repository.knowledge.scan.common import _Doc
from repository.knowledge.scan.common import _mask_digits
from repository.knowledge.scan.lists import pattern

# A label in the plural ("individual numbers 254-...") takes its "s": it is not the start of the value.
_ID_LABEL = re.compile(rf"(?:{pattern('id_label_en')}|{pattern('id_label_ar')})(?:e?s(?![A-Za-z]))?", re.IGNORECASE)
_ID_VALUE = re.compile(r"\s*(?:[:#=]|\bis\b)?\s*(?P<v>(?:[A-Za-z]{1,6}[-/ ]?)?\d[\dA-Za-z]*(?:[-/][\dA-Za-z]+){0,4})")
# Twelve-digit national numbers: Libyan (sex digit, birth year, seven digits) and the Iraqi unified card (birth
# year, eight digits). Not glued to a Latin letter or digit (an Arabic letter before is a conjunction, "و٢١٩...");
# commas around are cell or list separators (a thousands group never has twelve digits).
_NID_LY = re.compile(
    r"(?<![^\W\u0600-\u06FF])(?<![./-])(?:[12](?:19[2-9]\d|20[0-2]\d)\d{7}|(?:19[2-9]\d|20[0-2]\d)\d{8})"
    r"(?![\w/-]|\.\d)"
)
_PASSPORT = re.compile(r"(?<![\w/-])(?P<p>[A-Z]{1,2})(?P<d>\d{6,8})(?![\w/-])")
_CASE_REF = re.compile(pattern("case_ref"))
_REF_REVERSED = re.compile(r"-(\d{2,4})-(\d{2,6})([A-Z]{2,6})")
_PCODE_PREFIXES = {"LY", "IQ"}
#: References of contracts, grants and projects look like case numbers but identify no person.
_NOT_PERSONAL_REF = re.compile(pattern("not_personal_ref"), re.IGNORECASE)


def _id_example(value: str) -> str:
    return _mask_digits(value, 2)


def _id_key(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def _find_ids(doc: _Doc, taken: list[tuple[int, int]], id_cells: list[tuple[int, str, int]]) -> list[Hit]:
    hits: list[Hit] = []
    occupied: set[int] = set()
    for a, b in taken:
        occupied.update(range(a, b))

    def free(a: int, b: int) -> bool:
        return not any(pos in occupied for pos in range(a, b))

    def add(a: int, b: int, value: str) -> None:
        value = value.strip().rstrip(".,;")
        reversed_ref = _REF_REVERSED.fullmatch(value)
        if reversed_ref:
            value = f"{reversed_ref.group(3)}-{reversed_ref.group(1)}-{reversed_ref.group(2)}"
        if sum(c.isdigit() for c in value) < 4:
            return
        occupied.update(range(a, b))
        hits.append(Hit("id_number", value, _id_key(value), doc.line_of(a), _id_example(value), (a, b)))

    for m in _ID_LABEL.finditer(doc.text):
        if m.end() < len(doc.text) and doc.text[m.end()].isalpha():
            continue  # the label is the start of a longer word
        v = _ID_VALUE.match(doc.text, m.end())
        if not v:
            continue
        a, b = v.start("v"), v.end("v")
        if "\n" in doc.text[m.end() : a]:
            continue
        if free(a, b):
            add(a, b, v.group("v"))
    for line, value, offset in id_cells:
        a = doc.starts[line] + offset
        if free(a, a + len(value)):
            add(a, a + len(value), value)
    for rx in (_CASE_REF, _NID_LY):
        for m in rx.finditer(doc.text):
            if _NOT_PERSONAL_REF.search(doc.text[max(0, m.start() - 30) : m.start()]):
                continue
            if free(m.start(), m.end()):
                add(m.start(), m.end(), m.group())
    for m in _PASSPORT.finditer(doc.text):
        if m.group("p") in _PCODE_PREFIXES:
            continue
        if free(m.start(), m.end()):
            add(m.start(), m.end(), m.group())
    return hits
