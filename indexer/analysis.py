"""Text analysis for English and Arabic, used at index and at query time.

Whoosh pickles the analyzer into the index, so every filter here is module-level, importable code.

* The tokenizer keeps Arabic combining marks inside words (Python's ``\\w`` does not match them, so Whoosh's
  default tokenizer splits a diacritised word into letters and drops it).
* :class:`ArabicNormalizeFilter` folds the spelling variants that Arabic writers use interchangeably: harakat and
  tatweel removed; أ إ آ ٱ → ا; ى → ي; ة → ه; ؤ → و; ئ → ي.
* :class:`StopFilter` drops English stop words and a short list of Arabic function words (normalised forms).
* :func:`stem_word` stems Latin-script words with Porter and Arabic-script words with the light Arabic Snowball
  stemmer (``snowballstemmer``), applied to the *normalised* word, so that spelling variants give one stem
  (النازحين/نازحين → نازح, المدرسة/مدرسه → مدرس). A few pre- and post-rules around the Snowball stemmer make it
  agree with itself on the folded spelling (see :func:`stem_arabic`).

The same analyzer runs at query time: Whoosh's ``QueryParser`` analyses each query word with the field's analyzer,
so a query written with or without hamza, harakat, tatweel or taa marbuta gives the same terms as the document.
Changing anything here changes the indexed terms: bump ``SCHEMA_VERSION`` in :mod:`indexer.index`.
"""

from __future__ import annotations

import re
import threading
import unicodedata

import snowballstemmer
from whoosh.analysis import STOP_WORDS
from whoosh.analysis import Filter
from whoosh.analysis import LowercaseFilter
from whoosh.analysis import RegexTokenizer
from whoosh.analysis import StemFilter
from whoosh.analysis import StopFilter
from whoosh.analysis import Token
from whoosh.analysis import Tokenizer
from whoosh.lang.porter import stem as porter_stem

__all__ = [
    "ARABIC_STOP_WORDS",
    "TOKEN_PATTERN",
    "ArabicNormalizeFilter",
    "detect_language",
    "fold_lam_alef",
    "normalize_arabic",
    "normalize_word",
    "reference_analyzer",
    "repair_lam_alef",
    "stem_arabic",
    "stem_word",
    "text_analyzer",
]

TOKEN_PATTERN = r"[\w\u064B-\u065F\u0670]+(?:[.'’][\w\u064B-\u065F\u0670]+)*"  # noqa: S105 - a regex, not a secret  # nosec B105

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


#: After folding, a word that starts (after an optional و ف ب ك) with "اال" is an article followed by an alef-initial
#: word whose lam-alef ligature (لا / لأ) came out of a PDF as "ال" / "أل" (PDFium on fpdf2/HarfBuzz output, and
#: other producers): الاجتماع → "االجتماع", الأسر → "األسر". No Arabic word starts with two alefs, so the order is
#: put back. Mid-word ligatures (سالم / سلام) are ambiguous and left alone.
_BROKEN_LAM_ALEF = re.compile("^([\u0648\u0641\u0628\u0643]?)\u0627\u0627\u0644")


def repair_lam_alef(word: str) -> str:
    """Undo the swapped lam-alef ligature after an article in a folded word (see :data:`_BROKEN_LAM_ALEF`)."""
    return _BROKEN_LAM_ALEF.sub("\\1\u0627\u0644\u0627", word)


class ArabicNormalizeFilter(Filter):
    """Apply :func:`normalize_arabic` (and :func:`repair_lam_alef`) to every token."""

    def __call__(self, tokens):  # noqa: D102 - whoosh filter protocol
        for t in tokens:
            t.text = repair_lam_alef(normalize_arabic(t.text))
            if t.text:
                yield t


