"""The accounts around the planted documents of the audience tests (test_access, test_search_facets and
test_leak_sweep): one table, each test picking its cast by name. Who may see what stays written out by hand in each
test, independently of repository/protocol.py."""

from __future__ import annotations

from conftest import Account
from conftest import World

#: name -> (e-mail, role, organisation)
ACCOUNTS = {
    "uploader": ("uploader@own.example.org", "partner", "OWN"),
    "colleague": ("colleague@own.example.org", "partner", "OWN"),
    "owner_staff": ("staff@own.example.org", "staff", "OWN"),
    "owner_admin": ("admin@own.example.org", "admin", "OWN"),
    "granted_org_staff": ("staff@granted.example.org", "staff", "GRANTED"),
    "granted_person": ("person@other.example.org", "staff", "OTHER"),
    "other_partner": ("partner@other.example.org", "partner", "OTHER"),
    "other_staff": ("staff@other.example.org", "staff", "OTHER"),
    "outsider_staff": ("staff@third.example.org", "staff", "THIRD"),
    "third_person": ("person@third.example.org", "staff", "THIRD"),
    "coordinator": ("coord@pswg.example.org", "coordinator", "PSWG"),
    "outside_admin": ("admin@admins.example.org", "admin", "ADMINS"),
}


def cast(*names: str, **renamed: str) -> dict[str, tuple[str, str, str]]:
    """The accounts of :data:`ACCOUNTS` named ``names``, then those ``renamed`` (a test's name = the table's), in
    that order."""
    return {**{name: ACCOUNTS[name] for name in names}, **{mine: ACCOUNTS[name] for mine, name in renamed.items()}}


def make_accounts(world: World, table: dict[str, tuple[str, str, str]]) -> dict[str, Account]:
    """The accounts of ``table`` made in ``world``, by the same names."""
    return {name: world.account(email, role, org) for name, (email, role, org) in table.items()}
