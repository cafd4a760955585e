"""A province or the whole country, written by the database itself: `p2k2 seed --scale`.

`devdata/seed.py` builds every row in Python, which is right for a city's worth of rich data
but would take hours and gigabytes for 10 million members. Here each table is one
`INSERT ... SELECT` over a series of numbers (PostgreSQL's generate_series, a recursive CTE
on SQLite), so the rows never pass through Python and memory stays flat; PostgreSQL writes
the country in minutes.

What it writes is what a roll-up reads: groups placed in real desa/kelurahan of the vendored
list of areas (loaded first if the database has none), a facilitator for every twenty groups
(consecutive groups share a kecamatan, since desa are taken in code order), a Korkab for every
kabupaten/kota and a Korwil for every province of the scale, members with their group's chair,
a meeting a month for each group with its roll call and attendance, the chair's confirmation
(one group in ten still owes the latest), an open complaint in one group in fifty, and, at the
end, each group's month in figures (storage/month_counts.rebuild), which the roll-up reads. Ids,
names and statuses follow from the row numbers, so a run is repeatable."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from devdata.seed import TIMEZONE, SeedError
from storage import month_counts
from storage.areas.importing import VENDORED, import_areas, read_rows
from storage.db import session_factory
from storage.models import Area, Base, Group

GROUPS_PER_FACILITATOR = 20
CHUNK = 10_000  # groups per statement: keeps each transaction's size moderate
FACILITATOR_IDS = 950_000_000
KORKAB_IDS = 960_000_000
KORWIL_IDS = 970_000_000


@dataclass(frozen=True)
class Scale:
    groups: int
    members: int  # in all
    months: int
    province: str | None  # None: every province


SCALES = {
    # Jawa Barat, the province: 3,400 groups, 100,000 members, six months.
    "province": Scale(groups=3_400, members=100_000, months=6, province="32"),
    # Indonesia: 330,000 groups, 10 million members.
    "country": Scale(groups=330_000, members=10_000_000, months=6, province=None),
}


def _series(dialect: str, n: int) -> str:
    """A CTE `s(i)` of 0 .. n - 1. Numbers are written into the SQL (they are ours, never
    typed by anyone), which spares PostgreSQL guessing the type of `$1 + $2`."""
    if dialect == "postgresql":
        return f"s(i) AS (SELECT generate_series(0, {int(n) - 1}::bigint))"
    return f"RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < {int(n)})"


def _plus_days(dialect: str, base: str, days: str) -> str:
    """A UTC timestamp `days` after the bound `base`, as each engine stores the column."""
    if dialect == "postgresql":
        return f"(CAST({base} AS timestamptz) + ({days}) * interval '1 day')"
    return f"(datetime({base}, '+' || ({days}) || ' days') || '.000000')"


def _month_start(now: datetime, months_ago: int) -> datetime:
    """The third of the month, 09.00 local time (WIB), in UTC: meetings fall on the 3rd-24th."""
    local = now.astimezone(ZoneInfo(TIMEZONE))
    year, month = local.year, local.month - months_ago
    while month < 1:
        month += 12
        year -= 1
    return datetime(year, month, 3, 9, 0, tzinfo=ZoneInfo(TIMEZONE)).astimezone(UTC)


def _stamp(dialect: str, moment: datetime) -> datetime | str:
    """A bind value for `_plus_days`: a timestamp for asyncpg, SQLite's text for SQLite."""
    utc = moment.astimezone(UTC)
    if dialect == "postgresql":
        return utc
    return utc.strftime("%Y-%m-%d %H:%M:%S")


COUNTED = (
    "people",
    "assignments",
    "groups",
    "members",
    "meetings",
    "roll_calls",
    "attendance",
    "confirmation_requests",
    "complaints",
)


async def _counts(engine: AsyncEngine) -> Counter[str]:
    """Rows per table (SQLite reports no row count for `WITH ... INSERT`)."""
    counts: Counter[str] = Counter()
    async with engine.connect() as connection:
        for table in COUNTED:
            found = await connection.scalar(
                select(func.count()).select_from(Base.metadata.tables[table])
            )
            counts[table] = int(found or 0)
    return counts


async def _next_id(connection: AsyncConnection, table: str) -> int:
    current = await connection.scalar(select(func.max(Base.metadata.tables[table].c.id)))
    return int(current or 0) + 1


