"""Fictional demo content for the document repository: organisations, users, documents.

Everything here is data plus pure file generators (no Flask, no database). The documents are
realistic but invented: every person, case, figure and phone number is fictional, and the
organisation names are only used as plausible authors.

Public API
----------
``DEMO_ORGS``        list of ``(acronym, full name)``.
``DEMO_USERS``       list of ``{"email", "org", "role"}`` (roles: partner, staff, coordinator, admin).
``DEMO_DOCUMENTS``   list of :class:`DemoDocument`.
``LEVELS``           the four IASC sensitivity levels, lowest first.
``render(doc, dest_dir)`` writes ``<key>.pdf|docx|xlsx`` and returns its path.
``find_arabic_font()``    (regular, bold) TTF paths with Arabic glyphs, or ``None``.

A document's ``review`` is ``None`` (left submitted) or a decision for ``Service.review``: action, level,
rationale, risks and benefits (slugs from ``protocol.RISKS`` / ``protocol.BENEFITS``, at least one of each for a
release, ``none_identified`` included), grant_orgs (acronyms, confidential only) and grant_users (e-mails, strictly
confidential only). Every document carries a document type and a location code, so its release meets the gate.

Arabic PDFs need a TTF with Arabic glyphs (DejaVu Sans, Noto Naskh Arabic, FreeSerif... or the
file named by the ``DEMO_ARABIC_FONT`` environment variable). When none is found, ``render``
writes that document as DOCX instead and returns the ``.docx`` path.

In Arabic PDFs, tables are drawn one bordered cell per row, with the columns separated by
" | ": text extractors (pdfium) scramble right-to-left text when several cells share a baseline.
"""

import os
import re
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from functools import lru_cache
from pathlib import Path
from typing import Any

LEVELS = ("public", "restricted", "confidential", "strictly_confidential")

DEMO_ORGS: list[tuple[str, str]] = [
    ("PSWG", "Protection Sector Working Group (Libya)"),
    ("UNHCR", "Office of the United Nations High Commissioner for Refugees"),
    ("IOM", "International Organization for Migration"),
    ("DRC", "Danish Refugee Council"),
    ("IRC", "International Rescue Committee"),
    ("NRC", "Norwegian Refugee Council"),
    ("UNMAS", "United Nations Mine Action Service"),
    # Two invented national NGOs.
    ("FHO", "Fezzan Humanitarian Organisation"),
    ("CSA", "Coastal Solidarity Association"),
]

DEMO_USERS: list[dict[str, str]] = [
    {"email": "coordinator@pswg.example.org", "org": "PSWG", "role": "coordinator"},
    {"email": "admin@pswg.example.org", "org": "PSWG", "role": "admin"},
    {"email": "staff@unhcr.example.org", "org": "UNHCR", "role": "staff"},
    {"email": "case.officer@unhcr.example.org", "org": "UNHCR", "role": "staff"},
    {"email": "partner@drc.example.org", "org": "DRC", "role": "partner"},
    {"email": "partner@irc.example.org", "org": "IRC", "role": "partner"},
    {"email": "partner@nrc.example.org", "org": "NRC", "role": "partner"},
    {"email": "partner@iom.example.org", "org": "IOM", "role": "partner"},
    {"email": "partner@unmas.example.org", "org": "UNMAS", "role": "partner"},
    {"email": "partner@fho.example.org", "org": "FHO", "role": "partner"},
    {"email": "partner@csa.example.org", "org": "CSA", "role": "partner"},
]

Block = tuple[str, Any]


@dataclass(frozen=True)
class DemoDocument:
    key: str
    title: str
    summary: str
    published: date
    org: str
    uploader: str
    language: str
    fmt: str
    codes: tuple[str, ...]
    proposed_level: str
    body: list[Block]
    review: dict[str, Any] | None = None

    @property
    def state(self) -> str:
        """Workflow state once the review (if any) is applied."""
        if self.review is None:
            return "submitted"
        return {"release": "released", "return": "returned", "withhold": "withheld"}[self.review["action"]]

    @property
    def level(self) -> str:
        """The reviewer's level if reviewed, else the uploader's proposal."""
        return self.review["level"] if self.review else self.proposed_level


def _h(text: str) -> Block:
    return ("h", text)


def _p(text: str) -> Block:
    """Paragraph; the source may be wrapped over several lines, whitespace is collapsed."""
    return ("p", " ".join(text.split()))


def _t(*rows: list[str]) -> Block:
    return ("table", [list(r) for r in rows])


def _review(
    action: str,
    level: str,
    rationale: str,
    risks: list[str] | None = None,
    benefits: list[str] | None = None,
    grant_orgs: list[str] | None = None,
    grant_users: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "action": action,
        "level": level,
        "rationale": " ".join(rationale.split()),
        "risks": list(risks or []),
        "benefits": list(benefits or []),
        "grant_orgs": list(grant_orgs or []),
        "grant_users": list(grant_users or []),
    }


# --------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------

_PSWG_MINUTES = DemoDocument(
    key="pswg-tripoli-minutes-2025-03",
    title="Protection Sector Working Group (Libya): minutes of the monthly meeting, Tripoli, 12 March 2025",
    summary=" ".join("""
        Monthly PSWG meeting in Tripoli with remote links to Benghazi, Misrata and Sebha: returns to
        Tawergha, protection follow-up of the Derna flood response, access to migrants in detention in
        Sebha, and the update of the inter-agency referral pathway.""".split()),
    published=date(2025, 3, 14),
    org="PSWG",
    uploader="coordinator@pswg.example.org",
    language="en",
    fmt="pdf",
    codes=(
        "doc_type:meeting_minutes", "sector:protection", "theme:durable_solutions", "theme:detention",
        "theme:access", "population:idp", "population:returnees", "population:migrants_in_detention",
        "location:LY", "location:LY0211", "location:LY0214-tawergha", "location:LY0101", "location:LY0319",
    ),
    proposed_level="restricted",
    body=[
        _h("Participants"),
        _p("""In person in Tripoli: PSWG coordination team, UNHCR, IOM, DRC, IRC, NRC, UNMAS and CSA.
            Connected remotely: FHO from Sebha, IRC from Benghazi and DRC from Misrata. Two national NGOs
            based in the Nafusa Mountains sent apologies. The PSWG coordinator chaired the meeting and DRC
            took the minutes."""),
        _h("Agenda"),
        _p("""1. Adoption of the February minutes. 2. Returns to Tawergha. 3. Derna flood response:
            protection follow-up. 4. Migrants in detention in Sebha. 5. Referral pathway and service
            mapping. 6. Any other business."""),
        _h("1. Adoption of the February minutes"),
        _p("""The February minutes were adopted without comments. The coordinator reminded members that
            sector minutes are classified as restricted under the information sharing protocol: they may
            circulate among partner staff but must not be posted on public platforms or forwarded to
            authorities without the prior agreement of the sector."""),
        _h("2. Returns to Tawergha"),
        _p("""Partners estimated that between 1,300 and 1,600 households have now returned to Tawergha,
            most of them on a seasonal or pendular basis, with family members remaining in Tripoli,
            Benghazi or Misrata for schooling and work. CSA reported that the water network serves about
            half of the town, that two primary schools reopened in January, and that the primary health
            care centre still opens only three days a week. Returnees continue to report difficulties in
            obtaining civil documentation and in proving ownership of houses that were damaged or occupied
            during the years of displacement. Several families said they had been asked at checkpoints on
            the coastal road for documents that the local civil registry office could not issue."""),
        _p("""The sector recalled that its position on return is unchanged: any return must be voluntary,
            safe and dignified and based on informed choice, and assistance must not be used to encourage
            premature return. NRC offered to extend its legal counselling on civil documentation and
            housing, land and property to Tawergha from April."""),
        _h("3. Derna flood response: protection follow-up"),
        _p("""Eighteen months after the floods, an estimated 3,000 displaced households remain in rented
            accommodation or in collective shelters in and around Derna. IRC reported a rise in eviction
            notices in two collective shelters as owners reclaim their buildings. Families of missing
            persons still face long delays in obtaining death or absence certificates, which blocks
            inheritance and access to the compensation scheme. UNMAS recalled that explosive remnants of
            war moved by the flood waters are still found in the wadi bed and along the shoreline, and
            asked partners to include risk education messages in all community sessions."""),
        _p("""Members agreed that the next sector update should include a short note on evictions and on
            the status of the compensation scheme, drawing on aggregated case data only."""),
        _h("4. Migrants in detention in Sebha"),
        _p("""FHO and DRC reported that humanitarian access to the main detention facility in Sebha remains
            irregular: three of the five visits planned for February were cancelled at short notice.
            People released from detention describe overcrowding, insufficient food and water, and the
            absence of any procedure to identify asylum seekers, unaccompanied children or persons with
            serious medical conditions. Partners were reminded that details on individual facilities and
            incidents must be shared bilaterally with the sector coordinator, not in plenary or by
            general email."""),
        _p("""UNHCR will raise access with the relevant authorities in Tripoli and report back at the next
            meeting. DRC will share its quarterly protection monitoring report on detention in the south
            through the repository, at the appropriate classification."""),
        _h("5. Referral pathway and service mapping"),
        _p("""The coordinator presented the draft update of the inter-agency referral pathway, which now
            covers Sebha, Ubari and Kufra in the south. Partners were asked to check the entries for their
            organisation, including opening hours and the types of cases accepted, before the end of March.
            Personal mobile numbers of staff will not appear in the shared version; only functional focal
            point numbers will be listed."""),
        _h("6. Any other business"),
        _p("""IOM announced the third round of its Misrata baseline. The mine action sub-sector will hold a
            coordination meeting in Benghazi in April."""),
        _h("Action points"),
        _t(
            ["No.", "Action", "Lead", "Deadline"],
            ["1", "Extend legal counselling on documentation and HLP to Tawergha", "NRC", "30 April 2025"],
            ["2", "Short note on evictions in Derna collective shelters", "IRC with PSWG", "Next meeting"],
            ["3", "Follow up on humanitarian access to detention in Sebha", "UNHCR", "Next meeting"],
            ["4", "Check organisation entries in the referral pathway", "All partners", "31 March 2025"],
            ["5", "Upload the Q1 detention monitoring report to the repository", "DRC", "15 April 2025"],
        ),
        _h("Next meeting"),
        _p("""The next meeting will be held in Tripoli on 9 April 2025, with remote participation from the
            hubs."""),
    ],
    review=_review(
        "release", "restricted",
        """Standard sector minutes: no personal data; detention is described by mantika only. Restricted
        to vetted partners, as the ISP provides for meeting minutes.""",
        risks=["access_loss"], benefits=["purpose_defined", "coordination"],
    ),
)

