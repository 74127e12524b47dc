"""training recap index: cases by SOP and the training's first day, an expression on the
intake's JSON (data ->> 'tanggal_mulai')

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# The expression exactly as desktop_app.core.sqlfn.json_text renders it (and the training
# recap queries it): a planner uses an expression index only for the same expression.
_START = {"sqlite": "json_extract(data, '$.tanggal_mulai')",
          "postgresql": "(data ->> 'tanggal_mulai')"}


def upgrade() -> None:
    expression = _START[op.get_bind().dialect.name]
    op.create_index("ix_cases_sop_training_start", "cases",
                    ["sop_code", sa.text(expression)])


def downgrade() -> None:
    op.drop_index("ix_cases_sop_training_start", table_name="cases")
