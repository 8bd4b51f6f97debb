"""The sensitivity scan: what in a document's text could harm people if it were shared too widely.

Pure: standard library only, no Flask, no database. :func:`scan_text` reads extracted text (English and Arabic)
and returns one :class:`Finding` per kind found, with the kinds of the public interface:

``person_name``, ``phone``, ``email``, ``id_number``, ``coordinates``, ``sensitive_site``, ``severe_topic``,
``small_count``.

A finding carries a count, where it was seen (``"page 2"`` when the text has form feeds between pages, else
``"line 14"``; ten places at most) and a short *redacted* example that never reproduces the value
(``+218 9• ••• ••78``, ``a•••@d•••.org``, ``LY-••-••17``, ``32.8•, 13.1•``, initials ``A. B.``). The raw values
stay inside this module: :func:`detect` returns them for measurement (``bench/scan_quality.py``) and must never be
stored or shown.

Heuristics (deliberately simple, documented so that a coordinator can predict them)
===================================================================================

Text preparation
    Arabic-Indic and Persian digits become ASCII digits, the Arabic decimal and thousands separators become ``.``
    and ``,``, typographic dashes become ``-``, odd spaces become spaces, Arabic diacritics and tatweel go. Line
    numbers are not changed by this.

``phone`` (a distinct number counts once)
    * ``+`` or ``00`` followed by a country code: Libya (``218`` + 9 digits), Iraq (``964`` + 9 or 10 digits),
      any other country with 8 to 15 digits in all;
    * local mobiles: Libyan ``09x xxx xxxx`` (10 digits), Iraqi ``07xx xxx xxxx`` (11 digits);
    * any 7 to 15 digit number right after a phone label (``Tel``, ``Mobile``, ``WhatsApp``, ``هاتف``, ``جوال``…)
      or in a table column headed as a phone.
    Numbers next to ``hotline``, ``switchboard``, ``toll-free``, ``الخط الساخن``… belong to a service, not to a
    person, and are skipped.
    Digits may be grouped with spaces, dots, dashes or brackets. Dates, years, P-codes, amounts of money and page
    numbers do not have these shapes (no ``+``/``00``/``0`` prefix with the right length), so they are not taken.

``email``
    Ordinary addresses; functional mailboxes whose local part is made only of generic words (``info``,
    ``protection.libya``, ``complaints``…) are not personal data and are skipped.

``id_number``
    * a value after an identity label (national number, NID, unified ID, passport, ID no., case number,
      registration number, ``الرقم الوطني``, ``رقم البطاقة``, ``رقم الجواز``, ``رقم الحالة``, ``رقم القيد``…),
      or in a table column headed by such a label;
    * unlabelled: the 12-digit Libyan national number shape (``1``/``2`` + birth year + 7 digits); passport-like
      ``[A-Z]{1,2}`` + 6 to 8 digits (``LY``/``IQ`` + digits are P-codes and skipped); case references such as
      ``LY-25-0417``, ``CASE-2025-0012``, ``IRQ-GBV-2025-017``; UNHCR-style ``123-45C67890`` and ``123-00012345``.

``coordinates``
    Decimal pairs (3 or more decimals, or 2 with a hemisphere letter or a ``lat``/``GPS`` label) within
    latitude/longitude ranges, with optional ``N``/``S``/``E``/``W``; degree-minute-second pairs
    (``32°53'14"N 13°11'29"E``, Arabic ``شمالا``/``شرقا`` too); a table with ``Latitude``/``Longitude`` columns.
    Amounts after a currency are skipped.

``person_name`` (count = distinct names)
    * a given name from the built-in gazetteer (Arabic names in Latin transliteration and in Arabic script,
      Kurdish, English and French names) followed by one to three capitalised words (Latin script; particles
      ``al-``, ``bin``, ``Abu``… allowed) or, in Arabic script, by another given name, ``بن``/``بنت``/``ابن`` +
      a word, or a family name in ``ال…ي``; a lone given name preceded by a capitalised word (``Zulfiye Kazim``)
      counts too;
    * a title (``Mr``, ``Ms``, ``Dr``, ``Eng.``, ``السيد``, ``السيدة``, ``الدكتور``…) followed by names;
    * the value of a name field (``Name:``, ``Mother's name:``, ``الاسم:``, ``اسم الأم:``…);
    * a cell of a table column headed ``Name``/``الاسم``…, and the leading words of each entry of a list under a
      heading such as ``Participants``, ``Attendance``, ``Beneficiaries``, ``قائمة المشاركين``, ``الحضور``.
    A candidate containing an organisation or place word (``Corps``, ``Council``, ``Street``, ``Hospital``,
    ``منظمة``, ``جمعية``…), followed by a facility word (``… detention centre``, ``… market``), preceded by a place
    prefix (``Abu``, ``Bani``, ``Sidi``, ``Port``…) or known as a place (``Salah al-Din``) is dropped; a name whose
    words are all inside another name counts once. Whether the names
    make a *list* is decided by the count (see ``MINIMUM_RULES`` in ``protocol.py``: five or more).

``sensitive_site`` (count = mentions)
    A *single* safe house, women's/GBV shelter, safe space, detention centre or facility, DCIM centre,
    disembarkation point, prison, holding facility, collective centre; Arabic ``دار إيواء``, ``بيت آمن``,
    ``مركز احتجاز``, ``نقطة إنزال``, ``السجن``… Plural forms ("access to detention centres") are general
    statements and are not counted: a singular mention almost always names or locates one place.

``severe_topic`` (count = mentions)
    GBV and child-protection words (survivor, alleged perpetrator, rape, sexual violence/assault, unaccompanied or
    separated child, forced marriage, abducted…; ``ناجية``, ``الجاني``, ``اغتصاب``, ``عنف جنسي``, ``غير مصحوب``…)
    are reported only when the document reads like *case details*: a field label such as ``Alleged perpetrator:``,
    ``Case number:`` or ``رقم الحالة:`` is present, or one of the words stands within three lines of a personal
    detail (an individual's age such as ``aged 15`` or ``15-year-old``, a date of birth, a name, a phone number or
    an id). Aggregate reports ("212 survivors were assisted") are therefore not flagged. A case number alone is an
    ``id_number``, not a topic: legal-aid or HLP case lists are not GBV case files.

``small_count`` (count = cells)
    In a table (two or more consecutive lines split by ``|``, tabs, ``;`` or runs of spaces), a cell holding a
    whole number from 1 to 4, in a row broken down by place, sex or age, when the table is about people (a word
    such as persons, cases, girls, detainees, ``أطفال``, ``حالات`` in the row, the header or the two lines above, or
    a sex/age breakdown). Index, severity, score, rank, priority, phase, year, age and size columns are skipped.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field

KINDS: tuple[str, ...] = (
    "person_name",
    "phone",
    "email",
    "id_number",
    "coordinates",
    "sensitive_site",
    "severe_topic",
    "small_count",
)
MAX_WHERE = 10
DOT = "\u2022"  # •


@dataclass(frozen=True)
class Finding:
    """What the scan found of one kind: how many, where (at most ten places), and a redacted example."""

    kind: str
    count: int
    where: tuple[str, ...]
    example: str


@dataclass(frozen=True)
class Hit:
    """One detected value. ``value`` is the raw text: for measurement only, never store or display it."""

    kind: str
    value: str
    key: str
    line: int
    example: str = field(compare=False)
    span: tuple[int, int] = field(default=(-1, -1), compare=False)  # offsets in the prepared text


# ==============================================================================================================
# Text preparation
# ==============================================================================================================

_TRANSLATE = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}
_TRANSLATE.update({ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")})
_TRANSLATE.update({0x066B: ".", 0x066C: ",", 0x00A0: " ", 0x2007: " ", 0x2009: " ", 0x202F: " ", 0x200B: None})
_TRANSLATE.update({ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})
_TRANSLATE.update({0x00BA: "°", 0x02DA: "°", 0x2032: "'", 0x2033: '"', 0x2019: "'", 0x201D: '"', 0x201C: '"'})
_TRANSLATE.update({0x0640: None})  # tatweel
_TRANSLATE.update({c: None for c in range(0x064B, 0x0653)})  # harakat
_TRANSLATE.update({0x0670: None, 0x200E: None, 0x200F: None})


_LAM_ALEF_SWAPPED = re.compile(r"(?<![\u0621-\u064A])ا([اأإآ])ل")


def prepare(text: str) -> str:
    """Normalise digits, separators, dashes and Arabic marks; newlines and form feeds are kept.

    PDF extraction sometimes returns the lam-alef ligature in the wrong order ("االسم" for "الاسم", "األحمر" for
    "الأحمر"); at the start of a word that order never occurs in Arabic, so it is put right there.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.translate(_TRANSLATE)
    return _LAM_ALEF_SWAPPED.sub(r"ال\1", text)


