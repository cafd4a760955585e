"""quiz counts from anonymous polls; the real end time on the activity record

Revision ID: 0006tw
Revises: 0002
Create Date: 2026-11-30 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006tw"
# Branches from the revision that made quiz_polls and meetings, like the other features do.
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("quiz_polls") as batch:
        batch.add_column(sa.Column("voters", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(
            sa.Column("correct_voters", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "activity_end_times",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edited_by", sa.Integer(), nullable=True),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["edited_by"], ["people.id"], name=op.f("fk_activity_end_times_edited_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_activity_end_times_meeting_id_meetings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_end_times")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_activity_end_times_meeting_id")),
    )


def downgrade() -> None:
    op.drop_table("activity_end_times")
    with op.batch_alter_table("quiz_polls") as batch:
        batch.drop_column("correct_voters")
        batch.drop_column("voters")
