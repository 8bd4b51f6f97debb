"""Small counts in tables about people (``small_count``)."""

from __future__ import annotations

import re

from repository.knowledge.scan.common import Hit
from repository.knowledge.scan.common import _Doc
from repository.knowledge.scan.lists import pattern
from repository.knowledge.scan.tables import _cell_offset
from repository.knowledge.scan.tables import _Table

_PEOPLE = re.compile(pattern("people"), re.IGNORECASE)
_SEX = re.compile(pattern("sex"), re.IGNORECASE)
_AGEBAND = re.compile(pattern("ageband"), re.IGNORECASE)
_NON_COUNT_HEADER = re.compile(pattern("non_count_header"), re.IGNORECASE)
_SMALL = re.compile(r"^[1-4]$")


def _find_small_counts(doc: _Doc, tables: list[_Table]) -> list[Hit]:
    hits: list[Hit] = []
    for table in tables:
        header = table.header
        rows = table.rows[1:] if header else table.rows
        first_line = table.rows[0][0]
        above = " ".join(doc.lines[max(0, first_line - 2) : first_line])
        header_text = " ".join(header) if header else ""
        table_people = bool(_PEOPLE.search(above) or _PEOPLE.search(header_text))
        header_breakdown = bool(header and any(_SEX.match(c.strip()) or _AGEBAND.match(c.strip()) for c in header))
        skip_cols: set[int] = set()
        if header:
            skip_cols = {j for j, c in enumerate(header) if _NON_COUNT_HEADER.search(c.strip())}
        # an index column: the first cells of the rows count 1, 2, 3...
        firsts = [cells[0] for _, cells in rows if cells]
        if len(firsts) >= 2 and all(c.isdigit() for c in firsts):
            seq = [int(c) for c in firsts]
            if seq == list(range(seq[0], seq[0] + len(seq))):
                skip_cols.add(0)
        for li, cells in rows:
            texts = [c for c in cells if c and not re.fullmatch(r"[\d.,%\s/-]+", c)]
            row_breakdown = any(_SEX.match(c) or _AGEBAND.match(c) for c in cells)
            if not texts and not header_breakdown:
                continue
            if not (table_people or row_breakdown or header_breakdown or any(_PEOPLE.search(c) for c in texts)):
                continue
            for j, cell in enumerate(cells):
                if j in skip_cols or not _SMALL.match(cell):
                    continue
                hits.append(Hit("small_count", cell, f"{li}:{j}", li, "", _cell_span(doc, li, cells, j)))
    return hits


def _cell_span(doc: _Doc, li: int, cells: list[str], col: int) -> tuple[int, int]:
    """Where cell ``col`` of line ``li`` is in the prepared text, or ``(-1, -1)`` when it cannot be placed."""
    line = doc.lines[li]
    off = _cell_offset(line, cells, col)
    if line[off : off + len(cells[col])] != cells[col]:
        return (-1, -1)
    return (doc.starts[li] + off, doc.starts[li] + off + len(cells[col]))


def _small_example(hits: list[Hit]) -> str:
    return f"{len(hits)} cell{'s' if len(hits) != 1 else ''} under 5"