class _Doc:
    """Prepared text, its lines, and where each line is (page or line number)."""

    def __init__(self, text: str) -> None:
        text = prepare(text)
        paged = "\f" in text
        self.lines: list[str] = []
        self.labels: list[str] = []
        if paged:
            for page_no, page in enumerate(text.split("\f"), start=1):
                for line in page.split("\n"):
                    self.lines.append(line)
                    self.labels.append(f"page {page_no}")
        else:
            for line_no, line in enumerate(text.split("\n"), start=1):
                self.lines.append(line)
                self.labels.append(f"line {line_no}")
        self.text = "\n".join(self.lines)
        self.starts: list[int] = []
        pos = 0
        for line in self.lines:
            self.starts.append(pos)
            pos += len(line) + 1

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1


# ==============================================================================================================
# Redaction helpers
# ==============================================================================================================


def _mask_digits(value: str, keep_last: int = 2) -> str:
    """Mask every digit except the last ``keep_last``; letters and separators stay."""
    total = sum(c.isdigit() for c in value)
    seen = 0
    out = []
    for c in value:
        if c.isdigit():
            seen += 1
            out.append(c if seen > total - keep_last else DOT)
        else:
            out.append(c)
    return "".join(out)


def _group(digits: str, sizes: Sequence[int]) -> str:
    parts, pos = [], 0
    for size in sizes:
        if pos >= len(digits):
            break
        parts.append(digits[pos : pos + size])
        pos += size
    if pos < len(digits):
        parts.append(digits[pos:])
    return " ".join(parts)


def _mask_national(national: str, sizes: Sequence[int]) -> str:
    masked = national[0] + DOT * (len(national) - 3) + national[-2:]
    return _group(masked, sizes)


# ==============================================================================================================
# Phones
# ==============================================================================================================

# Country codes of one and two digits (E.164 is prefix-free; everything else has three digits).
_CC1 = {"1", "7"}
_CC2 = set(
    "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 "
    "86 90 91 92 93 94 95 98".split()
)

# A "+" may also follow the country code: right-to-left extraction of Arabic PDFs gives "218+ 91 000 0123".
_PHONE_SPAN = re.compile(r"(?<![\w+.,/%])(?:\+[ \t]?|\(\+?)?\d[\d \t().\-+]{5,30}\d(?![\w%])")
_PHONE_LABEL = re.compile(
    r"(?:\b(?:tel(?:ephone)?|phone|mob(?:ile)?|cell(?:phone)?|whats ?app|viber|signal|fax|hotline|contact no\.?|"
    r"phone no\.?)\b|هاتف|الهاتف|جوال|الجوال|موبايل|نقال|رقم الهاتف|واتساب|تلفون)\s*(?:number|no\.?|#)?\s*[:.]?\s*$",
    re.IGNORECASE,
)


def _country_code(digits: str) -> str:
    if digits[:1] in _CC1:
        return digits[:1]
    if digits[:2] in _CC2:
        return digits[:2]
    return digits[:3]


def _phone_candidates(groups: list[str], intl: bool, labelled: bool) -> int | None:
    """Number of leading groups that make a valid phone, or None."""
    best = None
    total = 0
    digits = ""
    for i, g in enumerate(groups):
        digits += g
        total = len(digits)
        if intl:
            if digits.startswith("218"):
                ok = total == 12
                limit = 12
            elif digits.startswith("964"):
                ok = total in (11, 12, 13)
                limit = 13
            else:
                ok = 8 <= total <= 15
                limit = 15
        elif digits.startswith("09"):
            ok, limit = total == 10, 10
        elif digits.startswith("07"):
            ok, limit = total == 11, 11
        elif labelled:
            ok, limit = 7 <= total <= 15, 15
        else:
            return None
        if ok:
            best = i + 1
        if total >= limit:
            break
    return best


def _phone_example(key: str) -> str:
    if key.startswith("+"):
        digits = key[1:]
        cc = _country_code(digits)
        national = digits[len(cc) :]
        if len(national) < 4:
            return "+" + cc + " " + DOT * len(national)
        sizes = (2, 3, 4) if cc == "218" else (3, 3, 4) if cc == "964" else (3, 3, 3, 3)
        return f"+{cc} {_mask_national(national, sizes)}"
    national = key.lstrip("0")
    zeros = key[: len(key) - len(national)]
    if len(national) < 4:
        return DOT * len(key)
    sizes = (2, 3, 4) if len(national) == 9 else (3, 3, 4)
    return zeros + _mask_national(national, sizes)


def canonical_phone(value: str) -> str:
    """Canonical form of a phone number: ``+`` and country code when known, else the local digits."""
    value = prepare(value)
    digits = re.sub(r"\D", "", value.replace("(0)", ""))
    stripped = value.strip().lstrip("(")
    if stripped.startswith("+"):
        return "+" + digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    if (len(digits) == 12 and digits.startswith("2189")) or (len(digits) == 13 and digits.startswith("9647")):
        return "+" + digits
    if len(digits) == 10 and digits.startswith("09"):
        return "+218" + digits[1:]
    if len(digits) == 11 and digits.startswith("07"):
        return "+964" + digits[1:]
    return digits


