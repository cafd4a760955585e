"""activity descriptions, meeting photos

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-01 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activity_descriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("edited_by", sa.Integer(), nullable=True),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["edited_by"], ["people.id"], name=op.f("fk_activity_descriptions_edited_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_activity_descriptions_meeting_id_meetings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_descriptions")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_activity_descriptions_meeting_id")),
    )
    op.create_table(
        "meeting_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.String(length=256), nullable=False),
        sa.Column("file_unique_id", sa.String(length=128), nullable=True),
        sa.Column("sent_by", sa.Integer(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_meeting_photos_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["sent_by"], ["people.id"], name=op.f("fk_meeting_photos_sent_by_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_photos")),
    )
    with op.batch_alter_table("meeting_photos", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_photos_meeting_id"), ["meeting_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting_photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_photos_meeting_id"))
    op.drop_table("meeting_photos")
    op.drop_table("activity_descriptions")
