"""Redacted copies: a document may be derived from another (``derived_from``), the one whose findings it masks.

A new nullable column with a foreign key to ``documents.id``: every document written before it is an original.
When the original is deleted the copy stays, no longer linked (``SET NULL``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("derived_from", sa.Integer(), nullable=True))
        batch_op.create_index("ix_documents_derived_from", ["derived_from"], unique=False)
        batch_op.create_foreign_key(
            "fk_documents_derived_from_documents", "documents", ["derived_from"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint("fk_documents_derived_from_documents", type_="foreignkey")
        batch_op.drop_index("ix_documents_derived_from")
        batch_op.drop_column("derived_from")
