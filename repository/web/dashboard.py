"""The dashboard page's rows: the figures of :meth:`Dashboard.figures` (counts over what the caller can page
through in search) turned into labelled rows for the charts and their tables, each with a link that narrows the
dashboard to it. Nothing is counted here: every number is one of the service's.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import url_for
from werkzeug.datastructures import MultiDict

from repository import protocol
from repository.knowledge.taxonomy import Taxonomy

#: Bars drawn in one chart at most (its table lists every row).
MAX_BARS = 15
#: Months drawn in the chart by month at most (the latest; its table lists every month).
MAX_MONTHS = 24
#: The filters of search that the dashboard takes (and keeps in its links).
FILTERS = ("q", "code", "level", "org", "from", "to")
#: The key of documents without a released level in ``by_level``.
NO_LEVEL = "none"


def dashboard_link(args: MultiDict, endpoint: str = "html.dashboard", **changes: Any) -> str:
    """The URL of ``endpoint`` (the dashboard, or ``html.search``) with the filters of ``args`` changed:
    ``add=(name, value)`` adds a repeatable value, ``remove=(name, value)`` removes one, ``name=value`` sets one
    (``None`` drops it)."""
    params = MultiDict((k, v) for k, v in args.items(multi=True) if k in FILTERS and v)
    add = changes.pop("add", None)
    remove = changes.pop("remove", None)
    if remove is not None:
        name, value = remove
        params.setlist(name, [v for v in params.getlist(name) if v != value])
    if add is not None and add[1] not in params.getlist(add[0]):
        params.add(*add)
    for name, value in changes.items():
        params.poplist(name)
        if value not in (None, ""):
            params.add(name, value)
    return url_for(endpoint, **{k: vs for k, vs in params.lists() if vs})


def _code_row(code, key: str, count: int, args: MultiDict) -> dict[str, Any]:
    """A row of a code figure (theme or location)."""
    return {
        "key": key,
        "label": code.label if code else key,
        "labels": dict(code.labels) if code else {},
        "count": count,
        "link": dashboard_link(args, add=("code", code.id)) if code else None,
    }


def _by_count(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows by count, largest first (stable: their previous order among equal counts)."""
    return sorted(rows, key=lambda r: -r["count"])


def _month_range(month: str) -> tuple[str, str]:
    """The first and last day of a ``YYYY-MM`` month."""
    year, number = (int(p) for p in month.split("-"))
    return f"{month}-01", f"{month}-{calendar.monthrange(year, number)[1]:02d}"


def dashboard_rows(figures: dict[str, Any], taxonomy: Taxonomy, args: MultiDict, today: dt.date,
                   may_filter_level: bool) -> dict[str, Any]:  # fmt: skip
    """The rows of each figure: ``{key, label, labels, count, link}`` (``labels`` the taxonomy's per-language
    labels of a code; ``link`` the dashboard narrowed to that row, or ``None``); ``newest`` rows carry the
    document's ``id``, ``title``, ``date`` and ``days`` since it."""
    org = [{"key": k, "label": k, "labels": {}, "count": n, "link": dashboard_link(args, add=("org", k))}
           for k, n in figures["by_org"].items()]  # fmt: skip
    months = []
    for key, count in figures["by_month"].items():
        first, last = _month_range(key)
        months.append({"key": key, "label": key, "labels": {}, "count": count,
                       "link": dashboard_link(args, **{"from": first, "to": last})})  # fmt: skip
    level_order = [*protocol.LEVELS, NO_LEVEL]
    levels = [
        {"key": k, "label": protocol.LEVEL_LABELS.get(k, "Not released"), "labels": {}, "count": n,
         "link": dashboard_link(args, add=("level", k)) if may_filter_level else None}
        for k, n in sorted(figures["by_level"].items(), key=lambda kv: level_order.index(kv[0])
                           if kv[0] in level_order else len(level_order))
    ]  # fmt: skip
    themes = [_code_row(taxonomy.get(f"theme:{k}"), k, n, args) for k, n in figures["by_theme"].items()]
    places = {}
    if "location" in {f.id for f in taxonomy.facets}:
        places = {(c.pcode or c.short_id): c for c in taxonomy.facet("location").codes}
    locations = [_code_row(places.get(k), k, n, args) for k, n in figures["by_location"].items()]
    due = [{"key": k, "label": k, "labels": {}, "count": n, "link": None}
           for k, n in figures.get("due_for_review", {}).items()]  # fmt: skip
    newest = [{"key": k, "label": k, "labels": {}, "id": d["id"], "title": d["title"], "date": d["date"],
               "days": max((today - d["date"]).days, 0), "link": dashboard_link(args, add=("org", k))}
              for k, d in figures["newest"].items()]  # fmt: skip
    return {
        "by_org": _by_count(org),
        "by_month": months,
        "by_level": levels,
        "by_theme": _by_count(themes),
        "by_location": _by_count(locations),
        "due_for_review": due,
        "newest": newest,
        "due_allowed": "due_for_review" in figures,
    }


def bars(rows: list[dict[str, Any]], lang: str = "en", value: str = "count", latest: bool = False,
         translate: Callable[[str], str] | None = None) -> list[tuple[str, int]]:  # fmt: skip
    """The (label, value) pairs a chart draws for ``rows``: at most :data:`MAX_BARS` (the first ones, or with
    ``latest`` the last :data:`MAX_MONTHS`), labelled in ``lang`` where the taxonomy has it, else with the row's
    label (passed through ``translate`` when given: a level's name)."""
    chosen = rows[-MAX_MONTHS:] if latest else rows[:MAX_BARS]
    name = translate or (lambda text: text)
    return [(r["labels"].get(lang) or name(r["label"]), r[value]) for r in chosen]


def drawn(rows: list[dict[str, Any]], latest: bool = False) -> int:
    """How many of ``rows`` a chart draws (see :func:`bars`)."""
    return min(len(rows), MAX_MONTHS if latest else MAX_BARS)


def percent(part: int, whole: int) -> int:
    """``part`` of ``whole`` in whole percent (0 for an empty whole)."""
    return round(100 * part / whole) if whole else 0