_DETENTION_REPORT = DemoDocument(
    key="drc-pm-detention-south-2025-q1",
    title=(
        "Protection monitoring report: migrants and refugees in detention in southern Libya, "
        "January-March 2025"
    ),
    summary=" ".join("""
        Quarterly protection monitoring findings from interviews with people released from detention in
        Sebha, Ubari and Kufra: conditions, access to protection screening, children in detention and
        risks after release. The site-level annex is held by DRC.""".split()),
    published=date(2025, 4, 15),
    org="DRC",
    uploader="partner@drc.example.org",
    language="en",
    fmt="pdf",
    codes=(
        "doc_type:protection_monitoring_report", "sector:protection", "theme:detention",
        "theme:mixed_migration", "theme:access", "population:migrants_in_detention", "population:migrants",
        "population:asylum_seekers", "location:LY03", "location:LY0319", "location:LY0320", "location:LY0107",
    ),
    proposed_level="confidential",
    body=[
        _h("1. Background and purpose"),
        _p("""This report summarises protection monitoring carried out by DRC and its national partner in
            the south of Libya between January and March 2025. It aims to inform the protection sector's
            advocacy on detention and to help partners plan services for people released from detention.
            It does not name detention facilities; a site-level annex is held by DRC and shared
            bilaterally on request."""),
        _h("2. Methodology"),
        _p("""Monitors conducted 146 individual interviews with migrants, refugees and asylum seekers
            released from detention during the previous three months, and 22 key informant interviews
            with community leaders, health workers and municipal staff. Interviews took place in community
            centres or by telephone, after informed consent. No names or contact details were recorded in
            the monitoring tool. Findings are indicative and not statistically representative of the
            detained population."""),
        _h("3. Key findings"),
        _p("""Conditions. Most respondents (71 per cent) described severe overcrowding, and more than half
            said they received one meal a day or less. Access to drinking water was described as
            insufficient in all three mantikas. Respondents released from facilities in Sebha reported
            outbreaks of scabies and respiratory infections without medical follow-up."""),
        _p("""Protection screening. Only 9 of the 146 respondents said they had been asked whether they
            wished to seek asylum. Respondents from Sudan and Eritrea, many of whom are likely to need
            international protection, were held together with other nationalities, and none reported
            having been registered by a humanitarian agency while detained."""),
        _p("""Children. Monitors recorded 17 accounts of children held with unrelated adults, including
            five accounts of unaccompanied adolescents. Child protection partners were informed through
            the agreed referral channel."""),
        _p("""Release and onward risks. Release was most often obtained through payments made by
            relatives, and a third of respondents said they were re-arrested, or threatened with re-arrest,
            within weeks. Several respondents were transferred between facilities without being told the
            reason or the destination."""),
        _h("4. Monitoring coverage by mantika"),
        _t(
            ["Mantika", "Interviews with released persons", "Key informant interviews",
             "Accounts involving children", "Planned visits carried out"],
            ["Sebha", "78", "10", "9", "4 of 9"],
            ["Ubari", "31", "6", "3", "2 of 5"],
            ["Alkufra", "37", "6", "5", "1 of 4"],
            ["Total", "146", "22", "17", "7 of 18"],
        ),
        _h("5. Recommendations"),
        _p("""To the authorities: allow regular and unannounced humanitarian access to all places of
            detention; end the detention of children and of persons registered with UNHCR; establish a
            procedure to identify people with specific needs. To UNHCR and IOM: follow up on the access
            issues raised in this report and include the south in the next registration missions. To
            protection partners: strengthen post-release services in Sebha and Kufra, including medical
            referral, legal counselling and emergency cash assistance."""),
        _h("6. Confidentiality"),
        _p("""This report is proposed as confidential. It describes conditions in a small number of
            identifiable facilities, and wider circulation could expose detainees and monitors to reprisals
            and jeopardise access. Please do not forward it outside the organisations granted access."""),
    ],
    review=_review(
        "release", "confidential",
        """Aggregated to mantika, but it describes conditions and incidents in a few identifiable detention
        facilities: disclosure could lead to reprisals against detainees and to loss of access. Shared with
        UNHCR and IOM for follow-up and advocacy under the sector data sharing agreement.""",
        risks=["detention_refoulement", "access_loss", "targeting"],
        benefits=["purpose_defined", "advocacy", "cost_of_not_sharing", "recipients_bound"],
        grant_orgs=["UNHCR", "IOM"],
    ),
)

_MISRATA_SUMMARY = DemoDocument(
    key="iom-misrata-baseline-summary-2025-r3",
    title="Misrata IDP and returnee baseline, round 3: summary of findings",
    summary=" ".join("""
        Third round of the IDP and returnee baseline in Misrata mantika: baladiya-level estimates of
        displaced and returnee households, documentation gaps and first priority needs, with a focus on
        returns to Tawergha.""".split()),
    published=date(2025, 2, 20),
    org="IOM",
    uploader="partner@iom.example.org",
    language="en",
    fmt="pdf",
    codes=(
        "doc_type:assessment", "sector:protection", "theme:durable_solutions", "theme:civil_documentation",
        "population:idp", "population:returnees", "population:host_community",
        "location:LY0214", "location:LY021401", "location:LY0214-tawergha",
    ),
    proposed_level="public",
    body=[
        _h("Overview"),
        _p("""The third round of the baseline took place between 12 and 30 January 2025 in the four
            baladiyas of Misrata mantika. Enumerators interviewed 214 key informants, including municipal
            officials, civil society representatives, community elders and members of displaced persons'
            committees. Figures are key informant estimates, triangulated with municipal records where
            available, and rounded to the nearest ten."""),
        _h("Key findings"),
        _p("""An estimated 6,280 IDP households and 3,710 returnee households live in the mantika.
            Misrata baladiya hosts the largest displaced population, mostly families displaced from
            Benghazi, Sirt and Tawergha over the last decade, and a smaller group displaced by the 2023
            floods in the east. In Tawergha, returns continue at a slow pace; most returnee households
            live in houses that need repair and report limited access to electricity and health care."""),
        _p("""Shelter remains the first priority need in Misrata and Zliten, where most displaced households
            rent and struggle to pay the rent. Civil documentation is the main protection concern in
            Tawergha and Bani Waleed: more than a quarter of returnee households are reported to lack at
            least one core document, such as the family booklet or the national number certificate, which
            restricts access to public services, salaries and compensation schemes."""),
        _p("""Key informants in all baladiyas described relations between displaced and host communities as
            generally good, but pointed to competition over rental housing and casual work. Informants in
            Tawergha said that movement along the coastal road has improved, although returnees are still
            occasionally asked for documents at checkpoints."""),
        _h("Baladiya-level figures"),
        _t(
            ["Baladiya", "IDP households", "Returnee households",
             "Households lacking a core document (%)", "First priority need"],
            ["Misrata", "4,120", "1,050", "9", "Shelter"],
            ["Tawergha", "60", "1,480", "27", "Civil documentation"],
            ["Zliten", "1,390", "620", "11", "Shelter"],
            ["Bani Waleed", "710", "560", "26", "Livelihoods"],
            ["Total", "6,280", "3,710", "16", "-"],
        ),
        _h("Methodology and limitations"),
        _p("""The baseline relies on key informant estimates and does not measure individual
            vulnerabilities. Figures for Bani Waleed were partly collected by telephone because of access
            constraints in the second half of January. The detailed dataset, with individuals, shelter
            indicators and neighbourhood breakdowns, is available to partners in the repository as a
            separate file."""),
        _h("Recommendations"),
        _p("""Protection partners should prioritise legal assistance on civil documentation in Tawergha and
            Bani Waleed, and coordinate with the shelter sector on rental support and eviction prevention
            in Misrata and Zliten. Durable solutions planning should distinguish pendular returns to
            Tawergha from permanent ones, and track both in the next round."""),
    ],
    review=_review(
        "release", "public",
        """Figures aggregated to baladiya level and rounded to the nearest ten; no site, household or
        personal data. Public, in line with the ISP rule for assessment results at district level.""",
        risks=["small_cells"], benefits=["aggregated_to_district", "anonymised", "coordination"],
    ),
)

