"""The OpenAPI 3.1 description of the JSON API, served at ``GET /api/v1/openapi.json``.

Written by hand as YAML, ``openapi.yaml`` beside this module (package data), read once. apispec would only
assemble the same hand-written document (the views parse their input by hand, so there is nothing for it to read),
and marshmallow is not used here. Enumerations and limits are not written in the YAML: its ``!const NAME`` tags
take them from the modules that enforce them (``protocol``, ``services``, ``sniff``, ``scan``, ``limits``) through
``CONSTANTS`` below, so they cannot disagree.

``tests/test_openapi.py`` keeps the rest true: every ``/api/v1`` rule of the app is described with the same
methods and nothing else is; the document validates as OpenAPI 3.1; schemathesis calls every operation as an
anonymous visitor, a partner and a coordinator and checks each answer (status, content type, body) against it.
Response objects forbid undocumented fields, so a field added to ``serialize.py`` must be described there too.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from repository import protocol
from repository.knowledge.scan import KINDS
from repository.knowledge.sniff import ALLOWED_TYPES
from repository.protocol import versions as versions_protocol
from repository.services import MAX_CODES
from repository.services import MAX_COMMENT
from repository.services import MAX_GRANTS
from repository.services import MAX_RATIONALE
from repository.services import MAX_SUMMARY
from repository.services import MAX_TITLE
from repository.web.limits import MAX_BODY_BYTES

#: The rule of the catch-all route that answers unknown ``/api/v1`` paths with a JSON 404: not an operation.
CATCH_ALL_ENDPOINT = "api.not_found"

Schema = dict[str, Any]

_YAML = Path(__file__).with_name("openapi.yaml")

# Fields of a document shown only to coordinators and contributors of the owner organisation (all or none).
_REVIEW_FIELDS = ("risks", "benefits", "rationale", "override", "minimum_reasons", "grant_orgs", "grant_users",
                  "review_by")

#: What ``!const NAME`` (and ``{NAME}`` in ``!format``) stands for in ``openapi.yaml``.
CONSTANTS: dict[str, Any] = {
    "LEVELS": list(protocol.LEVELS),
    "SEARCH_LEVELS": [*protocol.LEVELS, "none"],
    "ROLES": list(protocol.ROLES),
    "STATES": list(protocol.STATES),
    "VERSION_STATES": list(versions_protocol.VERSION_STATES),
    "RISKS": list(protocol.RISKS),
    "RISKS_COUNT": len(protocol.RISKS),
    "BENEFITS": list(protocol.BENEFITS),
    "BENEFITS_COUNT": len(protocol.BENEFITS),
    "REVIEW_ACTIONS": list(protocol.REVIEW_ACTIONS),
    "REQUEST_STATES": list(protocol.REQUEST_STATES),  # access requests (repository.protocol.discovery)
    "DISCOVERABLE_LEVELS": list(protocol.DISCOVERABLE_LEVELS),
    "RELEASE_GATE": [c.id for c in protocol.RELEASE_GATE],
    "KINDS": list(KINDS),
    "KINDS_COUNT": len(KINDS),
    "MIME_TYPES": list(ALLOWED_TYPES),
    "MIME_TYPES_ANY": {mime: {} for mime in ALLOWED_TYPES},  # a download's content: any accepted type
    "REVIEW_FIELDS_TOGETHER": {field: [f for f in _REVIEW_FIELDS if f != field] for field in _REVIEW_FIELDS},
    "MAX_CODES": MAX_CODES,
    "MAX_COMMENT": MAX_COMMENT,
    "MAX_GRANTS": MAX_GRANTS,
    "MAX_RATIONALE": MAX_RATIONALE,
    "MAX_SUMMARY": MAX_SUMMARY,
    "MAX_TITLE": MAX_TITLE,
    "MAX_BODY_KB": MAX_BODY_BYTES // 1024,
}


class _Loader(yaml.SafeLoader):
    """YAML's safe loader with the ``!const`` and ``!format`` tags of ``openapi.yaml``."""


def _const(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    return copy.deepcopy(CONSTANTS[loader.construct_scalar(node)])


def _format(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node).format(**CONSTANTS)


_Loader.add_constructor("!const", _const)
_Loader.add_constructor("!format", _format)


@cache
def _document() -> Schema:
    with open(_YAML, encoding="utf-8") as fh:
        loader = _Loader(fh)  # yaml.safe_load, with the two tags
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()


def spec(base: str = "/api/v1") -> Schema:
    """The OpenAPI document (a fresh copy), with ``base`` as the server URL (the API's path on this host)."""
    out = copy.deepcopy(_document())
    out["servers"] = [{"url": base}]
    return out
