"""report month counts: each group's month in figures, for the roll-up by area

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 08:00:00

The roll-up of a coordinator's area added up, at every /laporan, the roll-call lines and
rosters of every group in it: 1.6 s for a tenth of the country on PostgreSQL. Each group's
month is now counted once, in the transaction that changes it
(storage/month_counts.py), into `report_month_counts`; this migration counts the months
already recorded, a month and a time zone at a time (the month a meeting falls in is its
group's local month). The counting is written out here as it is at this revision (no
storage import). On PostgreSQL the index on groups.area_code becomes one with the pattern
operator class, so "everything inside 32.79" (LIKE '32.79.%') can use it.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    "group_id",
    "month",
    "meetings",
    "confirmed",
    "roll_calls",
    "hadir",
    "roster",
    "confirmations_open",
)
STAMP = sa.DateTime(timezone=True)
groups = sa.table("groups", sa.column("id"), sa.column("timezone"))
meetings = sa.table(
    "meetings",
    sa.column("id"),
    sa.column("group_id"),
    sa.column("starts_at", STAMP),
    sa.column("status"),
)
members = sa.table("members", sa.column("id"), sa.column("group_id"), sa.column("active"))
attendance = sa.table(
    "attendance", sa.column("meeting_id"), sa.column("member_id"), sa.column("status")
)
requests = sa.table(
    "confirmation_requests",
    sa.column("id"),
    sa.column("meeting_id"),
    sa.column("state"),
    sa.column("outcome"),
)


def _bounds(month: int, zone: str) -> tuple[datetime, datetime]:
    year, number = divmod(month, 100)
    following = date(year + number // 12, number % 12 + 1, 1)

    def start(day: date) -> datetime:
        return datetime.combine(day, time(0, 0), ZoneInfo(zone)).astimezone(UTC)

    return start(date(year, number, 1)), start(following)


def _next(month: int) -> int:
    year, number = divmod(month, 100)
    return year * 100 + number + 1 if number < 12 else (year + 1) * 100 + 1


def _month_of(moment: datetime, zone: str) -> int:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(ZoneInfo(zone))
    return local.year * 100 + local.month


def _figures(zone: str, month: int) -> sa.Select[Any]:
    lo, hi = _bounds(month, zone)
    held = sa.and_(
        meetings.c.starts_at >= lo,
        meetings.c.starts_at < hi,
        meetings.c.status != "cancelled",
        groups.c.timezone == zone,
    )
    chosen = (
        sa.select(meetings.c.id.label("id"), meetings.c.group_id.label("group_id"))
        .join(groups, groups.c.id == meetings.c.group_id)
        .where(held)
        .cte("month_meetings")
    )
    answered = (
        sa.select(
            requests.c.meeting_id.label("meeting_id"),
            sa.func.max(requests.c.id).label("request_id"),
        )
        .join(chosen, chosen.c.id == requests.c.meeting_id)
        .where(requests.c.state == "answered")
        .group_by(requests.c.meeting_id)
        .subquery("answered")
    )
    waiting = (
        sa.select(requests.c.meeting_id.label("meeting_id"))
        .join(chosen, chosen.c.id == requests.c.meeting_id)
        .where(requests.c.state == "open")
        .distinct()
        .subquery("waiting")
    )
    lines = (
        sa.select(
            attendance.c.meeting_id.label("meeting_id"),
            sa.func.sum(sa.case((attendance.c.status == "hadir", 1), else_=0)).label("hadir"),
            sa.func.sum(sa.case((members.c.active.is_(False), 1), else_=0)).label("departed"),
        )
        .join(chosen, chosen.c.id == attendance.c.meeting_id)
        .join(members, members.c.id == attendance.c.member_id)
        .group_by(attendance.c.meeting_id)
        .subquery("lines")
    )
    rosters = (
        sa.select(members.c.group_id.label("group_id"), sa.func.count(members.c.id).label("n"))
        .where(members.c.active.is_(True), members.c.group_id.in_(sa.select(chosen.c.group_id)))
        .group_by(members.c.group_id)
        .subquery("rosters")
    )
    last = requests.alias("last_answer")
    answered_at_all = answered.c.request_id.is_not(None)
    held_answer = sa.or_(last.c.outcome.is_(None), last.c.outcome == "held")
    confirmed = sa.and_(answered_at_all, held_answer)
    with_roll_call = sa.and_(
        lines.c.meeting_id.is_not(None),
        sa.or_(~answered_at_all, last.c.outcome.is_(None), last.c.outcome == "held"),
    )

    def count(when: Any, value: Any = 1) -> Any:
        return sa.func.coalesce(sa.func.sum(sa.case((when, value), else_=0)), 0)

    return (
        sa.select(
            chosen.c.group_id,
            sa.literal(month, sa.Integer),
            sa.func.count(chosen.c.id),
            count(confirmed),
            count(with_roll_call),
            count(with_roll_call, lines.c.hadir),
            count(with_roll_call, sa.func.coalesce(rosters.c.n, 0) + lines.c.departed),
            count(sa.and_(waiting.c.meeting_id.is_not(None), ~answered_at_all)),
        )
        .select_from(chosen)
        .outerjoin(answered, answered.c.meeting_id == chosen.c.id)
        .outerjoin(last, last.c.id == answered.c.request_id)
        .outerjoin(waiting, waiting.c.meeting_id == chosen.c.id)
        .outerjoin(lines, lines.c.meeting_id == chosen.c.id)
        .outerjoin(rosters, rosters.c.group_id == chosen.c.group_id)
        .group_by(chosen.c.group_id)
    )


def _backfill(counts: sa.Table) -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        # Compiling these joins (JIT) took most of a month's count in a province.
        connection.execute(sa.text("SET LOCAL jit = off"))
    zones = connection.execute(sa.select(groups.c.timezone).distinct()).scalars().all()
    for zone in zones:
        first, last = connection.execute(
            sa.select(sa.func.min(meetings.c.starts_at), sa.func.max(meetings.c.starts_at))
            .join(groups, groups.c.id == meetings.c.group_id)
            .where(groups.c.timezone == zone, meetings.c.status != "cancelled")
        ).one()
        if first is None or last is None:
            continue
        month, end = _month_of(first, zone), _month_of(last, zone)
        while month <= end:
            connection.execute(sa.insert(counts).from_select(COLUMNS, _figures(zone, month)))
            month = _next(month)


def upgrade() -> None:
    counts = op.create_table(
        "report_month_counts",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("meetings", sa.Integer(), nullable=False),
        sa.Column("confirmed", sa.Integer(), nullable=False),
        sa.Column("roll_calls", sa.Integer(), nullable=False),
        sa.Column("hadir", sa.Integer(), nullable=False),
        sa.Column("roster", sa.Integer(), nullable=False),
        sa.Column("confirmations_open", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_report_month_counts_group_id_groups")
        ),
        sa.PrimaryKeyConstraint("group_id", "month", name=op.f("pk_report_month_counts")),
    )
    op.create_index(
        op.f("ix_report_month_counts_month"), "report_month_counts", ["month"], unique=False
    )
    _backfill(counts)
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_groups_area_code", table_name="groups")
        op.create_index(
            "ix_groups_area_code",
            "groups",
            ["area_code"],
            unique=False,
            postgresql_ops={"area_code": "varchar_pattern_ops"},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_groups_area_code", table_name="groups")
        op.create_index("ix_groups_area_code", "groups", ["area_code"], unique=False)
    op.drop_index(op.f("ix_report_month_counts_month"), table_name="report_month_counts")
    op.drop_table("report_month_counts")
