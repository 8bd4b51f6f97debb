"""Versions: the owner organisation uploads a new version of a released document; it waits for review in
``document_versions`` with its own file, text and findings until a release makes it the document's content.

A document's columns hold the version its audience sees; a document without rows here has only its first version.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_status", sa.String(length=20), nullable=False),
        sa.Column("text_reason", sa.String(length=300), nullable=True),
        sa.Column("language", sa.String(length=10), nullable=True),
        sa.Column("detected", sa.JSON(), nullable=False),
        sa.Column("suggested_codes", sa.JSON(), nullable=False),
        sa.Column("minimum_level", sa.String(length=30), nullable=True),
        sa.Column("minimum_reasons", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sha256"], ["stored_files.sha256"]),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "number", name="uq_document_versions_number"),
        sa.UniqueConstraint("sha256", name="uq_document_versions_sha256"),
    )
    op.create_index("ix_document_versions_document_id", "document_versions", ["document_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_document_versions_document_id", table_name="document_versions")
    op.drop_table("document_versions")
