"""What a release needs: the benefit/risk record, the release gate and the minimum level from the scan.

Part of :mod:`repository.protocol`; import it from there.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from repository.protocol.actions import DETECTED_LABELS
from repository.protocol.vocabulary import CONFIDENTIAL
from repository.protocol.vocabulary import LEVEL_LABELS
from repository.protocol.vocabulary import LEVELS
from repository.protocol.vocabulary import PUBLIC
from repository.protocol.vocabulary import RESTRICTED
from repository.protocol.vocabulary import STRICTLY_CONFIDENTIAL
from repository.protocol.vocabulary import level_rank

# --------------------------------------------------------------------------------------------------------------
# The benefit/risk record of a release (PIM principles; OCHA data-responsibility steps), as controlled lists
# --------------------------------------------------------------------------------------------------------------

#: The explicit "none identified" entry of :data:`RISKS` and :data:`BENEFITS`: the record is always a decision.
NONE_IDENTIFIED = "none_identified"

#: Risks a coordinator weighs before sharing (likelihood x severity; the mosaic effect included).
RISKS: dict[str, str] = {
    "re_identification": "Re-identification of a person, household or small group, alone or combined with other data",
    "targeting": "Targeting of people, sites or groups (attack, harassment, discrimination)",
    "detention_refoulement": "Arrest, detention, deportation or refoulement of the people concerned",
    "survivor_exposure": "Exposure of survivors, witnesses or case details (GBV, child protection)",
    "staff_safety": "Safety of staff, partners or community focal points",
    "access_loss": "Loss of humanitarian access or of relations with authorities",
    "consent_gap": "Use not covered by the consent given when the data were collected",
    "small_cells": "Small counts by place, sex or age that single people out",
    "reputation": "Damage to an organisation's capacity, neutrality or reputation",
    "misuse_by_recipient": "Use by a recipient beyond the stated purpose",
    "none_identified": "None identified: the risks were weighed and none applies to this release",
}

#: Benefits and safeguards that weigh for sharing.
BENEFITS: dict[str, str] = {
    "purpose_defined": "A defined purpose aimed at protection outcomes",
    "response_planning": "Informs response planning, targeting of assistance or prioritisation",
    "coordination": "Avoids duplication and supports referrals between partners",
    "advocacy": "Supports advocacy with authorities or donors",
    "institutional_memory": "Keeps institutional memory for the sector",
    "cost_of_not_sharing": "Not sharing would leave people without services or protection",
    "recipients_bound": "Recipients are bound by the information sharing protocol or a data-sharing agreement",
    "aggregated_to_district": "Aggregated to district level or higher (lowest disaggregation checked)",
    "consent_obtained": "Informed consent covers this use",
    "anonymised": "Names and identifiers removed; small cells suppressed",
    "mitigations_applied": "Other mitigations applied (redaction, delay, metadata only)",
    "none_identified": "None identified: the benefits were weighed and none of these applies",
}


def below_minimum(level: str | None, minimum_level: str | None) -> str:
    """Why releasing at ``level`` goes below the content's ``minimum_level`` (empty string: it does not)."""
    if not minimum_level or minimum_level not in LEVELS:
        return ""
    if level_rank(level) < level_rank(minimum_level):
        return f"{LEVEL_LABELS.get(level or '', level)} is below the minimum level {LEVEL_LABELS[minimum_level]}."
    return ""


# --------------------------------------------------------------------------------------------------------------
# The release gate: what every release (and re-classification) needs, whatever the level
# --------------------------------------------------------------------------------------------------------------
# Shared coding and a benefit/risk record come before sharing: a document type and one code of another facet, so
# that facets find it; at least one risk and one benefit (each list has "none identified", so the record is a
# decision, never a blank); a rationale. A public release of a document in which the scan found anything also
# needs every found kind marked as considered. The service checks this before it changes anything; the review page
# shows the same conditions before the button.

#: The facet of the document type, and the facets of which a release needs one more accepted code.
DOC_TYPE_FACET = "doc_type"
DESCRIPTIVE_FACETS: tuple[str, ...] = ("sector", "theme", "population", "location")


def _facets_of(codes: Iterable[str]) -> set[str]:
    return {str(c).partition(":")[0] for c in codes or () if ":" in str(c)}


def _has_doc_type(record: ReleaseRecord) -> bool:
    return DOC_TYPE_FACET in _facets_of(record.codes)


