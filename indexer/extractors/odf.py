"""OpenDocument text, spreadsheets and presentations: ``content.xml`` streamed with defusedxml.

**odfpy is not used for reading**: although it parses with defusedxml's SAX parser, it builds a DOM of every part
(memory), silently skips parts it cannot parse and *prints the whole XML part to stdout* on a parse error.
``content.xml`` is instead streamed with ``defusedxml.ElementTree.iterparse(forbid_dtd=True)``: any DOCTYPE (hence
any entity) is refused. Every file passes :func:`~indexer.extractors.containers.check_zip_container` first.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from indexer.extractors.base import Collector
from indexer.extractors.base import ExtractionError
from indexer.extractors.containers import check_zip_container

_NS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_NS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_PARAGRAPHS = {_NS_TEXT + "p", _NS_TEXT + "h"}
_CELLS = {_NS_TABLE + "table-cell", _NS_TABLE + "covered-table-cell"}
_ROW = _NS_TABLE + "table-row"
_TABLE = _NS_TABLE + "table"
_SPACE, _TAB, _BREAK = _NS_TEXT + "s", _NS_TEXT + "tab", _NS_TEXT + "line-break"
_SKIP_INLINE = {_NS_TEXT + "note-citation", _NS_TEXT + "tracked-changes"}


def _odf_inline_text(paragraph) -> str:
    """Text of a text:p / text:h: spans, links, notes, <text:s/>, <text:tab/>, <text:line-break/>; no recursion."""
    parts: list[str] = []
    stack: list[tuple[object, bool]] = [(paragraph, False)]
    while stack:
        element, closing = stack.pop()
        if closing:
            if element is not paragraph and element.tail:
                parts.append(element.tail)
            continue
        tag = element.tag
        stack.append((element, True))
        if tag == _SPACE:
            count = element.get(_NS_TEXT + "c", "1")
            parts.append(" " * min(int(count) if count.isdigit() else 1, 8))
            continue
        if tag == _TAB:
            parts.append("\t")
            continue
        if tag == _BREAK:
            parts.append("\n")
            continue
        if tag in _SKIP_INLINE:
            continue
        if element.text:
            parts.append(element.text)
        for child in reversed(list(element)):
            stack.append((child, False))
    return "".join(parts)


def _extract_odf(path: Path, *, sheet_headings: bool) -> str:
    from defusedxml.ElementTree import iterparse

    check_zip_container(path)
    out = Collector()
    paragraph_depth = 0
    cells: list[list[str]] = []  # one list of paragraph texts per open table cell
    rows: list[list[str]] = []  # one list of cell texts per open table row

    def emit(text: str) -> None:
        if cells:
            cells[-1].append(text)
        else:
            out.add(text)

    with zipfile.ZipFile(path) as archive:
        try:
            member = archive.open("content.xml")
        except KeyError as exc:
            raise ExtractionError("the OpenDocument file has no content.xml") from exc
        with member:
            for event, element in iterparse(member, events=("start", "end"), forbid_dtd=True):
                tag = element.tag
                if event == "start":
                    if tag in _PARAGRAPHS:
                        paragraph_depth += 1
                    elif paragraph_depth == 0 and tag in _CELLS:
                        cells.append([])
                    elif paragraph_depth == 0 and tag == _ROW:
                        rows.append([])
                    elif paragraph_depth == 0 and tag == _TABLE and sheet_headings and not cells:
                        name = element.get(_NS_TABLE + "name")
                        if name:
                            out.add(f"\n{name}\n")
                    continue
                if tag in _PARAGRAPHS:
                    paragraph_depth -= 1
                    if paragraph_depth == 0:
                        emit(_odf_inline_text(element))
                        element.clear()
                elif paragraph_depth == 0 and tag in _CELLS and cells:
                    text = " ".join(t.strip() for t in cells.pop() if t.strip())
                    if rows:
                        rows[-1].append(text)
                    element.clear()
                elif paragraph_depth == 0 and tag == _ROW and rows:
                    row = rows.pop()
                    while row and not row[-1]:
                        row.pop()
                    if row:
                        emit("\t".join(row))
                    element.clear()
                if out.full:
                    break
    return out.text()


def extract_odt(path: Path) -> str:
    """Paragraphs, headings, lists, tables, notes of content.xml (streamed with defusedxml; see module docstring)."""
    return _extract_odf(path, sheet_headings=False)


def extract_ods(path: Path) -> str:
    """Cell text, one row per line with tabs, each sheet under its name."""
    return _extract_odf(path, sheet_headings=True)


def extract_odp(path: Path) -> str:
    """Text of every frame on every slide, and the speaker notes."""
    return _extract_odf(path, sheet_headings=False)
