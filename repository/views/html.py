"""Server-rendered pages, usable without JavaScript. They show exactly what the API shows the same account."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint
from flask import Flask
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_login import logout_user
from werkzeug.exceptions import HTTPException

from .. import db
from .. import protocol
from ..auth import html_actor
from ..auth import html_user
from ..auth import start_session
from ..limits import DOWNLOAD
from ..limits import LOGIN_PER_ACCOUNT
from ..limits import LOGIN_PER_ADDRESS
from ..limits import SEARCH
from ..limits import UPLOAD
from ..limits import caller_key
from ..limits import failed_login
from ..limits import limiter
from ..limits import limits_off
from ..limits import login_account_key
from ..services import ServiceError
from .api import send_attachment
from .common import repo
from .common import search_request
from .common import service
from .common import today
from .common import too_large_message

bp = Blueprint("html", __name__)


def init_app(app: Flask) -> None:
    """Template helpers and HTML error pages."""

    @app.context_processor
    def _helpers():
        actor = html_actor()

        def can(action: str, doc=None) -> bool:
            return protocol.allowed(actor, action, protocol.facts_of(doc) if doc is not None else None)

        def transition_ok(action: str, doc) -> bool:
            t = protocol.TRANSITIONS.get(action)
            return (
                t is not None
                and doc.state in t.from_states
                and can("review" if action in protocol.REVIEW_ACTIONS else action, doc)
            )

        taxonomy = repo().taxonomy

        def code_label(code_id: str) -> str:
            code = taxonomy.get(code_id)
            return code.label if code else code_id

        return {
            "actor": actor,
            "account": html_user(),
            "can": can,
            "transition_ok": transition_ok,
            "code_label": code_label,
            "taxonomy": taxonomy,
            "LEVELS": protocol.LEVELS,
            "LEVEL_LABELS": protocol.LEVEL_LABELS,
            "LEVEL_DEFINITIONS": protocol.LEVEL_DEFINITIONS,
            "RISKS": protocol.RISKS,
            "BENEFITS": protocol.BENEFITS,
        }

    @app.errorhandler(ServiceError)
    def _service_error(exc: ServiceError):
        if request.path.startswith("/api/"):
            from .api import _service_error as api_error

            return api_error(exc)
        if exc.status == 401:
            return redirect(url_for("html.login", next=request.full_path if request.method == "GET" else None))
        return render_template(
            "error.html", status=exc.status, message=exc.message, reasons=exc.extra.get("reasons", [])
        ), exc.status

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if request.path.startswith("/api/"):
            from .api import _http_error as api_http_error

            return api_http_error(exc)
        message = "This page does not exist." if exc.code == 404 else exc.description
        if exc.code == 413:
            message = too_large_message()
        return render_template("error.html", status=exc.code, message=message, reasons=[]), exc.code or 500


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login."""
    if not target:
        return url_for("html.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("html.index")
    return target


@bp.get("/")
def index():
    """Search box, recent visible documents, and the account's own submissions."""
    actor = html_actor()
    svc = service()
    return render_template("index.html", recent=svc.recent(actor, 10), mine=svc.my_documents(actor))


@bp.get("/search")
@limiter.limit(SEARCH, key_func=caller_key, exempt_when=limits_off)
def search():
    """Search results with facets."""
    actor = html_actor()
    try:
        req = search_request(request.args)
        result = service().search(actor, req)
        error = None
    except ServiceError as exc:
        if exc.status >= 500:
            raise
        req, result, error = None, None, exc.message
    return render_template("search.html", req=req, result=result, error=error, args=request.args), (
        400 if error else 200
    )


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_PER_ADDRESS, methods=["POST"], deduct_when=failed_login)
@limiter.limit(LOGIN_PER_ACCOUNT, methods=["POST"], key_func=login_account_key, deduct_when=failed_login)
def login():
    """Log in with e-mail and password."""
    error = None
    if request.method == "POST":
        user = service().authenticate(request.form.get("email", ""), request.form.get("password", ""))
        if user is not None:
            start_session(user)
            return redirect(_safe_next(request.args.get("next") or request.form.get("next")))
        error = "Wrong e-mail or password."
    return render_template("login.html", error=error, next=request.args.get("next", "")), (401 if error else 200)


@bp.post("/logout")
def logout():
    """Log out: every session of this account ends."""
    user = html_user()
    if user is not None:
        svc = service()
        svc.logout(html_actor())
        with db.write(svc.session):
            account = svc.session.merge(user)
            account.session_version += 1
    logout_user()
    session.clear()
    return redirect(url_for("html.index"))


