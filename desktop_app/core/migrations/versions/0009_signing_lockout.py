"""signing lockout: wrong signing passphrases counted and locked per credential, not per login

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("signer_credentials") as batch:
        batch.add_column(sa.Column("failed_passphrases", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("signer_credentials") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("failed_passphrases")
