"""Office Open XML: Word (python-docx), Excel (openpyxl) and PowerPoint (python-pptx) files.

**XML external entities** are never resolved: python-docx and python-pptx parse with an lxml parser created with
``resolve_entities=False`` (lxml also defaults to ``no_network=True`` and ``load_dtd=False``); openpyxl uses
defusedxml when it is installed (it is a dependency here; ``OPENPYXL_DEFUSEDXML`` must not be set to ``False``),
which refuses entity declarations. Every file passes :func:`~indexer.extractors.containers.check_zip_container`
first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from indexer.extractors.base import Collector
from indexer.extractors.containers import check_zip_container


def _docx_blocks(container, out: Collector, depth: int = 0) -> None:
    from docx.table import Table

    for block in container.iter_inner_content():
        if out.full:
            return
        if isinstance(block, Table):
            for row in block.rows:
                seen = []
                cells = []
                for cell in row.cells:
                    if any(cell._tc is other for other in seen):  # merged cells repeat
                        continue
                    seen.append(cell._tc)
                    inner = Collector()
                    if depth < 20:
                        _docx_blocks(cell, inner, depth + 1)
                    cells.append(inner.text(" ").replace("\n", " ").strip())
                out.add("\t".join(c for c in cells if c))
        else:
            out.add(block.text)


def extract_docx(path: Path) -> str:
    """Body paragraphs and tables in document order (python-docx), then distinct header/footer text."""
    import docx

    check_zip_container(path)
    document = docx.Document(str(path))
    out = Collector()
    _docx_blocks(document, out)
    seen: set[str] = set()
    for section in document.sections:
        for part in (section.header, section.footer):
            if out.full or part.is_linked_to_previous:
                continue
            text = "\n".join(p.text for p in part.paragraphs).strip()
            if text and text not in seen:
                seen.add(text)
                out.add(text)
    return out.text()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    return str(value).strip()


def _rows_text(rows: Iterable[Iterable[object]], out: Collector) -> None:
    for row in rows:
        cells = [_cell_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            out.add("\t".join(cells))
        if out.full:
            return


def extract_xlsx(path: Path) -> str:
    """Cell values (cached results for formulas), one row per line with tabs, each sheet under its name."""
    from openpyxl import load_workbook

    check_zip_container(path)
    out = Collector()
    # an open file, not its name: openpyxl refuses a name without an .xlsx suffix (stored files are named by digest)
    with open(path, "rb") as fh:
        workbook = load_workbook(fh, read_only=True, data_only=True)
        try:
            for sheet in workbook.worksheets:
                if out.full:
                    break
                out.add(f"\n{sheet.title}\n")
                sheet.reset_dimensions()  # a forged <dimension> must not make openpyxl pad millions of empty cells
                _rows_text(sheet.iter_rows(values_only=True), out)
        finally:
            workbook.close()
    return out.text()


def _pptx_shapes(shapes, out: Collector, depth: int = 0) -> None:
    for shape in shapes:
        if out.full:
            return
        if getattr(shape, "shapes", None) is not None and depth < 20:  # group shape
            _pptx_shapes(shape.shapes, out, depth + 1)
            continue
        if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            out.add(shape.text_frame.text)
        if getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                cells = [cell.text.replace("\n", " ").strip() for cell in row.cells]
                out.add("\t".join(c for c in cells if c))


def extract_pptx(path: Path) -> str:
    """Text frames and tables of every slide (python-pptx), with the speaker notes; slides separated by blank lines."""
    from pptx import Presentation

    check_zip_container(path)
    presentation = Presentation(str(path))
    out = Collector()
    for slide in presentation.slides:
        if out.full:
            break
        _pptx_shapes(slide.shapes, out)
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None:
                out.add(notes.text)
        out.add("\n")
    return out.text()
