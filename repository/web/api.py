"""The JSON API (``/api/v1``). Authentication: ``Authorization: Bearer TOKEN``; no token means anonymous."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import Response
from flask import jsonify
from flask import request
from flask import stream_with_context
from werkzeug.exceptions import HTTPException

from repository.protocol import NOT_FOUND_MESSAGE
from repository.services import ServiceError
from repository.services import parse_date
from repository.web.access import metadata_json
from repository.web.access import request_json
from repository.web.auth import BadToken
from repository.web.auth import api_actor
from repository.web.common import audit_filters
from repository.web.common import beyond_document_ids
from repository.web.common import repo
from repository.web.common import search_request
from repository.web.common import service
from repository.web.common import today
from repository.web.export import catalogue_csv
from repository.web.export import catalogue_json
from repository.web.export import catalogue_request
from repository.web.export import closing
from repository.web.export import document_url_prefix
from repository.web.export import export_format
from repository.web.limits import DOWNLOAD
from repository.web.limits import SEARCH
from repository.web.limits import UPLOAD
from repository.web.limits import caller_key
from repository.web.limits import limiter
from repository.web.limits import limits_off
from repository.web.openapi import spec as openapi_spec
from repository.web.responses import csv_response
from repository.web.responses import json_error
from repository.web.responses import json_http_error
from repository.web.responses import send_attachment
from repository.web.serialize import comment_json
from repository.web.serialize import document_json
from repository.web.serialize import event_json
from repository.web.serialize import events_csv
from repository.web.serialize import hit_json
from repository.web.serialize import version_json

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.url_value_preprocessor
def _document_id(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    """An id larger than any document's is the 404 of a missing document, not a database error."""
    doc_id = (values or {}).get("doc_id")
    if isinstance(doc_id, str) and beyond_document_ids(doc_id):
        raise ServiceError(404, "not_found", NOT_FOUND_MESSAGE)


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    return json_error(exc)


@bp.errorhandler(BadToken)
def _bad_token(_exc: BadToken):
    return json_error(ServiceError(401, "bad_token", "The API token is missing, unknown, expired or revoked."))


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return json_http_error(exc)


def _document(actor, doc):
    """The answer of a route about one document: its JSON as the caller may see it, with its near-duplicates
    among the documents the caller may see (``similar``)."""
    out = document_json(actor, doc, repo().taxonomy)
    out["similar"] = service().similarity.similar(actor, doc)
    return jsonify(out)


def _json_body() -> dict[str, Any]:
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the JSON parser can go: malformed, not a server error
        data = None
    if not isinstance(data, dict):
        raise ServiceError(400, "bad_request", "The body must be a JSON object.")
    if _has_lone_surrogate(data):  # "\ud800" is valid JSON but no text: the database cannot store it
        raise ServiceError(400, "bad_request", "The body must not contain lone surrogates (\\ud800-\\udfff).")
    return data


def _has_lone_surrogate(data: Any) -> bool:
    """Whether a decoded JSON value holds a string (or key) that is not encodable text."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


@bp.post("/documents")
@limiter.limit(UPLOAD, key_func=caller_key, exempt_when=limits_off)
def upload():
    """Upload a report (multipart)."""
    actor = api_actor()
    svc = service()
    svc.require(actor, "upload")  # before the body is read: anonymous 401, other roles 403
    file = request.files.get("file")
    if file is None or file.filename is None:
        raise ServiceError(400, "bad_request", "Send the file in a multipart field named file.")
    form = request.form
    doc = svc.intake.upload(
        actor,
        file.stream,
        file.filename,
        title=form.get("title"),
        summary=form.get("summary"),
        published=form.get("published"),
        codes=form.getlist("codes"),
        proposed_level=form.get("proposed_level"),
    )
    return _document(actor, doc), 201


@bp.get("/documents/<doc_id>")
def get_document(doc_id: str):
    """One document's metadata."""
    actor = api_actor()
    meta = service().access.metadata(actor, doc_id)  # a discoverable document outside its audience: metadata only
    if meta is not None:
        return jsonify(metadata_json(meta, repo().taxonomy))
    return _document(actor, service().documents.get(actor, doc_id))


