"""Text analysis for English and Arabic, used at index and at query time.

Whoosh pickles the analyzer into the index, so every filter here is module-level, importable code.

* The tokenizer keeps Arabic combining marks inside words (Python's ``\\w`` does not match them, so Whoosh's
  default tokenizer splits a diacritised word into letters and drops it).
* :class:`ArabicNormalizeFilter` folds the spelling variants that Arabic writers use interchangeably: harakat and
  tatweel removed; أ إ آ ٱ → ا; ى → ي; ة → ه; ؤ → و; ئ → ي.
* English words are stemmed (Porter); Arabic words are left as normalised surface forms.
"""

from __future__ import annotations

import re
import unicodedata

from whoosh.analysis import Filter
from whoosh.analysis import LowercaseFilter
from whoosh.analysis import RegexTokenizer
from whoosh.analysis import StemFilter
from whoosh.analysis import StopFilter
from whoosh.lang.porter import stem as porter_stem

TOKEN_PATTERN = r"[\w\u064B-\u065F\u0670]+(?:[.'’][\w\u064B-\u065F\u0670]+)*"  # noqa: S105 - a regular expression, not a secret

_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_ARABIC_FOLD = str.maketrans(
    {
        "\u0623": "\u0627",  # أ
        "\u0625": "\u0627",  # إ
        "\u0622": "\u0627",  # آ
        "\u0671": "\u0627",  # ٱ
        "\u0649": "\u064a",  # ى → ي
        "\u0629": "\u0647",  # ة → ه
        "\u0624": "\u0648",  # ؤ → و
        "\u0626": "\u064a",  # ئ → ي
    }
)
_ARABIC_CHAR = re.compile("[\u0600-\u06ff]")


def normalize_arabic(text: str) -> str:
    """Fold Arabic spelling variants (see module docstring); other scripts pass through unchanged."""
    return _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD)


def normalize_word(text: str) -> str:
    """Lowercase, NFKC and Arabic folding: the key used to compare single words and aliases."""
    return normalize_arabic(unicodedata.normalize("NFKC", text).lower())


class ArabicNormalizeFilter(Filter):
    """Apply :func:`normalize_arabic` to every token."""

    def __call__(self, tokens):  # noqa: D102 - whoosh filter protocol
        for t in tokens:
            t.text = normalize_arabic(t.text)
            if t.text:
                yield t


def stem_word(word: str) -> str:
    """Stem Latin-script words (Porter); leave Arabic and other scripts alone."""
    if _ARABIC_CHAR.search(word):
        return word
    return porter_stem(word)


def text_analyzer():
    """The analyzer of the full-text fields (title, summary, body)."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | ArabicNormalizeFilter()
        | StopFilter(minsize=1)
        | StemFilter(stemfn=stem_word, cachesize=50000)
    )


_LATIN_CHAR = re.compile("[A-Za-z\u00c0-\u024f]")


def detect_language(text: str) -> str:
    """``ar`` when Arabic letters dominate the sample, ``en`` otherwise (a cheap script count, not a model)."""
    sample = text[:20000]
    arabic = len(_ARABIC_CHAR.findall(sample))
    latin = len(_LATIN_CHAR.findall(sample))
    if arabic == 0 and latin == 0:
        return "und"
    return "ar" if arabic >= latin else "en"
