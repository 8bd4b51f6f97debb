"""Arabic text that came out of a PDF in visual (reversed) order: detect it and put it back in logical order.

Some PDF text extractors (pdfminer.six among them) return right-to-left text in the order the glyphs are drawn,
left to right: "في سبها" comes out as "اهبس يف". The text is then useless for search. This module is pure (no
I/O, standard library only).

Detection (:func:`looks_reversed`) counts, over the Arabic words of the text, the marks of logical order against
their mirror images:

* the article: logical words start with ال, reversed ones end with لا;
* taa marbuta (ة) and alef maqsura (ى) end a logical word and never start one; reversed words start with them;
* frequent short words: في من على إلى عن ... against their reversals يف نم ىلع ىلإ نع ...

Repair (:func:`repair_reversed`) works line by line (a PDF line is one visual line):

* a line where Arabic letters dominate is a right-to-left line: its characters are reversed, except runs of
  Latin letters and digits (with the punctuation inside them, "11/06/2018", "UNHCR IOM"), which the extractor
  already gives left to right and which are moved as blocks;
* in a line where Latin letters dominate, each Arabic stretch (Arabic words and the spaces between them) is
  reversed in place.

Lam-alef ligatures: a PDF draws لا (and لأ لإ لآ) as one glyph, and extractors give that glyph's two letters in
logical order inside the reversed text, so reversing character by character would turn السلام into السالم. The
two letters are kept together when the visual context says the pair is a ligature: it is followed (to its left)
by another alef (the article before an alef-initial word: الإغاثة, الاحتجاز), it is followed by a final ل
(ل + article: للاجئين), or it is the word لا on its own. Other ligatures inside a word cannot be told from an
alef-lam pair without a dictionary and are reversed as letters; this is a known limit. Text where the ligature is
a presentation-form character (U+FEF5-U+FEFC) is not affected. Repair before NFKC normalisation when possible.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ensure_logical_order", "looks_reversed", "repair_reversed"]

_ARABIC_LETTER_CLASS = "\u0621-\u064a\u0671-\u06d3\u06d5\u06fa-\u06ff\ufb50-\ufdff\ufe70-\ufefc"
_ARABIC_MARK_CLASS = "\u064b-\u065f\u0670\u0640"
_ARABIC_LETTER = re.compile(f"[{_ARABIC_LETTER_CLASS}]")
_ARABIC_WORD = re.compile(f"[{_ARABIC_LETTER_CLASS}{_ARABIC_MARK_CLASS}]+")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
_MARKS = re.compile(f"[{_ARABIC_MARK_CLASS}]")

# A left-to-right run inside a right-to-left line: Latin letters and digits (ASCII, Arabic-Indic, extended
# Arabic-Indic), with the punctuation and spaces that join them.
_LTR_CHAR = "A-Za-z0-9\u00c0-\u024f\u0660-\u0669\u06f0-\u06f9"
_LTR_RUN = re.compile(f"[{_LTR_CHAR}]+(?:[ .,:/\\-\u2013_'\u2019@&%+#]+[{_LTR_CHAR}]+)*")
# An Arabic stretch inside a left-to-right line: Arabic words and the spaces or Arabic punctuation between them.
_ARABIC_STRETCH = re.compile(
    f"[{_ARABIC_LETTER_CLASS}{_ARABIC_MARK_CLASS}]+(?:[ \t\u060c\u061b]+[{_ARABIC_LETTER_CLASS}{_ARABIC_MARK_CLASS}]+)*"
)

_LAM = "\u0644"
_ALEFS = frozenset("\u0627\u0623\u0625\u0622")  # ا أ إ آ

# Visual letters to the left of a lam-alef pair that make it the start of a logical word (see _is_ligature).
_LAM_ALEF_WORD_STARTS = frozenset(
    {"\u0644", "\u0644\u0648", "\u0644\u0641"}  # ل, لو, لف (visual order)
    | {"\u0644\u0627" + p for p in ("", "\u0648", "\u0641", "\u0628", "\u0643")}  # لا, لاو, لاف, لاب, لاك
)

_COMMON_WORDS = ("في", "من", "على", "إلى", "عن", "أن", "هذا", "هذه", "التي", "الذي", "الذين", "كما", "ذلك")
_LOGICAL_WORDS = frozenset(_COMMON_WORDS)
_REVERSED_WORDS = frozenset(w[::-1] for w in _COMMON_WORDS)
_WORD_END_ONLY = frozenset("\u0629\u0649")  # ة ى

#: The fewest reversal marks needed before a text is called reversed.
MIN_EVIDENCE = 3


def _arabic_words(text: str) -> list[str]:
    """The Arabic words of ``text``, harakat and tatweel removed (presentation forms left as they are)."""
    return [w for w in (_MARKS.sub("", m) for m in _ARABIC_WORD.findall(text)) if w]


def _order_evidence(text: str) -> tuple[int, int]:
    """``(logical, reversed)``: how many words bear a mark of logical order and of visual order."""
    logical = reverse = 0
    for raw in _arabic_words(text):
        word = unicodedata.normalize("NFKC", raw)
        if word in _LOGICAL_WORDS:
            logical += 1
            continue
        if word in _REVERSED_WORDS:
            reverse += 1
            continue
        if len(word) >= 4 and word.startswith("\u0627\u0644"):  # ال...
            logical += 1
        elif len(word) >= 4 and word.endswith("\u0644\u0627"):  # ...لا
            reverse += 1
        if len(word) >= 2 and word[-1] in _WORD_END_ONLY:
            logical += 1
        elif len(word) >= 2 and word[0] in _WORD_END_ONLY:
            reverse += 1
    return logical, reverse


def looks_reversed(text: str) -> bool:
    """Whether the Arabic in ``text`` is in visual (reversed) order.

    True only with at least :data:`MIN_EVIDENCE` marks of reversal and more than twice as many of them as marks
    of logical order; text without Arabic, or with too little of it to tell, is not reversed.
    """
    logical, reverse = _order_evidence(text)
    return reverse >= MIN_EVIDENCE and reverse > 2 * logical


def _is_ligature(s: str, i: int) -> bool:
    """Whether the visual pair ``s[i:i+2]`` (ل + an alef) is a lam-alef ligature given in logical order."""
    start = i
    while start > 0 and _ARABIC_LETTER.match(s[start - 1]):
        start -= 1
    end = i + 2
    while end < len(s) and _ARABIC_LETTER.match(s[end]):
        end += 1
    after = s[i + 2 : end]  # visual: the letters to the left of the pair, i.e. logically before it
    if after[:1] in _ALEFS:
        return True  # an alef never follows an alef: the article before an alef-initial word
    if start == i and end == i + 2:
        return s[i + 1] == "\u0627"  # the word لا on its own
    if i == start + 1 and s[start] == _LAM:
        return True  # a word ending in لال (خلال, احتلال): logical words do not end in الل
    # The pair begins the word after ل or after the article, maybe behind a conjunction or preposition:
    # للاجئين, وللاجئين, اللاجئين, واللاجئين, باللاجئين.
    return after in _LAM_ALEF_WORD_STARTS


def _units(s: str, *, ltr_blocks: bool) -> list[str]:
    """Split ``s`` into the pieces that move as one when the order is reversed."""
    units: list[str] = []
    i = 0
    while i < len(s):
        if ltr_blocks:
            m = _LTR_RUN.match(s, i)
            if m:
                units.append(m.group())
                i = m.end()
                continue
        if s[i] == _LAM and i + 1 < len(s) and s[i + 1] in _ALEFS and _is_ligature(s, i):
            units.append(s[i : i + 2])
            i += 2
            continue
        units.append(s[i])
        i += 1
    return units


def _reverse(s: str, *, ltr_blocks: bool) -> str:
    return "".join(reversed(_units(s, ltr_blocks=ltr_blocks)))


def _repair_line(line: str) -> str:
    arabic = len(_ARABIC_LETTER.findall(line))
    if not arabic:
        return line
    if arabic >= len(_LATIN_LETTER.findall(line)):
        # A right-to-left line: keep the leading/trailing white space where it is.
        stripped = line.strip()
        if not stripped:
            return line
        left = line[: len(line) - len(line.lstrip())]
        right = line[len(line.rstrip()) :]
        return left + _reverse(stripped, ltr_blocks=True) + right
    return _ARABIC_STRETCH.sub(lambda m: _reverse(m.group(), ltr_blocks=False), line)


def repair_reversed(text: str) -> str:
    """Put visually ordered Arabic back in logical order, line by line (see the module docstring).

    Every line with Arabic letters is changed: call it only on text that :func:`looks_reversed`, or use
    :func:`ensure_logical_order`. Lines without Arabic are returned unchanged.
    """
    return "".join(_repair_line(line) for line in text.splitlines(keepends=True))


def ensure_logical_order(text: str) -> tuple[str, bool]:
    """``(text in logical order, whether it was repaired)``: :func:`repair_reversed` when :func:`looks_reversed`."""
    if looks_reversed(text):
        return repair_reversed(text), True
    return text, False
