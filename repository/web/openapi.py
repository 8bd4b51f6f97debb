"""The OpenAPI 3.1 description of the JSON API, served at ``GET /api/v1/openapi.json``.

Written by hand as plain Python data, with no new dependency. apispec would only assemble the same hand-written
dicts (the views parse their input by hand, so there is nothing for it to read), and marshmallow is not used here;
a YAML file would need package data and a loader for no gain. Enumerations and limits are taken from the modules
that enforce them (``protocol``, ``services``, ``sniff``, ``scan``), so they cannot disagree.

``tests/test_openapi.py`` keeps the rest true: every ``/api/v1`` rule of the app is described with the same
methods and nothing else is; the document validates as OpenAPI 3.1; schemathesis calls every operation as an
anonymous visitor, a partner and a coordinator and checks each answer (status, content type, body) against it.
Response objects forbid undocumented fields, so a field added to ``serialize.py`` must be described here too.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from repository import protocol
from repository.knowledge.scan import KINDS
from repository.knowledge.sniff import ALLOWED_TYPES
from repository.services import MAX_CODES
from repository.services import MAX_COMMENT
from repository.services import MAX_GRANTS
from repository.services import MAX_RATIONALE
from repository.services import MAX_SUMMARY
from repository.services import MAX_TITLE
from repository.web.limits import MAX_BODY_BYTES

#: The rule of the catch-all route that answers unknown ``/api/v1`` paths with a JSON 404: not an operation.
CATCH_ALL_ENDPOINT = "api.not_found"

JSON = "application/json"
Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def _strings(max_items: int | None = None, **item: Any) -> Schema:
    out: Schema = {"type": "array", "items": {"type": "string", **item}}
    if max_items is not None:
        out["maxItems"] = max_items
    return out


def _obj(properties: dict[str, Schema], required: tuple[str, ...] = (), **extra: Any) -> Schema:
    out: Schema = {"type": "object", "properties": properties, "additionalProperties": False, **extra}
    if required:
        out["required"] = list(required)
    return out


DATE: Schema = {"type": "string", "format": "date", "description": "YYYY-MM-DD"}
DATE_TIME: Schema = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+00:00$",
    "description": "ISO 8601 in UTC, with its offset (+00:00).",
}
LEVEL: Schema = {"type": "string", "enum": list(protocol.LEVELS)}
CODES_BY_FACET: Schema = {
    "type": "object",
    "description": "Code ids grouped by facet: {facet id: [code id, ...]}.",
    "additionalProperties": _strings(),
}

# Fields of a document shown only to coordinators and contributors of the owner organisation (all or none).
_REVIEW_FIELDS = ("risks", "benefits", "rationale", "override", "minimum_reasons", "grant_orgs", "grant_users",
                  "review_by")

SCHEMAS: dict[str, Schema] = {
    "Error": _obj(
        {
            "error": {"type": "string", "description": "A short machine name of the refusal."},
            "message": {"type": "string", "description": "A sentence for people."},
            "document_id": {"type": "integer", "description": "409 duplicate: the document, if the caller may see it."},
            "reasons": _strings(),
            "unknown": _strings(description="422 unknown_code: the unknown codes."),
            "not_suggested": _strings(description="422 not_suggested: codes not among the suggestions."),
            "detected": _nullable({"type": "string", "description": "415: the type found in the content."}),
            "allowed_risks": _strings(),
            "allowed_benefits": _strings(),
            "allowed_kinds": _strings(description="422 invalid_value: the finding kinds considered may name."),
            "missing": _strings(
                enum=[c.id for c in protocol.RELEASE_GATE],
                description="422 refused (a release): the conditions of the release gate that are not met.",
            ),
            "not_considered": _strings(
                enum=list(KINDS), description="422 refused (a public release): found kinds not marked as considered."
            ),
        },
        ("error", "message"),
        description='Every refusal: {"error": "<short_code>", "message": "<sentence>"}, plus details of some.',
    ),
    "Comment": _obj(
        {
            "id": {"type": "integer"},
            "at": DATE_TIME,
            "author": _nullable({"type": "string"}),
            "org": _nullable({"type": "string"}),
            "role": _nullable({"type": "string", "enum": list(protocol.ROLES)}),
            "kind": {"type": "string", "enum": ["comment", "return"]},
            "text": {"type": "string"},
        },
        ("id", "at", "author", "org", "role", "kind", "text"),
        description="One message of a document's review exchange.",
    ),
    "Finding": _obj(
        {
            "kind": {"type": "string", "enum": list(KINDS)},
            "count": {"type": "integer", "minimum": 0},
            "where": _strings(),
            "example": {"type": "string", "description": "Redacted: never the value itself."},
        },
        ("kind", "count", "where", "example"),
    ),
    "Document": _obj(
        {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "filename": {"type": "string"},
            "mime": {"type": "string", "enum": list(ALLOWED_TYPES)},
            "size": {"type": "integer", "minimum": 0},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "org": {"type": "string", "description": "Acronym of the owner organisation."},
            "uploaded_by": {"type": "string", "description": "E-mail (coordinators and the owner organisation)."},
            "uploaded_at": DATE_TIME,
            "published": _nullable(DATE),
            "state": {"type": "string", "enum": list(protocol.STATES)},
            "level": _nullable(LEVEL),
            "proposed_level": _nullable(LEVEL),
            "minimum_level": _nullable(LEVEL),
            "codes": CODES_BY_FACET,
            "suggested_codes": CODES_BY_FACET,
            "suggestions": {
                "type": "array",
                "items": _obj({"code": {"type": "string"}, "reason": {"type": "string"}}, ("code", "reason")),
            },
            "detected": {"type": "array", "items": _ref("Finding")},
            "language": _nullable({"type": "string"}),
            "text_status": {"type": "string", "enum": ["ok", "ocr", "unavailable"]},
            "text_reason": {"type": "string", "description": "Why the text could not be read."},
            "risks": _strings(enum=list(protocol.RISKS)),
            "benefits": _strings(enum=list(protocol.BENEFITS)),
            "rationale": _nullable({"type": "string"}),
            "override": _nullable({"type": "string"}),
            "minimum_reasons": _strings(),
            "grant_orgs": _strings(),
            "grant_users": _strings(),
            "review_by": _nullable(DATE),
            "comments": {"type": "array", "items": _ref("Comment")},
        },
        (
            "id", "title", "summary", "filename", "mime", "size", "sha256", "org", "uploaded_at", "published",
            "state", "level", "proposed_level", "minimum_level", "codes", "suggested_codes", "suggestions",
            "detected", "language", "text_status",
        ),  # fmt: skip
        dependentRequired={field: [f for f in _REVIEW_FIELDS if f != field] for field in _REVIEW_FIELDS},
        description="A document as the caller may see it: uploaded_by, the review record and comments only for "
        "coordinators and contributors of the owner organisation.",
    ),
    "Hit": _obj(
        {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "snippet": {"type": "string", "description": "HTML: the text escaped, matches in <mark>."},
            "level": _nullable(LEVEL),
            "state": {"type": "string", "enum": list(protocol.STATES)},
            "org": {"type": "string"},
            "published": _nullable(DATE),
            "codes": CODES_BY_FACET,
        },
        ("id", "title", "snippet", "level", "state", "org", "published", "codes"),
    ),
    "SearchResult": _obj(
        {
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1, "maximum": 1000},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
            "hits": {"type": "array", "items": _ref("Hit")},
            "facets": {
                "type": "object",
                "description": "Per taxonomy facet, org and level: {value: number of documents}.",
                "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
            },
            "also_searched": _strings(description="Other names of taxonomy codes the query named."),
        },
        ("total", "page", "per_page", "hits", "facets", "also_searched"),
    ),
    "Comments": _obj(
        {"total": {"type": "integer", "minimum": 0}, "comments": {"type": "array", "items": _ref("Comment")}},
        ("total", "comments"),
    ),
    "ReviewsDue": _obj(
        {
            "date": DATE,
            "total": {"type": "integer", "minimum": 0},
            "documents": {"type": "array", "items": _ref("Document")},
        },
        ("date", "total", "documents"),
    ),
    "AuditEvent": _obj(
        {
            "at": DATE_TIME,
            "actor": _nullable({"type": "string"}),
            "action": {"type": "string"},
            "document_id": _nullable({"type": "integer"}),
            "detail": {"type": "object"},
            "request_id": _nullable({"type": "string", "description": "The request that caused the event."}),
        },
        ("at", "actor", "action", "document_id", "detail"),
    ),
    "AuditPage": _obj(
        {
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "events": {"type": "array", "items": _ref("AuditEvent"), "maxItems": 50},
        },
        ("total", "page", "events"),
    ),
    "TaxonomyCode": _obj(
        {
            "id": {"type": "string"},
            "label": {"type": "string"},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "aliases": _strings(),
            "parent": _nullable({"type": "string"}),
            "pcode": _nullable({"type": "string"}),
            "retired": {"type": "boolean"},
            "replaced_by": _nullable({"type": "string"}),
        },
        ("id", "label", "labels", "aliases", "parent", "pcode", "retired", "replaced_by"),
    ),
    "Taxonomy": _obj(
        {
            "facets": {
                "type": "array",
                "items": _obj(
                    {
                        "id": {"type": "string"},
                        "label": {"type": "string"},
                        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                        "hierarchical": {"type": "boolean"},
                        "codes": {"type": "array", "items": _ref("TaxonomyCode")},
                    },
                    ("id", "label", "labels", "hierarchical", "codes"),
                ),
            }
        },
        ("facets",),
    ),
    # Request bodies
    "Upload": {
        "type": "object",
        "properties": {
            "file": {"type": "string", "format": "binary", "description": "PDF, Office, OpenDocument, text or CSV."},
            "title": {"type": "string", "maxLength": MAX_TITLE, "description": "Default: from the file name."},
            "summary": {"type": "string", "maxLength": MAX_SUMMARY},
            "published": DATE,
            "codes": _strings(MAX_CODES, description="Taxonomy code ids (repeat the field)."),
            "proposed_level": LEVEL,
        },
        "required": ["file"],
    },
    "FileReplacement": {
        "type": "object",
        "properties": {"file": {"type": "string", "format": "binary"}},
        "required": ["file"],
    },
    "DocumentChanges": _obj(
        {
            "title": {"type": "string", "minLength": 1, "maxLength": MAX_TITLE},
            "summary": {"type": "string", "maxLength": MAX_SUMMARY},
            "published": _nullable(DATE),
            "codes": _strings(MAX_CODES, description="Replaces every code of the document."),
        },
        description="Any of the fields; other fields are refused with 422.",
    ),
    "Review": _obj(
        {
            "action": {"type": "string", "enum": list(protocol.REVIEW_ACTIONS)},
            "level": LEVEL,
            "risks": _strings(len(protocol.RISKS), enum=list(protocol.RISKS)),
            "benefits": _strings(len(protocol.BENEFITS), enum=list(protocol.BENEFITS)),
            "rationale": {"type": "string", "maxLength": MAX_RATIONALE, "description": "Needed to release or return."},
            "override": {"type": "string", "maxLength": MAX_RATIONALE, "description": "Why a level below the minimum."},
            "grant_orgs": _strings(MAX_GRANTS, maxLength=32, description="Acronyms (confidential only)."),
            "grant_users": _strings(MAX_GRANTS, maxLength=254, description="E-mails (strictly confidential only)."),
            "review_by": _nullable(DATE),
            "considered": _strings(
                len(KINDS),
                enum=list(KINDS),
                description="The scan finding kinds the coordinator weighed; a public release needs every kind "
                "the document's scan found.",
            ),
            "accept_codes": _strings(
                MAX_CODES,
                description="Suggested codes accepted with this decision, in the same transaction, before the "
                "release gate is checked.",
            ),
        },
        ("action",),
    ),
    "NewComment": _obj({"text": {"type": "string", "minLength": 1, "maxLength": MAX_COMMENT}}, ("text",)),
    "AcceptCodes": {
        "type": "object",
        "description": "The suggested codes to accept, or all: true for every suggestion not applied yet.",
        "properties": {"codes": _strings(MAX_CODES, minItems=1), "all": {"type": "boolean"}},
        "additionalProperties": False,
        "anyOf": [{"required": ["codes"]}, {"required": ["all"], "properties": {"all": {"const": True}}}],
    },
}

# Error answers by status: which short codes each may carry.
_ERRORS: dict[int, tuple[str, list[str]]] = {
    400: ("Malformed request: not a JSON object, a missing file field, a bad number or query.",
          ["bad_request", "bad_query"]),
    401: ("The token is missing, unknown, expired or revoked, or the action needs an account.",
          ["bad_token", "login_required"]),
    403: ("Not your action.", ["forbidden"]),
    404: ("Unknown, or not visible to the caller (the same answer).", ["not_found", "file_missing"]),
    409: ("A duplicate file, or a workflow step the document's state does not allow.",
          ["duplicate", "invalid_state"]),
    413: (f"Too large: an upload over the size limit, another body over {MAX_BODY_BYTES // 1024} KB, "
          "or a form with too many parts.", ["too_large"]),
    414: ("The query string is too long.", ["query_too_long"]),
    415: ("The file is not of an accepted type (judged from its content).", ["unsupported_type"]),
    422: ("Invalid values, or refused by the protocol (with reasons).",
          ["invalid_value", "unknown_code", "not_suggested", "refused", "below_minimum", "invalid_action"]),
    429: ("Too many requests; try again after the Retry-After delay.", ["too_many_requests"]),
}


def _error_response(status: int) -> Schema:
    description, codes = _ERRORS[status]
    schema = {"allOf": [_ref("Error")], "properties": {"error": {"enum": codes}}}
    out: Schema = {"description": description, "content": {JSON: {"schema": schema}}}
    if status == 401:
        out["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}, "required": True}}
    if status == 429:
        out["headers"] = {"Retry-After": {"schema": {"type": "string", "pattern": "^[0-9]+$"}, "required": True}}
    return out


def _errors(*statuses: int) -> dict[str, Schema]:
    # Every route runs the query-string cap (414).
    return {str(s): {"$ref": f"#/components/responses/E{s}"} for s in sorted({*statuses, 414})}


def _json(schema: Schema, description: str) -> Schema:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _json_body(name: str) -> Schema:
    return {"required": True, "content": {JSON: {"schema": _ref(name)}}}


def _multipart(name: str) -> Schema:
    encoding = {"file": {"contentType": "application/octet-stream"}}
    return {"required": True, "content": {"multipart/form-data": {"schema": _ref(name), "encoding": encoding}}}


DOC_ID = {"$ref": "#/components/parameters/doc_id"}


def _query(name: str, schema: Schema, description: str = "") -> Schema:
    out: Schema = {"name": name, "in": "query", "required": False, "schema": schema}
    if schema.get("type") == "array":
        out.update(style="form", explode=True)
    if description:
        out["description"] = description
    return out


_DATE_RANGE = [
    _query("from", DATE, "Inclusive."),
    _query("to", DATE, "Inclusive."),
]
_AUDIT_FILTERS = [
    _query("document", {"type": "integer", "minimum": 1}, "A document id."),
    _query("actor", {"type": "string"}, "The actor's e-mail."),
    _query("action", {"type": "string"}),
    *_DATE_RANGE,
]
_DOCUMENT = {"$ref": "#/components/responses/Document"}
_RATE_LIMITED = "Rate-limited per account (per address when anonymous)."


def _op(endpoint: str, summary: str, responses: dict[str, Schema], **extra: Any) -> Schema:
    return {"operationId": endpoint, "summary": summary, "responses": responses, **extra}


PATHS: dict[str, dict[str, Schema]] = {
    "/openapi.json": {
        "get": _op(
            "openapi",
            "This description (no login needed)",
            {"200": _json({"type": "object"}, "The OpenAPI document."), **_errors()},
            security=[{}],
            tags=["meta"],
        ),
    },
    "/documents": {
        "post": _op(
            "upload",
            "Upload a report (partners and coordinators); it enters review as submitted",
            {
                "201": {"$ref": "#/components/responses/Document"},
                **_errors(400, 401, 403, 409, 413, 415, 422, 429),
            },
            requestBody=_multipart("Upload"),
            description="The same bytes again answer 409, with document_id when the caller may see that document. "
            + _RATE_LIMITED,
            tags=["documents"],
        ),
    },
    "/documents/{doc_id}": {
        "parameters": [DOC_ID],
        "get": _op("get_document", "One document's metadata", {"200": _DOCUMENT, **_errors(401, 404)},
                   tags=["documents"]),
        "patch": _op(
            "update",
            "Change title, summary, published or codes (owner organisation while not released; coordinators)",
            {"200": _DOCUMENT, **_errors(400, 401, 403, 404, 413, 422)},
            requestBody=_json_body("DocumentChanges"),
            tags=["documents"],
        ),
    },
    "/documents/{doc_id}/file": {
        "parameters": [DOC_ID],
        "get": _op(
            "download",
            "The original file, as an attachment",
            {
                "200": {
                    "description": "The stored bytes (Content-Disposition: attachment; nosniff; CSP sandbox).",
                    "content": {mime: {} for mime in ALLOWED_TYPES},
                    "headers": {
                        "Content-Disposition": {"schema": {"type": "string", "pattern": "^attachment"},
                                                "required": True},
                        "Content-Security-Policy": {"schema": {"const": "sandbox"}, "required": True},
                        "X-Content-Type-Options": {"schema": {"const": "nosniff"}, "required": True},
                    },
                },
                **_errors(401, 404, 429),
            },
            description=_RATE_LIMITED,
            tags=["documents"],
        ),
        "post": _op(
            "replace_file",
            "Replace the file (owner organisation, while submitted or returned); the scan runs again",
            {"200": _DOCUMENT, **_errors(400, 401, 403, 404, 409, 413, 415, 429)},
            requestBody=_multipart("FileReplacement"),
            description="The same checks as an upload; the previous file stays stored. " + _RATE_LIMITED,
            tags=["review"],
        ),
    },
    "/documents/{doc_id}/submit": {
        "parameters": [DOC_ID],
        "post": _op(
            "submit",
            "Send a returned document back to review (owner organisation)",
            {"200": _DOCUMENT, **_errors(401, 403, 404, 409)},
            tags=["review"],
        ),
    },
    "/documents/{doc_id}/review": {
        "parameters": [DOC_ID],
        "post": _op(
            "review",
            "A coordinator's decision: release at a level, return with a rationale, or withhold",
            {"200": _DOCUMENT, **_errors(400, 401, 403, 404, 409, 413, 422)},
            requestBody=_json_body("Review"),
            description="A release (and a re-classification) needs a level, an accepted doc_type code and one "
            "accepted code of another facet (sector, theme, population, location; accept_codes may add suggested "
            "ones), at least one entry in risks and in benefits (none_identified alone is an answer) and a "
            "rationale; at public, every kind the scan found listed in considered; refused with 422 refused, "
            "naming what is missing in reasons and missing. Below the minimum level it needs an override "
            "(422 below_minimum); grant_orgs only for confidential, grant_users only for strictly_confidential.",
            tags=["review"],
        ),
    },
    "/documents/{doc_id}/comments": {
        "parameters": [DOC_ID],
        "get": _op(
            "comments",
            "The review exchange (the owner organisation's partners, and coordinators)",
            {"200": _json(_ref("Comments"), "Oldest first."), **_errors(401, 403, 404)},
            tags=["review"],
        ),
        "post": _op(
            "add_comment",
            "Add a comment or reply to the review exchange",
            {
                "201": _json(_ref("Comment"), "The new comment."),
                **_errors(400, 401, 403, 404, 413, 422),
            },
            requestBody=_json_body("NewComment"),
            tags=["review"],
        ),
    },
    "/documents/{doc_id}/codes/accept": {
        "parameters": [DOC_ID],
        "post": _op(
            "accept_codes",
            "Accept suggested codes in one step (as for PATCH)",
            {"200": _DOCUMENT, **_errors(400, 401, 403, 404, 413, 422)},
            requestBody=_json_body("AcceptCodes"),
            tags=["documents"],
        ),
    },
    "/search": {
        "get": _op(
            "search",
            "Search within what the caller may see",
            {"200": _json(_ref("SearchResult"), "A page of hits, totals and facet counts."),
             **_errors(400, 401, 422, 429)},
            parameters=[
                _query("q", {"type": "string", "maxLength": 500},
                       'Words (all must match), "phrases", AND, OR, NOT, parentheses; at most 40 words.'),
                _query("code", _strings(MAX_CODES), "Repeatable; matches the code and every code below it."),
                _query("level", _strings(4, enum=[*protocol.LEVELS, "none"]),
                       "Repeatable; none: unreleased. Ignored for anonymous visitors."),
                _query("org", _strings(50), "Organisation acronyms, repeatable."),
                *_DATE_RANGE,
                _query("page", {"type": "integer", "minimum": 1, "maximum": 1000}),
                _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100}),
                _query("sort", {"type": "string", "enum": ["relevance", "date"]}),
            ],
            description="A query that runs longer than the time limit is refused with 400. " + _RATE_LIMITED,
            tags=["search"],
        ),
    },
    "/taxonomy": {
        "get": _op(
            "taxonomy",
            "The controlled vocabulary",
            {"200": _json(_ref("Taxonomy"), "Facets and their codes."), **_errors()},
            security=[{}],
            tags=["search"],
        ),
    },
    "/reviews/due": {
        "get": _op(
            "reviews_due",
            "Released documents due for re-review (coordinators)",
            {
                "200": _json(_ref("ReviewsDue"), "Documents whose review_by is on or before the date."),
                **_errors(401, 403, 422),
            },
            parameters=[_query("date", DATE, "Default: today (UTC).")],
            tags=["review"],
        ),
    },
    "/audit": {
        "get": _op(
            "audit",
            "The audit trail, newest first, 50 a page (coordinators)",
            {
                "200": {
                    "description": "A page of events, or with format=csv every matching event as CSV.",
                    "content": {JSON: {"schema": _ref("AuditPage")}, "text/csv": {"schema": {"type": "string"}}},
                },
                **_errors(400, 401, 403, 422),
            },
            parameters=[
                *_AUDIT_FILTERS,
                _query("page", {"type": "integer", "minimum": 1, "maximum": 100000}),
                _query("format", {"type": "string", "enum": ["json", "csv"]}),
            ],
            tags=["audit"],
        ),
    },
    "/audit.csv": {
        "get": _op(
            "audit_csv",
            "Every matching audit event as CSV (coordinators)",
            {
                "200": {
                    "description": "UTF-8 with a byte-order mark, a header row first; cells guarded against formulas.",
                    "content": {"text/csv": {"schema": {"type": "string"}}},
                },
                **_errors(400, 401, 403, 422),
            },
            parameters=_AUDIT_FILTERS,
            tags=["audit"],
        ),
    },
}

DESCRIPTION = (
    "Send `Authorization: Bearer TOKEN` (tokens are made on /account/tokens); requests without a token are "
    "anonymous. A document the caller may not see answers 404 everywhere, as an id that never existed. "
    'Errors are `{"error": "<short_code>", "message": "<sentence>"}`, some with details '
    "(`reasons`, `document_id`, `unknown`, ...)."
)


@cache
def _document() -> Schema:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Protection document repository API", "version": "1", "description": DESCRIPTION},
        "servers": [{"url": "/api/v1"}],
        "security": [{}, {"bearer": []}],
        "tags": [{"name": n} for n in ("documents", "review", "search", "audit", "meta")],
        "paths": PATHS,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "An API token."}},
            "parameters": {
                "doc_id": {
                    "name": "doc_id",
                    "in": "path",
                    "required": True,
                    "description": "A document id.",
                    "schema": {"type": "integer", "minimum": 1},
                }
            },
            "responses": {
                "Document": _json(_ref("Document"), "The document as the caller may see it."),
                **{f"E{status}": _error_response(status) for status in _ERRORS},
            },
            "schemas": SCHEMAS,
        },
    }


def spec(base: str = "/api/v1") -> Schema:
    """The OpenAPI document (a fresh copy), with ``base`` as the server URL (the API's path on this host)."""
    out = copy.deepcopy(_document())
    out["servers"] = [{"url": base}]
    return out
