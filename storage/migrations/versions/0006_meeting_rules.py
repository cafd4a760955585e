"""meeting rules (a group's standing monthly day, time and place)

Revision ID: 0006rc
Revises: 0002
Create Date: 2026-11-30 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006rc"
# Branches from the revision that made groups and meetings, like the other features do.
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meeting_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("nth", sa.Integer(), nullable=True),
        sa.Column("day", sa.Integer(), nullable=True),
        sa.Column("minute_of_day", sa.Integer(), nullable=False),
        sa.Column("venue", sa.String(length=300), nullable=True),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(weekday IS NOT NULL AND nth IS NOT NULL AND day IS NULL)"
            " OR (weekday IS NULL AND nth IS NULL AND day IS NOT NULL)",
            name=op.f("ck_meeting_rules_one_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_meeting_rules_group_id_groups")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["people.id"], name=op.f("fk_meeting_rules_updated_by_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_rules")),
        sa.UniqueConstraint("group_id", name=op.f("uq_meeting_rules_group_id")),
    )


def downgrade() -> None:
    op.drop_table("meeting_rules")
