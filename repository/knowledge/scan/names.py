"""Names of people (``person_name``): gazetteer, titles, name fields, lists under a heading, table columns."""

from __future__ import annotations

import re
from dataclasses import dataclass

from repository.knowledge.scan.common import Hit
from repository.knowledge.scan.common import _Doc
from repository.knowledge.scan.lists import pattern
from repository.knowledge.scan.lists import phrases
from repository.knowledge.scan.lists import words
from repository.knowledge.scan.tables import _ID_HEADER
from repository.knowledge.scan.tables import _LAT_HEADER
from repository.knowledge.scan.tables import _LON_HEADER
from repository.knowledge.scan.tables import _NAME_HEADER
from repository.knowledge.scan.tables import _PHONE_HEADER
from repository.knowledge.scan.tables import _cell_offset
from repository.knowledge.scan.tables import _Columns
from repository.knowledge.scan.tables import _split_cells
from repository.knowledge.scan.tables import _Table

_LATIN_GIVEN = set(words("latin_given"))
_LATIN_PARTICLES = (
    r"(?:[Aa]l|[Ee]l|[Bb]in|[Bb]en|[Bb]int|[Aa]bu|[Aa]bou|[Ii]bn|[Oo]uld|[Dd]e|[Dd]u|[Dd]a|[Dd]i|[Vv]an|[Vv]on)"
)
_UP = "A-ZÀ-ÖØ-Þ"
_LO = "a-zß-öø-ÿ"
_CAPWORD = (
    rf"(?:{_LATIN_PARTICLES}[ \-])?(?:[{_UP}]['’])?[{_UP}][{_LO}'’]+(?:[{_UP}][{_LO}]+)?"
    rf"(?:-(?:[{_UP}][{_LO}'’]+|[{_LO}]+))*|[{_UP}]\."
)
_CAPWORD_RE = re.compile(rf" (?P<w>{_CAPWORD})(?![\w'’])")  # one space: wider gaps separate table columns
_CAPWORD_BEFORE = re.compile(rf"(?P<w>{_CAPWORD}) $")
_GIVEN_RE = re.compile(r"(?<![\w'’-])(?P<g>" + "|".join(sorted(_LATIN_GIVEN, key=len, reverse=True)) + r")(?![\w'’])")
_TITLE_RE = re.compile(
    r"(?<![\w'’])(?P<t>Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Eng|Sheikh|Sheikha|Hajj|Haj|Hajja|Judge|Mme|Mlle)\.?(?=[ \t])"
)
_STOP_CAP = set(words("stop_cap"))
_ORG_WORDS = set(words("org_words"))
_PLACE_PREFIX = set(words("place_prefix"))

#: Places and streets that begin with a given name; matched on the name key (lower case, hyphens as spaces).
_PLACE_NAMES = set(phrases("place_names"))
#: A name followed by one of these words is the name of a place or facility ("the Tariq al-Sikka detention centre").
_FACILITY_AFTER = re.compile(pattern("facility_after"), re.IGNORECASE)

# Arabic script ------------------------------------------------------------------------------------------------


