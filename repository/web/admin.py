"""Account pages (own password, two-factor, API tokens) and the admins' pages for accounts and organisations.

Thin views: parse the form, make one call to :class:`~repository.services.accounts.Accounts`, render. Who may do what is
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

from repository import protocol
from repository.services import ServiceError
from repository.services.accounts import Accounts
from repository.services.accounts import qr_data_uri
from repository.services.accounts import token_state
from repository.web.auth import html_actor
from repository.web.auth import start_session
from repository.web.common import service

bp = Blueprint("admin", __name__)


def _accounts() -> Accounts:
    return Accounts(service())


def _restart_session(accounts: Accounts, second_factor: bool | None = None) -> None:
    """Keep this browser logged in after a change that ended every session of the account."""
    passed = bool(session.get("mfa")) if second_factor is None else second_factor
    start_session(accounts.me(html_actor()), second_factor=passed)


def _refused(exc: ServiceError, endpoint: str, **values):
    """Show a refusal on the page it came from; login, forbidden and not-found answers keep their own pages."""
    if exc.status in (401, 403, 404):
        raise exc
    flash(" ".join([exc.message, *exc.extra.get("reasons", [])]), "error")
    return redirect(url_for(endpoint, **values)), 303


# --------------------------------------------------------------------------------------------------------------
# one's own account
# --------------------------------------------------------------------------------------------------------------


@bp.get("/account")
def account():
    """One's account: e-mail, role, organisation, two-factor state; the password form."""
    accounts = _accounts()
    user = accounts.me(html_actor())
    return render_template("account.html", user=user, codes_left=accounts.recovery_codes_left(user))


@bp.post("/account/password")
def change_password():
    """Change one's password; every other session of the account ends."""
    accounts = _accounts()
    form = request.form
    if form.get("new_password", "") != form.get("confirm", ""):
        flash("The two new passwords differ.", "error")
        return redirect(url_for("admin.account")), 303
    try:
        accounts.change_password(html_actor(), form.get("current_password"), form.get("new_password"))
    except ServiceError as exc:
        return _refused(exc, "admin.account")
    _restart_session(accounts)
    flash("Password changed. Every other session of this account has ended.", "ok")
    return redirect(url_for("admin.account")), 303


@bp.route("/account/2fa", methods=["GET", "POST"])
def second_factor():
    """Turn two-factor authentication on (scan, then confirm a code), or get new recovery codes."""
    accounts = _accounts()
    actor = html_actor()
    user = accounts.me(actor)
    if request.method == "POST":
        try:
            if request.form.get("action") == "recovery_codes":
                codes = accounts.regenerate_recovery_codes(actor)
            else:
                codes = accounts.confirm_enrolment(user, request.form.get("code"))
                _restart_session(accounts, second_factor=True)
        except ServiceError as exc:
            return _refused(exc, "admin.second_factor")
        return render_template("account_recovery_codes.html", codes=codes, next=url_for("admin.account"))
    qr = secret = None
    if not user.has_second_factor:
        enrolment = accounts.begin_enrolment(user)
        secret, qr = enrolment.secret, qr_data_uri(enrolment.uri)
    return render_template(
        "account_2fa.html", user=accounts.me(actor), qr=qr, secret=secret, codes_left=accounts.recovery_codes_left(user)
    )


@bp.route("/account/tokens", methods=["GET", "POST"])
def tokens():
    """One's API tokens: create (the token is shown once), list, revoke."""
    accounts = _accounts()
    actor = html_actor()
    new_token = None
    status = 200
    if request.method == "POST":
        try:
            new_token = accounts.create_token(actor, request.form.get("label"), request.form.get("days") or 90)
        except ServiceError as exc:
            return _refused(exc, "admin.tokens")
        status = 201
    rows = [(t, token_state(t)) for t in accounts.tokens(actor)]
    return render_template("account_tokens.html", tokens=rows, new_token=new_token), status


@bp.post("/account/tokens/<token_id>/revoke")
def revoke_token(token_id: str):
    """Revoke one of one's tokens."""
    try:
        _accounts().revoke_token(html_actor(), token_id)
    except ServiceError as exc:
        return _refused(exc, "admin.tokens")
    flash("Token revoked.", "ok")
    return redirect(url_for("admin.tokens")), 303


# --------------------------------------------------------------------------------------------------------------
# admins: accounts and organisations
# --------------------------------------------------------------------------------------------------------------


@bp.route("/admin/users", methods=["GET", "POST"])
def users():
    """Every account, with the forms to create, deactivate, change role, reset password or two-factor."""
    accounts = _accounts()
    actor = html_actor()
    if request.method == "POST":
        form = request.form
        try:
            user = accounts.create_user(actor, form.get("email"), form.get("org"), form.get("role"),
                                        form.get("password"))
        except ServiceError as exc:
            return _refused(exc, "admin.users")
        flash(f"Account {user.email} created.", "ok")
        return redirect(url_for("admin.users")), 303
    return render_template(
        "admin_users.html", users=accounts.users(actor), orgs=accounts.orgs(actor), roles=protocol.ROLES
    )


@bp.post("/admin/users/<user_id>/<change>")
def change_user(user_id: str, change: str):
    """One change to one account: ``deactivate``, ``activate``, ``role``, ``password`` or ``reset-2fa``."""
    accounts = _accounts()
    actor = html_actor()
    form = request.form
    try:
        if change == "deactivate":
            user = accounts.set_active(actor, user_id, False)
        elif change == "activate":
            user = accounts.set_active(actor, user_id, True)
        elif change == "role":
            user = accounts.change_role(actor, user_id, form.get("role"))
        elif change == "password":
            user = accounts.reset_password(actor, user_id, form.get("password"))
        elif change == "reset-2fa":
            user = accounts.reset_second_factor(actor, user_id)
        else:
            accounts.users(actor)  # who may ask is checked before "no such change" is told
            raise ServiceError(404, "not_found", "No such change.")
    except ServiceError as exc:
        return _refused(exc, "admin.users")
    flash(f"{user.email}: {change.replace('-', ' ')} done.", "ok")
    return redirect(url_for("admin.users")), 303


@bp.route("/admin/orgs", methods=["GET", "POST"])
def orgs():
    """Every organisation, and the form to create one."""
    accounts = _accounts()
    actor = html_actor()
    if request.method == "POST":
        try:
            org = accounts.create_org(actor, request.form.get("acronym"), request.form.get("name"))
        except ServiceError as exc:
            return _refused(exc, "admin.orgs")
        flash(f"Organisation {org.acronym} created.", "ok")
        return redirect(url_for("admin.orgs")), 303
    return render_template("admin_orgs.html", orgs=accounts.orgs(actor))
