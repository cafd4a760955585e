"""areas: the administrative tree, coordinators' assignments, and each group's desa

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 02:30:00

`areas` holds the Ministry of Home Affairs' codes (filled by `p2k2 areas import`, not here:
the list changes by decree, and an update must be a command, not a migration). Coordinators
were one role with no area; each existing coordinator now gets one assignment with no area,
the whole deployment, so nothing changes for a deployment that sets no areas.
The tables are written out here (no storage.models import), as they are at this revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "areas",
        sa.Column("code", sa.String(length=13), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("parent_code", sa.String(length=13), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_areas")),
    )
    op.create_index(op.f("ix_areas_level"), "areas", ["level"], unique=False)
    op.create_index(op.f("ix_areas_parent_code"), "areas", ["parent_code"], unique=False)
    assignments = op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("korkab", "korwil", name="assignmentrole", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("area_code", sa.String(length=13), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_assignments_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint(
            "person_id", "role", "area_code", name=op.f("uq_assignments_person_id")
        ),
    )
    op.create_index(op.f("ix_assignments_person_id"), "assignments", ["person_id"], unique=False)
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("area_code", sa.String(length=13), nullable=True))
        batch_op.create_index(batch_op.f("ix_groups_area_code"), ["area_code"], unique=False)
    people = sa.table("people", sa.column("id", sa.Integer), sa.column("staff_role", sa.String))
    op.execute(
        assignments.insert().from_select(
            ["person_id", "role", "area_code"],
            sa.select(people.c.id, sa.literal("korwil"), sa.null()).where(
                people.c.staff_role == "coordinator"
            ),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_groups_area_code"))
        batch_op.drop_column("area_code")
    op.drop_index(op.f("ix_assignments_person_id"), table_name="assignments")
    op.drop_table("assignments")
    op.drop_index(op.f("ix_areas_parent_code"), table_name="areas")
    op.drop_index(op.f("ix_areas_level"), table_name="areas")
    op.drop_table("areas")
