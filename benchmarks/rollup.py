"""Roll-up by area on PostgreSQL: a province (3,400 groups, about 100,000 members) and the
country (330,000 groups, about 10 million members), six months each.

The database is seeded in SQL (INSERT ... SELECT over generate_series), so seeding the country
takes minutes, not hours: every group is placed in a desa of one of 27 kabupaten/kota of its
province, eight kecamatan each; every month each group meets once, 80% of its members present;
seven groups in ten have a meeting the chair confirmed, two an answer still awaited; a third
of the groups have a complaint (half of them open, some protected). Then the roll-up of the
last month (storage/reports/rollup.collect_rollup, the same call /laporan makes) is timed for
a Korkab (one kabupaten/kota: by kecamatan and by pendamping), a Korwil (the province: by
kabupaten/kota) and, on the country, the whole deployment (by province). The resident memory
is this process's peak: the roll-up runs in it as it does in the bot.

Targets (issue 20): a province under 1 s, the country under 5 s, memory under 500 MB.
--quick seeds a tenth of the country."""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from benchmarks.common import Options, Result, fresh_database, log, median, not_measured
from storage.actors import Actor
from storage.db import create_engine, session_factory
from storage.models import StaffRole
from storage.reports.rollup import collect_rollup

BENCH = "rollup"
NOW = datetime(2026, 12, 20, 5, 0, tzinfo=UTC)
FIRST = datetime(2026, 7, 1, tzinfo=UTC)
MONTHS = 6
MONTH = 202612  # the month rolled up, the last one seeded
SLA = timedelta(days=3)
REGENCIES, DISTRICTS, VILLAGES = 27, 8, 3  # per province, per kabupaten/kota, per kecamatan
GROUPS_PER_FACILITATOR = 15
REPEAT = 3


@dataclass(frozen=True)
class Size:
    label: str
    provinces: int
    groups: int
    members_per_group: int
    target: float  # seconds, for the widest roll-up of this size


def sizes(options: Options) -> tuple[Size, ...]:
    province = Size("province", 1, 3_400, 29, 1.0)
    country = Size("country", 38, 330_000, 30, 5.0)
    if options.quick:
        country = Size("country (a tenth)", 38, 33_000, 30, 5.0)
    return (province, country)


# Each group's place from its number: its province by blocks, then kabupaten/kota, kecamatan
# and desa in turn, as dotted Kepmendagri codes ("32.05.03.1002").
PLACE = """
    lpad((11 + (g - 1) / :per_province)::text, 2, '0')
    || '.' || lpad((((g - 1) % :per_province) % :regencies + 1)::text, 2, '0')
    || '.' || lpad(((((g - 1) % :per_province) / :regencies) % :districts + 1)::text, 2, '0')
    || '.' || (1001 + (((g - 1) % :per_province) / (:regencies * :districts)) % :villages)
"""


def _inline(statement: str, numbers: dict[str, int]) -> str:
    """Our own whole numbers written into the SQL: asyncpg cannot type `$1 * $2` alone."""
    for name in sorted(numbers, key=len, reverse=True):
        statement = statement.replace(f":{name}", str(int(numbers[name])))
    return statement