_SERVICE_NUMBER = re.compile(
    r"hotline|help\s*line|switchboard|toll[- ]free|call\s+cent(?:re|er)|الخط\s+الساخن|رقم\s+مجاني|مركز\s+الاتصال",
    re.IGNORECASE,
)


def _find_phones(doc: _Doc, phone_cells: dict[int, list[tuple[int, int]]]) -> list[Hit]:
    hits: list[Hit] = []
    for m in _PHONE_SPAN.finditer(doc.text):
        span = m.group()
        base = m.start()
        line = doc.line_of(base)
        line_start = doc.starts[line]
        line_end = line_start + len(doc.lines[line])
        if _SERVICE_NUMBER.search(doc.text[max(line_start, base - 40) : min(line_end, m.end() + 25)]):
            continue  # a service's hotline or switchboard, not a person's number
        before = doc.text[max(line_start, base - 30) : base]
        in_cell = any(a <= base - line_start < b for a, b in phone_cells.get(line, ()))
        labelled = bool(_PHONE_LABEL.search(before)) or in_cell
        groups = [(g.start(), g.group()) for g in re.finditer(r"\d+", span.replace("(0)", "( )"))]
        i = 0
        while i < len(groups):
            first = groups[i][1]
            after_first = span[groups[0][0] + len(groups[0][1]) :][:1]
            intl = i == 0 and ("+" in span[: groups[0][0]] or (after_first == "+" and len(groups[0][1]) <= 3))
            seq = [(k, g) for k, (_, g) in enumerate(groups) if k >= i]
            if not intl and first.startswith("00"):
                intl = True
                seq = seq[1:] if first == "00" else [(i, first[2:]), *seq[1:]]
            if not seq or (not intl and len(first) < 3 and not (labelled and i == 0)):
                i += 1
                continue
            n = _phone_candidates([g for _, g in seq], intl, labelled and i == 0)
            if n is None:
                i += 1
                continue
            last = seq[n - 1][0]
            end_off = groups[last][0] + len(groups[last][1])
            start_off = 0 if i == 0 else groups[i][0]
            raw = span[start_off:end_off]
            key = "+" + "".join(g for _, g in seq[:n]) if intl else canonical_phone(raw)
            hits.append(Hit("phone", raw.strip(), key, line, _phone_example(key), (base + start_off, base + end_off)))
            i = last + 1
    return hits


# ==============================================================================================================
# E-mail
# ==============================================================================================================

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_GENERIC_MAILBOX = set(
    """info contact contacts office admin administration secretariat protection cluster sector coordination
    coord im imo media press support help helpdesk hotline complaints complaint feedback reception registration
    noreply no reply donotreply webmaster hr jobs careers recruitment donations partnerships team general
    enquiries inquiries mail communications comms data libya lby iraq irq tripoli benghazi baghdad erbil
    gbv cp wg swg aor pswg pwg npc unit desk service services finance procurement logistics security it""".split()
)


def _email_example(value: str) -> str:
    local, _, domain = value.partition("@")
    labels = domain.split(".")
    return f"{local[0]}{DOT * 3}@{labels[0][0]}{DOT * 3}.{labels[-1].lower()}"


def _find_emails(doc: _Doc) -> list[Hit]:
    hits = []
    for m in _EMAIL.finditer(doc.text):
        value = m.group()
        local = value.split("@", 1)[0].lower()
        words = [w for w in re.split(r"[._+-]+", local) if w]
        if words and all(w in _GENERIC_MAILBOX for w in words):
            continue
        hits.append(Hit("email", value, value.lower(), doc.line_of(m.start()), _email_example(value), m.span()))
    return hits


# ==============================================================================================================
# Identity, passport and case numbers
# ==============================================================================================================

_ID_LABEL_EN = (
    r"national\s+(?:id(?:entity)?\s*)?(?:number|no\.?|#|id|card)(?:\s*\((?:NID|NN)\))?|\bNID\b|\bNIN\b|"
    r"unified\s+(?:id|card|national\s+card)(?:\s+(?:number|no\.?))?|"
    r"\bID\s*(?:no\.?|number|#|card(?:\s+(?:no\.?|number))?)|identity\s+(?:card|document)(?:\s+(?:no\.?|number))?|"
    r"passport(?:\s*(?:no\.?|number|#))?|"
    r"case\s*(?:no\.?|number|#|id|code|ref(?:erence)?(?:\s+no\.?)?|file(?:\s+no\.?)?)|"
    r"registration\s*(?:no\.?|number|#|id)|reg\.\s*no\.?|file\s+(?:no\.?|number)|individual\s+(?:no\.?|number|id)|"
    r"progres\s*(?:id|no\.?|number)?|UNHCR\s*(?:id|no\.?|number|reg(?:istration)?\.?\s*(?:no\.?|number)?)|"
    r"family\s+book(?:\s+(?:no\.?|number))?|survivor\s+(?:code|id)|child\s+(?:code|id)|beneficiary\s+(?:id|no\.?)"
)
_ID_LABEL_AR = (
    r"الرقم\s+الوطني|رقم\s+البطاقة(?:\s+(?:الموحدة|الوطنية|الشخصية))?|البطاقة\s+(?:الموحدة|الوطنية)|"
    r"رقم\s+الهوية|رقم\s+(?:جواز\s+السفر|الجواز)|جواز\s+السفر|رقم\s+الحالة|رقم\s+القيد|رقم\s+الملف|"
    r"رقم\s+التسجيل|رقم\s+(?:كتيب|قيد)\s+العائلة|رمز\s+الناجية|رقم\s+المفوضية"
)
_ID_LABEL = re.compile(rf"(?:{_ID_LABEL_EN}|{_ID_LABEL_AR})", re.IGNORECASE)
_ID_VALUE = re.compile(r"\s*(?:[:#=]|\bis\b)?\s*(?P<v>(?:[A-Za-z]{1,6}[-/ ]?)?\d[\dA-Za-z]*(?:[-/][\dA-Za-z]+){0,4})")
_NID_LY = re.compile(r"(?<![\w.,/-])[12](?:19[2-9]\d|20[0-2]\d)\d{7}(?![\w.,/-]|\.\d)")
_PASSPORT = re.compile(r"(?<![\w/-])(?P<p>[A-Z]{1,2})(?P<d>\d{6,8})(?![\w/-])")
_CASE_REF = re.compile(
    r"(?<![\w/-])(?:[A-Z]{2,6}-){1,3}\d{2,4}-\d{2,6}[A-Z]?(?![\w/-])|"
    r"(?<![\w/-])(?:CASE|REF|FILE|REG|GBV|CP|BIA|BID)[-/]?\d{3,8}(?![\w/-])|"
    r"(?<![\w/-])\d{3}-\d{2}[A-Z]\d{5,8}(?![\w/-])|(?<![\w/-])\d{3}-\d{8}(?![\w/-])|"
    # "LY-25-0533" inside Arabic text, as right-to-left PDF extraction returns it
    r"(?<![\w/-])-\d{2,4}-\d{2,6}[A-Z]{2,6}(?![\w/-])"
)
_REF_REVERSED = re.compile(r"-(\d{2,4})-(\d{2,6})([A-Z]{2,6})")
_PCODE_PREFIXES = {"LY", "IQ"}
#: References of contracts, grants and projects look like case numbers but identify no person.
_NOT_PERSONAL_REF = re.compile(
    r"(?:contract|grant|project|agreement|allocation|invoice|purchase\s+order|\bPO|budget|tender|award|"
    r"document|doc\.|version|resolution|report)\s*(?:no\.?|number|#|ref(?:erence)?\.?|id)?\s*[:.]?\s*$",
    re.IGNORECASE,
)


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