#: Arabic function words, in normalised spelling (see :func:`normalize_arabic`). Kept short on purpose: "على"
#: is left out because it folds to the name "علي".
ARABIC_STOP_WORDS = frozenset(
    normalize_arabic(w)
    for w in (
        "في", "من", "إلى", "عن", "مع", "أن", "إن", "أو", "ثم", "أم", "لا", "لم", "لن", "ما", "قد", "هذا", "هذه",
        "ذلك", "تلك", "التي", "الذي", "الذين", "هو", "هي", "هم", "كان", "كانت", "تم", "بين", "كما", "كل", "و",
    )
)  # fmt: skip

_AR_THREAD = threading.local()


def _arabic_stemmer():
    """The Snowball Arabic stemmer of this thread (its instances keep state while stemming: not thread-safe)."""
    stemmer = getattr(_AR_THREAD, "stemmer", None)
    if stemmer is None:
        stemmer = _AR_THREAD.stemmer = snowballstemmer.stemmer("arabic")
    return stemmer


#: Letters Arabic writes onto the next word: the conjunctions و and ف, the prepositions ب, ل and ك.
_PROCLITICS = frozenset("\u0648\u0641\u0628\u0644\u0643")
#: A proclitic is removed only when at least this many letters are left (shorter words are mostly roots: وقت, بلد).
_MIN_STEM_LETTERS = 4
#: Words whose first letter looks like a proclitic but belongs to the word, kept whole (normalised spelling): place
#: names of the gazetteers and frequent words of protection reporting. Without this they would still be found
#: (every form is stripped the same way) but could meet an unrelated word (بطاقة, a card, and طاقة, energy).
_KEEP_WHOLE = frozenset(
    normalize_arabic(w)
    for w in (
        "ليبيا", "بنغازي", "بني", "بنت", "وادي", "الكفرة", "فزان", "لبنان", "بغداد", "بابل", "واسط",
        "كركوك", "كربلاء", "بيجي", "فلسطين", "بيروت", "كلكلة",
        "بطاقة", "بطاقات", "بيانات", "بلدية", "بلديات", "ولاية", "وزارة", "وزير", "وكالة", "وثيقة", "وثائق",
        "وحدة", "وضع", "وصول", "وفاة", "وفيات", "ولادة", "لجنة", "لجان", "لاجئ", "لاجئين", "لاجئون", "لاجئة",
        "كهرباء", "كفالة", "فريق", "فرق", "فتاة", "فتيات", "بيئة", "بناء", "بيت", "بيوت", "كتاب", "كتابة",
        "فرصة", "فرص", "لغة", "لقاء", "بلاغ", "بلاغات", "ورشة", "وسائل", "وظيفة", "وظائف", "ولي", "والد",
        "والدة", "والدين", "بالغ", "بالغين", "كبار", "كبير", "فقر", "فقراء", "بطالة", "بحث", "برنامج", "برامج",
    )
)
#: Short names and first words of place names found behind a proclitic although fewer than
#: :data:`_MIN_STEM_LETTERS` letters are left (وسرت, لأبو سليم, وتل عفر; tests/test_arabic.py checks the gazetteer).
_SHORT_NAMES = frozenset(
    normalize_arabic(w)
    for w in ("سرت", "غات", "هون", "أبو", "تل", "جبل", "ذي", "سوق", "شرق", "غرب", "عين", "بني", "بنت", "راس", "رأس")
)


def _short_name_behind(rest: str) -> bool:
    """Whether ``rest`` is a short name, or one behind one more proclitic (وبتل → بتل → تل)."""
    return rest in _SHORT_NAMES or (len(rest) > 1 and rest[0] in _PROCLITICS and rest[1:] in _SHORT_NAMES)


def strip_proclitics(word: str) -> str:
    """``word`` (normalised spelling) without the conjunctions, prepositions and article written onto it:
    وبنغازي → بنغازي, لمصراتة → مصراتة, وللنازحين → نازحين, والوزارة → وزارة. Removal goes letter by letter from
    the front while at least :data:`_MIN_STEM_LETTERS` letters are left, so every prefixed form of a word reduces
    to what the bare word reduces to; it stops at a word of :data:`_KEEP_WHOLE`; then one article goes.
    """
    w = word
    while len(w) > 1 and w[0] in _PROCLITICS and w not in _KEEP_WHOLE:
        rest = w[1:]
        if len(rest) < _MIN_STEM_LETTERS and not _short_name_behind(rest):
            break
        if w[0] == "\u0644" and rest.startswith("\u0644") and rest not in _KEEP_WHOLE and len(rest) > 2:
            rest = "\u0627" + rest  # لل: "for the", whose alef the script drops (للنازحين → النازحين)
        w = rest
    if w.startswith("\u0627\u0644") and len(w) - 2 >= 3:  # the article, so that Snowball sees the bare word
        w = w[2:]
    return w


