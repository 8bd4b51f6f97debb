"""The generator of the second labelled scan set, ``tests/scan_corpus_unseen`` (issue 14, item 3).

The first set (``tests/scan_corpus``) was written by hand together with the scanner. This one is made differently:
seeded templates of field documents (monitoring reports with names in running prose, referral e-mails with several
identifiers in one sentence, spreadsheet exports as CSV and tab-separated text, Arabic name lists, contact sheets with
Iraqi and Libyan numbers side by side, detention lists, clean situation reports full of figures, dates, place and
agency names) are filled from pools of invented names and from number formats seen in Libyan and Iraqi documents.
Every slot that puts personal data in a text also records it, so the labels come from the generator, not from
reading the scanner's output.

The generator and its templates were written before the scanner's rules were read, and the set was frozen as
files (``python bench/scan_unseen_generator.py`` writes them; ``--check`` says whether the frozen files are still what
the generator makes). The scanner was then fixed with general rules; the templates were not changed after that.

Everything is invented: names are random combinations from the pools below, phone subscriber numbers start with 0,
e-mails use the ``example`` domains, case numbers are random. Coordinates are near real towns, as they would be.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "scan_corpus_unseen"
SEED = 20250614

AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# --------------------------------------------------------------------------------------------------------------
# Pools (invented combinations; Arabic entries carry a transliteration for e-mail addresses)
# --------------------------------------------------------------------------------------------------------------

LY_MALE = "Mohamed Ahmed Ali Omar Khaled Abdelsalam Mustafa Salem Mabrouk Faraj Nouri Ibrahim Hamza Tarek Osama Walid \
Adel Jamal Anwar Ramadan Milad Fathi Abdulhakim Younis Essa Saad".split()
LY_FEMALE = "Fatima Aisha Khadija Huda Salma Amal Nadia Asma Mariam Samira Hanan Rania Zainab Najat Sumaya Fawzia \
Laila Ibtisam Naima Hawa Safia Rabia Nisreen Wafa".split()
LY_FAMILY = [
    "Al-Werfalli",
    "Ben Omran",
    "Elfituri",
    "Bukhris",
    "Al-Zawi",
    "Abusahmain",
    "Elmehdi",
    "Ghariani",
    "Al-Obeidi",
    "Gaddour",
    "Shaglouf",
    "Abu Zaid",
    "Al-Tarhouni",
    "Ben Halim",
    "Elmagrahi",
    "Swehli",
    "Al-Hassi",
    "Bin Ghalbon",
    "Krekshi",
    "Elkikhia",
    "Al-Mismari",
    "Zlitni",
    "Eshtewi",
    "Abdeljalil",
    "Bettamer",
    "Al-Kabir",
    "Ramli",
    "El-Amari",
]
IQ_MALE = "Hussein Hassan Kareem Abbas Jaafar Haider Mustafa Ahmed Ali Omar Aram Karwan Rebwar Hawre Sherzad Dilshad \
Khudhur Saman Sabah Qasim Muntadhar Yaseen".split()
IQ_FEMALE = "Zainab Noor Maryam Shilan Dilan Zhino Nishtiman Hana Sura Rusul Duaa Iman Bushra Layla Shaima Hawraa \
Sozan Nareen Widad Ghufran".split()
IQ_FAMILY = [
    "Al-Jubouri",
    "Al-Dulaimi",
    "Al-Obaidi",
    "Al-Tamimi",
    "Al-Shammari",
    "Al-Saadi",
    "Kareem",
    "Jaafar",
    "Al-Khafaji",
    "Al-Rubaie",
    "Al-Zubaidi",
    "Mahmoud",
    "Rasul",
    "Qadir",
    "Aziz",
    "Hamad",
    "Ismail",
    "Mirza",
    "Haji Khalaf",
    "Al-Kubaisi",
    "Al-Azzawi",
    "Al-Janabi",
    "Salih",
    "Hawrami",
]
MIGRANT = [
    ("Chinedu", "Okafor", "Nigerian"),
    ("Blessing", "Eze", "Nigerian"),
    ("Adam Yahya", "Abakar", "Chadian"),
    ("Tesfay", "Gebremedhin", "Eritrean"),
    ("Semhar", "Tesfaldet", "Eritrean"),
    ("Rafiqul", "Islam", "Bangladeshi"),
    ("Abdou", "Diallo", "Guinean"),
    ("Mamadou", "Camara", "Malian"),
    ("Yonas", "Haile", "Ethiopian"),
    ("Fatoumata", "Bah", "Guinean"),
    ("Emeka", "Nwosu", "Nigerian"),
    ("Osman Idris", "Adam", "Sudanese"),
    ("Kiflom", "Berhane", "Eritrean"),
    ("Ismail", "Kamara", "Gambian"),
    ("Sani", "Musa", "Nigerian"),
    ("Mohammed Jalal", "Uddin", "Bangladeshi"),
    ("Awet", "Tekle", "Eritrean"),
    ("Hamid Suleiman", "Ishag", "Sudanese"),
    ("Grace", "Okon", "Nigerian"),
    ("Lamin", "Jallow", "Gambian"),
]
AR_MIGRANT = [
    "آدم يحيى أبكر",
    "عثمان إدريس آدم",
    "حامد سليمان إسحاق",
    "موسى عبد الله هارون",
    "إبراهيم محمد دفع الله",
    "عيسى أحمد تيراب",
    "يوسف آدم بشارة",
    "صالح عمر أبو بكر",
    "مريم آدم إسماعيل",
    "حليمة عبد الرحمن يعقوب",
    "عبد الكريم موسى نور",
    "آمنة إسحاق محمد",
]

AR_MALE = [
    ("محمد", "mohamed"),
    ("أحمد", "ahmed"),
    ("علي", "ali"),
    ("عمر", "omar"),
    ("خالد", "khaled"),
    ("عبد السلام", "abdelsalam"),
    ("مصطفى", "mustafa"),
    ("سالم", "salem"),
    ("مبروك", "mabrouk"),
    ("فرج", "faraj"),
    ("نوري", "nouri"),
    ("إبراهيم", "ibrahim"),
    ("حمزة", "hamza"),
    ("طارق", "tarek"),
    ("وليد", "walid"),
    ("عادل", "adel"),
    ("جمال", "jamal"),
    ("رمضان", "ramadan"),
    ("ميلاد", "milad"),
    ("فتحي", "fathi"),
    ("حسين", "hussein"),
    ("حسن", "hassan"),
    ("كريم", "kareem"),
    ("عباس", "abbas"),
    ("جعفر", "jaafar"),
    ("يونس", "younis"),
    ("عيسى", "essa"),
    ("حيدر", "haider"),
]
AR_FEMALE = [
    ("فاطمة", "fatima"),
    ("عائشة", "aisha"),
    ("خديجة", "khadija"),
    ("هدى", "huda"),
    ("سلمى", "salma"),
    ("أمل", "amal"),
    ("نادية", "nadia"),
    ("أسماء", "asma"),
    ("مريم", "mariam"),
    ("سميرة", "samira"),
    ("حنان", "hanan"),
    ("رانيا", "rania"),
    ("زينب", "zainab"),
    ("نجاة", "najat"),
    ("سمية", "sumaya"),
    ("فوزية", "fawzia"),
    ("ليلى", "laila"),
    ("ابتسام", "ibtisam"),
    ("نعيمة", "naima"),
    ("حواء", "hawa"),
    ("صفية", "safia"),
    ("نور", "noor"),
    ("رسل", "rusul"),
    ("بشرى", "bushra"),
]
AR_FAMILY_LY = [
    ("الورفلي", "werfalli"),
    ("بن عمران", "benomran"),
    ("الفيتوري", "elfituri"),
    ("بوخريص", "bukhris"),
    ("الزاوي", "zawi"),
    ("المهدي", "elmehdi"),
    ("الغرياني", "ghariani"),
    ("العبيدي", "obeidi"),
    ("قدور", "gaddour"),
    ("شقلوف", "shaglouf"),
    ("أبو زيد", "abuzaid"),
    ("الترهوني", "tarhouni"),
    ("المقرحي", "magrahi"),
    ("السويحلي", "swehli"),
    ("الحاسي", "hassi"),
    ("المسماري", "mismari"),
    ("الزليتني", "zlitni"),
    ("اشتيوي", "eshtewi"),
    ("بالتمر", "bettamer"),
    ("الرملي", "ramli"),
]
AR_FAMILY_IQ = [
    ("الجبوري", "jubouri"),
    ("الدليمي", "dulaimi"),
    ("التميمي", "tamimi"),
    ("الشمري", "shammari"),
    ("الساعدي", "saadi"),
    ("الخفاجي", "khafaji"),
    ("الربيعي", "rubaie"),
    ("الزبيدي", "zubaidi"),
    ("الكبيسي", "kubaisi"),
    ("العزاوي", "azzawi"),
    ("الجنابي", "janabi"),
    ("الحمداني", "hamdani"),
    ("البياتي", "bayati"),
    ("السامرائي", "samarrai"),
    ("الموسوي", "musawi"),
    ("الكعبي", "kaabi"),
]

LY_PLACES = {  # town: (lat, lon, neighbourhoods)
    "Tripoli": (32.8872, 13.1913, ["Abu Salim", "Souq Al Juma", "Ain Zara", "Tajoura", "Janzour", "Hay Al Andalus"]),
    "Benghazi": (32.1167, 20.0667, ["Al Sabri", "Al Lithi", "Garyounis", "Al Keish", "Sidi Hussein"]),
    "Misrata": (32.3754, 15.0925, ["Al Ghiran", "Zawiyat Al Mahjoub", "Al Jazeera", "Qasr Ahmed"]),
    "Sebha": (27.0377, 14.4283, ["Al Jadid", "Al Qurdha", "Al Mahdiya", "Tayuri"]),
    "Zawiya": (32.7571, 12.7276, ["Bir Al Ghanam road", "Al Harsha", "Al Mutrad"]),
    "Derna": (32.7648, 22.6391, ["Al Maghar", "Shiha", "Al Sahel Al Sharqi", "Bab Tobruk"]),
    "Ajdabiya": (30.7554, 20.2263, ["Al Fateh", "Al Shahid", "Sidi Faraj"]),
    "Kufra": (24.1995, 23.2905, ["Al Jawf", "Buma", "Al Shura"]),
}
IQ_PLACES = {
    "Erbil": (36.1911, 44.0092, ["Ankawa", "Baharka", "Harshm", "Kasnazan"]),
    "Mosul": (36.3350, 43.1189, ["Al Zuhour", "Al Maidan", "Hay Al Tanak", "Al Shifa"]),
    "Duhok": (36.8671, 42.9885, ["Khanke", "Sharya", "Domiz", "Shekhan road"]),
    "Sulaymaniyah": (35.5613, 45.4375, ["Arbat", "Bakrajo", "Sarchinar"]),
    "Kirkuk": (35.4681, 44.3922, ["Hay Al Askari", "Domiz quarter", "Laylan"]),
    "Ramadi": (33.4206, 43.3078, ["Al Tamim", "Al Sufiya", "Al Malaab"]),
    "Sinjar": (36.3209, 41.8766, ["Sinuni", "Borek", "Khanasor"]),
    "Baghdad": (33.3152, 44.3661, ["Al Dora", "Abu Ghraib road", "Al Shuala", "Al Bayaa"]),
}
AR_TOWN = {
    "Tripoli": "طرابلس",
    "Benghazi": "بنغازي",
    "Misrata": "مصراتة",
    "Sebha": "سبها",
    "Zawiya": "الزاوية",
    "Derna": "درنة",
    "Ajdabiya": "أجدابيا",
    "Kufra": "الكفرة",
    "Erbil": "أربيل",
    "Mosul": "الموصل",
    "Duhok": "دهوك",
    "Sulaymaniyah": "السليمانية",
    "Kirkuk": "كركوك",
    "Ramadi": "الرمادي",
    "Sinjar": "سنجار",
    "Baghdad": "بغداد",
}
AGENCIES_LY = [
    "UNHCR",
    "IOM",
    "UNICEF",
    "UNFPA",
    "Libyan Red Crescent",
    "International Rescue Committee",
    "Danish Refugee Council",
    "CESVI",
    "Mercy Corps",
    "Norwegian Refugee Council",
    "WFP",
    "Terre des hommes",
]
AGENCIES_IQ = [
    "UNHCR",
    "IOM",
    "UNICEF",
    "UNFPA",
    "Iraqi Red Crescent Society",
    "Norwegian Refugee Council",
    "Danish Refugee Council",
    "Harikar",
    "Intersos",
    "Mercy Hands",
    "Mercy Corps",
    "Save the Children",
]
AR_AGENCIES = [
    "المفوضية السامية للأمم المتحدة لشؤون اللاجئين",
    "المنظمة الدولية للهجرة",
    "منظمة اليونيسف",
    "الهلال الأحمر الليبي",
    "المجلس الدنماركي للاجئين",
    "المجلس النرويجي للاجئين",
    "صندوق الأمم المتحدة للسكان",
    "الهلال الأحمر العراقي",
    "برنامج الأغذية العالمي",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
AR_MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
EXAMPLE_DOMAINS = ["example.org", "example.ly", "example.iq", "example.net", "example.com"]


# --------------------------------------------------------------------------------------------------------------
# A document being generated: its text pieces and its labels
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Person:
    first: str
    full: str
    latin: str  # for e-mail addresses
    female: bool


@dataclass
class Doc:
    rng: random.Random
    country: str  # "LY" or "IQ"
    arabic: bool
    arabic_digits: bool = False
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    coords: list[list[float]] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    sensitive_site: bool = False
    severe_topic: bool = False
    small_count: bool = False
    clean: bool = False
    used: set[str] = field(default_factory=set)
    nationality: str = ""

    # -- helpers ---------------------------------------------------------------------------------------------
    def pick(self, seq):
        return self.rng.choice(seq)

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def num(self, text: str) -> str:
        """Digits as this document writes them (Arabic-Indic in some Arabic documents)."""
        return text.translate(AR_DIGITS) if self.arabic_digits else text

    def unique(self, make: Callable[[], str]) -> str:
        for _ in range(50):
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value
        raise RuntimeError("pool exhausted")

    # -- people ----------------------------------------------------------------------------------------------
    def person(self, female: bool | None = None, migrant: bool = False, arabic: bool | None = None) -> Person:
        arabic = self.arabic if arabic is None else arabic
        female = self.rng.random() < 0.5 if female is None else female

        def make() -> str:
            nonlocal latin, first
            if migrant and arabic:
                full = self.pick(AR_MIGRANT)
                first = full.split()[0]
                latin = "x"
                return full
            if migrant:
                first, family, self.nationality = self.pick(MIGRANT)
                latin = f"{first.split()[0]}.{family}".lower()
                return f"{first} {family}"
            if arabic:
                first_pair = self.pick(AR_FEMALE if female else AR_MALE)
                father = self.pick(AR_MALE)
                family = self.pick(AR_FAMILY_LY if self.country == "LY" else AR_FAMILY_IQ)
                first = first_pair[0]
                latin = f"{first_pair[1]}.{family[1]}"
                if self.rng.random() < 0.5:
                    grand = self.pick(AR_MALE)
                    return f"{first} {father[0]} {grand[0]} {family[0]}"
                return f"{first} {father[0]} {family[0]}"
            firsts = (LY_FEMALE if female else LY_MALE) if self.country == "LY" else (IQ_FEMALE if female else IQ_MALE)
            families = LY_FAMILY if self.country == "LY" else IQ_FAMILY
            first = self.pick(firsts)
            family = self.pick(families)
            latin = f"{first[0]}.{family.replace('Al-', '').replace(' ', '').replace('-', '')}".lower()
            if self.rng.random() < 0.3:
                father = self.pick(LY_MALE if self.country == "LY" else IQ_MALE)
                return f"{first} {father} {family}"
            return f"{first} {family}"

        latin = first = ""
        full = self.unique(make)
        p = Person(first=first, full=full, latin=latin, female=female)
        self.persons.append(p)
        return p

    # -- contact data ----------------------------------------------------------------------------------------
    def phone(self, country: str | None = None, style: str | None = None) -> str:
        country = country or self.country

        def make() -> str:
            if country == "LY":
                op = self.pick(["91", "92", "94", "95"])
                sub = "0" + self.digits(6)
                forms = [
                    f"+218 {op} {sub[:3]} {sub[3:]}",
                    f"+218-{op}-{sub}",
                    f"0{op}{sub}",
                    f"0{op}-{sub[:3]}-{sub[3:]}",
                    f"00218 {op} {sub}",
                    f"0{op} {sub[:3]} {sub[3:]}",
                    f"+218{op}{sub}",
                    f"(0{op}) {sub}",
                ]
            else:
                op = self.pick(["750", "751", "770", "771", "772", "780", "781", "790"])
                sub = "0" + self.digits(6)
                forms = [
                    f"+964 {op} {sub[:3]} {sub[3:]}",
                    f"+964 (0){op} {sub[:3]} {sub[3:]}",
                    f"0{op}{sub}",
                    f"0{op} {sub[:3]} {sub[3:]}",
                    f"0{op}-{sub[:3]}-{sub[3:]}",
                    f"00964 {op} {sub}",
                    f"+964{op}{sub}",
                    f"+964-{op}-{sub}",
                ]
            if style == "plain":
                form = forms[2]
            elif style == "intl":
                form = forms[0]
            else:
                form = self.pick(forms)
            return self.num(form)

        value = self.unique(make)
        self.phones.append(value)
        return value

    def email(self, person: Person | None = None) -> str:
        def make() -> str:
            base = person.latin if person else self.pick(["info", "protection", "referrals", "cp.focal"])
            if self.rng.random() < 0.3:
                base = base.replace(".", "_") + self.digits(2)
            return f"{base}@{self.pick(EXAMPLE_DOMAINS)}"

        value = self.unique(make)
        self.emails.append(value)
        return value

    def national_id(self, person: Person | None = None, child: bool = False) -> str:
        female = person.female if person else self.rng.random() < 0.5

        def make() -> str:
            year = str(self.rng.randint(2008, 2021) if child else self.rng.randint(1950, 2005))
            if self.country == "LY":
                return ("2" if female else "1") + year + self.digits(7)
            return year + self.digits(8)  # Iraqi unified card: 12 digits

        value = self.num(self.unique(make))
        self.ids.append(value)
        return value

    def passport(self, nationality: str | None = None) -> str:
        def make() -> str:
            nat = nationality or self.country
            if nat in ("LY", "Libyan"):
                return self.pick("NABC") + self.digits(7)
            if nat in ("IQ", "Iraqi"):
                return self.pick("ABGH") + self.digits(8)
            if nat == "Bangladeshi":
                return self.pick(["EB", "EC", "BW"]) + self.digits(7)
            return self.pick("ABPC") + self.digits(8)

        value = self.unique(make)
        self.ids.append(value)
        return value

    def unhcr_case(self) -> str:
        def make() -> str:
            office = self.pick(["LBY", "TRP", "BGZ"] if self.country == "LY" else ["ERB", "DHK", "SUL", "BGD"])
            return f"{office}-{self.rng.randint(15, 25)}C{self.digits(5)}"

        value = self.unique(make)
        self.ids.append(value)
        return value

    def unhcr_individual(self) -> str:
        value = self.unique(lambda: f"{self.pick(['254', '369', '512'])}-{self.digits(8)}")
        self.ids.append(value)
        return value

    def case_ref(self, area: str) -> str:
        def make() -> str:
            town = self.pick(["TRP", "BGZ", "MIS", "SEB"] if self.country == "LY" else ["ERB", "DHK", "MSL", "KRK"])
            year = self.rng.randint(2023, 2025)
            n = self.rng.randint(1, 999)
            return self.pick(
                [f"{area}-{town}-{year}-{n:04d}", f"{area}/{town}/{year}/{n:03d}", f"{area}-{year}-{n:05d}"]
            )

        value = self.unique(make)
        self.ids.append(value)
        return value

    def civil_id(self) -> str:
        value = self.num(self.unique(lambda: "00" + self.digits(6)))
        self.ids.append(value)
        return value

    def coordinate(self, town: str, style: str | None = None) -> str:
        places = LY_PLACES if town in LY_PLACES else IQ_PLACES
        lat0, lon0, _ = places[town]
        lat = round(lat0 + self.rng.uniform(-0.04, 0.04), 5)
        lon = round(lon0 + self.rng.uniform(-0.04, 0.04), 5)
        style = style or self.pick(["dec", "dec_hemi", "dms", "labelled", "maps", "ddm"])

        def dms(value: float) -> tuple[int, int, float]:
            d = int(value)
            m = int((value - d) * 60)
            s = round(((value - d) * 60 - m) * 60, 1)
            return d, m, s

        if style == "dms":
            (a, b, c), (x, y, z) = dms(lat), dms(lon)
            text = f"{a}°{b:02d}'{c:04.1f}\"N {x}°{y:02d}'{z:04.1f}\"E"
            lat, lon = a + b / 60 + c / 3600, x + y / 60 + z / 3600
        elif style == "ddm":
            a, x = int(lat), int(lon)
            ma, mx = round((lat - a) * 60, 3), round((lon - x) * 60, 3)
            text = f"N {a}° {ma:06.3f}' E {x:03d}° {mx:06.3f}'"
            lat, lon = a + ma / 60, x + mx / 60
        elif style == "dec_hemi":
            text = f"{lat:.5f}N, {lon:.5f}E"
        elif style == "labelled":
            text = f"lat {lat:.5f} / long {lon:.5f}"
        elif style == "maps":
            text = f"https://maps.google.com/?q={lat:.5f},{lon:.5f}"
        elif style == "ar":
            text = f"{lat:.5f}، {lon:.5f}".translate(AR_DIGITS).replace(".", "٫")
        elif style == "cells":
            text = f"{lat:.5f}\t{lon:.5f}"
        else:
            text = f"{lat:.5f}, {lon:.5f}"
        self.coords.append([round(lat, 5), round(lon, 5)])
        return text

    # -- non-personal fillers --------------------------------------------------------------------------------
    def town(self) -> str:
        return self.pick(list(LY_PLACES if self.country == "LY" else IQ_PLACES))

    def hood(self, town: str) -> str:
        return self.pick((LY_PLACES | IQ_PLACES)[town][2])

    def agency(self) -> str:
        return self.pick(AGENCIES_LY if self.country == "LY" else AGENCIES_IQ)

    def date(self) -> str:
        d, m, y = self.rng.randint(1, 28), self.rng.randint(1, 12), self.rng.randint(2024, 2025)
        form = self.pick(
            [f"{d:02d}/{m:02d}/{y}", f"{y}-{m:02d}-{d:02d}", f"{d} {MONTHS[m - 1]} {y}", f"{d:02d}.{m:02d}.{y}"]
        )
        return form

    def ar_date(self) -> str:
        d, m, y = self.rng.randint(1, 28), self.rng.randint(1, 12), self.rng.randint(2024, 2025)
        return self.pick(
            [
                self.num(f"{d}/{m}/{y}"),
                f"{self.num(str(d))} {AR_MONTHS[m - 1]} {self.num(str(y))}",
                self.num(f"{y}-{m:02d}-{d:02d}"),
            ]
        )

    def labels(self) -> dict:
        out: dict = {}
        if self.persons:
            out["person_name"] = len({p.full for p in self.persons})
        for key, values in (("phone", self.phones), ("email", self.emails), ("id_number", self.ids)):
            if values:
                out[key] = list(values)
        if self.coords:
            out["coordinates"] = [list(c) for c in self.coords]
        for key in ("sensitive_site", "severe_topic", "small_count", "clean"):
            if getattr(self, key):
                out[key] = True
        return out


# --------------------------------------------------------------------------------------------------------------
# English templates
# --------------------------------------------------------------------------------------------------------------


def en_monitoring_prose(d: Doc) -> str:
    town = d.town()
    hood = d.hood(town)
    head = d.person(female=False)
    sw = d.person(female=True)
    brother = d.person(female=False)
    mother = d.person(female=True)
    focal = d.person()
    author = d.person()
    month = d.pick(MONTHS)
    lines = [
        f"Protection monitoring report - {town}, {month} {d.rng.randint(2024, 2025)}",
        f"Partner: {d.agency()} | Monitoring round {d.rng.randint(2, 14)} | Visit date {d.date()}",
        "",
        "1. Context",
        f"The team visited {hood} and interviewed {d.rng.randint(18, 60)} households displaced from "
        f"{d.pick(list(LY_PLACES if d.country == 'LY' else IQ_PLACES))} since {d.pick(MONTHS)}. Rent increases and "
        "the loss of civil documents were the main concerns raised.",
        "",
        "2. Individual cases",
        f"The family of {head.full} ({d.rng.randint(30, 62)}, head of household) was referred by the social worker "
        f"{sw.full} to the legal aid partner after their documents were lost in the move. {head.first} can be reached "
        f"on {d.phone()} or through his brother {brother.full} on {d.phone()}.",
        f"{mother.full} lives with her {d.pick(['three', 'four', 'two'])} children in one rented room; her national "
        f"number {d.national_id(mother)} and her husband's, {d.national_id()}, were checked against the civil registry "
        f"list, and the children's numbers {d.national_id(child=True)} and {d.national_id(child=True)} were "
        "missing from it.",
        f"Community focal point {focal.full} (mobile {d.phone()}, e-mail {d.email(focal)}) agreed to accompany the "
        "families to the civil registry office next week.",
        "",
        "3. Follow-up",
        f"- Legal aid appointments requested for {d.rng.randint(5, 12)} households.",
        f"- Next visit planned for the first week of {d.pick(MONTHS)}.",
        "",
        f"Report written by {author.full}, protection monitor.",
    ]
    return "\n".join(lines)


def en_referral_email(d: Doc) -> str:
    sender = d.person()
    receiver = d.person()
    client = d.person()
    spouse = d.person(female=not client.female)
    town = d.town()
    case = d.unhcr_case()
    i1, i2, i3 = d.unhcr_individual(), d.unhcr_individual(), d.unhcr_individual()
    lines = [
        f"From: {sender.full} <{d.email(sender)}>",
        f"To: {receiver.full} <{d.email(receiver)}>",
        f"Date: {d.date()} 09:{d.rng.randint(10, 59)}",
        f"Subject: Referral - legal counselling, {town}",
        "",
        f"Dear {receiver.first},",
        "",
        f"Following our call, I am referring {client.full} and {spouse.full}, UNHCR case {case}, individual numbers "
        f"{i1}, {i2} and {i3}. Their passports ({d.passport()}, {d.passport()}) expired last year and the residence "
        "permit renewal was refused.",
        f"Both can be contacted on {d.phone()} / {d.phone()}; the family prefers calls after 16:00.",
        f"Our internal reference is {d.case_ref('LA')}; please quote it in your reply.",
        "",
        "Best regards,",
        sender.full,
        f"Legal Aid Officer, {d.agency()}",
        f"Mobile: {d.phone()} | WhatsApp: {d.phone()}",
    ]
    return "\n".join(lines)


def en_contact_sheet_mixed(d: Doc) -> str:
    lines = [
        "Cross-border coordination - focal points (Libya and Iraq operations)",
        "",
        "Name | Organisation | Location | Phone | E-mail",
    ]
    for i in range(d.rng.randint(6, 9)):
        country = "LY" if i % 2 == 0 else "IQ"
        saved = d.country
        d.country = country
        p = d.person()
        town = d.town()
        agency = d.agency()
        phone = d.phone()
        d.country = saved
        lines.append(f"{p.full} | {agency} | {town} | {phone} | {d.email(p)}")
    lines += ["", f"Updated {d.date()}. Please share corrections with the sector coordination team."]
    return "\n".join(lines)


def en_csv_beneficiaries(d: Doc) -> str:
    town = d.town()
    header = "No,First name,Father name,Family name,Sex,Age,Phone,National ID,Municipality"
    rows = [
        f"Cash assistance round {d.rng.randint(1, 6)} - {town} - export from the registration spreadsheet",
        "",
        header,
    ]
    for i in range(1, d.rng.randint(7, 12)):
        female = d.rng.random() < 0.5
        first_pool = (LY_FEMALE if female else LY_MALE) if d.country == "LY" else (IQ_FEMALE if female else IQ_MALE)
        fam_pool = LY_FAMILY if d.country == "LY" else IQ_FAMILY

        def make(first_pool=first_pool, fam_pool=fam_pool) -> str:
            return f"{d.pick(first_pool)},{d.pick(LY_MALE if d.country == 'LY' else IQ_MALE)},{d.pick(fam_pool)}"

        triple = d.unique(make)
        first, father, family = triple.split(",")
        p = Person(first=first, full=f"{first} {father} {family}", latin="", female=female)
        d.persons.append(p)
        phone = d.phone(style=d.pick(["plain", "plain", None]))
        nid = d.national_id(p)
        cells = [
            str(i),
            first,
            father,
            family,
            "F" if female else "M",
            str(d.rng.randint(18, 70)),
            phone,
            nid,
            d.hood(town),
        ]
        rows.append(",".join(f'"{c}"' if " " in c else c for c in cells))
    return "\n".join(rows)


def en_tsv_distribution(d: Doc) -> str:
    town = d.town()
    rows = [
        f"NFI distribution list\t{town}\t{d.date()}",
        "",
        "HH\tHead of household\tHH size\tPhone\tDocument\tDocument number\tSigned",
    ]
    for i in range(1, d.rng.randint(6, 10)):
        p = d.person()
        kind = d.pick(["National ID", "Passport", "UNHCR case"])
        number = {"National ID": lambda p=p: d.national_id(p), "Passport": d.passport, "UNHCR case": d.unhcr_case}[
            kind
        ]()
        rows.append(f"{i:03d}\t{p.full}\t{d.rng.randint(2, 9)}\t{d.phone()}\t{kind}\t{number}\tyes")
    rows += ["", f"Total households: {len(rows) - 3}"]
    return "\n".join(rows)


def en_detention_list(d: Doc) -> str:
    d.sensitive_site = True
    centre = d.pick(
        [
            "Tariq Al Sikka detention centre",
            "Ain Zara detention centre",
            "Abu Salim detention centre",
            "Gharyan detention centre",
            "Al Mabani detention centre",
            "Zuwara detention centre",
        ]
    )
    lines = [
        f"Visit to {centre} - {d.date()}",
        "",
        "Persons of concern identified for registration (access granted for 2 hours):",
        "",
    ]
    for i in range(1, d.rng.randint(6, 10)):
        p = d.person(migrant=True)
        nat = d.nationality
        if d.rng.random() < 0.5:
            doc = f"passport {d.passport(nat)}"
        else:
            doc = f"UNHCR no. {d.unhcr_individual()}"
        lines.append(f"{i}. {p.full}, {nat}, {d.rng.randint(17, 45)}, {doc}")
    lines += [
        "",
        f"GPS of the gate: {d.coordinate(d.pick(['Tripoli', 'Zawiya']))}",
        f"Cell phone of the detainees' representative: {d.phone(country='LY')}",
    ]
    return "\n".join(lines)


def en_gbv_case_note(d: Doc) -> str:
    d.severe_topic = True
    d.sensitive_site = True
    town = d.town()
    survivor = d.person(female=True)
    caseworker = d.person(female=True)
    ref = d.case_ref("GBV")
    lines = [
        f"GBV case note - CONFIDENTIAL - {ref}",
        f"Caseworker: {caseworker.full}    Date of intake: {d.date()}",
        "",
        f"Survivor: {survivor.full}, {d.rng.randint(19, 40)} years, ID {d.national_id(survivor)}.",
        f"The survivor disclosed repeated physical and sexual violence by her husband since {d.pick(MONTHS)} and asked "
        "for safe accommodation. A safety plan was agreed and she was moved to the women's safe shelter in "
        f"{town} the same evening (location {d.coordinate(town)}).",
        f"Contact only through the caseworker on {d.phone()}; never call the survivor's own number {d.phone()}.",
        "Consent for referral to health and legal services: given, signed.",
    ]
    return "\n".join(lines)


def en_minutes_attendance(d: Doc) -> str:
    town = d.town()
    people = [(d.person(), d.agency()) for _ in range(d.rng.randint(6, 9))]
    chair = people[0][0]
    attendance = "; ".join(f"{p.full} ({a})" for p, a in people)
    lines = [
        f"Protection Working Group - {town} - minutes of the meeting of {d.date()}",
        "",
        f"Attendance: {attendance}.",
        "",
        f"1. The chair, {chair.full}, opened the meeting and the minutes of the last meeting were adopted.",
        f"2. {people[1][0].first} presented the monitoring findings for {d.pick(MONTHS)}: evictions rose in "
        f"{d.hood(town)} and {d.hood(town)}.",
        f"3. Action points: {people[2][0].full} to circulate the referral pathway; next meeting in four weeks.",
    ]
    return "\n".join(lines)


def en_site_list_coordinates(d: Doc) -> str:
    lines = [
        "Collective centres hosting displaced families - site list",
        "",
        "Site\tTown\tFamilies\tLatitude\tLongitude\tFocal point",
    ]
    for _ in range(d.rng.randint(3, 5)):
        town = d.town()
        site = d.pick(["school", "former hotel", "sports hall", "warehouse", "university dormitory"])
        focal = d.person()
        lines.append(
            f"{d.hood(town)} {site}\t{town}\t{d.rng.randint(12, 80)}\t{d.coordinate(town, 'cells')}\t{focal.full}"
        )
    town = d.town()
    lines += [
        "",
        f"An additional informal site near {town} was reported at {d.coordinate(town)} and is to be verified.",
    ]
    return "\n".join(lines)


def en_household_visit(d: Doc) -> str:
    """Several identifiers and numbers in single sentences."""
    town = d.town()
    hh = d.person(female=False)
    wife = d.person(female=True)
    lines = [
        f"Household visit record - {town} ({d.hood(town)})",
        "",
        f"Head of household {hh.full}, passport {d.passport()} and national number {d.national_id(hh)}, "
        f"phone {d.phone()}; wife {wife.full}, national number {d.national_id(wife)}, phone {d.phone()}; "
        f"children's numbers {d.national_id(child=True)}, {d.national_id(child=True)} and {d.national_id(child=True)}.",
        f"Alternative numbers given: {d.phone()}, {d.phone()}.",
        f"Previous case references with other partners: {d.case_ref('CP')}, {d.unhcr_case()}.",
        f"Rent: LYD {d.rng.randint(300, 900)} per month, {d.rng.randint(2, 5)} months in arrears."
        if d.country == "LY"
        else f"Rent: IQD {d.rng.randint(150, 400)},000 per month.",
    ]
    return "\n".join(lines)


CLEAN_EN_LINES = [
    "Between {d1} and {d2}, partners reached {n1} people with protection services in {t1}, {t2} and {t3}.",
    "Population figures: an estimated {big} displaced persons and {big2} returnees (source: DTM round {r}).",
    "{a1} and {a2} opened two community centres in {h1}; {n2} people attended awareness sessions.",
    "Funding: USD {money} received of USD {money2} required ({pct}%).",
    "The sub-national working group met on {d3} at 10:00-12:00 in the {a1} office.",
    "Legal aid: {n3} consultations, {n4} civil documents issued (birth and marriage certificates).",
    "Mine action: {n5} explosive hazard risk education sessions were held in {t2} between 08:30 and 13:00.",
    "Access constraints were reported on the road between {t1} and {t3} on {d2}; the checkpoint reopened on {d3}.",
    "The next round of the multi-sector needs assessment (MSNA {year}) starts on {d1}, covering {n6} districts.",
    "Coordination contact: the Protection Sector coordination team, through the sector mailing list.",
    "Reference documents: Protection Sector Strategy {year}-{year2}; Humanitarian Response Plan {year}, chapter 3.",
    "P-codes used in the annex: {pc1}, {pc2}, {pc3}.",
]


def _clean_fill(d: Doc, template: str) -> str:
    towns = list(LY_PLACES if d.country == "LY" else IQ_PLACES)
    t1, t2, t3 = d.rng.sample(towns, 3)
    prefix = "LY" if d.country == "LY" else "IQG"
    return template.format(
        d1=d.date(),
        d2=d.date(),
        d3=d.date(),
        t1=t1,
        t2=t2,
        t3=t3,
        h1=d.hood(t1),
        a1=d.agency(),
        a2=d.agency(),
        n1=f"{d.rng.randint(1000, 48000):,}",
        n2=d.rng.randint(40, 900),
        n3=d.rng.randint(60, 700),
        n4=d.rng.randint(30, 400),
        n5=d.rng.randint(12, 90),
        n6=d.rng.randint(8, 22),
        big=f"{d.rng.randint(90000, 1200000):,}",
        big2=f"{d.rng.randint(50000, 4800000):,}",
        r=d.rng.randint(40, 52),
        money=f"{d.rng.randint(1, 9)},{d.rng.randint(100, 999)},{d.rng.randint(100, 999)}",
        money2=f"{d.rng.randint(10, 40)},{d.rng.randint(100, 999)},000",
        pct=d.rng.randint(12, 64),
        year=2025,
        year2=2026,
        pc1=f"{prefix}{d.rng.randint(10, 99):02d}{d.rng.randint(1, 99):02d}{d.rng.randint(1, 99):02d}",
        pc2=f"{prefix}{d.rng.randint(10, 99):02d}{d.rng.randint(1, 99):02d}",
        pc3=f"{prefix}{d.rng.randint(10, 99):02d}",
    )


def en_clean_sitrep(d: Doc) -> str:
    d.clean = True
    title = d.pick(
        ["Protection Sector situation report", "Protection dashboard narrative", "Monthly protection update"]
    )
    lines = [f"{title} - {'Libya' if d.country == 'LY' else 'Iraq'} - {d.pick(MONTHS)} 2025", ""]
    for template in d.rng.sample(CLEAN_EN_LINES, 8):
        lines.append(_clean_fill(d, template))
    lines += [
        "",
        "This report was compiled by the Protection Sector information management team from partner "
        "reports; figures are provisional.",
    ]
    return "\n".join(lines)


def en_clean_table(d: Doc) -> str:
    d.clean = True
    towns = list(LY_PLACES if d.country == "LY" else IQ_PLACES)
    sep = d.pick(["\t", ","])
    lines = [
        f"People reached by activity and location, {d.pick(MONTHS)} 2025 (partner 4W, export)",
        "",
        sep.join(["Location", "Partner", "Activity", "Women", "Men", "Girls", "Boys", "Total", "Reporting date"]),
    ]
    for town in d.rng.sample(towns, 5):
        cells = [d.rng.randint(25, 900) for _ in range(4)]
        lines.append(
            sep.join(
                [
                    town,
                    d.agency().replace(",", ""),
                    d.pick(["PSS", "Legal aid", "Case management", "Awareness", "Cash for protection"]),
                    *map(str, cells),
                    str(sum(cells)),
                    d.date().replace(",", ""),
                ]
            )
        )
    lines += ["", f"Data as of {d.date()}. Sources: partner 4W submissions, {d.rng.randint(11, 30)} partners."]
    return "\n".join(lines)


def en_clean_author(d: Doc) -> str:
    d.clean = True
    author = d.person()
    lines = [
        f"Rapid needs assessment - {d.town()} (key findings)",
        f"Prepared by {author.full} for the protection sector, {d.date()}",
        "",
    ]
    for template in d.rng.sample(CLEAN_EN_LINES, 5):
        lines.append("- " + _clean_fill(d, template))
    return "\n".join(lines)


def en_small_counts(d: Doc) -> str:
    d.small_count = True
    towns = d.rng.sample(list(LY_PLACES if d.country == "LY" else IQ_PLACES), 4)
    lines = ["Unaccompanied and separated children identified, by location and sex", "", "Location\tGirls\tBoys\tTotal"]
    for town in towns:
        g, b = d.rng.randint(1, 4), d.rng.randint(1, 4)
        lines.append(f"{town}\t{g}\t{b}\t{g + b}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------------------
# Arabic templates
# --------------------------------------------------------------------------------------------------------------


def ar_name_list(d: Doc) -> str:
    town = d.town()
    lines = [f"كشف أسماء المستفيدين من المساعدات النقدية - {AR_TOWN[town]}", f"التاريخ: {d.ar_date()}", ""]
    style = d.pick(["numbered", "dash", "table"])
    if style == "table":
        lines.append("الرقم | الاسم الكامل | رقم الهاتف | الرقم الوطني")
    for i in range(1, d.rng.randint(7, 12)):
        p = d.person()
        n = d.num(str(i))
        if style == "numbered":
            lines.append(f"{n}. {p.full} - هاتف: {d.phone()} - الرقم الوطني: {d.national_id(p)}")
        elif style == "dash":
            lines.append(f"- {p.full}، {d.phone()}")
        else:
            lines.append(f"{n} | {p.full} | {d.phone()} | {d.national_id(p)}")
    lines += ["", "توقيع لجنة التوزيع: ........"]
    return "\n".join(lines)


def ar_monitoring_prose(d: Doc) -> str:
    town = d.town()
    sw = d.person(female=True)
    head = d.person(female=False)
    neighbour = d.person()
    lines = [
        f"تقرير الرصد الميداني - {AR_TOWN[town]}",
        f"تاريخ الزيارة: {d.ar_date()}",
        "",
        f"قام فريق الرصد بزيارة {d.rng.randint(20, 60)} أسرة نازحة في {AR_TOWN[town]}، "
        "وكانت أبرز المخاوف ارتفاع الإيجارات وفقدان الوثائق المدنية.",
        f"أحيلت أسرة السيد {head.full} من قبل الأخصائية الاجتماعية {sw.full} إلى الشريك القانوني بعد فقدان وثائقها، "
        f"ويمكن التواصل معه على الرقم {d.phone()} أو عن طريق جاره {neighbour.full} على الرقم {d.phone()}.",
        f"الرقم الوطني لرب الأسرة {d.national_id(head)} ولزوجته {d.national_id()}، أما الأطفال فأرقامهم "
        f"{d.national_id(child=True)} و{d.national_id(child=True)}.",
        "",
        "التوصيات:",
        "- متابعة استخراج الوثائق مع مكتب السجل المدني.",
        f"- زيارة متابعة خلال شهر {d.pick(AR_MONTHS)}.",
    ]
    return "\n".join(lines)


def ar_contact_sheet(d: Doc) -> str:
    lines = ["قائمة نقاط الاتصال - فريق الحماية", "", "الاسم\tالجهة\tالمدينة\tالهاتف\tالبريد الإلكتروني"]
    for i in range(d.rng.randint(5, 8)):
        country = d.country if i % 3 else ("IQ" if d.country == "LY" else "LY")
        saved = d.country
        d.country = country
        p = d.person()
        town = d.town()
        phone = d.phone()
        d.country = saved
        lines.append(f"{p.full}\t{d.pick(AR_AGENCIES)}\t{AR_TOWN[town]}\t{phone}\t{d.email(p)}")
    lines += ["", f"آخر تحديث: {d.ar_date()}"]
    return "\n".join(lines)


def ar_detention_list(d: Doc) -> str:
    d.sensitive_site = True
    centre = d.pick(
        [
            "مركز احتجاز طريق السكة",
            "مركز احتجاز عين زارة",
            "مركز احتجاز أبو سليم",
            "مركز إيواء المهاجرين بغريان",
            "مركز احتجاز المباني",
        ]
    )
    lines = [f"محضر زيارة {centre} بتاريخ {d.ar_date()}", "", "المحتجزون الذين تم تسجيل بياناتهم:"]
    for i in range(1, d.rng.randint(6, 9)):
        p = d.person(migrant=True)
        doc = (
            f"جواز سفر رقم {d.passport('Sudanese')}" if d.rng.random() < 0.5 else f"رقم المفوضية {d.unhcr_individual()}"
        )
        lines.append(f"{d.num(str(i))}- {p.full}، العمر {d.num(str(d.rng.randint(17, 45)))}، {doc}")
    town = d.pick(["Tripoli", "Zawiya"])
    lines += ["", f"إحداثيات المركز: {d.coordinate(town, d.pick(['ar', 'dec', 'dms']))}"]
    return "\n".join(lines)


def ar_gbv_case(d: Doc) -> str:
    d.severe_topic = True
    survivor = d.person(female=True)
    worker = d.person(female=True)
    lines = [
        f"ملاحظة حالة عنف قائم على النوع الاجتماعي - سري - رقم الحالة {d.case_ref('GBV')}",
        f"مديرة الحالة: {worker.full}",
        "",
        f"الناجية {survivor.full}، العمر {d.num(str(d.rng.randint(18, 40)))} سنة، "
        f"الرقم الوطني {d.national_id(survivor)}.",
        "أفادت الناجية بتعرضها لعنف جسدي وجنسي متكرر من قبل زوجها، وطلبت خدمات الدعم النفسي والحماية القانونية.",
        f"يتم التواصل فقط عبر مديرة الحالة على الرقم {d.phone()}.",
        "تمت الموافقة المستنيرة على الإحالة إلى الخدمات الصحية.",
    ]
    return "\n".join(lines)


def ar_iraq_idp_tsv(d: Doc) -> str:
    town = d.town()
    lines = [
        f"قائمة الأسر النازحة العائدة إلى {AR_TOWN[town]}",
        "",
        "ت\tاسم رب الأسرة\tعدد الأفراد\tرقم البطاقة الوطنية\tرقم الهاتف\tالإحداثيات",
    ]
    for i in range(1, d.rng.randint(6, 9)):
        p = d.person()
        coord = d.coordinate(town, "dec") if i <= 2 else "-"
        lines.append(
            f"{d.num(str(i))}\t{p.full}\t{d.num(str(d.rng.randint(2, 10)))}\t{d.national_id(p)}\t{d.phone()}\t{coord}"
        )
    return "\n".join(lines)


CLEAN_AR_LINES = [
    "خلال الفترة من {d1} إلى {d2} وصل الشركاء إلى {n1} شخصاً بخدمات الحماية في {t1} و{t2} و{t3}.",
    "يقدر عدد النازحين بنحو {big} شخص، وعدد العائدين بنحو {big2} شخص وفق مصفوفة تتبع النزوح (الجولة {r}).",
    "افتتحت {a1} مركزين مجتمعيين في {t1}، وحضر {n2} شخصاً جلسات التوعية.",
    "التمويل: تم استلام {money} دولار أمريكي من أصل {money2} دولار مطلوبة ({pct}٪).",
    "اجتمع فريق عمل الحماية يوم {d3} من الساعة ١٠:٠٠ إلى ١٢:٠٠ في مقر {a1}.",
    "المساعدة القانونية: {n3} استشارة، واستخراج {n4} وثيقة مدنية (شهادات ميلاد وعقود زواج).",
    "أفيد بوجود قيود على الوصول في الطريق بين {t1} و{t3} يوم {d2}، وأعيد فتح الطريق يوم {d3}.",
    "للتواصل: فريق تنسيق قطاع الحماية عبر القائمة البريدية للقطاع.",
    "المرجع: استراتيجية قطاع الحماية {year}-{year2}، وخطة الاستجابة الإنسانية {year}.",
]


def _ar_clean_fill(d: Doc, template: str) -> str:
    towns = list(LY_PLACES if d.country == "LY" else IQ_PLACES)
    t1, t2, t3 = (AR_TOWN[t] for t in d.rng.sample(towns, 3))
    n = d.num
    return template.format(
        d1=d.ar_date(),
        d2=d.ar_date(),
        d3=d.ar_date(),
        t1=t1,
        t2=t2,
        t3=t3,
        a1=d.pick(AR_AGENCIES),
        n1=n(f"{d.rng.randint(1000, 48000):,}"),
        n2=n(str(d.rng.randint(40, 900))),
        n3=n(str(d.rng.randint(60, 700))),
        n4=n(str(d.rng.randint(30, 400))),
        big=n(f"{d.rng.randint(90000, 1200000):,}"),
        big2=n(f"{d.rng.randint(50000, 4800000):,}"),
        r=n(str(d.rng.randint(40, 52))),
        money=n(f"{d.rng.randint(1, 9)},{d.rng.randint(100, 999)},{d.rng.randint(100, 999)}"),
        money2=n(f"{d.rng.randint(10, 40)},{d.rng.randint(100, 999)},000"),
        pct=n(str(d.rng.randint(12, 64))),
        year=n("2025"),
        year2=n("2026"),
    )


def ar_clean_report(d: Doc) -> str:
    d.clean = True
    lines = [f"تحديث قطاع الحماية الشهري - {'ليبيا' if d.country == 'LY' else 'العراق'} - {d.pick(AR_MONTHS)} ٢٠٢٥", ""]
    for template in d.rng.sample(CLEAN_AR_LINES, 7):
        lines.append(_ar_clean_fill(d, template))
    lines += ["", "أعد هذا التقرير فريق إدارة المعلومات في قطاع الحماية، والأرقام أولية."]
    return "\n".join(lines)


def ar_clean_table(d: Doc) -> str:
    d.clean = True
    towns = d.rng.sample(list(LY_PLACES if d.country == "LY" else IQ_PLACES), 5)
    lines = [
        "عدد المستفيدين حسب النشاط والموقع (تصدير من جدول الشركاء)",
        "",
        "الموقع\tالنشاط\tنساء\tرجال\tفتيات\tفتيان\tالمجموع",
    ]
    for town in towns:
        cells = [d.rng.randint(20, 700) for _ in range(4)]
        lines.append(
            "\t".join(
                [
                    AR_TOWN[town],
                    d.pick(["الدعم النفسي", "المساعدة القانونية", "إدارة الحالات", "التوعية"]),
                    *(d.num(str(c)) for c in cells),
                    d.num(str(sum(cells))),
                ]
            )
        )
    lines += ["", f"البيانات حتى تاريخ {d.ar_date()}."]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------------------
# The set: which templates, how many, in which country and digits
# --------------------------------------------------------------------------------------------------------------

#: (file stem, template, country, Arabic text, Arabic-Indic digits)
PLAN: list[tuple[str, Callable[[Doc], str], str, bool, bool]] = [
    ("en_monitoring_prose_ly", en_monitoring_prose, "LY", False, False),
    ("en_monitoring_prose_iq", en_monitoring_prose, "IQ", False, False),
    ("en_monitoring_prose_ly2", en_monitoring_prose, "LY", False, False),
    ("en_referral_email_ly", en_referral_email, "LY", False, False),
    ("en_referral_email_iq", en_referral_email, "IQ", False, False),
    ("en_contact_sheet_mixed_1", en_contact_sheet_mixed, "LY", False, False),
    ("en_contact_sheet_mixed_2", en_contact_sheet_mixed, "IQ", False, False),
    ("en_csv_beneficiaries_ly", en_csv_beneficiaries, "LY", False, False),
    ("en_csv_beneficiaries_iq", en_csv_beneficiaries, "IQ", False, False),
    ("en_tsv_distribution_ly", en_tsv_distribution, "LY", False, False),
    ("en_tsv_distribution_iq", en_tsv_distribution, "IQ", False, False),
    ("en_detention_list_1", en_detention_list, "LY", False, False),
    ("en_detention_list_2", en_detention_list, "LY", False, False),
    ("en_gbv_case_note_ly", en_gbv_case_note, "LY", False, False),
    ("en_gbv_case_note_iq", en_gbv_case_note, "IQ", False, False),
    ("en_minutes_attendance_ly", en_minutes_attendance, "LY", False, False),
    ("en_minutes_attendance_iq", en_minutes_attendance, "IQ", False, False),
    ("en_site_list_coordinates_ly", en_site_list_coordinates, "LY", False, False),
    ("en_site_list_coordinates_iq", en_site_list_coordinates, "IQ", False, False),
    ("en_household_visit_ly", en_household_visit, "LY", False, False),
    ("en_household_visit_iq", en_household_visit, "IQ", False, False),
    ("en_small_counts_ly", en_small_counts, "LY", False, False),
    ("en_clean_sitrep_ly", en_clean_sitrep, "LY", False, False),
    ("en_clean_sitrep_iq", en_clean_sitrep, "IQ", False, False),
    ("en_clean_sitrep_ly2", en_clean_sitrep, "LY", False, False),
    ("en_clean_table_ly", en_clean_table, "LY", False, False),
    ("en_clean_table_iq", en_clean_table, "IQ", False, False),
    ("en_clean_author_iq", en_clean_author, "IQ", False, False),
    ("ar_name_list_ly", ar_name_list, "LY", True, True),
    ("ar_name_list_ly2", ar_name_list, "LY", True, False),
    ("ar_name_list_iq", ar_name_list, "IQ", True, True),
    ("ar_name_list_iq2", ar_name_list, "IQ", True, False),
    ("ar_monitoring_prose_ly", ar_monitoring_prose, "LY", True, True),
    ("ar_monitoring_prose_iq", ar_monitoring_prose, "IQ", True, False),
    ("ar_contact_sheet_ly", ar_contact_sheet, "LY", True, False),
    ("ar_contact_sheet_iq", ar_contact_sheet, "IQ", True, True),
    ("ar_detention_list_1", ar_detention_list, "LY", True, False),
    ("ar_detention_list_2", ar_detention_list, "LY", True, True),
    ("ar_gbv_case_ly", ar_gbv_case, "LY", True, True),
    ("ar_gbv_case_iq", ar_gbv_case, "IQ", True, False),
    ("ar_iraq_idp_tsv_1", ar_iraq_idp_tsv, "IQ", True, False),
    ("ar_iraq_idp_tsv_2", ar_iraq_idp_tsv, "IQ", True, True),
    ("ar_clean_report_ly", ar_clean_report, "LY", True, True),
    ("ar_clean_report_iq", ar_clean_report, "IQ", True, False),
    ("ar_clean_table_ly", ar_clean_table, "LY", True, False),
    ("ar_clean_table_iq", ar_clean_table, "IQ", True, True),
]

HEADER = """\
# Labelled fixtures for the sensitivity scan, second set: generated by bench/scan_unseen_generator.py (seed {seed})
# from templates written before the scanner's rules were read, then frozen. Do not edit by hand: regenerate.
# Every person, number, address and case in these files is invented. Keys as in tests/scan_corpus/manifest.yaml;
# template names the generator's template.
"""


def generate(seed: int = SEED) -> dict[str, str]:
    """File name -> content, for every text and for ``manifest.yaml``."""
    import yaml

    files: dict[str, str] = {}
    entries = []
    for i, (stem, template, country, arabic, arabic_digits) in enumerate(PLAN):
        doc = Doc(rng=random.Random(f"{seed}:{i}:{stem}"), country=country, arabic=arabic, arabic_digits=arabic_digits)
        text = template(doc).rstrip() + "\n"
        name = f"{stem}.txt"
        files[name] = text
        entries.append({"file": name, "template": template.__name__, **doc.labels()})
    body = yaml.safe_dump({"documents": entries}, allow_unicode=True, sort_keys=False, width=120)
    files["manifest.yaml"] = HEADER.format(seed=seed) + body
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="only compare with the frozen files")
    parser.add_argument("--seed", type=int, default=SEED, help="another seed: new values, same templates")
    args = parser.parse_args(argv)
    files = generate(args.seed)
    if args.check:
        differ = [n for n, t in files.items() if not (args.out / n).is_file() or (args.out / n).read_text("utf-8") != t]
        for name in differ:
            print("differs:", name)
        return 1 if differ else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).write_text(text, encoding="utf-8")
    print(f"{len(files) - 1} documents written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
