"""Synthetic report corpora for the archive benchmark (``bench/search.py``): deterministic from a seed.

Reports of about 1,000 words (σ ≈ 15 %), about 15 % in Arabic, written from

* a few hundred words and phrases of protection reporting, in English and Arabic, written into this module;
* the place names of ``taxonomy.yaml`` (English labels, Arabic labels, spelling variants), so that documents are
  found by place, get location suggestions, and alias expansion has work to do;
* about 40,000 generated pseudo-words for the long tail of a real archive (names, acronyms, typos);

drawn with a Zipf law (s ≈ 1.05) over that vocabulary, with short phrases ("detention centres", "legal aid") that
phrase queries find, in sentences and paragraphs. Nothing outside the repository is read.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

ENGLISH = """
protection monitoring report assessment displaced families returnees host community municipality district
detention centre migrants refugees asylum seekers women children adolescents elderly persons disabilities
shelter water sanitation health education food security livelihoods cash assistance legal aid documentation
civil registration birth certificates identity cards housing land property eviction demolition explosive
hazards mine action risk education awareness sessions referral pathways case management psychosocial support
gender based violence child protection unaccompanied separated children family tracing reunification safe
spaces community centres outreach volunteers focal points coordination meeting working group sub sector
partners agencies authorities access humanitarian needs overview response plan funding gaps priorities
recommendations findings methodology interviews key informants focus group discussions household survey
sample respondents percentage majority reported concerns threats incidents arrests harassment checkpoints
movement restrictions freedom return intentions durable solutions integration relocation camp informal
settlement collective shelter rent evictions tensions social cohesion conflict violence armed groups militias
clashes shelling airstrikes floods storm damage infrastructure electricity roads bridges hospitals schools
clinics mobile teams services gaps capacity building training workshop participants facilitators modules
advocacy messages donors briefing situation update flash appeal contingency planning preparedness early
warning monitoring visits field missions site visits observations interviews confidentiality consent data
protection information sharing protocol sensitivity levels restricted confidential public release review
""".split()

PHRASES = [
    "detention centres",
    "legal aid",
    "civil documentation",
    "durable solutions",
    "safe spaces",
    "case management",
    "referral pathways",
    "host community",
    "freedom of movement",
    "explosive hazards",
    "psychosocial support",
    "family reunification",
    "collective shelters",
    "informal settlements",
    "key informants",
    "focus group",
    "return intentions",
    "social cohesion",
    "protection monitoring",
    "child protection",
    "gender based violence",
    "cash assistance",
    "birth certificates",
    "housing land and property",
    "access to services",
]

ARABIC = """
الحماية الرصد تقرير تقييم النازحين الأسر العائدين المجتمع المضيف البلدية المنطقة مركز الاحتجاز المهاجرين
اللاجئين طالبي اللجوء النساء الأطفال المراهقين كبار السن الإعاقة المأوى المياه الصرف الصحي الصحة التعليم
الأمن الغذائي سبل العيش المساعدة النقدية المساعدة القانونية الوثائق التسجيل المدني شهادات الميلاد بطاقات الهوية
السكن الأرض الملكية الإخلاء المخاطر المتفجرة التوعية الإحالة إدارة الحالات الدعم النفسي الاجتماعي العنف القائم
على النوع الاجتماعي حماية الطفل الأطفال غير المصحوبين لم شمل الأسر المساحات الآمنة التنسيق اجتماع مجموعة العمل
الشركاء الوكالات السلطات الوصول الاحتياجات الإنسانية التمويل الأولويات التوصيات النتائج المقابلات المشاركين
الحركة القيود العودة الحلول الدائمة الاندماج المخيم التوترات التماسك الاجتماعي النزاع الفيضانات الأضرار
المستشفيات المدارس العيادات الفرق المتنقلة الخدمات التدريب ورشة عمل المناصرة المانحين الطوارئ الإنذار المبكر
""".split()

ARABIC_PHRASES = [
    "مركز الاحتجاز",
    "المساعدة القانونية",
    "الحلول الدائمة",
    "حماية الطفل",
    "المجتمع المضيف",
    "الدعم النفسي",
]

DOC_TYPES = ["Assessment", "Monitoring report", "Meeting minutes", "Concept note", "Situation update", "Advocacy note"]
#: Share of the vocabulary draws that come from each source (the rest is the pseudo-word long tail).
PLACE_SHARE = 0.04
PHRASE_SHARE = 0.05


def _pseudo_words(rng: random.Random, count: int) -> list[str]:
    consonants, vowels = "bcdfghjklmnprstvwz", "aeiou"
    words = set()
    while len(words) < count:
        length = rng.choice((2, 3, 3, 4))
        words.add("".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(length)))
    return sorted(words)


def _places(taxonomy_path: Path) -> tuple[list[str], list[str]]:
    """English and Arabic names (labels and aliases) of the vocabulary's districts and municipalities (not the
    regions, whose names are ordinary words: East, South)."""
    data = yaml.safe_load(taxonomy_path.read_text(encoding="utf-8"))
    english: set[str] = set()
    arabic: set[str] = set()
    for facet in data.get("facets", []):
        if facet.get("id") != "location":
            continue
        for code in facet.get("codes") or ():
            if not isinstance(code, dict) or len(str(code.get("id", ""))) < 6:
                continue
            labels = code.get("labels") or {}
            for name in [labels.get("en"), labels.get("ar"), *(code.get("aliases") or [])]:
                if isinstance(name, str) and name:
                    (arabic if any("\u0600" <= ch <= "\u06ff" for ch in name) else english).add(name)
    return sorted(english), sorted(arabic)


class _Zipf:
    """Draws from a list with probability ∝ 1 / rank^s."""

    def __init__(self, items: list[str], s: float, rng: random.Random) -> None:
        self.items = items
        self.rng = rng
        weights = [1.0 / (rank + 1) ** s for rank in range(len(items))]
        total = 0.0
        self.cumulative = []
        for w in weights:
            total += w
            self.cumulative.append(total)
        self.total = total

    def draw(self, k: int) -> list[str]:
        return self.rng.choices(self.items, cum_weights=self.cumulative, k=k)


@dataclass
class Report:
    name: str
    title: str
    language: str
    published: dt.date
    paragraphs: list[str]

    @property
    def text(self) -> str:
        return f"{self.title}\n\n" + "\n\n".join(self.paragraphs) + "\n"

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


class Corpus:
    """A deterministic generator of reports; the same seed gives the same reports."""

    def __init__(self, seed: int = 1, taxonomy_path: Path = ROOT / "taxonomy.yaml") -> None:
        self.rng = random.Random(seed)
        english_places, arabic_places = _places(taxonomy_path)
        self.english_places = english_places or ["Tripoli"]
        self.arabic_places = arabic_places or ["طرابلس"]
        tail = _pseudo_words(self.rng, 40_000)
        head = list(ENGLISH)
        self.rng.shuffle(head)
        self.english = _Zipf(head + tail, 1.05, self.rng)
        arabic_head = list(ARABIC)
        self.rng.shuffle(arabic_head)
        self.arabic = _Zipf(arabic_head + tail[:8000], 1.05, self.rng)
        self.tail = tail

    def _sentence(self, arabic: bool) -> str:
        rng = self.rng
        n = rng.randint(8, 22)
        words = (self.arabic if arabic else self.english).draw(n)
        for i in range(n):
            r = rng.random()
            if r < PLACE_SHARE:
                words[i] = rng.choice(self.arabic_places if arabic else self.english_places)
            elif r < PLACE_SHARE + PHRASE_SHARE:
                words[i] = rng.choice(ARABIC_PHRASES if arabic else PHRASES)
        sentence = " ".join(words)
        return sentence if arabic else sentence[:1].upper() + sentence[1:]

    def report(self, number: int, words: int = 1000) -> Report:
        rng = self.rng
        arabic = rng.random() < 0.15
        target = max(50, int(rng.gauss(words, words * 0.15)))
        paragraphs: list[str] = []
        count = 0
        while count < target:
            sentences = [self._sentence(arabic) for _ in range(rng.randint(3, 7))]
            paragraph = (". " if not arabic else "، ").join(sentences) + ("." if not arabic else ".")
            paragraphs.append(paragraph)
            count += len(paragraph.split())
        place = rng.choice(self.arabic_places if arabic else self.english_places)
        kind = rng.choice(DOC_TYPES)
        title = f"{kind} {place} {number}" if not arabic else f"تقرير {place} {number}"
        published = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 11 * 365))
        return Report(f"report-{number:06d}", title, "ar" if arabic else "en", published, paragraphs)

    def frequent_words(self, count: int) -> list[str]:
        """The most frequent English content words (broad queries)."""
        return self.english.items[:count]

    def mid_words(self, count: int) -> list[str]:
        """Words of the vocabulary's middle: each in a few per cent of the reports (selective queries)."""
        middle = self.english.items[len(ENGLISH) + 20 : len(ENGLISH) + 20 + 400]
        return self.rng.sample(middle, min(count, len(middle)))