def stem_arabic(word: str) -> str:
    """Light stem of one Arabic word given in normalised spelling (:func:`normalize_arabic` output).

    Snowball's Arabic stemmer expects standard spelling, so around it:

    * a final ه is given back its taa marbuta (ة) before stemming, so that the feminine ending is removed whether
      the writer used ة or ه (the two are folded, so a pronoun ه is treated the same way: consistent, slightly
      aggressive);
    * the conjunctions and prepositions written onto the word are removed first (:func:`strip_proclitics`), the
      same way for every form of the word, which Snowball does only for some forms and lengths;
    * after stemming, the stem is folded again, and one trailing ي or ا left over by Snowball's noun suffix rules
      on stems of four letters or more is removed (لاجئين → لاجي → لاج, like اللاجئين);
    * a five-letter stem of the broken plural pattern mafa'il (م?ا??) loses its alef, so that it meets its
      singular (مراكز → مركز, مدارس → مدرس: مدرسة; مناطق → منطق: منطقة);
    * lam and alef are put in one order (:func:`fold_lam_alef`), so that words whose lam-alef ligature a PDF text
      layer decomposed in the wrong order (حاالت, إغالق, صالح الدين) meet the words as written.
    """
    w = strip_proclitics(normalize_arabic(word))
    if len(w) >= 3 and w.endswith("\u0647"):
        w = w[:-1] + "\u0629"
    stem = normalize_arabic(_arabic_stemmer().stemWord(w)) or w
    if len(stem) >= 4 and stem[-1] in "\u064a\u0627":
        stem = stem[:-1]
    if len(stem) == 5 and stem[0] == "\u0645" and stem[2] == "\u0627":
        stem = stem[:2] + stem[3:]  # the broken plural mafa'il: مراكز → مركز, مدارس → مدرس, مناطق → منطق
    return fold_lam_alef(stem)


#: A run of alefs and lams inside a stem (folded spelling): where a PDF text layer may have swapped a lam-alef.
_LAM_ALEF_RUN = re.compile("[\u0627\u0644]{2,}")


def _alefs_first(match: re.Match) -> str:
    run = match.group(0)
    lams = run.count("\u0644")
    return ("\u0627" if lams < len(run) else "") + "\u0644" * lams


def fold_lam_alef(stem: str) -> str:
    """One spelling for a stem whatever order its lam-alef ligatures came in: in every run of alefs and lams the
    alef goes first, once (حالات → حال and the PDF's "حاالت" → "حاال" → حال; صلاح and "صالح" → صالح; لاج → الج).

    PDF text layers (PDFium on HarfBuzz-shaped text, and other producers) give the ligature لا as "ال" wherever
    it is in a word: خلال → "خالل", إغلاق → "إغالق", اللاجئين → "الالجئين". Which order is right cannot be told
    without a dictionary, so both orders are made one term, at index and query time alike; the price is that a
    few pairs of words that differ only by that order meet (سلام peace and سالم the name, علاج and عالج).
    """
    return _LAM_ALEF_RUN.sub(_alefs_first, stem)


def stem_word(word: str) -> str:
    """Stem one (lowercased, normalised) token: Arabic script with :func:`stem_arabic`, anything else with Porter."""
    if _ARABIC_CHAR.search(word):
        return stem_arabic(word)
    return porter_stem(word)


_STOP_WORDS = STOP_WORDS | ARABIC_STOP_WORDS


