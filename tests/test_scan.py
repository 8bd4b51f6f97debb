"""The sensitivity scan (repository/knowledge/scan/) and the minimum-level rule table (protocol.MINIMUM_RULES).

Unit tests per kind in English and Arabic, the redaction promise (an example never reproduces a value), the rule
table's outcomes, and the acceptance targets measured on the labelled corpus ``tests/scan_corpus`` both on the
plain texts and on PDF/DOCX renderings extracted through the sandbox.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import filefactory as ff
import pytest
from purity import imported_modules
from purity import top_level

from indexer.pool import extract_once as extract_in_subprocess
from repository import protocol
from repository.knowledge import scan
from repository.knowledge.scan import Finding
from repository.knowledge.scan import detect
from repository.knowledge.scan import findings_json
from repository.knowledge.scan import scan_text
from repository.knowledge.sniff import DOCX
from repository.knowledge.sniff import PDF

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import scan_quality  # noqa: E402

CORPUS = ROOT / "tests" / "scan_corpus"


def values(text: str, kind: str) -> set[str]:
    return {h.key for h in detect(text) if h.kind == kind}


def finding(text: str, kind: str) -> Finding | None:
    return next((f for f in scan_text(text) if f.kind == kind), None)


def count(text: str, kind: str) -> int:
    f = finding(text, kind)
    return f.count if f else 0


# --------------------------------------------------------------------------------------------------------------
# Phones
# --------------------------------------------------------------------------------------------------------------


#: text -> the canonical phone number found in it
PHONE_FORMATS = {
    "Call +218 91 000 0123 today": "+218910000123",
    "Tel: 00218 92 000 0124.": "+218920000124",
    "mobile 091-000-0125": "+218910000125",
    "091.000.0126 (WhatsApp)": "+218910000126",
    "(+218) 94 000 0127": "+218940000127",
    "0910000128": "+218910000128",
    "Iraq office +964 750 000 0129": "+9647500000129",
    "رقم الهاتف: 0770 000 0130": "+9647700000130",
    "Geneva +41 22 000 01 31": "+41220000131",
    "الهاتف ٠٩١٠٠٠٠١٣٢": "+218910000132",
    "للتواصل: +٢١٨ ٩٢ ٠٠٠ ٠١٣٣": "+218920000133",
    "Fax: 021 000 1234": "0210001234",
}


#: texts with numbers that are not phone numbers
PHONE_LOOK_ALIKES = [
    "Published 2025-04-17, reviewed 17.04.2025 and 17/04/2025.",
    "Budget USD 12,500,000 and LYD 1,250,000; IQD 250,000.",
    "P-codes LY021104, LY0319 and IQG15; page 12 of 40; Round 52; 2024-2025.",
    "Coordinates 32.8872, 13.1913; 45% of 1,100,000 IDPs; version 2.3.1; hotline 1417.",
    "Meeting 10:00-12:00 on 07-04-2025 in room 214, ISBN 978-92-1-132046-4.",
    "نسبة التمويل ٣٣٪ من ٣٨٫٢ مليون دولار، ٢٠٢٥/٠٤/١٧، الرمز LY021104",
]


def test_distinct_phones_counted_once():
    text = "Call +218 91 000 0123 or 091 000 0123, else +218 92 000 0124."
    assert count(text, "phone") == 2


# --------------------------------------------------------------------------------------------------------------
# E-mail, ids, coordinates
# --------------------------------------------------------------------------------------------------------------


def test_email_and_functional_mailboxes():
    text = "Write to Fatma.Zawi@example.org or info@example.org, protection.libya@example.org, a.b@example.co.uk"
    assert values(text, "email") == {"fatma.zawi@example.org", "a.b@example.co.uk"}


#: text -> the identity or case number found in it
ID_NUMBERS = {
    "National number: 119850012345": "119850012345",
    "NID 219900012345": "219900012345",
    "الرقم الوطني: ١١٩٨٥٠٠١٢٣٤٥": "119850012345",
    "رقم البطاقة الموحدة: ١٩٩٠١٢٣٤٥٦٧٨": "199012345678",
    "Passport no. P1234567": "P1234567",
    "holder of BH0912345 (Bangladesh)": "BH0912345",
    "Case LY-25-0417 was closed": "LY-25-0417",
    "see CASE-2025-0012": "CASE-2025-0012",
    "UNHCR 123-45C67890": "123-45C67890",
    "ID no.: A12345678": "A12345678",
    "رقم الحالة: IRQ-GBV-2025-017": "IRQ-GBV-2025-017",
    "Case no. 2025/0112 - claimant": "2025/0112",
}


#: texts with P-codes and references that are not identity or case numbers
ID_LOOK_ALIKES = [
    "Tawergha (LY021104), Sebha LY031901, Ninewa IQG15, Duhok IQG09",
    "Resolution 2259 (2015), HRP 2025, ISO 3166-2:LY, COVID-19, SDG-16",
    "Contract no. LBY-2025-0045 and grant 2025-CERF-LBY-001",
    "الرمز LY010101 وخطة ٢٠٢٥-٢٠٢٦",
]


@pytest.mark.parametrize(
    ("kind", "text", "key"),
    [*(("phone", t, k) for t, k in PHONE_FORMATS.items()), *(("id_number", t, k) for t, k in ID_NUMBERS.items())],
)
def test_values_found(kind, text, key):
    """Phone numbers and identity numbers in their written forms, each found as its canonical key."""
    assert values(text, kind) == {key}


@pytest.mark.parametrize(
    ("kind", "text"), [*(("phone", t) for t in PHONE_LOOK_ALIKES), *(("id_number", t) for t in ID_LOOK_ALIKES)]
)
def test_look_alikes_are_not_found(kind, text):
    """Dates, amounts, P-codes and references are neither phone numbers nor identity numbers."""
    assert values(text, kind) == set()


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("GPS 32.8872, 13.1913", 32.8872, 13.1913),
        ("at N 32.887 E 13.191, second gate", 32.887, 13.191),
        ("32.8872N, 13.1913E", 32.8872, 13.1913),
        ("Lat 32.8872° Long 13.1913°", 32.8872, 13.1913),
        ("lat 32.88, long 13.19", 32.88, 13.19),
        ("(36.3456,43.1234)", 36.3456, 43.1234),
        ("32°53'14\"N 13°11'29\"E", 32.8872, 13.1914),
        ("N32°53'14\" E13°11'29\"", 32.8872, 13.1914),
        ("الإحداثيات ٣٢٫٨٨٧٢، ١٣٫١٩١٣", 32.8872, 13.1913),
        ("عند ٣٢°٥٣'١٤\" شمالاً ١٣°١١'٢٩\" شرقاً", 32.8872, 13.1914),
        ("-33.9249, 18.4241", -33.9249, 18.4241),
    ],
)
def test_coordinates(text, lat, lon):
    keys = values(text, "coordinates")
    assert len(keys) == 1
    found_lat, found_lon = (float(x) for x in next(iter(keys)).split(","))
    assert abs(found_lat - lat) < 0.0006 and abs(found_lon - lon) < 0.0006


@pytest.mark.parametrize(
    "text",
    [
        "Budget LYD 12.500, 13.750 per month",
        "Growth 12.5, 13.7 and 45.25 ratio",
        "Version 10.2.3.4 and 1.250.000 people",
        "Latitude 132.8872, 213.1913 is out of range",
        "12.345% and 13.456%",
    ],
)
def test_coordinate_look_alikes(text):
    assert values(text, "coordinates") == set()


# --------------------------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------------------------


def test_participant_list_with_titles_is_counted():
    text = "\n".join(
        [
            "List of participants",
            "1. Mr. Bryant Castro - IRC",  # not in the gazetteer: the list and the title make it a name
            "2. Ms. Aisha Ben Ramadan - LRC",
            "3. Dr. Tarek El Mangoush - Misrata Medical Centre",
            "4. Ms. Layla Al-Dabbashi - CESVI",
            "5. Eng. Faisal Shaftar - Social Affairs Office",
            "6. Tesfay Gebre - community leader",
        ]
    )
    f = finding(text, "person_name")
    assert f is not None and f.count == 6
    assert f.where[0] == "line 2"


def test_name_column_and_split_name_columns():
    text = "Name | Sex | Phone\nAmina Younis Idris | F | 0910000205\nTESFAY GEBRE | M | 0910000206\n"
    assert count(text, "person_name") == 2
    text = "Surname | First name | Organisation\nSALEM | Ahmed | LRC\nBEN ALI | Fatma | IRC\n"
    assert count(text, "person_name") == 2


def test_arabic_names():
    text = "\n".join(
        [
            "قائمة المشاركين",
            "١. السيد عبد الحكيم الترهوني - وزارة الشؤون الاجتماعية",
            "٢. السيدة نجلاء المبروك - الهلال الأحمر الليبي",
            "تحدث محمد علي الورفلي مع فاطمة بنت سالم عن الخطة.",
            "الاسم: خديجة الزاوي",
        ]
    )
    assert count(text, "person_name") == 5


def test_single_signature_is_one_name_not_a_list():
    text = "Thank you for the update.\n\nBest regards,\nNadia Elmehdi\nProtection Officer, Benghazi"
    assert count(text, "person_name") == 1
    assert protocol.minimum_level(findings_json(scan_text(text))) == (None, [])


@pytest.mark.parametrize(
    "text",
    [
        "Partners: Mercy Corps, Save the Children, the King Hussein Foundation and Danish Refugee Council.",
        "The office moved to Omar Mukhtar Street; convoys reach Bani Walid, Abu Salim and Salah al-Din.",
        "Monitoring at the Tariq al-Sikka detention centre and the Ali Baba market.",
        "تعمل منظمة الهلال الأحمر الليبي في بلدية سوق الجمعة وبني وليد.",
        "Tunis: CESVI, RACH, CIR, UNFPA, UNMAS HRD, INTERSOS, ACTED, GVC, DRC, UNHCR, IFES.",
    ],
)
def test_organisations_and_places_are_not_names(text):
    assert count(text, "person_name") == 0


# --------------------------------------------------------------------------------------------------------------
# Sites, severe topics, small counts
# --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She was moved to the safe house in Benghazi.", 1),
        ("Visit to the Al Nasr detention centre (DCIM) and a DCIM centre in Zuwara.", 2),
        ("118 people at the disembarkation point of the naval base.", 1),
        ("Access to detention centres remained limited; safe houses are full.", 0),
        ("Shelter/NFI sector distributed kits; emergency shelter needs remain.", 0),
        ("تم نقلها إلى دار إيواء النساء في طرابلس", 1),
        ("زيارة مركز احتجاز النصر ونقطة إنزال في الميناء", 2),
        ("لا يزال الوصول إلى مراكز الاحتجاز محدوداً", 0),
    ],
)
def test_sensitive_sites(text, expected):
    assert count(text, "sensitive_site") == expected


def test_severe_topic_needs_case_details():
    aggregate = "GBV partners assisted 212 survivors; rape and sexual violence remain under-reported (18%)."
    assert finding(aggregate, "severe_topic") is None
    case = "The survivor, aged 16, reported rape by a neighbour.\nAlleged perpetrator: neighbour"
    f = finding(case, "severe_topic")
    assert f is not None and f.count == 3 and f.example == "survivor"
    arabic = "الناجية: س. م.، تبلغ من العمر ١٧ سنة\nنوع الحادثة: اغتصاب\nالجاني: رجل مسلح"
    assert count(arabic, "severe_topic") == 3
    hlp = "Case no. 2025/0112 - claimant Khalil Murad Hajji, land dispute"
    assert finding(hlp, "severe_topic") is None


def test_small_counts():
    table = "\n".join(
        [
            "Baladiya | Sex | Age | Individuals",
            "Sebha | female | 12-17 | 3",
            "Sebha | male | 12-17 | 11",
            "Ghat | F | 60+ | 1",
        ]
    )
    f = finding(table, "small_count")
    assert f is not None and f.count == 2 and f.where == ("line 2", "line 4")
    arabic = "البلدية\tالجنس\tالعدد\nسبها\tأنثى\t٣\nغات\tذكر\t٢٢\n"
    assert count(arabic, "small_count") == 1
    severity = "Mantika | Severity (1-5) | People in need\nSebha | 4 | 48,200\nGhat | 3 | 12,100\n"
    assert finding(severity, "small_count") is None
    partners = "Baladiya | Partners | Projects\nSebha | 3 | 5\nGhat | 1 | 2\n"
    assert finding(partners, "small_count") is None
    large = "Mantika | Girls | Boys\nTripoli | 3,420 | 3,610\nSebha | 640 | 702\n"
    assert finding(large, "small_count") is None


# --------------------------------------------------------------------------------------------------------------
# Findings: shape, where, redaction
# --------------------------------------------------------------------------------------------------------------


def test_findings_shape_and_where():
    assert scan_text("") == []
    assert scan_text("A clean sentence about 1,200 families in Sebha (LY0319).") == []
    text = "page one\nTel: +218 91 000 0101\fpage two\n\fpage three +218 91 000 0102"
    f = finding(text, "phone")
    assert f == Finding("phone", 2, ("page 1", "page 3"), "+218 9• ••• ••01")
    many = "\n".join(f"Line {i}: +218 91 000 {i:04d}" for i in range(25))
    f = finding(many, "phone")
    assert f.count == 25 and len(f.where) == scan.MAX_WHERE and f.where[0] == "line 1"
    (as_json,) = findings_json([f])
    assert set(as_json) == {"kind", "count", "where", "example"} and isinstance(as_json["where"], list)


def test_examples_have_the_documented_shapes():
    text = (
        "Tel +218 91 000 0178; amina.salem@example.org; Case LY-25-0417; GPS 32.8872, 13.1913\n"
        "Name: Amina Salem\nThe survivor (F, 16) met the alleged perpetrator.\nSebha | female | 12-17 | 3\n"
        "Sebha | male | 12-17 | 9\nShe stayed in the safe house."
    )
    examples = {f.kind: f.example for f in scan_text(text)}
    assert examples == {
        "person_name": "A. S.",
        "phone": "+218 9• ••• ••78",
        "email": "a•••@e•••.org",
        "id_number": "LY-••-••17",
        "coordinates": "32.8•, 13.1•",
        "sensitive_site": "safe house",
        "severe_topic": "survivor",
        "small_count": "1 cell under 5",
    }


def _all_corpus_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]


def test_examples_never_reproduce_values():
    checked = 0
    for text in _all_corpus_texts():
        hits = detect(text)
        examples = [f.example for f in scan_text(text)]
        for hit in hits:
            if hit.kind not in ("phone", "email", "id_number", "coordinates", "person_name"):
                continue
            checked += 1
            for example in examples:
                assert hit.value not in example
                digits = re.sub(r"\D", "", scan.prepare(hit.value))
                if len(digits) >= 6:
                    assert digits[-6:] not in re.sub(r"\D", "", example), (hit.value, example)
                if hit.kind == "email":
                    assert hit.value.split("@")[0].lower() not in example.lower()
                if hit.kind == "person_name":
                    for word in hit.value.split():
                        if len(word.strip(".")) > 2:
                            assert word not in example
    assert checked > 150


# --------------------------------------------------------------------------------------------------------------
# The rule table
# --------------------------------------------------------------------------------------------------------------


def F(kind: str, n: int = 1) -> dict:  # noqa: N802 - reads like a table row
    return {"kind": kind, "count": n, "where": ["line 1"], "example": "x"}


def test_rule_table_is_data():
    rules = protocol.MINIMUM_RULES
    assert isinstance(rules, tuple) and all(isinstance(r, protocol.MinimumRule) for r in rules)
    assert len({r.id for r in rules}) == len(rules)
    kinds = set(scan.KINDS)
    for rule in rules:
        assert rule.level in protocol.LEVELS and rule.reason
        assert {k for k in (rule.kind, *rule.all_of, *rule.any_of, *rule.none_of) if k} <= kinds
        assert rule.kind or rule.all_of or rule.any_of or rule.codes


@pytest.mark.parametrize(
    ("findings", "codes", "level", "reason_part"),
    [
        ([F("person_name", 5)], (), protocol.CONFIDENTIAL, "A list of 5 personal names"),
        ([F("person_name", 4)], (), None, None),
        ([F("phone")], (), protocol.CONFIDENTIAL, "Phone numbers of individuals (1)"),
        ([F("email", 2)], (), protocol.CONFIDENTIAL, "e-mail"),
        ([F("id_number")], (), protocol.CONFIDENTIAL, "passport"),
        ([F("coordinates")], (), protocol.CONFIDENTIAL, "GPS"),
        ([F("small_count", 3)], (), protocol.CONFIDENTIAL, "3 table cell"),
        ([F("sensitive_site", 2), F("coordinates")], (), protocol.STRICTLY_CONFIDENTIAL, "sensitive site"),
        ([F("sensitive_site", 2)], (), protocol.RESTRICTED, "A sensitive site named (2 mention(s)"),
        ([F("severe_topic", 3), F("person_name")], (), protocol.STRICTLY_CONFIDENTIAL, "case details"),
        ([F("severe_topic", 3), F("phone")], (), protocol.STRICTLY_CONFIDENTIAL, "case details"),
        ([F("severe_topic", 3)], (), protocol.RESTRICTED, "case details (3 mention(s)), even without names"),
        ([F("phone")], ("theme:gbv",), protocol.STRICTLY_CONFIDENTIAL, "theme:gbv"),
        ([F("person_name", 2)], ("theme:child_protection",), protocol.STRICTLY_CONFIDENTIAL, "names 2 people"),
        ([F("person_name", 1)], ("theme:gbv",), None, None),
        ([F("person_name", 6), F("sensitive_site")], (), protocol.STRICTLY_CONFIDENTIAL, "6 personal names"),
        ([F("person_name", 5)], ("theme:detention",), protocol.STRICTLY_CONFIDENTIAL, "theme:detention"),
        ([], ("theme:gbv",), None, None),
        ([], (), None, None),
    ],
)
def test_minimum_level_outcomes(findings, codes, level, reason_part):
    got_level, reasons = protocol.minimum_level(findings, codes)
    assert got_level == level
    if reason_part is None:
        assert reasons == []
    else:
        assert any(reason_part in r for r in reasons), reasons
        assert len(set(reasons)) == len(reasons)


def test_minimum_level_reasons_highest_first_and_fail_closed():
    level, reasons = protocol.minimum_level([F("phone"), F("sensitive_site"), F("coordinates")])
    assert level == protocol.STRICTLY_CONFIDENTIAL
    assert reasons[0].startswith("The location of a sensitive site") and len(reasons) == 3
    # an unreadable count counts as one; junk entries are ignored
    assert protocol.minimum_level([{"kind": "phone", "count": "many"}, None, 3, {"count": 2}])[0] == "confidential"
    assert protocol.minimum_level([{"kind": "phone", "count": 0}]) == (None, [])


def test_minimum_level_of_scanned_text():
    names = "\n".join(["Participants"] + [f"{i}. Ms. Fatima Salem{chr(97 + i)}i - LRC" for i in range(5)])
    level, reasons = protocol.minimum_level(findings_json(scan_text(names)))
    assert level == protocol.CONFIDENTIAL and reasons == ["A list of 5 personal names"]
    level, _ = protocol.minimum_level(findings_json(scan_text("Call me on +218 91 000 0123.")))
    assert level == protocol.CONFIDENTIAL
    site = "The safe house is at N 32.0841 E 20.0680, second floor."
    assert protocol.minimum_level(findings_json(scan_text(site)))[0] == protocol.STRICTLY_CONFIDENTIAL
    clean = (CORPUS / "en_sitrep_libya_clean.txt").read_text(encoding="utf-8")
    assert protocol.minimum_level(findings_json(scan_text(clean))) == (None, [])


# --------------------------------------------------------------------------------------------------------------
# Rules added for the second labelled set (tests/scan_corpus_unseen): one test per general rule
# --------------------------------------------------------------------------------------------------------------


def test_phone_span_stops_at_a_tab_and_a_plus_starts_a_number():
    assert values("004\t3\t+964 770 012 3456\tPassport", "phone") == {"+9647700123456"}
    # latitude and longitude cells are not glued into a phone number
    assert values("Sebha school\t47\t27.00401\t14.46544\tOsama", "phone") == set()


def test_csv_cells_after_a_comma_are_found_but_not_thousands():
    line = "3,Khaled,Ahmed,Swehli,M,28,091-021-2328,119692144112,Al Fateh"
    assert values(line, "phone") == {"+218910212328"}
    assert values(line, "id_number") == {"119692144112"}
    assert values("Population 1,234,567 and 2,091,000 returnees", "phone") == set()


def test_several_national_numbers_in_one_sentence_each_count():
    text = (
        "Her national number 219920001234 and her husband's, 119880004321, were checked; "
        "the children's 220150001111 and 220170002222 were missing."
    )
    assert values(text, "id_number") == {"219920001234", "119880004321", "220150001111", "220170002222"}


def test_iraqi_unified_card_number_without_a_label():
    assert values("The numbers 198978335476 and 200151348284 were recorded.", "id_number") == {
        "198978335476",
        "200151348284",
    }
    assert values("Budget line 2025 03 14 and 20250314", "id_number") == set()


def test_number_glued_to_an_arabic_conjunction():
    assert values("الرقم الوطني للأب ١١٩٨٥٠٠٠١٢٣٤ وللأم و٢١٩٩٠٠٠٠٥٦٧٨", "id_number") == {"119850001234", "219900005678"}


def test_plural_label_does_not_glue_its_s_to_the_value():
    text = "individual numbers 254-00012345, 254-00012346 and 512-00012347"
    assert values(text, "id_number") == {"254-00012345", "254-00012346", "512-00012347"}


def test_office_coded_unhcr_case_and_slash_references():
    assert values("UNHCR case ERB-18C00424 and ref GBV/TRP/2024/697, CP/MSL/2023/745.", "id_number") == {
        "ERB-18C00424",
        "GBV/TRP/2024/697",
        "CP/MSL/2023/745",
    }
    assert values("UN document S/2025/123 and A/HRC/58/12", "id_number") == set()


def test_csv_export_with_split_name_columns():
    text = "No,First name,Father name,Family name,Sex,Age\n" + "\n".join(
        f"{i},{first},Ahmed,{family},F,3{i}"
        for i, (first, family) in enumerate(
            [
                ("Nisreen", "Elmehdi"),
                ("Laila", "Bettamer"),
                ("Asma", "Al-Kabir"),
                ("Aisha", "Swehli"),
                ("Safia", "Ramli"),
            ],
            start=1,
        )
    )
    assert count(text, "person_name") == 5
    assert count("Funding, USD, 1,200,000\nReceived, USD, 300,000", "person_name") == 0


def test_column_named_after_a_role_holds_names():
    text = "HH\tHead of household\tSize\n001\tDilan Hawrami\t3\n002\tSaman Aziz\t5\n003\tZhino Qadir\t4"
    assert count(text, "person_name") == 3


def test_numbered_entries_with_personal_details_are_a_list_without_heading():
    text = "\n".join(
        f"{i}. {name}, {nat}, {age}, passport P0{i}123456"
        for i, (name, nat, age) in enumerate(
            [("Yonas Haile", "Ethiopian", 36), ("Lamin Jallow", "Gambian", 41), ("Awet Tekle", "Eritrean", 31)],
            start=1,
        )
    )
    assert count(text, "person_name") == 3
    arabic = "١- يوسف آدم بشارة، العمر ١٨\n٢- صالح عمر أبو بكر، العمر ٣٤\n٣- آمنة إسحاق محمد، العمر ٤٣"
    assert count(arabic, "person_name") == 3
    # places with figures are not people: no personal detail on the line
    places = "1. Abu Salim, 230 households\n2. Souq Al Juma, 120 households\n3. Ain Zara, 95 households"
    assert count(places, "person_name") == 0


def test_inline_attendance_line():
    text = "Attendance: Sozan Khudhur (Mercy Hands); Karwan Hamad (UNFPA); Rebwar Qadir (IOM)."
    assert count(text, "person_name") == 3
    assert count("Present: UNHCR; IOM; UNICEF; Danish Refugee Council.", "person_name") == 0


def test_qualified_safe_shelter_is_a_site():
    assert finding("She was moved to the women's safe shelter in Derna.", "sensitive_site") is not None
    assert finding("Referral pathway: health | legal | safe shelter", "sensitive_site") is None


def test_household_members_column_is_not_a_small_count():
    text = "ت\tاسم رب الأسرة\tعدد الأفراد\tالمحافظة\n١\tحمزة وليد العزاوي\t٤\tالأنبار\n٢\tعلي حيدر البياتي\t٣\tالأنبار"
    assert finding(text, "small_count") is None


# --------------------------------------------------------------------------------------------------------------
# The corpus: acceptance targets on texts and on rendered PDF/DOCX files
# --------------------------------------------------------------------------------------------------------------


def test_corpus_composition():
    docs = scan_quality.load_manifest()
    assert len(docs) >= 30
    assert len({d["file"] for d in docs}) == len(docs)
    assert all((CORPUS / d["file"]).is_file() for d in docs)
    assert sum(d["file"].startswith("ar_") for d in docs) >= 8
    assert sum(bool(d.get("clean")) for d in docs) >= 8
    renders = [d.get("render") for d in docs]
    assert renders.count("docx") >= 5 and renders.count("pdf") + renders.count("arabic_pdf") >= 5


def test_corpus_targets():
    report = scan_quality.evaluate()
    assert report.documents >= 30
    assert scan_quality.missed_targets(report) == [], scan_quality.markdown(report)
    assert report.clean_total >= 8 and report.clean_above_restricted == []


def _render(entry: dict, folder: Path) -> tuple[Path, str]:
    text = (CORPUS / entry["file"]).read_text(encoding="utf-8").replace("\f", "\n")
    lines = [line for line in text.splitlines() if line.strip()]
    stem = folder / Path(entry["file"]).stem
    if entry["render"] == "pdf":
        return ff.make_pdf(stem.with_suffix(".pdf"), lines), PDF
    if entry["render"] == "arabic_pdf":
        return ff.make_arabic_pdf(stem.with_suffix(".pdf"), lines), PDF
    paragraphs = [line for line in lines if "|" not in line]
    table = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines if "|" in line]
    return ff.make_docx(stem.with_suffix(".docx"), paragraphs, table or None), DOCX


def test_rendered_pdf_and_docx_through_the_sandbox(tmp_path):
    entries = [d for d in scan_quality.load_manifest() if d.get("render")]
    texts: dict[str, str] = {}
    for entry in entries:
        path, mime = _render(entry, tmp_path)
        result = extract_in_subprocess(path, mime)
        assert result.status == "ok", (entry["file"], result.reason)
        texts[entry["file"]] = result.text
    report = scan_quality.evaluate(texts=texts, only=set(texts))
    assert report.documents == len(entries) >= 10
    assert scan_quality.missed_targets(report) == [], scan_quality.markdown(report)
    # on these documents nothing is lost in extraction: every expected value is still found
    for kind in scan_quality.INSTANCE_KINDS:
        assert report.scores[kind].fn == 0, [e for e in report.errors if kind in e]
    for kind in scan_quality.DOCUMENT_KINDS:
        assert report.scores[kind].recall == 1.0, [e for e in report.errors if kind in e]


def test_scan_speed_on_a_twenty_page_document():
    pages = []
    texts = _all_corpus_texts()
    for i in range(20):
        pages.append("\n".join(texts[(i * 3 + k) % len(texts)] for k in range(3)))
    document = "\f".join(pages)
    started = time.perf_counter()
    findings = scan_text(document)
    elapsed = time.perf_counter() - started
    assert findings and any(f.where and f.where[-1].startswith("page ") for f in findings)
    assert elapsed < 2.0, f"{elapsed:.2f} s"


def test_scan_module_is_pure():
    """Every module of the scan package imports only the standard library and the package itself."""
    package = ROOT / "repository" / "knowledge" / "scan"
    files = sorted(package.glob("*.py"))
    assert len(files) > 1 and package / "__init__.py" in files
    allowed = {"__future__", "bisect", "re", "unicodedata", "collections", "dataclasses", "functools", "pathlib"}
    for path in files:
        imported = imported_modules([path])
        own = {m for m in imported if m.startswith("repository.knowledge.scan.")}
        assert top_level(imported - own) <= allowed, path.name