@bp.get("/documents/<doc_id>/file")
@limiter.limit(DOWNLOAD, key_func=caller_key, exempt_when=limits_off)
def download(doc_id: str):
    """The original file, as an attachment; ``?version=N`` a version of it (repository.protocol.versions)."""
    actor = api_actor()
    if "version" in request.args:
        return send_attachment(service().versions.download(actor, doc_id, request.args.get("version")))
    return send_attachment(service().documents.download(actor, doc_id))


@bp.patch("/documents/<doc_id>")
def update(doc_id: str):
    """Change metadata or codes."""
    actor = api_actor()
    return _document(actor, service().documents.update(actor, doc_id, _json_body()))


@bp.post("/documents/<doc_id>/codes/accept")
def accept_codes(doc_id: str):
    """Accept code suggestions in one step: JSON ``codes`` (suggested code ids) or ``all: true``."""
    actor = api_actor()
    data = _json_body()
    if data.get("all") is True:
        codes: object = "all"
    elif "codes" in data:
        codes = [data["codes"]] if isinstance(data["codes"], str) else data["codes"]
    else:
        raise ServiceError(422, "invalid_value", "Send codes (a list of suggested code ids) or all: true.")
    return _document(actor, service().documents.accept_suggestions(actor, doc_id, codes))


@bp.post("/documents/<doc_id>/submit")
def submit(doc_id: str):
    """Send a returned document back to review."""
    actor = api_actor()
    return _document(actor, service().reviews.submit(actor, doc_id))


@bp.post("/documents/<doc_id>/review")
def review(doc_id: str):
    """A coordinator's decision."""
    actor = api_actor()
    return _document(actor, service().reviews.review(actor, doc_id, _json_body()))


@bp.post("/documents/<doc_id>/file")
@limiter.limit(UPLOAD, key_func=caller_key, exempt_when=limits_off)
def replace_file(doc_id: str):
    """The owner organisation replaces the file of a submitted or returned document (multipart ``file``)."""
    actor = api_actor()
    svc = service()
    file = request.files.get("file")
    if file is None or not file.filename:
        svc.documents.require(actor, doc_id, "replace")  # 404 / 401 / 403 before the 400
        raise ServiceError(400, "bad_request", "Send the file in a multipart field named file.")
    return _document(actor, svc.intake.replace_file(actor, doc_id, file.stream, file.filename))


@bp.post("/documents/<doc_id>/redactions")
@limiter.limit(UPLOAD, key_func=caller_key, exempt_when=limits_off)
def redact(doc_id: str):
    """A coordinator makes a redacted copy: JSON ``kinds`` (scan kinds to mask; left out: every kind found)."""
    actor = api_actor()
    data = _json_body() if request.get_data() else {}
    copy = service().redactions.redact(actor, doc_id, data.get("kinds"))
    return _document(actor, copy), 201


@bp.post("/documents/<doc_id>/versions")
@limiter.limit(UPLOAD, key_func=caller_key, exempt_when=limits_off)
def upload_version(doc_id: str):
    """The owner organisation uploads a new version of a released document (multipart ``file``): it enters review."""
    actor = api_actor()
    svc = service()
    svc.versions.require_new(actor, doc_id)  # 404 / 401 / 403 / 409 before the body is read
    file = request.files.get("file")
    if file is None or not file.filename:
        raise ServiceError(400, "bad_request", "Send the file in a multipart field named file.")
    version = svc.versions.upload(actor, doc_id, file.stream, file.filename)
    return jsonify(
        document_id=version.document_id,
        version=version.number,
        state=version.state,
        minimum_level=version.minimum_level,
        detected=version.detected or [],
    ), 201


@bp.get("/documents/<doc_id>/versions")
def versions(doc_id: str):
    """Every version of a document with its hash and decisions (owner organisation, coordinators)."""
    actor = api_actor()
    return jsonify(versions=[version_json(v) for v in service().versions.history(actor, doc_id)])


@bp.get("/documents/<doc_id>/comments")
def comments(doc_id: str):
    """The review exchange of a document (coordinators and the owner organisation)."""
    actor = api_actor()
    found = service().documents.document_comments(actor, doc_id)
    return jsonify({"total": len(found), "comments": [comment_json(c) for c in found]})


@bp.post("/documents/<doc_id>/comments")
def add_comment(doc_id: str):
    """Add a comment or reply to the review exchange (JSON ``text``)."""
    actor = api_actor()
    svc = service()
    svc.documents.require(actor, doc_id, "comment")  # 404 / 401 / 403 before a malformed body's 400
    comment = svc.documents.comment(actor, doc_id, _json_body().get("text"))
    return jsonify(comment_json(comment)), 201