_MISRATA_DATASET = DemoDocument(
    key="iom-misrata-baseline-dataset-2025-r3",
    title="Misrata IDP and returnee baseline, round 3: baladiya and neighbourhood dataset",
    summary=" ".join("""
        Neighbourhood-level estimates of IDP and returnee individuals and households, renting and
        documentation gaps in the four baladiyas of Misrata mantika (round 3, January 2025).""".split()),
    published=date(2025, 2, 20),
    org="IOM",
    uploader="partner@iom.example.org",
    language="en",
    fmt="xlsx",
    codes=(
        "doc_type:dataset", "sector:protection", "theme:durable_solutions", "theme:civil_documentation",
        "population:idp", "population:returnees",
        "location:LY0214", "location:LY021401", "location:LY0214-tawergha",
    ),
    proposed_level="restricted",
    body=[
        _t(
            ["Baladiya", "Area", "IDP individuals", "IDP households", "Returnee individuals",
             "Returnee households", "Households renting (%)", "Households lacking a core document (%)",
             "Key informants"],
            ["Misrata", "Qasr Ahmed", "3220", "620", "780", "150", "72", "8", "18"],
            ["Misrata", "Zawiyat Almahjoub", "6970", "1340", "1610", "310", "65", "10", "22"],
            ["Misrata", "Al Ghiran", "5100", "980", "1350", "260", "70", "9", "20"],
            ["Misrata", "Tamina", "2810", "540", "880", "170", "58", "7", "14"],
            ["Misrata", "Karzaz", "3330", "640", "830", "160", "61", "11", "16"],
            ["Tawergha", "Town centre", "160", "30", "3890", "720", "5", "25", "15"],
            ["Tawergha", "Northern quarter", "100", "20", "2480", "460", "3", "29", "12"],
            ["Tawergha", "Southern quarter", "50", "10", "1620", "300", "0", "31", "9"],
            ["Zliten", "City centre", "4630", "890", "1980", "380", "68", "10", "24"],
            ["Zliten", "Coastal area", "2600", "500", "1250", "240", "55", "13", "18"],
            ["Bani Waleed", "City", "2500", "480", "1820", "350", "40", "24", "26"],
            ["Bani Waleed", "Surrounding villages", "1200", "230", "1090", "210", "22", "29", "20"],
        ),
        _h("About this dataset"),
        _p("""This workbook contains the neighbourhood-level results of the third round of the Misrata IDP
            and returnee baseline, collected between 12 and 30 January 2025. Each row is one area within a
            baladiya. The public summary of findings presents the same data aggregated to baladiya level;
            this file is intended for partners planning area-based programming in Misrata, Tawergha, Zliten
            and Bani Waleed."""),
        _h("Methodology"),
        _p("""Data were collected through structured key informant interviews, with between 9 and 26
            informants per area, and triangulated with municipal and civil registry records where these
            were available. Household figures are converted to individuals using average household sizes
            reported by informants in each area. All figures are estimates and have been rounded to the
            nearest ten."""),
        _h("Caveats"),
        _p("""Several rows for Tawergha contain small numbers of IDP households. Do not combine these rows
            with other datasets to describe individual families or streets, and do not republish the
            neighbourhood breakdown outside the partner workspace. Figures for Bani Waleed were partly
            collected by telephone and should be treated with caution."""),
        _h("Column definitions"),
        _p("""IDP individuals and households: persons displaced from another baladiya and living in the
            area at the time of data collection. Returnee individuals and households: persons who were
            displaced and have come back to their area of origin, whether permanently or on a pendular
            basis. Households renting: share of IDP and returnee households paying rent. Households lacking
            a core document: share of households in which at least one member lacks a family booklet,
            national number certificate or birth certificate. Key informants: number of informants
            interviewed in the area."""),
    ],
    review=_review(
        "release", "restricted",
        """Neighbourhood-level rows with small counts in Tawergha: restricted to vetted partners. The
        baladiya-level summary of the same round is public.""",
        risks=["small_cells", "re_identification"], benefits=["purpose_defined", "response_planning"],
    ),
)

_HLP_CONCEPT_NOTE = DemoDocument(
    key="nrc-civil-documentation-hlp-concept-note",
    title=(
        "Concept note: legal assistance on civil documentation and housing, land and property rights "
        "for displaced and returnee households in Libya"
    ),
    summary=" ".join("""
        Concept note for a twelve-month information, counselling and legal assistance project in Tripoli,
        Misrata, Tawergha and Derna: civil documentation, tenure documents, collaborative dispute
        resolution and eviction prevention.""".split()),
    published=date(2025, 1, 28),
    org="NRC",
    uploader="partner@nrc.example.org",
    language="en",
    fmt="docx",
    codes=(
        "doc_type:concept_note", "sector:protection", "sector:hlp", "theme:civil_documentation",
        "theme:housing_land_property", "theme:durable_solutions", "population:idp", "population:returnees",
        "location:LY", "location:LY0211", "location:LY0214-tawergha", "location:LY0101",
    ),
    proposed_level="public",
    body=[
        _h("1. Context"),
        _p("""Displaced and returnee households in Libya frequently lack the civil documents needed to
            access services, salaries, pensions and compensation. Family booklets, national number
            certificates and birth certificates are lost during displacement, destroyed in conflict or
            washed away, as in the Derna floods of September 2023. Replacing them usually requires a visit
            to the civil registry office of the place of origin, which is costly and sometimes unsafe.
            Children born during displacement are often registered late or not at all."""),
        _p("""Housing, land and property issues are closely linked. In Tawergha, most houses were damaged or
            looted during more than seven years of displacement, and many owners no longer hold title
            deeds or other proof of ownership. In Derna, flood-displaced families face eviction from
            collective shelters and rented flats, while inheritance and compensation claims depend on
            death or absence certificates for missing relatives. In Tripoli, informal rental agreements
            leave displaced tenants with little protection against sudden eviction."""),
        _h("2. Objectives"),
        _p("""The project aims to help displaced and returnee households obtain the civil documents they
            need and to secure their housing, land and property rights, as a step towards durable
            solutions in line with the IASC framework. Specific objectives are to improve access to
            accurate information, to provide individual legal assistance, and to strengthen the capacity
            of local lawyers, civil registry staff and community dispute resolution committees."""),
        _h("3. Activities"),
        _p("""Information and counselling: group information sessions and individual counselling on civil
            registration procedures, inheritance and tenure rights, delivered in community centres and
            through mobile teams. Legal assistance: accompaniment to civil registry offices, preparation of
            applications and, where needed, representation before courts for late birth registration,
            replacement documents and certificates of absence. Housing, land and property: documentation of
            tenure, support to claims before the compensation committees, collaborative dispute resolution
            between neighbours and family members, and negotiation with landlords to prevent evictions.
            Capacity building: training of lawyers and civil registry staff, and joint mobile registration
            days with the Civil Registry Authority in Tawergha and Derna."""),
        _h("4. Target locations and caseload"),
        _t(
            ["Location", "Main caseload", "Individuals targeted", "Main issues"],
            ["Tripoli", "IDPs in informal rentals", "2,400", "Evictions, replacement documents"],
            ["Misrata and Tawergha", "Returnees and IDPs", "3,100",
             "Title documents, compensation, birth registration"],
            ["Derna", "Flood-displaced households", "2,800", "Absence certificates, inheritance, evictions"],
            ["Total", "-", "8,300", "-"],
        ),
        _h("5. Coordination and risk management"),
        _p("""The project will be coordinated through the protection sector and its housing, land and
            property working group, and will follow the sector's referral pathway. Case files will be kept
            in the organisation's case management system, with access limited to legal staff; only
            aggregated figures will be shared with the sector. The main risks are restrictions on access,
            changes in civil registry procedures, and tensions over property in return areas; these will be
            mitigated through regular engagement with municipalities and a conflict-sensitive approach to
            dispute resolution."""),
        _h("6. Timeframe and budget"),
        _p("""The project will run for twelve months from July 2025, with an indicative budget of USD 1.2
            million, of which about two thirds cover the legal teams in the three locations."""),
    ],
    review=_review(
        "release", "public",
        """Programme design document with no personal data and no operational security details. Public,
        to support coordination and resource mobilisation.""",
        risks=["none_identified"], benefits=["anonymised", "coordination"],
    ),
)

