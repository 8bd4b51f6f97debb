"""Gunicorn settings for production, behind nginx on the same host (deploy/nginx-repository.conf):
``gunicorn -c deploy/gunicorn.conf.py wsgi:app`` from the project folder (deploy/repository-web.service does this).

Reads the same environment as the app (the EnvironmentFile, deploy/repository.env.example). Any setting can be
changed without editing this file through gunicorn's own variables: ``WEB_CONCURRENCY`` (workers),
``FORWARDED_ALLOW_IPS``, ``GUNICORN_CMD_ARGS`` (e.g. ``--bind 127.0.0.1:9000``).
"""

from __future__ import annotations

import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


wsgi_app = "wsgi:app"
bind = ["127.0.0.1:8000"]  # nginx connects here; nothing else should

# Sync workers, one request each at a time: nginx buffers request and response bodies, so a slow client never
# holds a worker. One worker per core plus one, at least 2 and at most 8: each worker is a whole copy of the app
# with its own extraction workers (REPOSITORY_EXTRACT_WORKERS, up to 300 MB each) and index caches (150-230 MB at
# 2,000-20,000 documents), so memory, not CPU, is what caps this on a small host.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(max(_cores() + 1, 2), 8))

# Every worker builds its own app: the outbox thread that keeps the search index in step with the database and
# the sandboxed extraction workers start in create_app, and threads and child processes do not survive a fork.
preload_app = False

# The longest request is an upload: streaming, sniffing, extraction (20 s wall-clock limit, 45 s for a scan read
# by OCR) and the scan; a search gives up at 2 s. nginx waits a little longer than this (proxy_read_timeout 75s).
timeout = 60
graceful_timeout = 30
max_requests = 0  # no recycling: memory is bounded by the index writer pool and the extraction worker cap

# The heartbeat file on a RAM disk, so a busy disk never makes the master think a worker hangs.
worker_tmp_dir = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # noqa: S108 - gunicorn's advice

# The client address comes from X-Forwarded-For through the app (werkzeug's ProxyFix, REPOSITORY_TRUSTED_PROXIES
# hops); gunicorn itself only reads the scheme. Trust the proxy's scheme header exactly when the app trusts the
# proxy: nobody with REPOSITORY_TRUSTED_PROXIES=0, nginx on this host otherwise.
_trusted_proxies = int(os.environ.get("REPOSITORY_TRUSTED_PROXIES") or 0)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1") if _trusted_proxies else ""
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}  # the one nginx sets (it overwrites the client's)

proc_name = "repository"
# No control socket (gunicorn 25.1+: $HOME/.gunicorn/gunicorn.ctl): systemctl reload and restart are enough.
control_socket_disable = True

# Logging: the app writes one access line per request itself (logger repository.access: request id, account id,
# duration, the path without its query string), so gunicorn's own access log stays off. Gunicorn's messages and
# every other record go to stderr (the journal) in the app's format: REPOSITORY_LOG_FORMAT, json or text.
accesslog = None
errorlog = "-"
loglevel = "info"
_json = os.environ.get("REPOSITORY_LOG_FORMAT", "text").strip().lower() == "json"
_formatter = "JsonFormatter" if _json else "TextFormatter"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"repository": {"()": f"repository.web.logs.{_formatter}"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "repository", "stream": "ext://sys.stderr"},
    },
    "root": {"level": "INFO", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
}
