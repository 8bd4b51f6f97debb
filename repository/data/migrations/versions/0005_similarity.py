"""Near-duplicates: each document's MinHash signature over the word shingles of its text, and its LSH band keys
(indexed), so that the documents sharing a band with a new upload are found by one SQL query.

Documents uploaded before this revision have no signature until ``reindex`` (or a new upload of their text) adds
one; they are simply not offered as near-duplicates until then.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "similarity_signatures",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("shingles", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id"),
    )
    op.create_table(
        "similarity_bands",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "band"),
    )
    op.create_index("ix_similarity_bands_bucket", "similarity_bands", ["bucket"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_similarity_bands_bucket", table_name="similarity_bands")
    op.drop_table("similarity_bands")
    op.drop_table("similarity_signatures")
