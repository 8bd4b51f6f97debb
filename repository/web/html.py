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
from flask_babel import gettext as _
from flask_login import logout_user
from werkzeug.exceptions import HTTPException

from repository import protocol
from repository.data.models import User
from repository.services import ServiceError
from repository.services.second_factor import qr_data_uri
from repository.web import charts
from repository.web import dashboard as dash
from repository.web.access import metadata_page
from repository.web.auth import begin_second_step
from repository.web.auth import html_actor
from repository.web.auth import html_user
from repository.web.auth import second_factor_due
from repository.web.auth import second_step_key
from repository.web.auth import second_step_user
from repository.web.auth import start_session
from repository.web.common import audit_filters
from repository.web.common import facet_rows
from repository.web.common import repo
from repository.web.common import search_link
from repository.web.common import search_request
from repository.web.common import service
from repository.web.common import today
from repository.web.export import catalogue_request
from repository.web.i18n import label_of
from repository.web.i18n import translated
from repository.web.limits import DOWNLOAD
from repository.web.limits import LOGIN_PER_ACCOUNT
from repository.web.limits import LOGIN_PER_ADDRESS
from repository.web.limits import SEARCH
from repository.web.limits import UPLOAD
from repository.web.limits import caller_key
from repository.web.limits import failed_login
from repository.web.limits import failed_step
from repository.web.limits import limiter
from repository.web.limits import limits_off
from repository.web.limits import login_account_key
from repository.web.responses import csv_response
from repository.web.responses import json_error
from repository.web.responses import json_http_error
from repository.web.responses import send_attachment
from repository.web.responses import too_large_message
from repository.web.serialize import events_csv

bp = Blueprint("html", __name__)


def init_app(app: Flask) -> None:
    """Template helpers and HTML error pages."""

    @app.context_processor
    def _helpers():
        actor = html_actor()

        def can(action: str, doc=None) -> bool:
            return protocol.allowed(actor, action, protocol.facts_of(doc) if doc is not None else None)

        def transition_ok(action: str, doc) -> bool:
            return protocol.possible(actor, action, protocol.facts_of(doc))

        taxonomy = repo().taxonomy

        def code_label(code_id: str) -> str:
            code = taxonomy.get(code_id)
            return label_of(code) if code else code_id  # in the page's language (repository.web.i18n)

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
            "DETECTED_LABELS": protocol.DETECTED_LABELS,
            "RELEASE_GATE": protocol.RELEASE_GATE,
        }

    @app.errorhandler(ServiceError)
    def _service_error(exc: ServiceError):
        if request.path.startswith("/api/"):
            return json_error(exc)
        if exc.status == 401:
            return redirect(url_for("html.login", next=request.full_path if request.method == "GET" else None))
        return render_template(
            "error.html", status=exc.status, message=exc.message, reasons=exc.extra.get("reasons", [])
        ), exc.status

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if request.path.startswith("/api/"):
            return json_http_error(exc)
        message = _("This page does not exist.") if exc.code == 404 else exc.description
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
    return render_template("index.html", recent=svc.listing.recent(actor, 10), mine=svc.listing.my_documents(actor))


@bp.get("/search")
@limiter.limit(SEARCH, key_func=caller_key, exempt_when=limits_off)
def search():
    """Search results with facets (labels in English and Arabic), filters, sort and what else was searched."""
    actor = html_actor()
    try:
        req = search_request(request.args)
        result = service().listing.search(actor, req)
        error = None
    except ServiceError as exc:
        if exc.status >= 500:
            raise
        req, result, error = None, None, exc.message  # translated by the page
    facets = facet_rows(repo().taxonomy, result["facets"], request.args.getlist("code")) if result else []
    return render_template(
        "search.html",
        req=req,
        result=result,
        error=error,
        args=request.args,
        facet_rows=facets,
        link=lambda **changes: search_link(request.args, **changes),
    ), (400 if error else 200)