def _has_descriptive_code(record: ReleaseRecord) -> bool:
    return bool(_facets_of(record.codes) & set(DESCRIPTIVE_FACETS))


def _one_decision(values: Iterable[str], allowed: dict[str, str]) -> bool:
    chosen = [v for v in values if v in allowed]
    return bool(chosen) and (NONE_IDENTIFIED not in chosen or len(chosen) == 1)


@dataclass(frozen=True)
class ReleaseRecord:
    """What a release is judged on: the document's accepted codes and the decision's record."""

    codes: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    benefits: tuple[str, ...] = ()
    rationale: str = ""


@dataclass(frozen=True)
class ReleaseCondition:
    """One condition of :data:`RELEASE_GATE`: ``needs`` says what it asks for (the review page), ``reason`` why a
    release without it is refused; ``met(record)`` decides."""

    id: str
    needs: str
    reason: str
    met: Callable[[ReleaseRecord], bool]


#: The release gate, in the order the review page lists it.
RELEASE_GATE: tuple[ReleaseCondition, ...] = (
    ReleaseCondition(
        "doc_type",
        "An accepted document type code",
        "No document type: a release needs an accepted doc_type code (accept a suggestion or add one).",
        _has_doc_type,
    ),
    ReleaseCondition(
        "descriptive_code",
        "An accepted code of another facet: sector, theme, population or location",
        "No sector, theme, population or location code: a release needs at least one accepted code of one of "
        "these facets besides the document type.",
        _has_descriptive_code,
    ),
    ReleaseCondition(
        "risks",
        'At least one risk weighed ("None identified" is an answer)',
        'No risk recorded: a release needs at least one entry in risks, or "none_identified" alone.',
        lambda r: _one_decision(r.risks, RISKS),
    ),
    ReleaseCondition(
        "benefits",
        'At least one benefit or safeguard ("None identified" is an answer)',
        'No benefit recorded: a release needs at least one entry in benefits, or "none_identified" alone.',
        lambda r: _one_decision(r.benefits, BENEFITS),
    ),
    ReleaseCondition(
        "rationale",
        "A rationale: the benefit/risk assessment in a sentence",
        "No rationale: a release needs a rationale (the benefit/risk assessment in a sentence).",
        lambda r: bool(r.rationale.strip()),
    ),
)


def release_missing(record: ReleaseRecord) -> list[ReleaseCondition]:
    """The conditions of :data:`RELEASE_GATE` that ``record`` does not meet (empty: the gate is passed)."""
    return [condition for condition in RELEASE_GATE if not condition.met(record)]


def found_kinds(findings: Iterable[Any]) -> list[str]:
    """The kinds the scan found (a count above zero), in the order of :data:`DETECTED_LABELS`, then any other."""
    counts = _finding_counts(findings)
    known = [kind for kind in DETECTED_LABELS if kind in counts]
    return known + sorted(kind for kind in counts if kind not in DETECTED_LABELS)


def to_consider(level: str | None, findings: Iterable[Any]) -> list[str]:
    """The finding kinds a release at ``level`` must list as considered: every found kind for ``public``."""
    return found_kinds(findings) if level == PUBLIC else []


def not_considered(level: str | None, findings: Iterable[Any], considered: Iterable[str]) -> list[str]:
    """The found kinds a release at ``level`` needs as considered but ``considered`` leaves out."""
    given = set(considered or ())
    return [kind for kind in to_consider(level, findings) if kind not in given]


def not_considered_reason(kinds: Iterable[str]) -> str:
    """The refusal reason naming the finding kinds not marked as considered."""
    named = ", ".join(f"{kind} ({DETECTED_LABELS.get(kind, kind)})" for kind in kinds)
    return f"A public release needs every scan finding marked as considered; not considered: {named}."


# --------------------------------------------------------------------------------------------------------------
# Minimum sharing level from the scan
# --------------------------------------------------------------------------------------------------------------
# The sensitivity scan (repository/scan.py) lists what a document contains (``detected``: kind, count, where, a
# redacted example). The table below turns those findings, and the document's taxonomy codes, into the lowest level
# at which the document may be released, with the reasons a coordinator reads. The OCHA default rule applies: the
# highest applicable level wins. A finding that no applicable rule covers (a lone name, for instance) does not raise
# the minimum, but it is never silent: :func:`needs_a_look` lists it for the review page, and a public release
# needs every found kind marked as considered (see the release gate above).