def write_text_corpus(corpus: Corpus, folder: Path, count: int, start: int = 0) -> list[Report]:
    """``count`` reports as UTF-8 ``.txt`` files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    reports = []
    for n in range(start, start + count):
        report = corpus.report(n)
        (folder / f"{report.name}.txt").write_text(report.text, encoding="utf-8")
        reports.append(report)
    return reports


def write_pdf_corpus(corpus: Corpus, folder: Path, count: int, start: int = 0) -> int:
    """``count`` English reports as PDF files (fpdf2), several pages each; returns the number of pages."""
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    import pypdfium2
    from filefactory import make_pdf

    folder.mkdir(parents=True, exist_ok=True)
    pages = 0
    for n in range(start, start + count):
        report = corpus.report(n, words=1600)
        while report.language != "en":
            report = corpus.report(n, words=1600)
        path = make_pdf(folder / f"{report.name}.pdf", [report.title, *report.paragraphs])
        document = pypdfium2.PdfDocument(str(path))
        pages += len(document)
        document.close()
    return pages


def write_docx_corpus(corpus: Corpus, folder: Path, count: int, start: int = 0) -> None:
    """``count`` reports as DOCX files (python-docx)."""
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from filefactory import make_docx

    folder.mkdir(parents=True, exist_ok=True)
    for n in range(start, start + count):
        report = corpus.report(n)
        make_docx(folder / f"{report.name}.docx", [report.title, *report.paragraphs])
