"""Engine and session factory for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import sqlite_driver
from timekeeping.send_windows import SendRules

log = logging.getLogger(__name__)

SessionFactory = async_sessionmaker[AsyncSession]

# The key in each session's `info` under which it carries its factory's send rules.
SEND_RULES = "p2k2.send_rules"

# How long a write waits for another process holding SQLite's write lock (a CLI command, a
# backup). Our own transactions take milliseconds; a lock held longer than this is someone
# else's long job, and the person waiting in the chat is better told "busy, try again" within
# seconds than left in silence for half a minute.
SQLITE_BUSY_SECONDS = 4


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def ensure_sqlite_directory(url: str) -> None:
    """The default database lives under ./data/, which a fresh clone does not have."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(str(parsed.database)).expanduser().parent.mkdir(parents=True, exist_ok=True)


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    ensure_sqlite_directory(url)
    if is_sqlite(url):
        kwargs.setdefault("connect_args", {"timeout": SQLITE_BUSY_SECONDS})
        if make_url(url).database not in (None, "", ":memory:"):
            # SQLite has one writer at a time. Several connections in one process make
            # concurrent transactions wait for each other in SQLite's busy handler, which
            # sleeps up to 100 ms between tries: under a burst of presses that is most of the
            # time. One connection queues them in the pool instead, first come first served,
            # and a transaction is a few milliseconds. (Other processes, such as a CLI
            # command, still wait on busy_timeout.) No code path holds a session while it
            # opens another, which one connection would deadlock.
            kwargs.setdefault("pool_size", 1)
            kwargs.setdefault("max_overflow", 0)
        if make_url(url).get_driver_name() == "aiosqlite" and sqlite_driver.fits():
            # Each statement in one hop to SQLite's thread instead of four (see the module).
            kwargs.setdefault("module", sqlite_driver.dbapi())
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    elif not kwargs.get("pool_pre_ping"):
        ping_when_idle(engine)
    return engine


# A PostgreSQL connection from the pool is tested before use when it lay unused this long.
# SQLAlchemy's pool_pre_ping tests it every time: on asyncpg three round trips (begin, a
# no-op, rollback) before every transaction, a third of a short transaction's CPU. A
# connection used a moment ago is alive unless the server went away in that moment, and then
# the transactions on it at that moment fail anyway, pinged or not; the first such failure
# makes the pool drop every connection it holds (SQLAlchemy's disconnect handling), so the
# next ones connect afresh. After a restart while the bot was quiet (the usual case: a
# maintenance window, a failover), every connection has lain unused and is tested and
# replaced before use, as with pool_pre_ping.
PING_AFTER_IDLE_SECONDS = 1.0
_IDLE_SINCE = "p2k2.idle_since"


def ping_when_idle(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    def checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    def checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return  # a new connection, or one used a moment ago
        try:
            sync_engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool replaces the connection and tries again (a new one is not pinged).
            raise DisconnectionError(f"a pooled connection failed its test: {error}") from error

    event.listen(sync_engine, "checkin", checked_in)
    event.listen(sync_engine, "checkout", checked_out)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the dispatcher read while a handler writes; foreign keys are off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
    cursor.close()


def session_factory(engine: AsyncEngine, send_rules: SendRules | None = None) -> SessionFactory:
    """Sessions on `engine`, each carrying `send_rules` (quiet hours, the default time zone)
    for the deliveries it enqueues. The bot passes the rules of its settings; without them the
    project's defaults apply (as with P2K2_QUIET_HOURS and P2K2_TIMEZONE unset)."""
    rules = SendRules() if send_rules is None else send_rules
    return async_sessionmaker(engine, expire_on_commit=False, info={SEND_RULES: rules})


def send_rules_of(session: AsyncSession) -> SendRules:
    """The send rules of the factory that made `session`."""
    rules = session.info.get(SEND_RULES)
    if not isinstance(rules, SendRules):
        raise LookupError("a session without send rules: make it with storage.db.session_factory")
    return rules


# PostgreSQL's answers when it broke a lock cycle (deadlock_detected) or could not serialise
# two transactions (serialization_failure): the transaction is rolled back, and running it
# again from the start is the documented remedy.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
# A cycle broken once rarely forms again with the same partner; three tries bound the wait.
TRIES = 3

Result = TypeVar("Result")


def is_retryable(error: BaseException) -> bool:
    """Whether the database rolled the transaction back only because of another one."""
    if not isinstance(error, DBAPIError):
        return False
    return getattr(error.orig, "sqlstate", None) in RETRYABLE_SQLSTATES


async def retrying(work: Callable[[], Awaitable[Result]], tries: int = TRIES) -> Result:
    """Run `work` (a whole use case: its own transaction from begin to commit); when the
    database broke a deadlock or a serialisation conflict by failing it, run it again, up to
    `tries` times. Anything else, or the last failure, is raised as it came."""
    for attempt in range(1, tries + 1):
        try:
            return await work()
        except DBAPIError as error:
            if attempt == tries or not is_retryable(error):
                raise
            log.info("rolled back by the database (%s); try %d", error.orig, attempt + 1)
    raise AssertionError("unreachable")