_GBV_TRAINING = DemoDocument(
    key="irc-gbv-referral-training-benghazi-2025-02",
    title=(
        "Training report: GBV safe referral and the survivor-centred approach for frontline workers, "
        "Benghazi, 10-12 February 2025"
    ),
    summary=" ".join("""
        Report of a three-day training for frontline workers from municipal services, health centres and
        community organisations in Benghazi and Derna on safe referral of GBV survivors, the
        survivor-centred approach and the updated referral pathway. Includes a participant list.""".split()),
    published=date(2025, 2, 24),
    org="IRC",
    uploader="partner@irc.example.org",
    language="en",
    fmt="docx",
    codes=(
        "doc_type:training_report", "sector:gbv", "theme:gbv", "population:idp", "population:host_community",
        "location:LY01", "location:LY0103", "location:LY0101",
    ),
    proposed_level="restricted",
    body=[
        _h("1. Purpose"),
        _p("""Frontline workers are often the first people a survivor of gender-based violence speaks to.
            This training aimed to ensure that staff from non-specialised services in Benghazi and Derna
            can respond safely to a disclosure, provide basic information and refer survivors to
            specialised services with their informed consent, without collecting details of the incident
            themselves."""),
        _h("2. Participants"),
        _p("""Twenty-four participants attended, seventeen women and seven men, from the social affairs
            offices, primary health care centres, women's associations, youth centres and the legal aid
            network in Benghazi and Derna. Most had no previous training on GBV. Eight participants work
            directly with flood-displaced families in Derna."""),
        _h("3. Content"),
        _p("""Day one covered key concepts, the causes and consequences of gender-based violence and the
            guiding principles of the survivor-centred approach: safety, confidentiality, respect and
            non-discrimination. Day two focused on psychological first aid, how to receive a disclosure,
            and the steps of a safe referral using the updated inter-agency referral pathway for the east.
            Day three addressed self-care, mandatory reporting dilemmas and data protection, including why
            names and incident details should never be written in registers or sent by messaging
            applications."""),
        _h("4. Results"),
        _p("""Knowledge improved on all topics. The largest gains concerned confidentiality and informed
            consent, where many participants initially believed that informing a family member was always
            in the survivor's interest."""),
        _t(
            ["Topic", "Pre-test average (%)", "Post-test average (%)"],
            ["Key concepts and guiding principles", "52", "88"],
            ["Receiving a disclosure and psychological first aid", "47", "81"],
            ["Informed consent and confidentiality", "38", "85"],
            ["Referral pathway and service mapping", "41", "79"],
        ),
        _h("5. Challenges and recommendations"),
        _p("""Participants noted that specialised GBV services remain scarce in Derna, that women's safe
            spaces have long waiting times, and that transport costs prevent some survivors from reaching
            services. They asked for a short refresher in three months and for printed pocket cards with
            the referral pathway. IRC recommends that the GBV sub-sector organise a follow-up session on
            case scenarios and that partners nominate focal points for each service."""),
        _h("Annex: participant list"),
        _p("""The list below is for follow-up by the training team only. It contains names and mobile
            numbers and must not be shared beyond the GBV sub-sector coordination team."""),
        _t(
            ["No.", "Name", "Organisation", "Function", "Mobile"],
            ["1", "Huda Example", "Social Affairs Office, Benghazi", "Social worker", "+218 91 000 0101"],
            ["2", "Omar Sample", "Primary health care centre", "Nurse", "+218 91 000 0102"],
            ["3", "Salma Placeholder", "Women's association", "Volunteer coordinator", "+218 91 000 0103"],
            ["4", "Mariam Demo", "Legal aid network", "Lawyer", "+218 91 000 0104"],
            ["5", "Khaled Fictional", "Youth centre, Derna", "Facilitator", "+218 91 000 0105"],
            ["6", "Nour Specimen", "Social Affairs Office, Derna", "Case worker", "+218 91 000 0106"],
            ["7", "Aisha Mockup", "Primary health care centre", "Midwife", "+218 91 000 0107"],
            ["8", "Yusuf Testcase", "Community committee, Derna", "Outreach worker", "+218 91 000 0108"],
        ),
    ],
    review=_review(
        "release", "confidential",
        """The annex lists names, organisations and mobile numbers of frontline workers dealing with GBV
        disclosures; disclosure could expose them to pressure or threats. Raised from restricted to
        confidential. A version without the annex can be resubmitted as restricted.""",
        risks=["staff_safety", "re_identification", "consent_gap"], benefits=["purpose_defined"],
    ),
)

_IRAQ_DSWG = DemoDocument(
    key="nrc-iraq-dstwg-summary-2025-05",
    title="Iraq Durable Solutions Technical Working Group: summary of the May 2025 meeting",
    summary=" ".join("""
        Summary of the DSTWG meeting in Erbil: returns to Sinjar, camp consolidation in Duhok,
        reconstruction and housing in west Mosul, civil documentation and compensation claims, and the
        area-based coordination groups.""".split()),
    published=date(2025, 5, 22),
    org="NRC",
    uploader="partner@nrc.example.org",
    language="en",
    fmt="pdf",
    codes=(
        "doc_type:meeting_minutes", "sector:protection", "theme:durable_solutions",
        "theme:civil_documentation", "theme:housing_land_property", "population:idp", "population:returnees",
        "location:IQ", "location:IQG15", "location:IQG15-sinjar", "location:IQG15-mosul", "location:IQG09",
        "location:IQG11",
    ),
    proposed_level="restricted",
    body=[
        _h("Meeting details"),
        _p("""The Durable Solutions Technical Working Group met in Erbil on 18 May 2025, co-chaired by NRC
            and the solutions focal point of the humanitarian coordination team, with 27 participants from
            UN agencies, international and national NGOs. Government counterparts from the Ministry of
            Migration and Displaced joined for the first item."""),
        _h("1. Returns to Sinjar"),
        _p("""Partners reported a steady increase in returns from camps in Duhok to Sinjar district since
            the beginning of the year, with an estimated 1,900 families returning between January and
            April. Most returnees cite the return grant and the announced camp closures as their main
            reasons, rather than improved conditions. Returnees face damaged housing, limited water and
            electricity, few livelihood opportunities and unclear security arrangements. Members stressed
            that information on conditions in Sinjar must reach families in the camps before they decide,
            and agreed to update the joint return intention factsheet."""),
        _h("2. Camp consolidation in Duhok"),
        _p("""The group discussed the planned consolidation of camps in Duhok governorate. Partners asked
            that families who cannot return be offered local integration or settlement elsewhere, and that
            vulnerable households, including female-headed households and persons with disabilities, be
            identified early. The protection cluster will share an aggregated analysis of protection needs
            by camp, without household data, ahead of the next meeting."""),
        _h("3. Reconstruction and housing in west Mosul"),
        _p("""In the old city of Mosul, reconstruction continues but many owners cannot prove ownership or
            cannot afford repairs. Tenants and families living in unfinished buildings remain at risk of
            eviction. Members welcomed the municipal initiative to issue occupancy letters and asked for
            legal partners to be involved in its design to avoid excluding informal residents."""),
        _h("4. Civil documentation and compensation"),
        _p("""Missing civil documentation remains the most frequent legal need among IDPs and returnees.
            Partners reported that security clearance requirements continue to delay the issuance of the
            unified national card for some families, particularly those with a perceived affiliation.
            Compensation claims for destroyed property are progressing slowly, with long waiting times
            between the assessment of damage and payment."""),
        _h("Action points"),
        _t(
            ["Action", "Lead", "Deadline"],
            ["Update the Sinjar return intention factsheet", "DSTWG co-chairs", "15 June 2025"],
            ["Share aggregated protection needs analysis for Duhok camps", "Protection cluster",
             "Next meeting"],
            ["Submit comments on the Mosul occupancy letter initiative", "Legal partners", "30 June 2025"],
            ["Map partners offering civil documentation support in Ninewa", "NRC", "Next meeting"],
        ),
        _h("Next meeting"),
        _p("""The next meeting will take place in Erbil in June 2025, with remote participation from Duhok
            and Mosul."""),
    ],
    review=_review(
        "release", "restricted",
        """Working group summary with no personal data; it discusses sensitive policy issues (camp
        closures, security clearance) and is restricted to partners.""",
        risks=["access_loss"], benefits=["coordination", "purpose_defined"],
    ),
)

_MINE_ACTION_SITREP = DemoDocument(
    key="unmas-mine-action-sitrep-2025-04",
    title="Libya mine action situation report No. 4/2025 (April 2025)",
    summary=" ".join("""
        Monthly mine action update: clearance in southern Tripoli, Benghazi and the Derna flood area,
        explosive ordnance risk education, casualties recorded and coordination issues.""".split()),
    published=date(2025, 5, 6),
    org="UNMAS",
    uploader="partner@unmas.example.org",
    language="en",
    fmt="pdf",
    codes=(
        "doc_type:situation_report", "sector:mine_action", "sector:protection", "theme:access",
        "population:idp", "population:returnees", "population:host_community",
        "location:LY", "location:LY0211", "location:LY0103", "location:LY0101",
    ),
    proposed_level="public",
    body=[
        _h("Highlights"),
        _p("""In April 2025, mine action partners cleared more than 310,000 square metres of land and
            removed 1,840 items of explosive ordnance in Tripoli, Benghazi and Derna. Explosive ordnance
            risk education sessions reached 6,900 people, more than half of them children. Four casualties
            were recorded, all in the southern suburbs of Tripoli."""),
        _h("Clearance"),
        _p("""In the southern suburbs of Tripoli, clearance continued in residential areas affected by the
            2019-2020 fighting, where returning families still find unexploded ordnance and improvised
            devices in houses and farmland. In Benghazi, teams completed the survey of two damaged
            residential blocks in the old city. In Derna, teams continued to search the wadi and the
            coastline, where flood waters in 2023 moved and buried explosive remnants of war."""),
        _t(
            ["Area", "Land released (m2)", "Items removed", "Risk education participants"],
            ["Tripoli (southern suburbs)", "164,000", "1,120", "3,150"],
            ["Benghazi", "98,000", "470", "2,010"],
            ["Derna", "51,000", "250", "1,740"],
            ["Total", "313,000", "1,840", "6,900"],
        ),
        _h("Risk education"),
        _p("""Risk education teams worked in schools, mosques and community centres, and through social
            media messages during the Eid holidays, when families travel to farms and picnic areas.
            Partners trained 42 teachers in Derna to deliver key safety messages in their classrooms."""),
        _h("Casualties and victim assistance"),
        _p("""Four civilians were injured in two separate incidents in the southern suburbs of Tripoli, both
            involving children handling unknown objects near abandoned positions. Survivors were referred
            for medical care and psychosocial support, and the families were visited by victim assistance
            partners. No incidents were recorded in the east during the month."""),
        _h("Coordination and challenges"),
        _p("""Delays in the approval of new operators and in the import of equipment continue to limit
            capacity. Funding for the second half of the year is not yet secured, and two clearance teams
            will be suspended in July unless new contributions are received. Partners encourage
            humanitarian organisations planning shelter rehabilitation or agricultural activities in
            former front-line areas to request a risk assessment from the mine action sub-sector before
            starting work."""),
        _h("Contacts"),
        _p("""Requests for explosive ordnance risk assessments and risk education sessions can be sent to
            the mine action sub-sector through its functional mailbox listed in the sector contact list."""),
    ],
    review=_review(
        "release", "public",
        """Routine situation report with figures by mantika. Casualties are aggregated and anonymised,
        and hazard coordinates are not included. Public; wide circulation supports community safety.""",
        risks=["none_identified"], benefits=["aggregated_to_district", "cost_of_not_sharing"],
    ),
)

