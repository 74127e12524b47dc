"""index for NIK-prefix search inside one SOP (cases.sop_code, cases.nik)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cases_sop_nik", "cases", ["sop_code", "nik"])


def downgrade() -> None:
    op.drop_index("ix_cases_sop_nik", table_name="cases")
