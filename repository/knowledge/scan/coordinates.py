"""Coordinates: decimal and degree-minute-second pairs, latitude/longitude columns (``coordinates``)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from repository.knowledge.scan.common import DOT
from repository.knowledge.scan.common import Hit
from repository.knowledge.scan.common import _Doc

_NUM = r"[-+]?\d{1,3}\.\d{2,8}"
_COORD_DEC = re.compile(
    rf"(?<![\w.,-])(?:(?P<h1>[NS])\s?)?(?P<lat>{_NUM})\s?°?\s?(?:(?P<h2>[NS])(?!\w))?"
    rf"(?:\s*[,;/،]\s*|\s+)(?:و\s*)?(?:(?i:lon(?:g(?:itude)?)?|lng)\.?\s*[:=]?\s*|خط\s+الطول\s*[:=]?\s*)?"
    rf"(?:(?P<h3>[EW])\s?)?(?P<lon>{_NUM})\s?°?\s?(?P<h4>[EW])?(?![\w%]|\.\d)"
)
_DMS_PART = (
    r"(?P<d{n}>\d{{1,3}})\s?°\s?(?P<m{n}>\d{{1,2}}(?:\.\d+)?)\s?['’]?\s?"
    r"(?:(?P<s{n}>\d{{1,2}}(?:\.\d+)?)\s?(?:\"|''|”))?"
)
_LAT_H = r"(?:[NS]|شمالا|شمالاً|شمال|جنوبا|جنوب)"
_LON_H = r"(?:[EW]|شرقا|شرقاً|شرق|غربا|غرب)"
_COORD_DMS = re.compile(
    rf"(?:\b(?P<hp1>{_LAT_H})\s?)?{_DMS_PART.format(n=1)}\s?(?P<hs1>{_LAT_H})?"
    rf"\s*[,;/،]?\s*(?:و\s*)?"
    rf"(?:\b(?P<hp2>{_LON_H})\s?)?{_DMS_PART.format(n=2)}\s?(?P<hs2>{_LON_H})?"
)
_COORD_CONTEXT = re.compile(r"lat|gps|coord|location|position|إحداثي|خط العرض|الموقع", re.IGNORECASE)
_CURRENCY = re.compile(r"(?:LYD|USD|IQD|EUR|US\$|\$|€|£|دينار|دولار)\s*$", re.IGNORECASE)


def _coord_example(lat: float, lon: float) -> str:
    def trunc(x: float) -> str:
        sign = "-" if x < 0 else ""
        x = abs(x)
        whole = int(x)
        tenth = int((x - whole) * 10)
        return f"{sign}{whole}.{tenth}{DOT}"

    return f"{trunc(lat)}, {trunc(lon)}"


def _coord_hit(doc: _Doc, start: int, raw: str, lat: float, lon: float) -> Hit | None:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    key = f"{lat:.4f},{lon:.4f}"
    return Hit("coordinates", raw, key, doc.line_of(start), _coord_example(lat, lon), (start, start + len(raw)))


def _dms(d: str, m: str, s: str | None) -> float:
    return int(d) + float(m) / 60 + (float(s) / 3600 if s else 0.0)


def _find_coordinates(doc: _Doc, cells: Sequence[tuple[int, str, str, int]] = ()) -> list[Hit]:
    hits: list[Hit] = []
    taken: set[int] = set()
    for line, lat_s, lon_s, offset in cells:
        hit = _coord_hit(doc, doc.starts[line] + offset, f"{lat_s}, {lon_s}", float(lat_s), float(lon_s))
        if hit:
            hits.append(hit)
    for m in _COORD_DMS.finditer(doc.text):
        lat_h = m.group("hs1") or m.group("hp1")
        lon_h = m.group("hs2") or m.group("hp2")
        if not (lat_h and lon_h):
            continue
        lat = _dms(m.group("d1"), m.group("m1"), m.group("s1"))
        lon = _dms(m.group("d2"), m.group("m2"), m.group("s2"))
        if lat_h[0] in "Sج":
            lat = -lat
        if lon_h[0] in "Wغ":
            lon = -lon
        hit = _coord_hit(doc, m.start(), m.group(), lat, lon)
        if hit:
            hits.append(hit)
            taken.update(range(m.start(), m.end()))
    for m in _COORD_DEC.finditer(doc.text):
        if taken.intersection(range(m.start(), m.end())):
            continue
        lat_s, lon_s = m.group("lat"), m.group("lon")
        lat_h = m.group("h1") or m.group("h2")
        lon_h = m.group("h3") or m.group("h4")
        before = doc.text[max(0, m.start() - 40) : m.start()]
        if _CURRENCY.search(before[-12:]):
            continue
        decimals = min(len(lat_s.split(".")[1]), len(lon_s.split(".")[1]))
        contextual = bool(lat_h or lon_h or _COORD_CONTEXT.search(before))
        if decimals < 3 and not (contextual and decimals >= 2):
            continue
        lat, lon = float(lat_s), float(lon_s)
        if lat_h == "S":
            lat = -abs(lat)
        if lon_h == "W":
            lon = -abs(lon)
        hit = _coord_hit(doc, m.start(), m.group(), lat, lon)
        if hit:
            hits.append(hit)
    return hits


def parse_coordinates(value: str) -> tuple[float, float] | None:
    """Parse one coordinate pair written in any of the recognised forms (used by the benchmark)."""
    hits = _find_coordinates(_Doc(value))
    if not hits:
        return None
    lat, lon = hits[0].key.split(",")
    return float(lat), float(lon)