@bp.get("/dashboard")
@limiter.limit(SEARCH, key_func=caller_key, exempt_when=limits_off)
def dashboard():
    """Charts and tables of what the caller can page through in search with the search filters (the figures of
    ``/api/v1/stats``, plus the coded and released shares and the newest document per organisation)."""
    actor, rows, error = html_actor(), None, None
    try:
        figures = service().dashboard.figures(actor, catalogue_request(request.args), today())
        rows = dash.dashboard_rows(figures, repo().taxonomy, request.args, today(),
                                   protocol.allowed(actor, "filter_by_level"))  # fmt: skip
    except ServiceError as exc:
        if exc.status >= 500:
            raise
        figures, error = None, exc.message
    return render_template("dashboard.html", figures=figures, rows=rows, error=error, args=request.args,
                           charts=charts, dash=dash), (400 if error else 200)  # fmt: skip


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_PER_ADDRESS, methods=["POST"], deduct_when=failed_login)
@limiter.limit(LOGIN_PER_ACCOUNT, methods=["POST"], key_func=login_account_key, deduct_when=failed_login)
def login():
    """Log in with e-mail and password."""
    error = None
    if request.method == "POST":
        user = service().accounts.authenticate(request.form.get("email", ""), request.form.get("password", ""))
        if user is not None:
            target = _safe_next(request.args.get("next") or request.form.get("next"))
            if second_factor_due(user):
                begin_second_step(user, enrol=not user.has_second_factor, next_url=target)
                return redirect(url_for("html.login_code"))
            start_session(user)
            return redirect(target)
        error = _("Wrong e-mail or password.")
    return render_template("login.html", error=error, next=request.args.get("next", "")[:2000]), (
        401 if error else 200
    )


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(LOGIN_PER_ADDRESS, methods=["POST"], deduct_when=failed_step)
@limiter.limit(LOGIN_PER_ACCOUNT, methods=["POST"], key_func=second_step_key, deduct_when=failed_step)
def login_code():
    """The second login step: a code from the authenticator app or a recovery code (enrolment first if needed)."""
    user, enrol = second_step_user()
    if user is None:
        flash(_("Log in again (the code step waits five minutes at most)."), "error")
        return redirect(url_for("html.login"))
    svc = service()
    second = svc.second_factor
    target = session["2fa"].get("next") or url_for("html.index")
    error = None
    if request.method == "POST":
        code = request.form.get("code", "")
        if enrol:
            try:
                codes = second.confirm_enrolment(user, code)
            except ServiceError as exc:
                error = translated(exc.message)
            else:
                start_session(svc.session.get(User, user.id), second_factor=True)
                return render_template("account_recovery_codes.html", codes=codes, next=target)
        elif second.verify(user, code):
            start_session(svc.session.get(User, user.id), second_factor=True)
            return redirect(_safe_next(target))
        else:
            error = _("Wrong or already used code.")
    qr = None
    if enrol:
        enrolment = second.begin_enrolment(user)
        qr = qr_data_uri(enrolment.uri)
        user = svc.session.get(User, user.id)
    return render_template(
        "login_code.html", enrol=enrol, secret=user.totp_secret if enrol else None, qr=qr, error=error
    ), (401 if error else 200)


