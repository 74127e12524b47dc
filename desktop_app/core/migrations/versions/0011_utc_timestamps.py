"""times stored timezone-aware in UTC: naive office-local values converted

Every time column was naive office-local time (WIB). PostgreSQL columns become ``timestamptz``
(the old values read in the office's zone); SQLite keeps its text column and its values are
moved to UTC wall time. The office's zone is the office profile's ``zona_waktu`` when one was
saved, else Asia/Jakarta. The audit log's append-only trigger is lifted on SQLite for the
conversion only (its hashes cover the WIB wall time, which this change does not alter).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TIME_COLUMNS: dict[str, tuple[str, ...]] = {
    "applicants": ("created_at", "updated_at"),
    "audit_events": ("at",),
    "companies": ("created_at",),
    "revocation_lists": ("issued_at", "next_update"),
    "step_stats_state": ("upto",),
    "users": ("locked_until", "created_at"),
    "certificate_revocations": ("revoked_at", "recorded_at"),
    "delegations": ("created_at",),
    "signer_credentials": ("not_after", "created_at", "locked_until"),
    "sop_versions": ("created_at", "viewed_at", "activated_at"),
    "cases": ("registered_at", "step_started_at", "step_due_at", "due_at", "closed_at",
              "updated_at"),
    "ak1_card_events": ("recorded_at",),
    "attachments": ("uploaded_at",),
    "documents": ("created_at", "rendered_at", "signed_at", "voided_at"),
    "step_events": ("started_at", "finished_at"),
    "survey_responses": ("entered_at",),
    "document_approvals": ("at",),
}
_ZONES = {"Asia/Jakarta": 420, "Asia/Pontianak": 420, "Asia/Makassar": 480,
          "Asia/Jayapura": 540}


def _office_zone(bind: sa.Connection) -> str:
    row = bind.execute(sa.text("SELECT value FROM settings WHERE key = 'office_profile'")).first()
    value = row[0] if row else None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    zone = value.get("zona_waktu") if isinstance(value, dict) else None
    return zone if zone in _ZONES else "Asia/Jakarta"


def _sqlite_shift(minutes: int) -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
    for table, columns in TIME_COLUMNS.items():
        sets = ", ".join(
            f"{c} = CASE WHEN {c} IS NULL THEN NULL "
            f"ELSE datetime(substr({c}, 1, 19), '{minutes:+d} minutes') || substr({c}, 20) END"
            for c in columns)
        op.execute(f"UPDATE {table} SET {sets}")
    op.execute("CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
               "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END")


def upgrade() -> None:
    bind = op.get_bind()
    zone = _office_zone(bind)
    if bind.dialect.name == "sqlite":
        _sqlite_shift(-_ZONES[zone])
        return
    for table, columns in TIME_COLUMNS.items():
        alters = ", ".join(f"ALTER COLUMN {c} TYPE TIMESTAMP WITH TIME ZONE "
                           f"USING {c} AT TIME ZONE '{zone}'" for c in columns)
        op.execute(f"ALTER TABLE {table} {alters}")


def downgrade() -> None:
    bind = op.get_bind()
    zone = _office_zone(bind)
    if bind.dialect.name == "sqlite":
        _sqlite_shift(_ZONES[zone])
        return
    for table, columns in TIME_COLUMNS.items():
        alters = ", ".join(f"ALTER COLUMN {c} TYPE TIMESTAMP WITHOUT TIME ZONE "
                           f"USING {c} AT TIME ZONE '{zone}'" for c in columns)
        op.execute(f"ALTER TABLE {table} {alters}")
