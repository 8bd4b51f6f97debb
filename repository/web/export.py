"""The catalogue's rows as the API sends them: JSON objects and CSV lines, produced as the rows are read so that a
catalogue of tens of thousands of documents is never held in memory whole.

Field names are the interface's (``id, title, org, level, state, published, uploaded_at, codes, languages,
sha256, url``); the JSON adds HDX-style aliases beside them (``dataset_date``: the document date,
``groups``: location P-codes, ``tags``: theme tags) and ``metadata_only``. CSV cells go through
:func:`repository.web.serialize.csv_cell`, the audit export's guard against formulas.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from collections.abc import Iterator
from typing import Any

from flask import url_for
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from repository.knowledge.taxonomy import Taxonomy
from repository.services import ServiceError
from repository.services.catalogue import CatalogueRow
from repository.services.search import SearchRequest
from repository.web.common import search_request
from repository.web.serialize import csv_cell
from repository.web.serialize import timestamp

#: The CSV's columns before and after the codes (one column per taxonomy facet, ``codes.<facet>``).
CSV_HEAD = ("id", "title", "org", "level", "state", "published", "uploaded_at")
CSV_TAIL = ("languages", "sha256", "url", "metadata_only")
#: The answers ``GET /catalogue`` gives.
EXPORT_FORMATS = ("json", "csv")
#: Rows written to the CSV or JSON buffer before it is sent on.
CHUNK_ROWS = 200


def row_json(row: CatalogueRow, taxonomy: Taxonomy, url: str) -> dict[str, Any]:
    """One catalogue row as a JSON object (``url``: the document's page)."""
    codes = taxonomy.group(row.codes)
    return {
        "id": row.id,
        "title": row.title,
        "org": row.org,
        "level": row.level,
        "state": row.state,
        "published": row.published.isoformat() if row.published else None,
        "uploaded_at": timestamp(row.uploaded_at) if row.uploaded_at else None,
        "codes": codes,
        "languages": [row.language] if row.language else [],
        "sha256": row.sha256,
        "url": url,
        "metadata_only": row.metadata_only,
        "dataset_date": row.date.isoformat(),
        "groups": [_pcode(taxonomy, c) for c in codes.get("location", [])],
        "tags": [c.partition(":")[2] for c in codes.get("theme", [])],
    }


def _pcode(taxonomy: Taxonomy, code_id: str) -> str:
    """A location's P-code (its short id when it has no confirmed one)."""
    code = taxonomy.codes.get(code_id)
    if code is None:
        return code_id.partition(":")[2]
    return code.pcode or code.short_id


def catalogue_json(rows: Iterable[CatalogueRow], taxonomy: Taxonomy, url_prefix: str) -> Iterator[str]:
    """The JSON answer ``{"documents": [...], "total": n}`` in pieces (the total comes last: it is known at the
    end). ``url_prefix`` + the id is a document's page."""
    yield '{"documents": ['
    total = 0
    buffer: list[str] = []
    for row in rows:
        buffer.append(("," if total else "") + json.dumps(row_json(row, taxonomy, f"{url_prefix}{row.id}")))
        total += 1
        if len(buffer) >= CHUNK_ROWS:
            yield "".join(buffer)
            buffer.clear()
    yield "".join(buffer) + f'], "total": {total}}}'


def catalogue_csv(rows: Iterable[CatalogueRow], taxonomy: Taxonomy, url_prefix: str) -> Iterator[str]:
    """The CSV answer in pieces: a header row, then one line per row; codes of a facet joined by ``; ``, every
    cell guarded against formulas."""
    facets = [f.id for f in taxonomy.facets]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow((*CSV_HEAD, *(f"codes.{f}" for f in facets), *CSV_TAIL))
    n = 0
    for row in rows:
        codes = taxonomy.group(row.codes)
        cells = (
            row.id,
            row.title,
            row.org,
            row.level,
            row.state,
            row.published.isoformat() if row.published else "",
            timestamp(row.uploaded_at) if row.uploaded_at else "",
            *("; ".join(codes.get(f, [])) for f in facets),
            row.language or "",
            row.sha256 or "",
            f"{url_prefix}{row.id}",
            "true" if row.metadata_only else "false",
        )
        writer.writerow(csv_cell(value) for value in cells)
        n += 1
        if n % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def catalogue_request(args: MultiDict) -> SearchRequest:
    """The search filters of a catalogue or stats request (``q``, ``code``, ``level``, ``org``, ``from``, ``to``,
    ``sort``), read as search reads them; ``page`` and ``per_page`` are not theirs (every page is walked)."""
    params = MultiDict(args)
    params.poplist("page")
    params.poplist("per_page")
    return search_request(params)


def export_format(args: MultiDict) -> str:
    """The catalogue's ``format``: ``json`` (the default) or ``csv``; anything else is a 400."""
    value = args.get("format") or "json"
    if value not in EXPORT_FORMATS:
        raise ServiceError(400, "bad_request", "format must be json or csv.")
    return value


def document_url_prefix() -> str:
    """The absolute URL of a document's page without its id (the id is appended per row)."""
    return url_for("html.document", doc_id="0", _external=True)[:-1]


def closing(pieces: Iterable[str], session: Session) -> Iterator[str]:
    """``pieces``, then ``session`` closed. A streamed answer is read after the request's teardown has closed its
    session, and reading on opens it again: without this its connection would stay out of the pool."""
    try:
        yield from pieces
    finally:
        session.close()