@dataclass(frozen=True)
class MinimumRule:
    """One row of :data:`MINIMUM_RULES`: when its condition holds, the document may not go below ``level``.

    The condition is declarative and every part that is given must hold:

    * ``kind``: this kind was found at least ``min_count`` times (the finding's ``count``);
    * ``all_of``: every one of these kinds was found;
    * ``any_of``: at least one of these kinds was found;
    * ``none_of``: none of these kinds was found;
    * ``codes``: the document carries at least one of these taxonomy codes (exact code ids).

    ``reason`` is a template for the coordinator: ``{count}`` is the count of ``kind``, ``{<kind>}`` the count of
    any kind (0 when absent), ``{codes}`` the matching codes.
    """

    id: str
    level: str
    reason: str
    kind: str | None = None
    min_count: int = 1
    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    none_of: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()


#: Kinds that identify an individual directly.
IDENTIFIER_KINDS: tuple[str, ...] = ("person_name", "id_number", "phone", "email")
#: Codes whose documents hold GBV or child-protection content (thematic and sector facets).
CASE_TOPIC_CODES: tuple[str, ...] = ("theme:gbv", "theme:child_protection", "sector:gbv", "sector:child_protection")
#: Codes of detention-related documents.
DETENTION_CODES: tuple[str, ...] = ("theme:detention", "population:migrants_in_detention")

#: The rule table. Anchors: IASC/OCHA ISP tables (``domain.md`` §1.3 and §6): contact lists of individuals, aid-worker
#: contacts without consent, site GPS and small cells are "high" (confidential); beneficiary lists, GBV/CP case data,
#: survivor locations, alleged perpetrators and the locations of safe houses, shelters and detention places are
#: "severe" (strictly confidential); GBV/CP case details and named sensitive sites (detention places, shelters,
#: disembarkation points) are sensitive even without identifiers or coordinates: at least "moderate" (restricted).
MINIMUM_RULES: tuple[MinimumRule, ...] = (
    # -- strictly confidential: severe harm if disclosed --------------------------------------------------------
    MinimumRule(
        "site_located",
        STRICTLY_CONFIDENTIAL,
        "The location of a sensitive site ({sensitive_site} mention(s) of a safe house, shelter, detention place or "
        "disembarkation point, with {coordinates} GPS position(s))",
        kind="sensitive_site",
        all_of=("coordinates",),
    ),
    MinimumRule(
        "case_identified",
        STRICTLY_CONFIDENTIAL,
        "GBV or child-protection case details ({count} mention(s)) together with names, phone numbers or ids",
        kind="severe_topic",
        any_of=IDENTIFIER_KINDS,
    ),
    MinimumRule(
        "coded_case_contacts",
        STRICTLY_CONFIDENTIAL,
        "Coded {codes} and gives ids, phone numbers or e-mail addresses of individuals",
        codes=CASE_TOPIC_CODES,
        any_of=("id_number", "phone", "email"),
    ),
    MinimumRule(
        "coded_case_names",
        STRICTLY_CONFIDENTIAL,
        "Coded {codes} and names {count} people",
        kind="person_name",
        min_count=2,  # one name alone is usually the author or a signature
        codes=CASE_TOPIC_CODES,
    ),
    MinimumRule(
        "people_at_site",
        STRICTLY_CONFIDENTIAL,
        "A list of {count} personal names together with a sensitive site (detainees, residents of a shelter)",
        kind="person_name",
        min_count=5,
        all_of=("sensitive_site",),
    ),
    MinimumRule(
        "detention_list",
        STRICTLY_CONFIDENTIAL,
        "A list of {count} personal names in a document coded {codes}",
        kind="person_name",
        min_count=5,
        codes=DETENTION_CODES,
    ),
    # -- confidential: serious harm if disclosed -----------------------------------------------------------------
    MinimumRule("name_list", CONFIDENTIAL, "A list of {count} personal names", kind="person_name", min_count=5),
    MinimumRule("phone", CONFIDENTIAL, "Phone numbers of individuals ({count})", kind="phone"),
    MinimumRule("email", CONFIDENTIAL, "Personal e-mail addresses ({count})", kind="email"),
    MinimumRule("id_number", CONFIDENTIAL, "Identity, passport or case numbers ({count})", kind="id_number"),
    MinimumRule("coordinates", CONFIDENTIAL, "Exact GPS coordinates ({count})", kind="coordinates"),
    MinimumRule(
        "small_count",
        CONFIDENTIAL,
        "Small counts (under 5) broken down by place, sex or age ({count} table cell(s))",
        kind="small_count",
    ),
    # -- restricted: minor harm if disclosed, sensitive even without identifiers ------------------------------------
    MinimumRule(
        "case_details",
        RESTRICTED,
        "GBV or child-protection case details ({count} mention(s)), even without names, phone numbers or ids",
        kind="severe_topic",
        none_of=IDENTIFIER_KINDS,
    ),
    MinimumRule(
        "site_named",
        RESTRICTED,
        "A sensitive site named ({count} mention(s) of a safe house, shelter, detention place or disembarkation "
        "point), even without coordinates",
        kind="sensitive_site",
        none_of=("coordinates",),
    ),
)