async def seed(engine: AsyncEngine, size: Size) -> None:
    per_province = size.groups // size.provinces
    groups = per_province * size.provinces
    members = size.members_per_group
    facilitators = (groups + GROUPS_PER_FACILITATOR - 1) // GROUPS_PER_FACILITATOR
    params = {
        "groups": groups,
        "per_province": per_province,
        "regencies": REGENCIES,
        "districts": DISTRICTS,
        "villages": VILLAGES,
        "members": members,
        "facilitators": facilitators,
        "per_facilitator": GROUPS_PER_FACILITATOR,
        "provinces": size.provinces,
        "months": MONTHS,
    }
    numbers, times = params, {"first": FIRST, "now": NOW}
    statements = [
        # The areas the roll-up names: provinces, kabupaten/kota, kecamatan.
        """INSERT INTO areas (code, name, level, parent_code)
           SELECT lpad((11 + p)::text, 2, '0'), 'Provinsi ' || (11 + p), 1, NULL
           FROM generate_series(0, :provinces - 1) p""",
        """INSERT INTO areas (code, name, level, parent_code)
           SELECT lpad((11 + p)::text, 2, '0') || '.' || lpad(r::text, 2, '0'),
                  'Kabupaten ' || (11 + p) || '.' || r, 2, lpad((11 + p)::text, 2, '0')
           FROM generate_series(0, :provinces - 1) p, generate_series(1, :regencies) r""",
        """INSERT INTO areas (code, name, level, parent_code)
           SELECT lpad((11 + p)::text, 2, '0') || '.' || lpad(r::text, 2, '0') || '.'
                  || lpad(d::text, 2, '0'),
                  'Kecamatan ' || (11 + p) || '.' || r || '.' || d, 3,
                  lpad((11 + p)::text, 2, '0') || '.' || lpad(r::text, 2, '0')
           FROM generate_series(0, :provinces - 1) p, generate_series(1, :regencies) r,
                generate_series(1, :districts) d""",
        """INSERT INTO people (id, name, staff_role, active, private_chat_open,
                               private_reminders, created_at)
           SELECT f, 'Pendamping ' || f, 'facilitator', true, true, true, :now
           FROM generate_series(1, :facilitators) f""",
        f"""INSERT INTO groups (id, code, name, area_code, timezone, facilitator_id, active,
                               created_at)
           SELECT g, 'G' || g, 'Kelompok ' || g, {PLACE}, 'Asia/Jakarta',
                  (g - 1) / :per_facilitator + 1, true, :now
           FROM generate_series(1, :groups) g""",
        """INSERT INTO members (id, group_id, name, active, created_at)
           SELECT m, (m - 1) / :members + 1, 'Anggota ' || m, true, :now
           FROM generate_series(1, :groups * :members) m""",
        # One meeting a month per group, on a day between the 5th and the 24th.
        """INSERT INTO meetings (id, group_id, session_number, starts_at, duration_minutes,
                                 status, revision, created_at, updated_at)
           SELECT (g - 1) * :months + k + 1, g, k + 1,
                  (:first)::timestamptz
                  + make_interval(months => k, days => 4 + g % 20, hours => 2),
                  120, 'scheduled', 1, :now, :now
           FROM generate_series(1, :groups) g, generate_series(0, :months - 1) k""",
        """INSERT INTO attendance (meeting_id, member_id, status, source, recorded_at)
           SELECT t.id, m.id, CASE WHEN m.id % 10 < 8 THEN 'hadir' ELSE 'alfa' END,
                  'facilitator', t.starts_at
           FROM meetings t JOIN members m ON m.group_id = t.group_id""",
        """INSERT INTO confirmation_requests (meeting_id, group_id, chair_person_id, state,
                                              step, outcome, nudges, created_at)
           SELECT t.id, t.group_id, 1,
                  CASE WHEN t.group_id % 10 < 7 THEN 'answered' ELSE 'open' END,
                  CASE WHEN t.group_id % 10 < 7 THEN 'done' ELSE 'outcome' END,
                  CASE WHEN t.group_id % 10 < 7 THEN 'held' END, 0, t.starts_at
           FROM meetings t WHERE t.group_id % 10 < 9""",
        """INSERT INTO complaints (person_id, group_id, facilitator_id, category, status,
                                   discuss_anonymously, created_at, updated_at)
           SELECT 1, g, (g - 1) / :per_facilitator + 1,
                  CASE WHEN g % 4 = 0 THEN 'levy' ELSE 'other' END,
                  CASE WHEN g % 2 = 0 THEN 'new' ELSE 'resolved' END, false,
                  (:now)::timestamptz - make_interval(days => g % 10), :now
           FROM generate_series(1, :groups) g WHERE g % 3 = 0""",
    ]
    async with engine.begin() as connection:
        for statement in statements:
            started = time.monotonic()
            await connection.execute(text(_inline(statement, numbers)), times)
            log(
                f"rollup {size.label}: {statement.split()[2]} in {time.monotonic() - started:.0f} s"
            )
        for table in ("people", "groups", "members", "meetings"):
            await connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
                )
            )
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("ANALYZE"))


def coordinator(areas: frozenset[str] | None) -> Actor:
    return Actor(9_999_999, 0, "Koordinator", "id", StaffRole.COORDINATOR, areas=areas)


async def one_size(size: Size, options: Options) -> list[Result]:
    found: list[Result] = []
    async with fresh_database("postgresql", options, "rollup") as url:
        engine = create_engine(url)
        db = session_factory(engine)
        try:
            started = time.monotonic()
            await seed(engine, size)
            seeded = time.monotonic() - started
            members = size.groups * size.members_per_group
            note = (
                f"{size.groups:,} groups, {members:,} members, {MONTHS} months, "
                f"{size.groups * MONTHS * size.members_per_group:,} roll-call lines"
            )
            found.append(
                Result(
                    BENCH,
                    f"seeding the {size.label}",
                    "postgresql",
                    seeded,
                    "s",
                    "no target",
                    None,
                    "",
                    note,
                )
            )
            # The first province (code 11): its fifth kabupaten/kota, and the whole of it.
            who: list[tuple[str, frozenset[str] | None, float]] = [
                ("Korkab (a kabupaten/kota)", frozenset({"11.05"}), 1.0),
                ("Korwil (a province)", frozenset({"11"}), 1.0),
            ]
            if size.provinces > 1:
                who.append(("the whole deployment (by province)", None, size.target))
            for name, areas, target in who:
                actor = coordinator(areas)
                times = []
                for _ in range(REPEAT + 1):
                    begun = time.monotonic()
                    async with db.begin() as session:
                        rollup = await collect_rollup(session, actor, MONTH, NOW, SLA)
                    times.append(time.monotonic() - begun)
                took = median(times[1:])  # the first warms the caches
                total = rollup.total
                found.append(
                    Result(
                        BENCH,
                        f"{size.label}: roll-up for {name}",
                        "postgresql",
                        took * 1000,
                        "ms",
                        f"< {target:g} s",
                        took < target,
                        f"{took / target:.2f} of the limit",
                        f"median of {REPEAT} after one warm-up; {total.groups:,} groups, "
                        f"{len(rollup.levels[0].rows)} lines",
                    )
                )
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            found.append(
                Result(
                    BENCH,
                    f"{size.label}: resident memory (peak)",
                    "postgresql",
                    peak,
                    "MiB",
                    "< 500 MB",
                    peak * 1.048576 < 500,
                    f"{peak * 1.048576 / 500:.2f} of the limit",
                    "this process's peak (ru_maxrss): the roll-up runs in it as in the bot",
                )
            )
        finally:
            await engine.dispose()
    return found


async def run(options: Options) -> list[Result]:
    if "postgresql" not in options.engines:
        return [not_measured(BENCH, "roll-up", "postgresql", "< 1 s / < 5 s", "not asked for")]
    found: list[Result] = []
    for size in sizes(options):
        found += await one_size(size, options)
    return found