_SEBHA_MINUTES_AR = DemoDocument(
    key="fho-sebha-pswg-minutes-ar-2025-04",
    title="محضر اجتماع مجموعة عمل الحماية في سبها - أبريل 2025",
    summary=" ".join("""
        محضر الاجتماع الشهري لمجموعة عمل الحماية الفرعية في سبها: أوضاع المهاجرين في مراكز الاحتجاز،
        والوثائق المدنية للنازحين والعائدين، ومسار الإحالة وخريطة الخدمات في الجنوب.""".split()),
    published=date(2025, 4, 16),
    org="FHO",
    uploader="partner@fho.example.org",
    language="ar",
    fmt="pdf",
    codes=(
        "doc_type:meeting_minutes", "sector:protection", "theme:detention", "theme:civil_documentation",
        "theme:mixed_migration", "population:migrants_in_detention", "population:migrants", "population:idp",
        "location:LY03", "location:LY0319", "location:LY0320",
    ),
    proposed_level="restricted",
    body=[
        _h("معلومات الاجتماع"),
        _p("""عُقد الاجتماع الشهري لمجموعة عمل الحماية الفرعية في الجنوب يوم الأحد 13 أبريل 2025 في مقر
            منظمة فزان الإنسانية بمدينة سبها، بمشاركة ممثلين عن تسع منظمات وطنية ودولية، وانضم منسق قطاع
            الحماية من طرابلس عبر الاتصال المرئي. ترأس الاجتماع منسق المجموعة الفرعية، وتولت منظمة فزان
            الإنسانية تدوين المحضر."""),
        _h("جدول الأعمال"),
        _p("""أولاً: اعتماد محضر الاجتماع السابق. ثانياً: مستجدات أوضاع المهاجرين وطالبي اللجوء في مراكز
            الاحتجاز. ثالثاً: الوثائق المدنية للنازحين والعائدين في سبها وأوباري. رابعاً: تحديث مسار
            الإحالة وخريطة الخدمات. خامساً: ما يستجد من أعمال."""),
        _h("أولاً: اعتماد محضر الاجتماع السابق"),
        _p("""اعتُمد محضر اجتماع شهر مارس دون ملاحظات. وذكّر المنسق الأعضاء بأن محاضر الاجتماعات مصنفة
            على أنها مقيدة وفق بروتوكول تبادل المعلومات، فلا يجوز نشرها على المنصات العامة أو إرسالها إلى
            جهات خارج القطاع دون موافقة مسبقة."""),
        _h("ثانياً: أوضاع المهاجرين في مراكز الاحتجاز"),
        _p("""أفاد الشركاء بأن الوصول الإنساني إلى مركز الاحتجاز الرئيسي في سبها ما زال غير منتظم، إذ
            أُلغيت زيارتان من أصل أربع زيارات مخطط لها خلال شهر مارس. ونقل المفرج عنهم صورة مقلقة عن
            الاكتظاظ الشديد ونقص الغذاء ومياه الشرب، وعن انتشار الأمراض الجلدية دون متابعة طبية. كما أشار
            الشركاء إلى وجود أطفال غير مصحوبين محتجزين مع بالغين لا تربطهم بهم صلة قرابة، وقد أُحيلت هذه
            الحالات إلى شركاء حماية الطفل عبر القناة المتفق عليها."""),
        _p("""وشدد المنسق على ضرورة عدم تداول أسماء المحتجزين أو تفاصيل الحوادث الفردية في الاجتماعات
            العامة أو عبر البريد الإلكتروني الجماعي، وأن تُرسل هذه المعلومات بشكل ثنائي إلى منسق القطاع.
            وتعهدت المفوضية السامية للأمم المتحدة لشؤون اللاجئين بإثارة مسألة الوصول مع السلطات المعنية
            في طرابلس، وبإبلاغ المجموعة بالنتائج في الاجتماع القادم."""),
        _h("ثالثاً: الوثائق المدنية للنازحين والعائدين"),
        _p("""عرضت منظمة فزان الإنسانية نتائج جلسات التوعية القانونية التي نظمتها في سبها وأوباري، والتي
            شارك فيها أكثر من مئتي شخص. وتبين أن كثيراً من الأسر النازحة فقدت كتيّب العائلة أو شهادة الرقم
            الوطني أثناء النزوح، وأن استخراج بدل فاقد يتطلب السفر إلى مكتب السجل المدني في البلدية
            الأصلية، وهو أمر مكلف وغير آمن لبعض الأسر. واقترح الشركاء التنسيق مع مصلحة الأحوال المدنية
            لتنظيم زيارات ميدانية متنقلة إلى أوباري خلال الربع القادم."""),
        _h("رابعاً: مسار الإحالة وخريطة الخدمات"),
        _p("""قدم المنسق النسخة المحدثة من مسار الإحالة المشترك بين الوكالات، والتي تشمل لأول مرة خدمات
            الدعم النفسي والاجتماعي والمساعدة القانونية في أوباري. وطُلب من كل منظمة التحقق من بيانات
            خدماتها وأرقام نقاط الاتصال الرسمية قبل نهاية الشهر، مع التأكيد على عدم إدراج أرقام الهواتف
            الشخصية للموظفين."""),
        _h("نقاط العمل"),
        _t(
            ["الإجراء", "الجهة المسؤولة", "الموعد النهائي"],
            ["متابعة مسألة الوصول إلى مركز الاحتجاز في سبها", "المفوضية", "الاجتماع القادم"],
            ["التنسيق مع مصلحة الأحوال المدنية بشأن الزيارات المتنقلة إلى أوباري", "منظمة فزان الإنسانية",
             "31 مايو 2025"],
            ["التحقق من بيانات الخدمات في مسار الإحالة", "جميع الشركاء", "30 أبريل 2025"],
        ),
        _h("خامساً: ما يستجد من أعمال"),
        _p("""أعلن المجلس الدنماركي للاجئين عن بدء دورة جديدة من الرصد الحمائي في الجنوب خلال شهر مايو.
            وتقرر عقد الاجتماع القادم في سبها يوم الأحد 11 مايو 2025."""),
    ],
    review=_review(
        "release", "restricted",
        """Sub-working group minutes in Arabic; no personal data, detention described in general terms.
        Restricted to partners like all sector minutes.""",
        risks=["access_loss"], benefits=["coordination", "purpose_defined"],
    ),
)

_TAWERGHA_SITREP_AR = DemoDocument(
    key="csa-tawergha-returns-sitrep-ar-2025-05",
    title="تقرير الوضع: العودة إلى تاورغاء - مايو 2025",
    summary=" ".join("""
        تقرير شهري عن أوضاع الأسر العائدة إلى تاورغاء: أعداد العائدين، والخدمات الأساسية، والوثائق المدنية،
        وحقوق السكن والأراضي والممتلكات، وحرية التنقل.""".split()),
    published=date(2025, 6, 3),
    org="CSA",
    uploader="partner@csa.example.org",
    language="ar",
    fmt="docx",
    codes=(
        "doc_type:situation_report", "sector:protection", "theme:durable_solutions",
        "theme:civil_documentation", "theme:housing_land_property", "theme:freedom_of_movement",
        "population:returnees",
        "location:LY0214", "location:LY0214-tawergha",
    ),
    proposed_level="public",
    body=[
        _h("أبرز المستجدات"),
        _p("""واصلت الأسر النازحة من تاورغاء العودة إلى مدينتها بوتيرة بطيئة خلال شهر مايو 2025، وتشير
            تقديرات جمعية التضامن الساحلي إلى أن نحو 1500 أسرة تقيم في المدينة بشكل دائم أو متقطع. ولا يزال
            كثير من العائدين يتنقلون بين تاورغاء وأماكن نزوحهم في طرابلس وبنغازي ومصراتة، حيث يبقى بعض
            أفراد الأسرة لأسباب تتعلق بالدراسة أو العمل."""),
        _h("الخدمات الأساسية"),
        _p("""أُعيد تشغيل محطة ضخ المياه الثانية في منتصف الشهر، مما أدى إلى تحسن إمدادات المياه في
            الأحياء الشمالية، بينما تعاني الأحياء الجنوبية من انقطاعات متكررة. ويعمل المركز الصحي ثلاثة
            أيام في الأسبوع بطاقم محدود، ويضطر المرضى إلى التوجه إلى مصراتة لتلقي الخدمات المتخصصة.
            وافتُتحت مدرستان ابتدائيتان منذ يناير، لكن المدرسة الثانوية ما زالت بحاجة إلى ترميم، مما يدفع
            بعض الأسر إلى إبقاء أبنائها في أماكن النزوح."""),
        _h("الوثائق المدنية"),
        _p("""يبقى الحصول على الوثائق المدنية من أبرز الشواغل الحمائية. فقد رصدت فرق الجمعية 212 حالة
            لأسر تفتقر إلى وثيقة أساسية واحدة على الأقل، مثل كتيّب العائلة أو شهادة الرقم الوطني أو شهادة
            الميلاد للأطفال المولودين أثناء النزوح. ويؤدي غياب هذه الوثائق إلى صعوبات في تسجيل الأطفال في
            المدارس، وصرف المرتبات، والاستفادة من برامج التعويض."""),
        _h("السكن والأراضي والممتلكات"),
        _p("""تضرر معظم المساكن في تاورغاء أو تعرض للنهب خلال سنوات النزوح، ولا يملك كثير من العائدين
            مستندات تثبت ملكيتهم بعد فقدانها أو إتلافها. وأفادت الأسر بأن إجراءات لجنة التعويضات بطيئة
            وغير واضحة، وأن بعض النزاعات على الأراضي الزراعية ما زالت قائمة دون آلية فعالة لحلها."""),
        _h("حرية التنقل والتماسك الاجتماعي"),
        _p("""تحسنت حركة التنقل على الطريق الساحلي بين تاورغاء ومصراتة مقارنة بالعام الماضي، غير أن بعض
            العائدين أبلغوا عن مطالبتهم بإبراز وثائق لا يملكونها عند نقاط التفتيش. وتواصل لجان المصالحة
            المحلية عقد لقاءات دورية، ويرى المشاركون فيها أن تحسين الخدمات وتوفير فرص العمل شرطان
            أساسيان لاستدامة العودة."""),
        _h("الاحتياجات حسب القطاع"),
        _t(
            ["القطاع", "الاحتياج الرئيسي", "الأولوية"],
            ["الحماية", "المساعدة القانونية لاستخراج الوثائق المدنية", "عالية"],
            ["المأوى", "ترميم المساكن المتضررة", "عالية"],
            ["الصحة", "زيادة أيام عمل المركز الصحي وتوفير الأدوية", "متوسطة"],
            ["التعليم", "ترميم المدرسة الثانوية", "متوسطة"],
            ["سبل العيش", "دعم المشاريع الصغيرة والزراعة", "متوسطة"],
        ),
        _h("التوصيات"),
        _p("""توصي الجمعية قطاع الحماية والشركاء بتنظيم زيارات متنقلة لمصلحة الأحوال المدنية إلى تاورغاء،
            وتوسيع خدمات المساعدة القانونية في مجال السكن والأراضي والممتلكات، والتأكيد على أن تكون العودة
            طوعية وآمنة وكريمة، مع عدم ربط المساعدات بقرار العودة."""),
    ],
    review=_review(
        "release", "public",
        """Situation report at town level with no personal data; figures are aggregated and rounded.
        Public, in Arabic, to inform returnees and local authorities as well as partners.""",
        risks=["none_identified"], benefits=["anonymised", "cost_of_not_sharing"],
    ),
)

