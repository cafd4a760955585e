"""staff areas: a staff invite names the area it gives

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 05:00:00

A pendamping's invite names her kecamatan and a Korkab's her kabupaten/kota, so the invite
carries the area (NULL: an invite as before, a pendamping without a kecamatan). Pendamping
and viewer assignments and the viewer role are new values of columns stored as strings:
no row changes, so existing facilitators, coordinators and invites work as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("area_code", sa.String(length=13), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.drop_column("area_code")
