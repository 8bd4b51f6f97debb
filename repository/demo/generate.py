"""The demo's one generator: a :class:`~repository.demo.content.DemoDocument` written as the file its ``fmt`` says.

``render(doc, dest_dir)`` writes ``<key>.pdf|docx|xlsx`` and returns its path; ``find_arabic_font()`` gives the
(regular, bold) TTF paths with Arabic glyphs, or ``None``; ``missing_tools()`` names the packages of the ``demo``
extra that are not installed (PDFs are written with fpdf2, Arabic shaped with uharfbuzz; DOCX and XLSX with
python-docx and openpyxl, which the repository needs anyway to read such files).

Arabic PDFs need a TTF with Arabic glyphs (DejaVu Sans, Noto Naskh Arabic, FreeSerif... or the
file named by the ``DEMO_ARABIC_FONT`` environment variable). When none is found, ``render``
writes that document as DOCX instead and returns the ``.docx`` path.

In Arabic PDFs, tables are drawn one bordered cell per row, with the columns separated by
" | ": text extractors (pdfium) scramble right-to-left text when several cells share a baseline.
"""

from __future__ import annotations

import importlib.util
import os
import re
from datetime import UTC
from datetime import datetime
from datetime import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from repository.demo.content import DEMO_ORGS
from repository.demo.content import DemoDocument

#: The packages of the ``demo`` extra: (module to import, distribution to install).
DEMO_TOOLS = (("fpdf", "fpdf2"), ("uharfbuzz", "uharfbuzz"))


def missing_tools() -> list[str]:
    """The distributions of the ``demo`` extra that cannot be imported here (empty when all are installed)."""
    return [dist for module, dist in DEMO_TOOLS if importlib.util.find_spec(module) is None]


# (directory, regular, bold) candidates; the bold file is optional.
_ARABIC_FONT_CANDIDATES: tuple[tuple[str, str, str], ...] = (
    ("/usr/share/fonts/truetype/dejavu", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu-sans-fonts", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/noto", "NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    ("/usr/share/fonts/noto", "NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    ("/usr/share/fonts/truetype/freefont", "FreeSerif.ttf", "FreeSerifBold.ttf"),
    ("/usr/share/fonts/gnu-free", "FreeSerif.ttf", "FreeSerifBold.ttf"),
    ("/Library/Fonts", "Arial Unicode.ttf", ""),
    ("/System/Library/Fonts/Supplemental", "Arial Unicode.ttf", ""),
)


@lru_cache(maxsize=4)
def _has_arabic_glyphs(path: str) -> bool:
    try:
        from fontTools.ttLib import TTFont

        with TTFont(path, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except Exception:
        return False
    return all(ord(ch) in cmap for ch in "اسبهتورغء")


def find_arabic_font() -> tuple[Path, Path] | None:
    """(regular, bold) TTF paths with Arabic glyphs, or None. Bold may equal regular.

    ``DEMO_ARABIC_FONT`` (a TTF path) takes precedence over the usual system locations.
    """
    candidates = [(Path(d) / r, Path(d) / b if b else None) for d, r, b in _ARABIC_FONT_CANDIDATES]
    override = os.environ.get("DEMO_ARABIC_FONT")
    if override:
        candidates.insert(0, (Path(override), None))
    for regular, bold in candidates:
        if regular.is_file() and _has_arabic_glyphs(str(regular)):
            return regular, bold if bold is not None and bold.is_file() else regular
    return None


_ASCII_MAP = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2026": "...", "\u2022": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ",
})


def _latin(text: str) -> str:
    """Text the core Helvetica font can encode (Latin-1); anything else becomes '?'."""
    return text.translate(_ASCII_MAP).encode("latin-1", "replace").decode("latin-1")


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
    from fpdf import FPDF
    from fpdf import FontFace
    from fpdf.enums import XPos
    from fpdf.enums import YPos

    rtl = fonts is not None
    pdf = FPDF(format="A4")
    pdf.creation_date = datetime.combine(doc.published, time(9, 0), tzinfo=UTC)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 18, 20)
    if rtl:
        regular, bold = fonts
        pdf.add_font("arabic", "", str(regular))
        pdf.add_font("arabic", "B", str(bold))
        family = "arabic"
        pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="ara")
        clean = str
        align = "R"
    else:
        family = "Helvetica"
        clean = _latin
        align = "L"
    pdf.set_title(clean(doc.title))
    pdf.set_author(clean(_org_name(doc.org)))
    pdf.set_subject(clean(doc.summary))
    pdf.set_lang(doc.language)
    pdf.add_page()

    def line(text: str, size: float, style: str = "", height: float = 5.5, gap: float = 2.0) -> None:
        pdf.set_font(family, style, size)
        pdf.multi_cell(0, height, clean(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    line(doc.title, 15, "B", height=7.5, gap=1.5)
    line(_byline(doc), 9, gap=5)
    for kind, content in doc.body:
        if kind == "h":
            pdf.ln(1.5)
            line(content, 12, "B", height=6.5, gap=1.5)
        elif kind == "p":
            line(content, 10.5)
        elif kind == "table":
            pdf.set_font(family, "", 9)
            if rtl:
                # One bordered cell per row: see the module docstring.
                for i, row in enumerate(content):
                    pdf.set_font(family, "B" if i == 0 else "", 9)
                    pdf.set_fill_color(230, 230, 230)
                    pdf.multi_cell(
                        0, 6, "  |  ".join(row), border=1, align="R", fill=i == 0,
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                    )
            else:
                headings = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
                widths = _column_widths(content)
                with pdf.table(
                    line_height=5, headings_style=headings, text_align="LEFT", col_widths=widths
                ) as table:
                    for row in content:
                        cells = table.row()
                        for cell in row:
                            cells.cell(clean(str(cell)))
            pdf.ln(3)
        else:
            raise ValueError(f"unknown block kind {kind!r} in {doc.key}")
    pdf.output(str(path))
    return path


def _column_widths(table: list[list[Any]]) -> tuple[int, ...]:
    """Relative widths: the longest body cell (capped), but never narrower than the longest word."""
    widths = []
    for i in range(len(table[0])):
        cells = [str(row[i]) for row in table]
        longest_word = max(len(word) for cell in cells for word in cell.split() or [""])
        widths.append(max(longest_word + 2, min(max(len(c) for c in cells[1:] or [""]), 40)))
    return tuple(widths)


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
