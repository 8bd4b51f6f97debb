"""The Flask application factory: configuration, database, file store, index, extraction workers, blueprints, CLI."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from flask import Flask
from flask import request

from indexer.index import SearchIndex
from repository.config import DEFAULTS
from repository.config import PROJECT_ROOT
from repository.config import ConfigError
from repository.config import from_environment
from repository.config import secret_key
from repository.data import db
from repository.data import migrate
from repository.data.storage import FileStore
from repository.knowledge.taxonomy import TaxonomyError
from repository.knowledge.taxonomy import load_taxonomy
from repository.services import Repo
from repository.services.indexing import IndexWorker
from repository.services.intake import extraction_pool
from repository.web import auth
from repository.web import i18n
from repository.web import limits
from repository.web import logs

log = logging.getLogger(__name__)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, database, file store, index, vocabulary, blueprints, CLI.

    ``test_config`` values override the environment (tests pass a data folder and ``INDEX_MODE="sync"``).
    """
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(Path(__file__).parent / "static"),
        instance_relative_config=False,
    )
    app.config.from_mapping(DEFAULTS)
    app.config.from_mapping(from_environment())
    if test_config:
        app.config.from_mapping(test_config)
        if "DATA_DIR" in test_config and "DATABASE_URL" not in test_config:
            app.config["DATABASE_URL"] = f"sqlite:///{Path(test_config['DATA_DIR']) / 'repository.sqlite3'}"
    data_dir = Path(app.config["DATA_DIR"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(data_dir)
    # Uploads above the limit are refused (413) before the body is read; a little room for multipart framing.
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_UPLOAD_MB"]) * 1024 * 1024 + 256 * 1024

    try:
        taxonomy = load_taxonomy(app.config["TAXONOMY_PATH"])
    except TaxonomyError as exc:
        raise ConfigError(f"the taxonomy cannot be loaded:\n{exc}") from exc

    logs.init_app(app)  # first, so that every request has its id before any other hook runs
    db.init_app(app)
    auth.init_app(app)
    limits.init_app(app)
    i18n.init_app(app)  # Arabic and English pages (Flask-Babel); the API stays English

    store = FileStore(data_dir / "files")
    index = SearchIndex(data_dir / "index")
    worker = IndexWorker(
        app.extensions["db_sessionmaker"],
        index,
        taxonomy,
        poll=app.config["INDEX_POLL_SECONDS"],
        coalesce=app.config["INDEX_COALESCE_SECONDS"],
    )
    app.extensions["repo"] = Repo(
        extractor=extraction_pool(app.config, int(app.config["EXTRACT_WORKERS"])),
        config=app.config,
        make_session=app.extensions["db_sessionmaker"],
        store=store,
        index=index,
        worker=worker,
        taxonomy=taxonomy,
    )

    from flask_wtf.csrf import CSRFProtect

    from repository.web import access
    from repository.web import admin
    from repository.web import api
    from repository.web import html
    from repository.web import ops

    csrf = CSRFProtect(app)
    csrf.exempt(api.bp)  # token-authenticated; browsers never send the token by themselves
    app.register_blueprint(api.bp)
    app.register_blueprint(html.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(ops.bp)  # /healthz, /readyz
    app.register_blueprint(access.pages)  # /access-requests, the access request form of a metadata-only page
    html.init_app(app)

    from repository.cli import register

    register(app)
    app.after_request(_security_headers)

    _start_background(app)
    _warm_extractors_on_first_request(app)
    return app


def _warm_extractors_on_first_request(app: Flask) -> None:
    """Start the extraction workers in the background at the first request a process serves, so that the first
    upload does not wait for a worker to start (about a second: the parsers and the vocabulary are loaded once
    per worker). Command-line runs serve no request and start none; tests turn it off."""
    if not app.config.get("EXTRACT_PRESTART") or app.testing:
        return
    pending = [True]
    lock = threading.Lock()

    @app.before_request
    def _warm() -> None:
        if not pending:
            return
        with lock:
            if not pending:
                return
            pending.clear()
        threading.Thread(target=app.extensions["repo"].extractor.prestart, name="extract-warm", daemon=True).start()


#: No inline script anywhere (there is no script at all), no framing, forms post only to this site.
CSP = (
    "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def _security_headers(response):
    """Headers on every answer; stored files keep their stricter sandbox policy (set by the download route)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    return response


def _start_background(app: Flask) -> None:
    """Open the index (creating it, and queueing a rebuild, when new) and start the outbox thread."""
    repo: Repo = app.extensions["repo"]
    try:
        migrate.create_schema(app) if app.config.get("AUTO_INIT") else None
        if not _schema_ready(app):
            return  # `flask init` has not run yet
        created = repo.index.open()
        if created:
            from repository.services.indexing import enqueue_rebuild

            with repo.make_session() as session, db.write(session):
                enqueue_rebuild(session)
    except Exception:
        log.exception("could not open the search index")
        return
    if app.config.get("INDEX_MODE") == "thread":
        repo.worker.start()


def _schema_ready(app: Flask) -> bool:
    from sqlalchemy import inspect

    return inspect(db.engine_of(app)).has_table("index_outbox")
