"""The JSON API (``/api/v1``). Authentication: ``Authorization: Bearer TOKEN``; no token means anonymous."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import jsonify
from flask import request
from flask import send_file
from werkzeug.exceptions import HTTPException

from ..auth import BadToken
from ..auth import api_actor
from ..limits import DOWNLOAD
from ..limits import SEARCH
from ..limits import UPLOAD
from ..limits import caller_key
from ..limits import limiter
from ..limits import limits_off
from ..serialize import document_json
from ..serialize import event_json
from ..serialize import hit_json
from ..services import ServiceError
from ..services import parse_date
from .common import error_body
from .common import repo
from .common import search_request
from .common import service
from .common import too_large_message

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    response = jsonify(error_body(exc))
    response.status_code = exc.status
    if exc.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="repository"'
    return response


@bp.errorhandler(BadToken)
def _bad_token(_exc: BadToken):
    return _service_error(ServiceError(401, "bad_token", "The API token is missing, unknown, expired or revoked."))


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    names = {
        400: "bad_request",
        404: "not_found",
        405: "method_not_allowed",
        413: "too_large",
        415: "unsupported_type",
        429: "too_many_requests",
    }
    code = exc.code or 500
    message = exc.description if code != 404 else "No such resource."
    if code == 413:
        message = too_large_message()
    if code == 429:
        message = f"Too many requests (limit: {exc.description}); try again after the Retry-After delay."
    return _service_error(ServiceError(code, names.get(code, "error"), message))


def _json_body() -> dict[str, Any]:
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the JSON parser can go: malformed, not a server error
        data = None
    if not isinstance(data, dict):
        raise ServiceError(400, "bad_request", "The body must be a JSON object.")
    return data


@bp.post("/documents")
@limiter.limit(UPLOAD, key_func=caller_key, exempt_when=limits_off)
def upload():
    """Upload a report (multipart)."""
    actor = api_actor()
    svc = service()
    if actor.authenticated:
        svc.require(actor, "upload")
    else:
        raise ServiceError(401, "login_required", "Uploading needs an API token.")
    file = request.files.get("file")
    if file is None or file.filename is None:
        raise ServiceError(400, "bad_request", "Send the file in a multipart field named file.")
    form = request.form
    doc = svc.upload(
        actor,
        file.stream,
        file.filename,
        title=form.get("title"),
        summary=form.get("summary"),
        published=form.get("published"),
        codes=form.getlist("codes"),
        proposed_level=form.get("proposed_level"),
    )
    return jsonify(document_json(actor, doc, repo().taxonomy)), 201


@bp.get("/documents/<doc_id>")
def get_document(doc_id: str):
    """One document's metadata."""
    actor = api_actor()
    doc = service().get(actor, doc_id)
    return jsonify(document_json(actor, doc, repo().taxonomy))


@bp.get("/documents/<doc_id>/file")
@limiter.limit(DOWNLOAD, key_func=caller_key, exempt_when=limits_off)
def download(doc_id: str):
    """The original file, as an attachment."""
    actor = api_actor()
    target = service().download(actor, doc_id)
    return send_attachment(target)


def send_attachment(target):
    """Send a stored original so that no browser renders it."""
    response = send_file(
        target.path,
        mimetype=target.mime,
        as_attachment=True,
        download_name=target.filename,
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.patch("/documents/<doc_id>")
def update(doc_id: str):
    """Change metadata or codes."""
    actor = api_actor()
    doc = service().update(actor, doc_id, _json_body())
    return jsonify(document_json(actor, doc, repo().taxonomy))


@bp.post("/documents/<doc_id>/submit")
def submit(doc_id: str):
    """Send a returned document back to review."""
    actor = api_actor()
    doc = service().submit(actor, doc_id)
    return jsonify(document_json(actor, doc, repo().taxonomy))


@bp.post("/documents/<doc_id>/review")
def review(doc_id: str):
    """A coordinator's decision."""
    actor = api_actor()
    doc = service().review(actor, doc_id, _json_body())
    return jsonify(document_json(actor, doc, repo().taxonomy))


@bp.get("/search")
@limiter.limit(SEARCH, key_func=caller_key, exempt_when=limits_off)
def search():
    """Search within what the caller may see."""
    actor = api_actor()
    result = service().search(actor, search_request(request.args))
    taxonomy = repo().taxonomy
    return jsonify(
        {
            "total": result["total"],
            "page": result["page"],
            "per_page": result["per_page"],
            "hits": [hit_json(h["doc"], h["snippet"], taxonomy) for h in result["hits"]],
            "facets": result["facets"],
        }
    )


@bp.get("/taxonomy")
def taxonomy():
    """The controlled vocabulary."""
    return jsonify(repo().taxonomy.to_api())


@bp.get("/audit")
def audit():
    """The audit trail (coordinators)."""
    actor = api_actor()
    args = request.args
    try:
        page = int(args.get("page") or 1)
    except ValueError:
        raise ServiceError(400, "bad_request", "page must be a whole number.") from None
    total, events = service().audit_events(
        actor,
        document=args.get("document"),
        actor_email=args.get("actor"),
        action=args.get("action"),
        date_from=parse_date(args.get("from"), "from"),
        date_to=parse_date(args.get("to"), "to"),
        page=page,
    )
    return jsonify({"total": total, "page": page, "events": [event_json(e) for e in events]})


@bp.route("/<path:_rest>", methods=["GET", "POST", "PATCH", "PUT", "DELETE"])
def not_found(_rest: str):
    """Unknown API paths answer JSON too."""
    raise ServiceError(404, "not_found", "No such resource.")
