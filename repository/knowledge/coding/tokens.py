"""Tokens of a text and the keys words are compared on (normalised, plural dropped, stemmed)."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

from indexer.analysis import normalize_word
from indexer.analysis import stem_word

# Names that are also ordinary words: never matched on their own (normalised forms).
_GENERIC_NAMES = frozenset(
    normalize_word(w)
    for w in ("east", "west", "south", "الشرق", "الغرب", "الجنوب", "الواحات", "الشاطئ", "tamim", "التأميم")
)
_LATIN_ARTICLES = frozenset({"al", "el", "as", "ash", "az", "ad", "an", "ar", "at", "aj"})
_AR_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "فك")
_AR_SHORT_PREFIXES = ("", "و", "ب", "وب")  # for names of three letters or fewer (ل + غات is لغات, "languages")

_WORD = re.compile("(?:[^\\W_]|[\u064b-\u065f\u0670\u0640])+")
_ARABIC = re.compile("[\u0600-\u06ff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_UPPER = re.compile("[A-Z\u00c0-\u00de]")


@functools.lru_cache(maxsize=65536)
def _bare(word: str) -> str:
    """:func:`normalize_word` with Latin accents dropped."""
    key = normalize_word(word)
    if not _ARABIC.search(key):
        key = "".join(ch for ch in unicodedata.normalize("NFKD", key) if not unicodedata.combining(ch))
    return key


@functools.lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    """The key names are compared on: :func:`_bare`, and an English plural s dropped."""
    key = _bare(word)
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss") and not _ARABIC.search(key):
        key = key[:-1]
    return key


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """The key topic cues are compared on: :func:`_bare`, then the search stemmer (Porter / light Arabic)."""
    return stem_word(_bare(word))


# Single words that are aliases of a sector, theme or population but too common to count as a cue on their own
# (they still work for search): "access to services", "find solutions", "recovery of costs".
_GENERIC_TOPIC_WORDS = frozenset(
    _fold(w)
    for w in (
        *("access", "solutions", "employment", "jobs", "recovery", "remedies", "accessibility"),
        *("protection", "الحماية"),  # in a protection repository nearly every text says it
    )
)


def _is_acronym(word: str) -> bool:
    return len(_UPPER.findall(word)) >= 2


class _Token(NamedTuple):  # a tuple: a report has thousands of them, made much faster than dataclass instances
    key: str
    stem: str
    raw: str
    start: int
    end: int
    line: int
    first_in_line: bool


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    append = out.append
    line = 0
    line_start = 0
    pos = 0
    prev_line = -1
    numbering = True  # only numbering tokens seen so far on this line
    keys: dict[str, tuple[str, str, bool]] = {}  # raw word -> (fold, stem, keeps a line "numbering")
    count = text.count
    for m in _WORD.finditer(text):
        start = m.start()
        newlines = count("\n", pos, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", 0, start) + 1
        pos = start
        raw = m.group()
        known = keys.get(raw)
        if known is None:
            numbers = raw.isdigit() or len(raw) <= 2 and raw.isalpha() and raw.isascii()
            known = keys[raw] = (_fold(raw), _stem(raw), numbers)
        if line != prev_line:
            numbering = True
            prev_line = line
        first = numbering and not text[line_start:start].strip(" \t-•·*–—.)(0123456789ivxabcdefgh:")
        append(_Token(known[0], known[1], raw, start, m.end(), line, first))
        if not known[2]:
            numbering = False
    return out


def _arabic_variants(key: str, *, allow_article: bool = True) -> set[str]:
    """The written forms of an Arabic word with the prefixes it may carry (و ف ب ل ك, ال)."""
    if len(key) <= 3:
        return {p + key for p in _AR_SHORT_PREFIXES}
    forms: set[str] = set()
    if key.startswith("ال"):
        lam_form = "ل" + key[2:] if key.startswith("الل") else "ل" + key[1:]
        forms.update(p + key for p in _AR_PREFIXES if not p.endswith("ل"))
        forms.update(p + lam_form for p in ("", "و", "ف"))
    else:
        forms.update(p + key for p in _AR_PREFIXES)
        if allow_article:
            forms.update(p + "ال" + key for p in _AR_PREFIXES if not p.endswith("ل"))
            forms.update(p + "لل" + key for p in ("", "و", "ف"))
    return forms
