"""Answers shared by the JSON API and the HTML pages: the JSON error of a refused request (and of an HTTP error on an
API path), the 413 message, a stored original as an attachment, a CSV download."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Iterator
from typing import Any

from flask import Response
from flask import current_app
from flask import jsonify
from flask import request
from flask import send_file
from werkzeug.exceptions import HTTPException

from repository.services import ServiceError
from repository.web import disposition
from repository.web.common import repo

#: The JSON ``error`` code of each HTTP error status an API path may answer with.
HTTP_ERROR_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    414: "query_too_long",
    415: "unsupported_type",
    429: "too_many_requests",
}


def error_body(exc: ServiceError) -> dict[str, Any]:
    """The JSON error object of a refused request."""
    body: dict[str, Any] = {"error": exc.code, "message": exc.message}
    body.update(exc.extra)
    return body


def json_error(exc: ServiceError) -> Response:
    """A refused request as the API answers it: the error object with its status (and the bearer challenge on 401)."""
    response = jsonify(error_body(exc))
    response.status_code = exc.status
    if exc.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="repository"'
    return response


def json_http_error(exc: HTTPException) -> Response:
    """An HTTP error (404 of an unknown route, 405, 413, 429 ...) on an API path, as a JSON error."""
    code = exc.code or 500
    message = exc.description if code != 404 else "No such resource."
    if code == 413:
        message = too_large_message()
    if code == 429:
        message = f"Too many requests (limit: {exc.description}); try again after the Retry-After delay."
    return json_error(ServiceError(code, HTTP_ERROR_CODES.get(code, "error"), message))


def too_large_message() -> str:
    """What a 413 means here: a body over the size limit, or a form with too many parts."""
    limit = request.max_content_length
    if request.mimetype != "multipart/form-data" and limit is not None:
        return f"The request body is larger than {limit // 1024} KB (only file uploads may be larger)."
    if request.content_length is not None and limit is not None and request.content_length > limit:
        return f"The upload is larger than {repo().config['MAX_UPLOAD_MB']} MB."
    return f"The form has too many parts (at most {current_app.config.get('MAX_FORM_PARTS')})."


def send_attachment(target: Any) -> Response:
    """Send a stored original (a :class:`~repository.services.documents.Download`) so that no browser renders it."""
    response = send_file(
        target.path,
        mimetype=target.mime,
        as_attachment=True,
        download_name=target.filename,
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["Content-Disposition"] = disposition.attachment(target.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response


def csv_response(text: str | Iterable[str], filename: str) -> Response:
    """A CSV download (UTF-8 with a byte-order mark, so spreadsheets read Arabic correctly); ``text`` is the whole
    CSV, or its pieces, sent as they are produced (a view passes them through ``stream_with_context``)."""
    body = "\ufeff" + text if isinstance(text, str) else _after_bom(text)
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def _after_bom(pieces: Iterable[str]) -> Iterator[str]:
    """The byte-order mark, then ``pieces`` (a generator: closing the response closes ``pieces`` too)."""
    yield "\ufeff"
    yield from pieces