# ==============================================================================================================
# Coordinates
# ==============================================================================================================

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


# ==============================================================================================================
# Names
# ==============================================================================================================

_LATIN_GIVEN = set(
    """
    Mohamed Mohammed Muhammad Mohammad Mohamad Mohammad Mahmoud Mahmud Ahmed Ahmad Ali Omar Umar Khaled Khalid Salem
    Salim Saleem Mustafa Mostafa Moustafa Youssef Yousef Yusuf Youssif Ibrahim Ismail Ismael Hassan Hasan Hussein
    Husain Hussain Abdullah Abdallah Abdulla Abdelrahman Abdulrahman Abdurrahman Abdelsalam Abdulsalam Abdelhamid
    Abdulhamid Abdelkarim Abdulkarim Abdelaziz Abdulaziz Abdelhakim Abdulhakim Abdelbaset Abdulbasit Abdelkader
    Abdulqader Abdulrazzaq Nasser Naser Tarek Tariq Tarik Walid Waleed Karim Kareem Nabil Adel Adil Faisal Feisal
    Hamza Bilal Osama Usama Oussama Jamal Gamal Kamal Saleh Salah Saeed Said Sayed Mansour Masoud Massoud Miftah
    Meftah Miloud Mabrouk Faraj Farag Hadi Othman Osman Suleiman Sulaiman Slimane Musa Moussa Mousa Issa Isa
    Younis Younes Yunus Idris Idriss Ayoub Ayyub Jibril Gibril Khalifa Emran Omran Ayad Abbas Jaafar Jafar Kadhim
    Kazem Kazim Haider Hayder Haidar Murtadha Mortada Qasim Kassem Qassim Ammar Yasir Yasser Yaser Zaid Zayd Zeyad
    Ziad Ziyad Bashir Basheer Munir Mounir Sami Samir Raed Riad Riyad Nizar Hakim Aziz Farouk Farooq Hamid Rashid
    Rachid Marwan Moataz Mutaz Mohannad Muhannad Wissam Wisam Ghassan Anas Ayman Aymen Emad Imad Fadi Haitham
    Haytham Majid Majed Akram Hazem Hatem Sharif Sherif Tawfiq Tawfik Sabri Lotfi Nouri Nuri Fathi Fathy Mokhtar
    Mukhtar Taher Tahir Sadiq Sadek Mahdi Mehdi Hamdi Hamed Salman Ashraf Amr Amro Hisham Hesham Mazen Mazin Nour
    Noor Nadim Nadeem Rami Ramzi Tamer Wael Yahya Zakaria Zakariya Talal Fawzi Fouad Fuad Jalal Laith Layth Luay
    Firas Ferass Ahmadi Abubakr Abubakar Abobakr Anwar Arif Aref Bakr Daoud Dawood Dawud Ehab Ihab Essam Issam Fares
    Faris Ghazi Hani Hussam Husam Jamil Jameel Kamil Khalil Mahir Maher Mamoun Muayad Muneer Nasr Qais Qays Radwan
    Ridha Rida Saad Sabah Sadoon Safaa Sufyan Suhail Tayseer Usman Waddah Yassin Yassine Zuhair Zoheir
    Fatima Fatma Fatimah Aisha Aicha Aysha Khadija Khadeeja Mariam Maryam Meriem Zainab Zeinab Zaynab Amina Aminah
    Ameena Noura Nora Nura Huda Hoda Layla Leila Laila Salma Samira Sameera Hanan Rania Rana Asma Asmaa Nadia Nadya
    Mona Muna Hala Iman Eman Imane Rasha Reem Rim Dalia Khawla Khaoula Maha Najat Souad Suad Wafa Zahra Zohra
    Ibtisam Ibtissam Intisar Jamila Jameela Karima Latifa Lubna Marwa Nisreen Nesrine Nesreen Sanaa Sana Shaima
    Shaimaa Shireen Sherine Widad Yasmin Yasmine Yasmeen Zahraa Ruqaya Ruqayya Shahad Doaa Duaa Aya Ayah Hiba Heba
    Ghada Abeer Amal Najla Najlaa Halima Safia Safiya Hawa Aziza Fawzia Naima Saadia Salima Hasna Bushra Tahani Siham
    Suha Rehab Israa Alaa Asil Aseel Hadeel Hadil Lina Lana Nawal Rawan Sahar Samar Sawsan Zineb Houda Malak Mayada
    Manal Maysoon Nahla Raghad Rasmia Rukaya Sajida Shatha Wijdan Yusra Zainab Zeina Zina
    Karwan Rebin Shilan Dilshad Hawre Sherzad Nazanin Bahar Ronak Dler Awat Shvan Shwan Soran Hemin Rezan Kawa
    Hoshyar Nechirvan Aso Jiyan Berivan Zhilwan Lana Sazan Chiman Delal Avin Hozan Baran Rojin Sipan Sivan
    John James Michael David Robert William Richard Thomas Mark Paul Peter Daniel George Nick Nicholas Bradley Andrew
    Chris Christopher Matthew Anthony Steven Stephen Kevin Brian Jason Simon Martin Patrick Edward Henry Jack Joseph
    Charles Benjamin Samuel Oliver Harry Alexander Alex Tom Tim Timothy Philip Phillip Jonathan Adam Ryan Sean Ian
    Alan Graham Stuart Neil Gary Scott Eric Frank Gregory Jeffrey Kenneth Joshua Dennis Roger Keith Jeremy Lucas
    Hilary Mary Sarah Sara Anna Anne Ann Emma Laura Julia Jane Elizabeth Claire Marie Sophie Catherine Katherine
    Helen Lucy Alice Rachel Rebecca Hannah Kate Jessica Emily Olivia Charlotte Amy Linda Susan Karen Nancy Lisa
    Margaret Patricia Jennifer Barbara Sandra Donna Carol Michelle Amanda Melissa Deborah Stephanie Sharon Kathleen
    Ruth Diana Joanna Natalie Victoria Louise Fiona Eleanor Caroline Harriet Megan Nicola Sophia Isabel Ingrid
    Jean Pierre Francois François Michel Philippe Nicolas Luc Louis Antoine Julien Camille Isabelle Nathalie
    Celine Céline Chantal Mathieu Thierry Olivier Sylvie Valerie Valérie Veronique Véronique Aurelie Aurélie Hugo
    Giulia Marco Luca Francesca Maria Elena Carlos Juan Ana Andrea Giovanni Paolo Stefano Alessandro Silvia Chiara
    Lars Erik Anders Ingrid Astrid Hans Klaus Jens Sven Karin Tapper Bryant Zulfiye
    """.split()
)
_LATIN_GIVEN -= {"Tapper", "Bryant", "Zulfiye"}  # kept out on purpose: no gazetteer tuned to one document
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
_STOP_CAP = set(
    """The A An And Or Of In On At For To From With By As Is Are Was Were Be This That These Those It Its Not No Yes
    If But So Also Then Than All Any Each Every Some Our Their His Her Dear Thanks Thank Regards Best Kind Please
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mr Mrs Ms Dr Prof Eng
    Page Annex Table Figure Section Chapter Item Point Note Notes Total Male Female Men Women Boys Girls Name Names
    Phone Email Tel Mobile Organisation Organization Role Position Title Date Time Venue Location Agenda Minutes
    Action Actions Update Updates Meeting Participants Attendance Present Absent Chair Co Facilitator Rapporteur
    Libya Libyan Iraq Iraqi Tripoli Benghazi Misrata Sebha Sabha Derna Sirte Zawiya Zuwara Tunis Baghdad Mosul
    Erbil Duhok Kirkuk Basra Najaf Sinjar Anbar Ninewa Fallujah Ramadi Tikrit Tawargha Kufra Ghat Ubari Murzuq
    Gharyan Zintan Nalut Tobruk Bayda Ajdabiya Khoms Zliten Janzour Tajoura Alkufra Sulaymaniyah Halabja Diyala
    Street Road Area District Centre Center Camp Site North South East West Eastern Western Southern Northern
    General Central National International Regional Local Main Old New Upper Lower
    """.split()
)
_ORG_WORDS = set(
    """Corps Council Committee Foundation Organisation Organization Agency Association Society Crescent Cross Office
    Ministry Programme Program Fund Initiative League Network Centre Center Union Group Cluster Sector Mission
    Services Service International Relief Islamique Solidarités Solidarites Médecins Medecins Frontières Handicap
    Children Care Refugee Refugees Development Institute Authority Directorate Department Municipality Team Working
    Unit Bank Partners Partnership Alliance Federation Trust Secretariat Coordination Humanitarian Hospital
    University School Clinic Mosque Street Road Camp Square Bureau Board Commission Court Police Guard Forces Army
    Nations Company Ltd Inc Project Consortium Facility Station Airport Port Market Souq Suq Hotel Stadium Bridge
    Prison Detention Shelter Municipal Governorate Province Region Village Town City Quarter Neighbourhood
    Neighborhood Avenue Highway Boulevard Building Complex Institute Academy College Radio Media News Times
    Post""".split()
)
_PLACE_PREFIX = set(
    "Bani Beni Bir Wadi Ain Souq Suq Hay Jebel Jabal Ras Tel Tell Sidi Qasr Abu Bab Al El Umm Um King Prince Queen "
    "Saint St Mount Lake Port Fort Camp Dar".split()
)

