"""The `p2k2` command: run the bot, migrate the database, add staff, import a roster."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from cli.exits import failure_line, log_detail
from config.settings import Settings, SettingsError, load_settings
from storage.models import StaffRole


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="p2k2", description="P2K2 Telegram bot")
    commands = root.add_subparsers(dest="command", required=True)

    commands.add_parser("run", help="start the bot (long polling, or a webhook if configured)")

    simulate = commands.add_parser(
        "simulate", help="try the bot without Telegram: a local chat simulator in the browser"
    )
    simulate.add_argument("--host", default="127.0.0.1")
    simulate.add_argument("--port", type=int, default=8080)
    simulate.add_argument("--database", type=Path, default=Path("data/simulator.sqlite3"))

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply the migrations")

    admin = commands.add_parser("admin", help="register coordinators, facilitators and viewers")
    admin_commands = admin.add_subparsers(dest="admin_command", required=True)
    add = admin_commands.add_parser("add", help="add or update a person with a staff role")
    add.add_argument("--telegram-id", type=int, required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--role", choices=[r.value for r in StaffRole], required=True)
    add.add_argument(
        "--area",
        action="append",
        help="by its code: a coordinator's kabupaten/kota (Korkab, e.g. 32.79) or province "
        "(Korwil); several kabupaten/kota at once (--area 32.79 --area 32.07, or "
        "32.79,32.07) make her the Korwil of that list; a facilitator's kecamatan (e.g. "
        "32.79.01); a viewer's area; without it: the whole deployment (a facilitator: her "
        "own groups, placed anywhere)",
    )

    remove = admin_commands.add_parser(
        "remove",
        help="take a coordinator off an area, or take a person's staff role away; the level "
        "above is told of her open complaints",
    )
    remove.add_argument("--telegram-id", type=int, required=True)
    remove.add_argument("--area", help="only this area's code; without it: every role and area")

    areas = commands.add_parser("areas", help="the official list of administrative areas")
    areas_commands = areas.add_subparsers(dest="areas_command", required=True)
    areas_import = areas_commands.add_parser(
        "import", help="load or update the list (an upsert; default: the bundled Kepmendagri list)"
    )
    areas_import.add_argument("file", type=Path, nargs="?", help="a kode,nama CSV, gzip'd or not")

    roster = commands.add_parser("roster", help="group rosters")
    roster_commands = roster.add_subparsers(dest="roster_command", required=True)
    imp = roster_commands.add_parser("import", help="import a CSV or XLSX roster into a group")
    imp.add_argument("file", type=Path)
    imp.add_argument("--group", required=True, help="the group's short code")

    seed = commands.add_parser("seed", help="fill a fresh database with synthetic data")
    seed.add_argument("--groups", type=int, default=110)
    seed.add_argument("--members", type=int, default=30, help="members per group")
    seed.add_argument("--months", type=int, default=12, help="months of past meetings")
    seed.add_argument(
        "--scale",
        choices=("province", "country"),
        help="instead of the above: Jawa Barat (3,400 groups, 100,000 members) or Indonesia "
        "(330,000 groups, 10 million members), six months each, written by the database itself "
        "(use PostgreSQL for the country)",
    )
    seed.add_argument("--database-url", help="instead of DATABASE_URL")

    status = commands.add_parser("status", help="the dispatcher's state and the delivery queue")
    status.add_argument("--database-url", help="instead of DATABASE_URL")

    export = commands.add_parser("export", help="write a month's P2K2 report as XLSX or CSV")
    export.add_argument("--month", required=True, help="the month, YYYY-MM")
    export.add_argument("--group", help="only this group (its short code)")
    export.add_argument("--format", choices=["xlsx", "csv"], help="default: from --out's suffix")
    export.add_argument("--out", type=Path, required=True, help="the file to write")
    export.add_argument("--database-url", help="instead of DATABASE_URL")
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    token: str | None = None
    try:
        if args.command == "simulate":
            import simulator

            return simulator.run(args.host, args.port, args.database)
        settings = load_settings()
        token = (
            settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None
        )
        if args.command == "run":
            from bot.runner import run

            run(settings)
            return 0
        return asyncio.run(_offline(settings, args))
    except SettingsError as exc:
        print(f"p2k2: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # Every other way out (start-up, shutdown, a CLI command): one line, no token.
        log_detail(exc)
        print(failure_line(exc, token), file=sys.stderr)
        return 1


async def _offline(settings: Settings, args: argparse.Namespace) -> int:
    from cli import offline

    if args.command == "db":
        return await offline.db_upgrade(settings)
    if args.command == "admin" and args.admin_command == "remove":
        return await offline.admin_remove(settings, args.telegram_id, args.area)
    if args.command == "admin":
        return await offline.admin_add(
            settings, args.telegram_id, args.name, StaffRole(args.role), args.area
        )
    if args.command == "areas":
        return await offline.areas_import(settings, args.file)
    if args.command == "roster":
        return await offline.roster_import(settings, args.file, args.group)
    url = getattr(args, "database_url", None) or settings.database_url
    if args.command == "seed":
        if args.scale is not None:
            return await offline.seed_scale(url, args.scale)
        return await offline.seed(url, args.groups, args.members, args.months)
    if args.command == "status":
        return await offline.status(url)
    if args.command == "export":
        return await offline.export_report(url, args.month, args.group, args.format, args.out)
    raise AssertionError(args.command)


if __name__ == "__main__":
    raise SystemExit(main())
