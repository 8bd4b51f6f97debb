"""Secure document repository for humanitarian protection coordination.

The application factory lives in :mod:`repository.app`; it is re-exported here without importing it, so that the
package's pure modules (the sharing protocol, the scan, the coding, :mod:`repository.knowledge.analysis`) load
without Flask: the extraction workers import :mod:`repository.knowledge.analysis` and should start
in a fraction of a second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

if TYPE_CHECKING:  # pragma: no cover
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application (see :func:`repository.app.create_app`)."""
    from repository.app import create_app as build

    return build(test_config)