#: Places and streets that begin with a given name; matched on the name key (lower case, hyphens as spaces).
_PLACE_NAMES = set(
    "salah al din|salah ad din|salah el din|salahaddin|omar mukhtar|omar al mukhtar|abu salim|bani walid|sidi khalifa|"
    "port said|ali baba|hay al andalus|qasr ahmed|ras jedir|abu issa".split("|")
)
#: A name followed by one of these words is the name of a place or facility ("the Tariq al-Sikka detention centre").
_FACILITY_AFTER = re.compile(
    r"[ \t]+(?:detention|centre|center|prison|camp|hospital|clinic|school|street|road|district|neighbou?rhood|area|"
    r"municipality|shelter|mosque|market|port|checkpoint|DC|gate|bridge|square|village|town|city|university|"
    r"hall|site|building|compound|warehouse|airport|junction|roundabout)\b",
    re.IGNORECASE,
)

# Arabic script ------------------------------------------------------------------------------------------------


def _ar_key(word: str) -> str:
    """Fold Arabic letter variants for comparison (alef forms, teh marbuta); alef maqsura is kept on purpose."""
    word = re.sub("[\u064b-\u0652\u0670\u0640]", "", word)
    return word.translate(str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه"}))


_AR_GIVEN = {
    _ar_key(w)
    for w in """
    محمد أحمد احمد محمود علي عمر خالد سالم مصطفى يوسف إبراهيم إسماعيل حسن حسين عبدالله عبدالرحمن عبدالسلام عبدالحميد
    عبدالكريم عبدالعزيز عبدالرزاق عبدالباسط عبدالقادر عبدالحكيم عبدالمنعم عبدالوهاب عبدالجليل عبدالرؤوف
    ناصر طارق وليد كريم نبيل
    عادل فيصل حمزة بلال أسامة جمال كمال صالح صلاح سعيد منصور مسعود مفتاح ميلود فرج الهادي عثمان سليمان موسى
    عيسى يونس إدريس أيوب جبريل خليفة عمران عياد الطاهر الصادق المهدي مهدي عباس جعفر كاظم حيدر مرتضى قاسم عمار ياسر
    زيد زياد بشير منير سامي سمير رائد رياض نزار حكيم عزيز فاروق حامد رشيد مروان معتز مهند وسام غسان هادي أنس أيمن
    عماد فادي هيثم ماجد أكرم حازم حاتم شريف توفيق صبري لطفي نوري فتحي مختار طاهر صادق حمدي سلمان أشرف عمرو هشام مازن
    رامي رمزي تامر وائل يحيى زكريا طلال فوزي فؤاد جلال ليث لؤي فراس أنور عارف بكر داود إيهاب عصام فارس غازي هاني
    حسام جميل خليل ماهر مأمون مؤيد نصر قيس رضوان رضا سعد صباح سفيان سهيل زهير أبوبكر المبروك العربي الصغير سالمين
    فاطمة عائشة خديجة مريم زينب آمنة أمينة نورا نورة ليلى سلمى سميرة حنان رانيا رنا سارة أسماء نادية منى هالة إيمان
    رشا ريم داليا خولة مها نجاة سعاد زهرة ابتسام انتصار جميلة كريمة لطيفة لبنى مروة نسرين سناء شيماء شيرين وداد
    ياسمين رقية شهد دعاء آية هبة غادة عبير نجلاء حليمة صفية حواء عزيزة فوزية نعيمة سعدية مبروكة سالمة زهراء حسناء
    بشرى تهاني سهام سهى رحاب إسراء آلاء أسيل هديل لينا نوال روان سحر سمر سوسن ملاك منال ميسون نهلة رغد ساجدة وجدان
    يسرى زينة
    كاروان ريبين شيلان دلشاد هاوري شيرزاد نازنين روناك دلير آوات شفان سوران هيمن كاوه هوشيار جيان بيريفان
    """.split()
}
_AR_ABD = {"عبد", "ابو", "أبو"}
_AR_LINK = {"بن", "بنت", "ابن", "ولد"}
_AR_TITLES = {
    _ar_key(w)
    for w in """السيد السيدة الآنسة الانسة الدكتور الدكتورة د. الأستاذ الأستاذة المهندس المهندسة الحاج الحاجة
    الشيخ""".split()
}
_AR_STOP = {
    _ar_key(w)
    for w in """في من إلى الى على عن مع و أو ثم كما قد لقد هذا هذه ذلك تلك التي الذي الذين هو هي هم كان كانت تم يتم
    لم لن لا ما ماذا كيف أن إن بعد قبل خلال حول عند حتى منذ بين غير كل بعض أي الوزير الرئيس المدير الممثل المنسق رئيس
    مدير ممثل منسق مسؤول مسؤولة عضو اللجنة الاجتماع الجلسة وفد فريق""".split()
}
_AR_ORG = {
    _ar_key(w)
    for w in """منظمة جمعية مؤسسة وزارة مكتب مركز هيئة لجنة مجلس الهلال الأحمر المفوضية برنامج صندوق بلدية مستشفى مدرسة
    جامعة شبكة اتحاد فريق قطاع مجموعة إدارة جهاز الأمم المتحدة شارع طريق حي مدينة منطقة مخيم سجن دار مستوصف مصرف
    شركة الدولية الوطنية""".split()
}
_AR_ADJ_NISBA = {
    _ar_key(w)
    for w in """الوطني الدولي المحلي الإنساني الاجتماعي الجنسي الليبي العراقي الحالي التالي الماضي الأمني الصحي القانوني
    النفسي الطبي الغذائي الفعلي الرسمي الشرقي الغربي الجنوبي الشمالي الأساسي الرئيسي الثاني الجماعي الفردي الزمني
    الإقليمي الحكومي المدني الأولي النهائي الكردي السوري السوداني المصري التونسي النيجيري""".split()
}
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


_NAME_FIELD = re.compile(
    r"(?:^|[|\t]|\s{2,})\s*(?:[-•*]\s*)?(?P<label>(?:full\s+|first\s+|family\s+|last\s+|sur)?names?|"
    r"(?:mother|father|child|survivor|caregiver|guardian|spouse|husband|wife|caller|client|victim|detainee|"
    r"beneficiary|applicant|interviewee|respondent)(?:'s|’s)?\s+(?:full\s+)?name|name\s+of\s+(?:the\s+)?\w+|"
    r"child|survivor|client|caller|detainee|guardian|caregiver|foster\s+carer|beneficiary|interviewee|respondent|"
    r"claimant|victim|"
    r"contact\s+person|focal\s+point|head\s+of\s+(?:the\s+)?household|prepared\s+by|reported\s+by|author|"
    r"الاسم(?:\s+(?:الكامل|الثلاثي|الرباعي))?|اسم\s+(?:الأم|الام|الأب|الاب|الطفل|الطفلة|الناجية|المستفيد|المستفيدة|"
    r"الزوج|الزوجة|ولي\s+الأمر|المتصل|المحتجز)|اللقب|ولي\s+الأمر|رب\s+الأسرة|مقدم\s+الرعاية|المتصل)\s*[:：]\s*"
    r"(?P<value>[^|\t;,(،/]+)",
    re.IGNORECASE,
)
_EMPTY_VALUE = re.compile(
    r"^(?:n/?a|none|unknown|withheld|redacted|anonymous|not\s+given|not\s+provided|-+|x+|\.+|غير\s+معروف|لا\s+يوجد)$",
    re.IGNORECASE,
)
_LIST_HEADING = re.compile(
    r"^\s*(?:annex\s*\w*\s*[:.-]?\s*)?(?:list\s+of\s+)?(?:participants?|attendees|attendance|present|"
    r"participant\s+list|attendance\s+list|beneficiar(?:y|ies)(?:\s+list)?|contact\s+(?:list|sheet)|"
    r"focal\s+points?|members|signatures?|names|persons\s+met|people\s+met|staff\s+list|"
    r"قائمة\s+(?:المشاركين|الحضور|المستفيدين|الأسماء|المحتجزين)|المشاركون|المشاركين|الحضور|الحاضرون|المستفيدون|"
    r"المستفيدين|الأسماء|جهات\s+الاتصال|نقاط\s+الاتصال)\b[^\n]{0,40}$",
    re.IGNORECASE,
)
_LIST_ENTRY = re.compile(r"^\s*(?:\(?\d{1,3}[.)-]|\.\d{1,3}(?=\s)|[-•*–·])\s*(?P<rest>.+)$")
_SEGMENT_END = re.compile(r"\s[-–]\s|[,(|\t:;/،]|\s{2,}")
_NAME_HEADER = re.compile(
    r"^(?:full\s+|participant(?:'s)?\s+|beneficiary\s+|staff\s+|contact\s+|child(?:'s)?\s+|detainee\s+)?names?"
    r"(?:\s*\(.*\))?$|^name\s+(?:and|&)\s+surname$|^nom(?:\s+et\s+prénom)?$|^(?:الاسم|الاسم\s+الكامل|الاسم\s+الثلاثي|"
    r"الاسم\s+الرباعي|اسم\s+المستفيد|اسم\s+المشارك|اسم\s+المحتجز|الأسماء)$|"
    r"^(?:first|given|last|family|middle|father'?s?|grandfather'?s?)\s+names?$|^surnames?$|^prénom$|"
    r"^(?:الاسم\s+الأول|اسم\s+الأب|اسم\s+الجد|اللقب|اسم\s+العائلة)$",
    re.IGNORECASE,
)
_TITLE_PREFIX = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof|Eng|Sheikh|Hajj|Haj)\.?\s+|(?:السيد|السيدة|الآنسة|الدكتور|الدكتورة|"
    r"د\.|الأستاذ|الأستاذة|المهندس|المهندسة|الحاج|الحاجة)\s+)",
    re.IGNORECASE,
)


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
    else:
        return None
    cells = [p.strip() for p in parts]
    return cells if sum(bool(c) for c in cells) >= 2 else None


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