async def seed_scale(engine: AsyncEngine, scale: Scale, now: datetime) -> Counter[str]:
    """Write `scale` into a migrated database that has no groups yet; returns rows per table."""
    if scale.groups < 1 or scale.members < scale.groups or scale.months < 1:
        raise SeedError("a scale needs at least one group, a member per group and one month")
    db = session_factory(engine)
    async with db.begin() as session:
        if await session.scalar(select(func.count()).select_from(Group)):
            raise SeedError("this database has groups already; seed a fresh one")
        loaded = await session.scalar(select(func.count()).select_from(Area))
    if not loaded:
        await import_areas(db, read_rows(VENDORED.read_bytes()))
    dialect = engine.dialect.name
    before = await _counts(engine)
    prefix = f"{scale.province}.%" if scale.province else "%"
    at = _stamp(dialect, _month_start(now, scale.months + 1))
    created = _plus_days(dialect, ":at", "0")
    g_all, m_all = scale.groups, scale.members
    async with engine.begin() as connection:
        desa = int(
            await connection.scalar(
                text("SELECT count(*) FROM areas WHERE level = 4 AND code LIKE :p"),
                {"p": prefix},
            )
            or 0
        )
        if not desa:
            raise SeedError(f"no desa/kelurahan in the list of areas for {scale.province}")
        people = await _next_id(connection, "people")
        facilitators = -(-g_all // GROUPS_PER_FACILITATOR)
        # Pendamping: one for every twenty consecutive groups.
        await connection.execute(
            text(
                f"WITH {_series(dialect, facilitators)} INSERT INTO people (id, "
                "telegram_user_id, name, language, staff_role, active, private_chat_open, "
                f"private_reminders, created_at) SELECT {people} + i, {FACILITATOR_IDS} + i, "
                f"'Pendamping ' || (i + 1), 'id', 'facilitator', true, true, true, {created} "
                "FROM s"
            ),
            {"at": at},
        )
        # A Korkab for each kabupaten/kota and a Korwil for each province of the scale.
        for level, role, offset in ((2, "korkab", KORKAB_IDS), (1, "korwil", KORWIL_IDS)):
            first = await _next_id(connection, "people")
            numbered = (
                "SELECT code, name, row_number() OVER (ORDER BY code) - 1 AS k FROM areas "
                f"WHERE level = {level} AND (code = :province OR code LIKE :p)"
            )
            scope = {"province": scale.province or "", "p": prefix}
            await connection.execute(
                text(
                    "INSERT INTO people (id, telegram_user_id, name, language, staff_role, "
                    "active, private_chat_open, private_reminders, created_at) "
                    f"SELECT {first} + k, {offset} + k, CAST(:title AS TEXT) || name, 'id', "
                    f"'coordinator', true, true, true, {created} FROM ({numbered}) a"
                ),
                {**scope, "title": f"{role.capitalize()} ", "at": at},
            )
            await connection.execute(
                text(
                    "INSERT INTO assignments (person_id, role, area_code) "
                    f"SELECT {first} + k, :role, code FROM ({numbered}) a"
                ),
                {**scope, "role": role},
            )
        chairs = await _next_id(connection, "people")
        groups = await _next_id(connection, "groups")
        members = await _next_id(connection, "members")
    # Groups (in chunks), each in desa number i modulo the desa of the scale.
    for start in range(0, g_all, CHUNK):
        count = min(CHUNK, g_all - start)
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    f"WITH {_series(dialect, count)}, d AS (SELECT code, name, "
                    "row_number() OVER (ORDER BY code) - 1 AS k FROM areas "
                    "WHERE level = 4 AND code LIKE :p) "
                    "INSERT INTO groups (id, code, name, village, area_code, venue, timezone, "
                    "facilitator_id, active, join_check, created_at) "
                    f"SELECT {groups + start} + i, 'B' || ({start} + i), "
                    f"'Kelompok ' || ({start + 1} + i), d.name, d.code, 'Rumah ketua', "
                    f"'{TIMEZONE}', {people} + ({start} + i) / {GROUPS_PER_FACILITATOR}, true, "
                    f"'digits', {created} FROM s JOIN d ON d.k = ({start} + i) % {desa}"
                ),
                {"p": prefix, "at": at},
            )
    # Members in chunks: member j belongs to group j * G / M, so the first member of group g
    # is number ceil(g * M / G); she is its chair and has a person (confirmations name her).
    per_chunk = -(-m_all * CHUNK // g_all)
    for start in range(0, m_all, per_chunk):
        count = min(per_chunk, m_all - start)
        j = f"({start} + i)"
        group_of = f"({j} * {g_all} / {m_all})"
        first_of_group = f"(({group_of} * {m_all} + {g_all - 1}) / {g_all} = {j})"
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    f"WITH {_series(dialect, count)} INSERT INTO people (id, name, active, "
                    "private_chat_open, private_reminders, created_at) "
                    f"SELECT {chairs} + {group_of}, 'Ketua ' || ({j} + 1), true, false, true, "
                    f"{created} FROM s WHERE {first_of_group}"
                ),
                {"at": at},
            )
            await connection.execute(
                text(
                    f"WITH {_series(dialect, count)} INSERT INTO members (id, group_id, name, "
                    "programme_id, person_id, active, created_at) "
                    f"SELECT {members} + {j}, {groups} + {group_of}, 'Anggota ' || ({j} + 1), "
                    f"'32' || (1000000000000 + {j}), "
                    f"CASE WHEN {first_of_group} THEN {chairs} + {group_of} END, "
                    f"true, {created} FROM s"
                ),
                {"at": at},
            )
    async with engine.begin() as connection:
        await connection.execute(
            text(
                f"UPDATE groups SET chair_member_id = {members} + "
                f"(CAST(id - {groups} AS BIGINT) * {m_all} + {g_all - 1}) / {g_all} "
                f"WHERE id >= {groups}"
            )
        )
    for months_ago in range(scale.months, 0, -1):
        await _month(engine, dialect, scale, months_ago, now, groups)
    async with db.begin() as session:
        # Written around the use cases: each group's month in figures counted once, at the end.
        await month_counts.rebuild(session)
    async with engine.begin() as connection:
        if dialect == "postgresql":
            for table in ("people", "groups", "members", "meetings"):
                await connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                    )
                )
    if dialect == "postgresql":
        async with engine.connect() as connection:
            # Fresh statistics, so the roll-up's first query plans for millions of rows.
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("ANALYZE"))
    after = await _counts(engine)
    return Counter({table: after[table] - before[table] for table in COUNTED})


