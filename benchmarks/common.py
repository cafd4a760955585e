"""What every benchmark shares: results, the machine, databases, the emulator, timing."""

from __future__ import annotations

import asyncio
import os
import platform
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import sqlalchemy
import telegram
from sqlalchemy import update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings, load_settings
from devdata.seed import COORDINATOR_USER_ID, KnownChats, known_chats
from simulator.emulator import FakeTelegram
from storage import deliveries, migrate
from storage.db import create_engine, session_factory
from storage.models import Delivery, DeliveryStatus
from timekeeping.clock import SystemClock

os.environ.setdefault("PTB_TIMEDELTA", "1")

TOKEN = "0:FAKE-bench-token"
POSTGRES_ENV = "P2K2_BENCH_POSTGRES_URL"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
ENGINES = ("sqlite", "postgresql")


@dataclass
class Result:
    """One figure: what was measured, on which database, against which target."""

    bench: str
    name: str
    database: str
    value: float | None  # None: not measured
    unit: str
    target: str
    passed: bool | None  # None: no target or not measured
    ratio: str = ""  # to the limit or baseline, e.g. "0.97 of 30/s"
    note: str = ""

    def shown(self) -> str:
        if self.value is None:
            return "—"
        if self.unit in ("", "count"):
            return f"{self.value:,.0f}"
        if abs(self.value) >= 100:
            return f"{self.value:,.0f} {self.unit}"
        return f"{self.value:.3g} {self.unit}"

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "not measured"
        if self.passed is None:
            return "info"
        return "PASS" if self.passed else "FAIL"


def not_measured(bench: str, name: str, database: str, target: str, why: str) -> Result:
    return Result(bench, name, database, None, "", target, None, note=f"not measured: {why}")


@dataclass
class Options:
    quick: bool = False
    engines: tuple[str, ...] = ENGINES
    only: tuple[str, ...] = ()
    status: bool = False  # --status: no measuring, only the stale marks and the counts
    chair_sealed: Path | None = None  # --chair-sealed: the sealed set of chairs' replies
    postgres_url: str = field(
        default_factory=lambda: os.environ.get(POSTGRES_ENV, DEFAULT_POSTGRES)
    )


# -- the machine -----


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def ram_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


async def postgres_version(url: str) -> str:
    try:
        connection = await _admin_connect(url)
    except Exception as exc:  # the benchmarks then run on SQLite only
        return f"unavailable ({type(exc).__name__})"
    try:
        return str(await connection.fetchval("SHOW server_version"))
    finally:
        await connection.close()


async def machine(options: Options) -> dict[str, str]:
    import sqlite3

    return {
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpus": str(os.cpu_count()),
        "cpu model": cpu_model(),
        "memory": f"{ram_gib():.1f} GiB",
        "load average at start": load_average(),
        "python": platform.python_version(),
        "python-telegram-bot": telegram.__version__,
        "SQLAlchemy": sqlalchemy.__version__,
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL": await postgres_version(options.postgres_url),
    }


# -- databases -----


async def _admin_connect(url: str) -> asyncpg.Connection:
    parsed = make_url(url)
    return await asyncpg.connect(
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        database=parsed.database or "postgres",
        timeout=5,
    )