_ID_HEADER = re.compile(
    rf"^(?:{_ID_LABEL_EN}|{_ID_LABEL_AR}|id|nid|national\s+id|passport|ref(?:erence)?(?:\s+no\.?)?)$",
    re.IGNORECASE,
)
_PHONE_HEADER = re.compile(
    r"^(?:tel(?:ephone)?|phone(?:\s+(?:no\.?|number))?|mobile(?:\s+(?:no\.?|number))?|whatsapp|contact(?:\s+no\.?)?|"
    r"رقم\s+الهاتف|الهاتف|هاتف|الجوال|رقم\s+الجوال|موبايل)$",
    re.IGNORECASE,
)


_LAT_HEADER = re.compile(r"^(?:lat(?:itude)?|y|خط\s+العرض|العرض)(?:\s*\(.*\))?$", re.IGNORECASE)
_LON_HEADER = re.compile(r"^(?:lon(?:g(?:itude)?)?|lng|x|خط\s+الطول|الطول)(?:\s*\(.*\))?$", re.IGNORECASE)


@dataclass
class _Columns:
    """Cells of table columns whose header says what they hold."""

    ids: list[tuple[int, str, int]] = field(default_factory=list)  # (line, value, offset in line)
    phones: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # line -> [(start, end)]
    coords: list[tuple[int, str, str, int]] = field(default_factory=list)  # (line, lat, lon, offset)


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


