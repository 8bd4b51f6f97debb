"""Tables in extracted text (rows split by ``|``, tabs, ``;``, runs of spaces or CSV commas) and the columns whose
header says what they hold (names, ids, phones, latitude/longitude)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field

from repository.knowledge.scan.common import _Doc
from repository.knowledge.scan.lists import pattern


def _split_cells(line: str) -> list[str] | None:
    s = line.strip()
    if not s:
        return None
    if "|" in s:
        parts = s.strip("|").split("|")
    elif "\t" in s:
        parts = s.split("\t")
    elif re.search(r"\S {3,}\S", s) or re.search(r"\S {2,}\S.* {2,}\S", s):
        parts = re.split(r" {2,}", s)
    elif s.count(";") >= 2:
        parts = s.split(";")
    elif (csv_cells := _csv_cells(s)) is not None:
        parts = csv_cells
    else:
        return None
    cells = [p.strip() for p in parts]
    return cells if sum(bool(c) for c in cells) >= 2 else None


def _csv_cells(s: str) -> list[str] | None:
    """The cells of a spreadsheet export line: two commas or more outside quotes, none followed by a space (prose
    has "a, b"), and not only commas between digits (1,234,567)."""
    unquoted = re.sub(r'"[^"]*"', '""', s)
    commas = [i for i, c in enumerate(unquoted) if c == ","]
    if len(commas) < 2 or ", " in unquoted:
        return None
    if all(0 < i < len(unquoted) - 1 and unquoted[i - 1].isdigit() and unquoted[i + 1].isdigit() for i in commas):
        return None
    return [m.group(2) if m.group(1) is None else m.group(1).replace('""', '"') for m in _CSV_CELL.finditer(s)]


_CSV_CELL = re.compile(r'(?:^|(?<=,))(?:"((?:[^"]|"")*)"|([^,"]*))(?=,|$)')


@dataclass
class _Table:
    rows: list[tuple[int, list[str]]]
    header: list[str] | None


def _tables(doc: _Doc) -> list[_Table]:
    tables: list[_Table] = []
    current: list[tuple[int, list[str]]] = []

    def close() -> None:
        if len(current) >= 2:
            first = current[0][1]
            is_header = not any(re.fullmatch(r"[\d.,%\s]+", c) for c in first if c) and any(
                re.search(r"[^\W\d_]", c) for c in first
            )
            tables.append(_Table(list(current), first if is_header else None))
        current.clear()

    for li, line in enumerate(doc.lines):
        cells = _split_cells(line)
        if cells is None:
            close()
            continue
        if current and abs(len(cells) - len(current[-1][1])) > 1:
            close()
        current.append((li, cells))
    close()
    return tables


def _cell_offset(line: str, cells: list[str], col: int) -> int:
    """Character offset of cell ``col`` within ``line`` (searching left to right)."""
    pos = 0
    for j, cell in enumerate(cells):
        found = line.find(cell, pos) if cell else pos
        if found < 0:
            return 0
        if j == col:
            return found
        pos = found + len(cell)
    return 0


_NAME_HEADER = re.compile(pattern("name_header"), re.IGNORECASE)
_ID_HEADER = re.compile(pattern("id_header"), re.IGNORECASE)
_PHONE_HEADER = re.compile(pattern("phone_header"), re.IGNORECASE)


_LAT_HEADER = re.compile(r"^(?:lat(?:itude)?|y|خط\s+العرض|العرض)(?:\s*\(.*\))?$", re.IGNORECASE)
_LON_HEADER = re.compile(r"^(?:lon(?:g(?:itude)?)?|lng|x|خط\s+الطول|الطول)(?:\s*\(.*\))?$", re.IGNORECASE)


@dataclass
class _Columns:
    """Cells of table columns whose header says what they hold."""

    ids: list[tuple[int, str, int]] = field(default_factory=list)  # (line, value, offset in line)
    phones: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # line -> [(start, end)]
    coords: list[tuple[int, str, str, int]] = field(default_factory=list)  # (line, lat, lon, offset)
