"""The demo's one generator: a :class:`~repository.demo.content.DemoDocument` written as the file its ``fmt`` says.

``render(doc, dest_dir)`` writes ``<key>.pdf|docx|xlsx`` and returns its path; ``find_arabic_font()`` gives the
(regular, bold) TTF paths with Arabic glyphs, or ``None``; ``missing_tools()`` names the PDF packages that are not
installed. PDFs are written by :mod:`repository.knowledge.pdfwrite` (fpdf2, Arabic shaped with uharfbuzz), the
writer the redacted copies use too; DOCX and XLSX with python-docx and openpyxl, which the repository needs anyway
to read such files.

Arabic PDFs need a TTF with Arabic glyphs (DejaVu Sans, Noto Naskh Arabic, FreeSerif... or the
file named by the ``DEMO_ARABIC_FONT`` environment variable). When none is found, ``render``
writes that document as DOCX instead and returns the ``.docx`` path.

In Arabic PDFs, tables are drawn one bordered cell per row, with the columns separated by
" | ": text extractors (pdfium) scramble right-to-left text when several cells share a baseline.
"""

from __future__ import annotations

import re
from datetime import UTC
from datetime import datetime
from datetime import time
from pathlib import Path
from typing import Any

from repository.demo.content import DEMO_ORGS
from repository.demo.content import DemoDocument
from repository.knowledge.pdfwrite import PDF_TOOLS
from repository.knowledge.pdfwrite import find_arabic_font
from repository.knowledge.pdfwrite import missing_tools as pdf_missing_tools
from repository.knowledge.pdfwrite import write_pdf

#: The packages the demo's PDFs need (now installed with the repository: a redacted copy is written as a PDF too).
DEMO_TOOLS = PDF_TOOLS


def missing_tools() -> list[str]:
    """The distributions the demo's PDFs need that cannot be imported here (empty when all are installed)."""
    return pdf_missing_tools()


def render(doc: DemoDocument, dest_dir: Path) -> Path:
    """Write ``doc`` as ``<key>.<fmt>`` into ``dest_dir`` and return the path.

    An Arabic PDF is written as DOCX when no Arabic-capable font is available.
    """
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    if doc.fmt == "pdf":
        if doc.language == "ar":
            fonts = find_arabic_font()
            if fonts is None:
                return _render_docx(doc, dest_dir / f"{doc.key}.docx")
            return _render_pdf(doc, dest_dir / f"{doc.key}.pdf", fonts)
        return _render_pdf(doc, dest_dir / f"{doc.key}.pdf", None)
    if doc.fmt == "docx":
        return _render_docx(doc, dest_dir / f"{doc.key}.docx")
    if doc.fmt == "xlsx":
        return _render_xlsx(doc, dest_dir / f"{doc.key}.xlsx")
    raise ValueError(f"unknown format {doc.fmt!r} for {doc.key}")


def _org_name(acronym: str) -> str:
    return dict(DEMO_ORGS).get(acronym, acronym)


def _byline(doc: DemoDocument) -> str:
    return f"{doc.org} - {_org_name(doc.org)} | {doc.published.isoformat()}"


def _render_pdf(doc: DemoDocument, path: Path, fonts: tuple[Path, Path] | None) -> Path:
    return write_pdf(
        path,
        [("title", doc.title), ("byline", _byline(doc)), *doc.body],
        title=doc.title,
        language=doc.language,
        author=_org_name(doc.org),
        subject=doc.summary,
        created=datetime.combine(doc.published, time(9, 0), tzinfo=UTC),
        fonts=fonts,
        rtl=fonts is not None,
    )


_RTL_PPR_SUCCESSORS = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)
_RTL_TBLPR_SUCCESSORS = (
    "w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
    "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
    "w:tblDescription", "w:tblPrChange",
)


def _make_rtl(paragraph: Any) -> None:
    """Right-to-left paragraph. No explicit alignment: in a bidi paragraph the default (start) is the
    right edge, while ``jc="right"`` would mean the end, i.e. the left edge, in Word."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    if ppr.find(qn("w:bidi")) is None:
        ppr.insert_element_before(OxmlElement("w:bidi"), *_RTL_PPR_SUCCESSORS)
    for run in paragraph.runs:
        run.font.rtl = True


def _clip(text: str, limit: int = 255) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _render_docx(doc: DemoDocument, path: Path) -> Path:
    from docx import Document
    from docx.oxml import OxmlElement

    rtl = doc.language == "ar"
    document = Document()
    props = document.core_properties
    props.title = _clip(doc.title)  # core properties hold at most 255 characters
    props.author = _org_name(doc.org)
    props.subject = _clip(doc.summary)
    props.language = doc.language
    props.created = datetime.combine(doc.published, time(9, 0))

    def finish(paragraph: Any) -> None:
        if rtl:
            _make_rtl(paragraph)

    finish(document.add_heading(doc.title, level=1))
    finish(document.add_paragraph(_byline(doc)))
    for kind, content in doc.body:
        if kind == "h":
            finish(document.add_heading(content, level=2))
        elif kind == "p":
            finish(document.add_paragraph(content))
        elif kind == "table":
            header, *rows = content
            table = document.add_table(rows=len(content), cols=len(header))
            table.style = "Table Grid"
            if rtl:
                table._tbl.tblPr.insert_element_before(OxmlElement("w:bidiVisual"), *_RTL_TBLPR_SUCCESSORS)
            for r, row in enumerate(content):
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    cell.text = str(value)
                    for paragraph in cell.paragraphs:
                        if r == 0:
                            for run in paragraph.runs:
                                run.bold = True
                                run.font.cs_bold = True  # Arabic is drawn with the complex-script settings
                        finish(paragraph)
            document.add_paragraph()
        else:
            raise ValueError(f"unknown block kind {kind!r} in {doc.key}")
    document.save(str(path))
    return path


def _render_xlsx(doc: DemoDocument, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.properties.title = doc.title
    workbook.properties.creator = _org_name(doc.org)
    workbook.properties.subject = doc.summary
    workbook.properties.language = doc.language
    workbook.properties.created = datetime.combine(doc.published, time(9, 0))

    tables = [content for kind, content in doc.body if kind == "table"]
    data = workbook.active
    data.title = "data"
    for index, table in enumerate(tables or [[["(no tabular data)"]]]):
        sheet = data if index == 0 else workbook.create_sheet(f"data_{index + 1}")
        for r, row in enumerate(table):
            sheet.append([_cell_value(v) if r else v for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 40)
        if doc.language == "ar":
            sheet.sheet_view.rightToLeft = True

    notes = workbook.create_sheet("notes")
    notes.column_dimensions["A"].width = 110
    notes.append([doc.title])
    notes["A1"].font = Font(bold=True, size=13)
    notes.append([_byline(doc)])
    for kind, content in doc.body:
        if kind == "h":
            notes.append([content])
            notes.cell(row=notes.max_row, column=1).font = Font(bold=True)
        elif kind == "p":
            notes.append([content])
            notes.cell(row=notes.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    if doc.language == "ar":
        notes.sheet_view.rightToLeft = True
    workbook.save(str(path))
    return path


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _cell_value(value: Any) -> Any:
    """Numbers as numbers (so the sheet is usable as data); everything else unchanged."""
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        return float(value) if "." in value else int(value)
    return value
