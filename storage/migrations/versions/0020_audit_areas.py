"""audit areas: each entry of the audit trail names the area of what was read

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 08:00:00

/jejak was one trail for the whole deployment: a Korkab read who opened complaints and
rosters everywhere. An entry now keeps the area (the desa code of the group read, or the
reader's own area for a read of several groups), so a coordinator reads her area's trail
only. Earlier entries have none and stay readable by the coordinators of the whole
deployment, as before. (Another branch adds 0019; the two are chained when merged.)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("area_code", sa.String(length=13), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("area_code")
