"""Helpers shared by the JSON API and the HTML pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from flask import g
from flask import request
from flask import url_for
from werkzeug.datastructures import MultiDict

from repository.data.db import get_session
from repository.data.models import MAX_ID
from repository.knowledge.taxonomy import Taxonomy
from repository.services import AuditFilter
from repository.services import Repo
from repository.services import Service
from repository.services import ServiceError
from repository.services import parse_date
from repository.services.search import MAX_QUERY_CHARS
from repository.services.search import SORTS
from repository.services.search import SearchRequest
from repository.web.logs import current_request_id

#: The largest document id there can be (the id column is a 32-bit integer on PostgreSQL).
MAX_DOCUMENT_ID = MAX_ID


def beyond_document_ids(value: str) -> bool:
    """Whether ``value`` reads as a whole number larger than any document id (the database cannot compare it)."""
    try:
        return int(value) > MAX_DOCUMENT_ID
    except ValueError:
        return False  # not a number (or too long to be one): refused or not found elsewhere


def repo() -> Repo:
    """The app's :class:`~repository.services.Repo`."""
    return current_app.extensions["repo"]


def service() -> Service:
    """The services of this request (one per request): bound to its database session, client address and request
    id, with one attribute per capability (``service().intake.upload(...)``, ``service().reviews.review(...)``)."""
    if "services" not in g:
        g.services = Service(repo(), get_session(), ip=request.remote_addr, request_id=current_request_id())
    return g.services


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
    ``per_page``, ``sort``) from a query string.

    ``code`` (repeatable) matches the code and every code below it; ``from``/``to`` (YYYY-MM-DD, inclusive)
    apply to the document date (published, else uploaded); ``level`` is ignored for callers the protocol does
    not let filter by level; ``sort`` is ``relevance`` (default) or ``date``."""
    q = args.get("q", "")
    if len(q) > MAX_QUERY_CHARS:  # the index's own limit, refused here before anything else is read
        raise ServiceError(400, "bad_query", f"The query is too long (more than {MAX_QUERY_CHARS} characters).")
    sort = args.get("sort", "relevance")
    if sort not in SORTS:
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


def search_link(args: MultiDict, **changes: Any) -> str:
    """The search page URL with ``args`` changed, for filter links: ``add=(name, value)`` adds a repeatable
    value, ``remove=(name, value)`` removes one, ``name=value`` sets a parameter (``None`` drops it). The page
    number is dropped unless set, since any other change gives other results."""
    params = MultiDict(args)
    params.poplist("page")
    add = changes.pop("add", None)
    remove = changes.pop("remove", None)
    if remove is not None:
        name, value = remove
        params.setlist(name, [v for v in params.getlist(name) if v != value])
    if add is not None:
        name, value = add
        if value not in params.getlist(name):
            params.add(name, value)
    for name, value in changes.items():
        params.poplist(name)
        if value not in (None, ""):
            params.add(name, value)
    clean = {k: [v for v in vs if v != ""] for k, vs in params.lists()}
    return url_for("html.search", **{k: vs for k, vs in clean.items() if vs})


def facet_rows(taxonomy: Taxonomy, counts: dict[str, dict[str, int]], selected: list[str]) -> list[dict[str, Any]]:
    """The taxonomy facets of a search answer, for the search page: per facet its labels and rows of
    ``{id, en, ar, count, depth, selected}``. Hierarchical facets keep the taxonomy's order with depth (a
    district under its region); the others are ordered by count."""
    out = []
    for facet in taxonomy.facets:
        facet_counts = counts.get(facet.id) or {}
        if not facet_counts:
            continue
        rows = []
        order = [c.id for c in facet.codes if c.id in facet_counts]
        order += sorted(c for c in facet_counts if c not in order)  # codes no longer in the file
        for code_id in order:
            code = taxonomy.get(code_id)
            rows.append(
                {
                    "id": code_id,
                    "en": code.labels.get("en", code.label) if code else code_id,
                    "ar": code.labels.get("ar", "") if code else "",
                    "count": facet_counts[code_id],
                    "depth": len(taxonomy.ancestors(code_id)) if code and facet.hierarchical else 0,
                    "selected": code_id in selected,
                }
            )
        if not facet.hierarchical:
            rows.sort(key=lambda r: -r["count"])  # stable: file order among equal counts
        out.append(
            {"id": facet.id, "en": facet.labels.get("en", facet.label), "ar": facet.labels.get("ar", ""), "rows": rows}
        )
    return out


def today() -> dt.date:
    """Today's date (UTC)."""
    return dt.datetime.now(dt.UTC).date()


def audit_filters(args: MultiDict) -> AuditFilter:
    """The audit trail's filters from a query string: ``document``, ``actor`` (e-mail), ``action``, ``from``, ``to``."""
    document = args.get("document") or None
    if document is not None and beyond_document_ids(document):
        raise ServiceError(400, "bad_request", "document must be a document id.")
    date_from = parse_date(args.get("from") or None, "from")
    date_to = parse_date(args.get("to") or None, "to")
    if date_to == dt.date.max:
        date_to = None  # no day after it to stop before (it overflowed): the same as no upper bound
    return AuditFilter(
        document=document,
        actor_email=args.get("actor") or None,
        action=args.get("action") or None,
        date_from=date_from,
        date_to=date_to,
    )
