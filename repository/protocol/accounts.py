"""Who may do what to accounts: one's own account and tokens, the changes an admin may not make to itself, the
rules of API tokens, and when a login must pass a second factor.

Part of :mod:`repository.protocol`; import it from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from repository.protocol.actions import allowed
from repository.protocol.vocabulary import Actor

#: The most days an API token may run, and the most unexpired, unrevoked tokens one account may hold.
MAX_TOKEN_DAYS = 365
MAX_ACTIVE_TOKENS = 20


def is_self(actor: Actor, user_id: int | None) -> bool:
    """Whether the account ``user_id`` is the actor's own."""
    return actor.authenticated and user_id is not None and actor.user_id == user_id


def owns_token(actor: Actor, token_user_id: int | None) -> bool:
    """Whether a token (of the account ``token_user_id``) is the actor's own: only its owner sees or revokes it."""
    return is_self(actor, token_user_id)


def own_tokens_clause(actor: Actor, user_id_column: Any) -> Any:
    """SQLAlchemy condition selecting the actor's own tokens (the same rule as :func:`owns_token`)."""
    from sqlalchemy import false

    return user_id_column == actor.user_id if actor.authenticated else false()


#: Changes an admin may not make to its own account (it would lock itself out or lose the role that undoes it).
SELF_CHANGE_REFUSALS: dict[str, str] = {
    "deactivate": "You cannot deactivate your own account.",
    "role": "You cannot change your own role.",
}


def self_change_refusal(actor: Actor, user_id: int | None, change: str) -> str | None:
    """Why ``actor`` may not make ``change`` (``deactivate``, ``role``) to the account ``user_id``; None when the
    account is another's or the change is not one of :data:`SELF_CHANGE_REFUSALS`."""
    if change in SELF_CHANGE_REFUSALS and is_self(actor, user_id):
        return SELF_CHANGE_REFUSALS[change]
    return None


@dataclass(frozen=True)
class TokenRules:
    """How an actor may mint an API token: the permission asked (``create_token`` for one's own, ``issue_token``
    for the operator), whether the token is for an account the actor names (else for the actor's own), the longest
    life in days, whether it may never expire, and the most active tokens the account may then hold (None: no
    limit)."""

    action: str
    names_account: bool
    max_days: int | None
    may_never_expire: bool
    max_active: int | None


def token_rules(actor: Actor) -> TokenRules:
    """The rules of a token minted by ``actor``: the operator (the system, at the command line, for scripts and
    integrations) issues tokens for a named account, for any number of days or never expiring (``--days 0``), with
    no cap on how many; an account mints its own, for 1 to :data:`MAX_TOKEN_DAYS` days, and stops at
    :data:`MAX_ACTIVE_TOKENS` active tokens."""
    if actor.system:
        return TokenRules("issue_token", True, None, True, None)
    return TokenRules("create_token", False, MAX_TOKEN_DAYS, False, MAX_ACTIVE_TOKENS)


def second_factor_required(actor: Actor, enrolled: bool, required_by_operator: bool) -> bool:
    """Whether a login (or a session) of the account behind ``actor`` must pass a second factor: an enrolled account
    always, and, when the operator turned ``REPOSITORY_REQUIRE_2FA`` on, every account whose role the permission
    table names under ``second_factor_required``."""
    if enrolled:
        return True
    return required_by_operator and allowed(actor, "second_factor_required")
