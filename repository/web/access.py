"""Metadata-only discovery and access requests on the web: the JSON of a metadata-only document and of an access
request (for the API), and the pages (blueprint ``access``): the metadata-only document page with its request form,
and ``/access-requests`` (coordinators: every request with grant/refuse forms; other accounts: their own)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _

from repository import protocol
from repository.data.models import AccessRequest
from repository.data.models import Document
from repository.knowledge.taxonomy import Taxonomy
from repository.services import ServiceError
from repository.web.auth import html_actor
from repository.web.common import service
from repository.web.i18n import translated

#: What a metadata-only caller sees of a document (interface.md, "Additions": no file, text, findings or review).
METADATA_FIELDS = ("id", "title", "summary", "org", "level", "codes", "published", "state")


def metadata_json(doc: Document, taxonomy: Taxonomy) -> dict[str, Any]:
    """A document whose metadata only the caller sees: title, summary, organisation, level, codes, date."""
    return {
        "id": doc.id,
        "title": doc.title,
        "summary": doc.summary,
        "org": doc.org.acronym,
        "level": doc.level,
        "codes": taxonomy.group(doc.codes),
        "published": doc.published.isoformat() if doc.published else None,
        "state": doc.state,
        "metadata_only": True,
    }


def request_json(req: AccessRequest) -> dict[str, Any]:
    """One access request."""
    return {
        "id": req.id,
        "document_id": req.document_id,
        "requester": req.requester.email if req.requester else None,
        "reason": req.reason,
        "state": req.state,
        "answered_by": req.answered_by.email if req.answered_by else None,
        "note": req.note or "",
    }


# ----------------------------------------------------------------------------------------------------------------
# Pages: the metadata-only document page with its request form, and /access-requests
# ----------------------------------------------------------------------------------------------------------------

pages = Blueprint("access", __name__)


def metadata_page(doc: Document):
    """The page of a document whose metadata only the caller sees, with the access request form."""
    actor = html_actor()
    return render_template(
        "document_metadata.html", doc=doc, own_request=service().access.own_request(actor, doc)
    )


@pages.post("/documents/<doc_id>/access-request")
def request_access(doc_id: str):
    """Ask for access to a document whose metadata only the caller sees (form field ``reason``)."""
    try:
        service().access.request(html_actor(), doc_id, request.form.get("reason"))
        flash(_("Your request was sent to the coordinators."), "ok")
    except ServiceError as exc:
        if exc.status in (401, 404):
            raise
        flash(translated(exc.message), "error")
    return redirect(url_for("html.document", doc_id=doc_id))


@pages.get("/access-requests")
def access_requests():
    """Access requests: every one with grant/refuse forms for coordinators, one's own for other accounts."""
    actor = html_actor()
    svc = service()
    state = request.args.get("state") or None
    reqs = svc.access.requests(actor, state)
    return render_template(
        "access_requests.html",
        requests=reqs,
        titles=svc.access.titles(actor, reqs),
        state=state,
        states=protocol.REQUEST_STATES,
    )


@pages.post("/access-requests/<rid>")
def answer(rid: str):
    """A coordinator's answer from the /access-requests page (``action`` grant or refuse, ``note``)."""
    form = request.form
    try:
        req = service().access.answer(html_actor(), rid, form.get("action"), form.get("note"))
        flash(_("Request %(id)s: %(state)s.", id=req.id, state=translated(req.state)), "ok")
    except ServiceError as exc:
        if exc.status in (401, 403, 404):
            raise
        flash(translated(exc.message), "error")
    return redirect(url_for("access.access_requests"))