@bp.post("/logout")
def logout():
    """Log out: every session of this account ends."""
    user = html_user()
    if user is not None:
        service().accounts.logout(html_actor(), user)
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
            flash(_("Choose a file to upload."), "error")
            return render_template("upload.html", form=request.form), 400
        try:
            doc = svc.intake.upload(
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
                flash(_("This file is already in the repository."), "error")
                return redirect(url_for("html.document", doc_id=exc.extra["document_id"]))
            flash(translated(exc.message), "error")
            return render_template("upload.html", form=request.form), exc.status
        flash(
            _(
                "Uploaded. A coordinator will review it before it is shared. Check below what the sensitivity scan "
                "found: you can replace the file with a redacted version before the review."
            ),
            "ok",
        )
        return redirect(url_for("html.document", doc_id=doc.id))
    return render_template("upload.html", form={})


@bp.get("/documents/<doc_id>")
def document(doc_id: str):
    """A document's page: metadata, codes, level, download; the forms each role may use. A discoverable document
    outside the caller's audience: its metadata only, with an access request form (repository.web.access)."""
    meta = service().access.metadata(html_actor(), doc_id)
    return metadata_page(meta) if meta is not None else _document_page(doc_id)


def _document_page(doc_id: str, review: dict | None = None, refusal=None, status: int = 200):
    """The document page; ``review`` refills the review form with what the coordinator sent, ``refusal`` (a
    :class:`ServiceError`) says why it was refused."""
    actor = html_actor()
    svc = service()
    doc = svc.documents.get(actor, doc_id)
    orgs, users = svc.reviews.grant_choices(actor, doc)
    form = review or {
        "level": doc.level or doc.proposed_level,
        "risks": list(doc.risks or []),
        "benefits": list(doc.benefits or []),
        "rationale": doc.rationale or "",
        "override": "",
        "grant_orgs": [g.org.acronym for g in doc.org_grants],
        # people are named at strictly confidential only (at confidential, grants on request stay: services.access)
        "grant_users": " ".join(g.user.email for g in doc.user_grants) if doc.level == protocol.STRICTLY_CONFIDENTIAL
        else "",
        "review_by": doc.review_by.isoformat() if doc.review_by else "",
        "considered": [],
        "accept_codes": [],
    }
    record = protocol.ReleaseRecord(
        codes=(*doc.codes, *form["accept_codes"]),  # codes ticked for acceptance count as they would be
        risks=tuple(form["risks"]),
        benefits=tuple(form["benefits"]),
        rationale=form["rationale"] or "",
    )
    return render_template(
        "document.html",
        doc=doc,
        history=svc.reviews.history(actor, doc),
        versions=svc.versions.view_of(actor, doc),
        may_upload_version=svc.versions.may_upload(actor, doc),
        comments=svc.documents.comments(actor, doc),
        orgs=orgs,
        users=users,
        form=form,
        gate_missing={c.id for c in protocol.release_missing(record)},
        needs_a_look=protocol.needs_a_look(doc.detected or [], doc.codes),
        found_kinds=protocol.found_kinds(doc.detected or []),
        refusal=refusal,
        similar=svc.similarity.similar(actor, doc, titles=True),
    ), status


@bp.get("/documents/<doc_id>/file")
@limiter.limit(DOWNLOAD, key_func=caller_key, exempt_when=limits_off)
def download(doc_id: str):
    """The original file, as an attachment; ``?version=N`` a version of it (owner organisation, coordinators)."""
    if "version" in request.args:
        return send_attachment(service().versions.download(html_actor(), doc_id, request.args.get("version")))
    return send_attachment(service().documents.download(html_actor(), doc_id))


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
    return _page_step(doc_id, lambda: service().documents.update(html_actor(), doc_id, changes), _("Saved."))


@bp.post("/documents/<doc_id>/submit")
def submit(doc_id: str):
    """Send a returned document back to review."""
    return _page_step(doc_id, lambda: service().reviews.submit(html_actor(), doc_id), _("Sent back to review."))


#: The refusals a document page's form step lets through to their own page: not found (all), and, for the steps
#: whose permission is checked first, login and forbidden.
_NOT_FOUND = (404,)
_NOT_THEIRS = (401, 403, 404)


def _page_step(doc_id: str, step, done, passes: tuple[int, ...] = _NOT_FOUND, anchor: str = ""):
    """One form step of the document page: do ``step``, flash ``done`` (a message, or a function of the step's
    result) or the refusal, and go back to the page; refusals with a status in ``passes`` keep their own page."""
    try:
        result = step()
        flash(done(result) if callable(done) else done, "ok")
    except ServiceError as exc:
        if exc.status in passes:
            raise
        flash(translated(exc.message), "error")
    return redirect(url_for("html.document", doc_id=doc_id) + anchor)


def _file_step(doc_id: str, missing: str, send, done, anchor: str = ""):
    """A document-page form that sends a file: with no file chosen, flash ``missing`` and go back; otherwise
    :func:`_page_step` with ``send(file)`` (refusals other than "not found" are flashed)."""
    file = request.files.get("file")
    if file is None or not file.filename:
        flash(missing, "error")
        return redirect(url_for("html.document", doc_id=doc_id))
    return _page_step(doc_id, lambda: send(file), done, _NOT_THEIRS, anchor)


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
        "considered": form.getlist("considered"),
        "accept_codes": form.getlist("accept_codes"),
        "discoverable": form.get("discoverable"),  # a release's metadata-only discovery (repository.web.access)
    }
    try:
        service().reviews.review(html_actor(), doc_id, data)
        flash(_("Decision recorded: %(action)s.", action=translated(data["action"])), "ok")
    except ServiceError as exc:
        if exc.status == 404:
            raise
        if exc.status == 422:  # refused values: the page again, with what the coordinator typed
            typed = {
                key: form.getlist(key) if key in _REVIEW_LISTS else (form.get(key) or "")[:5000]
                for key in ("action", "level", "rationale", "override", "grant_users", "review_by", *_REVIEW_LISTS)
            }
            return _document_page(doc_id, review=typed, refusal=exc, status=422)
        flash(" ".join(translated(m) for m in [exc.message, *exc.extra.get("reasons", [])]), "error")
    return redirect(url_for("html.document", doc_id=doc_id))


