"""SOP versions: the versions table, and every case on the version it started on

Existing cases are put on today's version of their SOP: version 1, the SOP file the program
ships, stored with its text and content hash.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from desktop_app.core.sop import content_hash, load_sop_file
    from desktop_app.resources import resource_path

    versions = op.create_table(
        "sop_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sop_code", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer()),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("number", sa.String(100), nullable=False),
        sa.Column("revised", sa.Date()),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("toml_text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(255), nullable=False),
        sa.Column("report", sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey(
            "users.id", name="fk_sop_versions_created_by_id_users")),
        sa.Column("viewed_at", sa.DateTime()),
        sa.Column("viewed_by_id", sa.Integer(), sa.ForeignKey(
            "users.id", name="fk_sop_versions_viewed_by_id_users")),
        sa.Column("activated_at", sa.DateTime()),
        sa.Column("activated_by_id", sa.Integer(), sa.ForeignKey(
            "users.id", name="fk_sop_versions_activated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name="pk_sop_versions"),
        sa.UniqueConstraint("sop_code", "version", name="uq_sop_versions_sop_code"),
    )
    op.create_index("ix_sop_versions_code_status", "sop_versions", ["sop_code", "status"])
    now = datetime.now().replace(microsecond=0)
    rows = []
    for path in sorted(resource_path("sops").glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        sop = load_sop_file(path)
        rows.append({"sop_code": sop.code, "version": 1, "status": "aktif",
                     "number": sop.number, "revised": sop.revised,
                     "content_hash": content_hash(text), "toml_text": text,
                     "source": "bawaan program", "created_at": now, "activated_at": now})
    op.bulk_insert(versions, rows)

    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("sop_version_id", sa.Integer()))
    op.execute("UPDATE cases SET sop_version_id = (SELECT v.id FROM sop_versions v "
               "WHERE v.sop_code = cases.sop_code AND v.version = 1)")
    with op.batch_alter_table("cases") as batch:
        batch.alter_column("sop_version_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key("fk_cases_sop_version_id_sop_versions", "sop_versions",
                                 ["sop_version_id"], ["id"])
    op.create_index("ix_cases_sop_version_status", "cases", ["sop_version_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_cases_sop_version_status", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_constraint("fk_cases_sop_version_id_sop_versions", type_="foreignkey")
        batch.drop_column("sop_version_id")
    op.drop_index("ix_sop_versions_code_status", table_name="sop_versions")
    op.drop_table("sop_versions")
