"""joining is confirmed: join requests, attempts, and each group's way of confirming

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 00:00:00

Whoever held a member link could type a roster name and become that member. A join now waits
in `join_requests` until the last digits of the line's number, the chair or the facilitator
confirm it; `join_attempts` counts searches and wrong digits so guessing stops at a limit;
`groups.join_check` is the facilitator's choice of how a group's joins are confirmed.
The tables are written out here (no storage.models import), as they are at this revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def _when(name: str, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "join_check",
                _enum("joincheck", "digits", "person"),
                server_default="digits",
                nullable=False,
            )
        )
    op.create_table(
        "join_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("invite_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("typed_name", sa.String(length=200), nullable=True),
        sa.Column("as_chair", sa.Boolean(), nullable=False),
        sa.Column("way", _enum("joinway", "digits", "person", "add"), nullable=False),
        sa.Column(
            "status",
            _enum("joinstatus", "pending", "confirmed", "refused", "cancelled"),
            nullable=False,
        ),
        _when("created_at", nullable=False),
        _when("decided_at", nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_join_requests_group_id_groups")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_join_requests_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["invite_id"], ["invites.id"], name=op.f("fk_join_requests_invite_id_invites")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_join_requests_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["people.id"], name=op.f("fk_join_requests_decided_by_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_join_requests")),
    )
    op.create_index(
        "ix_join_requests_group_status", "join_requests", ["group_id", "status"], unique=False
    )
    op.create_index(
        op.f("ix_join_requests_person_id"), "join_requests", ["person_id"], unique=False
    )
    op.create_table(
        "join_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("attemptkind", "search", "digits", "request"), nullable=False),
        _when("at", nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_join_attempts_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_join_attempts")),
    )
    op.create_index("ix_join_attempts_person_at", "join_attempts", ["person_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_join_attempts_person_at", table_name="join_attempts")
    op.drop_table("join_attempts")
    op.drop_index(op.f("ix_join_requests_person_id"), table_name="join_requests")
    op.drop_index("ix_join_requests_group_status", table_name="join_requests")
    op.drop_table("join_requests")
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_column("join_check")