def _ar_key(word: str) -> str:
    """Fold Arabic letter variants for comparison (alef forms, teh marbuta); alef maqsura is kept on purpose."""
    word = re.sub("[\u064b-\u0652\u0670\u0640]", "", word)
    return word.translate(str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه"}))


_AR_GIVEN = {_ar_key(w) for w in words("ar_given")}
_AR_ABD = {"عبد", "ابو", "أبو"}
_AR_LINK = {"بن", "بنت", "ابن", "ولد"}
_AR_TITLES = {_ar_key(w) for w in words("ar_titles")}
_AR_STOP = {_ar_key(w) for w in words("ar_stop")}
_AR_ORG = {_ar_key(w) for w in words("ar_org")}
_AR_ADJ_NISBA = {_ar_key(w) for w in words("ar_adj_nisba")}
_AR_WORD = re.compile(r"[\u0621-\u064A\u0671-\u06D3]+\.?")


def _is_ar_given(word: str) -> bool:
    return _ar_key(word) in _AR_GIVEN


def _is_ar_nisba(word: str) -> bool:
    k = _ar_key(word)
    return k.startswith("ال") and k.endswith("ي") and len(k) >= 5 and k not in _AR_ADJ_NISBA


@dataclass
class _NameHit:
    line: int
    start: int
    end: int
    name: str


def _latin_walk(line: str, pos: int, limit: int = 3) -> tuple[list[str], int, bool]:
    """Capitalised words after ``pos``: (words, end, rejected because of an organisation/place word)."""
    words: list[str] = []
    end = pos
    while len(words) < limit:
        m = _CAPWORD_RE.match(line, end)
        if not m:
            break
        word = m.group("w")
        base = re.sub(rf"^{_LATIN_PARTICLES}[ \-]", "", word)
        if base in _ORG_WORDS or word in _ORG_WORDS:
            return words, end, True
        if word in _STOP_CAP or base in _STOP_CAP:
            break
        words.append(word)
        end = m.end()
    # one more word of look-ahead for organisation words ("Omar Mukhtar Street")
    m = _CAPWORD_RE.match(line, end)
    if m and m.group("w") in _ORG_WORDS:
        return words, end, True
    return words, end, False


def _latin_names(line: str, li: int, out: list[_NameHit]) -> None:
    for m in _TITLE_RE.finditer(line):
        words, end, rejected = _latin_walk(line, m.end())
        if words and not rejected and not words[0].endswith(".") and not _FACILITY_AFTER.match(line, end):
            out.append(_NameHit(li, m.start(), end, " ".join(words)))
    for m in _GIVEN_RE.finditer(line):
        window = max(0, m.start() - 80)  # bounded look-behind: long lines must not make this quadratic
        prev = _CAPWORD_BEFORE.search(line[window : m.start()])
        if prev and prev.group("w").split()[-1].split("-")[-1] in _PLACE_PREFIX:
            continue
        words, end, rejected = _latin_walk(line, m.end())
        if rejected or _FACILITY_AFTER.match(line, end):
            continue
        if words:
            out.append(_NameHit(li, m.start(), end, " ".join([m.group("g"), *words])))
        elif prev:
            pw = prev.group("w")
            prev_start = window + prev.start()
            head = line[max(0, prev_start - 4) : prev_start]
            sentence_start = (prev_start == len(head) and not head.strip()) or bool(re.search(r"[.!?:]\s*$", head))
            if pw not in _STOP_CAP and pw not in _ORG_WORDS and not pw.endswith(".") and "-" not in pw:
                if not sentence_start or _is_given_word(pw):
                    out.append(_NameHit(li, prev_start, m.end(), f"{pw} {m.group('g')}"))


def _is_given_word(word: str) -> bool:
    return word in _LATIN_GIVEN


def _arabic_names(line: str, li: int, out: list[_NameHit]) -> None:
    words = list(_AR_WORD.finditer(line))
    i = 0
    while i < len(words):
        w = words[i].group()
        k = _ar_key(w)
        start = words[i].start()
        # title + names
        if k in _AR_TITLES or (k == "د." and i + 1 < len(words)):
            j = i + 1
            parts = []
            while j < len(words) and len(parts) < 4:
                kk = _ar_key(words[j].group())
                if kk in _AR_STOP or kk in _AR_ORG or kk in _AR_TITLES:
                    break
                if not parts and kk.startswith("ال") and kk not in _AR_GIVEN:
                    break
                if line[words[j - 1].end() : words[j].start()].strip():
                    break
                parts.append(words[j].group())
                j += 1
            if parts:
                out.append(_NameHit(li, start, words[j - 1].end(), " ".join(parts)))
                i = j
                continue
        given_len = 0
        if k in _AR_GIVEN:
            given_len = 1
        elif k in _AR_ABD and i + 1 < len(words) and not line[words[i].end() : words[i + 1].start()].strip():
            given_len = 2
        if given_len:
            j = i + given_len
            parts = [x.group() for x in words[i:j]]
            while j < len(words) and len(parts) < 5:
                if line[words[j - 1].end() : words[j].start()].strip():
                    break
                nxt = words[j].group()
                kk = _ar_key(nxt)
                if kk in _AR_STOP or kk in _AR_ORG:
                    break
                if kk in _AR_GIVEN or _is_ar_nisba(nxt):
                    parts.append(nxt)
                    j += 1
                elif kk in _AR_LINK and j + 1 < len(words):
                    parts += [nxt, words[j + 1].group()]
                    j += 2
                elif kk in _AR_ABD and j + 1 < len(words):
                    parts += [nxt, words[j + 1].group()]
                    j += 2
                else:
                    break
            if len(parts) > given_len:
                out.append(_NameHit(li, start, words[j - 1].end(), " ".join(parts)))
                i = j
                continue
        i += 1


_NAME_FIELD = re.compile(pattern("name_field"), re.IGNORECASE)
_EMPTY_VALUE = re.compile(pattern("empty_value"), re.IGNORECASE)
_LIST_HEADING = re.compile(pattern("list_heading"), re.IGNORECASE)
_LIST_ENTRY = re.compile(r"^\s*(?:\(?\d{1,3}[.)-]|\.\d{1,3}(?=\s)|[-•*–·])\s*(?P<rest>.+)$")
_SEGMENT_END = re.compile(r"\s[-–]\s|[,(|\t:;/،]|\s{2,}")
_TITLE_PREFIX = re.compile(pattern("title_prefix"), re.IGNORECASE)
_INLINE_LIST = re.compile(pattern("inline_list"), re.IGNORECASE)
_INLINE_MIN = 2
#: A personal detail on a list entry: a long number (phone, id), a passport-like number, an age.
_ENTRY_DETAIL = re.compile(pattern("entry_detail"), re.IGNORECASE)
#: Consecutive entries (numbered or bulleted) that make a list of people without a heading.
_ENTRY_RUN_MIN = 3


def _name_like(segment: str, *, min_words: int = 2, allow_caps: bool = False) -> str | None:
    """Return the segment as a name when it looks like one (2-5 words, letters only, no organisation word)."""
    seg = _TITLE_PREFIX.sub("", segment.strip()).strip(" .-–*•")
    if not seg or _EMPTY_VALUE.match(seg) or any(c.isdigit() for c in seg) or "@" in seg:
        return None
    words = seg.split()
    if not (min_words <= len(words) <= 5):
        return None
    if all(_AR_WORD.fullmatch(w) for w in words):
        keys = [_ar_key(w) for w in words]
        if any(k in _AR_ORG or k in _AR_STOP for k in keys):
            return None
        return seg
    cap = re.compile(
        rf"^(?:{_LATIN_PARTICLES}[ \-]?)?(?:[{_UP}]['’])?[{_UP}][{_LO}'’]*(?:[{_UP}][{_LO}]+)?"
        rf"(?:-[{_UP}{_LO}][{_LO}]+)*\.?$"
    )
    particles = re.compile(rf"^{_LATIN_PARTICLES}$")
    ok = 0
    for w in words:
        if w in _ORG_WORDS or w.capitalize() in _ORG_WORDS:
            return None
        if particles.match(w):
            continue
        if cap.match(w) or (allow_caps and re.fullmatch(rf"[{_UP}][{_UP}'’-]+", w)):
            ok += 1
            continue
        return None
    if ok == 0 or all(w in _STOP_CAP for w in words):
        return None
    if not allow_caps and all(re.fullmatch(rf"[{_UP}]+", w) for w in words):
        return None
    return seg


def _names_and_columns(doc: _Doc, tables: list[_Table]) -> tuple[list[_NameHit], _Columns]:
    """Names from every cue, and the cells of id, phone and latitude/longitude columns."""
    out: list[_NameHit] = []
    cols = _Columns()
    id_cells = cols.ids
    phone_cells = cols.phones
    for li, line in enumerate(doc.lines):
        _latin_names(line, li, out)
        _arabic_names(line, li, out)
        for m in _NAME_FIELD.finditer(line):
            label = m.group("label").lower()
            value = m.group("value")
            value = re.split(r"\s[-–]\s|\s{2,}", value)[0]
            name = _name_like(value, min_words=1 if "name" in label or "اسم" in label or "الاسم" in label else 2)
            if name:
                out.append(_NameHit(li, m.start("value"), m.start("value") + len(value), name))
    # lists under a heading
    li = 0
    while li < len(doc.lines):
        if _LIST_HEADING.match(doc.lines[li]) and not _split_cells(doc.lines[li]):
            misses = 0
            j = li + 1
            while j < len(doc.lines) and misses < 2:
                line = doc.lines[j]
                if not line.strip():
                    if j > li + 1 and misses:
                        break
                    misses += 1
                    j += 1
                    continue
                entry = _LIST_ENTRY.match(line)
                rest = entry.group("rest") if entry else line
                segment = _SEGMENT_END.split(rest, maxsplit=1)[0]
                name = _name_like(segment)
                if name:
                    out.append(_NameHit(j, line.find(segment), line.find(segment) + len(segment), name))
                    misses = 0
                elif not entry:
                    misses += 1
                j += 1
            li = j
            continue
        li += 1
    out += _detail_entries(doc)
    out += _inline_lists(doc)
    # table columns
    for table in tables:
        if not table.header:
            continue
        name_cols = [
            j for j, c in enumerate(table.header) if any(_NAME_HEADER.match(part.strip()) for part in c.split("/"))
        ]
        id_cols = [j for j, c in enumerate(table.header) if _ID_HEADER.match(c.strip().rstrip(":"))]
        phone_cols = [j for j, c in enumerate(table.header) if _PHONE_HEADER.match(c.strip().rstrip(":"))]
        lat_cols = [j for j, c in enumerate(table.header) if _LAT_HEADER.match(c.strip())]
        lon_cols = [j for j, c in enumerate(table.header) if _LON_HEADER.match(c.strip())]
        for li, cells in table.rows[1:]:
            line = doc.lines[li]
            # one person per row: the cells of every name column together ("Surname | First name")
            parts = [cells[j] for j in name_cols if j < len(cells) and cells[j].strip()]
            name = _name_like(" ".join(parts), min_words=1, allow_caps=True) if parts else None
            if name and (len(name.split()) > 1 or _is_given_word(name) or _is_ar_given(name)):
                off = _cell_offset(line, cells, name_cols[0])
                out.append(_NameHit(li, off, off + len(parts[0]), name))
            for j in id_cols:
                value = cells[j] if j < len(cells) else ""
                if re.fullmatch(r"(?:LY|IQG?)\d+", value):
                    continue  # a P-code
                if re.fullmatch(r"[A-Za-z]{0,6}[-/ ]?\d[\dA-Za-z/-]{3,24}", value):
                    id_cells.append((li, value, _cell_offset(line, cells, j)))
            for j in phone_cols:
                if j < len(cells) and cells[j]:
                    off = _cell_offset(line, cells, j)
                    phone_cells.setdefault(li, []).append((off, off + len(cells[j])))
            if lat_cols and lon_cols and max(lat_cols[0], lon_cols[0]) < len(cells):
                lat, lon = cells[lat_cols[0]], cells[lon_cols[0]]
                if re.fullmatch(r"[-+]?\d{1,3}\.\d{2,8}", lat) and re.fullmatch(r"[-+]?\d{1,3}\.\d{2,8}", lon):
                    cols.coords.append((li, lat, lon, _cell_offset(line, cells, lat_cols[0])))
    return out, cols


def _inline_lists(doc: _Doc) -> list[_NameHit]:
    """A heading and its names on one line, separated by ";" (or commas when there is no ";"); an item's
    organisation in brackets or after a dash is dropped. Two name-like items at least."""
    out: list[_NameHit] = []
    for li, line in enumerate(doc.lines):
        m = _INLINE_LIST.match(line)
        if not m:
            continue
        items_start = m.start("items")
        items = m.group("items")
        sep = ";" if ";" in items else "[,،]"
        found = []
        for part in re.finditer(r"[^;]+" if sep == ";" else r"[^,،]+", items):
            segment = re.split(r"\s*\(|\s[-–]\s|\s+and\s+|\s+و(?=\S)", part.group(), maxsplit=1)[0]
            name = _name_like(segment)
            if name:
                start = items_start + part.start() + (len(part.group()) - len(part.group().lstrip()))
                found.append(_NameHit(li, start, start + len(segment.strip()), name))
        if len(found) >= _INLINE_MIN:
            out.extend(found)
    return out


def _detail_entries(doc: _Doc) -> list[_NameHit]:
    """Lists of people without a heading: a run of numbered or bulleted entries, each a name followed by a personal
    detail ("3. Yonas Haile, 36, passport ..."; "- فاطمة علي الورفلي، ٠٩١...")."""
    out: list[_NameHit] = []
    run: list[_NameHit] = []

    def close() -> None:
        if len(run) >= _ENTRY_RUN_MIN:
            out.extend(run)
        run.clear()

    for li, line in enumerate(doc.lines):
        entry = _LIST_ENTRY.match(line)
        if not entry:
            close()
            continue
        rest = entry.group("rest")
        parts = _SEGMENT_END.split(rest, maxsplit=1)
        name = _name_like(parts[0])
        if not name or len(parts) < 2 or not _ENTRY_DETAIL.search(rest[len(parts[0]) :]):
            close()
            continue
        start = line.find(parts[0])
        run.append(_NameHit(li, start, start + len(parts[0]), name))
    close()
    return out


def _name_key(name: str) -> str:
    words = [w.strip(".") for w in name.replace("-", " ").split()]
    return " ".join(_ar_key(w).lower() for w in words if w)


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    skip = {"al", "el", "bin", "ben", "bint", "ibn", "abu", "de", "du", "da", "di", "van", "von", "بن", "بنت", "ابن"}
    letters = [w[0].upper() for w in words if w.lower() not in skip and w[0].isalpha()]
    return " ".join(f"{c}." for c in letters[:3]) or "•."


def _dedupe_names(hits: list[_NameHit]) -> list[_NameHit]:
    # overlapping spans on one line: keep the longest
    by_line: dict[int, list[_NameHit]] = {}
    for h in hits:
        by_line.setdefault(h.line, []).append(h)
    kept: list[_NameHit] = []
    for line_hits in by_line.values():
        # sweep: a cluster is a run of overlapping spans; the longest span of each cluster stays
        line_hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        cluster: list[_NameHit] = []
        cluster_end = -1
        for h in [*line_hits, None]:
            if h is None or h.start >= cluster_end:
                if cluster:
                    kept.append(max(cluster, key=lambda c: (c.end - c.start, -c.start)))
                cluster, cluster_end = [], -1
            if h is not None:
                cluster.append(h)
                cluster_end = max(cluster_end, h.end)
    kept.sort(key=lambda h: (h.line, h.start))
    return kept


def _find_names(name_hits: list[_NameHit], starts: list[int] | None = None) -> list[Hit]:
    """Names as hits; with the line ``starts`` of the prepared text each hit carries its span (for redaction)."""
    hits = [h for h in _dedupe_names(name_hits) if _name_key(h.name) not in _PLACE_NAMES]
    keys = {_name_key(h.name) for h in hits}
    token_sets = {k: set(k.split()) for k in keys}
    absorbed = {k for k in keys if any(k != o and token_sets[k] < token_sets[o] for o in keys)}
    out = []
    for h in hits:
        key = _name_key(h.name)
        if key in absorbed:
            # still counts for where, as the longer name
            key = next(o for o in keys if token_sets[key] < token_sets[o])
        span = (starts[h.line] + h.start, starts[h.line] + h.end) if starts is not None else (-1, -1)
        out.append(Hit("person_name", h.name, key, h.line, _initials(h.name), span))
    return out
