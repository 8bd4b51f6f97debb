"""What every part of the scan shares: the kinds, :class:`Finding` and :class:`Hit`, text preparation, masking."""

from __future__ import annotations

import bisect
import re
import unicodedata
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
