"""Writing PDF files: the demo's documents and the regenerated file of a redacted copy share this writer.

PDFs are written with fpdf2; Arabic is shaped with uharfbuzz and needs a TTF with Arabic glyphs (DejaVu Sans, Noto
Naskh Arabic, FreeSerif... or the file named by the ``DEMO_ARABIC_FONT`` environment variable), found by
:func:`find_arabic_font`. Without such a font only Latin-1 text can be written (the core Helvetica font; other
characters become ``?``, see :func:`latin`).

:func:`write_pdf` writes a list of blocks: ``("title", text)``, ``("byline", text)``, ``("h", heading)``,
``("p", paragraph)``, ``("table", rows)`` in one direction for the whole document (the demo's layout), and for a
text given line by line ``("line", text)`` (right to left when the line holds Arabic, when a font is given),
``("blank", "")`` and ``("page", "")`` (a new page). :func:`write_text_pdf` writes a plain text that way, one line
of the PDF per line of the text (long lines wrap), pages at form feeds.

In Arabic PDFs, tables are drawn one bordered cell per row, with the columns separated by " | ": text extractors
(pdfium) scramble right-to-left text when several cells share a baseline.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

#: The packages the writer needs: (module to import, distribution to install).
PDF_TOOLS = (("fpdf", "fpdf2"), ("uharfbuzz", "uharfbuzz"))

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


class NoArabicFont(Exception):
    """Arabic text was to be written but no TTF font with Arabic glyphs is installed."""


def missing_tools() -> list[str]:
    """The distributions of :data:`PDF_TOOLS` that cannot be imported here (empty when all are installed)."""
    return [dist for module, dist in PDF_TOOLS if importlib.util.find_spec(module) is None]


def has_arabic(text: str) -> bool:
    """Whether ``text`` holds a letter of the Arabic script."""
    return bool(_ARABIC.search(text or ""))


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
})  # fmt: skip


def latin(text: str) -> str:
    """Text the core Helvetica font can encode (Latin-1); anything else becomes '?'."""
    return text.translate(_ASCII_MAP).encode("latin-1", "replace").decode("latin-1")


def write_pdf(
    path: Path,
    blocks: Sequence[tuple[str, Any]],
    *,
    title: str,
    language: str | None,
    author: str = "",
    subject: str = "",
    created: dt.datetime | None = None,
    fonts: tuple[Path, Path] | None = None,
    rtl: bool = False,
) -> Path:
    """Write ``blocks`` (see the module docstring) as a PDF at ``path`` and return it. With ``fonts`` (regular,
    bold TTF) the text is shaped (``rtl``: the whole document right to left); without, it is written in Latin-1."""
    from fpdf import FPDF
    from fpdf import FontFace
    from fpdf.enums import XPos
    from fpdf.enums import YPos

    pdf = FPDF(format="A4")
    if created is not None:
        pdf.creation_date = created
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 18, 20)
    if fonts is not None:
        regular, bold = fonts
        pdf.add_font("arabic", "", str(regular))
        pdf.add_font("arabic", "B", str(bold))
        family = "arabic"
        clean = str
        if rtl:
            pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="ara")
        else:
            pdf.set_text_shaping(use_shaping_engine=True)
    else:
        family = "Helvetica"
        clean = latin
        rtl = False
    align = "R" if rtl else "L"
    pdf.set_title(clean(title))
    if author:
        pdf.set_author(clean(author))
    if subject:
        pdf.set_subject(clean(subject))
    if language:
        pdf.set_lang(language)
    pdf.add_page()

    def line(text: str, size: float, style: str = "", height: float = 5.5, gap: float = 2.0, how: str = "") -> None:
        pdf.set_font(family, style, size)
        pdf.multi_cell(0, height, clean(text), align=how or align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    for kind, content in blocks:
        if kind == "title":
            line(content, 15, "B", height=7.5, gap=1.5)
        elif kind == "byline":
            line(content, 9, gap=5)
        elif kind == "h":
            pdf.ln(1.5)
            line(content, 12, "B", height=6.5, gap=1.5)
        elif kind == "p":
            line(content, 10.5)
        elif kind == "line":
            how = align
            if fonts is not None:
                arabic = has_arabic(content)
                how = "R" if arabic else "L"
                if arabic:
                    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="ara")
                else:
                    pdf.set_text_shaping(use_shaping_engine=True, direction="ltr")
            line(content, 10, height=5.5, gap=0.5, how=how)
        elif kind == "blank":
            pdf.ln(3)
        elif kind == "page":
            pdf.add_page()
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
                    )  # fmt: skip
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
            raise ValueError(f"unknown block kind {kind!r}")
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


def text_blocks(text: str) -> list[tuple[str, str]]:
    """A plain text as ``line``/``blank``/``page`` blocks: one per line, a new page at each form feed. Tabs become
    column bars (`` | ``), which the scan reads as table cells, as it reads tabs."""
    blocks: list[tuple[str, str]] = []
    for page_no, page in enumerate((text or "").split("\f")):
        if page_no:
            blocks.append(("page", ""))
        for raw in page.split("\n"):
            value = raw.replace("\t", " | ").rstrip()
            blocks.append(("line", value) if value.strip() else ("blank", ""))
    return blocks


def write_text_pdf(
    path: Path, text: str, *, title: str, language: str | None, created: dt.datetime | None = None
) -> Path:
    """Write a plain text as a PDF (a title line, then :func:`text_blocks`). Uses a TTF with Arabic glyphs when one
    is installed (any script it covers is kept); without one, Arabic text raises :class:`NoArabicFont` and other
    text is written in Latin-1."""
    fonts = find_arabic_font()
    if fonts is None and (has_arabic(text) or has_arabic(title)):
        raise NoArabicFont("No TTF font with Arabic glyphs is installed (set DEMO_ARABIC_FONT).")
    blocks: list[tuple[str, str]] = [("line", title), ("blank", ""), *text_blocks(text)]
    return write_pdf(Path(path), blocks, title=title, language=language, created=created, fonts=fonts)