@bp.route("/upload", methods=["GET", "POST"])
@limiter.limit(UPLOAD, methods=["POST"], key_func=caller_key, exempt_when=limits_off)
def upload():
    """Upload a report for the account's organisation."""
    actor = html_actor()
    svc = service()
    svc.require(actor, "upload")
    if request.method == "POST":
        file = request.files.get("file")
        if file is None or not file.filename:
            flash("Choose a file to upload.", "error")
            return render_template("upload.html", form=request.form), 400
        try:
            doc = svc.upload(
                actor,
                file.stream,
                file.filename,
                title=request.form.get("title"),
                summary=request.form.get("summary"),
                published=request.form.get("published"),
                codes=request.form.getlist("codes"),
                proposed_level=request.form.get("proposed_level"),
            )
        except ServiceError as exc:
            if exc.code == "duplicate" and "document_id" in exc.extra:
                flash("This file is already in the repository.", "error")
                return redirect(url_for("html.document", doc_id=exc.extra["document_id"]))
            flash(exc.message, "error")
            return render_template("upload.html", form=request.form), exc.status
        flash("Uploaded. A coordinator will review it before it is shared.", "ok")
        return redirect(url_for("html.document", doc_id=doc.id))
    return render_template("upload.html", form={})


@bp.get("/documents/<doc_id>")
def document(doc_id: str):
    """A document's page: metadata, codes, level, download; the forms each role may use."""
    actor = html_actor()
    svc = service()
    doc = svc.get(actor, doc_id)
    users = []
    if protocol.allowed(actor, "review", protocol.facts_of(doc)):
        users = svc.grantable_users(actor)
    return render_template("document.html", doc=doc, history=svc.history(actor, doc), orgs=svc.orgs(), users=users)


@bp.get("/documents/<doc_id>/file")
@limiter.limit(DOWNLOAD, key_func=caller_key, exempt_when=limits_off)
def download(doc_id: str):
    """The original file, as an attachment."""
    return send_attachment(service().download(html_actor(), doc_id))


@bp.post("/documents/<doc_id>/edit")
def edit(doc_id: str):
    """Change title, summary, published date and codes."""
    form = request.form
    changes = {
        "title": form.get("title"),
        "summary": form.get("summary"),
        "published": form.get("published"),
        "codes": form.getlist("codes"),
    }
    try:
        service().update(html_actor(), doc_id, changes)
        flash("Saved.", "ok")
    except ServiceError as exc:
        if exc.status == 404:
            raise
        flash(exc.message, "error")
    return redirect(url_for("html.document", doc_id=doc_id))


@bp.post("/documents/<doc_id>/submit")
def submit(doc_id: str):
    """Send a returned document back to review."""
    try:
        service().submit(html_actor(), doc_id)
        flash("Sent back to review.", "ok")
    except ServiceError as exc:
        if exc.status == 404:
            raise
        flash(exc.message, "error")
    return redirect(url_for("html.document", doc_id=doc_id))


@bp.post("/documents/<doc_id>/review")
def review(doc_id: str):
    """A coordinator's decision from the review form."""
    form = request.form
    data = {
        "action": form.get("action"),
        "level": form.get("level") or None,
        "rationale": form.get("rationale"),
        "override": form.get("override"),
        "risks": form.getlist("risks"),
        "benefits": form.getlist("benefits"),
        "grant_orgs": form.getlist("grant_orgs"),
        "grant_users": [e for e in (form.get("grant_users") or "").replace(",", " ").split() if e],
        "review_by": form.get("review_by") or None,
    }
    try:
        service().review(html_actor(), doc_id, data)
        flash(f"Decision recorded: {data['action']}.", "ok")
    except ServiceError as exc:
        if exc.status == 404:
            raise
        flash(" ".join([exc.message, *exc.extra.get("reasons", [])]), "error")
    return redirect(url_for("html.document", doc_id=doc_id))


@bp.get("/review")
def review_queue():
    """The coordinators' queue: submissions and documents due for re-review."""
    queue = service().review_queue(html_actor(), today())
    return render_template("review.html", queue=queue)


@bp.get("/audit")
def audit():
    """The audit trail (coordinators)."""
    args = request.args
    try:
        page = max(1, min(int(args.get("page") or 1), 100000))
    except ValueError:
        abort(400)
    total, events = service().audit_events(
        html_actor(),
        document=args.get("document"),
        actor_email=args.get("actor"),
        action=args.get("action"),
        page=page,
    )
    return render_template("audit.html", total=total, events=events, page=page, args=args)
