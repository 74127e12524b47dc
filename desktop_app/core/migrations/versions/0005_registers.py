"""registers, recaps and survey: survey answers, AK/I card events, report indexes

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
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
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("sop_code", sa.String(length=32), nullable=False),
        sa.Column("responded_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("umur", sa.Integer(), nullable=True),
        sa.Column("jenis_kelamin", sa.String(length=1), nullable=True),
        sa.Column("pendidikan", sa.String(length=32), nullable=True),
        sa.Column("pekerjaan", sa.String(length=64), nullable=True),
        *[sa.Column(f"u{i}", sa.Integer(), nullable=False) for i in range(1, 10)],
        sa.Column("saran", sa.Text(), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE",
                                name="fk_survey_responses_case_id_cases"),
        sa.ForeignKeyConstraint(["entered_by_id"], ["users.id"],
                                name="fk_survey_responses_entered_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_survey_responses"),
        sa.UniqueConstraint("case_id", name="uq_survey_responses_case_id"),
    )
    op.create_index("ix_survey_responses_sop_date", "survey_responses",
                    ["sop_code", "responded_on"])
    op.create_table(
        "ak1_card_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("employer", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.String(length=100), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE",
                                name="fk_ak1_card_events_case_id_cases"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"],
                                name="fk_ak1_card_events_recorded_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_ak1_card_events"),
    )
    op.create_index("ix_ak1_card_events_case_id", "ak1_card_events", ["case_id"])
    op.create_index("ix_ak1_card_events_kind_date", "ak1_card_events", ["kind", "on_date"])
    op.create_index("ix_cases_closed", "cases",
                    ["closed_at", "sop_code", "status", "registered_at", "due_at"])
    op.create_index("ix_cases_sop_status_due", "cases", ["sop_code", "status", "due_at"])
    op.create_index("ix_step_events_finished", "step_events",
                    ["finished_at", "action", "case_id"])
    op.create_table(
        "step_stats",
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("sop_code", sa.String(length=32), nullable=False),
        sa.Column("step_no", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("on_time", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", "sop_code", "step_no", "action", "bucket",
                                name="pk_step_stats"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "step_stats_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("upto", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_step_stats_state"),
    )
    # One row, locked by whoever brings the summary up to date (built on first use).
    op.execute("INSERT INTO step_stats_state (id, upto) VALUES (1, NULL)")
    op.create_index("ix_documents_rendered", "documents", ["rendered_at"])


def downgrade() -> None:
    op.drop_table("step_stats_state")
    op.drop_table("step_stats")
    op.drop_index("ix_documents_rendered", table_name="documents")
    op.drop_index("ix_step_events_finished", table_name="step_events")
    op.drop_index("ix_cases_sop_status_due", table_name="cases")
    op.drop_index("ix_cases_closed", table_name="cases")
    op.drop_table("ak1_card_events")
    op.drop_table("survey_responses")
