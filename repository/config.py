"""Configuration: defaults here, overridden by ``REPOSITORY_*`` environment variables or a test mapping.

Security settings an operator chooses (see the README's Security section):

* ``REPOSITORY_HTTPS=on``: served over HTTPS; the session cookie becomes ``Secure`` and ``__Host-session``, and
  answers carry HSTS.
* ``REPOSITORY_REQUIRE_2FA=on``: coordinators and admins must pass a TOTP code at login (enrolling at their next
  login if needed); accounts that enrolled on ``/account/2fa`` are always asked. Off by default.
* ``REPOSITORY_TRUSTED_PROXIES=N`` (0-5): reverse proxies in front of the app whose ``X-Forwarded-For`` and
  ``X-Forwarded-Proto`` are believed; 0 (default) ignores those headers.
* ``REPOSITORY_RATELIMIT_STORAGE_URL``: where throttling counters live (``memory://`` by default, per process;
  ``redis://host:6379/0`` to share them between workers and hosts).
* ``REPOSITORY_SECRET_KEY``: the session signing key (generated into ``<DATA_DIR>/secret_key`` when unset).

``REPOSITORY_LOG_FORMAT`` is ``text`` (default) or ``json`` (one object per line, for production; see
:mod:`repository.web.logs`).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says what to fix."""


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    v = value.strip().lower()
    if v in ("1", "on", "true", "yes"):
        return True
    if v in ("0", "off", "false", "no"):
        return False
    raise ConfigError(f"expected on or off, got {value!r}")


def from_environment(environ: os._Environ[str] | dict[str, str] | None = None) -> dict[str, Any]:
    """Read the documented ``REPOSITORY_*`` variables into a config mapping (without the secret key)."""
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("REPOSITORY_DATA_DIR") or "./instance").expanduser().resolve()
    try:
        max_mb = int(env.get("REPOSITORY_MAX_UPLOAD_MB") or 100)
    except ValueError as exc:
        raise ConfigError("REPOSITORY_MAX_UPLOAD_MB must be a whole number of megabytes") from exc
    if max_mb <= 0:
        raise ConfigError("REPOSITORY_MAX_UPLOAD_MB must be positive")
    try:
        rate_limits = _flag(env.get("REPOSITORY_RATE_LIMITS"), True)
    except ConfigError as exc:
        raise ConfigError(f"REPOSITORY_RATE_LIMITS: {exc}") from exc
    for name in ("REPOSITORY_HTTPS", "REPOSITORY_REQUIRE_2FA"):
        try:
            _flag(env.get(name), False)
        except ConfigError as exc:
            raise ConfigError(f"{name}: {exc}") from exc
    try:
        proxies = int(env.get("REPOSITORY_TRUSTED_PROXIES") or 0)
    except ValueError:
        proxies = -1
    if not 0 <= proxies <= 5:
        raise ConfigError("REPOSITORY_TRUSTED_PROXIES must be a whole number from 0 to 5")
    try:
        extract_workers = int(env.get("REPOSITORY_EXTRACT_WORKERS") or 1)
    except ValueError:
        extract_workers = 0
    if not 1 <= extract_workers <= 64:
        raise ConfigError("REPOSITORY_EXTRACT_WORKERS must be a whole number from 1 to 64")
    log_format = (env.get("REPOSITORY_LOG_FORMAT") or "text").strip().lower()
    if log_format not in ("json", "text"):
        raise ConfigError("REPOSITORY_LOG_FORMAT must be json or text")
    return {
        "EXTRACT_WORKERS": extract_workers,
        "LOG_FORMAT": log_format,
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": env.get("REPOSITORY_DATABASE_URL") or f"sqlite:///{data_dir / 'repository.sqlite3'}",
        "MAX_UPLOAD_MB": max_mb,
        "RATE_LIMITS": rate_limits,
        "SECRET_KEY": env.get("REPOSITORY_SECRET_KEY") or None,
        "TAXONOMY_PATH": env.get("REPOSITORY_TAXONOMY") or str(PROJECT_ROOT / "taxonomy.yaml"),
        "HTTPS": _flag(env.get("REPOSITORY_HTTPS"), False),
        "SESSION_COOKIE_SECURE": _flag(env.get("REPOSITORY_HTTPS"), False),
        "REQUIRE_2FA": _flag(env.get("REPOSITORY_REQUIRE_2FA"), False),
        "TRUSTED_PROXIES": proxies,
        "RATELIMIT_STORAGE_URI": env.get("REPOSITORY_RATELIMIT_STORAGE_URL") or "memory://",
    }


DEFAULTS: dict[str, Any] = {
    # Index worker: "thread" applies the outbox in a background thread of each process; "sync" applies it
    # before the request answers (tests); "queued" only queues changes for another process to apply (bulk work:
    # an import's uploads, a scripted review). Either way, one writer at a time holds the index lock.
    "INDEX_MODE": "thread",
    "INDEX_POLL_SECONDS": 1.0,
    # While changes keep coming, the background thread waits this long between index commits so that they
    # gather into larger ones (a lone change is applied at once).
    "INDEX_COALESCE_SECONDS": 0.5,
    "EXTRACT_TIMEOUT": 20.0,
    "EXTRACT_OCR_TIMEOUT": 45.0,  # PDFs and images, whose pages may be read by OCR (under the 60 s of a web worker)
    "EXTRACT_MEMORY_MB": 768,
    "EXTRACT_CPU_SECONDS": 15,
    # Extraction workers per web process (each a sandboxed process kept between uploads); `import --jobs N`
    # starts its own N. A worker is replaced when its resident memory after a file exceeds this.
    "EXTRACT_WORKERS": 1,
    "EXTRACT_WORKER_MAX_RSS_MB": 300,
    "EXTRACT_PRESTART": True,
    "SEARCH_TIME_LIMIT": 2.0,
    # /readyz fails when the oldest pending outbox row is older than this while nobody is applying the outbox.
    "READY_OUTBOX_MAX_SECONDS": 900,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_IDLE_MINUTES": 120,
    "SESSION_MAX_HOURS": 12,
    "PERMANENT_SESSION_LIFETIME": 12 * 3600,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "MAX_FORM_PARTS": 200,
    "MAX_FORM_MEMORY_SIZE": 1_000_000,
    "JSON_SORT_KEYS": False,
}


def secret_key(data_dir: Path) -> str:
    """Return the instance's session key, generating it once into ``<data_dir>/secret_key`` (mode 0600).

    Several processes may start at once: the file is created exclusively, and a loser reads the winner's key.
    """
    path = data_dir / "secret_key"
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            key = path.read_text().strip()
            if key:
                return key
            import time

            time.sleep(0.05)
        raise ConfigError(f"{path} is empty; delete it to generate a new key") from None
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return key