def _find_names(name_hits: list[_NameHit]) -> list[Hit]:
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
        out.append(Hit("person_name", h.name, key, h.line, _initials(h.name)))
    return out


# ==============================================================================================================
# Sensitive sites, severe topics
# ==============================================================================================================

_A = "[اأإآ]"
_SITE = re.compile(
    r"\bsafe[\s-]?house\b|"
    r"\b(?:women'?s|women\s+and\s+girls'?|gbv|survivors'?|protection|children'?s|trafficking|anti-trafficking)"
    r"\s+shelter\b(?!s)|\bshelter\s+for\s+(?:women|survivors|girls|children|victims|minors)\b|"
    r"\bdetention\s+(?:centre|center|facility|site|camp|compound)\b(?!s)|\bDCIM\s+(?:centre|center|facility|site)\b|"
    r"\bdisembarkation\s+(?:point|site|port)\b|\bprison\b(?!s)|\bholding\s+(?:facility|centre|center|cell)\b|"
    r"\bcollective\s+(?:centre|center|shelter)\b|\bconnection\s+house\b|\bsafe\s+space\b(?!s)|"
    rf"\b[وفبكل]{{0,2}}دار\s+(?:ال)?{_A}يواء\b|\b[وفبكل]{{0,2}}(?:ال)?(?:بيت|منزل|مأوى|ملجأ)\s+(?:ال)?{_A}من\b|"
    rf"\b[وفبكل]{{0,2}}(?:ال)?مركز\s+(?:ال)?(?:احتجاز|{_A}يواء)\b|\b[وفبكل]{{0,2}}مرفق\s+(?:ال)?احتجاز\b|\b[وفبكل]{{0,2}}نقطة\s+(?:ال)?{_A}نزال\b|"
    r"\b[وفبكل]{0,2}(?:ال)?سجن\b",
    re.IGNORECASE,
)
_SEVERE = re.compile(
    r"\bsurvivors?\b|\balleged\s+perpetrators?\b|\bperpetrators?\b|\brap(?:e|ed|ist|ists)\b|"
    r"\bsexual(?:ly)?\s+(?:violence|assault(?:ed)?|abuse[d]?|exploitation|harassment)\b|"
    r"\bunaccompanied\s+(?:child|children|minor|minors|boy|girl|boys|girls)\b|"
    r"\bseparated\s+(?:child|children|minor|minors|boy|girl|boys|girls)\b|\bforced\s+marriage\b|\bchild\s+marriage\b|"
    r"\bearly\s+marriage\b|\b(?:domestic|intimate\s+partner)\s+violence\b|\bFGM\b|\bfemale\s+genital\s+mutilation\b|"
    r"\bchild\s+abuse\b|\babducted\b|\btrafficked\b|"
    r"\b[وفبكل]{0,2}(?:ال)?ناجي(?:ة|ات|ين|ان)?\b|\b[وفبكل]{0,2}(?:ال)?جاني\b|\b[وفبكل]{0,2}(?:ال)?جناة\b|\b[وفبكل]{0,2}(?:ال)?معتدي\b|\b[وفبكل]{0,2}(?:ال)?معتدى\s+عليها\b|"
    r"\b[وفبكل]{0,2}(?:ال)?اغتصاب\b|\b[وفبكل]{0,2}اغتصبت\b|\b[وفبكل]{0,2}اغتصبها\b|\b[وفبكل]{0,2}تعرضت\s+للاغتصاب\b|\b[وفبكل]{0,2}(?:ال)?عنف\s+(?:ال)?جنسي\b|"
    r"\b[وفبكل]{0,2}(?:ال)?اعتداء\s+(?:ال)?جنسي\b|\b[وفبكل]{0,2}(?:ال)?تحرش\s+(?:ال)?جنسي\b|\b[وفبكل]{0,2}غير\s+(?:ال)?مصحوب(?:ة|ين)?\b|"
    r"\b[وفبكل]{0,2}(?:ال)?زواج\s+(?:ال)?(?:قسري|مبكر)\b|\b[وفبكل]{0,2}زواج\s+الأطفال\b|\b[وفبكل]{0,2}(?:ال)?عنف\s+(?:ال)?أسري\b|\b[وفبكل]{0,2}ختان\s+الإناث\b",
    re.IGNORECASE,
)
_SEVERE_LABEL = re.compile(
    r"(?:^|[|\t])\s*(?:[-•*]\s*)?(?:alleged\s+perpetrator|perpetrator|survivor(?:'s)?(?:\s+(?:code|id|name|age))?|"
    r"case\s+(?:number|no\.?|id|code)|type\s+of\s+(?:incident|violence)|incident\s+type|"
    r"(?:ال)?جاني|المعتدي(?:\s+المزعوم)?|الناجية|رقم\s+الحالة|نوع\s+الحادثة|نوع\s+العنف)\s*[:：]",
    re.IGNORECASE,
)
_AGE = re.compile(
    r"\baged?\s*[:=]?\s*\d{1,2}\b(?!\s*[-–]\s*\d)|\b\d{1,2}[- ]years?[- ]old\b|\b\d{1,2}\s*(?:yo|y/o|yrs)\b|"
    r"\((?:[MF]|male|female|boy|girl)\s*,\s*\d{1,2}\)|\b(?:date\s+of\s+birth|DOB)\b|"
    r"(?:عمر(?:ه|ها)|البالغ(?:ة)?\s+من\s+العمر|تبلغ\s+من\s+العمر|يبلغ\s+من\s+العمر|تاريخ\s+الميلاد)|"
    r"\b\d{1,2}\s*(?:سنة|عاما|عامًا|سنوات)",
    re.IGNORECASE,
)
_SEVERE_WINDOW = 3