_CASE_NOTE = DemoDocument(
    key="drc-case-note-ly-25-0417",
    title="Protection case note LY-DRC-25-0417: high-risk case referred to UNHCR",
    summary=" ".join("""
        Case management note on a high-risk individual protection case after release from detention,
        prepared for the referral to the named UNHCR case officer.""".split()),
    published=date(2025, 4, 22),
    org="DRC",
    uploader="partner@drc.example.org",
    language="en",
    fmt="docx",
    codes=(
        "doc_type:analysis", "sector:protection", "theme:detention", "theme:mixed_migration",
        "population:asylum_seekers", "population:migrants_in_detention", "location:LY0319", "location:LY0211",
    ),
    proposed_level="strictly_confidential",
    body=[
        _h("Case identification"),
        _t(
            ["Field", "Value"],
            ["Case number", "LY-DRC-25-0417"],
            ["Person of concern", "PoC-A (name held in the case management system only)"],
            ["Profile", "Woman, 30-35 years, asylum seeker, with two children aged 4 and 9"],
            ["Current location", "Tripoli (address held in the case file)"],
            ["Risk level", "High"],
            ["Caseworker", "DRC protection team, Tripoli"],
            ["Referred to", "UNHCR case officer (named in the repository grant)"],
        ),
        _h("Background"),
        _p("""PoC-A arrived in Libya in mid-2024 through the south-eastern border area together with her two
            children, after fleeing armed conflict in her country of origin. She was intercepted near Sebha
            in late 2024 and held in detention for about three months, partly separated from her children,
            who were placed with an unrelated family group in the same facility. She was released in
            February 2025 after a payment made by a distant relative, who now demands repayment."""),
        _p("""She travelled to Tripoli in March 2025 and contacted the DRC community centre after a referral
            from a community volunteer. Her asylum seeker certificate expired while she was in detention
            and she has not been able to renew it."""),
        _h("Protection risks"),
        _p("""Threats: she reports repeated threats by telephone from the persons who organised the payment
            for her release, including threats to take her older child. Risk of re-arrest: without a valid
            document she is at risk of being detained again at checkpoints. Health: the younger child
            has a chronic respiratory condition that worsened in detention and needs regular treatment.
            Economic: she has no income and relies on a neighbour for food; rent is two months overdue."""),
        _h("Actions taken"),
        _t(
            ["Date", "Action", "By"],
            ["2025-03-18", "Initial assessment and safety plan", "DRC caseworker"],
            ["2025-03-19", "Emergency cash for rent and food (one month)", "DRC"],
            ["2025-03-24", "Medical referral for the younger child", "DRC with health partner"],
            ["2025-04-02", "Psychosocial support sessions started (weekly)", "DRC"],
            ["2025-04-15", "Follow-up visit; threats continue", "DRC caseworker"],
        ),
        _h("Request to UNHCR"),
        _p("""DRC requests that UNHCR renew the asylum seeker certificate as a priority and assess the case
            for an appropriate protection solution, including consideration for resettlement or other
            complementary pathways, in view of the ongoing threats and the medical needs of the child.
            DRC will continue case management, cash assistance and psychosocial support in the meantime
            and will inform UNHCR immediately of any change in the risk level."""),
        _h("Consent and confidentiality"),
        _p("""PoC-A gave informed consent on 18 March 2025 for her information to be shared with UNHCR for
            the purpose of this referral only. The note must not be forwarded, printed or discussed in
            coordination meetings. Any further sharing requires new consent."""),
    ],
    review=_review(
        "release", "strictly_confidential",
        """Individual case data on an asylum seeker facing threats: severe harm if disclosed. Access limited
        to the originating organisation and the named UNHCR case officer handling the referral, with the
        person's consent.""",
        risks=["re_identification", "targeting", "detention_refoulement", "misuse_by_recipient"],
        benefits=["consent_obtained", "purpose_defined", "recipients_bound"],
        grant_users=["case.officer@unhcr.example.org"],
    ),
)

_DERNA_ASSESSMENT = DemoDocument(
    key="irc-derna-collective-shelters-rpa-2025-01",
    title=(
        "Rapid protection assessment: collective shelters for flood-displaced families in Derna, "
        "January 2025"
    ),
    summary=" ".join("""
        Rapid protection assessment in collective shelters housing flood-displaced families in Derna:
        eviction threats, missing documentation, psychosocial distress and GBV risks in shared facilities,
        with a shelter-by-shelter annex.""".split()),
    published=date(2025, 1, 30),
    org="IRC",
    uploader="partner@irc.example.org",
    language="en",
    fmt="pdf",
    codes=(
        "doc_type:assessment", "sector:protection", "sector:gbv", "theme:housing_land_property",
        "theme:civil_documentation", "theme:gbv", "population:idp", "location:LY01", "location:LY0101",
    ),
    proposed_level="restricted",
    body=[
        _h("Summary"),
        _p("""Sixteen months after the floods of September 2023, about 240 displaced families still live in
            collective shelters in Derna, mainly former schools and public buildings. IRC conducted a rapid
            protection assessment in six of these shelters between 12 and 20 January 2025, through focus
            group discussions with women, men and adolescents, key informant interviews with shelter
            committees, and observation of facilities."""),
        _h("Key findings"),
        _p("""Evictions. Families in four of the six shelters have been told to leave before the start of
            the next school year, without any alternative housing being offered. Most cannot afford rent in
            the city, where prices have risen sharply since the floods."""),
        _p("""Documentation. Many families lost their civil documents in the floods. Families of missing
            persons report that without death or absence certificates they cannot access compensation,
            bank accounts or inheritance."""),
        _p("""Safety and GBV risks. Women and girls described shared latrines and showers without locks or
            lighting, overcrowded rooms shared by several families, and harassment by visitors. Several
            women said they avoid leaving their rooms after dark. No women's safe space operates within
            walking distance of three of the shelters."""),
        _p("""Psychosocial distress. Adults and adolescents reported persistent grief, sleep problems and
            anxiety during heavy rain. Services remain insufficient, with long waiting lists."""),
        _h("Recommendations"),
        _p("""Advocate with the municipality for a moratorium on evictions until alternative housing is
            available; expand legal assistance on documentation; install locks and lighting in sanitation
            facilities; establish a mobile women's safe space; scale up psychosocial support."""),
        _h("Annex: shelter profiles"),
        _t(
            ["Shelter", "GPS", "Families", "Female-headed households", "Persons with disabilities",
             "Eviction notice"],
            ["Former school A", "32.7671, 22.6392", "58", "14", "6", "Yes"],
            ["Former school B", "32.7603, 22.6451", "44", "9", "3", "Yes"],
            ["Sports hall", "32.7588, 22.6317", "37", "4", "2", "No"],
            ["Public building C", "32.7712, 22.6480", "41", "11", "5", "Yes"],
            ["Former hotel", "32.7650, 22.6525", "33", "3", "1", "Yes"],
            ["Training institute", "32.7542, 22.6409", "27", "6", "2", "No"],
        ),
    ],
    review=_review(
        "return", "confidential",
        """Returned for revision. The annex lists each collective shelter with GPS coordinates and counts
        of female-headed households and persons with disabilities, several below five; combined with the
        GBV findings this could expose residents. Please remove coordinates and shelter names, aggregate
        the annex to neighbourhood level, and resubmit: the narrative alone can be released as
        restricted.""",
        risks=["re_identification", "small_cells", "targeting", "survivor_exposure"],
        benefits=["purpose_defined", "cost_of_not_sharing"],
    ),
)

