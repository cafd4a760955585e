"""Roll-ups by area: a province and the country, six months each, on `p2k2 seed --scale`.

The data is what `p2k2 seed --scale province|country` writes (devdata/areas.py, in SQL): groups
placed in real desa, a pendamping per twenty groups, a Korkab per kabupaten/kota and a Korwil
per province, members with their chair, six months of meetings with roll calls and attendance,
the chairs' confirmations (one group in ten still owes the latest) and open complaints, then
counts each group's months into report_month_counts (storage/month_counts.rebuild): the
seeding time includes that count, which the bot otherwise keeps as the rows change.

Timed: the month's roll-up a coordinator's `/laporan`, `/ekspor` and `/grafik` read
(storage/reports/rollup.month_rollup, one transaction), for a Korkab (her kabupaten/kota by
kecamatan and by pendamping), the Korwil of the province (by kabupaten/kota) and, on the
country, a coordinator of the whole deployment (by province). It runs in a fresh process of
the bot's code, which also reports its peak resident memory.

The province runs on both databases. The country's 60 million roll-call lines take about an
hour to seed on this machine, longer than the whole benchmark run: `make bench` seeds a tenth
of it (33,000 groups, a million members) and reports that figure against the country's target
as a lower bound (a pass there proves nothing about the whole country; a miss is a miss).
`P2K2_BENCH_WHOLE_COUNTRY=1` seeds the whole country instead."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from benchmarks.common import (
    Options,
    Result,
    fresh_database,
    log,
    median,
    not_measured,
    postgres_available,
)
from devdata.areas import SCALES, Scale, seed_scale
from storage.actors import cover_whole_deployment, load_actor
from storage.db import create_engine, session_factory
from storage.models import Assignment, AssignmentRole, Person, StaffRole
from storage.reports.months import current_month
from storage.reports.rollup import month_rollup
from timekeeping.months import shift_month

BENCH = "rollup"
REPEAT = 4  # the first warms the caches; the median of the rest is the figure
SLA = timedelta(days=3)
LIMITS = {"province": 1.0, "country": 5.0}  # seconds, on PostgreSQL (issue 20)
RSS_LIMIT_MIB = 500
WHOLE_COUNTRY = "P2K2_BENCH_WHOLE_COUNTRY"  # set: seed all 330,000 groups, not a tenth


async def _people(url: str, whole: bool) -> dict[str, int]:
    """Who is timed: a Korkab and the Korwil the seed made, or a coordinator of everything."""
    engine = create_engine(url)
    db = session_factory(engine)
    try:
        async with db.begin() as session:
            if whole:
                person = Person(
                    name="Koordinator PKH nasional",
                    language="id",
                    staff_role=StaffRole.COORDINATOR,
                    telegram_user_id=990_000_001,
                    active=True,
                )
                session.add(person)
                await session.flush()
                await cover_whole_deployment(session, person.id)
                return {"a coordinator of the whole deployment": person.id}
            found = {}
            for role, who in (
                (AssignmentRole.KORKAB, "a Korkab"),
                (AssignmentRole.KORWIL, "the Korwil"),
            ):
                person_id = await session.scalar(
                    select(Assignment.person_id)
                    .where(Assignment.role == role)
                    .order_by(Assignment.area_code)
                    .limit(1)
                )
                if person_id is not None:
                    found[who] = person_id
            return found
    finally:
        await engine.dispose()


async def _probe(url: str, person_id: int) -> dict[str, float]:
    """In a fresh process: load the coordinator, roll her month up REPEAT times."""
    engine = create_engine(url)
    db = session_factory(engine)
    now = datetime.now(UTC)
    try:
        async with db.begin() as session:
            actor = await load_actor(session, await session.get_one(Person, person_id), "id")
        # The last month seeded (the seed writes the months before this one): a month with
        # its meetings, roll calls, confirmations and complaints to count.
        month = shift_month(current_month(now), -1)
        times, lines = [], 0
        for _ in range(REPEAT):
            started = time.perf_counter()
            rollup = await month_rollup(db, actor, month, now, SLA)
            times.append(time.perf_counter() - started)
            lines = sum(len(level.rows) for level in rollup.levels)
            total = rollup.total
    finally:
        await engine.dispose()
    return {
        "first": times[0],
        "median": median(times[1:]),
        "lines": lines,
        "groups": total.groups,
        "confirmed": total.confirmed,
        "roster": total.roster,
        "month": month,
        "rss": _peak_rss_mib(),
    }


def _peak_rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def _in_a_fresh_process(url: str, person_id: int) -> dict[str, float]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "benchmarks.rollup",
        url,
        str(person_id),
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"the roll-up probe failed with exit code {process.returncode}")
    found: dict[str, float] = json.loads(out.decode().strip().splitlines()[-1])
    return found


async def _measure(
    label: str, limit: float, scale: Scale, database: str, options: Options, bound: bool
) -> list[Result]:
    async with fresh_database(database, options, "rollup") as url:
        engine = create_engine(url)
        started = time.perf_counter()
        try:
            counts = await seed_scale(engine, scale, datetime.now(UTC))
        finally:
            await engine.dispose()
        seeded = time.perf_counter() - started
        log(f"rollup: {label} on {database} seeded in {seeded:.0f} s")
        size = (
            f"{counts['groups']:,} groups, {counts['members']:,} members, "
            f"{counts['attendance']:,} roll-call lines, seeded in {seeded:.0f} s"
        )
        results = []
        peak = 0.0
        for who, person_id in (await _people(url, scale.province is None)).items():
            figures = await _in_a_fresh_process(url, person_id)
            peak = max(peak, figures["rss"])
            took = figures["median"]
            on_target = database == "postgresql"
            passed = (took < limit if not bound or took >= limit else None) if on_target else None
            results.append(
                Result(
                    BENCH,
                    f"{label}: month rolled up for {who}",
                    database,
                    took * 1000,
                    "ms",
                    f"< {limit:g} s" + ("" if on_target else " (on PostgreSQL)"),
                    passed,
                    f"{took / limit:.2f} of the limit",
                    f"median of {REPEAT - 1} after a first of {figures['first'] * 1000:.0f} ms; "
                    f"month {figures['month']:.0f}: {figures['groups']:,.0f} groups "
                    f"({figures['confirmed']:,.0f} confirmed, {figures['roster']:,.0f} on the "
                    f"roll calls) on {figures['lines']:,.0f} lines; {size}",
                )
            )
        results.append(
            Result(
                BENCH,
                f"{label}: peak resident memory of the process that rolled it up",
                database,
                peak,
                "MiB",
                f"< {RSS_LIMIT_MIB} MiB",
                peak < RSS_LIMIT_MIB,
                f"{peak / RSS_LIMIT_MIB:.2f} of the limit",
                "a fresh process with the bot's code: imports, the coordinator, the roll-ups",
            )
        )
        return results


def _plans(options: Options) -> list[tuple[str, float, Scale, str, bool]]:
    province, country = SCALES["province"], SCALES["country"]
    if options.quick:
        province = Scale(province.groups // 10, province.members // 10, 2, province.province)
        country = Scale(country.groups // 1000, country.members // 1000, 2, None)
    plans = [("province", LIMITS["province"], province, db, False) for db in options.engines]
    if "postgresql" in options.engines:
        if os.environ.get(WHOLE_COUNTRY):
            plans.append(("country", LIMITS["country"], country, "postgresql", False))
        else:
            tenth = Scale(country.groups // 10, country.members // 10, country.months, None)
            plans.append(("country, a tenth", LIMITS["country"], tenth, "postgresql", True))
    return plans


async def run(options: Options) -> list[Result]:
    results: list[Result] = []
    for label, limit, scale, database, bound in _plans(options):
        if database == "postgresql" and not await postgres_available(options):
            results.append(
                not_measured(BENCH, f"{label}: month rolled up", database, "", "no PostgreSQL")
            )
            continue
        results += await _measure(label, limit, scale, database, options, bound)
    return results


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_probe(sys.argv[1], int(sys.argv[2])))))