@bp.get("/reviews/due")
def reviews_due():
    """Released documents due for re-review (``review_by`` on or before today; coordinators)."""
    actor = api_actor()
    day = parse_date(request.args.get("date"), "date") or today()
    docs = service().reviews.due(actor, day)
    taxonomy = repo().taxonomy
    return jsonify(
        {"date": day.isoformat(), "total": len(docs), "documents": [document_json(actor, d, taxonomy) for d in docs]}
    )


@bp.get("/search")
@limiter.limit(SEARCH, key_func=caller_key, exempt_when=limits_off)
def search():
    """Search within what the caller may see."""
    actor = api_actor()
    result = service().listing.search(actor, search_request(request.args))
    taxonomy = repo().taxonomy
    return jsonify(
        {
            "total": result["total"],
            "page": result["page"],
            "per_page": result["per_page"],
            "hits": [hit_json(h["doc"], h["snippet"], taxonomy) for h in result["hits"]],
            "facets": result["facets"],
            "also_searched": result["also_searched"],
        }
    )


@bp.get("/catalogue")
@limiter.limit(SEARCH, key_func=caller_key, exempt_when=limits_off)
def catalogue():
    """Every document the caller can page through in search with the same filters, one row each, streamed:
    ``format=json`` (the default) or ``csv``."""
    actor = api_actor()
    fmt = export_format(request.args)
    svc = service()
    rows = svc.catalogue.rows(actor, catalogue_request(request.args))  # the first page searched: 4xx here
    write = catalogue_csv if fmt == "csv" else catalogue_json
    body = stream_with_context(closing(write(rows, repo().taxonomy, document_url_prefix()), svc.session))
    if fmt == "csv":
        return csv_response(body, "catalogue.csv")
    response = Response(body, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/stats")
@limiter.limit(SEARCH, key_func=caller_key, exempt_when=limits_off)
def stats():
    """Counts over what the caller can page through in search with the same filters."""
    actor = api_actor()
    return jsonify(service().catalogue.stats(actor, catalogue_request(request.args), today()))


@bp.get("/taxonomy")
def taxonomy():
    """The controlled vocabulary."""
    return jsonify(repo().taxonomy.to_api())


@bp.get("/audit")
def audit():
    """The audit trail (coordinators); ``format=csv`` gives every matching event as CSV."""
    actor = api_actor()
    args = request.args
    if args.get("format") == "csv":
        return audit_csv()
    try:
        page = int(args.get("page") or 1)
    except ValueError:
        raise ServiceError(400, "bad_request", "page must be a whole number.") from None
    total, events = service().audit_trail.events(actor, audit_filters(args), page=page)
    return jsonify({"total": total, "page": page, "events": [event_json(e) for e in events]})


@bp.get("/audit.csv")
def audit_csv():
    """Every audit event matching the filters, as CSV (coordinators)."""
    events = service().audit_trail.export(api_actor(), audit_filters(request.args))
    return csv_response(events_csv(events), "audit.csv")


@bp.post("/documents/<doc_id>/access-requests")
def request_access(doc_id: str):
    """An account that sees a document's metadata only asks for access: JSON ``reason``."""
    actor = api_actor()
    req = service().access.request(actor, doc_id, _json_body().get("reason"))
    return jsonify(id=req.id, state=req.state), 201


@bp.get("/access-requests")
def access_requests():
    """Access requests (coordinators: all; other accounts: their own); ``state`` narrows them."""
    actor = api_actor()
    return jsonify(requests=[request_json(r) for r in service().access.requests(actor, request.args.get("state"))])


@bp.post("/access-requests/<rid>")
def answer_access_request(rid: str):
    """A coordinator's answer to an access request: JSON ``action`` (grant or refuse) and ``note``."""
    actor = api_actor()
    data = _json_body()
    return jsonify(request_json(service().access.answer(actor, rid, data.get("action"), data.get("note"))))


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API, for anyone: it describes routes, not documents."""
    return jsonify(openapi_spec(request.script_root + (bp.url_prefix or "")))


@bp.route("/<path:_rest>", methods=["GET", "POST", "PATCH", "PUT", "DELETE"])
def not_found(_rest: str):
    """Unknown API paths answer JSON too."""
    raise ServiceError(404, "not_found", "No such resource.")
