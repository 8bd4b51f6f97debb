"""Account pages (own password, two-factor, API tokens) and the admins' pages for accounts and organisations.

Thin views: parse the form, make one call to the request's services (``accounts``, ``second_factor``, ``tokens``),
render. Who may do what is
decided by :mod:`repository.protocol` inside the service; a refused step is shown as a message with its 4xx status.
"""

from __future__ import annotations

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from repository import protocol
from repository.services import Service
from repository.services import ServiceError
from repository.services.second_factor import qr_data_uri
from repository.services.tokens import token_state
from repository.web.auth import html_actor
from repository.web.auth import start_session
from repository.web.common import service
from repository.web.i18n import translated

bp = Blueprint("admin", __name__)


def _restart_session(svc: Service, second_factor: bool | None = None) -> None:
    """Keep this browser logged in after a change that ended every session of the account."""
    passed = bool(session.get("mfa")) if second_factor is None else second_factor
    start_session(svc.accounts.me(html_actor()), second_factor=passed)


def _refused(exc: ServiceError, endpoint: str, **values):
    """Show a refusal on the page it came from; login, forbidden and not-found answers keep their own pages."""
    if exc.status in (401, 403, 404):
        raise exc
    flash(" ".join(translated(m) for m in [exc.message, *exc.extra.get("reasons", [])]), "error")
    return redirect(url_for(endpoint, **values)), 303


def _form_step(step, endpoint: str, done):
    """One change from an account or admin form: do ``step``, flash ``done(result)`` and go back to ``endpoint``
    (a 303); a refusal is shown there (see :func:`_refused`)."""
    try:
        result = step()
    except ServiceError as exc:
        return _refused(exc, endpoint)
    flash(done(result), "ok")
    return redirect(url_for(endpoint)), 303


def _list_page(create, endpoint: str, done, page):
    """An admin page that lists rows and has a form to create one: a POST is the ``create`` step (see
    :func:`_form_step`), a GET renders ``page()``."""
    if request.method == "POST":
        return _form_step(create, endpoint, done)
    return page()


# --------------------------------------------------------------------------------------------------------------
# one's own account
# --------------------------------------------------------------------------------------------------------------


@bp.get("/account")
def account():
    """One's account: e-mail, role, organisation, two-factor state; the password form."""
    svc = service()
    user = svc.accounts.me(html_actor())
    return render_template("account.html", user=user, codes_left=svc.second_factor.recovery_codes_left(user))


@bp.post("/account/password")
def change_password():
    """Change one's password; every other session of the account ends."""
    svc = service()
    form = request.form
    if form.get("new_password", "") != form.get("confirm", ""):
        flash(_("The two new passwords differ."), "error")
        return redirect(url_for("admin.account")), 303
    try:
        svc.accounts.change_password(html_actor(), form.get("current_password"), form.get("new_password"))
    except ServiceError as exc:
        return _refused(exc, "admin.account")
    _restart_session(svc)
    flash(_("Password changed. Every other session of this account has ended."), "ok")
    return redirect(url_for("admin.account")), 303


@bp.route("/account/2fa", methods=["GET", "POST"])
def second_factor():
    """Turn two-factor authentication on (scan, then confirm a code), or get new recovery codes."""
    svc = service()
    second = svc.second_factor
    actor = html_actor()
    user = svc.accounts.me(actor)
    if request.method == "POST":
        try:
            if request.form.get("action") == "recovery_codes":
                codes = second.regenerate_recovery_codes(actor)
            else:
                codes = second.confirm_enrolment(user, request.form.get("code"))
                _restart_session(svc, second_factor=True)
        except ServiceError as exc:
            return _refused(exc, "admin.second_factor")
        return render_template("account_recovery_codes.html", codes=codes, next=url_for("admin.account"))
    qr = secret = None
    if not user.has_second_factor:
        enrolment = second.begin_enrolment(user)
        secret, qr = enrolment.secret, qr_data_uri(enrolment.uri)
    return render_template(
        "account_2fa.html", user=svc.accounts.me(actor), qr=qr, secret=secret,
        codes_left=second.recovery_codes_left(user),
    )  # fmt: skip