_KUFRA_LINE_LIST = DemoDocument(
    key="iom-kufra-new-arrivals-line-list-2025-03",
    title="Kufra new arrivals line list, 1-15 March 2025",
    summary=" ".join("""
        Individual-level list of new arrivals from Sudan and Chad recorded at reception points in Kufra,
        with age, sex, nationality, household size and specific needs.""".split()),
    published=date(2025, 3, 18),
    org="IOM",
    uploader="partner@iom.example.org",
    language="en",
    fmt="xlsx",
    codes=(
        "doc_type:dataset", "sector:protection", "theme:mixed_migration", "population:refugees",
        "population:asylum_seekers", "population:migrants", "location:LY0107",
    ),
    proposed_level="restricted",
    body=[
        _t(
            ["Record", "Arrival date", "Reception point", "Nationality", "Sex", "Age", "Household size",
             "Travelling alone", "Specific needs"],
            ["KF-0301-001", "2025-03-01", "RP-1", "Sudanese", "F", "34", "5", "No", "Pregnant woman"],
            ["KF-0301-002", "2025-03-01", "RP-1", "Sudanese", "M", "16", "1", "Yes", "Unaccompanied child"],
            ["KF-0302-003", "2025-03-02", "RP-2", "Chadian", "M", "27", "1", "Yes", "None"],
            ["KF-0303-004", "2025-03-03", "RP-1", "Sudanese", "F", "52", "3", "No", "Chronic illness"],
            ["KF-0304-005", "2025-03-04", "RP-2", "Sudanese", "M", "41", "7", "No", "Disability"],
            ["KF-0305-006", "2025-03-05", "RP-1", "Sudanese", "F", "23", "2", "No",
             "Female-headed household"],
            ["KF-0306-007", "2025-03-06", "RP-2", "Chadian", "F", "19", "1", "Yes", "None"],
            ["KF-0308-008", "2025-03-08", "RP-1", "Sudanese", "M", "15", "1", "Yes", "Separated child"],
            ["KF-0309-009", "2025-03-09", "RP-1", "Sudanese", "F", "38", "6", "No", "Survivor of violence"],
            ["KF-0311-010", "2025-03-11", "RP-2", "Sudanese", "M", "63", "2", "No", "Older person"],
            ["KF-0312-011", "2025-03-12", "RP-1", "Chadian", "M", "31", "1", "Yes", "None"],
            ["KF-0314-012", "2025-03-14", "RP-2", "Sudanese", "F", "29", "4", "No",
             "Female-headed household"],
        ),
        _h("About this list"),
        _p("""This workbook lists new arrivals recorded by IOM teams at two reception points in Kufra
            between 1 and 15 March 2025. It is an extract of the full list, which contains several hundred
            records; names and telephone numbers have been removed and replaced by record numbers. The list
            was compiled to help partners plan reception assistance and identify persons with specific needs
            for referral."""),
        _h("Methodology"),
        _p("""Records were collected through short interviews with the head of each household or with
            individuals travelling alone, at the moment of arrival. Ages are as declared. Specific needs
            were identified by the interviewer using the standard checklist and have not been verified by
            a specialised agency."""),
        _h("Proposed use"),
        _p("""IOM proposes that the list be made available to protection partners working in Kufra so that
            unaccompanied and separated children, survivors of violence and persons with medical needs can
            be followed up, and so that reception capacity can be planned for the coming weeks. Partners
            requiring the full list are asked to contact the IOM information management focal point."""),
    ],
    review=_review(
        "withhold", "strictly_confidential",
        """Withheld. Individual records with age, sex, nationality, reception point, arrival date and
        specific needs (including children travelling alone and a survivor of violence) are re-identifiable
        even without names; the ISP places such line lists at the severe level. Not shared through the
        repository: please submit an aggregated table by week, nationality, sex and age group, and exchange
        the line list bilaterally with child protection and GBV case managers under a data sharing
        agreement.""",
        risks=["re_identification", "detention_refoulement", "targeting", "survivor_exposure"],
        benefits=["purpose_defined", "response_planning"],
    ),
)

_CP_SITREP = DemoDocument(
    key="drc-child-protection-sitrep-east-2025-05",
    title="Child protection situation report: Benghazi and Derna, May 2025",
    summary=" ".join("""
        Monthly child protection update for the east: psychosocial support, children without parental
        care after the Derna floods, child labour among displaced and migrant children, and birth
        registration.""".split()),
    published=date(2025, 6, 5),
    org="DRC",
    uploader="partner@drc.example.org",
    language="en",
    fmt="pdf",
    codes=(
        "doc_type:situation_report", "sector:child_protection", "sector:protection", "population:idp",
        "population:migrants", "population:host_community", "location:LY01", "location:LY0103",
        "location:LY0101",
    ),
    proposed_level="restricted",
    body=[
        _h("Overview"),
        _p("""In May 2025, DRC and its partners provided structured psychosocial support to 1,260 children
            in Benghazi and Derna and followed up 94 child protection cases. The situation of children
            affected by the Derna floods is stabilising, but needs remain high among children who lost one
            or both parents and among migrant children working in Benghazi."""),
        _h("Children without parental care"),
        _p("""Case workers continue to follow children who lost their parents in the floods and now live
            with relatives. Most kinship carers face financial hardship, and several have asked for help
            with guardianship procedures and access to survivors' benefits. DRC referred 21 families to
            legal partners for guardianship and inheritance cases during the month."""),
        _h("Child labour"),
        _p("""Outreach teams in Benghazi identified children, mostly boys aged 12 to 17, working in car
            washes, construction sites and markets. Many are migrant children travelling without their
            families or displaced children whose families depend on their income. Cases were referred for
            cash assistance, non-formal education and, where needed, family tracing."""),
        _h("Birth registration"),
        _p("""Children born during displacement, and children of migrant parents, frequently lack birth
            certificates. Without them, enrolment in public schools is refused or delayed. Partners are
            preparing joint sessions with the civil registry in Derna for the start of the school year."""),
        _h("Key figures for the month"),
        _t(
            ["Activity", "Benghazi", "Derna", "Total"],
            ["Children in structured psychosocial support", "540", "720", "1,260"],
            ["New child protection cases", "31", "22", "53"],
            ["Cases followed up", "52", "42", "94"],
            ["Parents and carers in parenting sessions", "180", "230", "410"],
        ),
        _h("Gaps and priorities"),
        _p("""Specialised mental health services for children remain scarce in both cities. Alternative
            care options for unaccompanied migrant children are almost non-existent, and children are
            sometimes held with adults after interception. Priorities for June are to expand parenting
            sessions in Derna, to agree interim care arrangements for unaccompanied children with the
            social affairs office, and to train new case workers on the standard case management forms."""),
    ],
    review=None,
)

_IRAQ_DOCUMENTATION = DemoDocument(
    key="nrc-iraq-civil-documentation-analysis-2024",
    title=(
        "Missing civil documentation among IDPs and returnees in Anbar, Baghdad and Erbil: "
        "analysis of the legal assistance caseload, 2024"
    ),
    summary=" ".join("""
        Analysis of NRC's 2024 legal assistance caseload in three governorates: which documents are
        missing, why, how long replacement takes, and what this means for freedom of movement and durable
        solutions.""".split()),
    published=date(2025, 3, 27),
    org="NRC",
    uploader="partner@nrc.example.org",
    language="en",
    fmt="docx",
    codes=(
        "doc_type:analysis", "sector:protection", "theme:civil_documentation", "theme:durable_solutions",
        "theme:freedom_of_movement", "population:idp", "population:returnees",
        "location:IQ", "location:IQG01", "location:IQG08", "location:IQG11",
    ),
    proposed_level="public",
    body=[
        _h("Introduction"),
        _p("""Years after the end of large-scale military operations, missing civil documentation continues
            to prevent many displaced and returnee families in Iraq from moving freely, accessing services
            and finding durable solutions. This analysis draws on the anonymised caseload of NRC's legal
            assistance programme in Anbar, Baghdad and Erbil governorates in 2024, covering 6,150 closed
            cases."""),
        _h("Which documents are missing"),
        _p("""The unified national card is the document most frequently requested, followed by birth
            certificates for children born in areas formerly under the control of armed groups, and
            marriage certificates issued by non-state courts that need to be validated. Death
            certificates are frequently needed to settle inheritance and to register children whose
            fathers are missing."""),
        _t(
            ["Document", "Anbar", "Baghdad", "Erbil", "Total"],
            ["Unified national card", "1,020", "640", "410", "2,070"],
            ["Birth certificate", "780", "390", "350", "1,520"],
            ["Marriage certificate (validation)", "510", "220", "190", "920"],
            ["Death certificate", "460", "280", "150", "890"],
            ["Other", "330", "260", "160", "750"],
            ["Total", "3,100", "1,790", "1,260", "6,150"],
        ),
        _h("Why replacement is difficult"),
        _p("""Families report three main obstacles. First, security clearance: applicants with a perceived
            affiliation to armed groups, often because of a relative, face lengthy or refused clearance.
            Second, cost: travel to the civil affairs office in the district of origin, fees and the
            required witnesses are beyond the means of many households. Third, information: applicants do
            not know which documents are required and are often sent back several times."""),
        _h("Consequences"),
        _p("""Without documents, adults cannot move through checkpoints, apply for jobs in the public sector
            or receive social protection payments. Children without birth certificates are at risk of
            exclusion from school and, later, of statelessness. In return areas, missing documents also
            block compensation claims for destroyed property, which in turn delays return or makes it
            unsustainable."""),
        _h("Recommendations"),
        _p("""The authorities should expand mobile civil documentation missions to camps and informal
            settlements, clarify and shorten security clearance procedures, and waive fees for displaced
            families. Donors should sustain funding for legal assistance, which remains a precondition for
            access to most other durable solutions programmes. Partners should refer documentation cases
            early and share anonymised caseload figures to support joint advocacy."""),
    ],
    review=None,
)

DEMO_DOCUMENTS: list[DemoDocument] = [
    _PSWG_MINUTES,
    _DETENTION_REPORT,
    _MISRATA_SUMMARY,
    _MISRATA_DATASET,
    _HLP_CONCEPT_NOTE,
    _GBV_TRAINING,
    _IRAQ_DSWG,
    _MINE_ACTION_SITREP,
    _SEBHA_MINUTES_AR,
    _TAWERGHA_SITREP_AR,
    _CASE_NOTE,
    _DERNA_ASSESSMENT,
    _KUFRA_LINE_LIST,
    _CP_SITREP,
    _IRAQ_DOCUMENTATION,
]


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------

