"""audit guards and byte-wise search keys (issue 11)

* PostgreSQL refuses TRUNCATE of the audit log and of its head (statement-level triggers);
  both databases refuse a chain head behind the last event (a reset of the head).
* PostgreSQL: the search keys (case title key, register number, NIK) compare byte-wise
  (COLLATE "C"), so prefix search gives the same answers under any database collation.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_SEARCH_COLUMNS = (("title_key", 200), ("register_number", 64), ("nik", 16))


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("INSERT", "UPDATE"):
            op.execute(
                f"CREATE TRIGGER audit_head_no_rewind_{verb.lower()} BEFORE {verb} ON audit_head "
                "WHEN NEW.seq < (SELECT COALESCE(MAX(seq), 0) FROM audit_events) "
                "BEGIN SELECT RAISE(ABORT, 'audit head cannot go back'); END")
        return
    op.execute(
        "CREATE FUNCTION audit_no_truncate() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit log is append-only (TRUNCATE refused)'; END; $$ "
        "LANGUAGE plpgsql")
    for table in ("audit_events", "audit_head"):
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate()")
    op.execute(
        "CREATE FUNCTION audit_head_no_rewind() RETURNS trigger AS $$ "
        "BEGIN IF NEW.seq < (SELECT COALESCE(MAX(seq), 0) FROM audit_events) THEN "
        "RAISE EXCEPTION 'audit head cannot go back'; END IF; RETURN NEW; END; $$ "
        "LANGUAGE plpgsql")
    op.execute("CREATE TRIGGER audit_head_no_rewind BEFORE INSERT OR UPDATE ON audit_head "
               "FOR EACH ROW EXECUTE FUNCTION audit_head_no_rewind()")
    for column, length in _SEARCH_COLUMNS:
        op.execute(f'ALTER TABLE cases ALTER COLUMN {column} TYPE VARCHAR({length}) '
                   'COLLATE "C"')


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("insert", "update"):
            op.execute(f"DROP TRIGGER audit_head_no_rewind_{verb}")
        return
    for column, length in _SEARCH_COLUMNS:
        op.execute(f"ALTER TABLE cases ALTER COLUMN {column} TYPE VARCHAR({length}) "
                   'COLLATE "default"')
    op.execute("DROP TRIGGER audit_head_no_rewind ON audit_head")
    op.execute("DROP FUNCTION audit_head_no_rewind()")
    for table in ("audit_events", "audit_head"):
        op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
    op.execute("DROP FUNCTION audit_no_truncate()")
