"""Helpers shared by the JSON API and the HTML pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from flask import request
from werkzeug.datastructures import MultiDict

from indexer.index import SearchRequest

from ..db import get_session
from ..services import Repo
from ..services import Service
from ..services import ServiceError
from ..services import parse_date


def repo() -> Repo:
    """The app's :class:`~repository.services.Repo`."""
    return current_app.extensions["repo"]


def service() -> Service:
    """A service bound to this request's database session and client address."""
    return Service(repo(), get_session(), ip=request.remote_addr)


def _int(args: MultiDict, name: str, default: int) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ServiceError(400, "bad_request", f"{name} must be a whole number.") from None
    return value


def search_request(args: MultiDict, default_per_page: int = 20) -> SearchRequest:
    """Read the documented search parameters (``q``, ``code``, ``level``, ``org``, ``from``, ``to``, ``page``,
    ``per_page``, ``sort``) from a query string."""
    q = args.get("q", "")
    if len(q) > 2000:
        raise ServiceError(400, "bad_query", "The query is too long (more than 500 characters).")
    sort = args.get("sort", "relevance")
    if sort not in ("relevance", "date"):
        raise ServiceError(400, "bad_request", "sort must be relevance or date.")
    return SearchRequest(
        text=q,
        codes=[c for c in args.getlist("code") if c][:50],
        levels=[lv for lv in args.getlist("level") if lv][:4],
        orgs=[o.upper() for o in args.getlist("org") if o][:50],
        date_from=parse_date(args.get("from") or None, "from"),
        date_to=parse_date(args.get("to") or None, "to"),
        page=_int(args, "page", 1),
        per_page=_int(args, "per_page", default_per_page),
        sort=sort,
    )


def today() -> dt.date:
    """Today's date (UTC)."""
    return dt.datetime.now(dt.UTC).date()


def error_body(exc: ServiceError) -> dict[str, Any]:
    """The JSON error object of a refused request."""
    body: dict[str, Any] = {"error": exc.code, "message": exc.message}
    body.update(exc.extra)
    return body


def too_large_message() -> str:
    """What a 413 means here: a body over the size limit, or a form with too many parts."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if request.content_length is not None and limit is not None and request.content_length > limit:
        return f"The upload is larger than {repo().config['MAX_UPLOAD_MB']} MB."
    return f"The form has too many parts (at most {current_app.config.get('MAX_FORM_PARTS')})."
