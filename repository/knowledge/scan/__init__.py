"""The sensitivity scan: what in a document's text could harm people if it were shared too widely.

Pure: standard library only, no Flask, no database. :func:`scan_text` reads extracted text (English and Arabic)
and returns one :class:`Finding` per kind found, with the kinds of the public interface:

``person_name``, ``phone``, ``email``, ``id_number``, ``coordinates``, ``sensitive_site``, ``severe_topic``,
``small_count``.

A finding carries a count, where it was seen (``"page 2"`` when the text has form feeds between pages, else
``"line 14"``; ten places at most) and a short *redacted* example that never reproduces the value
(``+218 9• ••• ••78``, ``a•••@d•••.org``, ``LY-••-••17``, ``32.8•, 13.1•``, initials ``A. B.``). The raw values
stay inside this package: :func:`detect` returns them for measurement (``bench/scan_quality.py``) and must never be
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

Layout
======

One module per job: ``common`` (kinds, :class:`Finding`, :class:`Hit`, text preparation, masking), ``contacts``
(phones, e-mail), ``ids``, ``coordinates``, ``tables`` (table rows and headed columns), ``names``, ``sites``
(sensitive sites, severe topics), ``counts`` (small counts) and ``findings`` (the entry points). The word lists
and the long vocabulary patterns are data: ``data/words.txt`` and ``data/patterns.txt``, read once by ``lists``.
"""

from __future__ import annotations

from repository.knowledge.scan.common import DOT
from repository.knowledge.scan.common import KINDS
from repository.knowledge.scan.common import MAX_WHERE
from repository.knowledge.scan.common import Finding
from repository.knowledge.scan.common import Hit
from repository.knowledge.scan.common import prepare
from repository.knowledge.scan.contacts import canonical_phone
from repository.knowledge.scan.coordinates import parse_coordinates
from repository.knowledge.scan.findings import canonical_id
from repository.knowledge.scan.findings import detect
from repository.knowledge.scan.findings import findings_from_hits
from repository.knowledge.scan.findings import findings_json
from repository.knowledge.scan.findings import scan_text

__all__ = [
    "DOT",
    "KINDS",
    "MAX_WHERE",
    "Finding",
    "Hit",
    "canonical_id",
    "canonical_phone",
    "detect",
    "findings_from_hits",
    "findings_json",
    "parse_coordinates",
    "prepare",
    "scan_text",
]