@asynccontextmanager
async def fresh_database(kind: str, options: Options, label: str) -> AsyncIterator[str]:
    """A migrated, empty database of `kind`, removed afterwards; yields its URL."""
    if kind == "sqlite":
        directory = Path(tempfile.mkdtemp(prefix=f"p2k2-bench-{label}-"))
        url = f"sqlite+aiosqlite:///{directory / 'bench.sqlite3'}"
        try:
            await _migrate(url)
            yield url
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        return
    name = f"p2k2_bench_{label}_{uuid.uuid4().hex[:6]}"
    admin = await _admin_connect(options.postgres_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = (
        make_url(options.postgres_url.replace("postgresql://", "postgresql+asyncpg://", 1))
        .set(database=name)
        .render_as_string(hide_password=False)
    )
    try:
        await _migrate(url)
        yield url
    finally:
        admin = await _admin_connect(options.postgres_url)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()


async def postgres_available(options: Options) -> bool:
    try:
        connection = await _admin_connect(options.postgres_url)
    except Exception:
        return False
    await connection.close()
    return True


# -- the emulator and the bot -----


def register(fake: FakeTelegram, chats: KnownChats) -> None:
    """Tell the emulator the seeded users (private chat started) and group chats (bot inside)."""
    for user_id, name in chats.users:
        first, _, last = name.partition(" ")
        user = fake.user(user_id, first or "Ibu", last or None)
        fake.private_chat(user).started = True
    for chat_id, title in chats.groups:
        fake.group(title or "Grup", chat_id, bot_status="member")


async def register_seeded(fake: FakeTelegram, engine: AsyncEngine) -> KnownChats:
    chats = await known_chats(engine)
    register(fake, chats)
    return chats


def bench_settings(fake: FakeTelegram, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "TELEGRAM_API_FILE_URL": fake.base_file_url,
        "DATABASE_URL": database_url,
        "P2K2_ADMIN_IDS": str(COORDINATOR_USER_ID),
        "P2K2_LOG_LEVEL": "WARNING",
    }
    values.update(overrides)
    return load_settings(env_file=None, **values)


def bench_environment(fake: FakeTelegram, database_url: str, **overrides: str) -> dict[str, str]:
    """The environment for a `p2k2 run` subprocess talking to the emulator."""
    env = dict(os.environ)
    env.update(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "TELEGRAM_API_FILE_URL": fake.base_file_url,
            "DATABASE_URL": database_url,
            "P2K2_ADMIN_IDS": str(COORDINATOR_USER_ID),
            "P2K2_LOG_LEVEL": "WARNING",
            "PTB_TIMEDELTA": "1",
        }
    )
    env.update(overrides)
    return env


class SkippingClock(SystemClock):
    """Real time, plus whatever was skipped: lets a benchmark jump over long backoffs."""

    def __init__(self) -> None:
        self.skipped = timedelta(0)

    def now(self) -> datetime:
        return super().now() + self.skipped


async def make_due(engine: AsyncEngine, now: datetime, *where: Any) -> int:
    """Bring pending deliveries (matching `where`) due now; returns how many."""
    db = session_factory(engine)
    async with db.begin() as session:
        result = await session.execute(
            update(Delivery)
            .where(Delivery.status == DeliveryStatus.PENDING, *where)
            # Due now, with the window of a reminder due now (2.5 h to 2 h ahead, roughly).
            .values(due_at=now, send_from=now, send_by=now + timedelta(minutes=30))
        )
        return int(getattr(result, "rowcount", 0) or 0)


async def wait_until_done(
    engine: AsyncEngine,
    tick: Any,
    clock: SkippingClock,
    *,
    skip_longer_than: float | None = None,
    timeout: float = 1800.0,
) -> int:
    """Tick until nothing is pending or sending; returns the number of ticks."""
    db = session_factory(engine)
    deadline = time.monotonic() + timeout
    ticks = 0
    while time.monotonic() < deadline:
        await tick()
        ticks += 1
        async with db.begin() as session:
            open_count = await session.scalar(
                sqlalchemy.select(sqlalchemy.func.count())
                .select_from(Delivery)
                .where(Delivery.status.in_((DeliveryStatus.PENDING, DeliveryStatus.SENDING)))
            )
        if not open_count:
            return ticks
        upcoming = await deliveries.next_due_at(db)
        wait = 0.05
        if upcoming is not None:
            wait = (upcoming - clock.now()).total_seconds()
            if skip_longer_than is not None and wait > skip_longer_than:
                clock.skipped += timedelta(seconds=wait - 0.2)
                wait = 0.2
        await asyncio.sleep(min(max(wait, 0.02), 1.0))
    raise TimeoutError("deliveries still open after the timeout")


# -- numbers -----


def percentile(values: Iterable[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def rss_mib(pid: int, field_name: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def sustained_rate(times: list[float]) -> float:
    """Sends per second between the first and the last one."""
    if len(times) < 2:
        return float("nan")
    ordered = sorted(times)
    span = ordered[-1] - ordered[0]
    return (len(ordered) - 1) / span if span > 0 else float("inf")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)
