"""Alembic environment of the repository: run by :mod:`repository.data.migrate` (``flask --app wsgi db ...``), which
passes the app's connection in ``config.attributes["connection"]``; there is no alembic.ini."""

from __future__ import annotations

from alembic import context

from repository.data import models  # noqa: F401  (registers the tables on Base.metadata)
from repository.data.db import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run the migrations through repository.data.migrate (flask --app wsgi db upgrade)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite alters most things only by copying a table: batch mode does that ("move and copy").
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
