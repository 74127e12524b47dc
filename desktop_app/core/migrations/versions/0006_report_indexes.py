"""report indexes: open cases by SOP, status and step due time (the dashboard's late list);
open cases by SOP, status, due time and registration (the recap's open counts in one pass)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The late cases of each SOP in due order, counted and listed from the index alone
    # (ix_cases_sop_due lacks the status, so every open-or-not case was looked up).
    op.create_index("ix_cases_sop_status_step_due", "cases",
                    ["sop_code", "status", "step_due_at", "id"])
    # The per-SOP recap counts the cases open at the end of a period and those of them past
    # their due time in one pass over each SOP's open cases, from the index alone.
    op.drop_index("ix_cases_sop_status_due", table_name="cases")
    op.create_index("ix_cases_sop_status_due_registered", "cases",
                    ["sop_code", "status", "due_at", "registered_at"])


def downgrade() -> None:
    op.drop_index("ix_cases_sop_status_due_registered", table_name="cases")
    op.create_index("ix_cases_sop_status_due", "cases", ["sop_code", "status", "due_at"])
    op.drop_index("ix_cases_sop_status_step_due", table_name="cases")
