"""One sender per database: a PostgreSQL advisory lock, or a file lock beside a SQLite file."""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

ADVISORY_KEY = 0x50324B32  # "P2K2"


class SenderLock(Protocol):
    async def try_acquire(self) -> bool: ...

    async def release(self) -> None: ...

    def describe(self) -> str:
        """Who holds the lock, as far as this process can tell, for the standby's log line."""
        ...


class PostgresSenderLock:
    """Held on one open connection; if this process dies the server frees it at once."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._connection: AsyncConnection | None = None

    async def try_acquire(self) -> bool:
        if self._connection is not None:
            if await self._still_alive():
                return True
            await self._drop()
        connection = await self.engine.connect()
        try:
            got = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
            )
            await connection.commit()
        except Exception:
            await connection.close()
            raise
        if not got:
            await connection.close()
            return False
        self._connection = connection
        return True

    def describe(self) -> str:
        database = self.engine.url.database or "?"
        return f"another instance holds the sender lock of PostgreSQL database {database!r}"

    async def _still_alive(self) -> bool:
        assert self._connection is not None
        try:
            await self._connection.execute(text("SELECT 1"))
            await self._connection.commit()
            return True
        except Exception as exc:  # the connection died, and the lock with it
            log.warning("lost the sender lock: %s", exc)
            return False

    async def _drop(self) -> None:
        if self._connection is not None:
            try:
                await self._connection.close()
            except Exception as exc:
                log.debug("closing a dead lock connection: %s", exc)
        self._connection = None

    async def release(self) -> None:
        if self._connection is not None:
            try:
                await self._connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY}
                )
                await self._connection.commit()
            finally:
                await self._drop()


class FileSenderLock:
    """flock() on a file beside the SQLite database; the kernel frees it when a process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] | None = None

    async def try_acquire(self) -> bool:
        if self._file is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # A local lock file opens at once; it stays open for as long as the lock is held.
        handle = open(self.path, "a+b")  # noqa: ASYNC230
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n".encode())
        handle.flush()
        self._file = handle
        return True

    def describe(self) -> str:
        try:
            pid = self.path.read_text().strip()
        except OSError:
            pid = ""
        who = f"process {pid}" if pid.isdigit() else "another process"
        return f"{who} holds {self.path} (a second instance on the same SQLite file)"

    async def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def sender_lock(engine: AsyncEngine) -> SenderLock:
    url = engine.url
    if url.get_backend_name() == "postgresql":
        return PostgresSenderLock(engine)
    database = make_url(str(url)).database or "p2k2"
    return FileSenderLock(Path(f"{database}.dispatch.lock"))
