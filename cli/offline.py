"""CLI commands that work on the database without talking to Telegram."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from config.settings import Settings, normalise_database_url
from storage import migrate, people
from storage.db import create_engine, session_factory
from storage.models import StaffRole
from storage.roster import cli_usecases
from storage.roster.roster_file import RosterFileError, parse_roster
from timekeeping.clock import Clock, SystemClock

# The operator's clock: what "this month" and "not come yet" mean for `p2k2 export`. Tests
# put a ManualClock here, so they do not depend on the day they run.
CLOCK: Clock = SystemClock()


async def db_upgrade(settings: Settings) -> int:
    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
    print("database is up to date")
    return 0


async def admin_add(
    settings: Settings,
    telegram_id: int,
    name: str,
    role: StaffRole,
    area: str | Sequence[str] | None = None,
) -> int:
    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        person_id, created, coverage = await people.add_staff(
            session_factory(engine),
            telegram_id,
            name,
            role,
            area,
            above=settings.complaint_escalation_ids,
        )
    except people.AreaRefused as exc:
        print(f"p2k2: {exc}", file=sys.stderr)
        return 2
    finally:
        await engine.dispose()
    verb = "added" if created else "updated"
    print(f"{verb} {role.value} {name!r} (telegram id {telegram_id}, person {person_id})")
    print(f"covers: {coverage}")
    return 0


async def admin_remove(settings: Settings, telegram_id: int, area: str | None) -> int:
    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        named = await people.remove_staff(
            session_factory(engine), telegram_id, area, above=settings.complaint_escalation_ids
        )
    except people.AreaRefused as exc:
        print(f"p2k2: {exc}", file=sys.stderr)
        return 2
    finally:
        await engine.dispose()
    print(f"removed {area or 'every staff role'} from telegram id {telegram_id}")
    print(f"open complaints named to the level above: {named}")
    return 0


async def areas_import(settings: Settings, path: Path | None) -> int:
    """`p2k2 areas import [FILE]`: the vendored list of areas, or a newer one."""
    from storage.areas.importing import VENDORED, AreaFileError, import_areas, read_rows

    path = path or VENDORED
    try:
        data = await asyncio.to_thread(path.read_bytes)
        rows = read_rows(data)
    except OSError as exc:
        print(f"p2k2: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    except AreaFileError as exc:
        print(f"p2k2: {path}: {exc}", file=sys.stderr)
        return 2
    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        summary = await import_areas(session_factory(engine), rows)
    finally:
        await engine.dispose()
    print(
        f"{path.name}: {summary.added} areas added, {summary.renamed} renamed, "
        f"{summary.unchanged} unchanged"
    )
    return 0


async def roster_import(settings: Settings, path: Path, group_code: str) -> int:
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as exc:
        print(f"p2k2: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        parsed = parse_roster(data, path.name)
    except RosterFileError as exc:
        print(f"p2k2: {path}: {ROSTER_FILE_PROBLEMS.get(exc.code, exc.code)}", file=sys.stderr)
        return 2
    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        summary = await cli_usecases.import_roster_by_code(
            session_factory(engine), group_code, list(parsed.rows)
        )
    finally:
        await engine.dispose()
    if summary is None:
        print(f"p2k2: no group with code {group_code!r}", file=sys.stderr)
        return 2
    print(f"{summary.group.name}: {summary.added} added, {summary.updated} updated")
    for error in parsed.errors:
        problem = ROW_PROBLEMS.get(error.code, error.code).format(detail=error.detail)
        print(f"{path}: line {error.line}: {problem}; row not imported", file=sys.stderr)
    return 1 if parsed.errors else 0


ROSTER_FILE_PROBLEMS = {
    "unsupported": "not a CSV or XLSX file",
    "empty": "the file has no rows",
    "no_name_column": "no column named 'nama' or 'name'",
    "too_large": "too large (at most 2,000 rows, 5 MB, nothing below line 10,000)",
    "too_slow": "too complicated to read in time; copy the columns to a new sheet",
}

ROW_PROBLEMS = {
    "empty_name": "the name is empty",
    "name_too_long": "the name has {detail} characters, at most 100",
    "duplicate_name": "the same name as line {detail}",
    "duplicate_id": "the same programme id as line {detail}",
    "error_value": "an Excel formula error ({detail}), not a name",
}


async def seed(url: str, groups: int, members: int, months: int) -> int:
    from devdata.seed import SeedError, SeedPlan
    from devdata.seed import seed as seed_database

    if groups < 1 or members < 1 or months < 0:
        print("p2k2: --groups and --members must be at least 1, --months at least 0")
        return 2
    engine = create_engine(normalise_database_url(url))
    try:
        await migrate.upgrade(engine)
        plan = SeedPlan(groups=groups, members=members, months=months)
        summary = await seed_database(engine, plan, SystemClock().now())
    except SeedError as exc:
        print(f"p2k2: {exc}", file=sys.stderr)
        return 2
    finally:
        await engine.dispose()
    print(summary.describe())
    return 0


async def seed_scale(url: str, name: str) -> int:
    """`p2k2 seed --scale province|country`: the roll-up benchmarks' data."""
    from devdata.areas import SCALES
    from devdata.areas import seed_scale as seed_database
    from devdata.seed import SeedError

    engine = create_engine(normalise_database_url(url))
    try:
        await migrate.upgrade(engine)
        rows = await seed_database(engine, SCALES[name], SystemClock().now())
    except SeedError as exc:
        print(f"p2k2: {exc}", file=sys.stderr)
        return 2
    finally:
        await engine.dispose()
    print("seeded " + ", ".join(f"{table}: {count:,}" for table, count in sorted(rows.items())))
    return 0


async def status(url: str) -> int:
    from storage.operations.status import dispatcher_status, render

    engine = create_engine(normalise_database_url(url))
    try:
        await migrate.upgrade(engine)
        report = await dispatcher_status(session_factory(engine), SystemClock().now())
    finally:
        await engine.dispose()
    print(render(report))
    return 0


async def export_report(
    url: str, month_text: str, group_code: str | None, kind: str | None, out: Path
) -> int:
    """`p2k2 export`: the month's report as the operator sees it (every group, with ids)."""
    import html
    import re

    from content.texts import t
    from storage import reports
    from storage.errors import UseCaseError
    from storage.reports import exports
    from views.exports import build
    from views.refusals import words

    kind = kind or ("csv" if out.suffix.lower() == ".csv" else "xlsx")
    engine = create_engine(normalise_database_url(url))
    try:
        await migrate.upgrade(engine)
        month = reports.parse_month(month_text)
        data = await exports.export_month(
            session_factory(engine),
            cli_usecases.OPERATOR,
            month,
            CLOCK.now(),
            group_code=group_code,
            with_chart=kind == "xlsx",
        )
    except UseCaseError as exc:
        key, params = words(exc)
        message = html.unescape(re.sub(r"<[^>]+>", "", t("en", key, **params)))
        print(f"p2k2: {message}", file=sys.stderr)
        return 2
    finally:
        await engine.dispose()
    content, _ = build(data, "id", kind)
    try:
        await asyncio.to_thread(out.write_bytes, content)
    except OSError as exc:
        print(f"p2k2: cannot write {out}: {exc.strerror}", file=sys.stderr)
        return 2
    sheets = len(data.sheets)
    print(f"{out}: {len(data.report.groups)} groups, {sheets} group sheets, {kind}")
    return 0
