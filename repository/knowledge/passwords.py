"""The password policy: at least 12 characters, at most 1,000, and not a common password; how passwords are hashed.

Pure (no Flask, no database). The list of common passwords ships as ``common_passwords.txt`` beside this module
(see its header for the source). A password is refused when, lower-cased and with surrounding spaces removed, it is
on the list, or when what is left after stripping leading and trailing digits and symbols is on the list
(``dragon123456``, ``!!password2026``), or when it repeats a short unit (``abcabcabcabc``), or when it contains the
account's e-mail name.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from werkzeug.security import generate_password_hash

MIN_LENGTH = 12
#: Longer inputs are refused before hashing, so a login or a password change cannot be made to hash megabytes.
MAX_LENGTH = 1000
#: How new passwords are hashed (werkzeug's method string: scrypt at werkzeug's default cost). The app's
#: ``PASSWORD_HASH_METHOD`` setting may name another; the test suite uses a cheaper scrypt cost there (it makes
#: thousands of accounts, and a login still checks whatever cost the stored hash names).
DEFAULT_HASH_METHOD = "scrypt"

_LIST = Path(__file__).with_name("common_passwords.txt")
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


class WeakPassword(ValueError):
    """The password does not meet the policy; the message says why, in a sentence for people."""


@functools.cache
def common_passwords() -> frozenset[str]:
    """The refused passwords (lower case)."""
    lines = _LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _repeats_a_short_unit(value: str) -> bool:
    for size in range(1, len(value) // 2 + 1):
        if len(value) % size == 0 and value[:size] * (len(value) // size) == value and size <= 4:
            return True
    return False


def problems(password: object, email: str | None = None) -> list[str]:
    """Why ``password`` is refused for the account ``email`` (empty list: acceptable)."""
    if not isinstance(password, str):
        return ["The password must be text."]
    if len(password) < MIN_LENGTH:
        return [f"The password must have at least {MIN_LENGTH} characters."]
    if len(password) > MAX_LENGTH:
        return [f"The password must have at most {MAX_LENGTH} characters."]
    lowered = password.strip().lower()
    core = _EDGES.sub("", lowered)
    refused = common_passwords()
    if lowered in refused or (len(core) >= 4 and core in refused) or (not core and len(set(lowered)) < 6):
        return ["This password is too common; choose another one (a few unrelated words work well)."]
    if _repeats_a_short_unit(lowered):
        return ["The password repeats a short pattern; choose another one."]
    name = (email or "").split("@", 1)[0].strip().lower()
    if len(name) >= 4 and name in lowered:
        return ["The password must not contain the account's e-mail name."]
    return []


def check(password: object, email: str | None = None) -> str:
    """Return ``password`` when acceptable, else raise :class:`WeakPassword`."""
    reasons = problems(password, email)
    if reasons:
        raise WeakPassword(reasons[0])
    assert isinstance(password, str)
    return password


def hash_password(password: str, method: str | None = None) -> str:
    """The stored form of ``password`` (salted, with its method and cost), by ``method`` or the default."""
    return generate_password_hash(password, method=method or DEFAULT_HASH_METHOD)