async def _month(
    engine: AsyncEngine,
    dialect: str,
    scale: Scale,
    months_ago: int,
    now: datetime,
    groups: int,
) -> None:
    """A meeting for every group in this month (held on the 3rd-24th, its roll call and
    attendance taken, the chair's confirmation answered except in one group in ten for the
    latest month) and an open complaint in one group in fifty."""
    base = _stamp(dialect, _month_start(now, months_ago))
    starts = _plus_days(dialect, ":base", "i % 22")
    owed = "t.group_id % 10 = 0" if months_ago == 1 else "1 = 0"
    for start in range(0, scale.groups, CHUNK):
        count = min(CHUNK, scale.groups - start)
        async with engine.begin() as connection:
            first = await _next_id(connection, "meetings")
            await connection.execute(
                text(
                    f"WITH {_series(dialect, count)} INSERT INTO meetings (id, group_id, "
                    "session_number, starts_at, duration_minutes, venue, status, revision, "
                    "created_by, created_at, updated_at) "
                    f"SELECT {first} + i, g.id, 1 + ({months_ago} + i) % 14, {starts}, 120, "
                    f"'Rumah ketua', 'scheduled', 1, g.facilitator_id, {starts}, {starts} "
                    f"FROM s JOIN groups g ON g.id = {groups + start} + i"
                ),
                {"base": base},
            )
            window = f"t.id BETWEEN {first} AND {first + count - 1}"
            chair = (
                "FROM meetings t JOIN groups g ON g.id = t.group_id "
                f"JOIN members m ON m.id = g.chair_member_id WHERE {window}"
            )
            await connection.execute(
                text(
                    "INSERT INTO roll_calls (meeting_id, saved_by, saved_at) "
                    f"SELECT t.id, m.person_id, t.starts_at {chair}"
                )
            )
            # Three in four present, then excused, sick and absent, by the row numbers.
            await connection.execute(
                text(
                    "INSERT INTO attendance (meeting_id, member_id, status, source, recorded_by, "
                    "recorded_at) SELECT t.id, m.id, CASE WHEN (m.id + t.id) % 20 < 15 THEN "
                    "'hadir' WHEN (m.id + t.id) % 20 < 17 THEN 'izin' "
                    "WHEN (m.id + t.id) % 20 < 18 THEN 'sakit' ELSE 'alfa' END, 'chair', "
                    "NULL, t.starts_at FROM meetings t JOIN members m ON m.group_id = t.group_id "
                    f"WHERE {window}"
                )
            )
            present = (
                "(SELECT count(*) FROM attendance a WHERE a.meeting_id = t.id "
                "AND a.status = 'hadir')"
            )
            await connection.execute(
                text(
                    "INSERT INTO confirmation_requests (meeting_id, group_id, chair_person_id, "
                    "requested_by, state, step, outcome, attendees, info_passed, nudges, "
                    "created_at, sent_at, answered_at) "
                    "SELECT t.id, t.group_id, m.person_id, g.facilitator_id, "
                    f"CASE WHEN {owed} THEN 'open' ELSE 'answered' END, "
                    f"CASE WHEN {owed} THEN 'outcome' ELSE 'done' END, "
                    f"CASE WHEN {owed} THEN NULL ELSE 'held' END, "
                    f"CASE WHEN {owed} THEN NULL ELSE {present} END, "
                    f"CASE WHEN {owed} THEN NULL ELSE true END, 0, t.starts_at, t.starts_at, "
                    f"CASE WHEN {owed} THEN NULL ELSE t.starts_at END {chair}"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO complaints (person_id, member_id, group_id, facilitator_id, "
                    "category, status, discuss_anonymously, created_at, updated_at) "
                    "SELECT m.person_id, m.id, g.id, g.facilitator_id, "
                    "CASE WHEN t.id % 7 = 0 THEN 'about_staff' ELSE 'aid' END, 'new', false, "
                    f"t.starts_at, t.starts_at {chair} AND (t.group_id * 7 + {months_ago}) % 50 = 0"
                )
            )