# (directory, regular, bold) candidates; the bold file is optional.
_ARABIC_FONT_CANDIDATES: tuple[tuple[str, str, str], ...] = (
    ("/usr/share/fonts/truetype/dejavu", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu-sans-fonts", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/noto", "NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    ("/usr/share/fonts/noto", "NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    ("/usr/share/fonts/truetype/freefont", "FreeSerif.ttf", "FreeSerifBold.ttf"),
    ("/usr/share/fonts/gnu-free", "FreeSerif.ttf", "FreeSerifBold.ttf"),
    ("/Library/Fonts", "Arial Unicode.ttf", ""),
    ("/System/Library/Fonts/Supplemental", "Arial Unicode.ttf", ""),
)


@lru_cache(maxsize=4)
def _has_arabic_glyphs(path: str) -> bool:
    try:
        from fontTools.ttLib import TTFont

        with TTFont(path, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except Exception:
        return False
    return all(ord(ch) in cmap for ch in "اسبهتورغء")


def find_arabic_font() -> tuple[Path, Path] | None:
    """(regular, bold) TTF paths with Arabic glyphs, or None. Bold may equal regular.

    ``DEMO_ARABIC_FONT`` (a TTF path) takes precedence over the usual system locations.
    """
    candidates = [(Path(d) / r, Path(d) / b if b else None) for d, r, b in _ARABIC_FONT_CANDIDATES]
    override = os.environ.get("DEMO_ARABIC_FONT")
    if override:
        candidates.insert(0, (Path(override), None))
    for regular, bold in candidates:
        if regular.is_file() and _has_arabic_glyphs(str(regular)):
            return regular, bold if bold is not None and bold.is_file() else regular
    return None


_ASCII_MAP = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2026": "...", "\u2022": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ",
})


def _latin(text: str) -> str:
    """Text the core Helvetica font can encode (Latin-1); anything else becomes '?'."""
    return text.translate(_ASCII_MAP).encode("latin-1", "replace").decode("latin-1")


def render(doc: DemoDocument, dest_dir: Path) -> Path:
    """Write ``doc`` as ``<key>.<fmt>`` into ``dest_dir`` and return the path.

    An Arabic PDF is written as DOCX when no Arabic-capable font is available.
    """
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    if doc.fmt == "pdf":
        if doc.language == "ar":
            fonts = find_arabic_font()
            if fonts is None:
                return _render_docx(doc, dest_dir / f"{doc.key}.docx")
            return _render_pdf(doc, dest_dir / f"{doc.key}.pdf", fonts)
        return _render_pdf(doc, dest_dir / f"{doc.key}.pdf", None)
    if doc.fmt == "docx":
        return _render_docx(doc, dest_dir / f"{doc.key}.docx")
    if doc.fmt == "xlsx":
        return _render_xlsx(doc, dest_dir / f"{doc.key}.xlsx")
    raise ValueError(f"unknown format {doc.fmt!r} for {doc.key}")


def _org_name(acronym: str) -> str:
    return dict(DEMO_ORGS).get(acronym, acronym)


def _byline(doc: DemoDocument) -> str:
    return f"{doc.org} - {_org_name(doc.org)} | {doc.published.isoformat()}"


def _render_pdf(doc: DemoDocument, path: Path, fonts: tuple[Path, Path] | None) -> Path:
    from fpdf import FPDF
    from fpdf import FontFace
    from fpdf.enums import XPos
    from fpdf.enums import YPos

    rtl = fonts is not None
    pdf = FPDF(format="A4")
    pdf.creation_date = datetime.combine(doc.published, time(9, 0), tzinfo=UTC)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 18, 20)
    if rtl:
        regular, bold = fonts
        pdf.add_font("arabic", "", str(regular))
        pdf.add_font("arabic", "B", str(bold))
        family = "arabic"
        pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="ara")
        clean = str
        align = "R"
    else:
        family = "Helvetica"
        clean = _latin
        align = "L"
    pdf.set_title(clean(doc.title))
    pdf.set_author(clean(_org_name(doc.org)))
    pdf.set_subject(clean(doc.summary))
    pdf.set_lang(doc.language)
    pdf.add_page()

    def line(text: str, size: float, style: str = "", height: float = 5.5, gap: float = 2.0) -> None:
        pdf.set_font(family, style, size)
        pdf.multi_cell(0, height, clean(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    line(doc.title, 15, "B", height=7.5, gap=1.5)
    line(_byline(doc), 9, gap=5)
    for kind, content in doc.body:
        if kind == "h":
            pdf.ln(1.5)
            line(content, 12, "B", height=6.5, gap=1.5)
        elif kind == "p":
            line(content, 10.5)
        elif kind == "table":
            pdf.set_font(family, "", 9)
            if rtl:
                # One bordered cell per row: see the module docstring.
                for i, row in enumerate(content):
                    pdf.set_font(family, "B" if i == 0 else "", 9)
                    pdf.set_fill_color(230, 230, 230)
                    pdf.multi_cell(
                        0, 6, "  |  ".join(row), border=1, align="R", fill=i == 0,
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                    )
            else:
                headings = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
                widths = _column_widths(content)
                with pdf.table(
                    line_height=5, headings_style=headings, text_align="LEFT", col_widths=widths
                ) as table:
                    for row in content:
                        cells = table.row()
                        for cell in row:
                            cells.cell(clean(str(cell)))
            pdf.ln(3)
        else:
            raise ValueError(f"unknown block kind {kind!r} in {doc.key}")
    pdf.output(str(path))
    return path


def _column_widths(table: list[list[Any]]) -> tuple[int, ...]:
    """Relative widths: the longest body cell (capped), but never narrower than the longest word."""
    widths = []
    for i in range(len(table[0])):
        cells = [str(row[i]) for row in table]
        longest_word = max(len(word) for cell in cells for word in cell.split() or [""])
        widths.append(max(longest_word + 2, min(max(len(c) for c in cells[1:] or [""]), 40)))
    return tuple(widths)


_RTL_PPR_SUCCESSORS = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)
_RTL_TBLPR_SUCCESSORS = (
    "w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
    "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
    "w:tblDescription", "w:tblPrChange",
)


def _make_rtl(paragraph: Any) -> None:
    """Right-to-left paragraph. No explicit alignment: in a bidi paragraph the default (start) is the
    right edge, while ``jc="right"`` would mean the end, i.e. the left edge, in Word."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    if ppr.find(qn("w:bidi")) is None:
        ppr.insert_element_before(OxmlElement("w:bidi"), *_RTL_PPR_SUCCESSORS)
    for run in paragraph.runs:
        run.font.rtl = True


def _clip(text: str, limit: int = 255) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _render_docx(doc: DemoDocument, path: Path) -> Path:
    from docx import Document
    from docx.oxml import OxmlElement

    rtl = doc.language == "ar"
    document = Document()
    props = document.core_properties
    props.title = _clip(doc.title)  # core properties hold at most 255 characters
    props.author = _org_name(doc.org)
    props.subject = _clip(doc.summary)
    props.language = doc.language
    props.created = datetime.combine(doc.published, time(9, 0))

    def finish(paragraph: Any) -> None:
        if rtl:
            _make_rtl(paragraph)

    finish(document.add_heading(doc.title, level=1))
    finish(document.add_paragraph(_byline(doc)))
    for kind, content in doc.body:
        if kind == "h":
            finish(document.add_heading(content, level=2))
        elif kind == "p":
            finish(document.add_paragraph(content))
        elif kind == "table":
            header, *rows = content
            table = document.add_table(rows=len(content), cols=len(header))
            table.style = "Table Grid"
            if rtl:
                table._tbl.tblPr.insert_element_before(OxmlElement("w:bidiVisual"), *_RTL_TBLPR_SUCCESSORS)
            for r, row in enumerate(content):
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    cell.text = str(value)
                    for paragraph in cell.paragraphs:
                        if r == 0:
                            for run in paragraph.runs:
                                run.bold = True
                                run.font.cs_bold = True  # Arabic is drawn with the complex-script settings
                        finish(paragraph)
            document.add_paragraph()
        else:
            raise ValueError(f"unknown block kind {kind!r} in {doc.key}")
    document.save(str(path))
    return path


def _render_xlsx(doc: DemoDocument, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.properties.title = doc.title
    workbook.properties.creator = _org_name(doc.org)
    workbook.properties.subject = doc.summary
    workbook.properties.language = doc.language
    workbook.properties.created = datetime.combine(doc.published, time(9, 0))

    tables = [content for kind, content in doc.body if kind == "table"]
    data = workbook.active
    data.title = "data"
    for index, table in enumerate(tables or [[["(no tabular data)"]]]):
        sheet = data if index == 0 else workbook.create_sheet(f"data_{index + 1}")
        for r, row in enumerate(table):
            sheet.append([_cell_value(v) if r else v for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 40)
        if doc.language == "ar":
            sheet.sheet_view.rightToLeft = True

    notes = workbook.create_sheet("notes")
    notes.column_dimensions["A"].width = 110
    notes.append([doc.title])
    notes["A1"].font = Font(bold=True, size=13)
    notes.append([_byline(doc)])
    for kind, content in doc.body:
        if kind == "h":
            notes.append([content])
            notes.cell(row=notes.max_row, column=1).font = Font(bold=True)
        elif kind == "p":
            notes.append([content])
            notes.cell(row=notes.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    if doc.language == "ar":
        notes.sheet_view.rightToLeft = True
    workbook.save(str(path))
    return path


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _cell_value(value: Any) -> Any:
    """Numbers as numbers (so the sheet is usable as data); everything else unchanged."""
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        return float(value) if "." in value else int(value)
    return value
