"""personal data: erasure requests, housekeeping runs, erased people and purged complaints

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 02:30:00

Issue 21 (UU No. 27 Tahun 2022): a member may see and erase what the bot holds about her, and
complaint texts and attachments are deleted a while after closing. `people.erased_at` marks
an erased person, `complaints.purged_at` a ticket whose texts are gone, `erasure_requests`
waits for the facilitator's answer, `housekeeping_runs` keeps the daily job's last run.
The tables are written out here (no storage.models import), as they are at this revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(_when("erased_at", nullable=True))
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(_when("purged_at", nullable=True))
    op.create_table(
        "erasure_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending", "done", "refused", name="erasurestatus", native_enum=False, length=20
            ),
            nullable=False,
        ),
        _when("created_at", nullable=False),
        _when("decided_at", nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_erasure_requests_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_erasure_requests_group_id_groups")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["people.id"], name=op.f("fk_erasure_requests_decided_by_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_requests")),
    )
    with op.batch_alter_table("erasure_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_erasure_requests_person_id"), ["person_id"], unique=False
        )
    op.create_table(
        "housekeeping_runs",
        sa.Column("job", sa.String(length=32), nullable=False),
        _when("ran_at", nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("job", name=op.f("pk_housekeeping_runs")),
    )


def downgrade() -> None:
    op.drop_table("housekeeping_runs")
    with op.batch_alter_table("erasure_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_erasure_requests_person_id"))
    op.drop_table("erasure_requests")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_column("purged_at")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