#: The review form's fields that carry several values.
_REVIEW_LISTS = ("risks", "benefits", "grant_orgs", "considered", "accept_codes")


@bp.post("/documents/<doc_id>/file")
@limiter.limit(UPLOAD, key_func=caller_key, exempt_when=limits_off)
def replace_file(doc_id: str):
    """The owner organisation replaces the file (e.g. with a redacted version) before review."""
    actor = html_actor()
    svc = service()
    svc.documents.require(actor, doc_id, "replace")
    return _file_step(
        doc_id,
        _("Choose the new file."),
        lambda file: svc.intake.replace_file(actor, doc_id, file.stream, file.filename),
        lambda doc: _("File replaced; the sensitivity scan ran again.")
        + (" " + _("Send it back to review when ready.") if doc.state == protocol.RETURNED else " "),
    )


@bp.post("/documents/<doc_id>/versions")
@limiter.limit(UPLOAD, key_func=caller_key, exempt_when=limits_off)
def upload_version(doc_id: str):
    """The owner organisation uploads a new version of a released document; it enters review."""
    actor = html_actor()
    svc = service()
    svc.versions.require_new(actor, doc_id)
    return _file_step(
        doc_id,
        _("Choose the file of the new version."),
        lambda file: svc.versions.upload(actor, doc_id, file.stream, file.filename),
        lambda v: _(
            "Version %(number)s uploaded; it waits for review. Until it is released, readers see the last released "
            "version.",
            number=v.number,
        ),
        "#versions",
    )


@bp.post("/documents/<doc_id>/redactions")
@limiter.limit(UPLOAD, key_func=caller_key, exempt_when=limits_off)
def redact(doc_id: str):
    """A coordinator makes a redacted copy with the ticked kinds masked; the copy's page follows."""
    actor = html_actor()
    try:
        copy = service().redactions.redact(actor, doc_id, request.form.getlist("kinds"))
    except ServiceError as exc:
        if exc.status in _NOT_THEIRS:
            raise
        flash(translated(exc.message), "error")
        return redirect(url_for("html.document", doc_id=doc_id) + "#redact")
    flash(_("Redacted copy made: it was scanned again and waits for review."), "ok")
    return redirect(url_for("html.document", doc_id=copy.id))


@bp.post("/documents/<doc_id>/comments")
def add_comment(doc_id: str):
    """A comment or reply in the review exchange."""
    actor = html_actor()
    svc = service()
    svc.documents.require(actor, doc_id, "comment")
    return _page_step(
        doc_id, lambda: svc.documents.comment(actor, doc_id, request.form.get("text")), _("Comment added."),
        _NOT_THEIRS, "#exchange",
    )  # fmt: skip


@bp.get("/review")
def review_queue():
    """The coordinators' queue: submissions, documents returned for changes, documents due for re-review."""
    queue = service().reviews.queue(html_actor(), today())
    return render_template("review.html", queue=queue, today=today())


@bp.get("/audit")
def audit():
    """The audit trail (coordinators)."""
    args = request.args
    try:
        page = max(1, min(int(args.get("page") or 1), 100000))
    except ValueError:
        abort(400)
    filters = audit_filters(args)
    if args.get("format") == "csv":
        return csv_response(events_csv(service().audit_trail.export(html_actor(), filters)), "audit.csv")
    total, events = service().audit_trail.events(html_actor(), filters, page=page)
    query = {k: v for k, v in args.items() if k in ("document", "actor", "action", "from", "to") and v}
    return render_template(
        "audit.html",
        total=total,
        events=events,
        page=page,
        args=args,
        query=query,
        actions=protocol.AUDIT_ACTIONS,
    )


@bp.post("/documents/<doc_id>/codes/accept")
def accept_codes(doc_id: str):
    """Accept the code suggestions ticked on the document page (field ``codes``, repeatable)."""
    codes = request.form.getlist("codes")
    return _page_step(
        doc_id, lambda: service().documents.accept_suggestions(html_actor(), doc_id, codes),
        _("Suggested codes added."), _NOT_THEIRS,
    )  # fmt: skip