@bp.route("/account/tokens", methods=["GET", "POST"])
def tokens():
    """One's API tokens: create (the token is shown once), list, revoke."""
    tokens_ = service().tokens
    actor = html_actor()
    new_token = None
    status = 200
    if request.method == "POST":
        try:
            new_token = tokens_.create(actor, request.form.get("label"), request.form.get("days") or 90)
        except ServiceError as exc:
            return _refused(exc, "admin.tokens")
        status = 201
    rows = [(t, token_state(t)) for t in tokens_.mine(actor)]
    return render_template("account_tokens.html", tokens=rows, new_token=new_token), status


@bp.post("/account/tokens/<token_id>/revoke")
def revoke_token(token_id: str):
    """Revoke one of one's tokens."""
    revoke = service().tokens.revoke
    return _form_step(lambda: revoke(html_actor(), token_id), "admin.tokens", lambda _result: _("Token revoked."))


# --------------------------------------------------------------------------------------------------------------
# admins: accounts and organisations
# --------------------------------------------------------------------------------------------------------------


@bp.route("/admin/users", methods=["GET", "POST"])
def users():
    """Every account, with the forms to create, deactivate, change role, reset password or two-factor."""
    accounts, actor, form = service().accounts, html_actor(), request.form
    fields = [form.get(name) for name in ("email", "org", "role", "password")]
    return _list_page(
        lambda: accounts.create_user(actor, *fields), "admin.users",
        lambda user: _("Account %(email)s created.", email=user.email),
        lambda: render_template(
            "admin_users.html", users=accounts.users(actor), orgs=accounts.orgs(actor), roles=protocol.ROLES
        ),
    )


@bp.post("/admin/users/<user_id>/<change>")
def change_user(user_id: str, change: str):
    """One change to one account: ``deactivate``, ``activate``, ``role``, ``password`` or ``reset-2fa``."""
    svc = service()
    actor = html_actor()
    apply = _CHANGES.get(change)

    def step():
        if apply is None:
            svc.accounts.users(actor)  # who may ask is checked before "no such change" is told
            raise ServiceError(404, "not_found", "No such change.")
        return apply(svc, actor, user_id, request.form)

    return _form_step(
        step,
        "admin.users",
        lambda user: _("%(email)s: %(change)s done.", email=user.email, change=str(_CHANGE_NAMES.get(change, change))),
    )


#: What each change is called in its confirmation ("x@y: reset 2fa done.").
_CHANGE_NAMES = {
    "deactivate": lazy_gettext("deactivate"),
    "activate": lazy_gettext("activate"),
    "role": lazy_gettext("role"),
    "password": lazy_gettext("password"),
    "reset-2fa": lazy_gettext("reset 2fa"),
}


#: The changes an admin makes to one account (the path's ``change``), each one call of the request's services.
_CHANGES = {
    "deactivate": lambda svc, actor, user_id, form: svc.accounts.set_active(actor, user_id, False),
    "activate": lambda svc, actor, user_id, form: svc.accounts.set_active(actor, user_id, True),
    "role": lambda svc, actor, user_id, form: svc.accounts.change_role(actor, user_id, form.get("role")),
    "password": lambda svc, actor, user_id, form: svc.accounts.reset_password(actor, user_id, form.get("password")),
    "reset-2fa": lambda svc, actor, user_id, form: svc.second_factor.reset(actor, user_id),
}


@bp.route("/admin/orgs", methods=["GET", "POST"])
def orgs():
    """Every organisation, and the form to create one."""
    accounts = service().accounts
    actor = html_actor()
    form = request.form
    return _list_page(
        lambda: accounts.create_org(actor, form.get("acronym"), form.get("name")),
        "admin.orgs",
        lambda org: _("Organisation %(acronym)s created.", acronym=org.acronym),
        lambda: render_template("admin_orgs.html", orgs=accounts.orgs(actor)),
    )
