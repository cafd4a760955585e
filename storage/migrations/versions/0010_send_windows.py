"""send windows and priorities of deliveries

Revision ID: 0010
Revises: 0002
Create Date: 2026-11-30 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("send_from", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("send_by", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("priority", sa.Integer(), nullable=True))
    # What was planned before windows existed goes at its time, as it would have.
    op.execute("UPDATE deliveries SET send_from = due_at, send_by = due_at, priority = 0")
    with op.batch_alter_table("deliveries") as batch:
        batch.alter_column("send_from", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.alter_column("send_by", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.alter_column("priority", existing_type=sa.Integer(), nullable=False)
        batch.create_index(op.f("ix_deliveries_send_by"), ["send_by"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_index(op.f("ix_deliveries_send_by"))
        batch.drop_column("priority")
        batch.drop_column("send_by")
        batch.drop_column("send_from")