class _ZeroCounts(dict):
    def __missing__(self, key: str) -> int:
        return 0


def _finding_counts(findings: Iterable[Any]) -> dict[str, int]:
    """Total count per kind; an unreadable count counts as one (fail closed), a non-positive one as none."""
    counts: dict[str, int] = {}
    for finding in findings or ():
        get = getattr(finding, "get", None)
        if get is None:
            continue
        kind = get("kind")
        if not isinstance(kind, str) or not kind:
            continue
        try:
            count = int(get("count", 1))
        except (TypeError, ValueError):
            count = 1
        if count > 0:
            counts[kind] = counts.get(kind, 0) + count
    return counts


def _rule_applies(rule: MinimumRule, counts: dict[str, int], codes: set[str]) -> bool:
    if rule.kind is not None and counts.get(rule.kind, 0) < max(rule.min_count, 1):
        return False
    if any(counts.get(k, 0) < 1 for k in rule.all_of):
        return False
    if rule.any_of and not any(counts.get(k, 0) >= 1 for k in rule.any_of):
        return False
    if any(counts.get(k, 0) >= 1 for k in rule.none_of):
        return False
    if rule.codes and not codes.intersection(rule.codes):
        return False
    return rule.kind is not None or bool(rule.all_of or rule.any_of or rule.codes)


def _rule_reason(rule: MinimumRule, counts: dict[str, int], codes: set[str]) -> str:
    values = _ZeroCounts(counts)
    values["count"] = counts.get(rule.kind, 0) if rule.kind else 0
    values["codes"] = ", ".join(sorted(codes.intersection(rule.codes)))
    return rule.reason.format_map(values)


def minimum_level(findings: Iterable[Any], codes: Iterable[str] = ()) -> tuple[str | None, list[str]]:
    """The lowest level at which a document may be released, and why: ``(level, reasons)``.

    ``findings`` are the mappings of ``scan.findings_json`` (the document's ``detected``); ``codes`` its code ids.
    Every rule of :data:`MINIMUM_RULES` that applies contributes its reason (highest level first); the level is
    the highest among them. ``(None, [])`` when no rule applies.
    """
    counts = _finding_counts(findings)
    code_set = {str(c) for c in codes or ()}
    matched = [rule for rule in MINIMUM_RULES if _rule_applies(rule, counts, code_set)]
    if not matched:
        return None, []
    matched.sort(key=lambda rule: -level_rank(rule.level))  # stable: table order within a level
    reasons: list[str] = []
    for rule in matched:
        reason = _rule_reason(rule, counts, code_set)
        if reason not in reasons:
            reasons.append(reason)
    return matched[0].level, reasons


def needs_a_look(findings: Iterable[Any], codes: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The findings that no applicable rule of :data:`MINIMUM_RULES` covers (a rule covers the kinds its condition
    counts on), in the order given: they raise no minimum, so the review page lists them as "needs a look"."""
    counts = _finding_counts(findings)
    code_set = {str(c) for c in codes or ()}
    covered: set[str] = set()
    for rule in MINIMUM_RULES:
        if _rule_applies(rule, counts, code_set):
            covered |= {k for k in (rule.kind, *rule.all_of, *rule.any_of) if k and counts.get(k, 0) >= 1}
    out = []
    for finding in findings or ():
        get = getattr(finding, "get", None)
        kind = get("kind") if get is not None else None
        if isinstance(kind, str) and kind in counts and kind not in covered:
            out.append(finding)
    return out