def _keyword_example(word: str) -> str:
    return re.sub(r"\s+", " ", word.strip()).lower() if word.isascii() else re.sub(r"\s+", " ", word.strip())


def _find_sites(doc: _Doc) -> list[Hit]:
    hits = []
    for n, m in enumerate(_SITE.finditer(doc.text)):
        word = m.group().strip()
        hits.append(Hit("sensitive_site", word, f"{n}", doc.line_of(m.start() + 1), _keyword_example(word)))
    return hits


def _find_severe(doc: _Doc, detail_lines: set[int]) -> list[Hit]:
    mentions = [(doc.line_of(m.start()), m.group()) for m in _SEVERE.finditer(doc.text)]
    if not mentions:
        return []
    details = set(detail_lines)
    for li, line in enumerate(doc.lines):
        if _AGE.search(line):
            details.add(li)
    labelled = any(_SEVERE_LABEL.search(line) for line in doc.lines)
    near = any(any(abs(li - d) <= _SEVERE_WINDOW for d in details) for li, _ in mentions)
    if not (labelled or near):
        return []
    return [Hit("severe_topic", w, f"{n}", li, _keyword_example(w)) for n, (li, w) in enumerate(mentions)]


# ==============================================================================================================
# Small counts
# ==============================================================================================================

_PEOPLE = re.compile(
    r"\b(?:persons?|people|individuals?|cases?|survivors?|child(?:ren)?|boys?|girls?|women|men|males?|females?|"
    r"households?|HHs?|detainees?|migrants?|refugees?|asylum[- ]seekers?|IDPs?|returnees?|victims?|beneficiaries|"
    r"deaths?|dead|injured|killed|missing|arrests?|arrested|minors?|UASC|elderly|adults?|patients?|students?|"
    r"incidents?)\b|أشخاص|أفراد|افراد|حالات|الحالات|أطفال|الأطفال|نساء|النساء|رجال|فتيات|فتيان|ذكور|إناث|اناث|أسر|"
    r"الأسر|محتجز|مهاجر|لاجئ|نازح|ناجي|ضحايا|العدد",
    re.IGNORECASE,
)
_SEX = re.compile(
    r"^(?:m|f|male|female|males|females|men|women|boys?|girls?|man|woman|ذكر|أنثى|انثى|ذكور|إناث|اناث|رجال|نساء|"
    r"فتيان|فتيات|أولاد|بنات)$",
    re.IGNORECASE,
)
_AGEBAND = re.compile(
    r"^(?:\d{1,2}\s*[-–]\s*\d{1,2}(?:\s*(?:years?|yrs|y|سنة))?|\d{1,2}\s*\+|[<>≤≥]\s*\d{1,2}|under\s+\d{1,2}|"
    r"over\s+\d{1,2}|adults?|children|elderly|minors?|أطفال|بالغون|بالغين|كبار\s+السن|\d{1,2}\s*-\s*\d{1,2}\s*سنة)$",
    re.IGNORECASE,
)
_NON_COUNT_HEADER = re.compile(
    r"^(?:no\.?|#|n°|s/?n|sr\.?|م|ت|الرقم|الترتيب)$|\b(?:severity|score|rank(?:ing)?|priority|phase|levels?|scale|"
    r"round|index|years?|months?|weeks?|page|codes?|p-?codes?|id|age|size|dob|quarter|grade|floor|ipc)\b|"
    r"الشدة|الأولوية|المرحلة|السنة|العمر|الرمز|أفراد\s+الأسرة|افراد\s+الاسرة|حجم\s+الأسرة",
    re.IGNORECASE,
)
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
                hits.append(Hit("small_count", cell, f"{li}:{j}", li, ""))
    return hits


def _small_example(hits: list[Hit]) -> str:
    return f"{len(hits)} cell{'s' if len(hits) != 1 else ''} under 5"


# ==============================================================================================================
# Public entry points
# ==============================================================================================================


def detect(text: str) -> list[Hit]:
    """Every detected value with its raw text. For measurement and tests only: never store or show the values."""
    doc = _Doc(text or "")
    tables = _tables(doc)
    name_hits, columns = _names_and_columns(doc, tables)
    phones = _find_phones(doc, columns.phones)
    emails = _find_emails(doc)
    coords = _find_coordinates(doc, columns.coords)
    # ids are not taken from inside phone numbers, coordinates or e-mail addresses
    taken = [h.span for h in (*phones, *coords) if h.span[0] >= 0]
    taken += [m.span() for m in _EMAIL.finditer(doc.text)]
    ids = _find_ids(doc, taken, columns.ids)
    names = _find_names(name_hits)
    detail_lines = {h.line for h in (*phones, *ids, *names)}
    sites = _find_sites(doc)
    severe = _find_severe(doc, detail_lines)
    small = _find_small_counts(doc, tables)
    return [*names, *phones, *emails, *ids, *coords, *sites, *severe, *small]


def _where(doc_labels: list[str], hits: Iterable[Hit]) -> tuple[str, ...]:
    out: list[str] = []
    for h in sorted(hits, key=lambda h: h.line):
        label = doc_labels[h.line]
        if label not in out:
            out.append(label)
        if len(out) >= MAX_WHERE:
            break
    return tuple(out)


def findings_from_hits(text: str, hits: Sequence[Hit]) -> list[Finding]:
    """Group hits into findings (one per kind, in :data:`KINDS` order)."""
    doc = _Doc(text or "")
    findings = []
    for kind in KINDS:
        kind_hits = [h for h in hits if h.kind == kind]
        if not kind_hits:
            continue
        if kind == "small_count":
            count = len(kind_hits)
            example = _small_example(kind_hits)
        elif kind in ("sensitive_site", "severe_topic"):
            count = len(kind_hits)
            example = kind_hits[0].example
        else:
            count = len({h.key for h in kind_hits})
            example = kind_hits[0].example
        findings.append(Finding(kind, count, _where(doc.labels, kind_hits), example))
    return findings


def scan_text(text: str) -> list[Finding]:
    """Scan extracted text; one :class:`Finding` per kind found (none for clean text)."""
    return findings_from_hits(text, detect(text))


def findings_json(findings: Iterable[Finding]) -> list[dict]:
    """The findings as JSON-ready dicts ``{"kind", "count", "where", "example"}`` (the ``detected`` field)."""
    return [{"kind": f.kind, "count": f.count, "where": list(f.where), "example": f.example} for f in findings]


def canonical_id(value: str) -> str:
    """Canonical form of an identity or case number (digits normalised, upper case, no spaces)."""
    return _id_key(prepare(value).strip())
