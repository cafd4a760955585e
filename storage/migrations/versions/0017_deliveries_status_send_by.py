"""deliveries: an index on (status, send_by, priority) for the dispatcher's look-ahead

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 05:00:00

Every tick counts the pending deliveries by deadline (storage/deliveries._forced). With only
the (status, due_at) index that read every pending row of the year ahead (76,000 in
benchmarks/scale.py) to keep the next 12 hours: most of an idle tick. This index answers it
from the range alone, without the table.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_deliveries_status_send_by",
        "deliveries",
        ["status", "send_by", "priority"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_deliveries_status_send_by", table_name="deliveries")