def reference_analyzer():
    """The analysis written as a chain of Whoosh filters, one generator per step and token. It defines what
    :class:`TextAnalyzer` must produce (tests compare the two), and is too slow to index with."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | ArabicNormalizeFilter()
        | StopFilter(stoplist=_STOP_WORDS, minsize=1)
        | StemFilter(stemfn=stem_word, cachesize=50000)
    )


#: What one word becomes: dropped (nothing left after folding), a stop word (kept only when stops are not
#: removed, unstemmed), or a term.
_DROP, _STOP, _TERM = 0, 1, 2
#: Words remembered per analyzer before the memory is cleared (a long tail of rare words must not grow it forever).
_MEMO_SIZE = 200_000


class TextAnalyzer(Tokenizer):
    """The analyzer of the full-text fields, in one pass: the tokens of :func:`reference_analyzer`, same texts,
    positions (stop words removed and the rest renumbered, as ``StopFilter`` does) and character offsets.

    Each distinct word is analysed once and remembered (lowercase, Arabic folding and lam-alef repair, stop
    list, stemming are functions of the word alone), so a report of a thousand words costs a regular expression
    pass and a thousand dictionary look-ups instead of five nested generators per token. Indexing, query parsing
    and snippets all use it.
    """

    def __init__(self) -> None:
        self._setup()

    def _setup(self) -> None:
        self.expression = re.compile(TOKEN_PATTERN)
        self._memo: dict[str, tuple[int, str]] = {}

    # Whoosh pickles the schema with its analyzers: keep the memory out of the index's table of contents.
    def __getstate__(self):
        return {}

    def __setstate__(self, _state) -> None:
        self._setup()

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __hash__(self):
        return hash(self.__class__)

    def _word(self, word: str) -> tuple[int, str]:
        folded = repair_lam_alef(normalize_arabic(word.lower()))
        if not folded:
            result = (_DROP, "")
        elif folded in _STOP_WORDS:
            result = (_STOP, folded)
        else:
            result = (_TERM, stem_word(folded))
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        self._memo[word] = result
        return result

    def term(self, word: str) -> str | None:
        """The term one word (a whole token) becomes, or ``None`` for a stop word or nothing."""
        kind, text = self._memo.get(word) or self._word(word)
        return text if kind == _TERM else None

    def __call__(  # noqa: D102 - whoosh analyzer protocol (see RegexTokenizer)
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        if not tokenize:  # rare (whole-value terms): the reference chain, exactly
            yield from reference_analyzer()(
                value, positions=positions, chars=chars, keeporiginal=keeporiginal, removestops=removestops,
                start_pos=start_pos, start_char=start_char, tokenize=False, mode=mode, **kwargs,
            )  # fmt: skip
            return
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        memo = self._memo
        word_of = self._word
        pos = None  # StopFilter's renumbering: the first kept token keeps its place, the next ones follow it
        for raw_pos, match in enumerate(self.expression.finditer(value)):
            word = match.group(0)
            kind, text = memo.get(word) or word_of(word)
            if kind == _DROP:
                continue
            if kind == _STOP:
                if removestops:
                    continue
                t.stopped = True
            else:
                t.stopped = False
                if positions:
                    pos = start_pos + raw_pos if pos is None else pos + 1
            t.text = text
            t.boost = 1.0
            if keeporiginal:
                t.original = word
            if positions:
                t.pos = pos if kind == _TERM else start_pos + raw_pos
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            yield t


def text_analyzer():
    """The analyzer of the full-text fields (title, summary, body): see :class:`TextAnalyzer`."""
    return TextAnalyzer()


_LATIN_CHAR = re.compile("[A-Za-z\u00c0-\u024f]")


def detect_language(text: str) -> str:
    """``ar`` when Arabic letters dominate the sample, ``en`` otherwise (a cheap script count, not a model)."""
    sample = text[:20000]
    arabic = len(_ARABIC_CHAR.findall(sample))
    latin = len(_LATIN_CHAR.findall(sample))
    if arabic == 0 and latin == 0:
        return "und"
    return "ar" if arabic >= latin else "en"
